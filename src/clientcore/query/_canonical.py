"""The canonical form of a filter: one spelling for filters that mean the same by construction.

Nested and/or are flattened, double negation removed, duplicate children dropped,
children and value lists sorted. The canonical form matches exactly what the
original matches.

>>> from clientcore.query import F
>>> a = (F("x").eq(1) & F("y").eq(2)) & F("x").eq(1)
>>> b = F("y").eq(2) & ~~F("x").eq(1)
>>> a.canonical() == b.canonical()
True
"""

from __future__ import annotations

from typing import Any, Final

import attrs

from clientcore.query._operators import Op
from clientcore.query._tree import And, Cond, Filter, Not, Or, _sort_key

# Below 2**53 every integral float is exactly an int: beyond, the int would be a guess.
_EXACT: Final = 2**53


def _number(value: Any) -> Any:
    """An integral float as an int (``eq(1.0)`` means ``eq(1)``: one fingerprint); a
    bool stays a bool, since ``True`` is no number in a filter."""
    if value.__class__ is float and value.is_integer() and abs(value) < _EXACT:
        return int(value)
    return value


_SET_OPS = frozenset({Op.IN, Op.NOT_IN, Op.HAS_ANY, Op.HAS_ALL})


def canonical(flt: Filter) -> Filter:
    """The canonical form of ``flt``."""
    if isinstance(flt, Cond):
        if flt.op == Op.ANY:
            return Cond(flt.path, Op.ANY, canonical(flt.value))
        if flt.op in _SET_OPS:
            unique = {_sort_key(v): v for v in map(_number, flt.value)}
            ordered = tuple(unique[k] for k in sorted(unique))
            return Cond(flt.path, flt.op, ordered, flt.case_sensitive, flt.accent_sensitive)
        if flt.op == Op.BETWEEN:
            low, high = flt.value
            return attrs.evolve(flt, value=(_number(low), _number(high)))
        if flt.value is not None:
            return attrs.evolve(flt, value=_number(flt.value))
        return flt
    if isinstance(flt, Not):
        inner = canonical(flt.child)
        if isinstance(inner, Not):
            return inner.child
        return Not(inner)
    if isinstance(flt, (And, Or)):
        kind = type(flt)
        identity, absorbing = (And, Or) if kind is And else (Or, And)
        flat: dict[str, Filter] = {}
        pending = list(flt.children)
        while pending:
            child = canonical(pending.pop(0))
            if isinstance(child, kind):
                if not child.children:
                    continue  # the identity: all() inside and, nothing() inside or
                pending[:0] = child.children
                continue
            if isinstance(child, absorbing) and not child.children:
                return absorbing(())  # nothing() inside and, all() inside or
            flat.setdefault(child.to_json_text(), child)
        del identity
        children = tuple(flat[k] for k in sorted(flat))
        if len(children) == 1:
            return children[0]
        return kind(children)
    raise TypeError(f"not a filter node: {flt!r}")
