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
    bh, bl = (ah, al) if b is a else split(b)  # a square splits once
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
    """Evaluate element-wise ``function(x, **params)`` in float64, in blocks of ``BLOCK``
    elements (small temporaries stay in cache: 2-3x faster on large arrays), and return x's
    shape and dtype (float32 stays float32)."""
    import functools

    @functools.wraps(function)
    def wrapper(x, *args, **kwargs):
        return _blocks(lambda v: function(v, *args, **kwargs), x)

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


# --------------------------------------------------------------------------- erf and erfc
# A vectorised port of fdlibm's s_erf.c (FreeBSD msun), under 1 ulp: rational approximations
# on |x| < 0.84375, < 1.25, < 1/0.35 and < 28, each evaluated only on the elements where it
# applies.  The coefficients are fdlibm's:
#   Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
#   Developed at SunPro, a Sun Microsystems, Inc. business.
#   Permission to use, copy, modify, and distribute this software is freely granted,
#   provided that this notice is preserved.
_ERX = 8.45062911510467529297e-01  # erf(1) rounded to 24 bits
# |x| < 0.84375: erf(x) = x + x P(x^2)/Q(x^2)  (coefficients from the constant term up)
_PP = (1.28379167095512558561e-01, -3.25042107247001499370e-01, -2.84817495755985104766e-02,
       -5.77027029648944159157e-03, -2.37630166566501626084e-05)
_QQ = (1.0, 3.97917223959155352819e-01, 6.50222499887672944485e-02,
       5.08130628187576562776e-03, 1.32494738004321644526e-04, -3.96022827877536812320e-06)
# 0.84375 <= |x| < 1.25: erf(|x|) = erx + P(s)/Q(s), s = |x| - 1
_PA = (-2.36211856075265944077e-03, 4.14856118683748331666e-01, -3.72207876035701323847e-01,
       3.18346619901161753674e-01, -1.10894694282396677476e-01, 3.54783043256182359371e-02,
       -2.16637559486879084300e-03)
_QA = (1.0, 1.06420880400844228286e-01, 5.40397917702171048937e-01, 7.18286544141962662868e-02,
       1.26171219808761642112e-01, 1.36370839120290507362e-02, 1.19844998467991074170e-02)
# 1.25 <= |x| < 1/0.35: erfc(|x|) = exp(-x^2 - 0.5625 + R(s)/S(s)) / |x|, s = 1/x^2
_RA = (-9.86494403484714822705e-03, -6.93858572707181764372e-01, -1.05586262253232909814e+01,
       -6.23753324503260060396e+01, -1.62396669462573470355e+02, -1.84605092906711035994e+02,
       -8.12874355063065934246e+01, -9.81432934416914548592e+00)
_SA = (1.0, 1.96512716674392571292e+01, 1.37657754143519042600e+02, 4.34565877475229228821e+02,
       6.45387271733267880336e+02, 4.29008140027567833386e+02, 1.08635005541779435134e+02,
       6.57024977031928170135e+00, -6.04244152148580987438e-02)
# 1/0.35 <= |x| < 28: the same form with R2/S2
_RB = (-9.86494292470009928597e-03, -7.99283237680523006574e-01, -1.77579549177547519889e+01,
       -1.60636384855821916062e+02, -6.37566443368389627722e+02, -1.02509513161107724954e+03,
       -4.83519191608651397019e+02)
_SB = (1.0, 3.03380607434824582924e+01, 3.25792512996573918826e+02, 1.53672958608443695994e+03,
       3.19985821950859553908e+03, 2.55305040643316442583e+03, 4.74528541206955367215e+02,
       -2.24409524465858183362e+01)
_TAIL_SWITCH = 1 / 0.35
_HIGH_WORD = np.uint64(0xFFFFFFFF00000000)


def _poly(s: np.ndarray, coefficients: tuple[float, ...]) -> np.ndarray:
    """sum_k c_k s^k (degree >= 1) by Horner's rule, in place on one array."""
    out = s * coefficients[-1]
    out += coefficients[-2]
    for c in coefficients[-3::-1]:
        out *= s
        out += c
    return out


_TWO_OVER_SQRT_PI = 1.1283791670955126
_E_9_16 = 1.7550546569602985  # e^0.5625


def _erfc_tail(a: np.ndarray, d: np.ndarray | None) -> np.ndarray:
    """erfc(a + d) for 1.25 <= a < 28, |d| <= ulp(a): e^{-z^2 - 0.5625 + (z - a)(z + a) + R/S} / a.

    z is a with its low 32 bits cleared, so -z^2 - 0.5625 is exact; the small rest is
    added by an error-free sum and its rounding error carried, e^(hi + lo) = e^hi (1 + lo),
    so the large exponent costs no accuracy (one ulp of it would be x^2 ulps of erfc).
    The argument's low part d enters as erfc(a + d) = erfc(a) (1 - g d) with
    g = -erfc'(a)/erfc(a) = (2/sqrt pi) a e^{0.5625 - R/S}; it needs only a few digits, so
    e^{-R/S} (|R/S| < 0.22) is its cubic Taylor polynomial (relative error < 1e-4).
    """
    s = 1 / (a * a)
    near = a < _TAIL_SWITCH
    if near.all():
        ratio = _poly(s, _RA) / _poly(s, _SA)
    else:
        ratio = np.empty_like(a)
        far = ~near
        sn, sf = s[near], s[far]
        ratio[near] = _poly(sn, _RA) / _poly(sn, _SA)
        ratio[far] = _poly(sf, _RB) / _poly(sf, _SB)
    z = (a.view(np.uint64) & _HIGH_WORD).view(np.float64)
    big = z * z
    big += 0.5625
    np.negative(big, out=big)  # -z^2 - 0.5625, exact (z has 21 bits, |x| < 28)
    rest = (z - a) * (z + a)
    rest += ratio
    hi = big + rest
    lo = rest - (hi - big)  # |big| > |rest|: the fast two-sum
    if d is not None:
        g = _poly(-ratio, (1.0, 1.0, 0.5, 1 / 6))
        g *= a
        g *= (_TWO_OVER_SQRT_PI * _E_9_16) * d
        lo -= g
    with np.errstate(under="ignore"):
        e = np.exp(hi)
    lo *= e
    e += lo
    e /= a
    return e


