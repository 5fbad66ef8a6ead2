from __future__ import annotations

import re
from pathlib import Path

import pytest

from clientcore import CustomField, UnknownField, ValidationError
from clientcore.model import FieldType, default_schema

REQUIRED = """id, kind, number, name, status, language, legal_form, vat_liable, national_number,
enterprise_number, vat_number, bsn, kvk_number, iban, email, phone, website, address.street,
address.postal_code, address.city, address.country, correspondence_address.street,
correspondence_address.postal_code, correspondence_address.city,
correspondence_address.country, labels, portfolio, client_since, client_until,
eid.card_number, eid.valid_until, aml.risk, aml.verified_on, billing.mode,
billing.invoice_layout, portal.enabled, portal.forms_allowed, staff.partner, staff.declarant,
staff.owner, tasks, tasks.code, tasks.active, tasks.period, tasks.start, contacts,
contacts.first_name, contacts.last_name, contacts.email, contacts.phone, contacts.role,
contacts.archived, locations, locations.name, last_verified_on, archived, marked_for_deletion,
attention, version"""

DOCS = Path(__file__).resolve().parents[2] / "docs" / "fields.md"


def test_every_public_path_exists_with_its_exact_name() -> None:
    paths = set(default_schema().paths)
    required = {p.strip() for p in REQUIRED.replace("\n", " ").split(",")}
    assert set() == required - paths


def test_every_field_has_three_labels_and_a_group() -> None:
    for field in default_schema():
        assert all(field.labels), field.path
        assert field.group, field.path
        assert field.label("nl") == field.labels[1]


def test_an_unknown_path_suggests_the_nearest() -> None:
    with pytest.raises(UnknownField) as err:
        default_schema().field("adress.city")
    assert err.value.suggestion == "address.city"
    assert "address.city" in err.value.issues[0].message("fr")


def test_bulk_editable_fields_are_the_ones_the_grid_edits_in_bulk() -> None:
    editable = {f.path for f in default_schema().bulk_editable()}
    assert {
        "legal_form",
        "language",
        "aml.risk",
        "client_since",
        "vat_liable",
        "portfolio",
        "staff.partner",
        "billing.mode",
        "portal.forms_allowed",
        "labels",
    } <= editable
    assert not {"status", "id", "version", "national_number"} & editable


def test_custom_fields_appear_under_custom_category_key() -> None:
    schema = default_schema().with_custom(
        CustomField("kyc", "risk_score", FieldType.NUMBER, ("Risk score", "Risicoscore", "Score")),
        CustomField("kyc", "origin", FieldType.CHOICE, choices=["salary", "gift"]),
    )
    field = schema.field("custom.kyc.risk_score")
    assert (
        field.type,
        field.label("nl"),
        field.group,
    ) == (FieldType.NUMBER, "Risicoscore", "custom:kyc")
    assert schema.field("custom.kyc.origin").choices == ("salary", "gift")
    assert "custom.kyc.origin" not in default_schema()


def test_a_bad_custom_field_is_refused_with_every_reason() -> None:
    with pytest.raises(ValidationError) as err:
        default_schema().with_custom(CustomField("", "x"), CustomField("a", "b", FieldType.CHOICE))
    assert len(err.value.issues) == 2


def test_collection_items_have_their_own_fields() -> None:
    tasks = default_schema().item_fields("tasks")
    assert {"code", "active", "period", "start"} == set(tasks.paths)
    with pytest.raises(ValidationError):
        default_schema().item_fields("name")


def test_docs_fields_md_lists_every_field_of_the_catalogue() -> None:
    text = DOCS.read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_.]+)` \|", text, re.M))
    assert set(default_schema().paths) == documented


def test_docs_fields_md_holds_the_generated_table() -> None:
    assert default_schema().to_markdown() in DOCS.read_text(encoding="utf-8")


def test_the_suggestion_reads_in_every_language() -> None:
    with pytest.raises(UnknownField) as err:
        default_schema().field("adress.city")
    issue = err.value.issues[0]
    assert "did you mean 'address.city'" in issue.message("en")
    assert "bedoelde u 'address.city'" in issue.message("nl")
    assert "vouliez-vous dire 'address.city'" in issue.message("fr")
