"""Shrinkage functions: they pull small inputs to zero (denoising, sparse coding)."""

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

FAMILY = "shrinkage"
INF = math.inf

LAMBDA = dict(low=0, low_open=True, high=100, sweep=(0.25, 0.5, 1.0), symbol=r"\lambda")


def hardshrink(x, lambd=0.5):
    r"""x where |x| > lambd, else 0: jumps at +-lambd; f'(+-lambd) = 0 as in PyTorch.

    Computes element-wise

    .. math::
        f(x) = x\ \mathrm{if}\ |x| > \lambda,\ \mathrm{else}\ 0

    with derivative

    .. math::
        f'(x) = 1\ \mathrm{if}\ |x| > \lambda,\ \mathrm{else}\ 0

    Derivative convention: f jumps at +-lambd; f'(+-lambd) = 0, as in PyTorch.

    Args:
      x: input array (float32 or float64; the result has its dtype).
      lambd: inputs with |x| <= lambd become 0 (:math:`\lambda`); default 0.5.

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      PyTorch documentation, torch.nn.Hardshrink

    Example:
      >>> hardshrink(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-2.,  0.,  0.,  0.,  2.])
      >>> hardshrink_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([1., 0., 0., 0., 1.])
    """
    return np.where(np.abs(x) <= lambd, 0.0, x)


def hardshrink_grad(x, lambd=0.5):
    """The derivative of :func:`hardshrink` (see its docstring)."""
    return nx.keep_nan(x, np.where(np.abs(x) > lambd, 1.0, 0.0))


define(Activation(
    name="hardshrink", function=hardshrink, derivative=hardshrink_grad, family=FAMILY,
    display_name="Hardshrink", aliases=("hard_shrink",),
    params=(Param("lambd", 0.5, "inputs with |x| <= lambd become 0", **LAMBDA),),
    latex=r"x\ \mathrm{if}\ |x| > \lambda,\ \mathrm{else}\ 0",
    latex_derivative=r"1\ \mathrm{if}\ |x| > \lambda,\ \mathrm{else}\ 0",
    derivative_note="f jumps at +-lambd; f'(+-lambd) = 0, as in PyTorch.",
    properties=lambda p: Properties(
        range=ValueSet.of(Interval(-INF, -p["lambd"]), 0.0, Interval(p["lambd"], INF)),
        smoothness=-1, monotonic=True, derivative_monotonic=False,
        zero_centered=True, identity_near_origin=False, saturates="none", dead_region=True),
    breakpoints=lambda p: (-p["lambd"], p["lambd"]),
    references=(Reference("PyTorch documentation, torch.nn.Hardshrink"),),
    torch=TorchCounterpart("torch.nn.functional.hardshrink",
                           lambda nn, p: nn.Hardshrink(p["lambd"])),
))


def softshrink(x, lambd=0.5):
    r""":math:`\mathrm{sign}(x)\max(|x| - \lambda, 0)`: the soft-thresholding of the lasso.

    Computes element-wise

    .. math::
        f(x) = \mathrm{sign}(x)\,\max(|x| - \lambda,\ 0)

    with derivative

    .. math::
        f'(x) = 1\ \mathrm{if}\ |x| > \lambda,\ \mathrm{else}\ 0

    Derivative convention: f'(+-lambd) = 0, as in PyTorch.

    Args:
      x: input array (float32 or float64; the result has its dtype).
      lambd: inputs with |x| <= lambd become 0, others move lambd towards 0
        (:math:`\lambda`); default 0.5.

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Donoho, De-noising by soft-thresholding (1995)

    Example:
      >>> softshrink(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-1.5, -0. ,  0. ,  0. ,  1.5])
      >>> softshrink_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([1., 0., 0., 0., 1.])
    """
    return np.sign(x) * np.maximum(np.abs(x) - lambd, 0)


