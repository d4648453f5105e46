"""The notebook-facing API without a kernel: reprs, japanese(), line keywords, inputs, register, save.

(The real kernel is in tests/test_notebook.py.)
"""

from __future__ import annotations

import inspect
import io
import warnings
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

import actviz
from actviz import notebook, registry
from actviz.errors import ActvizError, ParameterError
from actviz.notebook import activation_html
from actviz.plotting import figures, style
from tests.conftest import require

ROOT = Path(__file__).resolve().parents[1]
POINTS = 60


def rc_snapshot() -> dict:
    return {k: v for k, v in matplotlib.rcParams.items() if k != "backend"}


def glyph_warnings(fig) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    return [str(w.message) for w in caught if "Glyph" in str(w.message)]


# --------------------------------------------------------------------------- reprs


def test_repr_is_the_spec_and_reads_back():
    act = actviz.get("leaky_relu:0.1")
    assert repr(act) == "actviz.get('leaky_relu:negative_slope=0.1')"
    assert eval(repr(act), {"actviz": actviz}) == act


def test_definition_repr_is_one_short_line():
    text = repr(actviz.get_definition("prelu"))
    assert text == "<activation definition prelu(weight=0.25), family 'rectifier'>"
    user = actviz.register("nb_square", lambda x: x * x)
    try:
        assert repr(user) == "<activation definition nb_square(), family 'user'>"
    finally:
        actviz.unregister("nb_square")


def test_html_has_name_spec_formulas_plot_and_properties_escaped():
    html = activation_html(actviz.get("elu"))
    assert "<h3" in html and ">ELU</h3>" in html and "<code>elu:alpha=1.0</code>" in html
    assert html.count("data:image/png;base64,") == 3
    assert "Order of continuity" in html and "<td>C1</td>" in html
    assert "<code>alpha</code>" in html
    assert activation_html(actviz.get_definition("elu")) == html  # a definition: its defaults
    hostile = actviz.register("nb_hostile", lambda x: x, display_name="<b>x</b>",
                              explanation={"en": "<script>alert(1)</script>"})
    try:
        shown = activation_html(hostile)
        assert "<script>" not in shown and "<b>x</b>" not in shown
        assert "&lt;script&gt;" in shown and "numerical" in shown
    finally:
        actviz.unregister("nb_hostile")


# --------------------------------------------------------------------------- japanese()


def test_japanese_gives_user_text_the_font_and_changes_nothing_global():
    before = rc_snapshot()
    with actviz.japanese():
        fig = Figure()
        ax = fig.add_subplot()
        fig.suptitle("活性化関数の比較")
        ax.set_xlabel("入力")
        ax.plot([0, 1], [0, 1], label="直線")
        ax.legend()
        assert matplotlib.rcParams["font.family"] == style.JAPANESE_FAMILY
    assert rc_snapshot() == before
    assert glyph_warnings(fig) == []
    control = Figure()
    control.suptitle("活性化関数の比較")
    assert glyph_warnings(control)  # without the block: tofu, and matplotlib says so


def test_japanese_with_a_figure_fixes_texts_made_before_the_block():
    fig = Figure()
    ax = fig.add_subplot()  # title and labels exist, in the default font
    with actviz.japanese(fig):
        ax.set_title("題名")
    assert glyph_warnings(fig) == []
    assert ax.xaxis.label.get_fontfamily() != style.JAPANESE_FAMILY  # ASCII texts left alone
    with pytest.raises(ActvizError, match="Figures or Axes"):
        with actviz.japanese("fig"):
            pass


# --------------------------------------------------------------------------- plot()


def test_ax_given_a_figure_or_an_array_says_what_to_pass():
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2)
    try:
        with pytest.raises(ActvizError, match=r"not a Figure; pass fig.axes\[0\]"):
            actviz.plot("relu", ax=fig, points=POINTS)
        with pytest.raises(ActvizError, match=r"array of them.*ax=axes\[0\]"):
            actviz.plot("relu", ax=axes, points=POINTS)
        assert all(not a.lines for a in axes)
    finally:
        plt.close(fig)


def test_plot_without_ax_makes_pyplots_figure_outside_rc_context(monkeypatch):
    import matplotlib.pyplot as plt

    # what Jupyter's inline backend does when it loads (at a kernel's first figure)
    seen = {}

    def first_figure(*args, **kwargs):
        matplotlib.interactive(True)
        seen["interactive"] = True
        monkeypatch.setattr(plt, "gcf", original)
        return original(*args, **kwargs)

    original = plt.gcf
    plt.close("all")
    was = matplotlib.is_interactive()
    monkeypatch.setattr(plt, "gcf", first_figure)
    try:
        matplotlib.interactive(False)
        ax = actviz.plot("relu", points=POINTS, style="ggplot", lang="ja")
        assert seen == {"interactive": True}
        assert matplotlib.is_interactive()  # survives actviz's rc_context
        assert ax.get_facecolor() == matplotlib.colors.to_rgba("#E5E5E5")  # ggplot's Axes
        assert ax.figure.get_facecolor() == matplotlib.colors.to_rgba("white")
    finally:
        matplotlib.interactive(was)
        plt.close("all")


