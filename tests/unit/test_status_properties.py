"""Random sequences of transitions: every change is explained, no status escapes the table."""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from clientcore import TransitionDenied
from clientcore.model import CLIENT_STATUSES, RELATION_STATUSES, Actor, ClientStatus, Party
from clientcore.status import (
    EXTRA_TRANSITIONS,
    INITIAL_STATUSES,
    TABLE,
    RolePolicy,
    StaticFacts,
    StatusChanged,
    StatusMachine,
    status_history,
)

START = dt.datetime(2024, 1, 1, 8, 0, tzinfo=dt.UTC)
ROLES = ("assistant", "staff", "approver", "administration", "system")
# Every transition name the table knows, one it does not, and the status field.
STEPS = (*TABLE.names, "promote")
# Which edges the hand-written issue allows (source, target), independent of the library.
ALLOWED_EDGES = {
    ("suspect", "prospect"),
    ("prospect", "suspect"),
    ("prospect", "acceptance_draft"),
    ("acceptance_draft", "prospect"),
    ("acceptance_draft", "acceptance_pending"),
    ("acceptance_pending", "acceptance_central_admin"),
    ("acceptance_pending", "acceptance_draft"),
    ("acceptance_central_admin", "client"),
    ("client", "former_client"),
    ("former_client", "prospect"),
    ("client", "prospect"),
    ("relation", "service_provider"),
    ("service_provider", "relation"),
    ("relation", "prospect"),
}


def _reachable() -> set[str]:
    found = {s.value for s in INITIAL_STATUSES}
    while True:
        more = {t for s, t in ALLOWED_EDGES if s in found} - found
        if not more:
            return found
        found |= more


REACHABLE = _reachable()

# Every actor id with every set of roles, drawn in one go (drawing sets is slow).
ACTORS = [
    Actor(id, {r for bit, r in enumerate(ROLES) if mask >> bit & 1})
    for id in ("ann", "bob", "cas", "system")
    for mask in range(2 ** len(ROLES))
]
reasons = st.sampled_from([None, "", "client asked"])


