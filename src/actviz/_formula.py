"""LaTeX formulas rendered offline with matplotlib's mathtext (no MathJax, no network)."""

from __future__ import annotations

import io

import numpy as np

#: Render resolution: twice the 100-dpi layout size, so formulas stay sharp on HiDPI screens.
DPI = 200
FONT_SIZE = 13
PADDING = 2


def render_png(latex: str, dpi: int = DPI, fontsize: float = FONT_SIZE) -> bytes:
    """``latex`` (mathtext, without $) as a small dark-on-transparent PNG; ValueError if it fails.

    ``dpi`` (default 200) sets the resolution, ``fontsize`` (default 12) the
    size in points, in the Computer Modern math font.  The glyph coverage is
    kept in 16 levels (4-bit palette PNG), so a formula takes a few kilobytes.
    """
    from matplotlib.font_manager import FontProperties
    from matplotlib.mathtext import MathTextParser
    from PIL import Image

    prop = FontProperties(size=fontsize, math_fontfamily="cm")
    try:
        parsed = MathTextParser("agg").parse(f"${latex}$", dpi=dpi, prop=prop)
    except ValueError as exc:  # mathtext parse errors span several lines
        raise ValueError(str(exc).strip().splitlines()[0] if str(exc).strip() else
                         "cannot parse") from None
    coverage = np.asarray(parsed.image, dtype=np.float64)
    if coverage.size == 0:
        raise ValueError("empty formula")
    coverage = _thicken_hairlines(coverage)
    levels = np.round(coverage / 255.0 * 15).astype(np.uint8)
    levels = np.pad(levels, PADDING)
    image = Image.fromarray(levels, mode="L").convert("P")
    # palette: index k = the text colour with opacity k/15
    palette = []
    for _ in range(16):
        palette.extend((17, 17, 17))
    image.putpalette(palette)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True, bits=4,
               transparency=bytes(round(k * 255 / 15) for k in range(16)))
    return out.getvalue()


def _thicken_hairlines(coverage: np.ndarray) -> np.ndarray:
    """Make one-pixel-tall horizontal strokes (minus signs, fraction bars) two pixels tall.

    The page shows the 200-dpi image at half size; a browser shrinking it may
    skip a one-pixel row entirely, and "x - t" would lose its minus.
    """
    padded = np.pad(coverage, ((1, 1), (0, 0)))
    above, below = padded[:-2], padded[2:]
    thin = (coverage > 96) & (above < 48) & (below < 48)
    out = coverage.copy()
    rows, cols = np.nonzero(thin[:-1])
    out[rows + 1, cols] = np.maximum(out[rows + 1, cols], coverage[rows, cols])
    return out
