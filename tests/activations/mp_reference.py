"""An independent reference for every built-in activation: mpmath at 50 digits.

``reference(act, x)`` returns the exact f(x) and f'(x) of a bound activation at
float64 points, each as a pair of float64 arrays (hi, lo) with hi + lo the
value to about 106 bits (hi is the correctly rounded value).  The formulas
are written from the mathematical definitions, not from actviz's code; where a
textbook formula cancels at 50 digits (x - tanh x near 0, sinc' near 0) the
working precision is raised for that point instead of rearranging it.  The
kink conventions (f' at breakpoints) are the ones actviz documents.

Parameters are the float64 values the activation is bound to; constants that
papers define exactly are exact here: 2/3 in LeCun's tanh, sqrt(2/pi) and the
decimal 0.044715 in GELU's tanh form, SELU's constants to 32 digits.

``derivative_roots(act)`` gives the non-zero roots of f' (extrema of f), and
``near_root(act, x)`` says which x lie within 5% (at least 0.05) of one.
mpmath is a test dependency only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache

import mpmath
import numpy as np

mp = mpmath.mp
DPS = 50
PREC = 170  # bits, a little over 50 digits
MPF = mpmath.mpf

SELU_ALPHA = "1.6732632423543772848170429916717"
SELU_SCALE = "1.0507009873554804934193349852946"
LECUN_A = "1.7159"


def _sigmoid(z):
    return 1 / (1 + mp.exp(-z))


def _sigmoid_slope(z):
    e = mp.exp(-abs(z))
    return e / (1 + e) ** 2


def _softplus(z):
    return mp.log1p(mp.exp(z))


def _sech2(z):
    return mp.sech(z) ** 2


def _erfc(z):
    """erfc at any size: mpmath's, or beyond |z| = 1e10 the asymptotic series (error ~ z^-6)."""
    if z > 10 ** 10:
        return mp.exp(-z * z) / (z * mp.sqrt(mp.pi)) * (1 - 1 / (2 * z * z) + 3 / (4 * z ** 4))
    if z < -10 ** 10:
        return 2 - _erfc(-z)
    return mp.erfc(z)


def _erf(z):
    if abs(z) > 10 ** 10:
        return mp.sign(z) * (1 - _erfc(abs(z)))
    return mp.erf(z)


def _clip(v, lo, hi):
    return min(max(v, lo), hi)


def _extra(x, power):
    """Extra bits for a cancellation of size |x|^power near 0."""
    if x == 0:
        return 0
    return max(0, -power * int(mpmath.floor(mpmath.log(abs(x), 2)))) + 20


# Each reference takes (x, params) with mpf values and returns (f, f').
def _sigmoid_ref(x, p):
    return _sigmoid(x), _sigmoid_slope(x)


def _tanh_ref(x, p):
    return mp.tanh(x), _sech2(x)


def _hardsigmoid(x, p):
    return _clip(x + 3, 0, 6) / 6, (MPF(1) / 6 if -3 < x < 3 else MPF(0))


def _hardtanh(x, p):
    lo, hi = p["min_val"], p["max_val"]
    return _clip(x, lo, hi), MPF(1 if lo < x < hi else 0)


def _softsign(x, p):
    return x / (1 + abs(x)), 1 / (1 + abs(x)) ** 2


def _logsigmoid(x, p):
    return -_softplus(-x), _sigmoid(-x)


def _sparse_sigmoid(x, p):
    return _clip((x + 1) / 2, 0, 1), MPF(0.5 if -1 < x < 1 else 0)


def _arctan(x, p):
    return mp.atan(x), 1 / (1 + x * x)


def _lecun_tanh(x, p):
    a, b = MPF(LECUN_A), MPF(2) / 3
    return a * mp.tanh(b * x), a * b * _sech2(b * x)


def _isru(x, p):
    a = p["alpha"]
    r = 1 / mp.sqrt(1 + a * x * x)
    return x * r, r ** 3


def _erf_ref(x, p):
    return _erf(x), 2 / mp.sqrt(mp.pi) * mp.exp(-x * x)


def _sqnl(x, p):
    if abs(x) >= 2:
        return mp.sign(x), MPF(0)
    return x - x * abs(x) / 4, 1 - abs(x) / 2


