"""A guarded unit of work: no status or acceptance change outside the status machine.

:class:`GuardedUnitOfWork` wraps any :class:`~clientcore.ports.UnitOfWork`. Reads and
writes go through to it unchanged; :meth:`~GuardedUnitOfWork.commit` first checks that
every party whose status or acceptance record changed in the transaction carries the
machine's :class:`~clientcore.status.StatusChanged` events for exactly that change, and
refuses the commit (writing nothing) otherwise. A new party must start in an initial
status without an acceptance record. A host that hands only guarded units of work to
its code makes "no status change outside the machine" a guarantee.

>>> import attrs
>>> from clientcore import InMemoryUnitOfWork, Party
>>> uow = GuardedUnitOfWork(InMemoryUnitOfWork())
>>> with uow:
...     p = uow.parties.add(Party(id="p1", kind="client_company", name="Peeters BV"))
...     _ = uow.parties.save(attrs.evolve(p, status="client"))
...     try:
...         uow.commit()
...     except PermissionDenied as exc:
...         print(exc.reasons[0].code)
guard.status_without_event
"""

from __future__ import annotations

import builtins
import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import Any, Self

from clientcore._errors import Issue, PermissionDenied
from clientcore._messages import define
from clientcore.model import Acceptance, Party
from clientcore.ports import LinkRepository, UnitOfWork
from clientcore.query import Filter
from clientcore.status import INITIAL_STATUSES, ApprovalStep, StatusChanged

define(
    {
        "guard.status_without_event": (
            "Party {party_id}: its status changed from '{source}' to '{target}' without the "
            "status machine's event.",
            "Partij {party_id}: de status veranderde van '{source}' naar '{target}' zonder "
            "gebeurtenis van de statusmachine.",
            "Partie {party_id} : son statut est passé de « {source} » à « {target} » sans "
            "l'événement de la machine d'états.",
        ),
        "guard.acceptance_without_event": (
            "Party {party_id}: its acceptance record changed without the status machine's event.",
            "Partij {party_id}: het acceptatierecord veranderde zonder gebeurtenis van de "
            "statusmachine.",
            "Partie {party_id} : son dossier d'acceptation a changé sans l'événement de la "
            "machine d'états.",
        ),
        "guard.new_party_status": (
            "A new party starts in {expected} without an acceptance record; party "
            "{party_id} has status '{status}'{acceptance}.",
            "Een nieuwe partij begint in {expected} zonder acceptatierecord; partij "
            "{party_id} heeft status '{status}'{acceptance}.",
            "Une nouvelle partie commence en {expected} sans dossier d'acceptation ; la "
            "partie {party_id} a le statut « {status} »{acceptance}.",
        ),
    }
)

_INITIAL = sorted(s.value for s in INITIAL_STATUSES)


