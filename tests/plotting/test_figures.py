"""Figure level: plot/figure/save, files that open, data export, no global state, Japanese."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

import actviz
from actviz.errors import ActvizError
from actviz.plotting import figures, style
from tests.conftest import require

POINTS = 60
SRC = str(Path(__file__).resolve().parents[2] / "src")


def rc_snapshot() -> dict:
    return {k: v for k, v in matplotlib.rcParams.items() if k != "backend"}


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"}, timeout=120)


def test_import_actviz_does_not_import_matplotlib():
    result = run_python("import sys, actviz; actviz.get('relu');"
                        "print('matplotlib' in sys.modules)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_figure_and_save_do_not_use_pyplot(tmp_path):
    out = tmp_path / "f.png"
    result = run_python("import sys, actviz; from actviz.plotting import figures;"
                        f"fig = actviz.figure(['sigmoid'], points=50); figures.save(fig, {str(out)!r});"
                        "print('matplotlib.pyplot' in sys.modules)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
    assert out.stat().st_size > 1000


def test_lazy_names_resolve():
    assert actviz.plot is figures.plot
    assert actviz.figure is figures.figure


def test_figure_is_object_api_with_size_and_dpi():
    fig = figures.figure(["sigmoid", "tanh"], points=POINTS, size=(6, 4), dpi=80)
    assert isinstance(fig, Figure)
    assert tuple(fig.get_size_inches()) == (6, 4)
    assert fig.dpi == 80
    (ax,) = fig.axes
    assert ax.get_title() == "Activation functions"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Sigmoid", "Tanh"]


def test_plot_draws_on_given_axes_and_returns_it():
    ax = Figure().add_subplot()
    result = figures.plot("relu", ax=ax, points=POINTS, derivative=True)
    assert result is ax
    assert ax.get_title() == "ReLU and its derivative"
    labels = ax.get_legend_handles_labels()[1]
    assert labels == ["ReLU", "f′ of ReLU"]


def test_plot_without_ax_uses_pyplots_current_axes():
    import matplotlib.pyplot as plt
    before = rc_snapshot()
    fig = plt.figure()
    try:
        ax = figures.plot("sigmoid", points=POINTS)
        assert ax is plt.gca()
        assert ax.figure is fig
    finally:
        plt.close(fig)
    assert rc_snapshot() == before


@pytest.mark.parametrize("kwargs", [
    {},
    {"lang": "ja", "derivative": True, "regions": True},
    {"theme": "dark", "regions": True},
    {"style": "ggplot"},
    {"style": "dark_background", "theme": "dark", "lang": "ja", "formula": True},
    {"sweep": {"negative_slope": [0.01, 0.3]}},
])
def test_rcparams_unchanged_by_every_public_call(kwargs, tmp_path):
    before = rc_snapshot()
    specs = "leaky_relu" if "sweep" in kwargs else ["sigmoid", "relu"]
    fig = figures.figure(specs, points=POINTS, **kwargs)
    assert rc_snapshot() == before
    figures.save(fig, tmp_path / "a.svg")
    figures.plot(specs, ax=Figure().add_subplot(), points=POINTS, **kwargs)
    with style.style_context(theme=kwargs.get("theme"), style=kwargs.get("style"),
                             lang=kwargs.get("lang", "en")):
        pass
    assert rc_snapshot() == before


def test_dark_theme_colours():
    fig = figures.figure("relu", points=POINTS, theme="dark")
    ax = fig.axes[0]
    dark = style.get_theme("dark")
    assert to_hex(ax.get_facecolor()) == dark.background
    assert to_hex(fig.get_facecolor()) == dark.background
    assert to_hex(ax.lines[0].get_color()) == dark.colors[0]
    # recolouring an existing Axes works too
    other = Figure().add_subplot()
    figures.plot("relu", ax=other, points=POINTS, theme="dark")
    assert to_hex(other.get_facecolor()) == dark.background


def test_unknown_theme_and_style_are_clear_errors():
    with pytest.raises(ActvizError, match="unknown theme 'blue'"):
        figures.figure("relu", theme="blue")
    with pytest.raises(ActvizError, match="did you mean ggplot"):
        figures.figure("relu", style="ggplott")


def test_sweep_one_curve_per_value_on_a_sequential_colormap():
    fig = figures.figure("leaky_relu", sweep={"negative_slope": [0.01, 0.1, 0.3]},
                         points=POINTS)
    ax = fig.axes[0]
    curves = [line for line in ax.lines if line.get_label() and
              not line.get_label().startswith("_") and len(line.get_xdata()) > 2]
    assert [c.get_label() for c in curves] == [
        "Leaky ReLU (negative_slope=0.01)", "Leaky ReLU (negative_slope=0.1)",
        "Leaky ReLU (negative_slope=0.3)"]
    colors = [to_hex(c.get_color()) for c in curves]
    cmap = matplotlib.colormaps["viridis"]
    assert colors == [to_hex(cmap(v)) for v in (0.0, 0.425, 0.85)]
    # slope on the negative side is the swept value
    for line, slope in zip(curves, (0.01, 0.1, 0.3), strict=True):
        x, y = figures.line_arrays(line)
        assert y[0] == pytest.approx(slope * x[0])
    assert ax.get_title() == "Leaky ReLU for negative_slope = 0.01, 0.1, 0.3"


def test_sweep_errors():
    with pytest.raises(ActvizError, match="did you mean 'negative_slope'"):
        figures.figure("leaky_relu", sweep={"slope": [0.1]})
    with pytest.raises(ActvizError, match="exactly one parameter"):
        figures.figure("leaky_relu", sweep={"negative_slope": [0.1], "x": [1]})
    with pytest.raises(ActvizError):
        figures.figure("leaky_relu", sweep={"negative_slope": [-5.0]})


def test_saved_files_really_open(tmp_path):
    pil = require("PIL.Image")
    pypdf = require("pypdf")
    fig = figures.figure(["sigmoid", "tanh"], derivative=True, regions=True, points=POINTS,
                         title="Saturation")
    png = figures.save(fig, tmp_path / "f.png")
    with pil.open(png) as image:
        image.verify()
    with pil.open(png) as image:
        assert image.format == "PNG" and image.size == (800, 500)
    svg = figures.save(fig, tmp_path / "f.svg")
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    pdf = figures.save(fig, tmp_path / "f.pdf")
    reader = pypdf.PdfReader(pdf)
    assert len(reader.pages) == 1
    assert "Saturation" in reader.pages[0].extract_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.pdf", "f.png", "f.svg"]


def test_save_rejects_unknown_extension_and_leaves_nothing(tmp_path):
    fig = figures.figure("relu", points=POINTS)
    for name in ("f.gif", "f", "f.jpeg.txt"):
        with pytest.raises(ActvizError, match="not an image format"):
            figures.save(fig, tmp_path / name)
    with pytest.raises(ActvizError, match="does not exist"):
        figures.save(fig, tmp_path / "missing" / "f.png")
    assert list(tmp_path.iterdir()) == []


def test_save_is_atomic_when_rendering_fails(tmp_path, monkeypatch):
    fig = figures.figure("relu", points=POINTS)
    target = tmp_path / "f.png"
    target.write_bytes(b"old")

    def broken(*args, **kwargs):
        Path(args[0]).write_bytes(b"half")
        raise RuntimeError("boom")

    monkeypatch.setattr(fig, "savefig", broken)
    with pytest.raises(RuntimeError):
        figures.save(fig, target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.png"]


def test_data_export_csv_and_json_hold_the_plotted_values(tmp_path):
    data = figures.plot_data(["relu", "binary_step"], regions=True, points=POINTS)
    figures.save_data(data, tmp_path / "d.json")
    figures.save_data(data, tmp_path / "d.csv")
    loaded = json.loads((tmp_path / "d.json").read_text())
    relu, step = loaded["curves"]
    assert relu["spec"] == "relu" and relu["dead"] == [[-10.0, 0.0]]
    assert 0.0 in relu["x"]
    np.testing.assert_allclose(relu["f"], np.maximum(0, relu["x"]))
    assert None in step["f"]  # the break at the jump
    assert step["jumps"] == [{"x": 0.0, "left": 0.0, "right": 1.0, "value": 1.0}]
    rows = list(csv.DictReader((tmp_path / "d.csv").open()))
    assert rows[0].keys() == {"label", "spec", "x", "f", "df"}
    assert len(rows) == len(relu["x"]) + len(step["x"])
    for row in rows:
        if row["spec"] == "relu":
            x = float(row["x"])
            assert float(row["f"]) == max(0.0, x)
    # the figure draws the same numbers
    fig = figures.figure(["relu", "binary_step"], points=POINTS)
    x, _ = figures.line_arrays(fig.axes[0].lines[0])
    np.testing.assert_array_equal(x, relu["x"])
    with pytest.raises(ActvizError, match=r"\.csv or \.json"):
        figures.save_data(data, tmp_path / "d.txt")


def test_default_titles():
    assert figures.figure("sigmoid", points=POINTS).axes[0].get_title() == "Sigmoid"
    ja = figures.figure(["sigmoid", "tanh"], points=POINTS, derivative=True, lang="ja")
    assert ja.axes[0].get_title() == "活性化関数とその導関数"
    assert ja.axes[0].get_xlabel() == "入力 x"
    assert figures.figure("relu", points=POINTS, title="").axes[0].get_title() == ""


@pytest.mark.parametrize("kwargs, match", [
    ({"xlim": (5, 5)}, "min < max"),
    ({"xlim": (0, float("inf"))}, "finite"),
    ({"ylim": (1, 0)}, "min < max"),
    ({"points": 1}, "points"),
    ({"points": 10**7}, "points"),
    ({"eps": 0}, "eps"),
    ({"lang": "fr"}, "language"),
    ({"size": (0, 5)}, "size"),
    ({"dpi": 5}, "dpi"),
    ({"size": (100, 100), "dpi": 1000}, "pixels"),
])
def test_bad_options_raise_one_line_errors(kwargs, match):
    with pytest.raises(ActvizError, match=match) as info:
        figures.figure("relu", **kwargs)
    assert "\n" not in str(info.value)


JAPANESE_CHECK = r"""
import io, sys, warnings
import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure
# a machine without any CJK system font: keep only matplotlib's own fonts
data = matplotlib.get_data_path()
font_manager.fontManager.ttflist = [f for f in font_manager.fontManager.ttflist
                                    if f.fname.startswith(data)]
