"""Filters run for an actor who may not see every status: the one visibility rewrite.

:func:`restrict_status` rewrites a filter so that no condition on a field that betrays
the status (the fields the catalogue marks ``reveals_status``: ``status``,
``client_since``, ``client_until``, the acceptance record, any field a host marks, and
every sub-path of them such as ``status.value``) ever matches a party whose status is
hidden from the actor, negated or not: counts then reveal nothing about hidden
statuses, whatever route the filter came by. Negations are first pushed down to the
conditions with each operator's complement, so ``~(status == client)`` becomes
``status != client`` and is restricted too. Conditions on ``status`` itself keep only
the visible statuses as values, so describing or explaining a restricted filter never
names a hidden one.

>>> from clientcore.query import F
>>> flt = restrict_status(~F("status").eq("client"), {"client", "former_client"})
>>> flt.matches({"status": "prospect"}), flt.matches({"status": "former_client"})
(False, True)
>>> restrict_status(F("status").eq("prospect"), {"client"}) == F("status").in_([])
True
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from clientcore._text import fold
from clientcore.model import Schema, default_schema
from clientcore.query._operators import COMPLEMENT, OPERATORS, Op, Shape
from clientcore.query._tree import And, Cond, F, Filter, Not, Or
from clientcore.query._visit import rebuild


def push_not(flt: Filter, negate: bool = False) -> Filter:
    """The same filter with every ``not`` moved down to a condition (negation normal form).

    A condition whose operator has an exact complement in the operator table takes it;
    any other keeps a ``not`` right above it.
    """
    if isinstance(flt, Not):
        return push_not(flt.child, not negate)
    if isinstance(flt, (And, Or)):
        children = tuple(push_not(c, negate) for c in flt.children)
        flip = isinstance(flt, And) == negate
        return Or(children) if flip else And(children)
    assert isinstance(flt, Cond)
    if OPERATORS[flt.op].shape is Shape.FILTER:
        flt = rebuild(flt, value=push_not(flt.value))
    if not negate:
        return flt
    if flt.op in COMPLEMENT:
        return attrs.evolve(flt, op=COMPLEMENT[flt.op])
    return Not(flt)


def restrict_status(
    flt: Filter, visible: Iterable[str], path: str = "status", schema: Schema | None = None
) -> Filter:
    """``flt`` where every condition on a status-betraying field requires a visible status.

    ``path`` is where the status is read; ``schema`` (the default catalogue unless
    given) names the other fields that betray it.
    """
    names = sorted({str(getattr(s, "value", s)) for s in visible})
    allowed = F(path).in_(names)
    guarded = (schema or default_schema()).status_paths | {path}
    return _restrict(push_not(flt), allowed, path, names, guarded)


def _betrays(field: str, guarded: frozenset[str]) -> bool:
    return any(field == g or field.startswith(g + ".") for g in guarded)


def _restrict(
    flt: Filter, allowed: Cond, path: str, names: list[str], guarded: frozenset[str]
) -> Filter:
    if isinstance(flt, (And, Or)):
        children = tuple(_restrict(c, allowed, path, names, guarded) for c in flt.children)
        return And(children) if isinstance(flt, And) else Or(children)
    leaf = flt.child if isinstance(flt, Not) else flt
    if not (isinstance(leaf, Cond) and _betrays(leaf.path, guarded)):
        return flt
    if flt is leaf and leaf.path == path:
        narrowed = _narrow(leaf, path, names)
        if narrowed is not None:
            return narrowed
    return And((flt, allowed))


def _narrow(cond: Cond, path: str, names: list[str]) -> Cond | None:
    """A condition on the status itself as ``in`` the visible statuses it admits, so
    the hidden ones are not even named; ``None`` for an operator that is no set test."""
    if cond.case_sensitive or cond.accent_sensitive:
        return None
    op = cond.op
    if op in (Op.EQ, Op.NE):
        values: tuple[object, ...] = (cond.value,)
    elif op in (Op.IN, Op.NOT_IN):
        values = cond.value
    else:
        return None
    if not all(isinstance(v, str) for v in values):
        return None
    named = {fold(str(v)) for v in values}
    keep = op in (Op.EQ, Op.IN)
    return F(path).in_([n for n in names if (fold(n) in named) == keep])
