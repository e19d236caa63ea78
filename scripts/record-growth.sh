#!/usr/bin/env bash
# Size of split-mode call records, compile time and run time for a chain of
# helpers h1..hL, each calling the one below from 6 switch cases (only one
# runs): the shape of pricing code where each formula picks one of several
# terms (docs/benchmarks.md, "Call records").
# Usage: scripts/record-growth.sh [BUILD_DIR=build-16] [LEVELS...=2 4 6 8]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build-16}" && pwd)
shift || true
levels=${*:-2 4 6 8}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-7s %-14s %-12s %-10s\n' levels record_bytes compile_s run_ms
for L in $levels; do
  src=$work/chain$L.cpp
  {
    echo '#include <adjoint/scalar.h>'
    echo '#include <chrono>'
    echo '#include <cmath>'
    echo '#include <cstdio>'
    echo 'double h0(double x, int k) { double v = 0; if (k > 0) v = std::sin(x); else v = x * x; return v; }'
    for ((i = 1; i <= L; ++i)); do
      p=$((i - 1))
      printf 'double h%d(double x, int k) { double v = 0; switch (k %% 6) {' "$i"
      for c in 0 1 2 3 4; do
        printf ' case %d: v = h%d(%d * x, k / 6); break;' "$c" "$p" $((c + 1))
      done
      printf ' default: v = h%d(6 * x, k / 6); } return v; }\n' "$p"
    done
    echo "ADJOINT_GRAD(x) double f(double x, int k) { return h$L(x, k); }"
    echo 'int main() {'
    echo "  std::printf(\"%zu\\n\", sizeof(h${L}_pullback_record));"
    echo '  std::fflush(stdout);'
    echo '  double dx = 0, sum = 0;'
    echo '  auto t0 = std::chrono::steady_clock::now();'
    echo '  for (int k = 0; k < 1000; ++k) { dx = 0; f_grad(0.1, k, dx); sum += dx; }'
    echo '  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();'
    echo '  std::printf("%.3f %g\n", ms, sum);'
    echo '}'
  } >"$src"
  start=$(date +%s.%N)
  clang++-16 -std=c++17 -O1 -I"$root/include" -fplugin="$build/lib/libAdjointPlugin.so" \
    "$src" "$build/lib/libadjoint_runtime.a" -lhwy -lpthread -o "$work/chain$L"
  end=$(date +%s.%N)
  # A record too large for the stack crashes the program after its size.
  "$work/chain$L" >"$work/out$L" 2>/dev/null || echo "crashed" >>"$work/out$L"
  bytes=$(sed -n 1p "$work/out$L")
  ms=$(sed -n 2p "$work/out$L" | cut -d' ' -f1)
  printf '%-7s %-14s %-12.1f %-10s\n' "$L" "$bytes" "$(echo "$end - $start" | bc)" "$ms"
done
