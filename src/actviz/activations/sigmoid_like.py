"""Sigmoid-like activations: bounded, saturating on both sides (the vanishing-gradient family)."""

from __future__ import annotations

import math

import numpy as np

from ..types import (
    Activation,
    Definitions,
    Interval,
    Param,
    Properties,
    Reference,
    TorchCounterpart,
)
from . import _numerics as nx

DEFINITIONS = Definitions()  # collected by actviz.registry, in this order
define = DEFINITIONS.define

FAMILY = "sigmoid-like"
INF = math.inf


# --------------------------------------------------------------------------- sigmoid
def sigmoid(x):
    r"""Logistic sigmoid :math:`\sigma(x) = 1/(1+e^{-x})`.

    Computed from :math:`e^{-|x|}` so that no exponential overflows.
    Derivative :math:`\sigma(x)\sigma(-x)`, at most 1/4 (at 0): stacked layers
    multiply such factors, the root of the vanishing gradient.
    """
    return nx.sigmoid(x)


def sigmoid_grad(x):
    return nx.sigmoid_slope(x)


define(Activation(
    name="sigmoid", function=sigmoid, derivative=sigmoid_grad, family=FAMILY,
    display_name="Sigmoid", aliases=("logistic", "sigm"),
    latex=r"\sigma(x) = \frac{1}{1 + e^{-x}}",
    latex_derivative=r"\sigma(x)\,(1 - \sigma(x))",
    properties=Properties(
        range=Interval(0, 1), smoothness=INF, monotonic=True, derivative_monotonic=False,
        zero_centered=False, identity_near_origin=False, saturates="both", dead_region=False),
    references=(Reference("Rumelhart, Hinton & Williams, Learning representations by "
                          "back-propagating errors, Nature", 1986),),
    torch=TorchCounterpart("torch.nn.functional.sigmoid", lambda nn, p: nn.Sigmoid()),
))


# --------------------------------------------------------------------------- tanh
def tanh(x):
    r"""Hyperbolic tangent :math:`\tanh x`, derivative :math:`1 - \tanh^2 x` (1 at 0)."""
    return np.tanh(x)


def tanh_grad(x):
    return nx.sech2(x)


define(Activation(
    name="tanh", function=tanh, derivative=tanh_grad, family=FAMILY,
    display_name="Tanh", aliases=("hyperbolic_tangent",),
    latex=r"\tanh x = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
    latex_derivative=r"1 - \tanh^{2} x",
    properties=Properties(
        range=Interval(-1, 1), smoothness=INF, monotonic=True, derivative_monotonic=False,
        zero_centered=True, identity_near_origin=True, saturates="both", dead_region=False),
    references=(Reference("LeCun, Bottou, Orr & Müller, Efficient BackProp", 1998),),
    torch=TorchCounterpart("torch.nn.functional.tanh", lambda nn, p: nn.Tanh()),
))


# --------------------------------------------------------------------------- hardsigmoid
def hardsigmoid(x):
    r"""Piecewise-linear sigmoid :math:`\mathrm{relu6}(x + 3)/6` (PyTorch's definition).

    Derivative 1/6 on (-3, 3) and 0 outside; 0 at x = +-3, as in PyTorch's autograd.
    """
    return np.minimum(np.maximum(x + 3, 0), 6) / 6


def hardsigmoid_grad(x):
    inside = (x > -3) & (x < 3)
    return np.where(np.isnan(x), x, np.where(inside, 1 / 6, 0.0))


define(Activation(
    name="hardsigmoid", function=hardsigmoid, derivative=hardsigmoid_grad, family=FAMILY,
    display_name="Hard sigmoid", aliases=("hard_sigmoid",),
    latex=r"\min(\max(0,\ x + 3),\ 6)\ /\ 6",
    latex_derivative=r"1/6\ \mathrm{if}\ |x| < 3,\ \mathrm{else}\ 0",
    derivative_note="f'(+-3) = 0, as in PyTorch.",
    properties=Properties(
        range=Interval(0, 1, low_closed=True, high_closed=True), smoothness=0, monotonic=True,
        derivative_monotonic=False, zero_centered=False, identity_near_origin=False,
        saturates="both", dead_region=True),
    breakpoints=(-3.0, 3.0),
    references=(Reference("Courbariaux, Bengio & David, BinaryConnect", 2015),
                Reference("Howard et al., Searching for MobileNetV3", 2019)),
    torch=TorchCounterpart("torch.nn.functional.hardsigmoid", lambda nn, p: nn.Hardsigmoid()),
))


# --------------------------------------------------------------------------- hardtanh
def hardtanh(x, min_val=-1.0, max_val=1.0):
    r"""Clip to [min_val, max_val]; derivative 1 strictly inside, 0 outside and at the ends."""
    return np.clip(x, min_val, max_val)


