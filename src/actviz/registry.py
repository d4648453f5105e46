"""The registry: every activation defined once, and the objects that use it.

An :class:`Activation` is a *definition*: the NumPy function and its analytic
first derivative, parameters with defaults and checks, LaTeX, declared
properties, references, the PyTorch counterpart and explanations.  Calling
:func:`get` binds a definition to parameter values and returns a
:class:`BoundActivation`, which is what plots, the atlas, the HTML page and the
lab use::

    >>> import actviz
    >>> act = actviz.get("leaky_relu:negative_slope=0.1")
    >>> act([-2.0, 3.0])
    array([-0.2,  3. ])
    >>> act.grad([-2.0, 3.0])
    array([0.1, 1. ])

Spec strings read ``name`` or ``name:key=value[,key=value]``; names are
case-insensitive, ``-`` equals ``_``, aliases are accepted, and a value without
a key fills the parameters in their declared order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType
from typing import Any

import numpy as np

from ._text import latex_to_text
from .errors import (
    ActvizError,
    OptionalDependencyError,
    ParameterError,
    PluginWarning,
    SpecSyntaxError,
    UnknownActivationError,
)
from .measure import Measurement, measure
from .measure import numerical_derivative as _numerical_derivative

# The shared types live in actviz.types (which imports nothing of the package); they are
# re-exported here so that ``from actviz.registry import Param`` keeps working.
from .types import (
    SATURATION_EPS,
    SIDES,
    Activation,
    Definitions,
    Function,
    Interval,
    Param,
    Params,
    ParamValue,
    Properties,
    Reference,
    TorchCounterpart,
    ValueSet,
    _closest,
    _fmt,
    continuity_label,
)

__all__ = [
    "SATURATION_EPS",
    "SIDES",
    "Activation",
    "BoundActivation",
    "Definitions",
    "Interval",
    "Param",
    "ParamValue",
    "Params",
    "Properties",
    "Reference",
    "TorchCounterpart",
    "ValueSet",
    "bind",
    "continuity_label",
    "formula_definition",
    "get",
    "get_definition",
    "load_plugins",
    "names",
    "parse_spec",
    "register",
    "unregister",
]


# --------------------------------------------------------------------------- bound activation


def _as_float_array(x: Any) -> np.ndarray:
    arr = np.asarray(x)
    if arr.dtype.kind in "biu":
        return arr.astype(np.float64)
    if arr.dtype.kind != "f":
        raise ActvizError(f"expected real numbers, got an array of dtype {arr.dtype}")
    return arr


def measured_properties(act: BoundActivation) -> Properties:
    """The properties of ``act`` measured numerically by :func:`actviz.measure.measure`."""
    return properties_from(measure(act, act.grad, act.breakpoints))


def properties_from(found: Measurement) -> Properties:
    """The :class:`Properties` that a :class:`~actviz.measure.Measurement` found."""
    return Properties(range=ValueSet.of(*(Interval(*part) for part in found.range_parts)),
                      **found.property_fields())


def _is_torch(x: Any) -> bool:
    """True for a torch tensor; looks at the type's module first, so torch is never imported here."""
    if type(x).__module__.split(".")[0] != "torch":
        return False
    import torch

    return isinstance(x, torch.Tensor)


def _torch_apply(act: BoundActivation, x: Any, *, derivative: bool) -> Any:
    """f(x) (or f'(x)) of a torch tensor as a torch tensor, computed by the registry's NumPy code."""
    import torch

    def compute(t: Any, want_derivative: bool) -> Any:
        host = t.detach().cpu()
        if not host.is_floating_point() or host.dtype in (torch.bfloat16, torch.float16):
            host = host.to(torch.float32 if host.is_floating_point()
                           else torch.get_default_dtype())
        values = host.numpy()
        out = act.grad(values) if want_derivative else act(values)
        dtype = t.dtype if t.is_floating_point() else torch.get_default_dtype()
        return torch.from_numpy(np.array(out, dtype=values.dtype, ndmin=0)).reshape(
            t.shape).to(device=t.device, dtype=dtype)

    if derivative or not (x.requires_grad and torch.is_grad_enabled()):
        return compute(x, derivative)
    return _torch_function(torch).apply(x, compute)


