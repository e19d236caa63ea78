#!/usr/bin/env bash
# Builds adjoint against Clang 16 (everything) and Clang 14 (plugin, tool and
# their tests) and runs every test (on Clang 16 also the lit tests with ASan
# and UBSan); exits non-zero on any failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh" 16
(cd "$root/build-16" && ctest --output-on-failure)
"$root/scripts/build.sh" 14 -DADJOINT_BUILD_BENCH=OFF
# The sanitized lit run checks generated code, not the compiler: once is enough.
(cd "$root/build-14" && ctest --output-on-failure -E lit-sanitized)
echo "adjoint: all tests passed (Clang 16 and Clang 14)"
