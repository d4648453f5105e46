"""Classics and curiosities: identity, step, bumps and oscillating units."""

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
    ValueSet,
)
from . import _numerics as nx

DEFINITIONS = Definitions()  # collected by actviz.registry, in this order
define = DEFINITIONS.define

FAMILY = "classic"
INF = math.inf


def identity(x):
    r"""The identity :math:`f(x) = x` (a linear layer: no non-linearity at all).

    Computes element-wise

    .. math::
        f(x) = x

    with derivative

    .. math::
        f'(x) = 1

    Derivative convention: none needed, f is smooth everywhere.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Wikipedia, Activation function

    Example:
      >>> identity(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-2. , -0.5,  0. ,  0.5,  2. ])
      >>> identity_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([1., 1., 1., 1., 1.])
    """
    return x.copy()


def identity_grad(x):
    """The derivative of :func:`identity` (see its docstring)."""
    return nx.keep_nan(x, np.ones_like(x))


define(Activation(
    name="identity", function=identity, derivative=identity_grad, family=FAMILY,
    display_name="Identity", aliases=("linear", "none"),
    latex=r"x", latex_derivative=r"1",
    properties=Properties(
        range=Interval(-INF, INF), smoothness=INF, monotonic=True, derivative_monotonic=True,
        zero_centered=True, identity_near_origin=True, saturates="none", dead_region=False),
    references=(Reference("Wikipedia, Activation function"),),
    torch=TorchCounterpart("torch.nn.Identity", lambda nn, p: nn.Identity()),
))


def binary_step(x):
    r"""Heaviside step: 1 for x >= 0, 0 below. Its derivative is 0 wherever it exists, so
    gradient descent cannot train it (the perceptron's rule does).

    Computes element-wise

    .. math::
        f(x) = 1\ \mathrm{if}\ x \geq 0,\ \mathrm{else}\ 0

    with derivative

    .. math::
        f'(x) = 0\quad (x \neq 0)

    Derivative convention: f jumps at 0; f'(0) is taken as 0 (undefined mathematically).

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Rosenblatt, The perceptron (1958)

    Example:
      >>> binary_step(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0., 0., 1., 1., 1.])
      >>> binary_step_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0., 0., 0., 0., 0.])
    """
    return np.heaviside(x, 1.0).astype(x.dtype, copy=False)


def binary_step_grad(x):
    """The derivative of :func:`binary_step` (see its docstring)."""
    return nx.keep_nan(x, np.zeros_like(x))


define(Activation(
    name="binary_step", function=binary_step, derivative=binary_step_grad, family=FAMILY,
    display_name="Binary step", aliases=("step", "heaviside"),
    latex=r"1\ \mathrm{if}\ x \geq 0,\ \mathrm{else}\ 0",
    latex_derivative=r"0\quad (x \neq 0)",
    derivative_note="f jumps at 0; f'(0) is taken as 0 (undefined mathematically).",
    properties=Properties(
        range=ValueSet.of(0.0, 1.0), smoothness=-1, monotonic=True, derivative_monotonic=True,
        zero_centered=False, identity_near_origin=False,
        saturates="both", dead_region=True),
    breakpoints=(0.0,),
    references=(Reference("Rosenblatt, The perceptron", 1958),),
))


@nx.as_float64
def bent_identity(x):
    r"""Bent identity :math:`f(x) = \frac{\sqrt{x^2 + 1} - 1}{2} + x`.

    Evaluated as :math:`x\,(1 + r/2)` with :math:`r = x / (\sqrt{x^2+1} + 1)`
    (since :math:`\sqrt{x^2+1} - 1 = x r`): no cancellation for any sign of x and
    no overflow (``hypot``).  Smooth and strictly increasing, slope in (1/2, 3/2).

    Computes element-wise

    .. math::
        f(x) = \frac{\sqrt{x^{2} + 1} - 1}{2} + x

    with derivative

    .. math::
        f'(x) = \frac{x}{2\sqrt{x^{2} + 1}} + 1

    Derivative convention: none needed, f is smooth everywhere.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Wikipedia, Activation function (Bent identity)

    Example:
      >>> bent_identity(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-1.38196601, -0.44098301,  0.        ,  0.55901699,  2.61803399])
      >>> bent_identity_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.5527864, 0.7763932, 1.       , 1.2236068, 1.4472136])
    """
    return nx.piecewise(x, np.isinf(x), lambda v: v.copy(), _bent_identity_finite)


def _bent_identity_finite(v):
    r = v / (np.hypot(v, 1) + 1)
    with np.errstate(over="ignore"):  # 1.5 x exceeds the float maximum near it: inf is right
        return v * (1 + r / 2)


