"""Time `actviz plot sigmoid tanh --derivative --regions -o f.png` against the post's own script.

Run from the repository root:  python benchmarks/bench_plot.py [--rounds 7]

Each round runs, alternating, in fresh subprocesses (cold interpreter, warm
disk cache): the original post's single-figure script (sigmoid and tanh with
pyplot, savefig instead of show) and the actviz command that draws more
(derivatives, saturation regions, jump/region legend).  Prints the medians
and the ratio actviz / script (goal: <= 1.0), wall-clock and CPU time (CPU time
is steadier on a busy machine), then the medians of
`actviz --help` and `actviz list` (goal: < 0.3 s each).

Bytecode is cached for both (``PYTHONPYCACHEPREFIX`` in the temporary folder,
``PYTHONDONTWRITEBYTECODE`` unset), as in any installed package: without it
every run of actviz compiles its modules anew (~40 ms) and the post's
one-file script compiles nothing.

    python benchmarks/bench_plot.py --profile

prints instead where one `actviz plot` run spends its CPU time (imports,
registry start-up, sampling and region search, drawing, legend, tight layout,
the savefig draw and PNG encoding), measured in this process.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

POST_SCRIPT = """
import numpy as np
import matplotlib.pyplot as plt

# 入力値の範囲
x = np.linspace(-10, 10, 400)

# 活性化関数
sigmoid = 1 / (1 + np.exp(-x))
tanh    = np.tanh(x)

