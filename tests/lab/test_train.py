"""`actviz lab train`: data, results, statistics, outputs and the scikit-learn peer check."""

from __future__ import annotations

import json

import numpy as np
import pytest

from actviz.cli import main
from actviz.errors import ActvizError
from tests.conftest import require

torch = require("torch")
require("sklearn")
require("scipy")

from actviz.lab import common  # noqa: E402
from actviz.lab.batched import TrainConfig, train_batched  # noqa: E402
from actviz.lab.stats import paired_comparison  # noqa: E402
from actviz.lab.train import (  # noqa: E402
    DATASETS,
    draw_training,
    load_dataset,
    run_training,
    sklearn_peer_check,
    summary_table,
)

pytestmark = pytest.mark.torch


@pytest.mark.parametrize("name", DATASETS)
def test_datasets_are_standardised_with_a_fixed_split(name):
    data = load_dataset(name)
    assert data.x_train.dtype == np.float32 and data.y_train.dtype == np.int64
    assert len(data.x_test) == pytest.approx(0.25 * (len(data.x_train) + len(data.x_test)),
                                             abs=1)
    assert set(np.unique(data.y_train)) == set(range(data.n_classes))
    varying = data.x_train.std(axis=0) > 0
    np.testing.assert_allclose(data.x_train.mean(axis=0), 0.0, atol=1e-5)
    np.testing.assert_allclose(data.x_train.std(axis=0)[varying], 1.0, rtol=1e-4)
    load_dataset.cache_clear()
    again = load_dataset(name)
    np.testing.assert_array_equal(again.x_test, data.x_test)
    assert data.n_classes == (10 if name == "digits" else 2)


def test_unknown_dataset():
    with pytest.raises(ActvizError, match="choose one of digits"):
        load_dataset("mnist")


@pytest.fixture(scope="module")
def small_results():
    return run_training(["tanh"], data="moons", depth=1, width=16, epochs=4, batch_size=50,
                        seeds=3, lr=0.02, target=0.8, compare=["relu", "leaky_relu:0.1"])


def test_results_hold_every_seed_and_the_paired_comparison(small_results):
    r = small_results
    assert [run.label for run in r.runs] == ["tanh", "relu", "leaky_relu(negative_slope=0.1)"]
    for run in r.runs:
        assert run.history.test_accuracy.shape == (3, 4)
        assert run.history.seeds == [0, 1, 2]
        final = run.history.test_accuracy[:, -1]
        assert run.final_accuracy.mean == pytest.approx(final.mean())
        for row, epoch in zip(run.history.test_accuracy, run.epochs_to_target, strict=True):
            if epoch is None:
                assert np.all(row < 0.8)
            else:
                assert row[epoch - 1] >= 0.8 and np.all(row[:epoch - 1] < 0.8)
        mean, low, high = run.accuracy_band()
        assert np.all(low <= mean + 1e-12) and np.all(mean <= high + 1e-12)
    c = r.comparison
    expected = paired_comparison(r.runs[1].history.test_accuracy[:, -1],
                                 r.runs[2].history.test_accuracy[:, -1])
    assert c.p_value == pytest.approx(expected.p_value)
    assert c.mean_difference == pytest.approx(expected.mean_difference)
    assert c.label_a == "ReLU" and c.label_b == "Leaky ReLU (0.1)"
    table = summary_table(r)
    assert "Leaky ReLU (0.1)" in table and "significant" in table
    assert "有意" in summary_table(r, "ja")
    data = r.as_dict("ja")
    assert data["comparison"]["sentence"].startswith("ReLU 対 Leaky ReLU (0.1)")
    json.dumps(common.to_jsonable(data), allow_nan=False)


def test_seeds_follow_separate_runs(small_results):
    data = load_dataset("moons")
    config = TrainConfig((2, 16, 2), lr=0.02, epochs=4, batch_size=50)
    alone = train_batched("tanh", [2], config, data.x_train, data.y_train, data.x_test,
                          data.y_test)
    np.testing.assert_allclose(small_results.runs[0].history.train_loss[2],
                               alone.train_loss[0], rtol=1e-5)


def test_figure_draws_every_band_and_leaves_rcparams_alone(small_results):
    import matplotlib

    before = dict(matplotlib.rcParams)
    for lang in ("en", "ja"):
        with common.figure_context(lang):
            fig = draw_training(small_results, lang)
        loss_ax, acc_ax, final_ax = fig.axes[:3]
        assert len(loss_ax.lines) == 3 and len(loss_ax.collections) == 3
        line = acc_ax.lines[0]
        np.testing.assert_allclose(line.get_ydata(),
                                   small_results.runs[0].accuracy_band()[0] * 100)
        assert [t.get_text() for t in final_ax.get_yticklabels()] == [
            run.display_name for run in small_results.runs]
    assert dict(matplotlib.rcParams) == before


def test_bad_arguments():
    with pytest.raises(ActvizError, match="at least 2 seeds"):
        run_training(["relu"], seeds=1, epochs=1)
    with pytest.raises(ActvizError, match="PyTorch counterpart"):
        run_training(["sinc"], seeds=2, epochs=1)
    with pytest.raises(ActvizError, match="two different"):
        run_training(["relu"], seeds=2, epochs=1, compare=["relu", "relu"])


def test_cli_writes_png_and_json(tmp_path, capsys):
    status = main(["lab", "train", "--data", "circles", "--acts", "relu", "--depth", "1",
                   "--width", "8", "--epochs", "2", "--seeds", "2", "--batch-size", "100",
                   "--lr", "0.05", "-o", str(tmp_path), "--lang", "ja"])
    assert status == 0
    out = capsys.readouterr().out
    assert "ReLU 対 Leaky ReLU (0.1)" in out
    payload = json.loads((tmp_path / "train.json").read_text(encoding="utf-8"))
    assert payload["experiment"] == "train"
    runs = payload["results"]["runs"]
    assert [r["label"] for r in runs] == ["relu", "leaky_relu(negative_slope=0.1)"]
    assert len(runs[0]["test_accuracy"]) == 2 and len(runs[0]["test_accuracy"][0]) == 2
    from PIL import Image

    with Image.open(tmp_path / "train.png") as image:
        assert image.size[0] > 1000


def test_cli_rejects_cuda_without_a_gpu(tmp_path, capsys):
    if torch.cuda.is_available():
        pytest.skip("a GPU is present")
    status = main(["lab", "train", "--device", "cuda", "-o", str(tmp_path)])
    assert status == 2
    assert "cuda" in capsys.readouterr().err


def test_peer_check_against_sklearn_mlp():
    """Same hidden layers, epochs, batch size, Adam, no L2, Glorot init: within 1.5 points."""
    require("sklearn")
    rows = sklearn_peer_check(width=32, epochs=10, batch_size=64, lr=0.01, seeds=3)
    assert [name for name, _, _ in rows] == ["relu", "tanh", "sigmoid"]
    for name, ours, theirs in rows:
        assert ours == pytest.approx(theirs, abs=1.5), name
        assert ours > 90


def test_diverged_runs_are_reported_not_fatal(tmp_path):
    status = main(["lab", "train", "--data", "moons", "--optimizer", "sgd", "--lr", "1000",
                   "--epochs", "2", "--seeds", "2", "--width", "8", "--depth", "1", "--acts",
                   "relu", "--quiet", "-o", str(tmp_path)])
    assert status == 0
    run = json.loads((tmp_path / "train.json").read_text())["results"]["runs"][0]
    assert run["status"] == "diverged" and run["diverged_seeds"] == [0, 1]
    assert run["train_loss"][0] == [None, None]
