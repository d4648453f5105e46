"""Rectifiers: ReLU and its relatives (linear for x > 0, something else for x < 0)."""

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

FAMILY = "rectifier"
INF = math.inf
NAN_KEEP = "nan in gives nan out"



# --------------------------------------------------------------------------- relu
def relu(x):
    r""":math:`\max(0, x)`; derivative 0 for x <= 0 (0 at the kink, as in PyTorch), 1 for x > 0.

    Computes element-wise

    .. math::
        f(x) = \max(0,\ x)

    with derivative

    .. math::
        f'(x) = 1\ \mathrm{if}\ x > 0,\ \mathrm{else}\ 0

    Derivative convention: f'(0) = 0, as in PyTorch's autograd.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Nair & Hinton, Rectified linear units improve restricted Boltzmann machines (2010);
      Glorot, Bordes & Bengio, Deep sparse rectifier neural networks (2011)

    Example:
      >>> relu(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0. , 0. , 0. , 0.5, 2. ])
      >>> relu_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0., 0., 0., 1., 1.])
    """
    return np.maximum(x, 0)


def relu_grad(x):
    """The derivative of :func:`relu` (see its docstring)."""
    return nx.keep_nan(x, np.where(x > 0, 1.0, 0.0))


define(Activation(
    name="relu", function=relu, derivative=relu_grad, family=FAMILY,
    display_name="ReLU", aliases=("rectifier", "rectified_linear"),
    latex=r"\max(0,\ x)",
    latex_derivative=r"1\ \mathrm{if}\ x > 0,\ \mathrm{else}\ 0",
    derivative_note="f'(0) = 0, as in PyTorch's autograd.",
    properties=Properties(
        range=Interval(0, INF, low_closed=True), smoothness=0, monotonic=True,
        derivative_monotonic=True, zero_centered=False, identity_near_origin=False,
        saturates="left", dead_region=True),
    breakpoints=(0.0,),
    references=(Reference("Nair & Hinton, Rectified linear units improve restricted Boltzmann "
                          "machines", 2010),
                Reference("Glorot, Bordes & Bengio, Deep sparse rectifier neural networks",
                          2011)),
    torch=TorchCounterpart("torch.nn.functional.relu", lambda nn, p: nn.ReLU()),
))


# --------------------------------------------------------------------------- relu6
def relu6(x):
    r""":math:`\min(\max(0, x), 6)`; derivative 1 on (0, 6), 0 elsewhere and at both kinks.

    Computes element-wise

    .. math::
        f(x) = \min(\max(0,\ x),\ 6)

    with derivative

    .. math::
        f'(x) = 1\ \mathrm{if}\ 0 < x < 6,\ \mathrm{else}\ 0

    Derivative convention: f'(0) = f'(6) = 0, as in PyTorch.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Krizhevsky, Convolutional deep belief networks on CIFAR-10 (2010); Howard et al.,
      MobileNets (2017)

    Example:
      >>> relu6(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0. , 0. , 0. , 0.5, 2. ])
      >>> relu6_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0, 6.0]))
      array([0., 0., 0., 1., 1., 0.])
    """
    return np.minimum(np.maximum(x, 0), 6)


def relu6_grad(x):
    """The derivative of :func:`relu6` (see its docstring)."""
    return nx.keep_nan(x, np.where((x > 0) & (x < 6), 1.0, 0.0))


define(Activation(
    name="relu6", function=relu6, derivative=relu6_grad, family=FAMILY,
    display_name="ReLU6",
    latex=r"\min(\max(0,\ x),\ 6)",
    latex_derivative=r"1\ \mathrm{if}\ 0 < x < 6,\ \mathrm{else}\ 0",
    derivative_note="f'(0) = f'(6) = 0, as in PyTorch.",
    properties=Properties(
        range=Interval(0, 6, low_closed=True, high_closed=True), smoothness=0, monotonic=True,
        derivative_monotonic=False, zero_centered=False, identity_near_origin=False,
        saturates="both", dead_region=True),
    breakpoints=(0.0, 6.0),
    references=(Reference("Krizhevsky, Convolutional deep belief networks on CIFAR-10", 2010),
                Reference("Howard et al., MobileNets", 2017)),
    torch=TorchCounterpart("torch.nn.functional.relu6", lambda nn, p: nn.ReLU6()),
))


# --------------------------------------------------------------------------- leaky family
def leaky_relu(x, negative_slope=0.01):
    r""":math:`x` for x > 0, :math:`\alpha x` otherwise; derivative :math:`\alpha` at 0 (PyTorch).

    Computes element-wise

    .. math::
        f(x) = x\ \mathrm{if}\ x > 0,\ \mathrm{else}\ \alpha x

    with derivative

    .. math::
        f'(x) = 1\ \mathrm{if}\ x > 0,\ \mathrm{else}\ \alpha

    Derivative convention: f'(0) = the negative slope, as in PyTorch's autograd.

    Args:
      x: input array (float32 or float64; the result has its dtype).
      negative_slope: slope for x < 0 (0 gives ReLU) (:math:`\alpha`); default 0.01.

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Maas, Hannun & Ng, Rectifier nonlinearities improve neural network acoustic models
      (2013)

    Example:
      >>> leaky_relu(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-0.02 , -0.005,  0.   ,  0.5  ,  2.   ])
      >>> leaky_relu_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.01, 0.01, 0.01, 1.  , 1.  ])
    """
    return np.where(x > 0, x, x * negative_slope)


def leaky_relu_grad(x, negative_slope=0.01):
    """The derivative of :func:`leaky_relu` (see its docstring)."""
    return nx.keep_nan(x, np.where(x > 0, 1.0, negative_slope))


