from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientcore import Actor, ClientStatus, FilterError, Party
from clientcore.query import OPEN, F, Filter, conditions, push_not, restrict_status
from clientcore.status import STATUS_PATHS, RolePolicy, StatusMachine
from tests.strategies import filters, parties

MACHINE = StatusMachine(RolePolicy.default())
ASSISTANT = Actor("cas", {"assistant"})


def registry() -> list[Party]:
    statuses = ["suspect", "prospect", "acceptance_draft", "client", "client", "former_client"]
    out = [
        Party(id=f"c{i}", kind="client_company", name=f"C{i}", status=s)
        for i, s in enumerate(statuses)
    ]
    out.append(Party(id="r", kind="relation_company", name="Bank"))
    return out


def test_an_assistant_counts_no_hidden_status_positive_or_negated() -> None:
    visible = MACHINE.visible_statuses(ASSISTANT)
    parties = registry()
    prospects = restrict_status(F("status").eq("prospect"), visible)
    not_client = restrict_status(~F("status").eq("client"), visible)
    assert 0 == prospects.count(parties).matched
    assert ["c5", "r"] == [p.id for p in not_client.select(parties)]


def test_conditions_on_other_fields_are_untouched() -> None:
    flt = F("name").starts_with("c") | F("status").eq("client")
    restricted = restrict_status(flt, {"client"})
    assert 6 == restricted.count(registry()).matched


@settings(max_examples=200, deadline=None)
@given(filters())
def test_push_not_never_changes_what_matches(flt: Filter) -> None:
    import datetime as dt

    sample = list(registry())
    today = dt.date(2026, 1, 1)
    moved = push_not(flt)
    for p in sample:
        assert flt.matches(p, today=today) == moved.matches(p, today=today)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(parties(), min_size=1, max_size=6), st.sampled_from(["client", "prospect", "relation"])
)
def test_a_hidden_status_never_matches_a_status_condition(sample: list[Party], status: str) -> None:
    visible = {"client", "former_client", "relation", "service_provider"}
    for flt in (
        F("status").eq(status),
        ~F("status").eq(status),
        F("status").ne(status),
        ~F("status").in_([status, "suspect"]),
    ):
        restricted = restrict_status(flt, visible)
        for p in sample:
            if p.status.value not in visible:
                assert not restricted.matches(p)
            else:
                assert flt.matches(p) == restricted.matches(p)


# --- machine.restrict: a filter run for an actor in one call ---


def test_restrict_gives_an_assistant_no_count_of_a_hidden_status() -> None:
    parties = registry()
    prospects = MACHINE.restrict(ASSISTANT, F("status").eq("prospect"))
    not_client = MACHINE.restrict(ASSISTANT, ~F("status").eq("client"))
    assert 0 == prospects.count(parties).matched
    assert ["c5", "r"] == [p.id for p in not_client.select(parties)]


def test_restrict_is_restrict_status_with_the_actors_visible_statuses() -> None:
    flt = ~(F("status").in_(["client", "prospect"]) & F("name").starts_with("C"))
    expected = restrict_status(flt, MACHINE.visible_statuses(ASSISTANT))
    assert expected == MACHINE.restrict(ASSISTANT, flt)


def test_restrict_leaves_the_filter_of_an_actor_who_sees_every_status_alone() -> None:
    flt = ~F("status").eq("client") | F("client_since").blank()
    assert flt is MACHINE.restrict(Actor("ann", {"staff"}), flt)


def test_restrict_hides_what_client_dates_and_acceptance_betray_about_a_hidden_status() -> None:
    import datetime as dt

    from clientcore.model import Acceptance

    reverted = Party(
        id="x", kind="client_company", name="X", status="prospect", client_since=dt.date(2020, 1, 1)
    )
    pending = Party(
        id="y",
        kind="client_company",
        name="Y",
        status="acceptance_pending",
        acceptance=Acceptance(submitted_by="ann"),
    )
    client = Party(
        id="z", kind="client_company", name="Z", status="client", client_since=dt.date(2021, 1, 1)
    )
    parties = [reverted, pending, client]
    for flt, expected in [
        (F("client_since").not_blank(), ["z"]),
        (F("client_since").blank(), []),
        (~F("client_until").not_blank(), ["z"]),
        (F("acceptance.submitted_by").eq("ann"), []),
        (~F("acceptance.submitted_by").eq("ann"), ["z"]),
        (F("acceptance").not_blank(), []),
    ]:
        # the acceptance record is no field of the catalogue: only the open mode reads it
        schema = OPEN if flt.paths() & {"acceptance", "acceptance.submitted_by"} else None
        restricted = MACHINE.restrict(ASSISTANT, flt)
        assert expected == [p.id for p in restricted.select(parties, schema=schema)], flt
    # Fields that say nothing about the status still match every party.
    assert 3 == MACHINE.restrict(ASSISTANT, F("name").ne("")).count(parties).matched


