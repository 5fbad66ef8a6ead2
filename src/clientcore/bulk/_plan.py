"""Bulk plans: a selection and operations; preview, atomic apply, receipt and undo.

>>> import datetime as dt
>>> from clientcore import Actor, InMemoryUnitOfWork, Party
>>> from clientcore.bulk import BulkPlan, Labels, SetField
>>> from clientcore.query import F
>>> uow = InMemoryUnitOfWork()
>>> with uow:
...     for i in range(3):
...         _ = uow.parties.add(Party(id=f"p{i}", kind="client_company", name=f"Client {i}"))
...     uow.commit()
>>> ops = [SetField("language", "fr"), Labels(add={"vip"})]
>>> plan = BulkPlan(F("name").starts_with("client"), ops)
>>> ann = Actor("ann", {"staff"})
>>> preview = plan.preview(uow, ann)
>>> len(preview.changes), len(preview.rejections)
(6, 0)
>>> receipt = plan.apply(uow, ann, preview=preview, at=dt.datetime(2026, 1, 5, 9, 0))
>>> receipt.applied
('p0', 'p1', 'p2')
>>> _ = receipt.undo.apply(uow, ann, at=dt.datetime(2026, 1, 5, 9, 5))
>>> with uow:
...     uow.parties.get("p0").language is None
True
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import attrs

import clientcore.bulk._codes  # noqa: F401  (the messages of the codes used here)
from clientcore._errors import Issue, ValidationError
from clientcore.bulk._engine import (
    check_versions,
    context_of,
    evaluate_plan,
    merged_rejections,
    resolve,
    reusable,
    write,
)
from clientcore.bulk._json import plan_from_json, plan_to_json
from clientcore.bulk._policy import EditPolicy
from clientcore.bulk._results import BulkRejected, Preview, Receipt
from clientcore.bulk._selection import (
    BulkSelection,
    check_limit,
    operations_of,
    plan_invalid,
    selection_of,
)
from clientcore.bulk.ops import Operation
from clientcore.model import Actor, Schema, as_actor, new_id
from clientcore.ports import UnitOfWork
from clientcore.status import StatusMachine

OnRejection = Literal["abort", "skip"]


@attrs.frozen
class BulkPlan:
    """A selection and the operations to apply to every selected party.

    ``selection`` is a :class:`~clientcore.query.Filter`, a list of party ids, or
    ``(filter, ids)`` (the ids that also match). ``limit`` caps the number of parties
    (time entries: at most 20 clients).
    """

    selection: BulkSelection = attrs.field(converter=selection_of)
    operations: tuple[Operation, ...] = attrs.field(converter=operations_of)
    limit: int | None = attrs.field(default=None, validator=check_limit)
    id: str = attrs.field(factory=new_id)

    @property
    def is_empty(self) -> bool:
        """Whether this is the empty plan (no ids, no filter, no operations): what
        ``receipt.undo`` is when the apply changed nothing. Previewing or applying it
        does nothing and raises nothing."""
        sel = self.selection
        return not self.operations and sel.filter is None and sel.ids == ()

    @property
    def needs_machine(self) -> bool:
        """Whether the plan changes statuses (and so needs a :class:`StatusMachine`)."""
        return any(op.moves_status for op in self.operations)

    # --- JSON ---

    def to_json(self) -> dict[str, Any]:
        """``{"clientcore_bulk_plan": 1, ...}``: to hold for a colleague, schedule or log."""
        return plan_to_json(self)

    @staticmethod
    def from_json(data: Any) -> BulkPlan:
        """Decode strictly; faults raise ``ValidationError`` (or ``FilterError``) with a path.

        The input is bounded first (:data:`~clientcore.errors.PLAN_LIMITS`: at most
        100,000 ids), before any id or operation is read.
        """
        parts = plan_from_json(data)
        return BulkPlan(parts.selection, parts.operations, parts.limit, parts.id)

    # --- preview and apply ---

    def preview(
        self,
        uow: UnitOfWork,
        actor: Actor | str,
        today: dt.date | None = None,
        *,
        machine: StatusMachine | None = None,
        edit_policy: EditPolicy | None = None,
        schema: Schema | None = None,
        at: dt.datetime | None = None,
    ) -> Preview:
        """Every change the plan would make, and every rejection; writes nothing.

        With ``machine=`` the selection is what ``actor`` may see: conditions on the
        status (and the fields that betray it) never match a hidden status, and a party
        whose status is hidden from the actor is left out (an explicit id of one is
        reported as not found). Without a machine there is no status visibility.
        Values are checked against ``schema`` (default: the built-in catalogue).
        ``actor`` is an :class:`~clientcore.model.Actor` or a user id (an actor without
        roles). The unit of work is opened by the service layer
        (:func:`clientcore.services.preview_plan`); :meth:`preview_in` is the same
        inside a unit of work the caller has opened.
        """
        from clientcore.services import preview_plan  # the service layer opens the uow

        return preview_plan(
            uow, self, actor, today, machine=machine, edit_policy=edit_policy, schema=schema, at=at
        )

    def preview_in(
        self,
        uow: UnitOfWork,
        actor: Actor | str,
        today: dt.date | None = None,
        *,
        machine: StatusMachine | None = None,
        edit_policy: EditPolicy | None = None,
        schema: Schema | None = None,
        at: dt.datetime | None = None,
    ) -> Preview:
        """:meth:`preview`, read in ``uow``, which the caller has opened."""
        actor = as_actor(actor)
        self._check_machine(machine)
        if self.needs_machine and at is None and today is None:
            raise ValidationError([Issue("bulk.needs_at", "at")])
        if self.is_empty:
            return Preview(self.id, 0, (), (), (), {}, {}, ())
        return evaluate_plan(self, uow, actor, today, machine, edit_policy, schema, at)

    def apply(
        self,
        uow: UnitOfWork,
        actor: Actor | str,
        preview: Preview | None = None,
        on_rejection: OnRejection = "abort",
        *,
        at: dt.datetime | None = None,
        today: dt.date | None = None,
        machine: StatusMachine | None = None,
        edit_policy: EditPolicy | None = None,
        schema: Schema | None = None,
    ) -> Receipt:
        """Apply in one transaction: every change is committed, or none.

        With a ``preview``, a party whose version changed since makes the whole apply
        fail with ``ConflictError`` naming the parties. The preview's work is reused only
        when it was computed with the same actor, edit policy, machine, schema and
        ``today`` (and, for a plan with transitions, the same ``at``); otherwise the plan
        is evaluated again for this apply. A preview of another plan is an error.

        A preview is evidence, not permission: a plan that changes statuses is always
        evaluated again inside this transaction, so every guard asks its facts
        (running projects) again and four-eyes reads the audit trail as it is now.
        Rejected parties (those of the preview and those of this apply, ``not_found``
        included) abort the apply (``on_rejection="abort"``, raising
        :class:`BulkRejected`) or are left out and reported in ``receipt.skipped``
        (``"skip"``). The transaction is the service layer's
        (:func:`clientcore.services.apply_plan`); :meth:`apply_in` is the same inside a
        unit of work the caller has opened and commits.
        """
        from clientcore.services import apply_plan  # the service layer owns the transaction

        if not isinstance(at, dt.datetime):
            raise ValidationError([Issue("bulk.needs_at", "at")])
        return apply_plan(
            uow,
            self,
            actor,
            preview,
            on_rejection,
            at=at,
            today=today,
            machine=machine,
            edit_policy=edit_policy,
            schema=schema,
        )

    def apply_in(
        self,
        uow: UnitOfWork,
        actor: Actor | str,
        preview: Preview | None = None,
        on_rejection: OnRejection = "abort",
        *,
        at: dt.datetime | None = None,
        today: dt.date | None = None,
        machine: StatusMachine | None = None,
        edit_policy: EditPolicy | None = None,
        schema: Schema | None = None,
    ) -> Receipt:
        """:meth:`apply`'s work inside ``uow``, which the caller has opened and commits
        (nothing is committed here; a refusal leaves the caller's transaction to roll
        back)."""
        actor = as_actor(actor)
        self._check_machine(machine)
        if not isinstance(at, dt.datetime):
            raise ValidationError([Issue("bulk.needs_at", "at")])
        if on_rejection not in ("abort", "skip"):
            raise plan_invalid("on_rejection", "on_rejection is 'abort' or 'skip'")
        if preview is not None and preview.plan_id != self.id:
            raise ValidationError(
                [
                    Issue(
                        "bulk.preview.other_plan",
                        "preview",
                        {"plan": self.id, "preview_plan": preview.plan_id},
                    )
                ]
            )
        if self.is_empty:
            return Receipt(self.id, (), (), (), self)
        policy, catalogue = resolve(edit_policy, schema)
        context = context_of(self, actor, policy, machine, catalogue, today, at)
        if preview is not None:
            check_versions(uow, preview.versions)
        if preview is not None and reusable(self, preview, context):
            current = preview
        else:
            current = evaluate_plan(self, uow, actor, today, machine, policy, catalogue, at)
        rejected = merged_rejections(preview, current)
        if rejected and on_rejection == "abort":
            raise BulkRejected(rejected)
        written = write(self, uow, actor, current, (r.party_id for r in rejected), at)
        undo = BulkPlan(written.applied, written.restores, id=f"undo-{self.id}")
        return Receipt(
            self.id,
            written.applied,
            tuple(rejected),
            written.events,
            undo,
            written.names,
        )

    def _check_machine(self, machine: StatusMachine | None) -> None:
        if self.needs_machine and machine is None:
            raise ValidationError([Issue("bulk.needs_machine", "machine")])
