"""Running rules over parties: :func:`check` and the :class:`Report` it returns.

Each scope and requirement is compiled once (:meth:`clientcore.query.Filter.compile`)
and the compiled predicates run over every record; rules that share a scope share the
parties in scope. Why a party fails (:func:`clientcore.query.explain`) is worked out
only when asked, one finding at a time, so a check over many parties stays fast.

>>> import datetime as dt
>>> from clientcore import Party
>>> report = check([Party(kind="client_company", name="Peeters BV", status="client",
...                       vat_liable=True)], today=dt.date(2026, 1, 1))
>>> vat = report.result("vat")
>>> vat.in_scope, vat.failing
(1, 1)
>>> print(vat.findings[0].explanation())
tasks: no item where code is 'vat' and active is true
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Mapping
from itertools import filterfalse
from typing import TYPE_CHECKING, Any

import attrs

from clientcore._errors import FilterError, Issue, ValidationError
from clientcore._messages import LANGS, define
from clientcore._seen import StatusView, viewer, visible_only
from clientcore.completeness._pack import default_rules
from clientcore.completeness._references import _get, _items
from clientcore.completeness._rules import NoIssue, Rule, RuleSet, Severity
from clientcore.io import Profile, Progress, Reading, Table
from clientcore.model import COLLECTIONS, Actor, Party, RowResult
from clientcore.query import OPEN, And, Cond, Failure, Filter, Not, Op, Or, describe, explain

if TYPE_CHECKING:
    import pandas

    from clientcore.model import Schema

define(
    {
        "completeness.needs_today": (
            "check() needs a day: the rules {rules} compare with a date relative to today. "
            "Pass today=datetime.date(...) (the library never reads the clock).",
            "check() heeft een dag nodig: de regels {rules} vergelijken met een datum "
            "relatief tot vandaag. Geef today=datetime.date(...) mee (de bibliotheek leest "
            "nooit de klok).",
            "check() a besoin d'un jour : les règles {rules} comparent avec une date relative "
            "à aujourd'hui. Passez today=datetime.date(...) (la bibliothèque ne lit jamais "
            "l'horloge).",
        ),
        "completeness.items.present": (
            "{path}: {count} where {condition}: {items} (there must be none)",
            "{path}: {count} waarvoor {condition}: {items} (er mag er geen zijn)",
            "{path} : {count} où {condition} : {items} (il ne doit y en avoir aucun)",
        ),
        "completeness.items.one": ("1 item", "1 item", "1 élément"),
        "completeness.items.many": ("{count} items", "{count} items", "{count} éléments"),
        "completeness.today.invalid": (
            "today must be a date, not {value}.",
            "today moet een datum zijn, niet {value}.",
            "today doit être une date, pas {value}.",
        ),
        "completeness.record.invalid": (
            "Record {index} is neither a party, a mapping nor a row result ({value}).",
            "Record {index} is geen partij, mapping of rijresultaat ({value}).",
            "L'enregistrement {index} n'est ni une partie, ni un dictionnaire, ni un résultat "
            "de ligne ({value}).",
        ),
        "completeness.unknown_rule": (
            "The report has no rule with id '{id}'.",
            "Het verslag heeft geen regel met id '{id}'.",
            "Le rapport n'a pas de règle avec l'id '{id}'.",
        ),
    }
)

#: The ``rule`` of a row of :meth:`Report.to_rows` for a row of a file that could not be
#: read (the parentheses keep it apart from every rule id).
UNREADABLE: str = "(unreadable)"


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValidationError([Issue("rule.lang.invalid", "lang", {"value": repr(lang)[:40]})])
    return lang


def _field(record: Any, name: str) -> str | None:
    value = record.get(name) if isinstance(record, Mapping) else getattr(record, name, None)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


@attrs.frozen
class Finding:
    """One party that fails one rule: the party (or mapping), its row in the file when
    it came from one, and why it fails, worked out on demand. ``issues`` holds what a
    :class:`~clientcore.completeness.NoIssue` requirement found (a contact attached to
    a missing location), each with its path."""

    rule: Rule
    record: Any = attrs.field(hash=False)  # a mapping record is not hashable
    row: int | None = None
    today: dt.date | None = None
    issues: tuple[Issue, ...] = attrs.field(default=(), hash=False)

    @property
    def party_id(self) -> str | None:
        """The party's ``id``."""
        return _field(self.record, "id")

    @property
    def number(self) -> str | None:
        """The party's client or relation number."""
        return _field(self.record, "number")

    @property
    def name(self) -> str | None:
        """The party's name."""
        return _field(self.record, "name")

    def reasons(self, lang: str = "en") -> list[Failure]:
        """Which parts of the requirement fail, in words (see :func:`clientcore.query.explain`)."""
        require = self.rule.require
        _check_lang(lang)
        if isinstance(require, NoIssue):
            found = self.issues or tuple(require.issues(self.record))
            return [Failure(i.path, i.code, f"{i.path}: {i.message(lang)}") for i in found]
        return _reasons(require, self.record, self.today, lang)

    def explanation(self, lang: str = "en") -> str:
        """The reasons as one line, joined by ``; ``."""
        return "; ".join(failure.text for failure in self.reasons(lang))