def _soft_clipping(x, p):
    a = p["alpha"]
    # (1/a) log((1 + e^u) / (1 + e^v)), u = a x, v = a (x - 1) = u - a, so e^v = e^u e^{-a}
    # (exact; forming x - 1 would need |x|'s exponent in extra bits)
    u = a * x
    if u <= 0:
        eu, ev = mp.exp(u), mp.exp(u) * mp.exp(-a)
        return (mp.log1p(eu) - mp.log1p(ev)) / a, eu / (1 + eu) - ev / (1 + ev)
    emu, emv = mp.exp(-u), mp.exp(-u) * mp.exp(a)  # e^{-u}, e^{-v}
    f = 1 + (mp.log1p(emu) - mp.log1p(emv)) / a
    return f, emv / (1 + emv) - emu / (1 + emu)


def _relu(x, p):
    return max(x, 0), MPF(1 if x > 0 else 0)


def _relu6(x, p):
    return _clip(x, 0, 6), MPF(1 if 0 < x < 6 else 0)


def _leaky(slope):
    def ref(x, p):
        s = slope(p)
        return (x if x > 0 else s * x), (MPF(1) if x > 0 else s)
    return ref


def _elu(x, p):
    a = p["alpha"]
    return (x if x > 0 else a * mp.expm1(x)), (MPF(1) if x > 0 else a * mp.exp(x))


def _selu(x, p):
    lam, a = MPF(SELU_SCALE), MPF(SELU_ALPHA)
    return (lam * x if x > 0 else lam * a * mp.expm1(x)), (lam if x > 0 else lam * a * mp.exp(x))


def _celu(x, p):
    a = p["alpha"]
    return (x if x > 0 else a * mp.expm1(x / a)), (MPF(1) if x > 0 else mp.exp(x / a))


def _softplus_ref(x, p):
    b, t = p["beta"], p["threshold"]
    if b * x > t:
        return x, MPF(1)
    return _softplus(b * x) / b, _sigmoid(b * x)


def _squareplus(x, p):
    b = p["b"]
    h = mp.sqrt(x * x + b)
    if x < 0:  # (x + h)/2 = b / (2 (h - x)), 1 + x/h = b / (h (h - x))
        return b / (2 * (h - x)), b / (2 * h * (h - x))
    return (x + h) / 2, (1 + x / h) / 2


def _sparse_plus(x, p):
    if x <= -1:
        return MPF(0), MPF(0)
    if x >= 1:
        return x, MPF(1)
    return (x + 1) ** 2 / 4, (x + 1) / 2


def _threshold(x, p):
    t, v = p["threshold"], p["value"]
    return (x if x > t else v), MPF(1 if x > t else 0)


def _isrlu(x, p):
    if x >= 0:
        return x, MPF(1)
    return _isru(x, p)


def _srelu(x, p):
    tl, al, tr, ar = (p["left_threshold"], p["left_slope"], p["right_threshold"],
                      p["right_slope"])
    if x >= tr:
        return tr + ar * (x - tr), ar
    if x <= tl:
        return tl + al * (x - tl), al
    return x, MPF(1)


def _smelu(x, p):
    b = p["beta"]
    if x >= b:
        return x, MPF(1)
    if x <= -b:
        return MPF(0), MPF(0)
    return (x + b) ** 2 / (4 * b), (x + b) / (2 * b)


def _squared_relu(x, p):
    r = max(x, 0)
    return r * r, 2 * r


def _gelu(x, p):
    if p["approximate"] == "tanh":
        c = mp.sqrt(2 / mp.pi)
        k = MPF("0.044715")
        two_u = 2 * c * (x + k * x ** 3)
        du = 2 * c * (1 + 3 * k * x * x)
        return x * _sigmoid(two_u), _sigmoid(two_u) + x * _sigmoid_slope(two_u) * du
    cdf = _erfc(-x / mp.sqrt(2)) / 2
    pdf = mp.exp(-x * x / 2) / mp.sqrt(2 * mp.pi)
    return x * cdf, cdf + x * pdf


def _silu(x, p):
    return x * _sigmoid(x), _sigmoid(x) + x * _sigmoid_slope(x)


def _mish(x, p):
    s = _softplus(x)
    t = mp.tanh(s)
    return x * t, t + x * _sech2(s) * _sigmoid(x)


def _hardswish(x, p):
    f = x * _clip(x + 3, 0, 6) / 6
    d = MPF(0) if x <= -3 else (MPF(1) if x >= 3 else x / 3 + MPF(1) / 2)
    return f, d


def _elish(x, p):
    s, ds = _sigmoid(x), _sigmoid_slope(x)
    if x >= 0:
        return x * s, s + x * ds
    return mp.expm1(x) * s, mp.exp(x) * s + mp.expm1(x) * ds


def _hard_elish(x, p):
    g = _clip((x + 1) / 2, 0, 1)
    dg = MPF(0.5) if -1 < x < 1 else MPF(0)
    if x >= 0:
        return x * g, g + x * dg
    return mp.expm1(x) * g, mp.exp(x) * g + mp.expm1(x) * dg


