"""post.html: one self-contained file that loads nothing from outside and reads on a phone."""

from __future__ import annotations

import re
from html.parser import HTMLParser

URL_ATTRS = {"src", "href", "srcset", "poster", "data", "action", "formaction", "background",
             "xlink:href", "manifest", "cite"}


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style += data


def parse(folder) -> Collect:
    parser = Collect()
    parser.feed((folder / "post.html").read_text(encoding="utf-8"))
    return parser


def test_html_loads_nothing_from_outside(article):
    _, folder, _, _ = article
    page = parse(folder)
    names = [tag for tag, _ in page.tags]
    assert "script" not in names and "link" not in names and "iframe" not in names
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            if name in URL_ATTRS:
                assert value is not None and value.startswith("data:"), (tag, name, value[:80])
            assert not re.search(r"https?:|//", name)
        assert "url(" not in (attrs.get("style") or "")
    assert "@import" not in page.style and "url(" not in page.style
    raw = (folder / "post.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", raw)
    csp = [a for t, a in page.tags if t == "meta" and a.get("http-equiv") ==
           "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]["content"]


def test_html_embeds_every_figure_and_reads_on_a_phone(article):
    _, folder, _, _ = article
    page = parse(folder)
    images = [a for t, a in page.tags if t == "img"]
    figures = [a for a in images if a["src"].startswith(("data:image/png", "data:image/gif"))]
    assert sum(a["src"].startswith("data:image/gif") for a in figures) == 1
    assert len([a for t, a in page.tags if t == "figure"]) == 9
    assert all(a.get("alt") for a in images)
    viewport = [a for t, a in page.tags if t == "meta" and a.get("name") == "viewport"]
    assert viewport and "width=device-width" in viewport[0]["content"]
    assert re.search(r"main\s*{[^}]*max-width", page.style)
    assert re.search(r"img\s*{[^}]*max-width:\s*100%", page.style)


def test_chromium_makes_no_outside_request_and_fits_a_phone(article, browser):
    _, folder, _, _ = article
    url = (folder / "post.html").as_uri()
    for width, height in ((1280, 900), (390, 844)):
        page = browser.new_page(viewport={"width": width, "height": height})
        outside: list[str] = []

        def route(route, outside=outside):
            if route.request.url == url:
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        page.route("**/*", route)
        page.on("request", lambda r, outside=outside: None if r.url.startswith(
            ("data:", url)) else outside.append(r.url))
        page.goto(url, wait_until="load")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_timeout(300)
        loaded = page.evaluate("[...document.images].every(i => i.complete && "
                               "i.naturalWidth > 0)")
        scroll = page.evaluate("document.scrollingElement.scrollWidth")
        inner = page.evaluate("window.innerWidth")
        page.close()
        assert outside == [], outside
        assert loaded
        assert scroll <= inner, (width, scroll, inner)  # no sideways scrolling
