"""Self-gated activations: x times a sigmoid-like gate (GELU, SiLU/Swish, Mish, ...)."""

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

FAMILY = "smooth gate"
INF = math.inf
SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
GELU_CUBIC = 0.044715

# Minima found with scipy.optimize.minimize_scalar in float64 (the property tests re-measure them).
GELU_MIN = -0.16997120747990369
GELU_TANH_MIN = -0.17004075057125406
SILU_MIN = -0.2784645427610738
MISH_MIN = -0.30884341301725043


def _floor(x):
    """x with -inf raised to -1e5, where every gate below is exactly 0 (so -inf * 0 never happens)."""
    return np.maximum(x, -nx.SQUARE_CLIP)


def _gelu_tanh_argument(x):
    """2u with u = sqrt(2/pi) (x + 0.044715 x^3), on x clipped so the cube stays finite."""
    xc = nx.clip_square(x)
    return 2 * SQRT_2_OVER_PI * (xc + GELU_CUBIC * xc * xc * xc)


# --------------------------------------------------------------------------- gelu
def gelu(x, approximate="none"):
    r"""Gaussian error linear unit :math:`x\,\Phi(x)`.

    ``approximate='none'`` uses the normal CDF :math:`\Phi(x) = \mathrm{erfc}(-x/\sqrt2)/2`
    (accurate in the left tail); ``'tanh'`` uses
    :math:`\frac{1}{2}(1 + \tanh u) = \sigma(2u)`, :math:`u = \sqrt{2/\pi}(x + 0.044715x^3)`.
    """
    xl = _floor(x)
    if approximate == "tanh":
        return xl * nx.sigmoid(_gelu_tanh_argument(x))
    return xl * (0.5 * nx.erfc(-x / math.sqrt(2)))


def gelu_grad(x, approximate="none"):
    xc = nx.clip_square(x)
    if approximate == "tanh":
        two_u = _gelu_tanh_argument(x)
        du = SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * xc * xc)
        return nx.sigmoid(two_u) + xc * nx.sigmoid_slope(two_u) * 2 * du
    pdf = np.exp(-0.5 * xc * xc) / math.sqrt(2 * math.pi)
    return 0.5 * nx.erfc(-x / math.sqrt(2)) + xc * pdf


define(Activation(
    name="gelu", function=gelu, derivative=gelu_grad, family=FAMILY,
    display_name="GELU",
    params=(Param("approximate", "none", "'none': exact erf form; 'tanh': the tanh approximation",
                  choices=("none", "tanh"), sweep=("none", "tanh")),),
    latex=r"x\,\Phi(x) = \frac{x}{2}\left(1 + \mathrm{erf}\left(\frac{x}{\sqrt{2}}\right)\right)",
    latex_derivative=r"\Phi(x) + x\,\varphi(x)",
    properties=lambda p: Properties(
        range=Interval(GELU_TANH_MIN if p["approximate"] == "tanh" else GELU_MIN, INF,
                       low_closed=True),
        smoothness=INF, monotonic=False, derivative_monotonic=False, zero_centered=True,
        identity_near_origin=False, saturates="left", dead_region=False),
    references=(Reference("Hendrycks & Gimpel, Gaussian error linear units (GELUs)", 2016),),
    torch=TorchCounterpart("torch.nn.functional.gelu",
                           lambda nn, p: nn.GELU(approximate=p["approximate"])),
))


# --------------------------------------------------------------------------- silu
def silu(x):
    r""":math:`x\,\sigma(x)` (SiLU, Swish with beta = 1); derivative
    :math:`\sigma(x) + x\,\sigma(x)\sigma(-x)`."""
    return _floor(x) * nx.sigmoid(x)


def silu_grad(x):
    xc = nx.clip_square(x)
    return nx.sigmoid(x) + xc * nx.sigmoid_slope(x)


define(Activation(
    name="silu", function=silu, derivative=silu_grad, family=FAMILY,
    display_name="SiLU", aliases=("swish", "swish1"),
    latex=r"x\,\sigma(x) = \frac{x}{1 + e^{-x}}",
    latex_derivative=r"\sigma(x)\,(1 + x\,(1 - \sigma(x)))",
    properties=Properties(
        range=Interval(SILU_MIN, INF, low_closed=True), smoothness=INF, monotonic=False,
        derivative_monotonic=False, zero_centered=True, identity_near_origin=False,
        saturates="left", dead_region=False),
    references=(Reference("Elfwing, Uchibe & Doya, Sigmoid-weighted linear units", 2017),
                Reference("Ramachandran, Zoph & Le, Searching for activation functions", 2017)),
    torch=TorchCounterpart("torch.nn.functional.silu", lambda nn, p: nn.SiLU()),
))


