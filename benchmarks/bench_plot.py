"""Time `actviz plot sigmoid tanh --derivative --regions -o f.png` against the post's own script.

Run from the repository root:  python benchmarks/bench_plot.py [--rounds 7]

Each round runs, alternating, in fresh subprocesses (cold interpreter, warm
disk cache): the original post's single-figure script (sigmoid and tanh with
pyplot, savefig instead of show) and the actviz command that draws more
(derivatives, saturation regions, jump/region legend).  Prints the medians
and the ratio actviz / script (goal: <= 1.0), wall-clock and CPU time (CPU time
is steadier on a busy machine), then the medians of
`actviz --help` and `actviz list` (goal: < 0.3 s each).
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), MPLBACKEND="Agg")
    py = sys.executable
    with tempfile.TemporaryDirectory() as work:
        script = Path(work) / "post.py"
        script.write_text(POST_SCRIPT, encoding="utf-8")
        cases = {
            "post script (pyplot)": [py, str(script)],
            "actviz plot sigmoid tanh --derivative --regions": [
                py, "-m", "actviz", "plot", "sigmoid", "tanh", "--derivative", "--regions",
                "-o", "f.png"],
            "actviz --help": [py, "-m", "actviz", "--help"],
            "actviz list": [py, "-m", "actviz", "list"],
        }
        for argv in cases.values():  # warm the disk cache and matplotlib's font cache
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
    print(f"ratio actviz plot / post script: wall {med[ours_name] / med[post_name]:.2f}, "
          f"cpu {cpu_med[ours_name] / cpu_med[post_name]:.2f} (goal <= 1.0)")
    for name in ("actviz --help", "actviz list"):
        verdict = "ok" if med[name] < 0.3 else "over"
        print(f"{name}: wall {med[name]:.3f} s, cpu {cpu_med[name]:.3f} s "
              f"(goal < 0.3 s: {verdict})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
