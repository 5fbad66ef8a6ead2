"""Ports: what a host implements to give clientcore its storage.

A host writes storage only; version checks and events are the same for every store
and are proven by the contract suite in :mod:`clientcore.testing`. The in-memory
adapter, :class:`clientcore.adapters.memory.InMemoryUnitOfWork`, is the reference.

>>> from clientcore import InMemoryUnitOfWork
>>> isinstance(InMemoryUnitOfWork(), UnitOfWork)
True
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Sequence
from types import TracebackType
from typing import Any, Protocol, Self, runtime_checkable

from clientcore.model import Link, Party
from clientcore.query import LayoutRepository, SavedFilterRepository


@runtime_checkable
class PartyRepository(Protocol):
    """The parties of one unit of work.

    A host guarantees: reads see committed data plus this unit of work's own writes;
    :meth:`add` refuses an id that exists (``ConflictError``); :meth:`save` refuses a
    party whose ``version`` is not the stored one (``ConflictError`` naming the party)
    and stores it with ``version + 1``; :meth:`get` raises ``NotFound``.
    """

    def add(self, party: Party) -> Party:
        """Store a new party; returns it as stored (version 1)."""
        ...

    def save(self, party: Party) -> Party:
        """Store a changed party; returns it as stored (version bumped)."""
        ...

    def get(self, party_id: str) -> Party:
        """The party with this id; ``NotFound`` when there is none."""
        ...

    def get_many(self, party_ids: Iterable[str]) -> builtins.list[Party]:
        """The parties with these ids, in that order; ``NotFound`` names the first missing."""
        ...

    def list(self) -> builtins.list[Party]:
        """Every party."""
        ...

    def find(self, predicate: Callable[[Party], bool]) -> builtins.list[Party]:
        """The parties for which ``predicate`` is true."""
        ...

    def remove(self, party_id: str) -> None:
        """Delete a party; ``NotFound`` when there is none."""
        ...


@runtime_checkable
class LinkRepository(Protocol):
    """The links of one unit of work; :meth:`add` refuses links that do not fit."""

    def add(self, link: Link) -> Link:
        """Store a new link; refuses a kind mismatch or a parent/subsidiary cycle."""
        ...

    def get(self, link_id: str) -> Link:
        """The link with this id; ``NotFound`` when there is none."""
        ...

    def list(self) -> builtins.list[Link]:
        """Every link."""
        ...

    def for_party(self, party_id: str) -> builtins.list[Link]:
        """The links from or to this party."""
        ...

    def remove(self, link_id: str) -> None:
        """Delete a link; ``NotFound`` when there is none."""
        ...


@runtime_checkable
class UnitOfWork(Protocol):
    """A transaction over parties and links, used as ``with uow: ...; uow.commit()``.

    Nothing is visible outside before :meth:`commit`; leaving the block without
    commit, or by an exception, rolls back. Events recorded with :meth:`record` are
    kept only when the transaction commits, and then appear in :attr:`events`.
    """

    parties: PartyRepository
    links: LinkRepository

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None:
        """Make every write of this transaction visible at once, or none."""
        ...

    def rollback(self) -> None:
        """Drop every write of this transaction."""
        ...

    def record(self, *events: Any) -> None:
        """Keep events (audit, status changes) to publish on commit."""
        ...

    @property
    def events(self) -> Sequence[Any]:
        """Events committed through this unit of work, oldest first."""
        ...


__all__ = [
    "LayoutRepository",
    "LinkRepository",
    "PartyRepository",
    "SavedFilterRepository",
    "UnitOfWork",
]
