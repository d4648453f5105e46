"""The explorer page: Bokeh for the plot, plain HTML controls, a little JavaScript that swaps arrays.

Only :func:`render_page` is used from outside (by :mod:`actviz.explorer`).  The
page is one file: BokehJS inline (the core bundle only: no widgets, no
MathJax), the plot as a Bokeh JSON item, the data from
:func:`actviz.explorer.explorer_data` as JSON, and the script below.

Safety: every text that comes from the registry (names, explanations, labels:
users can register activations with any text) reaches the page only inside
JSON (with ``<``, ``>`` and ``&`` escaped) and is put into the page with
``textContent`` / ``Element.append(string)`` or drawn on Bokeh's canvas, never
parsed as HTML.  A Content-Security-Policy allows exactly the page's own
scripts (by hash), images from data: URIs and no connection at all, so even a
slip could neither run injected code nor load anything.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
from collections.abc import Mapping
from functools import cache
from importlib import resources
from string import Template
from typing import Any

from . import __version__, _locales

#: Category10: one colour per overlay slot.
COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
          "#7f7f7f", "#bcbd22", "#17becf")

FONTS = {
    "en": '"Segoe UI", "Helvetica Neue", Helvetica, Arial, "DejaVu Sans", sans-serif',
    "ja": '"IPAexGothic", "Hiragino Kaku Gothic ProN", "Hiragino Sans", "Yu Gothic", '
          'Meiryo, "Noto Sans CJK JP", "Noto Sans JP", sans-serif',
}

#: UI keys (``html.*`` in locales/ui.<lang>.json) the script reads.
UI_KEYS = (
    "title", "subtitle", "activations", "filter", "derivative", "saturated", "dead", "overlaid",
    "clear", "remove", "too_many", "pick", "parameters", "no_parameters", "one_at_a_time",
    "not_allowed", "formula", "derivative_heading", "numerical_derivative", "explanation",
    "regions_heading", "saturated_on", "dead_on", "nowhere", "default_marker", "allowed", "reset", "noscript", "footer", "focus",
    "none_selected", "unavailable",
)


def _ui(lang: str) -> dict[str, str]:
    strings = {key: _locales.text(f"html.{key}", lang) for key in UI_KEYS}
    for key in ("properties", "references", "yes", "no"):
        strings[key] = _locales.text(key, lang)
    return strings


def _family_labels(families: list[str], lang: str) -> dict[str, str]:
    labels = {}
    for family in families:
        key = f"html.family.{family}"
        label = _locales.text(key, lang)
        labels[family] = family if label == key else label
    return labels


def _json_for_script(value: Any) -> str:
    """JSON that is safe inside a <script> element: no '<', '>' or '&' characters at all."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _plot_item(data: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The Bokeh figure (empty slots that the script fills) as a JSON item."""
    from bokeh.embed import json_item
    from bokeh.models import ColumnDataSource, Legend, LegendItem, Range1d, Span
    from bokeh.plotting import figure

    lo, hi = data["xlim"]
    font = FONTS[lang]
    plot = figure(
        name="plot", x_range=Range1d(lo, hi, name="x_range"),
        y_range=Range1d(-1.5, 1.5, name="y_range"), sizing_mode="stretch_width", height=520,
        tools="pan,wheel_zoom,box_zoom,reset,save", toolbar_location="above",
        x_axis_label="x", y_axis_label="y", output_backend="canvas")
    plot.toolbar.logo = None
    for axis in (plot.xaxis[0], plot.yaxis[0]):
        axis.axis_label_text_font = font
        axis.axis_label_text_font_style = "italic"
        axis.major_label_text_font = font
    plot.add_layout(Span(location=0, dimension="width", line_color="#888", line_width=1))
    plot.add_layout(Span(location=0, dimension="height", line_color="#888", line_width=1))
    slots = data["max_overlays"]
    colors = [COLORS[k % len(COLORS)] for k in range(slots)]
    # one row per overlay slot; the script swaps the arrays of a row
    curves = ColumnDataSource({"xs": [[] for _ in colors], "ys": [[] for _ in colors],
                               "dys": [[] for _ in colors], "color": colors}, name="curves")
    # saturated and dead pieces of the curves, drawn as a highlighter under them
    for kind, style in (("saturated", {"line_width": 12, "line_alpha": 0.35}),
                        ("dead", {"line_width": 7, "line_alpha": 0.75, "line_dash": [2, 3],
                                  "line_cap": "butt"})):
        source = ColumnDataSource({"xs": [], "ys": [], "color": []}, name=f"{kind}-source")
        plot.multi_line("xs", "ys", source=source, line_color="color", visible=False,
                        name=kind, **style)
    f = plot.multi_line("xs", "ys", source=curves, line_width=2.5, line_color="color", name="f")
    plot.multi_line("xs", "dys", source=curves, line_width=2, line_color="color",
                    line_dash="dashed", visible=False, name="df")
    items = []
    for slot in range(slots):
        items.append(LegendItem(label="", renderers=[f], index=slot, visible=False,
                                name=f"legend-f-{slot}"))
    legend = Legend(items=items, location="top_left", name="legend", label_text_font=font,
                    label_text_font_size="12px", background_fill_alpha=0.85, spacing=1,
                    padding=6, click_policy="none")
    plot.add_layout(legend)
    return json_item(plot)


