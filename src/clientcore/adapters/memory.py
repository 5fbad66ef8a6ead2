"""The embedded store: a unit of work over dictionaries, with real transactions.

It behaves like a database would: reads inside a transaction see its own writes,
nothing is visible elsewhere before commit, and a commit checks every touched
party's version against the store so that two transactions never lose an update.

>>> from clientcore import InMemoryUnitOfWork, Party
>>> uow = InMemoryUnitOfWork()
>>> with uow:
...     stored = uow.parties.add(Party(id="p1", kind="client_company", name="Peeters BV"))
...     uow.commit()
>>> with uow:
...     uow.parties.get("p1").version
1
"""

from __future__ import annotations

import builtins
import datetime as dt
import threading
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType, TracebackType
from typing import Any, Self

from clientcore._errors import (
    ConflictError,
    Issue,
    NotFound,
    ValidationError,
    stale_version,
    usage_error,
)
from clientcore.adapters._order import check_page, order_keys, sort_parties
from clientcore.model import (
    Link,
    LinkKind,
    Party,
    check_structure,
    link_issues,
    with_version,
)
from clientcore.ports import AuditEvent, PartyPredicate
from clientcore.query import Filter


class _State:
    """One committed state of a store. Never changed once published: a commit builds
    the next state aside and swaps it in with one assignment, so a reader holding a
    state sees it whole, and an interrupted commit publishes nothing."""

    __slots__ = ("events", "links", "parties")

    def __init__(
        self, parties: dict[str, Party], links: dict[str, Link], events: tuple[Any, ...]
    ) -> None:
        self.parties = parties
        self.links = links
        self.events = events


class InMemoryStore:
    """Committed state shared by every unit of work opened on it."""

    def __init__(self, parties: Iterable[Party] = ()) -> None:
        seeded: dict[str, Party] = {}
        for party in parties:
            seeded[party.id] = party if party.version > 0 else with_version(party, 1)
        self.state = _State(seeded, {}, ())
        self.lock = threading.Lock()

    @property
    def parties(self) -> Mapping[str, Party]:
        """The committed parties (a read-only view of the current state)."""
        return MappingProxyType(self.state.parties)

    @property
    def links(self) -> Mapping[str, Link]:
        """The committed links (a read-only view of the current state)."""
        return MappingProxyType(self.state.links)

    @property
    def events(self) -> builtins.list[Any]:
        """Every committed event, oldest first."""
        return list(self.state.events)


class _Transaction:
    def __init__(self) -> None:
        self.parties: dict[str, Party | None] = {}  # None marks a removal
        self.party_base: dict[str, int | None] = {}  # committed version when first touched
        self.links: dict[str, Link | None] = {}
        self.link_base: dict[str, bool] = {}  # whether the link existed when first touched
        self.events: list[Any] = []


