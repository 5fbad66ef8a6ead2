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
    default_schema,
    from_row,
    party_from_json,
    party_to_json,
    read_csv,
    row_columns,
    rows_to_csv_text,
    to_row,
)
from tests.strategies import junk, parties


def issue_paths(err: pytest.ExceptionInfo[ValidationError]) -> list[tuple[str, str]]:
    return [(i.path, i.code) for i in err.value.issues]


@settings(max_examples=150, deadline=None)
@given(parties())
def test_a_party_survives_to_row_and_back(party: Party) -> None:
    assert party == from_row(to_row(party))


@settings(max_examples=100, deadline=None)
@given(parties())
def test_to_row_of_from_row_is_stable(party: Party) -> None:
    row = to_row(party)
    assert row == to_row(from_row(row))


@settings(max_examples=150, deadline=None)
@given(parties())
def test_a_party_survives_its_json_and_back(party: Party) -> None:
    data = party_to_json(party)
    assert party == party_from_json(json.loads(json.dumps(data)))


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
                "client_since": "31/01/2020",
                "version": "v2",
                "tasks": "[{",
                "adress.city": "Gent",
                "language": "xx",
            }
        )
    assert {
        ("vat_liable", "row.invalid_bool"),
        ("client_since", "value.invalid_date"),
        ("version", "row.invalid_number"),
        ("tasks", "row.invalid_json"),
        ("adress.city", "row.unknown_column"),
        ("language", "value.invalid_choice"),
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
    assert [(i.path, i.code) for i in results[0].issues] == [("vat_liable", "row.invalid_bool")]
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
