#!/bin/sh
# Big differential-fuzzer runs outside CI: COUNT random programs with fresh
# seeds START..START+COUNT-1, every feature of test/fuzz/gen_programs.py
# (the old constructs and the idioms), compiled in parallel with copies of
# the plugin, runtime and headers (so that a rebuild or a merge in progress
# cannot break the compiles).
# Prints the counts: ok / skipped / rejected (with a histogram of adjoint's
# messages) / wrong / build-broken / crash, per idiom too. Each reverse sweep
# is also checked against the analysis (-fplugin-arg-adjoint-verify).
#
#   scripts/fuzz.sh 100000 2000            # seeds 100000-101999
#   scripts/fuzz.sh 100000 2000 --without classtmp -j 1 --keep /tmp/fz
#
# Environment: BUILD (default build-16), CXX (default clang++-16), JOBS (2).
set -eu
[ $# -ge 2 ] || { echo "usage: $0 START COUNT [run.py options]" >&2; exit 2; }
start=$1 count=$2
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build-16}
case $build in /*) ;; *) build=$root/$build ;; esac
work=$(mktemp -d /tmp/adjoint-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp "$build/lib/libAdjointPlugin.so" "$work/plugin.so"
cp "$build/lib/libadjoint_runtime.a" "$work/runtime.a"
cp -r "$root/include" "$work/include"
python3 "$root/test/fuzz/run.py" --seeds "$start-$((start + count - 1))" \
  --batch 50 -j "${JOBS:-2}" \
  --cxx "${CXX:-clang++-16} -std=c++17 -O1 -I$work/include -fplugin=$work/plugin.so -fplugin-arg-adjoint-verify" \
  --link "$work/runtime.a -lhwy -lpthread" "$@"
