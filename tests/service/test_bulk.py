from __future__ import annotations

import datetime as dt
import json
import threading

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientcore import (
    Actor,
    ConflictError,
    InMemoryUnitOfWork,
    Party,
    Task,
    TaskPreset,
    UnknownField,
    ValidationError,
)
from clientcore.adapters.memory import InMemoryStore
from clientcore.bulk import (
    ApplyTaskPreset,
    BulkPlan,
    BulkRejected,
    ClearField,
    FieldsChanged,
    Labels,
    Restore,
    RoleEditPolicy,
    SetField,
    SetTask,
    Transition,
    label_states,
)
from clientcore.model import Acceptance, CustomField, FieldType, default_schema
from clientcore.query import F
from clientcore.status import EXTRA_TRANSITIONS, RolePolicy, StatusChanged, StatusMachine
from clientcore.testing import FaultyUnitOfWork, InjectedFault

AT = dt.datetime(2026, 1, 5, 9, 0)
STAFF = Actor("ann", {"staff"})
ADMIN = Actor("bob", {"administration"})
MACHINE = StatusMachine(RolePolicy.default())
# staff may also step back (disqualify, withdraw_acceptance): what undoing qualify needs
UNDOING = StatusMachine(RolePolicy.default().with_grants({"staff": EXTRA_TRANSITIONS}))
SCHEMA = default_schema().with_custom(
    CustomField("kyc", "source", FieldType.CHOICE, choices=("salary", "gift", "inheritance")),
    CustomField("kyc", "since", FieldType.DATE),
)


def store_with(*parties: Party) -> InMemoryUnitOfWork:
    uow = InMemoryUnitOfWork()
    with uow:
        for p in parties:
            uow.parties.add(p)
        uow.commit()
    return uow


def company(pid: str, **fields: object) -> Party:
    return Party(id=pid, kind="client_company", name=f"Company {pid}", **fields)  # type: ignore[arg-type]


def person(pid: str, **fields: object) -> Party:
    return Party(id=pid, kind="client_person", name=f"Person {pid}", **fields)  # type: ignore[arg-type]


def snapshot(uow: InMemoryUnitOfWork) -> dict[str, Party]:
    with uow:
        return {p.id: p for p in uow.parties.list()}


# --- operations ---


def test_set_field_changes_every_selected_party_and_reports_before_and_after() -> None:
    uow = store_with(company("a", language="nl"), company("b"))
    preview = BulkPlan(["a", "b"], [SetField("language", "fr")]).preview(uow, STAFF)
    assert [("a", "language", "nl", "fr"), ("b", "language", None, "fr")] == [
        (c.party_id, c.path, c.before, c.after) for c in preview.changes
    ]


def test_clear_field_empties_the_field() -> None:
    uow = store_with(company("a", portfolio="Gent", portal={"enabled": True}))
    plan = BulkPlan(["a"], [ClearField("portfolio"), ClearField("portal.enabled")])
    plan.apply(uow, STAFF, at=AT)
    after = snapshot(uow)["a"]
    assert (None, False) == (after.portfolio, after.portal.enabled)


def test_nested_and_custom_fields_can_be_set() -> None:
    uow = store_with(company("a"))
    plan = BulkPlan(
        ["a"],
        [
            SetField("aml.risk", "high"),
            SetField("staff.partner", "AVH"),
            SetField("custom.kyc.source", "salary"),
        ],
    )
    plan.apply(uow, STAFF, at=AT, schema=SCHEMA)
    after = snapshot(uow)["a"]
    assert ("high", "AVH", "salary") == (
        after.aml.risk,
        after.staff.partner,  # type: ignore[union-attr]
        after.custom_value("kyc", "source"),
    )


def test_labels_are_added_and_removed_and_others_kept() -> None:
    uow = store_with(company("a", labels={"new", "audit"}), company("b", labels={"x"}))
    BulkPlan(["a", "b"], [Labels(add={"vip"}, remove={"new"})]).apply(uow, STAFF, at=AT)
    after = snapshot(uow)
    assert frozenset({"audit", "vip"}) == after["a"].labels
    assert frozenset({"x", "vip"}) == after["b"].labels


def test_a_label_cannot_be_added_and_removed_at_once() -> None:
    with pytest.raises(ValidationError):
        Labels(add={"vip"}, remove={"vip"})


def test_label_states_tell_all_some_or_none() -> None:
    parties = [company("a", labels={"vip", "audit"}), company("b", labels={"vip"})]
    assert {"audit": "some", "vip": "all"} == label_states(parties)


