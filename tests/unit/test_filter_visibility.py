from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from clientcore import Actor, Party
from clientcore.query import F, Filter, push_not, restrict_status
from clientcore.status import RolePolicy, StatusMachine
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
