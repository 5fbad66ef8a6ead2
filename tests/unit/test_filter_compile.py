from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from clientcore import Party
from clientcore.model import CustomField, FieldType, default_schema, to_row
from clientcore.query import F, Filter, reference_predicate, source_of
from tests.strategies import filters, parties

TODAY = dt.date(2026, 1, 1)


@settings(max_examples=300, deadline=None)
@given(filters(), st.lists(parties(), min_size=1, max_size=4))
def test_compiled_predicate_agrees_with_the_reference_semantics(
    flt: Filter, sample: list[Party]
) -> None:
    fast = flt.compile(today=TODAY)
    slow = reference_predicate(flt, today=TODAY)
    for p in sample:
        assert slow(p) == fast(p), source_of(flt, TODAY)


@settings(max_examples=200, deadline=None)
@given(filters(), st.lists(parties(), min_size=1, max_size=4))
def test_a_party_and_its_row_match_the_same_filters(flt: Filter, sample: list[Party]) -> None:
    fast = flt.compile(today=TODAY)
    for p in sample:
        assert fast(p) == fast(to_row(p))


def test_the_fast_path_reads_attributes_and_binds_values_as_names() -> None:
    src = source_of(F("legal_form").in_(["BV"]) & F("name").starts_with("x'); import os #"))
    assert "r.legal_form" in src
    assert "import os" not in src


def test_a_party_with_values_of_an_unexpected_type_falls_back_to_the_reference() -> None:
    p = Party(kind="client_company", name="A", custom={"fin": {"revenue": "12"}})
    schema = default_schema().with_custom(CustomField("fin", "revenue", FieldType.NUMBER))
    assert (F("custom.fin.revenue") > 10).matches(p, schema=schema)
    assert not (F("custom.fin.revenue") > 20).matches(p, schema=schema)
    # without a schema, the host's custom field is left to the host (the slot is open)
    assert (F("custom.fin.revenue") > 10).matches(p)


@settings(max_examples=150, deadline=None)
@given(
    filters(),
    st.lists(parties(), max_size=5),
    st.lists(
        st.dictionaries(
            st.sampled_from(["name", "labels", "vat_liable", "version"]), st.text(max_size=4)
        ),
        max_size=3,
    ),
)
def test_select_keeps_exactly_what_the_predicate_keeps(
    flt: Filter, sample: list[Party], rows: list[dict[str, str]]
) -> None:
    records: list[object] = [*sample, *rows]
    predicate = flt.compile(today=TODAY)
    assert [r for r in records if predicate(r)] == flt.select(records, today=TODAY)
    assert len(records) == flt.count(iter(records), today=TODAY).total
