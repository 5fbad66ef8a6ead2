"""Use cases over a unit of work: open it, read, decide, apply, commit.

The state machine and bulk plans decide; these functions are where a transaction is
opened and committed around them, so a host calls one function per use case and
gets all of it written or none.

>>> import datetime as dt
>>> from clientcore import Actor, InMemoryUnitOfWork, Party
>>> from clientcore.query import F
>>> from clientcore.status import RolePolicy, StatusMachine
>>> uow = InMemoryUnitOfWork()
>>> with uow:
...     _ = uow.parties.add(Party(id="p1", kind="client_company", name="Peeters BV"))
...     uow.commit()
>>> ann = Actor("ann", {"staff"})
>>> event = change_status(uow, StatusMachine(RolePolicy.default()), ann, "p1", "qualify",
...                       at=dt.datetime(2026, 1, 5, 9, 0))
>>> event.target.value
'prospect'
>>> str(select(uow, F("status") == "prospect", with_total=True))
'1 / 1'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal, overload

from clientcore.bulk import BulkPlan, EditPolicy, Preview, Receipt
from clientcore.model import Actor, Party, Schema
from clientcore.ports import UnitOfWork
from clientcore.query import Filter, Selection
from clientcore.status import StatusChanged, StatusMachine


def change_status(
    uow: UnitOfWork,
    machine: StatusMachine,
    actor: Actor,
    party_id: str,
    transition: str,
    reason: str | None = None,
    *,
    at: dt.datetime,
) -> StatusChanged:
    """Take ``transition`` on one party in its own transaction and record the event.

    Refusals (:class:`~clientcore.errors.TransitionDenied`, ``NotFound``) and a
    concurrent change (``ConflictError`` at commit) leave the store untouched.
    """
    with uow:
        event = machine.apply_in(uow, actor, party_id, transition, reason, at=at)
        uow.commit()
    return event


def preview_plan(
    uow: UnitOfWork,
    plan: BulkPlan,
    actor: Actor | str,
    today: dt.date | None = None,
    *,
    machine: StatusMachine | None = None,
    edit_policy: EditPolicy | None = None,
    schema: Schema | None = None,
    at: dt.datetime | None = None,
) -> Preview:
    """Every change and rejection ``plan`` would make, read in one transaction; writes
    nothing (see :meth:`clientcore.bulk.BulkPlan.preview`)."""
    with uow:
        return plan.preview_in(
            uow, actor, today, machine=machine, edit_policy=edit_policy, schema=schema, at=at
        )


def apply_plan(
    uow: UnitOfWork,
    plan: BulkPlan,
    actor: Actor | str,
    preview: Preview | None = None,
    on_rejection: Literal["abort", "skip"] = "abort",
    *,
    at: dt.datetime,
    today: dt.date | None = None,
    machine: StatusMachine | None = None,
    edit_policy: EditPolicy | None = None,
    schema: Schema | None = None,
) -> Receipt:
    """Apply ``plan`` in one transaction: every change and its events, or nothing
    (see :meth:`clientcore.bulk.BulkPlan.apply`)."""
    with uow:
        receipt = plan.apply_in(
            uow,
            actor,
            preview,
            on_rejection,
            at=at,
            today=today,
            machine=machine,
            edit_policy=edit_policy,
            schema=schema,
        )
        uow.commit()
    return receipt


@overload
def select(
    uow: UnitOfWork,
    flt: Filter,
    *,
    today: dt.date | None = None,
    order_by: Sequence[str] | None = None,
    limit: int | None = None,
    offset: int | None = None,
    with_total: Literal[False] = False,
) -> list[Party]: ...


@overload
def select(
    uow: UnitOfWork,
    flt: Filter,
    *,
    today: dt.date | None = None,
    order_by: Sequence[str] | None = None,
    limit: int | None = None,
    offset: int | None = None,
    with_total: Literal[True],
) -> Selection: ...


def select(
    uow: UnitOfWork,
    flt: Filter,
    *,
    today: dt.date | None = None,
    order_by: Sequence[str] | None = None,
    limit: int | None = None,
    offset: int | None = None,
    with_total: bool = False,
) -> list[Party] | Selection:
    """The parties ``flt`` selects, read in one transaction through the store's
    ``find`` (pushed down where the store can); with ``with_total=True`` a
    :class:`~clientcore.query.Selection` whose ``matched`` and ``total`` are counted
    by the store (``count``), not by loading every party."""
    with uow:
        found = uow.parties.find(flt, today=today, order_by=order_by, limit=limit, offset=offset)
        if not with_total:
            return found
        matched = uow.parties.count(flt, today=today)
        total = uow.parties.count(Filter.all())
    return Selection(tuple(found), matched, total)


__all__ = ["apply_plan", "change_status", "preview_plan", "select"]
