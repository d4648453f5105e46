"""Sampling for drawing: kinks on the grid, breaks at jumps, saturation and dead regions."""

from __future__ import annotations

import math

import numpy as np
import pytest

import actviz
from actviz.errors import ActvizError
from actviz.sampling import regions, sample


def test_values_equal_the_registry_away_from_breaks():
    for name in actviz.names():
        curve = sample(name, (-5, 5), 201)
        act = curve.activation
        ok = ~np.isnan(curve.y)
        single = np.array([np.sum(curve.x == v) == 1 for v in curve.x])
        np.testing.assert_array_equal(curve.y[ok & single], act(curve.x[ok & single]))
        ok = ~np.isnan(curve.dy)
        np.testing.assert_array_equal(curve.dy[ok & single], act.grad(curve.x[ok & single]))


@pytest.mark.parametrize("points", [2, 7, 400, 1001])
def test_relu_corner_is_on_the_grid(points):
    curve = sample("relu", (-10, 10), points)
    assert 0.0 in curve.x
    i = int(np.flatnonzero(curve.x == 0.0)[0])
    assert curve.y[i] == 0.0
    # f' breaks at the kink instead of drawing a vertical line from 0 to 1
    assert any(j.x == 0.0 and j.left == 0.0 and j.right == 1.0 for j in curve.derivative_jumps)
    assert np.isnan(curve.dy).sum() == 1
    assert not np.isnan(curve.y).any()


@pytest.mark.parametrize(("spec", "where"), [
    ("binary_step", [0.0]), ("threshold", [1.0]), ("hardshrink", [-0.5, 0.5]),
    ("hardshrink:lambd=1", [-1.0, 1.0]),
])
def test_jumps_break_the_line(spec, where):
    curve = sample(spec, (-3, 3), 101)
    assert [j.x for j in curve.jumps] == where
    for jump in curve.jumps:
        at = np.flatnonzero(curve.x == jump.x)
        assert len(at) == 3
        assert curve.y[at[0]] == pytest.approx(jump.left, abs=1e-6)
        assert np.isnan(curve.y[at[1]])
        assert curve.y[at[2]] == pytest.approx(jump.right, abs=1e-6)
        act = curve.activation
        assert jump.value == act(jump.x)


def test_no_breaks_for_smooth_or_tiny_artifacts():
    assert sample("sigmoid").jumps == ()
    assert sample("softplus", (-30, 30)).jumps == ()  # PyTorch's 2e-9 step at x = 20
    assert not np.isnan(sample("tanh").dy).any()


def test_regions():
    r = regions("sigmoid", (-10, 10))
    assert r.dead == ()
    (a, b), (c, d) = r.saturated
    assert (a, d) == (-10.0, 10.0)
    sig = actviz.get("sigmoid")
    assert sig.grad(b) == pytest.approx(1e-3, rel=1e-9)
    assert c == pytest.approx(-b)
    assert regions("relu").dead == ((-10.0, 0.0),)
    assert regions("relu").saturated == ()
    assert regions("leaky_relu").dead == () and regions("leaky_relu").saturated == ()
    assert regions("hardtanh").dead == ((-10.0, -1.0), (1.0, 10.0))
    assert regions("sigmoid", (-20, 20), eps=1e-6).saturated[0][1] == pytest.approx(-13.8155, abs=1e-3)


@pytest.mark.parametrize(("kwargs", "words"), [
    (dict(xlim=(1, 1)), "min < max"),
    (dict(xlim=(2, -2)), "min < max"),
    (dict(xlim=(0, math.inf)), "finite"),
    (dict(xlim=("a", 1)), "two numbers"),
    (dict(points=1), "between 2"),
    (dict(points=10**9), "between 2"),
    (dict(points=2.5), "whole number"),
])
def test_bad_arguments(kwargs, words):
    with pytest.raises(ActvizError, match=words):
        sample("relu", **kwargs)
