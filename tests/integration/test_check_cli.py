"""``clientcore check`` as a subprocess: formats, exit codes, bad rows, rule files, languages."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clientcore import Party
from clientcore.completeness import ROW_COLUMNS, check, default_rules, read_parties
from clientcore.model import rows_to_csv_text, write_csv
from clientcore.query import F

ENV = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
TODAY = "2026-01-01"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clientcore.cli", "check", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=ENV,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def sample_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("check") / "sample.csv"
    made = subprocess.run(
        [sys.executable, "-m", "clientcore.cli", "sample", "--count", "400", "--seed", "3",
         "--out", str(out)],
        capture_output=True, text=True, env=ENV, timeout=300, check=False,
    )  # fmt: skip
    assert 0 == made.returncode, made.stderr
    return out


def good_company(**changes: object) -> Party:
    fields: dict[str, object] = {
        "id": "good",
        "kind": "client_company",
        "name": "Bakkerij Peeters BV",
        "number": "C000001",
        "status": "client",
        "address": {"city": "Gent", "country": "BE"},
        "enterprise_number": "0403170701",
        "vat_liable": True,
        "email": "info@bakkerij-peeters.be",
        "aml": {"risk": "low", "verified_on": "2024-03-01"},
        "staff": {"partner": "Els"},
        "tasks": [{"code": "closing"}, {"code": "vat"}],
    }
    fields.update(changes)
    return Party(**fields)  # type: ignore[arg-type]


@pytest.fixture
def clean_csv(tmp_path: Path) -> Path:
    path = tmp_path / "clean.csv"
    write_csv([good_company()], path)
    return path


def test_a_sample_registry_fails_and_the_text_report_shows_the_table(sample_csv: Path) -> None:
    result = run(sample_csv, "--today", TODAY)
    assert 1 == result.returncode, result.stderr
    expected = check(read_parties(sample_csv, trusted=True), today=dt.date(2026, 1, 1))
    lines = result.stdout.splitlines()
    rules = len(default_rules())
    assert lines[0].startswith(f"Completeness check of {sample_csv}: 400 parties, {rules} rules")
    for rule_result in expected.results:
        row = next(line for line in lines if line.startswith(rule_result.rule.id + " "))
        assert [str(rule_result.in_scope), str(rule_result.failing)] == row.split()[2:4]
    assert "Result: FAIL (7 error rules fail)." == lines[-1]
    assert "" == result.stderr  # no progress bar on a pipe


def test_a_clean_file_passes_with_exit_status_0(clean_csv: Path) -> None:
    result = run(clean_csv, "--today", TODAY)
    assert 0 == result.returncode, result.stdout + result.stderr
    assert result.stdout.endswith("Result: OK (no error rule fails, every row read).\n")


def test_failing_warnings_alone_still_exit_0(tmp_path: Path) -> None:
    path = tmp_path / "warnings.csv"
    write_csv([good_company(staff={})], path)  # fails "partner", a warning
    result = run(path, "--today", TODAY)
    assert 0 == result.returncode
    assert "partner (warning): 1 of 1 failing" in result.stdout


def test_the_json_format_holds_the_whole_report(sample_csv: Path) -> None:
    result = run(sample_csv, "--today", TODAY, "--format", "json")
    assert 1 == result.returncode
    data = json.loads(result.stdout)
    expected = check(read_parties(sample_csv, trusted=True), today=dt.date(2026, 1, 1))
    assert (str(sample_csv), 400, False) == (data["source"], data["records"], data["ok"])
    assert [(r.rule.id, r.in_scope, r.failing) for r in expected.results] == [
        (r["id"], r["in_scope"], len(r["failures"])) for r in data["rules"]
    ]
    first = data["rules"][0]["failures"][0]
    assert first["row"] == expected.results[0].findings[0].row
    assert first["explanation"] == expected.results[0].findings[0].explanation()


def test_the_csv_format_is_one_line_per_failure(sample_csv: Path) -> None:
    result = run(sample_csv, "--today", TODAY, "--format", "csv", "--lang", "fr")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    expected = check(read_parties(sample_csv, trusted=True), today=dt.date(2026, 1, 1)).to_rows(
        "fr"
    )
    assert list(ROW_COLUMNS) == list(rows[0])
    assert len(expected) == len(rows)
    assert str(expected[0]["row"]) == rows[0]["row"]
    assert expected[0]["explanation"] == rows[0]["explanation"]


def test_the_html_format_is_a_whole_page(sample_csv: Path) -> None:
    result = run(sample_csv, "--today", TODAY, "--format", "html", "--limit", "2")
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>")
    assert page.rstrip().endswith("</html>")
    assert 12 == page.count("<details>")
    assert "<summary>" in page


def test_the_report_speaks_dutch(sample_csv: Path) -> None:
    result = run(sample_csv, "--today", TODAY, "--lang", "nl", "--limit", "1")
    assert result.stdout.startswith(f"Volledigheidstest van {sample_csv}: 400 partijen")
    assert "tasks: geen item waarvoor code is 'vat' en active is true" in result.stdout
    assert "Resultaat: GEFAALD" in result.stdout


def csv_with(tmp_path: Path, *rows: dict[str, str] | None) -> Path:
    """A CSV file of good companies: one line per row given, with its cells changed
    (``None`` is a line that cannot become a party: kind 'planet')."""
    text = rows_to_csv_text([good_company()])
    header, line = text.splitlines()[:2]
    columns = next(csv.reader([header]))
    good = dict(zip(columns, next(csv.reader([line]))))
    columns += sorted({c for r in rows if r for c in r} - set(columns))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for changes in rows:
        if changes is None:
            writer.writerow({c: {"kind": "planet", "name": "Mars"}.get(c, "") for c in columns})
        else:
            writer.writerow({**good, **changes})
    path = tmp_path / "parties.csv"
    path.write_text(buffer.getvalue(), "utf-8")
    return path


LOST_CONTACT = {
    "id": "lost",
    "number": "C000009",
    "locations": json.dumps([{"id": "antwerpen", "name": "Antwerpen"}]),
    "contacts": json.dumps([{"id": "c1", "first_name": "An", "location_id": "gent"}]),
}


def test_bad_rows_are_reported_with_their_row_number_and_do_not_stop_the_check(
    tmp_path: Path,
) -> None:
    path = csv_with(tmp_path, {}, None, LOST_CONTACT, {"id": "late", "tasks": ""})
    result = run(path, "--today", TODAY)
    assert 1 == result.returncode
    out = result.stdout
    assert "1 row could not be read and was not checked:" in out
    assert "  row 3: kind: Unknown party kind 'planet'; the kinds are client_company" in out
    assert "row 5  C000001  Bakkerij Peeters BV  tasks: no item where code is 'closing'" in out
    assert ": 3 parties," in out.splitlines()[0]


def test_a_contact_at_a_location_that_does_not_exist_fails_contact_location(
    tmp_path: Path,
) -> None:
    path = csv_with(tmp_path, {}, LOST_CONTACT)
    result = run(path, "--today", TODAY)
    assert 1 == result.returncode, result.stderr
    out = result.stdout
    assert ": 2 parties," in out.splitlines()[0]  # the row is read, not rejected
    assert "could not be read" not in out
    assert (
        "  row 3  C000009  Bakkerij Peeters BV  contacts[0].location_id: Location 'gent' of "
        "An (c1) does not exist on this party."
    ) in out
    assert "contact_location (error): 1 of 2 failing" in out
    assert out.endswith("Result: FAIL (1 error rule fails).\n")
    data = json.loads(run(path, "--today", TODAY, "--format", "json", "--lang", "nl").stdout)
    rule = next(r for r in data["rules"] if r["id"] == "contact_location")
    assert [(3, "contacts[0].location_id")] == [
        (f["row"], f["reasons"][0]["path"]) for f in rule["failures"]
    ]
    assert "Locatie 'gent' van An (c1) bestaat niet" in rule["failures"][0]["explanation"]


def test_contacts_at_existing_locations_pass_contact_location(tmp_path: Path) -> None:
    located = {**LOST_CONTACT, "contacts": json.dumps([{"id": "c1", "location_id": "antwerpen"}])}
    result = run(csv_with(tmp_path, located), "--today", TODAY)
    assert 0 == result.returncode, result.stdout
    row = next(line for line in result.stdout.splitlines() if line.startswith("contact_location"))
    assert ["contact_location", "error", "1", "0"] == row.split()[:4]


# --- exit status: 0 ok, 1 an error rule fails or a row is unreadable, 2 usage ---


@pytest.mark.parametrize(
    ("rows", "status", "verdict"),
    [
        (({},), 0, "Result: OK (no error rule fails, every row read)."),
        (({"staff.partner": ""},), 0, "Result: OK (no error rule fails, every row read)."),
        (({"tasks": ""},), 1, "Result: FAIL (2 error rules fail)."),
        (({}, None), 1, "Result: FAIL (1 row unreadable)."),
        (({"tasks": ""}, None, None), 1, "Result: FAIL (2 error rules fail, 2 rows unreadable)."),
    ],
    ids=["ok", "warning-only", "error-rule", "unreadable-row", "both"],
)
def test_the_exit_status_is_1_when_an_error_rule_fails_or_a_row_is_unreadable(
    tmp_path: Path, rows: tuple[dict[str, str] | None, ...], status: int, verdict: str
) -> None:
    result = run(csv_with(tmp_path, *rows), "--today", TODAY)
    assert (status, verdict) == (result.returncode, result.stdout.splitlines()[-1])


def test_a_rule_file_may_use_custom_fields(tmp_path: Path) -> None:
    rule = {
        "id": "billing_code",
        "title": {"en": "No billing code", "nl": "Geen facturatiecode", "fr": "Pas de code"},
        "severity": "error",
        "scope": F("status").eq("client").to_json(),
        "require": F("custom.billing.code").not_blank().to_json(),
    }
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"clientcore_rules": 1, "name": "firm", "rules": [rule]}))
    path = csv_with(tmp_path, {"custom.billing.code": "B12"}, {"id": "none"})
    result = run(path, "--rules", rules, "--today", TODAY)
    assert 1 == result.returncode, result.stderr
    assert "billing_code (error): 1 of 2 failing" in result.stdout
    assert "custom.billing.code: missing" in result.stdout


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("custom.billing", "Unknown field 'custom.billing'"),
        ("custom.bill-ing.code", "Unknown field 'custom.bill-ing.code'"),
        ("costum.billing.code", "Unknown field 'costum.billing.code'"),
    ],
)
def test_a_rule_file_naming_an_unknown_field_that_is_not_custom_is_refused(
    tmp_path: Path, clean_csv: Path, path: str, message: str
) -> None:
    rule = default_rules().only("vat").to_json()
    rule["rules"][0]["require"]["where"] = {"path": path, "op": "not_blank"}
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps(rule))
    result = run(clean_csv, "--rules", rules)
    assert 2 == result.returncode
    assert message in result.stderr
    assert "$.rules[0].require.where.path" in result.stderr


def test_a_rule_file_replaces_the_built_in_rules(tmp_path: Path, sample_csv: Path) -> None:
    rules = default_rules().only("vat", "partner")
    path = tmp_path / "rules.json"
    path.write_text(rules.to_json_text(), "utf-8")
    result = run(sample_csv, "--rules", path, "--today", TODAY, "--format", "json")
    data = json.loads(result.stdout)
    assert ("clientcore-be-nl", ["vat", "partner"]) == (
        data["ruleset"],
        [r["id"] for r in data["rules"]],
    )
    assert 1 == result.returncode


def test_a_rule_file_of_warnings_only_never_fails_the_check(
    tmp_path: Path, sample_csv: Path
) -> None:
    from clientcore.completeness import Rule, RuleSet

    rule = Rule("named", ("Named", "Met naam", "Nommé"), F("kind").eq("client_company"),
                F("name").contains("zzz"), "warning")  # fmt: skip
    path = tmp_path / "rules.json"
    path.write_text(RuleSet("ours", [rule]).to_json_text(), "utf-8")
    result = run(sample_csv, "--rules", path)  # no relative date: no --today needed
    assert 0 == result.returncode, result.stderr
    assert "named (warning):" in result.stdout


def test_a_bad_rule_file_is_a_usage_error_naming_the_json_path(
    tmp_path: Path, sample_csv: Path
) -> None:
    data = default_rules().only("vat").to_json()
    data["rules"][0]["severity"] = "fatal"
    data["rules"][0]["require"]["where"]["path"] = "taks"
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data), "utf-8")
    result = run(sample_csv, "--rules", path, "--lang", "nl")
    assert 2 == result.returncode
    assert (
        "Error: Invalid value for --rules: \n"
        "  $.rules[0].severity: Ernst 'fatal' is niet een van error, warning, info.\n"
        "  $.rules[0].require.where.path: Onbekend veld 'taks' (bedoelde u 'tasks'?).\n"
    ) in result.stderr
    assert "" == result.stdout


def test_a_rule_file_that_is_not_json_is_a_usage_error(tmp_path: Path, clean_csv: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text("{not json", "utf-8")
    result = run(clean_csv, "--rules", path)
    assert 2 == result.returncode
    assert "The rule file is not valid JSON" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv"], "does not exist"),
        (["{clean}", "--format", "xml"], "Invalid value for '--format'"),
        (["{clean}", "--today", "01/01/2026"], "Invalid value for '--today'"),
        (["{clean}", "--lang", "de"], "Invalid value for '--lang'"),
        (["{txt}"], "the file must end in .csv, .txt, .tsv, .xlsx or .json"),
    ],
)
def test_usage_errors_exit_with_status_2(
    tmp_path: Path, clean_csv: Path, args: list[str], message: str
) -> None:
    txt = tmp_path / "parties.doc"
    txt.write_text("kind,name\n", "utf-8")
    result = run(*[a.format(clean=clean_csv, txt=txt) for a in args])
    assert 2 == result.returncode
    assert message in result.stderr


def test_without_today_the_command_uses_the_system_clock(clean_csv: Path) -> None:
    before = dt.date.today()
    result = run(clean_csv)
    after = dt.date.today()
    heading = result.stdout.splitlines()[0]
    assert heading.endswith((f"today {before}", f"today {after}"))


def test_an_xlsx_file_is_checked_like_its_csv(tmp_path: Path, sample_csv: Path) -> None:
    import openpyxl

    with open(sample_csv, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append([cell or None for cell in row])
    path = tmp_path / "sample.xlsx"
    book.save(path)
    from_xlsx = json.loads(run(path, "--today", TODAY, "--format", "json").stdout)
    from_csv = json.loads(run(sample_csv, "--today", TODAY, "--format", "json").stdout)
    assert from_csv["rules"] == from_xlsx["rules"]


def test_a_json_file_is_checked_too(tmp_path: Path) -> None:
    from clientcore.model import party_to_json

    path = tmp_path / "parties.json"
    path.write_text(json.dumps([party_to_json(good_company(tasks=()))]), "utf-8")
    result = run(path, "--today", TODAY, "--format", "json")
    data = json.loads(result.stdout)
    assert 1 == result.returncode
    assert [1] == [f["row"] for f in data["rules"][0]["failures"]]


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_on_a_terminal_a_large_file_shows_a_progress_bar_on_stderr(tmp_path: Path) -> None:
    import pty

    made = subprocess.run(
        [sys.executable, "-m", "clientcore.cli", "sample", "--count", "1500", "--seed", "1",
         "--out", str(tmp_path / "big.csv")],
        capture_output=True, text=True, env=ENV, timeout=300, check=False,
    )  # fmt: skip
    assert 0 == made.returncode
    assert (tmp_path / "big.csv").stat().st_size >= 1 << 20
    controller, terminal = pty.openpty()
    env = {k: v for k, v in ENV.items() if k not in ("TERM", "NO_COLOR")} | {"TERM": "xterm"}
    process = subprocess.Popen(
        [sys.executable, "-m", "clientcore.cli", "check", str(tmp_path / "big.csv"),
         "--today", TODAY],
        stdout=subprocess.PIPE, stderr=terminal, env=env,
    )  # fmt: skip
    os.close(terminal)
    seen = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closed: the command is done
            break
        if not chunk:
            break
        seen += chunk
    stdout, _ = process.communicate(timeout=300)
    os.close(controller)
    assert 1 == process.returncode
    assert b"checking" in seen
    assert stdout.decode().startswith("Completeness check of")
