"""check(): what it runs, on what, with which day; and every rendering of its report."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clientcore import FilterError, Issue, Party, ValidationError
from clientcore.completeness import (
    ROW_COLUMNS,
    UNREADABLE,
    MissingExtra,
    Report,
    Rule,
    RuleSet,
    Severity,
    check,
    default_rules,
)
from clientcore.model import RowResult, read_csv, rows_to_csv_text, to_row
from clientcore.query import F, Today
from clientcore.sample import generate
from tests.strategies import filters, parties
from tests.unit.test_completeness_pack import company, person
from tests.unit.test_completeness_rules import assert_speaks_three_languages

TODAY = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def sample() -> list[Party]:
    return generate(400, seed=5, today=TODAY)


@pytest.fixture(scope="module")
def report(sample: list[Party]) -> Report:
    return check(sample, today=TODAY)


# --- running ---


def test_without_rules_the_built_in_pack_runs() -> None:
    report = check([company()], today=TODAY)
    assert default_rules() == report.rules
    assert list(default_rules().ids) == [r.rule.id for r in report.results]
    assert report.ok


def test_rules_with_a_relative_date_refuse_to_run_without_a_day() -> None:
    with pytest.raises(FilterError) as caught:
        check([company()])
    issue = caught.value.issues[0]
    assert ("completeness.needs_today", "today") == (issue.code, issue.path)
    assert "eid, aml" == issue.params["rules"]
    assert (
        "check() needs a day: the rules eid, aml compare with a date relative to today. "
        "Pass today=datetime.date(...) (the library never reads the clock)."
    ) == issue.message()
    assert "today=" in issue.message("nl")
    assert "eid, aml" in issue.message("fr")
    assert issue.message() in str(caught.value)
    assert_speaks_three_languages(caught.value)


def test_rules_without_a_relative_date_run_without_a_day() -> None:
    report = check([company(tasks=())], default_rules().only("closing", "vat"))
    assert (1, 1) == (report.result("closing").failing, report.result("vat").failing)


@pytest.mark.parametrize("today", [dt.datetime(2026, 1, 1, 12, 0), "2026-01-01"])
def test_a_day_that_is_not_a_date_is_refused(today: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        check([company()], today=today)
    assert "completeness.today.invalid" == caught.value.issues[0].code
    assert_speaks_three_languages(caught.value)


def test_a_language_other_than_en_nl_fr_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        check([company()], today=TODAY, lang="de")
    assert "rule.lang.invalid" == caught.value.issues[0].code
    with pytest.raises(ValidationError):
        check([company()], today=TODAY).to_text(lang="es")


def test_something_that_is_not_a_record_is_refused_with_its_position() -> None:
    with pytest.raises(ValidationError) as caught:
        check([company(), 42], today=TODAY)  # type: ignore[list-item]
    issue = caught.value.issues[0]
    assert ("completeness.record.invalid", "parties[1]") == (issue.code, issue.path)
    assert_speaks_three_languages(caught.value)


def test_a_plain_list_of_rules_runs_as_a_rule_set() -> None:
    rules = list(default_rules().only("closing"))
    report = check([company(tasks=())], rules)
    assert ("closing",) == report.rules.ids
    assert 1 == report.result("closing").failing


def test_an_unknown_rule_id_in_a_report_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        check([company()], today=TODAY).result("nope")
    assert "completeness.unknown_rule" == caught.value.issues[0].code
    assert_speaks_three_languages(caught.value)


def test_with_a_schema_the_rules_are_checked_before_they_run() -> None:
    from clientcore.model import default_schema

    typo = Rule("typo", ("a", "b", "c"), F("stauts").eq("client"), F("email").not_blank())
    with pytest.raises(FilterError) as caught:
        check([company()], [typo], schema=default_schema())
    assert "$.rules[0].scope.where.path" == caught.value.issues[0].path


def test_rows_read_without_building_a_party_give_the_same_report(sample: list[Party]) -> None:
    as_parties = check(sample, today=TODAY)
    as_rows = check([to_row(p) for p in sample], today=TODAY)
    for a, b in zip(as_parties.results, as_rows.results):
        assert (a.rule.id, a.in_scope, [f.party_id for f in a.findings]) == (
            b.rule.id,
            b.in_scope,
            [f.party_id for f in b.findings],
        )
    first = as_rows.result("vat").findings[0]
    assert as_parties.result("vat").findings[0].explanation() == first.explanation()


def test_row_results_carry_their_row_numbers_and_unreadable_rows_are_kept_apart() -> None:
    lines = rows_to_csv_text([company(id="first"), company(id="good", tasks=())]).splitlines()
    header = lines[0].split(",")
    planet = ",".join("planet" if column == "kind" else "" for column in header)
    csv_text = "\n".join([lines[0], lines[1], planet, lines[2]]) + "\n"
    report = check(read_csv(io.StringIO(csv_text)), today=TODAY)
    assert 2 == report.records
    assert [3] == [r.row for r in report.rejected]
    assert ["party.kind.unknown"] == [i.code for i in report.rejected[0].issues]
    finding = report.result("closing").findings[0]
    assert ("good", 4) == (finding.party_id, finding.row)
    assert not report.ok


def test_a_report_is_ok_only_when_no_error_rule_fails_and_every_row_was_read() -> None:
    warning_only = person(staff={})  # fails "partner", a warning
    assert check([warning_only], today=TODAY).ok
    assert not check([company(tasks=())], today=TODAY).ok
    unreadable = RowResult(7, None, ())
    assert not check([company(), unreadable], today=TODAY).ok


def test_rules_with_the_same_scope_each_get_their_own_findings() -> None:
    report = check([company(email=None, staff={})], today=TODAY)
    assert ["email"] == [f.rule.id for f in report.result("email").findings]
    assert ["partner"] == [f.rule.id for f in report.result("partner").findings]
    assert report.result("email").in_scope == report.result("partner").in_scope == 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(parties(), max_size=8),
    st.lists(st.tuples(filters(), filters()), min_size=1, max_size=3),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 1, 1)),
)
def test_check_counts_agree_with_a_naive_evaluation_party_by_party(
    records: list[Party], pairs: list[tuple[Any, Any]], today: dt.date
) -> None:
    rules = RuleSet(
        "random",
        [
            Rule(f"r{i}", ("r", "r", "r"), scope, require)
            for i, (scope, require) in enumerate(pairs)
        ],
    )
    report = check(records, rules, today)
    for rule, result in zip(rules, report.results):
        in_scope = [p for p in records if rule.scope.matches(p, today)]
        failing = [p for p in in_scope if not rule.require.matches(p, today)]
        assert len(in_scope) == result.in_scope
        assert [p.id for p in failing] == [f.party_id for f in result.findings]
        for finding in result.findings:
            assert finding.reasons()  # a failure always says why


# --- renderings ---


def test_the_text_report_is_a_table_then_the_first_failures_of_each_rule(report: Report) -> None:
    text = report.to_text(limit=2)
    lines = text.splitlines()
    rules = len(default_rules())
    assert lines[0].startswith(f"Completeness check: 400 parties, {rules} rules (clientcore-be-nl)")
    assert lines[0].endswith("today 2026-01-01")
    assert ["rule", "severity", "in", "scope", "failing", "title"] == lines[2].split()
    vat = report.result("vat")
    row = next(line for line in lines if line.startswith("vat "))
    assert ["vat", "error", str(vat.in_scope), str(vat.failing)] == row.split()[:4]
    head = f"vat (error): {vat.failing} of {vat.in_scope} failing, first 2"
    index = next(i for i, line in enumerate(lines) if line.startswith(head))
    first = vat.findings[0]
    assert lines[index + 1].split()[0] == first.number
    assert lines[index + 1].endswith(first.explanation())
    assert f"  … and {vat.failing - 2} more" == lines[index + 3]
    assert lines[-1] == "Result: FAIL (7 error rules fail)."


def test_the_text_report_speaks_dutch_and_french(report: Report) -> None:
    rules = len(default_rules())
    nl = report.to_text(lang="nl", limit=1)
    assert nl.startswith(f"Volledigheidstest: 400 partijen, {rules} regels")
    assert "regel  " in nl
    assert "tasks: geen item waarvoor code is 'vat' en active is true" in nl
    fr = report.to_text(lang="fr", limit=1)
    assert fr.startswith(f"Test d'exhaustivité : 400 parties, {rules} règles")
    assert "Résultat : ÉCHEC" in fr


def test_the_text_report_without_a_limit_lists_every_failure(report: Report) -> None:
    text = report.to_text(limit=None)
    assert "more" not in text
    assert sum(r.failing for r in report.results) == sum(
        1 for line in text.splitlines() if line.startswith("  C")
    )


def test_a_report_where_everything_passes_says_so() -> None:
    text = check([company()], today=TODAY).to_text()
    assert text.endswith("Every rule passes.\nResult: OK (no error rule fails, every row read).\n")
    assert "Completeness check: 1 party," in text


def test_the_text_report_lists_unreadable_rows_with_their_number() -> None:
    from clientcore import Issue

    bad = RowResult(12, None, (Issue("party.location.unknown", "contacts[0].location_id",
                                     {"location_id": "gent"}),))  # fmt: skip
    text = check([company(), bad], today=TODAY).to_text()
    assert (
        "1 row could not be read and was not checked:\n"
        "  row 12: contacts[0].location_id: Location 'gent' does not exist on this party.\n"
    ) in text
    assert text.endswith("Result: FAIL (1 row unreadable).\n")


@pytest.mark.parametrize(
    ("lang", "one", "two"),
    [
        (
            "en",
            ["1 row could not be read and was not checked:",
             "Result: FAIL (1 row unreadable, no party was checked)."],
            ["2 rows could not be read and were not checked:",
             "Result: FAIL (2 rows unreadable, no party was checked)."],
        ),
        (
            "nl",
            ["1 rij kon niet gelezen worden en werd niet getest:",
             "Resultaat: GEFAALD (1 rij onleesbaar, geen enkele partij werd getest)."],
            ["2 rijen konden niet gelezen worden en werden niet getest:",
             "Resultaat: GEFAALD (2 rijen onleesbaar, geen enkele partij werd getest)."],
        ),
        (
            "fr",
            ["1 ligne n'a pas pu être lue et n'a pas été testée :",
             "Résultat : ÉCHEC (1 ligne illisible, aucune partie n'a été testée)."],
            ["2 lignes n'ont pas pu être lues et n'ont pas été testées :",
             "Résultat : ÉCHEC (2 lignes illisibles, aucune partie n'a été testée)."],
        ),
    ],
)  # fmt: skip
def test_one_unreadable_row_is_counted_in_the_singular(
    lang: str, one: list[str], two: list[str]
) -> None:
    def bad(row: int) -> RowResult:
        return RowResult(row, None, (Issue("csv.invalid", "", {"reason": "?"}),))

    rules = default_rules().only("closing")
    for rows, expected in ((1, one), (2, two)):
        lines = check([bad(n + 2) for n in range(rows)], rules, lang=lang).to_text().splitlines()
        assert [expected[0], expected[1]] == [
            next(line for line in lines if line.startswith(expected[0][:3])),
            lines[-1],
        ]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "1 of 1 rules fails (error: 1); 1 failure in all.\n"
               "Result: FAIL (1 error rule fails)."),
        ("nl", "1 van 1 regels faalt (fout: 1); 1 fout in totaal.\n"
               "Resultaat: GEFAALD (1 foutregel faalt)."),
        ("fr", "1 règle sur 1 échoue (erreur : 1) ; 1 échec au total.\n"
               "Résultat : ÉCHEC (1 règle d'erreur échoue)."),
    ],
)  # fmt: skip
def test_one_failing_rule_and_one_failure_are_counted_in_the_singular(
    lang: str, expected: str
) -> None:
    text = check([company(tasks=())], default_rules().only("closing"), lang=lang).to_text()
    assert text.endswith(expected + "\n")
    heading = {"en": "1 party, 1 rule (", "nl": "1 partij, 1 regel (", "fr": "1 partie, 1 règle ("}
    assert heading[lang] in text.splitlines()[0]


def test_the_html_report_has_counts_colours_and_collapsible_failures(report: Report) -> None:
    page = report.to_html(limit=3)
    assert page.startswith('<div class="clientcore-report">')
    assert page.count("<details>") == len(report.failed)
    assert "#b03a2e" in page  # error red
    assert f"… and {report.result('vat').failing - 3} more" in page
    assert report._repr_html_() == report.to_html()
    whole = report.to_html(page=True, lang="fr")
    assert whole.startswith('<!DOCTYPE html>\n<html lang="fr">')
    assert whole.rstrip().endswith("</html>")


def test_the_html_report_escapes_every_text() -> None:
    evil = company(name="<script>alert('x')</script> & Co", number="<b>1</b>", tasks=())
    page = check([evil], default_rules().only("closing")).to_html()
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co" in page
    assert "&lt;b&gt;1&lt;/b&gt;" in page
    assert "code is &#x27;closing&#x27;" in page


def test_rows_are_one_dict_per_failure_with_the_explanation(report: Report) -> None:
    rows = report.to_rows()
    assert sum(r.failing for r in report.results) == len(rows)
    assert all(tuple(row) == ROW_COLUMNS for row in rows)
    vat = report.result("vat").findings[0]
    first_vat = next(row for row in rows if row["rule"] == "vat")
    expected = {
        "rule": "vat",
        "severity": "error",
        "title": "VAT-liable client without an active VAT task",
        "party_id": vat.party_id,
        "number": vat.number,
        "name": vat.name,
        "row": None,
        "explanation": "tasks: no item where code is 'vat' and active is true",
    }
    assert expected == first_vat


def test_rows_end_with_the_unreadable_rows() -> None:
    from clientcore import Issue

    bad = RowResult(3, None, (Issue("party.name.blank", "name"),))
    rows = check([company(tasks=()), bad], default_rules().only("closing"), lang="nl").to_rows()
    assert ["closing", UNREADABLE] == [row["rule"] for row in rows]
    assert {
        "rule": UNREADABLE,
        "severity": "error",
        "title": "Rij kan niet gelezen worden",
        "party_id": None,
        "number": None,
        "name": None,
        "row": 3,
        "explanation": "name: De naam is verplicht.",
    } == rows[1]


def test_the_csv_report_reads_back_as_the_rows(report: Report) -> None:
    read = list(csv.DictReader(io.StringIO(report.to_csv(lang="fr"))))
    rows = report.to_rows(lang="fr")
    assert len(rows) == len(read)
    assert list(ROW_COLUMNS) == list(read[0])
    assert {k: "" if v is None else str(v) for k, v in rows[5].items()} == read[5]


def test_the_json_report_holds_every_failure_with_its_reasons(report: Report) -> None:
    data = json.loads(json.dumps(report.to_json(lang="nl")))
    assert (1, "clientcore-be-nl", "2026-01-01", "nl", 400, False) == (
        data["clientcore_report"],
        data["ruleset"],
        data["today"],
        data["lang"],
        data["records"],
        data["ok"],
    )
    assert [r.rule.id for r in report.results] == [r["id"] for r in data["rules"]]
    eid = next(r for r in data["rules"] if r["id"] == "eid")
    assert report.result("eid").failing == eid["failing"] == len(eid["failures"])
    reason = eid["failures"][0]["reasons"][0]
    assert ("eid.valid_until", "ge") == (reason["path"], reason["code"])
    assert reason["text"].startswith("eid.valid_until: verwacht eid.valid_until ≥ 2026-01-01")
    expected_summary = {
        "rules": len(default_rules()),
        "failed_rules": len(report.failed),
        "failures": sum(r.failing for r in report.results),
        "rejected_rows": 0,
        "failed_rules_by_severity": {s.value: len(report.failing_rules(s)) for s in Severity},
        "not_judged_rules": [],
        "missing_columns": [],
    }
    assert expected_summary == data["summary"]


def test_the_pandas_report_is_the_rows_as_a_frame(report: Report) -> None:
    frame = report.to_pandas()
    assert list(ROW_COLUMNS) == list(frame.columns)
    assert report.to_rows() == [
        {k: (None if v is None or v != v else v) for k, v in row.items()}
        for row in frame.astype(object).where(frame.notna(), None).to_dict("records")
    ]
    counts = frame.groupby("rule").size().to_dict()
    assert {r.rule.id: r.failing for r in report.failed} == counts


def test_an_empty_report_still_has_the_pandas_columns() -> None:
    frame = check([], default_rules().only("closing")).to_pandas()
    assert (0, list(ROW_COLUMNS)) == (len(frame), list(frame.columns))


def test_without_pandas_the_report_says_which_extra_to_install(
    report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingExtra) as caught:
        report.to_pandas()
    assert "Report.to_pandas() needs the pandas extra: pip install 'clientcore[pandas]'." == str(
        caught.value
    )
    assert isinstance(caught.value, ImportError)
    assert_speaks_three_languages(caught.value)


def test_findings_read_their_party_fields_from_mappings_too() -> None:
    rule = Rule("r", ("r", "r", "r"), F("kind").eq("client_company"), F("email").not_blank())
    report = check([{"id": "m1", "kind": "client_company", "number": " 7 ", "name": ""}], [rule])
    finding = report.result("r").findings[0]
    assert ("m1", "7", None) == (finding.party_id, finding.number, finding.name)


def test_a_relative_date_in_a_firm_rule_resolves_against_the_day_given() -> None:
    rule = Rule(
        "verified",
        ("v", "v", "v"),
        F("status").eq("client"),
        F("last_verified_on") >= Today(-30),
        Severity.INFO,
    )
    shop = company(last_verified_on="2025-12-05")  # 27 days before TODAY
    assert check([shop], [rule], TODAY).result("verified").ok
    assert not check([shop], [rule], TODAY + dt.timedelta(days=4)).result("verified").ok


def test_findings_about_mappings_can_be_collected_in_a_set() -> None:
    rule = Rule("r", ("r", "r", "r"), F("kind").eq("client_company"), F("email").not_blank())
    report = check([{"id": "m1", "kind": "client_company"}], [rule])
    finding = report.result("r").findings[0]
    assert 1 == len({finding, finding})


def test_failing_rules_are_asked_for_by_a_known_severity(report: Report) -> None:
    assert report.failing_rules("warning") == report.failing_rules(Severity.WARNING)
    assert all(r.rule.severity is Severity.WARNING for r in report.failing_rules("warning"))
    with pytest.raises(ValidationError) as caught:
        report.failing_rules("fatal")
    assert "rule.severity.invalid" == caught.value.issues[0].code
    assert_speaks_three_languages(caught.value)
