"""An anonymous formula's parameters, set every way a user can: the same values as a name
given by --define with those parameters (library, plot --sweep, lab --acts, html sliders),
and a FORMULA:key=value spec refused in one line that says what to write."""

from __future__ import annotations

import json

import numpy as np
import pytest

import actviz
from actviz import extensions
from actviz.cli import main
from actviz.formula import FormulaSyntaxError, parse
from tests.conftest import require

FORMULA = "x * sigmoid(beta * x); beta=1.0"
X = np.linspace(-30, 30, 601)


@pytest.fixture
def swb():
    """The same formula under a name, as --define gives it (removed afterwards)."""
    before = set(extensions._DEFINED)
    actviz.define("swb", FORMULA)
    yield
    for name in set(extensions._DEFINED) - before:
        extensions.undefine(name)


def _same(a, b):
    np.testing.assert_array_equal(a(X), b(X))
    np.testing.assert_array_equal(a.grad(X), b.grad(X))
    assert a.breakpoints == b.breakpoints
    assert a.properties == b.properties


def test_every_library_way_gives_the_defined_names_values(swb):
    named = actviz.get("swb:beta=2")
    ways = [actviz.get(FORMULA, beta=2), actviz.get(FORMULA).with_params(beta=2),
            actviz.get("x * sigmoid(beta * x); beta=2"), actviz.get(actviz.get(FORMULA), beta=2),
            actviz.get(named.spec.replace("swb:", "x * sigmoid(beta * x); "))]
    for act in ways:
        _same(act, named)
        assert act.params == {"beta": 2.0}
        assert act.spec == "x * sigmoid(beta * x); beta=2.0" and actviz.get(act.spec) == act
    assert float(named(1.0)) == pytest.approx(1 / (1 + np.exp(-2)), rel=1e-15)
    assert ways[0] == ways[1] == ways[2]  # one activation, whatever the default was


def test_parameter_names_keep_their_case_in_specs():
    text = "x * sigmoid(B * x) + b; B=1, b=0"
    before = set(extensions._DEFINED)
    actviz.define("twocase", text)
    try:
        assert actviz.get("twocase:B=2").params == {"B": 2.0, "b": 0.0}
        assert actviz.get("twocase:b=2").params == {"B": 1.0, "b": 2.0}
        _same(actviz.get("twocase:B=2"), actviz.get(text, B=2))
        with pytest.raises(actviz.SpecSyntaxError, match="'B' given twice"):
            actviz.get("twocase:B=2,B=3")
        actviz.define("onecase", "x * sigmoid(B * x); B=1")
        assert actviz.get("onecase:b=3").params == {"B": 3.0}  # any case when one fits
    finally:
        for name in set(extensions._DEFINED) - before:
            extensions.undefine(name)
    # built-ins still read keys in any case, and a key given twice in two cases is refused
    assert actviz.get("leaky_relu:Negative_Slope=0.2").params == {"negative_slope": 0.2}
    with pytest.raises(actviz.SpecSyntaxError, match="given twice"):
        actviz.get("leaky_relu:Negative_Slope=0.2,negative_slope=0.3")


def test_messages_name_the_formula_not_its_internal_name():
    act = actviz.get(FORMULA)
    with pytest.raises(actviz.ParameterError) as caught:
        act.with_params(gamma=1)
    assert str(caught.value) == ("formula 'x * sigmoid(beta * x)' has no parameter 'gamma'; "
                                 "valid parameters: beta")
    with pytest.raises(actviz.ParameterError,
                       match=r"^formula 'x \* sigmoid\(beta \* x\)': beta=inf must be finite$"):
        actviz.get(FORMULA, beta=float("inf"))


COLON = [
    # (what a user might type, column of ':', the formula the message says to write)
    ("x * sigmoid(beta * x); beta=1.0:beta=2", 32, "x * sigmoid(beta * x); beta=2"),
    ("x * sigmoid(beta * x):beta=2", 22, "x * sigmoid(beta * x); beta=2"),
    ("x*sigmoid(beta*x); beta=1:2", 26, "x*sigmoid(beta*x); beta=2"),
    ("a*x + b; a=1, b=2:b=3,a=-1", 18, "a*x + b; a=-1, b=3"),
    ("x * sigmoid(beta * x):gamma=2", 22, None),  # gamma is not in the formula
    ("a*x; a=1:1,2", 9, None),                     # more values than parameters
    ("x:beta=2", 2, None),
]


