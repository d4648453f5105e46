"""Reading a formula: checks on the raw text, Python's parser, then a whitelisted tree walk.

Nothing of the user's text is ever run.  The text is checked first (length,
characters, parenthesis depth), then read by ``ast.parse(mode="eval")``, which
only builds a syntax tree; :func:`parse` walks that tree and accepts only
numbers, ``x``, declared parameters, ``pi``, ``e``, ``+ - * / **`` (``^`` is
read as ``**``), unary minus, comparisons as the first argument of
``where(cond, a, b)``, the elementary functions of :data:`_expr.FUNCTIONS` and
registered activations called by name.  It builds the expression tree of
:mod:`._expr` itself.  Every refusal is one line with the column and, for a
typo, the closest name.
"""

from __future__ import annotations

import ast
import difflib
import keyword
import math
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from . import _expr as E
from ._errors import (
    FormulaError,
    FormulaLimitError,
    FormulaNameError,
    FormulaParameterError,
    FormulaSyntaxError,
)

if TYPE_CHECKING:
    from ..types import Activation

MAX_LENGTH = 1000        # characters of the whole text (formula and parameters)
MAX_DEPTH = 32           # nesting of parentheses and of function calls
MAX_TREE_DEPTH = 200     # depth of the syntax tree (a chain x + x + ... counts one per +)
MAX_NODES = 400          # syntax-tree nodes (numbers, names, operators, calls)
MAX_NUMBER_LENGTH = 30   # characters of one number literal
MAX_PARAMS = 16
TIME_BUDGET = 2.0        # seconds for reading and differentiating (far above what it takes)

_ALLOWED = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
               "_ .+-*/^(),<>=!")
_ALLOWED_PARAMS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                      "_ .+-=,")
_NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_RESERVED = {"x", "where", *E.CONSTANTS, *E.FUNCTIONS}

_NOT_ALLOWED = {
    ast.Attribute: "attribute access ('.')",
    ast.Subscript: "subscripts ('[...]')",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.IfExp: "'if ... else' (write where(cond, a, b))",
    ast.BoolOp: "'and'/'or'",
    ast.Starred: "'*' unpacking",
    ast.Tuple: "tuples",
    ast.List: "lists",
    ast.Dict: "dicts",
    ast.Set: "sets",
    ast.NamedExpr: "':='",
    ast.JoinedStr: "strings",
    ast.Await: "'await'",
}
_OPERATORS = {ast.Add: E.add, ast.Sub: E.sub, ast.Mult: E.mul, ast.Div: E.div, ast.Pow: E.power}
_OPERATOR_TEXT = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.LShift: "<<",
                  ast.RShift: ">>", ast.BitOr: "|", ast.BitAnd: "&", ast.BitXor: "^ (xor)"}
_COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}


@dataclass(frozen=True)
class Parsed:
    """A formula read and checked: its expression tree, parameters and derivative."""

    text: str                                # the expression part, whitespace normalised
    params: tuple[tuple[str, float], ...]    # declared parameters and their defaults
    expr: E.Node
    derivative: E.Node


def _closest(name: str, candidates) -> str:
    """'; did you mean 'tanh'?' for 'tahn': fewest edits (a swap of neighbours is one edit),
    then the same letters, then difflib's similarity; nothing when no name is close."""
    if name.startswith("_") or len(name) < 3:
        return ""
    best = None
    for candidate in set(candidates):
        distance = _edits(name.lower(), candidate.lower())
        if distance > max(1, len(name) // 3):
            continue
        key = (distance, sorted(name) != sorted(candidate),
               -difflib.SequenceMatcher(None, name, candidate).ratio(), candidate)
        best = key if best is None or key < best else best
    return f"; did you mean {best[-1]!r}?" if best else ""


def _edits(a: str, b: str) -> int:
    """Optimal string alignment distance (insert, delete, substitute, swap neighbours)."""
    if abs(len(a) - len(b)) > 3:
        return 99
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], previous2[j - 2] + 1)
        previous2, previous = previous, row
    return previous[-1]


class Vocabulary(Protocol):
    """The activations a formula may call by name: the registry passes its own (every
    registered name); without one, a formula knows the built-ins (:data:`BUILTINS`)."""

    def definition(self, name: str) -> Activation | None:
        """The definition called ``name`` (an alias, any case), None when there is none."""

    def names(self) -> Iterable[str]:
        """Every name and alias (for the closest name to a typo)."""


