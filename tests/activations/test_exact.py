"""Every built-in activation is exact to the last bits: within 4 ulps for f and 16 for f'.

Truth is an independent mpmath reference at 50 digits (tests/activations/mp_reference.py);
the points (exact_points.py) are |x| log-spaced from 1e-300 to 1e300 on both signs, a
dense grid and random points on [-30, 30], the tails to +-760 and points beside every
breakpoint and implementation switch point; the variants are the defaults, every sweep
value and parameter values that are not powers of two.  Errors count in ulps of the
exact value, with two floors: values below 2^-1000 count in ulps of 2^-1000, and within
5% (at least 0.05) of a non-zero root of f' (an extremum of f), f' counts in ulps of
max(|f'|, 1, |x|), where the exact value is a difference of O(1) terms.
"""

from __future__ import annotations

import numpy as np
import pytest

import actviz
from tests.conftest import require

require("mpmath")

from tests.activations import mp_reference as ref  # noqa: E402
from tests.activations.exact_points import EXTRA_PARAMS, exact_variants, points  # noqa: E402

F_BUDGET = 4.0
D_BUDGET = 16.0
VARIANTS = exact_variants()


def _worst(err, x):
    i = int(np.argmax(err))
    return f"{err[i]:.3g} ulps at x={x[i]!r}"


@pytest.mark.parametrize("act", VARIANTS, ids=[a.label for a in VARIANTS])
def test_within_ulp_budget(act):
    x = points(act)
    ef, ed = ref.ulp_errors(act, x, act(x), act.grad(x))
    assert ef.max() <= F_BUDGET, f"{act.label}: f off by {_worst(ef, x)}"
    assert ed.max() <= D_BUDGET, f"{act.label}: f' off by {_worst(ed, x)}"


def test_every_builtin_and_sweep_value_is_covered():
    labels = {a.label for a in VARIANTS}
    for name in actviz.names():
        act = actviz.get(name)
        assert act.label in labels
        for param in act.definition.params:
            for value in param.sweep:
                assert act.with_params(**{param.name: value}).label in labels
    assert set(EXTRA_PARAMS) <= set(actviz.names())


def test_reference_is_exact_where_known():
    """The reference itself: values known in closed form, to the last bit."""
    f_hi, f_lo, d_hi, _ = ref.reference(actviz.get("softsign"), np.array([1.0, -3.0]))
    np.testing.assert_array_equal(f_hi, [0.5, -0.75])
    np.testing.assert_array_equal(d_hi, [0.25, 1 / 16])
    np.testing.assert_array_equal(f_lo, [0.0, 0.0])
    _, _, d_hi, d_lo = ref.reference(actviz.get("hardsigmoid"), np.array([0.0, 3.0]))
    assert d_hi[0] == 1 / 6 and d_lo[0] != 0 and d_hi[1] == 0  # 1/6 rounded, f'(3) = 0
    f_hi, _, _, _ = ref.reference(actviz.get("tanhshrink"), np.array([1e-100]))
    assert f_hi[0] == pytest.approx(1e-300 / 3, rel=1e-15)  # x^3/3, no cancellation
    f_hi, _, d_hi, _ = ref.reference(actviz.get("relu"), np.array([-1.0, 0.0, 2.0]))
    np.testing.assert_array_equal(f_hi, [0.0, 0.0, 2.0])
    np.testing.assert_array_equal(d_hi, [0.0, 0.0, 1.0])  # f'(0) = 0, the documented kink


def test_the_budget_catches_a_one_ulp_bias_scaled_up():
    """The check can fail: a result 8 ulps off is reported, and the floors are as stated."""
    act = actviz.get("gaussian")
    x = np.array([0.5, 1.5, 30.0])
    f = act(x)
    ef, _ = ref.ulp_errors(act, x, f * (1 + 8 * 2.0 ** -52), act.grad(x))
    assert ef[0] > F_BUDGET and ef[1] > F_BUDGET
    assert ef[2] < 1  # e^-900 is below 2^-1000: counted in ulps of 2^-1000
    mish = actviz.get("mish")
    (root,) = ref.derivative_roots(mish)
    assert root == pytest.approx(-1.1924, abs=1e-4)
    near = ref.near_root(mish, np.array([root + 0.04, root + 0.2, 0.0]))
    np.testing.assert_array_equal(near, [True, False, False])


def test_float32_results_are_the_rounded_float64_ones():
    """float32 in, float32 out, computed in float64: within one float32 ulp of the truth."""
    x64 = np.linspace(-30, 30, 601)
    x32 = x64.astype(np.float32)
    for name in ("gaussian", "gelu", "softplus", "soft_clipping", "tanhshrink", "snake",
                 "lecun_tanh", "celu", "bent_identity", "sinc"):
        act = actviz.get(name)
        y32, g32 = act(x32), act.grad(x32)
        assert y32.dtype == np.float32 and g32.dtype == np.float32
        truth = act(x32.astype(np.float64))
        scale = np.spacing(np.abs(truth).astype(np.float32)).astype(np.float64)
        assert np.all(np.abs(y32 - truth) <= np.maximum(scale, 1e-44)), name