def test_set_task_activates_an_existing_task_or_adds_it() -> None:
    uow = store_with(
        company("a", tasks=[Task("vat", active=False, period="monthly")]), company("b")
    )
    BulkPlan(["a", "b"], [SetTask("vat", True, start=dt.date(2026, 1, 1))]).apply(uow, STAFF, at=AT)
    after = snapshot(uow)
    assert (Task("vat", True, "monthly", dt.date(2026, 1, 1)),) == after["a"].tasks
    assert (Task("vat", True, None, dt.date(2026, 1, 1)),) == after["b"].tasks


def test_a_task_preset_is_set_or_replaced() -> None:
    uow = store_with(company("a", task_presets=[TaskPreset("nbb", "payment", "needed")]))
    BulkPlan(["a"], [ApplyTaskPreset("nbb", "payment", "not_needed")]).apply(uow, STAFF, at=AT)
    assert (TaskPreset("nbb", "payment", "not_needed"),) == snapshot(uow)["a"].task_presets


def test_setting_the_status_field_is_refused_in_favour_of_a_transition() -> None:
    with pytest.raises(ValidationError) as err:
        SetField("status", "client")
    assert "Transition" in err.value.issues[0].message()


def test_an_unknown_or_not_bulk_editable_field_is_refused_when_the_plan_is_built() -> None:
    with pytest.raises(UnknownField):
        SetField("langauge", "fr")
    with pytest.raises(ValidationError):
        SetField("national_number", "85073003328")


def test_transitions_go_through_the_machine_and_its_policy() -> None:
    uow = store_with(company("a", status="acceptance_central_admin"), company("b", status="client"))
    plan = BulkPlan(["a", "b"], [Transition("activate")])
    preview = plan.preview(uow, ADMIN, machine=MACHINE, at=AT)
    assert ["b"] == [r.party_id for r in preview.rejections]
    receipt = plan.apply(uow, ADMIN, machine=MACHINE, at=AT, on_rejection="skip")
    after = snapshot(uow)["a"]
    assert ("client", dt.date(2026, 1, 5)) == (after.status.value, after.client_since)
    assert any(isinstance(e, StatusChanged) for e in receipt.events)


def test_a_transition_the_policy_refuses_is_a_rejection_with_reasons() -> None:
    uow = store_with(company("a", status="acceptance_central_admin"))
    preview = BulkPlan(["a"], [Transition("activate")]).preview(uow, STAFF, machine=MACHINE, at=AT)
    [rejection] = preview.rejections
    assert "policy.transition_not_allowed" in [i.code for i in rejection.issues]


def test_a_plan_with_transitions_needs_a_machine() -> None:
    uow = store_with(company("a"))
    with pytest.raises(ValidationError) as err:
        BulkPlan(["a"], [Transition("qualify")]).preview(uow, STAFF, today=dt.date(2026, 1, 1))
    assert "bulk.needs_machine" == err.value.issues[0].code


# --- rejections ---


def test_an_invalid_value_for_that_party_is_a_rejection() -> None:
    uow = store_with(company("a"), person("b"))
    preview = BulkPlan(["a", "b"], [SetField("legal_form", "BV")]).preview(uow, STAFF)
    assert [("b", "party.field.company_only")] == [
        (r.party_id, i.code) for r in preview.rejections for i in r.issues
    ]
    assert ["a"] == list(preview.changed_ids)


def test_a_field_the_actor_may_not_edit_is_a_rejection() -> None:
    uow = store_with(company("a"))
    assistant = Actor("cas", {"assistant"})
    preview = BulkPlan(["a"], [SetField("language", "fr"), Labels(add={"vip"})]).preview(
        uow, assistant
    )
    [rejection] = preview.rejections
    assert [("language", "bulk.not_allowed")] == [(i.path, i.code) for i in rejection.issues]
    assert "cas" in rejection.issues[0].message("nl")


def test_a_custom_edit_policy_is_asked() -> None:
    uow = store_with(company("a"))
    policy = RoleEditPolicy({"staff": {"billing.*"}})
    preview = BulkPlan(
        ["a"], [SetField("billing.mode", "monthly"), SetField("language", "fr")]
    ).preview(uow, STAFF, edit_policy=policy)
    assert ["language"] == [i.path for r in preview.rejections for i in r.issues]


def test_a_selection_over_the_limit_rejects_every_party() -> None:
    uow = store_with(*[company(f"p{i}") for i in range(21)])
    preview = BulkPlan(
        F("name").starts_with("company"), [Labels(add={"timesheet"})], limit=20
    ).preview(uow, STAFF)
    assert 21 == len(preview.rejections)
    assert "bulk.over_limit" == preview.rejections[0].issues[0].code
    assert "20" in preview.rejections[0].issues[0].message()


def test_an_empty_selection_is_an_error_that_says_so() -> None:
    uow = store_with(company("a"))
    with pytest.raises(ValidationError) as err:
        BulkPlan(F("name").eq("nobody"), [Labels(add={"x"})]).preview(uow, STAFF)
    assert "bulk.empty_selection" == err.value.issues[0].code


