"""The audit trail of statuses: one event per applied transition, and a party's history."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

import attrs

from clientcore.model import ClientStatus, Party, PartyKind, choice


class ApprovalStep(enum.StrEnum):
    """A step of the four-eyes acceptance recorded in the audit trail."""

    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


def _step(value: object) -> ApprovalStep:
    return choice(ApprovalStep, "step")(value)


def _source(value: object) -> ClientStatus:
    return choice(ClientStatus, "source")(value)


def _target(value: object) -> ClientStatus:
    return choice(ClientStatus, "target")(value)


@attrs.frozen
class Approval:
    """Who took an acceptance step and when (``at`` is unknown for imported records)."""

    step: ApprovalStep = attrs.field(converter=_step)
    actor: str
    at: dt.datetime | None = None


def _approvals(value: Iterable[Approval]) -> tuple[Approval, ...]:
    return tuple(value)


@attrs.frozen
class StatusChanged:
    """A status transition that was applied: the audit trail as data.

    ``actor`` is the actor's id; ``version`` the party version the change was made on
    (the repository stores the result as ``version + 1``); ``approvals`` the acceptance
    steps on record after an action (submitted, approved, rejected), empty for field
    changes; ``kind_change`` the (before, after) party kinds when the transition turned a
    relation into a client kind, else ``None``.
    """

    party_id: str
    transition: str
    source: ClientStatus = attrs.field(converter=_source)
    target: ClientStatus = attrs.field(converter=_target)
    actor: str
    at: dt.datetime
    reason: str | None
    approvals: tuple[Approval, ...] = attrs.field(default=(), converter=_approvals)
    version: int = 0
    kind_change: tuple[PartyKind, PartyKind] | None = None


def status_history(events: Iterable[object], party_id: str) -> list[StatusChanged]:
    """The status changes of ``party_id`` among ``events``, in the order given.

    Other events and other parties' changes are skipped, so a unit of work's whole
    ``events`` can be passed.

    >>> import datetime as dt
    >>> at = dt.datetime(2024, 1, 2, 9, 0)
    >>> e = StatusChanged("p1", "qualify", "suspect", "prospect", "ann", at, None)
    >>> [x.target.value for x in status_history(["other", e], "p1")]
    ['prospect']
    """
    return [e for e in events if isinstance(e, StatusChanged) and e.party_id == party_id]


def trail_submitter(trail: Iterable[object], party: Party) -> tuple[bool, str | None]:
    """What ``trail`` says about who submitted the acceptance ``party`` awaits.

    ``(False, None)`` when the trail holds no status change of the party (imported
    before the trail began: nothing to check against). Otherwise ``(True, submitter)``,
    where ``submitter`` is ``None`` when the party's last recorded change does not lead
    to its current status, or names no submission: the party's acceptance record was
    then written around the machine.
    """
    last: StatusChanged | None = None
    for event in trail:
        if isinstance(event, StatusChanged) and event.party_id == party.id:
            last = event
    if last is None:
        return False, None
    if last.target is not party.status:
        return True, None
    for approval in last.approvals:
        if approval.step is ApprovalStep.SUBMITTED:
            return True, approval.actor
    return True, None