def _reasons(require: Filter, record: Any, today: dt.date | None, lang: str) -> list[Failure]:
    """:func:`explain`, except that "must have no item where ..." names the items found
    (``tasks: 2 items where active is true: 'closing', 'vat'``): which task to stop is
    what a reader needs to know."""
    parts = require.children if isinstance(require, And) else (require,)
    out: list[Failure] = []
    for part in parts:
        if isinstance(part, Not) and isinstance(part.child, Cond) and part.child.op == Op.ANY:
            present = _present_items(part.child, record, today, lang)
            if present is not None:
                out.append(present)
                continue
        out.extend(explain(part, record, today, lang))
    return out


def _present_items(cond: Cond, record: Any, today: dt.date | None, lang: str) -> Failure | None:
    sub: Filter = cond.value
    items = _items(_get(record, cond.path))
    if not items:
        return None
    # an item of the collection, its paths relative to it (the rule was checked against
    # the catalogue when it was compiled): read in the open mode
    labels = [
        _item_label(item, n) for n, item in enumerate(items) if sub.matches(item, today, OPEN)
    ]
    if not labels:
        return None
    count = Issue(
        "completeness.items.one" if len(labels) == 1 else "completeness.items.many",
        "",
        {"count": len(labels)},
    ).message(lang)
    issue = Issue(
        "completeness.items.present",
        cond.path,
        {"count": count, "condition": describe(sub, lang), "items": ", ".join(labels)},
    )
    return Failure(cond.path, issue.code, issue.message(lang))


def _item_label(item: Any, index: int) -> str:
    for name in ("code", "name", "id"):
        value = _get(item, name)
        if isinstance(value, str) and value.strip():
            return repr(value.strip())
    return f"#{index + 1}"


@attrs.frozen
class RuleResult:
    """How one rule fared: how many parties were in its scope, and which of them fail."""

    rule: Rule
    in_scope: int
    findings: tuple[Finding, ...]
    missing: tuple[str, ...] = ()
    #: How many parties fail when it was counted apart from ``findings`` (a check run
    #: by a store with a limit on the findings loaded: ``check_store(limit=...)``).
    counted_failing: int | None = attrs.field(default=None, kw_only=True)

    @property
    def judged(self) -> bool:
        """Whether the rule could be run: the input has every column it reads. A rule
        that is not judged has no party in scope and no finding, and is no pass."""
        return not self.missing

    @property
    def failing(self) -> int:
        """How many parties in scope fail the requirement (all of them, also when only
        the first few are in ``findings``)."""
        return len(self.findings) if self.counted_failing is None else self.counted_failing

    @property
    def passing(self) -> int:
        """How many parties in scope meet the requirement."""
        return self.in_scope - self.failing

    @property
    def ok(self) -> bool:
        """Judged, and no party in scope fails."""
        return not self.failing and not self.missing


