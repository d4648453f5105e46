"""`actviz lab signal`: forward statistics through many random layers."""

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

from actviz.lab import common  # noqa: E402
from actviz.lab.signal import draw_signal, signal  # noqa: E402

pytestmark = pytest.mark.torch


@pytest.fixture(scope="module")
def deep():
    with common.torch_threads(1):
        return signal(["selu", "relu", "tanh", "sigmoid"], depth=50, width=500, batch=256)


def test_selu_lecun_is_self_normalising_after_50_layers_of_500(deep):
    run = deep.run("selu")
    assert run.init == "lecun" and run.status == "ok"
    assert len(run.variance) == 51  # the input, then 50 layers
    assert 0.8 <= run.variance[50] <= 1.25
    assert abs(run.mean[50]) < 0.1
    assert all(0.8 <= v <= 1.25 for v in run.variance[1:])


def test_relu_he_keeps_the_second_moment(deep):
    run = deep.run("relu")
    assert run.init == "he"
    m2 = np.asarray(run.second_moment)
    assert 0.5 < m2[50] < 2.0
    assert np.all((m2 > 0.4) & (m2 < 2.5))
    assert run.mean[50] > 0.3  # ReLU is not zero-centred: the mean does not stay at 0


def test_tanh_and_sigmoid_drift(deep):
    tanh = deep.run("tanh")
    assert tanh.variance[50] < 0.1 * tanh.variance[1]  # tanh's variance decays
    sigmoid = deep.run("sigmoid")
    assert abs(sigmoid.mean[50] - 0.5) < 0.05  # sigmoid's mean moves to 1/2 ...
    assert sigmoid.variance[50] < 0.05  # ... and its variance collapses


def test_same_seed_same_numbers():
    a = signal(["gelu"], depth=5, width=32, batch=16, seed=2)
    b = signal(["gelu"], depth=5, width=32, batch=16, seed=2)
    c = signal(["gelu"], depth=5, width=32, batch=16, seed=3)
    assert a.runs == b.runs
    assert a.runs[0].variance != c.runs[0].variance


def test_overflow_is_reported_as_diverged():
    # identity with He weights doubles the variance per layer: 2**200 overflows float32
    result = signal(["identity"], inits=["he"], depth=200, width=16, batch=8)
    run = result.runs[0]
    assert run.status == "diverged"
    assert math.isnan(run.variance[-1]) and math.isfinite(run.variance[10])
    assert common.to_jsonable(result)["runs"][0]["variance"][-1] is None


def test_input_digits_and_several_inits():
    result = signal(["tanh"], inits=["xavier", "default"], depth=3, width=20, batch=32,
                    input="digits")
    assert [r.init for r in result.runs] == ["xavier", "default"]
    assert result.runs[0].variance[0] == pytest.approx(1.0, abs=0.3)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_figure(deep, lang):
    with common.figure_context(lang), warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = draw_signal(deep, lang=lang)
        fig.savefig(io.BytesIO(), format="png")
    mean_ax, var_ax, m2_ax = fig.axes[:3]
    assert var_ax.get_yscale() == m2_ax.get_yscale() == "log"
    assert mean_ax.get_yscale() == "linear"
    np.testing.assert_allclose(var_ax.get_lines()[0].get_ydata(), deep.runs[0].variance)
    assert ("分散" in var_ax.get_title()) == (lang == "ja")


def test_cli_end_to_end(tmp_path, capsys):
    out = tmp_path / "s"
    assert main(["lab", "signal", "--acts", "selu", "tanh", "--depth", "6", "--width", "40",
                 "--batch", "32", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "selu [lecun]: after 6 layers" in printed
    data = json.loads((out / "signal.json").read_text(encoding="utf-8"))
    assert data["settings"]["width"] == 40 and data["settings"]["init"] == ["auto"]
    runs = data["results"]["runs"]
    assert [r["init"] for r in runs] == ["lecun", "xavier"]
    assert len(runs[0]["mean"]) == 7
    assert (out / "signal.png").stat().st_size > 10_000
