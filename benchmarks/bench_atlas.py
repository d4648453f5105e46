"""Benchmark: the full atlas against a naive pyplot loop, measured side by side in one run.

The naive loop is what PyTorch's documentation script does for its activation
images: one new pyplot figure per activation, f (and here f') on a 0.01 grid
over [-7, 7], title, labels, grid, savefig PNG, close.  The atlas does much
more for the same activations: a figure file per activation (f, f', shaded
regions, mathtext formulas), an A4 PDF (title, contents, a page per activation
with measured properties), the overview sheet, thumbnails and both tables.

Runs alternate (naive, atlas, naive, atlas, ...) after one warm-up of each, and
the medians and their ratio are printed.  Goal: atlas <= 1/3 of the naive loop.

    python benchmarks/bench_atlas.py [--repeat 3] [--workers N] [--only SPEC ...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import numpy as np

import actviz
from actviz.atlas import build_atlas, default_workers


def naive_loop(specs, out: Path) -> None:
    """One new pyplot figure per activation with f and f', saved as PNG (PyTorch docs style)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = np.arange(-7.0, 7.0, 0.01)
    for spec in specs:
        act = actviz.get(spec)
        fig = plt.figure()
        plt.plot(x, act(x), label="f(x)")
        plt.plot(x, act.grad(x), label="f'(x)")
        plt.title(act.label)
        plt.xlabel("Input")
        plt.ylabel("Output")
        plt.grid(True)
        plt.legend()
        plt.savefig(out / f"{act.name}.png")
        plt.close(fig)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each (default 3)")
    parser.add_argument("--workers", type=int, default=None,
                        help=f"atlas worker processes (default {default_workers()})")
    parser.add_argument("--only", nargs="+", help="activations (default: all)")
    args = parser.parse_args(argv)
    specs = args.only or actviz.names()
    times: dict[str, list[float]] = {"naive": [], "atlas": []}
    with tempfile.TemporaryDirectory() as tmp:
        naive_dir, atlas_dir = Path(tmp, "naive"), Path(tmp, "atlas")
        naive_dir.mkdir()

        def run(kind: str) -> float:
            start = time.perf_counter()
            if kind == "naive":
                naive_loop(specs, naive_dir)
            else:
                build_atlas(atlas_dir, specs, workers=args.workers)
            return time.perf_counter() - start

        run("naive")
        result_time = run("atlas")  # warm-up (imports, font cache)
        for _ in range(args.repeat):
            for kind in ("naive", "atlas"):
                times[kind].append(run(kind))
        sizes = {p.name: p.stat().st_size for p in atlas_dir.iterdir() if p.is_file()}
        figures = sum(p.stat().st_size for p in (atlas_dir / "figures").iterdir())
        naive_size = sum(p.stat().st_size for p in naive_dir.iterdir())
    naive, atlas = (statistics.median(times[k]) for k in ("naive", "atlas"))
    print(f"activations: {len(specs)}, cores usable: {default_workers()}, "
          f"atlas workers: {args.workers or default_workers()}, runs: {args.repeat} alternating "
          f"(+1 warm-up each; atlas warm-up {result_time:.2f} s)")
    print(f"naive pyplot loop (PNG only): median {naive:.2f} s  "
          f"runs {', '.join(f'{t:.2f}' for t in times['naive'])}")
    print(f"full atlas (PDF, figures, overview, tables): median {atlas:.2f} s  "
          f"runs {', '.join(f'{t:.2f}' for t in times['atlas'])}")
    print(f"ratio atlas / naive: {atlas / naive:.2f}  (goal <= 0.33)")
    print("sizes: " + ", ".join(f"{k} {v / 1024:.0f} KiB" for k, v in sorted(sizes.items()))
          + f", figures/ {figures / 1024:.0f} KiB (naive PNGs {naive_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