@attrs.frozen
class Report:
    """The outcome of :func:`check`: one :class:`RuleResult` per rule, in rule order.

    ``records`` counts the parties checked; ``rejected`` holds the rows of a file that
    could not become a party (with their row numbers and issues), which were not
    checked. ``lang`` is the default language of every rendering; ``source`` names
    where the parties came from (a file), when known; ``reading`` says how the file
    was read (encoding, columns, profile), when it was one.
    """

    rules: RuleSet
    results: tuple[RuleResult, ...]
    records: int
    rejected: tuple[RowResult, ...] = ()
    today: dt.date | None = None
    lang: str = "en"
    source: str | None = None
    reading: Reading | None = None

    def __repr__(self) -> str:
        failed = len(self.failed)
        judged = sum(1 for r in self.results if r.judged)
        lines = [
            f"<Report {self.source or ''} {self.records} parties, {len(self.results)} rules: "
            f"{failed} failed, {len(self.results) - judged} not judged, "
            f"{len(self.rejected)} unreadable rows; {'OK' if self.ok else 'FAIL'}>".replace(
                "<Report  ", "<Report "
            )
        ]
        if self.failed:
            shown = ", ".join(f"{r.rule.id} ({r.failing})" for r in self.failed[:8])
            more = f" (+{len(self.failed) - 8} more)" if len(self.failed) > 8 else ""
            lines.append(f"  failed: {shown}{more}")
        if self.missing_columns:
            lines.append(f"  missing columns: {', '.join(self.missing_columns)}")
        return "\n".join(lines)

    @property
    def not_judged(self) -> tuple[RuleResult, ...]:
        """The results of the rules the input could not judge (a column it reads is missing)."""
        return tuple(r for r in self.results if not r.judged)

    @property
    def missing_columns(self) -> tuple[str, ...]:
        """Every column a rule needs that the input lacks, once, sorted."""
        return tuple(sorted({c for r in self.results for c in r.missing}))

    def result(self, rule_id: str) -> RuleResult:
        """The result of the rule with this id."""
        for result in self.results:
            if result.rule.id == rule_id:
                return result
        raise ValidationError([Issue("completeness.unknown_rule", "rule", {"id": rule_id})])

    @property
    def failed(self) -> tuple[RuleResult, ...]:
        """The results of the rules that at least one party fails."""
        return tuple(r for r in self.results if r.failing)

    def findings(self) -> Iterator[Finding]:
        """Every finding, rule by rule."""
        for result in self.results:
            yield from result.findings

    def failing_rules(self, severity: Severity | str) -> tuple[RuleResult, ...]:
        """The failed rules of one severity (``error``, ``warning`` or ``info``)."""
        try:
            wanted = Severity(severity)
        except ValueError:
            raise ValidationError(
                [Issue("rule.severity.invalid", "severity", {"value": repr(severity)[:40]})]
            ) from None
        return tuple(r for r in self.failed if r.rule.severity is wanted)

    @property
    def ok(self) -> bool:
        """At least one party was checked, every row could be read, every rule of
        severity ``error`` was judged, and none fails.

        ``clientcore check`` exits 1 when this is false: what could not be read or
        judged cannot be vouched for.
        """
        return (
            self.records > 0
            and not self.rejected
            and not self.failing_rules(Severity.ERROR)
            and not any(r.rule.severity is Severity.ERROR for r in self.not_judged)
        )

    # --- renderings (see clientcore.completeness._render) ---

    def to_text(self, lang: str | None = None, limit: int | None = 5) -> str:
        """A compact table for the terminal (rule, severity, in scope, failing, title),
        then the first ``limit`` failures of each failed rule (all when ``None``) and the
        rows that could not be read."""
        from clientcore.completeness._render import to_text

        return to_text(self, _check_lang(lang or self.lang), limit)

    def to_html(self, lang: str | None = None, limit: int | None = 50, page: bool = False) -> str:
        """HTML: per-rule counts with severity colours and a collapsible list of the
        failing parties per rule (at most ``limit`` each; all when ``None``). With
        ``page``, a whole HTML document. Every text is escaped."""
        from clientcore.completeness._render import to_html

        return to_html(self, _check_lang(lang or self.lang), limit, page)

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_rows(self, lang: str | None = None) -> list[dict[str, Any]]:
        """One dict per failure: ``rule``, ``severity``, ``title``, ``party_id``,
        ``number``, ``name``, ``row``, ``explanation``; then one per unreadable row, with
        ``rule`` :data:`UNREADABLE` and the row's issues as the explanation."""
        from clientcore.completeness._render import to_rows

        return to_rows(self, _check_lang(lang or self.lang))

    def to_pandas(self, lang: str | None = None) -> pandas.DataFrame:
        """:meth:`to_rows` as a pandas DataFrame (needs the ``pandas`` extra)."""
        from clientcore.completeness._render import to_pandas

        return to_pandas(self, _check_lang(lang or self.lang))

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        """The whole report as JSON-ready data, every failure with its reasons."""
        from clientcore.completeness._render import to_json

        return to_json(self, _check_lang(lang or self.lang))

    def to_csv(self, lang: str | None = None, *, excel: bool = False) -> str:
        """:meth:`to_rows` as CSV text (a header, then one line per row), formula-safe;
        ``excel``: ``;``, a BOM and CRLF, for Belgian and Dutch Excel."""
        from clientcore.completeness._render import to_csv

        return to_csv(self, _check_lang(lang or self.lang), excel)

    def to_xlsx(self, target: Any, lang: str | None = None) -> None:
        """The report as an XLSX workbook (the ``xlsx`` extra): a sheet of rule results
        and a sheet of failures, each with a frozen header and an autofilter."""
        from clientcore.completeness._render import to_xlsx

        to_xlsx(self, _check_lang(lang or self.lang), target)


