"""The lab: measure in PyTorch why activation functions behave as they do.

Experiments (each a module ``actviz.lab.<name>`` with a pure computing
function, a drawing function and a CLI entry point ``run_cli(args)``):

- ``gradflow``: per-layer gradient norms and activation statistics of a deep MLP;
- ``signal``: forward mean and variance through many random layers;
- ``dead``: ReLU networks born dead, and units dying during training;
- ``train``, ``speed``: learning curves and timings (lab part 2).

PyTorch (and scikit-learn for the digits data) are optional: install them with
``pip install 'actviz[lab]'``.  Importing this package imports neither; the
modules import them inside functions and raise
:class:`actviz.errors.OptionalDependencyError` when they are missing.
"""

from __future__ import annotations

EXPERIMENTS = ("gradflow", "signal", "dead", "train", "speed")

#: The activations every lab experiment compares unless ``--acts`` says otherwise:
#: the blog post's four, then modern ones.  (Here, not in common.py, so that building
#: the command line imports no numpy.)
DEFAULT_ACTS: tuple[str, ...] = (
    "sigmoid", "tanh", "relu", "leaky_relu:negative_slope=0.1", "elu", "selu", "gelu", "silu",
)

__all__ = ["DEFAULT_ACTS", "EXPERIMENTS"]
