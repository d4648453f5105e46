"""`actviz list`, `actviz info`, `--version`, `--help` and the one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import actviz
from actviz.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_table(capsys):
    code, out, err = run(capsys, "list")
    assert code == 0 and err == ""
    lines = out.strip().splitlines()
    assert lines[0].split()[:2] == ["NAME", "ALIASES"]
    assert lines[-1] == f"{len(actviz.names())} activations"
    assert len(actviz.names()) >= 40
    leaky = next(line for line in lines if line.startswith("leaky_relu "))
    assert "negative_slope=0.01" in leaky and "(-∞, ∞)" in leaky


def test_list_json_and_family(capsys):
    _code, out, _ = run(capsys, "list", "--json")
    rows = json.loads(out)
    assert [r["name"] for r in rows] == actviz.names()
    relu = next(r for r in rows if r["name"] == "relu")
    assert relu == {"name": "relu", "family": "rectifier",
                    "aliases": ["rectifier", "rectified_linear"], "params": {},
                    "range": "[0, ∞)", "torch": "torch.nn.functional.relu"}
    _, out, _ = run(capsys, "list", "--json", "--family", "shrinkage")
    assert [r["name"] for r in json.loads(out)] == ["hardshrink", "softshrink", "tanhshrink"]


def test_info_text_and_json(capsys):
    code, out, _ = run(capsys, "info", "leaky_relu:negative_slope=0.1")
    assert code == 0
    assert "leaky_relu(negative_slope=0.1)" in out
    assert "Dead region (f' = 0): no" in out
    code, out, _ = run(capsys, "info", "relu", "--lang", "ja")
    assert "死んだ" in out and "値域" in out and "左" in out
    code, out, _ = run(capsys, "info", "gelu:approximate=tanh", "--json")
    data = json.loads(out)
    assert data["params"][0]["value"] == "tanh"
    assert data["properties"]["continuity"] == "C∞"
    assert data["torch"] == "torch.nn.functional.gelu"
    assert data["references"][0]["year"] == 2016


@pytest.mark.parametrize(("argv", "words"), [
    (["info", "lekyrelu"], "did you mean 'leaky_relu'"),
    (["info", "leaky_relu:slope=1"], "valid parameters: negative_slope"),
    (["info", "elu:alpha=-1"], "out of range"),
    (["info", "relu", "--lang", "fr"], "invalid choice"),
    (["list", "--family", "nope"], "unknown family"),
    (["frobnicate"], "invalid choice"),
])
def test_errors_are_one_line_exit_2(capsys, argv, words):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.startswith("actviz: error: ") and err.count("\n") == 1
    assert words in err
    assert "Traceback" not in err


def test_version_and_help():
    out = subprocess.run([sys.executable, "-m", "actviz", "--version"], capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == f"actviz {actviz.__version__}"
    out = subprocess.run([sys.executable, "-m", "actviz", "--help"], capture_output=True,
                         text=True, check=True).stdout
    for command in ("list", "info", "plot", "classic", "atlas", "html", "lab"):
        assert command in out


def test_list_and_info_import_neither_matplotlib_nor_torch():
    code = ("import sys, io, contextlib\n"
            "from actviz.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    main(['list']); main(['info', 'gelu']); main(['--help'])\n"
            "print(sorted(m for m in ('matplotlib', 'torch', 'bokeh') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stderr