def _serf(x, p):
    s = _softplus(x)
    return x * _erf(s), _erf(s) + x * 2 / mp.sqrt(mp.pi) * mp.exp(-s * s) * _sigmoid(x)


def _tanh_exp(x, p):
    if x > 800:  # tanh(e^x) = 1 - 2 e^{-2 e^x}: 1 to some 10^300 digits
        return x, MPF(1)
    e = mp.exp(x)
    return x * mp.tanh(e), mp.tanh(e) + x * e * _sech2(e)


def _hardshrink(x, p):
    lam = p["lambd"]
    return (MPF(0) if abs(x) <= lam else x), MPF(1 if abs(x) > lam else 0)


def _softshrink(x, p):
    lam = p["lambd"]
    return mp.sign(x) * max(abs(x) - lam, 0), MPF(1 if abs(x) > lam else 0)


def _tanhshrink(x, p):
    with mp.workprec(PREC + _extra(x, 2)):
        return +(x - mp.tanh(x)), mp.tanh(x) ** 2


def _identity(x, p):
    return x, MPF(1)


def _binary_step(x, p):
    return MPF(1 if x >= 0 else 0), MPF(0)


def _bent_identity(x, p):
    h = mp.sqrt(x * x + 1)
    return (h - 1) / 2 + x, x / (2 * h) + 1


def _gaussian(x, p):
    g = mp.exp(-x * x)
    return g, -2 * x * g


def _sinusoid(x, p):
    return mp.sin(x), mp.cos(x)


def _sinc(x, p):
    if x == 0:
        return MPF(1), MPF(0)
    with mp.workprec(PREC + _extra(x, 3)):
        return mp.sin(x) / x, +((x * mp.cos(x) - mp.sin(x)) / (x * x))


def _gcu(x, p):
    return x * mp.cos(x), mp.cos(x) - x * mp.sin(x)


def _snake(x, p):
    a = p["a"]
    return x + mp.sin(a * x) ** 2 / a, 1 + mp.sin(2 * a * x)


REFERENCES: dict[str, Callable] = {
    "sigmoid": _sigmoid_ref, "tanh": _tanh_ref, "hardsigmoid": _hardsigmoid,
    "hardtanh": _hardtanh, "softsign": _softsign, "logsigmoid": _logsigmoid,
    "sparse_sigmoid": _sparse_sigmoid, "arctan": _arctan, "lecun_tanh": _lecun_tanh,
    "isru": _isru, "erf": _erf_ref, "sqnl": _sqnl, "soft_clipping": _soft_clipping,
    "relu": _relu, "relu6": _relu6,
    "leaky_relu": _leaky(lambda p: p["negative_slope"]),
    "prelu": _leaky(lambda p: p["weight"]),
    "rrelu": _leaky(lambda p: (p["lower"] + p["upper"]) / 2),
    "elu": _elu, "selu": _selu, "celu": _celu, "softplus": _softplus_ref,
    "squareplus": _squareplus, "sparse_plus": _sparse_plus, "threshold": _threshold,
    "isrlu": _isrlu, "srelu": _srelu, "smelu": _smelu, "squared_relu": _squared_relu,
    "gelu": _gelu, "silu": _silu, "mish": _mish, "hardswish": _hardswish, "elish": _elish,
    "hard_elish": _hard_elish, "serf": _serf, "tanh_exp": _tanh_exp,
    "hardshrink": _hardshrink, "softshrink": _softshrink, "tanhshrink": _tanhshrink,
    "identity": _identity, "binary_step": _binary_step, "bent_identity": _bent_identity,
    "gaussian": _gaussian, "sinusoid": _sinusoid, "sinc": _sinc, "gcu": _gcu, "snake": _snake,
}


def _mp_params(act) -> dict:
    return {k: (v if isinstance(v, str) else MPF(float(v))) for k, v in act.params.items()}


def _split(v) -> tuple[float, float]:
    """(hi, lo): hi the float nearest v (+-inf beyond the float range), lo = float(v - hi)."""
    hi = float(v) if abs(v) < MPF(2) ** 1024 * (1 - MPF(2) ** -54) else math.copysign(math.inf, v)
    lo = 0.0 if math.isinf(hi) else float(v - MPF(hi))
    return hi, lo


