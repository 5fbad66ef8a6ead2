"""clientcore.io: header recognition, encodings, profiles, writers and what reads back."""

from __future__ import annotations

import datetime as dt
import io
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clientcore import Party, ValidationError
from clientcore.completeness import check
from clientcore.io import (
    decode,
    load_profile,
    map_header,
    read,
    sniff_delimiter,
    to_frame,
    write_csv,
    write_sheets,
    write_table,
    write_xlsx,
)
from clientcore.model import CustomField, FieldType, Schema, default_schema, from_row, to_row
from clientcore.sample import generate
from tests.strategies import CUSTOM_VALUES, parties
from tests.unit.test_codec import custom_schema

TODAY = dt.date(2026, 1, 1)


@pytest.mark.parametrize(
    ("heading", "path", "how"),
    [
        ("name", "name", "path"),
        ("address.city", "address.city", "path"),
        ("Naam", "name", "label"),
        ("NOM", "name", "label"),
        ("btw nummer", "vat_number", "label"),
        ("BTW-nummer", "vat_number", "label"),
        ("N° TVA", "vat_number", "synonym"),
        ("KBO-nummer", "enterprise_number", "synonym"),
        ("Numéro d'entreprise", "enterprise_number", "label"),
        ("numero d entreprise", "enterprise_number", "label"),
        ("Rijksregisternummer", "national_number", "label"),
        ("Numéro national", "national_number", "synonym"),
        ("Woonplaats", "address.city", "synonym"),
        ("Localité", "address.city", "synonym"),
        ("Taal", "language", "label"),
        ("Langue", "language", "label"),
        ("Rechtsvorm", "legal_form", "label"),
        ("Forme juridique", "legal_form", "label"),
    ],
)
def test_a_heading_is_recognised_by_path_label_or_synonym(
    heading: str, path: str, how: str
) -> None:
    mapping = map_header([heading])
    assert [(heading, path, how)] == [(c.source, c.path, c.how) for c in mapping.columns]


def test_custom_fields_are_recognised_by_their_labels() -> None:
    from clientcore.model import CustomField, FieldType

    schema = default_schema().with_custom(
        CustomField(
            "kyc",
            "source",
            FieldType.TEXT,
            ("Source of funds", "Herkomst middelen", "Origine des fonds"),
        )
    )
    mapping = map_header(["Herkomst middelen"], schema)
    assert ["custom.kyc.source"] == [c.path for c in mapping.columns]


def test_an_unknown_heading_gets_a_suggestion() -> None:
    mapping = map_header(["Ondernemingsnumer"])
    assert "enterprise_number" == mapping.issues[0].params["suggestion"]


def test_mapping_a_wide_header_is_linear() -> None:
    def per_column(width: int) -> float:
        header = [f"extra {i}" for i in range(width)]
        start = time.perf_counter()
        map_header(header)
        return (time.perf_counter() - start) / width

    small, large = per_column(2_000), per_column(40_000)
    assert large < small * 5  # quadratic would be 20 times slower per column


def test_encodings_are_detected_and_reported() -> None:
    text = "Naam\nBelgië\n"
    assert ("utf-8", True) == decode(text.encode("utf-8"))[1:]
    assert ("utf-8-sig", True) == decode(b"\xef\xbb\xbf" + text.encode("utf-8"))[1:]
    assert ("utf-16", True) == decode(text.encode("utf-16"))[1:]
    assert ("windows-1252", True) == decode(text.encode("cp1252"))[1:]
    assert (text, "iso8859-1", False) == decode(text.encode("latin-1"), "latin-1")


def test_a_forced_encoding_that_does_not_fit_is_a_file_error() -> None:
    table = read("Naam;Soort\nBelgië;client_company\n".encode("cp1252"), encoding="utf-8")
    assert ["read.encoding.invalid"] == [i.code for i in table.reading.errors]
    with pytest.raises(ValidationError):
        read(b"a,b\n", encoding="no-such-codec")


