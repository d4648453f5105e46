"""The points and variants on which exactness is measured (shared by the test and the benchmark).

Points, for every variant: |x| log-spaced from 1e-300 to 1e300 on both signs, a
dense grid on [-30, 30] (plus off-grid random points there), the tails out to
+-760, and points beside every breakpoint and every switch point inside the
implementation (series cut-offs, softplus's threshold, clipping constants).

Variants: every built-in at its defaults and at each sweep value, plus
parameter values that are not powers of two.
"""

from __future__ import annotations

import math

import numpy as np

from actviz.activations import _numerics as nx
from actviz.activations import classics, shrinkage, smooth_gates

# Parameter values that are not powers of two (the sweeps are mostly 0.5, 1, 2, ...).
EXTRA_PARAMS: dict[str, tuple[dict, ...]] = {
    "hardtanh": ({"min_val": -0.3, "max_val": 0.7},),
    "isru": ({"alpha": 0.3}, {"alpha": 3.0}),
    "soft_clipping": ({"alpha": 0.3}, {"alpha": 3.3}, {"alpha": 100.0}),
    "leaky_relu": ({"negative_slope": 0.37},),
    "prelu": ({"weight": 0.3},),
    "rrelu": ({"lower": 0.1, "upper": 0.3},),
    "elu": ({"alpha": 0.3}, {"alpha": 3.0}),
    "celu": ({"alpha": 0.3}, {"alpha": 3.0}),
    "softplus": ({"beta": 0.3}, {"beta": 3.7, "threshold": 17.3}, {"beta": 100.0}),
    "squareplus": ({"b": 0.7}, {"b": 3.0}),
    "threshold": ({"threshold": 0.3, "value": -0.7},),
    "isrlu": ({"alpha": 0.3}, {"alpha": 3.0}),
    "srelu": ({"left_threshold": -0.3, "left_slope": 0.3, "right_threshold": 0.7,
               "right_slope": 0.7},),
    "smelu": ({"beta": 0.3},),
    "hardshrink": ({"lambd": 0.3},),
    "softshrink": ({"lambd": 0.3},),
    "snake": ({"a": 0.3}, {"a": 3.3}),
}


def exact_variants(*, torch_only: bool = False) -> list:
    """Every built-in at its defaults, each sweep value and the EXTRA_PARAMS values."""
    from tests.conftest import sweep_variants

    found = list(dict.fromkeys(sweep_variants(torch_only=torch_only)))
    seen = set(found)
    for act in list(found):
        if dict(act.params) != act.definition.defaults:
            continue
        for extra in EXTRA_PARAMS.get(act.name, ()):
            variant = act.with_params(**extra)
            if variant not in seen:
                seen.add(variant)
                found.append(variant)
    return found


def torch_values(act, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """PyTorch's float64 f(x) and autograd f'(x) for ``act`` (torch imported here)."""
    import torch

    module = act.torch_module().double().eval()
    if act.name == "prelu":  # its weight was stored in float32; restore the exact float64 value
        with torch.no_grad():
            module.weight.fill_(act.params["weight"])
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    y = module(t)
    (g,) = torch.autograd.grad(y.sum(), t)
    return y.detach().numpy(), g.numpy()


def switch_points(act) -> list[float]:
    """x where the implementation changes formula (beyond the declared breakpoints)."""
    points = [1.0, nx.SQUARE_CLIP, nx.PRODUCT_CLIP, nx.SPLIT_LIMIT]
    name, p = act.name, act.params
    if name == "sinc":
        points += [classics.SINC_SMALL, classics.SINC_SERIES]
    if name == "tanhshrink":
        points += [shrinkage.TANHSHRINK_SERIES]
    if name == "softplus":
        points += [p["threshold"] / p["beta"]]
    if name == "soft_clipping":
        points += [0.0, 0.5, 1.0, 2.0]
    if name == "tanh_exp":
        points += [20.0]
    if name == "gelu":
        points += [30.0 * math.sqrt(2)]  # erfc_dd's clip of the correction term
    key = "gelu_tanh" if name == "gelu" and p["approximate"] == "tanh" else name
    if key in smooth_gates.ROOT_SERIES:
        (root, _), _ = smooth_gates.ROOT_SERIES[key]
        points += [root - smooth_gates.ROOT_SERIES_RADIUS, root + smooth_gates.ROOT_SERIES_RADIUS]
    return [v for b in points for v in (b, -b)]


def _beside(point: float) -> list[float]:
    near = [point, np.nextafter(point, np.inf), np.nextafter(point, -np.inf)]
    for k in (4, 64):
        near += [point + k * np.spacing(point), point - k * np.spacing(point)]
    for rel in (1e-12, 1e-8, 1e-5, 1e-3, 3e-2):
        step = rel * max(1.0, abs(point))
        near += [point + step, point - step]
    return near


def points(act, *, scale: int = 1) -> np.ndarray:
    """The finite float64 points for one variant; ``scale`` multiplies the point counts."""
    rng = np.random.default_rng(11)
    logs = np.logspace(-300, 300, 121 * scale)
    dense = np.linspace(-30, 30, 481 * scale)
    offgrid = rng.uniform(-30, 30, 120 * scale)
    small = rng.uniform(-3, 3, 120 * scale)
    tails = np.linspace(30, 760, 61 * scale)
    special = []
    for b in [*act.breakpoints, *switch_points(act), 0.0]:
        special += _beside(float(b))
    x = np.concatenate([logs, -logs, dense, offgrid, small, tails, -tails, special])
    x = x[np.isfinite(x)]
    return np.unique(x)
