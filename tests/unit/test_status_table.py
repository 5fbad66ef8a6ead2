from __future__ import annotations

import sys

import attrs
import pytest

import clientcore.status as status_api
from clientcore import ValidationError
from clientcore.model import CLIENT_STATUSES, RELATION_STATUSES, ClientStatus, PartyKind
from clientcore.status import (
    CLIENT_KINDS,
    RELATION_KINDS,
    TABLE,
    TRANSITIONS,
    ApprovalRule,
    Effect,
    NoRunningProjects,
    TransitionDef,
    TransitionKind,
    TransitionTable,
    check_table,
    status_label,
)

S = ClientStatus
FIELD, ACTION = TransitionKind.FIELD, TransitionKind.ACTION


def codes(transitions: list[TransitionDef]) -> list[str]:
    return [i.code for i in check_table(transitions)]


def isort_key(name: str) -> tuple[int, str]:
    """The order ruff keeps __all__ in: CONSTANTS, then Classes, then functions."""
    if name.upper() == name and len(name) > 1:
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


def test_all_is_sorted_and_matches_the_namespace() -> None:
    exported = list(status_api.__all__)
    assert sorted(exported, key=isort_key) == exported
    public = {
        n
        for n in vars(status_api)
        if not n.startswith("_") and not isinstance(getattr(status_api, n), type(sys))
    }
    assert public == set(exported)


@pytest.mark.parametrize(
    ("name", "sources", "target", "kind"),
    [
        ("qualify", {S.SUSPECT}, S.PROSPECT, FIELD),
        ("start_acceptance", {S.PROSPECT}, S.ACCEPTANCE_DRAFT, FIELD),
        ("submit_for_approval", {S.ACCEPTANCE_DRAFT}, S.ACCEPTANCE_PENDING, ACTION),
        ("approve", {S.ACCEPTANCE_PENDING}, S.ACCEPTANCE_CENTRAL_ADMIN, ACTION),
        ("reject", {S.ACCEPTANCE_PENDING}, S.ACCEPTANCE_DRAFT, ACTION),
        ("activate", {S.ACCEPTANCE_CENTRAL_ADMIN}, S.CLIENT, ACTION),
        ("end_engagement", {S.CLIENT}, S.FORMER_CLIENT, FIELD),
        ("reactivate", {S.FORMER_CLIENT}, S.PROSPECT, FIELD),
        ("revert_to_prospect", {S.CLIENT}, S.PROSPECT, FIELD),
        ("mark_service_provider", {S.RELATION}, S.SERVICE_PROVIDER, FIELD),
        ("unmark_service_provider", {S.SERVICE_PROVIDER}, S.RELATION, FIELD),
        ("convert_to_prospect", {S.RELATION}, S.PROSPECT, FIELD),
        ("disqualify", {S.PROSPECT}, S.SUSPECT, FIELD),
        ("withdraw_acceptance", {S.ACCEPTANCE_DRAFT}, S.PROSPECT, ACTION),
    ],
)
def test_the_table_holds_the_transitions_of_the_issue(
    name: str, sources: set[ClientStatus], target: ClientStatus, kind: TransitionKind
) -> None:
    t = TABLE[name]
    assert (sources, target, kind) == (set(t.sources), t.target, t.kind)


def test_transitions_is_the_checked_table() -> None:
    assert TRANSITIONS == TABLE.transitions
    assert [] == check_table(TRANSITIONS)
    assert set(ClientStatus) == TABLE.reachable()


def test_reject_needs_a_reason_and_revert_asks_for_running_projects() -> None:
    assert [n for n in TABLE.names if TABLE[n].needs_reason] == ["reject"]
    assert (NoRunningProjects(),) == TABLE["revert_to_prospect"].guards


def test_lookups_by_name_and_by_status() -> None:
    assert ["qualify"] == [t.name for t in TABLE.from_status("suspect")]
    assert ["mark_service_provider", "convert_to_prospect"] == [
        t.name for t in TABLE.from_status(S.RELATION)
    ]
    assert "qualify" == TABLE.field_transition("suspect", "prospect").name  # type: ignore[union-attr]
    assert TABLE.field_transition("acceptance_draft", "acceptance_pending") is None
    assert TABLE.find("promote") is None
    assert "qualify" in TABLE
    assert "promote" not in TABLE
    with pytest.raises(KeyError):
        TABLE["promote"]
    assert len(TRANSITIONS) == len(TABLE) == len(list(TABLE))


