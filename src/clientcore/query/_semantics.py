"""The one semantics of every operator, as plain Python (the reference back end).

Any back end must agree with this module; ``docs/filters.md`` states it in words.
Records are parties, attrs objects or plain mappings; dotted paths walk both, and a
flat mapping may also hold the dotted key itself (a CSV row).

>>> fold("Café ÉLAN")
'cafe elan'
>>> is_blank("   "), is_blank(()), is_blank(0)
(True, True, False)
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
from clientcore._text import fold_slow
from clientcore.model import parse_bool
from clientcore.query._tree import And, Cond, Filter, Not, Or, Today

_fold_slow = fold_slow

Predicate = Callable[[Any], bool]
_COLLECTIONS = (tuple, list, set, frozenset)


@lru_cache(maxsize=65536)
def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


def folder(case_sensitive: bool, accent_sensitive: bool) -> Callable[[str], str]:
    """The text normaliser for a condition's switches."""
    if not case_sensitive and not accent_sensitive:
        return fold
    if case_sensitive and accent_sensitive:
        return _identity
    if case_sensitive:
        return lambda s: s if s.isascii() else _strip_accents(s)
    return str.casefold


def _identity(text: str) -> str:
    return text


@lru_cache(maxsize=16384)
def fold_set(values: frozenset[str]) -> frozenset[str]:
    """The folded form of every text in a set (cached: label sets repeat)."""
    return frozenset(fold(v) for v in values if isinstance(v, str))


