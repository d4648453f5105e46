"""The formula's tree as a SymPy expression (SymPy imported here, only when asked).

Built from our own tree node by node (never from text): numbers are already
bounded floats, so SymPy computes no huge integer.  A registered activation
becomes a SymPy ``Function`` named after it whose derivative is another
``Function`` (``D_name``), standing for the registry's analytic derivative, so
``sympy.diff`` of the converted formula can be compared with our derivative.
"""

from __future__ import annotations

import functools

from . import _expr as E


@functools.cache
def _activation_functions(name: str):
    import sympy

    derivative = type(f"D_{name}", (sympy.Function,), {"is_real": True})

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise sympy.ArgumentIndexError(self, argindex)
        return derivative(*self.args)

    function = type(name, (sympy.Function,), {"fdiff": fdiff, "is_real": True})
    return function, derivative


def to_sympy(node: E.Node):
    """The SymPy expression of ``node`` (x and parameters are real symbols)."""
    import sympy

    memo: dict[int, object] = {}
    for n in node.walk():
        memo[id(n)] = _one(sympy, n, [memo[id(a)] for a in n.args])
    return memo[id(node)]


def _one(sympy, n: E.Node, args: list):
    op = n.op
    if op == "num":
        value = n.value
        if value == int(value) and abs(value) < 1e15:
            return sympy.Integer(int(value))
        return sympy.Float(value)
    if op == "const":
        return sympy.pi if n.value == "pi" else sympy.E
    if op == "var":
        return sympy.Symbol(n.value, real=True)
    if op == "add":
        return sympy.Add(*args)
    if op == "sub":
        return sympy.Add(args[0], sympy.Mul(-1, args[1]))
    if op == "mul":
        return sympy.Mul(*args)
    if op == "div":
        return sympy.Mul(args[0], sympy.Pow(args[1], -1))
    if op == "pow":
        return sympy.Pow(*args)
    if op == "neg":
        return sympy.Mul(-1, args[0])
    if op == "call":
        name = n.value
        simple = {"exp": sympy.exp, "log": sympy.log, "sqrt": sympy.sqrt, "abs": sympy.Abs,
                  "sign": sympy.sign, "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan,
                  "sinh": sympy.sinh, "cosh": sympy.cosh, "tanh": sympy.tanh,
                  "arctan": sympy.atan, "erf": sympy.erf, "erfc": sympy.erfc,
                  "min": sympy.Min, "max": sympy.Max}
        if name in simple:
            return simple[name](*args)
        if name == "log1p":
            return sympy.log(1 + args[0])
        if name == "expm1":
            return sympy.exp(args[0]) - 1
        if name == "heaviside":
            return sympy.Heaviside(args[0], sympy.Rational(1, 2))
    if op == "cmp":
        relation = {"<": sympy.Lt, "<=": sympy.Le, ">": sympy.Gt, ">=": sympy.Ge,
                    "==": sympy.Eq, "!=": sympy.Ne}[n.value]
        return relation(*args)
    if op == "where":
        return sympy.Piecewise((args[1], args[0]), (args[2], True))
    if op in ("act", "dact"):
        definition, _ = n.value
        function, derivative = _activation_functions(definition.name)
        return (function if op == "act" else derivative)(*args)
    raise AssertionError(op)  # pragma: no cover
