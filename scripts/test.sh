#!/usr/bin/env bash
# Builds adjoint against Clang 16 (everything) and Clang 14 (plugin, tool and
# their tests) and runs every test; exits non-zero on any failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh" 16
(cd "$root/build-16" && ctest --output-on-failure)
"$root/scripts/build.sh" 14 -DADJOINT_BUILD_BENCH=OFF
(cd "$root/build-14" && ctest --output-on-failure)
echo "adjoint: all tests passed (Clang 16 and Clang 14)"
