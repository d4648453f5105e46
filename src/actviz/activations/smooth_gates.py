"""Self-gated activations: x times a sigmoid-like gate (GELU, SiLU/Swish, Mish, ...)."""

from __future__ import annotations

import math

import numpy as np

from ..registry import Activation, Interval, Param, Properties, Reference, TorchCounterpart, define
from . import _numerics as nx

FAMILY = "smooth gate"
INF = math.inf
SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
GELU_CUBIC = 0.044715

# Minima found with scipy.optimize.minimize_scalar in float64 (the property tests re-measure them).
GELU_MIN = -0.16997120747990369
GELU_TANH_MIN = -0.17004075057125406
SILU_MIN = -0.2784645427610738
MISH_MIN = -0.30884341301725043


# Taylor coefficients c_1..c_24 of f' about its root (f's minimum), for |x - root| <
# ROOT_SERIES_RADIUS, where f' is a difference of O(1) terms.  Computed once with mpmath
# at 80 digits (mpmath.taylor of the closed form about mpmath.findroot's root); the test
# suite checks the result against an independent mpmath reference.
ROOT_SERIES_RADIUS = 0.3
ROOT_SERIES = {
    "mish": ((-1.1924312145154952, -4.8484829848031044e-17), (
        0.2669479140495345, 0.20473126408010586, 0.04190782104360987, -0.020271822716684245,
        -0.01582112656173338, -0.0033606849270232685, 0.0010924055409445854,
        0.0009898181021289196, 0.00025412936386191073, -4.1961496031696126e-05,
        -5.582891567360688e-05, -1.72992708103044e-05, 9.427361327376651e-07,
        2.9088199364912223e-06, 1.071676702702074e-06, 2.6879417855557728e-08,
        -1.4117255919499382e-07, -6.174424363104907e-08, -5.460186173028381e-09,
        6.3895954615089855e-09, 3.3604012383661332e-09, 4.817646300218697e-10,
        -2.6751871594311224e-10, -1.7442209713382678e-10,
    )),
    "tanh_exp": ((-1.078860058464624, -9.55786742622646e-17), (
        0.3525036331603062, 0.3252269138875309, 0.10786032936442337, -0.022875972060733378,
        -0.045645387693479984, -0.025487703563799875, -0.005629789964385507,
        0.0027715928931243703, 0.0034002744090071715, 0.0016641690502916502,
        0.0003022982929299591, -0.00020187575175518, -0.0002119141773405725,
        -9.603493263295568e-05, -1.4793194852334724e-05, 1.2648096951420702e-05,
        1.199038537801436e-05, 5.117352696013257e-06, 6.583189042202188e-07,
        -7.361671974228515e-07, -6.414512678013859e-07, -2.591753324811976e-07,
        -2.663092428565792e-08, 4.091566016278119e-08,
    )),
    "serf": ((-1.193059968928188, 3.096701676302884e-17), (
        0.30150488936299114, 0.23161220121136644, 0.04754569104272783, -0.02333420603137727,
        -0.018713084036873454, -0.0045245316310397665, 0.0008716960652536173,
        0.0010481488697435962, 0.0003321028840029553, -1.201569744729671e-06,
        -4.460454909427938e-05, -1.8353874297258704e-05, -1.8900340116276782e-06,
        1.4864871567878862e-06, 8.121718667121073e-07, 1.419464800354989e-07,
        -3.850673461878466e-08, -3.041607803377354e-08, -7.068861505124413e-09,
        6.969587341059505e-10, 1.004636539650687e-09, 2.860803471777679e-10,
        -2.8520369716160085e-12, -3.020752300534334e-11,
    )),
}


def _near_root(name, x, closed_form):
    """f' from its Taylor series within ROOT_SERIES_RADIUS of the root, else the closed form."""
    root, coefficients = ROOT_SERIES[name]
    return nx.piecewise(x, np.abs(x - root[0]) < ROOT_SERIES_RADIUS,
                        lambda v: nx.root_series(v, root, coefficients), closed_form)