# --------------------------------------------------------------------------- mish
def mish(x):
    r""":math:`x\tanh(\mathrm{softplus}(x))`."""
    return _floor(x) * np.tanh(nx.softplus(x))


def mish_grad(x):
    sp = nx.softplus(x)
    t = np.tanh(sp)
    xc = nx.clip_square(x)
    return t + xc * nx.sech2(sp) * nx.sigmoid(x)


define(Activation(
    name="mish", function=mish, derivative=mish_grad, family=FAMILY,
    display_name="Mish",
    latex=r"x\,\tanh(\log(1 + e^{x}))",
    latex_derivative=r"\tanh(s) + x\,\sigma(x)\,(1 - \tanh^{2}(s)),\ s = \log(1 + e^{x})",
    properties=Properties(
        range=Interval(MISH_MIN, INF, low_closed=True), smoothness=INF, monotonic=False,
        derivative_monotonic=False, zero_centered=True, identity_near_origin=False,
        saturates="left", dead_region=False),
    references=(Reference("Misra, Mish: a self regularized non-monotonic activation function",
                          2019),),
    torch=TorchCounterpart("torch.nn.functional.mish", lambda nn, p: nn.Mish()),
))


# --------------------------------------------------------------------------- hardswish
def hardswish(x):
    r""":math:`x\,\mathrm{relu6}(x + 3)/6`; derivative 0 up to -3, x/3 + 1/2 on (-3, 3), 1 from 3 on.

    At the kinks the outer pieces hold (f'(-3) = 0, f'(3) = 1), as PyTorch's autograd gives.
    """
    return _floor(x) * (np.minimum(np.maximum(x + 3, 0), 6) / 6)


def hardswish_grad(x):
    middle = x / 3 + 0.5
    return _keep_nan(x, np.where(x <= -3, 0.0, np.where(x < 3, middle, 1.0)))


define(Activation(
    name="hardswish", function=hardswish, derivative=hardswish_grad, family=FAMILY,
    display_name="Hard swish", aliases=("hard_swish", "hard_silu", "hardsilu"),
    latex=r"x\,\frac{\min(\max(0,\ x + 3),\ 6)}{6}",
    latex_derivative=r"0,\ \ \frac{x}{3} + \frac{1}{2},\ \ 1\quad(x \leq -3,\ |x| < 3,\ x \geq 3)",
    derivative_note="f'(-3) = 0 and f'(3) = 1 (the outer pieces), as in PyTorch's autograd.",
    properties=Properties(
        range=Interval(-0.375, INF, low_closed=True), smoothness=0, monotonic=False,
        derivative_monotonic=False, zero_centered=True, identity_near_origin=False,
        saturates="left", dead_region=True),
    breakpoints=(-3.0, 3.0),
    references=(Reference("Howard et al., Searching for MobileNetV3", 2019),),
    torch=TorchCounterpart("torch.nn.functional.hardswish", lambda nn, p: nn.Hardswish()),
))


# --------------------------------------------------------------------------- elish
def elish(x):
    r"""ELiSH: :math:`x\,\sigma(x)` for x >= 0 and :math:`(e^x - 1)\,\sigma(x)` below."""
    return np.where(x >= 0, x, np.expm1(np.minimum(x, 0))) * nx.sigmoid(x)


def elish_grad(x):
    s, ds = nx.sigmoid(x), nx.sigmoid_slope(x)
    xn = np.minimum(x, 0)
    xc = nx.clip_square(x)
    return np.where(x >= 0, s + xc * ds, np.exp(xn) * s + np.expm1(xn) * ds)


ELISH_MIN = -0.1715728752538099

define(Activation(
    name="elish", function=elish, derivative=elish_grad, family=FAMILY,
    display_name="ELiSH",
    latex=r"x\,\sigma(x)\ \mathrm{if}\ x \geq 0,\ \mathrm{else}\ (e^{x} - 1)\,\sigma(x)",
    latex_derivative=r"\sigma(x) + x\,\sigma'(x)\ \ \mathrm{or}\ \ "
                     r"e^{x}\sigma(x) + (e^{x} - 1)\,\sigma'(x)",
    properties=Properties(
        range=Interval(ELISH_MIN, INF, low_closed=True), smoothness=1, monotonic=False,
        derivative_monotonic=False, zero_centered=True, identity_near_origin=False,
        saturates="left", dead_region=False),
    breakpoints=(0.0,),
    references=(Reference("Basirat & Roth, The quest for the golden activation function", 2018),),
))