def _key(name: str) -> str:
    return name.strip().lower().replace("-", "_")


class Builtins:
    """The built-in definitions of :mod:`actviz.activations` by name and alias (no registry)."""

    def __init__(self) -> None:
        self._index: dict[str, Activation] | None = None

    def _table(self) -> dict[str, Activation]:
        if self._index is None:
            from .. import activations

            index: dict[str, Activation] = {}
            for definition in activations.definitions():
                for name in (definition.name, *definition.aliases):
                    index.setdefault(_key(name), definition)
            self._index = index
        return self._index

    def definition(self, name: str) -> Activation | None:
        table = self._table()
        found = table.get(_key(name))
        if found is None:  # as the registry reads names: leakyrelu is leaky_relu
            squashed = {d.name: d for k, d in table.items()
                        if k.replace("_", "") == _key(name).replace("_", "")}
            found = next(iter(squashed.values())) if len(squashed) == 1 else None
        return found

    def names(self) -> list[str]:
        return list(self._table())


BUILTINS = Builtins()


def parse(text: str, vocabulary: Vocabulary | None = None) -> Parsed:
    """Read ``"EXPRESSION[; name=default, ...]"`` into a :class:`Parsed`, or raise a FormulaError.

    Activations called by name come from ``vocabulary`` (default: the built-ins).
    """
    start = time.monotonic()
    if not isinstance(text, str):
        raise FormulaSyntaxError(f"a formula must be a string, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise FormulaLimitError(f"the formula is {len(text):,} characters long; the limit is "
                                f"{MAX_LENGTH:,}")
    for column, char in enumerate(text, 1):
        if char == ":":
            raise FormulaSyntaxError(_colon_message(text, column, vocabulary))
        if char not in _ALLOWED and char != ";":
            shown = repr(char) if char.isprintable() and char.isascii() else (
                f"U+{ord(char):04X}")
            raise FormulaSyntaxError(f"character {shown} at column {column} is not allowed in a "
                                     "formula (letters, digits, spaces and _ . + - * / ^ ( ) , "
                                     "< > = ! only)")
    expression, semicolon, declarations = text.partition(";")
    if ";" in declarations:
        raise FormulaSyntaxError(f"a second ';' at column {len(expression) + 2 + declarations.index(';')}"
                                 "; write FORMULA; name=value, name=value")
    params = _parse_params(declarations, len(expression) + 1) if semicolon else ()
    if not expression.strip():
        raise FormulaSyntaxError("empty formula; write an expression in x, e.g. x * sigmoid(x)")
    _check_depth(expression)
    source, columns = _translate_powers(expression)
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        where = ""
        if exc.offset:
            where = f" at column {columns[min(exc.offset, len(columns)) - 1]}"
        raise FormulaSyntaxError(f"cannot read the formula{where}: {exc.msg}") from None
    except (RecursionError, MemoryError, ValueError):
        raise FormulaLimitError("the formula is nested too deeply") from None
    builder = _Builder(source, columns, dict(params), start, vocabulary or BUILTINS)
    expr = builder.build(tree.body, 0)
    unused = [name for name, _ in params if name not in builder.used]
    if unused:
        raise FormulaParameterError(f"parameter {unused[0]!r} is declared but the formula does "
                                    "not use it")
    if not expr.contains_x():
        raise FormulaSyntaxError("the formula does not use x; an activation is a function of x")
    derivative = E.diff(expr)
    if time.monotonic() - start > TIME_BUDGET:
        raise FormulaLimitError(f"reading the formula took more than {TIME_BUDGET:g} s")
    return Parsed(" ".join(expression.split()), params, expr, derivative)


_COLON_EXAMPLE = "'x * sigmoid(beta * x); beta=2'"


