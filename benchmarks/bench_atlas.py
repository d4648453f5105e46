"""Benchmark: the atlas against a naive pyplot loop, measured side by side in one run.

The naive loop is what PyTorch's documentation script does for its activation
images: one new pyplot figure per activation, f (and here f') on a 0.01 grid
over [-7, 7], title, labels, grid, savefig PNG, close.  Two atlas runs are timed
against it:

- figures only (``build_atlas(..., figures_only=True)``, ``actviz atlas
  --figures-only``): the same kind of output, a PNG per activation (f, f',
  shaded regions, mathtext formulas).  Goal: <= 0.33x the naive loop.
- the full atlas: those figures, an A4 PDF (title, contents, a page per
  activation with measured properties), the overview sheet, thumbnails and both
  tables.  Goal: <= 1.0x the naive loop.

Runs alternate (naive, figures, atlas, naive, ...) after one warm-up of each,
and the medians and their ratios are printed, with the CPU seconds of all
processes (steadier than wall time on a busy machine) and the load average.

    python benchmarks/bench_atlas.py [--repeat 3] [--workers N] [--only SPEC ...] [--stages]

``--stages`` also draws each atlas once in this process alone and prints the
CPU time per activation of each stage (where the time goes).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import numpy as np

import actviz
from actviz.atlas import build_atlas, default_workers

GOALS = {"figures": 0.33, "atlas": 1.0}


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


STAGES = (  # (label, object, attribute, nested): the work units of an atlas in one process
    ("table row (measured properties)", "atlas", "property_row", False),
    ("figure layout (heading, curves, legend)", "pages.ActivationPage", "_draw_heading", False),
    ("", "pages.ActivationPage", "_draw_axes", False),
    ("page texts (properties, explanation)", "pages.ActivationPage", "_draw_page_text", False),
    ("figure file (Agg draw + PNG)", "pages.ActivationPage", "save_figure", False),
    ("PDF pages (vector; front pages too)", "pdf", "savefig", False),
    ("overview tile + thumbnail", "pages.OverviewTile", "png", False),
    ("  within these: mathtext parsing", "mathtext", "_parse_cached", True),
    ("  within these: PNG encoding", "pages", "png_bytes", True),
)


def stage_times(specs, out: Path, figures_only: bool) -> tuple[dict[str, float], float]:
    """CPU seconds per stage of one atlas drawn in this process (workers=1), and the total."""
    from matplotlib import mathtext
    from matplotlib.backends.backend_pdf import PdfPages

    import actviz.atlas as atlas_module
    from actviz.atlas import pages

    owners = {"atlas": atlas_module, "pages.ActivationPage": pages.ActivationPage,
              "pdf": PdfPages, "pages.OverviewTile": pages.OverviewTile, "pages": pages,
              "mathtext": mathtext.MathTextParser}
    spent: dict[str, float] = {}
    originals = []
    label = ""
    for shown, owner, name, _ in STAGES:
        label = shown or label  # an empty label adds to the one before
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
        build_atlas(out, specs, workers=1, figures_only=figures_only)
        total = time.process_time() - start
    finally:
        for target, name, original in reversed(originals):
            setattr(target, name, original)
    return spent, total


def print_stages(title: str, spent: dict[str, float], total: float, count: int) -> None:
    print(f"{title}: {total:.2f} s CPU in one process, {total / count * 1000:.0f} ms per activation")
    top = 0.0
    for label, _, _, nested in STAGES:
        if label and label in spent:
            print(f"  {label:42s} {spent[label] / count * 1000:6.1f} ms")
            top += 0.0 if nested else spent[label]
    print(f"  {'the rest (front pages, overview, tables, files)':42s} "
          f"{(total - top) / count * 1000:6.1f} ms")


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
                        help="also print the CPU time of each stage (one extra serial run each)")
    args = parser.parse_args(argv)
    specs = args.only or actviz.names()
    kinds = ("naive", "figures", "atlas")
    times: dict[str, list[float]] = {k: [] for k in kinds}
    cpu: dict[str, list[float]] = {k: [] for k in kinds}
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        dirs = {k: Path(tmp, k) for k in kinds}
        dirs["naive"].mkdir()

        def run(kind: str) -> None:
            start, start_cpu = time.perf_counter(), cpu_seconds()
            if kind == "naive":
                naive_loop(specs, dirs[kind])
            else:
                build_atlas(dirs[kind], specs, workers=args.workers,
                            figures_only=kind == "figures")
            times[kind].append(time.perf_counter() - start)
            cpu[kind].append(cpu_seconds() - start_cpu)

        for kind in kinds:  # warm-up (imports, font cache)
            run(kind)
        warm = {k: v[0] for k, v in times.items()}
        for kind in kinds:
            times[kind].clear()
            cpu[kind].clear()
        for _ in range(args.repeat):
            for kind in kinds:
                run(kind)
        load_after = os.getloadavg()
        stages = None
        if args.stages:
            stages = {k: stage_times(specs, Path(tmp, f"stages-{k}"), k == "figures")
                      for k in ("figures", "atlas")}
        atlas_dir = dirs["atlas"]
        sizes = {p.name: p.stat().st_size for p in atlas_dir.iterdir() if p.is_file()}
        figures = sum(p.stat().st_size for p in (atlas_dir / "figures").iterdir())
        naive_size = sum(p.stat().st_size for p in dirs["naive"].iterdir())
        same = all((dirs["figures"] / "figures" / p.name).read_bytes() == p.read_bytes()
                   for p in (atlas_dir / "figures").iterdir())
    med = {k: statistics.median(v) for k, v in times.items()}
    cpu_med = {k: statistics.median(v) for k, v in cpu.items()}
    count = len(specs)
    print(f"activations: {count}, cores usable: {default_workers()} of {os.cpu_count()}, "
          f"atlas workers: {args.workers or default_workers()}, runs: {args.repeat} alternating "
          f"(+1 warm-up each: naive {warm['naive']:.2f} s, figures {warm['figures']:.2f} s, "
          f"atlas {warm['atlas']:.2f} s)")
    print("load average (1, 5, 15 min): before "
          + ", ".join(f"{x:.2f}" for x in load_before) + "; after "
          + ", ".join(f"{x:.2f}" for x in load_after))
    names = {"naive": "naive pyplot loop (PNG only)",
             "figures": "atlas --figures-only (PNG per activation)",
             "atlas": "full atlas (PDF, figures, overview, tables)"}
    for kind in kinds:
        print(f"{names[kind]:44s} median {med[kind]:6.2f} s  runs "
              f"{', '.join(f'{t:.2f}' for t in times[kind])}   CPU median {cpu_med[kind]:6.2f} s"
              f" ({cpu_med[kind] / count * 1000:.0f} ms per activation)")
    for kind in ("figures", "atlas"):
        ratio = med[kind] / med["naive"]
        runs = ", ".join(f"{a / n:.2f}" for a, n in zip(times[kind], times["naive"], strict=True))
        verdict = "met" if ratio <= GOALS[kind] else "NOT met"
        print(f"RATIO {kind:7s} / naive: {ratio:.2f} (goal <= {GOALS[kind]}: {verdict}; "
              f"per run {runs}; CPU {cpu_med[kind] / cpu_med['naive']:.2f})")
    print(f"figure files of --figures-only and the full atlas identical: {same}")
    if stages is not None:
        print_stages("stages of --figures-only", *stages["figures"], count)
        print_stages("stages of the full atlas", *stages["atlas"], count)
    print("sizes: " + ", ".join(f"{k} {v / 1024:.0f} KiB" for k, v in sorted(sizes.items()))
          + f", figures/ {figures / 1024:.0f} KiB (naive PNGs {naive_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
