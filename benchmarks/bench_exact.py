"""Worst ulp error of f and f' per activation: actviz, PyTorch and (if importable) JAX.

Same points and the same mpmath reference (50 digits) as tests/activations/test_exact.py:
|x| log-spaced 1e-300..1e300 on both signs, a dense grid on [-30, 30], tails to
+-760, points beside every breakpoint and switch point; every built-in at its
defaults, each sweep value and a few parameter values that are not powers of two.
Errors are in ulps of the exact value, with the test's floors (values below
2^-1000 count in ulps of 2^-1000; within 5% of a non-zero root of f', f' counts in
ulps of max(|f'|, 1, |x|)).  PyTorch: float64 forward and autograd backward.
JAX (float64, x64 enabled) is skipped when it is not installed.

    PYTHONPATH=src python benchmarks/bench_exact.py [--scale N] [--only NAME ...]

Budget: 4 ulps for f, 16 for f'.  Rows over budget are marked with '!'.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from tests.activations import mp_reference as ref
from tests.activations.exact_points import exact_variants, points, torch_values

F_BUDGET, D_BUDGET = 4.0, 16.0


JAX_NAMES = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "relu", "relu6": "relu6",
             "silu": "silu", "softplus": "softplus", "elu": "elu", "selu": "selu",
             "celu": "celu", "gelu": "gelu", "logsigmoid": "log_sigmoid",
             "softsign": "soft_sign", "hardtanh": "hard_tanh", "hardsigmoid": "hard_sigmoid",
             "hardswish": "hard_swish", "leaky_relu": "leaky_relu", "mish": "mish",
             "squareplus": "squareplus", "sparse_plus": "sparse_plus",
             "sparse_sigmoid": "sparse_sigmoid", "identity": "identity"}


def _jax_values(jax, act, x):
    import jax.numpy as jnp

    name = JAX_NAMES.get(act.name)
    if name is None or not hasattr(jax.nn, name) or (act.params and act.name not in (
            "gelu", "leaky_relu", "elu", "celu", "squareplus")):
        return None
    fn = getattr(jax.nn, name)
    kwargs = {}
    if act.name == "gelu":
        kwargs = {"approximate": act.params["approximate"] == "tanh"}
    elif act.name == "leaky_relu":
        kwargs = {"negative_slope": act.params["negative_slope"]}
    elif act.name in ("elu", "celu"):
        kwargs = {"alpha": act.params["alpha"]}
    elif act.name == "squareplus":
        kwargs = {"b": act.params["b"]}

    def f(v):
        return fn(v, **kwargs)

    xs = jnp.asarray(x)
    y = np.asarray(jax.vmap(f)(xs))
    g = np.asarray(jax.vmap(jax.grad(f))(xs))
    return y, g


def _worst(err, x):
    i = int(np.argmax(err))
    return float(err[i]), float(x[i])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, help="multiply the point counts")
    parser.add_argument("--only", nargs="*", help="activation names")
    args = parser.parse_args(argv)
    try:
        import torch  # noqa: F401
        has_torch = True
    except ImportError:
        has_torch = False
    try:
        import jax

        jax.config.update("jax_enable_x64", True)
    except ImportError:
        jax = None
    print(f"load: {os.getloadavg()[0]:.2f} (1 min)  torch: {'yes' if has_torch else 'no'}  "
          f"jax: {'yes' if jax else 'not installed, skipped'}")
    header = f"{'variant':58s} {'n':>5s} {'f':>9s} {'fprime':>9s}"
    header += f" {'torch f':>9s} {'torch fp':>9s}" if has_torch else ""
    header += f" {'jax f':>9s} {'jax fp':>9s}" if jax else ""
    print(header)
    start = time.perf_counter()
    summary = {"actviz": [0, 0, 0], "torch": [0, 0, 0], "jax": [0, 0, 0]}
    worst_rows = []
    for act in exact_variants():
        if args.only and act.name not in args.only:
            continue
        x = points(act, scale=args.scale)
        with np.errstate(all="ignore"):
            ef, ed = ref.ulp_errors(act, x, act(x), act.grad(x))
        (wf, xf), (wd, xd) = _worst(ef, x), _worst(ed, x)
        over = wf > F_BUDGET or wd > D_BUDGET
        summary["actviz"][0] += 1
        summary["actviz"][1] += over
        row = f"{act.label[:58]:58s} {x.size:5d} {wf:9.3g} {wd:9.3g}"
        worst_rows.append((max(wf / F_BUDGET, wd / D_BUDGET), act.label, wf, xf, wd, xd))
        for lib, has in (("torch", has_torch and act.definition.torch is not None),
                         ("jax", jax is not None)):
            if lib == "jax" and jax is None:
                continue
            if lib == "torch" and not has_torch:
                continue
            values = None
            if has:
                values = torch_values(act, x) if lib == "torch" else _jax_values(jax, act, x)
            if values is None:
                row += f" {'-':>9s} {'-':>9s}"
                continue
            tf, td = ref.ulp_errors(act, x, *values)
            tf = np.where(np.isnan(values[0]), np.inf, tf)
            row += f" {np.max(tf):9.3g} {np.max(td):9.3g}"
            summary[lib][0] += 1
            summary[lib][1] += np.max(tf) > F_BUDGET or np.max(td) > D_BUDGET
        print(row + ("  !" if over else ""), flush=True)
    print()
    print("worst cases of actviz (error/budget, variant, f ulps at x, f' ulps at x):")
    for score, label, wf, xf, wd, xd in sorted(worst_rows, reverse=True)[:12]:
        print(f"  {score:8.3g}  {label}: f {wf:.3g} at x={xf!r}, f' {wd:.3g} at x={xd!r}")
    print()
    for lib, (n, over, _) in summary.items():
        if n:
            print(f"{lib}: {over} of {n} variants over budget (f > {F_BUDGET:g} or "
                  f"f' > {D_BUDGET:g} ulps)")
    print(f"time: {time.perf_counter() - start:.1f} s; load now {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
