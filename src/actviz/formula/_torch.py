"""The same formula tree compiled to torch operations, so the lab trains it (torch imported here).

Autograd differentiates these operations; tests check it equals the symbolic
derivative.  A built-in inside the formula runs as its registry PyTorch module
where it has one, else through a bridge that calls the registry's NumPy
function and analytic derivative.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from . import _expr as E
from ._compile import compile_numpy


def _tensor_ops(torch):
    unary = {"exp": torch.exp, "log": torch.log, "log1p": torch.log1p, "expm1": torch.expm1,
             "sqrt": torch.sqrt, "abs": torch.abs, "sign": torch.sign, "sin": torch.sin,
             "cos": torch.cos, "tan": torch.tan, "sinh": torch.sinh, "cosh": torch.cosh,
             "tanh": torch.tanh, "arctan": torch.atan, "erf": torch.erf,
             "erfc": torch.special.erfc}
    compare = {"<": torch.lt, "<=": torch.le, ">": torch.gt, ">=": torch.ge, "==": torch.eq,
               "!=": torch.ne}
    return unary, compare


_BRIDGE = None


def _bridge(torch):
    """An autograd Function running a registry activation's NumPy code (f and f')."""
    global _BRIDGE
    if _BRIDGE is None:
        class NumpyActivation(torch.autograd.Function):
            @staticmethod
            def forward(ctx, u, bound):
                ctx.save_for_backward(u)
                ctx.bound = bound
                values = bound(u.detach().cpu().numpy())
                return torch.from_numpy(np.ascontiguousarray(values)).to(u.device)

            @staticmethod
            def backward(ctx, grad_output):
                (u,) = ctx.saved_tensors
                slope = ctx.bound.grad(u.detach().cpu().numpy())
                slope = torch.from_numpy(np.ascontiguousarray(slope)).to(u.device)
                return grad_output * slope, None

        _BRIDGE = NumpyActivation
    return _BRIDGE


def build_module(nn, root: E.Node, params: Mapping[str, float], name: str):
    """An ``nn.Module`` computing the formula ``root`` at the parameter values ``params``."""
    import torch

    unary, compare = _tensor_ops(torch)
    order = list(root.walk())
    index = {id(n): i for i, n in enumerate(order)}
    builtins = nn.ModuleList()
    steps = []
    env = {k: float(v) for k, v in params.items()}
    for n in order:
        slots = [index[id(a)] for a in n.args]
        steps.append(_torch_step(torch, n, slots, unary, compare, env, builtins))

    class FormulaModule(nn.Module):
        def __init__(self):
            super().__init__()
            self.builtins = builtins

        def forward(self, x):
            values: list = [None] * len(steps)
            for i, step in enumerate(steps):
                values[i] = step(values, x)
            out = values[-1]
            if not torch.is_tensor(out) or out.shape != x.shape:
                out = torch.as_tensor(out, dtype=x.dtype, device=x.device).expand_as(x)
            return out

        def extra_repr(self) -> str:
            return name

    return FormulaModule()


def _torch_step(torch, node: E.Node, slots, unary, compare, env, builtins):
    op = node.op

    def tensor(value, x):
        if torch.is_tensor(value):
            return value
        return torch.tensor(value, dtype=x.dtype, device=x.device)

    if op == "num":
        value = node.value
        return lambda v, x: value
    if op == "const":
        value = E.CONSTANTS[node.value]
        return lambda v, x: value
    if op == "var":
        if node.value == "x":
            return lambda v, x: x
        value = env[node.value]
        return lambda v, x: value
    if op in ("add", "sub", "mul", "div", "pow"):
        a, b = slots
        if op == "add":
            return lambda v, x: v[a] + v[b]
        if op == "sub":
            return lambda v, x: v[a] - v[b]
        if op == "mul":
            return lambda v, x: v[a] * v[b]
        if op == "div":
            return lambda v, x: tensor(v[a], x) / v[b]
        return lambda v, x: tensor(v[a], x) ** v[b]
    if op == "neg":
        (a,) = slots
        return lambda v, x: -v[a]
    if op == "call":
        if node.value in ("min", "max"):
            f = torch.minimum if node.value == "min" else torch.maximum
            a, b = slots
            return lambda v, x: f(tensor(v[a], x), tensor(v[b], x))
        if node.value == "heaviside":
            (a,) = slots
            return lambda v, x: torch.heaviside(tensor(v[a], x), tensor(0.5, x))
        f, (a,) = unary[node.value], slots
        return lambda v, x: f(tensor(v[a], x))
    if op == "cmp":
        f, (a, b) = compare[node.value], slots
        return lambda v, x: f(tensor(v[a], x), tensor(v[b], x))
    if op == "where":
        c, a, b = slots
        return lambda v, x: torch.where(v[c], tensor(v[a], x), tensor(v[b], x))
    if op == "act":
        definition, names = node.value
        values = {k: float(compile_numpy(p)(np.zeros(1), env))
                  for k, p in zip(names, node.args[1:], strict=True)}
        full = definition.check(values)
        (u,) = slots[:1]
        if definition.torch is not None:
            module = definition.torch.build(torch.nn, full)
            builtins.append(module)
            return lambda v, x: module(tensor(v[u], x))
        bridge = _bridge(torch)
        pair = NumpyPair.of(definition, full)
        return lambda v, x: bridge.apply(tensor(v[u], x), pair)
    raise AssertionError(f"{op} has no torch operation")  # pragma: no cover


class NumpyPair:
    """f and f' as NumPy callables (``pair(x)``, ``pair.grad(x)``), what the bridge runs."""

    def __init__(self, function, derivative, label: str):
        self.function, self.derivative, self.label = function, derivative, label

    def __call__(self, x):
        return np.asarray(self.function(x), dtype=x.dtype)

    def grad(self, x):
        return np.asarray(self.derivative(x), dtype=x.dtype)

    @classmethod
    def of(cls, definition, params: Mapping[str, float], label: str = "") -> NumpyPair:
        """A definition's f and f' at ``params`` (f' numerical where it gives none)."""
        from ..measure import numerical_derivative

        params = dict(params)

        def f(x):
            return np.asarray(definition.function(x, **params), dtype=x.dtype)

        def df(x):
            if definition.derivative is not None:
                return definition.derivative(x, **params)
            return numerical_derivative(f, x, _points(definition, params))

        return cls(f, df, label or definition.name)


def _points(definition, params) -> tuple[float, ...]:
    spec = definition.breakpoints
    return tuple(sorted(float(p) for p in (spec(params) if callable(spec) else spec)))


def numpy_module(nn, bound):
    """An ``nn.Module`` running NumPy f (``bound(x)``), with ``bound.grad`` as the backward:
    a bound activation or a :class:`NumpyPair`."""
    import torch

    bridge = _bridge(torch)

    class NumpyModule(nn.Module):
        def forward(self, x):
            return bridge.apply(x, bound)

        def extra_repr(self) -> str:
            return f"{bound.label} (NumPy)"

    return NumpyModule()
