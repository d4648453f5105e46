"""Benchmark: formulas against the built-ins they are made of, measured side by side.

Three goals (issue 12), each printed as medians and a ratio:

1. parse + differentiate a formula of about 200 characters: < 50 ms (a fresh text each
   run, so nothing is cached);
2. evaluating a formula built from built-ins, f and f' on 1e6 points, costs at most
   1.5x the same built-ins called directly (mish and silu twins, alternating);
3. ``actviz plot "x * tanh(softplus(x))"`` takes at most 1.1x ``actviz plot mish``
   (whole process, alternating after one warm-up of each).

    python benchmarks/bench_formula.py [--repeat 7] [--processes 5]

The machine may be busy: ``uptime`` is printed beside the numbers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

import numpy as np  # noqa: E402

import actviz  # noqa: E402
from actviz.formula import parse  # noqa: E402

LONG = ("x * tanh(softplus(beta * x)) + where(x > 0, alpha * x^2 / (1 + x^2), "
        "gamma * (exp(x) - 1)) - 0.1 * abs(x - 1) + min(max(x, -3), 3) * erf(x / sqrt(2)) "
        "+ log1p(x^2) / (2 + cos(x)) + elu(x, alpha=2); beta=1.0, alpha=0.5, gamma=1.5")


def median_ms(samples) -> float:
    return statistics.median(samples) * 1e3


def bench_parse(repeat: int) -> None:
    expression = LONG.split(";")[0]
    print(f"1. parse + differentiate ({len(expression)} characters of formula, "
          f"{len(LONG)} with its parameters)")
    times = []
    for k in range(max(repeat, 20)):
        text = LONG.replace("0.1 *", f"0.{k + 1} *")  # a new text: nothing cached
        start = time.perf_counter()
        parse(text)
        times.append(time.perf_counter() - start)
    print(f"   median {median_ms(times):.2f} ms, max {max(times) * 1e3:.2f} ms "
          "(goal < 50 ms)")


def bench_eval(repeat: int) -> None:
    print("2. evaluate f and f' on 1e6 points: formula / built-in")
    x = np.linspace(-20, 20, 1_000_000)
    for text, twin in [("x * tanh(softplus(x))", "mish"), ("x * sigmoid(x)", "silu")]:
        formula, builtin = actviz.get(text), actviz.get(twin)
        formula(x), builtin(x), formula.grad(x), builtin.grad(x)  # warm up
        timings: dict[str, list[float]] = {"formula": [], "builtin": []}
        for _ in range(repeat):
            for label, act in (("formula", formula), ("builtin", builtin)):
                start = time.perf_counter()
                act(x)
                act.grad(x)
                timings[label].append(time.perf_counter() - start)
        f, b = median_ms(timings["formula"]), median_ms(timings["builtin"])
        print(f"   {text!r} {f:.1f} ms vs {twin} {b:.1f} ms: ratio {f / b:.2f} "
              "(goal <= 1.5)")


def bench_plot(processes: int) -> None:
    print("3. whole process: actviz plot FORMULA / actviz plot mish")
    # byte-code caches written in the warm-up, as an installed package has them
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(SRC), MPLBACKEND="Agg")
    runs = {"formula": ["x * tanh(softplus(x))"], "mish": ["mish"]}
    timings: dict[str, list[float]] = {k: [] for k in runs}
    with tempfile.TemporaryDirectory() as tmp:
        def once(label: str) -> float:
            out = Path(tmp) / f"{label}.png"
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "actviz", "plot", *runs[label], "-o",
                            str(out)], check=True, env=env, capture_output=True)
            return time.perf_counter() - start

        once("formula"), once("mish")  # warm-up (file caches)
        for _ in range(processes):
            for label in runs:
                timings[label].append(once(label))
    f, m = median_ms(timings["formula"]), median_ms(timings["mish"])
    print(f"   formula {f:.0f} ms vs mish {m:.0f} ms: ratio {f / m:.3f} (goal <= 1.1)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--processes", type=int, default=5)
    args = parser.parse_args()
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"uptime: {load}")
    bench_parse(args.repeat)
    bench_eval(args.repeat)
    bench_plot(args.processes)
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"uptime: {load}")


if __name__ == "__main__":
    main()
