from __future__ import annotations

import contextlib
import datetime as dt
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientcore import CustomField, Party, ValidationError
from clientcore.model import (
    FieldType,
    Schema,
    default_schema,
    from_row,
    party_from_json,
    party_to_json,
    read_csv,
    row_columns,
    rows_to_csv_text,
    to_row,
)
from tests.strategies import CUSTOM_VALUES, junk, parties


def issue_paths(err: pytest.ExceptionInfo[ValidationError]) -> list[tuple[str, str]]:
    return [(i.path, i.code) for i in err.value.issues]


def custom_schema(party: Party) -> Schema:
    """The catalogue declaring the party's typed custom fields (see CUSTOM_VALUES)."""
    return default_schema().with_custom(
        *(
            CustomField(category, key, FieldType(kind))
            for category in party.custom
            for key, (kind, _) in CUSTOM_VALUES.items()
        )
    )


@settings(max_examples=150, deadline=None)
@given(parties())
def test_a_party_survives_to_row_and_back(party: Party) -> None:
    schema = custom_schema(party)
    assert party == from_row(to_row(party, schema), schema, trusted=True)


@settings(max_examples=100, deadline=None)
@given(parties())
def test_to_row_of_from_row_is_stable(party: Party) -> None:
    schema = custom_schema(party)
    row = to_row(party, schema)
    assert row == to_row(from_row(row, schema, trusted=True), schema)


@settings(max_examples=150, deadline=None)
@given(parties())
def test_a_party_survives_its_json_and_back_with_typed_custom_values(party: Party) -> None:
    data = json.loads(json.dumps(party_to_json(party)))
    assert party == party_from_json(data, custom_schema(party), trusted=True)


def test_without_a_schema_a_custom_date_comes_back_from_json_as_text() -> None:
    p = Party(kind="client_company", name="A", custom={"kyc": {"since": dt.date(2024, 5, 1)}})
    assert "2024-05-01" == party_from_json(party_to_json(p)).custom_value("kyc", "since")


def test_a_custom_date_that_is_not_a_date_is_refused_from_json_with_its_path() -> None:
    schema = default_schema().with_custom(CustomField("kyc", "since", FieldType.DATE))
    data = {"kind": "client_company", "name": "A", "custom": {"kyc": {"since": "soon"}}}
    with pytest.raises(ValidationError) as err:
        party_from_json(data, schema)
    assert [("$.custom.kyc.since", "value.invalid_date")] == issue_paths(err)


def test_cells_are_typed_by_the_catalogue() -> None:
    p = from_row(
        {
            "kind": "client_company",
            "name": "A",
            "vat_liable": "true",
            "client_since": "2020-01-31",
            "portal.enabled": "false",
            "version": "3",
            "labels": "a;b",
            "aml.risk": "low",
        }
    )
    assert (True, dt.date(2020, 1, 31), False, 3, frozenset("ab"), "low") == (
        p.vat_liable,
        p.client_since,
        p.portal.enabled,
        p.version,
        p.labels,
        p.aml.risk,  # type: ignore[union-attr]
    )


def test_a_row_without_id_gets_a_fresh_one() -> None:
    a = from_row({"kind": "client_company", "name": "A"})
    b = from_row({"kind": "client_company", "name": "A"})
    assert a.id
    assert b.id
    assert a.id != b.id


def test_empty_cells_are_absent() -> None:
    p = from_row(
        {"kind": "client_person", "name": "A", "email": " ", "legal_form": "", "tasks": ""}
    )
    assert (p.email, p.tasks) == (None, ())


def test_every_bad_cell_is_reported_with_its_column() -> None:
    with pytest.raises(ValidationError) as err:
        from_row(
            {
                "kind": "client_company",
                "name": "A",
                "vat_liable": "maybe",
                "client_since": "01/31/2020",
                "version": "v2",
                "tasks": "[{",
                "adress.city": "Gent",
                "language": "xx",
            }
        )
    assert {
        ("vat_liable", "value.invalid_bool"),
        ("client_since", "value.invalid_date"),
        ("version", "value.invalid_number"),
        ("tasks", "row.invalid_json"),
        ("adress.city", "row.unknown_column"),
        ("language", "value.invalid_language"),
    } == set(issue_paths(err))
    unknown = next(i for i in err.value.issues if i.code == "row.unknown_column")
    assert "address.city" in unknown.message()


def test_a_task_cell_of_the_wrong_shape_is_reported() -> None:
    with pytest.raises(ValidationError) as err:
        from_row({"kind": "client_company", "name": "A", "tasks": '[{"code": "vat", "x": 1}]'})
    assert issue_paths(err) == [("tasks", "row.invalid_json")]


def test_valid_identifiers_are_stored_compact_and_invalid_ones_as_given() -> None:
    p = from_row(
        {
            "kind": "client_company",
            "name": "A",
            "enterprise_number": "BE 0403.170.701",
            "phone": "02 123 45 67",
            "address.country": "BE",
            "iban": "BE00 1234",
        }
    )
    assert (p.enterprise_number, p.phone, p.iban) == ("0403170701", "+3221234567", "BE00 1234")


