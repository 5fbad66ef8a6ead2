"""The qr and export commands, through click's runner and as a subprocess."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from clientcore.cli import build_app
from clientcore.model import Party, write_csv

ENV = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}


@pytest.fixture
def parties_csv(tmp_path: Path) -> Path:
    path = tmp_path / "clients.csv"
    write_csv(
        [
            Party(
                id="p1",
                kind="client_company",
                name="Peeters BV",
                number="C000001",
                enterprise_number="0403170701",
            ),
            Party(
                id="p2",
                kind="client_person",
                name="=An Maes",
                number="C000002",
                email="an.maes@telenet.be",
            ),
        ],
        path,
    )
    return path


def invoke(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(build_app(), [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_qr_writes_one_signed_pdf_page_per_party(parties_csv: Path, tmp_path: Path) -> None:
    key = tmp_path / "key"
    key.write_bytes(b"a host secret of 32 bytes, here.\n")
    out = tmp_path / "covers.pdf"
    code, stdout, _ = invoke(
        "qr",
        parties_csv,
        "--kind",
        "invoices",
        "--tenant",
        "acme",
        "--key-file",
        key,
        "--lang",
        "nl",
        "--out",
        out,
    )
    assert 0 == code
    assert "2 cover pages written" in stdout
    assert out.read_bytes().startswith(b"%PDF-")


def test_qr_writes_nothing_when_a_party_has_no_client_number(tmp_path: Path) -> None:
    path = tmp_path / "clients.csv"
    write_csv([Party(id="p1", kind="client_company", name="No Number BV")], path)
    out = tmp_path / "covers.pdf"
    code, _, stderr = invoke("qr", path, "--kind", "invoices", "--tenant", "acme", "--out", out)
    assert 1 == code
    assert "No Number BV" in stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (("--kind", "in voices", "--tenant", "acme", "--out", "x.pdf"), "Document kind"),
        (("--kind", "invoices", "--tenant", "acme", "--out", "x.png"), ".pdf"),
    ],
)
def test_qr_usage_errors_exit_2(parties_csv: Path, args: tuple[str, ...], hint: str) -> None:
    code, _, stderr = invoke("qr", parties_csv, *args)
    assert 2 == code
    assert hint in stderr


def test_export_writes_an_excel_csv_with_neutralised_formulas(
    parties_csv: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.csv"
    code, stdout, _ = invoke(
        "export",
        parties_csv,
        "--columns",
        "number,name,email",
        "--excel",
        "--lang",
        "fr",
        "--out",
        out,
    )
    assert 0 == code
    assert "2 parties exported" in stdout
    text = out.read_text("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert ["Numéro de client", "Nom", "E-mail"] == rows[0]
    assert ["C000002", "'=An Maes", "an.maes@telenet.be"] == rows[2]


def test_export_writes_xlsx_with_path_headers(parties_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    code, _, _ = invoke(
        "export",
        parties_csv,
        "--columns",
        "number,enterprise_number",
        "--header",
        "path",
        "--out",
        out,
    )
    assert 0 == code
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    assert [("number", "enterprise_number"), ("C000001", "0403170701"), ("C000002", None)] == [
        tuple(r) for r in sheet.iter_rows(values_only=True)
    ]


def test_export_refuses_an_unknown_column_naming_the_nearest(
    parties_csv: Path, tmp_path: Path
) -> None:
    code, _, stderr = invoke(
        "export", parties_csv, "--columns", "nmae", "--out", tmp_path / "x.csv"
    )
    assert 2 == code
    assert "name" in stderr


def test_the_commands_run_as_the_installed_program(parties_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "covers.pdf"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "clientcore.cli",
            "qr",
            str(parties_csv),
            "--kind",
            "invoices",
            "--tenant",
            "acme",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
        check=False,
    )
    assert 0 == done.returncode, done.stderr
    assert out.exists()


# --- reading options: the files firms have, read through clientcore.io ---

EXPORTS = Path(__file__).parents[1] / "data" / "exports"


def test_export_reads_a_real_export_through_a_profile_and_reads_back_the_same(
    tmp_path: Path,
) -> None:
    from clientcore.io import read

    source = EXPORTS / "exact_online_accounts.csv"
    out = tmp_path / "klanten.csv"
    code, _, stderr = invoke(
        "export",
        source,
        "--profile",
        "exact_online",
        "--columns",
        "number,name,email,address.city",
        "--lang",
        "nl",
        "--excel",
        "--out",
        out,
    )
    assert (0, "") == (code, stderr)
    wanted = ("number", "name", "email", "address.city")

    def fields(parties: list[Party]) -> list[tuple[object, ...]]:
        return [(p.number, p.name, p.email, p.address.city if p.address else None) for p in parties]

    direct = [r.party for r in read(source, profile="exact_online")]
    back = read(out, kind="client_company")
    assert wanted == tuple(m.path for m in back.reading.columns if m.path in wanted)
    assert fields([p for p in direct if p is not None]) == fields(
        [r.party for r in back if r.party is not None]
    )


def test_export_without_the_profile_names_the_unreadable_rows(tmp_path: Path) -> None:
    code, _, stderr = invoke(
        "export", EXPORTS / "missing_kind.csv", "--columns", "name", "--out", tmp_path / "x.csv"
    )
    assert 1 == code
    assert "nothing written" in stderr
    assert not (tmp_path / "x.csv").exists()


def test_export_takes_a_kind_and_a_map_for_a_file_without_kind(tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    code, _, stderr = invoke(
        "export",
        EXPORTS / "missing_kind.csv",
        "--kind",
        "client_company",
        "--map",
        "Gemeente=address.city",
        "--columns",
        "name,address.city",
        "--header",
        "path",
        "--out",
        out,
    )
    assert (0, "") == (code, stderr)
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    assert ("Bakkerij Peeters", "Gent") == (rows[0]["name"], rows[0]["address.city"])


def test_qr_reads_through_a_profile_and_names_the_party_kind_apart(tmp_path: Path) -> None:
    out = tmp_path / "covers.pdf"
    code, _, stderr = invoke(
        "qr",
        EXPORTS / "exact_online_accounts.csv",
        "--profile",
        "exact_online",
        "--party-kind",
        "client_company",
        "--kind",
        "invoices",
        "--tenant",
        "acme",
        "--out",
        out,
    )
    assert (0, "") == (code, stderr)
    assert out.read_bytes().startswith(b"%PDF")
