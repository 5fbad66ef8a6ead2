from __future__ import annotations

import datetime as dt
import re

import attrs
import pytest

from clientcore import TransitionDenied, ValidationError
from clientcore.model import Acceptance, Actor, ClientStatus, Party, PartyKind
from clientcore.status import (
    RESTRICTED,
    SET_STATUS,
    SYSTEM,
    Approval,
    ApprovalStep,
    Decision,
    Reason,
    RoleGrant,
    RolePolicy,
    StaticFacts,
    StatusChanged,
    StatusMachine,
    StatusPolicy,
    TransitionDef,
    permission_matrix,
    status_label,
    visibility_matrix,
)

S = ClientStatus
AT = dt.datetime(2024, 3, 1, 9, 30, tzinfo=dt.UTC)
LATER = dt.datetime(2024, 3, 2, 14, 0, tzinfo=dt.UTC)

ann = Actor("ann", {"staff"})
bob = Actor("bob", {"approver"})
cas = Actor("cas", {"approver"})
dirk = Actor("dirk", {"administration"})
alice = Actor("alice", {"assistant"})


def party(status: ClientStatus, kind: str | None = None, **changes: object) -> Party:
    chosen = kind or ("relation_company" if status in (S.RELATION, S.SERVICE_PROVIDER) else None)
    return Party(
        id="p1",
        kind=chosen or "client_company",
        name="Bakkerij Peeters",
        status=status,
        version=4,
        **changes,  # type: ignore[arg-type]
    )


def machine(facts: StaticFacts | None = None) -> StatusMachine:
    return StatusMachine(RolePolicy.default(), facts)


def denied(
    m: StatusMachine, actor: Actor, p: Party, name: str, reason: str | None = None
) -> TransitionDenied:
    with pytest.raises(TransitionDenied) as err:
        m.apply(actor, p, name, reason, at=AT)
    return err.value


# --- apply: what each transition changes ---


def test_apply_returns_the_changed_party_with_the_same_version_and_an_event() -> None:
    changed, event = machine().apply(ann, party(S.SUSPECT), "qualify", at=AT)
    assert S.PROSPECT == changed.status
    assert 4 == changed.version
    expected = StatusChanged("p1", "qualify", S.SUSPECT, S.PROSPECT, "ann", AT, None, (), 4)
    assert expected == event


def test_submitting_records_the_submitter_and_clears_an_old_approval() -> None:
    old = Acceptance(submitted_by="x", approved_by="y", approved_at=AT)
    changed, event = machine().apply(
        ann, party(S.ACCEPTANCE_DRAFT, acceptance=old), "submit_for_approval", at=LATER
    )
    assert Acceptance(submitted_by="ann", submitted_at=LATER) == changed.acceptance
    assert (Approval(ApprovalStep.SUBMITTED, "ann", LATER),) == event.approvals


def test_approving_records_the_approver_next_to_the_submitter() -> None:
    pending = party(S.ACCEPTANCE_PENDING, acceptance=Acceptance("ann", AT))
    changed, event = machine().apply(bob, pending, "approve", at=LATER)
    assert Acceptance("ann", AT, "bob", LATER) == changed.acceptance
    assert S.ACCEPTANCE_CENTRAL_ADMIN == changed.status
    expected = (
        Approval(ApprovalStep.SUBMITTED, "ann", AT),
        Approval(ApprovalStep.APPROVED, "bob", LATER),
    )
    assert expected == event.approvals


def test_rejecting_sends_the_draft_back_and_the_trail_names_the_rejecter() -> None:
    pending = party(S.ACCEPTANCE_PENDING, acceptance=Acceptance("ann", AT))
    changed, event = machine().apply(bob, pending, "reject", "AML file incomplete", at=LATER)
    assert S.ACCEPTANCE_DRAFT == changed.status
    assert "AML file incomplete" == event.reason
    expected = (
        Approval(ApprovalStep.SUBMITTED, "ann", AT),
        Approval(ApprovalStep.REJECTED, "bob", LATER),
    )
    assert expected == event.approvals


