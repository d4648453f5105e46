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

    Computes element-wise

    .. math::
        f(x) = \sigma(x) = \frac{1}{1 + e^{-x}}

    with derivative

    .. math::
        f'(x) = \sigma(x)\,(1 - \sigma(x))

    Derivative convention: none needed, f is smooth everywhere.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Rumelhart, Hinton & Williams, Learning representations by back-propagating errors,
      Nature (1986)

    Example:
      >>> sigmoid(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.11920292, 0.37754067, 0.5       , 0.62245933, 0.88079708])
      >>> sigmoid_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.10499359, 0.23500371, 0.25      , 0.23500371, 0.10499359])
    """
    return nx.sigmoid(x)


def sigmoid_grad(x):
    """The derivative of :func:`sigmoid` (see its docstring)."""
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
    r"""Hyperbolic tangent :math:`\tanh x`, derivative :math:`1 - \tanh^2 x` (1 at 0).

    Computes element-wise

    .. math::
        f(x) = \tanh x = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}

    with derivative

    .. math::
        f'(x) = 1 - \tanh^{2} x

    Derivative convention: none needed, f is smooth everywhere.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      LeCun, Bottou, Orr & Müller, Efficient BackProp (1998)

    Example:
      >>> tanh(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-0.96402758, -0.46211716,  0.        ,  0.46211716,  0.96402758])
      >>> tanh_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.07065082, 0.78644773, 1.        , 0.78644773, 0.07065082])
    """
    return np.tanh(x)


def tanh_grad(x):
    """The derivative of :func:`tanh` (see its docstring)."""
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

    Computes element-wise

    .. math::
        f(x) = \min(\max(0,\ x + 3),\ 6)\ /\ 6

    with derivative

    .. math::
        f'(x) = 1/6\ \mathrm{if}\ |x| < 3,\ \mathrm{else}\ 0

    Derivative convention: f'(+-3) = 0, as in PyTorch.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Courbariaux, Bengio & David, BinaryConnect (2015); Howard et al., Searching for
      MobileNetV3 (2019)

    Example:
      >>> hardsigmoid(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.16666667, 0.41666667, 0.5       , 0.58333333, 0.83333333])
      >>> hardsigmoid_grad(np.array([-3.0, -2.0, -0.5, 0.0, 0.5, 2.0, 3.0]))
      array([0.        , 0.16666667, 0.16666667, 0.16666667, 0.16666667,
             0.16666667, 0.        ])
    """
    return np.minimum(np.maximum(x + 3, 0), 6) / 6


def hardsigmoid_grad(x):
    """The derivative of :func:`hardsigmoid` (see its docstring)."""
    inside = (x > -3) & (x < 3)
    return nx.keep_nan(x, np.where(inside, 1 / 6, 0.0))


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
    r"""Clip to [min_val, max_val]; derivative 1 strictly inside, 0 outside and at the ends.

    Computes element-wise

    .. math::
        f(x) = \min(\max(x,\ a),\ b)

    with derivative

    .. math::
        f'(x) = 1\ \mathrm{if}\ a < x < b,\ \mathrm{else}\ 0

    Derivative convention: f' = 0 at both clipping points, as in PyTorch.

    Args:
      x: input array (float32 or float64; the result has its dtype).
      min_val: lower clipping value (:math:`a`); default -1.0.
      max_val: upper clipping value (:math:`b`); default 1.0.

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Collobert, Large scale machine learning (thesis) (2004)

    Example:
      >>> hardtanh(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-1. , -0.5,  0. ,  0.5,  1. ])
      >>> hardtanh_grad(np.array([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0]))
      array([0., 0., 1., 1., 1., 0., 0.])
    """
    return np.clip(x, min_val, max_val)


