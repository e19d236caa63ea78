#!/usr/bin/env bash
# Installs the Debian 12 packages adjoint needs to build and test (idempotent).
# Clang 16 is the main toolchain; 14 and 19 are tested too (lit suite).
# ADJOINT_EXTRA_CLANG_VERSIONS="15 22" adds the packages of more Clang versions
# (22 comes from bookworm-security).
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkgconf python3
  clang-16 libclang-16-dev libclang-cpp16-dev llvm-16-dev llvm-16-tools
  clang-14 libclang-14-dev libclang-cpp14-dev llvm-14-dev llvm-14-tools
  clang-19 libclang-19-dev libclang-cpp19-dev llvm-19-dev llvm-19-tools
  libhwy-dev libgtest-dev libgmock-dev libbenchmark-dev
  libopenblas-dev libeigen3-dev
  zlib1g-dev libopenmpi-dev openmpi-bin python3-sklearn python3-torch
)
# Clang versions tested on request (scripts/test.sh), e.g. "15".
for v in ${ADJOINT_EXTRA_CLANG_VERSIONS:-}; do
  packages+=(clang-$v libclang-$v-dev libclang-cpp$v-dev llvm-$v-dev llvm-$v-tools)
done
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
