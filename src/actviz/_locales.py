"""Text in English and Japanese: explanations of activations and UI strings (data, not code).

``locales/explanations.<lang>.json`` maps activation names to 2-5 sentences;
``locales/ui.<lang>.json`` maps message keys to strings used by figures, the
atlas and the HTML page.  Missing Japanese text falls back to English.
"""

from __future__ import annotations

import json
import os
from functools import cache

from .errors import ActvizError

LANGUAGES = ("en", "ja")


def check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ActvizError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    return lang


# the package's own folder (importlib.resources would cost ~10 ms of imports per command)
_LOCALES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locales")


@cache
def _load(kind: str, lang: str) -> dict[str, str]:
    try:
        with open(os.path.join(_LOCALES, f"{kind}.{lang}.json"), encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        return {}


def explanation(name: str, lang: str = "en") -> str:
    """The explanation of activation ``name`` in ``lang`` (English if missing)."""
    check_lang(lang)
    return _load("explanations", lang).get(name) or _load("explanations", "en").get(name, "")


def definition_text(name: str, lang: str, field: str, key: str | None = None) -> str:
    """A translated field of activation ``name``'s definition ('' when there is none).

    ``locales/definitions.<lang>.json`` maps names to ``{"params": {param: text},
    "derivative_note": text}``; English lives in the definitions themselves.
    """
    entry = _load("definitions", check_lang(lang)).get(name, {})
    value = entry.get(field, {} if key is not None else "")
    return value.get(key, "") if key is not None else value


def text(key: str, lang: str = "en", **values: object) -> str:
    """The UI string ``key`` in ``lang`` (English if missing), formatted with ``values``."""
    check_lang(lang)
    template = _load("ui", lang).get(key) or _load("ui", "en").get(key) or key
    return template.format(**values) if values else template