def hardtanh_grad(x, min_val=-1.0, max_val=1.0):
    """The derivative of :func:`hardtanh` (see its docstring)."""
    inside = (x > min_val) & (x < max_val)
    return nx.keep_nan(x, np.where(inside, 1.0, 0.0))


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
    r""":math:`x / (1 + |x|)`; tends to +-1 like 1/x, far slower than tanh.

    Computes element-wise

    .. math::
        f(x) = \frac{x}{1 + |x|}

    with derivative

    .. math::
        f'(x) = \frac{1}{(1 + |x|)^{2}}

    Derivative convention: f'' jumps at 0 (from +2 to -2), so softsign is C1, not smooth.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Bergstra et al., Quadratic polynomials learn better image features (2009)

    Example:
      >>> softsign(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-0.66666667, -0.33333333,  0.        ,  0.33333333,  0.66666667])
      >>> softsign_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.11111111, 0.44444444, 1.        , 0.44444444, 0.11111111])
    """
    return nx.piecewise(x, np.isinf(x), np.sign, lambda v: v / (1 + np.abs(v)))


def softsign_grad(x):
    """The derivative of :func:`softsign` (see its docstring)."""
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
    r""":math:`\log\sigma(x) = -\mathrm{softplus}(-x) = \min(x, 0) - \log(1 + e^{-|x|})`.

    Computes element-wise

    .. math::
        f(x) = \log \frac{1}{1 + e^{-x}}

    with derivative

    .. math::
        f'(x) = 1 - \sigma(x)

    Derivative convention: none needed, f is smooth everywhere.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      PyTorch documentation, torch.nn.LogSigmoid

    Example:
      >>> logsigmoid(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-2.12692801, -0.97407698, -0.69314718, -0.47407698, -0.12692801])
      >>> logsigmoid_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.88079708, 0.62245933, 0.5       , 0.37754067, 0.11920292])
    """
    return np.minimum(x, 0) - nx.log1p_exp_neg_abs(x)


def logsigmoid_grad(x):
    """The derivative of :func:`logsigmoid` (see its docstring)."""
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
    r"""JAX's sparse sigmoid :math:`\mathrm{clip}((x + 1)/2, 0, 1)`: exactly 0 or 1 outside [-1, 1].

    Computes element-wise

    .. math::
        f(x) = \mathrm{clip}\left(\frac{x + 1}{2},\ 0,\ 1\right)

    with derivative

    .. math::
        f'(x) = 1/2\ \mathrm{if}\ |x| < 1,\ \mathrm{else}\ 0

    Derivative convention: f'(+-1) = 0 (the flat side's value).

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Martins & Astudillo, From softmax to sparsemax (2016); JAX documentation,
      jax.nn.sparse_sigmoid

    Example:
      >>> sparse_sigmoid(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.  , 0.25, 0.5 , 0.75, 1.  ])
      >>> sparse_sigmoid_grad(np.array([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0]))
      array([0. , 0. , 0.5, 0.5, 0.5, 0. , 0. ])
    """
    return np.clip((x + 1) / 2, 0, 1)


def sparse_sigmoid_grad(x):
    """The derivative of :func:`sparse_sigmoid` (see its docstring)."""
    inside = (x > -1) & (x < 1)
    return nx.keep_nan(x, np.where(inside, 0.5, 0.0))


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
    r""":math:`\arctan x`, range (-pi/2, pi/2); derivative :math:`1/(1+x^2)`.

    Computes element-wise

    .. math::
        f(x) = \arctan x

    with derivative

    .. math::
        f'(x) = \frac{1}{1 + x^{2}}

    Derivative convention: none needed, f is smooth everywhere.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Wikipedia, Activation function (ArcTan)

    Example:
      >>> arctan(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-1.10714872, -0.46364761,  0.        ,  0.46364761,  1.10714872])
      >>> arctan_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.2, 0.8, 1. , 0.8, 0.2])
    """
    return np.arctan(x)


def arctan_grad(x):
    """The derivative of :func:`arctan` (see its docstring)."""
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


def _two_thirds(x):
    """2x/3 as hi + lo (lo the division's exact remainder / 3), x clipped so 2x is finite."""
    x2 = 2 * np.clip(x, -nx.SPLIT_LIMIT, nx.SPLIT_LIMIT)
    hi = x2 / 3
    t, t_err = nx.two_sum(2 * hi, hi)  # 3 hi exactly
    return hi, ((x2 - t) - t_err) / 3


