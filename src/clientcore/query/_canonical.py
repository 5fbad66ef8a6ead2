"""The canonical form of a filter: one spelling for filters that mean the same.

Driven by the operator table (:mod:`clientcore.query._operators`), the canonical form

* writes a pair as its bounds (a row's ``bounds``: ``between(a, b)`` is ``ge(a) & le(b)``),
* folds a one-element list (a row's ``single``: ``in([x])`` is ``eq(x)``,
  ``has_any([x])`` is ``has(x)``),
* pushes negation down to the conditions with each row's ``complement`` (``~eq`` is
  ``ne``, ``~in`` is ``not_in``, ``~blank`` is ``not_blank``, De Morgan for and/or);
  a condition without an exact complement keeps a ``not`` right above it,
* writes every text value the way the condition compares it (folded for the default
  case- and accent-insensitive match, so ``eq("Café")``, ``eq("cafe")`` and the NFD
  spelling of ``Café`` are one filter), and integral floats as ints,
* flattens nested and/or, drops duplicates and the identities, sorts children and lists.

The canonical form matches exactly what the original matches; :meth:`Filter.fingerprint`
hashes it, so a :class:`~clientcore.query.FilterBook` sees equivalent filters as one.

>>> from clientcore.query import F
>>> a = (F("x").eq(1) & F("y").eq(2)) & F("x").eq(1)
>>> b = F("y").eq(2) & ~~F("x").eq(1)
>>> a.canonical() == b.canonical()
True
>>> (~F("name").in_(["Café"])).canonical() == F("name").ne("cafe")
True
>>> F("revenue").between(1, 5).canonical() == F("revenue").ge(1) & F("revenue").le(5)
True
"""

from __future__ import annotations

from typing import Any, Final

import attrs

from clientcore.query._operators import OPERATORS, Shape
from clientcore.query._tree import And, Cond, Filter, Not, Or, _sort_key
from clientcore.query._values import folder
from clientcore.query._visibility import push_not
from clientcore.query._visit import rebuild

# Below 2**53 every integral float is exactly an int: beyond, the int would be a guess.
_EXACT: Final = 2**53


def _number(value: Any) -> Any:
    """An integral float as an int (``eq(1.0)`` means ``eq(1)``: one fingerprint); a
    bool stays a bool, since ``True`` is no number in a filter."""
    if value.__class__ is float and value.is_integer() and abs(value) < _EXACT:
        return int(value)
    return value


def canonical(flt: Filter) -> Filter:
    """The canonical form of ``flt``."""
    return _tidy(push_not(_expand(flt)))


def _expand(flt: Filter) -> Filter:
    """Pairs written as their bounds, one-element lists as their single form, values
    written as their condition compares them: before negation is pushed, so a negated
    ``between`` or ``in([x])`` meets De Morgan and the complements like any other."""
    if isinstance(flt, (And, Or)):
        return type(flt)(tuple(_expand(c) for c in flt.children))
    if isinstance(flt, Not):
        return Not(_expand(flt.child))
    assert isinstance(flt, Cond)
    row = OPERATORS[flt.op]
    if row.shape is Shape.FILTER:
        return rebuild(flt, value=_expand(flt.value))
    if row.shape is Shape.NONE or row.shape is Shape.CHECK:
        return flt
    norm = _norm_of(flt)
    if row.shape is Shape.LIST:
        unique = {_sort_key(v): v for v in (norm(_number(v)) for v in flt.value)}
        values = tuple(unique[k] for k in sorted(unique))
        if len(values) == 1 and row.single is not None:
            return rebuild(flt, op=row.single, value=values[0])
        return rebuild(flt, value=values)
    if row.shape is Shape.PAIR:
        low, high = (norm(_number(v)) for v in flt.value)
        if row.bounds is not None:
            first, second = row.bounds
            return And((_bound(flt, first, low), _bound(flt, second, high)))
        return rebuild(flt, value=(low, high))
    return rebuild(flt, value=norm(_number(flt.value)))


def _bound(cond: Cond, op: str, value: Any) -> Cond:
    return Cond(cond.path, op, value, cond.case_sensitive, cond.accent_sensitive)


def _norm_of(cond: Cond) -> Any:
    """A text value as the condition compares it, kept as written when the condition's
    normaliser is not idempotent on it (normalising again would then change the match)."""
    fold = folder(cond.case_sensitive, cond.accent_sensitive)

    def norm(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        folded = fold(value)
        return folded if fold(folded) == folded else value

    return norm


def _tidy(flt: Filter) -> Filter:
    """Flattened, sorted, without duplicates or identities (negation already pushed)."""
    if isinstance(flt, Cond):
        if OPERATORS[flt.op].shape is Shape.FILTER:
            return attrs.evolve(flt, value=_tidy(flt.value))
        return flt
    if isinstance(flt, Not):
        return Not(_tidy(flt.child))
    if isinstance(flt, (And, Or)):
        kind = type(flt)
        absorbing = Or if kind is And else And
        flat: dict[str, Filter] = {}
        pending = list(flt.children)
        while pending:
            child = _tidy(pending.pop(0))
            if isinstance(child, kind):
                pending[:0] = child.children  # the identity (no children) just vanishes
                continue
            if isinstance(child, absorbing) and not child.children:
                return absorbing(())  # nothing() inside and, all() inside or
            flat.setdefault(child.to_json_text(), child)
        children = tuple(flat[k] for k in sorted(flat))
        if len(children) == 1:
            return children[0]
        return kind(children)
    raise TypeError(f"not a filter node: {flt!r}")
