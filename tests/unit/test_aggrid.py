"""AG Grid filter models: AG Grid's default semantics, strict errors, and the way back."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clientcore import FilterError, Party
from clientcore.model import default_schema
from clientcore.query import OPEN, F, Filter, Today
from clientcore.query.aggrid import from_filter_model, to_filter_model
from tests.strategies import filters, parties

SCHEMA = default_schema()
TODAY = dt.date(2026, 1, 1)


def text(option: str, value: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"filterType": "text", "type": option}
    if value is not None:
        out["filter"] = value
    return out


def number(option: str, value: float | None = None, to: float | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"filterType": "number", "type": option}
    if value is not None:
        out["filter"] = value
    if to is not None:
        out["filterTo"] = to
    return out


def date(option: str, start: str | None = None, end: str | None = None) -> dict[str, Any]:
    return {"filterType": "date", "type": option, "dateFrom": start, "dateTo": end}


def selected(model: dict[str, Any], cells: list[Any], column: str, **options: Any) -> list[Any]:
    """The cells whose one-column record ``{column: cell}`` the model selects (a grid's
    own rows: the open mode)."""
    flt = from_filter_model(model, OPEN, **options)
    return [cell for cell in cells if flt.matches({column: cell}, schema=OPEN)]


def error_of(model: Any, schema: Any = OPEN, **options: Any) -> tuple[str, str]:
    with pytest.raises(FilterError) as caught:
        from_filter_model(model, schema, **options)
    # the English message and the fault's code, so a test may name either
    return caught.value.path, f"{caught.value} [{caught.value.issues[0].code}]"


BLANKS = [None, "", "   ", "\t"]


def company(**fields: Any) -> Party:
    return Party(kind="client_company", name=fields.pop("name", "Bakkerij Peeters"), **fields)


# --- text filters ---


def test_text_contains_ignores_case_but_not_accents() -> None:
    cells = ["Café Central", "CAFÉ", "Cafe", "café", "le café", "Kaffee"]
    actual = selected({"name": text("contains", "café")}, cells, "name")
    assert ["Café Central", "CAFÉ", "café", "le café"] == actual


def test_text_filter_input_is_not_trimmed() -> None:
    cells = ["Café", "Café Central", " Café"]
    assert ["Café Central"] == selected({"name": text("contains", "café ")}, cells, "name")


def test_text_equals_matches_the_whole_text_in_any_case() -> None:
    cells = ["Café", "CAFÉ", "Cafe", "Café Central"]
    assert ["Café", "CAFÉ"] == selected({"name": text("equals", "café")}, cells, "name")


def test_text_starts_with_and_ends_with_anchor_the_text() -> None:
    cells = ["Bakkerij Peeters", "Peeters Bakkerij", "bakker"]
    starts = selected({"name": text("startsWith", "BAKKER")}, cells, "name")
    ends = selected({"name": text("endsWith", "bakkerij")}, cells, "name")
    assert (["Bakkerij Peeters", "bakker"], ["Peeters Bakkerij"]) == (starts, ends)


def test_text_not_equal_keeps_blank_cells() -> None:
    cells = ["Café", "café", "Thé", *BLANKS]
    assert ["Thé", *BLANKS] == selected({"name": text("notEqual", "CAFÉ")}, cells, "name")


def test_text_not_contains_keeps_blank_cells() -> None:
    cells = ["Café Central", "Thé", *BLANKS]
    assert ["Thé", *BLANKS] == selected({"name": text("notContains", "caf")}, cells, "name")


def test_text_not_equal_keeps_a_missing_cell() -> None:
    flt = from_filter_model({"name": text("notEqual", "x")})
    assert flt.matches({"revenue": 1}) is True


@pytest.mark.parametrize("option", ["contains", "equals", "startsWith", "endsWith"])
def test_positive_text_options_never_match_blank_cells(option: str) -> None:
    assert [] == selected({"name": text(option, "a")}, BLANKS, "name")


def test_text_case_sensitive_option_compares_case() -> None:
    cells = ["Café", "café", "CAFÉ"]
    actual = selected({"name": text("equals", "Café")}, cells, "name", case_sensitive=True)
    assert ["Café"] == actual


def test_text_accent_insensitive_option_folds_accents() -> None:
    cells = ["Café", "CAFE", "Kaffee"]
    actual = selected({"name": text("equals", "cafe")}, cells, "name", accent_insensitive=True)
    assert ["Café", "CAFE"] == actual


def test_text_conditions_carry_the_grid_switches() -> None:
    flt = from_filter_model({"name": text("contains", "a")})
    assert F("name").contains("a", accent_sensitive=True) == flt


def test_a_blank_filter_text_is_refused() -> None:
    assert "$.name.filter" == error_of({"name": text("equals", "  ")})[0]


# --- blank and notBlank, per filter type ---


@pytest.mark.parametrize(
    ("column", "model", "filled"),
    [
        ("name", text("blank"), "Café"),
        ("revenue", number("blank"), 0),
        ("since", date("blank"), "2024-01-31"),
    ],
)
def test_blank_matches_missing_null_empty_and_whitespace_cells(
    column: str, model: dict[str, Any], filled: Any
) -> None:
    flt = from_filter_model({column: model}, OPEN)
    cells = [{column: cell} for cell in [*BLANKS, filled]] + [{}]
    actual = [flt.matches(cell, schema=OPEN) for cell in cells]
    assert [True, True, True, True, False, True] == actual


@pytest.mark.parametrize(
    ("column", "model", "filled"),
    [
        ("name", text("notBlank"), "Café"),
        ("revenue", number("notBlank"), 0),
        ("since", date("notBlank"), "2024-01-31"),
    ],
)
def test_not_blank_matches_only_filled_cells(
    column: str, model: dict[str, Any], filled: Any
) -> None:
    assert [filled] == selected({column: model}, [*BLANKS, filled], column)


def test_blank_takes_no_value() -> None:
    assert "$.name.filter" == error_of({"name": text("blank", "x")})[0]


# --- number filters ---


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        ("equals", [10, 10.0, "10"]),
        ("lessThan", [9.5]),
        ("lessThanOrEqual", [9.5, 10, 10.0, "10"]),
        ("greaterThan", [11]),
        ("greaterThanOrEqual", [10, 10.0, "10", 11]),
    ],
)
def test_number_options_compare_numbers(option: str, expected: list[Any]) -> None:
    cells = [9.5, 10, 10.0, "10", 11, *BLANKS]
    assert expected == selected({"revenue": number(option, 10)}, cells, "revenue")


def test_number_not_equal_drops_blank_cells() -> None:
    cells = [5, 10, *BLANKS]
    assert [5] == selected({"revenue": number("notEqual", 10)}, cells, "revenue")


def test_number_in_range_excludes_both_ends_by_default() -> None:
    cells = [9, 10, 15, 20, 21, None]
    assert [15] == selected({"revenue": number("inRange", 10, 20)}, cells, "revenue")


def test_number_in_range_inclusive_option_includes_both_ends() -> None:
    cells = [9, 10, 15, 20, 21, None]
    actual = selected(
        {"revenue": number("inRange", 10, 20)}, cells, "revenue", in_range_inclusive=True
    )
    assert [10, 15, 20] == actual


def test_number_in_range_needs_filter_to() -> None:
    assert "$.revenue" == error_of({"revenue": number("inRange", 10)})[0]


def test_number_filter_to_is_refused_outside_in_range() -> None:
    assert "$.revenue.filterTo" == error_of({"revenue": number("equals", 1, 2)})[0]


@pytest.mark.parametrize(
    ("option", "model", "passing"),
    [
        ("include_blanks_in_equals", number("equals", 10), [10]),
        ("include_blanks_in_not_equal", number("notEqual", 10), [5, "2024-01-31"]),
        ("include_blanks_in_less_than", number("lessThan", 10), [5]),
        ("include_blanks_in_less_than", number("lessThanOrEqual", 10), [5, 10]),
        ("include_blanks_in_greater_than", number("greaterThan", 5), [10]),
        ("include_blanks_in_greater_than", number("greaterThanOrEqual", 5), [5, 10]),
        ("include_blanks_in_range", number("inRange", 4, 11), [5, 10]),
        ("include_blanks_in_equals", date("equals", "2024-01-31"), ["2024-01-31"]),
        ("include_blanks_in_range", date("inRange", "2024-01-01", "2024-02-01"), ["2024-01-31"]),
    ],
)
def test_include_blanks_options_let_blank_cells_pass(
    option: str, model: dict[str, Any], passing: list[Any]
) -> None:
    cells = [5, 10, "2024-01-31", *BLANKS]
    without = selected({"c": model}, cells, "c")
    with_option = selected({"c": model}, cells, "c", **{option: True})
    assert (passing, [*passing, *BLANKS]) == (without, with_option)


def test_an_include_blanks_option_leaves_other_options_alone() -> None:
    cells = [5, None]
    actual = selected(
        {"revenue": number("lessThan", 10)}, cells, "revenue", include_blanks_in_equals=True
    )
    assert [5] == actual


def test_include_blanks_options_are_number_and_date_params_and_leave_text_alone() -> None:
    cells = ["a", None]
    actual = selected({"name": text("equals", "a")}, cells, "name", include_blanks_in_equals=True)
    assert ["a"] == actual


def test_number_filter_refuses_a_text_value() -> None:
    assert "$.revenue.filter" == error_of({"revenue": number("equals", "10")})[0]  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [True, float("nan"), float("inf"), 2**70])
def test_number_filter_refuses_booleans_and_non_finite_numbers(value: Any) -> None:
    model = {"revenue": {"filterType": "number", "type": "equals", "filter": value}}
    assert "$.revenue.filter" == error_of(model)[0]


# --- date filters ---


def test_date_filter_ignores_the_time_part() -> None:
    flt = from_filter_model({"since": date("equals", "2024-01-31 13:45:00")}, OPEN)
    assert F("since").eq(dt.date(2024, 1, 31)) == flt


def test_date_filter_reads_date_cells_and_iso_text_cells() -> None:
    cells = [dt.date(2024, 1, 31), "2024-01-31", dt.datetime(2024, 1, 31, 8), "2024-02-01"]
    actual = selected({"since": date("equals", "2024-01-31")}, cells, "since")
    assert cells[:3] == actual


def test_date_in_range_excludes_both_ends_by_default() -> None:
    cells = ["2024-01-01", "2024-01-15", "2024-01-31", None]
    model = {"since": date("inRange", "2024-01-01 00:00:00", "2024-01-31 00:00:00")}
    assert ["2024-01-15"] == selected(model, cells, "since")


def test_date_not_equal_drops_blank_cells() -> None:
    cells = ["2024-01-01", "2024-01-31", *BLANKS]
    assert ["2024-01-01"] == selected({"since": date("notEqual", "2024-01-31")}, cells, "since")


@pytest.mark.parametrize("value", ["31/01/2024", "2024-02-30", "2024-01-31T", 20240131])
def test_date_filter_refuses_what_is_not_an_iso_date(value: Any) -> None:
    assert "$.since.dateFrom" == error_of({"since": date("equals", value)})[0]


# --- set filters ---


def test_set_filter_matches_keys_case_insensitively_but_not_accents() -> None:
    cells = ["Gent", "GENT", "gent", "Gènt", "Brugge"]
    model = {"city": {"filterType": "set", "values": ["gent"]}}
    assert ["Gent", "GENT", "gent"] == selected(model, cells, "city")


def test_set_filter_null_selects_blank_cells() -> None:
    cells = ["Gent", "Brugge", *BLANKS]
    model = {"city": {"filterType": "set", "values": ["Gent", None]}}
    assert ["Gent", *BLANKS] == selected(model, cells, "city")


def test_set_filter_of_only_null_is_blank() -> None:
    model = {"city": {"filterType": "set", "values": [None]}}
    assert F("city").blank() == from_filter_model(model, OPEN)


def test_set_filter_with_no_values_matches_nothing() -> None:
    model = {"city": {"filterType": "set", "values": []}}
    assert [] == selected(model, ["Gent", None, ""], "city")


def test_set_filter_without_schema_matches_numbers_and_booleans_by_their_text() -> None:
    cells = [5, "5", 6, True, False, "TRUE"]
    model = {"c": {"filterType": "set", "values": ["5", "true"]}}
    assert [5, "5", True, "TRUE"] == selected(model, cells, "c")


def test_set_filter_with_schema_reads_boolean_keys() -> None:
    flt = from_filter_model({"vat_liable": {"filterType": "set", "values": ["TRUE"]}}, SCHEMA)
    actual = [flt.matches(company(vat_liable=v)) for v in (True, False)]
    assert (F("vat_liable").in_([True]), [True, False]) == (flt, actual)


def test_set_filter_with_schema_reads_number_keys() -> None:
    flt = from_filter_model({"version": {"filterType": "set", "values": ["5", "5.5"]}}, SCHEMA)
    actual = [flt.matches(company(version=v)) for v in (5, 6)]
    assert (F("version").in_([5, 5.5]), [True, False]) == (flt, actual)


def test_set_filter_with_schema_reads_date_keys() -> None:
    model = {"client_since": {"filterType": "set", "values": ["2024-01-31", None]}}
    flt = from_filter_model(model, SCHEMA)
    days = (dt.date(2024, 1, 31), dt.date(2024, 2, 1), None)
    actual = [flt.matches(company(client_since=d)) for d in days]
    assert [True, False, True] == actual


def test_set_filter_on_a_labels_field_means_has_any() -> None:
    flt = from_filter_model({"labels": {"filterType": "set", "values": ["VIP", "nbb"]}}, SCHEMA)
    actual = [flt.matches(company(labels=labels)) for labels in ({"vip"}, {"audit"}, set())]
    expected = F("labels").has_any(["VIP", "nbb"], accent_sensitive=True)
    assert (expected, [True, False, False]) == (flt, actual)


@pytest.mark.parametrize(
    ("column", "good", "bad"),
    [
        ("version", "1", "five"),
        ("version", "1e3", "NaN"),
        ("vat_liable", "false", "yes"),
        ("client_since", "2024-01-31", "31/1"),
    ],
)
def test_set_filter_with_schema_refuses_a_key_that_does_not_fit(
    column: str, good: str, bad: str
) -> None:
    model = {column: {"filterType": "set", "values": [good, bad]}}
    assert f"$.{column}.values[1]" == error_of(model, SCHEMA)[0]


def test_set_filter_refuses_a_value_that_is_not_a_text_key() -> None:
    assert "$.c.values[0]" == error_of({"c": {"filterType": "set", "values": [5]}})[0]


# --- combined models, columns, multi filters ---


def test_combined_model_joins_any_number_of_conditions_with_or() -> None:
    model = {
        "name": {
            "filterType": "text",
            "operator": "OR",
            "conditions": [text("startsWith", "a"), text("startsWith", "b"), text("blank")],
        }
    }
    cells = ["anna", "bert", "carl", None]
    assert ["anna", "bert", None] == selected(model, cells, "name")


def test_combined_model_joins_conditions_with_and() -> None:
    model = {
        "revenue": {
            "filterType": "number",
            "operator": "AND",
            "conditions": [number("greaterThan", 1), number("notEqual", 3), number("lessThan", 5)],
        }
    }
    assert [2, 4] == selected(model, [1, 2, 3, 4, 5, None], "revenue")


def test_legacy_condition1_and_condition2_are_read() -> None:
    model = {
        "name": {
            "filterType": "text",
            "operator": "OR",
            "condition1": text("equals", "a"),
            "condition2": text("equals", "b"),
        }
    }
    assert F("name").eq("a", accent_sensitive=True) | F("name").eq(
        "b", accent_sensitive=True
    ) == from_filter_model(model)


def test_conditions_with_matching_legacy_copies_are_read() -> None:
    conditions = [text("equals", "a"), text("equals", "b")]
    model = {
        "name": {
            "filterType": "text",
            "operator": "AND",
            "condition1": conditions[0],
            "condition2": conditions[1],
            "conditions": conditions,
        }
    }
    assert ["a", "b"] == [c.value for c in from_filter_model(model).children]  # type: ignore[attr-defined]


def test_a_legacy_condition_that_disagrees_with_conditions_is_refused() -> None:
    model = {
        "name": {
            "filterType": "text",
            "operator": "AND",
            "condition1": text("equals", "x"),
            "conditions": [text("equals", "a"), text("equals", "b")],
        }
    }
    assert "$.name.condition1" == error_of(model)[0]


def test_columns_are_anded() -> None:
    model = {"name": text("contains", "café"), "revenue": number("greaterThan", 5)}
    flt = from_filter_model(model, OPEN)
    records = [
        {"name": "Café", "revenue": 10},
        {"name": "Café", "revenue": 1},
        {"name": "Thé", "revenue": 10},
    ]
    assert [records[0]] == flt.select(records, schema=OPEN)


def test_multi_filter_ands_its_models_and_skips_nulls() -> None:
    model = {
        "name": {
            "filterType": "multi",
            "filterModels": [
                text("startsWith", "a"),
                None,
                {"filterType": "set", "values": ["ab", "b"]},
            ],
        }
    }
    assert ["ab"] == selected(model, ["a", "ab", "b"], "name")


def test_a_null_column_model_and_an_empty_model_filter_nothing_out() -> None:
    assert [Filter.all(), Filter.all(), Filter.all()] == [
        from_filter_model({}),
        from_filter_model(None),
        from_filter_model({"name": None}),
    ]


def test_models_read_parties_through_the_schema() -> None:
    model = {
        "name": text("contains", "peeters"),
        "client_since": date("lessThan", "2024-01-01 00:00:00"),
        "labels": {"filterType": "set", "values": ["vip"]},
        "version": number("greaterThanOrEqual", 0),
    }
    flt = from_filter_model(model, SCHEMA)
    parties_ = [
        company(client_since=dt.date(2020, 5, 1), labels={"vip"}),
        company(client_since=dt.date(2024, 5, 1), labels={"vip"}),
        company(name="Café Zeta", client_since=dt.date(2020, 5, 1), labels={"vip"}),
        company(client_since=None, labels={"vip"}),
    ]
    assert [True, False, False, False] == [flt.matches(p) for p in parties_]


# --- errors ---


@pytest.mark.parametrize(
    ("model", "path", "words"),
    [
        ([], "$", "expected an object"),
        ({"name": "contains"}, "$.name", "filter.expected_object"),
        ({"name": {"type": "contains", "filter": "a"}}, "$.name", "filter.missing_key"),
        ({"name": {"filterType": "txt"}}, "$.name.filterType", "unknown filter type 'txt'"),
        ({"name": text("like", "a")}, "$.name.type", "unknown text filter option 'like'"),
        ({"name": number("contains", 1)}, "$.name.type", "unknown number filter option"),
        ({"name": {"filterType": "text", "filter": "a"}}, "$.name", "filter.missing_key"),
        ({"name": text("contains")}, "$.name", "filter.needs_value"),
        ({"name": {**text("contains", "a"), "x": 1}}, "$.name.x", "unknown key 'x'"),
        ({"a.b": {**text("contains", "a"), "x": 1}}, '$["a.b"].x', "unknown key 'x'"),
        ({"name": {"filterType": "set"}}, "$.name", "filter.missing_key"),
        ({"name": {"filterType": "set", "values": "a"}}, "$.name.values", "filter.expected_list"),
        (
            {"name": {"filterType": "text", "operator": "XOR", "conditions": [text("blank")]}},
            "$.name.operator",
            "AND or OR",
        ),
        (
            {"name": {"filterType": "text", "operator": "OR", "conditions": []}},
            "$.name.conditions",
            "filter.expected_list",
        ),
        (
            {
                "name": {
                    "filterType": "text",
                    "operator": "OR",
                    "conditions": [text("blank"), text("nope", "a")],
                }
            },
            "$.name.conditions[1].type",
            "unknown text filter option 'nope'",
        ),
        (
            {
                "name": {
                    "filterType": "text",
                    "operator": "OR",
                    "conditions": [text("blank"), number("blank")],
                }
            },
            "$.name.conditions[1].filterType",
            "filter.aggrid.unknown_filter_type",
        ),
        (
            {"name": {"filterType": "text", "operator": "OR", "condition1": text("blank")}},
            "$.name",
            "filter.missing_key",
        ),
        (
            {"name": {"filterType": "multi", "filterModels": [{"filterType": "multi"}]}},
            "$.name.filterModels[0]",
            "cannot hold another multi",
        ),
        ({"": text("blank")}, "$", "non-empty text"),
    ],
)
def test_faults_raise_filter_error_with_the_path_of_the_fault(
    model: Any, path: str, words: str
) -> None:
    actual_path, message = error_of(model)
    assert (path, True) == (actual_path, words in message)


@pytest.mark.parametrize(
    ("model", "path", "words"),
    [
        ({"nmae": text("contains", "a")}, "$.nmae", "did you mean 'name'"),
        ({"tasks.code": text("contains", "a")}, '$["tasks.code"]', "unknown column"),
        ({"name": number("equals", 1)}, "$.name.filterType", "does not fit column 'name'"),
        ({"version": text("contains", "1")}, "$.version.filterType", "of type number"),
        ({"tasks": {"filterType": "set", "values": []}}, "$.tasks.filterType", "collection"),
    ],
)
def test_with_a_schema_unknown_columns_and_misfits_are_refused(
    model: Any, path: str, words: str
) -> None:
    actual_path, message = error_of(model, SCHEMA)
    assert (path, True) == (actual_path, words in message)


def test_an_unknown_option_is_refused() -> None:
    assert "options.include_blanks" == error_of({}, include_blanks=True)[0]


def test_an_option_that_is_not_a_boolean_is_refused() -> None:
    assert "options.case_sensitive" == error_of({}, case_sensitive="yes")[0]


# --- to_filter_model ---


def write(flt: Filter, schema: Any = None, **options: Any) -> dict[str, Any]:
    return to_filter_model(flt, schema, **options)


def refusal(flt: Filter, schema: Any = None, **options: Any) -> tuple[str, str]:
    with pytest.raises(FilterError) as caught:
        to_filter_model(flt, schema, **options)
    # the English message and the fault's code, so a test may name either
    return caught.value.path, f"{caught.value} [{caught.value.issues[0].code}]"


AS = {"accent_sensitive": True}


@pytest.mark.parametrize(
    ("flt", "model"),
    [
        (F("name").contains("a", **AS), text("contains", "a")),
        (F("name").not_contains("a", **AS), text("notContains", "a")),
        (F("name").eq("a", **AS), text("equals", "a")),
        (F("name").ne("a", **AS), text("notEqual", "a")),
        (F("name").starts_with("a", **AS), text("startsWith", "a")),
        (F("name").ends_with("a", **AS), text("endsWith", "a")),
        (F("name").blank(), text("blank")),
        (F("name").not_blank(), text("notBlank")),
        (F("name").eq(1.5), number("equals", 1.5)),
        (F("name").lt(1), number("lessThan", 1)),
        (F("name").le(1), number("lessThanOrEqual", 1)),
        (F("name").gt(1), number("greaterThan", 1)),
        (F("name").ge(1), number("greaterThanOrEqual", 1)),
        (F("name").ne(1) & F("name").not_blank(), number("notEqual", 1)),
        (F("name").gt(1) & F("name").lt(5), number("inRange", 1, 5)),
        (
            F("name").ge(dt.date(2024, 1, 31)),
            {"filterType": "date", "type": "greaterThanOrEqual", "dateFrom": "2024-01-31 00:00:00"},
        ),
    ],
)
def test_to_filter_model_writes_one_condition(flt: Filter, model: dict[str, Any]) -> None:
    assert {"name": model} == write(flt)


def test_to_filter_model_writes_a_number_ne_alone_as_not_equal_or_blank() -> None:
    expected = {
        "filterType": "number",
        "operator": "OR",
        "conditions": [number("notEqual", 1), number("blank")],
    }
    assert {"n": expected} == write(F("n").ne(1))


def test_to_filter_model_writes_between_as_inclusive_bounds_or_inclusive_in_range() -> None:
    flt = F("n").between(1, 5)
    bounds = {
        "filterType": "number",
        "operator": "AND",
        "conditions": [number("greaterThanOrEqual", 1), number("lessThanOrEqual", 5)],
    }
    assert [{"n": bounds}, {"n": number("inRange", 1, 5)}] == [
        write(flt),
        write(flt, in_range_inclusive=True),
    ]


def test_to_filter_model_writes_an_or_of_one_column_as_a_combined_model() -> None:
    flt = F("name").starts_with("a", **AS) | F("name").starts_with("b", **AS) | F("name").blank()
    expected = {
        "filterType": "text",
        "operator": "OR",
        "conditions": [text("startsWith", "a"), text("startsWith", "b"), text("blank")],
    }
    assert {"name": expected} == write(flt)


def test_to_filter_model_writes_an_in_list_as_a_set_filter_and_blank_as_null() -> None:
    flt = F("city").in_(["Gent", "Brugge"], **AS) | F("city").blank()
    assert {"city": {"filterType": "set", "values": ["Gent", "Brugge", None]}} == write(flt)


def test_to_filter_model_writes_one_model_per_column() -> None:
    flt = F("name").contains("a", **AS) & F("n").gt(1) & F("name").not_contains("b", **AS)
    expected = {
        "name": {
            "filterType": "text",
            "operator": "AND",
            "conditions": [text("contains", "a"), text("notContains", "b")],
        },
        "n": number("greaterThan", 1),
    }
    assert expected == write(flt)


def test_to_filter_model_of_a_filter_that_keeps_everything_is_empty() -> None:
    assert {} == write(Filter.all())


def test_to_filter_model_pushes_not_down_to_exact_complements() -> None:
    flt = ~(F("name").eq("a", **AS) | F("name").blank())
    expected = {
        "filterType": "text",
        "operator": "AND",
        "conditions": [text("notEqual", "a"), text("notBlank")],
    }
    assert {"name": expected} == write(flt)


def test_to_filter_model_carries_the_grid_switches() -> None:
    flt = F("name").contains("a") | F("name").eq("B", case_sensitive=True)
    with_switches = write(F("name").contains("a"), accent_insensitive=True)
    assert ({"name": text("contains", "a")}, "$.where.or[1]") == (
        with_switches,
        refusal(flt, accent_insensitive=True)[0],
    )


def test_to_filter_model_with_schema_writes_booleans_numbers_dates_and_labels_as_set_keys() -> None:
    flt = (
        F("vat_liable").eq(True)
        & F("version").in_([5, 5.5, 6.0])
        & (F("client_since").in_([dt.date(2024, 1, 31)]) | F("client_since").blank())
        & F("labels").has_any(["vip"], **AS)
    )
    expected = {
        "vat_liable": {"filterType": "set", "values": ["true"]},
        "version": {"filterType": "set", "values": ["5", "5.5", "6"]},
        "client_since": {"filterType": "set", "values": ["2024-01-31", None]},
        "labels": {"filterType": "set", "values": ["vip"]},
    }
    assert expected == write(flt, SCHEMA)


@pytest.mark.parametrize(
    ("flt", "path", "words"),
    [
        (F("a").eq(1, **AS) | F("b").eq(2, **AS), "$.where", "OR across columns 'a', 'b'"),
        (F("tasks").any(F("code").eq("x")), "$.where.op", "'any'"),
        (F("labels").has_all(["a"]), "$.where.op", "'has_all'"),
        (F("email").valid(), "$.where.op", "'valid'"),
        (F("since").lt(Today(-1)), "$.where.value", "relative date"),
        (F("name").contains("a"), "$.where", "filter.aggrid.switch_mismatch"),
        (
            F("name").contains("a", case_sensitive=True, **AS),
            "$.where",
            "filter.aggrid.switch_mismatch",
        ),
        (~F("n").lt(1), "$.where.not", "filter.aggrid.no_option"),
        (F("name").lt("a"), "$.where.op", "no AG Grid text filter option"),
        (F("n").ne(1) & F("n").ne(2), "$.where.and[0]", "filter.aggrid.blank_semantics"),
        (F("n").eq(1) & (F("n").gt(3) | F("n").lt(0)), "$.where.and[1]", "filter.aggrid.nesting"),
        (
            (F("n").eq(1) & F("n").eq(2)) | F("n").blank(),
            "$.where.or[0]",
            "filter.aggrid.nesting",
        ),
        (F("n").eq("a", **AS) & F("n").gt(1), "$.where.and[1]", "filter.aggrid.mixed_types"),
        (F("flag").eq(True), "$.where.value", "pass a schema"),
        (F("n").in_([1]), "$.where.value[0]", "filter.aggrid.value_type"),
        (Filter.nothing(), "$.where", "matches nothing"),
        (F("nmae").blank(), "$.where.path", "did you mean 'name'"),
    ],
)
def test_to_filter_model_says_what_ag_grid_cannot_express(
    flt: Filter, path: str, words: str
) -> None:
    schema = SCHEMA if "nmae" in flt.paths() else None
    actual_path, message = refusal(flt, schema)
    assert (path, True) == (actual_path, words in message)


def test_to_filter_model_refuses_read_only_options() -> None:
    assert (
        "options.include_blanks_in_equals"
        == refusal(Filter.all(), include_blanks_in_equals=True)[0]
    )


# --- properties ---

TEXTS = st.sampled_from(["a", "A", "Café", "cafe", "CAFÉ", "é", "b c", "ab", " a", "Straße"])
NUMBERS = st.integers(-3, 3) | st.sampled_from([0.5, 1.5, -2.5, 10, 2.0])
DAYS = st.dates(dt.date(2024, 1, 1), dt.date(2024, 1, 6))
TEXT_OPTIONS = [
    "contains",
    "notContains",
    "equals",
    "notEqual",
    "startsWith",
    "endsWith",
    "blank",
    "notBlank",
]
SCALAR_OPTIONS = [
    "equals",
    "notEqual",
    "lessThan",
    "lessThanOrEqual",
    "greaterThan",
    "greaterThanOrEqual",
    "inRange",
    "blank",
    "notBlank",
]
COLUMNS = {"name": "text", "revenue": "number", "since": "date", "city": "set"}


@st.composite
def conditions(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    if kind == "text":
        option = draw(st.sampled_from(TEXT_OPTIONS))
        return text(option, None if "lank" in option else draw(TEXTS))
    option = draw(st.sampled_from(SCALAR_OPTIONS))
    if "lank" in option:
        return {"filterType": kind, "type": option}
    if kind == "number":
        to = draw(NUMBERS) if option == "inRange" else None
        return number(option, draw(NUMBERS), to)
    shape = draw(st.sampled_from(["{}", "{} 00:00:00", "{} 13:45:00"]))
    end = shape.format(draw(DAYS).isoformat()) if option == "inRange" else None
    return date(option, shape.format(draw(DAYS).isoformat()), end)


@st.composite
def column_models(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    if kind == "set":
        keys = st.sampled_from(["a", "A", "Café", "cafe", "1", "true", None, " "])
        return {"filterType": "set", "values": draw(st.lists(keys, max_size=4))}
    items = draw(st.lists(conditions(kind), min_size=1, max_size=3))
    if len(items) == 1 and draw(st.booleans()):
        return items[0]
    operator = draw(st.sampled_from(["AND", "OR"]))
    if draw(st.booleans()) and len(items) == 2:
        return {
            "filterType": kind,
            "operator": operator,
            "condition1": items[0],
            "condition2": items[1],
        }
    return {"filterType": kind, "operator": operator, "conditions": items}


@st.composite
def models(draw: st.DrawFn) -> dict[str, Any]:
    columns = draw(st.lists(st.sampled_from(sorted(COLUMNS)), unique=True, max_size=3))
    return {c: draw(column_models(COLUMNS[c])) for c in columns}


CELLS = st.one_of(
    st.none(),
    st.sampled_from(["", "  ", "1", "true", "2024-01-03 10:00:00"]),
    TEXTS,
    NUMBERS,
    DAYS,
    DAYS.map(dt.date.isoformat),
    st.booleans(),
)
RECORDS = st.lists(
    st.fixed_dictionaries({}, optional=dict.fromkeys(COLUMNS, CELLS)), min_size=1, max_size=8
)
WRITE_OPTIONS = st.sampled_from(
    [{}, {"accent_insensitive": True}, {"case_sensitive": True}, {"in_range_inclusive": True}]
)


@settings(max_examples=400, deadline=None)
@given(models(), RECORDS, WRITE_OPTIONS)
def test_a_model_written_back_selects_the_same_records(
    model: dict[str, Any], records: list[dict[str, Any]], options: dict[str, bool]
) -> None:
    flt = from_filter_model(model, OPEN, **options)
    again = from_filter_model(to_filter_model(flt, **options), OPEN, **options)
    expected = [flt.matches(r, schema=OPEN) for r in records]
    assert expected == [again.matches(r, schema=OPEN) for r in records]


@pytest.mark.slow
@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(filters(), st.lists(parties(), min_size=1, max_size=3), WRITE_OPTIONS)
def test_any_filter_either_translates_exactly_or_raises_filter_error(
    flt: Filter, parties_: list[Party], options: dict[str, bool]
) -> None:
    try:
        model = to_filter_model(flt, SCHEMA, **options)
    except FilterError:
        return
    again = from_filter_model(model, SCHEMA, **options)
    expected = [flt.matches(p, today=TODAY) for p in parties_]
    assert expected == [again.matches(p) for p in parties_]


VOCABULARY = [
    "filterType", "type", "filter", "filterTo", "dateFrom", "dateTo", "values", "operator",
    "conditions", "condition1", "condition2", "filterModels", "text", "number", "date", "set",
    "multi", "equals", "notEqual", "inRange", "contains", "blank", "AND", "OR", "2024-01-31",
    "2024-02-30 10:00:00", "true", "5", "name", "version", "labels", "vat_liable", "tasks",
]  # fmt: skip
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=5)
    | st.sampled_from(VOCABULARY),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(VOCABULARY) | st.text(max_size=3), inner, max_size=5)
    ),
    max_leaves=25,
)


def junk_in(value: Any, draw: st.DrawFn) -> Any:
    """``value`` with some of its parts replaced by arbitrary JSON."""
    if draw(st.integers(0, 9)) == 0:
        return draw(json_values)
    if isinstance(value, dict):
        return {k: junk_in(v, draw) for k, v in value.items()}
    if isinstance(value, list):
        return [junk_in(v, draw) for v in value]
    return value


@st.composite
def damaged_models(draw: st.DrawFn) -> Any:
    return junk_in(draw(models()), draw)


def outcome_of(model: Any, with_schema: bool) -> str:
    try:
        from_filter_model(model, SCHEMA if with_schema else None)
    except FilterError as err:
        return f"FilterError at {err.path[:1]}"
    return "a filter"


@settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
@given(json_values | damaged_models(), st.booleans())
def test_no_input_raises_anything_but_filter_error(model: Any, with_schema: bool) -> None:
    assert outcome_of(model, with_schema) in ("a filter", "FilterError at $")