class _Parties:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    def _tx(self) -> _Transaction:
        return self._uow._transaction()

    def _visible(self, party_id: str) -> Party | None:
        tx = self._tx()
        if party_id in tx.parties:
            return tx.parties[party_id]
        return self._uow.store.state.parties.get(party_id)

    def _touch(self, tx: _Transaction, party_id: str) -> None:
        if party_id not in tx.party_base:
            current = self._uow.store.state.parties.get(party_id)
            tx.party_base[party_id] = current.version if current is not None else None

    def add(self, party: Party) -> Party:
        tx = self._tx()
        if self._visible(party.id) is not None:
            raise ConflictError([Issue("conflict.duplicate_id", "id", {"party_id": party.id})])
        self._touch(tx, party.id)
        stored = with_version(party, 1)
        tx.parties[party.id] = stored
        return stored

    def save(self, party: Party) -> Party:
        tx = self._tx()
        current = self._visible(party.id)
        if current is None:
            raise NotFound("party", party.id)
        if current.version != party.version:
            raise ConflictError([stale_version(party.id, party.version, current.version)])
        self._touch(tx, party.id)
        stored = with_version(party, party.version + 1)
        tx.parties[party.id] = stored
        return stored

    def get(self, party_id: str) -> Party:
        found = self._visible(party_id)
        if found is None:
            raise NotFound("party", party_id)
        return found

    def get_many(self, party_ids: Iterable[str]) -> builtins.list[Party]:
        return [self.get(i) for i in party_ids]

    def list(self) -> builtins.list[Party]:
        tx = self._tx()
        # One state, read once: another unit of work's commit swaps in a new state
        # and never changes this one, so iterating it is safe and consistent.
        committed = self._uow.store.state.parties
        if not tx.parties:
            return list(committed.values())
        mine = dict(tx.parties)
        out = [mine.get(k, p) for k, p in committed.items()]
        out.extend(p for k, p in mine.items() if k not in committed)
        return [p for p in out if p is not None]

    def find(
        self,
        flt: Filter | PartyPredicate,
        *,
        today: dt.date | None = None,
        order_by: Sequence[str] | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> builtins.list[Party]:
        """The parties ``flt`` selects (a filter, or a Python predicate), see the port."""
        keys = order_keys(order_by)
        check_page(limit, offset)
        predicate = flt.compile(today=today) if isinstance(flt, Filter) else flt
        found = [p for p in self.list() if predicate(p)]
        if keys or limit is not None or offset is not None:
            found = sort_parties(found, keys)
        start = offset or 0
        return found[start : start + limit if limit is not None else None]

    def count(self, flt: Filter, *, today: dt.date | None = None) -> int:
        """How many parties ``flt`` selects."""
        predicate = flt.compile(today=today)
        return sum(1 for p in self.list() if predicate(p))

    def remove(self, party_id: str) -> None:
        tx = self._tx()
        if self._visible(party_id) is None:
            raise NotFound("party", party_id)
        linked = self._uow.links.for_party(party_id)
        if linked:
            raise ConflictError([_has_links(party_id, [k.id for k in linked])])
        self._touch(tx, party_id)
        tx.parties[party_id] = None


def _has_links(party_id: str, link_ids: Iterable[str]) -> Issue:
    return Issue(
        "conflict.party_has_links", "id", {"party_id": party_id, "links": sorted(link_ids)}
    )


class _Links:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    def _visible(self, link_id: str) -> Link | None:
        tx = self._uow._transaction()
        if link_id in tx.links:
            return tx.links[link_id]
        return self._uow.store.state.links.get(link_id)

    def _touch(self, tx: _Transaction, link_id: str) -> None:
        if link_id not in tx.link_base:
            tx.link_base[link_id] = link_id in self._uow.store.state.links

    def add(self, link: Link) -> Link:
        tx = self._uow._transaction()
        if self._visible(link.id) is not None:
            raise ConflictError([Issue("conflict.duplicate_link_id", "id", {"link_id": link.id})])
        parties = self._uow.parties
        source, target = parties.get(link.from_id), parties.get(link.to_id)
        issues = link_issues(link, source, target)
        if issues:
            raise ValidationError(issues)
        if link.kind is LinkKind.PARENT_SUBSIDIARY:
            check_structure([*self.list(), link])
        self._touch(tx, link.id)
        tx.links[link.id] = link
        return link

    def get(self, link_id: str) -> Link:
        found = self._visible(link_id)
        if found is None:
            raise NotFound("link", link_id)
        return found

    def list(self) -> builtins.list[Link]:
        tx = self._uow._transaction()
        merged: dict[str, Link | None] = {**self._uow.store.state.links, **tx.links}
        return [link for link in merged.values() if link is not None]

    def for_party(self, party_id: str) -> builtins.list[Link]:
        return [k for k in self.list() if party_id in (k.from_id, k.to_id)]

    def remove(self, link_id: str) -> None:
        tx = self._uow._transaction()
        if self._visible(link_id) is None:
            raise NotFound("link", link_id)
        self._touch(tx, link_id)
        tx.links[link_id] = None


class InMemoryUnitOfWork:
    """A unit of work on an :class:`InMemoryStore` (a new empty one by default).

    Several units of work may share one store, as several connections share a
    database; each ``with`` block is one transaction.
    """

    def __init__(self, store: InMemoryStore | None = None) -> None:
        self.store = store if store is not None else InMemoryStore()
        self.parties = _Parties(self)
        self.links = _Links(self)
        self._tx: _Transaction | None = None
        self._events: list[Any] = []

    def _transaction(self) -> _Transaction:
        if self._tx is None:
            raise usage_error("uow.not_open")
        return self._tx

    @property
    def in_transaction(self) -> bool:
        """Whether a ``with`` block is open."""
        return self._tx is not None

    def __enter__(self) -> Self:
        if self._tx is not None:
            raise usage_error("uow.already_open")
        self._tx = _Transaction()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()
        self._tx = None

    def commit(self) -> None:
        tx = self._transaction()
        store = self.store
        with store.lock:
            state = store.state
            stale: list[Issue] = []
            for party_id, base in tx.party_base.items():
                current = state.parties.get(party_id)
                now = current.version if current is not None else None
                if now != base:
                    stale.append(stale_version(party_id, base, now))
            for link_id, existed in tx.link_base.items():
                if (link_id in state.links) != existed:
                    stale.append(Issue("conflict.duplicate_link_id", "id", {"link_id": link_id}))
            if not stale:
                stale.extend(self._dangling(tx, state))
            if stale:
                self._tx = _Transaction()
                raise ConflictError(stale)
            if any(
                k is not None and k.kind is LinkKind.PARENT_SUBSIDIARY for k in tx.links.values()
            ):
                # Another transaction may have committed links that close a cycle with
                # ours: each was checked alone, so check the merged structure again.
                merged = {**state.links, **tx.links}
                try:
                    check_structure(k for k in merged.values() if k is not None)
                except ValidationError:
                    self._tx = _Transaction()
                    raise
            # Build the next state aside; readers keep the old one until the swap.
            parties = state.parties
            if tx.parties:
                parties = dict(parties)
                for party_id, party in tx.parties.items():
                    if party is None:
                        parties.pop(party_id, None)
                    else:
                        parties[party_id] = party
            links = state.links
            if tx.links:
                links = dict(links)
                for link_id, link in tx.links.items():
                    if link is None:
                        links.pop(link_id, None)
                    else:
                        links[link_id] = link
            events = (*state.events, *tx.events) if tx.events else state.events
            # One assignment publishes all of it: an interrupt before it leaves the
            # store as it was, after it the whole transaction is written.
            store.state = _State(parties, links, events)
        self._events.extend(tx.events)
        self._tx = _Transaction()

    def _dangling(self, tx: _Transaction, store: _State) -> builtins.list[Issue]:
        # Called under the store's lock: links added here must point at parties that
        # still exist once both this transaction's and committed changes are merged.
        issues: list[Issue] = []
        for link_id, link in tx.links.items():
            if link is None:
                continue
            for party_id in (link.from_id, link.to_id):
                party = (
                    tx.parties[party_id] if party_id in tx.parties else store.parties.get(party_id)
                )
                if party is None:
                    issues.append(
                        Issue(
                            "conflict.link_party_gone",
                            "links",
                            {"link_id": link_id, "party_id": party_id},
                        )
                    )
        removed = {party_id for party_id, party in tx.parties.items() if party is None}
        if removed:
            merged = {**store.links, **tx.links}
            linked: dict[str, list[str]] = {}
            for link in merged.values():
                if link is not None:
                    for party_id in {link.from_id, link.to_id} & removed:
                        linked.setdefault(party_id, []).append(link.id)
            issues.extend(_has_links(p, ids) for p, ids in sorted(linked.items()))
        return issues

    def rollback(self) -> None:
        if self._tx is not None:
            self._tx = _Transaction()

    def record(self, *events: AuditEvent) -> None:
        self._transaction().events.extend(events)

    @property
    def events(self) -> Sequence[AuditEvent]:
        return tuple(self._events)

    @property
    def audit_trail(self) -> Sequence[Any]:
        """Every event committed to the store, then this transaction's own: what
        four-eyes checks a submitter against."""
        with self.store.lock:
            committed = tuple(self.store.events)
        return committed + tuple(self.pending_events)

    @property
    def pending_events(self) -> Sequence[Any]:
        """Events recorded in the open transaction, not yet committed."""
        return tuple(self._tx.events) if self._tx is not None else ()