def test_custom_cells_are_typed_with_a_schema() -> None:
    schema = default_schema().with_custom(CustomField("kyc", "score", FieldType.NUMBER))
    p = from_row({"kind": "client_company", "name": "A", "custom.kyc.score": "7"}, schema)
    assert p.custom_value("kyc", "score") == 7
    assert "custom.kyc.score" in row_columns(schema)
    untyped = from_row({"kind": "client_company", "name": "A", "custom.kyc.score": "7"})
    assert untyped.custom_value("kyc", "score") == "7"
    with pytest.raises(ValidationError):
        from_row({"kind": "client_company", "name": "A", "custom.kyc.scor": "7"}, schema)


def test_external_keys_have_their_own_columns() -> None:
    p = from_row({"kind": "client_company", "name": "A", "external.adminpulse": "AP-1"})
    assert p.external_keys == {"adminpulse": "AP-1"}
    assert to_row(p)["external.adminpulse"] == "AP-1"


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from([*row_columns(), "x", "kind"]), junk, max_size=6))
def test_from_row_raises_only_validation_error_on_junk(row: dict[str, object]) -> None:
    with contextlib.suppress(ValidationError):
        from_row(row)


@settings(max_examples=200, deadline=None)
@given(
    junk | st.dictionaries(st.sampled_from(["id", "kind", "name", "tasks", "labels", "zzz"]), junk)
)
def test_party_from_json_raises_only_validation_error_on_junk(data: object) -> None:
    with contextlib.suppress(ValidationError):
        party_from_json(data)


def test_party_from_json_refuses_unknown_keys_with_a_path() -> None:
    with pytest.raises(ValidationError) as err:
        party_from_json({"kind": "client_company", "name": "A", "colour": "red"})
    assert err.value.issues[0].code == "json.invalid"


def test_read_csv_reports_every_bad_row_and_keeps_going() -> None:
    good = Party(id="p1", kind="client_company", name="A")
    text = rows_to_csv_text([good])
    lines = text.splitlines()
    header = lines[0].split(",")
    bad = dict.fromkeys(header, "")
    bad.update({"id": "p2", "kind": "client_company", "name": "B", "vat_liable": "maybe"})
    bad2 = dict(bad, id="p3", kind="nope")
    buffer = io.StringIO()
    import csv

    writer = csv.DictWriter(buffer, fieldnames=header)
    writer.writeheader()
    writer.writerow(bad)
    writer.writerow(dict(zip(header, next(csv.reader([lines[1]])))))
    writer.writerow(bad2)
    buffer.seek(0)
    results = list(read_csv(buffer))
    assert [r.row for r in results] == [2, 3, 4]
    assert [r.ok for r in results] == [False, True, False]
    assert [(i.path, i.code) for i in results[0].issues] == [("vat_liable", "value.invalid_bool")]
    assert good == results[1].party