def test_ids_and_filter_together_select_the_ids_that_match() -> None:
    uow = store_with(company("a", language="nl"), company("b", language="fr"), company("c"))
    plan = BulkPlan((F("language").eq("nl"), ["a", "b"]), [Labels(add={"x"})])
    assert ["a"] == list(plan.preview(uow, STAFF).changed_ids)


def test_unknown_ids_are_rejected_as_not_found() -> None:
    uow = store_with(company("a"))
    preview = BulkPlan(["a", "zz"], [Labels(add={"x"})]).preview(uow, STAFF)
    assert [("zz", "not_found.party")] == [
        (r.party_id, r.issues[0].code) for r in preview.rejections
    ]


def test_preview_writes_nothing() -> None:
    uow = store_with(company("a"))
    before = snapshot(uow)
    BulkPlan(["a"], [SetField("language", "fr")]).preview(uow, STAFF)
    assert before == snapshot(uow)


def test_preview_renders_as_text_and_html() -> None:
    uow = store_with(company("a"), person("b"))
    preview = BulkPlan(["a", "b"], [SetField("legal_form", "<BV>")]).preview(uow, STAFF)
    assert "1 to change" in preview.to_text()
    assert "legal_form: — → <BV>" in str(preview)
    assert "&lt;BV&gt;" in preview._repr_html_()


# --- apply ---


def test_apply_aborts_on_a_rejection_and_writes_nothing() -> None:
    uow = store_with(company("a"), person("b"))
    before = snapshot(uow)
    with pytest.raises(BulkRejected) as err:
        BulkPlan(["a", "b"], [SetField("legal_form", "BV")]).apply(uow, STAFF, at=AT)
    assert ["b"] == [r.party_id for r in err.value.rejections]
    assert before == snapshot(uow)


def test_apply_can_skip_rejected_parties_and_report_them() -> None:
    uow = store_with(company("a"), person("b"))
    receipt = BulkPlan(["a", "b"], [SetField("legal_form", "BV")]).apply(
        uow, STAFF, at=AT, on_rejection="skip"
    )
    assert (("a",), ["b"]) == (receipt.applied, [r.party_id for r in receipt.skipped])
    assert "BV" == snapshot(uow)["a"].legal_form


def test_apply_records_a_fields_changed_event_per_party() -> None:
    uow = store_with(company("a"), company("b"))
    plan = BulkPlan(["a", "b"], [SetField("language", "fr")])
    receipt = plan.apply(uow, STAFF, at=AT)
    events = [e for e in uow.events if isinstance(e, FieldsChanged)]
    assert ["a", "b"] == [e.party_id for e in events]
    assert {(plan.id, "ann", AT)} == {(e.plan_id, e.actor, e.at) for e in events}
    assert list(receipt.events) == events


def test_apply_needs_the_moment_of_the_change() -> None:
    uow = store_with(company("a"))
    with pytest.raises(ValidationError):
        BulkPlan(["a"], [SetField("language", "fr")]).apply(uow, STAFF)


def test_a_party_changed_since_the_preview_fails_the_whole_apply() -> None:
    uow = store_with(company("a"), company("b"))
    plan = BulkPlan(["a", "b"], [SetField("language", "fr")])
    preview = plan.preview(uow, STAFF)
    with uow:
        b = uow.parties.get("b")
        uow.parties.save(attrs.evolve(b, name="Renamed"))
        uow.commit()
    before = snapshot(uow)
    with pytest.raises(ConflictError) as err:
        plan.apply(uow, STAFF, preview=preview, at=AT)
    assert ("b",) == err.value.party_ids
    assert before == snapshot(uow)


# --- undo ---


def test_undo_gives_back_the_original_parties_versions_aside() -> None:
    originals = [
        company(
            "a",
            language="nl",
            labels={"new"},
            tasks=[Task("vat", active=False)],
            aml={"risk": "low"},
        ),
        company("b", custom={"kyc": {"source": "gift"}}),
    ]
    uow = store_with(*originals)
    plan = BulkPlan(
        ["a", "b"],
        [
            SetField("language", "fr"),
            Labels(add={"vip"}, remove={"new"}),
            SetTask("vat", True),
            SetField("aml.risk", "high"),
            SetField("custom.kyc.source", "salary"),
            ApplyTaskPreset("vat", "check", "yes"),
        ],
    )
    receipt = plan.apply(uow, STAFF, at=AT, schema=SCHEMA)
    receipt.undo.apply(uow, STAFF, at=AT, schema=SCHEMA)
    restored = snapshot(uow)
    for original in originals:
        assert attrs.evolve(original, version=0) == attrs.evolve(restored[original.id], version=0)