def test_starting_acceptance_forgets_the_record_of_an_earlier_round() -> None:
    p = party(S.PROSPECT, acceptance=Acceptance("ann", AT, "bob", AT))
    changed, _ = machine().apply(ann, p, "start_acceptance", at=LATER)
    assert changed.acceptance is None


def test_activating_sets_client_since_when_empty_and_clears_client_until() -> None:
    p = party(S.ACCEPTANCE_CENTRAL_ADMIN, client_until=dt.date(2020, 1, 1))
    changed, event = machine().apply(dirk, p, "activate", at=AT)
    assert (S.CLIENT, dt.date(2024, 3, 1), None) == (
        changed.status,
        changed.client_since,
        changed.client_until,
    )
    assert () == event.approvals


def test_activating_keeps_an_existing_client_since() -> None:
    p = party(S.ACCEPTANCE_CENTRAL_ADMIN, client_since=dt.date(2015, 6, 1))
    changed, _ = machine().apply(dirk, p, "activate", at=AT)
    assert dt.date(2015, 6, 1) == changed.client_since


def test_ending_the_engagement_sets_client_until_to_the_day_of_the_change() -> None:
    changed, _ = machine().apply(dirk, party(S.CLIENT), "end_engagement", at=AT)
    assert (S.FORMER_CLIENT, dt.date(2024, 3, 1)) == (changed.status, changed.client_until)


def test_ending_an_engagement_before_client_since_is_refused_with_the_model_rule() -> None:
    p = party(S.CLIENT, client_since=dt.date(2025, 1, 1))
    err = denied(machine(), dirk, p, "end_engagement")
    assert ("party.dates.order",) == tuple(r.code for r in err.reasons)
    assert "2025-01-01" in err.reasons[0].message("nl")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (PartyKind.RELATION_COMPANY, PartyKind.CLIENT_COMPANY),
        (PartyKind.RELATION_PERSON, PartyKind.CLIENT_PERSON),
    ],
)
def test_a_relation_converted_to_prospect_becomes_the_matching_client_kind(
    before: PartyKind, after: PartyKind
) -> None:
    granted = StatusMachine(RolePolicy.default().with_grants({"staff": ["convert_to_prospect"]}))
    changed, event = granted.apply(ann, party(S.RELATION, before), "convert_to_prospect", at=AT)
    assert (after, S.PROSPECT) == (changed.kind, changed.status)
    assert (before, after) == event.kind_change


def test_only_the_status_changes_on_a_plain_field_transition() -> None:
    p = party(S.RELATION, labels={"bank"}, email="info@bank.be")
    changed, event = machine().apply(ann, p, "mark_service_provider", at=AT)
    assert attrs.evolve(p, status=S.SERVICE_PROVIDER) == changed
    assert event.kind_change is None


# --- refusals ---


def test_a_refused_apply_raises_with_every_reason_and_the_transition_name() -> None:
    err = denied(machine(), alice, party(S.SUSPECT), "approve")
    assert "approve" == err.transition
    expected = ["policy.status_hidden", "policy.transition_not_allowed", "status.approval_role"]
    assert expected == [r.code for r in err.reasons]


def test_an_unknown_transition_is_a_reason_not_an_exception_when_evaluating() -> None:
    decision = machine().evaluate(ann, party(S.SUSPECT), "promote")
    assert ("status.unknown_transition",) == decision.codes
    assert "'promote'" in decision.reasons[0].message()


def test_applying_an_unknown_transition_raises_transition_denied() -> None:
    err = denied(machine(), ann, party(S.SUSPECT), "promote")
    assert ("promote", ["status.unknown_transition"]) == (
        err.transition,
        [r.code for r in err.reasons],
    )


def test_the_wrong_source_status_is_named_with_labels_in_the_language() -> None:
    decision = machine().evaluate(ann, party(S.CLIENT), "qualify")
    assert ("status.wrong_source",) == decision.codes
    assert "'qualify' kan enkel vanuit Suspect, niet vanuit Klant." == decision.messages("nl")[0]


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_rejecting_without_a_reason_is_refused(reason: str | None) -> None:
    pending = party(S.ACCEPTANCE_PENDING, acceptance=Acceptance("ann", AT))
    assert machine().evaluate(bob, pending, "reject").allowed
    err = denied(machine(), bob, pending, "reject", reason)
    assert ["status.reason_required"] == [r.code for r in err.reasons]


