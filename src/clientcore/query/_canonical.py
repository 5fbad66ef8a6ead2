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

from clientcore.query._tree import And, Cond, Filter, Not, Or, _sort_key

_SET_OPS = frozenset({"in", "not_in", "has_any", "has_all"})


def canonical(flt: Filter) -> Filter:
    """The canonical form of ``flt``."""
    if isinstance(flt, Cond):
        if flt.op == "any":
            return Cond(flt.path, "any", canonical(flt.value))
        if flt.op in _SET_OPS:
            unique = {_sort_key(v): v for v in flt.value}
            ordered = tuple(unique[k] for k in sorted(unique))
            return Cond(flt.path, flt.op, ordered, flt.case_sensitive, flt.accent_sensitive)
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
