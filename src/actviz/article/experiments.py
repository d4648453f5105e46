"""The lab runs the article quotes, written into ``lab/`` exactly as ``actviz lab ...`` writes them.

Each run calls the lab's library functions (``gradflow.gradflow``,
``dead.born_dead``, ``dead.dying_in_training``, ``train.run_training``,
``speed.measure_speed``), draws with the lab's own drawing functions and writes
PNG + JSON with :func:`actviz.lab.common.write_outputs`, with the settings the
command line would record.  :func:`command_line` gives the equivalent
``actviz lab`` command for the article.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

#: The post's activations.
POST_ACTS = ("sigmoid", "tanh", "relu", "leaky_relu:negative_slope=0.1")
DEAD_ACTS = ("relu", "leaky_relu:negative_slope=0.1")

#: Small settings (the default run: well under two minutes on a busy 2-core machine).
SMALL: dict[str, dict[str, Any]] = {
    "gradflow": {"acts": ["sigmoid", "tanh", "relu"], "init": ["auto", "xavier"], "depth": 10,
                 "width": 128, "input": "digits", "batch": 256, "steps": 20, "lr": 0.05},
    "speed": {"acts": list(POST_ACTS), "size": 1_000_000, "repeats": 15, "warmup": 2,
              "backends": ["torch", "numpy"]},
    "dead": {"acts": list(DEAD_ACTS), "depths": [1, 2, 5, 10, 20], "widths": [2, 4, 8, 16],
             "trials": 200, "inputs": 128, "in_features": 1, "bias": "normal",
             "lrs": [0.01, 0.1, 0.5, 1.0], "epochs": 10, "depth": 4, "width": 64, "batch": 32,
             "init": "he"},
    "train": {"acts": list(POST_ACTS), "data": "digits", "depth": 2, "width": 64,
              "init": "glorot", "optimizer": "adam", "lr": 1e-3, "epochs": 10,
              "batch_size": 32, "seeds": 5, "target": None,
              "compare": ["relu", "leaky_relu:negative_slope=0.1"]},
}

#: ``--full``: the lab's own defaults (the activations stay the post's).
FULL: dict[str, dict[str, Any]] = {
    "gradflow": {**SMALL["gradflow"], "steps": 100},
    "speed": {**SMALL["speed"], "repeats": 15, "warmup": 3},
    "dead": {**SMALL["dead"], "depths": [1, 2, 5, 10, 20, 50], "widths": [2, 3, 4, 8, 16, 32],
             "trials": 500},
    "train": {**SMALL["train"], "epochs": 20},
}

EXPERIMENTS = ("gradflow", "speed", "dead", "train")

#: The steps of the lab part, in order, with their progress labels.
STEPS = (("gradflow", "lab gradflow"), ("speed", "lab speed"), ("dead-born", "lab dead: born"),
         ("dead-training", "lab dead: training"), ("train", "lab train"))

Progress = Callable[[int, int], None]


def settings_for(full: bool, overrides: Mapping[str, Mapping[str, Any]] | None = None
                 ) -> dict[str, dict[str, Any]]:
    """The lab settings of a run: SMALL (or FULL), each experiment updated by ``overrides``."""
    base = FULL if full else SMALL
    out = {name: dict(values) for name, values in base.items()}
    for name, values in (overrides or {}).items():
        if name not in out:
            from ..errors import ActvizError

            raise ActvizError(f"unknown experiment {name!r} in settings; choose one of "
                              f"{', '.join(out)}")
        out[name].update(values)
    return out


def _fmt_value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def command_line(name: str, settings: Mapping[str, Any], *, seed: int, lang: str) -> str:
    """The ``actviz lab`` command that writes the same files (``-o lab``)."""
    s = settings
    words = ["actviz", "lab", name, "--acts", *s["acts"]]
    options: list[tuple[str, Any]]
    if name == "gradflow":
        options = [("--init", s["init"]), ("--depth", s["depth"]), ("--width", s["width"]),
                   ("--input", s["input"]), ("--batch", s["batch"]), ("--steps", s["steps"]),
                   ("--lr", s["lr"])]
    elif name == "speed":
        options = [("--size", s["size"]), ("--repeats", s["repeats"]),
                   ("--warmup", s["warmup"]), ("--backend", s["backends"])]
    elif name == "dead":
        options = [("--depths", s["depths"]), ("--widths", s["widths"]),
                   ("--trials", s["trials"]), ("--inputs", s["inputs"]),
                   ("--in-features", s["in_features"]), ("--bias", s["bias"]),
                   ("--lrs", s["lrs"]), ("--epochs", s["epochs"]), ("--depth", s["depth"]),
                   ("--width", s["width"]), ("--batch", s["batch"]), ("--init", s["init"])]
    else:
        options = [("--data", s["data"]), ("--depth", s["depth"]), ("--width", s["width"]),
                   ("--init", s["init"]), ("--optimizer", s["optimizer"]), ("--lr", s["lr"]),
                   ("--epochs", s["epochs"]), ("--batch-size", s["batch_size"]),
                   ("--seeds", s["seeds"]), ("--compare", s["compare"])]
        if s.get("target") is not None:
            options.append(("--target", s["target"]))
    for flag, value in options:
        words.append(flag)
        words += [_fmt_value(v) for v in value] if isinstance(value, list) else [_fmt_value(value)]
    words += ["--seed", str(seed), "--lang", lang, "-o", "lab"]
    return " ".join(words)


def run_all(folder: Path, settings: Mapping[str, Mapping[str, Any]], *, lang: str, seed: int,
            device: str, step: Callable[[str], Progress]) -> dict[str, Any]:
    """Run every experiment, write ``folder/<stem>.{png,json}``; return the JSON as read back.

    ``step(key)`` is called as each step starts (keys of :data:`STEPS`) and returns
    the ``(done, total)`` callback for that step.
    """
    from ..lab import common, dead, gradflow, speed, train

    threads = 1
    out: dict[str, Any] = {}
    with common.torch_threads(threads):
        s = settings["gradflow"]
        result = gradflow.gradflow(s["acts"], inits=s["init"], depth=s["depth"],
                                   width=s["width"], input=s["input"], batch=s["batch"],
                                   steps=s["steps"], lr=s["lr"], seed=seed, device=device,
                                   progress=step("gradflow"))
        recorded = {**s, "seed": seed, "device": device, "threads": threads, "lang": lang}
        with common.figure_context(lang):
            fig = gradflow.draw_gradflow(result, lang=lang)
            common.write_outputs(folder, "gradflow", figures={"": fig}, results=result,
                                 settings={k: recorded[k] for k in gradflow.SETTING_KEYS},
                                 seed=seed)

        s = settings["speed"]
        results = speed.measure_speed(s["acts"], size=s["size"], repeats=s["repeats"],
                                      warmup=s["warmup"], device=common.resolve_device(device),
                                      backends=s["backends"], seed=seed, progress=step("speed"))
        with common.figure_context(lang):
            fig = speed.draw_speed(results, lang)
            common.write_outputs(folder, "speed", figures={"": fig}, results=results.as_dict(),
                                 settings={**results.settings, "lang": lang}, seed=seed)

        s = settings["dead"]
        born = dead.born_dead(s["acts"], depths=s["depths"], widths=s["widths"],
                              trials=s["trials"], inputs=s["inputs"],
                              in_features=s["in_features"], bias=s["bias"], seed=seed,
                              device=device, progress=step("dead-born"))
        training = dead.dying_in_training(s["acts"], lrs=s["lrs"], epochs=s["epochs"],
                                          depth=s["depth"], width=s["width"], batch=s["batch"],
                                          init=s["init"], seed=seed, device=device,
                                          progress=step("dead-training"))
        recorded = {**s, "part": "both", "seed": seed, "device": device, "threads": threads,
                    "lang": lang}
        keys = ["acts", "part", "seed", "device", "threads", "lang", *dead.BORN_KEYS,
                *dead.TRAINING_KEYS]
        with common.figure_context(lang):
            figures = {"-born": dead.draw_born_dead(born, lang=lang),
                       "-training": dead.draw_dying(training, lang=lang)}
            paths = common.write_outputs(folder, "dead", figures=figures,
                                         results={"born": born, "training": training},
                                         settings={k: recorded[k] for k in keys}, seed=seed)
        from .._io import write_text

        write_text(paths[0].parent / "dead-born.md", dead.born_dead_table(born, lang))

        s = settings["train"]
        results = train.run_training(
            s["acts"], data=s["data"], depth=s["depth"], width=s["width"], init=s["init"],
            optimizer=s["optimizer"], lr=s["lr"], epochs=s["epochs"],
            batch_size=s["batch_size"], seeds=s["seeds"], seed=seed, target=s["target"],
            compare=s["compare"], device=common.resolve_device(device), num_threads=threads,
            progress=step("train"))
        with common.figure_context(lang):
            fig = train.draw_training(results, lang)
            common.write_outputs(folder, "train", figures={"": fig},
                                 results=results.as_dict(lang),
                                 settings={**results.settings, "acts": s["acts"], "lang": lang},
                                 seed=seed)
    for stem in EXPERIMENTS:
        out[stem] = json.loads((folder / f"{stem}.json").read_text(encoding="utf-8"))
    return out


__all__ = ["EXPERIMENTS", "FULL", "POST_ACTS", "SMALL", "STEPS", "command_line", "run_all",
           "settings_for"]
