"""`actviz lab signal`: mean and variance of the signal through many random layers.

A batch of inputs goes forward (no training) through ``depth`` random layers
z_l = W_l h_{l-1} + b_l, h_l = f(z_l) of ``width`` units.  Per layer it records
the mean, the variance and the second moment E[h^2] of h_l over batch and
units.  SELU with LeCun-normal weights is drawn to its fixed point (mean 0,
variance 1: Klambauer et al. 2017); ReLU with He weights keeps the second
moment (He et al. 2015); tanh and sigmoid drift away (tanh's variance decays,
sigmoid's mean moves to 0.5).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import _locales, checks, registry
from ..errors import ActvizError
from . import common

HELP = "mean and variance of activations through many random layers (signal propagation)"
DESCRIPTION = (
    "Forward statistics through --depth random layers of --width units: the mean, variance "
    "and second moment of the activations per layer. SELU with LeCun weights keeps mean 0 and "
    "variance 1; ReLU with He keeps the second moment; tanh and sigmoid drift.")

INPUTS = ("gaussian", "digits")


@dataclasses.dataclass
class SignalRun:
    """Per-layer statistics for one activation and initialisation (index 0: the input).

    ``mean``, ``variance``, ``second_moment``: of h_l over batch and units;
    ``pre_variance``: variance of the pre-activation z_l (nan for the input);
    ``status``: 'ok' or 'diverged' (values after the first nan/inf are nan).
    """

    activation: str
    spec: str
    init: str
    status: str
    mean: list[float]
    variance: list[float]
    second_moment: list[float]
    pre_variance: list[float]


@dataclasses.dataclass
class SignalResult:
    """Everything :func:`signal` measured, with the settings that made it."""

    depth: int
    width: int
    batch: int
    input: str
    seed: int
    runs: list[SignalRun]

    def run(self, activation: str) -> SignalRun:
        """The first run whose activation label or spec is ``activation``."""
        for run in self.runs:
            if activation in (run.activation, run.spec):
                return run
        raise KeyError(activation)


def signal(acts: Sequence[str | registry.BoundActivation] = common.DEFAULT_ACTS, *,
           inits: Sequence[str] = (common.AUTO,), depth: int = 50, width: int = 500,
           batch: int = 512, input: str = "gaussian", seed: int = 0, device: Any = "cpu",
           progress: common.ProgressCallback | None = None) -> SignalResult:
    """Propagate a batch forward through ``depth`` random layers and record per-layer statistics.

    ``acts``: specs or bound activations (default :data:`common.DEFAULT_ACTS`);
    ``inits``: initialisations ('auto' — the one each activation was designed
    for, see :func:`common.auto_init` — 'default', 'xavier', 'he', 'lecun';
    default ('auto',)); ``depth``: number of layers (50); ``width``: units
    per layer (500); ``batch``: inputs (512); ``input``: 'gaussian' (standard
    normal of dimension ``width``) or 'digits' (standardised digits, 64
    features); ``seed``: seeds weights and inputs (0); ``device``: torch
    device ('cpu'); ``progress``: ``(done, total)`` callback.  Biases are zero
    except with 'default' (PyTorch's own initialisation).
    """
    torch = common.require_torch()
    bound = common.resolve_activations(acts)
    checks.positive_int(depth, "depth")
    checks.positive_int(width, "width")
    checks.int_between(batch, 2, 10**9, "batch")  # a variance needs two samples
    if input not in INPUTS:
        raise ActvizError(f"unknown input {input!r}; choose one of {', '.join(INPUTS)}")
    pairs = list(dict.fromkeys((act, common.resolve_init(init, act))
                               for act in bound for init in dict.fromkeys(inits)))
    device = torch.device(device)
    if input == "gaussian":
        x_np = common.gaussian_input(batch, width, seed)
    else:
        x_np, _ = common.input_batch("digits", batch, seed)
    x = torch.as_tensor(x_np, device=device)
    total = len(pairs) * depth
    tick = common.steps(progress, total)
    runs = []
    for act, init in pairs:
        mean, var, m2, pre = ([math.nan] * (depth + 1) for _ in range(4))
        run_status = common.OK
        h = x
        mean[0], var[0], m2[0] = _stats(h)
        with torch.no_grad(), common.seeded(seed, device):
            module = act.torch_module().to(device)
            fan_in = x.shape[1]
            for layer in range(1, depth + 1):
                linear = common.init_linear(torch.nn.Linear(fan_in, width), init, act).to(device)
                z = linear(h)
                h = module(z)
                fan_in = width
                tick()
                if run_status == common.DIVERGED:
                    continue
                if not (common.is_finite(z) and common.is_finite(h)):
                    run_status = common.DIVERGED
                    continue
                pre[layer] = float(z.var())
                mean[layer], var[layer], m2[layer] = _stats(h)
                if not all(math.isfinite(v) for v in (pre[layer], var[layer], m2[layer])):
                    run_status = common.DIVERGED
                    mean[layer] = var[layer] = m2[layer] = pre[layer] = math.nan
        runs.append(SignalRun(activation=act.label, spec=act.spec, init=init, status=run_status,
                              mean=mean, variance=var, second_moment=m2, pre_variance=pre))
    return SignalResult(depth=depth, width=width, batch=batch, input=input, seed=seed, runs=runs)


def _stats(h: Any) -> tuple[float, float, float]:
    h64 = h.double()
    return float(h64.mean()), float(h64.var()), float((h64 * h64).mean())


# --------------------------------------------------------------------------- drawing

def draw_signal(result: SignalResult, *, lang: str = "en", fig: Any = None) -> Any:
    """Draw ``result`` on a matplotlib Figure (new unless ``fig`` is given) and return it.

    Three panels over the layers: mean, variance (log) and second moment
    (log) of the activations, one line per activation (line style per
    initialisation); the dotted line marks 1.  ``lang``: 'en' or 'ja'.
    """
    _locales.check_lang(lang)
    t = lambda key, **kw: _locales.text(key, lang, **kw)  # noqa: E731
    fig = fig if fig is not None else common.new_figure((14.0, 5.0))
    axes = fig.subplots(1, 3)
    styles = ["-", "--", ":", "-."]
    acts = list(dict.fromkeys(r.activation for r in result.runs))
    inits = list(dict.fromkeys(r.init for r in result.runs))
    colors = dict(zip(acts, common.act_colors(len(acts)), strict=True))
    layers = np.arange(result.depth + 1)
    fields = (("mean", "lab.signal.mean", False), ("variance", "lab.signal.variance", True),
              ("second_moment", "lab.signal.second_moment", True))
    for ax, (field, key, log) in zip(axes, fields, strict=True):
        for run in result.runs:
            values = np.asarray(getattr(run, field), dtype=float)
            if log:
                values = np.where(values > 0, values, np.nan)
            label = f"{run.activation} · {run.init}"
            if run.status == common.DIVERGED:
                label += f" ({t('lab.diverged')})"
            ax.plot(layers, values, color=colors[run.activation], label=label,
                    linestyle=styles[inits.index(run.init) % len(styles)])
        if log:
            ax.set_yscale("log")
            ax.axhline(1.0, color="0.3", linestyle=":", linewidth=1)
        else:
            ax.axhline(0.0, color="0.3", linestyle=":", linewidth=1)
        ax.set_title(t(key))
        ax.set_xlabel(t("lab.signal.layer"))
        ax.set_xlim(0, result.depth)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside right center", fontsize="small")
    fig.suptitle(t("lab.signal.title", depth=result.depth, width=result.width,
                   input=t(f"lab.input.{result.input}")))
    return fig


# --------------------------------------------------------------------------- command line

def add_arguments(parser: Any) -> None:
    """Options of ``actviz lab signal`` (the common ones are added by the command)."""
    from ..checks import positive_int_arg as positive_int

    parser.add_argument("--depth", type=positive_int, default=50, help="layers (default: 50)")
    parser.add_argument("--width", type=positive_int, default=500,
                        help="units per layer (default: 500)")
    parser.add_argument("--init", nargs="+", choices=common.INIT_CHOICES, default=[common.AUTO],
                        help="weight initialisation(s); auto: xavier for sigmoid-like, lecun for "
                             "SELU, he otherwise (default: auto)")
    parser.add_argument("--batch", type=positive_int, default=512,
                        help="number of inputs (default: 512)")
    parser.add_argument("--input", choices=INPUTS, default="gaussian",
                        help="gaussian (standard normal) or digits (default: gaussian)")


SETTING_KEYS = ("acts", "init", "depth", "width", "batch", "input", "seed", "device", "threads",
                "lang")


def summary_lines(result: SignalResult, lang: str = "en") -> list[str]:
    """One line per run: mean, variance and second moment at the last layer."""
    return [_locales.text("lab.signal.summary", lang, act=r.activation, init=r.init,
                          depth=result.depth, mean=f"{r.mean[-1]:.3g}",
                          var=f"{r.variance[-1]:.3g}", m2=f"{r.second_moment[-1]:.3g}",
                          status=_locales.text(f"lab.status.{r.status}", lang))
            for r in result.runs]


def run_cli(args: Any) -> int:
    """Run ``actviz lab signal`` from parsed arguments; write PNG and JSON; return 0."""
    with common.progress_bar("signal", quiet=args.quiet) as progress:
        result = signal(args.acts, inits=args.init, depth=args.depth, width=args.width,
                        batch=args.batch, input=args.input, seed=args.seed, device=args.device,
                        progress=progress)
    with common.figure_context(args.lang):
        fig = draw_signal(result, lang=args.lang)
        paths = common.write_outputs(args.output, "signal", figures={"": fig}, results=result,
                                     settings=common.settings_from_args(args, SETTING_KEYS),
                                     seed=args.seed)
    common.report(summary_lines(result, args.lang), paths, quiet=args.quiet)
    return 0
