"""Renderings of a completeness report: text, HTML, rows, CSV, JSON and pandas.

Every text a person reads is in English, Dutch or French; explanations come from
:func:`clientcore.query.explain` and are computed only for the failures shown.

>>> import datetime as dt
>>> from clientcore import Party
>>> from clientcore.completeness import check, default_rules
>>> p = Party(id="p1", kind="client_company", name="Peeters BV", status="client")
>>> report = check([p], default_rules().only("closing"), today=dt.date(2026, 1, 1))
>>> to_rows(report, "nl")[0]["explanation"]
"tasks: geen item waarvoor code is 'closing' en active is true"
"""

from __future__ import annotations

import html
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

from clientcore._errors import Issue
from clientcore.completeness._check import UNREADABLE, Finding, Report, RuleResult
from clientcore.completeness._rules import Severity
from clientcore.io import MissingExtra, write_sheets, write_table
from clientcore.model import RowResult
from clientcore.query import describe

if TYPE_CHECKING:
    import pandas

#: The columns of :meth:`Report.to_rows` and of the CSV form, in order.
ROW_COLUMNS: Final = (
    "rule",
    "severity",
    "title",
    "party_id",
    "number",
    "name",
    "row",
    "explanation",
)

_WORDS: Final[dict[str, tuple[str, str, str]]] = {
    "heading": (
        "Completeness check{of}: {records} {parties}, {rules} {rule_word} ({name})",
        "Volledigheidstest{of}: {records} {parties}, {rules} {rule_word} ({name})",
        "Test d'exhaustivité{of} : {records} {parties}, {rules} {rule_word} ({name})",
    ),
    "rules": ("rules", "regels", "règles"),
    "colon": (":", ":", " :"),
    "of": (" of {source}", " van {source}", " de {source}"),
    "party": ("party", "partij", "partie"),
    "parties": ("parties", "partijen", "parties"),
    "on_day": (", today {day}", ", vandaag {day}", ", aujourd'hui {day}"),
    "rule": ("rule", "regel", "règle"),
    "severity": ("severity", "ernst", "gravité"),
    "in_scope": ("in scope", "in bereik", "concernés"),
    "failing": ("failing", "falend", "en échec"),
    "title": ("title", "titel", "titre"),
    "row": ("row", "rij", "ligne"),
    "number": ("number", "nummer", "numéro"),
    "name": ("name", "naam", "nom"),
    "why": ("why", "waarom", "pourquoi"),
    "field": ("field", "veld", "champ"),
    "message": ("message", "melding", "message"),
    "error": ("error", "fout", "erreur"),
    "warning": ("warning", "waarschuwing", "avertissement"),
    "info": ("info", "info", "info"),
    "failing_head": (
        "{id} ({severity}): {failing} of {in_scope} failing",
        "{id} ({severity}): {failing} van {in_scope} falend",
        "{id} ({severity}) : {failing} sur {in_scope} en échec",
    ),
    "first": (", first {shown}", ", eerste {shown}", ", {shown} premiers"),
    "more": ("… and {more} more", "… en nog {more}", "… et {more} de plus"),
    "unreadable_head": (
        "{count} rows could not be read and were not checked",
        "{count} rijen konden niet gelezen worden en werden niet getest",
        "{count} lignes n'ont pas pu être lues et n'ont pas été testées",
    ),
    "unreadable_head_1": (
        "{count} row could not be read and was not checked",
        "{count} rij kon niet gelezen worden en werd niet getest",
        "{count} ligne n'a pas pu être lue et n'a pas été testée",
    ),
    "unreadable_title": (
        "Row cannot be read",
        "Rij kan niet gelezen worden",
        "Ligne illisible",
    ),
    "summary": (
        "{failed} of {total} rules fail ({severities}); {findings} in all.",
        "{failed} van {total} regels falen ({severities}); {findings} in totaal.",
        "{failed} règles sur {total} échouent ({severities}) ; {findings} au total.",
    ),
    "summary_1": (
        "{failed} of {total} rules fails ({severities}); {findings} in all.",
        "{failed} van {total} regels faalt ({severities}); {findings} in totaal.",
        "{failed} règle sur {total} échoue ({severities}) ; {findings} au total.",
    ),
    "failures": ("{count} failures", "{count} fouten", "{count} échecs"),
    "failures_1": ("{count} failure", "{count} fout", "{count} échec"),
    "all_pass": ("Every rule passes.", "Alle regels slagen.", "Toutes les règles passent."),
    "verdict_ok": (
        "Result: OK (no error rule fails, every row read).",
        "Resultaat: OK (geen foutregel faalt, elke rij gelezen).",
        "Résultat : OK (aucune règle d'erreur n'échoue, toutes les lignes lues).",
    ),
    "verdict_fail": (
        "Result: FAIL ({reasons}).",
        "Resultaat: GEFAALD ({reasons}).",
        "Résultat : ÉCHEC ({reasons}).",
    ),
    "error_rules": (
        "{count} error rules fail",
        "{count} foutregels falen",
        "{count} règles d'erreur échouent",
    ),
    "error_rules_1": (
        "{count} error rule fails",
        "{count} foutregel faalt",
        "{count} règle d'erreur échoue",
    ),
    "bad_rows": (
        "{count} rows unreadable",
        "{count} rijen onleesbaar",
        "{count} lignes illisibles",
    ),
    "not_judged_rules": (
        "{count} error rules not judged",
        "{count} foutregels niet beoordeeld",
        "{count} règles d'erreur non jugées",
    ),
    "not_judged_rules_1": (
        "{count} error rule not judged",
        "{count} foutregel niet beoordeeld",
        "{count} règle d'erreur non jugée",
    ),
    "no_party": (
        "no party was checked",
        "geen enkele partij werd getest",
        "aucune partie n'a été testée",
    ),
    "nothing_checked": (
        "No party could be checked.",
        "Geen enkele partij kon getest worden.",
        "Aucune partie n'a pu être testée.",
    ),
    "judged_pass": (
        "Every rule judged passes.",
        "Alle beoordeelde regels slagen.",
        "Toutes les règles jugées passent.",
    ),
    "missing_columns": (
        "Not judged: the input has no column {columns}; the rules that read it are shown "
        "as 'not judged', never as passed.",
        "Niet beoordeeld: de invoer heeft geen kolom {columns}; de regels die ze lezen "
        "staan als 'niet beoordeeld', nooit als geslaagd.",
        "Non jugé : l'entrée n'a pas de colonne {columns} ; les règles qui la lisent sont "
        "indiquées « non jugées », jamais réussies.",
    ),
    "not_judged": ("not judged", "niet beoordeeld", "non jugée"),
    "no_scope": (
        "{id}: no party in scope among {records} (scope: {scope}); check that the input "
        "holds the values the scope asks for.",
        "{id}: geen partij in bereik van de {records} (bereik: {scope}); kijk na of de "
        "invoer de waarden bevat die het bereik vraagt.",
        "{id} : aucune partie concernée parmi {records} (portée : {scope}) ; vérifiez que "
        "l'entrée contient les valeurs que la portée demande.",
    ),
    "bad_rows_1": (
        "{count} row unreadable",
        "{count} rij onleesbaar",
        "{count} ligne illisible",
    ),
}

