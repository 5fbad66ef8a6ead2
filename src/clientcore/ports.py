"""Ports: every protocol a host implements to give clientcore its storage.

Parties, links, the unit of work around them, audit events, saved filters and column
layouts. clientcore does not wrap a host's repository: each protocol's docstring says
what the host's implementation must guarantee itself (version checks, conflicts,
``NotFound``, link rules, events only on commit), and the contract suites in
:mod:`clientcore.testing` prove that it does. ``docs/storage.md`` walks through writing
one. The in-memory adapter, :class:`clientcore.adapters.memory.InMemoryUnitOfWork`, is
the reference; :mod:`clientcore.adapters.sqlalchemy` is a relational one.

>>> from clientcore import InMemoryUnitOfWork
>>> isinstance(InMemoryUnitOfWork(), UnitOfWork)
True
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any, Protocol, Self, runtime_checkable

from clientcore.model import Link, Party
from clientcore.query import Filter, SavedFilter

#: A Python predicate over parties: what :meth:`PartyRepository.find` also accepts
#: from a store that cannot push a filter down (the in-memory one).
PartyPredicate = Callable[[Party], bool]


@runtime_checkable
class AuditEvent(Protocol):
    """What a unit of work records and publishes on commit: who did what to which party.

    :class:`clientcore.status.StatusChanged` and :class:`clientcore.bulk.FieldsChanged`
    are audit events; a host may record its own frozen attrs classes with these fields.
    """

    @property
    def party_id(self) -> str:
        """The party the event concerns."""
        ...

    @property
    def actor(self) -> str:
        """The id of the actor who caused it."""
        ...

    @property
    def at(self) -> dt.datetime:
        """When it happened."""
        ...


@runtime_checkable
class PartyRepository(Protocol):
    """The parties of one unit of work.

    A host guarantees: reads see committed data plus this unit of work's own writes,
    and one read (``list``, ``find``) sees one consistent state even while other units
    of work commit; :meth:`add` refuses an id that exists (``ConflictError``, code
    ``conflict.duplicate_id``) and stores version 1; :meth:`save` refuses an unknown
    party (``NotFound("party", id)``) and a party whose ``version`` is not the stored
    one (``ConflictError``, code ``conflict.stale_version``, naming the party), and
    stores it with ``version + 1``; :meth:`get` and :meth:`get_many` raise
    ``NotFound`` naming the missing id; :meth:`remove` refuses a party that still has
    links (``ConflictError``, code ``conflict.party_has_links``).

    :meth:`find` and :meth:`count` take a :class:`~clientcore.query.Filter` so that a
    store can run it where the data lives (SQL). They must select exactly the parties
    for which ``flt.matches(party, today=today)`` is true. A store that cannot push a
    filter down evaluates ``flt.compile(today=today)`` on every party; a store that can
    push down only part of the language refuses the rest with a ``FilterError``, never
    runs it silently in Python over the whole table.
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
        """Every party (in no promised order)."""
        ...

    def find(
        self,
        flt: Filter,
        *,
        today: dt.date | None = None,
        order_by: Sequence[str] | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> builtins.list[Party]:
        """The parties ``flt`` selects. With ``order_by`` (field paths, a leading ``-``
        for descending), ``limit`` or ``offset`` they are ordered by ``order_by`` then
        by id, ``offset`` skipped and at most ``limit`` returned; without, in no
        promised order."""
        ...

    def count(self, flt: Filter, *, today: dt.date | None = None) -> int:
        """How many parties ``flt`` selects."""
        ...

    def remove(self, party_id: str) -> None:
        """Delete a party; ``NotFound`` when there is none."""
        ...


@runtime_checkable
class LinkRepository(Protocol):
    """The links of one unit of work (a link joins ``from_id`` to ``to_id``).

    A host guarantees: :meth:`add` refuses a duplicate id (``ConflictError``, code
    ``conflict.duplicate_link_id``), a link to an unknown party (``NotFound``), a link
    whose party kinds do not fit (``ValidationError`` from
    :func:`clientcore.model.link_issues`) and a parent/subsidiary cycle
    (``ValidationError``, code ``link.cycle``, from
    :func:`clientcore.model.check_structure`); :meth:`get` and :meth:`remove` raise
    ``NotFound("link", id)`` for an unknown id.
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

    A host guarantees: using the repositories outside a ``with`` block, or nesting one,
    raises ``ClientCoreError`` (codes ``uow.not_open``, ``uow.already_open``); nothing
    is visible outside before :meth:`commit`; leaving the block without commit, or by
    an exception, rolls back. :meth:`commit` checks again, atomically, every version
    the transaction wrote (``ConflictError`` naming the parties), that the merged links
    make no parent/subsidiary cycle (``ValidationError`` naming it) and point at
    parties that exist (``ConflictError``, codes ``conflict.link_party_gone`` and
    ``conflict.party_has_links``), then writes everything or nothing, even when
    interrupted; the unit of work is usable after a failed commit. Events recorded with
    :meth:`record` are kept only when the transaction commits, and then appear in
    :attr:`events`, oldest first.
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

    def record(self, *events: AuditEvent) -> None:
        """Keep audit events to publish on commit."""
        ...

    @property
    def events(self) -> Sequence[AuditEvent]:
        """Events committed through this unit of work, oldest first."""
        ...


@runtime_checkable
class SavedFilterRepository(Protocol):
    """Where saved filters are stored.

    A host guarantees: :meth:`add` refuses an existing id (``ConflictError``, code
    ``saved_filter.duplicate_id``); :meth:`get`, :meth:`save` and :meth:`delete` raise
    ``NotFound("saved filter", id)`` for an unknown id; :meth:`list` returns every
    stored filter in the order they were added; what :meth:`get` returns equals what was
    stored. The rules (who sees and edits what, duplicates) live in
    :class:`clientcore.query.FilterBook`, not in the store.
    """

    def add(self, saved: SavedFilter) -> SavedFilter:
        """Store a new saved filter."""
        ...

    def get(self, filter_id: str) -> SavedFilter:
        """The saved filter with this id."""
        ...

    def list(self) -> builtins.list[SavedFilter]:
        """Every saved filter, of every user."""
        ...

    def save(self, saved: SavedFilter) -> SavedFilter:
        """Replace the stored filter that has ``saved.id``."""
        ...

    def delete(self, filter_id: str) -> None:
        """Remove the saved filter with this id."""
        ...


@runtime_checkable
class LayoutRepository(Protocol):
    """Where each user's column layout JSON is kept.

    A host guarantees: :meth:`get` returns an equal copy of what :meth:`put` stored for
    that user (a JSON-ready mapping) or ``None``; a later :meth:`put` replaces it;
    :meth:`delete` of a user without one is no error.
    """

    def get(self, user_id: str) -> Mapping[str, Any] | None:
        """The stored layout JSON of this user, or ``None``."""
        ...

    def put(self, user_id: str, layout: Mapping[str, Any]) -> None:
        """Store (or replace) this user's layout JSON."""
        ...

    def delete(self, user_id: str) -> None:
        """Forget this user's layout."""
        ...


__all__ = [
    "AuditEvent",
    "LayoutRepository",
    "LinkRepository",
    "PartyPredicate",
    "PartyRepository",
    "SavedFilterRepository",
    "UnitOfWork",
]