# グラフ描画
plt.figure(figsize=(8, 5))
plt.plot(x, sigmoid, label='sigmoid', linestyle='-', linewidth=2)
plt.plot(x, tanh,    label='tanh',    linestyle='-', linewidth=2)
plt.title('Activation Functions')
plt.xlabel('x')
plt.ylabel('y')
plt.grid(True)
plt.legend()
plt.axhline(0, color='gray', linewidth=0.5)
plt.axvline(0, color='gray', linewidth=0.5)
plt.tight_layout()
plt.savefig('post.png')
"""


def timed(argv: list[str], cwd: str, env: dict) -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one run of ``argv``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


PLOT_ARGS = ["plot", "sigmoid", "tanh", "--derivative", "--regions", "-o", "f.png"]

PROFILE = (  # (label, module, object or None, attribute): where one plot run spends its time
    ("sampling (curves)", "actviz.sampling", None, "sample"),
    ("region search", "actviz.sampling", None, "regions"),
    ("drawing (curves, regions)", "actviz.plotting.draw", None, "draw_activation"),
    ("limits, labels, legend", "actviz.plotting.draw", None, "decorate_axes"),
    ("tight layout", "actviz.plotting.figures", None, "_tight_layout"),
    ("savefig (Agg draw + PNG)", "actviz.plotting.figures", None, "save"),
    ("  within savefig: PNG encoding", "matplotlib.image", None, "imsave"),
)


def profile() -> int:
    """CPU time of the stages of one `actviz plot` run in this process (after a warm-up)."""
    import importlib

    os.environ["MPLBACKEND"] = "Agg"
    sys.path.insert(0, str(ROOT / "src"))
    start = time.process_time()
    import matplotlib.figure  # noqa: F401  (what the command imports first)
    from matplotlib.backends import backend_agg  # noqa: F401

    imported = time.process_time()
    import actviz.registry  # noqa: F401  (the 48 definitions, locales)

    registry = time.process_time()
    from actviz.cli import main as cli_main
    from actviz.plotting import figures  # noqa: F401

    ours = time.process_time()
    spent: dict[str, float] = {}
    for label, module, _, name in PROFILE:
        owner = importlib.import_module(module)
        original = getattr(owner, name)

        def timed(*a, _original=original, _label=label, **kw):
            t = time.process_time()
            try:
                return _original(*a, **kw)
            finally:
                spent[_label] = spent.get(_label, 0.0) + time.process_time() - t

        setattr(owner, name, timed)
    with tempfile.TemporaryDirectory() as work:
        cwd = os.getcwd()
        os.chdir(work)
        try:
            run_start = time.process_time()
            with open(os.devnull, "w") as devnull:
                stdout, sys.stdout = sys.stdout, devnull
                try:
                    cli_main(PLOT_ARGS)
                finally:
                    sys.stdout = stdout
            run = time.process_time() - run_start
        finally:
            os.chdir(cwd)
    print("one `actviz plot sigmoid tanh --derivative --regions -o f.png`, CPU ms, this process:")
    print(f"  {'import matplotlib (figure, Agg)':36s} {(imported - start) * 1000:6.1f}")
    print(f"  {'registry start-up (import)':36s} {(registry - imported) * 1000:6.1f}")
    print(f"  {'import actviz (cli, plotting)':36s} {(ours - registry) * 1000:6.1f}")
    print(f"  {'the command (first run)':36s} {run * 1000:6.1f}")
    for label, *_ in PROFILE:
        print(f"    {label:34s} {spent.get(label, 0.0) * 1000:6.1f}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--profile", action="store_true",
                        help="print where one plot run spends its CPU time, and stop")
    args = parser.parse_args()
    if args.profile:
        return profile()
    py = sys.executable
    with tempfile.TemporaryDirectory() as work:
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), MPLBACKEND="Agg",
                   PYTHONPYCACHEPREFIX=str(Path(work) / "pycache"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        script = Path(work) / "post.py"
        script.write_text(POST_SCRIPT, encoding="utf-8")
        cases = {
            "post script (pyplot)": [py, str(script)],
            "actviz plot sigmoid tanh --derivative --regions": [py, "-m", "actviz", *PLOT_ARGS],
            "actviz --help": [py, "-m", "actviz", "--help"],
            "actviz list": [py, "-m", "actviz", "list"],
        }
        for argv in cases.values():  # warm the disk cache, font cache and bytecode cache
            timed(argv, work, env)
        times: dict[str, list[float]] = {name: [] for name in cases}
        cpu: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.rounds):
            for name, argv in cases.items():  # alternating, same conditions
                wall, used = timed(argv, work, env)
                times[name].append(wall)
                cpu[name].append(used)
    med = {name: statistics.median(values) for name, values in times.items()}
    cpu_med = {name: statistics.median(values) for name, values in cpu.items()}
    width = max(len(n) for n in med)
    print(f"{'case'.ljust(width)}  wall median (min-max)   cpu median   "
          f"({args.rounds} rounds, alternating; {os.cpu_count()} cores, load "
          f"{os.getloadavg()[0]:.1f})")
    for name, values in times.items():
        print(f"{name.ljust(width)}  {med[name]:.3f} s ({min(values):.3f}-{max(values):.3f})"
              f"   {cpu_med[name]:.3f} s")
    post_name = "post script (pyplot)"
    ours_name = "actviz plot sigmoid tanh --derivative --regions"
    pairs = sorted(o / p for o, p in zip(times[ours_name], times[post_name], strict=True))
    cpu_pairs = sorted(o / p for o, p in zip(cpu[ours_name], cpu[post_name], strict=True))
    ratio = med[ours_name] / med[post_name]
    print(f"RATIO actviz plot / post script: wall {ratio:.3f}, "
          f"cpu {cpu_med[ours_name] / cpu_med[post_name]:.3f} (goal <= 1.0: "
          f"{'met' if ratio <= 1.0 else 'NOT met'}); median of the {len(pairs)} pairs: wall "
          f"{statistics.median(pairs):.3f}, cpu {statistics.median(cpu_pairs):.3f}")
    for name in ("actviz --help", "actviz list"):
        verdict = "ok" if med[name] < 0.3 else "over"
        print(f"{name}: wall {med[name]:.3f} s, cpu {cpu_med[name]:.3f} s "
              f"(goal < 0.3 s: {verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
