"""`actviz lab`: the experiment dispatcher, common options, missing torch, no heavy imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from actviz.cli import build_parser, main
from actviz.commands import lab as lab_command

ROOT = Path(__file__).resolve().parents[2]


def test_help_imports_neither_torch_nor_matplotlib():
    code = ("import sys; from actviz.cli import build_parser; p = build_parser(); "
            "p.parse_args(['lab', 'gradflow', '--depth', '3']); "
            "print(sorted(m for m in ('torch', 'matplotlib', 'sklearn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(ROOT / "src")}, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_every_experiment_is_listed_and_has_the_common_options():
    parser = build_parser()
    for name in lab_command.EXPERIMENTS:
        args = parser.parse_args(["lab", name])
        assert args.experiment == name
        if getattr(args, "lab_module", None) is None:
            continue  # not written yet: says so when run
        assert args.seed == 0 and args.device == "cpu" and args.output == "lab-output"
        assert args.lang == "en" and args.quiet is False and args.threads == 1
        assert args.acts


def test_experiment_defaults_for_acts():
    parser = build_parser()
    assert parser.parse_args(["lab", "gradflow"]).acts[:4] == [
        "sigmoid", "tanh", "relu", "leaky_relu:negative_slope=0.1"]
    assert parser.parse_args(["lab", "dead"]).acts == ["relu", "leaky_relu:negative_slope=0.1"]
    args = parser.parse_args(["lab", "signal", "--acts", "selu", "relu", "--seed", "4",
                              "--device", "cpu", "-o", "x", "--lang", "ja", "--quiet"])
    assert args.acts == ["selu", "relu"] and args.seed == 4 and args.output == "x"
    assert args.lang == "ja" and args.quiet


def test_lab_without_experiment_prints_help(capsys):
    assert main(["lab"]) == 0
    assert "gradflow" in capsys.readouterr().out


def test_bad_option_is_one_line(capsys):
    assert main(["lab", "gradflow", "--device", "tpu"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("actviz: error: ") and err.count("\n") == 1


@pytest.mark.parametrize("args, message", [
    (["gradflow", "--steps", "-1"], "argument --steps: -1 must be 0 or more"),
    (["gradflow", "--lr", "-0.1"], "argument --lr: -0.1 must be a positive number"),
    (["speed", "--warmup", "-2"], "argument --warmup: -2 must be 0 or more"),
    (["speed", "--warmup", "1.5"], "argument --warmup: '1.5' is not a whole number"),
    (["train", "--target", "150"], "argument --target: 150 is out of range"),
])
def test_bad_numbers_fail_while_parsing(tmp_path, capsys, args, message):
    out = tmp_path / "never-written"
    assert main(["lab", *args, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("actviz: error: ") and err.count("\n") == 1
    assert message in err
    assert not out.exists()


def test_missing_torch_is_one_line_exit_2(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "torch", None)
    assert main(["lab", "gradflow", "-o", "never-written"]) == 2
    err = capsys.readouterr().err
    assert err == ("actviz: error: PyTorch is not installed; install it with: "
                   "pip install 'actviz[lab]'\n")


def test_missing_experiment_module_is_reported(monkeypatch, capsys):
    real = lab_command._experiment_module
    monkeypatch.setattr(lab_command, "_experiment_module",
                        lambda name: None if name == "speed" else real(name))
    parser = build_parser()
    args = parser.parse_args(["lab", "speed"])
    with pytest.raises(Exception, match="not available in this version yet"):
        args.run(args)
