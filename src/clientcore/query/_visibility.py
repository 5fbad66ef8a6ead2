"""Filters run for an actor who may not see every status.

:func:`restrict_status` rewrites a filter so that no condition on ``status`` ever
matches a party whose status is hidden from the actor, negated or not: counts then
reveal nothing about hidden statuses. Negations are first pushed down to the
conditions, so ``~(status == client)`` becomes ``status != client`` and is restricted
too.

>>> from clientcore.query import F
>>> flt = restrict_status(~F("status").eq("client"), {"client", "former_client"})
>>> flt.matches({"status": "prospect"}), flt.matches({"status": "former_client"})
(False, True)
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from clientcore.query._tree import COMPLEMENT, And, Cond, F, Filter, Not, Or


def push_not(flt: Filter, negate: bool = False) -> Filter:
    """The same filter with every ``not`` moved down to a condition (negation normal form)."""
    if isinstance(flt, Not):
        return push_not(flt.child, not negate)
    if isinstance(flt, (And, Or)):
        children = tuple(push_not(c, negate) for c in flt.children)
        flip = isinstance(flt, And) == negate
        return Or(children) if flip else And(children)
    assert isinstance(flt, Cond)
    if flt.op == "any":
        flt = Cond(flt.path, "any", push_not(flt.value))
    if not negate:
        return flt
    if flt.op in COMPLEMENT:
        return attrs.evolve(flt, op=COMPLEMENT[flt.op])
    return Not(flt)


def restrict_status(flt: Filter, visible: Iterable[str], path: str = "status") -> Filter:
    """``flt`` where every condition on ``path`` also requires a status in ``visible``."""
    allowed = F(path).in_(sorted(str(getattr(s, "value", s)) for s in visible))
    return _restrict(push_not(flt), allowed, path)


def _restrict(flt: Filter, allowed: Filter, path: str) -> Filter:
    if isinstance(flt, (And, Or)):
        children = tuple(_restrict(c, allowed, path) for c in flt.children)
        return And(children) if isinstance(flt, And) else Or(children)
    leaf = flt.child if isinstance(flt, Not) else flt
    if isinstance(leaf, Cond) and leaf.path == path:
        return And((flt, allowed))
    return flt
