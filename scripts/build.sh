#!/usr/bin/env bash
# Configures and builds adjoint against one Clang/LLVM version.
# Usage: scripts/build.sh [LLVM_VERSION=16] [extra cmake args...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=${1:-16}
shift || true
build="$root/build-$version"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DADJOINT_LLVM_VERSION="$version" "$@" >/dev/null
ninja -C "$build" -j"$(nproc)"
