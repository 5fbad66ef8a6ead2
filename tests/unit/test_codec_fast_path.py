"""from_row's fast path: values put in their converters' form (memoised by distinct
cell), the party made by its normalised constructor. It must give what the reference
path gives, Party(**kwargs) through every converter, for good and bad rows alike."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any
from unittest import mock

import attrs
from hypothesis import example, given, settings
from hypothesis import strategies as st

from clientcore import Party, ValidationError
from clientcore.model import COLLECTIONS, _codec, _values, from_row, parse_date, to_row
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


# JSON values a cell may hold: integers of every size (64 bits and beyond), floats,
# texts with long runs of digits (phone numbers, ids), nested lists and objects.
_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**25), max_value=10**25)
    | st.sampled_from([2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 10**18, -(10**18), 10**19])
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet="0123456789+ -a", max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


def _cell_outcome(column: str, text: str) -> Any:
    issues: list[Any] = []
    value = _codec._parse_json_cell(column, text, issues)
    if isinstance(value, tuple):  # an item without id gets a fresh one
        value = tuple(attrs.evolve(v, id="-") if hasattr(v, "id") else v for v in value)
    return _shape(value), [(i.code, i.path, dict(i.params)) for i in issues]


@settings(max_examples=300, deadline=None)
@example("tasks", [{"code": "vat", "n": 10**19}])
@example("contacts", 2**63)
@given(
    st.sampled_from([*COLLECTIONS, "acceptance"]),
    st.lists(
        st.fixed_dictionaries({"code": st.just("vat")}, optional={"n": _json_values})
        | _json_values,
        max_size=3,
    )
    | _json_values,
)
def test_a_json_cell_reads_as_when_every_cell_is_checked_in_full(column: str, data: Any) -> None:
    text = json.dumps(data)
    # the reference: json.loads, then check_input on every cell whatever it holds
    with (
        mock.patch.object(_codec, "_CELL_JSON", json.JSONDecoder()),
        mock.patch.object(_codec, "_plain_json", return_value=False),
    ):
        expected = _cell_outcome(column, text)
    assert _cell_outcome(column, text) == expected


def _date_outcome(parse: Callable[[], Any]) -> Any:
    try:
        return parse()
    except ValidationError as exc:
        return [(i.code, dict(i.params)) for i in exc.issues]


@settings(max_examples=500, deadline=None)
@given(
    st.dates().map(dt.date.isoformat)
    | st.text(alphabet="0123456789-/.W T:", min_size=8, max_size=12)
    | st.from_regex(r"\s?\d{4}-\d{2}-\d{2}\s?", fullmatch=True),
    st.sampled_from(["dmy", "mdy"]),
)
def test_an_iso_date_read_directly_equals_the_memoised_parse(text: str, order: Any) -> None:
    expected = (
        None
        if not text.strip()
        else _date_outcome(lambda: _values._parse_date_text.__wrapped__(text.strip(), order))
    )
    assert _date_outcome(lambda: parse_date(text, order)) == expected
