"""Every decoder of untrusted input: only clientcore errors escape (fuzzed), and a
10^6-element input is refused by the size check before any per-element work."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any, SupportsIndex

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clientcore.bulk import BulkPlan, Labels
from clientcore.completeness import RuleSet, default_rules
from clientcore.errors import ClientCoreError, FilterError, ValidationError, check_input
from clientcore.model import Party, from_row, party_from_json, party_to_json, to_row
from clientcore.query import ColumnLayout, F, Filter, SavedFilter
from clientcore.status import RolePolicy
from tests.strategies import hostile_json, mutated

AT = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
PARTY = Party(id="p1", kind="client_company", name="Peeters BV", labels={"vip"})
SAVED = SavedFilter("f1", "VAT", "star", "ann", False, F("vat_liable").eq(True), AT, AT)

# name, decoder, a valid document
DECODERS: list[tuple[str, Callable[[Any], object], Any]] = [
    ("policy", RolePolicy.from_json, RolePolicy.default().to_json()),
    ("layout", ColumnLayout.from_json, ColumnLayout.default().to_json()),
    ("rule set", RuleSet.from_json, default_rules().to_json()),
    ("plan", BulkPlan.from_json, BulkPlan(["p1"], [Labels(add={"x"})], id="b1").to_json()),
    ("saved filter", SavedFilter.from_json, SAVED.to_json()),
    ("filter", Filter.from_json, F("name").eq("x").to_json()),
    ("party", party_from_json, party_to_json(PARTY)),
    ("row", from_row, to_row(PARTY)),
]
NAMES = [name for name, _, _ in DECODERS]


def only_clientcore_errors(decode: Callable[[Any], object], data: Any) -> None:
    try:
        decode(data)
    except ClientCoreError as exc:
        for issue in exc.issues:
            assert issue.message("nl")  # renders, whatever the value
    # anything else escapes and fails the test


@pytest.mark.parametrize(("name", "decode", "valid"), DECODERS, ids=NAMES)
def test_each_valid_document_decodes(
    name: str, decode: Callable[[Any], object], valid: Any
) -> None:
    assert decode(json.loads(json.dumps(valid))) is not None


@pytest.mark.parametrize(("name", "decode", "valid"), DECODERS, ids=NAMES)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_decoder_lets_only_clientcore_errors_escape(
    name: str, decode: Callable[[Any], object], valid: Any, data: st.DataObject
) -> None:
    document = data.draw(hostile_json | mutated(json.loads(json.dumps(valid))))
    only_clientcore_errors(decode, document)


class CountingList(list[Any]):
    """A list that counts how often anyone looks at its elements."""

    looked = 0

    def __iter__(self) -> Iterator[Any]:
        CountingList.looked += 1
        return super().__iter__()

    def __getitem__(self, index: SupportsIndex | slice) -> Any:  # type: ignore[override]
        CountingList.looked += 1
        return super().__getitem__(index)


def huge() -> CountingList:
    CountingList.looked = 0
    return CountingList(["x"] * 1_000_000)


HUGE_INPUTS: list[tuple[str, Callable[[Any], object], Callable[[CountingList], Any]]] = [
    ("policy", RolePolicy.from_json, lambda big: {"roles": {"clerk": {"transitions": big}}}),
    ("layout", ColumnLayout.from_json, lambda big: {"clientcore_columns": 1, "visible": big}),
    (
        "rule set",
        RuleSet.from_json,
        lambda big: {"clientcore_rules": 1, "name": "x", "rules": big},
    ),
    (
        "plan",
        BulkPlan.from_json,
        lambda big: {
            "clientcore_bulk_plan": 1,
            "id": "b1",
            "selection": {"filter": None, "ids": big},
            "operations": [],
        },
    ),
    ("saved filter", SavedFilter.from_json, lambda big: {**SAVED.to_json(), "icon": big}),
    (
        "filter",
        Filter.from_json,
        lambda big: {"clientcore_filter": 1, "where": {"path": "name", "op": "in", "value": big}},
    ),
    ("party", party_from_json, lambda big: {"kind": "client_company", "name": "x", "labels": big}),
    ("row", from_row, lambda big: {"kind": "client_company", "name": "x", "labels": big}),
]


@pytest.mark.parametrize(
    ("name", "decode", "build"), HUGE_INPUTS, ids=[n for n, _, _ in HUGE_INPUTS]
)
def test_a_million_elements_are_refused_before_any_element_is_read(
    name: str, decode: Callable[[Any], object], build: Callable[[CountingList], Any]
) -> None:
    data = build(huge())
    with pytest.raises((ValidationError, FilterError)) as caught:
        decode(data)
    assert "input.too_many_items" == caught.value.issues[0].code
    assert 0 == CountingList.looked


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (10**4300, "input.number_too_large"),
        (2**63, "input.number_too_large"),
        ("a\ud800", "input.lone_surrogate"),
        ("x" * 100_001, "input.text_too_long"),
    ],
    ids=["10^4300", "2^63", "lone surrogate", "100001 characters"],
)
def test_huge_numbers_lone_surrogates_and_long_texts_get_their_own_error(
    value: object, code: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        check_input({"a": [value]})
    assert (code, "$.a[0]") == (caught.value.issues[0].code, caught.value.issues[0].path)
    assert 3 == len({caught.value.issues[0].message(lang) for lang in ("en", "nl", "fr")})


def test_limits_allow_the_largest_signed_64_bit_integers() -> None:
    check_input([2**63 - 1, -(2**63)])


def test_nesting_deeper_than_the_limit_is_refused() -> None:
    deep: Any = "x"
    for _ in range(150):
        deep = [deep]
    with pytest.raises(ValidationError) as caught:
        check_input(deep)
    assert "input.too_deep" == caught.value.issues[0].code


def test_party_json_is_as_strict_as_party() -> None:
    for data, path in [
        ({"kind": "client_company", "name": 5}, "$.name"),
        ({"kind": "client_company", "name": "x", "labels": [True, "x"]}, "$.labels[0]"),
        ({"kind": "client_company", "name": [[["x"]]]}, "$.name"),
    ]:
        with pytest.raises(ValidationError) as caught:
            party_from_json(data)
        assert path == caught.value.issues[0].path


def test_a_row_that_is_no_mapping_is_a_validation_error() -> None:
    for row in (5, None, ["kind", "name"]):
        with pytest.raises(ValidationError):
            from_row(row)  # type: ignore[arg-type]
