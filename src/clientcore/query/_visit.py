"""The one walk over a filter tree: every node with its JSON path and collection prefix.

Readers and writers that need to know *where* a node is (the checker, the compiler's
refusals, the visibility rewrite) use :func:`nodes_at` instead of their own recursion.

>>> from clientcore.query import F
>>> [w for _, w, _ in nodes_at(F("a").eq(1) & F("tasks").any(F("code").eq("x")))][-1]
'$.where.and[1].where'
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from clientcore.query._operators import OPERATORS, Shape
from clientcore.query._tree import And, Cond, Filter, Not, Or


def nodes_at(
    flt: Filter, where: str = "$.where", prefix: str = ""
) -> Iterator[tuple[Filter, str, str]]:
    """Every node, parents first, with its JSON path and the prefix of its field paths
    (``tasks.`` inside ``F("tasks").any(...)``)."""
    yield flt, where, prefix
    if isinstance(flt, (And, Or)):
        key = flt.kind
        for i, child in enumerate(flt.children):
            yield from nodes_at(child, f"{where}.{key}[{i}]", prefix)
    elif isinstance(flt, Not):
        yield from nodes_at(flt.child, f"{where}.not", prefix)
    elif isinstance(flt, Cond) and OPERATORS[flt.op].shape is Shape.FILTER:
        yield from nodes_at(flt.value, f"{where}.where", f"{prefix}{flt.path}.")


def rebuild(cond: Cond, **changes: Any) -> Cond:
    """``cond`` with ``changes`` (checked again, like any new condition)."""
    return attrs.evolve(cond, **changes)