_LANGS: Final = ("en", "nl", "fr")
_COLOURS: Final = {
    Severity.ERROR: "#b03a2e",
    Severity.WARNING: "#b9770e",
    Severity.INFO: "#2e86c1",
}
_PASS_COLOUR: Final = "#1e8449"


def _w(key: str, lang: str) -> str:
    return _WORDS[key][_LANGS.index(lang)]


def _counted(key: str, count: int, lang: str, **more: object) -> str:
    """The words ``key`` for ``count`` things: the singular form (``key_1``) for one."""
    form = key + "_1" if count == 1 and key + "_1" in _WORDS else key
    return _w(form, lang).format(count=_n(count, lang), **more)


def _n(value: int, lang: str) -> str:
    """A count with the thousands separator of ``lang``."""
    text = f"{value:,}"
    if lang == "nl":
        return text.replace(",", ".")
    if lang == "fr":
        return text.replace(",", "\u202f")
    return text


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _heading(report: Report, lang: str) -> str:
    text = _w("heading", lang).format(
        of=_w("of", lang).format(source=report.source) if report.source else "",
        records=_n(report.records, lang),
        parties=_w("party" if report.records == 1 else "parties", lang),
        rules=_n(len(report.results), lang),
        rule_word=_w("rule" if len(report.results) == 1 else "rules", lang),
        name=report.rules.name,
    )
    if report.today is not None:
        text += _w("on_day", lang).format(day=report.today.isoformat())
    return text


