"""Messages in English, Dutch and French for every issue and reason code.

Each subsystem defines its codes in one mapping and hands it to :func:`define`
when its module is imported; a code defined twice with other words is a bug and
fails at import. :func:`render` fills a template with the issue's parameters and
never raises: an unknown code or a missing parameter still yields readable text.

>>> define({"demo.hello": ("Hello {name}", "Hallo {name}", "Bonjour {name}")})
>>> render("demo.hello", {"name": "Ann"}, "nl")
'Hallo Ann'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

Lang = Literal["en", "nl", "fr"]
LANGS: Final[tuple[Lang, ...]] = ("en", "nl", "fr")

# Filled once per code at import time by the modules that own the codes; read-only after.
_CATALOGUE: dict[str, tuple[str, str, str]] = {}


def define(messages: Mapping[str, tuple[str, str, str]]) -> None:
    """Register message templates (en, nl, fr) for issue or reason codes."""
    for code, templates in messages.items():
        if len(templates) != 3 or not all(isinstance(t, str) and t for t in templates):
            raise ValueError(f"message {code!r} needs three non-empty templates (en, nl, fr)")
        known = _CATALOGUE.get(code)
        if known is not None and known != templates:
            raise ValueError(f"message {code!r} is defined twice with different words")
        _CATALOGUE[code] = templates


def known_codes() -> frozenset[str]:
    """Every code that has messages."""
    return frozenset(_CATALOGUE)


def templates(code: str) -> tuple[str, str, str] | None:
    """The (en, nl, fr) templates of ``code``, or ``None``."""
    return _CATALOGUE.get(code)


class _Lenient(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(code: str, params: Mapping[str, object], lang: str = "en") -> str:
    """The message of ``code`` in ``lang`` (en, nl or fr) with ``params`` filled in.

    Another language (``de``, ``""``) falls back to English rather than failing:
    a message is for showing, and showing English beats showing nothing.
    """
    if lang not in LANGS:
        lang = "en"
    found = _CATALOGUE.get(code)
    if found is None:
        shown = ", ".join(f"{k}={v!r}" for k, v in sorted(params.items()))
        return f"{code} ({shown})" if shown else code
    template = found[LANGS.index(lang)]
    values = {k: _show(v) for k, v in params.items()}
    if "{hint}" in template and "hint" not in values:
        suggestion = params.get("suggestion")
        values["hint"] = _HINTS[lang].format(suggestion) if suggestion else ""
    try:
        return template.format_map(_Lenient(values))
    except (ValueError, IndexError, AttributeError, KeyError):
        return template


# The "did you mean" part of a message about an unknown name, in each language.
_HINTS: Final[dict[str, str]] = {
    "en": " (did you mean '{}'?)",
    "nl": " (bedoelde u '{}'?)",
    "fr": " (vouliez-vous dire '{}' ?)",
}


def _show(value: object) -> object:
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(map(str, value)) if isinstance(value, (set, frozenset)) else value
        return ", ".join(str(v) for v in items)
    return value