Record = Party | Mapping[str, Any] | RowResult


def _as_ruleset(rules: RuleSet | Iterable[Rule] | None) -> RuleSet:
    if rules is None:
        return default_rules()
    if isinstance(rules, RuleSet):
        return rules
    return RuleSet("rules", list(rules))


def check(
    parties: Iterable[Record] | str | os.PathLike[str] | Any,
    rules: RuleSet | Iterable[Rule] | None = None,
    today: dt.date | None = None,
    lang: str = "en",
    *,
    schema: Schema | None = None,
    profile: str | os.PathLike[str] | Mapping[str, Any] | Profile | None = None,
    columns: Mapping[str, str] | Iterable[str] | None = None,
    encoding: str | None = None,
    kind: str | None = None,
    progress: Progress | None = None,
    actor: Actor | str | None = None,
    machine: StatusView | None = None,
) -> Report:
    """Run ``rules`` (the built-in :func:`default_rules` when ``None``) over ``parties``.

    ``parties`` holds parties, plain mappings (rows read without building a party) or
    :class:`~clientcore.model.RowResult` values from a reader such as
    :func:`~clientcore.model.read_csv`; a row result without a party is reported in
    :attr:`Report.rejected` with its row number. ``today`` is the day relative dates
    (``Today(0)``: eID validity, AML age) are resolved against; nothing reads the clock,
    so rules that hold one refuse to run without it (:class:`~clientcore.FilterError`).
    ``lang`` is the report's default language. With a ``schema``, every filter is first
    checked against it.

    ``parties`` may also be a path (``.csv``, ``.xlsx``, ``.json``) or a pandas
    DataFrame, read with :func:`~clientcore.completeness.read_parties` and the options
    ``profile``, ``columns``, ``encoding``, ``kind`` and ``progress`` (a callable given
    the rows read so far); or a :class:`~clientcore.io.Table` already opened. Then the
    report keeps the :class:`~clientcore.io.Reading`, and a rule that reads a column the
    input lacks is *not judged* (never a pass). An input that cannot be read, or holds
    no row, raises :class:`~clientcore.ValidationError`.

    With ``actor`` and ``machine`` (a :class:`~clientcore.status.StatusMachine`), the
    report holds only the parties whose status that actor may see: the others are not
    checked, counted, listed or rendered (as if they were not in the input), and rows
    that could not be read are left out too, since nobody can tell whose they are.
    """
    seen_by = viewer(actor, machine)
    if isinstance(parties, (str, os.PathLike)) or _is_frame(parties):
        from clientcore.completeness._io import read_parties

        parties = read_parties(
            parties,
            schema,
            profile=profile,
            columns=columns,
            encoding=encoding,
            kind=kind,
            progress=progress,
            trusted=True,  # a check only reads: the acceptance record is judged, not stored
        )
    table = parties if isinstance(parties, Table) else None
    if table is not None and table.reading.errors:
        raise ValidationError(table.reading.errors)
    ruleset = _as_ruleset(rules)
    _check_lang(lang)
    if today is not None and (not isinstance(today, dt.date) or isinstance(today, dt.datetime)):
        raise ValidationError(
            [Issue("completeness.today.invalid", "today", {"value": repr(today)[:40]})]
        )
    needs_today = ruleset.uses_today()
    if needs_today and today is None:
        issue = Issue("completeness.needs_today", "today", {"rules": ", ".join(needs_today)})
        raise FilterError(issue.message(), "today", [issue])
    if schema is not None:
        ruleset.validate(schema)
    compiled = [
        (
            rule,
            rule.scope.compile(schema, today),
            None if isinstance(rule.require, NoIssue) else rule.require.compile(schema, today),
        )
        for rule in ruleset
    ]
    records, rows, rejected, found = _collect(parties)
    if seen_by is not None:
        records = list(visible_only(records, *seen_by))
        rejected = []
    reading = table.reading if table is not None else None
    if reading is not None and reading.rows_read == 0:
        raise ValidationError([Issue("read.no_rows", "")])
    scoped: dict[Filter, list[Any]] = {}
    results = []
    for rule, scope, require in compiled:
        missing = _missing(rule, reading)
        if missing:
            results.append(RuleResult(rule, 0, (), missing))
            continue
        in_scope = scoped.get(rule.scope)
        if in_scope is None:
            in_scope = scoped[rule.scope] = list(filter(scope, records))
        if require is None:
            findings = _issue_findings(rule, in_scope, rows, found, today)
        elif rows is None:
            failing = list(filterfalse(require, in_scope))
            findings = tuple([Finding(rule, record, None, today) for record in failing])
        else:
            failing = list(filterfalse(require, in_scope))
            findings = tuple([Finding(rule, r, rows.get(id(r)), today) for r in failing])
        results.append(RuleResult(rule, len(in_scope), findings))
    source = reading.source if reading is not None else None
    return Report(
        ruleset, tuple(results), len(records), tuple(rejected), today, lang, source, reading
    )


