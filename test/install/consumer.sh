#!/usr/bin/env bash
# Installs adjoint from the build directory BUILD into a temporary prefix and
# builds examples/consumer against it as a separate project, once with
# clang++-<LLVM version> (the plugin) and once with g++ (adjoint-gen), runs
# the program (it checks its gradients against finite differences), and
# checks the build's dependency tracking: a second build does nothing, and
# touching the annotated header regenerates and rebuilds. Then builds the
# quick start without CMake, with pkg-config's flags. With OTHER_CLANG, a
# Clang without an installed plugin must fail at configure time with a clear
# message.
#
#   test/install/consumer.sh BUILD LLVM_VERSION [OTHER_CLANG]
set -euo pipefail
build=$(cd "$1" && pwd)
version=$2
other=${3:-}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/adjoint-consumer.XXXXXX)
trap 'rm -rf "$work"' EXIT

step() { printf '\n==> %s\n' "$*"; }

step "cmake --install $build --prefix $work/prefix"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
# The consumer sees only the prefix: a copy outside this tree.
cp -r "$root/examples/consumer" "$work/src"

for cxx in "clang++-$version" g++; do
  step "consumer with $cxx"
  cmake -S "$work/src" -B "$work/build-$cxx" -G Ninja \
    -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
  ninja -C "$work/build-$cxx" -j2
  "$work/build-$cxx/app"
  if ninja -C "$work/build-$cxx" -n | grep -q '^\['; then
    echo "error: a second build of the consumer with $cxx is not a no-op" >&2
    ninja -C "$work/build-$cxx" -n -d explain >&2
    exit 1
  fi
  touch "$work/src/include/consumer/model.h"
  ninja -C "$work/build-$cxx" -n > "$work/rebuild.txt"
  for file in main.cpp model.cpp; do
    grep -q "$file" "$work/rebuild.txt" || {
      echo "error: touching model.h does not rebuild $file with $cxx" >&2
      cat "$work/rebuild.txt" >&2
      exit 1
    }
  done
done

step "without CMake: pkg-config and -fplugin"
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
plugin="$(pkg-config --variable=plugindir adjoint)/clang-$version/libAdjointPlugin.so"
# shellcheck disable=SC2046 # pkg-config's output is a list of flags
"clang++-$version" -O2 -fplugin="$plugin" "$root/examples/quickstart.cpp" \
  $(pkg-config --cflags --libs adjoint) -o "$work/quickstart"
"$work/quickstart"

if [ -n "$other" ] && command -v "$other" >/dev/null; then
  step "consumer with $other (no plugin installed for it): a configure error"
  if cmake -S "$work/src" -B "$work/build-other" -G Ninja \
       -DCMAKE_CXX_COMPILER="$other" -DCMAKE_PREFIX_PATH="$work/prefix" \
       > "$work/other.txt" 2>&1; then
    echo "error: configuring with $other succeeded without its plugin" >&2
    exit 1
  fi
  tr -s " \n" "  " < "$work/other.txt" | grep -q "no adjoint plugin for Clang [0-9]* is installed" || {
    echo "error: unexpected configure failure with $other:" >&2
    cat "$work/other.txt" >&2
    exit 1
  }
  sed -n "/CMake Error/,/^$/p" "$work/other.txt"
fi
echo "consumer: ok"