def test_a_missing_reason_is_listed_with_the_other_failures() -> None:
    pending = party(S.ACCEPTANCE_PENDING, acceptance=Acceptance("bob", AT))
    err = denied(machine(), bob, pending, "reject")
    assert ["status.four_eyes", "status.reason_required"] == [r.code for r in err.reasons]


def test_time_must_be_a_datetime() -> None:
    with pytest.raises(ValidationError) as err:
        machine().apply(ann, party(S.SUSPECT), "qualify", at=dt.date(2024, 1, 1))  # type: ignore[arg-type]
    assert [("at", "value.invalid_type")] == [(i.path, i.code) for i in err.value.issues]


def test_time_is_required() -> None:
    with pytest.raises(TypeError, match="at"):
        machine().apply(ann, party(S.SUSPECT), "qualify")  # type: ignore[call-arg]


# --- four eyes ---


def test_the_submitter_cannot_approve_whatever_roles_they_hold() -> None:
    everything = Actor("ann", {"staff", "approver", "administration", "system"})
    pending = party(S.ACCEPTANCE_PENDING, acceptance=Acceptance("ann", AT))
    for name in ("approve", "reject"):
        decision = machine().evaluate(everything, pending, name)
        assert ("status.four_eyes",) == decision.codes


def test_another_approver_may_approve() -> None:
    pending = party(S.ACCEPTANCE_PENDING, acceptance=Acceptance("bob", AT))
    assert machine().evaluate(cas, pending, "approve").allowed


def test_an_approve_permission_in_the_policy_is_not_enough_without_the_approver_role() -> None:
    policy = RolePolicy.default().with_role("partner", ["approve"], list(S))
    partner = Actor("pia", {"partner"})
    pending = party(S.ACCEPTANCE_PENDING, acceptance=Acceptance("ann", AT))
    decision = StatusMachine(policy).evaluate(partner, pending, "approve")
    assert ("status.approval_role",) == decision.codes


def test_approving_without_a_recorded_submitter_is_refused_but_rejecting_is_not() -> None:
    pending = party(S.ACCEPTANCE_PENDING)
    assert ("status.submitter_unknown",) == machine().evaluate(bob, pending, "approve").codes
    assert machine().evaluate(bob, pending, "reject").allowed


def test_a_rejected_and_resubmitted_acceptance_checks_the_new_submitter() -> None:
    m = machine()
    p = party(S.ACCEPTANCE_DRAFT)
    p, _ = m.apply(ann, p, "submit_for_approval", at=AT)
    p, _ = m.apply(bob, p, "reject", "incomplete", at=AT)
    p, _ = m.apply(Actor("bob", {"staff", "approver"}), p, "submit_for_approval", at=LATER)
    assert ("status.four_eyes",) == m.evaluate(bob, p, "approve").codes
    assert m.evaluate(cas, p, "approve").allowed


# --- facts: running projects ---


def test_reverting_a_client_without_running_projects_is_allowed() -> None:
    changed, _ = machine(StaticFacts({"p1": 0})).apply(
        ann, party(S.CLIENT), "revert_to_prospect", at=AT
    )
    assert S.PROSPECT == changed.status


def test_reverting_a_client_with_running_projects_is_refused_with_the_count() -> None:
    decision = machine(StaticFacts({"p1": 2})).evaluate(ann, party(S.CLIENT), "revert_to_prospect")
    assert (
        Reason("status.running_projects", {"transition": "revert_to_prospect", "count": 2}),
    ) == (decision.reasons)
    assert all("2" in decision.messages(lang)[0] for lang in ("en", "nl", "fr"))


def test_without_facts_the_running_projects_guard_refuses_instead_of_guessing() -> None:
    decision = machine(None).evaluate(ann, party(S.CLIENT), "revert_to_prospect")
    assert ("facts.unavailable",) == decision.codes
    assert "lopende projecten" in decision.messages("nl")[0]


