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
    r"""The identity :math:`f(x) = x` (a linear layer: no non-linearity at all)."""
    return x.copy()


def identity_grad(x):
    return np.where(np.isnan(x), x, np.ones_like(x))


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
    gradient descent cannot train it (the perceptron's rule does)."""
    return np.heaviside(x, 1.0).astype(x.dtype, copy=False)


def binary_step_grad(x):
    return np.where(np.isnan(x), x, np.zeros_like(x))


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


def bent_identity(x):
    r""":math:`(\sqrt{x^2 + 1} - 1)/2 + x`, evaluated with hypot so nothing overflows.

    For x < 0, :math:`\sqrt{x^2+1} + x = 1/(\sqrt{x^2+1} - x)` avoids the
    cancellation (and inf - inf at -inf).
    """
    return nx.piecewise(
        x, x < 0,
        lambda v: v / 2 + 0.25 / (np.hypot(v, 1) / 2 - v / 2) - 0.5,
        _bent_identity_right)


def _bent_identity_right(v):
    with np.errstate(over="ignore"):  # 1.5 x exceeds the float maximum near it: inf is right
        return np.hypot(v, 1) / 2 - 0.5 + v


def bent_identity_grad(x):
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


def gaussian(x):
    r""":math:`e^{-x^2}`, a bump (radial basis networks)."""
    xc = nx.clip_square(x)
    return np.exp(-xc * xc)


def gaussian_grad(x):
    xc = nx.clip_square(x)
    return -2 * xc * np.exp(-xc * xc)


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
    r""":math:`\sin x`: periodic, so f(+-inf) is undefined (nan)."""
    with np.errstate(invalid="ignore"):  # sin(+-inf) is nan by definition
        return np.sin(x)


def sinusoid_grad(x):
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


def sinc(x):
    r"""Unnormalised sinc :math:`\sin(x)/x` with sinc(0) = 1 (note: numpy.sinc is sin(pi x)/(pi x))."""
    def small(v):
        return 1 - v * v / 6

    def large(v):
        with np.errstate(invalid="ignore"):
            s = np.sin(v)
        return np.where(np.isinf(v), 0.0, s / v)

    return nx.piecewise(x, np.abs(x) < SINC_SMALL, small, large)


def sinc_grad(x):
    def small(v):
        return -v / 3

    def large(v):
        with np.errstate(invalid="ignore"):
            s, c = np.sin(v), np.cos(v)
        return np.where(np.isinf(v), 0.0, (c - s / v) / v)

    return nx.piecewise(x, np.abs(x) < SINC_SMALL, small, large)


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
    r"""Growing cosine unit :math:`x\cos x`: oscillates with growing amplitude."""
    with np.errstate(invalid="ignore"):
        return x * np.cos(x)


def gcu_grad(x):
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


def snake(x, a=1.0):
    r"""Snake :math:`x + \sin^2(ax)/a`: monotonic, with a periodic wiggle of frequency a."""
    def finite(v):
        s = _sin_cos(v, a)[0]
        return v + s * s / a

    return nx.piecewise(x, np.isinf(x), lambda v: v.copy(), finite)


def snake_grad(x, a=1.0):
    s, c = _sin_cos(x, a)
    return 1 + 2 * s * c


def _sin_cos(x, a):
    """sin(a x) and cos(a x); a x is formed in extended precision, where it cannot overflow
    (on x86; elsewhere longdouble may be double and huge |a x| gives nan)."""
    ax = np.multiply(x, a, dtype=np.longdouble)
    with np.errstate(over="ignore", invalid="ignore"):  # sin(+-inf) is nan by definition
        return np.sin(ax).astype(x.dtype), np.cos(ax).astype(x.dtype)


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
