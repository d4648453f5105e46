"""Numerical truth of every activation, PyTorch or not.

- stable at the extremes: no RuntimeWarning (pytest turns them into errors)
  for x in {+-0, +-1e-310, +-1e308, +-inf}; nan in gives nan out;
- dtype and shape preserved;
- the analytic derivative equals central differences away from breakpoints;
- the values at +-inf are the limits (f(1e308) when bounded, inf with the sign
  of f(1e308) when not), except for periodic functions.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import actviz
from tests.conftest import variants

SPECIAL = {
    np.float64: np.array([0.0, -0.0, 1e-310, -1e-310, 1e308, -1e308, np.inf, -np.inf, 1.0, -1.0]),
    # float32's own extremes: its largest value and a subnormal
    np.float32: np.array([0.0, -0.0, 1e-44, -1e-44, 3e38, -3e38, np.inf, -np.inf, 1.0, -1.0],
                         dtype=np.float32),
}


VARIANTS = variants()


@pytest.mark.parametrize("act", VARIANTS)
def test_special_values_without_warnings(act):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for dtype in (np.float64, np.float32):
            x = SPECIAL[dtype]
            y, g = act(x), act.grad(x)
            assert y.dtype == dtype and g.dtype == dtype
            finite = np.isfinite(x)
            assert not np.isnan(y[finite]).any(), f"{act.label}: nan at finite x"
            assert not np.isnan(g[finite]).any(), f"{act.label}: nan derivative at finite x"
            if not act.properties.periodic:
                assert not np.isnan(y).any(), f"{act.label}: nan at +-inf"
                assert not np.isnan(g).any(), f"{act.label}: nan derivative at +-inf"


@pytest.mark.parametrize("act", VARIANTS)
def test_nan_in_gives_nan_out(act):
    x = np.array([np.nan, 1.0, np.nan])
    assert np.isnan(act(x)[[0, 2]]).all()
    assert np.isnan(act.grad(x)[[0, 2]]).all()
    assert not np.isnan(act(x)[1])


@pytest.mark.parametrize("act", [v for v in VARIANTS if not v.values[0].properties.periodic])
def test_limits_at_infinity(act):
    for sign in (1.0, -1.0):
        at_inf = float(act(np.array([sign * math.inf]))[0])
        far = float(act(np.array([sign * 1e300]))[0])
        if math.isinf(at_inf):
            assert abs(far) > 1e100 and math.copysign(1, far) == math.copysign(1, at_inf)
        else:
            assert at_inf == pytest.approx(far, rel=1e-9, abs=1e-12), act.label


@pytest.mark.parametrize("act", VARIANTS)
def test_shape_and_scalar(act):
    x = np.linspace(-3, 3, 24).reshape(2, 3, 4)
    assert act(x).shape == (2, 3, 4)
    assert act.grad(x).shape == (2, 3, 4)
    assert np.ndim(act(0.5)) == 0
    np.testing.assert_array_equal(act([1, 2]), act(np.array([1.0, 2.0])))  # ints -> float64


@pytest.mark.parametrize("act", VARIANTS)
def test_derivative_matches_central_differences(act):
    x = np.linspace(-8, 8, 1601) + 1e-3  # avoid landing exactly on breakpoints
    keep = np.ones_like(x, dtype=bool)
    for b in act.breakpoints:
        keep &= np.abs(x - b) > 1e-3
    x = x[keep]
    h = 1e-5
    numeric = (act(x + h) - act(x - h)) / (2 * h)
    np.testing.assert_allclose(act.grad(x), numeric, rtol=1e-6, atol=1e-7, err_msg=act.label)


def test_relu_kink_and_blog_facts():
    relu = actviz.get("relu")
    assert relu.grad(0.0) == 0.0
    assert relu.grad(1e-300) == 1.0
    sigmoid = actviz.get("sigmoid")
    assert sigmoid.grad(0.0) == 0.25  # the largest slope: each layer multiplies by <= 1/4
    assert sigmoid.grad(np.linspace(-50, 50, 10001)).max() == 0.25
    leaky = actviz.get("leaky_relu:negative_slope=0.1")
    np.testing.assert_allclose(leaky(np.array([-10.0, 0.0, 10.0])), [-1.0, 0.0, 10.0])


def test_tail_accuracy_beyond_naive_formulas():
    """The stable forms keep relative accuracy where naive ones cancel to 0 or overflow."""
    sigmoid = actviz.get("sigmoid")
    assert sigmoid(-745.0) > 0  # 1/(1+exp(745)) overflows naively
    assert sigmoid.grad(-40.0) == pytest.approx(math.exp(-40), rel=1e-12)
    softplus = actviz.get("softplus")
    assert softplus(-40.0) == pytest.approx(math.log1p(math.exp(-40)), rel=1e-12)
    tanh = actviz.get("tanh")
    assert tanh.grad(20.0) == pytest.approx(4 * math.exp(-40), rel=1e-9)
    clip = actviz.get("soft_clipping")
    assert clip(1e308) == 1.0 and clip(-1e308) == 0.0


def test_sinc_is_unnormalised():
    sinc = actviz.get("sinc")
    assert sinc(0.0) == 1.0
    assert sinc(math.pi) == pytest.approx(0.0, abs=1e-15)
    assert sinc(1.0) == pytest.approx(math.sin(1.0))