def test_a_wrong_source_still_lists_the_failing_guards() -> None:
    decision = machine(StaticFacts({"p1": 2})).evaluate(
        ann, party(S.PROSPECT), "revert_to_prospect"
    )
    assert ("status.wrong_source", "status.running_projects") == decision.codes
    assert 2 == decision.reasons[1].params["count"]


def test_a_wrong_source_skips_four_eyes_which_reads_a_submission_not_awaiting_a_decision() -> None:
    # A draft rejected earlier still names its last submitter; that is not a reason now.
    p = party(S.ACCEPTANCE_DRAFT, acceptance=Acceptance(submitted_by="bob"))
    assert ("status.wrong_source",) == machine().evaluate(bob, p, "approve").codes
    assert ("status.wrong_source",) == machine().evaluate(bob, party(S.CLIENT), "approve").codes


def test_evaluate_judges_a_reason_text_only_when_one_is_given() -> None:
    p = party(S.ACCEPTANCE_PENDING, acceptance=Acceptance(submitted_by="ann"))
    m = machine()
    assert m.evaluate(bob, p, "reject").allowed
    assert ("status.reason_required",) == m.evaluate(bob, p, "reject", reason="  ").codes
    assert m.evaluate(bob, p, "reject", reason="VAT number missing").allowed


def test_evaluate_lists_a_missing_reason_with_every_other_failure() -> None:
    p = party(S.ACCEPTANCE_PENDING, acceptance=Acceptance(submitted_by="ann"))
    codes = machine().evaluate(ann, p, "reject", reason="").codes
    assert (
        "policy.transition_not_allowed",
        "status.approval_role",
        "status.four_eyes",
        "status.reason_required",
    ) == codes


def test_apply_refuses_with_the_same_reasons_as_evaluate_given_the_reason() -> None:
    p = party(S.ACCEPTANCE_PENDING, acceptance=Acceptance(submitted_by="ann"))
    m = machine()
    expected = m.evaluate(ann, p, "reject", reason="").codes
    assert expected == tuple(r.code for r in denied(m, ann, p, "reject").reasons)


# --- the status field ---


def test_the_status_field_takes_the_one_field_transition_to_the_target() -> None:
    changed, event = machine().set_status(ann, party(S.SUSPECT), "prospect", at=AT)
    assert (S.PROSPECT, "qualify") == (changed.status, event.transition)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (S.ACCEPTANCE_DRAFT, S.ACCEPTANCE_PENDING),
        (S.ACCEPTANCE_PENDING, S.ACCEPTANCE_CENTRAL_ADMIN),
        (S.ACCEPTANCE_CENTRAL_ADMIN, S.CLIENT),
        (S.PROSPECT, S.CLIENT),
        (S.SUSPECT, S.SUSPECT),
    ],
)
def test_the_status_field_cannot_skip_or_replace_acceptance_actions(
    source: ClientStatus, target: ClientStatus
) -> None:
    everyone = Actor("root", {"staff", "approver", "administration"})
    with pytest.raises(TransitionDenied) as err:
        machine().set_status(everyone, party(source), target, at=AT)
    assert SET_STATUS == err.value.transition
    expected = [Reason("status.no_field_transition", {"source": source, "target": target})]
    assert expected == list(err.value.reasons)


def test_the_status_field_still_asks_the_policy() -> None:
    with pytest.raises(TransitionDenied) as err:
        machine().set_status(Actor("x", {"staff"}), party(S.CLIENT), "former_client", at=AT)
    assert ["policy.transition_not_allowed"] == [r.code for r in err.value.reasons]


def test_the_status_field_refuses_a_hidden_status_without_naming_it() -> None:
    with pytest.raises(TransitionDenied) as err:
        machine().set_status(alice, party(S.PROSPECT), "client", at=AT)
    assert ["policy.status_hidden"] == [r.code for r in err.value.reasons]


