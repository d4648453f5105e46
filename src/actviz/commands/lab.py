"""`actviz lab EXPERIMENT`: measure activations in real PyTorch networks.

Each experiment is a module ``actviz.lab.<name>`` (see ``EXPERIMENTS``) that
follows this contract:

- ``HELP``: one-line help shown by ``actviz lab --help`` (optional);
  ``DESCRIPTION``: longer text for ``actviz lab NAME --help`` (optional);
- ``DEFAULT_ACTS``: the default of ``--acts`` for this experiment (optional;
  else :data:`actviz.lab.common.DEFAULT_ACTS`);
- ``add_arguments(parser)``: adds the experiment's own options (the common ones
  below are already there; do not add them again);
- ``run_cli(args) -> int``: runs it from parsed arguments; it ends with
  :func:`actviz.lab.common.report` (a short summary, then the files written, on
  stdout) and shows progress on stderr (through
  :func:`actviz.lab.common.progress_bar`), writes the figure(s) and the JSON
  file into ``args.output``, and returns the exit status.  Errors are raised as
  :class:`actviz.errors.ActvizError` (one line); ``actviz.cli`` prints them.
- The module imports neither torch nor matplotlib nor scikit-learn at module
  level (import inside functions), so ``actviz --help`` stays fast.

Common options added here to every experiment: ``--acts SPEC ...``,
``--seed N`` (0), ``--device cpu|cuda`` (cpu), ``-o/--output DIR``
(lab-output), ``--threads N`` (1), ``--lang en|ja`` (en), ``--quiet``.  Before
``run_cli`` is called, PyTorch is imported (one-line error with the install
command when it is missing), ``--device`` is checked, and torch's CPU thread
count is set to ``--threads`` (restored afterwards).  An experiment whose module does not
exist yet is listed as not available and fails with a one-line error.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util

from ..errors import ActvizError
from ._common import add_define, add_lang, positive_int

#: Experiments in the order ``actviz lab --help`` lists them, with fallback help.
EXPERIMENTS = {
    "gradflow": "gradient norm per layer of a deep MLP (vanishing gradients)",
    "signal": "mean and variance of activations through many random layers",
    "dead": "ReLU networks born dead, and units dying in training",
    "train": "learning curves on digits, one per activation",
    "speed": "time forward and backward passes of each activation",
}

DEFAULT_OUTPUT = "lab-output"

#: Option names shared by every experiment (recorded in the JSON settings).
COMMON_KEYS = ("acts", "seed", "device", "output", "threads", "lang")


def _experiment_module(name: str):
    """The module ``actviz.lab.<name>``, or None if it does not exist (yet)."""
    qualified = f"actviz.lab.{name}"
    if importlib.util.find_spec(qualified) is None:
        return None
    return importlib.import_module(qualified)


def add_common_arguments(parser: argparse.ArgumentParser, default_acts) -> None:
    """Add the options every lab experiment has (``--acts``, ``--seed``, ``--device``, ...)."""
    parser.add_argument("--acts", nargs="+", metavar="SPEC", default=list(default_acts),
                        help="activations to compare, e.g. relu leaky_relu:negative_slope=0.1 "
                             f"(default: {' '.join(default_acts)})")
    parser.add_argument("--seed", type=int, default=0,
                        help="random seed; the same seed gives the same numbers (default: 0)")
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu",
                        help="where to compute (default: cpu)")
    parser.add_argument("-o", "--output", metavar="DIR", default=DEFAULT_OUTPUT,
                        help=f"folder for the PNG figure and the JSON numbers "
                             f"(default: {DEFAULT_OUTPUT})")
    parser.add_argument("--threads", type=positive_int, default=1,
                        help="torch CPU threads; small networks run fastest on one, and more "
                             "threads on a busy machine can be much slower (default: 1)")
    add_lang(parser)
    add_define(parser)
    parser.add_argument("--quiet", action="store_true",
                        help="no progress bar and no summary on the terminal")


def add_parser(subparsers, detailed: bool = True) -> None:
    """Add ``actviz lab``; with ``detailed`` False (another command was asked for) the
    experiments' own options are left out, so their modules (numpy...) are not imported."""
    from ..lab import DEFAULT_ACTS

    parser = subparsers.add_parser(
        "lab", help="measure activations in PyTorch networks (needs actviz[lab])",
        description="Measure in real PyTorch networks why activations behave as they do. "
                    "Needs PyTorch: pip install 'actviz[lab]'.")
    parser.set_defaults(run=_run_help, lab_parser=parser)
    sub = parser.add_subparsers(dest="experiment", metavar="EXPERIMENT",
                                parser_class=type(parser))
    for name, fallback_help in EXPERIMENTS.items():
        if not detailed:
            sub.add_parser(name, help=fallback_help)
            continue
        module = _experiment_module(name)
        if module is None:
            p = sub.add_parser(name, help=f"{fallback_help} (not available yet)",
                               description=f"'actviz lab {name}' is not available in this "
                                           "version yet.")
            p.set_defaults(run=_not_available)
            continue
        p = sub.add_parser(name, help=getattr(module, "HELP", fallback_help),
                           description=getattr(module, "DESCRIPTION", None)
                           or getattr(module, "HELP", fallback_help))
        add_common_arguments(p, getattr(module, "DEFAULT_ACTS", DEFAULT_ACTS))
        module.add_arguments(p)
        p.set_defaults(run=run, lab_module=module)


def _run_help(args) -> int:
    args.lab_parser.print_help()
    return 0


def _not_available(args) -> int:
    raise ActvizError(f"'actviz lab {args.experiment}' is not available in this version yet")


def run(args) -> int:
    from ..lab import common

    common.require_torch()
    common.resolve_device(args.device)
    with common.torch_threads(args.threads):
        return int(args.lab_module.run_cli(args) or 0)


__all__ = ["COMMON_KEYS", "DEFAULT_OUTPUT", "EXPERIMENTS", "add_common_arguments", "add_parser",
           "positive_int", "run"]
