from __future__ import annotations

import datetime as dt

import attrs
import pytest

from clientcore import Actor, ConflictError, InMemoryUnitOfWork, Party, TransitionDenied
from clientcore.adapters.memory import InMemoryStore
from clientcore.bulk import BulkPlan, SetField
from clientcore.model import ClientStatus
from clientcore.query import F
from clientcore.services import apply_plan, change_status, preview_plan, select
from clientcore.status import RolePolicy, StaticFacts, StatusMachine
from clientcore.testing import FaultyUnitOfWork, InjectedFault, company

AT = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
ann = Actor("ann", {"staff"})
machine = StatusMachine(RolePolicy.default(), StaticFacts(default=0))


def store() -> InMemoryStore:
    return InMemoryStore(
        [
            company("a", legal_form="BV"),
            company("b", legal_form="NV"),
            company("c", legal_form="BV"),
            Party(id="r", kind="relation_company", name="Bank"),
        ]
    )


def test_change_status_commits_the_party_and_its_event() -> None:
    uow = InMemoryUnitOfWork(store())
    event = change_status(uow, machine, ann, "a", "qualify", at=AT)
    with uow:
        stored = uow.parties.get("a")
    assert (ClientStatus.PROSPECT, 2) == (stored.status, stored.version)
    assert [event] == list(uow.events)


def test_a_refused_status_change_writes_nothing() -> None:
    uow = InMemoryUnitOfWork(store())
    with pytest.raises(TransitionDenied):
        change_status(uow, machine, ann, "a", "activate", at=AT)
    with uow:
        assert 1 == uow.parties.get("a").version
    assert [] == list(uow.events)


def test_a_fault_during_a_status_change_leaves_the_store_untouched() -> None:
    shared = store()
    faulty = FaultyUnitOfWork(InMemoryUnitOfWork(shared), fail_on=2)  # the commit
    with pytest.raises(InjectedFault):
        change_status(faulty, machine, ann, "a", "qualify", at=AT)  # type: ignore[arg-type]
    assert 1 == shared.parties["a"].version
    assert [] == shared.events


def test_a_plan_previews_then_applies_in_one_transaction() -> None:
    uow = InMemoryUnitOfWork(store())
    plan = BulkPlan(F("legal_form") == "BV", [SetField("language", "fr")])
    preview = preview_plan(uow, plan, ann)
    receipt = apply_plan(uow, plan, ann, preview, at=AT)
    assert ["a", "c"] == sorted(receipt.applied)
    with uow:
        assert ["fr", None, "fr"] == [p.language for p in uow.parties.get_many("abc")]


def test_a_plan_applied_over_a_changed_party_raises_conflict_and_writes_nothing() -> None:
    uow = InMemoryUnitOfWork(store())
    plan = BulkPlan(F("legal_form") == "BV", [SetField("language", "fr")])
    preview = preview_plan(uow, plan, ann)
    change_status(uow, machine, ann, "c", "qualify", at=AT)
    with pytest.raises(ConflictError):
        apply_plan(uow, plan, ann, preview, at=AT)
    with uow:
        assert [None, None] == [p.language for p in uow.parties.get_many("ac")]


def test_select_counts_with_the_store() -> None:
    uow = InMemoryUnitOfWork(store())
    selection = select(uow, F("legal_form") == "bv", with_total=True)
    assert "2 / 4" == str(selection)
    assert ["a", "c"] == [p.id for p in selection.items]
    page = select(uow, F("kind") == "client_company", order_by=["-id"], limit=2)
    assert ["c", "b"] == [p.id for p in page]


def test_a_plan_applied_inside_a_hosts_unit_of_work_commits_only_with_it() -> None:
    """The service layer owns the transaction: ``apply_in`` writes into the caller's
    unit of work and commits nothing, so a host can join it with its own writes."""
    shared = store()
    plan = BulkPlan(F("legal_form") == "BV", [SetField("portfolio", "Gent")])
    uow = InMemoryUnitOfWork(shared)
    with uow:
        receipt = plan.apply_in(uow, ann, at=AT)
        assert ["a", "c"] == sorted(receipt.applied)
        # no commit: leaving the block rolls the plan back
    with uow:
        assert [None, None] == [uow.parties.get(i).portfolio for i in ("a", "c")]
    with uow:
        plan.apply_in(uow, ann, at=AT)
        uow.parties.save(attrs.evolve(uow.parties.get("b"), portfolio="Brugge"))
        uow.commit()
    with uow:
        assert ["Gent", "Brugge", "Gent"] == [uow.parties.get(i).portfolio for i in "abc"]