def test_an_unknown_target_status_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as err:
        machine().set_status(ann, party(S.SUSPECT), "lead", at=AT)
    assert [("target", "value.invalid_choice")] == [(i.path, i.code) for i in err.value.issues]


# --- visibility ---


def test_a_hidden_status_is_shown_as_restricted() -> None:
    assert RESTRICTED == machine().visible_status(alice, party(S.PROSPECT))
    assert S.CLIENT == machine().visible_status(alice, party(S.CLIENT))
    assert "RESTRICTED" == repr(RESTRICTED)
    assert ["Restricted", "Afgeschermd", "Confidentiel"] == [
        status_label(RESTRICTED, lang) for lang in ("en", "nl", "fr")
    ]


def test_a_decision_on_a_hidden_status_is_the_same_whatever_the_status() -> None:
    m = machine()
    decisions = {m.evaluate(alice, party(s), "qualify") for s in (S.SUSPECT, S.PROSPECT)}
    assert 1 == len(decisions)
    assert [] == m.available(alice, party(S.SUSPECT))


def test_visible_drops_the_parties_whose_status_is_hidden() -> None:
    parties = [party(S.SUSPECT), party(S.CLIENT), party(S.RELATION)]
    assert [S.CLIENT, S.RELATION] == [p.status for p in machine().visible(alice, parties)]
    assert parties == machine().visible(ann, parties)


def test_visible_masks_hidden_statuses_and_keeps_every_party() -> None:
    parties = [party(S.SUSPECT), party(S.CLIENT)]
    expected = [(parties[0], RESTRICTED), (parties[1], S.CLIENT)]
    assert expected == machine().visible(alice, parties, mode="mask")


def test_an_unknown_visibility_mode_is_refused() -> None:
    with pytest.raises(ValidationError):
        machine().visible(alice, [], mode="hide")  # type: ignore[call-overload]


def test_visible_statuses_of_the_default_roles() -> None:
    m = machine()
    assert {S.CLIENT, S.FORMER_CLIENT, S.RELATION, S.SERVICE_PROVIDER} == m.visible_statuses(alice)
    assert set(S) == m.visible_statuses(ann)
    assert frozenset() == m.visible_statuses(Actor("nobody"))


class OwnPortfolioOnly:
    """A host policy: staff sees every status but changes only clients in portfolio A."""

    def can_view(self, actor: Actor, party: Party) -> Decision:
        if party.status is S.SUSPECT and not actor.has("sales"):
            return Decision.deny(Reason("policy.status_hidden"))
        return Decision.allow()

    def can_take(self, actor: Actor, party: Party, transition: TransitionDef) -> Decision:
        if party.portfolio == "A":
            return Decision.allow()
        return Decision.deny(
            Reason("policy.transition_not_allowed", {"transition": transition.name, "roles": []})
        )


def test_a_host_policy_is_a_status_policy_and_drives_the_machine() -> None:
    policy = OwnPortfolioOnly()
    assert isinstance(policy, StatusPolicy)
    m = StatusMachine(policy)
    assert m.evaluate(ann, party(S.PROSPECT, portfolio="A"), "start_acceptance").allowed
    refused = m.evaluate(ann, party(S.PROSPECT, portfolio="B"), "start_acceptance")
    assert ("policy.transition_not_allowed",) == refused.codes


def test_visible_statuses_of_a_host_policy_are_probed_per_status() -> None:
    m = StatusMachine(OwnPortfolioOnly())
    assert set(S) - {S.SUSPECT} == m.visible_statuses(ann)
    assert set(S) == m.visible_statuses(Actor("sid", {"sales"}))


def test_a_host_policy_without_a_role_table_has_no_permission_matrix() -> None:
    with pytest.raises(ValidationError) as err:
        StatusMachine(OwnPortfolioOnly()).permission_matrix()
    assert ["status.matrix.no_roles"] == [i.code for i in err.value.issues]
    assert "OwnPortfolioOnly" in err.value.issues[0].message("nl")
    with pytest.raises(ValidationError):
        visibility_matrix(OwnPortfolioOnly())