def _is_frame(value: Any) -> bool:
    kind = type(value)
    return kind.__name__ == "DataFrame" and kind.__module__.split(".")[0] in ("pandas", "polars")


def _column(path: str) -> str:
    """The column of a file that holds ``path``: a collection's items live in one cell."""
    head = path.split(".", 1)[0]
    return head if head in COLLECTIONS else path


def _blank_handled(flt: Filter) -> set[str]:
    """Paths the filter asks to be blank somewhere (outside an ``any``): the rule means
    to judge a missing value there (``address.country`` blank = the home country)."""
    out: set[str] = set()
    stack: list[Filter] = [flt]
    while stack:
        node = stack.pop()
        if isinstance(node, (And, Or)):
            stack.extend(node.children)
        elif isinstance(node, Not):
            stack.append(node.child)
        elif isinstance(node, Cond) and node.op == Op.BLANK:
            out.add(node.path)
    return out


def _missing(rule: Rule, reading: Reading | None) -> tuple[str, ...]:
    """The columns ``rule`` reads that the input lacks (none when no file was read)."""
    if reading is None or reading.complete:
        return ()
    require = rule.require
    paths = set(rule.scope.paths())
    paths |= {"contacts"} if isinstance(require, NoIssue) else set(require.paths())
    needed = {_column(p) for p in paths} - _blank_handled(rule.scope)
    return tuple(sorted(c for c in needed if not reading.has(c)))


def _issue_findings(
    rule: Rule,
    in_scope: list[Any],
    rows: dict[int, int] | None,
    found: dict[int, tuple[Issue, ...]],
    today: dt.date | None,
) -> tuple[Finding, ...]:
    """The findings of a :class:`NoIssue` rule: the issues a reader kept for a record,
    or, for a plain mapping, what the check finds in it now. A party cannot hold such a
    fault (it is refused when the party is built), so parties are not looked at."""
    require = rule.require
    assert isinstance(require, NoIssue)
    findings = []
    for record in in_scope:
        kept = found.get(id(record)) if found else None
        if kept is not None:
            issues = tuple(i for i in kept if i.code == require.code)
        elif isinstance(record, Party):
            continue
        else:
            issues = tuple(require.issues(record))
        if issues:
            row = rows.get(id(record)) if rows is not None else None
            findings.append(Finding(rule, record, row, today, issues))
    return tuple(findings)


def _collect(
    parties: Iterable[Record],
) -> tuple[list[Any], dict[int, int] | None, list[RowResult], dict[int, tuple[Issue, ...]]]:
    """The records to check, the row of each (by ``id``) when any came with one, the
    rows that could not be read, and the issues a reader kept for a record it read."""
    records: list[Any] = []
    rows: dict[int, int] | None = None  # by id(): parties need not be hashable
    rejected: list[RowResult] = []
    found: dict[int, tuple[Issue, ...]] = {}
    for index, item in enumerate(parties):
        if item.__class__ is Party or isinstance(item, (Party, Mapping)):
            records.append(item)
        elif isinstance(item, RowResult):
            if item.party is None:
                rejected.append(item)
                continue
            if rows is None:
                rows = {}
            rows[id(item.party)] = item.row
            if item.issues:
                found[id(item.party)] = tuple(item.issues)
            records.append(item.party)
        else:
            raise ValidationError(
                [
                    Issue(
                        "completeness.record.invalid",
                        f"parties[{index}]",
                        {"index": index, "value": type(item).__name__},
                    )
                ]
            )
    return records, rows, rejected, found


__all__ = ["UNREADABLE", "Finding", "Record", "Report", "RuleResult", "check"]
