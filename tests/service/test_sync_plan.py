"""Sync plans through the in-memory unit of work: choices, preview, atomic apply, undo, JSON."""

from __future__ import annotations

import datetime as dt
import json
import pathlib
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clientcore import (
    Actor,
    ConflictError,
    InMemoryUnitOfWork,
    Party,
    ValidationError,
)
from clientcore.bulk import BulkPlan, FieldsChanged, Preview, RoleEditPolicy, SetField
from clientcore.model import read_csv
from clientcore.status import RolePolicy, StatusChanged, StatusMachine
from clientcore.sync import (
    OVERWRITABLE,
    Overwrite,
    OverwriteFields,
    Removal,
    SyncDiff,
    SyncEditPolicy,
    SyncEvent,
    SyncPlan,
    SyncRejected,
    diff,
)
from clientcore.testing import FaultyUnitOfWork, InjectedFault
from tests.strategies import sync_parties

DATA = pathlib.Path(__file__).parent.parent / "data" / "sync"
AT = dt.datetime(2026, 1, 5, 9, 0)
ANN = Actor("ann", {"staff", "administration"})
STAFF_ONLY = Actor("bob", {"staff"})
MACHINE = StatusMachine(RolePolicy.default())


def registry() -> InMemoryUnitOfWork:
    uow = InMemoryUnitOfWork()
    with uow:
        for result in read_csv(DATA / "registry.csv"):
            assert result.party is not None
            uow.parties.add(result.party)
        uow.commit()
    return uow


def export_diff(uow: InMemoryUnitOfWork) -> SyncDiff:
    return diff(uow, list(read_csv(DATA / "crm_export.csv")))


def snapshot(uow: InMemoryUnitOfWork) -> dict[str, Party]:
    with uow:
        return {p.id: attrs.evolve(p, version=0) for p in uow.parties.list()}


def get(uow: InMemoryUnitOfWork, pid: str) -> Party:
    with uow:
        return uow.parties.get(pid)


# --- from choices to a plan ---


def test_the_chosen_fields_are_overwritten_on_every_duplicate_with_per_party_exceptions() -> None:
    uow = registry()
    plan = export_diff(uow).plan(overwrite={"name", "email"}, per_party={"p-dubois": {"email"}})
    assert {"p-peeters": {"name", "email"}} == {
        o.party_id: {p for p, _ in o.values} for o in plan.overwrite_items
    }
    assert plan.overwrites is not None  # a bulk plan, previewed and applied as bulk plans are
    assert ("p-peeters",) == plan.overwrites.selection.ids
    receipt = plan.apply(uow, ANN, at=AT)
    assert ("p-peeters",) == receipt.changed
    peeters = get(uow, "p-peeters")
    assert ("Bakkerij Peeters BV", "boekhouding@bakkerijpeeters.be") == (
        peeters.name,
        peeters.email,
    )
    assert "Dubois & Fils" == get(uow, "p-dubois").name


def test_an_empty_imported_value_never_overwrites_ours_by_default() -> None:
    uow = registry()
    d = export_diff(uow)
    # the export has no e-mail for Dubois: ours stays
    assert d.plan(overwrite={"email"}, per_party={"p-peeters": set()}).overwrites is None
    plan = d.plan(overwrite={"email"}, per_party={"p-peeters": set()}, empty_overwrites=True)
    assert [("p-dubois", (("email", None),))] == [
        (o.party_id, o.values) for o in plan.overwrite_items
    ]
    plan.apply(uow, ANN, at=AT)
    assert get(uow, "p-dubois").email is None


def test_new_records_are_created_with_the_defaults_and_their_language() -> None:
    uow = registry()
    d = export_diff(uow)
    picked = [d.new[0].incoming.index, d.new[2].incoming.index]
    plan = d.plan(
        add=picked, defaults={"status": "prospect", "portfolio": "Gent", "labels": {"import"}}
    )
    receipt = plan.apply(uow, ANN, at=AT, machine=MACHINE)
    made = [get(uow, pid) for pid in receipt.created]
    assert [("Luc Mertens", "nl"), ("Jonas Krings", "de")] == [(p.name, p.language) for p in made]
    assert {("prospect", "Gent", frozenset({"import"}))} == {
        (p.status.value, p.portfolio, p.labels) for p in made
    }