def _bokeh_js() -> str:
    from bokeh.resources import Resources

    return "\n".join(Resources(mode="inline", components=["bokeh"]).js_raw[:1])


@cache
def _asset(name: str) -> str:
    """A file of the page shipped beside this module: ``actviz/page/<name>``."""
    return (resources.files("actviz") / "page" / name).read_text(encoding="utf-8")


def eps_text(eps: float) -> str:
    """The saturation threshold as the page writes it: 10⁻³ for 1e-3, else like 0.005."""
    exponent = round(math.log10(eps)) if eps > 0 else 0
    if eps > 0 and math.isclose(eps, 10.0 ** exponent, rel_tol=1e-12):
        return "10" + str(exponent).translate(_SUPERSCRIPTS)
    return f"{eps:g}"


_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def render_page(data: Mapping[str, Any]) -> str:
    """The whole page for ``data`` (from :func:`actviz.explorer.explorer_data`).

    ``page/explorer.html`` is the page (``${name}`` fields, filled with escaped
    text), ``page/explorer.css`` its style and ``page/explorer.js`` the script
    (see :mod:`actviz.explorer` for the data it reads).
    """
    lang = data["lang"]
    ui = _ui(lang)
    families = list(dict.fromkeys(e["family"] for e in data["entries"]))
    eps = eps_text(data["eps"])
    page_data = {
        **data, "ui": ui, "colors": list(COLORS), "families": families,
        "family_labels": _family_labels(families, lang), "eps_text": eps,
    }
    data_json = _json_for_script(page_data)
    plot_json = _json_for_script(_plot_item(data, lang))
    bokeh_js = _bokeh_js().replace("</script", "<\\/script")
    app_js = _asset("explorer.js")
    csp = ("default-src 'none'; "
           f"script-src {_sha256(bokeh_js)} {_sha256(app_js)}; "
           "style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; "
           "base-uri 'none'; form-action 'none'")
    e = html.escape
    text = {key: e(ui[key]) for key in ("title", "subtitle", "noscript", "activations", "filter",
                                        "derivative", "dead", "overlaid", "clear")}
    return Template(_asset("explorer.html")).substitute(
        **text, lang=e(lang), csp=e(csp), version=e(__version__),
        saturated=e(ui["saturated"].format(eps=eps)),
        footer=e(ui["footer"].format(version=__version__)),
        css=_asset("explorer.css").replace("__FONT__", FONTS[lang]),  # raw text: never escaped
        data_json=data_json, plot_json=plot_json, bokeh_js=bokeh_js, app_js=app_js)
