"""The registry: specs, aliases, parameters, errors, user registration, metadata completeness."""

from __future__ import annotations

import math

import numpy as np
import pytest

import actviz
from actviz.errors import ParameterError, SpecSyntaxError, UnknownActivationError
from actviz.registry import Param


def test_at_least_forty_activations_in_families():
    names = actviz.names()
    assert len(names) >= 40
    assert len(set(names)) == len(names)
    assert {"sigmoid", "tanh", "relu", "leaky_relu", "gelu", "silu", "squareplus",
            "sparse_plus", "sparse_sigmoid", "binary_step", "isru", "isrlu"} <= set(names)
    assert set(actviz.families()) == {"sigmoid-like", "rectifier", "smooth gate", "shrinkage",
                                      "classic"}


@pytest.mark.parametrize(("spec", "name", "params"), [
    ("relu", "relu", {}),
    ("ReLU", "relu", {}),
    ("Leaky-ReLU", "leaky_relu", {"negative_slope": 0.01}),
    ("LeakyReLU", "leaky_relu", {"negative_slope": 0.01}),
    ("leaky_relu:negative_slope=0.1", "leaky_relu", {"negative_slope": 0.1}),
    ("leaky_relu:0.2", "leaky_relu", {"negative_slope": 0.2}),
    ("logistic", "sigmoid", {}),
    ("swish", "silu", {}),
    ("hard_silu", "hardswish", {}),
    ("rrelu:lower=1/8,upper=1/3", "rrelu", {"lower": 0.125, "upper": 1 / 3}),
    ("gelu:approximate=TANH", "gelu", {"approximate": "tanh"}),
    ("hardtanh: min_val = -2 , max_val=2", "hardtanh", {"min_val": -2.0, "max_val": 2.0}),
])
def test_specs(spec, name, params):
    act = actviz.get(spec)
    assert act.name == name
    for key, value in params.items():
        assert act.params[key] == pytest.approx(value) if not isinstance(value, str) else (
            act.params[key] == value)


def test_torch_defaults_and_names():
    """PyTorch's parameter names and defaults."""
    expected = {
        "leaky_relu": {"negative_slope": 0.01}, "prelu": {"weight": 0.25},
        "rrelu": {"lower": 1 / 8, "upper": 1 / 3}, "elu": {"alpha": 1.0},
        "celu": {"alpha": 1.0}, "gelu": {"approximate": "none"},
        "softplus": {"beta": 1.0, "threshold": 20.0},
        "hardtanh": {"min_val": -1.0, "max_val": 1.0}, "hardshrink": {"lambd": 0.5},
        "softshrink": {"lambd": 0.5}, "squareplus": {"b": 4.0},
    }
    for name, params in expected.items():
        assert actviz.get(name).definition.defaults == pytest.approx(params) if name != "gelu" \
            else actviz.get(name).definition.defaults == params


def test_keyword_parameters_and_spec_round_trip():
    act = actviz.get("elu", alpha=0.5)
    assert act.params["alpha"] == 0.5
    again = actviz.get(act.spec)
    assert again == act
    assert act.label == "elu(alpha=0.5)"
    assert act.spec == "elu:alpha=0.5"
    third = actviz.get("rrelu", upper=0.4)
    assert actviz.get(third.spec) == third
    assert actviz.get("rrelu").spec == "rrelu:lower=0.125,upper=0.3333333333333333"
    assert actviz.get("relu").spec == "relu"
    exact = actviz.get("leaky_relu", negative_slope=1 / 3)
    assert actviz.get(exact.spec).params["negative_slope"] == 1 / 3
    assert actviz.get("relu").label == "relu"
    assert actviz.get(act) is act


