"""The formula's expression tree: interned nodes, simplifying builders, exact derivatives, printers.

Nodes are built only by the whitelisting parser (``_parse``) and by :func:`diff`;
structurally equal nodes are the same object (interned), so a derivative shares
sub-trees with the function and the compilers evaluate each distinct sub-tree
once.  Numbers are Python floats: no big integers are ever computed.

Node kinds (``op``): ``num`` (value: float), ``var`` (value: name), ``const``
(``pi``, ``e``), ``add sub mul div pow neg`` (args), ``call`` (value: function
name, args), ``cmp`` (value: ``<``, ``<=``, ...; args: left, right), ``where``
(args: condition, then, else), ``act`` and ``dact`` (a registered activation and
its derivative; value: (definition, parameter names); args: input, parameter
expressions).
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Iterator

from ._errors import FormulaLimitError

#: Elementary functions of the vocabulary and their arity.
FUNCTIONS = {
    "exp": 1, "log": 1, "log1p": 1, "expm1": 1, "sqrt": 1, "abs": 1, "sign": 1,
    "sin": 1, "cos": 1, "tan": 1, "sinh": 1, "cosh": 1, "tanh": 1, "arctan": 1,
    "erf": 1, "erfc": 1, "min": 2, "max": 2,
}
#: Functions that appear only in derivatives (H(0) = 1/2, as in torch.maximum's gradient).
INTERNAL = {"heaviside": 1}
CONSTANTS = {"pi": math.pi, "e": math.e}
COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")
#: The most nodes a derivative may have (the function's limit is set by the parser).
MAX_DERIVATIVE_NODES = 20_000


class Node:
    """One interned node; compare with ``is`` (equal structure means the same object)."""

    __slots__ = ("__weakref__", "args", "has_x", "op", "value")

    op: str
    value: object
    args: tuple[Node, ...]

    def __repr__(self) -> str:
        return f"<formula node {to_text(self)}>"

    def walk(self) -> Iterator[Node]:
        """Every distinct node below and including this one, children first."""
        seen: set[int] = set()
        stack: list[tuple[Node, bool]] = [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if id(node) in seen:
                continue
            if expanded:
                seen.add(id(node))
                yield node
            else:
                stack.append((node, True))
                stack.extend((a, False) for a in node.args if id(a) not in seen)

    def contains_x(self) -> bool:
        return self.has_x


_INTERNED: weakref.WeakValueDictionary = weakref.WeakValueDictionary()


def _node(op: str, value: object = None, args: tuple[Node, ...] = ()) -> Node:
    key = (op, value, tuple(id(a) for a in args))
    found = _INTERNED.get(key)
    if found is not None:
        return found
    node = Node()
    node.op, node.value, node.args = op, value, args
    node.has_x = (op == "var" and value == "x") or any(a.has_x for a in args)
    _INTERNED[key] = node
    return node


# --------------------------------------------------------------------------- builders

def num(value: float) -> Node:
    value = float(value)
    if not math.isfinite(value):
        raise FormulaLimitError(f"a constant in the formula is too large ({value})")
    return _node("num", value + 0.0)  # -0.0 -> 0.0


def var(name: str) -> Node:
    return _node("var", name)


def const(name: str) -> Node:
    return _node("const", name)


ZERO, ONE, X = num(0.0), num(1.0), var("x")


def is_num(node: Node, value: float | None = None) -> bool:
    return node.op == "num" and (value is None or node.value == value)


def _fold(operation, *values: float) -> Node:
    try:
        return num(operation(*values))
    except OverflowError:
        raise FormulaLimitError("a constant in the formula is too large") from None
    except (ZeroDivisionError, ValueError):
        raise FormulaLimitError("the formula divides a constant by zero or takes an undefined "
                                "power of constants") from None


def add(a: Node, b: Node) -> Node:
    if is_num(a, 0.0):
        return b
    if is_num(b, 0.0):
        return a
    if is_num(a) and is_num(b):
        return _fold(lambda p, q: p + q, a.value, b.value)
    if b.op == "neg":
        return sub(a, b.args[0])
    return _node("add", None, (a, b))


def sub(a: Node, b: Node) -> Node:
    if is_num(b, 0.0):
        return a
    if is_num(a, 0.0):
        return neg(b)
    if a is b:
        return ZERO
    if is_num(a) and is_num(b):
        return _fold(lambda p, q: p - q, a.value, b.value)
    if b.op == "neg":
        return add(a, b.args[0])
    return _node("sub", None, (a, b))


def neg(a: Node) -> Node:
    if is_num(a):
        return num(-a.value)
    if a.op == "neg":
        return a.args[0]
    return _node("neg", None, (a,))


def mul(a: Node, b: Node) -> Node:
    if is_num(a, 0.0) or is_num(b, 0.0):
        return ZERO
    if is_num(a, 1.0):
        return b
    if is_num(b, 1.0):
        return a
    if is_num(a, -1.0):
        return neg(b)
    if is_num(b, -1.0):
        return neg(a)
    if is_num(a) and is_num(b):
        return _fold(lambda p, q: p * q, a.value, b.value)
    if (is_num(b) and not is_num(a)) or (a.has_x and not b.has_x):
        a, b = b, a  # numbers and parameters first: 2 x, beta x, not x 2
    if a.op == "div" and is_num(a.args[0], 1.0):  # (1/a) b -> b/a
        return div(b, a.args[1])
    if b.op == "div" and is_num(b.args[0], 1.0):
        return div(a, b.args[1])
    if a.op == "neg":
        return neg(mul(a.args[0], b))
    if b.op == "neg":
        return neg(mul(a, b.args[0]))
    return _node("mul", None, (a, b))


def div(a: Node, b: Node) -> Node:
    if is_num(a, 0.0) and not is_num(b, 0.0):
        return ZERO
    if is_num(b, 1.0):
        return a
    if is_num(a) and is_num(b):
        return _fold(lambda p, q: p / q, a.value, b.value)
    return _node("div", None, (a, b))


def power(a: Node, b: Node) -> Node:
    if is_num(b, 0.0):
        return ONE
    if is_num(b, 1.0):
        return a
    if is_num(a) and is_num(b):
        # floats only: 9**9**9 overflows at once instead of building a huge integer
        return _fold(lambda p, q: _real_pow(p, q), a.value, b.value)
    return _node("pow", None, (a, b))


def _real_pow(p: float, q: float) -> float:
    result = math.pow(p, q)
    if isinstance(result, complex):  # pragma: no cover - math.pow raises instead
        raise ValueError
    return result


def call(name: str, *args: Node) -> Node:
    if all(is_num(a) for a in args) and name in FUNCTIONS:
        folded = _fold_call(name, [a.value for a in args])
        if folded is not None:
            return folded
    return _node("call", name, tuple(args))


def _fold_call(name: str, values: list[float]) -> Node | None:
    """Exact folds only: abs, sign, min, max of numbers (no rounding of exp(1) into 2.718...)."""
    if name == "abs":
        return num(abs(values[0]))
    if name == "sign":
        return num((values[0] > 0) - (values[0] < 0))
    if name == "min":
        return num(min(values))
    if name == "max":
        return num(max(values))
    return None


def compare(op: str, a: Node, b: Node) -> Node:
    return _node("cmp", op, (a, b))


def where(condition: Node, a: Node, b: Node) -> Node:
    if a is b:
        return a
    return _node("where", None, (condition, a, b))


def activation(definition, param_names: tuple[str, ...], argument: Node,
               params: tuple[Node, ...]) -> Node:
    return _node("act", (definition, param_names), (argument, *params))


def activation_derivative(node: Node) -> Node:
    return _node("dact", node.value, node.args)


# --------------------------------------------------------------------------- derivative

def count(node: Node) -> int:
    return sum(1 for _ in node.walk())


def diff(node: Node) -> Node:
    """d node / dx, exact and symbolic, simplified as it is built; bounded in size."""
    memo: dict[int, Node] = {}
    for n in node.walk():  # children first, so memo holds every argument's derivative
        memo[id(n)] = _diff_one(n, memo)
    result = memo[id(node)]
    if count(result) > MAX_DERIVATIVE_NODES:
        raise FormulaLimitError(f"the derivative has more than {MAX_DERIVATIVE_NODES:,} "
                                "terms; simplify the formula")
    return result


def _diff_one(n: Node, memo: dict[int, Node]) -> Node:
    op, args = n.op, n.args
    if op in ("num", "const"):
        return ZERO
    if op == "var":
        return ONE if n.value == "x" else ZERO
    d = [memo[id(a)] for a in args]
    if op == "add":
        return add(d[0], d[1])
    if op == "sub":
        return sub(d[0], d[1])
    if op == "neg":
        return neg(d[0])
    if op == "mul":
        a, b = args
        return add(mul(d[0], b), mul(a, d[1]))
    if op == "div":
        a, b = args
        return sub(div(d[0], b), div(mul(a, d[1]), power(b, num(2))))
    if op == "pow":
        a, b = args
        if is_num(d[1], 0.0):  # constant exponent: b a^(b-1) a'
            return mul(mul(b, power(a, sub(b, ONE))), d[0])
        # a^b (b' log a + b a'/a)
        return mul(n, add(mul(d[1], call("log", a)), div(mul(b, d[0]), a)))
    if op == "call":
        return _diff_call(n, d)
    if op == "cmp":
        return ZERO
    if op == "where":
        return where(args[0], d[1], d[2])
    if op == "act":
        return mul(activation_derivative(n), d[0])
    if op == "dact":
        raise FormulaLimitError("a derivative of a derivative is not available")
    raise AssertionError(op)  # pragma: no cover


def _diff_call(n: Node, d: list[Node]) -> Node:
    name, args = n.value, n.args
    if name in ("min", "max"):
        a, b = args
        first, second = (sub(a, b), sub(b, a)) if name == "max" else (sub(b, a), sub(a, b))
        return add(mul(call("heaviside", first), d[0]), mul(call("heaviside", second), d[1]))
    u, du = args[0], d[0]
    if is_num(du, 0.0):
        return ZERO
    two = num(2)
    inner = {
        "exp": lambda: n,
        "log": lambda: div(ONE, u),
        "log1p": lambda: div(ONE, add(ONE, u)),
        "expm1": lambda: call("exp", u),
        "sqrt": lambda: div(ONE, mul(two, n)),
        "abs": lambda: call("sign", u),
        "sign": lambda: ZERO,
        "heaviside": lambda: ZERO,
        "sin": lambda: call("cos", u),
        "cos": lambda: neg(call("sin", u)),
        "tan": lambda: add(ONE, power(n, two)),
        "sinh": lambda: call("cosh", u),
        "cosh": lambda: call("sinh", u),
        "tanh": lambda: sub(ONE, power(n, two)),
        "arctan": lambda: div(ONE, add(ONE, power(u, two))),
        "erf": lambda: mul(div(two, call("sqrt", const("pi"))), call("exp", neg(power(u, two)))),
        "erfc": lambda: neg(mul(div(two, call("sqrt", const("pi"))),
                                call("exp", neg(power(u, two))))),
    }[name]()
    return mul(inner, du)


# --------------------------------------------------------------------------- switching points

def switches(node: Node) -> list[tuple[Node, tuple[float, ...] | None]]:
    """Expressions g whose zeros are kinks or jumps: (g, None), or for a built-in
    (its input u, None) with the built-in's breakpoints b found later as zeros of u - b."""
    found: list[tuple[Node, tuple[float, ...] | None]] = []
    for n in node.walk():
        if n.op == "call" and n.value in ("abs", "sign", "heaviside"):
            found.append((n.args[0], None))
        elif n.op == "call" and n.value in ("min", "max"):
            found.append((sub(n.args[0], n.args[1]), None))
        elif n.op == "cmp":
            found.append((sub(n.args[0], n.args[1]), None))
        elif n.op in ("act", "dact"):
            found.append((n, ()))
    return found


