#!/usr/bin/env bash
# Installs the Debian 12 packages adjoint needs to build and test (idempotent).
set -euo pipefail
packages=(
  build-essential cmake ninja-build python3
  clang-16 libclang-16-dev libclang-cpp16-dev llvm-16-dev llvm-16-tools
  clang-14 libclang-14-dev libclang-cpp14-dev llvm-14-dev llvm-14-tools
  libhwy-dev libgtest-dev libgmock-dev libbenchmark-dev
  libopenblas-dev libeigen3-dev
  zlib1g-dev libopenmpi-dev openmpi-bin python3-sklearn python3-torch
)
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
