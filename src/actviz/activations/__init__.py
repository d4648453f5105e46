"""The built-in activations, one module per family: plain data the registry collects.

Each module reads like ``jax.nn``: one NumPy function per activation with the
math in its docstring, its derivative, and one :class:`~actviz.types.Activation`
definition, added to the module's ``DEFINITIONS`` with ``define(...)``.  These
modules import only :mod:`actviz.types` (never the registry);
:mod:`actviz.registry` imports this package on first use and registers
:func:`definitions`.  Explanations (English and Japanese) are data, in
``actviz/locales/explanations.<lang>.json``, keyed by the activation's name.
"""

from __future__ import annotations

from ..types import Activation
from . import classics, rectifiers, shrinkage, sigmoid_like, smooth_gates

# One module per family; this tuple is the registry's order (and the atlas's).
FAMILY_MODULES = (sigmoid_like, rectifiers, smooth_gates, shrinkage, classics)


def definitions() -> list[Activation]:
    """Every built-in definition, family by family, in the order the modules define them."""
    return [definition for module in FAMILY_MODULES for definition in module.DEFINITIONS]