def test_undo_restores_a_status_through_the_machine() -> None:
    uow = store_with(company("a", status="suspect"))
    receipt = BulkPlan(["a"], [Transition("qualify")]).apply(uow, STAFF, machine=UNDOING, at=AT)
    assert "prospect" == snapshot(uow)["a"].status.value
    undo = receipt.undo
    assert undo.needs_machine
    undo_receipt = undo.apply(uow, STAFF, machine=UNDOING, at=AT)
    assert "suspect" == snapshot(uow)["a"].status.value
    assert [("qualify",), ("disqualify",)] == [
        (e.transition,)
        for e in (*receipt.events, *undo_receipt.events)
        if isinstance(e, StatusChanged)
    ]


def test_undo_of_a_status_without_a_way_back_is_refused_with_reasons() -> None:
    relation = Party(id="r", kind="relation_company", name="Supplier NV", status="relation")
    uow = store_with(relation)
    plan = BulkPlan(["r"], [Transition("convert_to_prospect")])
    receipt = plan.apply(uow, STAFF, machine=UNDOING, at=AT)
    with pytest.raises(BulkRejected) as err:
        receipt.undo.apply(uow, STAFF, machine=UNDOING, at=AT)
    assert ["bulk.no_route"] == [i.code for i in err.value.issues]


def test_undo_of_an_activation_is_refused_by_the_first_step_the_machine_refuses() -> None:
    uow = store_with(company("a", status="acceptance_central_admin"))
    receipt = BulkPlan(["a"], [Transition("activate")]).apply(uow, ADMIN, machine=MACHINE, at=AT)
    with pytest.raises(BulkRejected) as err:
        receipt.undo.apply(uow, ADMIN, machine=MACHINE, at=AT)
    # the only way back is a new acceptance round, starting with revert_to_prospect
    assert ["facts.unavailable"] == [i.code for i in err.value.issues]


def test_undo_refuses_a_party_changed_by_someone_else_and_never_overwrites() -> None:
    uow = store_with(company("a"), company("b"))
    receipt = BulkPlan(["a", "b"], [SetField("language", "fr")]).apply(uow, STAFF, at=AT)
    with uow:
        uow.parties.save(attrs.evolve(uow.parties.get("b"), language="de"))
        uow.commit()
    result = receipt.undo.apply(uow, STAFF, at=AT, on_rejection="skip")
    after = snapshot(uow)
    assert (None, "de") == (after["a"].language, after["b"].language)
    assert [("b", "bulk.conflict")] == [(r.party_id, r.issues[0].code) for r in result.skipped]


# --- JSON ---


def test_a_plan_survives_its_json() -> None:
    plan = BulkPlan(
        (F("legal_form").in_(["BV", "NV"]), ["a", "b"]),
        [
            SetField("client_since", dt.date(2024, 1, 1)),
            ClearField("portfolio"),
            Labels(add={"vip"}, remove={"old"}),
            SetTask("vat", False, "monthly", dt.date(2024, 1, 1)),
            ApplyTaskPreset("nbb", "payment", "not_needed"),
            Transition("reject", "missing ID"),
            SetField("custom.kyc.since", dt.date(2020, 5, 1)),
        ],
        limit=20,
    )
    assert plan == BulkPlan.from_json(json.loads(json.dumps(plan.to_json())))


def test_an_undo_plan_survives_its_json() -> None:
    uow = store_with(company("a", tasks=[Task("vat")], labels={"x"}))
    receipt = BulkPlan(["a"], [SetTask("vat", False), Labels(add={"y"})]).apply(uow, STAFF, at=AT)
    undo = receipt.undo
    assert undo == BulkPlan.from_json(json.loads(json.dumps(undo.to_json())))


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"clientcore_bulk_plan": 2}, "$.clientcore_bulk_plan"),
        (
            {
                "clientcore_bulk_plan": 1,
                "id": "x",
                "selection": {"ids": ["a"]},
                "operations": [{"op": "explode"}],
                "limit": None,
            },
            "$.operations[0].op",
        ),
        (
            {
                "clientcore_bulk_plan": 1,
                "id": "x",
                "selection": {"ids": ["a"]},
                "operations": [{"op": "labels", "add": "vip"}],
                "limit": None,
            },
            "$.operations[0].add",
        ),
        (
            {
                "clientcore_bulk_plan": 1,
                "id": "x",
                "selection": {},
                "operations": [],
                "limit": None,
            },
            "$.selection",
        ),
        (
            {
                "clientcore_bulk_plan": 1,
                "id": "x",
                "selection": {"ids": ["a"]},
                "operations": [],
                "limit": 0,
            },
            "$.limit",
        ),
    ],
)
def test_plan_json_is_strict_and_names_the_path(data: object, path: str) -> None:
    with pytest.raises(ValidationError) as err:
        BulkPlan.from_json(data)
    assert path == err.value.issues[0].path


