"""Every status x transition x role of the default policy against an independent table."""

from __future__ import annotations

import pytest

from clientcore.model import Acceptance, Actor, ClientStatus, Party, PartyKind
from clientcore.status import EXTRA_TRANSITIONS, TABLE, RolePolicy, StaticFacts, StatusMachine

S = ClientStatus

# Written out by hand from the documented roles, not read from the library: "`staff` sees every
# status and takes qualify, start_acceptance, submit_for_approval, reactivate,
# revert_to_prospect, mark/unmark_service_provider; `approver` is staff plus approve and
# reject; `administration` is staff plus activate and end_engagement". The transitions
# the table adds (disqualify, withdraw_acceptance, convert_to_prospect) are no one's.
STAFF = {
    "qualify",
    "start_acceptance",
    "submit_for_approval",
    "reactivate",
    "revert_to_prospect",
    "mark_service_provider",
    "unmark_service_provider",
}
TAKES = {
    "assistant": set(),
    "staff": STAFF,
    "approver": STAFF | {"approve", "reject"},
    "administration": STAFF | {"activate", "end_engagement"},
}
SEES = {
    "assistant": {S.CLIENT, S.FORMER_CLIENT, S.RELATION, S.SERVICE_PROVIDER},
    "staff": set(S),
    "approver": set(S),
    "administration": set(S),
}
SOURCE = {
    "qualify": {S.SUSPECT},
    "disqualify": {S.PROSPECT},
    "start_acceptance": {S.PROSPECT},
    "withdraw_acceptance": {S.ACCEPTANCE_DRAFT},
    "submit_for_approval": {S.ACCEPTANCE_DRAFT},
    "approve": {S.ACCEPTANCE_PENDING},
    "reject": {S.ACCEPTANCE_PENDING},
    "activate": {S.ACCEPTANCE_CENTRAL_ADMIN},
    "end_engagement": {S.CLIENT},
    "reactivate": {S.FORMER_CLIENT},
    "revert_to_prospect": {S.CLIENT},
    "mark_service_provider": {S.RELATION},
    "unmark_service_provider": {S.SERVICE_PROVIDER},
    "convert_to_prospect": {S.RELATION},
}
FOUR_EYES = {"approve", "reject"}
KINDS_OF = {
    **dict.fromkeys(S, (PartyKind.CLIENT_COMPANY, PartyKind.CLIENT_PERSON)),
    S.RELATION: (PartyKind.RELATION_COMPANY, PartyKind.RELATION_PERSON),
    S.SERVICE_PROVIDER: (PartyKind.RELATION_COMPANY, PartyKind.RELATION_PERSON),
}
SUBMITTER = "sam"


def expected_codes(role: str, status: ClientStatus, name: str, is_submitter: bool) -> list[str]:
    visible = status in SEES[role]
    codes = []
    if not visible:
        codes.append("policy.status_hidden")
    if name not in TAKES[role]:
        codes.append("policy.transition_not_allowed")
    if name in FOUR_EYES and role != "approver":
        codes.append("status.approval_role")
    if visible and status not in SOURCE[name]:
        codes.append("status.wrong_source")
    elif visible and name in FOUR_EYES and is_submitter:
        codes.append("status.four_eyes")
    return sorted(codes)


def test_the_independent_table_names_every_transition_of_the_library() -> None:
    assert set(SOURCE) == set(TABLE.names)


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("role", list(TAKES))
def test_every_decision_of_the_default_policy_matches_the_hand_written_table(
    role: str, status: ClientStatus
) -> None:
    machine = StatusMachine(RolePolicy.default(), StaticFacts(default=0))
    expected: dict[tuple[str, str, str, bool], tuple[bool, list[str]]] = {}
    actual: dict[tuple[str, str, str, bool], tuple[bool, list[str]]] = {}
    for kind in KINDS_OF[status]:
        party = Party(
            id="p1",
            kind=kind,
            name="Peeters",
            status=status,
            acceptance=Acceptance(submitted_by=SUBMITTER),
        )
        for name in SOURCE:
            for is_submitter in (False, True):
                actor = Actor(SUBMITTER if is_submitter else "alex", {role})
                codes = expected_codes(role, status, name, is_submitter)
                key = (kind.value, status.value, name, is_submitter)
                expected[key] = (not codes, codes)
                decision = machine.evaluate(actor, party, name)
                actual[key] = (decision.allowed, sorted(decision.codes))
    assert expected == actual


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("role", list(TAKES))
def test_available_lists_the_transitions_from_the_status_with_the_same_decisions(
    role: str, status: ClientStatus
) -> None:
    machine = StatusMachine(RolePolicy.default(), StaticFacts(default=0))
    party = Party(
        id="p1",
        kind=KINDS_OF[status][0],
        name="Peeters",
        status=status,
        acceptance=Acceptance(submitted_by=SUBMITTER),
    )
    actor = Actor("alex", {role})
    if status in SEES[role]:
        names = [n for n in TABLE.names if status in SOURCE[n]]
        expected = [(n, not expected_codes(role, status, n, False)) for n in names]
    else:
        expected = []
    actual = [(a.transition.name, a.enabled) for a in machine.available(actor, party)]
    assert expected == actual


def test_several_roles_add_up() -> None:
    machine = StatusMachine(RolePolicy.default(), StaticFacts(default=0))
    party = Party(id="p1", kind="client_company", name="P", status=S.ACCEPTANCE_CENTRAL_ADMIN)
    assistant_only = Actor("alex", {"assistant"})
    both = Actor("alex", {"assistant", "administration"})
    assert sorted(machine.evaluate(assistant_only, party, "activate").codes) == [
        "policy.status_hidden",
        "policy.transition_not_allowed",
    ]
    assert machine.evaluate(both, party, "activate").allowed


def test_the_added_transitions_are_granted_to_no_default_role() -> None:
    policy = RolePolicy.default()
    granted = {n for grant in policy.roles.values() for n in grant.transitions}
    assert {"disqualify", "withdraw_acceptance", "convert_to_prospect"} == EXTRA_TRANSITIONS
    assert set() == granted & EXTRA_TRANSITIONS


@pytest.mark.parametrize("name", sorted(EXTRA_TRANSITIONS))
def test_staff_granted_the_added_transitions_may_take_them(name: str) -> None:
    machine = StatusMachine(RolePolicy.default().with_grants({"staff": EXTRA_TRANSITIONS}))
    status = next(iter(SOURCE[name]))
    party = Party(id="p1", kind=KINDS_OF[status][0], name="Peeters", status=status)
    assert machine.evaluate(Actor("alex", {"staff"}), party, name).allowed
    assert not machine.evaluate(Actor("alex", {"approver"}), party, name).allowed
