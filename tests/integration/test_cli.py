from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import clientcore
from clientcore.cli import _validate_with_progress, build_app, main, write_sample
from clientcore.model import Party, email, write_csv

# A wide, colourless terminal: the table never wraps a message in these tests.
ENV = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clientcore.cli", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=ENV,
        cwd=cwd,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def sample_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "nested" / "dir" / "sample.csv"
    result = run("sample", "--count", "300", "--seed", "4", "--out", out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def clean_csv(tmp_path: Path) -> Path:
    path = tmp_path / "clean.csv"
    write_csv(
        [
            Party(
                id="p1",
                kind="client_company",
                name="Peeters BV",
                number="C000001",
                enterprise_number="0403170701",
                email="info@peeters.be",
            ),
            Party(id="p2", kind="client_person", name="An Maes", email="an.maes@telenet.be"),
        ],
        path,
    )
    return path


@pytest.fixture
def bad_cell_csv(tmp_path: Path) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text(
        "id,kind,name,number,client_since,email\n"
        "p1,client_company,Peeters BV,C000001,2020-01-31,info@peeters.be\n"
        "p2,client_company,Maes NV,C000002,01/31/2020,info@maes.be\n"
        "p3,client_person,Jan Claes,C000003,,jan.claes@@telenet.be\n",
        encoding="utf-8",
    )
    return path


def test_sample_writes_one_row_per_party_and_creates_the_directory(sample_csv: Path) -> None:
    with open(sample_csv, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 300
    assert len({row["id"] for row in rows}) == 300
    assert {row["kind"] for row in rows} == {
        "client_company",
        "client_person",
        "relation_company",
        "relation_person",
    }


def test_sample_prints_a_summary_with_the_counts_per_kind(tmp_path: Path) -> None:
    result = run("sample", "-n", "40", "--seed", "1", "--out", tmp_path / "s.csv")
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip()
    assert line.startswith("wrote 40 parties to ")
    for label in ("client companies", "client persons", "relation companies"):
        assert label in line


def test_sample_is_deterministic_for_a_seed_and_a_day(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    for path, seed in ((a, "9"), (b, "9"), (c, "10")):
        result = run("sample", "-n", "25", "--seed", seed, "--today", "2027-03-01", "--out", path)
        assert result.returncode == 0, result.stderr
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


def test_sample_refuses_a_bad_day_as_a_usage_error(tmp_path: Path) -> None:
    result = run("sample", "-n", "5", "--today", "01/02/2026", "--out", tmp_path / "x.csv")
    assert result.returncode == 2
    assert "--today" in result.stderr
    assert not (tmp_path / "x.csv").exists()


def test_validate_exits_1_when_a_record_has_issues(sample_csv: Path) -> None:
    result = run("validate", sample_csv, "--limit", "5")
    assert result.returncode == 1, result.stderr
    assert "300 records read" in result.stdout
    assert "identifier.invalid_checksum" in result.stdout
    assert "first 5 of" in result.stdout


def test_validate_exits_0_on_a_clean_file(clean_csv: Path) -> None:
    result = run("validate", clean_csv)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 records read, 0 with issues" in result.stdout


def test_validate_lists_a_bad_cell_with_its_row_number_and_column(bad_cell_csv: Path) -> None:
    result = run("validate", bad_cell_csv)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    bad_date = next(line for line in lines if "client_since" in line)
    assert bad_date.split()[0] == "3"  # the header is row 1
    assert "'01/31/2020' is not a date" in bad_date
    bad_email = next(line for line in lines if "jan.claes@@" in line)
    assert bad_email.split()[:2] == ["4", "C000003"]
    assert "3 records read, 2 with issues" in result.stdout


def test_validate_speaks_dutch_with_lang_nl(bad_cell_csv: Path) -> None:
    result = run("validate", bad_cell_csv, "--lang", "nl")
    assert result.returncode == 1
    words = " ".join(result.stdout.split())  # the table may wrap a message
    assert "'01/31/2020' is geen datum (JJJJ-MM-DD" in words
    assert "is not a date" not in words


def test_validate_speaks_french_with_lang_fr(bad_cell_csv: Path) -> None:
    result = run("validate", bad_cell_csv, "--lang", "fr")
    assert "n'est pas une date" in result.stdout


def test_validate_prints_json_that_parses_with_format_json(bad_cell_csv: Path) -> None:
    result = run("validate", bad_cell_csv, "--format", "json", "--lang", "nl")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["records"] == 3
    assert report["records_with_issues"] == 2
    by_row = {issue["row"]: issue for issue in report["issues"]}
    assert set(by_row) == {3, 4}
    assert by_row[3]["path"] == "client_since"
    assert by_row[3]["party_id"] is None
    assert by_row[4] == {
        "row": 4,
        "party_id": "p3",
        "number": "C000003",
        "name": "Jan Claes",
        "path": "email",
        "code": "identifier.invalid_format",
        "message": by_row[4]["message"],
    }
    expected = email.explain("jan.claes@@telenet.be")
    assert expected is not None
    assert by_row[4]["message"] == expected.message("nl")


def test_limit_caps_the_listed_records_but_the_summary_counts_all(sample_csv: Path) -> None:
    full = json.loads(run("validate", sample_csv, "--format", "json").stdout)
    capped = json.loads(run("validate", sample_csv, "--format", "json", "--limit", "2").stdout)
    assert capped["records_with_issues"] == full["records_with_issues"] > 2
    assert len({issue["row"] for issue in capped["issues"]}) == 2
    assert len({issue["row"] for issue in full["issues"]}) == full["records_with_issues"]
    assert capped["issues_by_code"] == full["issues_by_code"]


def test_validate_exits_2_on_a_missing_file(tmp_path: Path) -> None:
    result = run("validate", tmp_path / "nope.csv")
    assert result.returncode == 2
    assert "does not exist" in result.stderr


def test_validate_exits_2_on_an_unknown_language(clean_csv: Path) -> None:
    result = run("validate", clean_csv, "--lang", "de")
    assert result.returncode == 2


@pytest.fixture(scope="module")
def large_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sample file over the 1 MB from which a terminal gets a progress bar."""
    path = tmp_path_factory.mktemp("large") / "large.csv"
    write_sample(path, 1_500, seed=2)
    assert path.stat().st_size > 1 << 20
    return path


def test_validate_shows_no_progress_bar_when_stderr_is_not_a_terminal(large_csv: Path) -> None:
    result = run("validate", large_csv, "--limit", "1")
    assert result.returncode == 1
    assert result.stderr == ""


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_validate_shows_a_progress_bar_when_stderr_is_a_terminal(large_csv: Path) -> None:
    master, slave = os.openpty()
    env = {**ENV, "TERM": "xterm-256color"}
    with subprocess.Popen(
        [sys.executable, "-m", "clientcore.cli", "validate", str(large_csv), "--limit", "1"],
        stdout=subprocess.PIPE,
        stderr=slave,
        env=env,
    ) as process:
        os.close(slave)
        received = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # the terminal closes when the command ends
                break
            if not data:
                break
            received.append(data)
        stdout = process.stdout.read() if process.stdout else b""
        assert process.wait(timeout=120) == 1
    os.close(master)
    terminal = b"".join(received).decode("utf-8", errors="replace")
    assert "validating" in terminal
    assert "1500 records read" in stdout.decode()


def test_version_prints_the_package_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"clientcore, version {clientcore.__version__}"


def test_the_console_script_runs_the_same_command() -> None:
    script = Path(sys.executable).with_name("clientcore")
    if not script.exists():
        pytest.skip("the clientcore console script is not installed next to this Python")
    result = subprocess.run(
        [str(script), "--help"], capture_output=True, text=True, env=ENV, check=False
    )
    assert result.returncode == 0
    assert "sample" in result.stdout
    assert "validate" in result.stdout


def test_without_click_or_rich_the_command_says_what_to_install() -> None:
    code = (
        "import sys; sys.modules['click'] = None; sys.modules['rich'] = None;"
        "from clientcore.cli import main; main(['--version'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=ENV, check=False
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "the clientcore command needs the cli extra: pip install 'clientcore[cli]'"
    )


def test_importing_the_cli_module_imports_neither_click_nor_rich() -> None:
    code = (
        "import sys, clientcore.cli, clientcore.sample;"
        "print(sorted({'click', 'rich'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=ENV, check=True
    )
    assert result.stdout.strip() == "[]"


# --- the same commands in process (fast, and seen by coverage) ---


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(build_app(), [str(a) for a in args], env=ENV)


def test_in_process_validate_lists_every_issue_under_its_record(bad_cell_csv: Path) -> None:
    result = invoke("validate", bad_cell_csv, "--lang", "fr")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{bad_cell_csv}: 2 records with issues")
    assert any("(unreadable row)" in line and "n'est pas une date" in line for line in lines)
    assert "3 records read, 2 with issues (66.7%), 2 issues in all" in result.output
    assert "issues by code: identifier.invalid_format 1, value.invalid_date 1" in result.output


def test_in_process_validate_says_how_many_records_it_left_out(sample_csv: Path) -> None:
    result = invoke("validate", sample_csv, "--limit", "1")
    assert result.exit_code == 1
    assert "first 1 of" in result.output
    assert "more records with issues not listed" in result.output


def test_in_process_validate_of_a_clean_file_prints_the_summary_and_the_reading(
    clean_csv: Path,
) -> None:
    result = invoke("validate", clean_csv)
    assert result.exit_code == 0
    assert [
        "2 records read, 0 with issues (0.0%), 0 issues in all",
        "read as: csv, encoding: utf-8 (detected), delimiter: ',', profile: generic, rows: 2",
    ] == result.output.strip().splitlines()[:2]


def test_in_process_sample_writes_the_file_and_its_summary(tmp_path: Path) -> None:
    out = tmp_path / "deeper" / "s.csv"
    result = invoke("sample", "--count", "12", "--seed", "3", "--out", out)
    assert result.exit_code == 0
    assert result.output.startswith(f"wrote 12 parties to {out}: ")
    assert len(out.read_text("utf-8").splitlines()) == 13


def test_in_process_sample_reports_a_file_it_cannot_write_as_a_usage_error(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    result = invoke("sample", "--count", "3", "--out", blocker / "s.csv")
    assert result.exit_code == 2
    assert "cannot write" in result.output


def test_main_runs_the_command_group(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"clientcore, version {clientcore.__version__}"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_goes_to_a_terminal_stderr_for_a_large_file(
    large_csv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    report = _validate_with_progress(large_csv, "en", 1)
    assert report.records == 1_500
    assert "validating" in terminal.getvalue()


def test_a_small_file_gets_no_progress_bar_even_on_a_terminal(
    clean_csv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert _validate_with_progress(clean_csv, "en", None).ok
    assert terminal.getvalue() == ""
