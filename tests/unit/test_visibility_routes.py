"""Every route that shows parties to an actor tells that actor nothing about a status it
may not see: two registries that differ only in what is hidden look the same through
search, counts and totals, explanations, completeness reports, written rows and
exports."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientcore import Actor, Party, ValidationError
from clientcore.actions import export
from clientcore.completeness import Rule, check
from clientcore.io import to_frame, write_csv, write_xlsx
from clientcore.query import F, Filter, SearchIndex, explain
from clientcore.status import RolePolicy, StatusMachine

MACHINE = StatusMachine(RolePolicy.default())
ASSISTANT = Actor("cas", {"assistant"})  # sees client, former client, relation, provider
HIDDEN = ["suspect", "prospect", "acceptance_draft", "acceptance_pending"]
TODAY = dt.date(2026, 1, 1)
DAYS = st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2025, 12, 31)))


def registry(status: str, since: dt.date | None, until: dt.date | None) -> list[Party]:
    """Two parties the assistant may see and one whose status is hidden from it: the
    hidden one's status, client since and client until are what varies."""
    return [
        Party(id="c1", kind="client_company", name="Bakkerij Peeters BV", status="client"),
        Party(id="r1", kind="relation_company", name="Bank Peeters", email="bank@peeters.be"),
        Party(
            id="h1",
            kind="client_company",
            name="Peeters Hidden NV",
            status=status,
            client_since=since,
            client_until=until,
            enterprise_number="0403170701",
            email="info@peeters.be",
        ),
    ]


HIDDEN_WORLD = st.tuples(st.sampled_from(HIDDEN), DAYS, st.none() | st.integers(0, 3000)).map(
    lambda w: (w[0], w[1], None if w[1] is None or w[2] is None else w[1] + dt.timedelta(w[2]))
)
FILTERS: list[Filter] = [
    F("status").eq("prospect"),
    F("status").eq("client"),
    ~F("status").eq("client"),
    F("status").in_(["suspect", "acceptance_draft", "client"]),
    F("client_since").not_blank(),
    F("client_since").blank(),
    F("client_since").lt(dt.date(2010, 1, 1)) | F("name").contains("bank"),
    ~F("client_until").blank() & F("name").contains("peeters"),
    F("name").contains("peeters"),
]


def for_assistant(**extra: Any) -> dict[str, Any]:
    return {"actor": ASSISTANT, "machine": MACHINE, **extra}


@settings(max_examples=40, deadline=None)
@given(HIDDEN_WORLD, HIDDEN_WORLD)
def test_counts_and_totals_are_the_same_whatever_is_hidden(
    a: tuple[Any, ...], b: tuple[Any, ...]
) -> None:
    def seen(world: tuple[Any, ...]) -> list[tuple[list[str], int, int]]:
        out = []
        for flt in FILTERS:
            got = flt.select(registry(*world), TODAY, with_total=True, **for_assistant())
            out.append(([p.id for p in got.items], got.matched, got.total))
        return out

    assert seen(a) == seen(b)
    assert all(total == 2 for _, _, total in seen(a))  # the hidden party is not counted


def test_a_total_without_an_actor_counts_every_party() -> None:
    got = F("name").contains("peeters").count(registry("prospect", None, None))
    assert (3, 3) == (got.matched, got.total)
    mine = F("name").contains("peeters").count(registry("prospect", None, None), **for_assistant())
    assert (2, 2) == (mine.matched, mine.total)


@settings(max_examples=40, deadline=None)
@given(HIDDEN_WORLD, HIDDEN_WORLD)
def test_explanations_are_the_same_whatever_is_hidden(
    a: tuple[Any, ...], b: tuple[Any, ...]
) -> None:
    def seen(world: tuple[Any, ...]) -> list[list[str]]:
        hidden = registry(*world)[2]
        return [
            [f.text for f in explain(flt, hidden, TODAY, lang, **for_assistant())]
            for flt in FILTERS
            for lang in ("en", "nl", "fr")
        ]

    texts = seen(a)
    assert texts == seen(b)
    words = " ".join(t for failures in texts for t in failures)
    for status in HIDDEN:
        assert status not in words
    for day in (a[1], a[2]):
        assert day is None or day.isoformat() not in words


def test_an_explanation_for_an_actor_says_the_field_is_not_visible() -> None:
    hidden = registry("prospect", dt.date(2020, 1, 1), None)[2]
    plain = [f.text for f in explain(F("status").eq("client"), hidden)]
    assert ["status: expected status is 'client', found 'prospect'"] == plain
    mine = explain(F("status").eq("client"), hidden, **for_assistant())
    assert ["status: not visible to you"] == [f.text for f in mine]
    assert ["client_since : non visible pour vous", "status : non visible pour vous"] == [
        f.text for f in explain(F("client_since").blank(), hidden, lang="fr", **for_assistant())
    ]
    visible = registry("prospect", None, None)[0]
    assert ["status: expected status is one of ['former_client'], found 'client'"] == [
        f.text for f in explain(F("status").eq("former_client"), visible, **for_assistant())
    ]


