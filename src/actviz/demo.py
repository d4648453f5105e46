"""The demo: the blog post's figures, then the phenomena it describes, in English and Japanese.

``write_demo(folder)`` writes:

- ``classic_1_sigmoid_tanh.png``, ``classic_2_relu.png``, ``classic_3_leaky_relu.png``:
  the post's three figures in its own style;
- ``vanishing_gradient[_ja].png``: sigmoid and tanh with f' and the saturated regions
  (|f'| < 1e-3) where the gradient vanishes (勾配消失);
- ``dying_relu[_ja].png``: ReLU and Leaky ReLU (slope 0.1) with f' and ReLU's dead region
  (f' = 0) where units die (死んだReLU);
- ``leaky_relu_sweep.png``: Leaky ReLU for slopes 0.01, 0.1, 0.3.
"""

from __future__ import annotations

import os
from pathlib import Path

from ._io import ensure_dir

# (file stem, specs, options) for the phenomenon figures.
PHENOMENA = (
    ("vanishing_gradient", ["sigmoid", "tanh"], {"derivative": True, "regions": True}),
    ("dying_relu", ["relu", "leaky_relu:negative_slope=0.1"],
     {"derivative": True, "regions": True, "xlim": (-5, 5)}),
)
SWEEP = ("leaky_relu_sweep", "leaky_relu", {"negative_slope": [0.01, 0.1, 0.3]})


def write_demo(folder: str | os.PathLike[str] = "figures") -> list[Path]:
    """Write the demo figures (PNG) into ``folder`` (created if needed); return the paths."""
    from .plotting import figures
    from .plotting.classic import save_classic

    out = ensure_dir(folder)
    paths = list(save_classic(out, format="png"))
    for lang in ("en", "ja"):
        suffix = "" if lang == "en" else "_ja"
        for stem, specs, options in PHENOMENA:
            fig = figures.figure(specs, lang=lang, **options)
            paths.append(figures.save(fig, out / f"{stem}{suffix}.png"))
    stem, spec, sweep = SWEEP
    fig = figures.figure(spec, sweep=sweep, xlim=(-5, 5))
    paths.append(figures.save(fig, out / f"{stem}.png"))
    return paths
