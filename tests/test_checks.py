"""The argument checkers: one per kind, the same for the library and the command line."""

from __future__ import annotations

import argparse
import math

import numpy as np
import pytest

from actviz import checks, sampling
from actviz.errors import ActvizError
from actviz.plotting import draw

NOT_NUMBERS = [True, False, "1", None, [1], 1 + 0j]


@pytest.mark.parametrize("checker", [checks.positive_int, checks.non_negative_int,
                                     checks.positive_float, checks.non_negative_float,
                                     checks.fraction, checks.eps])
@pytest.mark.parametrize("value", NOT_NUMBERS, ids=repr)
def test_booleans_and_non_numbers_are_rejected_everywhere(checker, value):
    with pytest.raises(ActvizError, match="must be"):
        checker(value)


@pytest.mark.parametrize("value", [True, False, "1"], ids=repr)
def test_library_entry_points_reject_booleans(value):
    # sampling.regions(eps=True) was accepted while draw.check_eps rejected it
    with pytest.raises(ActvizError, match="eps"):
        sampling.regions("sigmoid", eps=value)
    with pytest.raises(ActvizError, match="eps"):
        draw.check_eps(value)
    with pytest.raises(ActvizError, match="points"):
        sampling.sample("relu", points=value)


def test_booleans_in_limits_are_rejected():
    with pytest.raises(ActvizError, match="two numbers"):
        checks.limits((False, True))
    with pytest.raises(ActvizError, match="two numbers"):
        sampling.check_xlim(("0", 1))


def test_positive_and_non_negative_ints():
    assert checks.positive_int(1) == 1 and type(checks.positive_int(np.int64(3))) is int
    assert checks.non_negative_int(0) == 0
    with pytest.raises(ActvizError, match=r"^depth=0 must be at least 1$"):
        checks.positive_int(0, "depth")
    with pytest.raises(ActvizError, match=r"^-1 must be 0 or more$"):
        checks.non_negative_int(-1)
    with pytest.raises(ActvizError, match=r"^width=2.0 must be a whole number$"):
        checks.positive_int(2.0, "width")
    assert checks.int_between(2, 2, 5, "points") == 2
    with pytest.raises(ActvizError, match=r"^points must be between 2 and 1,000, got 1001$"):
        checks.int_between(1001, 2, 1000, "points")


def test_floats_fractions_and_eps():
    assert checks.positive_float(np.float32(0.5)) == 0.5 and checks.positive_float(3) == 3.0
    assert checks.non_negative_float(0) == 0.0
    assert checks.fraction(1) == 1.0 and checks.fraction(0.25) == 0.25
    assert checks.eps(1e-3) == 1e-3
    for bad in (0, -1.0, math.inf, math.nan):
        with pytest.raises(ActvizError, match="lr="):
            checks.positive_float(bad, "lr")
    for bad in (0, 1.5, -0.1, math.nan):
        with pytest.raises(ActvizError, match=r"out of range|fraction"):
            checks.fraction(bad)
    with pytest.raises(ActvizError, match=r"^eps=-1 must be a positive number$"):
        checks.eps(-1)
    with pytest.raises(ActvizError, match=r"tolerance=-0\.1 must be a non-negative number"):
        checks.non_negative_float(-0.1, "tolerance")


def test_limits():
    assert checks.limits((np.float64(-1), 2)) == (-1.0, 2.0)
    for bad, words in [((1, 1), "min < max"), ((0, math.inf), "finite"), ((1,), "two numbers"),
                       (3, "two numbers")]:
        with pytest.raises(ActvizError, match=words):
            checks.limits(bad, "y")


def test_argument_types_wrap_the_same_checkers():
    assert checks.positive_int_arg("3") == 3
    assert checks.non_negative_int_arg("0") == 0
    assert checks.positive_float_arg("1e-3") == 1e-3
    cases = [(checks.positive_int_arg, "0", "0 must be at least 1"),
             (checks.positive_int_arg, "1.5", "'1.5' is not a whole number"),
             (checks.non_negative_int_arg, "-2", "-2 must be 0 or more"),
             (checks.positive_float_arg, "-0.1", "-0.1 must be a positive number"),
             (checks.positive_float_arg, "nan", "nan must be a positive number"),
             (checks.positive_float_arg, "inf", "inf must be a positive number"),
             (checks.positive_float_arg, "abc", "'abc' is not a number"),
             (checks.argument_type(checks.fraction), "2", "2.0 is out of range; allowed: (0, 1]")]
    for convert, text, message in cases:
        with pytest.raises(argparse.ArgumentTypeError) as caught:
            convert(text)
        assert str(caught.value) == message


def test_the_command_line_uses_them():
    from actviz.commands import _common

    assert _common.positive_int is checks.positive_int_arg
    assert _common.positive_float is checks.positive_float_arg
    assert _common.non_negative_int is checks.non_negative_int_arg


def test_number_between_and_the_figure_size_and_dpi():
    from actviz.plotting import figures

    assert checks.number_between(10, 10, 1200, "dpi") == 10.0
    with pytest.raises(ActvizError, match=r"^dpi=5 is out of range; allowed: \[10, 1200\]$"):
        checks.number_between(5, 10, 1200, "dpi")
    with pytest.raises(ActvizError, match=r"allowed: \(0, 100\] inches"):
        figures.check_size((0, 5))
    assert figures.check_size((8, 5.5)) == (8.0, 5.5)
    for bad in [(True, 5), (8, "5"), (8,)]:
        with pytest.raises(ActvizError, match="size"):
            figures.check_size(bad)
    with pytest.raises(ActvizError, match="dpi"):
        figures.check_dpi(True)


def test_every_eps_default_is_the_one_saturation_threshold():
    """No function spells the threshold as a literal: its default is ``SATURATION_EPS``."""
    import ast
    from pathlib import Path

    literals = []
    for path in sorted((Path(checks.__file__).parent).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            args = [*node.args.posonlyargs, *node.args.args]
            pairs = [*zip(args[len(args) - len(node.args.defaults):], node.args.defaults,
                          strict=True),
                     *zip(node.args.kwonlyargs, node.args.kw_defaults, strict=True)]
            literals += [f"{path.name}:{node.name}" for arg, default in pairs
                         if arg.arg == "eps" and isinstance(default, ast.Constant)]
    assert literals == []