def softshrink_grad(x, lambd=0.5):
    """The derivative of :func:`softshrink` (see its docstring)."""
    return nx.keep_nan(x, np.where(np.abs(x) > lambd, 1.0, 0.0))


define(Activation(
    name="softshrink", function=softshrink, derivative=softshrink_grad, family=FAMILY,
    display_name="Softshrink", aliases=("soft_shrink", "soft_threshold"),
    params=(Param("lambd", 0.5, "inputs with |x| <= lambd become 0, others move lambd towards 0",
                  **LAMBDA),),
    latex=r"\mathrm{sign}(x)\,\max(|x| - \lambda,\ 0)",
    latex_derivative=r"1\ \mathrm{if}\ |x| > \lambda,\ \mathrm{else}\ 0",
    derivative_note="f'(+-lambd) = 0, as in PyTorch.",
    properties=Properties(
        range=Interval(-INF, INF), smoothness=0, monotonic=True, derivative_monotonic=False,
        zero_centered=True, identity_near_origin=False, saturates="none", dead_region=True),
    breakpoints=lambda p: (-p["lambd"], p["lambd"]),
    references=(Reference("Donoho, De-noising by soft-thresholding", 1995),),
    torch=TorchCounterpart("torch.nn.functional.softshrink",
                           lambda nn, p: nn.Softshrink(p["lambd"])),
))


# Below |x| = TANHSHRINK_SERIES, x - tanh x is taken from Lambert's continued fraction
# tanh x = x / (1 + q), q = x^2 / (3 + x^2 / (5 + ...)): then x - tanh x = x q / (1 + q),
# a sum of positive terms, where the subtraction would cancel (it gave 0 below 1e-8).
TANHSHRINK_SERIES = 1.5
_TANHSHRINK_DEPTH = 16


@nx.as_float64
def tanhshrink(x):
    r"""Tanhshrink :math:`f(x) = x - \tanh x`: flat near 0 (:math:`x^3/3`), slope 1 far away.

    Exact near 0 too (PyTorch returns 0 below :math:`|x| \approx 10^{-8}`).

    Computes element-wise

    .. math::
        f(x) = x - \tanh x

    with derivative

    .. math::
        f'(x) = \tanh^{2} x

    Derivative convention: none needed, f is smooth everywhere.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      PyTorch documentation, torch.nn.Tanhshrink

    Example:
      >>> tanhshrink(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-1.03597242, -0.03788284,  0.        ,  0.03788284,  1.03597242])
      >>> tanhshrink_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.92934918, 0.21355227, 0.        , 0.21355227, 0.92934918])
    """
    def small(v):
        v2 = v * v
        d = np.full_like(v, 2 * _TANHSHRINK_DEPTH + 3.0)
        for k in range(_TANHSHRINK_DEPTH, 0, -1):
            d = (2 * k + 1) + v2 / d
        q = v2 / d
        return v * q / (1 + q)

    return nx.piecewise(x, np.abs(x) < TANHSHRINK_SERIES, small, lambda v: v - np.tanh(v))


def tanhshrink_grad(x):
    """The derivative of :func:`tanhshrink` (see its docstring)."""
    t = np.tanh(x)
    return t * t


define(Activation(
    name="tanhshrink", function=tanhshrink, derivative=tanhshrink_grad, family=FAMILY,
    display_name="Tanhshrink", aliases=("tanh_shrink",),
    latex=r"x - \tanh x",
    latex_derivative=r"\tanh^{2} x",
    properties=Properties(
        range=Interval(-INF, INF), smoothness=INF, monotonic=True, derivative_monotonic=False,
        zero_centered=True, identity_near_origin=False, saturates="none", dead_region=False),
    references=(Reference("PyTorch documentation, torch.nn.Tanhshrink"),),
    torch=TorchCounterpart("torch.nn.functional.tanhshrink", lambda nn, p: nn.Tanhshrink()),
))

__all__ = ["hardshrink", "nx", "softshrink", "tanhshrink"]