def test_choices_that_do_not_fit_the_diff_are_refused_naming_them() -> None:
    d = export_diff(registry())
    with pytest.raises(ValidationError) as err:
        d.plan(overwrite={"status", "colour"})
    assert {"status", "colour"} == {i.params["value"] for i in err.value.issues}
    with pytest.raises(ValidationError) as err2:
        d.plan(per_party={"p-oud": {"name"}})
    assert "sync.unknown_party" == err2.value.issues[0].code
    with pytest.raises(ValidationError) as err3:
        d.plan(add=[999])
    assert "sync.not_new" == err3.value.issues[0].code
    with pytest.raises(ValidationError) as err4:
        d.plan(end=["p-peeters"])
    assert "sync.not_only_ours" == err4.value.issues[0].code
    with pytest.raises(ValidationError) as err5:
        d.plan(add=True, defaults={"status": "boss", "colour": "red", "labels": [""]})
    assert {"defaults.status", "defaults.colour", "defaults.labels"} == {
        i.path for i in err5.value.issues
    }


def test_kind_and_status_are_never_overwritable() -> None:
    assert "kind" not in OVERWRITABLE
    assert "status" not in OVERWRITABLE
    with pytest.raises(ValidationError):
        Overwrite("p1", 1, [("status", "client")])


# --- overwrites as a bulk plan, under the sync edit policy ---


def test_the_overwrites_are_a_bulk_plan_previewed_applied_and_undone_as_bulk_plans_are() -> None:
    uow = registry()
    before = snapshot(uow)
    plan = export_diff(uow).plan(
        overwrite={"name", "email"}, per_party={"p-dubois": set()}, add=True
    )
    bulk = plan.overwrites
    assert isinstance(bulk, BulkPlan)
    assert [OverwriteFields] == [type(op) for op in bulk.operations]
    preview = plan.preview(uow, ANN, at=AT)
    assert isinstance(preview.overwrites, Preview)
    assert bulk.id == preview.overwrites.plan_id
    assert ("p-peeters",) == preview.changed_ids
    receipt = plan.apply(uow, ANN, preview, at=AT)
    changed = [e for e in receipt.events if isinstance(e, FieldsChanged)]
    assert [("p-peeters", bulk.id)] == [(e.party_id, e.plan_id) for e in changed]
    with uow:
        assert changed == [e for e in uow.events if isinstance(e, FieldsChanged)]
    # the undo's overwrites are a bulk plan again: the before-values, at the new version
    undo = receipt.undo
    assert undo.overwrites is not None
    (item,) = undo.overwrite_items
    assert ("p-peeters", get(uow, "p-peeters").version) == (item.party_id, item.version)
    assert {("name", "Bakkerij Peeters"), ("email", "info@bakkerijpeeters.be")} == set(item.values)
    undo.apply(uow, ANN, at=AT)
    assert before == snapshot(uow)


def test_the_sync_edit_policy_allows_the_importable_fields_but_never_status_or_acceptance() -> None:
    policy = SyncEditPolicy()
    party = Party(kind="client_company", name="A")
    assert policy.fields == frozenset(OVERWRITABLE)
    assert policy.can_edit(ANN, party, "name").allowed  # a bulk edit may not change a name
    assert not RoleEditPolicy.default().allows(set(), "name")
    for path in ("status", "acceptance", "kind", "tasks"):
        decision = policy.can_edit(ANN, party, path)
        assert ["sync.field.not_overwritable"] == [r.code for r in decision.reasons]
    # the roles still decide inside the importable fields
    assert not policy.can_edit(Actor("cis", {"assistant"}), party, "name").allowed
    with pytest.raises(ValidationError) as err:
        SyncEditPolicy(fields={"name", "status", "acceptance"})
    assert {"status", "acceptance"} == {i.params["value"] for i in err.value.issues}


def test_a_narrower_sync_policy_rejects_the_fields_it_leaves_out() -> None:
    uow = registry()
    plan = export_diff(uow).plan(overwrite={"name", "email"})
    policy = SyncEditPolicy(fields={"name"})
    preview = plan.preview(uow, ANN, at=AT, edit_policy=policy)
    assert [("p-peeters", "email", "sync.field.not_overwritable")] == [
        (r.party_id, i.path, i.code) for r in preview.rejections for i in r.issues
    ]
    receipt = plan.apply(uow, ANN, at=AT, edit_policy=policy, on_rejection="skip")
    assert ("p-dubois",) == receipt.changed  # its name; Peeters is rejected as a whole
    assert "Bakkerij Peeters" == get(uow, "p-peeters").name


