"""actviz in a real Jupyter kernel (nbclient + ipykernel): every plotting cell shows its own figure once.

The notebook below is what a student types in the first minutes; each cell's
outputs are asserted: one image/png per plotting cell, in order (also a plain
``plt.subplots()`` cell after an actviz one, and a Japanese plot that must not
land on an older figure), text/html for an activation, the explorer's frame,
no error, and no "Glyph missing" warning on stderr (a last control cell shows
that the check does see one).  The PNGs are written to the test's tmp folder.
"""

from __future__ import annotations

import base64
import io
import json
import os
import sys
from pathlib import Path

import pytest

from tests.conftest import require

pytestmark = pytest.mark.slow

SRC = Path(__file__).resolve().parents[1] / "src"

SETUP = """\
import sys, json, warnings
warnings.simplefilter("always")  # every glyph warning reaches stderr, not just the first
import numpy as np
import matplotlib
import matplotlib.pyplot as plt
import actviz
print(json.dumps({"python": sys.executable, "actviz": actviz.__file__,
                  "backend": matplotlib.get_backend()}))"""

# (source, number of PNGs the cell must show)
CELLS = [
    (SETUP, 0),
    ('actviz.plot("relu");', 1),
    ('ax = actviz.plot(["tanh", "sigmoid"], derivative=True, color=["k", "tab:red"],\n'
     '                 linestyle=["-", ":"], linewidth=3, alpha=0.8)\n'
     'print(json.dumps([[l.get_label(), l.get_color(), l.get_linestyle(), l.get_linewidth(),\n'
     '                   l.get_alpha()] for l in ax.lines if not l.get_label().startswith("_")]))',
     1),
    ("fig, ax = plt.subplots()\nax.plot([0, 1], [0, 1])\nolder = fig", 1),
    ('ax = actviz.plot(["relu", "sigmoid"], lang="ja", regions=True, derivative=True)\n'
     'print(json.dumps({"new_figure": ax.figure is not older, "axes": len(ax.figure.axes),\n'
     '                  "title": ax.get_title(), "open": len(plt.get_fignums())}))', 1),
    ('with actviz.japanese():\n'
     '    fig, ax = plt.subplots(figsize=(5, 3))\n'
     '    fig.suptitle("活性化関数の比較")\n'
     '    ax.plot([-2, 0, 2], [0, 0, 2], label="自作の折れ線")\n'
     '    ax.set_xlabel("入力 x")\n'
     '    ax.legend()\n'
     'print(json.dumps(matplotlib.rcParams["font.family"]))', 1),
    ('fig, ax = plt.subplots(figsize=(5, 3))  # its title and labels exist already\n'
     'actviz.plot("gelu", ax=ax, label="GELU（ガウス誤差）", title="")\n'
     'with actviz.japanese(fig):\n'
     '    ax.set_title("あとから付けた題")', 1),
    ('actviz.get("gelu")', 0),
    ('bump = lambda x: np.exp(-x * x)\n'
     'actviz.register("bump", bump, latex=r"e^{-x^2}")\n'
     'actviz.register("bump", bump, latex=r"e^{-x^2}")  # the cell run twice\n'
     'actviz.get("bump")', 0),
    ('import torch\n'
     'x = torch.linspace(-3, 3, 7, requires_grad=True)\n'
     'y = actviz.get("gelu")(x)\n'
     'y.sum().backward()\n'
     'b = actviz.get("relu")(torch.tensor([-1.0, 2.0], dtype=torch.bfloat16))\n'
     'print(json.dumps({"type": type(y).__name__, "grad": x.grad.tolist(), "bf16": str(b.dtype)}))',
     0),
    ('page = actviz.explore(["relu", "leaky_relu:0.1"], lang="ja")\npage', 0),
    ('print(page.save("explorer.html"))', 0),
    ('actviz.figure(["sigmoid", "tanh"], lang="ja")', 1),
    ('fig = actviz.figure("elu")  # kept for later: not shown', 0),
    ('actviz.plot("leaky_relu", sweep={"negative_slope": np.array([0.01, 0.1, 0.3])});', 1),
    ('fig', 1),
    # control, last: a user's Japanese text without actviz.japanese() is tofu, and stderr says so
    ('fig, ax = plt.subplots()\nfig.suptitle("活性化関数の比較")', 1),
]


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    nbformat = require("nbformat")
    nbclient = require("nbclient")
    require("ipykernel")
    require("torch")
    require("bokeh")
    folder = tmp_path_factory.mktemp("notebook")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source, _ in CELLS]
    # the kernel: this interpreter (jupyter_client puts sys.executable for the spec's
    # "python"), this checkout's src first, and no MPLBACKEND, so ipykernel picks inline
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), *filter(None, [env.get("PYTHONPATH")])])
    client = nbclient.NotebookClient(nb, kernel_name="python3", timeout=300, allow_errors=True,
                                     resources={"metadata": {"path": str(folder)}})
    client.execute(env=env)
    pngs = folder / "png"
    pngs.mkdir()
    for i, cell in enumerate(nb.cells):
        for j, out in enumerate(cell.outputs):
            if "image/png" in out.get("data", {}):
                (pngs / f"cell{i:02d}_{j}.png").write_bytes(
                    base64.b64decode(out["data"]["image/png"]))
    nbformat.write(nb, folder / "executed.ipynb")
    return nb, folder


