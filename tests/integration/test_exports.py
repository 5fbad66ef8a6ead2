"""Hand-written exports of the kind Belgian and Dutch practice software writes, each read,
checked and validated the way an analyst would: ``clientcore check`` / ``validate`` in
process, and :func:`clientcore.completeness.check` on the path."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from clientcore import ValidationError
from clientcore.cli import build_app, validate_file
from clientcore.completeness import check
from clientcore.io import read
from clientcore.model import CustomField, FieldType, default_schema

EXPORTS = Path(__file__).parent.parent / "data" / "exports"
TODAY = dt.date(2026, 1, 1)
ENV = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(build_app(), [str(a) for a in args], env=ENV)


def codes(report_issues: object) -> list[tuple[int, str, str]]:
    return [(i.row, i.path, i.code) for i in report_issues]  # type: ignore[attr-defined]


def test_the_corpus_holds_at_least_twelve_hand_written_exports() -> None:
    exports = [p for p in EXPORTS.iterdir() if p.suffix in (".csv", ".txt", ".json")]
    assert len(exports) >= 12


# --- Dutch, Windows-1252, ';', day-first dates, words for kinds, statuses, countries ---


def test_a_belgian_dutch_cp1252_export_is_read_with_its_words() -> None:
    table = read(EXPORTS / "nl_be_klanten_cp1252.csv")
    parties = [r.party for r in table]
    reading = table.reading
    assert ("windows-1252", True, ";", 4) == (
        reading.encoding,
        reading.encoding_detected,
        reading.delimiter,
        reading.rows_read,
    )
    assert () == reading.unmapped
    assert ("Ondernemingsnummer", "enterprise_number", "label") in [
        (c.source, c.path, c.how) for c in reading.columns
    ]
    assert None not in parties
    first, _, _, person = parties
    assert first is not None
    assert person is not None
    assert ("client_company", "client", True, "BE", dt.date(2020, 1, 31), "nl") == (
        first.kind.value,
        first.status.value,
        first.vat_liable,
        first.address.country if first.address else None,
        first.client_since,
        first.language,
    )
    assert ("client_person", "former_client", "Hélène Dubois") == (
        person.kind.value,
        person.status.value,
        person.name,
    )


def test_validate_finds_the_bad_enterprise_number_and_e_mail_of_the_dutch_export() -> None:
    report = validate_file(EXPORTS / "nl_be_klanten_cp1252.csv")
    assert (4, 1) == (report.records, report.records_with_issues)
    assert [
        (4, "enterprise_number", "identifier.invalid_checksum"),
        (4, "email", "identifier.invalid_format"),
    ] == codes(report.issues)


def test_check_of_the_dutch_export_fails_and_names_what_it_could_not_judge() -> None:
    report = check(EXPORTS / "nl_be_klanten_cp1252.csv", today=TODAY)
    assert not report.ok
    assert ["K0003"] == [f.number for f in report.result("enterprise_number").findings]
    assert {"tasks", "aml.risk", "aml.verified_on", "national_number"} <= set(
        report.missing_columns
    )
    assert not report.result("closing").judged
    text = report.to_text()
    assert "Not judged: the input has no column" in text
    assert "encoding: windows-1252 (detected)" in text
    assert "Result: FAIL" in text
    assert "error rules not judged" in text


def test_the_check_command_on_the_dutch_export_exits_1() -> None:
    result = invoke("check", EXPORTS / "nl_be_klanten_cp1252.csv", "--today", "2026-01-01")
    assert 1 == result.exit_code, result.output
    assert "enterprise_number" in result.output


# --- French, UTF-8 with BOM ---


def test_a_french_export_with_a_bom_is_read_and_its_bad_number_found() -> None:
    table = read(EXPORTS / "fr_be_clients_utf8_bom.csv")
    results = list(table)
    assert ("utf-8-sig", ";") == (table.reading.encoding, table.reading.delimiter)
    parties = [r.party for r in results if r.party is not None]
    assert 3 == len(parties)
    assert [dt.date(2019, 9, 2), dt.date(2016, 11, 20), None] == [p.client_since for p in parties]
    assert ["client", "client", "former_client"] == [p.status.value for p in parties]
    assert ["fr", "fr", "fr"] == [p.language for p in parties]
    report = validate_file(EXPORTS / "fr_be_clients_utf8_bom.csv", lang="fr")
    assert [(3, "enterprise_number", "identifier.invalid_checksum")] == codes(report.issues)


# --- English, UTF-8 without BOM, ',' ---


def test_an_english_export_reads_every_column_and_validates_clean() -> None:
    table = read(EXPORTS / "en_clients_utf8.csv")
    parties = [r.party for r in table]
    assert (",", "utf-8", ()) == (
        table.reading.delimiter,
        table.reading.encoding,
        table.reading.unmapped,
    )
    assert ["en", "en", "en"] == [p.language for p in parties if p is not None]
    assert validate_file(EXPORTS / "en_clients_utf8.csv").ok


# --- UTF-16 with BOM, tab-separated (Excel's "Unicode text") ---


def test_a_utf16_tab_separated_export_is_read() -> None:
    table = read(EXPORTS / "nl_klanten_utf16_tab.txt")
    results = list(table)
    assert ("utf-16", "\t") == (table.reading.encoding, table.reading.delimiter)
    assert ["NL", "NL"] == [r.party.address.country for r in results if r.party and r.party.address]
    report = validate_file(EXPORTS / "nl_klanten_utf16_tab.txt")
    assert [(3, "kvk_number", "identifier.invalid_length")] == codes(report.issues)


# --- Exact Online ---


def test_an_exact_online_export_needs_its_profile() -> None:
    with pytest.raises(ValidationError) as caught:
        check(EXPORTS / "exact_online_accounts.csv", today=TODAY)
    assert ["read.kind.missing"] == [i.code for i in caught.value.issues]


def test_an_exact_online_export_is_read_with_the_exact_online_profile() -> None:
    table = read(EXPORTS / "exact_online_accounts.csv", profile="exact_online")
    parties = [r.party for r in table]
    assert ["1", "2", "3"] == [p.number for p in parties if p]
    assert ["client", "prospect", "suspect"] == [p.status.value for p in parties if p]
    assert ["34567890", "56789012", None] == [p.kvk_number for p in parties if p]
    assert "0b1c2d3e-0000-4000-8000-000000000001" == parties[0].external_keys["exact_online"]  # type: ignore[union-attr]
    assert {"AddressLine2", "CountryName", "IsSupplier", "Blocked"} <= set(table.reading.dropped)
    assert () == table.reading.unmapped
    report = validate_file(EXPORTS / "exact_online_accounts.csv", profile="exact_online")
    assert [(4, "email", "identifier.invalid_format")] == codes(report.issues)


def test_the_check_command_takes_a_profile_by_name() -> None:
    result = invoke(
        "check", EXPORTS / "exact_online_accounts.csv", "--profile", "exact_online",
        "--today", "2026-01-01", "--format", "json",
    )  # fmt: skip
    assert 1 == result.exit_code
    data = json.loads(result.output)
    assert "exact_online" == data["reading"]["profile"]
    assert "tasks" in data["summary"]["missing_columns"]


# --- missing status, missing kind, empty, header only ---


def test_a_file_without_status_never_passes_the_client_rules() -> None:
    report = check(EXPORTS / "missing_status.csv", today=TODAY)
    assert "status" in report.missing_columns
    assert not report.result("enterprise_number").judged
    assert not report.ok
    assert report.to_text().count("status") >= 1
    # validate still finds the bad enterprise number the check could not judge
    assert [(2, "enterprise_number", "identifier.invalid_checksum")] == codes(
        validate_file(EXPORTS / "missing_status.csv").issues
    )


def test_a_file_without_kind_is_one_file_level_error_not_one_per_row() -> None:
    result = invoke("check", EXPORTS / "missing_kind.csv", "--today", "2026-01-01")
    assert 2 == result.exit_code
    assert 1 == result.output.count("No column says what kind of party")
    result = invoke("validate", EXPORTS / "missing_kind.csv")
    assert 2 == result.exit_code


def test_a_default_kind_reads_a_file_without_kind() -> None:
    result = invoke(
        "check", EXPORTS / "missing_kind.csv", "--kind", "client_company", "--today", "2026-01-01"
    )
    assert 1 == result.exit_code  # read, and not OK: status and tasks are missing
    assert "kind = client_company" in result.output
    assert validate_file(EXPORTS / "missing_kind.csv", kind="Klant-Bedrijf").ok


# --- no kind column: the firm's own rule tells persons from companies, never a guess ---


def test_a_kind_rule_gives_persons_and_companies_their_kind_and_refuses_the_rest() -> None:
    table = read(EXPORTS / "nl_be_klanten_zonder_soort.csv", profile=EXPORTS / "kind_rule.toml")
    results = list(table)
    assert ("windows-1252", ("kind",), "kind_by_rule") == (
        table.reading.encoding,
        table.reading.derived,
        table.reading.profile,
    )
    assert [
        ("Bakkerij Peeters", "client_company"),
        ("Janssens", "client_person"),
        ("Wouters", "client_person"),
        ("Drukkerij Wouters", "client_company"),
    ] == [(r.party.name, r.party.kind.value) for r in results if r.party is not None]
    # both sides filled (a national number and a legal form), and neither: never guessed
    assert [(6, "kind", "read.kind.underived"), (7, "kind", "read.kind.underived")] == [
        (r.row, i.path, i.code) for r in results if r.party is None for i in r.issues
    ]


def test_check_and_validate_report_the_rows_a_kind_rule_cannot_place() -> None:
    args = (EXPORTS / "nl_be_klanten_zonder_soort.csv", "--profile", EXPORTS / "kind_rule.toml")
    checked = invoke("check", *args, "--today", "2026-01-01")
    assert 1 == checked.exit_code
    assert "derived by the profile's rule: kind" in checked.output
    assert "4 parties" in checked.output
    assert 2 == checked.output.count("The profile's kind rule gives this row no kind")
    assert "kind" not in checked.output.split("Not judged:")[1].split(";")[0].split(", ")
    validated = invoke("validate", *args)
    assert 1 == validated.exit_code
    assert "read.kind.underived 2" in validated.output


def test_a_default_kind_places_what_the_kind_rule_cannot() -> None:
    results = list(
        read(
            EXPORTS / "nl_be_klanten_zonder_soort.csv",
            profile=EXPORTS / "kind_rule.toml",
            kind="relation_company",
        )
    )
    kinds = [r.party.kind.value if r.party else r.issues[0].code for r in results]
    # the default applies where the rule gives no kind; the model still judges the row
    assert [
        "client_company",
        "client_person",
        "client_person",
        "client_company",
        "party.field.person_only",
        "relation_company",
    ] == kinds


def test_a_kind_rule_whose_fields_the_file_lacks_is_a_file_error() -> None:
    profile = {
        "name": "p",
        "kind_rule": {"role": "client", "person": ["bsn"], "company": ["kvk_number"]},
    }
    table = read(EXPORTS / "nl_be_klanten_zonder_soort.csv", profile=profile)
    assert ["read.kind.rule_unmapped"] == [i.code for i in table.reading.errors]
    assert "bsn, kvk_number" in table.reading.errors[0].message()


@pytest.mark.parametrize("name", ["empty.csv", "header_only.csv"])
def test_an_empty_input_is_an_input_error(name: str) -> None:
    for command in ("check", "validate"):
        result = invoke(command, EXPORTS / name, "--kind", "client_company")
        assert 2 == result.exit_code, (command, result.output)
    with pytest.raises(ValidationError):
        check(EXPORTS / name, today=TODAY, kind="client_company")


# --- Dutch client persons, DD-MM-YYYY and DD.MM.YYYY ---


def test_dutch_dates_with_dashes_and_dots_are_read_day_first() -> None:
    results = list(read(EXPORTS / "nl_nl_dates.csv"))
    first, second, third = results
    assert first.party is not None
    assert second.party is not None
    assert (dt.date(1971, 3, 5), dt.date(2019, 1, 1)) == (
        first.party.birth_date,
        first.party.client_since,
    )
    assert (dt.date(1985, 11, 17), dt.date(2023, 12, 31), "former_client") == (
        second.party.birth_date,
        second.party.client_until,
        second.party.status.value,
    )
    assert [("birth_date", "value.invalid_date")] == [(i.path, i.code) for i in third.issues]
    report = validate_file(EXPORTS / "nl_nl_dates.csv")
    assert [(3, "bsn", "identifier.invalid_checksum"), (4, "birth_date", "value.invalid_date")] == (
        codes(report.issues)
    )


# --- ambiguous and unknown columns, unknown country ---


def test_an_ambiguous_header_is_reported_never_guessed() -> None:
    table = read(EXPORTS / "ambiguous_unknown.csv")
    results = list(table)
    warnings = {(i.path, i.code) for i in table.reading.warnings}
    assert {
        ("Nummer", "read.column.ambiguous"),
        ("Kleur", "read.column.unknown"),
        ("Woonplaats", "read.column.duplicate"),
    } == warnings
    assert "number" not in table.reading.paths
    assert "enterprise_number" not in table.reading.paths
    assert [("address.country", "value.invalid_country")] == [
        (i.path, i.code) for i in results[1].issues
    ]
    mapped = read(EXPORTS / "ambiguous_unknown.csv", columns=["Nummer=enterprise_number"])
    assert ["0403170701", None] == [r.party.enterprise_number if r.party else None for r in mapped]
    assert ("Nummer", "enterprise_number", "option") in [
        (c.source, c.path, c.how) for c in mapped.reading.columns
    ]


def test_check_lists_a_row_with_an_unknown_country_as_unreadable() -> None:
    report = check(EXPORTS / "ambiguous_unknown.csv", today=TODAY)
    assert [3] == [r.row for r in report.rejected]
    assert not report.ok


# --- AuditCase words ---


def test_auditcase_registration_types_and_statuses_are_read() -> None:
    parties = [r.party for r in read(EXPORTS / "auditcase_relaties.csv")]
    assert [
        ("client_person", "client"),
        ("client_person", "client"),
        ("relation_company", "relation"),
        ("relation_person", "service_provider"),
    ] == [(p.kind.value, p.status.value) for p in parties if p]
    report = validate_file(EXPORTS / "auditcase_relaties.csv", lang="nl")
    assert [(3, "national_number", "identifier.invalid_checksum")] == codes(report.issues)
    checked = check(EXPORTS / "auditcase_relaties.csv", today=TODAY)
    assert ["Tom Jacobs"] == [f.name for f in checked.result("national_number").findings]


# --- formula injection ---


def test_cells_that_look_like_formulas_are_read_as_text_and_written_safely(
    tmp_path: Path,
) -> None:
    parties = [r.party for r in read(EXPORTS / "formula_names.csv")]
    assert '=HYPERLINK("http://evil.example","klik")' == parties[0].name  # type: ignore[union-attr]
    out = tmp_path / "report.csv"
    result = invoke(
        "check", EXPORTS / "formula_names.csv", "--format", "csv", "--excel", "--out", out,
        "--today", "2026-01-01",
    )  # fmt: skip
    assert 1 == result.exit_code
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    text = data.decode("utf-8-sig")
    assert ";'=HYPERLINK(" in text.replace('"', "")
    assert ";'@Apenstaart;" in text
    assert ";'-Min NV;" in text
    assert "\n=" not in text
    assert ";=" not in text


# --- a profile of the firm's own software ---


def test_a_toml_profile_maps_columns_values_checkboxes_dates_and_numbers() -> None:
    schema = default_schema().with_custom(CustomField("finance", "turnover", FieldType.NUMBER))
    table = read(
        EXPORTS / "with_profile_export.csv", profile=EXPORTS / "with_profile.toml", schema=schema
    )
    parties = [r.party for r in table]
    assert [
        ("A1", "client", True, True, dt.date(2021, 3, 15), 1250000.5, "BE"),
        ("A2", "prospect", False, False, dt.date(2022, 12, 1), 98000, "BE"),
    ] == [
        (
            p.number,
            p.status.value,
            p.vat_liable,
            p.portal.enabled,
            p.client_since,
            p.custom_value("finance", "turnover"),
            p.address.country if p.address else None,
        )
        for p in parties
        if p
    ]
    assert ("firm_crm", ("Interne notitie",), ()) == (
        table.reading.profile,
        table.reading.dropped,
        table.reading.unmapped,
    )


def test_a_bad_profile_is_refused_with_every_fault_and_its_path() -> None:
    result = invoke(
        "check", EXPORTS / "missing_kind.csv", "--profile", EXPORTS / "bad_profile.json"
    )
    assert 2 == result.exit_code
    for path in ("$.columns.Naam", "$.defaults.kind", "$.date_order", "$.colour"):
        assert path in result.output, path


# --- JSON rows with en/nl/fr headings ---


def test_a_json_list_of_rows_uses_the_same_heading_recognition() -> None:
    parties = [r.party for r in read(EXPORTS / "clients.json")]
    assert [("BE", dt.date(2020, 1, 31), None), ("BE", None, True)] == [
        (p.address.country if p.address else None, p.client_since, p.vat_liable)
        for p in parties
        if p
    ]


def test_python_m_clientcore_runs_the_command() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "clientcore", "validate", str(EXPORTS / "en_clients_utf8.csv")],
        capture_output=True, text=True, env=ENV, timeout=120, check=False,
    )  # fmt: skip
    assert 0 == done.returncode, done.stderr
    assert "3 records read, 0 with issues" in done.stdout