def _step(status: ClientStatus) -> st.SearchStrategy[tuple[Actor, tuple[str, str], str | None]]:
    """An actor, a move and a reason. Half the moves are transitions from ``status`` (else
    random sequences rarely get through acceptance); the rest are any name, an unknown
    one, or the status field set to any status."""
    anything = [("apply", name) for name in STEPS] + [("set", s.value) for s in ClientStatus]
    here = [("apply", t.name) for t in TABLE.from_status(status)]
    moves = here * (len(anything) // len(here)) + anything
    return st.tuples(st.sampled_from(ACTORS), st.sampled_from(moves), reasons)


STEP_FROM = {status: _step(status) for status in ClientStatus}


facts = st.sampled_from([None, StaticFacts(default=0), StaticFacts(default=2)])
starts = st.builds(
    lambda kind, since: Party(id="p1", kind=kind, name="Peeters", client_since=since),
    st.sampled_from(["client_company", "client_person", "relation_company", "relation_person"]),
    st.none() | st.dates(dt.date(2023, 6, 1), dt.date(2024, 3, 1)),
)
# Everything a transition may change; the rest of the party must stay as it was.
MAY_CHANGE = ("status", "kind", "acceptance", "client_since", "client_until")


def _unchanged_elsewhere(before: Party, after: Party) -> bool:
    restored = attrs.evolve(after, **{f: getattr(before, f) for f in MAY_CHANGE})
    return restored == before


def _policy() -> RolePolicy:
    # The transitions the table adds are granted to staff, so that sequences use them too.
    return (
        RolePolicy.default()
        .with_role("system", ["activate", "end_engagement"], ClientStatus)
        .with_grants({"staff": EXTRA_TRANSITIONS})
    )


@settings(max_examples=200, deadline=None)
@given(start=starts, facts=facts, data=st.data())
def test_every_change_is_explained_by_an_event_and_stays_in_the_table(
    start: Party, facts: StaticFacts | None, data: st.DataObject
) -> None:
    machine = StatusMachine(_policy(), facts)
    party, events = start, []
    for index in range(data.draw(st.integers(0, 40), label="length")):
        actor, (how, what), reason = data.draw(STEP_FROM[party.status], label="step")
        at = START + dt.timedelta(days=index)
        before = party
        try:
            if how == "apply":
                party, event = machine.apply(actor, party, what, reason, at=at)
            else:
                party, event = machine.set_status(actor, party, what, reason, at=at)
        except TransitionDenied as denied:
            refused = denied.reasons
        else:
            refused = ()
        if refused:
            # apply refuses for exactly the reasons evaluate gives when handed the same
            # text, except a result the model refuses (a date before client_since).
            if how == "apply":
                judged = machine.evaluate(actor, before, what, reason or "")
                codes = tuple(r.code for r in refused)
                assert judged.codes == codes or codes == ("party.dates.order",)
            assert before == party
            continue
        events.append(event)
        assert (before.status, party.status) == (event.source, event.target)
        assert (before.version, before.version) == (event.version, party.version)
        assert (event.source.value, event.target.value) in ALLOWED_EDGES
        assert (actor.id, at) == (event.actor, event.at)
        assert machine.evaluate(actor, before, event.transition).allowed
        assert TABLE[event.transition].target is event.target
        assert party.status.value in REACHABLE
        family = CLIENT_STATUSES if party.kind.is_client else RELATION_STATUSES
        assert party.status in family
        assert (party.kind is not before.kind) == (event.kind_change is not None)
        assert _unchanged_elsewhere(before, party)
    history = status_history(["noise", *events], "p1")
    assert events == history
    chain = [start.status] + [e.target for e in history]
    assert [e.source for e in history] == chain[:-1]
    assert party.status == chain[-1]


@settings(max_examples=100, deadline=None)
@given(start=starts, data=st.data())
def test_no_sequence_reaches_a_status_the_table_does_not_allow(
    start: Party, data: st.DataObject
) -> None:
    # Reasons always given and no running projects: sequences get further than above.
    machine = StatusMachine(_policy(), StaticFacts(default=0))
    party = start
    for index in range(data.draw(st.integers(0, 30), label="length")):
        actor, (how, what), _ = data.draw(STEP_FROM[party.status], label="step")
        at = START + dt.timedelta(days=index)
        try:
            if how == "apply":
                party, _event = machine.apply(actor, party, what, "why", at=at)
            else:
                party, _event = machine.set_status(actor, party, what, "why", at=at)
        except TransitionDenied:
            continue
        assert party.status.value in REACHABLE
        assert party.status in (CLIENT_STATUSES if party.kind.is_client else RELATION_STATUSES)
        assert party.kind.is_client or start.kind.is_relation


def test_staff_approver_and_system_can_walk_a_relation_all_the_way_to_former_client() -> None:
    machine = StatusMachine(_policy(), StaticFacts(default=0))
    party = Party(id="p1", kind="relation_company", name="Bank")
    path = [
        ("ann", "mark_service_provider"),
        ("ann", "unmark_service_provider"),
        ("ann", "convert_to_prospect"),
        ("ann", "start_acceptance"),
        ("ann", "submit_for_approval"),
        ("bob", "approve"),
        ("system", "activate"),
        ("system", "end_engagement"),
    ]
    events: list[StatusChanged] = []
    for index, (who, name) in enumerate(path):
        roles = {"system"} if who == "system" else {"staff", "approver"}
        at = START + dt.timedelta(days=index)
        party, event = machine.apply(Actor(who, roles), party, name, at=at)
        events.append(event)
    reached = {ClientStatus.RELATION} | {e.target for e in status_history(events, "p1")}
    assert set(ClientStatus) - {ClientStatus.SUSPECT} == reached