def _leaky_properties(slope):
    identity = slope == 1
    return Properties(
        range=Interval(-INF if slope > 0 else 0, INF, low_closed=slope == 0),
        smoothness=INF if identity else 0, monotonic=True, derivative_monotonic=True,
        zero_centered=slope > 0, identity_near_origin=identity,
        saturates="left" if slope == 0 else "none", dead_region=slope == 0)


LEAKY_LATEX = r"x\ \mathrm{if}\ x > 0,\ \mathrm{else}\ \alpha x"
LEAKY_DLATEX = r"1\ \mathrm{if}\ x > 0,\ \mathrm{else}\ \alpha"
LEAKY_NOTE = "f'(0) = the negative slope, as in PyTorch's autograd."
SLOPE_SWEEP = (0.01, 0.1, 0.2, 0.3)

define(Activation(
    name="leaky_relu", function=leaky_relu, derivative=leaky_relu_grad, family=FAMILY,
    display_name="Leaky ReLU", aliases=("lrelu", "leaky"),
    params=(Param("negative_slope", 0.01, "slope for x < 0 (0 gives ReLU)", low=0, high=1,
                  sweep=SLOPE_SWEEP, symbol=r"\alpha"),),
    latex=LEAKY_LATEX, latex_derivative=LEAKY_DLATEX, derivative_note=LEAKY_NOTE,
    properties=lambda p: _leaky_properties(p["negative_slope"]),
    breakpoints=(0.0,),
    references=(Reference("Maas, Hannun & Ng, Rectifier nonlinearities improve neural network "
                          "acoustic models", 2013),),
    torch=TorchCounterpart("torch.nn.functional.leaky_relu",
                           lambda nn, p: nn.LeakyReLU(p["negative_slope"])),
))


def prelu(x, weight=0.25):
    r"""Parametric ReLU: leaky ReLU whose slope ``weight`` is learned (plotted at its initial 0.25).

    Computes element-wise

    .. math::
        f(x) = x\ \mathrm{if}\ x > 0,\ \mathrm{else}\ a x

    with derivative

    .. math::
        f'(x) = 1\ \mathrm{if}\ x > 0,\ \mathrm{else}\ a

    Derivative convention: f'(0) = weight, as in PyTorch's autograd (derivative in x).

    Args:
      x: input array (float32 or float64; the result has its dtype).
      weight: learned slope for x < 0 (PyTorch's initial value 0.25) (:math:`a`); default
        0.25.

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      He, Zhang, Ren & Sun, Delving deep into rectifiers (2015)

    Example:
      >>> prelu(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-0.5  , -0.125,  0.   ,  0.5  ,  2.   ])
      >>> prelu_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.25, 0.25, 0.25, 1.  , 1.  ])
    """
    return leaky_relu(x, weight)


def prelu_grad(x, weight=0.25):
    """The derivative of :func:`prelu` (see its docstring)."""
    return leaky_relu_grad(x, weight)


define(Activation(
    name="prelu", function=prelu, derivative=prelu_grad, family=FAMILY,
    display_name="PReLU", aliases=("parametric_relu",),
    params=(Param("weight", 0.25, "learned slope for x < 0 (PyTorch's initial value 0.25)",
                  low=0, high=1, sweep=(0.1, 0.25, 0.5), symbol="a"),),
    latex=r"x\ \mathrm{if}\ x > 0,\ \mathrm{else}\ a x",
    latex_derivative=r"1\ \mathrm{if}\ x > 0,\ \mathrm{else}\ a",
    derivative_note="f'(0) = weight, as in PyTorch's autograd (derivative in x).",
    properties=lambda p: _leaky_properties(p["weight"]),
    breakpoints=(0.0,),
    references=(Reference("He, Zhang, Ren & Sun, Delving deep into rectifiers", 2015),),
    torch=TorchCounterpart("torch.nn.functional.prelu",
                           lambda nn, p: nn.PReLU(num_parameters=1, init=p["weight"])),
))


def _rrelu_slope(lower, upper):
    return (lower + upper) / 2


def rrelu(x, lower=1 / 8, upper=1 / 3):
    r"""Randomised leaky ReLU, in evaluation mode: slope :math:`(l + u)/2` for x < 0.

    In training PyTorch draws the slope uniformly from [lower, upper] for each
    element; plots and derivatives use the deterministic evaluation mode.

    Computes element-wise

    .. math::
        f(x) = x\ \mathrm{if}\ x > 0,\ \mathrm{else}\ \frac{l + u}{2}\,x

    with derivative

    .. math::
        f'(x) = 1\ \mathrm{if}\ x > 0,\ \mathrm{else}\ \frac{l + u}{2}

    Derivative convention: Evaluation mode; f'(0) = (lower + upper)/2, as in PyTorch.

    Args:
      x: input array (float32 or float64; the result has its dtype).
      lower: lower bound of the random slope (:math:`l`); default 0.125.
      upper: upper bound of the random slope (:math:`u`); default 0.3333333333333333.

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Xu, Wang, Chen & Li, Empirical evaluation of rectified activations in convolutional
      network (2015)

    Example:
      >>> rrelu(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-0.45833333, -0.11458333,  0.        ,  0.5       ,  2.        ])
      >>> rrelu_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.22916667, 0.22916667, 0.22916667, 1.        , 1.        ])
    """
    return leaky_relu(x, _rrelu_slope(lower, upper))


def rrelu_grad(x, lower=1 / 8, upper=1 / 3):
    """The derivative of :func:`rrelu` (see its docstring)."""
    return leaky_relu_grad(x, _rrelu_slope(lower, upper))


