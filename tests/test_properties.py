"""Declared properties agree with the ones measured numerically, for every activation."""

from __future__ import annotations

import math
import os
import subprocess
import sys

import numpy as np
import pytest

import actviz
from actviz.properties import analyse, compute_properties, disagreements
from actviz.registry import Interval, Properties, ValueSet
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


# --------------------------------------------------------------------------- user functions


def _bump(x, width=1.0):  # the README's example
    return np.exp(-(x / width) ** 2)


TWINS = {  # built-in -> a user's NumPy version of it, without a derivative
    "tanh": dict(function=np.tanh),
    "gaussian": dict(function=_bump, params={"width": 1.0}),
    "softsign": dict(function=lambda x: x / (1 + np.abs(x)), breakpoints=(0.0,)),
    "relu": dict(function=lambda x: np.maximum(x, 0), breakpoints=(0.0,)),
    "elu": dict(function=lambda x: np.where(x > 0, x, np.exp(x) - 1), breakpoints=(0.0,)),
}


@pytest.fixture
def registered():
    """register(name, ...) for the test, unregistered afterwards."""
    names = []

    def add(name, function, **fields):
        actviz.register(name, function, **fields)
        names.append(name)
        return actviz.get(name)

    yield add
    for name in names:
        actviz.unregister(name)


@pytest.mark.parametrize("builtin", sorted(TWINS))
def test_registered_twin_measures_exactly_the_builtins_properties(builtin, registered):
    fields = dict(TWINS[builtin])
    twin = registered(f"my_{builtin}", fields.pop("function"), **fields)
    assert twin.numerical_derivative and twin.declared_properties is None
    expected = actviz.get(builtin).properties
    assert twin.properties == expected  # range closedness included
    assert str(twin.properties.range) == str(expected.range)


def test_readme_bump_is_gaussian_and_mytanh_is_neither_dead_nor_periodic(registered):
    bump = registered("bump", _bump, params={"width": 1.0}).properties
    assert str(bump.range) == "(0, 1]" and not bump.periodic and not bump.dead_region
    mytanh = registered("mytanh", np.tanh).properties
    assert not mytanh.dead_region and not mytanh.periodic
    assert mytanh.saturates == "both" and str(mytanh.range) == "(-1, 1)"


def test_measured_flat_and_periodic_user_functions(registered):
    # a real flat stretch without declared breakpoints is dead and attains its value
    flat = registered("my_flat_relu", lambda x: np.maximum(x, 0)).properties
    assert flat.dead_region and str(flat.range) == "[0, ∞)"
    wave = registered("my_wave", lambda x: x + np.sin(x) ** 2).properties  # only f' oscillates
    assert wave.periodic and wave.monotonic
    growing = registered("my_xsinx", lambda x: x * np.sin(x)).properties  # even, unbounded
    assert growing.periodic and str(growing.range) == "(-∞, ∞)"
    constant = registered("my_constant", lambda x: np.full_like(x, 3.0)).properties
    assert str(constant.range) == "{3}" and constant.dead_region and constant.monotonic
    domain = registered("my_sqrt", np.sqrt).properties  # nan below 0; monotonic where defined
    assert str(domain.range) == "[0, ∞)" and domain.monotonic
    assert registered("my_exp", np.exp).properties.monotonic  # exp(1e300) == exp(inf) == inf
    damped = registered("my_sinc", lambda x: np.sinc(x / np.pi)).properties  # f -> 0
    assert not damped.periodic and damped.range.high == 1 and damped.range.high_closed


def test_numerical_derivative_at_infinity_and_beside_breakpoints(registered):
    x = np.array([-np.inf, np.inf])
    assert registered("my_tanh", np.tanh).grad(x).tolist() == [0.0, 0.0]
    assert np.isnan(registered("my_sin", np.sin).grad(x)).all()
    relu = registered("my_relu", lambda x: np.maximum(x, 0), breakpoints=(0.0,))
    assert relu.grad(x).tolist() == pytest.approx([0.0, 1.0])
    # one-sided beside the kink: no smearing of 0 -> 1 over the stencil
    near = relu.grad(np.array([-1e-7, -1e-9, 0.0, 1e-9, 1e-7]))
    assert near.tolist() == pytest.approx([0.0, 0.0, 1.0, 1.0, 1.0], abs=1e-9)
    smeared = registered("my_relu_nobp", lambda x: np.maximum(x, 0)).grad(np.array([1e-7]))
    assert smeared[0] == pytest.approx(0.5, abs=0.01)  # what the breakpoint prevents
    assert np.isnan(relu.grad(np.array([np.nan]))).all()


