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
    RoleEditPolicy,
    SetField,
    SetTask,
    Transition,
    label_states,
)
from clientcore.query import F
from clientcore.status import RolePolicy, StatusChanged, StatusMachine
from clientcore.testing import FaultyUnitOfWork, InjectedFault

AT = dt.datetime(2026, 1, 5, 9, 0)
STAFF = Actor("ann", {"staff"})
ADMIN = Actor("bob", {"administration"})
MACHINE = StatusMachine(RolePolicy.default())


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
    plan.apply(uow, STAFF, at=AT)
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
    receipt = plan.apply(uow, STAFF, at=AT)
    receipt.undo.apply(uow, STAFF, at=AT)
    restored = snapshot(uow)
    for original in originals:
        assert attrs.evolve(original, version=0) == attrs.evolve(restored[original.id], version=0)


def test_undo_restores_a_status_through_the_machine() -> None:
    uow = store_with(company("a", status="suspect"))
    receipt = BulkPlan(["a"], [Transition("qualify")]).apply(uow, STAFF, machine=MACHINE, at=AT)
    assert "prospect" == snapshot(uow)["a"].status.value
    undo = receipt.undo
    assert undo.needs_machine
    undo_receipt = undo.apply(uow, STAFF, machine=MACHINE, at=AT)
    assert "suspect" == snapshot(uow)["a"].status.value
    assert [("qualify",), ("disqualify",)] == [
        (e.transition,)
        for e in (*receipt.events, *undo_receipt.events)
        if isinstance(e, StatusChanged)
    ]


def test_undo_of_a_status_without_a_way_back_is_refused_with_reasons() -> None:
    uow = store_with(company("a", status="acceptance_central_admin"))
    receipt = BulkPlan(["a"], [Transition("activate")]).apply(uow, ADMIN, machine=MACHINE, at=AT)
    with pytest.raises(BulkRejected) as err:
        receipt.undo.apply(uow, ADMIN, machine=MACHINE, at=AT)
    assert "bulk.no_route" in [i.code for i in err.value.issues]


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