def test_every_edge_stays_within_its_family_except_the_conversion() -> None:
    crossing = {
        t.name
        for t in TABLE
        for s in t.sources
        if (s in CLIENT_STATUSES) != (t.target in CLIENT_STATUSES)
    }
    assert {"convert_to_prospect"} == crossing
    assert (Effect.CONVERT_TO_CLIENT_KIND,) == TABLE["convert_to_prospect"].effects


def _ok(name: str = "go", **changes: object) -> TransitionDef:
    base = TransitionDef(name, {S.SUSPECT}, S.PROSPECT, FIELD)
    return attrs.evolve(base, **changes)  # type: ignore[arg-type]


def test_transition_def_takes_its_fields_in_the_order_of_the_issue() -> None:
    guard, rule = NoRunningProjects(), ApprovalRule()
    t = TransitionDef("x", {S.ACCEPTANCE_PENDING}, S.ACCEPTANCE_DRAFT, ACTION, [guard], True, rule)
    assert ((guard,), True, rule) == (t.guards, t.needs_reason, t.approval)


def test_applies_to_defaults_to_the_kinds_of_the_source_statuses() -> None:
    client = TransitionDef("a", {S.SUSPECT}, S.PROSPECT, FIELD)
    relation = TransitionDef("b", {S.RELATION}, S.PROSPECT, FIELD)
    mixed = TransitionDef("c", {S.RELATION, S.CLIENT}, S.PROSPECT, FIELD)
    assert (CLIENT_KINDS, RELATION_KINDS, frozenset()) == (
        client.applies_to,
        relation.applies_to,
        mixed.applies_to,
    )


def test_applies_to_is_keyword_only_and_still_checked() -> None:
    with pytest.raises(TypeError):
        TransitionDef("x", {S.SUSPECT}, S.PROSPECT, FIELD, (), False, None, (), "", CLIENT_KINDS)  # type: ignore[misc]
    bad = TransitionDef("x", {S.SUSPECT}, S.CLIENT, FIELD, applies_to=RELATION_KINDS)
    assert "status.table.kind_mismatch" in codes([*TRANSITIONS, bad])


def test_a_transition_from_a_mix_of_client_and_relation_statuses_is_refused() -> None:
    mixed = TransitionDef("c", {S.RELATION, S.FORMER_CLIENT}, S.PROSPECT, FIELD)
    assert "status.table.no_kinds" in codes([*TRANSITIONS, mixed])


def test_a_table_with_a_duplicate_name_is_refused() -> None:
    assert ["status.table.duplicate_name"] == codes([*TRANSITIONS, TABLE["approve"]])


def test_a_table_with_a_badly_named_transition_is_refused() -> None:
    assert ["status.table.bad_name"] == codes([*TRANSITIONS, _ok("Go Now", target=S.FORMER_CLIENT)])


def test_a_table_that_leaves_a_status_unreachable_is_refused() -> None:
    without = [t for t in TRANSITIONS if t.name != "mark_service_provider"]
    issues = check_table(without)
    assert [("status.table.unreachable", S.SERVICE_PROVIDER)] == [
        (i.code, i.params["status"]) for i in issues
    ]


def test_a_client_transition_on_relation_kinds_is_refused() -> None:
    bad = _ok(applies_to=RELATION_KINDS)
    found = [(i.code, i.path, i.params.get("kind")) for i in check_table([*TRANSITIONS, bad])]
    assert [
        ("status.table.kind_mismatch", "transitions[14].sources", "relation_company"),
        ("status.table.kind_mismatch", "transitions[14].target", "relation_company"),
        ("status.table.kind_mismatch", "transitions[14].sources", "relation_person"),
        ("status.table.kind_mismatch", "transitions[14].target", "relation_person"),
        ("status.table.ambiguous_field", "transitions", None),
    ] == found


def test_a_relation_conversion_without_the_kind_change_is_refused() -> None:
    convert = TABLE["convert_to_prospect"]
    broken = [attrs.evolve(convert, effects=()) if t is convert else t for t in TRANSITIONS]
    assert ["status.table.kind_mismatch", "status.table.kind_mismatch"] == codes(broken)