@pytest.mark.parametrize("text, column, suggestion", COLON)
def test_a_colon_after_a_formula_says_what_to_write(text, column, suggestion):
    with pytest.raises(FormulaSyntaxError) as caught:
        actviz.get(text)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"cannot read ':' at column {column}: a formula's parameters "
                              "follow ';' with their values; write ")
    if suggestion is None:
        assert message.endswith("write FORMULA; name=value, e.g. "
                                "'x * sigmoid(beta * x); beta=2'")
    else:
        assert message.endswith(f"write {suggestion!r}")
        parse(suggestion)  # what it says to write reads


def test_a_colon_is_one_error_line_on_the_command_line(tmp_path, capsys):
    out = tmp_path / "f.png"
    assert main(["plot", "x * sigmoid(beta * x); beta=1:beta=2", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == ("actviz: error: cannot read ':' at column 30: a formula's parameters follow "
                   "';' with their values; write 'x * sigmoid(beta * x); beta=2'\n")
    assert not out.exists()


def test_plot_sweep_of_a_formula_equals_the_defined_names(tmp_path, capsys):
    data = {}
    for key, args in (("formula", ["x * sigmoid(beta * x); beta=1"]),
                      ("defined", ["--define", "swb=x * sigmoid(beta * x); beta=1", "swb"])):
        path = tmp_path / f"{key}.json"
        assert main(["plot", *args, "--sweep", "beta=0.5,1,2", "--derivative", "--points", "200",
                     "-o", str(tmp_path / f"{key}.png"), "--data", str(path)]) == 0
        data[key] = json.loads(path.read_text())
    capsys.readouterr()
    mine, named = data["formula"]["curves"], data["defined"]["curves"]
    assert [c["spec"] for c in mine] == [f"x * sigmoid(beta * x); beta={v}"
                                         for v in ("0.5", "1.0", "2.0")]
    assert [c["spec"] for c in named] == ["swb:beta=0.5", "swb:beta=1.0", "swb:beta=2.0"]
    for a, b in zip(mine, named, strict=True):
        assert (a["x"], a["f"], a["df"]) == (b["x"], b["f"], b["df"])
    two = np.array(mine[2]["x"])
    np.testing.assert_allclose(mine[2]["f"], two / (1 + np.exp(-2 * two)), rtol=1e-12)


def test_html_sliders_of_a_formula_equal_the_defined_names(swb):
    from actviz.explorer import explorer_data

    for mine, named in (("x * sigmoid(beta * x); beta=1", "swb"),
                        (actviz.get(FORMULA, beta=1.5), "swb:beta=1.5")):
        a, b = (explorer_data([spec], formulas=False) for spec in (mine, named))
        ea, eb = a["entries"][0], b["entries"][0]
        assert ea["params"] == eb["params"]
        assert ea["params"][0]["values"][ea["params"][0]["start"]] == actviz.get(
            named).params["beta"]
        assert (ea["cells"], ea["properties"]) == (eb["cells"], eb["properties"])
        assert a["buffer"] == b["buffer"] and a["curves"] == b["curves"]


def test_html_command_takes_a_formula_with_parameters(tmp_path, capsys):
    require("bokeh")
    page = tmp_path / "p.html"
    assert main(["html", "-o", str(page), "x * sigmoid(beta * x); beta=1"]) == 0
    capsys.readouterr()
    assert "x * sigmoid(beta * x)" in page.read_text(encoding="utf-8")


def test_lab_acts_of_a_formula_equal_the_defined_names(tmp_path, capsys):
    require("torch")
    results = {}
    for key, args in (("formula", ["--acts", "x * sigmoid(beta * x); beta=1.5"]),
                      ("defined", ["--define", "swb=x * sigmoid(beta * x); beta=1",
                                   "--acts", "swb:beta=1.5"])):
        out = tmp_path / key
        assert main(["lab", "signal", *args, "--depth", "4", "--width", "32", "--batch", "64",
                     "--quiet", "-o", str(out)]) == 0
        results[key] = json.loads((out / "signal.json").read_text())["results"]["runs"]
    capsys.readouterr()
    (mine,), (named,) = results["formula"], results["defined"]
    assert mine["spec"] == "x * sigmoid(beta * x); beta=1.5" and named["spec"] == "swb:beta=1.5"
    differ = sorted(k for k in mine if mine[k] != named[k])
    assert differ == ["activation", "spec"]
