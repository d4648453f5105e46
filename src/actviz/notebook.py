"""Jupyter support: rich display of activations and the explorer page inside a notebook.

- :func:`activation_html`: what a notebook shows for an activation (the HTML
  view of :class:`~actviz.registry.BoundActivation` and of a definition, which
  ``import actviz`` registers with IPython by type name): name, spec, formula, a small plot of f and f' (an embedded
  PNG), parameters and key properties.
- :func:`explore`: the interactive explorer page (the same page as
  ``actviz html``) shown in an ``<iframe srcdoc>``, isolated from the notebook
  (sandboxed, no network), and a :class:`Explorer` whose :meth:`~Explorer.save`
  writes the page to a file.

Nothing here runs unless a notebook asks for it: matplotlib and Bokeh are
imported on first use.
"""

from __future__ import annotations

import base64
import html
import io
import os
from pathlib import Path
from typing import Any

from . import _io, _locales
from .errors import ActvizError

__all__ = ["Explorer", "activation_html", "explore"]

#: The inline explorer must stay under this size (notebooks keep every output in the file).
MAX_EXPLORER_BYTES = 3_000_000
#: Height of the explorer's frame in a notebook, in CSS pixels.
FRAME_HEIGHT = 900
_SANDBOX = "allow-scripts allow-downloads allow-popups allow-popups-to-escape-sandbox"


# --------------------------------------------------------------------------- activations


def _plot_png(act) -> bytes:
    """f and f' of ``act`` on (-5, 5), 4.2 x 2.6 in at 160 dpi (shown at half: sharp on HiDPI)."""
    from .plotting import figures

    fig = figures.figure(act, derivative=True, xlim=(-5, 5), points=400, size=(4.2, 2.6),
                         dpi=160, title="")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _formula_html(latex: str, lhs: str) -> str:
    """The formula as the explorer shows it (mathtext PNG at 200 dpi, shown at half size)."""
    if not latex:
        return ""
    from ._text import latex_to_text
    from .explorer import _formula

    text = f"{lhs} = {latex_to_text(latex)}"
    try:
        found = _formula(f"{lhs} = {latex}")
    except ImportError:  # Pillow missing: the text form
        found = None
    if found is None:
        return f"<div><code>{html.escape(text)}</code></div>"
    alt = html.escape(text, quote=True)
    return (f'<div><img src="{found["src"]}" alt="{alt}" title="{alt}" '
            f'width="{found["width"] // 2}" height="{found["height"] // 2}"></div>')


def activation_html(act) -> str:
    """HTML for ``act`` (a BoundActivation, or a definition at its defaults): name, spec,
    formulas, plot of f and f', properties.  ``import actviz`` in IPython registers it as
    the HTML view of both types, so the last value of a cell shows this.

    Every text from the registry is escaped (a user activation's name or
    explanation cannot inject markup); images are embedded as data URIs, so the
    output works offline and survives in a saved notebook (about 30-60 kB).
    """
    from ._text import property_rows
    from .registry import get

    act = get(act)  # a definition: bound to its defaults
    e = html.escape
    plot = base64.b64encode(_plot_png(act)).decode("ascii")
    rows = "".join(f"<tr><td>{e(k)}</td><td>{e(v)}</td></tr>"
                   for k, v in property_rows(act.properties.as_dict(), "en"))
    params = "".join(
        f"<tr><td><code>{e(p.name)}</code></td><td>{e(_value(act.params[p.name]))}</td>"
        f"<td>{e(p.allowed())}</td><td>{e(act.param_description(p.name))}</td></tr>"
        for p in act.definition.params)
    params_html = (f"<table><tr><th>parameter</th><th>value</th><th>allowed</th><th></th></tr>"
                   f"{params}</table>") if params else ""
    derivative = "numerical (finite differences)" if act.numerical_derivative else "analytic"
    formulas = _formula_html(act.latex, "f(x)") + _formula_html(act.latex_derivative, "f'(x)")
    explanation = act.explanation("en")
    explanation_html = (f'<p style="max-width:70ch">{e(explanation)}</p>'
                        if explanation else "")
    return (
        '<div class="actviz-activation" style="display:flex;flex-wrap:wrap;gap:16px;'
        'align-items:flex-start">'
        f'<img src="data:image/png;base64,{plot}" alt="{e(act.display_name, quote=True)}: '
        f'f and f\u2032 on [-5, 5]" width="336" height="208">'
        '<div style="min-width:260px">'
        f"<h3 style=\"margin:0 0 4px\">{e(act.display_name)}</h3>"
        f"<div><code>{e(act.spec)}</code> &middot; family {e(act.definition.family)} "
        f"&middot; derivative {derivative}</div>"
        f"{formulas}"
        f"<table>{rows}</table>{params_html}{explanation_html}"
        "</div></div>")