# --------------------------------------------------------------------------- ranges that are sets


@pytest.mark.parametrize(("spec", "shown", "parts"), [
    ("binary_step", "{0, 1}", [{"value": 0.0}, {"value": 1.0}]),
    ("threshold:threshold=1,value=0", "{0} ∪ (1, ∞)",
     [{"value": 0.0}, {"low": 1.0, "high": "inf", "low_closed": False, "high_closed": False}]),
    ("hardshrink", "(-∞, -0.5) ∪ {0} ∪ (0.5, ∞)",
     [{"low": "-inf", "high": -0.5, "low_closed": False, "high_closed": False}, {"value": 0.0},
      {"low": 0.5, "high": "inf", "low_closed": False, "high_closed": False}]),
    ("threshold:threshold=1,value=1", "[1, ∞)",
     [{"low": 1.0, "high": "inf", "low_closed": True, "high_closed": False}]),
    ("relu", "[0, ∞)", [{"low": 0.0, "high": "inf", "low_closed": True, "high_closed": False}]),
])
def test_ranges_that_are_sets_show_as_sets(spec, shown, parts):
    act = actviz.get(spec)
    for props in (act.properties, compute_properties(act)):  # declared and measured
        assert str(props.range) == shown
        data = props.as_dict()
        assert data["range"] == shown and data["range_parts"] == parts
        low, high = parts[0].get("low", parts[0].get("value")), parts[-1].get(
            "high", parts[-1].get("value"))
        assert data["range_bounds"] == [low, high]


def test_value_set_merges_and_stays_an_interval_when_it_is_one():
    inf = math.inf
    assert ValueSet.of(Interval(0, 1), Interval(1, 2, low_closed=True)) == Interval(0, 2)
    assert ValueSet.of(0.0, Interval(0, inf)) == Interval(0, inf, low_closed=True)
    assert ValueSet.of(0.5, Interval(0, 1)) == Interval(0, 1)
    hole = ValueSet.of(Interval(-1, 0), Interval(0, 1), 5.0)  # 0 itself is not taken
    assert str(hole) == "(-1, 0) ∪ (0, 1) ∪ {5}" and len(hole.parts) == 3
    assert (0.0 in hole, 0.5 in hole, 5.0 in hole, 1.0 in hole) == (False, True, True, False)
    assert hole.as_tuple() == (-1, 5) and hole.low_closed is False and hole.high_closed is True
    assert str(ValueSet.of(-0.0, 1.0, Interval(2, 3))) == "{0, 1} ∪ (2, 3)"
    with pytest.raises(ValueError, match="disjoint"):
        ValueSet((Interval(0, 2), Interval(1, 3)))
    with pytest.raises(ValueError, match="two parts"):
        ValueSet((Interval(0, 1),))
    assert str(ValueSet.of(3.0, 3.0)) == "{3}" and ValueSet.of(3.0).as_tuple() == (3, 3)


def test_measurement_detects_a_wrong_closedness(registered):
    wrong = actviz.get("sigmoid").properties
    wrong = Properties(**{**wrong.__dict__, "range": Interval(0, 1, high_closed=True)})
    registered("closed_sigmoid", actviz.get("sigmoid"), properties=wrong)
    assert disagreements("closed_sigmoid") == ["range high 1: declared closed, measured open"]


def test_measuring_a_user_activation_does_not_import_the_analysis():
    code = ("import sys, numpy as np, actviz; actviz.register('t', np.tanh); "
            "actviz.get('t').properties; print('actviz.properties' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ})
    assert out.stdout.strip() == "False"