# --------------------------------------------------------------------------- printing

_PREC = {"add": 1, "sub": 1, "mul": 2, "div": 2, "neg": 3, "pow": 4}
GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
         "mu", "nu", "xi", "rho", "sigma", "tau", "phi", "chi", "psi", "omega"}


def _prec(node: Node) -> int:
    if node.op == "num" and node.value < 0:
        return 3
    return _PREC.get(node.op, 5)


def format_number(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def to_text(node: Node) -> str:
    """The expression in the formula syntax (it reads back as the same formula)."""
    memo: dict[int, str] = {}
    for n in node.walk():
        memo[id(n)] = _text_one(n, memo)
    return memo[id(node)]


def _text_one(n: Node, memo: dict[int, str]) -> str:
    def sub_text(child: Node, minimum: int, strict: bool = False) -> str:
        text = memo[id(child)]
        p = _prec(child)
        return f"({text})" if p < minimum or (strict and p == minimum) else text

    op = n.op
    if op == "num":
        return format_number(n.value)
    if op in ("var", "const"):
        return n.value
    if op == "add":
        return f"{sub_text(n.args[0], 1)} + {sub_text(n.args[1], 1)}"
    if op == "sub":
        return f"{sub_text(n.args[0], 1)} - {sub_text(n.args[1], 1, strict=True)}"
    if op == "mul":
        return f"{sub_text(n.args[0], 2)} * {sub_text(n.args[1], 2)}"
    if op == "div":
        return f"{sub_text(n.args[0], 2)} / {sub_text(n.args[1], 2, strict=True)}"
    if op == "neg":
        return f"-{sub_text(n.args[0], 3, strict=True)}"
    if op == "pow":
        return f"{sub_text(n.args[0], 5)}^{sub_text(n.args[1], 4)}"
    if op == "call":
        return f"{n.value}({', '.join(memo[id(a)] for a in n.args)})"
    if op == "cmp":
        return f"{memo[id(n.args[0])]} {n.value} {memo[id(n.args[1])]}"
    if op == "where":
        return f"where({', '.join(memo[id(a)] for a in n.args)})"
    if op in ("act", "dact"):
        definition, names = n.value
        inner = [memo[id(n.args[0])]]
        inner += [f"{k}={memo[id(v)]}" for k, v in _changed(definition, names, n.args[1:])]
        mark = "'" if op == "dact" else ""
        return f"{definition.name}{mark}({', '.join(inner)})"
    raise AssertionError(op)  # pragma: no cover


def _changed(definition, names, values) -> list[tuple[str, Node]]:
    """The parameters of a built-in call that differ from the built-in's defaults."""
    defaults = definition.defaults
    return [(k, v) for k, v in zip(names, values, strict=True)
            if not (is_num(v) and v.value == defaults.get(k))]


_LATEX_FUNCTIONS = {"exp": r"\exp", "log": r"\log", "sin": r"\sin", "cos": r"\cos",
                    "tan": r"\tan", "sinh": r"\sinh", "cosh": r"\cosh", "tanh": r"\tanh",
                    "arctan": r"\arctan", "erf": r"\mathrm{erf}", "erfc": r"\mathrm{erfc}",
                    "sign": r"\mathrm{sign}", "min": r"\min", "max": r"\max",
                    "heaviside": r"H"}
_LATEX_CMP = {"<": "<", "<=": r"\leq", ">": ">", ">=": r"\geq", "==": "=", "!=": r"\neq"}


def latex_symbol(name: str) -> str:
    if name in GREEK:
        return "\\" + name
    if len(name) == 1:
        return name
    return r"\mathrm{" + name.replace("_", r"\_") + "}"


def to_latex(node: Node) -> str:
    """The expression as LaTeX that matplotlib's mathtext reads."""
    memo: dict[int, str] = {}
    for n in node.walk():
        memo[id(n)] = _latex_one(n, memo)
    return memo[id(node)]


def latex_number(value: float) -> str:
    text = format_number(value)
    if "e" not in text:
        return text
    mantissa, _, exponent = text.partition("e")
    return mantissa + r"\times 10^{" + str(int(exponent)) + "}"


def _paren(text: str) -> str:
    return r"\left(" + text + r"\right)"


def _latex_one(n: Node, memo: dict[int, str]) -> str:
    def sub_latex(child: Node, minimum: int, strict: bool = False) -> str:
        text = memo[id(child)]
        p = _prec(child)
        return _paren(text) if p < minimum or (strict and p == minimum) else text

    op, args = n.op, n.args
    if op == "num":
        return latex_number(n.value)
    if op == "var":
        return latex_symbol(n.value)
    if op == "const":
        return r"\pi" if n.value == "pi" else "e"
    if op == "add":
        return f"{sub_latex(args[0], 1)} + {sub_latex(args[1], 1)}"
    if op == "sub":
        return f"{sub_latex(args[0], 1)} - {sub_latex(args[1], 1, strict=True)}"
    if op == "mul":
        left, right = sub_latex(args[0], 2), sub_latex(args[1], 2)
        joiner = r" \cdot " if right[:1].isdigit() or right.startswith("-") else r"\,"
        return left + joiner + right
    if op == "div":
        return r"\frac{" + memo[id(args[0])] + "}{" + memo[id(args[1])] + "}"
    if op == "neg":
        return "-" + sub_latex(args[0], 3, strict=True)
    if op == "pow":
        base = args[0]
        base_text = memo[id(base)]
        if _prec(base) < 5 or base.op in ("call", "act", "dact") or (
                base.op == "num" and "e" in format_number(base.value)):
            base_text = _paren(base_text)
        return "{" + base_text + "}^{" + memo[id(args[1])] + "}"
    if op == "call":
        inner = [memo[id(a)] for a in args]
        name = n.value
        if name == "sqrt":
            return r"\sqrt{" + inner[0] + "}"
        if name == "abs":
            return r"\left|" + inner[0] + r"\right|"
        if name == "log1p":
            return r"\log" + _paren("1 + " + inner[0])
        if name == "expm1":
            return _paren("e^{" + inner[0] + "} - 1")
        if name == "exp" and len(inner[0]) <= 40:
            return "e^{" + inner[0] + "}"
        return _LATEX_FUNCTIONS[name] + _paren(r",\ ".join(inner))
    if op == "cmp":
        return f"{memo[id(args[0])]} {_LATEX_CMP[n.value]} {memo[id(args[1])]}"
    if op == "where":
        c, a, b = (memo[id(v)] for v in args)
        return _paren(a + r"\ \mathrm{if}\ " + c + r",\ \mathrm{else}\ " + b)
    if op in ("act", "dact"):
        definition, names = n.value
        inner = memo[id(args[0])]
        changed = _changed(definition, names, args[1:])
        if changed:
            inner += r";\ " + r",\ ".join(f"{latex_symbol(k)}={memo[id(v)]}" for k, v in changed)
        mark = "'" if op == "dact" else ""
        return r"\mathrm{" + definition.name.replace("_", r"\_") + "}" + mark + _paren(inner)
    raise AssertionError(op)  # pragma: no cover