def _colon_message(text: str, column: int, vocabulary: Vocabulary | None) -> str:
    """The refusal of a ':' in a formula (``"x * sigmoid(beta * x); beta=1:beta=2"``), with the
    formula to write instead when the text after ':' reads as values of its parameters.

    A formula takes no ``FORMULA:key=value`` spec: its parameters are declared after ';'
    with their values, and a second list after ':' would both declare and bind them."""
    head, tail = text[:column - 1], text[column:]
    expression, _, declarations = head.partition(";")
    try:
        values = {name: repr(default) for name, default in (
            _parse_params(declarations, len(expression) + 1) if declarations.strip() else ())}
        names = list(values)
        for position, item in enumerate(tail.split(",")):
            key, equals, value = (part.strip() for part in item.rpartition("="))
            if not equals:
                key = names[position]  # IndexError: more values than parameters
            number = value[1:] if value[:1] in "+-" else value
            if not _IDENTIFIER.fullmatch(key) or not _NUMBER.fullmatch(number):
                raise ValueError(item)
            values[key] = value
        suggestion = " ".join(expression.split()) + "; " + ", ".join(
            f"{k}={v}" for k, v in values.items())
        parse(suggestion, vocabulary)
    except (ValueError, IndexError, FormulaError):
        suggestion = ""
    write = (f"write {suggestion!r}" if suggestion else
             f"write FORMULA; name=value, e.g. {_COLON_EXAMPLE}")
    return (f"cannot read ':' at column {column}: a formula's parameters follow ';' with "
            f"their values; {write}")


def _parse_params(text: str, offset: int) -> tuple[tuple[str, float], ...]:
    """``"beta=1.0, gamma=2"`` (``offset``: columns before it) -> ((name, default), ...)."""
    for i, char in enumerate(text):
        if char not in _ALLOWED_PARAMS:
            raise FormulaParameterError(f"character {char!r} at column {offset + i + 1} is not "
                                        "allowed after ';'; write name=number, name=number")
    if not text.strip():
        raise FormulaParameterError("nothing after ';'; write name=number, e.g. beta=1.0")
    result: dict[str, float] = {}
    position = offset + 1
    for item in text.split(","):
        column = position + len(item) - len(item.lstrip())
        position += len(item) + 1
        name, equals, value = (part.strip() for part in item.partition("="))
        if not equals or not name or not value:
            raise FormulaParameterError(f"cannot read parameter {item.strip()!r} at column "
                                        f"{column}; write name=number, e.g. beta=1.0")
        if not _IDENTIFIER.fullmatch(name) or keyword.iskeyword(name):
            raise FormulaParameterError(f"{name!r} at column {column} is not a parameter name; "
                                        "use letters, digits and _ (starting with a letter)")
        if name in _RESERVED:
            raise FormulaParameterError(f"parameter name {name!r} at column {column} is taken by "
                                        "the vocabulary; choose another name")
        if name in result:
            raise FormulaParameterError(f"parameter {name!r} is declared twice")
        number = value[1:] if value[:1] in "+-" else value
        if len(value) > MAX_NUMBER_LENGTH or not _NUMBER.fullmatch(number):
            raise FormulaParameterError(f"the default of {name!r} must be a number, got "
                                        f"{value!r}")
        default = float(value)
        if not math.isfinite(default):
            raise FormulaParameterError(f"the default of {name!r} must be a finite number, got "
                                        f"{value!r}")
        result[name] = default
    if len(result) > MAX_PARAMS:
        raise FormulaLimitError(f"at most {MAX_PARAMS} parameters")
    return tuple(result.items())


def _check_depth(text: str) -> None:
    depth = 0
    for column, char in enumerate(text, 1):
        if char == "(":
            depth += 1
            if depth > MAX_DEPTH:
                raise FormulaLimitError(f"parentheses nest more than {MAX_DEPTH} deep at column "
                                        f"{column}")
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise FormulaSyntaxError(f"unmatched ')' at column {column}")
    if depth:
        column = text.rfind("(") + 1
        raise FormulaSyntaxError(f"a '(' is never closed (the last '(' is at column {column})")


def _translate_powers(text: str) -> tuple[str, list[int]]:
    """``^`` -> ``**``; the original column (1-based) of every character of the result."""
    out, columns = [], []
    for column, char in enumerate(text, 1):
        if char == "^":
            out.append("**")
            columns += [column, column]
        else:
            out.append(char)
            columns.append(column)
    columns.append(len(text) + 1)
    return "".join(out), columns