@pytest.mark.parametrize(
    ("line", "delimiter"),
    [("a;b;c", ";"), ("a,b,c", ","), ("a\tb\tc", "\t"), ('"a;b",c', ","), ("abc", ",")],
)
def test_the_delimiter_is_sniffed_from_the_header(line: str, delimiter: str) -> None:
    assert delimiter == sniff_delimiter(line)


def test_map_options_win_over_recognition_and_name_no_unknown_field() -> None:
    table = read("Naam,Soort,Nummer\nPeeters,client_company,C1\n", columns=["Nummer=number"])
    assert "C1" == next(iter(table)).party.number  # type: ignore[union-attr]
    with pytest.raises(ValidationError) as caught:
        read("a\n1\n", columns=["a=nam"])
    assert "read.map.unknown_field" == caught.value.issues[0].code
    with pytest.raises(ValidationError):
        read("a\n1\n", columns=["no equals sign"])


def test_a_profile_is_checked_strictly_with_every_path() -> None:
    with pytest.raises(ValidationError) as caught:
        load_profile(
            {
                "name": "",
                "columns": {"A": "nam", "B": 5},
                "values": {"A": {"x": "y"}, "S": "flat"},
                "defaults": {"kind": "planet", "address.country": "Atlantis"},
                "decimal": ";",
                "drop": "A",
                "extra": 1,
            }
        )
    paths = {i.path for i in caught.value.issues}
    assert {
        "$.name",
        "$.columns.A",
        "$.columns.B",
        "$.values.S",
        "$.defaults.kind",
        "$.defaults.address.country",
        "$.decimal",
        "$.drop",
        "$.extra",
    } <= paths
    with pytest.raises(ValidationError):
        load_profile("no_such_profile")


def test_a_profile_round_trips_through_its_json(tmp_path: Path) -> None:
    profile = load_profile("exact_online")
    assert profile == load_profile(profile.to_json())
    path = tmp_path / "p.json"
    import json

    path.write_text(json.dumps(profile.to_json()))
    assert profile == load_profile(path)


def test_rows_without_ids_get_the_same_ids_on_every_read() -> None:
    text = "Naam;Soort;Klantnummer\nA;Klant-Bedrijf;K1\nB;Klant-Bedrijf;\n"
    first = [r.party.id for r in read(text) if r.party]
    second = [r.party.id for r in read(text) if r.party]
    assert first == second
    assert len(set(first)) == 2


def test_progress_is_called_with_the_rows_read() -> None:
    seen: list[int] = []
    text = "kind,name\n" + "client_company,A\n" * 1_200
    assert 1_200 == sum(1 for _ in read(text, progress=seen.append))
    assert [500, 1_000, 1_200] == seen


# --- writers ---
# A registry's own file read back: trusted, so acceptance records come back too.


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parties(), st.booleans())
def test_what_the_csv_writer_writes_reads_back_as_the_same_party(
    written: Party, excel: bool
) -> None:
    schema = custom_schema(written)
    out = io.StringIO()
    write_csv([written], out, schema, excel=excel)
    data = out.getvalue().encode("utf-8")
    assert [written] == [r.party for r in read(data, schema=schema, trusted=True)]


def test_what_the_xlsx_writer_writes_reads_back_as_the_same_parties(tmp_path: Path) -> None:
    written = [
        *generate(25, seed=4, today=TODAY),
        Party(id="evil", kind="client_company", name="=HYPERLINK(1)", phone="+3292234567"),
    ]
    path = tmp_path / "parties.xlsx"
    assert len(written) == write_xlsx(written, path)
    assert written == [r.party for r in read(path, trusted=True)]
    import openpyxl

    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert "A2" == sheet.freeze_panes
    cells = [c for row in sheet.iter_rows() for c in row if c.value == "=HYPERLINK(1)"]
    assert ["s"] == [c.data_type for c in cells]