json_junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda c: (
        st.lists(c, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "op",
                    "path",
                    "value",
                    "add",
                    "remove",
                    "ids",
                    "filter",
                    "selection",
                    "operations",
                    "id",
                    "clientcore_bulk_plan",
                    "limit",
                    "code",
                ]
            ),
            c,
            max_size=5,
        )
    ),
    max_leaves=15,
)


@settings(max_examples=300, deadline=None)
@given(json_junk)
def test_plan_json_decoding_raises_only_clientcore_errors(data: object) -> None:
    from clientcore import ClientCoreError

    try:
        BulkPlan.from_json(data)
    except ClientCoreError:
        pass


# --- proven under faults ---


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=12), st.integers(min_value=1, max_value=10))
def test_a_failed_apply_leaves_the_store_exactly_as_before(size: int, fail_on: int) -> None:
    inner = store_with(*[company(f"p{i}", labels={"old"}) for i in range(size)])
    before = snapshot(inner)
    faulty = FaultyUnitOfWork(inner, fail_on=fail_on)
    plan = BulkPlan(
        F("name").starts_with("company"),
        [SetField("language", "fr"), Labels(add={"vip"}), SetTask("vat", True)],
    )
    try:
        plan.apply(faulty, STAFF, at=AT)
    except InjectedFault:
        assert before == snapshot(inner)
    else:
        assert fail_on > size + 1  # size saves and one commit: every write went through
        assert all(p.language == "fr" for p in snapshot(inner).values())


