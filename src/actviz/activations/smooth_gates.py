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


# Taylor coefficients c_1..c_24 of f' about its root (f's minimum), for |x - root| <
# ROOT_SERIES_RADIUS, where f' is a difference of O(1) terms.  Computed once with mpmath
# at 80 digits (mpmath.taylor of the closed form about mpmath.findroot's root); the test
# suite checks the result against an independent mpmath reference.
ROOT_SERIES_RADIUS = 0.3
ROOT_SERIES = {
    "gelu": ((-0.7517915246935645, 1.4956759177009883e-17), (
        0.4314939923140469, 0.388284982990552, -0.018199676398671087, -0.1140082332972217,
        -0.014771522148244337, 0.019421679838189067, 0.004539228379125415, -0.002239538068073497,
        -0.0007448268386746817, 0.00018633974623233514, 8.615947861116571e-05,
        -1.121438018842664e-05, -7.74846130700372e-06, 4.3284506257392273e-07,
        5.702764979242107e-07, -1.6044265494246427e-09, -3.5459866461783865e-08,
        -1.396942086426202e-09, 1.90319840501314e-09, 1.4506418938779426e-10,
        -8.950037692726255e-11, -9.950340824808053e-12, 3.725967039270119e-12,
        5.482292964742324e-13,
    )),
    "gelu_tanh": ((-0.7524614220710163, 3.635560509207687e-17), (
        0.4304000910248585, 0.38751844613578895, -0.01578285352184803, -0.11394448308095899,
        -0.01661932834305256, 0.019682309459833118, 0.005261059254921912, -0.0024227318458750974,
        -0.0009274420230205449, 0.00026392764052681053, 0.00012425227802639782,
        -3.4956171694436116e-05, -1.5950896871645105e-05, 5.918611710894005e-06,
        2.4335516344299543e-06, -9.898647747433667e-07, -4.3102482988029016e-07,
        1.4157556987729473e-07, 7.520740909289922e-08, -1.6978217459781023e-08,
        -1.196180847972441e-08, 1.7637802707907564e-09, 1.744987137846621e-09,
        -1.708811216951738e-10,
    )),
    "silu": ((-1.2784645427610737, -1.0946994183093437e-16), (
        0.2178117057198001, 0.1466487969969469, 0.018874814223782312, -0.015222655223188032,
        -0.006606589138356696, 0.000126627410081122, 0.0007985218818397998,
        0.00018570724361186496, -4.090534237428612e-05, -2.9733542213263917e-05,
        -2.942631888842464e-06, 2.346029682463866e-06, 8.599695028268575e-07,
        -3.051244750055421e-08, -9.266646309267441e-08, -1.8877622907727957e-08,
        4.619379769031606e-09, 2.9177603026903803e-09, 2.3648315053103244e-10,
        -2.251366201881081e-10, -7.50344609385287e-11, 3.998547874723996e-12,
        8.04274075537398e-12, 1.4842855116792256e-12,
    )),
    "elish": ((-0.881373587019543, 2.250545892825866e-17), (
        0.24264068711928516, 0.25735931288071484, 0.1115079263853561, 0.018398282201787134,
        -0.002288979949781707, -0.0006860019209835383, 0.0005621798192762837,
        0.00025202982670989913, -1.0734536229155677e-05, -2.9803051544850405e-05,
        -4.054857466806237e-06, 2.5926802313549836e-06, 9.076894581839834e-07,
        -1.1988220839191796e-07, -1.1860313208808097e-07, -8.102489847143701e-09,
        1.1112281715563575e-08, 2.79268593581617e-09, -6.730038826205611e-10,
        -4.0692587184563435e-10, -1.0483006255113974e-12, 4.168055314652814e-11,
        7.308587958959907e-12, -2.9948983056238773e-12,
    )),
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
    if approximate == "tanh":
        def closed_form(v):
            hi, lo = _gelu_tanh_argument(v)
            vc = nx.clip_square(v)
            du = _GELU_C1[0] + 3 * _GELU_C3[0] * (vc * vc)
            return nx.sigmoid_dd(hi, lo) + vc * nx.sigmoid_slope_dd(hi, lo) * du

        return _near_root("gelu_tanh", x, closed_form)
    return _near_root("gelu", x, lambda v: _normal_cdf(v) + nx.clip_square(v) * _normal_pdf(v))


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


@nx.as_float64
def silu_grad(x):
    """The derivative of :func:`silu` (see its docstring)."""
    return _near_root("silu", x, lambda v: nx.sigmoid(v) + nx.clip_square(v) * nx.sigmoid_slope(v))


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
    return nx.keep_nan(x, np.where(x <= -3, 0.0, np.where(x < 3, middle, 1.0)))


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


@nx.as_float64
def elish_grad(x):
    """The derivative of :func:`elish` (see its docstring)."""
    def closed_form(v):
        s, ds = nx.sigmoid(v), nx.sigmoid_slope(v)
        vn = np.minimum(v, 0)
        vc = nx.clip_square(v)
        return np.where(v >= 0, s + vc * ds, np.exp(vn) * s + np.expm1(vn) * ds)

    return _near_root("elish", x, closed_form)


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
    return nx.keep_nan(x, np.where(x >= 0, right, left))



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
@nx.as_float64
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
    properties=Properties(
        range=Interval(SERF_MIN, INF, low_closed=True), smoothness=INF, monotonic=False,
        derivative_monotonic=False, zero_centered=True, identity_near_origin=False,
        saturates="left", dead_region=False),
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
    properties=Properties(
        range=Interval(TANH_EXP_MIN, INF, low_closed=True), smoothness=INF, monotonic=False,
        derivative_monotonic=False, zero_centered=True, identity_near_origin=False,
        saturates="left", dead_region=False),
    references=(Reference("Liu & Di, TanhExp: a smooth activation function with high "
                          "convergence speed for lightweight neural networks", 2020),),
))