def schema_of(written: list[Party]) -> Schema:
    """The catalogue declaring the typed custom fields of all these parties."""
    fields = {
        f"{category}.{key}": CustomField(category, key, FieldType(kind))
        for party in written
        for category in party.custom
        for key, (kind, _) in CUSTOM_VALUES.items()
    }
    return default_schema().with_custom(*fields.values())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(parties(), min_size=1, max_size=4, unique_by=lambda p: p.id))
def test_what_the_xlsx_writer_writes_reads_back_as_the_same_parties_whatever_they_hold(
    written: list[Party],
) -> None:
    schema = schema_of(written)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "parties.xlsx"
        assert len(written) == write_xlsx(written, path, schema)
        assert written == [r.party for r in read(path, schema=schema, trusted=True)]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(parties(), min_size=1, max_size=4, unique_by=lambda p: p.id))
def test_the_frame_of_any_parties_reads_back_as_the_same_parties(written: list[Party]) -> None:
    schema = schema_of(written)
    frame = to_frame(written, schema)
    assert written == [r.party for r in read(frame, schema=schema, trusted=True)]


def test_the_xlsx_writer_streams_its_rows_without_holding_them() -> None:
    columns = ["a", "b", "c", "d"]

    def rows() -> Iterator[dict[str, str]]:
        for n in range(4_000):
            yield {c: f"{c}-{n}-the text of one cell of a row" for c in columns}

    held = sum(sys.getsizeof(v) for row in rows() for v in row.values())
    write_sheets({"warm": (columns, [])}, io.BytesIO())  # openpyxl imported, not counted
    tracemalloc.start()
    try:
        written = write_sheets({"rows": (columns, rows())}, io.BytesIO())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert {"rows": 4_000} == written
    assert peak < held / 2  # a writer holding the rows (or their cells) needs more than all


def test_every_xlsx_cell_a_spreadsheet_would_run_is_text_with_the_quote_prefix() -> None:
    import openpyxl

    out = io.BytesIO()
    values = ["=1+1", "+32 9", "-x", "@SUM", "\tx", "-12", "ok", 12, True]
    write_sheets({"t": (["=a"], [{"=a": v} for v in values])}, out)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    assert sheet is not None
    cells = [row[0] for row in sheet.iter_rows()]
    assert [("=a", "s", True)] == [(c.value, c.data_type, c.quotePrefix) for c in cells[:1]]
    assert values == [c.value for c in cells[1:]]
    assert [True, True, True, True, True, False, False, False, False] == [
        c.quotePrefix for c in cells[1:]
    ]
    assert all(c.data_type != "f" for c in cells)


def _reads_back_and_checks_like_the_file(frame: Any, written: list[Party], tmp_path: Path) -> None:
    """``frame`` of the parties ``written`` gives them back, and ``check`` of it reports
    what ``check`` of the same parties written as CSV reports."""
    assert written == [r.party for r in read(frame, trusted=True)]
    path = tmp_path / "parties.csv"
    write_csv(written, path)
    by_frame, by_path = check(frame, today=TODAY), check(path, today=TODAY)
    assert [(r.rule.id, r.in_scope, r.failing) for r in by_path.results] == [
        (r.rule.id, r.in_scope, r.failing) for r in by_frame.results
    ]


def test_the_frame_of_the_parties_reads_back_and_checks_like_the_file(tmp_path: Path) -> None:
    written = generate(30, seed=5, today=TODAY)
    _reads_back_and_checks_like_the_file(to_frame(written), written, tmp_path)


@pytest.mark.parametrize(
    ("rule", "where"),
    [
        ("person", "$.kind_rule"),
        (
            {"role": "klant", "person": ["first_name"], "company": ["legal_form"]},
            "$.kind_rule.role",
        ),
        (
            {"role": "client", "person": ["firstname"], "company": ["legal_form"]},
            "$.kind_rule.person",
        ),
        ({"role": "client", "person": [], "company": ["legal_form"]}, "$.kind_rule.person"),
        ({"role": "client", "person": ["name"], "company": ["name"]}, "$.kind_rule"),
        (
            {"role": "client", "person": ["first_name"], "company": "legal_form"},
            "$.kind_rule.company",
        ),
        (
            {"role": "client", "person": ["first_name"], "company": ["legal_form"], "x": 1},
            "$.kind_rule.x",
        ),
    ],
)
def test_a_kind_rule_is_decoded_strictly_with_the_path_of_each_fault(
    rule: object, where: str
) -> None:
    with pytest.raises(ValidationError) as err:
        load_profile({"name": "p", "kind_rule": rule})
    assert where in [i.path for i in err.value.issues]


