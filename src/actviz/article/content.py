"""The article's content, in the post's order: text from ``locales/post.<lang>.json``, numbers
from the lab JSON (through :class:`~actviz.article.numbers.Quotes`), figures with their code.

:func:`figure_jobs` lists every figure the article shows with the call that draws
it; the same call is both run (by :mod:`actviz.article`) and printed as the
article's code block, so the code shown is the code that made the figure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from .. import __version__, registry
from .._locales import check_lang
from .numbers import Quotes

LEAKY = "leaky_relu:negative_slope=0.1"
SLOPES = [0, 0.05, 0.1, 0.2, 0.3]


@cache
def templates(lang: str) -> dict[str, Any]:
    """The article's text templates for ``lang`` (``locales/post.<lang>.json``)."""
    path = resources.files("actviz") / "locales" / f"post.{check_lang(lang)}.json"
    return json.loads(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- code

def _call(function: str, args: list[Any], kwargs: dict[str, Any], indent: str = "") -> str:
    """``function(arg, ..., key=value, ...)`` as Python source, wrapped at 88 columns."""
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    line = f"{indent}{function}({', '.join(parts)})"
    if len(line) <= 88:
        return line
    inner = indent + " " * 4
    return f"{indent}{function}(\n" + "".join(f"{inner}{p},\n" for p in parts) + f"{indent})"


def _wrap_command(command: str, width: int = 80) -> str:
    """A shell command broken before options with backslashes, lines up to ``width``."""
    lines: list[str] = []
    line = ""
    for word in command.split(" "):
        if line and word.startswith("-") and len(line) + 1 + len(word) > width - 2:
            lines.append(line + " \\")
            line = "    " + word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "\n".join(lines)


@dataclass(frozen=True)
class FigureJob:
    """One figure of the article: where it goes, and the actviz call that draws it."""

    path: str                      # relative to the article's folder
    specs: Any
    options: dict[str, Any] = field(default_factory=dict)
    animate: tuple[str, list] | None = None   # (param, values) for an animation

    def code(self) -> str:
        if self.animate is not None:
            param, values = self.animate
            return (_call("anim = actviz.animate", [self.specs, param, values], self.options)
                    + f"\nsave_animation(anim, {self.path!r})")
        return (_call("fig = actviz.figure", [self.specs], self.options)
                + f"\nfig.savefig({self.path!r})")


def figure_jobs(lang: str) -> dict[str, FigureJob]:
    """The article's own figures (the lab's figures come from the lab runs)."""
    return {
        "sigmoid_tanh": FigureJob("figures/vanishing_gradient.png", ["sigmoid", "tanh"],
                                  {"derivative": True, "regions": True, "lang": lang}),
        "relu": FigureJob("figures/relu_dead_region.png", "relu",
                          {"derivative": True, "regions": True, "xlim": (-5, 5), "lang": lang}),
        "leaky": FigureJob("figures/leaky_relu_slope.gif", "leaky_relu",
                           {"derivative": True, "regions": True, "xlim": (-5, 5), "lang": lang},
                           animate=("negative_slope", SLOPES)),
        "vs": FigureJob("figures/relu_vs_leaky_relu.png", ["relu", LEAKY],
                        {"derivative": True, "regions": True, "xlim": (-5, 5), "lang": lang}),
    }


def setup_code(lang: str) -> str:
    t = templates(lang)
    return ("import os\n\nimport actviz\nfrom actviz.plotting.animate import save_animation\n\n"
            f"{t['code_setup_comment']}\n"
            'os.makedirs("figures", exist_ok=True)\nos.makedirs("rerun", exist_ok=True)')


def lab_code(name: str, s: dict[str, Any], *, seed: int, lang: str) -> str:
    """Python that runs one lab experiment with the article's settings and draws its figure."""
    t = templates(lang)
    head = t["code_rerun_comment"]
    if name == "gradflow":
        run = _call("result = gradflow.gradflow", [s["acts"]],
                    {"inits": s["init"], "depth": s["depth"], "width": s["width"],
                     "input": s["input"], "batch": s["batch"], "steps": s["steps"],
                     "lr": s["lr"], "seed": seed})
        draw = [f"fig = gradflow.draw_gradflow(result, lang={lang!r})"]
        saves = ['common.save_figure(fig, "rerun/gradflow.png")']
        imports = "from actviz.lab import common, gradflow"
    elif name == "speed":
        run = _call("result = speed.measure_speed", [s["acts"]],
                    {"size": s["size"], "repeats": s["repeats"], "warmup": s["warmup"],
                     "backends": s["backends"], "seed": seed})
        draw = [f"fig = speed.draw_speed(result, {lang!r})"]
        saves = ['common.save_figure(fig, "rerun/speed.png")']
        imports = "from actviz.lab import common, speed"
    elif name == "dead":
        born = _call("born = dead.born_dead", [s["acts"]],
                     {"depths": s["depths"], "widths": s["widths"], "trials": s["trials"],
                      "inputs": s["inputs"], "in_features": s["in_features"],
                      "bias": s["bias"], "seed": seed})
        training = _call("training = dead.dying_in_training", [s["acts"]],
                         {"lrs": s["lrs"], "epochs": s["epochs"], "depth": s["depth"],
                          "width": s["width"], "batch": s["batch"], "init": s["init"],
                          "seed": seed})
        run = born + "\n" + training
        draw = [f"fig_born = dead.draw_born_dead(born, lang={lang!r})",
                f"fig_training = dead.draw_dying(training, lang={lang!r})"]
        saves = ['common.save_figure(fig_born, "rerun/dead-born.png")',
                 'common.save_figure(fig_training, "rerun/dead-training.png")']
        imports = "from actviz.lab import common, dead"
    else:
        run = _call("result = train.run_training", [s["acts"]],
                    {"data": s["data"], "depth": s["depth"], "width": s["width"],
                     "init": s["init"], "optimizer": s["optimizer"], "lr": s["lr"],
                     "epochs": s["epochs"], "batch_size": s["batch_size"], "seeds": s["seeds"],
                     "seed": seed, "compare": s["compare"]})
        draw = [f"fig = train.draw_training(result, {lang!r})"]
        saves = ['common.save_figure(fig, "rerun/train.png")']
        imports = "from actviz.lab import common, train"
    body = "\n".join("    " + line for line in draw + saves)
    return f"{head}\n{imports}\n\n{run}\nwith common.figure_context({lang!r}):\n{body}"


# --------------------------------------------------------------------------- numbers

def quote_numbers(q: Quotes) -> dict[str, str]:
    """Every number the text quotes, read from the lab JSON (and recorded in ``q``)."""
    n: dict[str, str] = {}
    R = "results"
    # gradflow: ratio of the first to the last layer's gradient at initialisation
    for key, act, init in (("gf_sig", "sigmoid", "xavier"), ("gf_tanh", "tanh", "xavier"),
                           ("gf_relu", "relu", "he"), ("gf_relu_xavier", "relu", "xavier")):
        run = [R, "runs", {"activation": act, "init": init}, "initial", "grad_norm"]
        n[key] = q.quote(key, "gradflow", [*run, 0], [*run, -1], op="ratio", fmt="sci2")
    for key in ("depth", "width", "batch", "steps", "seed"):
        n[f"gf_{key}"] = q.quote(f"gf_{key}", "gradflow", [R, key], fmt="d")
    n["gf_relu_sparse"] = q.quote("gf_relu_sparse", "gradflow",
                                  [R, "runs", {"activation": "relu", "init": "he"}, "initial",
                                   "flat_fraction"], op="mean", scale=100, fmt=".0f")
    n["gf_sig_flat"] = q.quote("gf_sig_flat", "gradflow",
                               [R, "runs", {"activation": "sigmoid", "init": "xavier"},
                                "initial", "flat_fraction"], op="mean", fmt="sci2")
    # speed: forward + backward relative to ReLU
    leaky_label = registry.get(LEAKY).label
    for backend, prefix in (("torch", "sp_"), ("numpy", "sp_np_")):
        for key, label in (("tanh", "tanh"), ("sig", "sigmoid"), ("leaky", leaky_label),
                           ("copy", "copy")):
            name = f"{prefix}{key}"
            if name == "sp_np_copy":
                continue  # not quoted: the text compares with the copy in PyTorch only
            n[name] = q.quote(name, "speed",
                              [R, backend, {"label": label}, "forward_backward_samples"],
                              [R, backend, {"label": "relu"}, "forward_backward_samples"],
                              op="minratio", fmt=".2f")
    n["sp_size"] = q.quote("sp_size", "speed", ["settings", "size"], fmt=",d")
    n["sp_repeats"] = q.quote("sp_repeats", "speed", ["settings", "repeats"], fmt="d")
    # dead: born dead
    born = [R, "born"]
    n["bd_trials"] = q.quote("bd_trials", "dead", [*born, "trials"], fmt="d")
    n["bd_inputs"] = q.quote("bd_inputs", "dead", [*born, "inputs"], fmt="d")
    n["bd_depth_max"] = q.quote("bd_depth_max", "dead", [*born, "depths", -1], fmt="d")
    n["bd_width_min"] = q.quote("bd_width_min", "dead", [*born, "widths", 0], fmt="d")
    n["bd_width_max"] = q.quote("bd_width_max", "dead", [*born, "widths", -1], fmt="d")
    n["bd_p_nd"] = q.quote("bd_p_nd", "dead", [*born, "probability", "relu", -1, 0],
                           scale=100, fmt=".1f")
    n["bd_p_wide"] = q.quote("bd_p_wide", "dead", [*born, "probability", "relu", "*", -1],
                             op="max", scale=100, fmt=".1f")
    n["bd_leaky_max"] = q.quote("bd_leaky_max", "dead",
                                [*born, "probability", leaky_label, "*", "*"], op="max",
                                scale=100, fmt=".1f")
    # dead: dying in training
    tr = [R, "training"]
    for key in ("epochs", "depth", "width", "seed"):
        n[f"dy_{key}"] = q.quote(f"dy_{key}", "dead", [*tr, key], fmt="d")
    lrs = q.raw("dead", [*tr, "lrs"])
    n["dy_lr_lo"] = q.quote("dy_lr_lo", "dead", [*tr, "lrs", 0], fmt="g")
    n["dy_lr_hi"] = q.quote("dy_lr_hi", "dead", [*tr, "lrs", -1], fmt="g")
    for act, label in (("relu", "relu"), ("leaky", leaky_label)):
        for end, lr in (("lo", lrs[0]), ("hi", lrs[-1])):
            run = [*tr, "runs", {"activation": label, "lr": lr}]
            if q.raw("dead", [*run, "status"]) != "ok":
                n[f"dy_{act}_{end}_epoch"] = q.quote(f"dy_{act}_{end}_epoch", "dead",
                                                     [*run, "diverged_epoch"], fmt="d")
                continue
            n[f"dy_{act}_{end}_dead"] = q.quote(f"dy_{act}_{end}_dead", "dead",
                                                [*run, "dead", -1], op="max", scale=100,
                                                fmt=".0f")
            n[f"dy_{act}_{end}_acc"] = q.quote(f"dy_{act}_{end}_acc", "dead",
                                               [*run, "test_accuracy", -1], scale=100,
                                               fmt=".1f")
    _quote_mid(q, n, tr, lrs, leaky_label)
    # train: paired comparison
    c = [R, "comparison"]
    n["tr_acc_relu"] = q.quote("tr_acc_relu", "train", [*c, "mean_a"], scale=100, fmt=".2f")
    n["tr_acc_leaky"] = q.quote("tr_acc_leaky", "train", [*c, "mean_b"], scale=100, fmt=".2f")
    n["tr_diff"] = q.quote("tr_diff", "train", [*c, "mean_difference"], scale=100, fmt="+.2f")
    n["tr_low"] = q.quote("tr_low", "train", [*c, "low"], scale=100, fmt="+.2f")
    n["tr_high"] = q.quote("tr_high", "train", [*c, "high"], scale=100, fmt="+.2f")
    p_fmt = ".2f" if q.raw("train", [*c, "p_value"]) >= 0.01 else "sci2"
    n["tr_p"] = q.quote("tr_p", "train", [*c, "p_value"], fmt=p_fmt)
    n["tr_n"] = q.quote("tr_n", "train", [*c, "n"], fmt="d")
    n["tr_alpha"] = q.quote("tr_alpha", "train", [*c, "alpha"], scale=100, fmt="g")
    for key, label in (("tr_acc_sig", "sigmoid"), ("tr_acc_tanh", "tanh")):
        n[key] = q.quote(key, "train", [R, "runs", {"label": label}, "final_test_accuracy",
                                        "mean"], scale=100, fmt=".2f")
    n["tr_seeds"] = q.quote("tr_seeds", "train", ["settings", "seeds"], fmt="list")
    for key, field_ in (("tr_depth", "depth"), ("tr_width", "width"), ("tr_epochs", "epochs"),
                        ("tr_batch", "batch_size"), ("tr_train", "train_size"),
                        ("tr_test", "test_size")):
        n[key] = q.quote(key, "train", ["settings", field_], fmt="d")
    n["tr_lr"] = q.quote("tr_lr", "train", ["settings", "lr"], fmt="g")
    return n


def _quote_mid(q: Quotes, n: dict[str, str], tr: list[Any], lrs: list[float],
               leaky_label: str) -> None:
    """The learning rate (not the largest) where ReLU lost the most units while both ReLU
    and Leaky ReLU trained: there the cure shows.  Nothing is quoted if no ReLU unit died."""
    def run(label: str, lr: float) -> list[Any]:
        return [*tr, "runs", {"activation": label, "lr": lr}]

    candidates = [i for i, lr in enumerate(lrs[:-1])
                  if q.raw("dead", [*run("relu", lr), "status"]) == "ok"
                  and q.raw("dead", [*run(leaky_label, lr), "status"]) == "ok"]
    if not candidates:
        return
    worst = max(candidates, key=lambda i: (q.raw("dead", [*run("relu", lrs[i]), "dead", -1],
                                                 op="max"), i))
    lr = lrs[worst]
    if q.raw("dead", [*run("relu", lr), "dead", -1], op="max") <= 0.05:
        return
    n["dy_lr_mid"] = q.quote("dy_lr_mid", "dead", [*tr, "lrs", worst], fmt="g")
    for act, label in (("relu", "relu"), ("leaky", leaky_label)):
        n[f"dy_{act}_mid_dead"] = q.quote(f"dy_{act}_mid_dead", "dead",
                                          [*run(label, lr), "dead", -1], op="max", scale=100,
                                          fmt=".0f")
        n[f"dy_{act}_mid_acc"] = q.quote(f"dy_{act}_mid_acc", "dead",
                                         [*run(label, lr), "test_accuracy", -1], scale=100,
                                         fmt=".1f")
    better = (q.raw("dead", [*run(leaky_label, lr), "test_accuracy", -1])
              > q.raw("dead", [*run("relu", lr), "test_accuracy", -1]))
    n["_mid_better"] = "yes" if better else ""


# --------------------------------------------------------------------------- the article

def _fields(cells: list[str]) -> set[str]:
    import string

    return {name for cell in cells for _, name, _, _ in string.Formatter().parse(cell) if name}


def _formula(act: registry.BoundActivation) -> list[tuple]:
    latex = act.latex if "=" in act.latex else f"f(x) = {act.latex}"
    blocks = [("math", latex)]
    if act.latex_derivative:
        d = act.latex_derivative
        blocks.append(("math", d if "=" in d else f"f'(x) = {d}"))
    return blocks


def build(q: Quotes, *, lang: str, settings: dict[str, dict[str, Any]], seed: int,
          full: bool, commands: dict[str, str], command: str) -> tuple[str, list[tuple]]:
    """The article as ``(title, blocks)`` (see :mod:`actviz.article.document`)."""
    from ..lab import gradflow
    from ..sampling import SATURATION_EPS

    t = templates(lang)
    n = quote_numbers(q)
    n["eps_flat"] = f"{gradflow.FLAT_EPS:g}"
    n["eps_sat"] = f"{SATURATION_EPS:g}"
    n["slope_min"], n["slope_max"] = f"{min(SLOPES):g}", f"{max(SLOPES):g}"
    R = "results"
    inits = {"sigmoid": "xavier", "tanh": "xavier", "relu": "he"}
    ratio = {a: q.raw("gradflow", [R, "runs", {"activation": a, "init": i}, "initial",
                                   "grad_norm", 0],
                      [R, "runs", {"activation": a, "init": i}, "initial", "grad_norm", -1],
                      op="ratio") for a, i in inits.items()}
    speed = {k: q.raw("speed", [R, "torch", {"label": label}, "forward_backward_samples"],
                      [R, "torch", {"label": "relu"}, "forward_backward_samples"], op="minratio")
             for k, label in (("tanh", "tanh"), ("sigmoid", "sigmoid"),
                              ("leaky", registry.get(LEAKY).label))}
    significant = q.raw("train", [R, "comparison", "significant"])
    mean_diff = q.raw("train", [R, "comparison", "mean_difference"])
    labels = q.raw("train", [R, "comparison", "label_a"]), q.raw("train", [R, "comparison",
                                                                         "label_b"])
    n["tr_better"] = labels[0] if mean_diff > 0 else labels[1]
    leaky_diverged = "dy_leaky_hi_epoch" in n
    relu_alive_hi = "dy_relu_hi_dead" in n

    def f(key: str) -> str:
        return t[key].format(**n)

    space = "" if lang == "ja" else " "

    def join(*parts: str) -> str:
        return space.join(p for p in parts if p)

    jobs = figure_jobs(lang)
    leaky = registry.get(LEAKY)
    blocks: list[tuple] = [("h", 1, t["title"]), ("p", f("intro")),
                           ("p", join(f("run_full" if full else "run_small"),
                                       f("timing_note")))]

    def fig(key: str, alt: str, caption: str) -> list[tuple]:
        job = jobs[key]
        return [("code", "python", job.code()), ("img", job.path, f(alt), f(caption))]

    def lab(name: str) -> list[tuple]:
        return [("p", t["repro"]), ("code", "sh", _wrap_command(commands[name])),
                ("code", "python", lab_code(name, settings[name], seed=seed, lang=lang))]

    # what we want to do
    blocks += [("h", 2, t["h_goal"]), ("quote", t["quote_goal"]), ("p", f("goal_text")),
               ("code", "python", setup_code(lang))]
    # (1) sigmoid, tanh
    blocks += [("h", 2, t["h_sig"]), ("quote", t["quote_sig"]), ("p", f("sig_formulas"))]
    blocks += _formula(registry.get("sigmoid")) + _formula(registry.get("tanh"))
    blocks += fig("sigmoid_tanh", "sig_figure_alt", "sig_figure_caption")
    blocks += [("p", f("sig_figure_text")), ("p", f("sig_lab_intro")),
               ("ul", [r.format(**n) for r in t["sig_lab_rows"]]),
               ("img", "lab/gradflow.png", t["sig_lab_alt"], f("sig_lab_caption"))]
    sig_ok = ratio["sigmoid"] < 1e-2
    blocks.append(("p", join(f("sig_verdict_sigmoid_yes" if sig_ok
                               else "sig_verdict_sigmoid_no"), f("sig_saturation_note"))))
    tanh_partly = ratio["tanh"] > 0.1
    blocks.append(("p", join(f("sig_verdict_tanh_partly" if tanh_partly
                               else "sig_verdict_tanh_yes"), f("sig_cite"))))
    blocks += lab("gradflow")
    # (2) ReLU
    blocks += [("h", 2, t["h_relu"]), ("quote", t["quote_relu"])]
    blocks += _formula(registry.get("relu"))
    blocks += fig("relu", "relu_figure_alt", "relu_figure_caption")
    blocks += [("p", f("relu_grad")), ("p", f("relu_sparse")), ("p", f("relu_overfit")),
               ("p", f("relu_speed_intro")),
               ("ul", [r.format(**n) for r in t["relu_speed_rows"]])]
    cheap = min(speed["tanh"], speed["sigmoid"]) > 1.2
    blocks += [("p", f("relu_speed_yes" if cheap else "relu_speed_small")),
               ("img", "lab/speed.png", t["relu_speed_alt"], f("relu_speed_caption"))]
    blocks += lab("speed")
    born_zero = q.raw("dead", [R, "born", "probability", "relu", "*", -1], op="max") == 0
    leaky_zero = q.raw("dead", [R, "born", "probability", registry.get(LEAKY).label, "*", "*"],
                       op="max") == 0
    blocks += [("p", f("relu_dead_intro")), ("p", f("relu_born_zero" if born_zero
                                                    else "relu_born")),
               ("img", "lab/dead-born.png", t["relu_born_alt"], f("relu_born_caption"))]
    if relu_alive_hi and "dy_relu_lo_dead" in n:
        blocks.append(("p", f("relu_training")))
    blocks += [("img", "lab/dead-training.png", t["relu_training_alt"],
                f("relu_training_caption")), ("p", f("relu_dead_verdict"))]
    blocks += lab("dead")
    # (3) Leaky ReLU
    blocks += [("h", 2, t["h_leaky"]), ("quote", t["quote_leaky"]),
               ("p", f("leaky_formula_note"))]
    blocks += _formula(leaky)
    blocks += fig("leaky", "leaky_anim_alt", "leaky_anim_caption")
    text = ""
    if "dy_leaky_lo_dead" in n:
        text = f("leaky_evidence_zero" if leaky_zero else "leaky_evidence")
    blocks += [("p", f("leaky_anim_text")), ("p", text)]
    if "dy_lr_mid" in n:
        blocks.append(("p", join(f("leaky_mid"), f("leaky_mid_better" if n["_mid_better"]
                                                   else "leaky_mid_not_better"))))
    if leaky_diverged and relu_alive_hi:
        relu_learns = q.raw("dead", [R, "training", "runs", {"activation": "relu", "lr": q.raw(
            "dead", [R, "training", "lrs", -1])}, "test_accuracy", -1]) >= 0.5
        blocks.append(("p", join(f("leaky_hi_diverged"),
                                 "" if relu_learns else f("leaky_hi_neither"), f("leaky_adds"))))
    elif "dy_leaky_hi_dead" in n and relu_alive_hi:
        blocks.append(("p", f("leaky_hi_ok")))
    blocks.append(("p", f("leaky_cite")))
    # ReLU vs Leaky ReLU
    blocks += [("h", 2, t["h_vs"]), ("quote", t["quote_vs"])]
    blocks += fig("vs", "vs_figure_alt", "vs_figure_caption")
    blocks += [("p", f("vs_train_intro")), ("ul", [r.format(**n) for r in t["vs_train_rows"]]),
               ("p", join(f("vs_train_stats"),
                          f("vs_train_diff" if significant else "vs_train_same"))),
               ("img", "lab/train.png", t["vs_train_alt"], f("vs_train_caption"))]
    blocks += lab("train")
    speed_same = 0.8 < speed["leaky"] < 1.25
    blocks += [("p", join(f("vs_speed"), f("vs_speed_same" if speed_same else "vs_speed_diff"))),
               ("p", f("vs_advice"))]
    # summary
    n["v_sig"] = t["v_partly"] if (sig_ok and tanh_partly) else (
        t["v_holds"] if sig_ok else t["v_not_seen"])
    n["v_relu"] = t["v_holds"] if 0.5 < ratio["relu"] < 2 else t["v_not_seen"]
    n["v_speed"] = t["v_holds"] if cheap else t["v_smaller"]
    n["v_leaky"] = t["v_leaky_div"] if leaky_diverged else t["v_holds"]
    n["v_train"] = t["v_differs"] if significant else t["v_holds"]
    n["v_vs_speed"] = t["v_holds"] if speed_same else t["v_differs"]
    n["leaky_summary"] = f("summary_leaky_mid" if "dy_lr_mid" in n else "summary_leaky")
    rows = [[cell.format(**n) for cell in row] for row in t["summary_rows"]
            if all(key in n for key in _fields(row))]
    blocks += [("h", 2, t["h_summary"]), ("table", t["summary_header"], rows)]
    # how it was made, references
    torch_version = q.raw("gradflow", ["torch_version"])
    blocks += [("h", 2, t["h_repro"]),
               ("p", t["repro_text"].format(command=command, version=__version__,
                                            torch=torch_version)),
               ("h", 2, t["h_refs"]), ("ul", list(t["refs"]))]
    return t["title"], blocks


__all__ = ["FigureJob", "build", "figure_jobs", "lab_code", "quote_numbers", "setup_code",
           "templates"]
