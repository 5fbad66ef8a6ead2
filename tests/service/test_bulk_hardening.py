"""Bulk plans re-check what can change, abort on every rejection, take a user id, and
name parties and collection items the way a user reads them."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import attrs
import pytest

from clientcore import Actor, InMemoryUnitOfWork, Party, Task
from clientcore.bulk import (
    BulkPlan,
    BulkRejected,
    Labels,
    Operation,
    SetField,
    SetTask,
    Transition,
)
from clientcore.bulk.ops import Step
from clientcore.status import RolePolicy, StatusMachine

AT = dt.datetime(2026, 1, 5, 9, 0)
STAFF = Actor("ann", {"staff"})


def store_with(*parties: Party) -> InMemoryUnitOfWork:
    uow = InMemoryUnitOfWork()
    with uow:
        for p in parties:
            uow.parties.add(p)
        uow.commit()
    return uow


def company(pid: str, **fields: object) -> Party:
    return Party(id=pid, kind="client_company", name=f"Company {pid}", **fields)  # type: ignore[arg-type]


def snapshot(uow: InMemoryUnitOfWork) -> dict[str, Party]:
    with uow:
        return {p.id: p for p in uow.parties.list()}


class Projects:
    """Facts the host changes between preview and apply."""

    def __init__(self) -> None:
        self.running: dict[str, int] = {}

    def running_projects(self, party_id: str) -> int:
        return self.running.get(party_id, 0)


def test_apply_asks_the_guard_facts_again_and_refuses_what_the_preview_allowed() -> None:
    facts = Projects()
    machine = StatusMachine(RolePolicy.default(), facts)
    uow = store_with(company("a", status="client"))
    plan = BulkPlan(["a"], [Transition("revert_to_prospect")])
    preview = plan.preview(uow, STAFF, machine=machine, at=AT)
    assert () == preview.rejections
    facts.running["a"] = 3  # projects started since the preview
    before = snapshot(uow)
    with pytest.raises(BulkRejected) as err:
        plan.apply(uow, STAFF, preview, at=AT, machine=machine)
    assert ["status.running_projects"] == [i.code for i in err.value.issues]
    assert before == snapshot(uow)


def test_abort_aborts_on_a_not_found_id_of_the_preview() -> None:
    uow = store_with(company("a"))
    plan = BulkPlan(["a", "zz"], [Labels(add={"x"})])
    preview = plan.preview(uow, STAFF)
    before = snapshot(uow)
    with pytest.raises(BulkRejected) as err:
        plan.apply(uow, STAFF, preview, on_rejection="abort", at=AT)
    assert ["zz"] == [r.party_id for r in err.value.rejections]
    assert before == snapshot(uow)
    with pytest.raises(BulkRejected):
        plan.apply(uow, STAFF, on_rejection="abort", at=AT)


def test_every_skipped_party_is_in_the_receipt_not_found_included() -> None:
    uow = store_with(company("a"))
    receipt = BulkPlan(["a", "zz"], [Labels(add={"x"})]).apply(
        uow, STAFF, on_rejection="skip", at=AT
    )
    assert (("a",), [("zz", "not_found.party")]) == (
        receipt.applied,
        [(r.party_id, r.issues[0].code) for r in receipt.skipped],
    )


def test_a_party_missing_at_preview_and_added_since_is_not_written_when_skipping() -> None:
    uow = store_with(company("a"))
    plan = BulkPlan(["a", "b"], [Labels(add={"x"})])
    preview = plan.preview(uow, STAFF)
    with uow:
        uow.parties.add(company("b"))
        uow.commit()
    receipt = plan.apply(uow, STAFF, preview, on_rejection="skip", at=AT)
    assert (("a",), ["b"]) == (receipt.applied, [r.party_id for r in receipt.skipped])
    assert frozenset() == snapshot(uow)["b"].labels


def test_a_plan_takes_a_plain_user_id_as_actor() -> None:
    uow = store_with(company("a"))
    preview = BulkPlan(["a"], [Labels(add={"x"})]).preview(uow, "me")
    assert ["bulk.not_allowed"] == [i.code for r in preview.rejections for i in r.issues]


def test_a_preview_and_a_receipt_name_the_client_and_what_changed_in_a_task() -> None:
    uow = store_with(
        company("a", number="C000042", tasks=[Task("closing"), Task("vat", active=False)])
    )
    plan = BulkPlan(["a"], [SetTask("vat", active=True), SetField("language", "fr")])
    preview = plan.preview(uow, STAFF)
    text = preview.to_text()
    assert "C000042 Company a (a)  tasks[vat].active: false → true" in text
    assert "tasks: [" not in text
    assert "C000042 Company a" in preview._repr_html_()
    receipt = plan.apply(uow, STAFF, preview, at=AT)
    assert "C000042 Company a (a)  tasks[vat].active: false → true" in receipt.to_text()
    assert "language: — → fr" in str(receipt)


def test_an_added_task_is_shown_as_a_whole() -> None:
    uow = store_with(company("a"))
    text = BulkPlan(["a"], [SetTask("vat", active=True)]).preview(uow, STAFF).to_text()
    assert "tasks[vat]: — → {code: vat, active: true" in text


def test_four_eyes_in_a_plan_reads_the_audit_trail() -> None:
    machine = StatusMachine(RolePolicy.default())
    uow = store_with(company("a", status="acceptance_draft"))
    with uow:
        machine.apply_in(uow, STAFF, "a", "submit_for_approval", at=AT)
        uow.commit()
    preview = BulkPlan(["a"], [Transition("approve")]).preview(
        uow, Actor("ANN\u200b", {"approver"}), machine=machine, at=AT
    )
    assert ["status.four_eyes"] == [i.code for r in preview.rejections for i in r.issues]


# --- operations carry their own behaviour ---


@attrs.frozen
class SetAttention(Operation):
    """An operation the engine has never heard of: it works because it evaluates itself."""

    tag: ClassVar[str] = "set_attention"
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"op": self.tag, "text": self.text}

    def paths(self) -> tuple[str, ...]:
        return ("attention",)

    def evaluate(self, step: Step) -> None:
        if step.permit("attention"):
            step.values["attention"] = self.text


def test_the_engine_runs_an_operation_by_its_own_behaviour() -> None:
    uow = store_with(company("a"))
    plan = BulkPlan(["a"], [SetAttention("call before visiting")])
    receipt = plan.apply(uow, STAFF, at=AT)
    assert ("a",) == receipt.applied
    assert "call before visiting" == snapshot(uow)["a"].attention
    assert ["bulk.not_allowed"] == [
        i.code for r in plan.preview(uow, "me").rejections for i in r.issues
    ]
