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

    from clientcore._check_command import ReadOptions

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
    # validating only reads, as a check does: the acceptance record is judged, not stored
    table = read(
        source, profile=profile, columns=columns, encoding=encoding, kind=kind, trusted=True
    )
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

    from clientcore._check_command import ReadOptions, build_check_command, read_options

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

    # completeness checks, the main job: clientcore._check_command holds the command
    app.add_command(build_check_command())
    for command in build_sync_commands():
        app.add_command(command)
    # actions on a selection: QR cover pages and exports
    app.add_command(build_qr_command())
    app.add_command(build_export_command())
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


# --- actions on a selection: qr and export ---


def read_selection(
    file: str | os.PathLike[str],
    options: Mapping[str, Any] | None = None,
    *,
    trusted: bool = False,
) -> tuple[list[Any], list[Issue]]:
    """Every party of ``file`` (.csv, .xlsx or .json) and the issues of the rows that
    cannot be read (each issue's path names the row), or the file's own faults.
    ``options`` are :func:`clientcore.io.read`'s reading options (profile, columns,
    encoding, kind)."""
    from clientcore.completeness import read_parties

    parties: list[Any] = []
    issues: list[Issue] = []
    table = read_parties(file, trusted=trusted, **dict(options or {}))
    if table.reading.errors:
        return [], list(table.reading.errors)
    for result in table:
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


