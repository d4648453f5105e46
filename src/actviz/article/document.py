"""The article as a list of blocks, written out as Markdown or as one self-contained HTML page.

Blocks (plain tuples, so content code stays short):

- ``("h", level, text)``: a heading; ``("p", text)``: a paragraph;
- ``("quote", text)``: the original post's words; ``("ul", [text, ...])``: a list;
- ``("math", latex)``: display math (Markdown ``$$``; HTML: a mathtext PNG);
- ``("code", language, source)``: fenced code;
- ``("img", path, alt, caption)``: a figure (Markdown: relative link; HTML: data URI);
- ``("table", header, rows)``.

Inline text may hold ``code`` spans and **bold**; nothing else is interpreted.
The HTML page embeds every image as a data URI, has no script, no external CSS,
font or link, and a Content-Security-Policy that forbids any request.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

INLINE = re.compile(r"`([^`]+)`|\*\*([^*]+)\*\*")
MIME = {".png": "image/png", ".gif": "image/gif", ".svg": "image/svg+xml"}

STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; padding: 1rem; font: 17px/1.75 system-ui, -apple-system, "Segoe UI",
  "Hiragino Sans", "Hiragino Kaku Gothic ProN", "Noto Sans CJK JP", "IPAexGothic", Meiryo,
  sans-serif; color: #222; background: #fff; overflow-wrap: break-word; }
main { max-width: 46rem; margin: 0 auto; }
h1 { font-size: 1.7rem; line-height: 1.35; }
h2 { font-size: 1.35rem; margin-top: 2.4rem; border-bottom: 1px solid #ddd; }
h3 { font-size: 1.1rem; margin-top: 1.6rem; }
img { max-width: 100%; height: auto; }
figure { margin: 1.2rem 0; }
figcaption { font-size: 0.9rem; color: #555; }
pre { background: #f5f5f7; padding: 0.7rem 0.9rem; overflow-x: auto; border-radius: 4px;
  font-size: 0.85rem; line-height: 1.5; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
p code, li code, td code { background: #f0f0f3; padding: 0 0.2em; border-radius: 3px;
  font-size: 0.9em; }
blockquote { margin: 1rem 0; padding: 0.3rem 1rem; border-left: 4px solid #c9d3e0;
  color: #444; background: #f8fafc; }
.math { text-align: center; margin: 1rem 0; overflow-x: auto; }
.math img { height: auto; }
.table { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.9rem; }
th, td { border: 1px solid #ddd; padding: 0.3rem 0.5rem; vertical-align: top; }
th { background: #f5f5f7; }
"""

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"


# --------------------------------------------------------------------------- Markdown

def to_markdown(blocks: list[tuple]) -> str:
    """The blocks as Markdown (fenced code, ``$$`` math, relative image links)."""
    out: list[str] = []
    for block in blocks:
        kind = block[0]
        if kind == "h":
            out.append("#" * block[1] + " " + block[2])
        elif kind == "p":
            out.append(block[1])
        elif kind == "quote":
            out.append("\n".join("> " + line if line else ">" for line in block[1].split("\n")))
        elif kind == "ul":
            out.append("\n".join(f"- {item}" for item in block[1]))
        elif kind == "math":
            out.append(f"$$\n{block[1]}\n$$")
        elif kind == "code":
            out.append(f"```{block[1]}\n{block[2].rstrip()}\n```")
        elif kind == "img":
            _, path, alt, caption = block
            out.append(f"![{alt}]({path})" + (f"\n\n*{caption}*" if caption else ""))
        elif kind == "table":
            _, header, rows = block
            lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
            lines += ["| " + " | ".join(row) + " |" for row in rows]
            out.append("\n".join(lines))
        else:  # pragma: no cover - content bug
            raise ValueError(f"unknown block {kind!r}")
    return "\n\n".join(out) + "\n"


# --------------------------------------------------------------------------- HTML

def inline_html(text: str) -> str:
    """Escape ``text`` and turn ``code`` and **bold** into tags."""
    out, last = [], 0
    for m in INLINE.finditer(text):
        out.append(html.escape(text[last:m.start()]))
        if m.group(1) is not None:
            out.append(f"<code>{html.escape(m.group(1))}</code>")
        else:
            out.append(f"<strong>{html.escape(m.group(2))}</strong>")
        last = m.end()
    out.append(html.escape(text[last:]))
    return "".join(out).replace("\n", "<br>\n")


def data_uri(path: Path) -> str:
    mime = MIME.get(path.suffix.lower(), "application/octet-stream")
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _math_img(latex: str) -> str:
    from .. import _formula

    try:
        png = _formula.render_png(latex)
    except ValueError:
        return f"<code>{html.escape(latex)}</code>"
    import io

    from PIL import Image

    width, height = Image.open(io.BytesIO(png)).size
    uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return (f'<img src="{uri}" alt="{html.escape(latex)}" width="{width // 2}" '
            f'height="{height // 2}">')


def to_html(blocks: list[tuple], *, folder: Path, lang: str, title: str) -> str:
    """One self-contained HTML page: images read from ``folder`` and embedded as data URIs."""
    body: list[str] = []
    for block in blocks:
        kind = block[0]
        if kind == "h":
            body.append(f"<h{block[1]}>{inline_html(block[2])}</h{block[1]}>")
        elif kind == "p":
            body.append(f"<p>{inline_html(block[1])}</p>")
        elif kind == "quote":
            body.append(f"<blockquote><p>{inline_html(block[1])}</p></blockquote>")
        elif kind == "ul":
            items = "".join(f"<li>{inline_html(item)}</li>" for item in block[1])
            body.append(f"<ul>{items}</ul>")
        elif kind == "math":
            body.append(f'<div class="math">{_math_img(block[1])}</div>')
        elif kind == "code":
            body.append(f'<pre><code class="language-{html.escape(block[1])}">'
                        f"{html.escape(block[2].rstrip())}</code></pre>")
        elif kind == "img":
            _, path, alt, caption = block
            cap = f"<figcaption>{inline_html(caption)}</figcaption>" if caption else ""
            body.append(f'<figure><img src="{data_uri(folder / path)}" alt="{html.escape(alt)}"'
                        f">{cap}</figure>")
        elif kind == "table":
            _, header, rows = block
            head = "".join(f"<th>{inline_html(c)}</th>" for c in header)
            trs = "".join("<tr>" + "".join(f"<td>{inline_html(c)}</td>" for c in row) + "</tr>"
                          for row in rows)
            body.append(f'<div class="table"><table><thead><tr>{head}</tr></thead>'
                        f"<tbody>{trs}</tbody></table></div>")
        else:  # pragma: no cover - content bug
            raise ValueError(f"unknown block {kind!r}")
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n"
            f"<body>\n<main>\n" + "\n".join(body) + "\n</main>\n</body>\n</html>\n")


__all__ = ["CSP", "data_uri", "inline_html", "to_html", "to_markdown"]
