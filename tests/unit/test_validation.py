from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientcore import ContactPerson, CustomField, Issue, Party, ValidationError
from clientcore.model import (
    Address,
    AmlProfile,
    FieldType,
    GeneralCorrespondence,
    Location,
    check_party,
    default_schema,
    read_path,
    validate_party,
    value_issue,
)
from tests.strategies import parties


def found(party: Party, schema: object = None) -> list[tuple[str, str]]:
    return [(i.path, i.code) for i in validate_party(party, schema)]  # type: ignore[arg-type]


def test_a_complete_company_has_no_issues() -> None:
    p = Party(
        kind="client_company",
        name="Peeters BV",
        enterprise_number="0403170701",
        email="info@peeters.be",
        phone="+3292345678",
        address=Address("Veldstraat 1", "9000", "Gent", "BE"),
        iban="BE71096123456769",
    )
    assert found(p) == []
    assert p is check_party(p)


def test_every_issue_is_reported_not_the_first() -> None:
    p = Party(
        kind="client_person",
        name="",
        national_number="85073003329",
        email="jan@",
        contacts=[ContactPerson(id="c", email="nope")],
    )
    issues = found(p)
    assert ("name", "party.name.blank") in issues
    assert ("national_number", "identifier.invalid_checksum") in issues
    assert ("email", "identifier.invalid_format") in issues
    assert ("contacts[0].email", "identifier.invalid_format") in issues


def test_the_phone_region_comes_from_the_country_of_the_address() -> None:
    nl = Party(kind="client_company", name="A", phone="020 123 4567", address=Address(country="NL"))
    assert found(nl) == []


def test_a_postal_code_is_checked_for_its_country() -> None:
    p = Party(kind="client_company", name="A", address=Address(postal_code="12", country="BE"))
    assert found(p) == [("address.postal_code", "identifier.invalid_length")] or found(p) == [
        ("address.postal_code", "identifier.invalid_format")
    ]


def test_a_value_of_the_wrong_type_is_reported() -> None:
    p = Party(kind="client_company", name="A", language="xx")
    assert found(p) == [("language", "value.invalid_choice")]


def test_custom_values_are_checked_against_the_schema() -> None:
    schema = default_schema().with_custom(CustomField("kyc", "score", FieldType.NUMBER))
    p = Party(kind="client_company", name="A", custom={"kyc": {"score": "high", "scor": 1}})
    issues = found(p, schema)
    assert ("custom.kyc.score", "value.invalid_type") in issues
    assert ("custom.kyc.scor", "field.unknown") in issues
    assert found(p) == []  # without a schema, custom values are not judged


def test_messages_exist_in_three_languages() -> None:
    p = Party(kind="client_person", name="", national_number="85073003329")
    with pytest.raises(ValidationError) as err:
        check_party(p)
    for issue in err.value.issues:
        en, nl, fr = (issue.message(lang) for lang in ("en", "nl", "fr"))
        assert len({en, nl, fr}) == 3, issue


def test_general_correspondence_emails_and_phones_are_validated() -> None:
    p = Party(
        kind="client_company",
        name="A",
        correspondence=[GeneralCorrespondence(id="g1", email="board@", phone="12")],
    )
    assert [
        ("correspondence[0].email", "identifier.invalid_format"),
        ("correspondence[0].phone", "identifier.invalid_format"),
    ] == [(path, code.replace("invalid_length", "invalid_format")) for path, code in found(p)]


def test_location_postal_codes_are_checked_for_the_location_country() -> None:
    p = Party(
        kind="client_company",
        name="A",
        address=Address(country="BE"),
        locations=[
            Location(id="ams", address=Address(postal_code="1011AB", country="NL")),
            Location(id="gent", address=Address(postal_code="90000")),
        ],
    )
    assert ["locations[1].address.postal_code"] == [path for path, _ in found(p)]


def test_a_message_in_an_unknown_language_falls_back_to_english() -> None:
    issue = Issue("party.name.blank", "name")
    assert issue.message("en") == issue.message("de") == issue.message("")


def test_issue_params_are_read_only() -> None:
    issue = Issue("party.version.negative", "version", {"value": -1})
    with pytest.raises(TypeError):
        issue.params["value"] = 0  # type: ignore[index]
    assert {"value": -1} == dict(issue.params)
    assert issue == Issue("party.version.negative", "version", {"value": -1})


# --- the value checks, read in batches, report what a field-by-field reading reports ---


def _field_by_field(party: Party) -> list[tuple[str, str]]:
    """The value issues of ``party``, each field read and judged on its own, in order."""
    out = []
    for field in default_schema().top_level():
        if field.custom or field.identifier or field.type is FieldType.COLLECTION:
            continue
        issue = value_issue(field, read_path(party, field.path))
        if issue is not None:
            out.append((issue.path, issue.code))
    return out


_VALUE_CODES = ("value.",)


@settings(max_examples=300, deadline=None)
@given(
    parties(),
    st.sampled_from([None, "xx", "nl", 5]),
    st.sampled_from([None, "extreme", "low", "high"]),
)
def test_the_value_checks_report_what_each_field_read_alone_reports(
    party: Party, language: object, risk: str | None
) -> None:
    # a value the constructor refuses is put in place as a stored party could hold it
    if language is not None:
        object.__setattr__(party, "language", language)
    if risk is not None:
        aml = party.aml if party.aml is not None else AmlProfile()
        object.__setattr__(aml, "risk", risk)
        object.__setattr__(party, "aml", aml)
    issues = [(path, code) for path, code in found(party) if code.startswith(_VALUE_CODES)]
    assert issues == _field_by_field(party)