def _shown_findings(result: RuleResult, limit: int | None) -> Sequence[Finding]:
    return result.findings if limit is None else result.findings[: max(limit, 0)]


def _issue_text(issue: Issue, lang: str) -> str:
    message = issue.message(lang)
    return f"{issue.path}: {message}" if issue.path else message


def _unreadable_text(result: RowResult, lang: str) -> str:
    return "; ".join(_issue_text(issue, lang) for issue in result.issues)


def _summary(report: Report, lang: str) -> list[str]:
    failed = report.failed
    lines = []
    if report.records == 0:
        lines.append(_w("nothing_checked", lang))
    elif failed:
        by_severity = [
            f"{_w(s.value, lang)}{_w('colon', lang)} {_n(len(report.failing_rules(s)), lang)}"
            for s in Severity
            if report.failing_rules(s)
        ]
        lines.append(
            _counted(
                "summary",
                len(failed),
                lang,
                failed=_n(len(failed), lang),
                total=_n(len(report.results), lang),
                severities=", ".join(by_severity),
                findings=_counted("failures", sum(r.failing for r in failed), lang),
            )
        )
    elif report.not_judged:
        lines.append(_w("judged_pass", lang))
    else:
        lines.append(_w("all_pass", lang))
    if report.ok:
        lines.append(_w("verdict_ok", lang))
    else:
        reasons = []
        errors = len(report.failing_rules(Severity.ERROR))
        if errors:
            reasons.append(_counted("error_rules", errors, lang))
        unjudged = sum(1 for r in report.not_judged if r.rule.severity is Severity.ERROR)
        if unjudged:
            reasons.append(_counted("not_judged_rules", unjudged, lang))
        if report.rejected:
            reasons.append(_counted("bad_rows", len(report.rejected), lang))
        if report.records == 0:
            reasons.append(_w("no_party", lang))
        lines.append(_w("verdict_fail", lang).format(reasons=", ".join(reasons)))
    return lines


# --- text ---


def to_text(report: Report, lang: str, limit: int | None) -> str:
    """The report as plain text for a terminal (see :meth:`Report.to_text`)."""
    headers = [_w(k, lang) for k in ("rule", "severity", "in_scope", "failing", "title")]
    table = [
        [
            r.rule.id,
            _w(r.rule.severity.value, lang),
            _n(r.in_scope, lang) if r.judged else "—",
            _n(r.failing, lang) if r.judged else "—",
            r.rule.title_in(lang) + ("" if r.judged else f" [{_w('not_judged', lang)}]"),
        ]
        for r in report.results
    ]
    widths = [max(len(row[i]) for row in [headers, *table]) for i in range(4)]
    lines = [_heading(report, lang), *_preamble(report, lang), ""]

    def line(cells: list[str]) -> str:
        return (
            f"{cells[0]:<{widths[0]}}  {cells[1]:<{widths[1]}}  {cells[2]:>{widths[2]}}  "
            f"{cells[3]:>{widths[3]}}  {cells[4]}"
        ).rstrip()

    lines.append(line(headers))
    lines.append("  ".join("-" * w for w in widths) + "  " + "-" * len(headers[4]))
    lines.extend(line(row) for row in table)
    for result in report.failed:
        shown = _shown_findings(result, limit)
        head = _w("failing_head", lang).format(
            id=result.rule.id,
            severity=_w(result.rule.severity.value, lang),
            failing=_n(result.failing, lang),
            in_scope=_n(result.in_scope, lang),
        )
        if len(shown) < result.failing:
            head += _w("first", lang).format(shown=_n(len(shown), lang))
        lines.extend(["", head + f" — {result.rule.title_in(lang)}"])
        if not shown:
            continue
        numbers = [str(f.row) if f.row is not None else "" for f in shown]
        wn = max(len(n) for n in numbers)
        cells = [
            (
                f"{_w('row', lang)} {n:>{wn}}" if n else " " * (len(_w("row", lang)) + 1 + wn),
                f.number or f.party_id or "",
                _cut(f.name or "", 32),
                f.explanation(lang),
            )
            for n, f in zip(numbers, shown)
        ]
        w0 = max(len(c[0]) for c in cells) if wn else 0
        w1 = max(len(c[1]) for c in cells)
        w2 = max(len(c[2]) for c in cells)
        for c in cells:
            lead = f"{c[0]:<{w0}}  " if w0 else ""
            lines.append(f"  {lead}{c[1]:<{w1}}  {c[2]:<{w2}}  {c[3]}".rstrip())
        if len(shown) < result.failing:
            more = _w("more", lang).format(more=_n(result.failing - len(shown), lang))
            lines.append(f"  {more}")
    if report.rejected:
        shown_rows = report.rejected if limit is None else report.rejected[: max(limit, 0)]
        head = _counted("unreadable_head", len(report.rejected), lang) + _w("colon", lang)
        lines.extend(["", head])
        for rejected in shown_rows:
            lines.append(f"  {_w('row', lang)} {rejected.row}: {_unreadable_text(rejected, lang)}")
        if len(shown_rows) < len(report.rejected):
            more = _w("more", lang).format(more=_n(len(report.rejected) - len(shown_rows), lang))
            lines.append(f"  {more}")
    hints = _no_scope_hints(report, lang)
    if hints:
        lines.append("")
        lines.extend(hints)
    lines.append("")
    lines.extend(_summary(report, lang))
    return "\n".join(lines) + "\n"