class _Builder:
    def __init__(self, source: str, columns: list[int], params: dict[str, float], start: float,
                 vocabulary: Vocabulary):
        self.source, self.columns, self.params, self.start = source, columns, params, start
        self.vocabulary = vocabulary
        self.nodes = 0
        self.used: set[str] = set()

    def column(self, node: ast.AST) -> int:
        offset = getattr(node, "col_offset", 0)
        return self.columns[min(offset, len(self.columns) - 1)]

    def at(self, node: ast.AST) -> str:
        return f"at column {self.column(node)}"

    def build(self, node: ast.AST, depth: int, condition_ok: bool = False) -> E.Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise FormulaLimitError(f"the formula has more than {MAX_NODES} terms")
        if depth > MAX_TREE_DEPTH:
            raise FormulaLimitError(f"the formula nests more than {MAX_TREE_DEPTH} deep "
                                    f"{self.at(node)}")
        if time.monotonic() - self.start > TIME_BUDGET:
            raise FormulaLimitError(f"reading the formula took more than {TIME_BUDGET:g} s")
        kind = type(node)
        if kind is ast.Constant:
            return self.number(node)
        if kind is ast.Name:
            return self.name(node)
        if kind is ast.BinOp:
            operator = _OPERATORS.get(type(node.op))
            if operator is None:
                text = _OPERATOR_TEXT.get(type(node.op), type(node.op).__name__)
                raise FormulaSyntaxError(f"operator {text} {self.at(node)} is not allowed; use "
                                         "+ - * / ** or ^")
            left, right = self.build(node.left, depth + 1), self.build(node.right, depth + 1)
            try:
                return operator(left, right)
            except FormulaLimitError as exc:  # a constant folded too large: say where
                raise FormulaLimitError(f"{exc} {self.at(node)}") from None
        if kind is ast.UnaryOp:
            if isinstance(node.op, ast.USub):
                return E.neg(self.build(node.operand, depth + 1))
            if isinstance(node.op, ast.UAdd):
                return self.build(node.operand, depth + 1)
            raise FormulaSyntaxError(f"operator {type(node.op).__name__.lower()} "
                                     f"{self.at(node)} is not allowed")
        if kind is ast.Compare:
            if not condition_ok:
                raise FormulaSyntaxError(f"a comparison {self.at(node)} is allowed only as the "
                                         "first argument of where(cond, a, b)")
            if len(node.ops) != 1:
                raise FormulaSyntaxError(f"chained comparison {self.at(node)}; compare two "
                                         "values only")
            op = _COMPARE[type(node.ops[0])] if type(node.ops[0]) in _COMPARE else None
            if op is None:
                raise FormulaSyntaxError(f"comparison {self.at(node)} is not allowed; use "
                                         "< <= > >= == !=")
            return E.compare(op, self.build(node.left, depth + 1),
                             self.build(node.comparators[0], depth + 1))
        if kind is ast.Call:
            return self.call(node, depth)
        what = _NOT_ALLOWED.get(kind, type(node).__name__)
        raise FormulaSyntaxError(f"{what} {self.at(node)} is not allowed in a formula")

    def number(self, node: ast.Constant) -> E.Node:
        value = node.value
        if isinstance(value, str):
            raise FormulaSyntaxError(f"strings {self.at(node)} are not allowed in a formula")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise FormulaSyntaxError(f"{value!r} {self.at(node)} is not allowed; use real "
                                     "numbers")
        literal = ast.get_source_segment(self.source, node) or ""
        if len(literal) > MAX_NUMBER_LENGTH:
            raise FormulaLimitError(f"the number {self.at(node)} has more than "
                                    f"{MAX_NUMBER_LENGTH} characters")
        if not _NUMBER.fullmatch(literal):
            raise FormulaSyntaxError(f"cannot read the number {literal!r} {self.at(node)}; write "
                                     "decimal numbers such as 2, 0.5 or 1e-3")
        number = float(literal)
        if not math.isfinite(number):
            raise FormulaLimitError(f"the number {literal!r} {self.at(node)} is too large")
        return E.num(number)

    def name(self, node: ast.Name) -> E.Node:
        name = node.id
        if name == "x":
            return E.X
        if name in self.params:
            self.used.add(name)
            return E.var(name)
        if name in E.CONSTANTS:
            return E.const(name)
        if name in E.FUNCTIONS or name == "where":
            raise FormulaSyntaxError(f"{name!r} {self.at(node)} is a function; write "
                                     f"{name}(...)")
        if name.startswith("_"):
            raise FormulaNameError(f"names starting with '_' ({name!r} {self.at(node)}) are not "
                                   "allowed in a formula")
        hint = _closest(name, ["x", *self.params, *E.CONSTANTS])
        if not hint and not self.params:
            hint = f"; declare a parameter after ';', e.g. '...; {name}=1.0'"
        raise FormulaNameError(f"unknown name {name!r} {self.at(node)}{hint}")

    def call(self, node: ast.Call, depth: int) -> E.Node:
        if not isinstance(node.func, ast.Name):
            what = _NOT_ALLOWED.get(type(node.func), "this kind of call")
            raise FormulaSyntaxError(f"{what} {self.at(node.func)} is not allowed; call "
                                     "functions by name, e.g. tanh(x)")
        name = node.func.id
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise FormulaSyntaxError(f"'*' unpacking {self.at(arg)} is not allowed")
        for kw in node.keywords:
            if kw.arg is None:
                raise FormulaSyntaxError(f"'**' unpacking {self.at(kw.value)} is not allowed")
        if name == "where":
            if node.keywords or len(node.args) != 3:
                raise FormulaSyntaxError(f"where {self.at(node)} takes exactly 3 arguments: "
                                         "where(cond, a, b)")
            if not isinstance(node.args[0], ast.Compare):
                raise FormulaSyntaxError(f"the first argument of where {self.at(node.args[0])} "
                                         "must be a comparison such as x > 0")
            condition = self.build(node.args[0], depth + 1, condition_ok=True)
            return E.where(condition, self.build(node.args[1], depth + 1),
                           self.build(node.args[2], depth + 1))
        if name in E.FUNCTIONS:
            arity = E.FUNCTIONS[name]
            if node.keywords:
                raise FormulaSyntaxError(f"{name} {self.at(node)} takes no keyword arguments")
            if len(node.args) != arity:
                raise FormulaSyntaxError(f"{name} {self.at(node)} takes {arity} argument"
                                         f"{'s' if arity > 1 else ''}, got {len(node.args)}")
            return E.call(name, *(self.build(a, depth + 1) for a in node.args))
        if name.startswith("_"):
            raise FormulaNameError(f"names starting with '_' ({name!r} {self.at(node)}) are not "
                                   "allowed in a formula")
        definition = self.activation_definition(name, node)
        return self.activation(definition, node, depth)

    def activation_definition(self, name: str, node: ast.Call):
        definition = self.vocabulary.definition(name)
        if definition is None:
            hint = _closest(name, [*E.FUNCTIONS, "where", *self.vocabulary.names()])
            raise FormulaNameError(f"unknown function {name!r} {self.at(node)}{hint}")
        return definition

    def activation(self, definition, node: ast.Call, depth: int) -> E.Node:
        from ..errors import ParameterError

        label = definition.name
        if not node.args:
            raise FormulaSyntaxError(f"{label} {self.at(node)} needs its input first, e.g. "
                                     f"{label}(x)")
        params = definition.params
        if len(node.args) - 1 > len(params):
            raise FormulaParameterError(f"{label} {self.at(node)} takes {len(params)} "
                                        f"parameter(s) after its input, got {len(node.args) - 1}")
        given: dict[str, ast.AST] = {}
        for param, arg in zip(params, node.args[1:], strict=False):
            given[param.name] = arg
        for kw in node.keywords:
            key = kw.arg.lower()
            try:
                param = definition.param(key)
            except ParameterError as exc:
                raise FormulaParameterError(f"{exc} ({self.at(kw.value)})") from None
            if param.name in given:
                raise FormulaParameterError(f"{label}: parameter {param.name!r} given twice "
                                            f"{self.at(kw.value)}")
            given[param.name] = kw.value
        argument = self.build(node.args[0], depth + 1)
        names, values = [], []
        for param in params:
            if param.name not in given:
                if not param.is_numeric:
                    continue  # a word parameter keeps its default (formulas hold no strings)
                value = E.num(float(param.default))
            else:
                if not param.is_numeric:
                    raise FormulaParameterError(
                        f"{label}: parameter {param.name!r} {self.at(given[param.name])} takes a "
                        "word, which a formula cannot hold; it keeps its default")
                value = self.build(given[param.name], depth + 1)
                if value.contains_x():
                    raise FormulaParameterError(
                        f"{label}: parameter {param.name!r} {self.at(given[param.name])} must "
                        "not depend on x")
                if E.is_num(value):
                    try:
                        param.validate(value.value, label)
                    except ParameterError as exc:
                        raise FormulaParameterError(
                            f"{exc} ({self.at(given[param.name])})") from None
            names.append(param.name)
            values.append(value)
        if all(E.is_num(v) for v in values):
            try:  # the built-in's own checks across parameters (e.g. hardtanh: min < max)
                definition.check({k: v.value for k, v in zip(names, values, strict=True)})
            except ParameterError as exc:
                raise FormulaParameterError(f"{exc} ({self.at(node)})") from None
        return E.activation(definition, tuple(names), argument, tuple(values))