def test_overwrites_are_one_operation_of_overwrite_fields_on_the_ids_it_names() -> None:
    with pytest.raises(ValidationError):
        SyncPlan(overwrites=BulkPlan(["p1"], [SetField("language", "fr")]))
    op = OverwriteFields([Overwrite("p1", 1, [("name", "A")])])
    with pytest.raises(ValidationError):
        SyncPlan(overwrites=BulkPlan(["p1", "p2"], [op]))
    with pytest.raises(ValidationError):
        OverwriteFields([Overwrite("p1", 1, [("name", "A")]), Overwrite("p1", 1, [("name", "B")])])
    plan = SyncPlan(overwrites=[Overwrite("p1", 1, [("name", "A")])])
    assert plan.overwrites is not None
    assert ("p1",) == plan.overwrites.selection.ids
    assert SyncPlan(overwrites=[]).overwrites is None


# --- ending engagements through the status machine ---


def test_only_ours_clients_end_their_engagement_through_the_machine() -> None:
    uow = registry()
    plan = export_diff(uow).plan(end=["p-janssens"], end_reason="not in the CRM any more")
    receipt = plan.apply(uow, ANN, at=AT, machine=MACHINE)
    assert ("p-janssens",) == receipt.ended
    janssens = get(uow, "p-janssens")
    assert ("former_client", AT.date()) == (janssens.status.value, janssens.client_until)
    assert any(isinstance(e, StatusChanged) for e in receipt.events)


def test_a_party_the_actor_may_not_end_is_rejected_with_reasons() -> None:
    uow = registry()
    plan = export_diff(uow).plan(end=True)
    preview = plan.preview(uow, STAFF_ONLY, at=AT, machine=MACHINE)
    assert {"p-janssens", "p-oud", "p-vos"} == {r.party_id for r in preview.rejections}
    assert all(
        "policy.transition_not_allowed" in {i.code for i in r.issues} for r in preview.rejections
    )
    with pytest.raises(SyncRejected):
        plan.apply(uow, STAFF_ONLY, at=AT, machine=MACHINE)


def test_a_party_whose_status_the_actor_may_not_see_is_rejected_with_the_reason() -> None:
    uow = InMemoryUnitOfWork()
    with uow:
        uow.parties.add(Party(id="p1", kind="client_person", name="An", status="prospect"))
        uow.commit()
    plan = diff(uow, []).plan(end=True)
    assistant = Actor("cis", {"assistant"})
    preview = plan.preview(uow, assistant, at=AT, machine=MACHINE)
    codes = {i.code for r in preview.rejections for i in r.issues}
    assert "not_found.party" not in codes
    assert codes  # the policy's own reason for hiding the status


def test_the_undo_of_an_ended_engagement_is_refused_saying_why_and_the_rest_still_applies() -> None:
    uow = registry()
    before = snapshot(uow)
    plan = export_diff(uow).plan(overwrite={"name"}, add=True, end=["p-janssens"])
    receipt = plan.apply(uow, ANN, at=AT, machine=MACHINE)
    undo = receipt.undo
    assert undo.ends is not None
    # Back to client goes through the machine: reactivate, then a new acceptance whose
    # approval needs a second person (four eyes). No actor takes that alone, whatever
    # their roles: the undo says so before the machine's own reason.
    everything = Actor("zoe", {"staff", "approver", "administration"})
    for actor in (ANN, everything):
        preview = undo.preview(uow, actor, at=AT, machine=MACHINE)
        (rejection,) = preview.rejections
        assert "p-janssens" == rejection.party_id
        first, *machine_reasons = rejection.issues
        assert ("sync.undo.ended_engagement", "status") == (first.code, first.path)
        assert "new acceptance" in first.message()
        assert "nieuwe aanvaarding" in first.message("nl")
        assert "nouvelle acceptation" in first.message("fr")
        assert {"policy.transition_not_allowed", "status.four_eyes"} & {
            i.code for i in machine_reasons
        }
    with pytest.raises(SyncRejected):
        undo.apply(uow, ANN, at=AT, machine=MACHINE)
    # the rest of the undo: created parties removed, overwritten values back
    done = undo.apply(uow, ANN, at=AT, machine=MACHINE, on_rejection="skip")
    assert set(receipt.created) == set(done.removed)
    assert ["p-janssens"] == [r.party_id for r in done.skipped]
    after = snapshot(uow)
    assert set(before) == set(after)
    assert {pid for pid in before if before[pid] != after[pid]} == {"p-janssens"}
    assert "former_client" == after["p-janssens"].status.value


