#!/usr/bin/env bash
# Builds adjoint against Clang 16 (everything) and Clang 14 (plugin, tool and
# their tests) and runs every test (on Clang 16 also the lit tests with ASan
# and UBSan); exits non-zero on any failure. ADJOINT_EXTRA_CLANG_VERSIONS="15"
# also runs the lit suite against those Clang versions.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh" 16
(cd "$root/build-16" && ctest --output-on-failure)
"$root/scripts/build.sh" 14 -DADJOINT_BUILD_BENCH=OFF
# The sanitized lit run checks generated code, not the compiler: once is enough.
(cd "$root/build-14" && ctest --output-on-failure -E lit-sanitized)
# More Clang versions on request (not in CI, for its time budget): the
# plugin, adjoint-gen and the runtime, and the lit suite against them.
for v in ${ADJOINT_EXTRA_CLANG_VERSIONS:-}; do
  cmake -S "$root" -B "$root/build-$v" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DADJOINT_LLVM_VERSION="$v" -DADJOINT_BUILD_BENCH=OFF >/dev/null
  ninja -C "$root/build-$v" -j"$(nproc)" AdjointPlugin adjoint-gen adjoint_runtime
  python3 "/usr/lib/llvm-$v/build/utils/lit/lit.py" -s "$root/build-$v/test/lit"
done
echo "adjoint: all tests passed (Clang 16 and Clang 14${ADJOINT_EXTRA_CLANG_VERSIONS:+; lit with Clang $ADJOINT_EXTRA_CLANG_VERSIONS})"