def _floor(x):
    """x with -inf raised to -1e5, where every gate below is exactly 0 (so -inf * 0 never happens)."""
    return np.maximum(x, -nx.SQUARE_CLIP)


_SQRT_HALF = (0.7071067811865476, -4.833646656726457e-17)  # 1/sqrt(2) as hi + lo
_INV_SQRT_2PI = (0.3989422804014327, -2.49232720227773e-17)  # 1/sqrt(2 pi)
# 2 sqrt(2/pi) and 2 sqrt(2/pi) * 0.044715 (the decimal), each as hi + lo
_GELU_C1 = (1.5957691216057308, -9.96930880911092e-17)
_GELU_C3 = (0.07135481627260025, -6.175149918155315e-19)


def _gelu_tanh_argument(x):
    """2u = 2 sqrt(2/pi) (x + 0.044715 x^3) as hi + lo, on x clipped so the cube is finite."""
    xc = nx.clip_square(x)
    p2, e2 = nx.two_prod(xc, xc)
    p3, e3 = nx.two_prod(p2, xc)
    cube_lo = e3 + e2 * xc
    q, q_err = nx.two_prod(p3, _GELU_C3[0])
    q_lo = q_err + _GELU_C3[0] * cube_lo + _GELU_C3[1] * p3
    r, r_err = nx.two_prod(xc, _GELU_C1[0])
    r_lo = r_err + _GELU_C1[1] * xc
    hi, s_err = nx.two_sum(r, q)
    return hi, s_err + r_lo + q_lo


def _normal_cdf(x):
    """Phi(x) = erfc(-x/sqrt 2)/2, with -x/sqrt 2 carried as hi + lo (exact in the left tail)."""
    xc = nx.clip_square(x)
    p, e = nx.two_prod(xc, _SQRT_HALF[0])
    return nx.erfc_dd(-p, -(e + xc * _SQRT_HALF[1])) / 2


def _normal_pdf(x):
    """phi(x) = e^{-x^2/2}/sqrt(2 pi), the square carried exactly."""
    p, e = nx.two_prod(*(nx.clip_square(x),) * 2)
    g = np.exp(-p / 2)
    g = g - g * (e / 2)
    return _INV_SQRT_2PI[0] * g + _INV_SQRT_2PI[1] * g


# --------------------------------------------------------------------------- gelu
@nx.as_float64
def gelu(x, approximate="none"):
    r"""Gaussian error linear unit :math:`f(x) = x\,\Phi(x)`.

    ``approximate='none'`` uses the normal CDF
    :math:`\Phi(x) = \frac{1}{2}\mathrm{erfc}(-x/\sqrt2)`; ``'tanh'`` uses
    :math:`\frac{1}{2}(1 + \tanh u) = \sigma(2u)`,
    :math:`u = \sqrt{2/\pi}(x + 0.044715x^3)`.  The arguments -x/sqrt(2), x^2 and 2u
    are carried as hi + lo, so the left tail is exact too.

    Computes element-wise

    .. math::
        f(x) = x\,\Phi(x) = \frac{x}{2}\left(1 + \mathrm{erf}\left(\frac{x}{\sqrt{2}}\right)\right)

    with derivative

    .. math::
        f'(x) = \Phi(x) + x\,\varphi(x)

    Derivative convention: none needed, f is smooth everywhere.

    Args:
      x: input array (float32 or float64; the result has its dtype).
      approximate: 'none': exact erf form; 'tanh': the tanh approximation; one of 'none',
        'tanh'; default 'none'.

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Hendrycks & Gimpel, Gaussian error linear units (GELUs) (2016)

    Example:
      >>> gelu(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-0.04550026, -0.15426877,  0.        ,  0.34573123,  1.95449974])
      >>> gelu_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-0.0852318 ,  0.13250488,  0.5       ,  0.86749512,  1.0852318 ])
    """
    xl = _floor(x)
    if approximate == "tanh":
        return xl * nx.sigmoid_dd(*_gelu_tanh_argument(x))
    return xl * _normal_cdf(x)


