"""Compiling a formula's tree to NumPy (a list of array operations, run in order) and
finding its kinks.

The program is built by walking our own tree (no generated source code, nothing
run from text).  Each distinct sub-tree is computed once and dropped after its
last use.  Built-in activations inside a formula call the registry's stable
NumPy function and its analytic derivative.  Evaluation runs under
``np.errstate(all="ignore")``: a naive formula that overflows gives inf or nan,
never a warning; at x = +-inf, where a product such as -inf * 0 gives nan, the
value is the limit read at |x| = 1e100 and 1e300 when both agree.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import numpy as np

from . import _expr as E

Program = Callable[[np.ndarray, Mapping[str, float]], np.ndarray]

_BINARY = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.divide,
           "pow": np.power}
_COMPARE = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
            "==": np.equal, "!=": np.not_equal}


def _erf(u):
    from ..activations import _numerics as nx

    return nx.erf(np.asarray(u, dtype=np.result_type(u, np.float32)))


def _erfc(u):
    from ..activations import _numerics as nx

    return nx.erfc(np.asarray(u, dtype=np.result_type(u, np.float32)))


_UNARY = {"exp": np.exp, "log": np.log, "log1p": np.log1p, "expm1": np.expm1, "sqrt": np.sqrt,
          "abs": np.abs, "sign": np.sign, "sin": np.sin, "cos": np.cos, "tan": np.tan,
          "sinh": np.sinh, "cosh": np.cosh, "tanh": np.tanh, "arctan": np.arctan, "erf": _erf,
          "erfc": _erfc, "heaviside": lambda u: np.heaviside(u, 0.5)}


def _as_array(u, like: np.ndarray) -> np.ndarray:
    u = np.asarray(u)
    if u.dtype.kind != "f":
        u = u.astype(like.dtype if like.dtype.kind == "f" else np.float64)
    return u


def _step(node: E.Node, slots: list[int]):
    """One operation: a function of (values, x, env) returning the node's value."""
    op = node.op
    if op == "num":
        value = node.value
        return lambda v, x, env: value
    if op == "const":
        value = E.CONSTANTS[node.value]
        return lambda v, x, env: value
    if op == "var":
        name = node.value
        if name == "x":
            return lambda v, x, env: x
        return lambda v, x, env: env[name]
    if op in _BINARY:
        f, (a, b) = _BINARY[op], slots
        return lambda v, x, env: f(v[a], v[b])
    if op == "neg":
        (a,) = slots
        return lambda v, x, env: np.negative(v[a])
    if op == "call":
        if node.value in ("min", "max"):
            f = np.minimum if node.value == "min" else np.maximum
            a, b = slots
            return lambda v, x, env: f(v[a], v[b])
        f, (a,) = _UNARY[node.value], slots
        return lambda v, x, env: f(v[a])
    if op == "cmp":
        f, (a, b) = _COMPARE[node.value], slots
        return lambda v, x, env: f(v[a], v[b])
    if op == "where":
        c, a, b = slots
        return lambda v, x, env: np.where(v[c], v[a], v[b])
    if op in ("act", "dact"):
        definition, names = node.value
        u, params = slots[0], slots[1:]
        fixed = {p.name: p.default for p in definition.params if p.name not in names}
        if op == "act":
            function = definition.function
        elif definition.derivative is not None:
            function = definition.derivative
        else:
            from ..measure import numerical_derivative

            def function(z, **kw):  # one-sided beside the built-in's own breakpoints
                values = {**definition.defaults, **kw}
                spec = definition.breakpoints
                points = sorted(float(p) for p in (spec(values) if callable(spec) else spec))
                return numerical_derivative(
                    lambda w: np.asarray(definition.function(w, **values), dtype=w.dtype), z,
                    points)

        def run(v, x, env):
            kw = dict(fixed)
            kw.update((k, float(v[i])) for k, i in zip(names, params, strict=True))
            return function(_as_array(v[u], x), **kw)

        return run
    raise AssertionError(op)  # pragma: no cover


def compile_numpy(root: E.Node) -> Program:
    """``program(x, env)``: the value of ``root`` on the float array ``x`` (raw: no errstate)."""
    order = list(root.walk())
    index = {id(n): i for i, n in enumerate(order)}
    steps = [_step(n, [index[id(a)] for a in n.args]) for n in order]
    last_use = list(range(len(order)))
    for i, n in enumerate(order):
        for a in n.args:
            last_use[index[id(a)]] = i
    free_after: list[list[int]] = [[] for _ in order]
    for slot, i in enumerate(last_use):
        if slot != len(order) - 1:
            free_after[i].append(slot)

    def program(x: np.ndarray, env: Mapping[str, float]) -> np.ndarray:
        values: list = [None] * len(steps)
        for i, step in enumerate(steps):
            values[i] = step(values, x, env)
            for slot in free_after[i]:
                values[slot] = None
        return values[-1]

    return program


#: |x| at which the limit at +-inf is read (the last two must agree).
LIMIT_LADDER = (1e20, 1e50, 1e100, 1e300)


