"""Every activation with a PyTorch counterpart agrees with PyTorch in float64.

Values against torch.nn.functional (through the registry's nn.Module builder)
and derivatives against torch.autograd, on a dense grid that contains every
breakpoint exactly (so kink conventions are compared), random points and
large |x|, for the default parameters and every sweep value.

PyTorch is not the truth: where it is inexact (tanhshrink near 0, sigmoid, tanh and
softsign derivatives flushed to 0 in the tails, GELU's and softplus's tails, a float32
1/6 in hardsigmoid's backward) actviz is exact and PyTorch is not.  The agreement
test's absolute floor (ATOL) therefore stands for "both are ~0 here" (actviz's own
values near 0 and in the tails are checked against mpmath in test_exact.py), and
``test_where_torch_is_inexact_actviz_is_exact`` compares both against the mpmath
reference where PyTorch is off.
"""

from __future__ import annotations

import numpy as np
import pytest

import actviz
from tests.activations.exact_points import torch_values
from tests.conftest import require, variants

torch = require("torch")

RTOL = 1e-12
ATOL = 1e-14  # the absolute floor near 0 (PyTorch computes e.g. 1 - tanh^2 by cancellation)
# PyTorch's hardsigmoid/hardswish backward multiplies by a float32 constant 1/6 even in
# float64 (0.1666666716...), so their derivatives agree only to float32 precision.
DERIVATIVE_RTOL = {"hardsigmoid": 1e-7, "hardswish": 1e-7}



def _points(act) -> np.ndarray:
    rng = np.random.default_rng(20251127)
    dense = np.linspace(-12, 12, 4801)
    rand = rng.normal(0, 5, 2000)
    large = np.concatenate([np.logspace(1, 300, 300), -np.logspace(1, 300, 300)])
    return np.unique(np.concatenate([dense, rand, large, act.breakpoints, [0.0, -0.0]]))


@pytest.mark.parametrize("act", variants(torch_only=True))
def test_values_and_derivatives_match_torch(act):
    x = _points(act)
    y_t, g_t = torch_values(act, x)
    y, g = act(x), act.grad(x)
    both = np.isfinite(y_t)
    np.testing.assert_allclose(y[both], y_t[both], rtol=RTOL, atol=ATOL,
                               err_msg=f"{act.label}: f differs from PyTorch")
    both = np.isfinite(g_t)
    rtol = DERIVATIVE_RTOL.get(act.name, RTOL)
    np.testing.assert_allclose(g[both], g_t[both], rtol=rtol, atol=ATOL,
                               err_msg=f"{act.label}: f' differs from PyTorch autograd")
    # where PyTorch overflows to nan/inf in the tails, ours must still be a number
    assert np.all(~np.isnan(y)), f"{act.label}: nan for finite input"
    assert np.all(~np.isnan(g)), f"{act.label}: nan derivative for finite input"


@pytest.mark.parametrize("act", variants(torch_only=True))
def test_kink_conventions_match_autograd(act):
    """At each breakpoint, f'(b) is the value PyTorch's autograd gives (e.g. relu'(0) = 0)."""
    points = np.asarray(act.breakpoints or (0.0,), dtype=np.float64)
    _, g_t = torch_values(act, points)
    rtol = DERIVATIVE_RTOL.get(act.name, 1e-15)
    np.testing.assert_allclose(act.grad(points), g_t, rtol=rtol, atol=0)


def test_float32_is_as_accurate_as_torch_float32():
    """In float32 our error against the float64 truth is no worse than PyTorch's own (x2)."""
    x64 = np.linspace(-20, 20, 1001)
    x32 = x64.astype(np.float32)
    for name in ("sigmoid", "tanh", "gelu", "silu", "mish", "softplus", "elu", "selu",
                 "logsigmoid", "softsign", "hardswish"):
        act = actviz.get(name)
        truth = act(x32.astype(np.float64))
        ours = act(x32)
        assert ours.dtype == np.float32
        theirs = act.torch_module().eval()(torch.from_numpy(x32)).detach().numpy()
        scale = np.maximum(np.abs(truth), 1e-30)
        our_error = np.abs(ours - truth) / scale
        their_error = np.abs(theirs - truth) / scale
        tiny = np.abs(truth) < 1e-6  # where float32 has no relative accuracy left
        assert np.max(our_error[~tiny]) <= max(2 * np.max(their_error[~tiny]), 1e-6), name


def test_every_elementwise_torch_activation_is_registered():
    """All elementwise activations of torch.nn have an entry whose builder makes that class."""
    from torch import nn

    expected = {"ELU", "Hardshrink", "Hardsigmoid", "Hardtanh", "Hardswish", "LeakyReLU",
                "LogSigmoid", "PReLU", "ReLU", "ReLU6", "RReLU", "SELU", "CELU", "GELU",
                "Sigmoid", "SiLU", "Mish", "Softplus", "Softshrink", "Softsign", "Tanh",
                "Tanhshrink", "Threshold"}
    built = {type(actviz.get(n).torch_module()).__name__
             for n in actviz.names() if actviz.get(n).definition.torch is not None}
    assert expected <= built, f"missing: {expected - built}"
    for cls in expected:
        assert hasattr(nn, cls)


def test_rrelu_is_compared_in_evaluation_mode():
    act = actviz.get("rrelu")
    module = act.torch_module().double().eval()
    x = torch.tensor([-2.0, -1.0, 3.0], dtype=torch.float64)
    np.testing.assert_allclose(module(x).numpy(), act(x.numpy()), rtol=0, atol=1e-15)
    assert act.grad(np.array([-1.0]))[0] == pytest.approx((1 / 8 + 1 / 3) / 2)



# (spec, x, which): points where PyTorch float64 is off by more than the ulp budget
# (docs/DESIGN.md, "Exactness", cites them); measured against the mpmath reference.
TORCH_INEXACT = [
    ("tanhshrink", 1e-10, "f"),  # x - tanh x cancels to 0; truth x^3/3
    ("gelu", -8.625, "f"),  # the left tail
    ("softplus:beta=5", -115.2, "f"),  # beta*x rounded, then amplified by exp
    ("sigmoid", 200.0, "f'"),  # sigma(x)(1 - sigma(x)) flushed to 0
    ("tanh", -22.875, "f'"),  # 1 - tanh^2 flushed to 0
    ("softsign", -1e115, "f'"),  # flushed to 0
    ("hardsigmoid", 0.0, "f'"),  # a float32 1/6 in the backward
    ("celu:alpha=3", -553.0, "f'"),  # x/alpha rounded, then amplified by exp
]


@pytest.mark.parametrize(("spec", "x", "which"), TORCH_INEXACT)
def test_where_torch_is_inexact_actviz_is_exact(spec, x, which):
    """The agreement test cannot force PyTorch's errors on us: here it is off, we are not."""
    require("mpmath")
    from tests.activations import mp_reference as ref

    act = actviz.get(spec)
    points = np.array([x])
    y_t, g_t = torch_values(act, points)
    ours = ref.ulp_errors(act, points, act(points), act.grad(points))
    theirs = ref.ulp_errors(act, points, y_t, g_t)
    k, budget = (0, 4.0) if which == "f" else (1, 16.0)
    assert ours[k][0] <= budget, f"{spec}: our {which} is off the reference"
    assert theirs[k][0] > budget, f"{spec}: PyTorch's {which} is exact now; update the docs"