def hardtanh_grad(x, min_val=-1.0, max_val=1.0):
    inside = (x > min_val) & (x < max_val)
    return np.where(np.isnan(x), x, np.where(inside, 1.0, 0.0))


def _hardtanh_properties(p):
    lo, hi = p["min_val"], p["max_val"]
    straddles = lo < 0 < hi
    return Properties(
        range=Interval(lo, hi, low_closed=True, high_closed=True), smoothness=0, monotonic=True,
        derivative_monotonic=False, zero_centered=straddles, identity_near_origin=straddles,
        saturates="both", dead_region=True)


define(Activation(
    name="hardtanh", function=hardtanh, derivative=hardtanh_grad, family=FAMILY,
    display_name="Hard tanh", aliases=("hard_tanh",),
    params=(
        Param("min_val", -1.0, "lower clipping value", sweep=(-2.0, -1.0, -0.5), symbol="a"),
        Param("max_val", 1.0, "upper clipping value", sweep=(0.5, 1.0, 2.0), symbol="b"),
    ),
    constraint=lambda p: None if p["min_val"] < p["max_val"] else (
        f"min_val ({p['min_val']:g}) must be less than max_val ({p['max_val']:g})"),
    latex=r"\min(\max(x,\ a),\ b)",
    latex_derivative=r"1\ \mathrm{if}\ a < x < b,\ \mathrm{else}\ 0",
    derivative_note="f' = 0 at both clipping points, as in PyTorch.",
    properties=_hardtanh_properties,
    breakpoints=lambda p: (p["min_val"], p["max_val"]),
    references=(Reference("Collobert, Large scale machine learning (thesis)", 2004),),
    torch=TorchCounterpart("torch.nn.functional.hardtanh",
                           lambda nn, p: nn.Hardtanh(p["min_val"], p["max_val"])),
))


# --------------------------------------------------------------------------- softsign
def softsign(x):
    r""":math:`x / (1 + |x|)`; tends to +-1 like 1/x, far slower than tanh."""
    return nx.piecewise(x, np.isinf(x), np.sign, lambda v: v / (1 + np.abs(v)))


def softsign_grad(x):
    r = 1 / (1 + np.abs(x))
    return r * r


define(Activation(
    name="softsign", function=softsign, derivative=softsign_grad, family=FAMILY,
    display_name="Softsign", aliases=("soft_sign",),
    latex=r"\frac{x}{1 + |x|}",
    latex_derivative=r"\frac{1}{(1 + |x|)^{2}}",
    properties=Properties(
        range=Interval(-1, 1), smoothness=1, monotonic=True, derivative_monotonic=False,
        zero_centered=True, identity_near_origin=True, saturates="both", dead_region=False),
    breakpoints=(0.0,),
    derivative_note="f'' jumps at 0 (from +2 to -2), so softsign is C1, not smooth.",
    references=(Reference("Bergstra et al., Quadratic polynomials learn better image features",
                          2009),),
    torch=TorchCounterpart("torch.nn.functional.softsign", lambda nn, p: nn.Softsign()),
))


# --------------------------------------------------------------------------- logsigmoid
def logsigmoid(x):
    r""":math:`\log\sigma(x) = -\mathrm{softplus}(-x) = \min(x, 0) - \log(1 + e^{-|x|})`."""
    return np.minimum(x, 0) - nx.log1p_exp_neg_abs(x)


def logsigmoid_grad(x):
    return nx.sigmoid(-x)


define(Activation(
    name="logsigmoid", function=logsigmoid, derivative=logsigmoid_grad, family=FAMILY,
    display_name="Log-sigmoid", aliases=("log_sigmoid",),
    latex=r"\log \frac{1}{1 + e^{-x}}",
    latex_derivative=r"1 - \sigma(x)",
    properties=Properties(
        range=Interval(-INF, 0), smoothness=INF, monotonic=True, derivative_monotonic=True,
        zero_centered=False, identity_near_origin=False, saturates="right", dead_region=False),
    references=(Reference("PyTorch documentation, torch.nn.LogSigmoid"),),
    torch=TorchCounterpart("torch.nn.functional.logsigmoid", lambda nn, p: nn.LogSigmoid()),
))


# --------------------------------------------------------------------------- sparse_sigmoid
def sparse_sigmoid(x):
    r"""JAX's sparse sigmoid :math:`\mathrm{clip}((x + 1)/2, 0, 1)`: exactly 0 or 1 outside [-1, 1]."""
    return np.clip((x + 1) / 2, 0, 1)