# --- preview, apply, undo ---


def full_plan(uow: InMemoryUnitOfWork) -> SyncPlan:
    return export_diff(uow).plan(
        overwrite={"name", "email", "labels"}, add=True, defaults={"status": "prospect"}
    )


def test_the_preview_writes_nothing_and_counts_everything() -> None:
    uow = registry()
    before = snapshot(uow)
    preview = full_plan(uow).preview(uow, ANN, at=AT)
    assert {"create": 4, "change": 2, "end": 0, "remove": 0, "rejected": 0} == preview.counts()
    assert before == snapshot(uow)
    assert "4 to create, 2 to change" in preview.to_text()
    assert "<table>" in preview._repr_html_()
    assert {"create", "change"} == {r["action"] for r in preview.to_rows()}


def test_apply_then_undo_restores_the_registry_and_removes_the_created_parties() -> None:
    uow = registry()
    before = snapshot(uow)
    plan = full_plan(uow)
    receipt = plan.apply(uow, ANN, plan.preview(uow, ANN, at=AT), at=AT)
    assert 4 == len(receipt.created)
    assert {SyncEvent, FieldsChanged} == {type(e) for e in receipt.events}
    assert before != snapshot(uow)
    undo = receipt.undo
    assert set(receipt.created) == {r.party_id for r in undo.removals}
    again = undo.apply(uow, ANN, at=AT)
    assert before == snapshot(uow)
    # and the undo of the undo puts the created parties back
    again.undo.apply(uow, ANN, at=AT)
    assert set(receipt.created) <= set(snapshot(uow))


def test_the_undo_puts_back_an_invalid_identifier_the_party_held() -> None:
    uow = InMemoryUnitOfWork()
    with uow:
        uow.parties.add(
            Party(
                id="p1",
                kind="client_company",
                name="Peeters BV",
                number="K001",
                enterprise_number="0403170702",  # a wrong check digit, held as typed
            )
        )
        uow.commit()
    before = snapshot(uow)
    incoming = [
        Party(
            kind="client_company", name="Peeters BV", number="K001", enterprise_number="0403170701"
        ),
    ]
    plan = diff(uow, incoming).plan(overwrite={"enterprise_number"}, add=False)
    receipt = plan.apply(uow, ANN, at=AT)
    assert "0403170701" == get(uow, "p1").enterprise_number
    undo = SyncPlan.from_json(json.loads(json.dumps(receipt.undo.to_json())))
    assert undo.to_json() == receipt.undo.to_json()
    assert receipt.undo.to_json()["overwrites"]["restore"] is True
    undo.apply(uow, ANN, at=AT)
    assert before == snapshot(uow)


def test_a_forward_overwrite_still_refuses_an_invalid_identifier() -> None:
    uow = InMemoryUnitOfWork()
    with uow:
        uow.parties.add(Party(id="p1", kind="client_company", name="A", number="K001"))
        uow.commit()
    bad = {"party_id": "p1", "version": 1, "values": [["enterprise_number", "0403170702"]]}
    data = {
        "clientcore_sync_plan": 1,
        "id": "s1",
        "creations": [],
        "overwrites": {"id": "o1", "items": [bad]},
        "ends": None,
        "removals": [],
    }
    with pytest.raises(SyncRejected) as err:
        SyncPlan.from_json(data).apply(uow, ANN, at=AT)
    assert ["identifier.invalid_checksum"] == [i.code for i in err.value.issues]
    data["overwrites"] = {"id": "o1", "items": [bad], "restore": "yes"}
    with pytest.raises(ValidationError) as bad_flag:
        SyncPlan.from_json(data)
    assert ["$.overwrites.restore"] == [i.path for i in bad_flag.value.issues]


def test_one_rejection_aborts_everything_unless_told_to_skip() -> None:
    uow = registry()
    d = export_diff(uow)
    plan = d.plan(overwrite={"name"}, add=True, end=True)
    before = snapshot(uow)
    with pytest.raises(SyncRejected) as err:
        plan.apply(uow, STAFF_ONLY, at=AT, machine=MACHINE)
    assert 3 == len(err.value.rejections)
    assert before == snapshot(uow)
    receipt = plan.apply(uow, STAFF_ONLY, at=AT, machine=MACHINE, on_rejection="skip")
    assert (4, 2, 0, 3) == (
        len(receipt.created),
        len(receipt.changed),
        len(receipt.ended),
        len(receipt.skipped),
    )


