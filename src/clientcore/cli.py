"""The ``clientcore`` command: make a sample registry, validate or check a file of parties.

It needs the ``cli`` extra (click and rich); ``import clientcore`` never imports them,
and without them :func:`main` says what to install and exits with status 2.

.. code-block:: console

    $ clientcore sample --count 2000 --seed 0 --out build/sample.csv
    $ clientcore validate build/sample.csv --limit 15 --lang nl
    $ clientcore validate build/sample.csv --format json
    $ clientcore check build/sample.csv --today 2026-01-01 --format html > report.html

The work is done by plain functions (:func:`validate_file`, :func:`write_sample`,
:func:`clientcore.completeness.check`) that the commands only present, so they are
usable and testable without a terminal.

>>> import io
>>> from clientcore.model import Party, rows_to_csv_text
>>> text = rows_to_csv_text([Party(id="p1", kind="client_person", name="An", email="an@")])
>>> report = validate_file(io.StringIO(text), lang="nl")
>>> report.records, report.records_with_issues
(1, 1)
>>> issue = report.issues[0]
>>> issue.row, issue.number, issue.path, issue.code
(2, None, 'email', 'identifier.invalid_format')
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import os
import pathlib
import sys
from collections.abc import Callable, Sequence
from typing import IO, TYPE_CHECKING, Any, Final

import attrs

from clientcore._errors import Issue
from clientcore.model import RowResult, read_csv, validate_party, write_csv
from clientcore.sample import DEFAULT_TODAY, SampleRegistry, generate_registry

if TYPE_CHECKING:
    import click
    from rich.console import Console

__all__ = [
    "DEFAULT_LIMIT",
    "MISSING_EXTRA",
    "IssueRow",
    "ValidationReport",
    "build_app",
    "main",
    "sample_summary",
    "validate_file",
    "write_sample",
]

#: What :func:`main` says when click or rich is missing.
MISSING_EXTRA: Final = "the clientcore command needs the cli extra: pip install 'clientcore[cli]'"

#: How many records with issues the text report lists unless ``--limit`` says otherwise.
DEFAULT_LIMIT: Final = 50

# A progress bar is shown for files at least this large, and only on a terminal.
_PROGRESS_BYTES: Final = 1 << 20

_KIND_NAMES: Final = {
    "client_company": "client companies",
    "client_person": "client persons",
    "relation_company": "relation companies",
    "relation_person": "relation persons",
}


# --- the work, without click or rich ---


@attrs.frozen
class IssueRow:
    """One issue of one record: where it is (row, party, field) and what it says."""

    row: int
    party_id: str | None
    number: str | None
    name: str | None
    path: str
    code: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: row, party_id, number, name, path, code, message."""
        return attrs.asdict(self)