@settings(max_examples=25, deadline=None)
@given(HIDDEN_WORLD, HIDDEN_WORLD)
def test_search_hits_are_the_same_whatever_is_hidden(
    a: tuple[Any, ...], b: tuple[Any, ...]
) -> None:
    def seen(world: tuple[Any, ...]) -> list[list[tuple[str, str, str]]]:
        index = SearchIndex(registry(*world))
        return [
            [(h.record.id, h.kind.value, h.matched) for h in index.search(text, **for_assistant())]
            for text in ("peeters", "hidden", "BE 0403.170.701", "info@peeters.be", "pee", "nv")
        ]

    hits = seen(a)
    assert hits == seen(b)
    assert all(rid != "h1" for found in hits for rid, _, _ in found)
    assert [("c1", "token_prefix", "name"), ("r1", "token_prefix", "name")] == hits[0]


def test_search_without_an_actor_finds_every_party() -> None:
    index = SearchIndex(registry("prospect", None, None))
    assert ["h1"] == [h.record.id for h in index.search("0403170701")]
    assert [] == index.search("0403170701", **for_assistant())


BETRAYING = Rule(
    id="since_known",
    scope=F("kind").eq("client_company"),
    require=F("client_since").not_blank() & F("status").eq("client"),
    title={"en": "Client since is known", "nl": "Klant sinds is gekend", "fr": "Client depuis"},
)


@settings(max_examples=20, deadline=None)
@given(HIDDEN_WORLD, HIDDEN_WORLD)
def test_completeness_reports_are_the_same_whatever_is_hidden(
    a: tuple[Any, ...], b: tuple[Any, ...]
) -> None:
    def seen(world: tuple[Any, ...]) -> tuple[int, list[dict[str, Any]], str, str]:
        report = check(registry(*world), [BETRAYING], TODAY, **for_assistant())
        return report.records, report.to_rows(), report.to_text(), report.to_csv()

    first = seen(a)
    assert first == seen(b)
    assert 2 == first[0]
    assert "h1" not in first[2]
    assert "Hidden" not in first[3]


def test_a_report_without_an_actor_checks_every_party() -> None:
    report = check(registry("prospect", None, None), [BETRAYING], TODAY)
    assert 3 == report.records
    assert ["c1", "h1"] == sorted(f.party_id or "" for f in report.findings())


def _csv(parties: list[Party]) -> str:
    out = io.StringIO()
    write_csv(parties, out, **for_assistant())
    return out.getvalue()


def _exported(parties: list[Party]) -> str:
    out = io.StringIO()
    export(parties, ["number", "name", "status", "client_since"], out, **for_assistant())
    return out.getvalue()


@settings(max_examples=25, deadline=None)
@given(HIDDEN_WORLD, HIDDEN_WORLD)
def test_written_rows_are_the_same_whatever_is_hidden(
    a: tuple[Any, ...], b: tuple[Any, ...]
) -> None:
    assert _csv(registry(*a)) == _csv(registry(*b))
    assert _exported(registry(*a)) == _exported(registry(*b))
    frame_a = to_frame(registry(*a), **for_assistant())
    frame_b = to_frame(registry(*b), **for_assistant())
    assert frame_a.equals(frame_b)
    assert ["c1", "r1"] == list(frame_a["id"])
    assert "Hidden" not in _csv(registry(*a))


def test_every_row_writer_leaves_out_what_the_actor_may_not_see(tmp_path: Any) -> None:
    parties = registry("prospect", None, None)
    plain = io.StringIO()
    assert 3 == write_csv(parties, plain)
    assert 2 == write_xlsx(parties, tmp_path / "seen.xlsx", **for_assistant())
    assert 3 == len(to_frame(parties))


@pytest.mark.parametrize(
    "route",
    [
        lambda kw: F("name").eq("x").select([], with_total=True, **kw),
        lambda kw: SearchIndex([]).search("x", **kw),
        lambda kw: explain(F("name").eq("x"), {"name": "y"}, **kw),
        lambda kw: check([Party(id="p", kind="client_company", name="A")], **kw),
        lambda kw: write_csv([], io.StringIO(), **kw),
        lambda kw: to_frame([], **kw),
    ],
)
def test_an_actor_without_a_machine_or_the_reverse_is_refused(route: Any) -> None:
    for half in ({"actor": ASSISTANT}, {"machine": MACHINE}):
        with pytest.raises(ValidationError) as err:
            route(half)
        assert "visibility.needs_both" == err.value.issues[0].code
        assert "actor=" in err.value.issues[0].message("nl")


@settings(max_examples=15, deadline=None)
@given(HIDDEN_WORLD, HIDDEN_WORLD)
def test_store_reports_are_the_same_whatever_is_hidden_and_equal_to_check(
    a: tuple[Any, ...], b: tuple[Any, ...]
) -> None:
    from clientcore import InMemoryUnitOfWork
    from clientcore.completeness import check_store

    def seen(world: tuple[Any, ...]) -> tuple[int, list[dict[str, Any]]]:
        uow = InMemoryUnitOfWork()
        with uow:
            for party in registry(*world):
                uow.parties.add(party)
            uow.commit()
        report = check_store(uow, [BETRAYING], TODAY, **for_assistant())
        return report.records, report.to_rows()

    first = seen(a)
    assert first == seen(b)
    direct = check(registry(*a), [BETRAYING], TODAY, **for_assistant())
    assert (direct.records, direct.to_rows()) == first