def test_line_keywords_one_value_or_one_per_curve():
    ax = actviz.plot(["relu", "tanh"], ax=Figure().add_subplot(), points=POINTS,
                     derivative=True, color=["k", (1.0, 0.0, 0.0)], lw=3, ls=[":", "-."],
                     alpha=0.5, label=["mine", "yours"], marker="o", markevery=5)
    lines = [line for line in ax.lines if not line.get_label().startswith("_")]
    got = [(line.get_label(), line.get_color(), line.get_linewidth(), line.get_linestyle(),
            line.get_alpha()) for line in lines]
    assert got == [("mine", "k", 3.0, ":", 0.5), ("f′ of mine", "k", 2.25, "--", 0.5),
                   ("yours", (1.0, 0.0, 0.0), 3.0, "-.", 0.5),
                   ("f′ of yours", (1.0, 0.0, 0.0), 2.25, "--", 0.5)]
    assert lines[0].get_marker() == "o" and lines[1].get_marker() == "None"
    one = actviz.plot("relu", ax=Figure().add_subplot(), points=POINTS, label="only")
    assert one.get_title() == "only"
    fig = actviz.figure("relu", points=POINTS, color="tab:green")
    assert fig.axes[0].lines[0].get_color() == "tab:green"


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"label": "one"}, "give a list of labels"),
    ({"color": ["r"]}, "1 values for 2 curve"),
    ({"colour": "r"}, "not a matplotlib line keyword"),
    ({"linestyle": "wavy"}, "bad line keyword"),
    ({"alpha": "half"}, "bad line keyword"),
    ({"lw": 2, "linewidth": 3}, "given twice"),
])
def test_bad_line_keywords_fail_before_drawing(kwargs, match):
    ax = Figure().add_subplot()
    with pytest.raises(ActvizError, match=match):
        actviz.plot(["relu", "tanh"], ax=ax, points=POINTS, **kwargs)
    assert not ax.lines


def test_specs_and_sweeps_from_generators_and_numpy_arrays():
    ax = actviz.plot((n for n in ["relu", "elu"]), ax=Figure().add_subplot(), points=POINTS)
    assert ax.get_legend_handles_labels()[1] == ["ReLU", "ELU"]
    ax = actviz.plot(np.array(["relu", "gelu"]), ax=Figure().add_subplot(), points=POINTS)
    assert ax.get_legend_handles_labels()[1] == ["ReLU", "GELU"]
    ax = actviz.plot("leaky_relu", ax=Figure().add_subplot(), points=POINTS,
                     sweep={"negative_slope": np.array([0.05, 0.2])})
    assert ax.get_legend_handles_labels()[1] == ["Leaky ReLU (negative_slope=0.05)",
                                                 "Leaky ReLU (negative_slope=0.2)"]
    ax = actviz.plot("elu", ax=Figure().add_subplot(), points=POINTS,
                     sweep={"alpha": (v for v in (0.5, 1.5))}, lang="JA")
    assert ax.get_title() == "ELU: alpha = 0.5, 1.5" and ax.get_xlabel() == "入力 x"


def test_figure_shows_itself_as_png_in_a_notebook():
    fig = actviz.figure("relu", points=POINTS, size=(4, 3), dpi=50)
    png = fig._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    assert 150 <= image.width <= 200 and 100 <= image.height <= 150  # 4x3 in at 50 dpi, tight


def test_save_is_public_and_atomic(tmp_path):
    assert actviz.save is figures.save
    fig = actviz.figure("tanh", points=POINTS)
    path = actviz.save(fig, tmp_path / "tanh.svg")
    assert path.read_text().startswith("<?xml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tanh.svg"]


# --------------------------------------------------------------------------- inputs


def test_call_on_array_likes_keeps_numpy():
    relu = actviz.get("relu")
    np.testing.assert_array_equal(relu([-1, 2]), [0.0, 2.0])
    np.testing.assert_array_equal(relu((-1.5, 2.5)), [0.0, 2.5])
    assert relu(np.float32(-3.0)).dtype == np.float32
    with pytest.raises(ActvizError, match="real numbers"):
        relu(["a"])


