"""actviz.lab.common: torch check, activations, MLP builder and inits, data, seeds, progress, output."""

from __future__ import annotations

import io
import json
import math
import os
import sys

import numpy as np
import pytest

from actviz.errors import ActvizError, OptionalDependencyError
from actviz.lab import common
from tests.conftest import require

torch = require("torch")
require("sklearn")

pytestmark = pytest.mark.torch


def test_require_torch_without_torch_raises_one_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(OptionalDependencyError) as info:
        common.require_torch()
    message = str(info.value)
    assert message == ("PyTorch is not installed; install it with: pip install 'actviz[lab]'")
    assert isinstance(info.value, ActvizError)


def test_default_acts_all_have_torch_counterparts():
    acts = common.resolve_activations(common.DEFAULT_ACTS)
    assert [a.name for a in acts][:4] == ["sigmoid", "tanh", "relu", "leaky_relu"]
    assert acts[3].params["negative_slope"] == 0.1
    assert set(common.lab_names()) >= {"relu", "selu", "gelu", "silu", "elu", "sigmoid", "tanh"}


def test_activation_without_torch_counterpart_is_a_one_line_error_listing_usable_ones():
    with pytest.raises(ActvizError) as info:
        common.resolve_activations(["relu", "gaussian"])
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("gaussian has no PyTorch counterpart")
    assert "relu" in message and "selu" in message and "gaussian," not in message


def test_activation_module_matches_registry_math():
    module = common.activation_module("leaky_relu:negative_slope=0.1")
    x = np.linspace(-3, 3, 13)
    import actviz

    expected = actviz.get("leaky_relu:negative_slope=0.1")(x)
    got = module(torch.as_tensor(x)).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-12)


@pytest.mark.parametrize(("init", "expected_std"), [
    ("xavier", math.sqrt(2 / (400 + 400))),
    ("he", math.sqrt(2 / 400)),
    ("lecun", math.sqrt(1 / 400)),
    ("default", math.sqrt(1 / (3 * 400))),
    ("glorot", math.sqrt(6 / 800 / 3)),
])
def test_mlp_init_standard_deviations(init, expected_std):
    with common.seeded(0):
        model = common.build_mlp(400, 10, width=400, depth=2, activation="relu", init=init)
    assert len(model) == 5
    assert isinstance(model[1], torch.nn.ReLU)
    hidden = common.hidden_linears(model)
    assert [lin.in_features for lin in hidden] == [400, 400]
    std = float(hidden[1].weight.detach().std())
    assert std == pytest.approx(expected_std, rel=0.02)
    if init not in ("default", "glorot"):
        assert float(hidden[1].bias.detach().abs().max()) == 0.0


def test_he_gain_accounts_for_leaky_slope():
    import actviz

    assert common.he_gain(actviz.get("relu")) == pytest.approx(math.sqrt(2))
    assert common.he_gain(actviz.get("leaky_relu:negative_slope=0.1")) == pytest.approx(
        math.sqrt(2 / 1.01))


def test_auto_init():
    import actviz

    assert common.auto_init(actviz.get("selu")) == "lecun"
    assert common.auto_init(actviz.get("tanh")) == "xavier"
    assert common.auto_init(actviz.get("sigmoid")) == "xavier"
    assert common.auto_init(actviz.get("relu")) == "he"
    assert common.resolve_init("xavier", actviz.get("relu")) == "xavier"
    # one table of schemes for the whole lab: scikit-learn's glorot too
    assert common.resolve_init("glorot", actviz.get("relu")) == "glorot"
    with pytest.raises(ActvizError, match="unknown init 'orthogonal'"):
        common.resolve_init("orthogonal", actviz.get("relu"))


def test_bad_mlp_arguments():
    with pytest.raises(ActvizError, match="unknown init"):
        common.build_mlp(4, 2, width=3, depth=2, activation="relu", init="orthogonal")
    with pytest.raises(ActvizError, match="at least 1"):
        common.build_mlp(4, 2, width=3, depth=0, activation="relu")


def test_seeded_reproduces_and_restores_global_state():
    torch.manual_seed(123)
    expected_next = torch.rand(3)
    torch.manual_seed(123)
    with common.seeded(7):
        a = common.build_mlp(5, 2, width=4, depth=2, activation="tanh", init="xavier")
    after = torch.rand(3)
    assert torch.equal(after, expected_next)  # the caller's stream is untouched
    with common.seeded(7):
        b = common.build_mlp(5, 2, width=4, depth=2, activation="tanh", init="xavier")
    with common.seeded(8):
        c = common.build_mlp(5, 2, width=4, depth=2, activation="tanh", init="xavier")
    assert torch.equal(a[0].weight, b[0].weight)
    assert not torch.equal(a[0].weight, c[0].weight)


