"""The built-in activations, one module per family; importing this registers them all.

Each module reads like ``jax.nn``: one NumPy function per activation with the
math in its docstring, its derivative, and one :class:`~actviz.registry.Activation`
definition that registers it.  Explanations (English and Japanese) are data, in
``actviz/locales/explanations.<lang>.json``, keyed by the activation's name.
"""

from __future__ import annotations

from importlib import import_module

# One module per family; this tuple is the registry's order (and the atlas's).
FAMILY_MODULES = ("sigmoid_like", "rectifiers", "smooth_gates", "shrinkage", "classics")

for _module in FAMILY_MODULES:
    import_module(f"{__name__}.{_module}")
