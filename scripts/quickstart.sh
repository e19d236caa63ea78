#!/usr/bin/env bash
# adjoint's first quick-start command (README.md): installs the Debian 12
# packages, builds the Clang 16 plugin and the runtime, compiles the autograd
# tutorial example with the plugin loaded, and runs it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-16"
jobs=$(nproc)

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "Installing the Debian packages (scripts/install-deps.sh; skipped when present)"
bash "$root/scripts/install-deps.sh"

step "Configuring $build (Release, Ninja, Clang/LLVM 16)"
# Same configuration as scripts/build.sh 16, so scripts/test.sh reuses this build.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DADJOINT_LLVM_VERSION=16 >/dev/null

step "Building the plugin (lib/libAdjointPlugin.so) and the runtime (lib/libadjoint_runtime.a)"
ninja -C "$build" -j"$jobs" AdjointPlugin adjoint_runtime

# The tutorial example if this checkout has it, else the smallest example.
example=quickstart
if ninja -C "$build" -t targets all | grep -q '^autograd_tutorial:'; then
  example=autograd_tutorial
fi
src="$root/examples/$example.cpp"

step "1. Annotate: ADJOINT_GRAD(...) on the function to differentiate (examples/$example.cpp)"
# The first annotated function and the lines around it.
line=$(grep -n '^ADJOINT_GRAD' "$src" | head -1 | cut -d: -f1)
sed -n "$((line > 6 ? line - 6 : 1)),$((line + 12))p" "$src"

step "2. Compile examples/$example.cpp with the plugin loaded: it generates the NAME_grad functions into the compilation"
ninja -C "$build" -j"$jobs" "$example"
echo "The command the build ran:"
ninja -C "$build" -t commands "$example" | tail -1 | sed -e "s|$root/||g" \
  -e 's|^cd [^ ]* && ||' -e 's| && [^ ]*cmake -E cmake_transform_depfile.*||' \
  -e 's| -MD -MF [^ ]*||'

step "3. Run build-16/bin/$example: values and generated gradients"
"$build/bin/$example"

step "Done. Next: scripts/test.sh runs every test (Clang 16 and 14); see README.md."