def is_blank(value: Any) -> bool:
    """Missing, ``None``, empty or whitespace-only text, or an empty collection."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (*_COLLECTIONS, Mapping)):
        return len(value) == 0
    return False


def get_path(record: Any, path: str) -> Any:
    """Read a dotted path from a party, an attrs object or a (nested or flat) mapping."""
    if isinstance(record, Mapping):
        if path in record:
            return record[path]
        if "." not in path:
            return None
    value = record
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else getattr(value, part, None)
        if value is None:
            return None
    return value


def _as_bool(value: Any) -> bool | None:
    # the model's one yes/no vocabulary, so a plain row reads "ja" as a Party does
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return parse_bool(value)
        except ValidationError:
            return None
    return None


def _as_number(value: Any) -> float | int | None:
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


def _as_date(value: Any) -> dt.date | None:
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


def _as_text(value: Any) -> str | None:
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
        return _as_bool(value)
    if isinstance(const, (int, float)):
        return _as_number(value)
    if isinstance(const, dt.date):
        return _as_date(value)
    return _as_text(value)


def as_items(value: Any) -> tuple[Any, ...]:
    """A collection value as a tuple; a JSON array text or ``a;b`` text is split."""
    if value is None:
        return ()
    if isinstance(value, _COLLECTIONS):
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


def resolve(value: Any, today: dt.date | None) -> Any:
    """Replace :class:`Today` by a date; refuse when ``today`` is missing."""
    if isinstance(value, Today):
        if today is None:
            from clientcore.query._faults import fault

            raise fault("filter.needs_today", "$", value=value)
        return value.resolve(today)
    if isinstance(value, tuple):
        return tuple(resolve(v, today) for v in value)
    return value


def norm_const(const: Any, norm: Callable[[str], str]) -> Any:
    """A filter value prepared for comparison (text folded)."""
    return norm(const) if isinstance(const, str) else const


def equal(value: Any, const: Any, norm: Callable[[str], str]) -> bool:
    """``eq`` on one non-collection value (``const`` already normalised)."""
    if is_blank(value) or isinstance(value, (*_COLLECTIONS, Mapping)):
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


def compare(value: Any, const: Any, op: str, norm: Callable[[str], str]) -> bool:
    """``lt``/``le``/``gt``/``ge``; incomparable or blank values never match."""
    if is_blank(value) or isinstance(value, (*_COLLECTIONS, Mapping)):
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
        if op == "lt":
            return bool(typed < const)
        if op == "le":
            return bool(typed <= const)
        if op == "gt":
            return bool(typed > const)
        return bool(typed >= const)
    except TypeError:
        return False


def text_match(value: Any, const: str, op: str, norm: Callable[[str], str]) -> bool:
    """``contains``/``starts_with``/``ends_with`` on one value."""
    if is_blank(value):
        return False
    text = _as_text(value)
    if text is None:
        return False
    folded = norm(text)
    if op == "contains":
        return const in folded
    if op == "starts_with":
        return folded.startswith(const)
    return folded.endswith(const)


def set_of(value: Any, norm: Callable[[str], str]) -> frozenset[Any]:
    """A set value (labels, ...) normalised for ``has`` and friends."""
    return frozenset(norm(v) if isinstance(v, str) else v for v in as_items(value))


def interpret(
    flt: Filter, today: dt.date | None, validity: Callable[[str, Any, Any], bool]
) -> Predicate:
    """Compose closures for ``flt``: the reference predicate on any record."""
    if isinstance(flt, And):
        parts = [interpret(c, today, validity) for c in flt.children]
        return lambda r: all(p(r) for p in parts)
    if isinstance(flt, Or):
        parts = [interpret(c, today, validity) for c in flt.children]
        return lambda r: any(p(r) for p in parts)
    if isinstance(flt, Not):
        inner = interpret(flt.child, today, validity)
        return lambda r: not inner(r)
    assert isinstance(flt, Cond)
    return _leaf(flt, today, validity)


def _leaf(
    cond: Cond, today: dt.date | None, validity: Callable[[str, Any, Any], bool]
) -> Predicate:
    path, op = cond.path, cond.op
    norm = folder(cond.case_sensitive, cond.accent_sensitive)
    raw: Any = resolve(cond.value, today) if op != "any" else None

    def get(r: Any) -> Any:
        return get_path(r, path)

    if op == "blank":
        return lambda r: is_blank(get(r))
    if op == "not_blank":
        return lambda r: not is_blank(get(r))
    if op in ("valid", "invalid"):
        want = op == "valid"
        return lambda r: (not is_blank(v := get(r))) and validity(path, v, r) == want
    if op == "any":
        inner = interpret(cond.value, today, validity)
        return lambda r: any(inner(item) for item in as_items(get(r)))
    if op in ("eq", "ne"):
        const = norm_const(raw, norm)
        positive = op == "eq"
        return lambda r: equal(get(r), const, norm) == positive
    if op in ("lt", "le", "gt", "ge"):
        const = norm_const(raw, norm)
        return lambda r: compare(get(r), const, op, norm)
    if op == "between":
        low, high = (norm_const(v, norm) for v in raw)
        return lambda r: compare(get(r), low, "ge", norm) and compare(get(r), high, "le", norm)
    if op in ("in", "not_in"):
        consts = tuple(norm_const(v, norm) for v in raw)
        positive = op == "in"
        if not consts:
            return lambda r: not positive

        def one_of(r: Any) -> bool:
            value = get(r)
            return any(equal(value, c, norm) for c in consts) == positive

        return one_of
    if op in ("contains", "not_contains", "starts_with", "ends_with"):
        const = norm(raw)
        base = "contains" if op == "not_contains" else op
        positive = op != "not_contains"
        return lambda r: text_match(get(r), const, base, norm) == positive
    if op == "has":
        const = norm_const(raw, norm)
        return lambda r: const in set_of(get(r), norm)
    if op == "has_any":
        wanted = frozenset(norm_const(v, norm) for v in raw)
        return lambda r: bool(wanted & set_of(get(r), norm))
    if op == "has_all":
        needed = frozenset(norm_const(v, norm) for v in raw)
        return lambda r: bool(needed) and needed <= set_of(get(r), norm)
    raise AssertionError(f"unhandled operator {op}")
