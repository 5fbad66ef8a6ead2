"""The sync and apply commands, end to end on the hand-written CRM export."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

import pytest
from click.testing import CliRunner

from clientcore.cli import build_app, sync_files
from clientcore.model import read_csv

DATA = pathlib.Path(__file__).parent.parent / "data" / "sync"
OURS = DATA / "registry.csv"
THEIRS = DATA / "crm_export.csv"


def invoke(*args: str | pathlib.Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(build_app(), [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_sync_prints_the_buckets_with_counts_and_the_fields_that_differ() -> None:
    code, out, _ = invoke("sync", OURS, THEIRS, "--fuzzy")
    assert 0 == code
    lines = out.splitlines()
    assert "new 3 · only ours 2 · duplicates 4 · conflicts 2 · probable 1 · invalid 2" == lines[0]
    assert "    email: info@bakkerijpeeters.be → boekhouding@bakkerijpeeters.be" in lines
    assert any("[returning client]" in line for line in lines)


def test_sync_speaks_dutch_and_french() -> None:
    _, out, _ = invoke("sync", OURS, THEIRS, "--lang", "nl")
    assert out.startswith("enkel in import 4 · enkel bij ons 3")
    _, out_fr, _ = invoke("sync", OURS, THEIRS, "--lang", "fr")
    assert "doublons 4" in out_fr


def test_sync_writes_json_html_and_xlsx(tmp_path: pathlib.Path) -> None:
    code, out, _ = invoke("sync", OURS, THEIRS, "--format", "json")
    assert 0 == code
    data = json.loads(out)
    assert 4 == data["counts"]["duplicates"]
    assert ["national_number", "enterprise_number", "vat_number", "number", "email"] == data["keys"]
    html_file = tmp_path / "diff.html"
    assert 0 == invoke("sync", OURS, THEIRS, "--format", "html", "--out", html_file)[0]
    assert "<table>" in html_file.read_text(encoding="utf-8")
    xlsx = tmp_path / "diff.xlsx"
    assert 0 == invoke("sync", OURS, THEIRS, "--format", "xlsx", "--out", xlsx)[0]
    import openpyxl

    sheet = openpyxl.load_workbook(xlsx).active
    assert "bucket" == sheet.cell(1, 1).value
    assert 2 == invoke("sync", OURS, THEIRS, "--format", "xlsx")[0]


def test_a_bad_key_is_refused_with_exit_2_and_the_keys_it_knows() -> None:
    code, _, err = invoke("sync", OURS, THEIRS, "--keys", "email,colour")
    assert 2 == code
    assert "'colour' cannot be matched on" in err


def test_sync_keys_change_the_matching() -> None:
    _, out, _ = invoke("sync", OURS, THEIRS, "--keys", "email", "--format", "json")
    assert ["email"] == json.loads(out)["keys"]


def test_plan_apply_and_undo_round_trip_through_files(tmp_path: pathlib.Path) -> None:
    plan = tmp_path / "plan.json"
    code, _, err = invoke(
        "sync", OURS, THEIRS, "--plan", plan, "--overwrite", "name,email", "--add",
        "--default", "status=prospect", "--default", "labels=import;2026",
    )  # fmt: skip
    assert 0 == code, err
    data = json.loads(plan.read_text(encoding="utf-8"))
    assert 1 == data["clientcore_sync_plan"]
    assert 4 == len(data["creations"])
    new = tmp_path / "out" / "new.csv"
    code, out, err = invoke("apply", plan, OURS, "--out", new, "--at", "2026-01-05T09:00")
    assert 0 == code, err
    assert out.startswith("created 4, changed 2, ended 0")
    undo = tmp_path / "out" / "new.csv.undo.json"
    assert undo.exists()
    created = [r.party for r in read_csv(new) if r.party and "import" in r.party.labels]
    assert {"nl", "fr", "de"} == {p.language for p in created}
    back = tmp_path / "back.csv"
    assert 0 == invoke("apply", undo, new, "--out", back, "--at", "2026-01-05T09:05")[0]
    again = sync_files(OURS, back)
    assert {"new": 0, "only_ours": 0, "duplicates": 10} == {
        k: v for k, v in again.counts().items() if k in ("new", "only_ours", "duplicates")
    }
    assert all(not m.changed for m in again.duplicates)


def test_apply_refuses_a_plan_that_would_need_rights_the_actor_lacks(
    tmp_path: pathlib.Path,
) -> None:
    plan = tmp_path / "plan.json"
    assert 0 == invoke("sync", OURS, THEIRS, "--plan", plan, "--end")[0]
    new = tmp_path / "new.csv"
    code, _, err = invoke(
        "apply", plan, OURS, "--out", new, "--role", "staff", "--at", "2026-01-05"
    )
    assert 1 == code
    assert "None of your roles (staff) allows 'end_engagement'" in err
    assert not new.exists()
    code, out, _ = invoke("apply", plan, OURS, "--out", new, "--at", "2026-01-05")
    assert 0 == code
    assert "ended 3" in out


def test_a_broken_plan_file_is_refused_with_its_json_path(tmp_path: pathlib.Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text('{"clientcore_sync_plan": 1, "id": "a", "colour": 1}', encoding="utf-8")
    code, _, err = invoke("apply", plan, OURS, "--out", tmp_path / "new.csv")
    assert 1 == code
    assert "unknown key 'colour'" in err


@pytest.mark.slow
def test_the_sync_command_runs_as_a_program(tmp_path: pathlib.Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "clientcore.cli", "sync", str(OURS), str(THEIRS)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert 0 == result.returncode, result.stderr
    assert result.stdout.startswith("new 4 ·")


def test_sync_reads_the_import_through_a_profile() -> None:
    theirs = DATA.parent / "exports" / "exact_online_accounts.csv"
    code, out, err = invoke("sync", OURS, theirs, "--profile", "exact_online", "--format", "json")
    assert (0, "") == (code, err)
    buckets = json.loads(out)["counts"]
    # two accounts are new; the third has a malformed e-mail address in the export
    assert (2, 1) == (buckets["new"], buckets["invalid"])
    code, _, err = invoke("sync", OURS, theirs, "--format", "json")
    assert 0 != code  # without the profile the import has no kind: nothing is guessed