def test_two_plans_on_overlapping_parties_never_lose_an_update() -> None:
    store = InMemoryStore([company(f"p{i}") for i in range(6)])
    first = BulkPlan(["p0", "p1", "p2", "p3"], [Labels(add={"first"})])
    second = BulkPlan(["p2", "p3", "p4", "p5"], [Labels(add={"second"})])
    uow1, uow2 = InMemoryUnitOfWork(store), InMemoryUnitOfWork(store)
    preview1, preview2 = first.preview(uow1, STAFF), second.preview(uow2, STAFF)
    results: dict[str, object] = {}
    barrier = threading.Barrier(2)

    def run(name: str, plan: BulkPlan, uow: InMemoryUnitOfWork, preview: object) -> None:
        barrier.wait()
        try:
            results[name] = plan.apply(uow, STAFF, preview=preview, at=AT)  # type: ignore[arg-type]
        except ConflictError as exc:
            results[name] = exc

    threads = [
        threading.Thread(target=run, args=("first", first, uow1, preview1)),
        threading.Thread(target=run, args=("second", second, uow2, preview2)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    kinds = sorted(type(r).__name__ for r in results.values())
    assert ["ConflictError", "Receipt"] == kinds
    labels = {pid: p.labels for pid, p in store.parties.items()}
    winner = "first" if type(results["first"]).__name__ == "Receipt" else "second"
    won = first if winner == "first" else second
    for pid in won.selection.ids or ():
        assert winner in labels[pid]
    assert not any(("first" in v and "second" in v) for v in labels.values())


# --- four-eyes cannot be bypassed by an undo (gap A) ---

ANN_APPROVER = Actor("ann", {"staff", "approver"})


def submitted_by_ann() -> tuple[InMemoryUnitOfWork, int]:
    uow = store_with(company("p1", status="acceptance_draft"))
    BulkPlan(["p1"], [Transition("submit_for_approval")]).apply(
        uow, ANN_APPROVER, machine=MACHINE, at=AT
    )
    return uow, snapshot(uow)["p1"].version


def test_a_restore_cannot_put_back_who_submitted_an_acceptance() -> None:
    uow, version = submitted_by_ann()
    with pytest.raises(ValidationError) as err:
        Restore("p1", version, (("acceptance", Acceptance(submitted_by="zed")),))
    assert ["bulk.restore.acceptance"] == [i.code for i in err.value.issues]
    decision = MACHINE.evaluate(ANN_APPROVER, snapshot(uow)["p1"], "approve")
    assert "status.four_eyes" in decision.codes


def test_a_restore_of_acceptance_and_status_together_is_refused_too() -> None:
    with pytest.raises(ValidationError):
        Restore("p1", 2, (("acceptance", None), ("status", "acceptance_central_admin")))


def test_a_restore_of_acceptance_in_json_is_refused_at_its_path() -> None:
    data = {
        "clientcore_bulk_plan": 1,
        "id": "x",
        "selection": {"ids": ["p1"]},
        "operations": [
            {"op": "restore", "party_id": "p1", "version": 2, "values": [["acceptance", None]]}
        ],
        "limit": None,
    }
    with pytest.raises(ValidationError) as err:
        BulkPlan.from_json(data)
    assert [("bulk.restore.acceptance", "$.operations[0].values[0]")] == [
        (i.code, i.path) for i in err.value.issues
    ]


def test_a_forged_restore_of_acceptance_is_still_refused_when_evaluated() -> None:
    uow, version = submitted_by_ann()
    forged = Restore("p1", version, ())
    object.__setattr__(forged, "values", (("acceptance", Acceptance(submitted_by="zed")),))
    preview = BulkPlan(["p1"], [forged]).preview(uow, ANN_APPROVER)
    assert ["bulk.restore.acceptance"] == [i.code for r in preview.rejections for i in r.issues]


def test_the_submitter_cannot_undo_her_submission_around_four_eyes() -> None:
    uow = store_with(company("p1", status="acceptance_draft"))
    receipt = BulkPlan(["p1"], [Transition("submit_for_approval")]).apply(
        uow, ANN_APPROVER, machine=MACHINE, at=AT
    )
    assert all(path != "acceptance" for op in receipt.undo.operations for path in op.paths())
    with pytest.raises(BulkRejected) as err:
        receipt.undo.apply(uow, ANN_APPROVER, machine=MACHINE, at=AT)
    assert "status.four_eyes" in [i.code for i in err.value.issues]


# --- the selection respects status visibility (gap B) ---

ASSISTANT = Actor("cas", {"assistant"})


def test_with_a_machine_a_filter_on_a_hidden_status_selects_nothing() -> None:
    uow = store_with(company("a", status="prospect"), company("b", status="client"))
    plan = BulkPlan(F("status").eq("prospect"), [Labels(add={"x"})])
    with pytest.raises(ValidationError) as err:
        plan.preview(uow, ASSISTANT, machine=MACHINE)
    assert "bulk.empty_selection" == err.value.issues[0].code


def test_with_a_machine_parties_whose_status_is_hidden_are_left_out() -> None:
    uow = store_with(company("a", status="prospect"), company("b", status="client"))
    plan = BulkPlan(F("kind").eq("client_company"), [Labels(add={"x"})])
    preview = plan.preview(uow, ASSISTANT, machine=MACHINE)
    assert (1, ("b",)) == (preview.selected, preview.changed_ids)


def test_with_a_machine_an_explicit_id_of_a_hidden_party_is_not_found() -> None:
    uow = store_with(company("a", status="prospect"), company("b", status="client"))
    preview = BulkPlan(["a", "b", "zz"], [Labels(add={"x"})]).preview(
        uow, ASSISTANT, machine=MACHINE
    )
    assert [("a", "not_found.party"), ("zz", "not_found.party")] == [
        (r.party_id, r.issues[0].code) for r in preview.rejections
    ]
    # told apart from an unknown id by nothing but the id
    assert {"what": "party", "id": "a"} == preview.rejections[0].issues[0].params


# --- a preview is reused only for the same apply (gap 1) ---


def test_a_preview_made_for_staff_is_not_reused_by_an_assistant() -> None:
    uow = store_with(company("a"))
    plan = BulkPlan(["a"], [SetField("language", "fr")])
    preview = plan.preview(uow, STAFF)
    with pytest.raises(BulkRejected) as err:
        plan.apply(uow, ASSISTANT, preview=preview, at=AT)
    assert ["bulk.not_allowed"] == [i.code for i in err.value.issues]
    assert snapshot(uow)["a"].language is None


def test_a_preview_made_under_another_edit_policy_is_not_reused() -> None:
    uow = store_with(company("a"))
    plan = BulkPlan(["a"], [SetField("language", "fr")])
    preview = plan.preview(uow, STAFF)
    strict = RoleEditPolicy({"staff": {"labels"}})
    with pytest.raises(BulkRejected):
        plan.apply(uow, STAFF, preview=preview, at=AT, edit_policy=strict)


def test_a_preview_made_under_another_schema_is_not_reused() -> None:
    uow = store_with(company("a"))
    plan = BulkPlan(["a"], [SetField("custom.kyc.source", "salary")])
    preview = plan.preview(uow, STAFF, schema=SCHEMA)
    with pytest.raises(UnknownField):
        plan.apply(uow, STAFF, preview=preview, at=AT)


def test_a_preview_of_another_plan_is_refused() -> None:
    uow = store_with(company("a"))
    preview = BulkPlan(["a"], [SetField("language", "fr")]).preview(uow, STAFF)
    with pytest.raises(ValidationError) as err:
        BulkPlan(["a"], [SetField("language", "nl")]).apply(uow, STAFF, preview=preview, at=AT)
    assert "bulk.preview.other_plan" == err.value.issues[0].code


def test_a_recomputed_apply_still_checks_versions_against_the_preview() -> None:
    uow = store_with(company("a"))
    plan = BulkPlan(["a"], [Labels(add={"x"})])
    preview = plan.preview(uow, STAFF)
    with uow:
        uow.parties.save(attrs.evolve(uow.parties.get("a"), name="Renamed"))
        uow.commit()
    with pytest.raises(ConflictError):
        plan.apply(uow, ASSISTANT, preview=preview, at=AT)


def test_status_events_are_made_at_apply_time_by_the_applying_actor() -> None:
    uow = store_with(company("a"))
    plan = BulkPlan(["a"], [Transition("qualify")])
    preview = plan.preview(uow, STAFF, machine=MACHINE, at=AT)
    later = AT + dt.timedelta(hours=3)
    receipt = plan.apply(uow, ADMIN, preview=preview, machine=MACHINE, at=later)
    [event] = [e for e in receipt.events if isinstance(e, StatusChanged)]
    assert ("bob", later) == (event.actor, event.at)


# --- values against the catalogue (gap 2) ---


@pytest.mark.parametrize(
    ("path", "value"),
    [("language", "xx"), ("aml.risk", "bogus"), ("vat_liable", "maybe"), ("client_since", "2024")],
)
def test_a_value_outside_the_catalogue_is_refused_when_the_operation_is_built(
    path: str, value: object
) -> None:
    with pytest.raises(ValidationError) as err:
        SetField(path, value)
    assert ("bulk.op.invalid", "value") == (err.value.issues[0].code, err.value.issues[0].path)


def test_values_are_read_with_the_model_vocabulary_when_the_operation_is_built() -> None:
    assert (False, "fr", dt.date(2024, 1, 31)) == (
        SetField("vat_liable", "nee").value,
        SetField("language", "Frans").value,
        SetField("client_since", "31/01/2024").value,
    )


def test_an_unregistered_custom_field_is_refused_by_the_default_catalogue() -> None:
    uow = store_with(company("a"))
    for op in (SetField("custom.kyc.source", "salary"), ClearField("custom.kyc.source")):
        with pytest.raises(UnknownField):
            BulkPlan(["a"], [op]).preview(uow, STAFF)


def test_a_custom_value_outside_its_choices_is_refused_at_its_path() -> None:
    uow = store_with(company("a"))
    plan = BulkPlan(["a"], [Labels(add={"x"}), SetField("custom.kyc.source", "lottery")])
    with pytest.raises(ValidationError) as err:
        plan.preview(uow, STAFF, schema=SCHEMA)
    assert [("bulk.op.invalid", "operations[1].value")] == [
        (i.code, i.path) for i in err.value.issues
    ]


def test_clear_field_empties_a_custom_field() -> None:
    uow = store_with(company("a", custom={"kyc": {"source": "gift", "note": "x"}}))
    BulkPlan(["a"], [ClearField("custom.kyc.source")]).apply(uow, STAFF, at=AT, schema=SCHEMA)
    assert {"kyc": {"note": "x"}} == snapshot(uow)["a"].custom


@pytest.mark.parametrize("value", [object(), {"a": 1}, float("nan"), dt.datetime(2024, 1, 1)])
def test_a_custom_value_without_a_json_form_is_refused(value: object) -> None:
    with pytest.raises(ValidationError):
        SetField("custom.kyc.source", value)


def test_a_set_as_custom_value_becomes_json() -> None:
    op = SetField("custom.kyc.tags", {"b", "a"})
    assert {"op": "set_field", "path": "custom.kyc.tags", "value": ["a", "b"]} == op.to_json()
    assert json.loads(json.dumps(op.to_json())) == op.to_json()


# --- strict plan JSON (gap 3) ---


def one_op(op: object) -> dict[str, object]:
    return {
        "clientcore_bulk_plan": 1,
        "id": "x",
        "selection": {"ids": ["a"]},
        "operations": [op],
        "limit": None,
    }


@pytest.mark.parametrize(
    ("op", "path"),
    [
        ({"op": "set_field", "path": "language", "value": 5}, "$.operations[0].value"),
        ({"op": "set_field", "path": "vat_liable", "value": "no"}, "$.operations[0].value"),
        ({"op": "set_field", "path": "labels", "value": "vip"}, "$.operations[0].value"),
        ({"op": "set_field", "path": "language", "value": "xx"}, "$.operations[0].value"),
        ({"op": "set_field", "path": "client_since", "value": 20240101}, "$.operations[0].value"),
        ({"op": "set_field", "path": "langauge", "value": "fr"}, "$.operations[0].path"),
        ({"op": "set_field", "path": "custom.k.v", "value": [1]}, "$.operations[0].value"),
        ({"op": "transition", "name": ""}, "$.operations[0].name"),
        ({"op": "labels", "add": [""]}, "$.operations[0].add"),
        ({"op": "set_task", "code": "vat", "start": "2024-01-01junk"}, "$.operations[0].start"),
        (
            {"op": "restore", "party_id": "a", "version": 1, "values": [["tasks", [{"code": 5}]]]},
            "$.operations[0].values[0]",
        ),
    ],
)
def test_operation_json_is_strict_and_names_the_path(op: object, path: str) -> None:
    with pytest.raises(ValidationError) as err:
        BulkPlan.from_json(one_op(op))
    assert path == err.value.issues[0].path


@pytest.mark.parametrize("value", [0, -1, "5", True, 2.0])
def test_a_plan_limit_is_a_positive_whole_number(value: object) -> None:
    with pytest.raises(ValidationError) as err:
        BulkPlan(["a"], [Labels(add={"x"})], limit=value)  # type: ignore[arg-type]
    assert "limit" == err.value.issues[0].path


def test_blank_names_are_refused_in_python_too() -> None:
    for build in (lambda: Transition(""), lambda: Labels(add={" "}), lambda: BulkPlan([""], [])):
        with pytest.raises(ValidationError):
            build()


# --- label states, events, undo edge cases, missing cases ---


def test_label_states_say_none_for_a_listed_label_no_party_has() -> None:
    parties = [company("a", labels={"vip"}), company("b", labels={"vip", "audit"})]
    assert {"audit": "some", "nbb": "none", "vip": "all"} == label_states(
        parties, labels=["vip", "nbb"]
    )


def test_a_status_only_change_yields_fields_changed_and_status_changed() -> None:
    uow = store_with(company("a"))
    receipt = BulkPlan(["a"], [Transition("qualify")]).apply(uow, STAFF, machine=MACHINE, at=AT)
    fields, status = receipt.events
    assert isinstance(fields, FieldsChanged)
    assert isinstance(status, StatusChanged)
    assert [("status", "suspect", "prospect")] == [
        (c.path, c.before, c.after) for c in fields.changes
    ]
    assert list(receipt.events) == list(uow.events)


def test_undo_of_two_transitions_takes_the_way_back_step_by_step() -> None:
    uow = store_with(company("a"))
    plan = BulkPlan(["a"], [Transition("qualify"), Transition("start_acceptance")])
    receipt = plan.apply(uow, STAFF, machine=UNDOING, at=AT)
    assert "acceptance_draft" == snapshot(uow)["a"].status
    undo = receipt.undo.apply(uow, STAFF, machine=UNDOING, at=AT)
    assert "suspect" == snapshot(uow)["a"].status
    assert ["withdraw_acceptance", "disqualify"] == [
        e.transition for e in undo.events if isinstance(e, StatusChanged)
    ]


def test_undo_of_an_apply_that_changed_nothing_is_the_empty_plan_and_does_nothing() -> None:
    uow = store_with(company("a", labels={"x"}))
    receipt = BulkPlan(["a"], [Labels(add={"x"})]).apply(uow, STAFF, at=AT)
    assert ((), True) == (receipt.applied, receipt.undo.is_empty)
    before = snapshot(uow)
    again = receipt.undo.apply(uow, STAFF, at=AT)
    assert ((), ()) == (again.applied, again.events)
    assert 0 == receipt.undo.preview(uow, STAFF).selected
    assert before == snapshot(uow)
    assert receipt.undo == BulkPlan.from_json(receipt.undo.to_json())


def test_a_transition_a_guard_refuses_is_a_rejection_with_its_reason() -> None:
    uow = store_with(company("a", status="client"))
    preview = BulkPlan(["a"], [Transition("revert_to_prospect")]).preview(
        uow, STAFF, machine=MACHINE, at=AT
    )
    assert ["facts.unavailable"] == [i.code for r in preview.rejections for i in r.issues]


def test_status_changed_events_are_kept_by_the_unit_of_work() -> None:
    uow = store_with(company("a"), company("b"))
    BulkPlan(["a", "b"], [Transition("qualify")]).apply(uow, STAFF, machine=MACHINE, at=AT)
    assert ["a", "b"] == [e.party_id for e in uow.events if isinstance(e, StatusChanged)]


def test_over_the_limit_with_skip_writes_nothing_and_reports_every_party() -> None:
    uow = store_with(*[company(f"p{i}") for i in range(3)])
    before = snapshot(uow)
    receipt = BulkPlan(["p0", "p1", "p2"], [Labels(add={"t"})], limit=2).apply(
        uow, STAFF, at=AT, on_rejection="skip"
    )
    assert ((), ["bulk.over_limit"] * 3) == (
        receipt.applied,
        [r.issues[0].code for r in receipt.skipped],
    )
    assert receipt.undo.is_empty
    assert before == snapshot(uow)