def evaluator(root: E.Node) -> Callable[..., np.ndarray]:
    """``f(x, **params)`` for the registry: any float array in, same dtype and shape out,
    no warnings, nan in gives nan out, limits at +-inf."""
    program = compile_numpy(root)
    oscillates = _oscillates(root)

    def raw(x: np.ndarray, env) -> np.ndarray:
        out = program(x, env)
        return np.broadcast_to(np.asarray(out, dtype=x.dtype), x.shape)

    def function(x, **params):
        x = np.asarray(x)
        with np.errstate(all="ignore"):
            out = raw(x, params)
            finite = np.isfinite(x)
            if finite.all():
                return out
            out = np.array(out, copy=True)
            out[np.isnan(x)] = np.nan
            for sign in (-1.0, 1.0):
                at = x == sign * math.inf
                if at.any():
                    direct = float(out[at][0])
                    out[at] = direct if oscillates else _limit(raw, direct, sign, params)
            return out

    return function


def _oscillates(root: E.Node) -> bool:
    """True when a part of the formula oscillates forever (sin, cos, tan of x, or a built-in
    that is nan at +-inf): then f(+-inf) is what the formula gives there, nan."""
    for n in root.walk():
        if n.op == "call" and n.value in ("sin", "cos", "tan") and n.args[0].contains_x():
            return True
        if n.op in ("act", "dact"):
            definition = n.value[0]
            with np.errstate(all="ignore"):
                ends = np.asarray(definition.function(np.array([-math.inf, math.inf]),
                                                      **definition.defaults))
            if np.isnan(ends).any():
                return True
    return False


def _limit(raw, direct: float, sign: float, env) -> float:
    """f(sign * inf): the direct value unless nan, else the limit read far out (nan if unclear)."""
    if not math.isnan(float(direct)):
        return float(direct)
    far = raw(np.array([sign * v for v in LIMIT_LADDER]), env).astype(np.float64)
    if np.isnan(far).any():
        return math.nan
    if np.all(np.abs(far) > 1e15) and (np.all(far > 0) or np.all(far < 0)) and np.all(
            np.diff(np.abs(far)) > 0):
        return math.copysign(math.inf, far[-1])  # grows without bound, one sign
    a, b, c = (float(v) for v in far[-3:])
    if max(abs(a - c), abs(b - c)) <= 1e-9 * max(1.0, abs(c)):
        return c
    return math.nan


# --------------------------------------------------------------------------- kinks

MAX_BREAKPOINTS = 64


def _grid() -> np.ndarray:
    wide = np.logspace(-8, 8, 3201)
    return np.unique(np.concatenate([-wide, [0.0], wide, np.linspace(-20, 20, 8001)]))


def breakpoints(root: E.Node, env: Mapping[str, float]) -> tuple[float, ...]:
    """x where ``root`` switches piece: zeros of the arguments of abs/sign, of a - b in
    min/max and comparisons, and where a built-in's input crosses one of its breakpoints."""
    grid = _grid()
    found: set[float] = set()
    with np.errstate(all="ignore"):
        for g, _ in E.switches(root):
            if g.op in ("act", "dact"):
                definition, names = g.value
                params = {k: float(compile_numpy(p)(np.zeros(1), env)) for k, p in
                          zip(names, g.args[1:], strict=True)}
                full = definition.check(params)
                spec = definition.breakpoints
                points = spec(full) if callable(spec) else spec
                if not points:
                    continue
                u = g.args[0]
                if u is E.X:  # the built-in's own breakpoints, nothing to solve
                    found.update(float(b) for b in points)
                    continue
                if not u.contains_x():
                    continue
                inner = compile_numpy(u)
                values = np.broadcast_to(np.asarray(inner(grid, env), dtype=np.float64),
                                         grid.shape)
                for b in points:
                    found.update(_zeros(lambda z, b=b, f=inner: np.asarray(f(z, env)) - b,
                                        grid, values - b))
                continue
            if not g.contains_x():
                continue
            program = compile_numpy(g)
            values = np.broadcast_to(np.asarray(program(grid, env), dtype=np.float64),
                                     grid.shape)
            found.update(_zeros(lambda z, p=program: p(z, env), grid, values))
    points = sorted(found, key=abs)[:MAX_BREAKPOINTS]
    return tuple(sorted(points))


def _zeros(g, grid: np.ndarray, values: np.ndarray) -> list[float]:
    """Zeros of g on the grid: edges of runs of exact zeros, and sign changes refined by
    bisection down to neighbouring floats."""
    out: list[float] = []
    zero = values == 0
    if zero.any():
        idx = np.flatnonzero(zero)
        starts = idx[np.concatenate(([True], np.diff(idx) > 1))]
        ends = idx[np.concatenate((np.diff(idx) > 1, [True]))]
        for s, e in zip(starts, ends, strict=True):
            if s > 0:
                out.append(float(grid[s]))
            if e < len(grid) - 1 and e != s:
                out.append(float(grid[e]))
    finite = np.isfinite(values)
    sign = np.sign(values)
    change = np.flatnonzero(finite[:-1] & finite[1:] & (sign[:-1] * sign[1:] < 0))
    for i in change[:MAX_BREAKPOINTS]:
        out.append(_bisect(g, float(grid[i]), float(grid[i + 1]), float(values[i])))
    return out


def _bisect(g, lo: float, hi: float, g_lo: float) -> float:
    for _ in range(200):
        mid = lo + (hi - lo) / 2
        if mid in (lo, hi):
            break
        value = float(np.asarray(g(np.array([mid])), dtype=np.float64).ravel()[0])
        if value == 0:
            return mid
        if math.isnan(value):
            break
        if (value < 0) == (g_lo < 0):
            lo, g_lo = mid, value
        else:
            hi = mid
    g_hi = float(np.asarray(g(np.array([hi])), dtype=np.float64).ravel()[0])
    return hi if abs(g_hi) <= abs(g_lo) else lo