def _preamble(report: Report, lang: str) -> list[str]:
    """What a report says before its table: how the input was read, the columns rules
    needed and did not find (once), file-level warnings."""
    lines: list[str] = []
    if report.reading is not None:
        lines.extend(report.reading.lines(lang))
    if report.missing_columns:
        lines.append(_w("missing_columns", lang).format(columns=", ".join(report.missing_columns)))
    return lines


def _no_scope_hints(report: Report, lang: str) -> list[str]:
    if report.records == 0:
        return []
    return [
        _w("no_scope", lang).format(
            id=r.rule.id, records=_n(report.records, lang), scope=describe(r.rule.scope, lang)
        )
        for r in report.results
        if r.judged and r.in_scope == 0
    ]


# --- HTML ---


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _badge(severity: Severity, lang: str) -> str:
    return (
        f'<span style="background:{_COLOURS[severity]};color:#fff;padding:0 0.4em;'
        f'border-radius:3px;font-size:90%">{_e(_w(severity.value, lang))}</span>'
    )


_TABLE: Final = 'style="border-collapse:collapse;margin:0.3em 0"'
_CELL: Final = 'style="padding:0.15em 0.6em;text-align:left;vertical-align:top"'
_NUM: Final = 'style="padding:0.15em 0.6em;text-align:right;vertical-align:top"'