def hard_elish(x):
    r"""HardELiSH: like ELiSH with the hard sigmoid :math:`\mathrm{clip}((x + 1)/2, 0, 1)` as gate."""
    gate = np.clip((x + 1) / 2, 0, 1)
    return np.where(x >= 0, x, np.expm1(np.minimum(x, 0))) * gate


def hard_elish_grad(x):
    gate = np.clip((x + 1) / 2, 0, 1)
    dgate = np.where((x > -1) & (x < 1), 0.5, 0.0)
    xn = np.minimum(x, 0)
    xc = nx.clip_square(x)
    right = gate + xc * dgate
    left = np.exp(xn) * gate + np.expm1(xn) * dgate
    return _keep_nan(x, np.where(x >= 0, right, left))


def _keep_nan(x, values):
    return np.where(np.isnan(x), x, values)


HARD_ELISH_MIN = -0.09967315152874262

define(Activation(
    name="hard_elish", function=hard_elish, derivative=hard_elish_grad, family=FAMILY,
    display_name="HardELiSH", aliases=("hardelish",),
    latex=r"x\,h(x)\ \mathrm{if}\ x \geq 0,\ \mathrm{else}\ (e^{x} - 1)\,h(x),\ "
          r"h(x) = \mathrm{clip}\left(\frac{x + 1}{2},\ 0,\ 1\right)",
    latex_derivative=r"h(x) + x\,h'(x)\ \ \mathrm{or}\ \ e^{x}h(x) + (e^{x} - 1)\,h'(x)",
    derivative_note="At x = +-1 the gate's slope is taken as 0 (the flat side).",
    properties=Properties(
        range=Interval(HARD_ELISH_MIN, INF, low_closed=True), smoothness=0, monotonic=False,
        derivative_monotonic=False, zero_centered=True, identity_near_origin=False,
        saturates="left", dead_region=True),
    breakpoints=(-1.0, 0.0, 1.0),
    references=(Reference("Basirat & Roth, The quest for the golden activation function", 2018),),
))


# --------------------------------------------------------------------------- serf, tanh_exp
def serf(x):
    r"""Serf: :math:`x\,\mathrm{erf}(\log(1 + e^{x}))`."""
    return _floor(x) * nx.erf(nx.softplus(x))


def serf_grad(x):
    sp = nx.softplus(x)
    spc = nx.clip_square(sp)
    xc = nx.clip_square(x)
    return nx.erf(sp) + xc * (2 / math.sqrt(math.pi)) * np.exp(-spc * spc) * nx.sigmoid(x)


SERF_MIN = -0.34843745875960647

define(Activation(
    name="serf", function=serf, derivative=serf_grad, family=FAMILY,
    display_name="Serf",
    latex=r"x\,\mathrm{erf}(\log(1 + e^{x}))",
    latex_derivative=r"\mathrm{erf}(s) + x\,\frac{2}{\sqrt{\pi}}e^{-s^{2}}\sigma(x),\ "
                     r"s = \log(1 + e^{x})",
    properties=Properties(
        range=Interval(SERF_MIN, INF, low_closed=True), smoothness=INF, monotonic=False,
        derivative_monotonic=False, zero_centered=True, identity_near_origin=False,
        saturates="left", dead_region=False),
    references=(Reference("Nag, Bhattacharyya, Mukherjee & Lee, SERF: towards better training "
                          "of deep neural networks using log-Softplus ERror activation "
                          "Function", 2023),),
))


def tanh_exp(x):
    r"""TanhExp: :math:`x\tanh(e^{x})` (exponent clipped at 20, where tanh is already 1)."""
    return _floor(x) * np.tanh(np.exp(np.minimum(x, 20)))


def tanh_exp_grad(x):
    e = np.exp(np.minimum(x, 20))
    xc = nx.clip_square(x)
    return np.tanh(e) + xc * e * nx.sech2(e)


TANH_EXP_MIN = -0.35328577784821125

define(Activation(
    name="tanh_exp", function=tanh_exp, derivative=tanh_exp_grad, family=FAMILY,
    display_name="TanhExp", aliases=("tanhexp",),
    latex=r"x\,\tanh(e^{x})",
    latex_derivative=r"\tanh(e^{x}) + x\,e^{x}\,(1 - \tanh^{2}(e^{x}))",
    properties=Properties(
        range=Interval(TANH_EXP_MIN, INF, low_closed=True), smoothness=INF, monotonic=False,
        derivative_monotonic=False, zero_centered=True, identity_near_origin=False,
        saturates="left", dead_region=False),
    references=(Reference("Liu & Di, TanhExp: a smooth activation function with high "
                          "convergence speed for lightweight neural networks", 2020),),
))
