#!/usr/bin/env python3
"""Plots gemm_bench results as an SVG and prints them as a Markdown table.

Reads the JSON that `gemm_bench --benchmark_format=json` writes and draws
GFLOP/s against N for each library. The SVG is written by hand, so the
script needs nothing beyond the Python standard library.

Usage: plot_gemm.py RESULTS.json [OUTPUT.svg]   (default docs/gemm.svg)
"""

import json
import math
import statistics
import sys
from collections import defaultdict

COLOURS = {"adjoint": "#d62728", "openblas": "#1f77b4", "eigen": "#2ca02c"}
WIDTH, HEIGHT = 640, 400
LEFT, RIGHT, TOP, BOTTOM = 60, 130, 40, 50


def load(path):
    """Returns {library: {N: median GFLOP/s over repetitions}}."""
    with open(path) as f:
        data = json.load(f)
    runs = defaultdict(lambda: defaultdict(list))
    for bench in data["benchmarks"]:
        # Repetitions add aggregate rows; the medians are taken here instead.
        if bench.get("run_type", "iteration") != "iteration":
            continue
        _, library, n = bench["run_name"].split("/")
        runs[library][int(n)].append(bench["GFLOPS"])
    return {lib: {n: statistics.median(v) for n, v in sizes.items()}
            for lib, sizes in runs.items()}, data.get("context", {})


def svg(results, title):
    sizes = sorted({n for r in results.values() for n in r})
    top = max(v for r in results.values() for v in r.values())
    y_max = math.ceil(top / 50.0) * 50
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    lo, hi = math.log2(sizes[0]), math.log2(sizes[-1])

    def x(n):
        return LEFT + (math.log2(n) - lo) / max(hi - lo, 1) * plot_w

    def y(v):
        return TOP + plot_h - v / y_max * plot_h

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
           f'height="{HEIGHT}" font-family="sans-serif" font-size="12">',
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
           f'<text x="{WIDTH / 2}" y="20" text-anchor="middle" '
           f'font-size="14">{title}</text>']
    for v in range(0, y_max + 1, 50):
        out.append(f'<line x1="{LEFT}" y1="{y(v):.1f}" x2="{LEFT + plot_w}" '
                   f'y2="{y(v):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" '
                   f'text-anchor="end">{v}</text>')
    for n in sizes:
        out.append(f'<text x="{x(n):.1f}" y="{TOP + plot_h + 18}" '
                   f'text-anchor="middle">{n}</text>')
    out.append(f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" '
               f'y2="{TOP + plot_h}" stroke="black"/>')
    out.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" '
               f'y2="{TOP + plot_h}" stroke="black"/>')
    out.append(f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 10}" '
               f'text-anchor="middle">N (square C = A B, one thread)</text>')
    out.append(f'<text x="15" y="{TOP + plot_h / 2}" text-anchor="middle" '
               f'transform="rotate(-90 15 {TOP + plot_h / 2})">GFLOP/s</text>')
    for i, (lib, points) in enumerate(sorted(results.items())):
        colour = COLOURS.get(lib, "#555")
        path = " ".join(f"{x(n):.1f},{y(points[n]):.1f}"
                        for n in sorted(points))
        out.append(f'<polyline points="{path}" fill="none" '
                   f'stroke="{colour}" stroke-width="2"/>')
        for n in sorted(points):
            out.append(f'<circle cx="{x(n):.1f}" cy="{y(points[n]):.1f}" '
                       f'r="3" fill="{colour}"/>')
        ly = TOP + 10 + 20 * i
        out.append(f'<line x1="{WIDTH - RIGHT + 15}" y1="{ly}" '
                   f'x2="{WIDTH - RIGHT + 35}" y2="{ly}" stroke="{colour}" '
                   f'stroke-width="2"/>')
        out.append(f'<text x="{WIDTH - RIGHT + 40}" y="{ly + 4}">{lib}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def table(results):
    sizes = sorted({n for r in results.values() for n in r})
    libs = [lib for lib in ("adjoint", "openblas", "eigen") if lib in results]
    rows = ["| N | " + " | ".join(libs) + " | adjoint / OpenBLAS |",
            "|---:|" + "---:|" * len(libs) + "---:|"]
    for n in sizes:
        cells = [f"{results[lib].get(n, float('nan')):.1f}" for lib in libs]
        ratio = results["adjoint"][n] / results["openblas"][n]
        rows.append(f"| {n} | " + " | ".join(cells) + f" | {ratio:.2f} |")
    return "\n".join(rows)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    results, context = load(sys.argv[1])
    output = sys.argv[2] if len(sys.argv) == 3 else "docs/gemm.svg"
    title = ("SGEMM, one thread (OpenBLAS core: "
             f"{context.get('openblas_core', '?')})")
    with open(output, "w") as f:
        f.write(svg(results, title))
    print(table(results))


if __name__ == "__main__":
    main()
