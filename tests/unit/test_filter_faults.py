"""Faults of the filter language: codes, words in three languages, and the tree's guards."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientcore import FilterError
from clientcore.model import default_schema
from clientcore.query import OPEN, And, Cond, F, Filter, Not, Or, Today
from clientcore.query.aggrid import from_filter_model, to_filter_model
from clientcore.query.jsonlogic import from_json_logic, to_json_logic
from tests.strategies import junk


def where(node: object) -> dict[str, object]:
    return {"clientcore_filter": 1, "where": node}


def deep(levels: int) -> dict[str, Any]:
    node: dict[str, Any] = {"path": "name", "op": "blank"}
    for _ in range(levels):
        node = {"not": node}
    return node


# (what to run, the code expected, a text naming the bad value in every language)
BAD_INPUTS: list[tuple[Any, str, str]] = [
    (
        lambda: Filter.from_json(where({"path": "name", "op": "eq", "value": 1, "colour": 1})),
        "filter.unknown_key",
        "colour",
    ),
    (
        lambda: Filter.from_json(where({"path": "name", "op": "like", "value": 1})),
        "filter.unknown_operator",
        "like",
    ),
    (
        lambda: Filter.from_json({"clientcore_filter": 7, "where": {}}),
        "filter.unknown_version",
        "7",
    ),
    (
        lambda: Filter.from_json(where({"path": "name", "op": "contains", "value": 31})),
        "filter.expected_text",
        "31",
    ),
    (
        lambda: Filter.from_json(where({"path": "name", "op": "in", "value": "BV"})),
        "filter.expected_list",
        "'BV'",
    ),
    (lambda: Filter.from_json(where(deep(40))), "filter.too_deep", "32"),
    (
        lambda: Filter.from_json(where({"or": [{"path": "a", "op": "blank"}] * 1001})),
        "filter.too_many_nodes",
        "1000",
    ),
    (
        lambda: Filter.from_json(where({"path": "name", "op": "eq", "value": "x" * 10_001})),
        "filter.text_too_long",
        "10001",
    ),
    (
        lambda: Filter.from_json(where({"path": "d", "op": "eq", "value": {"date": "2024-W01-1"}})),
        "filter.expected_date",
        "2024-W01-1",
    ),
    (lambda: (F("client_since") < Today(-30)).compile(), "filter.needs_today", "-30"),
    (lambda: F("name").valid().compile(), "filter.no_identifier", "name"),
    (
        lambda: from_filter_model(
            {"nmae": {"filterType": "text", "type": "contains", "filter": "a"}}, default_schema()
        ),
        "filter.aggrid.unknown_column",
        "nmae",
    ),
    (
        lambda: from_filter_model({"name": {"filterType": "text", "type": "fuzzy", "filter": "a"}}),
        "filter.aggrid.unknown_option",
        "fuzzy",
    ),
    (
        lambda: from_filter_model({"name": {"filterType": "colour"}}),
        "filter.aggrid.unknown_filter_type",
        "colour",
    ),
    (
        lambda: from_json_logic({"log": [{"var": "name"}, 1]}),
        "filter.jsonlogic.unmapped_operator",
        "log",
    ),
    (lambda: to_json_logic(F("labels").has("B")), "filter.jsonlogic.no_form", "has"),
    (
        lambda: to_filter_model(F("tasks").any(F("code").eq("vat"))),
        "filter.aggrid.no_option",
        "any",
    ),
    (lambda: Cond("name", "like", 1), "filter.unknown_operator", "like"),
]


@pytest.mark.parametrize(("run", "code", "named"), BAD_INPUTS, ids=[c for _, c, _ in BAD_INPUTS])
def test_every_filter_fault_has_its_own_code_and_names_the_value_in_three_languages(
    run: Any, code: str, named: str
) -> None:
    with pytest.raises(FilterError) as caught:
        run()
    issue = caught.value.issues[0]
    messages = {lang: issue.message(lang) for lang in ("en", "nl", "fr")}
    assert (code, issue.path) == (issue.code, caught.value.path)
    assert len(set(messages.values())) == 3, messages  # no language falls back to English
    assert all(named in m for m in messages.values()), messages
    assert not any("{" + p + "}" in m for m in messages.values() for p in ("value", "field"))


def test_no_filter_fault_wraps_english_text_as_a_generic_reason() -> None:
    for run, _, _ in BAD_INPUTS:
        with pytest.raises(FilterError) as caught:
            run()
        assert "filter.invalid" != caught.value.issues[0].code


# --- gap: the compile cache and True / 1 / 1.0 ---


def test_true_one_and_one_point_zero_are_three_different_filters() -> None:
    assert len({F("n").eq(True), F("n").eq(1), F("n").eq(1.0)}) == 3


def test_compiling_eq_one_first_does_not_change_what_eq_true_matches() -> None:
    F("n").eq(1.0).compile(OPEN)
    F("n").eq(1).compile(OPEN)
    assert (True, False) == (
        F("n").eq(True).matches({"n": True}, schema=OPEN),
        F("n").eq(True).matches({"n": 1}, schema=OPEN),
    )
    assert (True, False) == (
        F("n").eq(1).matches({"n": 1}, schema=OPEN),
        F("n").eq(1).matches({"n": True}, schema=OPEN),
    )


def test_an_integral_float_and_its_int_have_one_canonical_form_and_fingerprint() -> None:
    assert F("n").eq(1) == F("n").eq(1.0).canonical()
    assert F("n").in_([1, 2.0]).fingerprint() == F("n").in_([2, 1]).fingerprint()
    assert F("n").eq(True).fingerprint() != F("n").eq(1).fingerprint()
    assert F("n").eq(1.5) == F("n").eq(1.5).canonical()


# --- gap: the tree classes refuse nonsense ---


@pytest.mark.parametrize(
    "build",
    [
        lambda: Cond("x", "like", 1),
        lambda: Cond("x", "eq", [1, 2]),
        lambda: Cond("x", "eq", object()),
        lambda: Cond("x", "eq", float("nan")),
        lambda: Cond("x", "in", "ab"),
        lambda: Cond("x", "between", (1,)),
        lambda: Cond("x", "contains", 3),
        lambda: Cond("x", "blank", 3),
        lambda: Cond("x", "any", 3),
        lambda: Cond("", "eq", 1),
        lambda: Cond("x", "eq", 1, case_sensitive="yes"),  # type: ignore[arg-type]
        lambda: Cond("x", "lt", 1, case_sensitive=True),
        lambda: And([1, 2]),  # type: ignore[list-item]
        lambda: Or("ab"),  # type: ignore[arg-type]
        lambda: Not(3),  # type: ignore[arg-type]
        lambda: Today("3"),  # type: ignore[arg-type]
    ],
)
def test_the_tree_classes_refuse_nonsense_with_a_filter_error(build: Any) -> None:
    with pytest.raises(FilterError):
        build()


ops = st.sampled_from(sorted({"eq", "in", "between", "any", "blank", "contains", "has", "x"}))


@settings(max_examples=300, deadline=None)
@given(st.one_of(junk, st.text(max_size=3)), ops, st.one_of(junk, st.booleans()), junk)
def test_junk_given_to_the_tree_classes_raises_nothing_but_filter_error(
    path: Any, op: Any, value: Any, child: Any
) -> None:
    for build in (
        lambda: Cond(path, op, value),
        lambda: And([child]),
        lambda: Or([child, value]),
        lambda: Not(child),
    ):
        try:
            node = build()
        except FilterError:
            continue
        # what is built decodes back (junk paths are no fields: the open mode)
        assert node == Filter.from_json(node.to_json(), OPEN)


# --- gap: valid / invalid need an identifier field ---


def test_valid_on_a_field_without_an_identifier_type_is_refused_at_compile() -> None:
    with pytest.raises(FilterError) as caught:
        F("tasks").any(F("code").invalid()).compile()
    issue = caught.value.issues[0]
    assert ("filter.no_identifier", "$.where.where.op", "tasks.code") == (
        issue.code,
        issue.path,
        issue.params["field"],
    )
    assert "vat_number" in issue.message("nl")


# --- gap: select reports matched / total ---


def test_select_with_total_reports_matched_over_total() -> None:
    rows = [{"n": i} for i in range(10)]
    found = F("n").ge(7).select(iter(rows), with_total=True, schema=OPEN)
    assert ((7, 8, 9), "3 / 10") == (tuple(r["n"] for r in found.items), str(found))
    assert str(found) == str(F("n").ge(7).count(rows, schema=OPEN))


# --- gap: minor ---


def test_a_week_date_is_not_a_date() -> None:
    with pytest.raises(FilterError) as caught:
        Filter.from_json(where({"path": "d", "op": "eq", "value": {"date": "2024-W01-1"}}))
    assert "$.where.value.date" == caught.value.path


def test_an_ag_grid_set_key_finds_an_integral_float_cell_without_a_schema() -> None:
    flt = from_filter_model({"n": {"filterType": "set", "values": ["5"]}}, OPEN)
    assert [True, True, False] == [flt.matches({"n": v}, schema=OPEN) for v in (5.0, 5, 5.5)]


def test_a_date_value_in_a_plain_mapping_still_compares_as_a_date() -> None:
    flt = F("d").ge(dt.date(2024, 1, 1))
    assert [True, False] == [
        flt.matches({"d": "2024-02-01"}, schema=OPEN),
        flt.matches({"d": "2023-12-31"}, schema=OPEN),
    ]
