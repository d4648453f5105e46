"""The batched multi-seed MLP trains each seed exactly as a separate run would."""

from __future__ import annotations

import os

import numpy as np
import pytest

from actviz.errors import ActvizError


def require(module: str):
    if os.environ.get("CI") != "true":
        return pytest.importorskip(module)
    return __import__(module)


torch = require("torch")

from actviz.lab.batched import (  # noqa: E402
    INITS,
    BatchedMLP,
    TrainConfig,
    init_linear_,
    train_batched,
    train_sequential,
)

pytestmark = pytest.mark.torch


def _toy(n=150, features=6, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, features)).astype(np.float32)
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype(np.int64) + (x[:, 2] > 1).astype(np.int64)
    return x[:100], y[:100], x[100:], y[100:]


@pytest.mark.parametrize(("activation", "optimizer", "lr"), [
    ("relu", "sgd", 0.1), ("relu", "adam", 0.01), ("tanh", "adam", 0.01),
    ("leaky_relu:negative_slope=0.1", "sgd", 0.1), ("prelu", "adam", 0.01),
    ("gelu", "sgd", 0.1),
])
def test_batched_equals_separate_runs(activation, optimizer, lr):
    data = _toy()
    config = TrainConfig((6, 16, 16, 3), init="glorot", optimizer=optimizer, lr=lr, epochs=3,
                         batch_size=16)  # 100 samples: 6 full batches and one of 4 per epoch
    seeds = [3, 11, 12]
    batched = train_batched(activation, seeds, config, *data)
    separate = train_sequential(activation, seeds, config, *data)
    np.testing.assert_allclose(batched.train_loss, separate.train_loss, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(batched.test_accuracy, separate.test_accuracy)
    # learning happened and the seeds differ from one another
    assert np.all(batched.train_loss[:, -1] < batched.train_loss[:, 0])
    assert len({round(v, 6) for v in batched.train_loss[:, 0]}) == 3
    assert not batched.diverged.any()


def test_a_seed_does_not_depend_on_the_others():
    data = _toy()
    config = TrainConfig((6, 8, 3), optimizer="adam", lr=0.02, epochs=2, batch_size=10)
    together = train_batched("elu", [0, 1, 2], config, *data)
    alone = train_batched("elu", [1], config, *data)
    np.testing.assert_allclose(together.train_loss[1], alone.train_loss[0], rtol=1e-5)
    np.testing.assert_array_equal(together.test_accuracy[1], alone.test_accuracy[0])


def test_weights_are_stacked_per_seed_as_nn_linear_would_draw_them():
    model = BatchedMLP((5, 4, 2), "relu", [7, 8], init="default")
    assert tuple(model.weights[0].shape) == (2, 5, 4)
    assert tuple(model.biases[1].shape) == (2, 1, 2)
    generator = torch.Generator().manual_seed(8)
    linear = torch.nn.Linear(5, 4)
    init_linear_(linear.weight, linear.bias, "default", generator)
    torch.testing.assert_close(model.weights[0][1], linear.weight.T)
    torch.testing.assert_close(model.biases[0][1, 0], linear.bias)
    out = model(torch.zeros(2, 3, 5))
    assert tuple(out.shape) == (2, 3, 2)


def test_prelu_learns_one_slope_per_seed():
    model = BatchedMLP((3, 4, 2), "prelu", [0, 1, 2])
    slopes = [p for name, p in model.named_parameters() if "activations" in name]
    assert len(slopes) == 3  # one PReLU weight per seed (one hidden layer)


@pytest.mark.parametrize("scheme", sorted(INITS))
def test_init_schemes_have_the_documented_scale(scheme):
    weight = torch.empty(200, 300)
    bias = torch.empty(200)
    init_linear_(weight, bias, scheme, torch.Generator().manual_seed(0))
    expected = {"glorot": np.sqrt(6 / 500) / np.sqrt(3), "xavier": np.sqrt(2 / 500),
                "he": np.sqrt(2 / 300), "lecun": np.sqrt(1 / 300),
                "default": 1 / np.sqrt(300) / np.sqrt(3)}[scheme]
    assert float(weight.std()) == pytest.approx(expected, rel=0.03)
    if scheme in ("xavier", "he", "lecun"):
        assert float(bias.abs().max()) == 0.0


def test_sklearn_factor_for_the_sigmoid():
    weight, bias = torch.empty(100, 100), torch.empty(100)
    init_linear_(weight, bias, "glorot", torch.Generator().manual_seed(0), activation="sigmoid")
    assert float(weight.abs().max()) <= np.sqrt(2 / 200)
    assert float(weight.abs().max()) > 0.95 * np.sqrt(2 / 200)


def test_rrelu_runs_reproducibly():
    data = _toy()
    config = TrainConfig((6, 8, 3), epochs=2, batch_size=20)
    first = train_batched("rrelu", [0, 1], config, *data)
    second = train_batched("rrelu", [0, 1], config, *data)
    np.testing.assert_array_equal(first.train_loss, second.train_loss)


def test_bad_settings_raise_one_line_errors():
    with pytest.raises(ActvizError, match="unknown init"):
        TrainConfig((2, 2), init="nope")
    with pytest.raises(ActvizError, match="optimizer"):
        TrainConfig((2, 2), optimizer="rmsprop")
    with pytest.raises(ActvizError, match="PyTorch counterpart"):
        train_batched("sinc", [0], TrainConfig((6, 3)), *_toy())


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_fused_optimizer_does_the_same_arithmetic(optimizer):
    data = _toy()
    config = TrainConfig((6, 16, 3), optimizer=optimizer, lr=0.05, epochs=2, batch_size=16)
    fused = train_batched("silu", [0, 1], config, *data, fused=True)
    plain = train_sequential("silu", [0, 1], config, *data, fused=False)
    np.testing.assert_allclose(fused.train_loss, plain.train_loss, rtol=1e-5, atol=1e-6)