class _GuardedParties:
    """The inner party repository, remembering each party as the transaction found it."""

    def __init__(self, uow: GuardedUnitOfWork) -> None:
        self._uow = uow

    def add(self, party: Party) -> Party:
        if party.status not in INITIAL_STATUSES or party.acceptance is not None:
            extra = " and an acceptance record" if party.acceptance is not None else ""
            issue = Issue(
                "guard.new_party_status",
                "status",
                {
                    "party_id": party.id,
                    "status": party.status.value,
                    "expected": _INITIAL,
                    "acceptance": extra,
                },
            )
            raise PermissionDenied(issue.message(), [issue])
        stored = self._uow.inner.parties.add(party)
        self._uow._base.setdefault(stored.id, stored)
        self._uow._written[stored.id] = stored
        return stored

    def save(self, party: Party) -> Party:
        inner = self._uow.inner.parties
        base = self._uow._base.get(party.id)
        if base is None:
            base = inner.get(party.id)  # NotFound for an unknown party, as save would
        stored = inner.save(party)
        self._uow._base.setdefault(party.id, base)
        self._uow._written[party.id] = stored
        return stored

    def remove(self, party_id: str) -> None:
        self._uow.inner.parties.remove(party_id)
        self._uow._written.pop(party_id, None)

    def get(self, party_id: str) -> Party:
        return self._uow.inner.parties.get(party_id)

    def get_many(self, party_ids: Iterable[str]) -> builtins.list[Party]:
        return self._uow.inner.parties.get_many(party_ids)

    def list(self) -> builtins.list[Party]:
        return self._uow.inner.parties.list()

    def find(
        self,
        flt: Filter,
        *,
        today: dt.date | None = None,
        order_by: Sequence[str] | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> builtins.list[Party]:
        return self._uow.inner.parties.find(
            flt, today=today, order_by=order_by, limit=limit, offset=offset
        )

    def count(self, flt: Filter, *, today: dt.date | None = None) -> int:
        return self._uow.inner.parties.count(flt, today=today)


class GuardedUnitOfWork:
    """A :class:`~clientcore.ports.UnitOfWork` over ``inner`` that refuses, at commit, a
    status or acceptance change written without the machine's events.

    For each party saved in the transaction whose status or acceptance differs from
    what the transaction first read, the events recorded in the same transaction must
    hold :class:`~clientcore.status.StatusChanged` events of that party that lead from
    the status read to the status written, one after the other, and whose recorded
    acceptance steps name the submitter and approver the party now records. Otherwise
    the commit raises :class:`~clientcore.PermissionDenied` naming every such party,
    rolls the transaction back and writes nothing. :meth:`~_GuardedParties.add` refuses
    a new party outside the initial statuses or with an acceptance record at once.

    A migration that must write statuses directly uses the inner unit of work.
    """

    def __init__(self, inner: UnitOfWork) -> None:
        self.inner = inner
        self.parties = _GuardedParties(self)
        self._base: dict[str, Party] = {}
        self._written: dict[str, Party] = {}
        self._recorded: list[Any] = []

    @property
    def links(self) -> LinkRepository:
        """The inner unit of work's links (links carry no status)."""
        return self.inner.links

    def _forget(self) -> None:
        self._base = {}
        self._written = {}
        self._recorded = []

    def __enter__(self) -> Self:
        self.inner.__enter__()
        self._forget()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._forget()
        self.inner.__exit__(exc_type, exc, tb)

    def commit(self) -> None:
        """Check every status and acceptance change, then commit the inner unit of work."""
        issues = [
            issue
            for party_id, after in self._written.items()
            for issue in _unexplained(self._base[party_id], after, self._recorded)
        ]
        if issues:
            self.rollback()
            raise PermissionDenied("; ".join(i.message() for i in issues), issues)
        self.inner.commit()
        self._forget()

    def rollback(self) -> None:
        """Drop every write of this transaction."""
        self.inner.rollback()
        self._forget()

    def record(self, *events: Any) -> None:
        """Keep events to publish on commit; status events explain status changes."""
        self.inner.record(*events)
        self._recorded.extend(events)

    @property
    def events(self) -> Sequence[Any]:
        """Events committed through the inner unit of work, oldest first."""
        return self.inner.events

    @property
    def audit_trail(self) -> Sequence[Any]:
        """The inner unit of work's audit trail when it has one, else the events
        committed through it; then this transaction's own events."""
        trail = getattr(self.inner, "audit_trail", None)
        if trail is not None:
            return tuple(trail)
        return (*self.inner.events, *self._recorded)


def _unexplained(before: Party, after: Party, recorded: Sequence[Any]) -> list[Issue]:
    status_same = before.status is after.status
    acceptance_same = before.acceptance == after.acceptance
    if status_same and acceptance_same:
        return []
    events = [e for e in recorded if isinstance(e, StatusChanged) and e.party_id == after.id]
    chained = (
        bool(events)
        and events[0].source is before.status
        and events[-1].target is after.status
        and all(a.target is b.source for a, b in itertools.pairwise(events))
    )
    if not chained:
        params = {
            "party_id": after.id,
            "source": before.status.value,
            "target": after.status.value,
        }
        if status_same:
            return [Issue("guard.acceptance_without_event", "acceptance", params)]
        return [Issue("guard.status_without_event", "status", params)]
    if not acceptance_same and not _acceptance_explained(after.acceptance, events[-1]):
        return [Issue("guard.acceptance_without_event", "acceptance", {"party_id": after.id})]
    return []


def _acceptance_explained(record: Acceptance | None, event: StatusChanged) -> bool:
    if record is None:
        return True  # an acceptance reset by a transition the events show
    steps = {a.step: a.actor for a in event.approvals}
    return (
        steps.get(ApprovalStep.SUBMITTED) == record.submitted_by
        and steps.get(ApprovalStep.APPROVED) == record.approved_by
    )
