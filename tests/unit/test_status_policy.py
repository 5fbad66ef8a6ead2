from __future__ import annotations

import json
from typing import Any

import pytest

from clientcore import ValidationError
from clientcore.model import Actor, ClientStatus, Party
from clientcore.status import EXTRA_TRANSITIONS, SYSTEM, TABLE, RoleGrant, RolePolicy

S = ClientStatus


def issues(obj: Any) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as err:
        RolePolicy.from_json(obj)
    return [(i.path, i.code) for i in err.value.issues]


def test_the_default_policy_survives_a_trip_through_json_text() -> None:
    policy = RolePolicy.default()
    text = json.dumps(policy.to_json())
    assert policy == RolePolicy.from_json(json.loads(text))


def test_the_json_form_lists_roles_with_transitions_and_statuses_in_table_order() -> None:
    data = RolePolicy.default().to_json()
    assert ["assistant", "staff", "approver", "administration"] == list(data["roles"])
    assert {
        "transitions": [],
        "statuses": ["client", "former_client", "relation", "service_provider"],
    } == data["roles"]["assistant"]
    admin = data["roles"]["administration"]["transitions"]
    assert [n for n in TABLE.names if n in admin] == admin


def test_the_default_roles_take_what_the_issue_says() -> None:
    roles = RolePolicy.default().roles
    staff = {
        "qualify",
        "start_acceptance",
        "submit_for_approval",
        "reactivate",
        "revert_to_prospect",
        "mark_service_provider",
        "unmark_service_provider",
    }
    assert set() == roles["assistant"].transitions
    assert staff == roles["staff"].transitions
    assert staff | {"approve", "reject"} == roles["approver"].transitions
    assert staff | {"activate", "end_engagement"} == roles["administration"].transitions


def test_a_missing_list_means_nothing_granted() -> None:
    policy = RolePolicy.from_json({"roles": {"viewer": {"statuses": ["client"]}}})
    assert RoleGrant(frozenset(), {S.CLIENT}) == policy.roles["viewer"]


def test_an_unknown_transition_is_named_with_its_json_path() -> None:
    obj = {"roles": {"clerk": {"transitions": ["qualify", "promote"]}}}
    assert [("$.roles.clerk.transitions[1]", "policy.unknown_transition")] == issues(obj)


def test_an_unknown_status_is_named_with_its_json_path() -> None:
    obj = {"roles": {"clerk": {"statuses": ["client", "lead"]}}}
    assert [("$.roles.clerk.statuses[1]", "policy.unknown_status")] == issues(obj)


def test_an_unknown_key_in_a_role_is_refused() -> None:
    obj = {"roles": {"clerk": {"transitons": ["qualify"]}}}
    assert [("$.roles.clerk.transitons", "policy.unknown_key")] == issues(obj)


def test_an_unknown_top_level_key_is_refused() -> None:
    assert [("$.rules", "policy.unknown_key")] == issues({"roles": {}, "rules": {}})


def test_every_fault_is_reported_at_once() -> None:
    obj = {
        "roles": {
            "clerk": {"transitions": "qualify", "statuses": ["client", 3]},
            "": {},
            "boss": [],
            7: {},
        },
        "extra": 1,
    }
    assert [
        ("$.extra", "policy.unknown_key"),
        ("$.roles.clerk.transitions", "value.invalid_type"),
        ("$.roles.clerk.statuses[1]", "value.invalid_type"),
        ("$.roles.", "policy.bad_role"),
        ("$.roles.boss", "value.invalid_type"),
        ("$.roles.7", "policy.bad_role"),
    ] == issues(obj)


@pytest.mark.parametrize("obj", [None, [], "roles", {"roles": []}])
def test_something_that_is_not_a_table_is_refused(obj: Any) -> None:
    assert ["value.invalid_type"] == [code for _, code in issues(obj)]


def test_the_messages_of_a_bad_table_read_in_three_languages() -> None:
    with pytest.raises(ValidationError) as err:
        RolePolicy.from_json({"roles": {"clerk": {"transitons": []}}})
    messages = err.value.messages("en") + err.value.messages("nl") + err.value.messages("fr")
    assert [
        "Unknown key 'transitons' in $.roles.clerk; expected one of transitions, statuses.",
        "Onbekende sleutel 'transitons' in $.roles.clerk; verwacht een van transitions, statuses.",
        "Clé inconnue 'transitons' dans $.roles.clerk ; attendu l'une de transitions, statuses.",
    ] == messages


def test_a_grant_built_in_python_refuses_unknown_names_too() -> None:
    with pytest.raises(ValidationError) as err:
        RoleGrant({"promote"}, {"client"})
    assert ["policy.unknown_transition"] == [i.code for i in err.value.issues]
    with pytest.raises(ValidationError):
        RoleGrant(set(), {"lead"})


def test_whatever_the_table_does_not_grant_is_denied() -> None:
    policy = RolePolicy.from_json({"roles": {"clerk": {"statuses": ["client"]}}})
    p = Party(kind="client_company", name="A", status="client")
    clerk = Actor("c", {"clerk"})
    assert policy.can_view(clerk, p).allowed
    assert not policy.can_take(clerk, p, TABLE["end_engagement"]).allowed
    assert not policy.can_view(Actor("d", {"unknown_role"}), p).allowed


def test_with_role_adds_or_replaces_one_role() -> None:
    policy = RolePolicy.default().with_role("assistant", ["qualify"], ["suspect"])
    assert RoleGrant({"qualify"}, {S.SUSPECT}) == policy.roles["assistant"]
    assert RolePolicy.default().roles["staff"] == policy.roles["staff"]
    assert "system" not in RolePolicy.default().roles
    assert {"system"} == SYSTEM.roles


def test_a_policy_cannot_be_changed_in_place() -> None:
    policy = RolePolicy.default()
    with pytest.raises(TypeError):
        policy.roles["intern"] = RoleGrant()  # type: ignore[index]


def test_with_grants_adds_to_a_role_and_takes_nothing_away() -> None:
    policy = RolePolicy.default().with_grants(
        {"staff": ["disqualify"], "auditor": []}, statuses={"auditor": ["client"]}
    )
    before = RolePolicy.default().roles
    assert before["staff"].transitions | {"disqualify"} == policy.roles["staff"].transitions
    assert before["staff"].statuses == policy.roles["staff"].statuses
    assert before["approver"] == policy.roles["approver"]
    assert RoleGrant(frozenset(), {S.CLIENT}) == policy.roles["auditor"]


def test_with_grants_refuses_an_unknown_transition_or_status() -> None:
    with pytest.raises(ValidationError):
        RolePolicy.default().with_grants({"staff": ["fly"]})
    with pytest.raises(ValidationError):
        RolePolicy.default().with_grants(statuses={"staff": ["lead"]})


def test_a_granted_policy_round_trips_through_json() -> None:
    policy = RolePolicy.default().with_grants({"staff": EXTRA_TRANSITIONS})
    assert policy == RolePolicy.from_json(policy.to_json())
