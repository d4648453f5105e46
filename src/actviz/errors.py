"""The package's exception types.

Every error caused by bad input is an :class:`ActvizError`, which is also a
:class:`ValueError`, so callers may catch either.  Messages are one line: what
was given, what is allowed, and the closest valid choice where there is one.
"""

from __future__ import annotations


class ActvizError(ValueError):
    """Base class of every error actviz raises for bad input."""


class UnknownActivationError(ActvizError, LookupError):
    """A name that is neither an activation nor an alias."""


class ParameterError(ActvizError):
    """An unknown parameter, or a value of the wrong type or out of range."""


class SpecSyntaxError(ActvizError):
    """A spec string that does not read as ``name`` or ``name:key=value,...``."""


class OptionalDependencyError(ActvizError, ImportError):
    """A feature needs an optional package (e.g. PyTorch for the lab)."""


class PluginWarning(UserWarning):
    """A plugin of the entry point group ``actviz.activations`` that could not be loaded."""
