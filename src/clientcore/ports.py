"""Ports: what a host implements to give clientcore its storage.

clientcore does not wrap a host's repository: each protocol's docstring says what the
host's implementation must guarantee itself (version checks, conflicts, ``NotFound``,
link rules, events only on commit), and the contract suite in :mod:`clientcore.testing`
proves that it does. The in-memory adapter,
:class:`clientcore.adapters.memory.InMemoryUnitOfWork`, is the reference.

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
    :meth:`add` refuses an id that exists (``ConflictError``) and stores version 1;
    :meth:`save` refuses an unknown party (``NotFound``) and a party whose ``version``
    is not the stored one (``ConflictError`` naming the party), and stores it with
    ``version + 1``; :meth:`get` and :meth:`get_many` raise ``NotFound`` naming the
    missing id; :meth:`remove` refuses a party that still has links (``ConflictError``).
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
    """The links of one unit of work.

    A host guarantees: :meth:`add` refuses a duplicate id (``ConflictError``), a link
    whose party kinds do not fit and a parent/subsidiary cycle (``ValidationError``).
    """

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

    A host guarantees: nothing is visible outside before :meth:`commit`; leaving the
    block without commit, or by an exception, rolls back. :meth:`commit` checks again,
    atomically, every version the transaction read (``ConflictError``), that the merged
    links make no parent/subsidiary cycle (``ValidationError`` naming it) and point at
    parties that exist, then writes everything or nothing; the unit of work is usable
    after a failed commit. Events recorded with :meth:`record` are kept only when the
    transaction commits, and then appear in :attr:`events`.
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