define(Activation(
    name="rrelu", function=rrelu, derivative=rrelu_grad, family=FAMILY,
    display_name="RReLU", aliases=("randomized_relu", "randomised_relu"),
    params=(
        Param("lower", 1 / 8, "lower bound of the random slope", low=0, high=1,
              sweep=(0.0, 1 / 8, 0.25), symbol="l"),
        Param("upper", 1 / 3, "upper bound of the random slope", low=0, high=1,
              sweep=(1 / 3, 0.5), symbol="u"),
    ),
    constraint=lambda p: None if p["lower"] <= p["upper"] else (
        f"lower ({p['lower']:g}) must not exceed upper ({p['upper']:g})"),
    latex=r"x\ \mathrm{if}\ x > 0,\ \mathrm{else}\ \frac{l + u}{2}\,x",
    latex_derivative=r"1\ \mathrm{if}\ x > 0,\ \mathrm{else}\ \frac{l + u}{2}",
    derivative_note="Evaluation mode; f'(0) = (lower + upper)/2, as in PyTorch.",
    properties=lambda p: _leaky_properties(_rrelu_slope(p["lower"], p["upper"])),
    breakpoints=(0.0,),
    references=(Reference("Xu, Wang, Chen & Li, Empirical evaluation of rectified activations "
                          "in convolutional network", 2015),),
    torch=TorchCounterpart("torch.nn.functional.rrelu",
                           lambda nn, p: nn.RReLU(p["lower"], p["upper"])),
))


# --------------------------------------------------------------------------- exponential units
def elu(x, alpha=1.0):
    r""":math:`x` for x > 0, :math:`\alpha(e^x - 1)` otherwise; f'(0) = alpha (PyTorch).

    Computes element-wise

    .. math::
        f(x) = x\ \mathrm{if}\ x > 0,\ \mathrm{else}\ \alpha\,(e^{x} - 1)

    with derivative

    .. math::
        f'(x) = 1\ \mathrm{if}\ x > 0,\ \mathrm{else}\ \alpha\,e^{x}

    Derivative convention: f'(0) = alpha (the left branch), as in PyTorch; continuous only
    for alpha=1.

    Args:
      x: input array (float32 or float64; the result has its dtype).
      alpha: -alpha is the value for x -> -inf (:math:`\alpha`); default 1.0.

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Clevert, Unterthiner & Hochreiter, Fast and accurate deep network learning by
      exponential linear units (ELUs) (2016)

    Example:
      >>> elu(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-0.86466472, -0.39346934,  0.        ,  0.5       ,  2.        ])
      >>> elu_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.13533528, 0.60653066, 1.        , 1.        , 1.        ])
    """
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))


def elu_grad(x, alpha=1.0):
    """The derivative of :func:`elu` (see its docstring)."""
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0)))


def _elu_properties(p):
    alpha = p["alpha"]
    return Properties(
        range=Interval(-alpha, INF), smoothness=1 if alpha == 1 else 0, monotonic=True,
        derivative_monotonic=alpha <= 1, zero_centered=True, identity_near_origin=alpha == 1,
        saturates="left", dead_region=False)


define(Activation(
    name="elu", function=elu, derivative=elu_grad, family=FAMILY,
    display_name="ELU", aliases=("exponential_linear_unit",),
    params=(Param("alpha", 1.0, "-alpha is the value for x -> -inf", low=0, low_open=True,
                  high=10, sweep=(0.5, 1.0, 2.0), symbol=r"\alpha"),),
    latex=r"x\ \mathrm{if}\ x > 0,\ \mathrm{else}\ \alpha\,(e^{x} - 1)",
    latex_derivative=r"1\ \mathrm{if}\ x > 0,\ \mathrm{else}\ \alpha\,e^{x}",
    derivative_note="f'(0) = alpha (the left branch), as in PyTorch; continuous only for alpha=1.",
    properties=_elu_properties,
    breakpoints=(0.0,),
    references=(Reference("Clevert, Unterthiner & Hochreiter, Fast and accurate deep network "
                          "learning by exponential linear units (ELUs)", 2016),),
    torch=TorchCounterpart("torch.nn.functional.elu", lambda nn, p: nn.ELU(p["alpha"])),
))

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def selu(x):
    r"""Scaled ELU :math:`\lambda\,\mathrm{elu}(x, \alpha)`, :math:`\lambda \approx 1.0507`,
    :math:`\alpha \approx 1.6733`: the constants that make mean 0 and variance 1 a fixed point.

    Computes element-wise

    .. math::
        f(x) = \lambda x\ \mathrm{if}\ x > 0,\ \mathrm{else}\ \lambda\alpha(e^{x} - 1)

    with derivative

    .. math::
        f'(x) = \lambda\ \mathrm{if}\ x > 0,\ \mathrm{else}\ \lambda\alpha e^{x}

    Derivative convention: f'(0) = lambda*alpha ~ 1.758 (left branch), as in PyTorch.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Klambauer, Unterthiner, Mayr & Hochreiter, Self-normalizing neural networks (2017)

    Example:
      >>> selu(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-1.52016647, -0.69175819,  0.        ,  0.52535049,  2.10140197])
      >>> selu_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.23793287, 1.06634115, 1.75809934, 1.05070099, 1.05070099])
    """
    return SELU_SCALE * elu(x, SELU_ALPHA)


def selu_grad(x):
    """The derivative of :func:`selu` (see its docstring)."""
    return SELU_SCALE * elu_grad(x, SELU_ALPHA)


