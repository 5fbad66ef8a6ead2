"""Bulk plans under hypothesis: JSON round trips, and all or nothing under faults."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clientcore import Actor, ClientCoreError, InMemoryUnitOfWork, Party, Task
from clientcore.bulk import BulkPlan, BulkRejected
from clientcore.bulk._paths import set_fields
from clientcore.status import EXTRA_TRANSITIONS, RolePolicy, StatusMachine
from clientcore.testing import FaultyUnitOfWork, InjectedFault
from tests.strategies import operations, parties, plans

AT = dt.datetime(2026, 1, 5, 9, 0)
STAFF = Actor("ann", {"staff", "administration"})
MACHINE = StatusMachine(
    RolePolicy.default().with_grants(
        {"staff": EXTRA_TRANSITIONS, "administration": EXTRA_TRANSITIONS}
    )
)


@settings(max_examples=150, deadline=None)
@given(plans())
def test_a_plan_survives_its_json(plan: BulkPlan) -> None:
    assert plan == BulkPlan.from_json(json.loads(json.dumps(plan.to_json())))


def store_of(members: list[Party]) -> InMemoryUnitOfWork:
    uow = InMemoryUnitOfWork()
    with uow:
        for p in members:
            uow.parties.add(p)
        uow.commit()
    return uow


def snapshot(uow: InMemoryUnitOfWork) -> dict[str, Party]:
    with uow:
        return {p.id: p for p in uow.parties.list()}


def unique(members: list[Party]) -> list[Party]:
    return list({p.id: p for p in members}.values())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(parties(), min_size=1, max_size=5).map(unique),
    st.lists(operations(), min_size=1, max_size=3),
    st.integers(min_value=1, max_value=14),
    st.booleans(),
)
def test_a_failed_apply_or_undo_leaves_the_store_exactly_as_before(
    members: list[Party], ops: list[object], fail_on: int, undo: bool
) -> None:
    uow = store_of(members)
    plan = BulkPlan([p.id for p in members], ops)  # type: ignore[arg-type]
    if undo:  # fail the undo instead: apply for real first, then inject into its undo
        try:
            receipt = plan.apply(uow, STAFF, machine=MACHINE, at=AT, on_rejection="skip")
        except ClientCoreError:
            return
        plan = receipt.undo
    before = snapshot(uow)
    faulty = FaultyUnitOfWork(uow, fail_on=fail_on)
    try:
        plan.apply(faulty, STAFF, machine=MACHINE, at=AT, on_rejection="skip")
    except InjectedFault:
        assert before == snapshot(uow)
    except (BulkRejected, ClientCoreError):
        assert before == snapshot(uow)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(parties(), min_size=1, max_size=4).map(unique),
    st.lists(operations(transitions=False), min_size=1, max_size=3),
)
def test_undo_gives_back_the_original_parties_versions_aside(
    members: list[Party], ops: list[object]
) -> None:
    uow = store_of(members)
    before = snapshot(uow)
    plan = BulkPlan([p.id for p in members], ops)  # type: ignore[arg-type]
    try:
        receipt = plan.apply(uow, STAFF, at=AT, on_rejection="skip")
    except ClientCoreError:
        return
    receipt.undo.apply(uow, STAFF, at=AT)
    after = snapshot(uow)
    assert {k: attrs.evolve(v, version=0) for k, v in before.items()} == {
        k: attrs.evolve(v, version=0) for k, v in after.items()
    }


_CHANGES = st.dictionaries(
    st.sampled_from(
        [
            "language",
            "name",
            "labels",
            "tasks",
            "enterprise_number",
            "first_name",
            "client_since",
            "client_until",
            "status",
            "vat_liable",
        ]
    ),
    st.one_of(
        st.none(),
        st.sampled_from(["fr", "NL", "xx", "", "  Peeters  ", "BE 0403.170.701", "client"]),
        st.frozensets(st.sampled_from(["vip", "VIP", "été", " ", "new"]), max_size=3),
        st.lists(st.builds(Task, st.sampled_from(["vat", "closing"]), st.booleans())).map(tuple),
        st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1)),
        st.booleans(),
        st.integers(-2, 2),
    ),
    max_size=3,
)


def _outcome(make: Callable[[], Party]) -> tuple[str, object]:
    try:
        party = make()
    except ClientCoreError as err:
        return "refused", sorted((i.code, i.path) for i in err.issues)
    except (TypeError, ValueError) as err:
        return "refused", type(err).__name__
    fields = {f.name: (type(v), v) for f in attrs.fields(Party) for v in [getattr(party, f.name)]}
    return "made", fields


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parties(), _CHANGES)
def test_a_bulk_edit_makes_exactly_the_party_attrs_evolve_makes(
    party: Party, changes: dict[str, object]
) -> None:
    # Bulk edits convert only the changed fields: every field, the folded labels and
    # every refusal must still be what the constructor (through attrs.evolve) gives.
    assert _outcome(lambda: set_fields(party, changes)) == _outcome(
        lambda: attrs.evolve(party, **changes)
    )