def test_any_policy_with_a_role_table_has_a_permission_matrix() -> None:
    @attrs.frozen
    class Grant:
        transitions: frozenset[str]
        statuses: frozenset[ClientStatus] = frozenset()

    @attrs.frozen
    class HostPolicy(OwnPortfolioOnly):
        roles: dict[str, Grant] = attrs.field(factory=dict)

    host = HostPolicy({"clerk": Grant(frozenset({"qualify"}))})
    expected = permission_matrix(RolePolicy({"clerk": RoleGrant({"qualify"})}))
    assert expected == StatusMachine(host).permission_matrix()
    assert expected == machine().permission_matrix(host)


# --- the system actor ---


def test_the_system_actor_gets_no_bypass_from_the_default_policy() -> None:
    decision = machine().evaluate(SYSTEM, party(S.ACCEPTANCE_CENTRAL_ADMIN), "activate")
    assert ("policy.status_hidden", "policy.transition_not_allowed") == decision.codes


def test_the_system_actor_may_take_what_its_role_is_granted() -> None:
    policy = RolePolicy.default().with_role("system", ["activate"], ["acceptance_central_admin"])
    changed, event = StatusMachine(policy).apply(
        SYSTEM, party(S.ACCEPTANCE_CENTRAL_ADMIN), "activate", at=AT
    )
    assert (S.CLIENT, "system") == (changed.status, event.actor)


# --- decisions and reasons ---


def test_a_decision_is_allowed_exactly_when_it_has_no_reasons() -> None:
    with pytest.raises(ValueError, match="exactly"):
        Decision(False)
    with pytest.raises(ValueError, match="exactly"):
        Decision(True, [Reason("policy.status_hidden")])
    assert Decision.allow() == Decision.of([])


def test_a_reason_is_json_ready() -> None:
    reason = Reason("status.wrong_source", {"transition": "qualify", "sources": {S.SUSPECT}})
    assert {
        "code": "status.wrong_source",
        "params": {"transition": "qualify", "sources": ["suspect"]},
        "message": "'qualify' is only possible from Suspect, not from {status}.",
    } == reason.to_dict()


def _reason_samples() -> dict[str, Reason]:
    """One real reason per code the machine gives, produced by real refusals."""
    m, found = machine(), {}
    pending = party(S.ACCEPTANCE_PENDING, acceptance=Acceptance("bob", AT))
    cases = [
        m.evaluate(alice, party(S.SUSPECT), "approve"),
        m.evaluate(ann, party(S.CLIENT), "qualify"),
        m.evaluate(ann, party(S.CLIENT), "nonsense"),
        m.evaluate(bob, pending, "approve"),
        m.evaluate(bob, party(S.ACCEPTANCE_PENDING), "approve"),
        machine(StaticFacts(default=3)).evaluate(ann, party(S.CLIENT), "revert_to_prospect"),
        m.evaluate(ann, party(S.CLIENT), "revert_to_prospect"),
    ]
    for decision in cases:
        found.update({r.code: r for r in decision.reasons})
    for call in (
        lambda: m.apply(cas, pending, "reject", at=AT),
        lambda: m.set_status(ann, party(S.SUSPECT), "client", at=AT),
    ):
        with pytest.raises(TransitionDenied) as err:
            call()
        found.update({r.code: r for r in err.value.reasons})
    return found


def test_every_reason_of_the_machine_is_sampled() -> None:
    assert {
        "facts.unavailable",
        "policy.status_hidden",
        "policy.transition_not_allowed",
        "status.approval_role",
        "status.four_eyes",
        "status.no_field_transition",
        "status.reason_required",
        "status.running_projects",
        "status.submitter_unknown",
        "status.unknown_transition",
        "status.wrong_source",
    } == set(_reason_samples())


@pytest.mark.parametrize("code", sorted(_reason_samples()))
def test_every_reason_reads_differently_in_three_languages_with_no_gap(code: str) -> None:
    reason = _reason_samples()[code]
    messages = [reason.message(lang) for lang in ("en", "nl", "fr")]
    assert 3 == len(set(messages))
    assert [] == [m for m in messages if re.search(r"\{\w*\}", m)]