font_manager.fontManager._findfont_cached.cache_clear()
from actviz.plotting import figures, style
from tests.conftest import require
if sys.argv[1] == "actviz":
    fig = figures.figure(["sigmoid", "relu", "hardshrink"], derivative=True, regions=True,
                         lang="ja", points=80, formula=True, xlim=(-3, 3))
    rc = fig.actviz_rc
else:  # control: Japanese text without actviz's font context must warn
    fig = Figure()
    fig.add_subplot().set_title("勾配消失")
    rc = {}
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    for fmt in ("png", "svg", "pdf"):
        with matplotlib.rc_context(rc):
            fig.savefig(io.BytesIO(), format=fmt)
glyph = [str(w.message) for w in caught if "Glyph" in str(w.message)]
used = None
if sys.argv[1] == "actviz":
    used = font_manager.findfont(font_manager.FontProperties(family="IPAexGothic"),
                                 fallback_to_default=False)
print(len(glyph), used == style.japanese_font_path(), glyph[:1])
"""


def check_japanese(mode: str) -> tuple[int, bool]:
    result = subprocess.run([sys.executable, "-c", JAPANESE_CHECK, mode], capture_output=True,
                            text=True, env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin"},
                            timeout=120)
    assert result.returncode == 0, result.stderr
    count, ours, _ = result.stdout.split(" ", 2)
    return int(count), ours == "True"


def test_japanese_renders_without_missing_glyphs_and_without_system_fonts():
    count, ours = check_japanese("actviz")
    assert count == 0
    assert ours  # IPAexGothic resolves to matplotlib-fontja's file, not a system font


def test_the_glyph_check_detects_missing_glyphs():
    count, _ = check_japanese("control")
    assert count > 0


def test_japanese_font_file_comes_from_matplotlib_fontja():
    path = style.japanese_font_path()
    assert path.endswith("ipaexg.ttf") and "matplotlib_fontja" in path
    assert style.register_japanese_font() == "IPAexGothic"
    from matplotlib import font_manager

    assert any(f.fname == path for f in font_manager.fontManager.ttflist)


def test_japanese_pdf_keeps_searchable_text(tmp_path):
    pypdf = require("pypdf")
    fig = figures.figure(["tanh", "relu"], regions=True, lang="ja", points=POINTS)
    pdf = figures.save(fig, tmp_path / "ja.pdf")
    text = pypdf.PdfReader(pdf).pages[0].extract_text()
    for words in ("活性化関数", "入力 x", "勾配消失", "死んだReLU"):
        assert words in text


def test_colours_follow_the_cycle_whatever_the_jump_markers():
    # markers at ReLU's derivative jump must not consume colours of the cycle
    fig = figures.figure(["sigmoid", "tanh", "relu", "leaky_relu"], derivative=True,
                         regions=True, points=POINTS)
    ax = fig.axes[0]
    labels = ["Sigmoid", "Tanh", "ReLU", "Leaky ReLU"]
    lines = {line.get_label(): line for line in ax.lines}
    colors = [to_hex(lines[name].get_color()) for name in labels]
    assert colors == list(style.get_theme("light").colors[:4])
    assert not any(h in ("|||", "---", "+++") for h in figures.HATCHES)


def test_japanese_on_an_axes_made_outside_actviz_has_every_glyph():
    import io
    import warnings

    ax = Figure().add_subplot()  # title and axis labels already exist, in DejaVu Sans
    figures.plot(["relu", "sigmoid"], ax=ax, regions=True, derivative=True, lang="ja",
                 points=POINTS)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax.figure.savefig(io.BytesIO(), format="png")
    assert not [w for w in caught if "Glyph" in str(w.message)]
    assert ax.get_title() == "活性化関数とその導関数"