def test_torch_tensors_in_give_tensors_out_with_autograd():
    torch = require("torch")
    gelu = actviz.get("gelu")
    x = torch.linspace(-4, 4, 9, dtype=torch.float64, requires_grad=True)
    y = gelu(x)
    assert isinstance(y, torch.Tensor) and y.dtype == torch.float64 and y.requires_grad
    np.testing.assert_array_equal(y.detach().numpy(), gelu(x.detach().numpy()))
    (y * torch.arange(9.0, dtype=torch.float64)).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.arange(9.0) * gelu.grad(x.detach().numpy()))
    b = actviz.get("tanh")(torch.tensor([[-1.0, 0.5]], dtype=torch.bfloat16))
    assert b.dtype == torch.bfloat16 and b.shape == (1, 2)
    want = torch.tensor(np.tanh(np.float32([[-1.0, 0.5]]))).to(torch.bfloat16)
    assert torch.equal(b, want)
    g = gelu.grad(torch.tensor([0.0]))
    assert isinstance(g, torch.Tensor) and g.tolist() == [0.5]
    assert actviz.get("relu")(torch.tensor([-2, 3])).tolist() == [0.0, 3.0]
    assert actviz.get("relu")(torch.tensor(-2.0)).shape == ()


def test_torch_is_imported_only_for_torch_input():
    import subprocess
    import sys

    code = ("import sys, actviz; a = actviz.get('relu'); a([1.0]); a.grad(2.0);"
            "print('torch' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_explanation_language_is_case_insensitive():
    act = actviz.get("relu")
    assert act.explanation("JA") == act.explanation("ja") != act.explanation("en")
    assert act.explanation(" En ") == act.explanation("en")
    with pytest.raises(ActvizError, match="unknown language"):
        act.explanation("fr")


# --------------------------------------------------------------------------- register()


def test_registering_a_user_activation_again_replaces_it():
    first = actviz.register("nb_bump", lambda x: np.exp(-x * x))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            second = actviz.register("nb_bump", lambda x: 2 * np.exp(-x * x))
        assert second is not first
        assert actviz.get("nb_bump")(0.0) == 2.0
        with pytest.raises(ActvizError, match=r"'relu' is already registered \(rectifier\)"):
            actviz.register("relu", lambda x: x)  # a built-in still needs overwrite=True
        assert actviz.get("relu")(-1.0) == 0.0
    finally:
        actviz.unregister("nb_bump")
    assert "nb_bump" not in registry._USER_NAMES


def test_hidden_parameters_get_a_message_naming_params():
    with pytest.raises(ParameterError, match=r"takes k=2\.0.*params=\{'k': 2\.0\}"):
        actviz.register("nb_hidden", lambda x, k=2.0: k * x)
    with pytest.raises(ParameterError, match=r"takes k,.*params=\{'k': 1\.0\}"):
        actviz.register("nb_hidden", lambda x, k: k * x)
    assert "nb_hidden" not in actviz.names()
    declared = actviz.register("nb_hidden", lambda x, k=2.0: k * x, params={"k": 2.0})
    try:
        assert actviz.get("nb_hidden:k=3")(2.0) == 6.0
        assert declared.params[0].name == "k"
        actviz.register("nb_ufunc", np.tanh)  # a ufunc's out=, where=: not parameters
        actviz.unregister("nb_ufunc")
    finally:
        actviz.unregister("nb_hidden")


# --------------------------------------------------------------------------- explore()


def test_explore_shows_a_sandboxed_frame_and_saves_atomically(tmp_path):
    require("bokeh")
    shown = actviz.explore(np.array(["relu", "tanh"]), lang="JA")
    assert shown.lang == "ja" and shown.specs == ["relu", "tanh"]
    frame = shown._repr_html_()
    assert frame.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    assert 'sandbox="allow-scripts ' in frame and "allow-same-origin" not in frame
    assert len(frame.encode()) < notebook.MAX_EXPLORER_BYTES
    path = shown.save(tmp_path / "page.html")
    assert path.read_text(encoding="utf-8") == shown.html
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]
    with pytest.raises(ActvizError, match=r"use a \.html name"):
        shown.save(tmp_path / "page.png")
    with pytest.raises(ActvizError, match="unknown activation"):
        actviz.explore(["relu", "nope_nope"])
    assert "relu, tanh" in repr(shown) and ".save(" in repr(shown)


def test_explore_with_every_activation_stays_under_three_megabytes():
    require("bokeh")
    frame = actviz.explore()._repr_html_()
    assert 1_000_000 < len(frame.encode()) < 3_000_000


# --------------------------------------------------------------------------- packaging, docs


def test_every_public_function_has_a_docstring():
    missing = []
    for name in actviz.__all__:
        value = getattr(actviz, name)
        if callable(value) and not (inspect.getdoc(value) or "").strip():
            missing.append(name)
    for cls in (actviz.BoundActivation, notebook.Explorer):
        for name, member in vars(cls).items():
            if name.startswith("_"):
                continue
            target = member.fget if isinstance(member, property) else member
            if callable(target) and not (inspect.getdoc(target) or "").strip():
                missing.append(f"{cls.__name__}.{name}")
    assert missing == []


def test_package_ships_py_typed_and_a_license():
    assert (ROOT / "src" / "actviz" / "py.typed").is_file()
    assert '"py.typed"' in (ROOT / "pyproject.toml").read_text()
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License") and "2026 actviz developers" in text