def test_torch_threads_restores():
    before = torch.get_num_threads()
    with common.torch_threads(1):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before


def test_digits_fixed_split_standardised():
    data = common.load_digits_data()
    assert data.x_train.shape == (1348, 64) and data.x_test.shape == (449, 64)
    assert data.x_train.dtype == np.float32 and data.y_train.dtype == np.int64
    assert data.n_classes == 10
    np.testing.assert_allclose(data.x_train.mean(axis=0), 0, atol=1e-5)
    stds = data.x_train.std(axis=0)
    assert np.all((np.abs(stds - 1) < 1e-4) | (stds < 1e-6))  # constant pixels only centred
    # the split never depends on --seed: a second load is the same object content
    common.load_digits_data.cache_clear()
    again = common.load_digits_data()
    np.testing.assert_array_equal(again.y_test, data.y_test)


def test_input_batches():
    x, _ = common.input_batch("gaussian", 1000, seed=3, dim=8)
    assert x.shape == (1000, 8) and x.dtype == np.float32
    assert abs(float(x.mean())) < 0.1 and abs(float(x.std()) - 1) < 0.05
    x2, _ = common.input_batch("gaussian", 1000, seed=3, dim=8)
    np.testing.assert_array_equal(x, x2)
    xd, yd = common.input_batch("digits", 50, seed=0)
    assert xd.shape == (50, 64) and set(yd) <= set(range(10))
    with pytest.raises(ActvizError, match="unknown input"):
        common.input_batch("mnist", 5)


def test_resolve_device():
    assert common.resolve_device("cpu").type == "cpu"
    if not torch.cuda.is_available():
        with pytest.raises(ActvizError, match="--device cuda is not available"):
            common.resolve_device("cuda")


def test_status_and_json_safety():
    assert common.status(1.0, [2.0, 3.0]) == "ok"
    assert common.status(1.0, [float("nan")]) == "diverged"
    assert common.status(torch.tensor([1.0, float("inf")])) == "diverged"
    data = common.to_jsonable({"a": float("nan"), "b": np.array([1.0, np.inf]),
                               "c": (np.int64(2), np.float32(0.5)), "d": torch.tensor([1.5])})
    assert data == {"a": None, "b": [1.0, None], "c": [2, 0.5], "d": [1.5]}


class _FakeTTY(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_silent_unless_terminal_and_not_quiet():
    pipe = io.StringIO()
    bar = common.StderrProgress("x", stream=pipe, delay=0)
    bar(1, 2)
    bar.close()
    assert pipe.getvalue() == ""
    tty = _FakeTTY()
    with common.progress_bar("gradflow", stream=tty, quiet=True) as progress:
        progress(2, 2)
    assert tty.getvalue() == ""
    bar = common.StderrProgress("gradflow", stream=tty, delay=0)
    bar(2, 4)
    bar.close()
    assert "gradflow [" in tty.getvalue() and "2/4" in tty.getvalue()
    assert tty.getvalue().endswith("\n")


def test_write_outputs_png_and_json(tmp_path):
    from PIL import Image

    with common.figure_context("ja"):
        fig = common.new_figure((3, 2))
        ax = fig.subplots()
        ax.plot([0, 1], [0, 1])
        ax.set_title("勾配")
        paths = common.write_outputs(tmp_path / "out", "demo", figures={"": fig},
                                     results={"x": [1.0, float("nan")]},
                                     settings={"seed": 3}, seed=3)
    assert [p.name for p in paths] == ["demo.png", "demo.json"]
    with Image.open(paths[0]) as image:
        assert image.size[0] > 100
    data = json.loads(paths[1].read_text(encoding="utf-8"))
    assert data["results"] == {"x": [1.0, None]}
    assert data["seed"] == 3 and data["settings"] == {"seed": 3}
    assert data["torch_version"] == torch.__version__
    import actviz

    assert data["actviz_version"] == actviz.__version__
    assert data["figures"] == ["demo.png"]
    assert sorted(os.listdir(tmp_path / "out")) == ["demo.json", "demo.png"]  # no temp files


def test_figure_context_leaves_rcparams_alone():
    import matplotlib

    before = dict(matplotlib.rcParams)
    with common.figure_context("ja"):
        assert "IPAexGothic" in matplotlib.rcParams["font.family"]
    assert dict(matplotlib.rcParams) == before