@cache
def _reference_cached(name: str, params: tuple, points: bytes) -> tuple[np.ndarray, ...]:
    ref = REFERENCES[name]
    p = {k: (v if isinstance(v, str) else MPF(v)) for k, v in params}
    x = np.frombuffer(points, dtype=np.float64)
    out = np.empty((4, x.size))
    with mp.workprec(PREC):
        for i, xi in enumerate(x):
            f, d = ref(MPF(float(xi)), p)
            out[0, i], out[1, i] = _split(f)
            out[2, i], out[3, i] = _split(d)
    return tuple(out)


def reference(act, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(f_hi, f_lo, d_hi, d_lo) at the finite float64 points x (cached per activation)."""
    x = np.ascontiguousarray(x, dtype=np.float64)
    params = tuple((k, v if isinstance(v, str) else float(v)) for k, v in act.params.items())
    return _reference_cached(act.name, params, x.tobytes())


# --------------------------------------------------------------------------- roots of f'
# Approximate non-zero roots of f' (refined with mpmath); periodic ones have a formula.
_SINGLE_ROOTS = {"gelu": -0.75, "silu": -1.28, "mish": -1.19, "elish": -0.88,
                 "hard_elish": -0.45, "serf": -1.19, "tanh_exp": -1.2, "hardswish": -1.5}
# For the periodic ones: roots spaced by at most `spacing`; beyond |x| = 10 * spacing every
# point is within 5% of one.
_PERIODIC = {"sinusoid": math.pi, "gcu": math.pi, "sinc": math.pi}


@cache
def _roots_cached(name: str, params: tuple) -> tuple[tuple[float, ...], float]:
    """(roots, beyond): the roots of f' with |r| < beyond, and beyond which all x count."""
    p = {k: (v if isinstance(v, str) else MPF(v)) for k, v in params}
    ref = REFERENCES[name]

    def df(v):
        return ref(MPF(v), p)[1]

    with mp.workprec(PREC):
        if name in _SINGLE_ROOTS:
            r = mpmath.findroot(df, mpmath.mpf(_SINGLE_ROOTS[name]))
            return (float(r),), math.inf
        if name == "snake":  # 1 + sin(2 a x) = 0: x = (k pi - pi/4) / a, a double root
            a = float(p["a"])
            spacing = math.pi / a
            beyond = 10 * spacing
            k_max = int(beyond / spacing) + 2
            return tuple((k * math.pi - math.pi / 4) / a for k in range(-k_max, k_max + 1)), beyond
        if name in _PERIODIC:
            spacing = _PERIODIC[name]
            beyond = 10 * spacing
            found = []
            grid = np.arange(0.01, beyond + 2 * spacing, 0.05)
            values = [df(g) for g in grid]
            for a, b, va, vb in zip(grid[:-1], grid[1:], values[:-1], values[1:], strict=True):
                if va == 0 or (va > 0) != (vb > 0):
                    r = float(mpmath.findroot(df, (MPF(a), MPF(b)), solver="bisect"))
                    found += [r, -r]
            return tuple(sorted(found)), beyond
    return (), math.inf


def derivative_roots(act) -> tuple[float, ...]:
    params = tuple((k, v if isinstance(v, str) else float(v)) for k, v in act.params.items())
    return _roots_cached(act.name, params)[0]


def near_root(act, x: np.ndarray) -> np.ndarray:
    """x within 5% (at least 0.05) of a non-zero root of f'."""
    params = tuple((k, v if isinstance(v, str) else float(v)) for k, v in act.params.items())
    roots, beyond = _roots_cached(act.name, params)
    x = np.asarray(x, dtype=np.float64)
    near = np.abs(x) >= beyond
    for r in roots:
        if r != 0:
            near |= np.abs(x - r) <= max(0.05, 0.05 * abs(r))
    return near


def ulp_errors(act, x: np.ndarray, f: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Errors of computed f and f' at x in ulps of the exact values, with the two floors."""
    f_hi, f_lo, d_hi, d_lo = reference(act, x)
    ef = _ulps(f, f_hi, f_lo, None)
    scale = np.where(near_root(act, x), np.maximum(np.abs(x), 1.0), 0.0)
    ed = _ulps(d, d_hi, d_lo, scale)
    return ef, ed


FLOOR = 2.0 ** -1000


def _ulps(computed, hi, lo, scale):
    computed = np.asarray(computed, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        magnitude = np.maximum(np.abs(hi), FLOOR)
        if scale is not None:
            magnitude = np.maximum(magnitude, scale)
        ulp = np.spacing(np.where(np.isinf(magnitude), 1.0, magnitude))
        err = np.abs((computed - hi) - lo) / ulp
    exact_inf = np.isinf(hi)
    err = np.where(exact_inf, np.where(computed == hi, 0.0, np.inf), err)
    return np.where(np.isnan(err), np.inf, err)
