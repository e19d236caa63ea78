#!/usr/bin/env bash
# Builds adjoint against Clang 16 and runs every test there (lit, lit with
# ASan and UBSan, unit, install-consumer); then builds the plugin, adjoint-gen
# and the runtime against Clang 14 and 19 and runs the lit suite with each.
# Exits non-zero on any failure.
#   ADJOINT_LIT_CLANG_VERSIONS="14 19"  the versions of the second part
#   ADJOINT_EXTRA_CLANG_VERSIONS="15"      more versions (not in CI, for time)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
start=$SECONDS
"$root/scripts/build.sh" 16
(cd "$root/build-16" && ctest --output-on-failure)
echo "adjoint: Clang 16, everything: $((SECONDS - start)) s"
# The lit suite exercises the plugin and adjoint-gen end to end; the runtime
# and the install are the same for every Clang, so they are tested once.
lit_versions=${ADJOINT_LIT_CLANG_VERSIONS-14 19}
for v in $lit_versions ${ADJOINT_EXTRA_CLANG_VERSIONS:-}; do
  start=$SECONDS
  cmake -S "$root" -B "$root/build-$v" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DADJOINT_LLVM_VERSION="$v" -DADJOINT_BUILD_BENCH=OFF >/dev/null
  ninja -C "$root/build-$v" -j"$(nproc)" AdjointPlugin adjoint-gen adjoint_runtime
  (cd "$root/build-$v" && ctest --output-on-failure -R '^lit$')
  echo "adjoint: Clang $v, lit: $((SECONDS - start)) s"
done
versions=$(echo $lit_versions ${ADJOINT_EXTRA_CLANG_VERSIONS:-})
echo "adjoint: all tests passed (Clang 16: everything${versions:+; lit with Clang $versions})"