@nx.as_float64
def gelu_grad(x, approximate="none"):
    """The derivative of :func:`gelu` (see its docstring)."""
    xc = nx.clip_square(x)
    if approximate == "tanh":
        hi, lo = _gelu_tanh_argument(x)
        du = _GELU_C1[0] + 3 * _GELU_C3[0] * (xc * xc)
        return nx.sigmoid_dd(hi, lo) + xc * nx.sigmoid_slope_dd(hi, lo) * du
    return _normal_cdf(x) + xc * _normal_pdf(x)


define(Activation(
    name="gelu", function=gelu, derivative=gelu_grad, family=FAMILY,
    display_name="GELU",
    params=(Param("approximate", "none", "'none': exact erf form; 'tanh': the tanh approximation",
                  choices=("none", "tanh"), sweep=("none", "tanh")),),
    latex=r"x\,\Phi(x) = \frac{x}{2}\left(1 + \mathrm{erf}\left(\frac{x}{\sqrt{2}}\right)\right)",
    latex_derivative=r"\Phi(x) + x\,\varphi(x)",
    properties=lambda p: Properties(
        Interval(GELU_TANH_MIN if p["approximate"] == "tanh" else GELU_MIN, INF, True), INF,
        False, False, True, False, "left", False),
    references=(Reference("Hendrycks & Gimpel, Gaussian error linear units (GELUs)", 2016),),
    torch=TorchCounterpart("torch.nn.functional.gelu",
                           lambda nn, p: nn.GELU(approximate=p["approximate"])),
))


# --------------------------------------------------------------------------- silu
def silu(x):
    r""":math:`x\,\sigma(x)` (SiLU, Swish with beta = 1); derivative
    :math:`\sigma(x) + x\,\sigma(x)\sigma(-x)`.

    Computes element-wise

    .. math::
        f(x) = x\,\sigma(x) = \frac{x}{1 + e^{-x}}

    with derivative

    .. math::
        f'(x) = \sigma(x)\,(1 + x\,(1 - \sigma(x)))

    Derivative convention: none needed, f is smooth everywhere.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Elfwing, Uchibe & Doya, Sigmoid-weighted linear units (2017); Ramachandran, Zoph &
      Le, Searching for activation functions (2017)

    Example:
      >>> silu(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-0.23840584, -0.18877033,  0.        ,  0.31122967,  1.76159416])
      >>> silu_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-0.09078425,  0.26003881,  0.5       ,  0.73996119,  1.09078425])
    """
    return _floor(x) * nx.sigmoid(x)


def silu_grad(x):
    """The derivative of :func:`silu` (see its docstring)."""
    xc = nx.clip_square(x)
    return nx.sigmoid(x) + xc * nx.sigmoid_slope(x)


define(Activation(
    name="silu", function=silu, derivative=silu_grad, family=FAMILY,
    display_name="SiLU", aliases=("swish", "swish1"),
    latex=r"x\,\sigma(x) = \frac{x}{1 + e^{-x}}",
    latex_derivative=r"\sigma(x)\,(1 + x\,(1 - \sigma(x)))",
    properties=Properties(Interval(SILU_MIN, INF, True), INF, False, False, True, False, "left",
                          False),
    references=(Reference("Elfwing, Uchibe & Doya, Sigmoid-weighted linear units", 2017),
                Reference("Ramachandran, Zoph & Le, Searching for activation functions", 2017)),
    torch=TorchCounterpart("torch.nn.functional.silu", lambda nn, p: nn.SiLU()),
))


