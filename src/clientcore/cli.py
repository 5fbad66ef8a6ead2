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
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs

from clientcore._errors import Issue, ValidationError
from clientcore.io import Reading, read, write_csv
from clientcore.model import RowResult, validate_party
from clientcore.sample import DEFAULT_TODAY, SampleRegistry, generate_registry

if TYPE_CHECKING:
    import click
    from rich.console import Console

    from clientcore.completeness._cli import ReadOptions

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
    reading: Reading | None = None

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
            "reading": self.reading.to_json() if self.reading is not None else None,
        }


def validate_file(
    source: Any,
    *,
    lang: str = "en",
    limit: int | None = None,
    on_row: Callable[[int], None] | None = None,
    profile: str | os.PathLike[str] | None = None,
    columns: Sequence[str] | Mapping[str, str] | None = None,
    encoding: str | None = None,
    kind: str | None = None,
) -> ValidationReport:
    """Read a file of parties (CSV, XLSX, JSON, an open file, a DataFrame) with
    :func:`clientcore.io.read` and validate every record.

    A row that cannot become a party (a bad cell, a wrong column) counts as a record
    with issues, the issues of the row. ``limit`` caps how many records with issues are
    listed (all when ``None``); the counts always cover the whole file. ``on_row`` is
    called with each row number, for progress. ``profile``, ``columns``, ``encoding``
    and ``kind`` are the reading options. An input that cannot be read or holds no row
    raises :class:`~clientcore.ValidationError`.
    """
    table = read(source, profile=profile, columns=columns, encoding=encoding, kind=kind)
    if table.reading.errors:
        raise ValidationError(table.reading.errors)
    records = with_issues = listed = 0
    counts: collections.Counter[str] = collections.Counter()
    rows: list[IssueRow] = []
    for result in table:
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
    if records == 0:
        raise ValidationError([Issue("read.no_rows", "")])
    ordered = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return ValidationReport(records, with_issues, ordered, tuple(rows), listed, table.reading)


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

    from clientcore.completeness._cli import ReadOptions, build_check_command, read_options

    @app.command(short_help="Validate a CSV, XLSX or JSON file of parties.")
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
    @click.option(
        "--today",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="Accepted for the same command line as check; validation does not use the day.",
    )
    @read_options
    def validate(
        file: pathlib.Path,
        lang: str,
        limit: int | None,
        output: str,
        today: dt.datetime | None,
        profile: str | None,
        columns: tuple[str, ...],
        encoding: str | None,
        kind: str | None,
    ) -> None:
        """Validate every party of FILE (.csv, .xlsx or .json); exit 1 when any record
        has an issue, 2 when the file cannot be read or is empty."""
        if output == "text" and limit is None:
            limit = DEFAULT_LIMIT
        options = ReadOptions(profile, columns, encoding, kind)
        try:
            report = _validate_with_progress(file, lang, limit, options)
        except ValidationError as exc:
            lines = [
                f"{i.path}: {i.message(lang)}" if i.path else i.message(lang) for i in exc.issues
            ]
            raise click.BadParameter("; ".join(lines), param_hint="FILE") from None
        except OSError as exc:
            raise click.UsageError(f"cannot read {file}: {exc.strerror or exc}") from None
        if output == "json":
            click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        else:
            _print_report(report, file)
            if report.reading is not None:
                for line in report.reading.lines(lang):
                    click.echo(line)
        if not report.ok:
            sys.exit(1)

    # completeness checks, the main job: clientcore.completeness._cli holds the command
    app.add_command(build_check_command())
    return app


def _validate_with_progress(
    file: pathlib.Path, lang: str, limit: int | None, options: ReadOptions | None = None
) -> ValidationReport:
    """Validate, with a progress bar on stderr for a large file when it is a terminal."""
    kwargs: Any = options.as_kwargs() if options is not None else {}
    if not sys.stderr.isatty() or file.stat().st_size < _PROGRESS_BYTES:
        return validate_file(file, lang=lang, limit=limit, **kwargs)
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

        return validate_file(file, lang=lang, limit=limit, on_row=advance, **kwargs)


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
