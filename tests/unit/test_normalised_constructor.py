"""normalised_constructor: equal records from normalised values, the same rules across fields."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientcore import ValidationError
from clientcore.model import (
    Address,
    ClientStatus,
    ContactPerson,
    Link,
    LinkKind,
    Location,
    Party,
    PartyKind,
    Task,
    normalised_constructor,
)
from tests.strategies import parties


def _values(record: Any) -> dict[str, Any]:
    return {
        f.alias or f.name: getattr(record, f.name) for f in attrs.fields(type(record)) if f.init
    }


def _issues(error: ValidationError) -> list[tuple[str, str]]:
    return sorted((i.code, i.path) for i in error.issues)


@settings(max_examples=60, deadline=None)
@given(parties())
def test_a_party_from_its_own_values_is_equal(party: Party) -> None:
    made = normalised_constructor(Party)(**_values(party))
    assert made == party
    assert made.folded_labels == party.folded_labels
    for record in (*party.contacts, *party.locations, *party.tasks):
        assert normalised_constructor(type(record))(**_values(record)) == record


@settings(max_examples=60, deadline=None)
@given(parties(), st.data())
def test_only_the_given_fields_and_the_defaults_are_set(party: Party, data: st.DataObject) -> None:
    values = _values(party)
    kept = data.draw(st.sets(st.sampled_from(sorted(values))))
    given_values = {name: values[name] for name in kept | {"kind", "id"}}
    try:
        expected: Party | list[tuple[str, str]] = Party(**given_values)
    except ValidationError as exc:  # a status that needs another kind, dates in disorder...
        expected = _issues(exc)
    try:
        made: Party | list[tuple[str, str]] = normalised_constructor(Party)(**given_values)
    except ValidationError as exc:
        made = _issues(exc)
    assert made == expected


_BROKEN: dict[str, dict[str, Any]] = {
    "person field on a company": {"kind": PartyKind.CLIENT_COMPANY, "first_name": "An"},
    "company field on a person": {"kind": PartyKind.CLIENT_PERSON, "legal_form": "BV"},
    "status of the other kind": {"kind": PartyKind.RELATION_PERSON, "status": ClientStatus.CLIENT},
    "dates out of order": {
        "kind": PartyKind.CLIENT_PERSON,
        "client_since": dt.date(2024, 1, 1),
        "client_until": dt.date(2023, 1, 1),
    },
    "unknown location": {
        "kind": PartyKind.CLIENT_COMPANY,
        "contacts": (ContactPerson(id="c1", location_id="nowhere"),),
    },
    "duplicate ids": {
        "kind": PartyKind.CLIENT_COMPANY,
        "locations": (Location(id="l1"), Location(id="l1")),
    },
    "negative version": {"kind": PartyKind.CLIENT_PERSON, "version": -1},
}


@pytest.mark.parametrize("values", _BROKEN.values(), ids=list(_BROKEN))
def test_the_rules_across_fields_are_checked_as_by_the_constructor(values: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as expected:
        Party(**values)
    with pytest.raises(ValidationError) as got:
        normalised_constructor(Party)(**values)
    assert _issues(got.value) == _issues(expected.value) != []


def test_a_link_to_itself_is_refused_as_by_the_constructor() -> None:
    with pytest.raises(ValidationError) as got:
        normalised_constructor(Link)(kind=LinkKind.PARENT_SUBSIDIARY, from_id="a", to_id="a")
    assert _issues(got.value) == [("link.self", "to_id")]


def test_defaults_and_factories_are_those_of_the_class() -> None:
    made = normalised_constructor(Party)(kind=PartyKind.RELATION_COMPANY)
    assert made.status == Party(kind=PartyKind.RELATION_COMPANY).status
    assert len(made.id) == 32
    assert made.id != normalised_constructor(Party)(kind=made.kind).id
    assert normalised_constructor(Task)(code="vat") == Task(code="vat")
    assert normalised_constructor(Address)() == Address()


def test_a_missing_or_unknown_keyword_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        normalised_constructor(Party)(name="A")
    with pytest.raises(TypeError):
        normalised_constructor(Address)(town="Gent")


def test_the_constructor_is_made_once_per_class() -> None:
    assert normalised_constructor(Party) is normalised_constructor(Party)
    assert normalised_constructor(Address) is not normalised_constructor(Location)


def test_identifiers_are_taken_as_given_in_their_compact_form() -> None:
    # Normalised values include compact identifiers: they are stored as given, and the
    # party equals the one the constructor makes from any way of typing them.
    make = normalised_constructor(Party)
    compact = make(id="p1", kind=PartyKind.CLIENT_COMPANY, enterprise_number="0403170701")
    typed = Party(id="p1", kind=PartyKind.CLIENT_COMPANY, enterprise_number="BE 0403.170.701")
    assert compact == typed
    assert "0403170701" == compact.enterprise_number
    # anything else is not checked (nor compacted): it stays as given
    loose = make(kind=PartyKind.CLIENT_COMPANY, enterprise_number="BE 0403.170.701")
    assert "BE 0403.170.701" == loose.enterprise_number


def test_records_without_rules_of_their_own_are_made_without_a_check() -> None:
    # An address has no rule across its fields: refusals only come from converters, and
    # none ran. A record with rules of its own (a link) still has them checked.
    made = normalised_constructor(Address)(street=" not stripped ", country="be")
    assert " not stripped " == made.street
    with pytest.raises(ValidationError):
        normalised_constructor(Link)(kind=LinkKind.CARD_RELATION, from_id="a", to_id="b")


@settings(max_examples=30, deadline=None)
@given(parties())
def test_a_record_filled_in_through_its_open_twin_is_of_its_own_frozen_class(
    party: Party,
) -> None:
    # Every record of two fields or more is filled in through its open subclass; what
    # comes out is of the class itself, frozen, hashed and compared as one.
    made = normalised_constructor(Party)(**_values(party))
    assert Party is type(made)
    assert hash(party) == hash(made)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        made.name = "changed"  # type: ignore[misc]
    for record in party.contacts:
        contact = normalised_constructor(ContactPerson)(**_values(record))
        assert (ContactPerson, record) == (type(contact), contact)
    link = normalised_constructor(Link)(kind=LinkKind.PARENT_SUBSIDIARY, from_id="a", to_id="b")
    assert (Link, link) == (
        type(link),
        Link(kind="parent_subsidiary", from_id="a", to_id="b", id=link.id),
    )


def test_a_record_whose_factory_reads_it_sees_the_fields_before_it() -> None:
    # Party's status defaults by kind: the factory reads the kind already filled in.
    for kind in PartyKind:
        assert Party(kind=kind).status == normalised_constructor(Party)(kind=kind).status