define(Activation(
    name="selu", function=selu, derivative=selu_grad, family=FAMILY,
    display_name="SELU", aliases=("scaled_elu",),
    latex=r"\lambda x\ \mathrm{if}\ x > 0,\ \mathrm{else}\ \lambda\alpha(e^{x} - 1)",
    latex_derivative=r"\lambda\ \mathrm{if}\ x > 0,\ \mathrm{else}\ \lambda\alpha e^{x}",
    derivative_note="f'(0) = lambda*alpha ~ 1.758 (left branch), as in PyTorch.",
    properties=Properties(
        range=Interval(-SELU_SCALE * SELU_ALPHA, INF), smoothness=0, monotonic=True,
        derivative_monotonic=False, zero_centered=True, identity_near_origin=False,
        saturates="left", dead_region=False),
    breakpoints=(0.0,),
    references=(Reference("Klambauer, Unterthiner, Mayr & Hochreiter, Self-normalizing neural "
                          "networks", 2017),),
    torch=TorchCounterpart("torch.nn.functional.selu", lambda nn, p: nn.SELU()),
))


def _over_alpha(x, alpha):
    """x / alpha as hi + lo (lo from the exact remainder x - alpha hi), for x <= 0."""
    xn = np.clip(x, -nx.SQUARE_CLIP, 0)
    hi = np.maximum(xn / alpha, -nx.SPLIT_LIMIT)  # below that e^hi is 0 anyway
    p, e = nx.two_prod(hi, alpha)
    return hi, ((xn - p) - e) / alpha


@nx.as_float64
def celu(x, alpha=1.0):
    r"""Continuously differentiable ELU :math:`f(x) = \max(0, x) + \min(0, \alpha(e^{x/\alpha} - 1))`.

    C1 for every alpha (unlike ELU); x/alpha is carried as hi + lo, so
    :math:`f'(x) = e^{x/\alpha}` (x <= 0) is exact in the left tail.

    Computes element-wise

    .. math::
        f(x) = \max(0,\ x) + \min(0,\ \alpha\,(e^{x/\alpha} - 1))

    with derivative

    .. math::
        f'(x) = 1\ \mathrm{if}\ x > 0,\ \mathrm{else}\ e^{x/\alpha}

    Derivative convention: none needed, f' is continuous at x = 0, where the formula changes
    piece.

    Args:
      x: input array (float32 or float64; the result has its dtype).
      alpha: -alpha is the value for x -> -inf (:math:`\alpha`); default 1.0.

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Barron, Continuously differentiable exponential linear units (2017)

    Example:
      >>> celu(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-0.86466472, -0.39346934,  0.        ,  0.5       ,  2.        ])
      >>> celu_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.13533528, 0.60653066, 1.        , 1.        , 1.        ])
    """
    hi, lo = _over_alpha(x, alpha)
    return np.where(x > 0, x, alpha * (np.expm1(hi) + np.exp(hi) * lo))


@nx.as_float64
def celu_grad(x, alpha=1.0):
    """The derivative of :func:`celu` (see its docstring)."""
    hi, lo = _over_alpha(x, alpha)
    return np.where(x > 0, 1.0, nx.exp_dd(hi, lo))


define(Activation(
    name="celu", function=celu, derivative=celu_grad, family=FAMILY,
    display_name="CELU", aliases=("continuously_differentiable_elu",),
    params=(Param("alpha", 1.0, "-alpha is the value for x -> -inf", low=0, low_open=True,
                  high=10, sweep=(0.5, 1.0, 2.0), symbol=r"\alpha"),),
    latex=r"\max(0,\ x) + \min(0,\ \alpha\,(e^{x/\alpha} - 1))",
    latex_derivative=r"1\ \mathrm{if}\ x > 0,\ \mathrm{else}\ e^{x/\alpha}",
    properties=lambda p: Properties(
        range=Interval(-p["alpha"], INF), smoothness=1, monotonic=True, derivative_monotonic=True,
        zero_centered=True, identity_near_origin=True, saturates="left", dead_region=False),
    breakpoints=(0.0,),
    references=(Reference("Barron, Continuously differentiable exponential linear units", 2017),),
    torch=TorchCounterpart("torch.nn.functional.celu", lambda nn, p: nn.CELU(p["alpha"])),
))


# --------------------------------------------------------------------------- softplus and kin
def _softplus_parts(x, beta, threshold):
    """(u, u_err, linear): beta x = u + u_err exactly; linear where beta x > threshold, exactly.

    ``u_err`` is None where beta is a power of two (1 by default): then beta x is exact.
    """
    x = nx.clip_product(x)
    if math.frexp(beta)[0] == 0.5:
        u = x * beta
        return u, None, u > threshold
    u, u_err = nx.two_prod(x, beta)
    linear = (u > threshold) | ((u == threshold) & (u_err > 0))
    return u, u_err, linear


