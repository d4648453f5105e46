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
    r"""x where |x| > lambd, else 0: jumps at +-lambd; f'(+-lambd) = 0 as in PyTorch."""
    return np.where(np.abs(x) <= lambd, 0.0, x)


def hardshrink_grad(x, lambd=0.5):
    return np.where(np.isnan(x), x, np.where(np.abs(x) > lambd, 1.0, 0.0))


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
    r""":math:`\mathrm{sign}(x)\max(|x| - \lambda, 0)`: the soft-thresholding of the lasso."""
    return np.sign(x) * np.maximum(np.abs(x) - lambd, 0)


def softshrink_grad(x, lambd=0.5):
    return np.where(np.isnan(x), x, np.where(np.abs(x) > lambd, 1.0, 0.0))


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


def tanhshrink(x):
    r""":math:`x - \tanh x`: flat near 0 (f'(0) = 0), slope 1 far away."""
    return x - np.tanh(x)


def tanhshrink_grad(x):
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