def test_a_party_changed_since_the_diff_is_a_conflict_never_overwritten() -> None:
    uow = registry()
    plan = export_diff(uow).plan(overwrite={"name"})
    with uow:
        uow.parties.save(attrs.evolve(uow.parties.get("p-peeters"), portfolio="Antwerpen"))
        uow.commit()
    preview = plan.preview(uow, ANN, at=AT)
    assert ["sync.conflict"] == [i.code for r in preview.rejections for i in r.issues]


def test_a_party_changed_after_the_preview_fails_the_whole_apply() -> None:
    uow = registry()
    plan = full_plan(uow)
    preview = plan.preview(uow, ANN, at=AT)
    with uow:
        uow.parties.save(attrs.evolve(uow.parties.get("p-dubois"), portfolio="Antwerpen"))
        uow.commit()
    before = snapshot(uow)
    with pytest.raises(ConflictError) as err:
        plan.apply(uow, ANN, preview, at=AT)
    assert ("p-dubois",) == err.value.party_ids
    assert before == snapshot(uow)


def test_a_record_whose_id_exists_is_not_created() -> None:
    uow = registry()
    plan = SyncPlan(creations=[Party(id="p-peeters", kind="client_person", name="Other")])
    preview = plan.preview(uow, ANN, at=AT)
    assert ["sync.exists"] == [i.code for r in preview.rejections for i in r.issues]


def test_an_overwrite_that_would_make_the_party_invalid_is_rejected() -> None:
    uow = registry()
    plan = SyncPlan(overwrites=[Overwrite("p-dubois", 1, [("email", "not-an-email")])])
    preview = plan.preview(uow, ANN, at=AT)
    assert [("p-dubois", "email")] == [
        (r.party_id, i.path) for r in preview.rejections for i in r.issues
    ]


def test_an_actor_who_may_not_edit_a_field_is_rejected() -> None:
    uow = registry()
    plan = SyncPlan(overwrites=[Overwrite("p-dubois", 1, [("name", "Dubois")])])
    preview = plan.preview(uow, Actor("cis", {"assistant"}), at=AT)
    assert ["bulk.not_allowed"] == [i.code for r in preview.rejections for i in r.issues]


def test_apply_needs_a_moment_and_its_own_preview() -> None:
    uow = registry()
    plan = full_plan(uow)
    with pytest.raises(ValidationError):
        plan.apply(uow, ANN)
    other = SyncPlan(removals=[Removal("p-oud", 1)])
    with pytest.raises(ValidationError):
        plan.apply(uow, ANN, other.preview(uow, ANN, at=AT), at=AT)
    empty = SyncPlan()
    assert empty.is_empty
    assert () == empty.apply(uow, ANN, at=AT).created
    assert 0 == empty.preview(uow, ANN).counts()["create"]


def test_an_injected_fault_at_any_write_leaves_the_registry_as_it_was() -> None:
    fail_on = 0
    while True:
        fail_on += 1
        uow = registry()
        plan = export_diff(uow).plan(overwrite={"name", "email"}, add=True, end=["p-janssens"])
        before = snapshot(uow)
        faulty = FaultyUnitOfWork(uow, fail_on)
        try:
            plan.apply(faulty, ANN, at=AT, machine=MACHINE)  # type: ignore[arg-type]
        except InjectedFault:
            assert before == snapshot(uow), fail_on
            continue
        break
    # 2 overwrites, 4 creations, 1 ended engagement and the commit: every one was failed
    assert 9 == fail_on


# --- JSON ---