@nx.as_float64
def bent_identity_grad(x):
    """The derivative of :func:`bent_identity` (see its docstring)."""
    ratio = nx.piecewise(x, np.isinf(x), np.sign, lambda v: v / np.hypot(v, 1))
    return ratio / 2 + 1


define(Activation(
    name="bent_identity", function=bent_identity, derivative=bent_identity_grad, family=FAMILY,
    display_name="Bent identity",
    latex=r"\frac{\sqrt{x^{2} + 1} - 1}{2} + x",
    latex_derivative=r"\frac{x}{2\sqrt{x^{2} + 1}} + 1",
    properties=Properties(
        range=Interval(-INF, INF), smoothness=INF, monotonic=True, derivative_monotonic=True,
        zero_centered=True, identity_near_origin=True, saturates="none", dead_region=False),
    references=(Reference("Wikipedia, Activation function (Bent identity)"),),
))


def _exp_neg_square(x):
    """e^{-x^2} with x^2 = p + e carried exactly (x clipped so the square is finite)."""
    p, e = nx.two_prod(*(nx.clip_square(x),) * 2)
    g = np.exp(-p)
    return g - g * e


@nx.as_float64
def gaussian(x):
    r"""Gaussian bump :math:`f(x) = e^{-x^2}`, range (0, 1].

    The square is carried exactly (:math:`x^2 = p + e`, Dekker's product) and
    :math:`e^{-x^2} = e^{-p}(1 - e)`: in the tails one ulp of :math:`x^2` would
    otherwise cost :math:`x^2` ulps of the result.

    Computes element-wise

    .. math::
        f(x) = e^{-x^{2}}

    with derivative

    .. math::
        f'(x) = -2x\,e^{-x^{2}}

    Derivative convention: none needed, f is smooth everywhere.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Broomhead & Lowe, Multivariable functional interpolation and adaptive networks
      (1988)

    Example:
      >>> gaussian(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.01831564, 0.77880078, 1.        , 0.77880078, 0.01831564])
      >>> gaussian_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([ 0.07326256,  0.77880078, -0.        , -0.77880078, -0.07326256])
    """
    return _exp_neg_square(x)


@nx.as_float64
def gaussian_grad(x):
    """The derivative of :func:`gaussian` (see its docstring)."""
    return -2 * nx.clip_square(x) * _exp_neg_square(x)


define(Activation(
    name="gaussian", function=gaussian, derivative=gaussian_grad, family=FAMILY,
    display_name="Gaussian", aliases=("gauss", "rbf"),
    latex=r"e^{-x^{2}}", latex_derivative=r"-2x\,e^{-x^{2}}",
    properties=Properties(
        range=Interval(0, 1, high_closed=True), smoothness=INF, monotonic=False,
        derivative_monotonic=False, zero_centered=False, identity_near_origin=False,
        saturates="both", dead_region=False),
    references=(Reference("Broomhead & Lowe, Multivariable functional interpolation and "
                          "adaptive networks", 1988),),
))


def sinusoid(x):
    r""":math:`\sin x`: periodic, so f(+-inf) is undefined (nan).

    Computes element-wise

    .. math::
        f(x) = \sin x

    with derivative

    .. math::
        f'(x) = \cos x

    Derivative convention: none needed, f is smooth everywhere.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Sitzmann et al., Implicit neural representations with periodic activation functions
      (SIREN) (2020)

    Example:
      >>> sinusoid(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-0.90929743, -0.47942554,  0.        ,  0.47942554,  0.90929743])
      >>> sinusoid_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-0.41614684,  0.87758256,  1.        ,  0.87758256, -0.41614684])
    """
    with np.errstate(invalid="ignore"):  # sin(+-inf) is nan by definition
        return np.sin(x)


def sinusoid_grad(x):
    """The derivative of :func:`sinusoid` (see its docstring)."""
    with np.errstate(invalid="ignore"):
        return np.cos(x)


define(Activation(
    name="sinusoid", function=sinusoid, derivative=sinusoid_grad, family=FAMILY,
    display_name="Sinusoid", aliases=("sin", "sine"),
    latex=r"\sin x", latex_derivative=r"\cos x",
    properties=Properties(
        range=Interval(-1, 1, low_closed=True, high_closed=True), smoothness=INF, monotonic=False,
        derivative_monotonic=False, zero_centered=True, identity_near_origin=True, saturates="none",
        dead_region=False, periodic=True),
    references=(Reference("Sitzmann et al., Implicit neural representations with periodic "
                          "activation functions (SIREN)", 2020),),
))

