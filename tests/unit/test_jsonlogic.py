"""JsonLogic rules: the structural mapping both ways, strict errors, round trips."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clientcore import FilterError, Party, Task
from clientcore.model import Field, FieldType, Schema, default_schema
from clientcore.query import COMPLEMENT, ITEM, OPEN, And, Cond, F, Filter, Not, Or, Today
from clientcore.query.jsonlogic import from_json_logic, to_json_logic
from tests.strategies import filters, parties

SCHEMA = default_schema()


def _with(schema: Schema, path: str, kind: FieldType) -> Schema:
    return Schema((*schema.fields, Field(path, kind, (path, path, path), "test")))


# the catalogue, with the fields these tests name: revenue a number, "a b" a text
LOGIC_SCHEMA = _with(SCHEMA, "revenue", FieldType.NUMBER)
TODAY = dt.date(2026, 1, 1)
NAME = {"var": "name"}
REVENUE = {"var": "revenue"}
TASKS = {"var": "tasks"}


def company(**fields: Any) -> Party:
    return Party(kind="client_company", name=fields.pop("name", "Bakkerij Peeters"), **fields)


def error_of(rule: Any, schema: Any = None) -> tuple[str, str]:
    with pytest.raises(FilterError) as caught:
        from_json_logic(rule, schema)
    # the English message and the fault's code, so a test may name either
    return caught.value.path, f"{caught.value} [{caught.value.issues[0].code}]"


def refusal(flt: Filter) -> tuple[str, str]:
    with pytest.raises(FilterError) as caught:
        to_json_logic(flt)
    # the English message and the fault's code, so a test may name either
    return caught.value.path, f"{caught.value} [{caught.value.issues[0].code}]"


# --- the mapping, both ways ---

MAPPING = [
    (F("name").eq("Café"), {"==": [NAME, "Café"]}),
    (F("name").ne("Café"), {"!=": [NAME, "Café"]}),
    (F("revenue").lt(10), {"<": [REVENUE, 10]}),
    (F("revenue").le(10), {"<=": [REVENUE, 10]}),
    (F("revenue").gt(1.5), {">": [REVENUE, 1.5]}),
    (F("revenue").ge(10), {">=": [REVENUE, 10]}),
    (F("revenue").between(1, 10), {"<=": [1, REVENUE, 10]}),
    (F("name").in_(["a", "b"]), {"in": [NAME, ["a", "b"]]}),
    (F("name").not_in(["a", "b"]), {"!": {"in": [NAME, ["a", "b"]]}}),
    (F("name").contains("caf"), {"in": ["caf", NAME]}),
    (F("name").not_contains("caf"), {"!": {"in": ["caf", NAME]}}),
    (F("name").blank(), {"==": [NAME, None]}),
    (F("name").not_blank(), {"!=": [NAME, None]}),
    (F("tasks").any(F("code").eq("vat")), {"some": [TASKS, {"==": [{"var": "code"}, "vat"]}]}),
    (~F("tasks").any(F("code").eq("vat")), {"none": [TASKS, {"==": [{"var": "code"}, "vat"]}]}),
    (
        F("tasks").not_blank() & ~F("tasks").any(~F("active").eq(True)),
        {"all": [TASKS, {"==": [{"var": "active"}, True]}]},
    ),
    (F("a").eq(1) & F("b").eq(2), {"and": [{"==": [{"var": "a"}, 1]}, {"==": [{"var": "b"}, 2]}]}),
    (F("a").eq(1) | F("b").eq(2), {"or": [{"==": [{"var": "a"}, 1]}, {"==": [{"var": "b"}, 2]}]}),
    (~F("revenue").lt(10), {"!": {"<": [REVENUE, 10]}}),
    (Filter.all(), True),
    (Filter.nothing(), False),
]


@pytest.mark.parametrize(("flt", "rule"), MAPPING)
def test_to_json_logic_writes_each_mapped_operator(flt: Filter, rule: Any) -> None:
    assert rule == to_json_logic(flt)


@pytest.mark.parametrize(("flt", "rule"), MAPPING)
def test_from_json_logic_reads_each_mapped_operator(flt: Filter, rule: Any) -> None:
    # fields of their own (a, b, revenue): the open mode, or a schema declaring them
    fields = LOGIC_SCHEMA if isinstance(rule, dict) and set(rule) <= {"!", "!!"} else OPEN
    assert flt == from_json_logic(rule, fields)


def test_falsy_in_the_open_mode_is_blank_false_or_zero_as_json_logic_means_it() -> None:
    falsy = from_json_logic({"!": NAME}, OPEN)
    assert [True, True, True, False, False] == [
        falsy.matches({"name": v}, schema=OPEN) for v in (None, False, 0, "x", True)
    ]
    truthy = from_json_logic({"!!": NAME}, OPEN)
    assert [not m for m in (True, True, True, False, False)] == [
        truthy.matches({"name": v}, schema=OPEN) for v in (None, False, 0, "x", True)
    ]


def test_falsy_on_a_text_field_of_the_default_catalogue_is_blank() -> None:
    assert F("name").blank() == from_json_logic({"!": NAME})


def test_falsy_on_a_bool_field_of_the_schema_is_blank_or_false() -> None:
    assert F("vat_liable").blank() | F("vat_liable").eq(False) == from_json_logic(
        {"!": {"var": "vat_liable"}}, SCHEMA
    )


def test_dates_are_written_as_iso_texts() -> None:
    flt = F("client_since").ge(dt.date(2024, 1, 31))
    assert {">=": [{"var": "client_since"}, "2024-01-31"]} == to_json_logic(flt)


@pytest.mark.parametrize(
    ("rule", "flt"),
    [
        ({"<": [10, REVENUE]}, F("revenue").gt(10)),
        ({"<=": [10, REVENUE]}, F("revenue").ge(10)),
        ({">": [10, REVENUE]}, F("revenue").lt(10)),
        ({">=": [10, REVENUE]}, F("revenue").le(10)),
        ({"==": ["Café", NAME]}, F("name").eq("Café")),
        ({"!=": ["Café", NAME]}, F("name").ne("Café")),
    ],
)
def test_a_value_before_the_var_mirrors_the_comparison(rule: Any, flt: Filter) -> None:
    assert flt == from_json_logic(rule, LOGIC_SCHEMA)


def test_three_argument_less_than_excludes_both_ends() -> None:
    flt = from_json_logic({"<": [10, REVENUE, 20]}, OPEN)
    actual = [n for n in (10, 15, 20) if flt.matches({"revenue": n}, schema=OPEN)]
    assert (F("revenue").gt(10) & F("revenue").lt(20), [15]) == (flt, actual)


def test_three_argument_less_or_equal_includes_both_ends() -> None:
    flt = from_json_logic({"<=": [10, REVENUE, 20]}, LOGIC_SCHEMA)
    actual = [n for n in (9, 10, 15, 20, 21) if flt.matches({"revenue": n}, schema=LOGIC_SCHEMA)]
    assert [10, 15, 20] == actual


def test_in_with_a_list_is_membership_and_with_a_var_is_contains() -> None:
    member = from_json_logic({"in": [NAME, ["Gent", "Brugge"]]})
    inside = from_json_logic({"in": ["gent", NAME]})
    records = [{"name": "Gent"}, {"name": "Sint-Gent-Oost"}]
    assert ([True, False], [True, True]) == (
        [member.matches(r) for r in records],
        [inside.matches(r) for r in records],
    )


@pytest.mark.parametrize(
    ("rule", "flt"),
    [
        ({"!": {"==": [NAME, "a"]}}, F("name").ne("a")),
        ({"!": {"!=": [NAME, "a"]}}, F("name").eq("a")),
        ({"!": {"!": NAME}}, F("name").not_blank()),
        ({"!": {"!!": NAME}}, F("name").blank()),
        ({"!": {"<": [REVENUE, 1]}}, ~F("revenue").lt(1)),
        (
            {"!": {"and": [{"!": NAME}, {"!": REVENUE}]}},
            ~(F("name").blank() & (F("revenue").blank() | F("revenue").eq(0))),
        ),
    ],
)
def test_not_over_a_condition_with_an_exact_complement_reads_as_that_complement(
    rule: Any, flt: Filter
) -> None:
    assert flt == from_json_logic(rule, LOGIC_SCHEMA)


@pytest.mark.parametrize(
    ("rule", "flt"),
    [
        ({"!": [NAME]}, F("name").blank()),
        ({"!!": [NAME]}, F("name").not_blank()),
        ({"==": [{"var": ["name"]}, "a"]}, F("name").eq("a")),
        ({"!!": {"==": [NAME, "a"]}}, F("name").eq("a")),
    ],
)
def test_unwrapped_and_single_item_argument_forms_are_read(rule: Any, flt: Filter) -> None:
    assert flt == from_json_logic(rule, SCHEMA)


def test_equals_on_text_gets_clientcore_semantics_case_and_accent_insensitive() -> None:
    flt = from_json_logic({"==": [NAME, "cafe"]})
    assert [True, True, False] == [
        flt.matches({"name": n}) for n in ("Café", "CAFE", "Cafe Central")
    ]


def test_not_var_on_a_number_is_blank_or_zero_as_json_logic_means_it() -> None:
    flt = from_json_logic({"!": REVENUE}, LOGIC_SCHEMA)
    assert [True, True, True, True, False] == [
        flt.matches({"revenue": v}, schema=LOGIC_SCHEMA) for v in (None, "", "  ", 0, 3)
    ]


def test_some_and_none_read_the_items_of_a_collection() -> None:
    some = from_json_logic({"some": [TASKS, {"==": [{"var": "code"}, "vat"]}]})
    none = from_json_logic({"none": [TASKS, {"==": [{"var": "code"}, "vat"]}]})
    with_vat = company(tasks=[Task(code="vat"), Task(code="closing")])
    without = company(tasks=[Task(code="closing")])
    empty = company(tasks=[])
    assert ([True, False, False], [False, True, True]) == (
        [some.matches(p) for p in (with_vat, without, empty)],
        [none.matches(p) for p in (with_vat, without, empty)],
    )


def test_all_is_false_on_an_empty_collection_as_in_json_logic() -> None:
    flt = from_json_logic({"all": [TASKS, {"==": [{"var": "active"}, True]}]})
    all_active = company(tasks=[Task(code="vat"), Task(code="closing")])
    one_idle = company(tasks=[Task(code="vat"), Task(code="closing", active=False)])
    empty = company(tasks=[])
    assert [True, False, False] == [flt.matches(p) for p in (all_active, one_idle, empty)]


# --- schema ---


def test_with_a_schema_iso_texts_on_date_fields_become_dates() -> None:
    rule = {"<=": ["2024-01-01", {"var": "client_since"}, "2024-12-31"]}
    expected = F("client_since").between(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert expected == from_json_logic(rule, SCHEMA)


def test_by_default_iso_texts_on_date_fields_of_the_catalogue_become_dates() -> None:
    rule = {"<": [{"var": "client_since"}, "2024-01-01"]}
    assert F("client_since").lt(dt.date(2024, 1, 1)) == from_json_logic(rule)


def test_in_the_open_mode_iso_texts_stay_texts() -> None:
    rule = {"<": [{"var": "client_since"}, "2024-01-01"]}
    flt = from_json_logic(rule, OPEN)
    assert (F("client_since").lt("2024-01-01"), True) == (
        flt,
        flt.matches({"client_since": dt.date(2023, 12, 31)}, schema=OPEN),
    )


def test_with_a_schema_item_fields_are_read_inside_some() -> None:
    rule = {"some": [TASKS, {">=": [{"var": "start"}, "2024-01-01"]}]}
    assert F("tasks").any(F("start").ge(dt.date(2024, 1, 1))) == from_json_logic(rule, SCHEMA)


@pytest.mark.parametrize(
    ("rule", "path", "words"),
    [
        ({"==": [{"var": "nmae"}, "a"]}, '$["=="][0].var', "did you mean 'name'"),
        ({"==": [{"var": "tasks.code"}, "a"]}, '$["=="][0].var', "filter.unknown_path"),
        ({"==": [{"var": "client_since"}, "31/01/2024"]}, '$["=="][1]', "not a date"),
        ({"some": [NAME, {"!": {"var": "code"}}]}, "$.some[0]", "filter.op_mismatch"),
        ({"some": [TASKS, {"!": {"var": "name"}}]}, '$.some[1]["!"].var', "filter.unknown_path"),
    ],
)
def test_with_a_schema_unknown_fields_and_bad_dates_are_refused(
    rule: Any, path: str, words: str
) -> None:
    actual_path, message = error_of(rule, SCHEMA)
    assert (path, True) == (actual_path, words in message)


# --- errors ---


def deep(levels: int) -> Any:
    rule: Any = {"!": NAME}
    for _ in range(levels):
        rule = {"and": [rule]}
    return rule


@pytest.mark.parametrize(
    ("rule", "path", "words"),
    [
        ({"+": [1, 2]}, '$["+"]', "filter.jsonlogic.arithmetic"),
        ({"cat": ["a", "b"]}, "$.cat", "filter.jsonlogic.arithmetic"),
        ({"if": [True, True, False]}, "$.if", "operator 'if'"),
        ({"missing": ["a"]}, "$.missing", "operator 'missing'"),
        ({"===": [NAME, {"var": "x"}]}, '$["==="]', "filter.jsonlogic.field_to_field"),
        ({"==": [{"var": ["name", "x"]}, "a"]}, '$["=="][0].var', "filter.jsonlogic.bad_arguments"),
        ({"==": [{"var": 1}, "a"]}, '$["=="][0].var', "filter.bad_path"),
        ({"==": [{"var": ""}, "a"]}, '$["=="][0].var', "filter.bad_path"),
        ({"<": [NAME, None]}, '$["<"][1]', "null"),
        ({"==": [NAME, {"+": [1, 2]}]}, '$["=="][1]', "filter.jsonlogic.arithmetic"),
        ({"==": [NAME, {"log": [1]}]}, '$["=="][1]', "filter.jsonlogic.no_value"),
        ({"==": [NAME, [1]]}, '$["=="][1]', "filter.expected_scalar"),
        ({"==": [NAME, {"var": "x"}]}, '$["=="]', "filter.jsonlogic.field_to_field"),
        ({"==": [1, 2]}, '$["=="]', "filter.jsonlogic.bad_arguments"),
        ({"==": [NAME, 1, 2]}, '$["=="]', "filter.jsonlogic.arity"),
        ({">": [1, REVENUE, 3]}, '$[">"]', "filter.jsonlogic.arity"),
        ({"<": [REVENUE, 1, 3]}, '$["<"]', "filter.jsonlogic.bad_arguments"),
        ({"in": [NAME, "text"]}, "$.in", "filter.jsonlogic.bad_arguments"),
        ({"in": [NAME]}, "$.in", "filter.jsonlogic.arity"),
        ({"and": []}, "$.and", "filter.jsonlogic.arity"),
        ({"or": [True, {"nope": 1}]}, "$.or[1].nope", "operator 'nope'"),
        (NAME, "$.var", "filter.jsonlogic.bad_arguments"),
        ({"!": [NAME, NAME]}, '$["!"]', "takes 1 argument"),
        ({"some": [NAME]}, "$.some", "filter.jsonlogic.arity"),
        ({"some": ["tasks", True]}, "$.some[0]", "filter.jsonlogic.bad_arguments"),
        ({"==": [NAME, "a"], "!=": [NAME, "b"]}, "$", "filter.jsonlogic.bad_rule"),
        ("name", "$", "filter.jsonlogic.bad_rule"),
        (None, "$", "got null"),
        ({"==": [NAME, float("inf")]}, '$["=="][1]', "finite"),
        (deep(40), "$" + ".and[0]" * 32, "deeper than 32"),
    ],
)
def test_what_does_not_map_raises_filter_error_naming_it_and_its_path(
    rule: Any, path: str, words: str
) -> None:
    actual_path, message = error_of(rule)
    assert (path, True) == (actual_path, words in message)


@pytest.mark.parametrize(
    ("flt", "path", "words"),
    [
        (
            F("name").eq("a", case_sensitive=True),
            "$.where.case_sensitive",
            "filter.jsonlogic.no_switch",
        ),
        (
            F("a").eq(1) & F("name").contains("a", accent_sensitive=True),
            "$.where.and[1].accent_sensitive",
            "filter.jsonlogic.no_switch",
        ),
        (F("since").lt(Today(-30)), "$.where.value", "relative date"),
        (F("since").between(Today(-30), Today(0)), "$.where.value[0]", "relative date"),
        (F("email").valid(), "$.where.op", "'valid'"),
        (F("email").invalid(), "$.where.op", "'invalid'"),
        (F("labels").has_all(["a"]), "$.where.op", "'has_all'"),
        (F("labels").has_any(["a"]), "$.where.op", "'has_any'"),
        (F("labels").has("a"), "$.where.op", "'has'"),
        (F("tasks").any(F("labels").has("v")), "$.where.where.op", "'has'"),
    ],
)
def test_to_json_logic_refuses_what_does_not_map_naming_it_and_its_path(
    flt: Filter, path: str, words: str
) -> None:
    actual_path, message = refusal(flt)
    assert (path, True) == (actual_path, words in message)


# --- properties ---

PATHS = st.sampled_from(["name", "revenue", "address.city", "custom.kyc.source", "a b"])
SCALARS = (
    st.text(max_size=5)
    | st.integers(-(10**9), 10**9)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
)


# true/false has no order: an ordering condition takes text, numbers or dates
ORDERED = SCALARS.filter(lambda v: not isinstance(v, bool))


MAPPED_OPS = [
    "eq", "ne", "lt", "le", "gt", "ge", "between", "in", "not_in", "contains", "not_contains",
    "blank", "not_blank", "some", "all",
]  # fmt: skip


@st.composite
def mapped_leaves(draw: st.DrawFn, depth: int = 0) -> Filter:
    op = draw(st.sampled_from(MAPPED_OPS))
    path = draw(PATHS) if depth == 0 else "code"  # inside tasks: a text field of a task
    if depth > 0 and op in ("some", "all"):
        op = "eq"  # tasks hold no collection
    if op in ("blank", "not_blank"):
        return Cond(path, op)
    if op in ("contains", "not_contains"):
        return Cond(path, op, draw(st.text(max_size=5)))
    if op in ("in", "not_in"):
        return Cond(path, op, tuple(draw(st.lists(SCALARS, max_size=3))))
    if op == "between":
        return Cond(path, op, (draw(ORDERED), draw(ORDERED)))
    if op in ("some", "all"):
        inner = draw(mapped_leaves(depth + 1)) if depth < 1 else F("code").eq("vat")
        if op == "some":
            return F("tasks").any(inner)
        return F("tasks").not_blank() & Not(F("tasks").any(Not(inner)))
    return Cond(path, op, draw(SCALARS if op in ("eq", "ne") else ORDERED))


def negate(flt: Filter) -> Filter:
    """``~flt``, written as JsonLogic reads it back (a condition's exact complement)."""
    if isinstance(flt, Cond) and flt.op in COMPLEMENT:
        return Cond(flt.path, COMPLEMENT[flt.op], flt.value)
    return Not(flt)


mapped_filters = st.recursive(
    mapped_leaves(),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda cs: And(tuple(cs))),
        st.lists(inner, max_size=3).map(lambda cs: Or(tuple(cs))),
        inner.map(negate),
    ),
    max_leaves=10,
)


