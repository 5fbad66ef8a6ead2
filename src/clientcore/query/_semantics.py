"""The one semantics of every operator, as plain Python (the reference back end).

Any back end must agree with this module; ``docs/filters.md`` states it in words. What
each operator means is its reference function in the operator table
(:mod:`clientcore.query._operators`); this module reads values from records and walks
the tree. Records are parties, attrs objects or plain mappings; dotted paths walk both,
and a flat mapping may also hold the dotted key itself (a CSV row).

>>> fold("Café ÉLAN")
'cafe elan'
>>> is_blank("   "), is_blank(()), is_blank(0)
(True, True, False)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from clientcore._text import fold as fold
from clientcore._text import fold_slow
from clientcore.model import read_path
from clientcore.query._operators import OPERATORS, Shape
from clientcore.query._tree import ITEM, And, Cond, Filter, Not, Or, Today
from clientcore.query._values import (
    as_items as as_items,
)
from clientcore.query._values import (
    coerce_like as coerce_like,
)
from clientcore.query._values import (
    folder as folder,
)
from clientcore.query._values import (
    is_blank as is_blank,
)
from clientcore.query._values import (
    norm_const as norm_const,
)
from clientcore.query._values import (
    set_of as set_of,
)

_fold_slow = fold_slow

Predicate = Callable[[Any], bool]


def get_path(record: Any, path: str) -> Any:
    """Read a dotted path from a party, an attrs object or a (nested or flat) mapping."""
    return read_path(record, path)


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
    path = cond.path
    row = OPERATORS[cond.op]
    reference = row.reference
    norm = folder(cond.case_sensitive, cond.accent_sensitive)

    def get(r: Any) -> Any:
        return r if path == ITEM else read_path(r, path)

    shape = row.shape
    if shape is Shape.CHECK:
        return lambda r: reference(get(r), lambda v: validity(path, v, r), norm)
    const: Any
    if shape is Shape.FILTER:
        const = interpret(cond.value, today, validity)
    elif shape is Shape.NONE:
        const = None
    elif shape is Shape.TEXT:
        const = norm(resolve(cond.value, today))
    elif shape in (Shape.LIST, Shape.PAIR):
        const = tuple(norm_const(v, norm) for v in resolve(cond.value, today))
    else:
        const = norm_const(resolve(cond.value, today), norm)
    return lambda r: reference(get(r), const, norm)