def _kinds(cell) -> list[str]:
    return [out.output_type for out in cell.outputs]


def _pngs(cell) -> list[bytes]:
    return [base64.b64decode(out["data"]["image/png"]) for out in cell.outputs
            if "image/png" in out.get("data", {})]


def _stream(cell, name: str) -> str:
    return "".join(out.text for out in cell.outputs
                   if out.output_type == "stream" and out.name == name)


def _json(cell):
    return json.loads(_stream(cell, "stdout").strip().splitlines()[-1])


def _html(cell) -> str:
    (html,) = [out["data"]["text/html"] for out in cell.outputs
               if "text/html" in out.get("data", {})]
    return html


def test_no_cell_fails_and_the_kernel_runs_this_checkout(executed):
    nb, _ = executed
    errors = [(i, out.ename, out.evalue) for i, cell in enumerate(nb.cells)
              for out in cell.outputs if out.output_type == "error"]
    assert errors == []
    info = _json(nb.cells[0])
    assert Path(info["python"]).resolve() == Path(sys.executable).resolve()
    assert Path(info["actviz"]).resolve() == SRC / "actviz" / "__init__.py"
    assert "inline" in info["backend"]


def test_every_plotting_cell_shows_exactly_its_own_figures(executed):
    nb, folder = executed
    counts = [len(_pngs(cell)) for cell in nb.cells]
    assert counts == [want for _, want in CELLS]
    from PIL import Image

    shown = [png for cell in nb.cells for png in _pngs(cell)]
    assert len(set(shown)) == len(shown)  # no figure shown twice
    for png in shown:
        image = Image.open(io.BytesIO(png))
        assert image.width >= 300 and image.height >= 200
        assert len(image.convert("L").getcolors(1 << 16) or ()) > 20  # something drawn
    assert len(list((folder / "png").glob("*.png"))) == len(shown)


def test_line_keywords_reach_the_lines(executed):
    nb, _ = executed
    lines = _json(nb.cells[2])
    assert lines == [["Tanh", "k", "-", 3.0, 0.8], ["f′ of Tanh", "k", "--", 2.25, 0.8],
                     ["Sigmoid", "tab:red", ":", 3.0, 0.8],
                     ["f′ of Sigmoid", "tab:red", "--", 2.25, 0.8]]


def test_a_japanese_plot_gets_a_new_figure_not_an_older_one(executed):
    nb, _ = executed
    info = _json(nb.cells[4])
    assert info == {"new_figure": True, "axes": 1, "title": "活性化関数とその導関数", "open": 1}


def test_no_glyph_warning_and_nothing_global_changed_by_japanese(executed):
    nb, _ = executed
    *cells, control = nb.cells
    for i, cell in enumerate(cells):
        assert "Glyph" not in _stream(cell, "stderr"), (i, _stream(cell, "stderr"))
        assert "Warning" not in _stream(cell, "stderr"), (i, _stream(cell, "stderr"))
    assert _json(nb.cells[5]) == ["sans-serif"]  # font.family after the block, as before
    assert "Glyph" in _stream(control, "stderr")  # the check sees missing glyphs


def test_activations_display_as_html_with_formula_plot_and_properties(executed):
    nb, _ = executed
    gelu = _html(nb.cells[7])
    assert "GELU" in gelu and "<code>gelu:approximate=none</code>" in gelu
    assert gelu.count("data:image/png;base64,") == 3  # plot, f(x) = ..., f'(x) = ...
    assert "C∞" in gelu and "Monotonic" in gelu
    text = [out["data"]["text/plain"] for out in nb.cells[7].outputs if "data" in out]
    assert text == ["actviz.get('gelu:approximate=none')"]
    bump = _html(nb.cells[8])
    assert "bump" in bump and "numerical" in bump


def test_torch_tensors_in_give_torch_tensors_out_with_gradients(executed):
    import numpy as np

    import actviz

    nb, _ = executed
    info = _json(nb.cells[9])
    assert info["type"] == "Tensor" and info["bf16"] == "torch.bfloat16"
    x = np.linspace(-3, 3, 7, dtype=np.float32)
    np.testing.assert_allclose(info["grad"], actviz.get("gelu").grad(x), rtol=1e-6)


def test_the_explorer_shows_inline_isolated_and_saves(executed):
    nb, folder = executed
    frame = _html(nb.cells[10])
    assert frame.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts' in frame
    assert "allow-same-origin" not in frame
    assert len(frame.encode("utf-8")) < 3_000_000
    import html as html_module

    page = html_module.unescape(frame.split('srcdoc="', 1)[1].split('" sandbox=', 1)[0])
    assert page.startswith("<!DOCTYPE html>") and '<html lang="ja">' in page
    assert "http://" not in page.split("<script", 1)[0]  # nothing loaded from anywhere
    saved = folder / "explorer.html"
    assert _stream(nb.cells[11], "stdout").strip() == "explorer.html"
    assert saved.read_text(encoding="utf-8") == page