@settings(max_examples=500, deadline=None)
@given(mapped_filters)
def test_a_mapped_filter_survives_json_logic_and_json_text(flt: Filter) -> None:
    rule = json.loads(json.dumps(to_json_logic(flt)))
    assert flt == from_json_logic(rule, OPEN)


@pytest.mark.slow
@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(filters(), st.lists(parties(), min_size=1, max_size=3))
def test_any_filter_either_raises_filter_error_or_comes_back_selecting_the_same_parties(
    flt: Filter, parties_: list[Party]
) -> None:
    try:
        rule = to_json_logic(flt)
    except FilterError:
        return
    again = from_json_logic(rule, SCHEMA)
    expected = [flt.matches(p, today=TODAY) for p in parties_]
    assert expected == [again.matches(p) for p in parties_]


OPERATORS = [
    "var", "==", "!=", "<", "<=", ">", ">=", "in", "!", "!!", "and", "or", "some", "all",
    "none", "+", "cat", "if", "missing", "===",
]  # fmt: skip
WORDS = ["name", "revenue", "client_since", "tasks", "code", "2024-01-31", ""]
json_rules = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=4)
    | st.sampled_from(WORDS),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(OPERATORS) | st.text(max_size=2), inner, max_size=2)
    ),
    max_leaves=30,
)


@settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
@given(json_rules | mapped_filters.map(to_json_logic), st.booleans())
def test_no_json_input_raises_anything_but_filter_error(rule: Any, with_schema: bool) -> None:
    assert outcome_of(rule, with_schema) in ("a filter", "FilterError at $")


def outcome_of(rule: Any, with_schema: bool) -> str:
    try:
        from_json_logic(rule, SCHEMA if with_schema else OPEN)
    except FilterError as err:
        return f"FilterError at {err.path[:1]}"
    return "a filter"


# --- the current item of a list of values: {"var": ""} inside some / all / none ---

LABELS = {"var": "labels"}


def test_some_with_a_text_test_on_the_current_label_is_any_over_the_labels() -> None:
    flt = from_json_logic({"some": [LABELS, {"in": ["vi", {"var": ""}]}]})
    assert F("labels").any(F(ITEM).contains("vi")) == flt
    assert [True, False] == [
        flt.matches(company(labels=labels)) for labels in ({"VIP", "audit"}, {"audit"})
    ]
    assert {"some": [LABELS, {"in": ["vi", {"var": ""}]}]} == to_json_logic(flt)


def test_all_labels_one_of_a_list_is_false_without_labels_as_in_json_logic() -> None:
    flt = from_json_logic({"all": [LABELS, {"in": [{"var": ""}, ["vip", "audit"]]}]})
    expected = F("labels").not_blank() & ~F("labels").any(F(ITEM).not_in(["vip", "audit"]))
    assert expected.fingerprint() == flt.fingerprint()
    assert [True, False, False] == [
        flt.matches(company(labels=labels)) for labels in ({"VIP"}, {"vip", "nbb"}, set())
    ]


