"""Four-eyes compares people, acceptance comes only through the machine, and a guarded
unit of work refuses a status written around it."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientcore import InMemoryUnitOfWork, Party, PermissionDenied, TransitionDenied
from clientcore.adapters import GuardedUnitOfWork
from clientcore.adapters.memory import InMemoryStore
from clientcore.errors import ValidationError
from clientcore.model import Acceptance, Actor, ClientStatus, as_actor, identity_key, same_person
from clientcore.status import RolePolicy, StaticFacts, StatusMachine
from clientcore.testing import UnitOfWorkContract

AT = dt.datetime(2024, 5, 6, 10, 0, tzinfo=dt.UTC)
machine = StatusMachine(RolePolicy.default(), StaticFacts(default=0))
APPROVER_ROLES = frozenset({"approver"})


def draft(party_id: str = "p1") -> Party:
    return Party(id=party_id, kind="client_company", name="Peeters BV", status="acceptance_draft")


def submitted_by_ann() -> Party:
    party, _ = machine.apply(Actor("ann", {"staff"}), draft(), "submit_for_approval", at=AT)
    return party


# --- identities ---


@pytest.mark.parametrize(
    "spelling", ["ann", "Ann", "ANN", "ann ", " ann", "ann\u200b", "\uff41nn", "\u202eann\u202c"]
)
def test_the_submitter_may_not_approve_under_another_spelling(spelling: str) -> None:
    decision = machine.evaluate(Actor(spelling, APPROVER_ROLES), submitted_by_ann(), "approve")
    assert "status.four_eyes" in decision.codes


def test_a_colleague_may_approve() -> None:
    assert machine.evaluate(Actor("bob", APPROVER_ROLES), submitted_by_ann(), "approve").allowed


def test_a_policy_may_supply_its_own_identity_key() -> None:
    employees = {"ann": "E1", "a.peeters": "E1", "bob": "E2"}
    policy = RolePolicy.default().with_role("approver", ["approve"], list(ClientStatus))
    policy = attrs.evolve(policy, identity=lambda key: employees.get(key, key))
    own = StatusMachine(policy)
    decision = own.evaluate(Actor("A.Peeters", APPROVER_ROLES), submitted_by_ann(), "approve")
    assert "status.four_eyes" in decision.codes
    assert own.evaluate(Actor("bob", APPROVER_ROLES), submitted_by_ann(), "approve").allowed
    # with_role keeps the identity key
    assert own.policy.with_role("x").identity is not None


@given(st.text(max_size=12))
def test_identity_key_is_idempotent_and_ignores_case_and_outer_space(text: str) -> None:
    key = identity_key(text)
    assert key == identity_key(key)
    assert key == identity_key(f"  {text.upper()} \u200b")
    assert same_person(text, Actor(text.lower()))


def test_an_actor_argument_takes_an_actor_or_a_user_id() -> None:
    assert Actor("ann") == as_actor("ann")
    for bad in (None, "", "  \u200b", 5):
        with pytest.raises(ValidationError) as info:
            as_actor(bad)  # type: ignore[arg-type]
        assert "actor.invalid" == info.value.issues[0].code


def test_the_machine_takes_a_plain_user_id() -> None:
    # a user id is an actor without roles: refused with reasons, never AttributeError
    party = Party(kind="client_company", name="A")
    expected = ("policy.status_hidden", "policy.transition_not_allowed")
    assert expected == machine.evaluate("ann", party, "qualify").codes
    assert [] == machine.available("ann", party)
    assert [] == machine.visible("ann", [party])


# --- four-eyes against the audit trail ---


def test_a_forged_submitter_is_refused_against_the_trail() -> None:
    uow = InMemoryUnitOfWork(InMemoryStore([draft()]))
    with uow:
        machine.apply_in(uow, Actor("ann", {"staff"}), "p1", "submit_for_approval", at=AT)
        uow.commit()
    # the record is rewritten around the machine: it now names someone else
    with uow:
        stored = uow.parties.get("p1")
        forged = attrs.evolve(stored, acceptance=Acceptance(submitted_by="eve", submitted_at=AT))
        uow.parties.save(forged)
        uow.commit()
    with uow, pytest.raises(TransitionDenied) as info:
        machine.apply_in(uow, Actor("ann", APPROVER_ROLES), "p1", "approve", at=AT)
    codes = [r.code for r in info.value.reasons]
    assert "status.submitter_unverified" in codes
    assert "status.four_eyes" in codes


def test_a_party_imported_before_the_trail_keeps_its_record() -> None:
    party = Party(
        id="p1",
        kind="client_company",
        name="A",
        status="acceptance_pending",
        acceptance=Acceptance(submitted_by="ann"),
    )
    uow = InMemoryUnitOfWork(InMemoryStore([party]))
    with uow:
        event = machine.apply_in(uow, Actor("bob", APPROVER_ROLES), "p1", "approve", at=AT)
    assert "acceptance_central_admin" == event.target.value


def test_the_trail_approves_a_colleague() -> None:
    uow = InMemoryUnitOfWork(InMemoryStore([draft()]))
    with uow:
        machine.apply_in(uow, Actor("ann", {"staff"}), "p1", "submit_for_approval", at=AT)
        machine.apply_in(uow, Actor("bob", APPROVER_ROLES), "p1", "approve", at=AT)
        uow.commit()
    assert 2 == len(uow.events)


# --- the guarded unit of work ---


class TestGuardedContract(UnitOfWorkContract):
    def make_uow(self) -> GuardedUnitOfWork:
        return GuardedUnitOfWork(InMemoryUnitOfWork())

    def second_uow(self, first: object) -> GuardedUnitOfWork:
        assert isinstance(first, GuardedUnitOfWork)
        inner = first.inner
        assert isinstance(inner, InMemoryUnitOfWork)
        return GuardedUnitOfWork(InMemoryUnitOfWork(inner.store))


def guarded(*parties: Party) -> GuardedUnitOfWork:
    return GuardedUnitOfWork(InMemoryUnitOfWork(InMemoryStore(parties)))


def test_a_status_written_around_the_machine_is_refused_and_nothing_is_written() -> None:
    uow = guarded(Party(id="p1", kind="client_company", name="A"))
    with uow:
        party = uow.parties.get("p1")
        uow.parties.save(attrs.evolve(party, status="prospect", name="B"))
        with pytest.raises(PermissionDenied) as info:
            uow.commit()
        assert ["guard.status_without_event"] == [r.code for r in info.value.reasons]
        assert "no" != info.value.reasons[0].message("nl")
    with uow:
        assert ("suspect", "A") == (uow.parties.get("p1").status.value, uow.parties.get("p1").name)


def test_a_status_changed_through_the_machine_is_committed() -> None:
    uow = guarded(Party(id="p1", kind="client_company", name="A"))
    with uow:
        machine.apply_in(uow, Actor("ann", {"staff"}), "p1", "qualify", at=AT)
        machine.apply_in(uow, Actor("ann", {"staff"}), "p1", "start_acceptance", at=AT)
        machine.apply_in(uow, Actor("ann", {"staff"}), "p1", "submit_for_approval", at=AT)
        uow.commit()
    with uow:
        assert ClientStatus.ACCEPTANCE_PENDING == uow.parties.get("p1").status


def test_an_acceptance_record_written_around_the_machine_is_refused() -> None:
    uow = guarded(draft())
    with uow:
        machine.apply_in(uow, Actor("ann", {"staff"}), "p1", "submit_for_approval", at=AT)
        party = uow.parties.get("p1")
        uow.parties.save(attrs.evolve(party, acceptance=Acceptance(submitted_by="eve")))
        with pytest.raises(PermissionDenied) as info:
            uow.commit()
    assert ["guard.acceptance_without_event"] == [r.code for r in info.value.reasons]


def test_an_event_of_another_transition_does_not_explain_a_status() -> None:
    uow = guarded(Party(id="p1", kind="client_company", name="A"))
    with uow:
        event = machine.apply_in(uow, Actor("ann", {"staff"}), "p1", "qualify", at=AT)
        party = uow.parties.get("p1")
        uow.parties.save(attrs.evolve(party, status="client"))
        with pytest.raises(PermissionDenied):
            uow.commit()
    assert "prospect" == event.target.value


def test_a_new_party_must_start_in_an_initial_status_without_acceptance() -> None:
    uow = guarded()
    with uow:
        with pytest.raises(PermissionDenied) as info:
            uow.parties.add(Party(id="p1", kind="client_company", name="A", status="client"))
        assert "guard.new_party_status" == info.value.reasons[0].code
        with pytest.raises(PermissionDenied):
            uow.parties.add(
                Party(
                    id="p2",
                    kind="client_company",
                    name="A",
                    acceptance=Acceptance(submitted_by="eve"),
                )
            )
        assert [] == uow.parties.list()


def test_other_fields_pass_the_guard() -> None:
    uow = guarded(Party(id="p1", kind="client_company", name="A"))
    with uow:
        uow.parties.save(attrs.evolve(uow.parties.get("p1"), name="B"))
        uow.commit()
    with uow:
        assert "B" == uow.parties.get("p1").name
