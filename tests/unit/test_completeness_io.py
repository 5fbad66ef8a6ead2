"""read_parties: CSV, XLSX and JSON files through the row codec, bad rows included."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from clientcore import Party, ValidationError
from clientcore.completeness import FORMATS, MissingExtra, check, read_parties
from clientcore.model import party_to_json, read_csv, row_columns, to_row, write_csv
from clientcore.sample import generate
from tests.unit.test_completeness_rules import assert_speaks_three_languages

TODAY = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def sample() -> list[Party]:
    return generate(60, seed=2, today=TODAY)


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_the_formats_are_csv_xlsx_and_json() -> None:
    assert (".csv", ".xlsx", ".json") == FORMATS


def test_a_csv_file_is_read_as_read_csv_reads_it(tmp_path: Path, sample: list[Party]) -> None:
    path = tmp_path / "parties.csv"
    write_csv(sample, path)
    assert list(read_csv(path, trusted=True)) == list(read_parties(path, trusted=True))


def test_an_xlsx_file_gives_the_same_parties_as_the_csv_file(
    tmp_path: Path, sample: list[Party]
) -> None:
    rows = [to_row(p) for p in sample]
    columns = list(row_columns())
    columns += sorted({key for row in rows for key in row} - set(columns))  # external.<system>
    path = write_xlsx(
        tmp_path / "parties.xlsx", [columns] + [[r.get(c, "") for c in columns] for r in rows]
    )
    read = list(read_parties(path, trusted=True))
    assert [p.id for p in sample] == [r.party.id for r in read if r.party is not None]
    assert list(range(2, len(sample) + 2)) == [r.row for r in read]
    assert sample == [r.party for r in read]


def test_excel_numbers_and_dates_are_read_as_the_text_they_stand_for(tmp_path: Path) -> None:
    header = ["kind", "name", "enterprise_number", "client_since", "version", "vat_liable"]
    row = ["client_company", "Peeters BV", 403170701.0, dt.datetime(2020, 3, 1), 3.0, True]
    path = write_xlsx(tmp_path / "numbers.xlsx", [header, row])
    (result,) = read_parties(path, trusted=True)
    party = result.party
    assert party is not None, result.issues
    assert ("0403170701", dt.date(2020, 3, 1), 3, True) == (
        party.enterprise_number,
        party.client_since,
        party.version,
        party.vat_liable,
    )


def test_bad_xlsx_rows_keep_their_row_number_and_empty_rows_are_skipped(tmp_path: Path) -> None:
    rows = [
        ["kind", "name", "status"],
        ["client_company", "Peeters BV", "client"],
        [None, None, None],
        ["client_company", "Maes NV", "dormant"],
        ["client_person", "An Maes", "client", "one cell too many"],
        ["client_person", "Jan Maes", "client"],
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", rows)
    read = [(r.row, r.ok, [i.code for i in r.issues]) for r in read_parties(path, trusted=True)]
    expected = [
        (2, True, []),
        (4, False, ["value.invalid_status"]),
        (5, False, ["read.extra_cells"]),
        (6, True, []),
    ]
    assert expected == read
    report = check(read_parties(path, trusted=True), today=TODAY)
    assert ([4, 5], 2) == ([r.row for r in report.rejected], report.records)


def test_a_file_that_is_not_a_workbook_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("not a zip file")
    table = read_parties(path, trusted=True)
    assert ([], ["read.unreadable"]) == (list(table), [i.code for i in table.reading.errors])
    with pytest.raises(ValidationError):
        check(path, today=TODAY)


def test_an_empty_workbook_is_an_empty_input(tmp_path: Path) -> None:
    table = read_parties(write_xlsx(tmp_path / "empty.xlsx", []))
    assert ([], ["read.empty"]) == (list(table), [i.code for i in table.reading.errors])


def test_without_openpyxl_reading_xlsx_says_which_extra_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_xlsx(tmp_path / "x.xlsx", [["kind", "name"]])
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(MissingExtra) as caught:
        list(read_parties(path, trusted=True))
    assert "xlsx" == caught.value.extra
    assert "pip install 'clientcore[xlsx]'" in str(caught.value)
    assert_speaks_three_languages(caught.value)


def test_a_json_file_holds_party_json_or_rows(tmp_path: Path, sample: list[Party]) -> None:
    path = tmp_path / "parties.json"
    items = [party_to_json(sample[0]), to_row(sample[1]), {"kind": "client_person", "name": "An"}]
    path.write_text(json.dumps(items), "utf-8")
    read = list(read_parties(path, trusted=True))
    assert [1, 2, 3] == [r.row for r in read]
    assert [sample[0], sample[1]] == [r.party for r in read[:2]]
    assert read[2].party is not None
    assert "An" == read[2].party.name


def test_bad_json_items_are_reported_by_their_position(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    items = [
        {"kind": "client_person", "name": "An"},
        "not an object",
        {"kind": "client_person", "name": "Jan", "labels": ["vip"], "colour": "red"},
        {"kind": "relation_person", "name": "Notary", "status": "client"},
    ]
    path.write_text(json.dumps(items), "utf-8")
    read = [
        (r.row, r.ok, r.issues[0].code if r.issues else None)
        for r in read_parties(path, trusted=True)
    ]
    expected = [
        (1, True, None),
        (2, False, "read.json.item"),
        (3, False, "json.invalid"),
        (4, False, "party.status.wrong_kind"),
    ]
    assert expected == read


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ('{"parties": []}', "read.json.not_a_list"),
        ("[{", "read.unreadable"),
        ("", "read.unreadable"),
        ("[]", "read.empty"),
    ],
)
def test_a_json_file_that_is_not_a_list_is_an_input_error(
    tmp_path: Path, text: str, code: str
) -> None:
    path = tmp_path / "x.json"
    path.write_text(text, "utf-8")
    table = read_parties(path, trusted=True)
    assert ([], [code]) == (list(table), [i.code for i in table.reading.errors])
    assert 3 == len({table.reading.errors[0].message(lang) for lang in ("en", "nl", "fr")})


def test_a_file_of_another_type_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        read_parties(tmp_path / "parties.doc")
    issue = caught.value.issues[0]
    assert (
        "Cannot read 'parties.doc': the file must end in .csv, .txt, .tsv, .xlsx or .json."
        == issue.message()
    )
    assert_speaks_three_languages(caught.value)


def test_the_extension_is_read_in_any_case(tmp_path: Path, sample: list[Party]) -> None:
    path = tmp_path / "PARTIES.CSV"
    write_csv(sample[:3], path)
    assert sample[:3] == [r.party for r in read_parties(path, trusted=True)]


def test_a_missing_file_raises_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        list(read_parties(tmp_path / "missing.csv"))


# --- a contact attached to a location that does not exist ---

LOST = [{"id": "c1", "first_name": "An", "location_id": "brugge"}]
LOCATIONS = [{"id": "gent"}]


def lost_contact_issues(result: Any) -> list[tuple[str, str, str]]:
    return [
        (i.code, i.path, i.params["location_id"])
        for i in result.issues
        if i.code == "completeness.location.unknown"
    ]


def test_every_format_keeps_a_row_with_a_lost_contact_and_reports_the_contact(
    tmp_path: Path,
) -> None:
    party = Party(id="p1", kind="client_company", name="Peeters BV", status="client")
    as_json = {**party_to_json(party), "locations": LOCATIONS, "contacts": LOST}
    row = {**to_row(party), "locations": json.dumps(LOCATIONS), "contacts": json.dumps(LOST)}
    (tmp_path / "a.json").write_text(json.dumps([as_json, row]), "utf-8")
    columns = list(row)
    write_xlsx(tmp_path / "a.xlsx", [columns, [row[c] or None for c in columns]])
    csv_path = tmp_path / "a.csv"
    with open(csv_path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows([to_row(party), row])
    expected = [("completeness.location.unknown", "contacts[0].location_id", "brugge")]
    results = {name: list(read_parties(tmp_path / name)) for name in ("a.json", "a.xlsx", "a.csv")}
    assert [True, True] == [r.ok for r in results["a.json"]]
    assert [expected, expected] == [lost_contact_issues(r) for r in results["a.json"]]
    assert [(2, expected)] == [(r.row, lost_contact_issues(r)) for r in results["a.xlsx"]]
    assert (None, "gent") == (
        results["a.json"][0].party.contacts[0].location_id,  # type: ignore[union-attr]
        results["a.json"][0].party.locations[0].id,  # type: ignore[union-attr]
    )
    assert [(2, []), (3, expected)] == [(r.row, lost_contact_issues(r)) for r in results["a.csv"]]
    for rows in results.values():
        report = check(rows, today=TODAY)
        assert 0 == len(report.rejected)
        assert report.result("contact_location").failing >= 1


def test_a_csv_file_without_lost_contacts_reads_as_read_csv_reads_it(
    tmp_path: Path, sample: list[Party]
) -> None:
    path = tmp_path / "sample.csv"
    write_csv(sample, path)
    assert list(read_csv(path, trusted=True)) == list(read_parties(path, trusted=True))
