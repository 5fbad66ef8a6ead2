"""The facts port: what the host knows and the library does not own (projects)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

import attrs


@runtime_checkable
class StatusFacts(Protocol):
    """Facts about a party that live in the host's other modules, asked by guards.

    A host guarantees that the answers are current for the transaction in which a
    transition is applied (read them in the same database transaction when it can).
    """

    def running_projects(self, party_id: str) -> int:
        """How many projects of the party are still running (0 when none)."""
        ...


def _counts(value: Mapping[str, int] | None) -> dict[str, int]:
    return {str(k): int(v) for k, v in (value or {}).items()}


@attrs.frozen
class StaticFacts:
    """Facts from a fixed table: for tests, demos and hosts that precompute them.

    >>> StaticFacts({"p1": 2}).running_projects("p1"), StaticFacts().running_projects("p1")
    (2, 0)
    """

    running: dict[str, int] = attrs.field(factory=dict, converter=_counts, hash=False)
    default: int = 0

    def running_projects(self, party_id: str) -> int:
        """The count for ``party_id``, else ``default``."""
        return self.running.get(party_id, self.default)
