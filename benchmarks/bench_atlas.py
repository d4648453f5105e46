"""Benchmark: the full atlas against a naive pyplot loop, measured side by side in one run.

The naive loop is what PyTorch's documentation script does for its activation
images: one new pyplot figure per activation, f (and here f') on a 0.01 grid
over [-7, 7], title, labels, grid, savefig PNG, close.  The atlas does much
more for the same activations: a figure file per activation (f, f', shaded
regions, mathtext formulas), an A4 PDF (title, contents, a page per activation
with measured properties), the overview sheet, thumbnails and both tables.

Runs alternate (naive, atlas, naive, atlas, ...) after one warm-up of each, and
the medians and their ratio are printed.  Goal: atlas <= 1/3 of the naive loop.

    python benchmarks/bench_atlas.py [--repeat 3] [--workers N] [--only SPEC ...] [--stages]

``--stages`` also draws the atlas once in this process alone and prints the CPU
time per activation of each stage (where the time goes, for deciding what to
change), and the CPU time of both cores in the timed atlas runs.
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


STAGES = (  # (label, object, attribute): the work units of an atlas drawn in one process
    ("table row (measured properties)", "atlas", "property_row"),
    ("page layout (artists, curves)", "pages.ActivationPage", "draw"),
    ("figure file (Agg draw + PNG)", "pages.ActivationPage", "save_figure"),
    ("PDF pages (vector; front pages too)", "pdf", "savefig"),
    ("overview tile + thumbnail", "pages.OverviewTile", "png"),
)


def stage_times(specs, out: Path) -> tuple[dict[str, float], float]:
    """CPU seconds per stage of one atlas drawn in this process (workers=1), and the total."""
    from matplotlib.backends.backend_pdf import PdfPages

    import actviz.atlas as atlas_module
    from actviz.atlas import pages

    owners = {"atlas": atlas_module, "pages.ActivationPage": pages.ActivationPage,
              "pdf": PdfPages, "pages.OverviewTile": pages.OverviewTile}
    spent: dict[str, float] = {}
    originals = []
    for label, owner, name in STAGES:
        target = owners[owner]
        original = getattr(target, name)
        originals.append((target, name, original))

        def timed(*args, _original=original, _label=label, **kwargs):
            start = time.process_time()
            try:
                return _original(*args, **kwargs)
            finally:
                spent[_label] = spent.get(_label, 0.0) + time.process_time() - start

        setattr(target, name, timed)
    try:
        start = time.process_time()
        build_atlas(out, specs, workers=1)
        total = time.process_time() - start
    finally:
        for target, name, original in originals:
            setattr(target, name, original)
    return spent, total


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the atlas's workers)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each (default 3)")
    parser.add_argument("--workers", type=int, default=None,
                        help=f"atlas worker processes (default {default_workers()})")
    parser.add_argument("--only", nargs="+", help="activations (default: all)")
    parser.add_argument("--stages", action="store_true",
                        help="also print the CPU time of each stage (one extra serial atlas)")
    args = parser.parse_args(argv)
    specs = args.only or actviz.names()
    times: dict[str, list[float]] = {"naive": [], "atlas": []}
    cpu: dict[str, list[float]] = {"naive": [], "atlas": []}
    with tempfile.TemporaryDirectory() as tmp:
        naive_dir, atlas_dir = Path(tmp, "naive"), Path(tmp, "atlas")
        naive_dir.mkdir()

        def run(kind: str) -> float:
            start, start_cpu = time.perf_counter(), cpu_seconds()
            if kind == "naive":
                naive_loop(specs, naive_dir)
            else:
                build_atlas(atlas_dir, specs, workers=args.workers)
            cpu[kind].append(cpu_seconds() - start_cpu)
            return time.perf_counter() - start

        run("naive")
        result_time = run("atlas")  # warm-up (imports, font cache)
        cpu = {"naive": [], "atlas": []}
        for _ in range(args.repeat):
            for kind in ("naive", "atlas"):
                times[kind].append(run(kind))
        stages = stage_times(specs, Path(tmp, "stages")) if args.stages else None
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
    naive_cpu, atlas_cpu = (statistics.median(cpu[k]) for k in ("naive", "atlas"))
    print(f"CPU seconds (all processes), medians: naive {naive_cpu:.2f}, atlas {atlas_cpu:.2f} "
          f"(ratio {atlas_cpu / naive_cpu:.2f}); per activation: naive "
          f"{naive_cpu / len(specs) * 1000:.0f} ms, atlas {atlas_cpu / len(specs) * 1000:.0f} ms")
    if stages is not None:
        spent, total = stages
        print(f"stages of one atlas drawn in one process: {total:.2f} s CPU, "
              f"{total / len(specs) * 1000:.0f} ms per activation")
        for label, _, _ in STAGES:
            print(f"  {label:34s} {spent.get(label, 0.0) / len(specs) * 1000:6.0f} ms")
        rest = total - sum(spent.values())
        print(f"  {'front pages, overview, tables':34s} {rest / len(specs) * 1000:6.0f} ms")
    print("sizes: " + ", ".join(f"{k} {v / 1024:.0f} KiB" for k, v in sorted(sizes.items()))
          + f", figures/ {figures / 1024:.0f} KiB (naive PNGs {naive_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
