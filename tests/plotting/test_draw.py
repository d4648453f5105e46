"""Axes-level drawing: the drawn data are the registry's, kinks exact, jumps broken, regions true."""

from __future__ import annotations

import math

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

import actviz
from actviz import sampling
from actviz.errors import ActvizError
from actviz.plotting import draw

POINTS = 101  # odd: the default grid would hold 0; tests of kinks use even counts


def new_ax():
    return Figure(figsize=(4, 3)).add_subplot()


def away_from_breaks(x: np.ndarray, act, margin: float = 1e-6) -> np.ndarray:
    mask = np.isfinite(x)
    for b in act.breakpoints:
        mask &= np.abs(x - b) > margin
    return mask


@pytest.mark.parametrize("name", actviz.names())
def test_lines_are_the_registry_function_and_derivative(name):
    act = actviz.get(name)
    drawn = draw.draw_activation(new_ax(), act, points=POINTS, derivative=True)
    x = np.asarray(drawn.line.get_xdata(), dtype=float)
    y = np.asarray(drawn.line.get_ydata(), dtype=float)
    dx = np.asarray(drawn.derivative_line.get_xdata(), dtype=float)
    dy = np.asarray(drawn.derivative_line.get_ydata(), dtype=float)
    np.testing.assert_array_equal(x, dx)
    keep = away_from_breaks(x, act) & np.isfinite(y)
    assert keep.sum() >= POINTS - 3 * len(act.breakpoints)
    np.testing.assert_allclose(y[keep], act(x[keep]), rtol=1e-12, atol=1e-12)
    dkeep = away_from_breaks(x, act) & np.isfinite(dy)
    np.testing.assert_allclose(dy[dkeep], act.grad(x[dkeep]), rtol=1e-12, atol=1e-12)
    # the derivative is dashed in the same colour as f
    assert drawn.derivative_line.get_color() == drawn.line.get_color()
    assert drawn.line.get_linestyle() == "-"
    assert drawn.derivative_line.get_linestyle() == "--"


@pytest.mark.parametrize("name", ["relu", "leaky_relu", "relu6", "hardtanh", "softshrink"])
def test_kinks_are_grid_points(name):
    act = actviz.get(name)
    drawn = draw.draw_activation(new_ax(), act, points=100)  # linspace(-10, 10, 100) misses 0
    x = np.asarray(drawn.line.get_xdata(), dtype=float)
    assert 0.0 not in np.linspace(-10, 10, 100)
    for b in act.breakpoints:
        assert b in x, f"kink {b} of {name} is not on the grid"
        i = int(np.flatnonzero(x == b)[0])
        assert drawn.line.get_ydata()[i] == pytest.approx(float(act(np.array([b]))[0]))


def test_relu_corner_is_sharp():
    drawn = draw.draw_activation(new_ax(), "relu", points=100)
    x = np.asarray(drawn.line.get_xdata())
    y = np.asarray(drawn.line.get_ydata())
    # every segment is exactly on one of the two pieces: no rounding of the corner
    left, right = x <= 0, x >= 0
    assert np.all(y[left] == 0)
    np.testing.assert_array_equal(y[right], x[right])


@pytest.mark.parametrize("spec, jump_x", [("binary_step", [0.0]), ("threshold", [1.0]),
                                          ("hardshrink", [-0.5, 0.5])])