def _erf_small(x: np.ndarray) -> np.ndarray:
    """(erf(x) - x) / x = P(x^2)/Q(x^2) for |x| < 0.84375."""
    z = x * x
    return _poly(z, _PP) / _poly(z, _QQ)


def _erf_middle(a: np.ndarray) -> np.ndarray:
    """erf(a) - erx for 0.84375 <= a < 1.25."""
    s = a - 1
    return _poly(s, _PA) / _poly(s, _QA)


def _erf_regions(x: np.ndarray):
    """|x| and the masks of the regions |x| < 0.84375 and 0.84375 <= |x| < 1.25."""
    a = np.abs(x)
    small = a < 0.84375
    middle = (a >= 0.84375) & (a < 1.25)
    return a, small, middle


def _erfc64(x: np.ndarray, lo: np.ndarray | None = None) -> np.ndarray:
    """erfc(x + lo) on a flat float64 array (under 1 ulp; nan in, nan out; erfc(-inf) = 2).

    lo (|lo| <= ulp(x), or None for 0) is carried to first order, which is all it needs:
    by the log-derivative in the tail, by -lo (2/sqrt pi) e^{-x^2} where |x| < 1.25.
    """
    a, small, middle = _erf_regions(x)
    # 0 beyond 28 (and at +inf), 2 below -6 (erfc(-6) = 2 - 2e-17), nan for nan
    out = np.where(x > 0, 0.0, np.where(x < 0, 2.0, x))
    for region in (small, middle):
        if not region.any():
            continue
        t = x[region]
        if region is small:
            ty = t * _erf_small(t)
            v = np.where(t < 0.25, 1 - (t + ty), 0.5 - ((t - 0.5) + ty))
        else:
            pq = _erf_middle(np.abs(t))
            v = np.where(t > 0, (1 - _ERX) - pq, 1 + (_ERX + pq))
        if lo is not None:
            v -= lo[region] * (_TWO_OVER_SQRT_PI * np.exp(-t * t))
        out[region] = v
    tail = (a >= 1.25) & (a < 28) & (x > -6)
    if tail.any():
        t = x[tail]
        d = None if lo is None else np.where(t > 0, lo[tail], -lo[tail])  # erfc(-a) = 2 - erfc(a)
        e = _erfc_tail(np.abs(t), d)
        out[tail] = np.where(t > 0, e, 2 - e)
    return out


def _erf64(x: np.ndarray) -> np.ndarray:
    """erf on a flat float64 array (under 1 ulp; nan in, nan out; erf(+-inf) = +-1)."""
    a, small, middle = _erf_regions(x)
    out = np.where(x > 0, 1.0, np.where(x < 0, -1.0, x))  # +-1 from |x| = 6 on
    if small.any():
        t = x[small]
        out[small] = t + t * _erf_small(t)
    if middle.any():
        t = x[middle]
        out[middle] = np.copysign(_ERX + _erf_middle(np.abs(t)), t)
    tail = (a >= 1.25) & (a < 6)
    if tail.any():
        t = x[tail]
        out[tail] = np.copysign(1 - _erfc_tail(np.abs(t), None), t)
    return out


# Elements per block: the temporaries of one block stay in the cache (and need no fresh
# pages from the system), which makes a long chain of NumPy operations 2-3x faster.
BLOCK = 1 << 15


def _blocks(function: Callable[..., np.ndarray], x, *more) -> np.ndarray:
    """``function`` on x (and arrays of its shape) as flat float64 blocks, reshaped, in x's dtype."""
    x = np.asarray(x)
    flats = [np.ravel(np.asarray(v).astype(np.float64, copy=False)) for v in (x, *more)]
    n = flats[0].size
    if n <= BLOCK:
        out = np.asarray(function(*flats), dtype=np.float64).reshape(n)
    else:
        out = np.empty(n)
        for start in range(0, n, BLOCK):
            out[start:start + BLOCK] = function(*(f[start:start + BLOCK] for f in flats))
    dtype = x.dtype if x.dtype.kind == "f" else np.float64
    with np.errstate(over="ignore"):  # values beyond float32's range round to +-inf
        return out.reshape(x.shape).astype(dtype, copy=False)


def erf(x: np.ndarray) -> np.ndarray:
    """The error function, within 1 ulp (fdlibm's algorithm, vectorised)."""
    return _blocks(_erf64, x)


def erfc(x: np.ndarray) -> np.ndarray:
    """The complementary error function 1 - erf(x), within 1 ulp, exact in the right tail."""
    return _blocks(_erfc64, x)


def erfc_dd(hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """erfc(hi + lo) for a double-double argument (|lo| <= ulp(hi)), within 1 ulp of it."""
    hi = np.asarray(hi)
    return _blocks(_erfc64, hi, np.broadcast_to(lo, hi.shape))


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
