"""`actviz plot` and `actviz info` say, with one shared helper, where a user's activation stops
being finite; `info --json` carries it as the field "nonfinite"."""

from __future__ import annotations

import json

import pytest

import actviz
from actviz import sampling
from actviz.cli import build_parser, main
from actviz.commands import _common

NOTE = ("actviz: note: exp(exp(x)): f is not finite for x in [6.565, 10] (688 of 4001 points); "
        "f' is not finite for x in [6.56, 10] (689 of 4001 points)\n")


def test_info_prints_the_note_plot_prints(tmp_path, capsys):
    assert main(["plot", "exp(exp(x))", "--points", "50", "-o", str(tmp_path / "f.png")]) == 0
    plotted = capsys.readouterr()
    assert plotted.err == NOTE
    assert main(["info", "exp(exp(x))"]) == 0
    shown = capsys.readouterr()
    assert shown.err == NOTE  # over plot's default range, -10 to 10
    assert shown.out.startswith("exp(exp(x)) — exp(exp(x))\n") and "note" not in shown.out


def test_info_json_carries_the_note_or_null(capsys):
    assert main(["info", "exp(exp(x))", "--json"]) == 0
    out = capsys.readouterr()
    assert out.err == ""  # the note is in the data, stdout stays JSON
    assert json.loads(out.out)["nonfinite"] == NOTE.removeprefix("actviz: note: ").rstrip("\n")
    # the naive softplus overflows only beyond x = 709.78, outside -10..10: null, as for relu
    for spec in ("log(1 + exp(x))", "relu"):
        assert main(["info", spec, "--json"]) == 0
        out = capsys.readouterr()
        assert json.loads(out.out)["nonfinite"] is None and out.err == ""
    assert main(["info", "sqrt(x)", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["nonfinite"] == (
        "sqrt(x): f is not finite for x in [-10, -0.005] (2000 of 4001 points); "
        "f' is not finite for x in [-10, 0] (2001 of 4001 points)")


def test_the_shared_helper():
    assert _common.PLOT_XLIM == sampling.DEFAULT_XLIM
    assert tuple(build_parser().parse_args(["plot", "relu"]).xlim) == _common.PLOT_XLIM
    naive = actviz.get("log(1 + exp(x))")
    assert _common.nonfinite_note(naive) is None
    assert _common.nonfinite_note(naive, (-10, 1000)).startswith(
        "log(1 + exp(x)): f is not finite for x in [709.")
    # a built-in is finite by construction: not even looked at
    assert _common.nonfinite_note(actviz.get("relu"), (-10, 1000)) is None
    # a py: object is the user's too
    assert _common.nonfinite_note(actviz.get("py:numpy.log")) == (
        "numpy.log: f is not finite for x in [-10, 0] (2001 of 4001 points); "
        "f' is not finite for x in [-10, 0] (2001 of 4001 points)")


def test_print_notes_one_line_each(capsys):
    _common.print_nonfinite_notes([actviz.get(s) for s in ("relu", "sqrt(x)", "x * tanh(x)",
                                                          "exp(exp(x))")])
    err = capsys.readouterr().err.splitlines()
    assert [line.split(":")[2].strip() for line in err] == ["sqrt(x)", "exp(exp(x))"]
    assert all(line.startswith("actviz: note: ") for line in err)


@pytest.mark.parametrize("xlim, expected", [(("-10", "1000"), "log(1 + exp(x)): f is not finite"),
                                            (("-10", "10"), None)])
def test_plot_uses_its_xlim(tmp_path, capsys, xlim, expected):
    assert main(["plot", "log(1 + exp(x))", "--xlim", *xlim, "--points", "50",
                 "-o", str(tmp_path / "f.png")]) == 0
    err = capsys.readouterr().err
    assert (err.startswith(f"actviz: note: {expected}") if expected else err == "")