def sparse_sigmoid_grad(x):
    inside = (x > -1) & (x < 1)
    return np.where(np.isnan(x), x, np.where(inside, 0.5, 0.0))


define(Activation(
    name="sparse_sigmoid", function=sparse_sigmoid, derivative=sparse_sigmoid_grad, family=FAMILY,
    display_name="Sparse sigmoid",
    latex=r"\mathrm{clip}\left(\frac{x + 1}{2},\ 0,\ 1\right)",
    latex_derivative=r"1/2\ \mathrm{if}\ |x| < 1,\ \mathrm{else}\ 0",
    derivative_note="f'(+-1) = 0 (the flat side's value).",
    properties=Properties(
        range=Interval(0, 1, low_closed=True, high_closed=True), smoothness=0, monotonic=True,
        derivative_monotonic=False, zero_centered=False, identity_near_origin=False,
        saturates="both", dead_region=True),
    breakpoints=(-1.0, 1.0),
    references=(Reference("Martins & Astudillo, From softmax to sparsemax", 2016),
                Reference("JAX documentation, jax.nn.sparse_sigmoid")),
))


# --------------------------------------------------------------------------- arctan
def arctan(x):
    r""":math:`\arctan x`, range (-pi/2, pi/2); derivative :math:`1/(1+x^2)`."""
    return np.arctan(x)


def arctan_grad(x):
    return nx.inv_one_plus_square(x) ** 2


define(Activation(
    name="arctan", function=arctan, derivative=arctan_grad, family=FAMILY,
    display_name="Arctan", aliases=("atan",),
    latex=r"\arctan x",
    latex_derivative=r"\frac{1}{1 + x^{2}}",
    properties=Properties(
        range=Interval(-math.pi / 2, math.pi / 2), smoothness=INF, monotonic=True,
        derivative_monotonic=False, zero_centered=True, identity_near_origin=True, saturates="both",
        dead_region=False),
    references=(Reference("Wikipedia, Activation function (ArcTan)"),),
))


# --------------------------------------------------------------------------- lecun_tanh
LECUN_A = 1.7159
LECUN_B = 2.0 / 3.0


def lecun_tanh(x):
    r"""LeCun's scaled tanh :math:`1.7159\,\tanh(2x/3)`: f(+-1) = +-1, unit variance for unit inputs."""
    return LECUN_A * np.tanh(LECUN_B * x)


def lecun_tanh_grad(x):
    return LECUN_A * LECUN_B * nx.sech2(LECUN_B * x)


define(Activation(
    name="lecun_tanh", function=lecun_tanh, derivative=lecun_tanh_grad, family=FAMILY,
    display_name="LeCun tanh", aliases=("scaled_tanh",),
    latex=r"1.7159\,\tanh\left(\frac{2}{3}x\right)",
    latex_derivative=r"1.1439\,\left(1 - \tanh^{2}\left(\frac{2}{3}x\right)\right)",
    properties=Properties(
        range=Interval(-LECUN_A, LECUN_A), smoothness=INF, monotonic=True,
        derivative_monotonic=False, zero_centered=True, identity_near_origin=False,
        saturates="both", dead_region=False),
    references=(Reference("LeCun, Bottou, Orr & Müller, Efficient BackProp", 1998),),
))


# --------------------------------------------------------------------------- isru
def isru(x, alpha=1.0):
    r"""Inverse square root unit :math:`x/\sqrt{1 + \alpha x^2}`, range :math:`\pm 1/\sqrt{\alpha}`."""
    return nx.piecewise(
        x, np.abs(x) > 1,
        lambda v: np.sign(v) / np.sqrt((1 / v) ** 2 + alpha),
        lambda v: v / np.sqrt(1 + alpha * v * v))


def isru_grad(x, alpha=1.0):
    return nx.inv_one_plus_square(x, alpha) ** 3


def _isru_properties(p):
    bound = 1 / math.sqrt(p["alpha"])
    return Properties(
        range=Interval(-bound, bound), smoothness=INF, monotonic=True, derivative_monotonic=False,
        zero_centered=True, identity_near_origin=True, saturates="both", dead_region=False)


define(Activation(
    name="isru", function=isru, derivative=isru_grad, family=FAMILY,
    display_name="ISRU", aliases=("inverse_square_root_unit",),
    params=(Param("alpha", 1.0, "sets the saturation level 1/sqrt(alpha)", low=0, low_open=True,
                  high=100, sweep=(0.25, 1.0, 4.0), symbol=r"\alpha"),),
    latex=r"\frac{x}{\sqrt{1 + \alpha x^{2}}}",
    latex_derivative=r"\left(\frac{1}{\sqrt{1 + \alpha x^{2}}}\right)^{3}",
    properties=_isru_properties,
    references=(Reference("Carlile et al., Improving deep learning by inverse square root "
                          "linear units (ISRLUs)", 2017),),
))


