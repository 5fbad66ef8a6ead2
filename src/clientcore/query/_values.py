"""How one value read from a record is compared with one filter operand.

Pure value helpers, free of the filter tree: the operator table
(:mod:`clientcore.query._operators`) builds each operator's reference meaning from them.

>>> is_blank("   "), is_blank(()), is_blank(0)
(True, True, False)
>>> equal("Café", "cafe", fold)
True
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from clientcore._errors import ValidationError
from clientcore._text import fold as fold
from clientcore.model import parse_bool

Norm = Callable[[str], str]
COLLECTION_TYPES = (tuple, list, set, frozenset)


@lru_cache(maxsize=65536)
def strip_accents(text: str) -> str:
    """``text`` without combining accents, in NFC."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


def _identity(text: str) -> str:
    return text


def _accentless(text: str) -> str:
    return text if text.isascii() else strip_accents(text)


def folder(case_sensitive: bool, accent_sensitive: bool) -> Norm:
    """The text normaliser for a condition's switches."""
    if not case_sensitive and not accent_sensitive:
        return fold
    if case_sensitive and accent_sensitive:
        return _identity
    if case_sensitive:
        return _accentless
    return str.casefold


def is_blank(value: Any) -> bool:
    """Missing, ``None``, empty or whitespace-only text, or an empty collection."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (*COLLECTION_TYPES, Mapping)):
        return len(value) == 0
    return False


def as_bool(value: Any) -> bool | None:
    """A boolean read from a value (``True``, ``"ja"``, ``"oui"``, ``"0"``...) with
    :func:`clientcore.model.parse_bool`, or ``None``."""
    # the model's one yes/no vocabulary, so a plain row reads "ja" as a Party does
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return parse_bool(value)
        except ValidationError:
            return None
    return None


def as_number(value: Any) -> float | int | None:
    """A number read from a value, or ``None`` (a boolean is no number)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def as_date(value: Any) -> dt.date | None:
    """A date read from a value (ISO text, a datetime's day), or ``None``."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def as_text(value: Any) -> str | None:
    """A value as the text a grid shows, or ``None``."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        # as a grid shows it (JavaScript's String(5.0) is "5"), so a set key "5" finds 5.0
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return None


def coerce_like(value: Any, const: Any) -> Any:
    """``value`` in the type of ``const`` (text, bool, number, date), or ``None``."""
    if isinstance(const, bool):
        return as_bool(value)
    if isinstance(const, (int, float)):
        return as_number(value)
    if isinstance(const, dt.date):
        return as_date(value)
    return as_text(value)


def as_items(value: Any) -> tuple[Any, ...]:
    """A collection value as a tuple; a JSON array text or ``a;b`` text is split."""
    if value is None:
        return ()
    if isinstance(value, COLLECTION_TYPES):
        return tuple(value)
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            return _json_items(text)
        return tuple(s for s in (p.strip() for p in text.split(";")) if s)
    return (value,)


@lru_cache(maxsize=4096)
def _json_items(text: str) -> tuple[Any, ...]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return ()
    return tuple(data) if isinstance(data, list) else ()


def norm_const(const: Any, norm: Norm) -> Any:
    """A filter value prepared for comparison (text folded)."""
    return norm(const) if isinstance(const, str) else const


def equal(value: Any, const: Any, norm: Norm) -> bool:
    """Equality of one non-collection value with ``const`` (already normalised)."""
    if is_blank(value) or isinstance(value, (*COLLECTION_TYPES, Mapping)):
        return False
    typed = coerce_like(value, const)
    if typed is None:
        return False
    if isinstance(const, str):
        return norm(typed) == const
    if isinstance(const, bool):
        return typed is const
    if isinstance(const, (int, float)) and isinstance(typed, bool):
        return False
    return bool(typed == const)


def ordered(value: Any, const: Any, norm: Norm, test: Callable[[Any, Any], bool]) -> bool:
    """An ordering ``test(value, const)``; incomparable or blank values never match."""
    if is_blank(value) or isinstance(value, (*COLLECTION_TYPES, Mapping)):
        return False
    typed = coerce_like(value, const)
    if (
        typed is None
        or isinstance(const, bool)
        or isinstance(typed, bool) != isinstance(const, bool)
    ):
        return False
    if isinstance(const, str):
        typed = norm(typed)
    try:
        return bool(test(typed, const))
    except TypeError:
        return False


def text_of(value: Any, norm: Norm) -> str | None:
    """The normalised text of a non-blank value, or ``None``."""
    if is_blank(value):
        return None
    text = as_text(value)
    return None if text is None else norm(text)


def set_of(value: Any, norm: Norm) -> frozenset[Any]:
    """A set value (labels, ...) normalised for ``has`` and friends."""
    return frozenset(norm(v) if isinstance(v, str) else v for v in as_items(value))