@nx.as_float64
def softplus(x, beta=1.0, threshold=20.0):
    r"""Softplus :math:`f(x) = \frac{1}{\beta}\log(1 + e^{\beta x})`, and exactly x where
    :math:`\beta x > \mathrm{threshold}` (PyTorch's linear switch).

    The switch leaves a jump of :math:`\log(1 + e^{-\mathrm{threshold}})/\beta`
    (about 2e-9 for the defaults) at x = threshold/beta; the comparison uses the
    exact product beta*x, and the left tail carries beta*x's rounding.

    Computes element-wise

    .. math::
        f(x) = \frac{1}{\beta}\log(1 + e^{\beta x})

    with derivative

    .. math::
        f'(x) = \sigma(\beta x)

    Derivative convention: Exactly 1 where beta*x > threshold (PyTorch's linear switch); the
    switch drops f by log(1 + exp(-threshold))/beta, so a small threshold makes softplus
    slightly non-monotonic.

    Args:
      x: input array (float32 or float64; the result has its dtype).
      beta: sharpness; large beta approaches ReLU (:math:`\beta`); default 1.0.
      threshold: above beta*x > threshold the function is exactly x; default 20.0.

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Dugas et al., Incorporating second-order functional knowledge for better option
      pricing (2001)

    Example:
      >>> softplus(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.12692801, 0.47407698, 0.69314718, 0.97407698, 2.12692801])
      >>> softplus_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0, 20.0]))
      array([0.11920292, 0.37754067, 0.5       , 0.62245933, 0.88079708,
             1.        ])
    """
    u, u_err, linear = _softplus_parts(x, beta, threshold)
    # log(1 + e^u)/beta = max(u, 0)/beta + log1p(e^{-|u|})/beta, with u/beta = x exactly
    e = np.exp(-np.abs(u)) if u_err is None else nx.exp_dd(-np.abs(u), -np.sign(u) * u_err)
    tail = np.log1p(e) / beta
    return np.where(linear, x, np.where(u > 0, x + tail, tail))


@nx.as_float64
def softplus_grad(x, beta=1.0, threshold=20.0):
    """The derivative of :func:`softplus` (see its docstring)."""
    u, u_err, linear = _softplus_parts(x, beta, threshold)
    return np.where(linear, 1.0, nx.sigmoid(u) if u_err is None else nx.sigmoid_dd(u, u_err))


define(Activation(
    name="softplus", function=softplus, derivative=softplus_grad, family=FAMILY,
    display_name="Softplus", aliases=("smooth_relu",),
    params=(
        Param("beta", 1.0, "sharpness; large beta approaches ReLU", low=0, low_open=True,
              high=100, sweep=(0.5, 1.0, 2.0, 5.0), symbol=r"\beta"),
        Param("threshold", 20.0, "above beta*x > threshold the function is exactly x", low=0,
              low_open=True, sweep=(20.0, 30.0)),
    ),
    latex=r"\frac{1}{\beta}\log(1 + e^{\beta x})",
    latex_derivative=r"\sigma(\beta x)",
    derivative_note="Exactly 1 where beta*x > threshold (PyTorch's linear switch); the switch "
                    "drops f by log(1 + exp(-threshold))/beta, so a small threshold makes "
                    "softplus slightly non-monotonic.",
    properties=Properties(
        range=Interval(0, INF), smoothness=INF, monotonic=True, derivative_monotonic=True,
        zero_centered=False, identity_near_origin=False, saturates="left", dead_region=False),
    breakpoints=lambda p: (p["threshold"] / p["beta"],),
    references=(Reference("Dugas et al., Incorporating second-order functional knowledge for "
                          "better option pricing", 2001),),
    torch=TorchCounterpart("torch.nn.functional.softplus",
                           lambda nn, p: nn.Softplus(p["beta"], p["threshold"])),
))


def squareplus(x, b=4.0):
    r"""JAX's squareplus :math:`(x + \sqrt{x^2 + b})/2`, an algebraic softplus.

    For x < 0 evaluated as :math:`(b/4) / (h/2 - x/2)` with :math:`h = \sqrt{x^2 + b}`
    (no cancellation); halves are taken before adding so nothing overflows.

    Computes element-wise

    .. math::
        f(x) = \frac{x + \sqrt{x^{2} + b}}{2}

    with derivative

    .. math::
        f'(x) = \frac{1}{2}\left(1 + \frac{x}{\sqrt{x^{2} + b}}\right)

    Derivative convention: none needed, f is smooth everywhere.

    Args:
      x: input array (float32 or float64; the result has its dtype).
      b: curvature near 0 (b -> 0 gives ReLU) (:math:`b`); default 4.0.

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Barron, Squareplus: a softplus-like algebraic rectifier (2021)

    Example:
      >>> squareplus(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.41421356, 0.78077641, 1.        , 1.28077641, 2.41421356])
      >>> squareplus_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.14644661, 0.37873219, 0.5       , 0.62126781, 0.85355339])
    """
    root_b = math.sqrt(b)
    return nx.piecewise(
        x, x < 0,
        lambda v: (b / 4) / (np.hypot(v, root_b) / 2 - v / 2),
        lambda v: v / 2 + np.hypot(v, root_b) / 2)


def squareplus_grad(x, b=4.0):
    """The derivative of :func:`squareplus` (see its docstring)."""
    root_b = math.sqrt(b)

    def left(v):
        h = np.hypot(v, root_b)
        return (b / 4) / h / (h / 2 - v / 2)

    def right(v):
        # (1 + x/h)/2 with x/h -> 1 at +inf
        return (1 + nx.piecewise(v, np.isinf(v), np.sign, lambda w: w / np.hypot(w, root_b))) / 2

    return nx.piecewise(x, x < 0, left, right)


define(Activation(
    name="squareplus", function=squareplus, derivative=squareplus_grad, family=FAMILY,
    display_name="Squareplus",
    params=(Param("b", 4.0, "curvature near 0 (b -> 0 gives ReLU)", low=0, low_open=True,
                  high=100, sweep=(1.0, 4.0, 16.0), symbol="b"),),
    latex=r"\frac{x + \sqrt{x^{2} + b}}{2}",
    latex_derivative=r"\frac{1}{2}\left(1 + \frac{x}{\sqrt{x^{2} + b}}\right)",
    properties=Properties(
        range=Interval(0, INF), smoothness=INF, monotonic=True, derivative_monotonic=True,
        zero_centered=False, identity_near_origin=False, saturates="left", dead_region=False),
    references=(Reference("Barron, Squareplus: a softplus-like algebraic rectifier", 2021),),
))