# --------------------------------------------------------------------------- mish
def mish(x):
    r""":math:`x\tanh(\mathrm{softplus}(x))`.

    Computes element-wise

    .. math::
        f(x) = x\,\tanh(\log(1 + e^{x}))

    with derivative

    .. math::
        f'(x) = \tanh(s) + x\,\sigma(x)\,(1 - \tanh^{2}(s)),\ s = \log(1 + e^{x})

    Derivative convention: none needed, f is smooth everywhere.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Misra, Mish: a self regularized non-monotonic activation function (2019)

    Example:
      >>> mish(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-0.25250148, -0.22074377,  0.        ,  0.37524521,  1.94395896])
      >>> mish_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-0.10835509,  0.28951068,  0.6       ,  0.88642438,  1.06931793])
    """
    return _floor(x) * np.tanh(nx.softplus(x))


@nx.as_float64
def mish_grad(x):
    """The derivative of :func:`mish` (see its docstring)."""
    def closed_form(v):
        sp = nx.softplus(v)
        return np.tanh(sp) + nx.clip_square(v) * nx.sech2(sp) * nx.sigmoid(v)

    return _near_root("mish", x, closed_form)


define(Activation(
    name="mish", function=mish, derivative=mish_grad, family=FAMILY,
    display_name="Mish",
    latex=r"x\,\tanh(\log(1 + e^{x}))",
    latex_derivative=r"\tanh(s) + x\,\sigma(x)\,(1 - \tanh^{2}(s)),\ s = \log(1 + e^{x})",
    properties=Properties(Interval(MISH_MIN, INF, True), INF, False, False, True, False, "left",
                          False),
    references=(Reference("Misra, Mish: a self regularized non-monotonic activation function",
                          2019),),
    torch=TorchCounterpart("torch.nn.functional.mish", lambda nn, p: nn.Mish()),
))


# --------------------------------------------------------------------------- hardswish
def hardswish(x):
    r""":math:`x\,\mathrm{relu6}(x + 3)/6`; derivative 0 up to -3, x/3 + 1/2 on (-3, 3), 1 from 3 on.

    At the kinks the outer pieces hold (f'(-3) = 0, f'(3) = 1), as PyTorch's autograd gives.

    Computes element-wise

    .. math::
        f(x) = x\,\frac{\min(\max(0,\ x + 3),\ 6)}{6}

    with derivative

    .. math::
        f'(x) = 0,\ \ \frac{x}{3} + \frac{1}{2},\ \ 1\quad(x \leq -3,\ |x| < 3,\ x \geq 3)

    Derivative convention: f'(-3) = 0 and f'(3) = 1 (the outer pieces), as in PyTorch's
    autograd.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Howard et al., Searching for MobileNetV3 (2019)

    Example:
      >>> hardswish(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-0.33333333, -0.20833333,  0.        ,  0.29166667,  1.66666667])
      >>> hardswish_grad(np.array([-3.0, -2.0, -0.5, 0.0, 0.5, 2.0, 3.0]))
      array([ 0.        , -0.16666667,  0.33333333,  0.5       ,  0.66666667,
              1.16666667,  1.        ])
    """
    return _floor(x) * (np.minimum(np.maximum(x + 3, 0), 6) / 6)


def hardswish_grad(x):
    """The derivative of :func:`hardswish` (see its docstring)."""
    middle = x / 3 + 0.5
    return _keep_nan(x, np.where(x <= -3, 0.0, np.where(x < 3, middle, 1.0)))


define(Activation(
    name="hardswish", function=hardswish, derivative=hardswish_grad, family=FAMILY,
    display_name="Hard swish", aliases=("hard_swish", "hard_silu", "hardsilu"),
    latex=r"x\,\frac{\min(\max(0,\ x + 3),\ 6)}{6}",
    latex_derivative=r"0,\ \ \frac{x}{3} + \frac{1}{2},\ \ 1\quad(x \leq -3,\ |x| < 3,\ x \geq 3)",
    derivative_note="f'(-3) = 0 and f'(3) = 1 (the outer pieces), as in PyTorch's autograd.",
    properties=Properties(Interval(-0.375, INF, True), 0, False, False, True, False, "left", True),
    breakpoints=(-3.0, 3.0),
    references=(Reference("Howard et al., Searching for MobileNetV3", 2019),),
    torch=TorchCounterpart("torch.nn.functional.hardswish", lambda nn, p: nn.Hardswish()),
))


