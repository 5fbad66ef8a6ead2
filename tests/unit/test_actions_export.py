"""Export: chosen columns, headers in three languages, Excel safety, streaming, round trips."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clientcore import Actor, Party, RolePolicy, StatusMachine, ValidationError
from clientcore.actions import excel_safe, export
from clientcore.io import read
from clientcore.model import CustomField, FieldType, default_schema, from_row, read_csv
from clientcore.query import ColumnLayout
from tests.strategies import parties

COLUMNS = [
    "id",
    "kind",
    "number",
    "name",
    "status",
    "language",
    "vat_liable",
    "vat_number",
    "email",
    "address.city",
    "labels",
    "client_since",
    "tasks",
    "contacts",
    "locations",
]


def bakery(**fields: object) -> Party:
    base: dict[str, object] = {
        "kind": "client_company",
        "name": "Bakkerij Peeters BV",
        "number": "C1",
    }
    return Party(**{**base, **fields})  # type: ignore[arg-type]


def test_headers_are_the_catalogue_labels_in_the_chosen_language() -> None:
    text = export([bakery()], ["number", "name", "vat_liable", "address.city"], lang="fr")
    assert "Numéro de client,Nom,Assujetti à la TVA,Commune" == text.splitlines()[0]


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(1,1)", "'@SUM(1,1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-12.50", "-12.50"),
        # a phone in E.164 is text: unguarded, a spreadsheet would drop its "+" as a formula
        ("+3222345678", "'+3222345678"),
        ("'t Hoekje", "'t Hoekje"),
        ("Gent", "Gent"),
        ("", ""),
    ],
)
def test_excel_safe_neutralises_formulas_and_leaves_data_alone(cell: str, safe: str) -> None:
    assert safe == excel_safe(cell)


def test_a_formula_in_a_name_is_neutralised_in_csv_and_typed_text_in_xlsx() -> None:
    evil = bakery(name='=HYPERLINK("http://evil")', labels={"@risk"})
    row = next(csv.reader(io.StringIO(export([evil], ["name", "labels"]).splitlines()[1])))
    assert ['\'=HYPERLINK("http://evil")', "'@risk"] == row
    sheet = openpyxl.load_workbook(io.BytesIO(export([evil], ["name"], fmt="xlsx"))).active
    assert sheet is not None
    cell = sheet["A2"]
    assert ('=HYPERLINK("http://evil")', "s", True) == (
        cell.value,
        cell.data_type,
        cell.quotePrefix,
    )


def test_excel_mode_writes_a_bom_and_semicolons(tmp_path: object) -> None:
    text = export([bakery(name="Peeters; Zonen")], ["number", "name"], excel=True)
    assert text.startswith("\ufeffClient number;Name\r\n")
    assert 'C1;"Peeters; Zonen"' == text.splitlines()[1]
    target = io.StringIO()
    assert 1 == export([bakery()], ["number"], target, excel=True)
    assert target.getvalue().startswith("\ufeff")


def test_custom_fields_are_columns_with_their_own_labels() -> None:
    schema = default_schema().with_custom(
        CustomField(
            "kyc",
            "source_of_funds",
            FieldType.TEXT,
            ("Source of funds", "Herkomst van de middelen", "Origine des fonds"),
        )
    )
    client = bakery(custom={"kyc": {"source_of_funds": "salary"}})
    rows = list(
        export(
            [client], ["number", "custom.kyc.source_of_funds"], fmt="rows", lang="nl", schema=schema
        )
    )
    assert [{"Klantnummer": "C1", "Herkomst van de middelen": "salary"}] == rows


def test_a_column_layout_gives_the_columns_in_its_order() -> None:
    layout = ColumnLayout.default().hide("email").move("name", 0)
    rows = list(export([bakery()], layout, fmt="rows", header="path"))
    assert list(layout.visible) == list(rows[0])
    assert "Bakkerij Peeters BV" == rows[0]["name"]


def test_every_unknown_or_repeated_column_is_reported_before_anything_is_written() -> None:
    target = io.StringIO()
    with pytest.raises(ValidationError) as err:
        export([bakery()], ["name", "adress.city", "name", "nope"], target)
    assert [
        ("columns[1]", "export.column.unknown"),
        ("columns[2]", "export.column.duplicate"),
        ("columns[3]", "export.column.unknown"),
    ] == [(i.path, i.code) for i in err.value.issues]
    assert "address.city" in err.value.issues[0].message("nl")
    assert "" == target.getvalue()


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"fmt": "pdf"}, "export.format"),
        ({"header": "title"}, "export.header"),
        ({"fmt": "rows", "out": io.StringIO()}, "export.rows_have_no_file"),
        ({"actor": Actor("ann", {"staff"})}, "export.needs_actor"),
    ],
)
def test_misuse_is_a_coded_error(kwargs: dict[str, object], code: str) -> None:
    with pytest.raises(ValidationError) as err:
        export([bakery()], ["name"], **kwargs)  # type: ignore[call-overload]
    assert code == err.value.issues[0].code


def test_hidden_statuses_are_left_out_when_an_actor_and_machine_are_given() -> None:
    machine = StatusMachine(RolePolicy.default())
    seen = [bakery(number="C1", status="client"), bakery(number="C2", status="prospect")]
    rows = list(
        export(
            seen,
            ["number"],
            fmt="rows",
            header="path",
            actor=Actor("as", {"assistant"}),
            machine=machine,
        )
    )
    assert [{"number": "C1"}] == rows


def test_the_export_streams_a_generator_without_reading_it_all_first() -> None:
    pulled: list[int] = []

    def source():  # type: ignore[no-untyped-def]
        for i in range(3):
            pulled.append(i)
            yield bakery(number=f"C{i}")

    rows = export(source(), ["number"], fmt="rows", header="path")
    assert [] == pulled
    assert {"number": "C0"} == next(rows)
    assert [0] == pulled


def test_an_export_to_a_file_reads_back_with_the_codec(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "out.csv"
    client = bakery(
        labels={"vip", "audit"},
        tasks=[{"code": "vat", "period": "quarterly"}],
        vat_liable=True,
        email="info@peeters.be",
        address={"city": "Gent"},
    )
    assert 1 == export([client], COLUMNS, path, header="path")
    (result,) = list(read_csv(path))
    assert result.party is not None
    for column in COLUMNS:
        assert getattr_path(client, column) == getattr_path(result.party, column), column


def getattr_path(party: Party, path: str) -> object:
    value: object = party
    for part in path.split("."):
        value = getattr(value, part, None)
    return value


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(parties(), min_size=1, max_size=5, unique_by=lambda p: p.id))
def test_csv_reads_back_the_same_cells_except_that_formulas_stay_neutralised(
    selection: list[Party],
) -> None:
    exact = export(selection, COLUMNS, fmt="rows", header="path")
    text = export(selection, COLUMNS, header="path")
    read = list(csv.DictReader(io.StringIO(text)))
    for row, cells in zip(read, exact, strict=True):
        assert {k: excel_safe(v) for k, v in cells.items()} == row
    safe = [
        r for r, c in zip(read, export(selection, COLUMNS, fmt="rows", header="path")) if r == c
    ]
    for row in safe:
        party = from_row({k: v for k, v in row.items() if v})
        original = next(p for p in selection if p.id == party.id)
        for column in COLUMNS:
            assert getattr_path(original, column) == getattr_path(party, column), column


def test_collections_are_exported_as_the_codecs_json() -> None:
    client = bakery(tasks=[{"code": "closing", "active": False}])
    (row,) = export([client], ["tasks"], fmt="rows", header="path")
    assert "closing" == json.loads(row["tasks"])[0]["code"]


@pytest.mark.parametrize(("fmt", "excel"), [("csv", False), ("csv", True), ("xlsx", False)])
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    selection=st.lists(parties(), min_size=1, max_size=4, unique_by=lambda p: p.id),
    lang=st.sampled_from(["en", "nl", "fr"]),
    header=st.sampled_from(["label", "path"]),
)
def test_an_export_read_back_with_clientcore_io_gives_the_same_parties_for_its_columns(
    fmt: str, excel: bool, selection: list[Party], lang: str, header: str
) -> None:
    # Formulas included: CSV cells keep their guarding "'" (read takes it off), XLSX cells
    # are typed text; headers in any language are recognised by their labels.
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"export.{fmt}"
        written = export(
            selection,
            COLUMNS,
            path,
            fmt,
            lang,
            excel,
            header=header,  # type: ignore[call-overload]
        )
        assert len(selection) == written
        back = [r.party for r in read(path, trusted=True)]
    assert len(selection) == len(back)
    for party, read_back in zip(selection, back, strict=True):
        assert read_back is not None
        for column in COLUMNS:
            assert getattr_path(party, column) == getattr_path(read_back, column), column