def test_jumps_are_breaks_not_vertical_lines(spec, jump_x):
    act = actviz.get(spec)
    drawn = draw.draw_activation(new_ax(), act, points=POINTS)
    x = np.asarray(drawn.line.get_xdata(), dtype=float)
    y = np.asarray(drawn.line.get_ydata(), dtype=float)
    assert [j.x for j in drawn.curve.jumps] == jump_x
    for jump in drawn.curve.jumps:
        at = np.flatnonzero(x == jump.x)
        assert len(at) == 3
        assert math.isnan(y[at[1]])
        assert y[at[0]] == pytest.approx(jump.left)
        assert y[at[2]] == pytest.approx(jump.right)
    # no drawn segment (two consecutive finite points) is vertical
    finite = np.isfinite(y)
    both = finite[:-1] & finite[1:]
    assert not np.any(both & (np.diff(x) == 0) & (np.diff(y) != 0))
    # dots: filled at the value, hollow at the other limit
    filled = [m for m in drawn.markers if to_rgba(m.get_markerfacecolor())
              == to_rgba(drawn.color)]
    hollow = [m for m in drawn.markers if m not in filled]
    filled_points = {(float(a), float(b)) for m in filled
                     for a, b in zip(m.get_xdata(), m.get_ydata(), strict=True)}
    hollow_points = {(float(a), float(b)) for m in hollow
                     for a, b in zip(m.get_xdata(), m.get_ydata(), strict=True)}
    for jump in drawn.curve.jumps:
        assert (jump.x, jump.value) in filled_points
        other = jump.left if jump.value == pytest.approx(jump.right) else jump.right
        assert any(p[0] == jump.x and p[1] == pytest.approx(other) for p in hollow_points)
        assert not any(p[0] == jump.x and p[1] == pytest.approx(jump.value)
                       for p in hollow_points)


def test_binary_step_holds_its_value_on_the_right():
    drawn = draw.draw_activation(new_ax(), "binary_step", points=POINTS)
    (jump,) = drawn.curve.jumps
    assert (jump.left, jump.right, jump.value) == (0.0, 1.0, 1.0)


def span_extent(patch) -> tuple[float, float]:
    x0 = patch.get_x()
    return (x0, x0 + patch.get_width())


@pytest.mark.parametrize("spec", ["sigmoid", "tanh", "relu", "hardtanh", "elu", "hardshrink",
                                  "leaky_relu", "softsign"])
def test_shaded_spans_equal_computed_regions(spec):
    drawn = draw.draw_activation(new_ax(), spec, points=POINTS, regions=True, eps=1e-3)
    expected = sampling.regions(spec, (-10, 10), 1e-3)
    assert drawn.regions == expected
    for kind in ("saturated", "dead"):
        spans = [span_extent(p) for p in drawn.spans[kind]]
        want = list(getattr(expected, kind))
        assert len(spans) == len(want)
        for (a, b), (c, d) in zip(spans, want, strict=True):
            assert a == pytest.approx(c, abs=1e-12) and b == pytest.approx(d, abs=1e-12)


def test_region_legend_texts_say_what_they_are():
    ax = new_ax()
    draw.draw_activation(ax, "sigmoid", points=POINTS, regions=True)
    draw.draw_activation(ax, "relu", points=POINTS, regions=True)
    draw.draw_activation(ax, "hardtanh", points=POINTS, regions=True)
    labels = ax.get_legend_handles_labels()[1]
    assert "Sigmoid: vanishing gradient, |f′| < 0.001" in labels
    assert "ReLU: dead, f′ = 0 (dying ReLU)" in labels
    assert "Hard tanh: zero gradient, f′ = 0" in labels
    assert len(labels) == 6  # 3 curves, one entry per kind of region and activation


def test_region_legend_texts_in_japanese():
    ax = new_ax()
    draw.draw_activation(ax, "tanh", points=POINTS, regions=True, lang="ja", derivative=True)
    draw.draw_activation(ax, "relu", points=POINTS, regions=True, lang="ja")
    labels = ax.get_legend_handles_labels()[1]
    assert "Tanh: 勾配消失 (|f′| < 0.001)" in labels
    assert "ReLU: 死んだReLU (f′ = 0)" in labels
    assert "Tanh の導関数" in labels


def test_eps_changes_the_saturated_region():
    small = draw.draw_activation(new_ax(), "sigmoid", points=POINTS, regions=True, eps=1e-4)
    large = draw.draw_activation(new_ax(), "sigmoid", points=POINTS, regions=True, eps=1e-2)
    assert span_extent(small.spans["saturated"][-1])[0] > span_extent(
        large.spans["saturated"][-1])[0]


