"""`actviz lab speed`: timings per element, references, table, figure and CLI."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from actviz.cli import main
from actviz.errors import ActvizError


def require(module: str):
    if os.environ.get("CI") != "true":
        return pytest.importorskip(module)
    return __import__(module)


torch = require("torch")

from actviz.lab import common  # noqa: E402
from actviz.lab.speed import (  # noqa: E402
    COPY,
    DEFAULT_ACTS,
    draw_speed,
    measure_speed,
    speed_table,
)

pytestmark = pytest.mark.torch


@pytest.fixture(scope="module")
def small():
    return measure_speed(["tanh", "leaky_relu:0.1", "mish"], size=20_000, repeats=3, warmup=1)


def test_every_activation_is_timed_with_both_references(small):
    assert set(small.timings) == {"torch", "numpy"}
    for backend, timings in small.timings.items():
        labels = [t.label for t in timings]
        assert labels[0] == COPY and "relu" in labels  # ReLU added as the reference
        assert len(labels) == 5
        for t in timings:
            assert len(t.forward_samples) == 3 and len(t.backward_samples) == 3
            assert t.forward == pytest.approx(float(np.median(t.forward_samples)))
            assert t.forward > 0 and t.forward_backward > 0
            assert t.forward_ns == pytest.approx(t.forward / 20_000 * 1e9)
        rows = small.relative(backend)
        relu = next(r for r in rows if r["label"] == "relu")
        assert relu["forward"] == 1.0 and relu["forward_backward"] == 1.0
        costs = [r["forward_backward"] for r in rows]
        assert costs == sorted(costs)
    data = small.as_dict()
    assert data["torch"][0]["forward_backward_vs_relu"] <= data["torch"][-1][
        "forward_backward_vs_relu"]
    json.dumps(common.to_jsonable(data), allow_nan=False)


def test_table_and_figure(small):
    table = speed_table(small)
    assert "Leaky ReLU (0.1)" in table and "plain copy" in table and "NumPy" in table
    assert "単純コピー" in speed_table(small, "ja")
    with common.figure_context("ja"):
        fig = draw_speed(small, "ja")
    ax = fig.axes[0]
    widths = sorted(p.get_width() for p in ax.patches)
    expected = sorted([t.forward_ns for t in small.timings["torch"]]
                      + [t.forward_backward_ns for t in small.timings["torch"]])
    np.testing.assert_allclose(widths, expected)


def test_default_acts_are_those_with_a_torch_version():
    assert list(DEFAULT_ACTS) == common.lab_names()


def test_bad_input():
    with pytest.raises(ActvizError, match="PyTorch counterpart"):
        measure_speed(["sinc"], size=10, repeats=1)
    with pytest.raises(ActvizError, match="backend"):
        measure_speed(["relu"], size=10, repeats=1, backends=["jax"])


def test_cli_writes_png_and_json(tmp_path, capsys):
    status = main(["lab", "speed", "--acts", "relu", "sigmoid", "--size", "5000", "--repeats",
                   "2", "--warmup", "0", "--backend", "torch", "-o", str(tmp_path)])
    assert status == 0
    assert "Sigmoid" in capsys.readouterr().out
    payload = json.loads((tmp_path / "speed.json").read_text(encoding="utf-8"))
    assert {row["label"] for row in payload["results"]["torch"]} == {"copy", "relu", "sigmoid"}
    assert (tmp_path / "speed.png").stat().st_size > 10_000


def test_cuda_without_a_gpu_is_a_clear_error(tmp_path, capsys):
    if torch.cuda.is_available():
        pytest.skip("a GPU is present")
    assert main(["lab", "speed", "--device", "cuda", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("actviz: error:") and "cuda" in err and err.count("\n") == 1