@nx.as_float64
def lecun_tanh(x):
    r"""LeCun's scaled tanh :math:`f(x) = 1.7159\,\tanh(2x/3)`: f(+-1) ~ +-1.

    The argument 2x/3 is carried as hi + lo, so the derivative
    :math:`1.7159 \cdot \frac{2}{3}(1 - \tanh^2(2x/3))` is exact in the tails
    (a rounded 2x/3 would cost |x| ulps there).

    Computes element-wise

    .. math::
        f(x) = 1.7159\,\tanh\left(\frac{2}{3}x\right)

    with derivative

    .. math::
        f'(x) = 1.1439\,\left(1 - \tanh^{2}\left(\frac{2}{3}x\right)\right)

    Derivative convention: none needed, f is smooth everywhere.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      LeCun, Bottou, Orr & Müller, Efficient BackProp (1998)

    Example:
      >>> lecun_tanh(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-1.49293881, -0.55168371,  0.        ,  0.55168371,  1.49293881])
      >>> lecun_tanh_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.27796745, 1.02568444, 1.14393333, 1.02568444, 0.27796745])
    """
    hi, lo = _two_thirds(x)
    t = np.tanh(hi)
    return LECUN_A * (t + lo * nx.sech2(hi))


@nx.as_float64
def lecun_tanh_grad(x):
    """The derivative of :func:`lecun_tanh` (see its docstring)."""
    hi, lo = _two_thirds(x)
    # sech^2(hi + lo) = sech^2(hi) (1 - 2 tanh(hi) lo)
    return (LECUN_A * LECUN_B) * (nx.sech2(hi) * (1 - 2 * np.tanh(hi) * lo))


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
    r"""Inverse square root unit :math:`x/\sqrt{1 + \alpha x^2}`, range :math:`\pm 1/\sqrt{\alpha}`.

    Computes element-wise

    .. math::
        f(x) = \frac{x}{\sqrt{1 + \alpha x^{2}}}

    with derivative

    .. math::
        f'(x) = \left(\frac{1}{\sqrt{1 + \alpha x^{2}}}\right)^{3}

    Derivative convention: none needed, f is smooth everywhere.

    Args:
      x: input array (float32 or float64; the result has its dtype).
      alpha: sets the saturation level 1/sqrt(alpha) (:math:`\alpha`); default 1.0.

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Carlile et al., Improving deep learning by inverse square root linear units (ISRLUs)
      (2017)

    Example:
      >>> isru(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-0.89442719, -0.4472136 ,  0.        ,  0.4472136 ,  0.89442719])
      >>> isru_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.08944272, 0.71554175, 1.        , 0.71554175, 0.08944272])
    """
    return nx.piecewise(
        x, np.abs(x) > 1,
        lambda v: np.sign(v) / np.sqrt((1 / v) ** 2 + alpha),
        lambda v: v / np.sqrt(1 + alpha * v * v))


def isru_grad(x, alpha=1.0):
    """The derivative of :func:`isru` (see its docstring)."""
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
    r"""The error function :math:`\mathrm{erf}(x)`, a sigmoid with Gaussian tails.

    Computes element-wise

    .. math::
        f(x) = \mathrm{erf}(x) = \frac{2}{\sqrt{\pi}}\int_0^x e^{-t^2}\,dt

    with derivative

    .. math::
        f'(x) = \frac{2}{\sqrt{\pi}}\,e^{-x^{2}}

    Derivative convention: none needed, f is smooth everywhere.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Wikipedia, Error function

    Example:
      >>> erf(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-0.99532227, -0.52049988,  0.        ,  0.52049988,  0.99532227])
      >>> erf_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.02066699, 0.87878258, 1.12837917, 0.87878258, 0.02066699])
    """
    return nx.erf(x)


_TWO_OVER_SQRT_PI = (1.1283791670955126, 1.533545961316588e-17)  # hi + lo