def to_html(report: Report, lang: str, limit: int | None, page: bool) -> str:
    """The report as HTML (see :meth:`Report.to_html`)."""
    parts = [
        '<div class="clientcore-report">',
        f"<p><strong>{_e(_heading(report, lang))}</strong></p>",
        *(f"<p>{_e(line)}</p>" for line in _preamble(report, lang)),
    ]
    heads = "".join(
        f"<th {_NUM if k in ('in_scope', 'failing') else _CELL}>{_e(_w(k, lang))}</th>"
        for k in ("rule", "severity", "in_scope", "failing", "title")
    )
    parts.append(f"<table {_TABLE}><thead><tr>{heads}</tr></thead><tbody>")
    for r in report.results:
        colour = _COLOURS[r.rule.severity] if r.failing else _PASS_COLOUR
        parts.append(
            f"<tr><td {_CELL}><code>{_e(r.rule.id)}</code></td>"
            f"<td {_CELL}>{_badge(r.rule.severity, lang)}</td>"
            f"<td {_NUM}>{_e(_n(r.in_scope, lang) if r.judged else '—')}</td>"
            f'<td {_NUM}><span style="color:{colour};font-weight:bold">'
            f"{_e(_n(r.failing, lang) if r.judged else '—')}</span></td>"
            f"<td {_CELL}>{_e(r.rule.title_in(lang))}"
            f"{'' if r.judged else ' [' + _e(_w('not_judged', lang)) + ']'}</td></tr>"
        )
    parts.append("</tbody></table>")
    columns = "".join(
        f"<th {_CELL}>{_e(_w(k, lang))}</th>" for k in ("row", "number", "name", "why")
    )
    for result in report.failed:
        shown = _shown_findings(result, limit)
        summary = _w("failing_head", lang).format(
            id=result.rule.id,
            severity=_w(result.rule.severity.value, lang),
            failing=_n(result.failing, lang),
            in_scope=_n(result.in_scope, lang),
        )
        parts.append(
            f"<details><summary>{_badge(result.rule.severity, lang)} {_e(summary)} — "
            f"{_e(result.rule.title_in(lang))}</summary>"
        )
        parts.append(f"<table {_TABLE}><thead><tr>{columns}</tr></thead><tbody>")
        for f in shown:
            parts.append(
                f"<tr><td {_NUM}>{_e(f.row if f.row is not None else '')}</td>"
                f"<td {_CELL}>{_e(f.number or f.party_id or '')}</td>"
                f"<td {_CELL}>{_e(f.name or '')}</td>"
                f"<td {_CELL}>{'<br>'.join(_e(x.text) for x in f.reasons(lang))}</td></tr>"
            )
        parts.append("</tbody></table>")
        if len(shown) < result.failing:
            more = _w("more", lang).format(more=_n(result.failing - len(shown), lang))
            parts.append(f"<p>{_e(more)}</p>")
        parts.append("</details>")
    if report.rejected:
        head = _counted("unreadable_head", len(report.rejected), lang)
        parts.append(f"<details><summary>{_badge(Severity.ERROR, lang)} {_e(head)}</summary>")
        cols = "".join(f"<th {_CELL}>{_e(_w(k, lang))}</th>" for k in ("row", "field", "message"))
        parts.append(f"<table {_TABLE}><thead><tr>{cols}</tr></thead><tbody>")
        shown_rows = report.rejected if limit is None else report.rejected[: max(limit, 0)]
        for rejected in shown_rows:
            for issue in rejected.issues:
                parts.append(
                    f"<tr><td {_NUM}>{_e(rejected.row)}</td><td {_CELL}>{_e(issue.path)}</td>"
                    f"<td {_CELL}>{_e(issue.message(lang))}</td></tr>"
                )
        parts.append("</tbody></table>")
        if len(shown_rows) < len(report.rejected):
            more = _w("more", lang).format(more=_n(len(report.rejected) - len(shown_rows), lang))
            parts.append(f"<p>{_e(more)}</p>")
        parts.append("</details>")
    parts.append("".join(f"<p>{_e(line)}</p>" for line in _no_scope_hints(report, lang)))
    parts.append("".join(f"<p>{_e(line)}</p>" for line in _summary(report, lang)))
    parts.append("</div>")
    body = "\n".join(parts)
    if not page:
        return body
    return (
        f'<!DOCTYPE html>\n<html lang="{_e(lang)}"><head><meta charset="utf-8">'
        f"<title>{_e(_heading(report, lang))}</title></head>\n"
        f'<body style="font-family:sans-serif">\n{body}\n</body></html>\n'
    )


# --- rows, CSV, JSON, pandas ---


def to_rows(report: Report, lang: str) -> list[dict[str, Any]]:
    """One dict per failure, then one per unreadable row (see :meth:`Report.to_rows`)."""
    rows: list[dict[str, Any]] = []
    for result in report.results:
        rule = result.rule
        title = rule.title_in(lang)
        for f in result.findings:
            rows.append(
                {
                    "rule": rule.id,
                    "severity": rule.severity.value,
                    "title": title,
                    "party_id": f.party_id,
                    "number": f.number,
                    "name": f.name,
                    "row": f.row,
                    "explanation": f.explanation(lang),
                }
            )
    unreadable = _w("unreadable_title", lang)
    for rejected in report.rejected:
        rows.append(
            {
                "rule": UNREADABLE,
                "severity": Severity.ERROR.value,
                "title": unreadable,
                "party_id": None,
                "number": None,
                "name": None,
                "row": rejected.row,
                "explanation": _unreadable_text(rejected, lang),
            }
        )
    return rows