def test_a_plan_and_its_undo_survive_json() -> None:
    uow = registry()
    plan = export_diff(uow).plan(
        overwrite={"name", "labels"}, add=True, end=["p-janssens"], defaults={"labels": {"x"}}
    )
    assert plan == SyncPlan.from_json(json.loads(json.dumps(plan.to_json())))
    receipt = plan.apply(uow, ANN, at=AT, machine=MACHINE)
    undo = receipt.undo
    assert undo == SyncPlan.from_json(json.loads(json.dumps(undo.to_json())))


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ([], "$"),
        ({"clientcore_sync_plan": 2, "id": "a"}, "$.clientcore_sync_plan"),
        ({"clientcore_sync_plan": 1, "id": ""}, "$.id"),
        ({"clientcore_sync_plan": 1, "id": "a", "extra": 1}, "$"),
        ({"clientcore_sync_plan": 1, "id": "a", "creations": {}}, "$.creations"),
        ({"clientcore_sync_plan": 1, "id": "a", "creations": [{"kind": "x"}]},
         "$.creations[0].kind"),
        ({"clientcore_sync_plan": 1, "id": "a", "overwrites": []}, "$.overwrites"),
        ({"clientcore_sync_plan": 1, "id": "a", "overwrites": {"items": []}}, "$.overwrites"),
        ({"clientcore_sync_plan": 1, "id": "a", "overwrites": {"id": "", "items": []}},
         "$.overwrites.id"),
        ({"clientcore_sync_plan": 1, "id": "a", "overwrites": {"id": "o", "items": []}},
         "$.overwrites.items"),
        ({"clientcore_sync_plan": 1, "id": "a",
          "overwrites": {"id": "o", "items": [{"party_id": "p"}]}},
         "$.overwrites.items[0]"),
        (
            {"clientcore_sync_plan": 1, "id": "a", "overwrites": {"id": "o", "items": [
                {"party_id": "p", "version": 1, "values": [["status", "client"]]}]}},
            "$.overwrites.items[0].values[0]",
        ),
        (
            {"clientcore_sync_plan": 1, "id": "a", "overwrites": {"id": "o", "items": [
                {"party_id": "p", "version": 1, "values": [["client_since", "x"]]}]}},
            "$.overwrites.items[0].values[0]",
        ),
        # a value is read back from JSON as a bulk plan reads it (one rule for both)
        *[
            (
                {"clientcore_sync_plan": 1, "id": "a", "overwrites": {"id": "o", "items": [
                    {"party_id": "p", "version": 1, "values": [[path, value]]}]}},
                "$.overwrites.items[0].values[0]",
            )
            for path, value in [
                ("labels", ["vip", 5]), ("labels", "vip"), ("client_since", "2024-1-1"),
                ("client_since", 20240101), ("vat_liable", "yes"), ("name", 5),
            ]
        ],
        (
            {"clientcore_sync_plan": 1, "id": "a", "overwrites": {"id": "o", "items": [
                {"party_id": "p", "version": -1, "values": []}]}},
            "$.overwrites.items[0].version",
        ),
        (
            {"clientcore_sync_plan": 1, "id": "a", "overwrites": {"id": "o", "items": [
                {"party_id": "p", "version": 1, "values": [["name", "A"]]},
                {"party_id": "p", "version": 1, "values": [["name", "B"]]}]}},
            "$.overwrites.items[1].party_id",
        ),
        ({"clientcore_sync_plan": 1, "id": "a", "removals": [{"party_id": 3, "version": 1}]},
         "$.removals[0].party_id"),
        ({"clientcore_sync_plan": 1, "id": "a", "ends": {"clientcore_bulk_plan": 9}},
         "$.ends.clientcore_bulk_plan"),
    ],
)  # fmt: skip
def test_decoding_is_strict_and_names_the_path(data: Any, path: str) -> None:
    with pytest.raises(ValidationError) as err:
        SyncPlan.from_json(data)
    assert path == err.value.issues[0].path.split(" ")[0]


# --- apply then undo, under hypothesis ---


def store_of(members: list[Party]) -> InMemoryUnitOfWork:
    uow = InMemoryUnitOfWork()
    with uow:
        for p in members:
            uow.parties.add(p)
        uow.commit()
    return uow


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(sync_parties("p"), max_size=6, unique_by=lambda p: p.id),
    st.lists(sync_parties("x"), max_size=6, unique_by=lambda p: p.id),
    st.sets(st.sampled_from(OVERWRITABLE), max_size=6),
    st.booleans(),
    st.booleans(),
)
def test_applying_a_sync_plan_then_its_undo_restores_the_registry_exactly(
    ours: list[Party], incoming: list[Party], fields: set[str], add: bool, empties: bool
) -> None:
    uow = store_of(ours)
    before = snapshot(uow)
    plan = diff(uow, incoming).plan(
        overwrite=fields, add=add, empty_overwrites=empties, defaults={"labels": {"import"}}
    )
    receipt = plan.apply(uow, ANN, at=AT, on_rejection="skip")
    receipt.undo.apply(uow, ANN, at=AT)
    assert before == snapshot(uow)
