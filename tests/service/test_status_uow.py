"""Status changes through the in-memory unit of work: saved, recorded, and only on commit."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientcore import ConflictError, InMemoryUnitOfWork, NotFound, Party, TransitionDenied
from clientcore.adapters.memory import InMemoryStore
from clientcore.model import Actor, ClientStatus
from clientcore.status import TABLE, RolePolicy, StaticFacts, StatusMachine, status_history

AT = dt.datetime(2024, 5, 6, 10, 0, tzinfo=dt.UTC)
ann = Actor("ann", {"staff"})
bob = Actor("bob", {"approver"})
machine = StatusMachine(RolePolicy.default(), StaticFacts(default=0))


def store_with(*parties: Party) -> InMemoryStore:
    return InMemoryStore(parties)


def suspect(party_id: str = "p1") -> Party:
    return Party(id=party_id, kind="client_company", name="Peeters BV")


def test_apply_in_saves_the_party_and_records_the_event_for_the_commit() -> None:
    uow = InMemoryUnitOfWork(store_with(suspect()))
    with uow:
        event = machine.apply_in(uow, ann, "p1", "qualify", at=AT)
        assert [event] == list(uow.pending_events)
        uow.commit()
    with uow:
        stored = uow.parties.get("p1")
    assert (ClientStatus.PROSPECT, 2) == (stored.status, stored.version)
    assert (1, [event]) == (event.version, list(uow.events))
    assert [event] == uow.store.events


def test_nothing_is_kept_when_the_caller_does_not_commit() -> None:
    uow = InMemoryUnitOfWork(store_with(suspect()))
    with uow:
        machine.apply_in(uow, ann, "p1", "qualify", at=AT)
    with uow:
        assert ClientStatus.SUSPECT == uow.parties.get("p1").status
    assert [] == list(uow.events)


def test_a_denied_change_saves_nothing_and_records_nothing() -> None:
    uow = InMemoryUnitOfWork(store_with(suspect()))
    with uow:
        with pytest.raises(TransitionDenied):
            machine.apply_in(uow, ann, "p1", "activate", at=AT)
        assert [] == list(uow.pending_events)
        uow.commit()
    with uow:
        assert (ClientStatus.SUSPECT, 1) == (
            uow.parties.get("p1").status,
            uow.parties.get("p1").version,
        )
    assert [] == list(uow.events)


def test_an_unknown_party_is_not_found() -> None:
    uow = InMemoryUnitOfWork()
    with uow, pytest.raises(NotFound):
        machine.apply_in(uow, ann, "nobody", "qualify", at=AT)


def test_two_changes_on_the_same_version_do_not_both_win() -> None:
    store = store_with(suspect())
    first, second = InMemoryUnitOfWork(store), InMemoryUnitOfWork(store)
    with first, second:
        machine.apply_in(first, ann, "p1", "qualify", at=AT)
        machine.apply_in(second, ann, "p1", "qualify", at=AT)
        first.commit()
        with pytest.raises(ConflictError):
            second.commit()
    assert 1 == len(status_history(store.events, "p1"))


def test_the_history_of_a_party_is_rebuilt_from_the_committed_events() -> None:
    uow = InMemoryUnitOfWork(store_with(suspect("p1"), suspect("p2")))
    steps = [
        (ann, "p1", "qualify", None),
        (ann, "p2", "qualify", None),
        (ann, "p1", "start_acceptance", None),
        (ann, "p1", "submit_for_approval", None),
        (bob, "p1", "reject", "missing UBO register extract"),
    ]
    for index, (actor, party_id, name, reason) in enumerate(steps):
        with uow:
            machine.apply_in(uow, actor, party_id, name, reason, at=AT + dt.timedelta(hours=index))
            uow.commit()
    history = status_history(uow.events, "p1")
    assert [
        ("qualify", "suspect", "prospect", 1),
        ("start_acceptance", "prospect", "acceptance_draft", 2),
        ("submit_for_approval", "acceptance_draft", "acceptance_pending", 3),
        ("reject", "acceptance_pending", "acceptance_draft", 4),
    ] == [(e.transition, e.source.value, e.target.value, e.version) for e in history]
    assert "missing UBO register extract" == history[-1].reason


actors = st.builds(
    Actor,
    st.sampled_from(["ann", "bob", "cas"]),
    st.frozensets(st.sampled_from(["assistant", "staff", "approver", "administration"])),
)
moves = st.tuples(actors, st.sampled_from([*TABLE.names, "promote"]), st.booleans())


@settings(max_examples=60, deadline=None)
@given(st.lists(moves, max_size=30))
def test_the_stored_status_changes_exactly_when_an_event_is_committed(
    moves: list[tuple[Actor, str, bool]],
) -> None:
    uow = InMemoryUnitOfWork(store_with(suspect()))
    for index, (actor, name, commit) in enumerate(moves):
        with uow:
            before = uow.parties.get("p1")
        events_before = len(uow.events)
        with uow:
            try:
                machine.apply_in(uow, actor, "p1", name, "why", at=AT + dt.timedelta(days=index))
            except TransitionDenied:
                pass
            if commit:
                uow.commit()
        with uow:
            after = uow.parties.get("p1")
        new_events = list(uow.events[events_before:])
        if new_events:
            [event] = new_events
            assert (before.status, after.status) == (event.source, event.target)
            assert (before.version, before.version + 1) == (event.version, after.version)
        else:
            assert before == after
    with uow:
        final = uow.parties.get("p1")
    history = status_history(uow.events, "p1")
    chain = [ClientStatus.SUSPECT] + [e.target for e in history]
    assert ([e.source for e in history], final.status) == (chain[:-1], chain[-1])