_TORCH_FUNCTION: list = []


def _torch_function(torch: Any) -> Any:
    """A torch.autograd.Function whose backward multiplies by f'(x) (made once, lazily)."""
    if not _TORCH_FUNCTION:
        class _Apply(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x, compute):
                ctx.save_for_backward(x)
                ctx.compute = compute
                return compute(x, False)

            @staticmethod
            def backward(ctx, grad_output):
                (x,) = ctx.saved_tensors
                return grad_output * ctx.compute(x, True), None

        _TORCH_FUNCTION.append(_Apply)
    return _TORCH_FUNCTION[0]


class BoundActivation:
    """An activation bound to parameter values: callable on arrays, with ``grad``.

    Output has the dtype (float32 or float64; integers become float64) and
    shape of the input.  Attributes: ``name``, ``params`` (read-only mapping),
    ``definition`` (the :class:`Activation`), ``label``, ``spec``,
    ``properties``, ``breakpoints``, ``latex``, ``latex_derivative``.
    """

    __slots__ = ("_properties", "definition", "params")

    def __init__(self, definition: Activation, params: Mapping[str, ParamValue]):
        self.definition = definition
        self.params: Mapping[str, ParamValue] = MappingProxyType(dict(params))
        self._properties: Properties | None = None

    # identity -----------------------------------------------------------------
    @property
    def name(self) -> str:
        """The canonical (snake_case) name, e.g. ``'leaky_relu'``."""
        return self.definition.name

    @property
    def display_name(self) -> str:
        """The name as written in figures, e.g. ``'Leaky ReLU'``."""
        return self.definition.display_name

    @property
    def label(self) -> str:
        """``name(key=value, ...)`` with every parameter, e.g. ``leaky_relu(negative_slope=0.01)``."""
        own = self.definition.label_for(self.params)
        if own is not None:
            return own
        inner = ", ".join(f"{k}={_fmt(v)}" for k, v in self.params.items())
        return f"{self.name}({inner})" if inner else self.name

    @property
    def short_label(self) -> str:
        """The display name, with only the parameters that differ from the defaults."""
        changed = {k: v for k, v in self.params.items() if v != self.definition.defaults[k]}
        inner = ", ".join(f"{k}={_fmt(v)}" for k, v in changed.items())
        return f"{self.display_name} ({inner})" if inner else self.display_name

    @property
    def spec(self) -> str:
        """A spec string that :func:`get` turns back into exactly this activation.

        Every parameter is written, each with the shortest text that reads back as
        the same float (``repr``): ``rrelu:lower=0.125,upper=0.3333333333333333``.
        """
        own = self.definition.spec_for(self.params)
        if own is not None:
            return own
        inner = ",".join(f"{k}={v if isinstance(v, str) else repr(float(v))}"
                         for k, v in self.params.items())
        return f"{self.name}:{inner}" if inner else self.name

    def __repr__(self) -> str:
        return f"actviz.get({self.spec!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BoundActivation):
            return False
        mine, theirs = self._identity(), other._identity()
        if mine is not None or theirs is not None:
            return mine == theirs
        return other.definition is self.definition and dict(other.params) == dict(self.params)

    def __hash__(self) -> int:
        key = self._identity()
        return hash((self.name, tuple(self.params.items())) if key is None else key)

    def _identity(self) -> Any:
        return self.definition.identity(self.params)

    def with_params(self, **params: Any) -> BoundActivation:
        """A copy with some parameters changed (checked like :func:`get`)."""
        return bind(self.definition, {**self.params, **params})

    # math -----------------------------------------------------------------------
    def __call__(self, x: Any) -> np.ndarray:
        """f(x) for a number, an array-like or a PyTorch tensor (same shape and dtype).

        A torch tensor in gives a torch tensor out, on the same device and of the
        same dtype (bfloat16 and float16 are computed in float32); when it
        requires grad, the result does too and backpropagates f'(x) from the
        registry.  torch is imported only when ``x`` is a torch tensor.
        """
        if _is_torch(x):
            return _torch_apply(self, x, derivative=False)
        arr = _as_float_array(x)
        out = np.asarray(self.definition.function(arr, **self.params), dtype=arr.dtype)
        return out.reshape(arr.shape)[()]

    def grad(self, x: Any) -> np.ndarray:
        """The first derivative f'(x), analytic unless the definition has none.

        Takes what ``act(x)`` takes; a torch tensor gives a torch tensor (no graph).
        """
        if _is_torch(x):
            return _torch_apply(self, x, derivative=True)
        arr = _as_float_array(x)
        if self.definition.derivative is None:
            out = _numerical_derivative(
                lambda z: np.asarray(self.definition.function(z, **self.params), dtype=z.dtype),
                arr, self.breakpoints)
        else:
            out = np.asarray(self.definition.derivative(arr, **self.params), dtype=arr.dtype)
        return out.reshape(arr.shape)[()]

    derivative = grad

    @property
    def numerical_derivative(self) -> bool:
        """True when f' is computed by finite differences, not analytically."""
        return self.definition.numerical_derivative

    # metadata ---------------------------------------------------------------------
    @property
    def breakpoints(self) -> tuple[float, ...]:
        """Sorted x where the formula changes piece (kinks and jumps among them)."""
        points = self.definition.breakpoints
        values = points(self.params) if callable(points) else points
        return tuple(sorted({float(v) for v in values}))

    @property
    def declared_properties(self) -> Properties | None:
        """The properties the definition declares at these parameters (None if it declares none)."""
        spec = self.definition.properties
        return spec(self.params) if callable(spec) else spec

    @property
    def properties(self) -> Properties:
        """Declared properties; for user activations without any, computed numerically."""
        if self._properties is None:
            declared = self.declared_properties
            if declared is None:
                declared = measured_properties(self)
            self._properties = declared
        return self._properties

    @property
    def latex(self) -> str:
        """f's formula in LaTeX (mathtext), '' when the definition has none."""
        return self.definition.latex

    @property
    def latex_derivative(self) -> str:
        """f''s formula in LaTeX (mathtext), '' when the definition has none."""
        return self.definition.latex_derivative

    def param_description(self, name: str, lang: str = "en") -> str:
        """What parameter ``name`` means, in ``lang`` (English when no translation exists)."""
        from . import _locales

        english = self.definition.param(name).description
        if lang == "en":
            return english
        return _locales.definition_text(self.name, lang, "params", name) or english

    def derivative_note(self, lang: str = "en") -> str:
        """The derivative's convention at kinks, in ``lang`` (English when not translated)."""
        from . import _locales

        english = self.definition.derivative_note
        if lang == "en" or not english:
            return english
        return _locales.definition_text(self.name, lang, "derivative_note") or english

    def explanation(self, lang: str = "en") -> str:
        """A short explanation in ``lang`` ('en' or 'ja', any case), from the definition or the locales."""
        from . import _locales

        lang = _locales.check_lang(lang.strip().lower() if isinstance(lang, str) else lang)
        own = self.definition.explanation
        return own.get(lang) or _locales.explanation(self.name, lang) or own.get("en", "")

    @property
    def torch_name(self) -> str | None:
        """The dotted name of PyTorch's counterpart (e.g. ``'torch.nn.ReLU'``), None if none."""
        return self.definition.torch.name if self.definition.torch else None

    def torch_module(self) -> Any:
        """Build the PyTorch ``nn.Module`` counterpart (imports torch here, lazily)."""
        if self.definition.torch is None:
            raise ActvizError(f"{self.name} has no PyTorch counterpart")
        try:
            from torch import nn
        except ImportError:
            raise OptionalDependencyError(
                "PyTorch is not installed; install it with: pip install 'actviz[lab]'") from None
        return self.definition.torch.build(nn, self.params)

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        """Everything known about this activation, JSON-ready."""
        d = self.definition
        return {
            "name": self.name,
            "display_name": self.display_name,
            "aliases": list(d.aliases),
            "family": d.family,
            "label": self.label,
            "spec": self.spec,
            "params": [
                {
                    "name": p.name,
                    "value": self.params[p.name],
                    "default": p.default,
                    "allowed": p.allowed(),
                    "description": self.param_description(p.name, lang),
                    **({"choices": list(p.choices)} if p.choices else {}),
                }
                for p in d.params
            ],
            "latex": d.latex,
            "latex_derivative": d.latex_derivative,
            "formula": latex_to_text(d.latex),
            "formula_derivative": latex_to_text(d.latex_derivative),
            "derivative": "numerical" if d.numerical_derivative else "analytic",
            "derivative_note": self.derivative_note(lang),
            "breakpoints": list(self.breakpoints),
            "properties": self.properties.as_dict(),
            "torch": self.torch_name,
            "references": [
                {"text": r.text, "year": r.year, "url": r.url} for r in d.references],
            "explanation": self.explanation(lang),
            "lang": lang,
            **d.describe(),
        }