def _reading(kind_flag: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    # the reading options, with --map as map_ (export's --columns is taken) and the
    # party kind under kind_flag (qr's --kind is the document kind)
    from clientcore._check_command import read_options

    return lambda command: read_options(command, kind_flag, "map_")


def build_qr_command() -> click.Command:
    """The ``qr`` command: one PDF of cover pages for every party of a file."""
    import click

    from clientcore._check_command import ReadOptions

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
    @_reading("--party-kind")
    def qr_command(
        file: pathlib.Path,
        document_kind: str,
        tenant: str,
        key_file: pathlib.Path | None,
        lang: str,
        out: pathlib.Path,
        profile: str | None,
        map_: tuple[str, ...],
        encoding: str | None,
        kind: str | None,
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
        parties, issues = read_selection(
            file, ReadOptions(profile, map_, encoding, kind).as_kwargs()
        )
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

    from clientcore._check_command import ReadOptions

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
    @_reading("--kind")
    def export_command(
        file: pathlib.Path,
        columns: str | None,
        lang: str,
        header: str,
        excel: bool,
        out: pathlib.Path,
        profile: str | None,
        map_: tuple[str, ...],
        encoding: str | None,
        kind: str | None,
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
        reading = ReadOptions(profile, map_, encoding, kind).as_kwargs()
        parties, issues = read_selection(file, reading)
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


# --- re-import from another CRM: clientcore sync, clientcore apply ---

#: The roles the ``sync`` and ``apply`` commands act with unless ``--role`` says
#: otherwise: staff who may also end engagements.
SYNC_ROLES: Final = ("staff", "administration")

#: The formats ``clientcore sync`` writes.
SYNC_FORMATS: Final = ("text", "json", "html", "xlsx")


def read_registry(path: str | os.PathLike[str]) -> list[Any]:
    """The parties of a registry file (CSV, XLSX or JSON). A registry row that cannot be
    read raises :class:`~clientcore.ValidationError` naming its row: a registry is
    either read whole or not used."""
    from clientcore._errors import ValidationError

    # the registry file is the firm's own store: its acceptance records are read as kept
    parties, issues = read_selection(path, trusted=True)
    if issues:
        raise ValidationError(issues)
    return parties


def sync_files(
    ours: str | os.PathLike[str],
    theirs: str | os.PathLike[str],
    *,
    keys: Sequence[str] | None = None,
    fuzzy: bool = False,
    options: Mapping[str, Any] | None = None,
) -> Any:
    """The :class:`~clientcore.sync.SyncDiff` of the registry file ``ours`` and the import
    file ``theirs`` (CSV, XLSX or JSON, read as row results with
    :func:`clientcore.completeness.read_parties`; ``options`` are the reading options of
    the import: profile, columns, encoding, kind). An import that cannot be read at all
    raises :class:`~clientcore.ValidationError`."""
    from clientcore._errors import ValidationError
    from clientcore.completeness import read_parties
    from clientcore.sync import DEFAULT_KEYS, diff

    registry = load_registry(ours)
    incoming = read_parties(theirs, **dict(options or {}))
    if incoming.reading.errors:
        raise ValidationError(incoming.reading.errors)
    return diff(
        registry,
        incoming,
        keys=tuple(keys or DEFAULT_KEYS),
        fuzzy=fuzzy,
        reading=incoming.reading,
    )


def load_registry(path: str | os.PathLike[str]) -> Any:
    """A file-backed registry: the parties of ``path`` in an in-memory unit of work that
    keeps their versions (a party without one is at version 1), so a plan made from one
    reading of the file meets the same versions when it is applied to the next."""
    from clientcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork

    return InMemoryUnitOfWork(InMemoryStore(read_registry(path)))


def write_sync_xlsx(rows: Sequence[dict[str, Any]], out: str | os.PathLike[str]) -> None:
    """Write diff rows (:meth:`~clientcore.sync.SyncDiff.to_rows`) to an XLSX sheet
    (the ``xlsx`` extra) with :func:`clientcore.io.write_sheets`, the one XLSX writer: a
    cell that looks like a formula is stored as text."""
    from clientcore.io import write_sheets

    columns = list(rows[0]) if rows else ["bucket"]
    write_sheets({"sync": (columns, rows)}, out)


def apply_plan_file(
    plan_path: str | os.PathLike[str],
    ours: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    actor: Any,
    at: dt.datetime,
    skip: bool = False,
) -> tuple[Any, pathlib.Path]:
    """Apply the sync plan in ``plan_path`` to the registry file ``ours`` (loaded into an
    in-memory registry), write the registry to ``out`` (CSV) and the undo plan beside it
    (``<out>.undo.json``). Returns the receipt and the undo plan's path. Nothing is
    written when the apply fails."""
    from clientcore.status import RolePolicy, StatusMachine
    from clientcore.sync import SyncPlan

    with open(plan_path, encoding="utf-8") as handle:
        plan = SyncPlan.from_json(json.load(handle))
    uow = load_registry(ours)
    machine = StatusMachine(RolePolicy.default())
    receipt = plan.apply(
        uow, actor, at=at, machine=machine, on_rejection="skip" if skip else "abort"
    )
    target = pathlib.Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    undo_path = target.with_name(target.name + ".undo.json")
    with uow:
        write_csv(sorted(uow.parties.list(), key=lambda p: p.id), target)
    undo_path.write_text(
        json.dumps(receipt.undo.to_json(), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return receipt, undo_path


def _sync_errors(err: Exception, lang: str) -> str:
    issues = getattr(err, "issues", ())
    if issues:
        return "\n".join(
            f"{i.path}: {i.message(lang)}" if i.path else i.message(lang) for i in issues
        )
    return str(err)


def build_sync_commands() -> list[click.Command]:
    """The ``sync`` and ``apply`` commands (the ``cli`` extra)."""
    import click

    from clientcore._check_command import ReadOptions
    from clientcore._errors import ClientCoreError

    existing = click.Path(exists=True, dir_okay=False, readable=True, path_type=pathlib.Path)
    writable = click.Path(dir_okay=False, path_type=pathlib.Path)

    @click.command(short_help="Compare a CRM export with the registry.")
    @click.argument("ours", type=existing)
    @click.argument("theirs", type=existing)
    @click.option(
        "--keys",
        default=None,
        help="The keys to match on, in order, comma-separated "
        "[default: national_number,enterprise_number,vat_number,number,email].",
    )
    @click.option("--fuzzy", is_flag=True, help="Also look for probable matches by name.")
    @click.option(
        "--format",
        "output",
        type=click.Choice(SYNC_FORMATS),
        default="text",
        show_default=True,
        help="The buckets as text, JSON, HTML or an XLSX sheet of rows (needs --out).",
    )
    @click.option("--out", "-o", type=writable, default=None, help="Write there, not to stdout.")
    @click.option("--lang", type=click.Choice(["en", "nl", "fr"]), default="en", show_default=True)
    @click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True)
    @click.option(
        "--plan", "plan_out", type=writable, default=None, help="Write a sync plan (JSON) there."
    )
    @click.option(
        "--overwrite", default="", help="With --plan: the fields to overwrite, comma-separated."
    )
    @click.option("--add", is_flag=True, help="With --plan: add every new record.")
    @click.option(
        "--end", is_flag=True, help="With --plan: end the engagement of every party only ours."
    )
    @click.option(
        "--default",
        "defaults",
        multiple=True,
        metavar="FIELD=VALUE",
        help="With --plan --add: a default of new clients (status, portfolio, labels, ...).",
    )
    @click.option(
        "--empty-overwrites", is_flag=True, help="With --plan: empty imported values clear ours."
    )
    @_reading("--kind")
    def sync(
        ours: pathlib.Path,
        theirs: pathlib.Path,
        keys: str | None,
        fuzzy: bool,
        output: str,
        out: pathlib.Path | None,
        lang: str,
        limit: int,
        plan_out: pathlib.Path | None,
        overwrite: str,
        add: bool,
        end: bool,
        defaults: tuple[str, ...],
        empty_overwrites: bool,
        profile: str | None,
        map_: tuple[str, ...],
        encoding: str | None,
        kind: str | None,
    ) -> None:
        """Compare the import THEIRS with the registry OURS: new, only ours, duplicates with
        the fields that differ, conflicts, probable matches, invalid. Exit 0 when the diff
        ran, 2 when it could not."""
        if output == "xlsx" and out is None:
            raise click.UsageError("--format xlsx needs --out FILE")
        try:
            key_list = [k.strip() for k in keys.split(",") if k.strip()] if keys else None
            reading = ReadOptions(profile, map_, encoding, kind).as_kwargs()
            result = sync_files(ours, theirs, keys=key_list, fuzzy=fuzzy, options=reading)
            plan = None
            if plan_out is not None:
                chosen: dict[str, Any] = {}
                for item in defaults:
                    field, sep, value = item.partition("=")
                    if not sep:
                        raise click.UsageError(f"--default {item!r}: expected FIELD=VALUE")
                    chosen[field.strip()] = (
                        set(value.split(";")) if field.strip() == "labels" else value
                    )
                plan = result.plan(
                    overwrite=overwrite,
                    add=add,
                    end=end,
                    defaults=chosen,
                    empty_overwrites=empty_overwrites,
                )
        except (ClientCoreError, ImportError) as err:
            click.echo(_sync_errors(err, lang), err=True)
            sys.exit(2)
        except OSError as err:
            raise click.UsageError(str(err)) from None
        if output == "xlsx":
            assert out is not None
            try:
                write_sync_xlsx(result.to_rows(), out)
            except ImportError:
                click.echo("--format xlsx needs the xlsx extra: pip install 'clientcore[xlsx]'")
                sys.exit(2)
        else:
            if output == "json":
                text = json.dumps(result.to_json(), ensure_ascii=False, indent=2)
            elif output == "html":
                text = result.to_html(plan)
            else:
                text = result.to_text(lang, limit)
            if out is not None:
                out.write_text(text + "\n", encoding="utf-8")
            else:
                click.echo(text)
        if plan is not None and plan_out is not None:
            plan_out.write_text(
                json.dumps(plan.to_json(), ensure_ascii=False, indent=2), encoding="utf-8"
            )
            click.echo(f"plan written to {plan_out}", err=True)

    @click.command(short_help="Apply a sync plan to a registry file.")
    @click.argument("plan", type=existing)
    @click.argument("ours", type=existing)
    @click.option("--out", "-o", type=writable, required=True, help="The new registry (CSV).")
    @click.option("--actor", default="clientcore", show_default=True, help="Who applies it.")
    @click.option(
        "--role",
        "roles",
        multiple=True,
        default=SYNC_ROLES,
        show_default=True,
        help="The actor's roles (repeat for several).",
    )
    @click.option(
        "--at",
        type=click.DateTime(formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d"]),
        default=None,
        help="The moment of the change [default: now].",
    )
    @click.option("--skip", is_flag=True, help="Leave rejected items out instead of aborting.")
    @click.option("--lang", type=click.Choice(["en", "nl", "fr"]), default="en", show_default=True)
    def apply(
        plan: pathlib.Path,
        ours: pathlib.Path,
        out: pathlib.Path,
        actor: str,
        roles: tuple[str, ...],
        at: dt.datetime | None,
        skip: bool,
        lang: str,
    ) -> None:
        """Apply the sync PLAN to the registry file OURS, all or nothing; write the new
        registry to --out and the undo plan beside it (OUT.undo.json)."""
        from clientcore.model import Actor

        moment = at if at is not None else dt.datetime.now().replace(microsecond=0)
        try:
            receipt, undo_path = apply_plan_file(
                plan, ours, out, actor=Actor(actor, set(roles)), at=moment, skip=skip
            )
        except ClientCoreError as err:
            click.echo(_sync_errors(err, lang), err=True)
            sys.exit(1)
        except OSError as err:
            raise click.UsageError(str(err)) from None
        click.echo(
            f"created {len(receipt.created)}, changed {len(receipt.changed)}, "
            f"ended {len(receipt.ended)}, removed {len(receipt.removed)}, "
            f"skipped {len(receipt.skipped)}; undo plan: {undo_path}"
        )

    return [sync, apply]


if __name__ == "__main__":
    main()