@nx.as_float64
def erf_grad(x):
    """The derivative of :func:`erf` (see its docstring)."""
    p, e = nx.two_prod(*(nx.clip_square(x),) * 2)
    g = np.exp(-p)
    g = g - g * e  # e^{-x^2} with the square's rounding carried
    return _TWO_OVER_SQRT_PI[0] * g + _TWO_OVER_SQRT_PI[1] * g


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
    r"""Square nonlinearity: :math:`x - x|x|/4` on [-2, 2], clipped to +-1 outside.

    Computes element-wise

    .. math::
        f(x) = x - \frac{x|x|}{4}\ \mathrm{on}\ [-2, 2],\ \ \mathrm{sign}(x)\ \mathrm{outside}

    with derivative

    .. math::
        f'(x) = 1 - \frac{|x|}{2}\ \mathrm{on}\ [-2, 2],\ \ 0\ \mathrm{outside}

    Derivative convention: none needed, f' is continuous at x = -2, 0, 2, where the formula
    changes piece.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Wuraola & Patel, SQNL: a new computationally efficient activation function (2018)

    Example:
      >>> sqnl(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-1.    , -0.4375,  0.    ,  0.4375,  1.    ])
      >>> sqnl_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.  , 0.75, 1.  , 0.75, 0.  ])
    """
    xc = np.clip(x, -2, 2)
    return xc - xc * np.abs(xc) / 4


def sqnl_grad(x):
    """The derivative of :func:`sqnl` (see its docstring)."""
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
def _soft_clipping_parts(x, alpha):
    """(y, E, mirrored): y = x for x <= 1/2, else 1 - x (exact there); E = e^{alpha y}.

    f(x) = 1 - f(1 - x) and f'(x) = f'(1 - x), so both are computed at y <= 1/2,
    where f(y) = log1p(E (1 - e^{-alpha}) / (1 + E e^{-alpha})) / alpha has no cancellation.
    """
    mirrored = x > 0.5
    y = np.where(mirrored, 1 - x, x)
    y = np.maximum(y, -nx.PRODUCT_CLIP)
    u, u_err = nx.two_prod(y, alpha)
    return mirrored, nx.exp_dd(u, u_err)


@nx.as_float64
def soft_clipping(x, alpha=5.0):
    r"""Soft clipping :math:`f(x) = \frac{1}{\alpha}\log\frac{1 + e^{\alpha x}}{1 + e^{\alpha(x - 1)}}`.

    A smooth :math:`\mathrm{clip}(x, 0, 1)`, symmetric: :math:`f(x) = 1 - f(1 - x)`.
    Evaluated at :math:`y = \min(x, 1 - x)` as
    :math:`\log(1 + E(1 - e^{-\alpha})/(1 + Ee^{-\alpha}))/\alpha`,
    :math:`E = e^{\alpha y}` with :math:`\alpha y` carried exactly: no cancellation
    and no amplified rounding in either tail.

    Computes element-wise

    .. math::
        f(x) = \frac{1}{\alpha}\log\frac{1 + e^{\alpha x}}{1 + e^{\alpha (x - 1)}}

    with derivative

    .. math::
        f'(x) = \sigma(\alpha x) - \sigma(\alpha (x - 1))

    Derivative convention: none needed, f is smooth everywhere.

    Args:
      x: input array (float32 or float64; the result has its dtype).
      alpha: sharpness; large alpha approaches clip(x, 0, 1) (:math:`\alpha`); default 5.0.

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Klimek & Perelstein, Neural network-based approach to phase space integration (2020)

    Example:
      >>> soft_clipping(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([9.01859939e-06, 1.56673606e-02, 1.37286366e-01, 5.00000000e-01,
             9.98666010e-01])
      >>> soft_clipping_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([4.50919665e-05, 7.53054014e-02, 4.93307149e-01, 8.48283640e-01,
             6.64745306e-03])
    """
    mirrored, big_e = _soft_clipping_parts(x, alpha)
    k, ea = -math.expm1(-alpha), math.exp(-alpha)
    g = np.log1p(big_e * k / (1 + big_e * ea)) / alpha
    return nx.keep_nan(x, np.where(mirrored, 1 - g, g))


@nx.as_float64
def soft_clipping_grad(x, alpha=5.0):
    # sigma(u) - sigma(u - alpha) = E (1 - e^{-alpha}) / ((1 + E)(1 + E e^{-alpha})), E = e^u
    """The derivative of :func:`soft_clipping` (see its docstring)."""
    _, big_e = _soft_clipping_parts(x, alpha)
    k, ea = -math.expm1(-alpha), math.exp(-alpha)
    return nx.keep_nan(x, big_e * k / ((1 + big_e) * (1 + big_e * ea)))



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