def _value(value) -> str:
    return value if isinstance(value, str) else f"{float(value):g}"


# --------------------------------------------------------------------------- explorer


class Explorer:
    """The explorer page for a notebook: shown inline (``_repr_html_``), saved with :meth:`save`.

    ``html`` is the whole page (the same as ``actviz html`` writes); in a
    notebook it is shown in an ``<iframe srcdoc>`` with ``sandbox``, so its
    scripts and styles cannot touch the notebook and it loads nothing.
    """

    def __init__(self, page: str, lang: str, specs: list[str]):
        self.html = page
        self.lang = lang
        self.specs = specs

    def __repr__(self) -> str:
        shown = ", ".join(self.specs) if self.specs else "every activation"
        return (f"<actviz explorer ({shown}; lang={self.lang}; "
                f"{len(self.html.encode('utf-8')) / 1e6:.2f} MB); .save('page.html') writes it>")

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
                f'sandbox="{_SANDBOX}" title="actviz explorer" loading="eager" '
                f'style="width:100%;height:{FRAME_HEIGHT}px;border:1px solid #ddd;'
                f'border-radius:6px"></iframe>')

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page to ``path`` (a .html name) atomically; return the path."""
        if Path(os.fspath(path)).suffix.lower() not in (".html", ".htm"):
            raise ActvizError(f"cannot write the explorer to {os.fspath(path)!r}: "
                              "use a .html name")
        return _io.write_text(path, self.html)


def explore(specs=None, lang: str = "en", **options: Any) -> Explorer:
    """The interactive explorer for ``specs`` (default: every activation), shown in a notebook.

    ``specs`` is one spec, a list (tuple, generator, NumPy array) of them or
    None; those given are overlaid at the start, their sliders at the given
    values.  ``lang`` is 'en' or 'ja'; ``options`` (``xlim``, ``points``,
    ``tolerance``) go to :func:`actviz.explorer.explorer_data`.  Returns an
    :class:`Explorer`: the cell shows the page in a sandboxed frame (sliders
    and toggles live, offline, under 3 MB), ``.save("page.html")`` writes it.
    Needs Bokeh (``pip install 'actviz[html]'``).
    """
    from . import explorer, registry

    lang = _locales.check_lang(lang.strip().lower() if isinstance(lang, str) else lang)
    acts = [registry.get(s) for s in ([] if specs is None else registry.spec_list(specs))]  # every spec checked before any work
    explorer.require_bokeh()
    page = explorer.build_html(explorer.explorer_data(acts or None, lang, **options))
    size = len(html.escape(page, quote=True).encode("utf-8"))  # as the frame holds it
    if size > MAX_EXPLORER_BYTES:
        raise ActvizError(f"the explorer page would be {size / 1e6:.1f} MB, more than a "
                          f"notebook should hold ({MAX_EXPLORER_BYTES / 1e6:g} MB); "
                          "pass fewer activations or fewer points")
    return Explorer(page, lang, [a.spec for a in acts])
