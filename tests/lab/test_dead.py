"""`actviz lab dead`: networks born dead, and units dying in training."""

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
from actviz.lab.dead import (  # noqa: E402
    born_dead,
    born_dead_table,
    draw_born_dead,
    draw_dying,
    dying_in_training,
)

pytestmark = pytest.mark.torch

RELU, LEAKY = "relu", "leaky_relu(negative_slope=0.1)"


@pytest.fixture(scope="module")
def born():
    with common.torch_threads(1):
        return born_dead(depths=(1, 5, 20), widths=(2, 4, 32), trials=300, inputs=64)


def test_narrow_deep_relu_networks_are_born_dead(born):
    assert born.p(RELU, 20, 2) > 0.9  # Lu et al. 2020: close to 1
    assert born.p(RELU, 20, 2) > born.p(RELU, 5, 2) > born.p(RELU, 1, 2)  # deeper: more
    assert born.p(RELU, 20, 2) > born.p(RELU, 20, 4) > born.p(RELU, 20, 32)  # wider: fewer
    assert born.p(RELU, 20, 32) < 0.02  # wide ones rarely
    assert born.stderr[RELU][2][0] == pytest.approx(
        math.sqrt(born.p(RELU, 20, 2) * (1 - born.p(RELU, 20, 2)) / 300))


def test_leaky_relu_is_never_born_dead(born):
    assert np.all(np.asarray(born.probability[LEAKY]) == 0.0)


def test_born_dead_reproducible_and_independent_of_the_grid(born):
    again = born_dead(depths=(20,), widths=(2,), trials=300, inputs=64)
    assert again.p(RELU, 20, 2) == born.p(RELU, 20, 2)  # each width has its own stream
    other = born_dead(depths=(5,), widths=(2,), trials=300, inputs=64, seed=1)
    assert other.p(RELU, 5, 2) != born.p(RELU, 5, 2)


def test_zero_bias_option_and_errors():
    from actviz.errors import ActvizError

    result = born_dead(["relu"], depths=(10,), widths=(2,), trials=100, inputs=16, bias="zero")
    assert 0 < result.p("relu", 10, 2) <= 1
    with pytest.raises(ActvizError, match="unknown bias"):
        born_dead(bias="uniform")
    with pytest.raises(ActvizError, match="at least 1"):
        born_dead(widths=(0,))


def test_born_dead_table(born):
    table = born_dead_table(born)
    assert "| depth \\ width | 2 | 4 | 32 |" in table
    assert f"| 20 | {born.p(RELU, 20, 2):.3f} |" in table


@pytest.fixture(scope="module")
def dying():
    with common.torch_threads(1):
        return dying_in_training(lrs=(0.05, 1.0, 1000.0), epochs=3, depth=3, width=32)


def test_dying_shapes_and_values(dying):
    assert len(dying.runs) == 6
    for run in dying.runs:
        assert len(run.dead) == 4 and all(len(row) == 3 for row in run.dead)
        assert len(run.test_accuracy) == 4
        for row in run.dead:
            assert all(math.isnan(v) or 0 <= v <= 1 for v in row)
    small = dying.run("relu", 0.05)
    assert small.status == "ok" and small.test_accuracy[-1] > 0.8
    assert small.dead == small.inactive  # for ReLU, dead means negative for every input


def test_too_large_learning_rate_is_reported_as_diverged(dying):
    for act in (RELU, LEAKY):
        run = dying.run(act, 1000.0)
        assert run.status == "diverged" and run.diverged_epoch == 1
        assert math.isnan(run.test_accuracy[-1])
    data = common.to_jsonable(dying)
    assert data["runs"][2]["status"] == "diverged"


def test_leaky_relu_units_never_die(dying):
    for lr in dying.lrs:
        run = dying.run(LEAKY, lr)
        finite = [v for row in run.dead for v in row if not math.isnan(v)]
        assert finite and all(v == 0.0 for v in finite)


def test_large_steps_kill_relu_units():
    worst = 0.0
    for seed in (0, 1, 2):
        result = dying_in_training(["relu"], lrs=(1.0,), epochs=2, seed=seed)
        dead = np.asarray(result.runs[0].dead, dtype=float)
        worst = max(worst, float(np.nanmax(dead)))
    assert worst > 0.2  # a fifth of a layer or more dead after an epoch or two at lr 1


def test_same_seed_same_numbers():
    kw = dict(lrs=(0.1,), epochs=1, depth=2, width=16)
    a = dying_in_training(["relu"], seed=4, **kw)
    b = dying_in_training(["relu"], seed=4, **kw)
    assert a.runs == b.runs


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_figures(born, dying, lang):
    with common.figure_context(lang), warnings.catch_warnings():
        warnings.simplefilter("error")
        fig_born = draw_born_dead(born, lang=lang)
        fig_born.savefig(io.BytesIO(), format="png")
        fig_dying = draw_dying(dying, lang=lang)
        fig_dying.savefig(io.BytesIO(), format="png")
    image = fig_born.axes[0].get_images()[0].get_array()
    np.testing.assert_allclose(np.asarray(image), born.probability[RELU])
    texts = [t.get_text() for t in fig_born.axes[0].texts]
    assert f"{born.p(RELU, 20, 2):.2f}" in texts
    assert len(fig_dying.axes) >= 6  # 2 activations x 3 learning rates
    line = fig_dying.axes[0].get_lines()[1]  # first layer, dead fraction
    np.testing.assert_allclose(line.get_ydata(), [row[0] for row in dying.runs[0].dead])


def test_cli_end_to_end(tmp_path, capsys):
    out = tmp_path / "d"
    assert main(["lab", "dead", "--depths", "2", "10", "--widths", "2", "8", "--trials", "50",
                 "--inputs", "16", "--lrs", "0.1", "--epochs", "1", "--depth", "2", "--width",
                 "16", "-o", str(out), "--lang", "ja"]) == 0
    printed = capsys.readouterr().out
    assert "生まれつき" in printed and "学習率 0.1" in printed
    assert sorted(p.name for p in out.iterdir()) == ["dead-born.md", "dead-born.png",
                                                     "dead-training.png", "dead.json"]
    data = json.loads((out / "dead.json").read_text(encoding="utf-8"))
    assert data["results"]["born"]["depths"] == [2, 10]
    assert data["results"]["training"]["lrs"] == [0.1]
    assert data["settings"]["trials"] == 50
    assert main(["lab", "dead", "--part", "born", "--depths", "3", "--widths", "2",
                 "--trials", "10", "--inputs", "4", "-o", str(tmp_path / "b"), "--quiet"]) == 0
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == [
        "dead-born.md", "dead-born.png", "dead.json"]
    data = json.loads((tmp_path / "b" / "dead.json").read_text(encoding="utf-8"))
    assert data["results"]["training"] is None and "lrs" not in data["settings"]
