"""Numerically stable building blocks shared by the definitions.

Every helper takes a float ndarray and returns one of the same dtype, without
overflow or invalid-value warnings for any input in [-inf, inf]; nan in gives
nan out.  The tricks: exponentials only of non-positive numbers, squares only
of clipped numbers, and branches evaluated only where they are valid.

For exactness (within a few ulps of the true value, see docs/DESIGN.md): Dekker's
error-free products and sums (``two_prod``, ``two_sum``) carry an exponent's rounding
error as a low part (``exp_dd``, ``sigmoid_dd``, ``erfc_dd``), ``root_series`` evaluates
a derivative near its root without cancellation, and ``as_float64`` runs a function in
float64 for float32 input.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

# |x| beyond which exp(-x^2/2) and friends are exactly 0 in float64; clipping
# to it keeps x**2 finite without changing any result.
SQUARE_CLIP = 1e5
# |x| clip before multiplying by a parameter (at most 100): keeps beta * x finite in float32,
# far beyond where any saturating function has reached its limit.
PRODUCT_CLIP = 1e30


# --------------------------------------------------------------------------- error-free products
# Dekker's algorithms: a product or a sum as hi + lo with hi the rounded result and lo its
# exact rounding error.  They keep an exponent's argument exact to ~106 bits, so exp(z) in a
# tail (where one ulp of z is |z|/2 ulps of e^z) stays correct to the last bit.
_SPLITTER = 134217729.0  # 2^27 + 1
# |x| up to which the splitting cannot overflow (2^27 x must stay finite).
SPLIT_LIMIT = 1e300


def split(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """a = hi + lo with hi holding the upper 26 bits (|a| <= SPLIT_LIMIT)."""
    c = _SPLITTER * a
    hi = c - (c - a)
    return hi, a - hi


def two_prod(a, b) -> tuple[np.ndarray, np.ndarray]:
    """a * b = p + e exactly, p = fl(a * b) (no overflow or underflow in the product)."""
    p = a * b
    ah, al = split(a)
    bh, bl = split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def two_sum(a, b) -> tuple[np.ndarray, np.ndarray]:
    """a + b = s + e exactly, s = fl(a + b)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def exp_dd(hi, lo):
    """e^(hi + lo) for |lo| <= ulp(hi): e^hi (1 + lo), the first-order term being exact enough."""
    e = np.exp(hi)
    return e + e * lo


def as_float64(function: Callable) -> Callable:
    """Evaluate ``function`` in float64 and return the input's dtype (float32 stays float32)."""
    import functools

    @functools.wraps(function)
    def wrapper(x, *args, **kwargs):
        x = np.asarray(x)
        out = function(x.astype(np.float64, copy=False), *args, **kwargs)
        if x.dtype == np.float64:
            return out
        with np.errstate(over="ignore"):  # values beyond float32's range round to +-inf
            return np.asarray(out).astype(x.dtype)

    return wrapper


