"""The original post's three figures: size, titles, labels, linewidth, axis lines, data."""

from __future__ import annotations

import io

import matplotlib
import numpy as np
import pytest
from matplotlib.colors import to_hex, to_rgba
from matplotlib.layout_engine import TightLayoutEngine

import actviz
from actviz.plotting import classic

EXPECTED = {
    1: ("Activation Functions", ["sigmoid", "tanh"], ["sigmoid", "tanh"]),
    2: ("ReLU Activation Function", ["ReLU"], ["relu"]),
    3: ("Leaky ReLU Activation Function", ["Leaky ReLU (slope=0.1)"],
        ["leaky_relu:negative_slope=0.1"]),
}


def curve_lines(ax):
    return [line for line in ax.lines if not line.get_label().startswith("_")]


@pytest.mark.parametrize("number", [1, 2, 3])
def test_classic_figure_matches_the_post(number):
    title, labels, specs = EXPECTED[number]
    fig = classic.classic_figure(number)
    assert tuple(fig.get_size_inches()) == (8, 5)
    assert fig.dpi == 100
    assert isinstance(fig.get_layout_engine(), TightLayoutEngine)
    (ax,) = fig.axes
    assert ax.get_title() == title
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x", "y")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == labels
    assert all(gl.get_visible() for gl in ax.xaxis.get_gridlines())
    lines = curve_lines(ax)
    assert [line.get_label() for line in lines] == labels
    for line, spec in zip(lines, specs, strict=True):
        assert line.get_linewidth() == 2
        assert line.get_linestyle() == "-"
        x = np.asarray(line.get_xdata())
        assert x[0] == -10 and x[-1] == 10
        np.testing.assert_allclose(line.get_ydata(), actviz.get(spec)(x), rtol=1e-12)
    # x and y axis lines at 0, gray, 0.5 wide
    axis_lines = [line for line in ax.lines if line.get_label().startswith("_")]
    assert len(axis_lines) == 2
    for line in axis_lines:
        assert line.get_linewidth() == 0.5
        assert to_rgba(line.get_color()) == to_rgba("gray")
    assert list(axis_lines[0].get_ydata()) == [0, 0]
    assert list(axis_lines[1].get_xdata()) == [0, 0]
    # matplotlib's default colour cycle, as in the post
    assert [to_hex(line.get_color()) for line in lines] == ["#1f77b4", "#ff7f0e"][:len(lines)]


def test_grid_has_400_points_plus_the_kink():
    sig = curve_lines(classic.classic_figure(1).axes[0])[0]
    assert len(sig.get_xdata()) == 400
    relu = curve_lines(classic.classic_figure(2).axes[0])[0]
    x = np.asarray(relu.get_xdata())
    assert len(x) == 401 and 0.0 in x


def test_classic_ignores_the_callers_style():
    before = dict(matplotlib.rcParams)
    with matplotlib.rc_context({"lines.linewidth": 7, "axes.grid": False}):
        fig = classic.classic_figure(2)
    assert curve_lines(fig.axes[0])[0].get_linewidth() == 2
    assert dict(matplotlib.rcParams) == before


def test_japanese_titles():
    fig = classic.classic_figure(3, lang="ja")
    ax = fig.axes[0]
    assert ax.get_title() == "Leaky ReLU 活性化関数"
    assert ax.get_legend().get_texts()[0].get_text() == "Leaky ReLU (傾き=0.1)"


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_save_classic_writes_three_files(tmp_path, fmt):
    paths = classic.save_classic(tmp_path / "out", format=fmt)
    assert [p.name for p in paths] == [f"classic_1_sigmoid_tanh.{fmt}", f"classic_2_relu.{fmt}",
                                       f"classic_3_leaky_relu.{fmt}"]
    magic = {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}[fmt]
    for p in paths:
        assert p.read_bytes().startswith(magic)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in paths)


def test_unknown_classic_number():
    with pytest.raises(actviz.ActvizError, match="choose 1, 2 or 3"):
        classic.classic_figure(4)


def test_japanese_classic_on_a_foreign_axes_has_every_glyph():
    import io
    import warnings

    from matplotlib.figure import Figure

    ax = Figure().add_subplot()
    classic.draw_classic(ax, 3, lang="ja")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax.figure.savefig(io.BytesIO(), format="png")
    assert not [w for w in caught if "Glyph" in str(w.message)]


def test_a_classic_figure_shows_itself_in_a_notebook():
    from PIL import Image

    png = classic.classic_figure(2)._repr_png_()  # what Jupyter displays for a cell's last value
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.width > 400 and image.height > 250