SINC_SMALL = 1e-4
SINC_MIN = -0.21723362821122164


@nx.as_float64
def sinc(x):
    r"""Unnormalised sinc :math:`\sin(x)/x` with sinc(0) = 1 (note: numpy.sinc is sin(pi x)/(pi x)).

    Computes element-wise

    .. math::
        f(x) = \frac{\sin x}{x}\ (1\ \mathrm{at}\ 0)

    with derivative

    .. math::
        f'(x) = \frac{\cos x}{x} - \frac{\sin x}{x^{2}}\ (0\ \mathrm{at}\ 0)

    Derivative convention: none needed, f is smooth everywhere.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Wikipedia, Activation function (Sinc)

    Example:
      >>> sinc(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.45464871, 0.95885108, 1.        , 0.95885108, 0.45464871])
      >>> sinc_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([ 0.43539777,  0.16253703, -0.        , -0.16253703, -0.43539777])
    """
    def small(v):
        return 1 - v * v / 6

    def large(v):
        with np.errstate(invalid="ignore"):
            s = np.sin(v)
        return np.where(np.isinf(v), 0.0, s / v)

    return nx.piecewise(x, np.abs(x) < SINC_SMALL, small, large)


# sinc'(x) = sum_k (-1)^k 2k x^(2k-1) / (2k+1)!, used for |x| < SINC_SERIES where
# cos(x)/x - sin(x)/x^2 cancels.
SINC_SERIES = 1.25
_SINC_GRAD_COEFFS = tuple((-1) ** k * 2 * k / math.factorial(2 * k + 1) for k in range(1, 13))


@nx.as_float64
def sinc_grad(x):
    """The derivative of :func:`sinc` (see its docstring)."""
    def small(v):
        v2 = v * v
        out = np.zeros_like(v)
        for c in reversed(_SINC_GRAD_COEFFS):
            out = out * v2 + c
        return out * v

    def large(v):
        with np.errstate(invalid="ignore"):
            s, c = np.sin(v), np.cos(v)
        return np.where(np.isinf(v), 0.0, (c - s / v) / v)

    return nx.piecewise(x, np.abs(x) < SINC_SERIES, small, large)


define(Activation(
    name="sinc", function=sinc, derivative=sinc_grad, family=FAMILY,
    display_name="Sinc",
    latex=r"\frac{\sin x}{x}\ (1\ \mathrm{at}\ 0)",
    latex_derivative=r"\frac{\cos x}{x} - \frac{\sin x}{x^{2}}\ (0\ \mathrm{at}\ 0)",
    properties=Properties(
        range=Interval(SINC_MIN, 1, low_closed=True, high_closed=True), smoothness=INF,
        monotonic=False, derivative_monotonic=False, zero_centered=False,
        identity_near_origin=False, saturates="both", dead_region=False),
    references=(Reference("Wikipedia, Activation function (Sinc)"),),
))


def gcu(x):
    r"""Growing cosine unit :math:`x\cos x`: oscillates with growing amplitude.

    Computes element-wise

    .. math::
        f(x) = x\cos x

    with derivative

    .. math::
        f'(x) = \cos x - x\sin x

    Derivative convention: none needed, f is smooth everywhere.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Noel et al., Growing cosine unit: a novel oscillatory activation function (2021)

    Example:
      >>> gcu(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([ 0.83229367, -0.43879128,  0.        ,  0.43879128, -0.83229367])
      >>> gcu_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-2.23474169,  0.63786979,  1.        ,  0.63786979, -2.23474169])
    """
    with np.errstate(invalid="ignore"):
        return x * np.cos(x)


def gcu_grad(x):
    """The derivative of :func:`gcu` (see its docstring)."""
    with np.errstate(invalid="ignore"):
        return np.cos(x) - x * np.sin(x)


define(Activation(
    name="gcu", function=gcu, derivative=gcu_grad, family=FAMILY,
    display_name="GCU", aliases=("growing_cosine_unit",),
    latex=r"x\cos x", latex_derivative=r"\cos x - x\sin x",
    properties=Properties(
        range=Interval(-INF, INF), smoothness=INF, monotonic=False, derivative_monotonic=False,
        zero_centered=True, identity_near_origin=True, saturates="none", dead_region=False,
        periodic=True),
    references=(Reference("Noel et al., Growing cosine unit: a novel oscillatory activation "
                          "function", 2021),),
))


