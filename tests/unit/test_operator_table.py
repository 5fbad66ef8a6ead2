"""The operator table is the one place an operator is defined, and every back end agrees
with its reference meaning."""

from __future__ import annotations

import ast
import json
import pathlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientcore import FilterError
from clientcore.query import OPEN, OPERATORS, F, Filter, Op, Shape
from clientcore.query.jsonlogic import from_json_logic

SRC = pathlib.Path(__file__).parents[2] / "src" / "clientcore"
DATA = pathlib.Path(__file__).parents[1] / "data"
NAMES = {str(op) for op in Op}
# Strings that equal an operator's name but are another vocabulary's words: a search
# match kind ("contains") and a field type's "applies to any party" ("any").
# A re-import bucket, an address look-up's outcome and a profile fault say "invalid" of a
# record, not of an identifier condition.
ELSEWHERE = {
    ("query/_search.py", "contains"),
    ("model/_schema.py", "any"),
    ("sync/_diff.py", "invalid"),
    ("sync/_render.py", "invalid"),
    ("actions/_addresses.py", "invalid"),
    ("actions/_addresses.py", "valid"),
    ("io/_profile.py", "invalid"),
}


def _literals(path: pathlib.Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in NAMES
        and id(node) not in docs
    ]


def test_no_operator_name_is_written_outside_the_operator_table() -> None:
    found = sorted(
        (str(path.relative_to(SRC)), literal)
        for path in SRC.rglob("*.py")
        if path.name != "_operators.py"
        for literal in _literals(path)
        if (str(path.relative_to(SRC)), literal) not in ELSEWHERE
    )
    assert [] == found


def test_every_operator_has_one_row_with_words_in_three_languages() -> None:
    assert set(Op) == set(OPERATORS)
    for op, row in OPERATORS.items():
        assert op == row.op
        assert 3 == len(row.words)
        assert all("{path}" in w for w in row.words)


def test_a_complement_is_mutual_and_blank_rules_agree() -> None:
    for row in OPERATORS.values():
        if row.complement is not None:
            other = OPERATORS[row.complement]
            assert row.op == other.complement
            assert row.blank_matches != other.blank_matches


BLANKS = [None, "", "   ", (), frozenset(), []]
OPERANDS: dict[Shape, Any] = {
    Shape.SCALAR: "x",
    Shape.TEXT: "x",
    Shape.LIST: ("x",),
    Shape.PAIR: (1, 5),
    Shape.NONE: None,
    Shape.FILTER: lambda item: True,
    Shape.CHECK: lambda value: True,
}


@pytest.mark.parametrize("op", sorted(Op))
def test_each_operator_treats_blanks_as_its_row_says(op: Op) -> None:
    row = OPERATORS[op]
    for blank in BLANKS:
        assert row.blank_matches == row.reference(blank, OPERANDS[row.shape], str.casefold)


TEXTS = st.sampled_from(["Café", "cafe", "CAFE", "café", "Cafe\u0301", "bakker", "", "  ", "ß"])
VALUES = st.none() | TEXTS | st.integers(-3, 3) | st.booleans() | st.lists(TEXTS, max_size=3)


@st.composite
def leaves(draw: st.DrawFn) -> Filter:
    op = draw(st.sampled_from(sorted(o for o in Op if OPERATORS[o].shape is not Shape.CHECK)))
    path = draw(st.sampled_from(["name", "labels", "revenue"]))
    row = OPERATORS[op]
    flags = {}
    if row.switches:
        flags = {"case_sensitive": draw(st.booleans()), "accent_sensitive": draw(st.booleans())}
    text = draw(TEXTS)
    if row.shape is Shape.NONE:
        return F(path)._cond(op)
    if row.shape is Shape.FILTER:
        return F("tasks").any(F("code").eq(text))
    if row.shape is Shape.LIST:
        return F(path)._cond(op, tuple(draw(st.lists(TEXTS, max_size=3))), **flags)
    if row.shape is Shape.PAIR:
        return F(path)._cond(op, (draw(st.integers(-3, 3)), draw(st.integers(-3, 3))))
    if op in (Op.LT, Op.LE, Op.GT, Op.GE):
        return F(path)._cond(op, draw(st.integers(-3, 3) | TEXTS))
    return F(path)._cond(op, text, **flags)


@settings(max_examples=400, deadline=None)
@given(leaves(), VALUES, st.lists(st.fixed_dictionaries({"code": TEXTS}), max_size=2))
def test_the_compiled_predicate_agrees_with_the_reference_meaning(
    flt: Filter, value: Any, tasks: list[dict[str, Any]]
) -> None:
    record = {"name": value, "labels": value, "revenue": value, "tasks": tasks}
    from clientcore.query import reference_predicate

    # a record of its own shape (revenue is no field of the catalogue): the open mode
    assert reference_predicate(flt)(record) == flt.compile(OPEN)(record)


# --- hostile text ---


@pytest.mark.parametrize(
    "where",
    [
        {"path": "name", "op": "eq", "value": "\ud800"},
        {"path": "na\udfffme", "op": "blank"},
        {"path": "name", "op": "in", "value": ["a", "\udc00"]},
        {"path": "name", "op": "contains", "value": "x\ud83d"},
    ],
)
def test_a_lone_surrogate_is_refused_by_the_decoder(where: dict[str, Any]) -> None:
    with pytest.raises(FilterError) as err:
        Filter.from_json({"clientcore_filter": 1, "where": where})
    # every decoder of untrusted input refuses it with the one input check
    assert "input.lone_surrogate" == err.value.issues[0].code


def test_a_lone_surrogate_is_refused_by_json_logic_and_the_builder() -> None:
    with pytest.raises(FilterError):
        from_json_logic({"==": [{"var": "name"}, json.loads('"\\ud800"')]})
    with pytest.raises(FilterError):
        F("name").eq("\ud800")


@given(st.text(max_size=8))
def test_fingerprint_never_raises_for_a_filter_that_decoded(text: str) -> None:
    try:
        flt = Filter.from_json(
            {"clientcore_filter": 1, "where": {"path": "name", "op": "eq", "value": text}}
        )
    except FilterError:
        return
    assert 64 == len(flt.fingerprint())


def test_ordering_against_true_or_false_is_refused() -> None:
    with pytest.raises(FilterError) as err:
        F("revenue").gt(True)
    assert "filter.ordering_bool" == err.value.issues[0].code


# --- JsonLogic as the query builders write it ---

VECTORS = json.loads((DATA / "jsonlogic_builder_vectors.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", VECTORS["imports"], ids=lambda c: json.dumps(c["rule"])[:60])
def test_a_builder_rule_imports_as_the_expected_filter(case: dict[str, Any]) -> None:
    # the builders' own fields (num, login, color, tags): the open mode
    expected = Filter.from_json({"clientcore_filter": 1, "where": case["json"]}, OPEN)
    assert expected == from_json_logic(case["rule"], OPEN)


@pytest.mark.parametrize("case", VECTORS["refusals"], ids=lambda c: json.dumps(c["rule"])[:60])
def test_a_rule_without_a_faithful_filter_is_refused_naming_why(case: dict[str, Any]) -> None:
    with pytest.raises(FilterError) as err:
        from_json_logic(case["rule"], OPEN)
    assert case["code"] == err.value.issues[0].code


def test_the_documented_operator_table_is_the_operator_table() -> None:
    from clientcore.query._operators import markdown_table

    page = (SRC.parents[1] / "docs" / "filters.md").read_text(encoding="utf-8")
    documented = page.split("<!-- operator-table:start -->\n")[1].split("<!-- operator-")[0]
    assert markdown_table() == documented