def sparse_plus(x):
    r"""JAX's sparse plus: 0 for x <= -1, :math:`(x + 1)^2/4` on (-1, 1), x for x >= 1.

    Computes element-wise

    .. math::
        f(x) = 0,\ \ \frac{(x + 1)^{2}}{4},\ \ x\quad (x \leq -1,\ |x| < 1,\ x \geq 1)

    with derivative

    .. math::
        f'(x) = \mathrm{clip}\left(\frac{x + 1}{2},\ 0,\ 1\right)

    Derivative convention: none needed, f' is continuous at x = -1, 1, where the formula
    changes piece.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Martins & Astudillo, From softmax to sparsemax (2016); JAX documentation,
      jax.nn.sparse_plus

    Example:
      >>> sparse_plus(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.    , 0.0625, 0.25  , 0.5625, 2.    ])
      >>> sparse_plus_grad(np.array([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0]))
      array([0.  , 0.  , 0.25, 0.5 , 0.75, 1.  , 1.  ])
    """
    xc = np.clip(x, -1, 1)
    return np.where(x >= 1, x, (xc + 1) ** 2 / 4)


def sparse_plus_grad(x):
    """The derivative of :func:`sparse_plus` (see its docstring)."""
    return nx.keep_nan(x, (np.clip(x, -1, 1) + 1) / 2)


define(Activation(
    name="sparse_plus", function=sparse_plus, derivative=sparse_plus_grad, family=FAMILY,
    display_name="Sparse plus", aliases=("sparseplus",),
    latex=r"0,\ \ \frac{(x + 1)^{2}}{4},\ \ x\quad (x \leq -1,\ |x| < 1,\ x \geq 1)",
    latex_derivative=r"\mathrm{clip}\left(\frac{x + 1}{2},\ 0,\ 1\right)",
    properties=Properties(
        range=Interval(0, INF, low_closed=True), smoothness=1, monotonic=True,
        derivative_monotonic=True, zero_centered=False, identity_near_origin=False,
        saturates="left", dead_region=True),
    breakpoints=(-1.0, 1.0),
    references=(Reference("Martins & Astudillo, From softmax to sparsemax", 2016),
                Reference("JAX documentation, jax.nn.sparse_plus")),
))


def threshold(x, threshold=1.0, value=0.0):
    r"""PyTorch's Threshold: x where x > threshold, else ``value`` (a jump unless value = threshold).

    Computes element-wise

    .. math::
        f(x) = x\ \mathrm{if}\ x > \theta,\ \mathrm{else}\ v

    with derivative

    .. math::
        f'(x) = 1\ \mathrm{if}\ x > \theta,\ \mathrm{else}\ 0

    Derivative convention: f'(threshold) = 0, as in PyTorch; f jumps there unless value =
    threshold.

    Args:
      x: input array (float32 or float64; the result has its dtype).
      threshold: inputs at or below it are replaced (PyTorch has no default)
        (:math:`\theta`); default 1.0.
      value: the replacement value (PyTorch has no default) (:math:`v`); default 0.0.

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      PyTorch documentation, torch.nn.Threshold

    Example:
      >>> threshold(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0., 0., 0., 0., 2.])
      >>> threshold_grad(np.array([-2.0, -0.5, 0.0, 0.5, 1.0, 2.0]))
      array([0., 0., 0., 0., 0., 1.])
    """
    return np.where(x <= threshold, value, x)


def threshold_grad(x, threshold=1.0, value=0.0):
    """The derivative of :func:`threshold` (see its docstring)."""
    return nx.keep_nan(x, np.where(x > threshold, 1.0, 0.0))


def _threshold_properties(p):
    t, v = p["threshold"], p["value"]
    low = min(t, v)
    at_zero = 0.0 if 0 > t else v
    return Properties(
        range=ValueSet.of(v, Interval(t, INF)), smoothness=0 if v == t else -1,
        monotonic=v <= t, derivative_monotonic=True, zero_centered=at_zero == 0 and low < 0,
        identity_near_origin=t < 0, saturates="left", dead_region=True)


define(Activation(
    name="threshold", function=threshold, derivative=threshold_grad, family=FAMILY,
    display_name="Threshold",
    params=(
        Param("threshold", 1.0, "inputs at or below it are replaced (PyTorch has no default)",
              low=-100, high=100, sweep=(0.5, 1.0, 2.0), symbol=r"\theta"),
        Param("value", 0.0, "the replacement value (PyTorch has no default)", low=-100,
              high=100, sweep=(-1.0, 0.0, 0.5), symbol="v"),
    ),
    latex=r"x\ \mathrm{if}\ x > \theta,\ \mathrm{else}\ v",
    latex_derivative=r"1\ \mathrm{if}\ x > \theta,\ \mathrm{else}\ 0",
    derivative_note="f'(threshold) = 0, as in PyTorch; f jumps there unless value = threshold.",
    properties=_threshold_properties,
    breakpoints=lambda p: (p["threshold"],),
    references=(Reference("PyTorch documentation, torch.nn.Threshold"),),
    torch=TorchCounterpart("torch.nn.functional.threshold",
                           lambda nn, p: nn.Threshold(p["threshold"], p["value"])),
))


