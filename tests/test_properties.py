"""Declared properties agree with the ones measured numerically, for every activation."""

from __future__ import annotations

import math

import pytest

import actviz
from actviz.properties import analyse, compute_properties, disagreements
from tests.conftest import variants


@pytest.mark.parametrize("act", variants())
def test_declared_properties_agree_with_measured(act):
    assert disagreements(act) == []


@pytest.mark.parametrize(("spec", "expected"), [
    ("sigmoid", dict(range=(0, 1), smoothness=math.inf, monotonic=True, saturates="both",
                     dead_region=False, zero_centered=False, identity_near_origin=False)),
    ("tanh", dict(range=(-1, 1), zero_centered=True, identity_near_origin=True,
                  saturates="both")),
    ("relu", dict(range=(0, math.inf), smoothness=0, saturates="left", dead_region=True,
                  derivative_monotonic=True)),
    ("leaky_relu:negative_slope=0.1", dict(range=(-math.inf, math.inf), dead_region=False,
                                           saturates="none", zero_centered=True)),
    ("binary_step", dict(smoothness=-1, dead_region=True)),
    ("hardshrink", dict(smoothness=-1, dead_region=True, monotonic=True)),
    ("softsign", dict(smoothness=1)),
    ("elu", dict(smoothness=1)),
    ("elu:alpha=2", dict(smoothness=0, derivative_monotonic=False)),
    ("selu", dict(smoothness=0, range=(-1.0507009873554805 * 1.6732632423543772, math.inf))),
    ("gelu", dict(monotonic=False, saturates="left")),
    ("sinusoid", dict(periodic=True, monotonic=False)),
])
def test_measured_values(spec, expected):
    props = compute_properties(spec)
    for key, value in expected.items():
        if key == "range":
            assert props.range.low == pytest.approx(value[0])
            assert props.range.high == pytest.approx(value[1])
        else:
            assert getattr(props, key) == value, key


def test_measurement_detects_a_wrong_declaration():
    """The check can fail: a sigmoid declared as unbounded and dead is caught."""
    import numpy as np

    from actviz.registry import Interval, Properties

    wrong = Properties(range=Interval(0, math.inf), smoothness=math.inf, monotonic=True,
                       derivative_monotonic=False, zero_centered=False,
                       identity_near_origin=False, saturates="none", dead_region=True)
    actviz.register("bad_sigmoid", lambda x: 1 / (1 + np.exp(-np.clip(x, -500, 500))),
                    properties=wrong)
    try:
        problems = " ".join(disagreements("bad_sigmoid"))
        for word in ("range high", "saturates", "dead_region"):
            assert word in problems
    finally:
        actviz.unregister("bad_sigmoid")


def test_analysis_classifies_breakpoints():
    assert analyse("relu").kinks == (0.0,)
    assert analyse("binary_step").jumps == (0.0,)
    assert analyse("smelu").curvature_breaks == (-1.0, 1.0)
    assert analyse("sigmoid").undeclared_jumps == ()
    f0 = analyse("sigmoid")
    assert f0.f0 == 0.5 and f0.df0_left == pytest.approx(0.25)
