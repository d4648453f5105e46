"""`actviz lab train --data FILE` and the lab on user activations (formula, py:, --define)."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from actviz.cli import main
from actviz.errors import ActvizError
from actviz.lab.userdata import load_file
from tests.conftest import require


def _blobs(n=120, seed=1):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3))
    return x, (x[:, 0] + x[:, 1] > 0).astype(int)


def test_npz_and_csv_read_alike(tmp_path):
    x, y = _blobs()
    np.savez(tmp_path / "d.npz", X=x, y=y)
    np.savetxt(tmp_path / "d.csv", np.column_stack([x, y]), delimiter=",", header="a,b,c,label",
               comments="")
    a, b = load_file(tmp_path / "d.npz"), load_file(tmp_path / "d.csv")
    assert (a.n_features, a.n_classes, len(a.x_train), len(a.x_test)) == (3, 2, 90, 30)
    np.testing.assert_allclose(a.x_train, b.x_train, rtol=1e-6)
    np.testing.assert_array_equal(a.y_test, b.y_test)
    assert a.provenance["data_sha256"] == hashlib.sha256(
        (tmp_path / "d.npz").read_bytes()).hexdigest()
    assert abs(float(a.x_train.mean())) < 1e-6  # standardised with the training statistics


def test_word_labels_in_csv(tmp_path):
    x, y = _blobs()
    lines = [",".join(f"{v:.6f}" for v in row) + ("," + ("cat" if k else "dog"))
             for row, k in zip(x, y, strict=True)]
    (tmp_path / "w.csv").write_text("\n".join(lines))
    data = load_file(tmp_path / "w.csv")
    assert data.provenance["classes"] == ["cat", "dog"] and data.n_classes == 2


@pytest.mark.parametrize("make, words", [
    (lambda p: np.savez(p / "f.npz", X=np.ones((10, 2))), "needs arrays 'X' and 'y'"),
    (lambda p: np.savez(p / "f.npz", X=np.ones(10), y=np.arange(10) % 2), "2-D"),
    (lambda p: np.savez(p / "f.npz", X=np.ones((10, 2)), y=np.arange(9) % 2), "one label per row"),
    (lambda p: np.savez(p / "f.npz", X=np.where(np.eye(10, 2) > 0, np.nan, 1.0),
                        y=np.arange(10) % 2), "non-finite value(s), the first at row 1, column 1"),
    (lambda p: np.savez(p / "f.npz", X=np.ones((10, 2)), y=np.zeros(10)), "at least two"),
    (lambda p: np.savez(p / "f.npz", X=np.ones((10, 2)), y=np.linspace(0, 1, 10)),
     "class labels"),
    (lambda p: np.savez(p / "f.npz", X=np.ones((10, 2)),
                        y=np.array([{}] * 10, dtype=object)), "cannot read"),
    (lambda p: (p / "f.csv").write_text("1,2,0\n3,x,1\n"), "row 2 has a feature"),
    (lambda p: (p / "f.csv").write_text("1,2,0\n3,1\n"), "row 2 has 2 columns"),
    (lambda p: (p / "f.npz").write_bytes(b"not a zip"), "not a readable .npz"),
])
def test_bad_files_give_one_line_errors(tmp_path, make, words):
    make(tmp_path)
    path = next(tmp_path.iterdir())
    with pytest.raises(ActvizError) as caught:
        load_file(path)
    assert words in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.torch
def test_lab_train_on_a_file_with_a_formula_py_object_and_define(tmp_path, capsys):
    require("torch")
    require("scipy")
    x, y = _blobs(200)
    data = tmp_path / "blobs.npz"
    np.savez(data, X=x, y=y)
    out = tmp_path / "out"
    assert main(["lab", "train", "--data", str(data), "--define",
                 "swb=x * sigmoid(beta * x); beta=1", "--acts", "x * tanh(softplus(x))",
                 "swb:beta=2", "py:torch.nn.ELU:alpha=0.5", "--compare", "relu", "swb:beta=2",
                 "--epochs", "2", "--seeds", "2", "--width", "8", "--quiet", "-o",
                 str(out)]) == 0
    record = json.loads((out / "train.json").read_text())
    settings = record["settings"]
    assert settings["data_file"] == "blobs.npz"
    assert settings["data_sha256"] == hashlib.sha256(data.read_bytes()).hexdigest()
    specs = [r["spec"] for r in record["results"]["runs"]]
    assert specs[:3] == ["x * tanh(softplus(x))", "swb:beta=2.0", "py:torch.nn.ELU:alpha=0.5"]
    for run in record["results"]["runs"]:
        assert run["status"] == "ok" and 0.3 <= run["final_test_accuracy"]["mean"] <= 1.0
    capsys.readouterr()
    assert main(["lab", "train", "--data", str(tmp_path / "none.csv"), "--quiet", "-o",
                 str(out)]) == 2
    assert "no such file" in capsys.readouterr().err