# --------------------------------------------------------------------------- elish
def elish(x):
    r"""ELiSH: :math:`x\,\sigma(x)` for x >= 0 and :math:`(e^x - 1)\,\sigma(x)` below.

    Computes element-wise

    .. math::
        f(x) = x\,\sigma(x)\ \mathrm{if}\ x \geq 0,\ \mathrm{else}\ (e^{x} - 1)\,\sigma(x)

    with derivative

    .. math::
        f'(x) = \sigma(x) + x\,\sigma'(x)\ \ \mathrm{or}\ \ e^{x}\sigma(x) + (e^{x} - 1)\,\sigma'(x)

    Derivative convention: none needed, f' is continuous at x = 0, where the formula changes
    piece.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Basirat & Roth, The quest for the golden activation function (2018)

    Example:
      >>> elish(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-0.10307056, -0.14855068,  0.        ,  0.31122967,  1.76159416])
      >>> elish_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-0.07465189,  0.13652324,  0.5       ,  0.73996119,  1.09078425])
    """
    return np.where(x >= 0, x, np.expm1(np.minimum(x, 0))) * nx.sigmoid(x)


def elish_grad(x):
    """The derivative of :func:`elish` (see its docstring)."""
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
    properties=Properties(Interval(ELISH_MIN, INF, True), 1, False, False, True, False, "left",
                          False),
    breakpoints=(0.0,),
    references=(Reference("Basirat & Roth, The quest for the golden activation function", 2018),),
))


def hard_elish(x):
    r"""HardELiSH: like ELiSH with the hard sigmoid :math:`\mathrm{clip}((x + 1)/2, 0, 1)` as gate.

    Computes element-wise

    .. math::
        f(x) = x\,h(x)\ \mathrm{if}\ x \geq 0,\ \mathrm{else}\ (e^{x} - 1)\,h(x),\ h(x) = \mathrm{clip}\left(\frac{x + 1}{2},\ 0,\ 1\right)

    with derivative

    .. math::
        f'(x) = h(x) + x\,h'(x)\ \ \mathrm{or}\ \ e^{x}h(x) + (e^{x} - 1)\,h'(x)

    Derivative convention: At x = +-1 the gate's slope is taken as 0 (the flat side).

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Basirat & Roth, The quest for the golden activation function (2018)

    Example:
      >>> hard_elish(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-0.        , -0.09836734,  0.        ,  0.375     ,  2.        ])
      >>> hard_elish_grad(np.array([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0]))
      array([ 0.        ,  0.        , -0.04510201,  0.5       ,  1.        ,
              1.        ,  1.        ])
    """
    gate = np.clip((x + 1) / 2, 0, 1)
    return np.where(x >= 0, x, np.expm1(np.minimum(x, 0))) * gate


def hard_elish_grad(x):
    """The derivative of :func:`hard_elish` (see its docstring)."""
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
    properties=Properties(Interval(HARD_ELISH_MIN, INF, True), 0, False, False, True, False,
                          "left", True),
    breakpoints=(-1.0, 0.0, 1.0),
    references=(Reference("Basirat & Roth, The quest for the golden activation function", 2018),),
))


