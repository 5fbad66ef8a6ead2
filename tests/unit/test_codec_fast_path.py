"""from_row's fast path: values put in their converters' form (memoised by distinct
cell), the party made by its normalised constructor. It must give what the reference
path gives, Party(**kwargs) through every converter, for good and bad rows alike."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any
from unittest import mock

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from clientcore import Party, ValidationError
from clientcore.model import COLLECTIONS, _codec, from_row, to_row
from tests.strategies import parties

# Cells as people type them: padded, other words of the vocabulary, and junk.
_VARIANTS: dict[str, list[str]] = {
    "address.country": ["België", "belgie", "Nederland", "Belgium", " be ", "NL", "Mars"],
    "correspondence_address.country": ["Nederland", "BE", "xx"],
    "kind": ["Klant-Bedrijf", "client person", "relation_company", "?"],
    "status": ["klant", "Client", "prospect", "relation", "nonsense"],
    "language": ["Nederlands", "Frans", "EN", "klingon"],
    "legal_form": ["BV", "bvba", "Besloten Vennootschap", "nv"],
    "vat_liable": ["ja", "nee", "Yes", "0", "maybe"],
    "archived": ["true", "non", "x"],
    "portal.enabled": ["oui", "False", "2"],
    "birth_date": ["31/12/1980", "1980-02-30", "yesterday"],
    "client_since": ["01.02.2020", "2020-01-01T10:00:00"],
    "labels": ["vip; audit", " ; ", "a;b;a"],
    "version": ["0", "3", "-1", "1.5", "x"],
    "enterprise_number": ["BE 0403.170.701", "0403170702", "abc"],
    "iban": ["BE68 5390 0754 7034", "NL91ABNA0417164300", "BE00"],
    "phone": ["+32 9 123 45 67", "09 123 45 67", "123"],
    "email": [" An@Example.BE ", "not-an-email"],
    "aml.risk": ["low", "HIGH", "extreme"],
}


@st.composite
def typed_rows(draw: st.DrawFn) -> dict[str, Any]:
    """A row as to_row writes a party, with some cells retyped as people type them."""
    row: dict[str, Any] = dict(to_row(draw(parties())))
    for column in draw(st.sets(st.sampled_from(sorted(_VARIANTS)), max_size=6)):
        row[column] = draw(st.sampled_from(_VARIANTS[column]))
    for column in draw(st.sets(st.sampled_from(sorted(row)), max_size=4)):
        if isinstance(row[column], str):
            row[column] = f"  {row[column]} "
    return row


def _shape(value: Any) -> Any:
    """The value with the type of every part of it: a status must be a ClientStatus,
    not the text it equals."""
    if attrs.has(type(value)):
        return type(value), tuple(_shape(getattr(value, f.name)) for f in attrs.fields(type(value)))
    if isinstance(value, tuple):
        return tuple, tuple(_shape(v) for v in value)
    if isinstance(value, Mapping):
        return dict, sorted((k, _shape(v)) for k, v in value.items())
    return type(value), value


def _outcome(build: Callable[[], Party]) -> Any:
    try:
        return _shape(build())
    except ValidationError as exc:
        return [(i.path, i.code) for i in exc.issues]


def _reference(row: dict[str, Any]) -> Party | list[tuple[str, str]]:
    """The party as Party(**kwargs) makes it, every converter run, no memo."""
    _codec._PARSED.clear()
    with mock.patch.object(_codec, "_normalised_party", return_value=None):
        return _outcome(lambda: from_row(row, trusted=True))


@settings(max_examples=200, deadline=None)
@given(typed_rows())
def test_the_fast_path_gives_what_party_kwargs_gives(row: dict[str, Any]) -> None:
    expected = _reference(row)
    _codec._PARSED.clear()
    cold = _outcome(lambda: from_row(row, trusted=True))
    warm = _outcome(lambda: from_row(row, trusted=True))  # every value from the memo
    assert cold == expected
    assert warm == expected


@settings(max_examples=200, deadline=None)
@given(typed_rows())
def test_a_memoised_value_equals_the_direct_parse(row: dict[str, Any]) -> None:
    _codec._PARSED.clear()
    _outcome(lambda: from_row(row, trusted=True))
    for (column, text), (value, faults, done) in list(_codec._PARSED.items()):
        field = _codec.default_schema().get(column)
        assert field is not None
        step = _codec._step(column, _codec.default_schema(), None)
        direct: list[Any] = []
        parsed = _codec._parse_fresh(field, text, direct)
        assert tuple(direct) == faults
        if done and not faults and parsed is not None:
            assert step[5] is not None
            assert value == step[5](parsed)


@settings(max_examples=100, deadline=None)
@given(parties(), st.data())
def test_json_cell_items_equal_the_records_built_by_their_class(
    party: Party, data: st.DataObject
) -> None:
    row = to_row(party)
    for column, item_type in COLLECTIONS.items():
        if not row.get(column):
            continue
        items = json.loads(row[column])
        for item in items:  # padded texts, as a hand-edited cell holds them
            for key in data.draw(st.sets(st.sampled_from(sorted(item))), label=column):
                if isinstance(item[key], str):
                    item[key] = f" {item[key]}  "
        issues: list[Any] = []
        fast = _codec._parse_json_cell(column, json.dumps(items), issues)
        assert not issues
        assert fast == tuple(item_type(**item) for item in items)
