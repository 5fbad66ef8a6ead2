"""The filter language: Excel-like filters that compose, compile fast and serialise safely.

>>> import datetime as dt
>>> from clientcore import Party
>>> from clientcore.query import F, Filter, Today
>>> late = F("eid.valid_until") < Today(days=0)
>>> p = Party(kind="client_person", name="An", eid={"valid_until": "2025-12-31"})
>>> late.matches(p, today=dt.date(2026, 1, 1))
True
>>> Filter.from_json(late.to_json()) == late
True
"""

import typing

from clientcore.query._check import OPEN, OpenMode
from clientcore.query._compile import Selection, reference_predicate, source_of
from clientcore.query._explain import Failure, describe, explain
from clientcore.query._layout import (
    DEFAULT_COLUMNS,
    ColumnLayout,
    InMemoryLayoutRepository,
    LayoutBook,
)
from clientcore.query._operators import (
    COMPLEMENT,
    OPERATORS,
    Op,
    Operator,
    Shape,
    operator_of,
)
from clientcore.query._saved import (
    DuplicateFilter,
    DuplicateFilterName,
    FilterBook,
    InMemorySavedFilterRepository,
    SavedFilter,
)
from clientcore.query._search import Hit, MatchKind, SearchIndex
from clientcore.query._tree import (
    ITEM,
    MAX_DEPTH,
    MAX_NODES,
    MAX_STRING,
    And,
    Cond,
    F,
    Filter,
    Not,
    Or,
    Today,
    conditions,
    walk,
)
from clientcore.query._visibility import push_not, restrict_status

if typing.TYPE_CHECKING:
    from clientcore.ports import LayoutRepository, SavedFilterRepository

_MOVED_TO_PORTS = frozenset({"LayoutRepository", "SavedFilterRepository"})


def __getattr__(name: str) -> typing.Any:
    # The repository ports live in clientcore.ports with every other port; they are
    # still reachable here, read lazily because ports imports this package.
    if name in _MOVED_TO_PORTS:
        import clientcore.ports as ports

        return getattr(ports, name)
    raise AttributeError(f"module 'clientcore.query' has no attribute {name!r}")


__all__ = [
    "COMPLEMENT",
    "DEFAULT_COLUMNS",
    "ITEM",
    "MAX_DEPTH",
    "MAX_NODES",
    "MAX_STRING",
    "OPEN",
    "OPERATORS",
    "And",
    "ColumnLayout",
    "Cond",
    "DuplicateFilter",
    "DuplicateFilterName",
    "F",
    "Failure",
    "Filter",
    "FilterBook",
    "Hit",
    "InMemoryLayoutRepository",
    "InMemorySavedFilterRepository",
    "LayoutBook",
    "LayoutRepository",
    "MatchKind",
    "Not",
    "Op",
    "OpenMode",
    "Operator",
    "Or",
    "SavedFilter",
    "SavedFilterRepository",
    "SearchIndex",
    "Selection",
    "Shape",
    "Today",
    "conditions",
    "describe",
    "explain",
    "operator_of",
    "push_not",
    "reference_predicate",
    "restrict_status",
    "source_of",
    "walk",
]