def test_read_csv_accepts_semicolons(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "in.csv"
    path.write_text("kind;name;labels\nclient_company;Peeters;vip\n", encoding="utf-8")
    [result] = list(read_csv(path))
    assert ("Peeters", frozenset({"vip"})) == (result.party.name, result.party.labels)  # type: ignore[union-attr]


def test_read_csv_reports_a_row_with_too_many_cells() -> None:
    results = list(read_csv(io.StringIO("kind,name\nclient_company,A,extra\n")))
    assert [i.code for i in results[0].issues] == ["csv.invalid"]


def test_read_csv_counts_records_when_a_cell_spans_lines() -> None:
    text = 'kind,name,attention\nclient_company,A,"two\nlines"\nclient_company,B,x\n'
    assert [2, 3] == [r.row for r in read_csv(io.StringIO(text))]


# --- every bad cell, whatever kind of fault ---


def test_a_row_reports_bad_cells_and_constructor_faults_together() -> None:
    with pytest.raises(ValidationError) as err:
        from_row({"kind": "nope", "client_since": "bad"})
    assert [("client_since", "value.invalid_date"), ("kind", "party.kind.unknown")] == sorted(
        issue_paths(err)
    )


def test_a_row_reports_a_person_field_on_a_company_next_to_a_bad_date() -> None:
    row = {"kind": "client_company", "name": "A", "first_name": "An", "client_since": "x"}
    with pytest.raises(ValidationError) as err:
        from_row(row)
    assert [("client_since", "value.invalid_date"), ("first_name", "party.field.person_only")] == (
        sorted(issue_paths(err))
    )


def test_a_row_reports_the_wrong_status_family_and_the_date_order_with_a_bad_cell() -> None:
    row = {
        "kind": "relation_company",
        "name": "A",
        "status": "client",
        "vat_liable": "maybe",
        "client_since": "2024-01-01",
        "client_until": "2023-01-01",
    }
    with pytest.raises(ValidationError) as err:
        from_row(row)
    assert {
        ("vat_liable", "value.invalid_bool"),
        ("status", "party.status.wrong_kind"),
        ("client_until", "party.dates.order"),
    } == set(issue_paths(err))


def test_read_csv_reports_an_unknown_column_once_and_keeps_the_rows() -> None:
    text = "kind,name,colour\nclient_company,A,red\nclient_company,,blue\nnope,C,green\n"
    results = list(read_csv(io.StringIO(text)))
    header, first, second, third = results
    assert (1, None) == (header.row, header.party)
    assert [("colour", "row.unknown_column")] == [(i.path, i.code) for i in header.issues]
    assert ["A", ""] == [r.party.name for r in (first, second) if r.party is not None]
    assert [("kind", "party.kind.unknown")] == [(i.path, i.code) for i in third.issues]


def test_from_row_still_refuses_an_unknown_column_next_to_other_faults() -> None:
    with pytest.raises(ValidationError) as err:
        from_row({"kind": "client_company", "name": "A", "colour": "red", "vat_liable": "?"})
    assert {("colour", "row.unknown_column"), ("vat_liable", "value.invalid_bool")} == set(
        issue_paths(err)
    )


# --- phones and e-mails everywhere in E.164 and compact form ---


def test_phones_and_emails_of_contacts_and_correspondence_are_stored_compact() -> None:
    contacts = [{"id": "c1", "phone": "09 234 56 78", "email": " An@Example.be "}]
    general = [{"id": "g1", "name": "Board", "phone": "+32 (0)2 234 56 78"}]
    p = from_row(
        {
            "kind": "client_company",
            "name": "A",
            "address.country": "BE",
            "contacts": json.dumps(contacts),
            "correspondence": json.dumps(general),
        }
    )
    assert "+3292345678" == p.contacts[0].phone
    assert "An@example.be" == p.contacts[0].email
    assert "+3222345678" == p.correspondence[0].phone


def test_a_contact_phone_takes_the_country_of_its_location() -> None:
    locations = [{"id": "ams", "address": {"country": "NL"}}]
    contacts = [{"id": "c1", "phone": "020 123 4567", "location_id": "ams"}]
    row = {
        "kind": "client_company",
        "name": "A",
        "address.country": "BE",
        "locations": json.dumps(locations),
        "contacts": json.dumps(contacts),
    }
    assert "+31201234567" == from_row(row).contacts[0].phone


def test_an_invalid_contact_phone_is_kept_as_given() -> None:
    row = {"kind": "client_company", "name": "A", "contacts": '[{"id": "c1", "phone": "12"}]'}
    assert "12" == from_row(row).contacts[0].phone


# --- DataFrame rows ---


def test_numpy_scalars_are_cells_like_any_other() -> None:
    np = pytest.importorskip("numpy")
    schema = default_schema().with_custom(CustomField("fin", "revenue", FieldType.NUMBER))
    p = from_row(
        {
            "kind": "client_company",
            "name": "A",
            "number": np.int64(1001),
            "vat_liable": np.bool_(True),
            "custom.fin.revenue": np.float64(12.5),
            "version": np.int64(3),
        },
        schema,
    )
    assert ("1001", True, 12.5, 3) == (
        p.number,
        p.vat_liable,
        p.custom_value("fin", "revenue"),
        p.version,
    )


def test_dataframe_rows_with_gaps_are_read_as_empty_cells() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "kind": ["client_company", "client_company"],
            "name": ["A", "B"],
            "number": [1001, None],
            "client_since": [pd.Timestamp("2020-01-31"), pd.NaT],
            "vat_liable": pd.array([True, None], dtype="boolean"),
            "portfolio": pd.array(["north", None], dtype="string"),
        }
    )
    first, second = (from_row(row) for row in frame.to_dict("records"))
    assert ("1001", dt.date(2020, 1, 31), True, "north") == (
        first.number,
        first.client_since,
        first.vat_liable,
        first.portfolio,
    )
    assert (None, None, None, None) == (
        second.number,
        second.client_since,
        second.vat_liable,
        second.portfolio,
    )


def test_a_cell_that_is_no_scalar_is_reported_with_its_value() -> None:
    with pytest.raises(ValidationError) as err:
        from_row({"kind": "client_company", "name": "A", "number": [1, 2]})
    assert [("number", "row.invalid_cell")] == issue_paths(err)
    assert "[1, 2]" in err.value.issues[0].message()


@pytest.mark.parametrize("version", ["1.5", 1.5, "-1", "three"])
def test_a_version_that_is_not_a_whole_number_of_zero_or_more_is_refused(version: object) -> None:
    with pytest.raises(ValidationError) as err:
        from_row({"kind": "client_company", "name": "A", "version": version})
    assert ["version"] == [i.path for i in err.value.issues]


def test_loading_rows_shares_repeated_short_texts() -> None:
    a = from_row({"kind": "client_company", "name": "A", "address.city": "Gent" + "brugge"[:0]})
    b = from_row({"kind": "client_company", "name": "B", "address.city": "".join(["Ge", "nt"])})
    cities = [p.address.city for p in (a, b) if p.address is not None]
    assert cities[0] is cities[1]