# --------------------------------------------------------------------------- serf, tanh_exp
def serf(x):
    r"""Serf: :math:`x\,\mathrm{erf}(\log(1 + e^{x}))`.

    Computes element-wise

    .. math::
        f(x) = x\,\mathrm{erf}(\log(1 + e^{x}))

    with derivative

    .. math::
        f'(x) = \mathrm{erf}(s) + x\,\frac{2}{\sqrt{\pi}}e^{-s^{2}}\sigma(x),\ s = \log(1 + e^{x})

    Derivative convention: none needed, f is smooth everywhere.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Nag, Bhattacharyya, Mukherjee & Lee, SERF: towards better training of deep neural
      networks using log-Softplus ERror activation Function (2023)

    Example:
      >>> serf(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-0.28491497, -0.24871327,  0.        ,  0.41582931,  1.99473933])
      >>> serf_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-0.12225545,  0.32729629,  0.67304129,  0.96763584,  1.0189317 ])
    """
    return _floor(x) * nx.erf(nx.softplus(x))


@nx.as_float64
def serf_grad(x):
    """The derivative of :func:`serf` (see its docstring)."""
    def closed_form(v):
        sp = nx.softplus(v)
        spc = nx.clip_square(sp)
        xc = nx.clip_square(v)
        return nx.erf(sp) + xc * (2 / math.sqrt(math.pi)) * np.exp(-spc * spc) * nx.sigmoid(v)

    return _near_root("serf", x, closed_form)


SERF_MIN = -0.34843745875960647

define(Activation(
    name="serf", function=serf, derivative=serf_grad, family=FAMILY,
    display_name="Serf",
    latex=r"x\,\mathrm{erf}(\log(1 + e^{x}))",
    latex_derivative=r"\mathrm{erf}(s) + x\,\frac{2}{\sqrt{\pi}}e^{-s^{2}}\sigma(x),\ "
                     r"s = \log(1 + e^{x})",
    properties=Properties(Interval(SERF_MIN, INF, True), INF, False, False, True, False, "left",
                          False),
    references=(Reference("Nag, Bhattacharyya, Mukherjee & Lee, SERF: towards better training "
                          "of deep neural networks using log-Softplus ERror activation "
                          "Function", 2023),),
))


def tanh_exp(x):
    r"""TanhExp: :math:`x\tanh(e^{x})` (exponent clipped at 20, where tanh is already 1).

    Computes element-wise

    .. math::
        f(x) = x\,\tanh(e^{x})

    with derivative

    .. math::
        f'(x) = \tanh(e^{x}) + x\,e^{x}\,(1 - \tanh^{2}(e^{x}))

    Derivative convention: none needed, f is smooth everywhere.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Liu & Di, TanhExp: a smooth activation function with high convergence speed for
      lightweight neural networks (2020)

    Example:
      >>> tanh_exp(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-0.26903008, -0.27084017,  0.        ,  0.46434097,  1.99999847])
      >>> tanh_exp_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-0.13125793,  0.32739838,  0.76159416,  1.04207262,  1.00002181])
    """
    return _floor(x) * np.tanh(np.exp(np.minimum(x, 20)))


@nx.as_float64
def tanh_exp_grad(x):
    """The derivative of :func:`tanh_exp` (see its docstring)."""
    def closed_form(v):
        e = np.exp(np.minimum(v, 20))
        return np.tanh(e) + nx.clip_square(v) * e * nx.sech2(e)

    return _near_root("tanh_exp", x, closed_form)


TANH_EXP_MIN = -0.35328577784821125

define(Activation(
    name="tanh_exp", function=tanh_exp, derivative=tanh_exp_grad, family=FAMILY,
    display_name="TanhExp", aliases=("tanhexp",),
    latex=r"x\,\tanh(e^{x})",
    latex_derivative=r"\tanh(e^{x}) + x\,e^{x}\,(1 - \tanh^{2}(e^{x}))",
    properties=Properties(Interval(TANH_EXP_MIN, INF, True), INF, False, False, True, False,
                          "left", False),
    references=(Reference("Liu & Di, TanhExp: a smooth activation function with high "
                          "convergence speed for lightweight neural networks", 2020),),
))