def to_csv(report: Report, lang: str, excel: bool = False) -> str:
    """:func:`to_rows` as formula-safe CSV text (``excel``: ``;``, BOM, CRLF)."""
    buffer = io.StringIO()
    write_table(to_rows(report, lang), ROW_COLUMNS, buffer, excel=excel)
    return buffer.getvalue()


_RULE_COLUMNS: Final = ("rule", "severity", "judged", "in_scope", "failing", "title", "missing")


def rule_rows(report: Report, lang: str) -> list[dict[str, Any]]:
    """One dict per rule: id, severity, judged, in scope, failing, title, missing columns."""
    return [
        {
            "rule": r.rule.id,
            "severity": r.rule.severity.value,
            "judged": r.judged,
            "in_scope": r.in_scope if r.judged else None,
            "failing": r.failing if r.judged else None,
            "title": r.rule.title_in(lang),
            "missing": ", ".join(r.missing),
        }
        for r in report.results
    ]


def to_xlsx(report: Report, lang: str, target: Any) -> None:
    """The report as a workbook: rule results, then failures (see :meth:`Report.to_xlsx`)."""
    write_sheets(
        {
            "rules": (_RULE_COLUMNS, rule_rows(report, lang)),
            "failures": (ROW_COLUMNS, to_rows(report, lang)),
        },
        target,
    )


def to_json(report: Report, lang: str) -> dict[str, Any]:
    """The report as JSON-ready data (see :meth:`Report.to_json`)."""
    return {
        "clientcore_report": 1,
        "source": report.source,
        "ruleset": report.rules.name,
        "today": report.today.isoformat() if report.today is not None else None,
        "lang": lang,
        "records": report.records,
        "ok": report.ok,
        "summary": {
            "rules": len(report.results),
            "failed_rules": len(report.failed),
            "failures": sum(r.failing for r in report.results),
            "rejected_rows": len(report.rejected),
            "failed_rules_by_severity": {s.value: len(report.failing_rules(s)) for s in Severity},
            "not_judged_rules": [r.rule.id for r in report.not_judged],
            "missing_columns": list(report.missing_columns),
        },
        "reading": report.reading.to_json() if report.reading is not None else None,
        "rules": [
            {
                "id": r.rule.id,
                "severity": r.rule.severity.value,
                "title": r.rule.title_in(lang),
                "judged": r.judged,
                "missing": list(r.missing),
                "in_scope": r.in_scope,
                "failing": r.failing,
                "failures": [_finding_json(f, lang) for f in r.findings],
            }
            for r in report.results
        ],
        "rejected": [
            {
                "row": rejected.row,
                "issues": [
                    {"code": i.code, "path": i.path, "message": i.message(lang)}
                    for i in rejected.issues
                ],
            }
            for rejected in report.rejected
        ],
    }


def _finding_json(finding: Finding, lang: str) -> dict[str, Any]:
    reasons = finding.reasons(lang)
    return {
        "party_id": finding.party_id,
        "number": finding.number,
        "name": finding.name,
        "row": finding.row,
        "explanation": "; ".join(r.text for r in reasons),
        "reasons": [{"path": r.path, "code": r.code, "text": r.text} for r in reasons],
    }


def to_pandas(report: Report, lang: str) -> pandas.DataFrame:
    """:func:`to_rows` as a DataFrame with the columns of :data:`ROW_COLUMNS`."""
    try:
        import pandas
    except ImportError:
        raise MissingExtra("Report.to_pandas()", "pandas") from None
    frame = pandas.DataFrame(to_rows(report, lang), columns=list(ROW_COLUMNS))
    frame["row"] = frame["row"].astype("Int64")
    return frame


__all__ = ["ROW_COLUMNS", "MissingExtra", "to_csv", "to_html", "to_json", "to_pandas", "to_rows"]