def isrlu(x, alpha=1.0):
    r"""Inverse square root linear unit: x for x >= 0, :math:`x/\sqrt{1 + \alpha x^2}` below (C2).

    Computes element-wise

    .. math::
        f(x) = x\ \mathrm{if}\ x \geq 0,\ \mathrm{else}\ \frac{x}{\sqrt{1 + \alpha x^{2}}}

    with derivative

    .. math::
        f'(x) = 1\ \mathrm{if}\ x \geq 0,\ \mathrm{else}\ \left(\frac{1}{\sqrt{1 + \alpha x^{2}}}\right)^{3}

    Derivative convention: none needed, f' is continuous at x = 0, where the formula changes
    piece.

    Args:
      x: input array (float32 or float64; the result has its dtype).
      alpha: -1/sqrt(alpha) is the value for x -> -inf (:math:`\alpha`); default 1.0.

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Carlile et al., Improving deep learning by inverse square root linear units (ISRLUs)
      (2017)

    Example:
      >>> isrlu(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-0.89442719, -0.4472136 ,  0.        ,  0.5       ,  2.        ])
      >>> isrlu_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.08944272, 0.71554175, 1.        , 1.        , 1.        ])
    """
    from .sigmoid_like import isru

    return nx.piecewise(x, x < 0, lambda v: isru(v, alpha), lambda v: v.copy())


def isrlu_grad(x, alpha=1.0):
    """The derivative of :func:`isrlu` (see its docstring)."""
    return np.where(x >= 0, 1.0, nx.inv_one_plus_square(np.minimum(x, 0), alpha) ** 3)


define(Activation(
    name="isrlu", function=isrlu, derivative=isrlu_grad, family=FAMILY,
    display_name="ISRLU", aliases=("inverse_square_root_linear_unit",),
    params=(Param("alpha", 1.0, "-1/sqrt(alpha) is the value for x -> -inf", low=0,
                  low_open=True, high=100, sweep=(0.25, 1.0, 4.0), symbol=r"\alpha"),),
    latex=r"x\ \mathrm{if}\ x \geq 0,\ \mathrm{else}\ \frac{x}{\sqrt{1 + \alpha x^{2}}}",
    latex_derivative=r"1\ \mathrm{if}\ x \geq 0,\ \mathrm{else}\ "
                     r"\left(\frac{1}{\sqrt{1 + \alpha x^{2}}}\right)^{3}",
    properties=lambda p: Properties(
        range=Interval(-1 / math.sqrt(p["alpha"]), INF), smoothness=2, monotonic=True,
        derivative_monotonic=True, zero_centered=True, identity_near_origin=True, saturates="left",
        dead_region=False),
    breakpoints=(0.0,),
    references=(Reference("Carlile et al., Improving deep learning by inverse square root "
                          "linear units (ISRLUs)", 2017),),
))


def srelu(x, left_threshold=-1.0, left_slope=0.1, right_threshold=1.0, right_slope=0.1):
    r"""S-shaped ReLU: identity between the thresholds, lines of the given slopes outside.

    Computes element-wise

    .. math::
        f(x) = t_l + a_l (x - t_l),\ \ x,\ \ t_r + a_r (x - t_r)\quad(x \leq t_l,\ t_l < x < t_r,\ x \geq t_r)

    with derivative

    .. math::
        f'(x) = a_l,\ \ 1,\ \ a_r

    Derivative convention: At the thresholds f' takes the outer slope.

    Args:
      x: input array (float32 or float64; the result has its dtype).
      left_threshold: where the left line starts (:math:`t_l`); default -1.0.
      left_slope: slope left of left_threshold (:math:`a_l`); default 0.1.
      right_threshold: where the right line starts (:math:`t_r`); default 1.0.
      right_slope: slope right of right_threshold (:math:`a_r`); default 0.1.

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Jin et al., Deep learning with S-shaped rectified linear activation units (2016)

    Example:
      >>> srelu(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([-1.1, -0.5,  0. ,  0.5,  1.1])
      >>> srelu_grad(np.array([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0]))
      array([0.1, 0.1, 1. , 1. , 1. , 0.1, 0.1])
    """
    tl, al, tr, ar = left_threshold, left_slope, right_threshold, right_slope
    return np.where(x >= tr, _line(x, tr, ar), np.where(x <= tl, _line(x, tl, al), x))


def _line(x, t, a):
    """t + a (x - t); for a = 0 the constant t (so that 0 * inf never happens)."""
    return np.full_like(x, t) if a == 0 else t + a * (x - t)


def srelu_grad(x, left_threshold=-1.0, left_slope=0.1, right_threshold=1.0, right_slope=0.1):
    """The derivative of :func:`srelu` (see its docstring)."""
    inner = np.where(x >= right_threshold, right_slope,
                     np.where(x <= left_threshold, left_slope, 1.0))
    return nx.keep_nan(x, inner)


def _srelu_properties(p):
    al, ar = p["left_slope"], p["right_slope"]
    strictly = p["left_threshold"] < 0 < p["right_threshold"]
    sides = {(True, True): "both", (True, False): "left", (False, True): "right"}.get(
        (al == 0, ar == 0), "none")
    low = -INF if al > 0 else p["left_threshold"]
    high = INF if ar > 0 else p["right_threshold"]
    smooth = INF if al == 1 and ar == 1 else 0
    return Properties(
        range=Interval(low, high, low_closed=al == 0, high_closed=ar == 0), smoothness=smooth,
        monotonic=True, derivative_monotonic=al == 1 and ar == 1, zero_centered=True,
        identity_near_origin=strictly, saturates=sides, dead_region=al == 0 or ar == 0)