def test_formula_in_legend():
    ax = new_ax()
    draw.draw_activation(ax, "sigmoid", points=POINTS, formula=True, derivative=True)
    labels = ax.get_legend_handles_labels()[1]
    assert labels[0] == "Sigmoid: $\\sigma(x) = \\frac{1}{1 + e^{-x}}$"
    assert labels[1].endswith("$f'(x) = \\sigma(x)\\,(1 - \\sigma(x))$")


def test_robust_ylim_clips_exploding_curves_but_keeps_the_middle():
    curves = [sampling.sample("squared_relu", points=POINTS), sampling.sample("sigmoid",
                                                                               points=POINTS)]
    limits = draw.robust_ylim(curves)
    assert limits.clipped
    assert limits.high < 20  # not 100: the sigmoid stays readable
    assert limits.low < 0 < 1 < limits.high
    # the part near 0 is in view: x^2 is visible at least up to x = 3
    assert limits.high > 9


def test_robust_ylim_leaves_tame_curves_alone():
    limits = draw.robust_ylim([sampling.sample("sigmoid", points=POINTS),
                               sampling.sample("tanh", points=POINTS)])
    assert not limits.clipped
    assert -1.2 < limits.low < -1 and 1 < limits.high < 1.2
    relu = draw.robust_ylim([sampling.sample("relu", points=POINTS)])
    assert not relu.clipped and relu.high >= 10


def test_decorate_axes_sets_limits_zero_lines_labels_and_clip_note():
    ax = new_ax()
    drawn = [draw.draw_activation(ax, "squared_relu", points=POINTS)]
    draw.decorate_axes(ax, drawn, title="T")
    assert ax.get_xlim() == (-10, 10)
    assert ax.get_ylim()[1] < 100
    assert ax.get_title() == "T"
    assert next(t.get_text() for t in ax.texts).startswith("y clipped to")
    zero = [line for line in ax.lines if list(line.get_ydata()) == [0, 0]
            or list(line.get_xdata()) == [0, 0]]
    assert len(zero) == 2
    assert ax.get_legend() is not None


def test_user_ylim_wins():
    ax = new_ax()
    drawn = [draw.draw_activation(ax, "relu", points=POINTS)]
    draw.decorate_axes(ax, drawn, ylim=(-1, 2))
    assert ax.get_ylim() == (-1, 2)
    with pytest.raises(ActvizError, match="min < max"):
        draw.decorate_axes(ax, drawn, ylim=(2, 1))


def test_bad_input_raises_before_drawing():
    ax = new_ax()
    with pytest.raises(ActvizError, match="unknown activation"):
        draw.draw_activation(ax, "sigmod")
    with pytest.raises(ActvizError, match="x-limits"):
        draw.draw_activation(ax, "relu", xlim=(1, 1))
    with pytest.raises(ActvizError, match="points"):
        draw.draw_activation(ax, "relu", points=1)
    assert not ax.lines


def test_region_highlights_follow_the_curve_inside_each_region():
    drawn = draw.draw_activation(new_ax(), "sigmoid", points=POINTS, regions=True)
    assert len(drawn.highlights) == len(drawn.regions.saturated) == 2
    for band, (a, b) in zip(drawn.highlights, drawn.regions.saturated, strict=True):
        x = np.asarray(band.get_xdata())
        assert a <= x.min() and x.max() <= b
        np.testing.assert_allclose(band.get_ydata(), actviz.get("sigmoid")(x))
    plain = draw.draw_activation(new_ax(), "sigmoid", points=POINTS, regions=True,
                                 highlight=False)
    assert plain.highlights == []


def test_dead_regions_are_hatch_only_so_svg_keeps_the_hatch():
    # a translucent face would scale the SVG hatch pattern's opacity down to nothing
    drawn = draw.draw_activation(new_ax(), "relu", points=POINTS, regions=True)
    (patch,) = drawn.spans["dead"]
    assert patch.get_hatch() == "///"
    assert patch.get_facecolor()[3] == 0
    assert patch.get_hatchcolor()[3] >= 0.3