# --------------------------------------------------------------------------- the registry

_REGISTRY: dict[str, Activation] = {}
_LOOKUP: dict[str, str] = {}  # normalised name or alias -> canonical name
_BUILTINS_LOADED = False


def _key(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def _squash(name: str) -> str:
    return _key(name).replace("_", "")


def _ensure_builtins() -> None:
    """Register the built-ins once, all or nothing.

    The definitions are plain data (:mod:`actviz.activations` imports only
    :mod:`actviz.types`); they are imported here, lazily, and added in family
    order.  The flag is set only after every one is in: a failed import or a
    clash leaves the registry as it was, and the next call tries again.
    """
    global _BUILTINS_LOADED
    if _BUILTINS_LOADED:
        return
    from . import activations

    definitions = activations.definitions()
    saved = dict(_REGISTRY), dict(_LOOKUP)
    try:
        for definition in definitions:
            _add(definition, overwrite=False)
    except BaseException:
        _REGISTRY.clear()
        _REGISTRY.update(saved[0])
        _LOOKUP.clear()
        _LOOKUP.update(saved[1])
        raise
    _BUILTINS_LOADED = True


def _add(activation: Activation, *, overwrite: bool) -> Activation:
    keys = [_key(activation.name), *(_key(a) for a in activation.aliases)]
    for key in keys:
        owner = _LOOKUP.get(key)
        if owner is not None and not (overwrite and owner == activation.name):
            what = (f"the name {key!r} is already used by {owner!r}" if owner != activation.name
                    else f"{owner!r} is already registered ({_REGISTRY[owner].family})")
            raise ActvizError(f"cannot register {activation.name!r}: {what} "
                              "(pass overwrite=True to replace it)")
    if overwrite and activation.name in _REGISTRY:
        unregister(activation.name)
    _REGISTRY[activation.name] = activation
    for key in keys:
        _LOOKUP[key] = activation.name
    _changed()
    return activation


def register(
    activation: Activation | str,
    function: Function | None = None,
    derivative: Function | None = None,
    *,
    params: Mapping[str, float] | Sequence[Param] = (),
    overwrite: bool = False,
    **metadata: Any,
) -> Activation:
    """Add an activation to the registry and return its definition.

    Either pass an :class:`Activation`, or a name, a NumPy function
    ``f(x, **params)`` and optionally its derivative; ``params`` may map names to
    default values (``params={"k": 2.0}`` for ``lambda x, k=2.0: ...``): every
    parameter of the function after ``x`` must be declared, or an ActvizError
    says so.  Without a derivative, f' is computed numerically.  Other
    keywords (``latex``, ``display_name``, ``properties``, ``breakpoints``,
    ``explanation``, ...) fill the definition's fields.

    Registering a name again that was registered with :func:`register` replaces
    that activation (re-running a notebook cell works); a built-in name, or a
    name or alias that another activation uses, needs ``overwrite=True``.
    """
    _ensure_builtins()
    if isinstance(activation, Activation):
        if function is not None or derivative is not None or metadata or params:
            raise TypeError("pass either an Activation or name, function and fields")
        definition = activation
    else:
        if function is None or not callable(function):
            raise ActvizError(f"register({activation!r}): a callable NumPy function is required")
        if isinstance(params, Mapping):
            params = tuple(Param(k, float(v), k) for k, v in params.items())
        if not isinstance(activation, str):
            raise ActvizError(f"register(): the name must be a string, got {activation!r}")
        definition = Activation(name=_key(activation), function=function, derivative=derivative,
                                params=tuple(params), **metadata)
    _check_hidden_params(definition)
    if not overwrite and _USER_NAMES.get(definition.name) is _REGISTRY.get(definition.name) \
            and definition.name in _REGISTRY:
        # the same user name again (a re-run cell): replace it, keeping aliases' checks
        overwrite = True
    added = _add(definition, overwrite=overwrite)
    _USER_NAMES[added.name] = added
    return added


# definitions added by register() (not the built-ins), by name: re-registering one replaces it
_USER_NAMES: dict[str, Activation] = {}


def _check_hidden_params(definition: Activation) -> None:
    """Raise ActvizError when the function (or derivative) takes parameters not declared."""
    import inspect

    declared = {p.name for p in definition.params}
    for role, func in (("function", definition.function), ("derivative", definition.derivative)):
        if func is None or isinstance(func, np.ufunc):  # a ufunc's out=, where=, ...: not ours
            continue
        try:
            signature = inspect.signature(func)
        except (TypeError, ValueError):  # builtins and ufuncs: nothing to see
            continue
        positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        params = [p for p in signature.parameters.values()
                  if p.kind in (*positional, inspect.Parameter.KEYWORD_ONLY)]
        if params and params[0].kind in positional:
            params = params[1:]  # x
        # a parameter without a default fails at the first call; one with a numeric
        # default is a hidden parameter (no slider, no spec); others (out=None) are left
        hidden = [p for p in params if p.name not in declared and (
            p.default is inspect.Parameter.empty
            or (isinstance(p.default, (int, float)) and not isinstance(p.default, bool)))]
        if not hidden:
            continue
        shown = ", ".join(p.name if p.default is inspect.Parameter.empty else
                          f"{p.name}={p.default!r}" for p in hidden)
        example = ", ".join(f"{p.name!r}: {p.default!r}" if p.default is not
                            inspect.Parameter.empty else f"{p.name!r}: 1.0" for p in hidden)
        raise ParameterError(
            f"register({definition.name!r}): the {role} takes {shown}, which actviz would "
            f"never set; declare it with params={{{example}}} (sliders, sweeps and specs "
            f"like '{definition.name}:{hidden[0].name}=...' then work), or drop it")


def unregister(name: str) -> None:
    """Remove an activation (by name or alias) from the registry."""
    definition = get_definition(name)
    del _REGISTRY[definition.name]
    _USER_NAMES.pop(definition.name, None)
    for key in [k for k, v in _LOOKUP.items() if v == definition.name]:
        del _LOOKUP[key]
    _changed()


def names(*, aliases: bool = False, family: str | None = None) -> list[str]:
    """Canonical names in registry order (grouped by family); with aliases if asked."""
    _ensure_builtins()
    result = [n for n, a in _REGISTRY.items() if family is None or a.family == family]
    if aliases:
        result += [a for n in list(result) for a in _REGISTRY[n].aliases]
    return result


def families() -> list[str]:
    """The families of the registered activations ('sigmoid_like', 'rectifier', ...), in registry order."""
    _ensure_builtins()
    return list(dict.fromkeys(a.family for a in _REGISTRY.values()))


def get_definition(name: str) -> Activation:
    """The :class:`Activation` for a name or alias (no parameters)."""
    _ensure_builtins()
    if not isinstance(name, str):
        raise UnknownActivationError(f"activation name must be a string, not {name!r}")
    key = _key(name)
    canonical = _LOOKUP.get(key)
    if canonical is None:
        squashed = _squash(name)
        matches = {v for k, v in _LOOKUP.items() if k.replace("_", "") == squashed}
        if len(matches) == 1:
            canonical = matches.pop()
    if canonical is None:
        hint = _closest(key, _LOOKUP)
        if not hint:
            hint = "; see 'actviz list' for all names"
        raise UnknownActivationError(f"unknown activation {name.strip()!r}{hint}")
    return _REGISTRY[canonical]


_SPEC = re.compile(r"^\s*([A-Za-z][\w\- ]*?)\s*(?::(.*))?$")


def parse_spec(spec: str) -> tuple[str, dict[str, str]]:
    """Split ``name:key=value,...`` into the name and a dict of raw values.

    Values without a key get the keys ``'#0'``, ``'#1'``, ... (positional).
    """
    if not isinstance(spec, str) or not spec.strip():
        raise SpecSyntaxError(f"empty activation spec {spec!r}")
    match = _SPEC.match(spec)
    if match is None:
        raise SpecSyntaxError(
            f"cannot read spec {spec!r}; write name or name:key=value[,key=value]")
    name, rest = match.group(1), match.group(2)
    values: dict[str, str] = {}
    if rest is not None:
        if not rest.strip():
            raise SpecSyntaxError(f"spec {spec!r} has ':' but no parameters after it")
        for position, item in enumerate(rest.split(",")):
            if "=" in item:
                key, _, value = item.partition("=")
                # the key keeps its case: a formula may declare both B and b (the
                # definition's param() matches any case when only one parameter fits)
                key = key.strip().replace("-", "_")
                if not key or not value.strip():
                    raise SpecSyntaxError(f"cannot read {item.strip()!r} in spec {spec!r}; "
                                          "write key=value")
            else:
                key, value = f"#{position}", item
                if not value.strip():
                    raise SpecSyntaxError(f"empty value in spec {spec!r}")
            if key in values:
                raise SpecSyntaxError(f"parameter {key!r} given twice in spec {spec!r}")
            values[key] = value.strip()
    return name, values


def get(spec: str | BoundActivation | Activation, /, **params: Any) -> BoundActivation:
    """Return the activation named by ``spec`` bound to its parameters.

    ``spec`` is a name (``"relu"``), a spec string
    (``"leaky_relu:negative_slope=0.1"``), a definition or a bound activation;
    keyword arguments set or override parameters.  Raises
    :class:`~actviz.errors.UnknownActivationError` (with the closest names) or
    :class:`~actviz.errors.ParameterError`, both ValueErrors.
    """
    if isinstance(spec, BoundActivation):
        return spec.with_params(**params) if params else spec
    if isinstance(spec, Activation):
        return bind(spec, params)
    try:
        name, raw = parse_spec(spec)
        definition = get_definition(name)
    except (SpecSyntaxError, UnknownActivationError) as error:
        # not a registered name: a py: object, a formula or a plugin's name (else `error`)
        return _unknown(spec, error, params)
    return bind(definition, _given(definition, raw, params, spec, definition.name))


def _given(definition: Activation, raw: Mapping[str, str], params: Mapping[str, Any],
           spec: str, owner: str) -> dict[str, Any]:
    """The raw values of a spec (positional ones as '#0', '#1', ...) and keyword
    ``params``, by parameter name."""
    given: dict[str, Any] = {}
    for key, value in raw.items():
        if key.startswith("#"):
            index = int(key[1:])
            if index >= len(definition.params):
                raise ParameterError(
                    f"{owner} takes {len(definition.params)} parameter(s), "
                    f"but spec {spec!r} gives a value at position {index + 1}")
            key = definition.params[index].name
        else:
            key = definition.param(key).name
        if key in given:
            raise SpecSyntaxError(f"parameter {key!r} given twice in spec {spec!r}")
        given[key] = value
    for key, value in params.items():
        given[definition.param(key).name] = value
    return given


def _unknown(spec: Any, error: Exception, params: Mapping[str, Any]) -> BoundActivation:
    """A spec that names no registered activation: ``py:PATH[:params]`` (a Python object,
    :mod:`actviz.pyobjects`), a formula (:mod:`actviz.formula`), or the name of an
    activation that a plugin adds (the plugins are loaded once, then the name is looked
    up again).  Anything else raises ``error`` (its closest names)."""
    if not isinstance(spec, str):
        raise error
    text = spec.strip()
    if text.startswith("py:"):
        from . import pyobjects

        path, rest = pyobjects.split(text)
        definition = pyobjects.definition(path)
        raw = parse_spec(f"p:{rest}")[1] if rest.strip() else {}
        return bind(definition, _given(definition, raw, params, text, f"py:{path}"))
    from .formula import looks_like_formula

    if looks_like_formula(text):
        return bind(formula_definition(text), params)
    if load_plugins():
        return get(spec, **params)
    raise error


# --------------------------------------------------------------------------- formulas


class _Vocabulary:
    """What a formula may call by name: every registered activation (see
    :class:`actviz.formula.Vocabulary`).  A new one is made whenever the registry
    changes, so formulas read before a change are not reused after it."""

    def definition(self, name: str) -> Activation | None:
        try:
            return get_definition(name)
        except UnknownActivationError:
            return None

    def names(self) -> list[str]:
        return names(aliases=True)


_VOCABULARY = _Vocabulary()


def formula_definition(text: str, name: str | None = None) -> Activation:
    """The definition of the formula ``text`` (not registered), reading names in the
    registry: a formula may call any registered activation.  Anonymous ones are
    cached per text; ``name`` makes a named one (:func:`actviz.define`)."""
    from .formula import formula

    _ensure_builtins()
    return formula(text, name=name, vocabulary=_VOCABULARY)


def _changed() -> None:
    global _VOCABULARY
    _VOCABULARY = _Vocabulary()


# --------------------------------------------------------------------------- plugins

PLUGIN_GROUP = "actviz.activations"
_PLUGINS_LOADED = False


def load_plugins() -> bool:
    """Load the entry points of the group ``actviz.activations`` once; True when this call
    loaded them.

    An entry point names a module that registers activations when imported, or
    an object that is an :class:`Activation` or a list of them.  A plugin that
    fails gives one :class:`~actviz.errors.PluginWarning` naming it, never an error.
    """
    global _PLUGINS_LOADED
    if _PLUGINS_LOADED:
        return False
    _PLUGINS_LOADED = True
    from importlib.metadata import entry_points

    _ensure_builtins()
    try:
        points = entry_points(group=PLUGIN_GROUP)
    except Exception as exc:  # a broken distribution's metadata
        _plugin_warning("?", "", exc)
        return True
    for point in points:
        try:
            _register_plugin_object(point.load())
        except Exception as exc:  # the plugin's own code: report, never crash
            _plugin_warning(point.name, point.value, exc)
    return True


def _register_plugin_object(loaded: Any) -> None:
    import inspect

    if inspect.ismodule(loaded):
        return  # it registered its activations when imported
    items = loaded if isinstance(loaded, (list, tuple)) else [loaded]
    for item in items:
        if not isinstance(item, Activation):
            raise TypeError(f"{item!r} is not an actviz Activation (nor a module, nor a list "
                            "of Activations)")
    for item in items:
        if _REGISTRY.get(item.name) is not item:
            register(item)


def _plugin_warning(name: str, value: str, exc: BaseException) -> None:
    import warnings

    message = f"{type(exc).__name__}: {exc}".replace("\n", " ").strip()
    warnings.warn(f"actviz plugin {name!r} ({value}) was not loaded: {message}",
                  PluginWarning, stacklevel=3)


def bind(definition: Activation, params: Mapping[str, Any] | None = None, /,
         **kwargs: Any) -> BoundActivation:
    """``definition`` bound to ``params`` (checked by :meth:`Activation.check`).

    A definition may name the class of its bound activations (``bound_class``, a
    subclass of :class:`BoundActivation`); a formula or a ``py:`` object needs none:
    it gives its own spec and label through the hooks of :class:`Activation`."""
    cls = getattr(definition, "bound_class", None) or BoundActivation
    return cls(definition, definition.check(params, **kwargs))


def spec_list(specs: Any) -> list:
    """One spec (a string, a definition, a bound activation) or any iterable of them, as a list.

    Lists, tuples, generators and NumPy arrays of names are read as several specs;
    anything else is one (and :func:`get` says what is wrong with it).
    """
    if isinstance(specs, (str, BoundActivation, Activation)):
        return [specs]
    if isinstance(specs, np.ndarray):
        return [str(v) if isinstance(v, np.str_) else v for v in specs.ravel().tolist()]
    if isinstance(specs, Iterable) and not isinstance(specs, (bytes, Mapping)):
        return list(specs)
    return [specs]


def iter_activations() -> list[BoundActivation]:
    """Every registered activation at its default parameters, in registry order."""
    return [get(n) for n in names()]


def with_fields(activation: Activation, **changes: Any) -> Activation:
    """A copy of a definition with some fields changed (not registered)."""
    return replace(activation, **changes)
