"""The validator made once per schema judges a party as the rules applied one by one
do: a value passed at a glance is one ``value_issue`` passes, a path read by attribute
is the one ``read_path`` reads, and the issues are the same, in the same order."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from clientcore import ContactPerson, CustomField, Issue, Party
from clientcore.model import (
    IDENTIFIERS,
    Address,
    ClientStatus,
    Field,
    FieldType,
    PartyKind,
    Schema,
    default_schema,
    party_validator,
    read_path,
    structural_issues,
    validate_party,
    value_issue,
)
from clientcore.model._paths import attribute_reader
from clientcore.model._schema import value_checker
from clientcore.sample import generate
from tests.strategies import junk, parties


class _Kind(enum.StrEnum):
    A = "client_company"
    B = "nobody"


class _Text(str):
    __slots__ = ()


class _Moment(dt.datetime):
    pass


_values = st.one_of(
    junk,
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.sampled_from(
        [
            "nl",
            "client",
            "low",
            "unknown",
            _Text("nl"),
            _Kind.A,
            _Kind.B,
            PartyKind.CLIENT_PERSON,
            ClientStatus.CLIENT,
            frozenset({"vip"}),
            {"vip"},
            ("a",),
            1.5,
            True,
            _Moment(2020, 1, 1),
        ]
    ),
)


@settings(max_examples=400)
@given(st.sampled_from(default_schema().fields), _values)
def test_the_value_checker_gives_what_value_issue_gives(field: Field, value: Any) -> None:
    assert value_checker(field)(value) == value_issue(field, value)


def test_the_value_checker_refuses_a_choice_outside_the_choices() -> None:
    language = default_schema().field("language")
    assert value_checker(language)("nl") is None
    issue = value_checker(language)("xx")
    assert issue is not None
    assert issue.code == "value.invalid_choice"
    assert value_checker(language)(_Text("xx")) == value_issue(language, _Text("xx"))
    assert value_checker(language)(_Text("xx")) is not None


def test_the_attribute_reader_reads_what_read_path_reads() -> None:
    people = generate(200, seed=3)
    people.append(Party(kind="client_person", name="An"))  # no address, no eid
    for path in default_schema().paths:
        if path.startswith("custom."):
            continue
        read = attribute_reader(path)
        for party in people:
            assert read(party) == read_path(party, path), path


def test_a_three_step_path_is_read_by_attribute() -> None:
    class Box:
        def __init__(self, inner: object) -> None:
            self.inner = inner

    read = attribute_reader("inner.inner.inner")
    assert read(Box(Box(Box("x")))) == "x"
    assert read(Box(None)) is None
    assert read(Box(Box(None))) is None


def _reference(party: Party, schema: Schema | None = None) -> list[Issue]:
    """The rules applied one by one, every path read with ``read_path`` (as
    ``validate_party`` did before it was made once per schema)."""
    catalogue = schema or default_schema()
    issues = structural_issues(party)
    if not party.name:
        issues.append(Issue("party.name.blank", "name"))
    country = party.address.country if party.address is not None else None
    for path, ident in IDENTIFIERS.items():
        if path.startswith("contacts."):
            continue
        value = read_path(party, path)
        if value is None:
            continue
        where = country
        if path.startswith("correspondence_address."):
            ca = party.correspondence_address
            where = ca.country if ca is not None else None
        found = ident.explain(value, where)
        if found is not None:
            issues.append(Issue(found.code, path, found.params))
    for field in catalogue.top_level():
        if field.custom or field.identifier or field.type is FieldType.COLLECTION:
            continue
        found = value_issue(field, read_path(party, field.path))
        if found is not None:
            issues.append(found)
    for collection, items in (
        ("contacts", party.contacts),
        ("correspondence", party.correspondence),
    ):
        for index, item in enumerate(items):
            for name in ("email", "phone"):
                value = getattr(item, name)
                if value is not None:
                    found = IDENTIFIERS["contacts." + name].explain(value, country)
                    if found is not None:
                        issues.append(
                            Issue(found.code, f"{collection}[{index}].{name}", found.params)
                        )
    for index, location in enumerate(party.locations):
        address = location.address
        if address is not None and address.postal_code is not None:
            found = IDENTIFIERS["address.postal_code"].explain(
                address.postal_code, address.country or country
            )
            if found is not None:
                path = f"locations[{index}].address.postal_code"
                issues.append(Issue(found.code, path, found.params))
    for category, values in party.custom.items():
        for key, value in values.items():
            path = f"custom.{category}.{key}"
            field = catalogue.get(path)
            if field is None:
                if schema is not None:
                    suggestion = catalogue.suggest(path)
                    issues.append(Issue("field.unknown", path, {"suggestion": suggestion or ""}))
                continue
            found = value_issue(field, value)
            if found is not None:
                issues.append(found)
    return issues


_bad_text = st.sampled_from(["an@", "x", "BE00", "12", "+32", "0999", "not-an-email@", " "])


@st.composite
def _parties_with_bad_values(draw: st.DrawFn) -> Party:
    party = draw(parties())
    changes: dict[str, Any] = {}
    for name in ("email", "iban", "phone", "national_number", "vat_number", "website"):
        if draw(st.booleans()):
            changes[name] = draw(_bad_text | st.text(max_size=12))
    if draw(st.booleans()):
        changes["address"] = Address(
            postal_code=draw(_bad_text), country=draw(st.sampled_from([None, "BE", "NL", "FR"]))
        )
    if draw(st.booleans()):
        changes["name"] = ""
    if draw(st.booleans()):
        changes["contacts"] = [ContactPerson(email=draw(_bad_text), phone=draw(_bad_text))]
    try:
        return attrs.evolve(party, **changes)
    except Exception:
        return party


@settings(max_examples=60, deadline=None)
@given(_parties_with_bad_values())
def test_a_validator_made_once_judges_every_party_as_the_rules_one_by_one(party: Party) -> None:
    expected = _reference(party)
    assert party_validator()(party) == expected
    assert validate_party(party) == expected


def test_a_validator_serves_many_parties_and_reports_every_bad_value() -> None:
    check = party_validator()
    people = generate(300, seed=5)
    people.append(Party(kind="client_person", name="An", email="an@", iban="BE00"))
    for party in people:
        assert check(party) == _reference(party)
    assert [i.path for i in check(people[-1])] == ["iban", "email"]


def test_a_validator_with_a_schema_refuses_unknown_custom_values() -> None:
    schema = default_schema().with_custom(
        CustomField(category="crm", key="score", type=FieldType.NUMBER, labels=("S", "S", "S"))
    )
    party = Party(kind="client_person", name="An", custom={"crm": {"score": "high", "x": 1}})
    found = party_validator(schema)(party)
    assert found == _reference(party, schema) == validate_party(party, schema)
    codes = [(i.path, i.code) for i in found]
    assert ("custom.crm.x", "field.unknown") in codes
    assert ("custom.crm.score", "value.invalid_type") in codes
    # without a schema an unknown custom value is not refused
    assert ("custom.crm.x", "field.unknown") not in [
        (i.path, i.code) for i in party_validator()(party)
    ]


def test_an_empty_schema_reads_the_default_catalogue_and_refuses_unknown_custom_values() -> None:
    party = Party(kind="client_person", name="An", custom={"crm": {"x": 1}})
    found = party_validator(Schema(()))(party)
    assert found == _reference(party, Schema(()))
    assert [i.code for i in found] == ["field.unknown"]