@attrs.frozen
class ValidationReport:
    """The outcome of validating a file: counts over every record, the listed issues."""

    records: int
    records_with_issues: int
    issue_counts: dict[str, int]
    issues: tuple[IssueRow, ...]
    listed_records: int

    @property
    def issue_total(self) -> int:
        """Issues found in the whole file (listed or not)."""
        return sum(self.issue_counts.values())

    @property
    def ok(self) -> bool:
        """No record has an issue."""
        return self.records_with_issues == 0

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: records, records_with_issues, issues, issues_by_code."""
        return {
            "records": self.records,
            "records_with_issues": self.records_with_issues,
            "issues": [issue.to_dict() for issue in self.issues],
            "issues_by_code": dict(self.issue_counts),
        }


def validate_file(
    source: str | os.PathLike[str] | IO[str],
    *,
    lang: str = "en",
    limit: int | None = None,
    on_row: Callable[[int], None] | None = None,
) -> ValidationReport:
    """Stream a CSV file of parties and validate every record.

    A row that cannot become a party (a bad cell, a wrong column) counts as a record
    with issues, the issues of the row. ``limit`` caps how many records with issues are
    listed (all when ``None``); the counts always cover the whole file. ``on_row`` is
    called with each row number, for progress.
    """
    records = with_issues = listed = 0
    counts: collections.Counter[str] = collections.Counter()
    rows: list[IssueRow] = []
    for result in read_csv(source):
        records += 1
        if on_row is not None:
            on_row(result.row)
        found = _issues_of(result)
        if not found:
            continue
        with_issues += 1
        counts.update(issue.code for issue in found)
        if limit is not None and listed >= limit:
            continue
        listed += 1
        party = result.party
        for issue in found:
            rows.append(
                IssueRow(
                    row=result.row,
                    party_id=party.id if party is not None else None,
                    number=party.number if party is not None else None,
                    name=party.name if party is not None else None,
                    path=issue.path,
                    code=issue.code,
                    message=issue.message(lang),
                )
            )
    ordered = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return ValidationReport(records, with_issues, ordered, tuple(rows), listed)


def _issues_of(result: RowResult) -> Sequence[Issue]:
    if result.party is None:
        return result.issues
    return validate_party(result.party)


def write_sample(
    out: str | os.PathLike[str], count: int, seed: int = 0, today: dt.date = DEFAULT_TODAY
) -> SampleRegistry:
    """Generate a sample registry and write its parties to ``out`` as CSV.

    The parent directory is created when missing. Returns the registry (with its links
    and the injected defects, which the CSV file does not hold).
    """
    registry = generate_registry(count, seed=seed, today=today)
    target = pathlib.Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_csv(registry.parties, target)
    return registry


def sample_summary(registry: SampleRegistry, out: str | os.PathLike[str]) -> str:
    """One line: how many parties of each kind went where, and how many have defects."""
    kinds = collections.Counter(p.kind.value for p in registry.parties)
    shown = ", ".join(f"{kinds[kind]} {label}" for kind, label in _KIND_NAMES.items())
    defective = len(registry.defective_ids)
    return (
        f"wrote {len(registry.parties)} parties to {os.fspath(out)}: {shown}; "
        f"{defective} with injected defects"
    )


def _count_lines(path: pathlib.Path) -> int:
    lines = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
    return lines


# --- presentation (click and rich) ---


def build_app() -> click.Group:
    """The click command group; needs click and rich (the ``cli`` extra)."""
    import click

    import clientcore

    @click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
    @click.version_option(clientcore.__version__, prog_name="clientcore")
    def app() -> None:
        """clientcore: the client registry of accounting, tax and audit firms."""

    @app.command(short_help="Write a sample registry with known defects as CSV.")
    @click.option(
        "--count",
        "-n",
        type=click.IntRange(min=0),
        required=True,
        help="How many parties to generate.",
    )
    @click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
    @click.option(
        "--today",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=DEFAULT_TODAY.isoformat(),
        show_default=True,
        help="The day the data is generated for (eID validity, AML age, client dates).",
    )
    @click.option(
        "--out",
        "-o",
        type=click.Path(dir_okay=False, path_type=pathlib.Path),
        required=True,
        help="The CSV file to write (its directory is created when missing).",
    )
    def sample(count: int, seed: int, today: dt.datetime, out: pathlib.Path) -> None:
        """Write a realistic sample registry, with a known share of defects, as CSV."""
        try:
            registry = write_sample(out, count, seed=seed, today=today.date())
        except OSError as exc:
            raise click.UsageError(f"cannot write {out}: {exc.strerror or exc}") from None
        click.echo(sample_summary(registry, out))

    @app.command(short_help="Validate a CSV file of parties.")
    @click.argument(
        "file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=pathlib.Path)
    )
    @click.option(
        "--lang",
        type=click.Choice(["en", "nl", "fr"]),
        default="en",
        show_default=True,
        help="Language of the messages.",
    )
    @click.option(
        "--limit",
        type=click.IntRange(min=0),
        default=None,
        help=f"List at most this many records with issues [text: {DEFAULT_LIMIT}, json: all]; "
        "the counts always cover the whole file.",
    )
    @click.option(
        "--format",
        "output",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help="A table for people or one JSON object for programs.",
    )
    def validate(file: pathlib.Path, lang: str, limit: int | None, output: str) -> None:
        """Validate every party of a CSV FILE; exit 1 when any record has an issue."""
        if output == "text" and limit is None:
            limit = DEFAULT_LIMIT
        try:
            report = _validate_with_progress(file, lang, limit)
        except OSError as exc:
            raise click.UsageError(f"cannot read {file}: {exc.strerror or exc}") from None
        if output == "json":
            click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        else:
            _print_report(report, file)
        if not report.ok:
            sys.exit(1)

    # completeness checks, the main job: clientcore.completeness._cli holds the command
    from clientcore.completeness._cli import build_check_command

    app.add_command(build_check_command())
    # actions on a selection: QR cover pages and exports
    app.add_command(build_qr_command())
    app.add_command(build_export_command())
    return app


def _validate_with_progress(file: pathlib.Path, lang: str, limit: int | None) -> ValidationReport:
    """Validate, with a progress bar on stderr for a large file when it is a terminal."""
    if not sys.stderr.isatty() or file.stat().st_size < _PROGRESS_BYTES:
        return validate_file(file, lang=lang, limit=limit)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    total = max(_count_lines(file) - 1, 1)
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("validating", total=total)

        def advance(row: int) -> None:
            if row % 200 == 0:
                progress.update(task, completed=row - 1)

        return validate_file(file, lang=lang, limit=limit, on_row=advance)


def _console() -> Console:
    from rich.console import Console

    console = Console()
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = Console(width=120)  # a pipe or a CI log: wide enough for the messages
    return console


def _print_report(report: ValidationReport, file: pathlib.Path) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console = _console()
    if report.issues:
        shown = report.listed_records
        title = (
            f"{_count(shown, 'record')} with issues"
            if shown == report.records_with_issues
            else f"first {shown} of {report.records_with_issues} records with issues"
        )
        table = Table(title=Text(f"{file}: {title}"), title_justify="left", box=box.SIMPLE_HEAD)
        table.add_column("Row", justify="right", style="cyan", no_wrap=True)
        table.add_column("Number", no_wrap=True)
        table.add_column("Name", overflow="fold", max_width=32)
        table.add_column("Field", style="magenta", overflow="fold")
        table.add_column("Message", overflow="fold")
        previous = None
        for issue in report.issues:
            first = issue.row != previous  # a record's cells are shown on its first issue
            previous = issue.row
            name = issue.name or ("(unreadable row)" if issue.party_id is None else "")
            table.add_row(
                Text(str(issue.row) if first else ""),
                Text((issue.number or "") if first else ""),
                Text(name if first else ""),
                Text(issue.path or "—"),
                Text(issue.message),
            )
        console.print(table)
    console.print(Text(_summary_line(report)))
    if report.issue_counts:
        top = list(report.issue_counts.items())[:6]
        codes = ", ".join(f"{code} {count}" for code, count in top)
        more = len(report.issue_counts) - len(top)
        console.print(Text(f"issues by code: {codes}" + (f" (+{more} more)" if more else "")))
    if report.listed_records < report.records_with_issues:
        console.print(
            Text(
                f"{_count(report.records_with_issues - report.listed_records, 'more record')} "
                "with issues not listed; use --limit to list more or --format json for all",
                style="dim",
            )
        )


def _summary_line(report: ValidationReport) -> str:
    share = f" ({report.records_with_issues / report.records:.1%})" if report.records else ""
    return (
        f"{_count(report.records, 'record')} read, {report.records_with_issues} with "
        f"issues{share}, {_count(report.issue_total, 'issue')} in all"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


# --- actions on a selection: qr and export ---


def read_selection(file: pathlib.Path) -> tuple[list[Any], list[Issue]]:
    """Every party of ``file`` (.csv, .xlsx or .json) and the issues of the rows that
    cannot be read (each issue's path names the row)."""
    from clientcore.completeness import read_parties

    parties: list[Any] = []
    issues: list[Issue] = []
    for result in read_parties(file):
        if result.party is not None:
            parties.append(result.party)
        else:
            issues.extend(i.at(f"row {result.row}") for i in result.issues)
    return parties, issues


def _refuse_unreadable(issues: Sequence[Issue], lang: str) -> None:
    import click

    shown = "\n".join(f"{i.path}: {i.message(lang)}" for i in issues[:20])
    more = f"\n(+{len(issues) - 20} more)" if len(issues) > 20 else ""
    click.echo(f"nothing written: {len(issues)} issue(s) in the file\n{shown}{more}", err=True)
    sys.exit(1)


def build_qr_command() -> click.Command:
    """The ``qr`` command: one PDF of cover pages for every party of a file."""
    import click

    @click.command("qr", short_help="Print QR cover pages for the parties of a file (PDF).")
    @click.argument(
        "file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=pathlib.Path)
    )
    @click.option("--kind", "document_kind", required=True, help="The document kind: invoices...")
    @click.option("--tenant", required=True, help="The tenant (office) the pages belong to.")
    @click.option(
        "--key-file",
        type=click.Path(exists=True, dir_okay=False, readable=True, path_type=pathlib.Path),
        default=None,
        help="A file holding the signing key (16 bytes or more): pages are then signed.",
    )
    @click.option("--lang", type=click.Choice(["en", "nl", "fr"]), default="en", show_default=True)
    @click.option(
        "--out",
        "-o",
        type=click.Path(dir_okay=False, path_type=pathlib.Path),
        required=True,
        help="The PDF file to write.",
    )
    def qr_command(
        file: pathlib.Path,
        document_kind: str,
        tenant: str,
        key_file: pathlib.Path | None,
        lang: str,
        out: pathlib.Path,
    ) -> None:
        """Write one cover page per party of FILE (.csv, .xlsx or .json) into a PDF.

        Exits 1 (writing nothing) when a row cannot be read or a party cannot have a
        page (no client number), 2 on a usage error.
        """
        from clientcore._errors import ClientCoreError
        from clientcore.actions import cover_pages, cover_pages_pdf

        if out.suffix.lower() != ".pdf":
            raise click.BadParameter("the cover pages are written as a .pdf", param_hint="--out")
        key = key_file.read_bytes().strip() if key_file is not None else None
        parties, issues = read_selection(file)
        if issues:
            _refuse_unreadable(issues, lang)
        try:
            pages = cover_pages(parties, document_kind, tenant=tenant, key=key)
            pdf = cover_pages_pdf(pages, lang=lang)
        except ClientCoreError as exc:
            if exc.issues and all(i.path in ("key", "tenant", "document_kind") for i in exc.issues):
                raise click.UsageError(exc.issues[0].message(lang)) from None
            _refuse_unreadable(exc.issues, lang)
            return
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(pdf)
        click.echo(f"{_count(len(pages), 'cover page')} written to {out}")

    return qr_command


def build_export_command() -> click.Command:
    """The ``export`` command: chosen columns of every party of a file, to CSV or XLSX."""
    import click

    @click.command("export", short_help="Export chosen columns of a file's parties (CSV, XLSX).")
    @click.argument(
        "file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=pathlib.Path)
    )
    @click.option(
        "--columns",
        default=None,
        help="Field paths separated by commas (default: the grid's default columns).",
    )
    @click.option(
        "--lang",
        type=click.Choice(["en", "nl", "fr"]),
        default="en",
        show_default=True,
        help="Language of the headers.",
    )
    @click.option(
        "--header",
        type=click.Choice(["label", "path"]),
        default="label",
        show_default=True,
        help="Headers as labels in --lang, or as field paths (which read back as is).",
    )
    @click.option("--excel", is_flag=True, help="CSV for Excel: ';' separated, with a BOM.")
    @click.option(
        "--out",
        "-o",
        type=click.Path(dir_okay=False, path_type=pathlib.Path),
        required=True,
        help="The .csv or .xlsx file to write.",
    )
    def export_command(
        file: pathlib.Path,
        columns: str | None,
        lang: str,
        header: str,
        excel: bool,
        out: pathlib.Path,
    ) -> None:
        """Export the parties of FILE (.csv, .xlsx or .json) with the chosen columns.

        Exits 1 (writing nothing) when a row cannot be read, 2 on a usage error (an
        unknown column, another output format).
        """
        from clientcore._errors import ValidationError
        from clientcore.actions import export, resolve_columns

        fmt = out.suffix.lower().lstrip(".")
        if fmt not in ("csv", "xlsx"):
            raise click.BadParameter("write a .csv or an .xlsx file", param_hint="--out")
        try:
            chosen = resolve_columns(
                [c.strip() for c in columns.split(",")] if columns is not None else None
            )
        except ValidationError as exc:
            shown = "; ".join(i.message(lang) for i in exc.issues)
            raise click.BadParameter(shown, param_hint="--columns") from None
        parties, issues = read_selection(file)
        if issues:
            _refuse_unreadable(issues, lang)
        out.parent.mkdir(parents=True, exist_ok=True)
        count = export(
            parties,
            chosen,
            out,
            fmt="xlsx" if fmt == "xlsx" else "csv",
            lang=lang,
            excel=excel,
            header="path" if header == "path" else "label",
        )
        click.echo(f"{count} {'party' if count == 1 else 'parties'} exported to {out}")

    return export_command


def main(argv: Sequence[str] | None = None) -> None:
    """Run the ``clientcore`` command (the console script's entry point)."""
    try:
        import click  # noqa: F401
        import rich  # noqa: F401
    except ImportError:
        print(MISSING_EXTRA, file=sys.stderr)
        sys.exit(2)
    build_app().main(args=list(argv) if argv is not None else None, prog_name="clientcore")


if __name__ == "__main__":
    main()