def _betrays_status(path: str) -> bool:
    return path in STATUS_PATHS or path == "status" or path.startswith("acceptance.")


@settings(max_examples=150, deadline=None)
@given(st.lists(parties(), min_size=1, max_size=6), filters())
def test_a_restricted_filter_matches_a_hidden_party_only_through_fields_blind_to_status(
    sample: list[Party], flt: Filter
) -> None:
    import datetime as dt

    restricted = MACHINE.restrict(ASSISTANT, flt)
    visible = MACHINE.visible_statuses(ASSISTANT)
    conds = conditions(flt)
    only_status_fields = bool(conds) and all(_betrays_status(c.path) for c in conds)
    today = dt.date(2026, 1, 1)
    for p in sample:
        if p.status in visible:
            assert flt.matches(p, today=today) == restricted.matches(p, today=today)
        elif only_status_fields:
            assert not restricted.matches(p, today=today)


# --- visibility by construction: every route, sub-paths included ---

HIDDEN = sorted(
    {s.value for s in ClientStatus} - {s.value for s in MACHINE.visible_statuses(ASSISTANT)}
)
HIDDEN_ROUTES = [
    F("status.value").eq(HIDDEN[0]),
    F("status.name").eq(HIDDEN[0].upper()),
    F("client_since.year").gt(0),
    ~F("status.value").ne(HIDDEN[0]),
    F("status").starts_with(HIDDEN[0][:3]),
]


@pytest.mark.parametrize("flt", HIDDEN_ROUTES, ids=repr)
def test_a_sub_path_of_a_status_field_counts_no_hidden_party(flt: Filter) -> None:
    hidden = Party(kind="client_company", name="P", status=HIDDEN[0], client_since="2020-01-01")
    restricted = MACHINE.restrict(ASSISTANT, flt)
    # a sub-attribute of a scalar field is no field: refused against the catalogue,
    # whatever the parties hold; read in the open mode, it still counts no hidden party
    if flt.paths() <= {"status"}:
        assert [] == restricted.select([hidden])
    else:
        with pytest.raises(FilterError) as caught:
            restricted.select([hidden])
        assert "filter.unknown_path" == caught.value.issues[0].code
    assert [] == restricted.select([hidden], schema=OPEN)


def test_a_json_logic_filter_on_the_status_is_restricted_too() -> None:
    from clientcore.query.jsonlogic import from_json_logic

    hidden = sorted(
        {s.value for s in ClientStatus} - {s.value for s in MACHINE.visible_statuses(ASSISTANT)}
    )
    party = Party(kind="client_company", name="P", status=hidden[0])
    flt = from_json_logic({"==": [{"var": "status"}, hidden[0]]})
    assert [] == MACHINE.restrict(ASSISTANT, flt).select([party])
    # a sub-attribute of the status is no field; read in the open mode it is restricted
    with pytest.raises(FilterError):
        from_json_logic({"==": [{"var": "status.value"}, hidden[0]]})
    sub = from_json_logic({"==": [{"var": "status.value"}, hidden[0]]}, OPEN)
    assert [] == MACHINE.restrict(ASSISTANT, sub).select([party], schema=OPEN)


def test_describing_a_restricted_filter_never_names_a_hidden_status() -> None:
    from clientcore.query import describe

    hidden = sorted(
        {s.value for s in ClientStatus} - {s.value for s in MACHINE.visible_statuses(ASSISTANT)}
    )
    flt = MACHINE.restrict(ASSISTANT, F("status").in_(hidden) | ~F("status").eq(hidden[0]))
    text = describe(flt)
    assert [] == [h for h in hidden if repr(h) in text]