@pytest.mark.parametrize(
    "name", ["submit_for_approval", "approve", "activate", "withdraw_acceptance"]
)
def test_an_acceptance_step_as_a_field_change_is_refused(name: str) -> None:
    broken = [attrs.evolve(t, kind=FIELD) if t.name == name else t for t in TRANSITIONS]
    found = codes(broken)
    assert "status.table.action_required" in found


def test_an_approval_rule_on_a_field_transition_is_refused() -> None:
    bad = _ok(sources={S.CLIENT}, target=S.FORMER_CLIENT, approval=ApprovalRule(), name="x")
    assert ["status.table.approval_on_field", "status.table.ambiguous_field"] == codes(
        [*TRANSITIONS, bad]
    )


def test_two_field_transitions_between_the_same_statuses_are_refused() -> None:
    assert ["status.table.ambiguous_field"] == codes([*TRANSITIONS, _ok("qualify_again")])


def test_a_transition_without_sources_is_refused() -> None:
    assert ["status.table.no_sources"] == codes([*TRANSITIONS, _ok(sources=set())])


def test_a_transition_for_no_party_kind_is_refused() -> None:
    bad = _ok(applies_to=set(), target=S.FORMER_CLIENT)
    assert ["status.table.no_kinds"] == codes([*TRANSITIONS, bad])


def test_a_transition_from_a_status_to_itself_is_refused() -> None:
    bad = _ok("loop", target=S.SUSPECT)
    assert ["status.table.self_loop"] == codes([*TRANSITIONS, bad])


def test_building_a_table_checks_it() -> None:
    with pytest.raises(ValidationError) as err:
        TransitionTable([*TRANSITIONS, TABLE["approve"]])
    assert ["status.table.duplicate_name"] == [i.code for i in err.value.issues]
    assert "used twice" in str(err.value)


def test_table_issues_read_in_three_languages() -> None:
    issues = check_table([_ok(sources=set(), applies_to=set(), name="Bad")])
    for issue in issues:
        messages = {issue.message(lang) for lang in ("en", "nl", "fr")}
        assert 3 == len(messages), issue.code


@pytest.mark.parametrize(
    ("status", "en", "nl", "fr"),
    [
        (S.SUSPECT, "Suspect", "Suspect", "Suspect"),
        (S.PROSPECT, "Prospect", "Prospect", "Prospect"),
        (
            S.ACCEPTANCE_DRAFT,
            "Client acceptance: draft",
            "Klantacceptatie-concept",
            "Acceptation client : brouillon",
        ),
        (
            S.ACCEPTANCE_PENDING,
            "Client acceptance: awaiting approval",
            "Klantacceptatie-ter goedkeuring",
            "Acceptation client : en attente d'approbation",
        ),
        (
            S.ACCEPTANCE_CENTRAL_ADMIN,
            "Client acceptance: central administration",
            "Klantacceptatie-centrale administratie",
            "Acceptation client : administration centrale",
        ),
        (S.CLIENT, "Client", "Klant", "Client"),
        (S.FORMER_CLIENT, "Former client", "Geen klant meer", "Ancien client"),
        (S.RELATION, "Relation", "Relatie", "Relation"),
        (
            S.SERVICE_PROVIDER,
            "Own-organisation service provider",
            "Dienstverlener eigen organisatie",
            "Prestataire de services du cabinet",
        ),
    ],
)
def test_every_status_has_a_label_in_three_languages(
    status: ClientStatus, en: str, nl: str, fr: str
) -> None:
    assert (en, nl, fr) == tuple(status_label(status, lang) for lang in ("en", "nl", "fr"))
    assert en == status_label(status.value)


def test_a_label_in_another_language_is_english_and_of_an_unknown_status_is_refused() -> None:
    # Messages fall back to English for a language they lack (clientcore._messages.render).
    assert "Client acceptance: draft" == status_label(S.ACCEPTANCE_DRAFT, "de")
    with pytest.raises(ValidationError):
        status_label("lead")


def test_every_relation_status_belongs_to_relation_kinds_only() -> None:
    for t in TABLE:
        for kind in t.applies_to:
            family = RELATION_STATUSES if kind in RELATION_KINDS else CLIENT_STATUSES
            assert t.sources <= family, t.name
            assert kind in (PartyKind.CLIENT_COMPANY, PartyKind.CLIENT_PERSON) or kind.is_relation
