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
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Final

import attrs

from clientcore._errors import FilterError, ValidationError
from clientcore.completeness._check import Report, check
from clientcore.completeness._io import count_rows, read_parties
from clientcore.completeness._render import MissingExtra
from clientcore.completeness._rules import RuleSet
from clientcore.model import CustomField, FieldType, RowResult, Schema, default_schema

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


def check_file(
    path: str | os.PathLike[str],
    rules: RuleSet | None = None,
    today: dt.date | None = None,
    lang: str = "en",
    on_row: Callable[[int], None] | None = None,
) -> Report:
    """Read ``path`` with :func:`~clientcore.completeness.read_parties` and check it.

    ``on_row`` is called with the count of rows read so far, every 500 rows (progress).
    The report's ``source`` is the file's path.
    """
    results: Iterator[RowResult] = read_parties(path, trusted=True)
    if on_row is not None:
        results = _counting(results, on_row)
    report = check(results, rules, today, lang)
    return attrs.evolve(report, source=os.fspath(path))


def _counting(results: Iterator[RowResult], on_row: Callable[[int], None]) -> Iterator[RowResult]:
    count = 0
    for result in results:
        count += 1
        if count % 500 == 0:
            on_row(count)
        yield result
    on_row(count)


def _messages(error: ValidationError | FilterError | MissingExtra, lang: str) -> str:
    """The issues of ``error`` in ``lang``, one a line when there are several."""
    lines = [
        f"{issue.path}: {issue.message(lang)}" if issue.path else issue.message(lang)
        for issue in error.issues
    ]
    return lines[0] if len(lines) == 1 else "".join(f"\n  {line}" for line in lines)


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
        type=click.Choice(["text", "json", "html", "csv"]),
        default="text",
        show_default=True,
        help="A table for people, JSON for programs, an HTML page, or CSV (one line a failure).",
    )
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
        today: dt.datetime | None,
        lang: str,
        limit: int | None,
    ) -> None:
        """Check every party of FILE (.csv, .xlsx or .json) against the completeness rules.

        Exits 1 when a rule of severity error fails or a row cannot be read, 0 otherwise,
        2 on a usage error (a bad option, file or rule file).
        """
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
            report = _check_with_progress(file, rules, day, lang)
        except ValidationError as exc:
            raise click.BadParameter(_messages(exc, lang), param_hint="FILE") from None
        except MissingExtra as exc:
            raise click.UsageError(exc.issue.message(lang)) from None
        except OSError as exc:
            raise click.UsageError(f"cannot read {file}: {exc.strerror or exc}") from None
        if output == "json":
            click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
        elif output == "csv":
            click.echo(report.to_csv(), nl=False)
        elif output == "html":
            click.echo(report.to_html(limit=limit, page=True), nl=False)
        else:
            shown = DEFAULT_TEXT_LIMIT if limit is None else limit
            click.echo(report.to_text(limit=shown), nl=False)
        sys.exit(0 if report.ok else 1)

    return check_command


def _check_with_progress(
    file: pathlib.Path, rules: RuleSet | None, today: dt.date, lang: str
) -> Report:
    """Check, with a progress bar on stderr for a large file when it is a terminal."""
    if not sys.stderr.isatty() or file.stat().st_size < _PROGRESS_BYTES:
        return check_file(file, rules, today, lang)
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
            file, rules, today, lang, on_row=lambda n: progress.update(task, completed=n)
        )


__all__ = ["DEFAULT_TEXT_LIMIT", "build_check_command", "check_file", "load_rules"]