def keep_nan(x: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``values`` where x is a number, x itself where it is nan (nan in gives nan out).

    For the piecewise-constant parts (derivatives of ReLU, steps, clips), whose
    comparisons would otherwise turn a nan into 0 or 1.
    """
    return np.where(np.isnan(x), x, values)


def clip_product(x: np.ndarray) -> np.ndarray:
    """x clipped to +-PRODUCT_CLIP (nan stays nan), safe to multiply by a parameter <= 100."""
    return np.clip(x, -PRODUCT_CLIP, PRODUCT_CLIP)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-x)), evaluated as exp(-|x|) so nothing overflows."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_slope(x: np.ndarray) -> np.ndarray:
    """sigma(x) * sigma(-x) = e / (1 + e)^2 with e = exp(-|x|): accurate in both tails."""
    e = np.exp(-np.abs(x))
    return e / ((1 + e) * (1 + e))


def log1p_exp_neg_abs(x: np.ndarray) -> np.ndarray:
    """log(1 + exp(-|x|)), the part of softplus that never overflows."""
    return np.log1p(np.exp(-np.abs(x)))


def softplus(x: np.ndarray) -> np.ndarray:
    """log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|))."""
    return np.maximum(x, 0) + log1p_exp_neg_abs(x)


def sech2(x: np.ndarray) -> np.ndarray:
    """1 - tanh(x)^2 = 4 e / (1 + e)^2 with e = exp(-2|x|), exact in the tails."""
    e = np.exp(-np.abs(x))
    e = e * e  # exp(-2|x|) without computing 2|x|, which can overflow in float32
    return 4 * e / ((1 + e) * (1 + e))


def clip_square(x: np.ndarray) -> np.ndarray:
    """x clipped to +-SQUARE_CLIP (nan stays nan), safe to square."""
    return np.clip(x, -SQUARE_CLIP, SQUARE_CLIP)


def inv_one_plus_square(x: np.ndarray, a: float = 1.0) -> np.ndarray:
    """1 / sqrt(1 + a x^2) without overflow: for |x| > 1 use 1 / (|x| sqrt(1/x^2 + a))."""
    return piecewise(
        x,
        np.abs(x) > 1,
        lambda v: (1 / np.abs(v)) / np.sqrt((1 / v) ** 2 + a),
        lambda v: 1 / np.sqrt(1 + a * v * v),
    )


def piecewise(x: np.ndarray, condition: np.ndarray, where_true: Callable[[np.ndarray], np.ndarray],
              where_false: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """Evaluate ``where_true`` only on x[condition] and ``where_false`` on the rest.

    Unlike ``np.where``, a branch never sees inputs it cannot handle, so it
    cannot warn about them.  nan fails every comparison, so it goes to
    ``where_false``, which must pass nan through.
    """
    x = np.asarray(x)
    out = np.empty_like(x)
    condition = np.broadcast_to(condition, x.shape)
    if x.ndim == 0:
        return np.asarray(where_true(x) if condition else where_false(x), dtype=x.dtype)
    out[condition] = where_true(x[condition])
    rest = ~condition
    out[rest] = where_false(x[rest])
    return out


def erf(x: np.ndarray) -> np.ndarray:
    """The error function: scipy's ufunc when available, else math.erf per element."""
    try:
        from scipy.special import erf as scipy_erf
    except ImportError:  # pragma: no cover - scipy is present wherever tests run
        return _vectorised(math.erf, x)
    return scipy_erf(x).astype(x.dtype, copy=False)


def erfc_dd(hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """erfc(hi + lo) for |lo| <= ulp(hi): erfc(hi) - lo (2/sqrt pi) e^{-hi^2}.

    erfc per element from the C library (math.erfc, within 2 ulps and exact in the
    tails, where SciPy's loses up to 500 ulps); the argument's low part is carried
    to first order, which is all it needs.
    """
    base = _vectorised(math.erfc, hi)
    h = np.clip(hi, -30, 30)
    return base - lo * (1.1283791670955126 * np.exp(-h * h))


def _vectorised(function: Callable[[float], float], x: np.ndarray) -> np.ndarray:
    flat = np.asarray(x, dtype=np.float64).ravel()
    out = np.fromiter((function(v) for v in flat), dtype=np.float64, count=flat.size)
    return out.reshape(np.shape(x)).astype(x.dtype, copy=False)


def sigmoid_dd(hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """sigma(hi + lo) for a double-double argument (|lo| <= ulp(hi)): exact in both tails."""
    e = np.exp(-np.abs(hi))
    e = e - e * (np.sign(hi) * lo)  # e^{-|z|} with z's low part carried
    return np.where(hi >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_slope_dd(hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """sigma'(hi + lo) = e / (1 + e)^2, e = e^{-|z|}, for a double-double argument."""
    e = np.exp(-np.abs(hi))
    e = e - e * (np.sign(hi) * lo)
    return e / ((1 + e) * (1 + e))


def root_series(x: np.ndarray, root: tuple[float, float], coefficients: tuple[float, ...]):
    """sum_k c_k d^k (k >= 1) with d = x - root, root = hi + lo: a function near its simple root.

    Near a root a closed form is a difference of O(1) terms and loses digits to
    cancellation; the Taylor series in d = x - root has none (d is exact by Sterbenz).
    """
    d = (x - root[0]) - root[1]
    out = np.zeros_like(d)
    for c in reversed(coefficients):
        out = out * d + c
    return out * d
