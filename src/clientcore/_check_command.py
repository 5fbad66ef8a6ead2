"""``clientcore check``: run completeness rules over a CSV, XLSX or JSON file of parties.

The work is a plain function, :func:`check_file`, usable without a terminal; the click
command (:func:`build_check_command`, needs the ``cli`` extra) only presents it. This is
the one place where the day of the check may come from the system clock: when
``--today`` is not given, the command uses the local date; the library never does.

>>> import pathlib, tempfile, datetime as dt
>>> from clientcore.model import Party, write_csv
>>> path = pathlib.Path(tempfile.mkdtemp()) / "parties.csv"
>>> _ = write_csv([Party(kind="client_company", name="Peeters BV", status="client")], path)
>>> report = check_file(path, today=dt.date(2026, 1, 1))
>>> report.records, report.result("closing").failing, report.ok
(1, 1, False)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pathlib
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs

from clientcore._errors import FilterError, ValidationError
from clientcore.completeness import MissingExtra, Report, RuleSet, check
from clientcore.model import CustomField, FieldType, Schema, default_schema

if TYPE_CHECKING:
    import click

#: Failures listed per rule by the text output unless ``--limit`` says otherwise.
DEFAULT_TEXT_LIMIT: Final = 5

# A progress bar is shown for files at least this large, and only on a terminal.
_PROGRESS_BYTES: Final = 1 << 20


def load_rules(path: str | os.PathLike[str], schema: Schema | None = None) -> RuleSet:
    """Read a rule file (JSON of :meth:`RuleSet.to_json`), checked against ``schema``;
    a fault raises :class:`~clientcore.ValidationError` or
    :class:`~clientcore.FilterError` naming its JSON path.

    Without a host's ``schema``, the built-in field catalogue is used, and any
    well-formed custom field ``custom.<category>.<key>`` the file names is accepted (a
    file read by ``clientcore check`` has no host to declare them): as a number when
    the file compares it with a number, a yes/no when with a boolean, a date when with
    a date, a text otherwise. Any other unknown field is still refused.
    """
    data = pathlib.Path(path).read_bytes()
    if schema is None:
        schema = _with_custom_fields(default_schema(), data)
    return RuleSet.from_json_text(data, schema)


def _with_custom_fields(schema: Schema, data: bytes) -> Schema:
    """``schema`` with the well-formed custom fields that the rule file ``data`` names."""
    try:
        obj = json.loads(data)
    except (ValueError, RecursionError):
        return schema  # RuleSet.from_json_text reports the syntax error
    found: dict[str, CustomField] = {}
    stack = [obj]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        stack.extend(node.values())
        path = node.get("path")
        if not isinstance(path, str) or path in found or path in schema:
            continue
        parts = path.split(".")
        if len(parts) != 3 or parts[0] != "custom":
            continue
        custom = CustomField(parts[1], parts[2], _type_of(node.get("value")))
        try:
            schema.with_custom(custom)
        except ValidationError:
            continue  # not well-formed: left unknown, so the decoding refuses it
        found[path] = custom
    return schema.with_custom(*found.values()) if found else schema


def _type_of(value: object) -> FieldType:
    if isinstance(value, bool):
        return FieldType.BOOL
    if isinstance(value, (int, float)):
        return FieldType.NUMBER
    if isinstance(value, dict) and ("date" in value or "today" in value):
        return FieldType.DATE
    return FieldType.TEXT


def count_rows(path: str | os.PathLike[str]) -> int | None:
    """About how many rows :func:`read_parties` will yield (CSV: lines less the header),
    for a progress bar; ``None`` when that is not cheap to know."""
    file = pathlib.Path(path)
    if file.suffix.lower() not in (".csv", ".txt", ".tsv"):
        return None
    lines = 0
    with open(file, "rb") as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
    return max(lines - 1, 0)


def check_file(
    path: str | os.PathLike[str],
    rules: RuleSet | None = None,
    today: dt.date | None = None,
    lang: str = "en",
    on_row: Callable[[int], None] | None = None,
    *,
    profile: str | os.PathLike[str] | None = None,
    columns: Sequence[str] | Mapping[str, str] | None = None,
    encoding: str | None = None,
    kind: str | None = None,
) -> Report:
    """Read ``path`` with :func:`~clientcore.completeness.read_parties` and check it.

    ``on_row`` is called with the count of rows read so far, every 500 rows (progress).
    ``profile``, ``columns`` (``["Naam=name"]``), ``encoding`` and ``kind`` are the
    reading options of :func:`clientcore.io.read`. An input that cannot be read or is
    empty raises :class:`~clientcore.ValidationError`.
    """
    return check(
        path,
        rules,
        today,
        lang,
        profile=profile,
        columns=columns,
        encoding=encoding,
        kind=kind,
        progress=on_row,
    )


def _messages(error: ValidationError | FilterError | MissingExtra, lang: str) -> str:
    """The issues of ``error`` in ``lang``, one a line when there are several."""
    lines = [
        f"{issue.path}: {issue.message(lang)}" if issue.path else issue.message(lang)
        for issue in error.issues
    ]
    return lines[0] if len(lines) == 1 else "".join(f"\n  {line}" for line in lines)


@attrs.frozen
class ReadOptions:
    """The reading options every command that reads a file takes."""

    profile: str | None = None
    columns: tuple[str, ...] = ()
    encoding: str | None = None
    kind: str | None = None

    def as_kwargs(self) -> dict[str, object]:
        """Keyword arguments for :func:`check_file` and :func:`clientcore.io.read`."""
        return {
            "profile": self.profile,
            "columns": list(self.columns) or None,
            "encoding": self.encoding,
            "kind": self.kind,
        }


def read_options(
    command: Callable[..., None], kind_flag: str = "--kind", map_dest: str = "columns"
) -> Callable[..., None]:
    """Add ``--profile``, ``--map``, ``--encoding`` and ``--kind`` to a click command
    (``kind_flag`` names the last where ``--kind`` means something else, as in ``qr``;
    ``map_dest`` names the parameter of ``--map`` where ``columns`` is taken)."""
    import click

    for option in reversed(
        [
            click.option(
                "--profile",
                default=None,
                metavar="FILE|NAME",
                help="An import profile: a .json or .toml file, or a built-in name "
                "(generic, exact_online).",
            ),
            click.option(
                "--map",
                map_dest,
                multiple=True,
                metavar="COLUMN=FIELD",
                help="Read a source column as a field, e.g. --map 'Naam=name' (repeatable).",
            ),
            click.option(
                "--encoding",
                default=None,
                help="Force the file's encoding [default: detected: UTF-8 with or without "
                "BOM, UTF-16 with BOM, else Windows-1252].",
            ),
            click.option(
                kind_flag,
                "kind",
                default=None,
                help="The kind of party of rows that do not say (client_company, "
                "client_person, relation_company, relation_person).",
            ),
        ]
    ):
        command = option(command)
    return command


def build_check_command() -> click.Command:
    """The ``check`` command for the ``clientcore`` group (needs click and rich)."""
    import click

    @click.command(
        "check", short_help="Run completeness rules over a CSV, XLSX or JSON file of parties."
    )
    @click.argument(
        "file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=pathlib.Path)
    )
    @click.option(
        "--rules",
        "rules_file",
        type=click.Path(exists=True, dir_okay=False, readable=True, path_type=pathlib.Path),
        default=None,
        help="A JSON rule file to run instead of the built-in rules (custom.<category>.<key> "
        "fields allowed).",
    )
    @click.option(
        "--format",
        "output",
        type=click.Choice(["text", "json", "html", "csv", "xlsx"]),
        default="text",
        show_default=True,
        help="A table for people, JSON for programs, an HTML page, CSV (one line a failure) "
        "or an XLSX workbook (needs --out).",
    )
    @click.option(
        "--excel",
        is_flag=True,
        default=False,
        help="CSV for Belgian and Dutch Excel: ';' between cells, a UTF-8 BOM, CRLF.",
    )
    @click.option(
        "--out",
        "-o",
        type=click.Path(dir_okay=False, path_type=pathlib.Path),
        default=None,
        help="Write the report to this file instead of the terminal.",
    )
    @read_options
    @click.option(
        "--today",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        help="The day of the check (eID validity, AML age) [default: today's date from the "
        "system clock].",
    )
    @click.option(
        "--lang",
        type=click.Choice(["en", "nl", "fr"]),
        default="en",
        show_default=True,
        help="Language of the report.",
    )
    @click.option(
        "--limit",
        type=click.IntRange(min=0),
        default=None,
        help=f"Failures listed per rule [text: {DEFAULT_TEXT_LIMIT}, html: all]; json and csv "
        "always list all.",
    )
    def check_command(
        file: pathlib.Path,
        rules_file: pathlib.Path | None,
        output: str,
        excel: bool,
        out: pathlib.Path | None,
        profile: str | None,
        columns: tuple[str, ...],
        encoding: str | None,
        kind: str | None,
        today: dt.datetime | None,
        lang: str,
        limit: int | None,
    ) -> None:
        """Check every party of FILE (.csv, .xlsx or .json) against the completeness rules.

        Exits 1 when a rule of severity error fails or is not judged (a column it reads
        is missing) or a row cannot be read, 0 otherwise, 2 on a usage error (a bad
        option, file or rule file) or an input that cannot be read or is empty.
        """
        if output == "xlsx" and out is None:
            raise click.BadParameter("--format xlsx writes a file: give --out", param_hint="--out")
        options = ReadOptions(profile, columns, encoding, kind)
        rules = None
        if rules_file is not None:
            try:
                rules = load_rules(rules_file)
            except (ValidationError, FilterError) as exc:
                raise click.BadParameter(_messages(exc, lang), param_hint="--rules") from None
            except OSError as exc:
                raise click.BadParameter(str(exc.strerror or exc), param_hint="--rules") from None
        # the one read of the system clock: the CLI layer only, never the library
        day = today.date() if today is not None else dt.date.today()
        try:
            report = _check_with_progress(file, rules, day, lang, options)
        except ValidationError as exc:
            raise click.BadParameter(_messages(exc, lang), param_hint="FILE") from None
        except MissingExtra as exc:
            raise click.UsageError(exc.issue.message(lang)) from None
        except OSError as exc:
            raise click.UsageError(f"cannot read {file}: {exc.strerror or exc}") from None
        if output == "xlsx":
            assert out is not None
            try:
                report.to_xlsx(out)
            except MissingExtra as exc:
                raise click.UsageError(exc.issue.message(lang)) from None
            sys.exit(0 if report.ok else 1)
        if output == "json":
            text = json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"
        elif output == "csv":
            text = report.to_csv(excel=excel)
        elif output == "html":
            text = report.to_html(limit=limit, page=True)
        else:
            shown = DEFAULT_TEXT_LIMIT if limit is None else limit
            text = report.to_text(limit=shown)
        if out is not None:
            try:
                with open(out, "w", encoding="utf-8", newline="") as handle:
                    handle.write(text)
            except OSError as exc:
                raise click.UsageError(f"cannot write {out}: {exc.strerror or exc}") from None
        else:
            click.echo(text, nl=False)
        sys.exit(0 if report.ok else 1)

    return check_command


def _check_with_progress(
    file: pathlib.Path, rules: RuleSet | None, today: dt.date, lang: str, options: ReadOptions
) -> Report:
    """Check, with a progress bar on stderr for a large file when it is a terminal."""
    kwargs: Any = options.as_kwargs()
    if not sys.stderr.isatty() or file.stat().st_size < _PROGRESS_BYTES:
        return check_file(file, rules, today, lang, **kwargs)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as progress:
        task = progress.add_task("checking", total=count_rows(file))
        return check_file(
            file,
            rules,
            today,
            lang,
            on_row=lambda n: progress.update(task, completed=n),
            **kwargs,
        )


__all__ = [
    "DEFAULT_TEXT_LIMIT",
    "ReadOptions",
    "build_check_command",
    "check_file",
    "load_rules",
    "read_options",
]
