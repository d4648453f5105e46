"""Formulas as activations: values, exact derivatives, kinks, text, torch, against built-in twins."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import actviz
from actviz.formula import FormulaParameterError, formula
from actviz.formula import _expr as E
from tests.conftest import require

SRC = str(Path(__file__).resolve().parents[2] / "src")

X = np.concatenate([np.linspace(-40, 40, 20001), [-1e300, -1e10, 1e10, 1e300]])
EDGES = np.array([-np.inf, -1e300, -1.0, 0.0, 1.0, 1e300, np.inf, np.nan])

TWINS = [
    ("x * tanh(softplus(x))", "mish"),
    ("x * sigmoid(x)", "silu"),
    ("max(x, 0)", "relu"),
    ("where(x > 0, x, 0.1 * x)", "leaky_relu:negative_slope=0.1"),
    ("min(max(x, -1), 1)", "hardtanh"),
    ("x / (1 + abs(x))", "softsign"),
    ("tanh(x)", "tanh"),
]


@pytest.mark.parametrize("text, twin", TWINS)
def test_formula_equals_its_builtin_twin(text, twin):
    act, ref = actviz.get(text), actviz.get(twin)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(act(X), ref(X), rtol=1e-12, atol=1e-12)
        away = X[np.abs(X) > 1e-6]  # kinks aside (conventions at the kink may differ)
        away = away[~np.isin(away, [-1.0, 1.0])]
        np.testing.assert_allclose(act.grad(away), ref.grad(away), rtol=1e-12, atol=1e-12)


def test_mish_twin_to_1e_12_with_derivative_and_properties():
    act, mish = actviz.get("x * tanh(softplus(x))"), actviz.get("mish")
    assert np.max(np.abs(act(X) - mish(X))) <= 1e-12
    assert np.max(np.abs(act.grad(X) - mish.grad(X))) <= 1e-12
    measured, declared = act.properties, mish.properties
    assert measured.range.low == pytest.approx(declared.range.low, abs=1e-9)
    assert (measured.smoothness, measured.monotonic, measured.saturates) == (
        declared.smoothness, declared.monotonic, declared.saturates)


def test_silu_twin_has_silu_properties():
    act, silu = actviz.get("x * sigmoid(x)"), actviz.get("silu")
    a, b = act.properties.as_dict(), silu.properties.as_dict()
    assert a.pop("range_bounds")[0] == pytest.approx(b.pop("range_bounds")[0], abs=1e-9)
    a.pop("range"), b.pop("range")
    (part,), (twin,) = a.pop("range_parts"), b.pop("range_parts")
    assert part.pop("low") == pytest.approx(twin.pop("low"), abs=1e-9) and part == twin
    assert a == b


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("text", [t for t, _ in TWINS] + ["log(1 + exp(x))", "x^2 / (1 + x^2)",
                                                          "sqrt(abs(x)) * sign(x)", "exp(x)"])
def test_no_warnings_anywhere_nan_in_nan_out(text, dtype):
    act = actviz.get(text)
    big = 1e300 if dtype == np.float64 else 3e38
    x = np.array([-np.inf, -big, -1.0, 0.0, 1.0, big, np.inf, np.nan], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y, dy = act(x), act.grad(x)
    assert y.dtype == dtype and dy.dtype == dtype
    assert math.isnan(y[-1]) and math.isnan(dy[-1])


def test_limits_at_infinity_are_read_far_out():
    act = actviz.get("x * sigmoid(x)")  # -inf * 0 would be nan
    assert act(np.array([-np.inf]))[0] == 0.0
    assert act(np.array([np.inf]))[0] == np.inf
    assert math.isnan(actviz.get("sin(x) * x")(np.array([np.inf]))[0])  # no limit


def test_naive_formula_overflows_quietly_and_says_where():
    from actviz.extensions import nonfinite_note

    act = actviz.get("log(1 + exp(x))")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert act(np.array([800.0]))[0] == np.inf
        note = nonfinite_note(act, (-10, 1000))
    assert note.startswith("log(1 + exp(x)): f is not finite for x in [709.")
    assert nonfinite_note(actviz.get("x * sigmoid(x)"), (-10, 1000)) is None


def test_derivative_is_exact_against_sympy():
    sympy = require("sympy")
    text = "x^3 * exp(-x^2) + log1p(x^2) / (2 + cos(x)) + arctan(3*x) * erf(x) - sqrt(1 + x^2)"
    act = actviz.get(text)
    s = sympy.Symbol("x", real=True)
    tree = (s**3 * sympy.exp(-s**2) + sympy.log(1 + s**2) / (2 + sympy.cos(s))
            + sympy.atan(3 * s) * sympy.erf(s) - sympy.sqrt(1 + s**2))
    exact = sympy.diff(tree, s)
    for value in (-3.2, -0.7, 0.0, 0.4, 2.5):
        want = float(exact.subs(s, sympy.Float(value, 40)).evalf(30))
        assert act.grad(np.array([value]))[0] == pytest.approx(want, rel=1e-13, abs=1e-14)


def test_parameters_behave_like_builtin_params():
    act = actviz.get("x * sigmoid(beta * x); beta=1.0")
    param = act.definition.params[0]
    assert (param.name, param.default, param.sweep) == ("beta", 1.0, (0.5, 1.0, 2.0))
    two = act.with_params(beta=2)
    assert two(np.array([1.0]))[0] == pytest.approx(1 / (1 + math.exp(-2)))
    assert actviz.get(two.spec) == two  # the spec is the formula, and it round-trips
    assert two.spec == "x * sigmoid(beta * x); beta=2.0"
    with pytest.raises(actviz.ParameterError, match="finite"):
        act.with_params(beta=float("inf"))
    assert actviz.get("x * sigmoid(beta * x); beta=1.0", beta=3).params["beta"] == 3.0


def test_builtin_parameter_checked_through_formula_parameter():
    act = actviz.get("leaky_relu(x, a); a=0.1")
    with pytest.raises(actviz.ParameterError, match="leaky_relu"):
        act.with_params(a=-1)
    with pytest.raises(FormulaParameterError):
        formula("leaky_relu(x, a); a=-1")


def test_kinks_from_abs_min_max_where_and_builtins():
    act = actviz.get("abs(x - 1) + max(x, 2 * x + 3) + where(x > 0.5, 1, 0) + relu(2*x - 5)"
                     " + hardswish(x)")
    assert act.breakpoints == (-3.0, 0.5, 1.0, 2.5, 3.0)
    assert actviz.get("leaky_relu(x / 4 + 1)").breakpoints == (-4.0,)
    # softplus declares its threshold (linear from beta * x > 20), so the formula has it too
    assert actviz.get("x * tanh(softplus(x))").breakpoints == (20.0,)
    assert actviz.get("x * sigmoid(x)").breakpoints == ()
    # properties see the kink, as for a built-in
    assert actviz.get("max(x, 0)").properties.smoothness == 0


def test_latex_and_text_come_from_the_expression():
    pytest.importorskip("matplotlib")
    from matplotlib.mathtext import MathTextParser

    parser = MathTextParser("agg")
    for text in [t for t, _ in TWINS] + ["x * sigmoid(beta * x); beta=1.0", "x^2/(1+x^2)",
                                         "sqrt(abs(x)) + log1p(x) + expm1(x) + erfc(x) + 1e-5*x",
                                         "elu(x, alpha=2) + leaky_relu(x, 0.2)"]:
        act = actviz.get(text)
        for latex in (act.latex, act.latex_derivative):
            parser.parse(f"${latex}$")
    info = actviz.get("x * tanh(softplus(x))").as_dict()
    assert info["formula"] == "x * tanh(softplus(x))"
    assert info["formula_derivative"] == \
        "tanh(softplus(x)) + x * (1 - tanh(softplus(x))^2) * softplus'(x)"
    assert info["derivative"] == "analytic"


def test_derivative_text_reads_back_for_elementary_formulas():
    act = actviz.get("x^2 * exp(-x)")
    again = actviz.get(E.to_text(act.definition.parsed.derivative))
    np.testing.assert_allclose(again(X[:100]), act.grad(X[:100]), rtol=1e-14)


def test_torch_autograd_equals_symbolic_derivative():
    torch = require("torch")
    x = np.linspace(-6, 6, 1201) + 1e-3  # off the kinks
    for text in ["x * tanh(softplus(x))", "x * sigmoid(beta * x); beta=1.5",
                 "where(x > 0, x, 0.2 * (exp(x) - 1)) + abs(x) / 3", "elu(x, alpha=2) * erf(x)",
                 "serf(x) + min(x, 1)", "x^2 / (1 + x^2) + arctan(x) + log1p(x^2)"]:
        act = actviz.get(text)
        module = act.torch_module().double()
        t = torch.tensor(x, requires_grad=True)
        y = module(t)
        (g,) = torch.autograd.grad(y.sum(), t)
        np.testing.assert_allclose(y.detach().numpy(), act(x), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(g.numpy(), act.grad(x), rtol=1e-9, atol=1e-12)


def test_the_same_text_gives_the_same_definition():
    assert actviz.get("x * sigmoid(x)").definition is actviz.get("x * sigmoid(x)").definition
    assert actviz.get("x * sigmoid(x)") == actviz.get("x * sigmoid(x)")


def test_unknown_plain_name_keeps_the_registry_message():
    with pytest.raises(actviz.UnknownActivationError, match="did you mean 'tanh'"):
        actviz.get("tahn")
    with pytest.raises(actviz.ActvizError, match="did you mean 'tanh'"):
        actviz.get("tahn(x)")


@pytest.mark.parametrize("text", [
    "x * tanh(softplus(x))",
    "x * sigmoid(beta * x); beta=1.0",
    "x^3 * exp(-x^2) + log1p(x^2) / (2 + cos(x)) - sqrt(1 + x^2) * arctan(x)",
    "erf(x) * erfc(x) + sinh(x) / cosh(x) + tan(x) + expm1(x) + elu(2 * x, alpha=a); a=1.5",
    "x^x + 2^x + x^beta; beta=2.5",
])
def test_our_derivative_equals_sympy_diff_symbolically(text):
    sympy = require("sympy")
    from actviz.formula import to_sympy

    f, ours = to_sympy(text), to_sympy(text, derivative=True)
    x = sympy.Symbol("x", real=True)
    assert sympy.simplify(sympy.diff(f, x) - ours) == 0


def test_to_sympy_without_sympy_is_one_line_naming_the_extra(monkeypatch):
    from actviz.errors import OptionalDependencyError
    from actviz.formula import to_sympy

    monkeypatch.setitem(sys.modules, "sympy", None)  # `import sympy` raises ImportError
    with pytest.raises(OptionalDependencyError) as info:
        to_sympy("x * sigmoid(x)")
    message = str(info.value)
    assert "\n" not in message and "SymPy" in message and "actviz[sympy]" in message


def test_a_formula_calls_what_the_user_registered_and_sees_a_new_definition():
    actviz.register("cubed_test", lambda x: x ** 3, lambda x: 3 * x ** 2)
    try:
        act = actviz.get("x + cubed_test(x)")
        assert float(act(2.0)) == 10.0 and float(act.grad(2.0)) == 13.0
        actviz.register("cubed_test", lambda x: x ** 2, lambda x: 2 * x)  # re-run cell
        again = actviz.get("x + cubed_test(x)")
        assert float(again(2.0)) == 6.0 and float(again.grad(2.0)) == 5.0
        assert again != act
    finally:
        actviz.unregister("cubed_test")
    with pytest.raises(actviz.ActvizError, match="unknown function 'cubed_test'"):
        actviz.get("x + cubed_test(x)")


def test_the_formula_core_reads_built_ins_without_the_registry():
    code = ("import sys; from actviz.formula import formula; "
            "d = formula('x * tanh(softplus(x))'); "
            "print(float(d.function(__import__('numpy').array(1.0))), "
            "'actviz.registry' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": SRC})
    value, loaded = out.stdout.split()
    assert float(value) == pytest.approx(0.8650983882673103, rel=1e-15) and loaded == "False"


def test_a_registered_activation_without_derivative_keeps_its_kink_inside_a_formula():
    actviz.register("kinked_test", lambda x: np.maximum(x, 0.0), breakpoints=(0.0,))
    try:
        act = actviz.get("2 * kinked_test(x)")
        x = np.array([-1e-4, 1e-4, 1.0])  # the five-point stencil would cross the kink
        assert act.grad(x) == pytest.approx([0.0, 2.0, 2.0], abs=1e-9)
    finally:
        actviz.unregister("kinked_test")


FUNCTIONS = {  # every function of the vocabulary, with its value and derivative (math module)
    "exp": (math.exp, math.exp),
    "log": (math.log, lambda t: 1 / t),
    "log1p": (math.log1p, lambda t: 1 / (1 + t)),
    "expm1": (math.expm1, math.exp),
    "sqrt": (math.sqrt, lambda t: 0.5 / math.sqrt(t)),
    "abs": (abs, lambda t: 1.0),
    "sin": (math.sin, math.cos),
    "cos": (math.cos, lambda t: -math.sin(t)),
    "tan": (math.tan, lambda t: 1 / math.cos(t) ** 2),
    "sinh": (math.sinh, math.cosh),
    "cosh": (math.cosh, math.sinh),
    "tanh": (math.tanh, lambda t: 1 - math.tanh(t) ** 2),
    "arctan": (math.atan, lambda t: 1 / (1 + t * t)),
    "erf": (math.erf, lambda t: 2 / math.sqrt(math.pi) * math.exp(-t * t)),
    "erfc": (math.erfc, lambda t: -2 / math.sqrt(math.pi) * math.exp(-t * t)),
}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_every_function_of_the_vocabulary_evaluates_with_its_derivative(name):
    value, slope = FUNCTIONS[name]
    act = actviz.get(f"{name}(x)")
    x = np.array([0.1, 0.5, 1.2])
    np.testing.assert_allclose(act(x), [value(t) for t in x], rtol=1e-15)
    np.testing.assert_allclose(act.grad(x), [slope(t) for t in x], rtol=1e-14)
