"""`actviz lab gradflow`: vanishing gradients measured in a real PyTorch MLP."""

from __future__ import annotations

import io
import json
import math
import warnings

import numpy as np
import pytest

from actviz.cli import main
from tests.conftest import require

torch = require("torch")
require("sklearn")

from actviz.lab import common  # noqa: E402
from actviz.lab.gradflow import draw_gradflow, gradflow  # noqa: E402

pytestmark = pytest.mark.torch

SMALL = {"depth": 6, "width": 32, "batch": 64}


@pytest.fixture(scope="module")
def at_init():
    with common.torch_threads(1):
        return gradflow(["sigmoid", "tanh", "relu"], inits=["xavier", "he"], steps=0, **SMALL)


def _run(result, act, init):
    (run,) = [r for r in result.runs if r.activation == act and r.init == init]
    return run


def test_sigmoid_first_layer_gradient_orders_of_magnitude_below_last(at_init):
    run = _run(at_init, "sigmoid", "xavier")
    g = run.initial.grad_norm
    assert len(g) == 6
    assert g[0] / g[-1] < 1e-2
    assert np.all(np.diff(g) > 0)  # shrinks at every layer towards the input


def test_tanh_xavier_and_relu_he_keep_the_gradient_within_a_small_factor(at_init):
    for act, init in (("tanh", "xavier"), ("relu", "he")):
        g = np.asarray(_run(at_init, act, init).initial.grad_norm)
        assert g.max() / g.min() < 4, (act, init, g)


def test_relu_xavier_shrinks_layer_by_layer(at_init):
    g = _run(at_init, "relu", "xavier").initial.grad_norm
    assert np.all(np.diff(g) > 0)
    assert g[0] / g[-1] < 0.3  # about (1/sqrt 2) per layer: 0.18 over 5 steps
    he = _run(at_init, "relu", "he").initial.grad_norm
    assert g[0] / g[-1] < 0.5 * he[0] / he[-1]


def test_activation_statistics_are_consistent(at_init):
    relu = _run(at_init, "relu", "he").initial
    assert all(m > 0 for m in relu.act_mean)  # ReLU outputs are non-negative
    assert all(0.3 < f < 0.7 for f in relu.flat_fraction)  # about half the units are off
    sig = _run(at_init, "sigmoid", "xavier").initial
    assert all(0.3 < m < 0.7 for m in sig.act_mean)
    assert all(len(v) == 6 for v in (sig.act_std, sig.weight_grad_norm, sig.flat_fraction))


def test_same_seed_same_numbers_and_training_changes_them():
    kw = dict(SMALL, steps=3, lr=0.05)
    a = gradflow(["relu"], seed=5, **kw)
    b = gradflow(["relu"], seed=5, **kw)
    c = gradflow(["relu"], seed=6, **kw)
    assert a.runs[0].initial == b.runs[0].initial and a.runs[0].trained == b.runs[0].trained
    assert a.runs[0].initial.grad_norm != c.runs[0].initial.grad_norm
    assert a.runs[0].trained.loss != a.runs[0].initial.loss
    assert a.runs[0].steps_done == 3 and a.runs[0].status == "ok"


def test_divergence_is_reported_not_raised():
    result = gradflow(["relu"], inits=["he"], steps=20, lr=1e6, input="gaussian", **SMALL)
    run = result.runs[0]
    assert run.status == "diverged"
    assert run.steps_done < 20
    assert all(math.isnan(v) for v in run.trained.grad_norm)
    data = common.to_jsonable(result)
    assert data["runs"][0]["trained"]["grad_norm"] == [None] * 6


def test_progress_is_reported():
    calls = []
    gradflow(["tanh"], steps=2, progress=lambda done, total: calls.append((done, total)),
             **SMALL)
    assert calls[-1][0] == calls[-1][1] and len(calls) >= 3


def test_bad_arguments():
    from actviz.errors import ActvizError

    with pytest.raises(ActvizError, match="no PyTorch counterpart"):
        gradflow(["gaussian"], steps=0, **SMALL)
    with pytest.raises(ActvizError, match="unknown input"):
        gradflow(["relu"], steps=0, input="cifar", **SMALL)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_figure(at_init, lang):
    import matplotlib

    before = dict(matplotlib.rcParams)
    with common.figure_context(lang), warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. "Glyph ... missing from font(s)"
        fig = draw_gradflow(at_init, lang=lang)
        fig.savefig(io.BytesIO(), format="png")
    assert dict(matplotlib.rcParams) == before
    ax = fig.axes[0]
    assert ax.get_yscale() == "log"
    lines = ax.get_lines()
    assert len(lines) == len(at_init.runs)
    np.testing.assert_allclose(lines[0].get_ydata(), at_init.runs[0].initial.grad_norm)
    title = fig.get_suptitle()
    assert ("勾配" in title) == (lang == "ja")


def test_cli_end_to_end(tmp_path, capsys):
    out = tmp_path / "o"
    status = main(["lab", "gradflow", "--acts", "sigmoid", "relu", "--depth", "4", "--width",
                   "16", "--batch", "32", "--steps", "2", "--seed", "1", "-o", str(out),
                   "--lang", "ja"])
    assert status == 0
    printed = capsys.readouterr()
    assert "sigmoid [xavier]" in printed.out and printed.err == ""
    data = json.loads((out / "gradflow.json").read_text(encoding="utf-8"))
    assert data["experiment"] == "gradflow" and data["seed"] == 1
    assert data["settings"]["depth"] == 4 and data["settings"]["acts"] == ["sigmoid", "relu"]
    assert [r["activation"] for r in data["results"]["runs"]] == ["sigmoid", "relu"]
    assert len(data["results"]["runs"][0]["initial"]["grad_norm"]) == 4
    from PIL import Image

    with Image.open(out / "gradflow.png") as image:
        assert image.format == "PNG"
    assert main(["lab", "gradflow", "--acts", "relu", "--depth", "2", "--width", "8",
                 "--steps", "0", "-o", str(out), "--quiet"]) == 0
    assert capsys.readouterr().out == ""