# --------------------------------------------------------------------------- erf
def erf(x):
    r"""The error function :math:`\mathrm{erf}(x)`, a sigmoid with Gaussian tails."""
    return nx.erf(x)


def erf_grad(x):
    xc = nx.clip_square(x)
    return 2 / math.sqrt(math.pi) * np.exp(-xc * xc)


define(Activation(
    name="erf", function=erf, derivative=erf_grad, family=FAMILY,
    display_name="Erf", aliases=("error_function",),
    latex=r"\mathrm{erf}(x) = \frac{2}{\sqrt{\pi}}\int_0^x e^{-t^2}\,dt",
    latex_derivative=r"\frac{2}{\sqrt{\pi}}\,e^{-x^{2}}",
    properties=Properties(
        range=Interval(-1, 1), smoothness=INF, monotonic=True, derivative_monotonic=False,
        zero_centered=True, identity_near_origin=False, saturates="both", dead_region=False),
    references=(Reference("Wikipedia, Error function"),),
))


# --------------------------------------------------------------------------- sqnl
def sqnl(x):
    r"""Square nonlinearity: :math:`x - x|x|/4` on [-2, 2], clipped to +-1 outside."""
    xc = np.clip(x, -2, 2)
    return xc - xc * np.abs(xc) / 4


def sqnl_grad(x):
    xc = np.clip(x, -2, 2)
    return 1 - np.abs(xc) / 2


define(Activation(
    name="sqnl", function=sqnl, derivative=sqnl_grad, family=FAMILY,
    display_name="SQNL", aliases=("square_nonlinearity",),
    latex=r"x - \frac{x|x|}{4}\ \mathrm{on}\ [-2, 2],\ \ \mathrm{sign}(x)\ \mathrm{outside}",
    latex_derivative=r"1 - \frac{|x|}{2}\ \mathrm{on}\ [-2, 2],\ \ 0\ \mathrm{outside}",
    properties=Properties(
        range=Interval(-1, 1, low_closed=True, high_closed=True), smoothness=1, monotonic=True,
        derivative_monotonic=False, zero_centered=True, identity_near_origin=True, saturates="both",
        dead_region=True),
    breakpoints=(-2.0, 0.0, 2.0),
    references=(Reference("Wuraola & Patel, SQNL: a new computationally efficient activation "
                          "function", 2018),),
))


# --------------------------------------------------------------------------- soft_clipping
def soft_clipping(x, alpha=5.0):
    r"""Soft clipping :math:`\frac{1}{\alpha}\log\frac{1 + e^{\alpha x}}{1 + e^{\alpha(x - 1)}}`.

    Written as :math:`\mathrm{clip}(x, 0, 1) + (L(\alpha x) - L(\alpha(x-1)))/\alpha` with
    :math:`L(z) = \log(1 + e^{-|z|})`, exact for huge |x| where the naive
    difference of two softplus values cancels to 0.
    """
    xc = nx.clip_product(x)
    return (np.clip(x, 0, 1) + (nx.log1p_exp_neg_abs(alpha * xc)
                                - nx.log1p_exp_neg_abs(alpha * (xc - 1))) / alpha)


def soft_clipping_grad(x, alpha=5.0):
    # sigma(a) - sigma(b) = sigma(-b) - sigma(-a): take the small tails on each side so the
    # difference never cancels to an exact 0 (which would fake a dead region).
    xc = nx.clip_product(x)
    return np.where(x < 0.5, nx.sigmoid(alpha * xc) - nx.sigmoid(alpha * (xc - 1)),
                    nx.sigmoid(-alpha * (xc - 1)) - nx.sigmoid(-alpha * xc))


define(Activation(
    name="soft_clipping", function=soft_clipping, derivative=soft_clipping_grad, family=FAMILY,
    display_name="Soft clipping",
    params=(Param("alpha", 5.0, "sharpness; large alpha approaches clip(x, 0, 1)", low=0,
                  low_open=True, high=100, sweep=(1.0, 5.0, 20.0), symbol=r"\alpha"),),
    latex=r"\frac{1}{\alpha}\log\frac{1 + e^{\alpha x}}{1 + e^{\alpha (x - 1)}}",
    latex_derivative=r"\sigma(\alpha x) - \sigma(\alpha (x - 1))",
    properties=Properties(
        range=Interval(0, 1), smoothness=INF, monotonic=True, derivative_monotonic=False,
        zero_centered=False, identity_near_origin=False, saturates="both", dead_region=False),
    references=(Reference("Klimek & Perelstein, Neural network-based approach to phase space "
                          "integration", 2020),),
))