def test_some_and_none_compare_the_current_number_of_a_list_in_the_open_mode() -> None:
    some = from_json_logic({"some": [{"var": "f1"}, {"<": [{"var": ""}, 14]}]}, OPEN)
    none = from_json_logic({"none": [{"var": "f1"}, {"<": [{"var": ""}, 14]}]}, OPEN)
    assert F("f1").any(F(ITEM).lt(14)) == some
    rows = [{"f1": [20, 3]}, {"f1": [20]}, {"f1": []}]
    assert ([True, False, False], [False, True, True]) == (
        [some.matches(r, schema=OPEN) for r in rows],
        [none.matches(r, schema=OPEN) for r in rows],
    )


def test_the_current_item_is_checked_like_any_field() -> None:
    # a label is a text: no number compares with it; a task is a record, not a value
    assert ("$.where.where.value", "filter.value_mismatch") == (
        _fault(F("labels").any(F(ITEM).lt(14)))
    )
    assert ("$.where.where.path", "filter.unknown_path") == (
        _fault(F("tasks").any(F(ITEM).eq("vat")))
    )
    assert ("$.where.path", "filter.unknown_path") == _fault(F(ITEM).eq("x"))
    assert error_of({"==": [{"var": ""}, 1]}, OPEN)[1].endswith("[filter.bad_path]")


def _fault(flt: Filter) -> tuple[str, str]:
    with pytest.raises(FilterError) as caught:
        flt.compile()
    return caught.value.path, caught.value.issues[0].code