@pytest.mark.parametrize(("spec", "error", "words"), [
    ("lekyrelu", UnknownActivationError, ["leaky_relu"]),
    ("sigmoyd", UnknownActivationError, ["sigmoid"]),
    ("leaky_relu:slope=0.1", ParameterError, ["negative_slope"]),
    ("leaky_relu:negative_slope=abc", ParameterError, ["not a number"]),
    ("leaky_relu:negative_slope=2", ParameterError, ["out of range", "[0.0, 1.0]"]),
    ("elu:alpha=0", ParameterError, ["out of range", "(0.0, 10.0]"]),
    ("elu:alpha=nan", ParameterError, ["finite"]),
    ("hardtanh:min_val=2,max_val=1", ParameterError, ["less than"]),
    ("rrelu:lower=0.5,upper=0.1", ParameterError, ["lower"]),
    ("gelu:approximate=fast", ParameterError, ["'none' or 'tanh'"]),
    ("relu:", SpecSyntaxError, ["no parameters"]),
    ("leaky_relu:negative_slope=", SpecSyntaxError, ["key=value"]),
    ("leaky_relu:0.1,0.2", ParameterError, ["position 2"]),
    ("leaky_relu:negative_slope=0.1,negative_slope=0.2", SpecSyntaxError, ["twice"]),
    ("", SpecSyntaxError, ["empty"]),
])
def test_errors_are_one_line_value_errors(spec, error, words):
    with pytest.raises(error) as info:
        actviz.get(spec)
    assert isinstance(info.value, ValueError)
    message = str(info.value)
    assert "\n" not in message
    for word in words:
        assert word in message


def test_register_user_activation_with_numerical_derivative():
    def cube_root_unit(x, scale=1.0):
        return scale * np.cbrt(x) * np.tanh(x * x)

    definition = actviz.register("cube_tanh", cube_root_unit, params={"scale": 1.0},
                                 latex=r"s\,\sqrt[3]{x}\tanh(x^2)")
    try:
        act = actviz.get("cube-tanh:scale=2")
        assert act.numerical_derivative
        x = np.linspace(-3, 3, 61) + 0.013
        exact = 2 * (np.tanh(x * x) / (3 * np.cbrt(x) ** 2) + np.cbrt(x) * 2 * x / np.cosh(x * x) ** 2)
        np.testing.assert_allclose(act.grad(x), exact, rtol=1e-6, atol=1e-8)
        assert act.as_dict()["derivative"] == "numerical"
        props = act.properties  # measured, since none were declared
        assert props.zero_centered and props.range.high == math.inf
        with pytest.raises(actviz.ActvizError, match=r"takes scale=1\.0.*params=\{'scale': 1\.0\}"):
            actviz.register("cube_tanh", cube_root_unit)  # scale hidden: not declared
        assert actviz.get_definition("cube_tanh") is definition  # the failed call changed nothing
        assert definition.params[0].name == "scale"
    finally:
        actviz.unregister("cube_tanh")
    with pytest.raises(UnknownActivationError):
        actviz.get("cube_tanh")


def test_register_with_analytic_derivative_and_param_objects():
    actviz.register("scaled_identity", lambda x, k=2.0: k * x, lambda x, k=2.0: np.full_like(x, k),
                    params=[Param("k", 2.0, "slope", low=0, low_open=True)])
    try:
        act = actviz.get("scaled_identity:k=3")
        assert not act.numerical_derivative
        np.testing.assert_array_equal(act.grad(np.array([1.0, -5.0])), [3.0, 3.0])
        with pytest.raises(ParameterError):
            actviz.get("scaled_identity:k=-1")
    finally:
        actviz.unregister("scaled_identity")


@pytest.mark.parametrize("name", actviz.names())
def test_every_definition_is_complete(name):
    act = actviz.get(name)
    d = act.definition
    assert d.display_name and d.latex and d.latex_derivative, name
    assert d.references, f"{name} has no reference"
    assert d.derivative is not None, f"{name} must have an analytic derivative"
    assert d.function.__doc__, f"{name}'s function needs a docstring with the math"
    for p in d.params:
        assert p.description and p.default in p.sweep
        p.validate(p.default)
    info = act.as_dict("ja")
    assert info["lang"] == "ja"
    assert isinstance(info["properties"]["continuity"], str)


@pytest.mark.parametrize("name", actviz.names())
def test_latex_is_matplotlib_mathtext(name):
    from matplotlib.mathtext import MathTextParser

    parser = MathTextParser("path")
    act = actviz.get(name)
    for text in (act.latex, act.latex_derivative):
        parser.parse(f"${text}$")  # raises ValueError when mathtext cannot read it


def test_importing_actviz_imports_neither_matplotlib_nor_torch():
    import subprocess
    import sys

    code = ("import sys, actviz; actviz.get('relu')(1.0); actviz.names();"
            "print(sorted(m for m in ('matplotlib', 'torch', 'scipy', 'bokeh') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