@nx.as_float64
def snake(x, a=1.0):
    r"""Snake :math:`f(x) = x + \sin^2(ax)/a`: monotonic, a periodic wiggle of frequency a.

    The phase :math:`ax` is carried exactly (:math:`ax = p + e`), so the wiggle is
    right to the last bit even where :math:`ax` is large; the derivative
    :math:`1 + \sin 2ax` is evaluated as :math:`2\sin^2(ax + \pi/4)`, exact near
    its double roots.

    Computes element-wise

    .. math::
        f(x) = x + \frac{\sin^{2}(a x)}{a}

    with derivative

    .. math::
        f'(x) = 1 + \sin(2 a x)

    Derivative convention: none needed, f is smooth everywhere.

    Args:
      x: input array (float32 or float64; the result has its dtype).
      a: frequency of the wiggle (:math:`a`); default 1.0.

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Ziyin, Hartwig & Ueda, Neural networks fail to learn periodic functions and how to
      fix it (2020)

    Example:
      >>> snake(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-1.17317819, -0.27015115,  0.        ,  0.72984885,  2.82682181])
      >>> snake_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([1.7568025 , 0.15852902, 1.        , 1.84147098, 0.2431975 ])
    """
    def finite(v):
        if _EXTENDED:  # x + s^2/a cancels up to ~3.5x for x ~ -1/a: sum it in 64-bit mantissas
            p, e = nx.two_prod(np.clip(v, -nx.SPLIT_LIMIT, nx.SPLIT_LIMIT), a)
            phase = p.astype(np.longdouble) + e
            with np.errstate(invalid="ignore"):
                s = np.sin(phase)
            return (v + s * s / np.longdouble(a)).astype(np.float64)
        s = _sin_phase(v, a, 0.0)
        q, e = nx.two_prod(s, s)
        r = q / a
        return v + (r + ((q - a * r) + e) / a)

    return nx.piecewise(x, np.isinf(x), lambda v: v.copy(), finite)


@nx.as_float64
def snake_grad(x, a=1.0):
    """The derivative of :func:`snake` (see its docstring)."""
    s = _sin_phase(x, a, math.pi / 4, _PI_4_LO)
    return 2 * s * s


_EXTENDED = np.finfo(np.longdouble).nmant >= 63  # x86's 80-bit long double
_PI_4_LO = 3.061616997868383e-17  # pi/4 - float(pi/4)
# |a x| below which the phase is carried exactly (and pi/4 added to it exactly).
_PHASE_EXACT = 2.0 ** 50


def _sin_phase(x, a, shift, shift_lo=0.0):
    """sin(a x + shift) with a x carried as p + e (Dekker) and shift = shift + shift_lo."""
    finite_ok = np.abs(x) <= nx.SPLIT_LIMIT
    xs = np.where(finite_ok, x, 0.0)
    p, e = nx.two_prod(xs, a)
    small = np.abs(p) < _PHASE_EXACT
    ps = np.where(small, p, 0.0)
    h, l1 = nx.two_sum(ps, shift)
    lo = l1 + (e + shift_lo)
    with np.errstate(invalid="ignore"):
        exact = np.sin(h) + lo * np.cos(h)
    # beyond 2^50 the phase's low part is not small: sin(p + e) by the addition theorem
    # (shift is then below the phase's ulp and left out: at most one ulp of the phase)
    with np.errstate(invalid="ignore"):
        big = np.sin(p) * np.cos(e) + np.cos(p) * np.sin(e)
        if shift:
            c_big = np.cos(p) * np.cos(e) - np.sin(p) * np.sin(e)
            big = big * math.cos(shift) + c_big * math.sin(shift)
    out = np.where(small, exact, big)
    if not finite_ok.all():  # |x| beyond 1e300: the phase in extended precision
        ax = np.multiply(x, a, dtype=np.longdouble) + shift
        with np.errstate(over="ignore", invalid="ignore"):
            out = np.where(finite_ok, out, np.sin(ax).astype(np.float64))
    return out


define(Activation(
    name="snake", function=snake, derivative=snake_grad, family=FAMILY,
    display_name="Snake",
    params=(Param("a", 1.0, "frequency of the wiggle", low=0, low_open=True, high=100,
                  sweep=(0.5, 1.0, 2.0), symbol="a"),),
    latex=r"x + \frac{\sin^{2}(a x)}{a}", latex_derivative=r"1 + \sin(2 a x)",
    properties=Properties(
        range=Interval(-INF, INF), smoothness=INF, monotonic=True, derivative_monotonic=False,
        zero_centered=True, identity_near_origin=True, saturates="none", dead_region=False,
        periodic=True),
    references=(Reference("Ziyin, Hartwig & Ueda, Neural networks fail to learn periodic "
                          "functions and how to fix it", 2020),),
))

__all__ = ["TorchCounterpart"]