def test_a_profile_with_a_kind_rule_survives_its_json() -> None:
    data = {
        "name": "p",
        "kind_rule": {"role": "relation", "person": ["first_name"], "company": ["legal_form"]},
    }
    profile = load_profile(data)
    assert profile == load_profile(profile.to_json())
    assert "relation_person" == profile.kind_rule.kind_of({"first_name": "An"})  # type: ignore[union-attr]


def test_every_cell_that_starts_a_formula_is_neutralised_numbers_are_kept() -> None:
    out = io.StringIO()
    rows = [{"a": v} for v in ["=1+1", "+32 9", "-x", "@SUM", "\tx", "\rx", "-12", "-1,5", "ok"]]
    write_table(rows, ["a"], out)
    import csv

    cells = [row[0] for row in csv.reader(io.StringIO(out.getvalue(), newline=""))][1:]
    assert ["'=1+1", "'+32 9", "'-x", "'@SUM", "'\tx", "'\rx", "-12", "-1,5", "ok"] == cells


QUOTED = ["'-", "'=x", "''-", "'+32", "'abc", "-x", "=1+1"]


@pytest.mark.parametrize("name", QUOTED)
def test_a_name_that_starts_with_a_quote_or_a_formula_reads_back_as_written(
    name: str, tmp_path: Path
) -> None:
    party = Party(id="p1", kind="client_company", name=name, labels={name})
    as_csv, as_xlsx = tmp_path / "parties.csv", tmp_path / "parties.xlsx"
    write_csv([party], as_csv, excel=True)
    write_xlsx([party], as_xlsx)
    back = [
        [r.party for r in read(as_csv)],
        [r.party for r in read(as_xlsx)],
        [from_row(to_row(party))],
    ]
    assert [[(name, frozenset({name}))]] * 3 == [[(p.name, p.labels) for p in b] for b in back]


# --- reports ---


def test_the_repr_of_a_large_report_is_a_few_lines() -> None:
    report = check(generate(2_000, seed=0, today=TODAY), today=TODAY)
    shown = repr(report)
    assert len(shown.splitlines()) <= 4
    assert len(shown) < 600
    assert "2000 parties" in shown


def test_a_report_as_xlsx_has_a_sheet_of_rules_and_one_of_failures(tmp_path: Path) -> None:
    import openpyxl

    report = check(generate(40, seed=1, today=TODAY), today=TODAY)
    path = tmp_path / "report.xlsx"
    report.to_xlsx(path)
    book = openpyxl.load_workbook(path)
    assert ["rules", "failures"] == book.sheetnames
    assert len(report.results) + 1 == book["rules"].max_row
    assert sum(r.failing for r in report.results) + 1 == book["failures"].max_row
    assert book["failures"].auto_filter.ref is not None


def test_an_empty_list_of_parties_is_never_ok() -> None:
    report = check([], today=TODAY)
    assert not report.ok
    assert "No party could be checked." in report.to_text()


def test_a_rule_with_no_party_in_scope_says_so_with_a_hint() -> None:
    table = read("kind,name,status,tasks\nclient_company,Peeters,prospect,\n")
    report = check(table, today=TODAY)
    text = report.to_text()
    assert "closing: no party in scope among 1" in text


def test_a_polars_frame_reads_back_and_checks_like_the_file(tmp_path: Path) -> None:
    pl = pytest.importorskip("polars")
    written = generate(30, seed=5, today=TODAY)
    frame = pl.from_dicts([to_row(p) for p in written], infer_schema_length=None)
    _reads_back_and_checks_like_the_file(frame, written, tmp_path)
