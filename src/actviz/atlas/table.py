"""The properties table of the atlas: rows computed numerically, rendered as Markdown and HTML.

Every value in a row comes from :func:`actviz.properties.analyse` (the
numerical measurement the tests check against the declared properties), not
from copied text.  Nothing here imports matplotlib: thumbnails arrive as PNG
bytes (HTML, embedded as data URIs) or relative paths (Markdown).

Every text that reaches HTML goes through :func:`html.escape`; Markdown cells
are escaped too (``|``, ``<``, ``>``, ``&``, backticks), so a display name such
as ``<script>`` shows as text everywhere.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

from .._locales import check_lang, text
from .._text import latex_to_text
from ..properties import analyse
from ..registry import get

# The columns in table order: (key, locale key of the header).
COLUMNS = (
    ("thumbnail", "atlas.col.thumbnail"),
    ("name", "atlas.col.name"),
    ("formula", "atlas.col.formula"),
    ("derivative", "atlas.col.derivative"),
    ("range", "prop.range"),
    ("continuity", "prop.continuity"),
    ("monotonic", "prop.monotonic"),
    ("derivative_monotonic", "prop.derivative_monotonic"),
    ("identity_near_origin", "prop.identity_near_origin"),
    ("zero_centered", "prop.zero_centered"),
    ("saturates", "prop.saturates"),
    ("dead_region", "prop.dead_region"),
    ("f0", "atlas.col.f0"),
    ("df0", "atlas.col.df0"),
    ("torch_name", "atlas.col.torch"),
)


@dataclass(frozen=True)
class PropertyRow:
    """One activation's row: identity, formulas and its numerically measured properties.

    ``df0_left`` and ``df0_right`` are the one-sided limits of f' at 0 (they
    differ at a kink, e.g. ReLU: 0 and 1).  ``smoothness`` is -1 (jumps), 0
    (kink), 1 (f'' jumps) or inf; ``continuity`` its label ('C0', 'C∞', ...).
    """

    name: str
    display_name: str
    label: str
    spec: str
    family: str
    latex: str
    latex_derivative: str
    range: str
    range_low: float
    range_high: float
    smoothness: float
    continuity: str
    monotonic: bool
    derivative_monotonic: bool
    identity_near_origin: bool
    zero_centered: bool
    saturates: str
    dead_region: bool
    periodic: bool
    f0: float
    df0_left: float
    df0_right: float
    torch_name: str | None

    def as_dict(self) -> dict:
        return asdict(self)


def property_row(activation) -> PropertyRow:
    """Measure ``activation`` (spec or BoundActivation) and return its :class:`PropertyRow`."""
    act = get(activation)
    analysis = analyse(act)
    props = analysis.properties
    return PropertyRow(
        name=act.name,
        display_name=act.display_name,
        label=act.label,
        spec=act.spec,
        family=act.definition.family,
        latex=act.latex,
        latex_derivative=act.latex_derivative,
        range=str(props.range),
        range_low=props.range.low,
        range_high=props.range.high,
        smoothness=props.smoothness,
        continuity=props.continuity,
        monotonic=props.monotonic,
        derivative_monotonic=props.derivative_monotonic,
        identity_near_origin=props.identity_near_origin,
        zero_centered=props.zero_centered,
        saturates=props.saturates,
        dead_region=props.dead_region,
        periodic=props.periodic,
        f0=float(analysis.f0),
        df0_left=float(analysis.df0_left),
        df0_right=float(analysis.df0_right),
        torch_name=act.torch_name,
    )


def property_rows(activations: Sequence) -> list[PropertyRow]:
    """:func:`property_row` for each activation, in the given order."""
    return [property_row(a) for a in activations]


# --------------------------------------------------------------------------- formatting


NOISE = 1e-7  # |measured value| below this is finite-difference noise around 0


def format_number(value: float) -> str:
    """A measured number for a table: 4 significant digits; |v| < 1e-7 and '-0' as '0'; nan '–'."""
    if math.isnan(value):
        return "–"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if abs(value) < NOISE:
        return "0"
    text_value = f"{value:.4g}"
    return "0" if text_value in ("-0", "0") else text_value


def format_derivative_at_zero(row: PropertyRow) -> str:
    """f'(0) as one number, or 'left / right' one-sided limits where f' jumps at 0.

    Limits closer than 1e-6 (relative) are one value: the measurement beside 0
    differs by finite-difference noise only (Gaussian: +-2e-9).
    """
    left, right = row.df0_left, row.df0_right
    if abs(left - right) <= 1e-6 * max(1.0, abs(left), abs(right)):
        return format_number(0.5 * (left + right))
    return f"{format_number(left)} / {format_number(right)}"


def cell_values(row: PropertyRow, lang: str = "en") -> dict[str, str]:
    """The displayed text of every column except the thumbnail, in ``lang`` (unescaped)."""
    check_lang(lang)

    def yes_no(value: bool) -> str:
        return text("yes" if value else "no", lang)

    return {
        "name": row.label,
        "formula": latex_to_text(row.latex) if row.latex else "–",
        "derivative": latex_to_text(row.latex_derivative) if row.latex_derivative else "–",
        "range": row.range,
        "continuity": row.continuity if row.continuity != "discontinuous" else text(
            "atlas.discontinuous", lang),
        "monotonic": yes_no(row.monotonic),
        "derivative_monotonic": yes_no(row.derivative_monotonic),
        "identity_near_origin": yes_no(row.identity_near_origin),
        "zero_centered": yes_no(row.zero_centered),
        "saturates": text(f"side.{row.saturates}", lang),
        "dead_region": yes_no(row.dead_region),
        "f0": format_number(row.f0),
        "df0": format_derivative_at_zero(row),
        "torch_name": row.torch_name or "–",
    }


def headers(lang: str = "en") -> list[str]:
    """Column headers in ``lang``."""
    return [text(key, lang) for _, key in COLUMNS]


# --------------------------------------------------------------------------- Markdown


def _md_escape(value: str) -> str:
    """Escape a Markdown table cell: HTML specials, pipes, backticks; newlines become spaces."""
    value = html.escape(" ".join(str(value).split()), quote=False)
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`").replace(
        "*", "\\*").replace("_", "\\_")


def _md_code(value: str) -> str:
    """A formula as inline code in a table cell (pipes escaped, as GitHub tables need)."""
    if not value:
        return "–"
    value = " ".join(str(value).split()).replace("`", "'").replace("|", "\\|")
    return f"`{value}`"


def render_markdown(rows: Sequence[PropertyRow], lang: str = "en",
                    thumbnails: Mapping[str, str] | None = None) -> str:
    """The table as GitHub-flavoured Markdown.

    ``thumbnails`` maps an activation's spec (or name) to a relative image path (default: none,
    the column stays empty); ``lang`` 'en' or 'ja' for headers and yes/no.
    """
    check_lang(lang)
    thumbnails = thumbnails or {}
    lines = [f"# {_md_escape(text('atlas.table_title', lang))}", "",
             _md_escape(text("atlas.table_note", lang)), ""]
    lines.append("| " + " | ".join(_md_escape(h) for h in headers(lang)) + " |")
    lines.append("|" + "|".join("---" for _ in COLUMNS) + "|")
    for row in rows:
        values = cell_values(row, lang)
        cells = []
        for key, _ in COLUMNS:
            if key == "thumbnail":
                path = thumbnails.get(row.spec) or thumbnails.get(row.name)
                alt = _md_escape(row.display_name).replace("[", "\\[").replace("]", "\\]")
                cells.append(f"![{alt}]({path.replace(' ', '%20')})" if path else "")
            elif key == "name":
                cells.append(f"{_md_escape(row.display_name)}<br>{_md_code(values[key])}")
            elif key == "torch_name" and row.torch_name:
                cells.append(_md_code(values[key]))
            else:
                cells.append(_md_escape(values[key]))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- HTML

_LATEX = {"formula": "latex", "derivative": "latex_derivative"}

_CSS = """
body { font-family: "IPAexGothic", "Noto Sans CJK JP", system-ui, sans-serif; margin: 1.5em;
       color: #222; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 4px 6px; vertical-align: middle; }
th { background: #f2f2f2; position: sticky; top: 0; }
tr:nth-child(even) td { background: #fafafa; }
th { min-width: 3.2em; }
td.formula { font-family: "DejaVu Serif", serif; max-width: 22em; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.yes, td.no { white-space: nowrap; text-align: center; }
td.yes { color: #1a7f37; } td.no { color: #999; }
img { display: block; width: 120px; height: auto; }
"""


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def render_html(rows: Sequence[PropertyRow], lang: str = "en",
                thumbnails: Mapping[str, bytes] | None = None) -> str:
    """The table as one self-contained HTML page (thumbnails embedded as data URIs).

    ``thumbnails`` maps an activation's spec (or name) to PNG bytes (default: none);
    ``lang`` 'en' or 'ja'.  Every text is escaped with :func:`html.escape`.
    """
    check_lang(lang)
    thumbnails = thumbnails or {}
    esc = html.escape
    title = text("atlas.table_title", lang)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{esc(title)}</h1>",
        f"<p>{esc(text('atlas.table_note', lang))}</p>",
        "<table>",
        "<thead><tr>" + "".join(f'<th scope="col">{esc(h)}</th>' for h in headers(lang))
        + "</tr></thead>",
        "<tbody>",
    ]
    for row in rows:
        values = cell_values(row, lang)
        cells = []
        for key, _ in COLUMNS:
            if key == "thumbnail":
                png = thumbnails.get(row.spec) or thumbnails.get(row.name)
                cells.append(f'<td><img src="{_data_uri(png)}" alt="{esc(row.display_name)}">'
                             "</td>" if png else "<td></td>")
            elif key == "name":
                cells.append(f'<th scope="row" id="{esc(row.name)}">{esc(row.display_name)}'
                             f"<br><small><code>{esc(values['name'])}</code></small></th>")
            elif key in ("formula", "derivative"):
                cells.append(f'<td class="formula" title="{esc(getattr(row, _LATEX[key]))}">'
                             f"{esc(values[key])}</td>")
            elif key == "torch_name":
                cells.append(f"<td><code>{esc(values[key])}</code></td>")
            elif key in ("f0", "df0"):
                cells.append(f'<td class="num">{esc(values[key])}</td>')
            elif isinstance(getattr(row, key, None), bool):
                kind = "yes" if getattr(row, key) else "no"
                cells.append(f'<td class="{kind}">{esc(values[key])}</td>')
            else:
                cells.append(f"<td>{esc(values[key])}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out += ["</tbody>", "</table>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


__all__ = ["COLUMNS", "PropertyRow", "cell_values", "format_number", "headers", "property_row",
           "property_rows", "render_html", "render_markdown"]