define(Activation(
    name="srelu", function=srelu, derivative=srelu_grad, family=FAMILY,
    display_name="SReLU", aliases=("s_shaped_relu",),
    params=(
        Param("left_threshold", -1.0, "where the left line starts", high=0,
              sweep=(-2.0, -1.0, -0.5), symbol=r"t_l"),
        Param("left_slope", 0.1, "slope left of left_threshold", low=0, high=1,
              sweep=(0.0, 0.1, 0.5), symbol=r"a_l"),
        Param("right_threshold", 1.0, "where the right line starts", low=0,
              sweep=(0.5, 1.0, 2.0), symbol=r"t_r"),
        Param("right_slope", 0.1, "slope right of right_threshold", low=0, high=1,
              sweep=(0.0, 0.1, 0.5), symbol=r"a_r"),
    ),
    constraint=lambda p: None if p["left_threshold"] < p["right_threshold"] else (
        "left_threshold must be less than right_threshold"),
    latex=r"t_l + a_l (x - t_l),\ \ x,\ \ t_r + a_r (x - t_r)\quad"
          r"(x \leq t_l,\ t_l < x < t_r,\ x \geq t_r)",
    latex_derivative=r"a_l,\ \ 1,\ \ a_r",
    derivative_note="At the thresholds f' takes the outer slope.",
    properties=_srelu_properties,
    breakpoints=lambda p: (p["left_threshold"], p["right_threshold"]),
    references=(Reference("Jin et al., Deep learning with S-shaped rectified linear activation "
                          "units", 2016),),
))


def smelu(x, beta=1.0):
    r"""Smooth ReLU: 0 below -beta, :math:`(x + \beta)^2/(4\beta)` on [-beta, beta], x above.

    Computes element-wise

    .. math::
        f(x) = 0,\ \ \frac{(x + \beta)^{2}}{4\beta},\ \ x\quad(x \leq -\beta,\ |x| < \beta,\ x \geq \beta)

    with derivative

    .. math::
        f'(x) = \mathrm{clip}\left(\frac{x + \beta}{2\beta},\ 0,\ 1\right)

    Derivative convention: none needed, f' is continuous at x = -1, 1, where the formula
    changes piece.

    Args:
      x: input array (float32 or float64; the result has its dtype).
      beta: half-width of the quadratic middle (:math:`\beta`); default 1.0.

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      Shamir, Lin & Coviello, Smooth activations and reproducibility in deep networks
      (2020)

    Example:
      >>> smelu(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.    , 0.0625, 0.25  , 0.5625, 2.    ])
      >>> smelu_grad(np.array([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0]))
      array([0.  , 0.  , 0.25, 0.5 , 0.75, 1.  , 1.  ])
    """
    xc = np.clip(x, -beta, beta)
    return np.where(x >= beta, x, (xc + beta) ** 2 / (4 * beta))


def smelu_grad(x, beta=1.0):
    """The derivative of :func:`smelu` (see its docstring)."""
    return nx.keep_nan(x, (np.clip(x, -beta, beta) + beta) / (2 * beta))


define(Activation(
    name="smelu", function=smelu, derivative=smelu_grad, family=FAMILY,
    display_name="SmeLU", aliases=("smooth_relu_quadratic",),
    params=(Param("beta", 1.0, "half-width of the quadratic middle", low=0, low_open=True,
                  high=100, sweep=(0.5, 1.0, 2.0), symbol=r"\beta"),),
    latex=r"0,\ \ \frac{(x + \beta)^{2}}{4\beta},\ \ x\quad"
          r"(x \leq -\beta,\ |x| < \beta,\ x \geq \beta)",
    latex_derivative=r"\mathrm{clip}\left(\frac{x + \beta}{2\beta},\ 0,\ 1\right)",
    properties=Properties(
        range=Interval(0, INF, low_closed=True), smoothness=1, monotonic=True,
        derivative_monotonic=True, zero_centered=False, identity_near_origin=False,
        saturates="left", dead_region=True),
    breakpoints=lambda p: (-p["beta"], p["beta"]),
    references=(Reference("Shamir, Lin & Coviello, Smooth activations and reproducibility in "
                          "deep networks", 2020),),
))


def squared_relu(x):
    r""":math:`\max(0, x)^2` (Primer); inf for x beyond about 1.3e154, as float64 must.

    Computes element-wise

    .. math::
        f(x) = \max(0,\ x)^{2}

    with derivative

    .. math::
        f'(x) = 2\max(0,\ x)

    Derivative convention: none needed, f' is continuous at x = 0, where the formula changes
    piece.

    Args:
      x: input array (float32 or float64; the result has its dtype).

    Returns:
      An array of the same shape and dtype as ``x``.

    Reference:
      So et al., Primer: searching for efficient transformers (2021)

    Example:
      >>> squared_relu(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0.  , 0.  , 0.  , 0.25, 4.  ])
      >>> squared_relu_grad(np.array([-2.0, -0.5, 0.0, 0.5, 2.0]))
      array([0., 0., 0., 1., 4.])
    """
    r = np.maximum(x, 0)
    with np.errstate(over="ignore"):  # the true value exceeds float range: inf is right
        return r * r


def squared_relu_grad(x):
    """The derivative of :func:`squared_relu` (see its docstring)."""
    with np.errstate(over="ignore"):  # 2x beyond the float maximum is inf, correctly
        return 2 * np.maximum(x, 0)


define(Activation(
    name="squared_relu", function=squared_relu, derivative=squared_relu_grad, family=FAMILY,
    display_name="Squared ReLU", aliases=("relu_squared", "relu2"),
    latex=r"\max(0,\ x)^{2}",
    latex_derivative=r"2\max(0,\ x)",
    properties=Properties(
        range=Interval(0, INF, low_closed=True), smoothness=1, monotonic=True,
        derivative_monotonic=True, zero_centered=False, identity_near_origin=False,
        saturates="left", dead_region=True),
    breakpoints=(0.0,),
    references=(Reference("So et al., Primer: searching for efficient transformers", 2021),),
))
