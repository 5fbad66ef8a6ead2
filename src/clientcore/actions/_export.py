"""Export a selection: chosen columns (custom fields included), headers in en/nl/fr, safe for Excel.

Rows are written one at a time through :mod:`clientcore.io`'s writers (CSV:
:func:`~clientcore.io.write_table`; XLSX: the streaming
:func:`~clientcore.io.write_sheets`), so an export of 100,000 parties never holds them
all twice. Cells use the codec's text forms (dates ISO, booleans ``true``/``false``,
labels ``;``-separated, owned collections as JSON), so :func:`clientcore.io.read` reads
an export back into the same values, headers in any of the three languages included.
Formula injection is neutralised by those writers: a CSV cell gets :func:`excel_safe`'s
``'``, an XLSX cell is typed text with Excel's quote prefix.

>>> from clientcore import Party
>>> bakery = Party(kind="client_company", name="=1+1", number="C1")
>>> export([bakery], ["number", "name"], lang="nl").splitlines()
['Klantnummer,Naam', "C1,'=1+1"]
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any, Literal, overload

from clientcore._errors import Issue, ValidationError
from clientcore._messages import define
from clientcore._seen import visible_only
from clientcore._text import formula_safe
from clientcore.model import COLLECTIONS, Actor, Party, Schema, converter, default_schema
from clientcore.query import ColumnLayout
from clientcore.status import StatusMachine

define(
    {
        "export.format": (
            "Unknown export format '{value}' (csv, xlsx or rows).",
            "Onbekend exportformaat '{value}' (csv, xlsx of rows).",
            "Format d'export inconnu '{value}' (csv, xlsx ou rows).",
        ),
        "export.column.unknown": (
            "Unknown column '{column}'{hint}.",
            "Onbekende kolom '{column}'{hint}.",
            "Colonne inconnue '{column}'{hint}.",
        ),
        "export.column.duplicate": (
            "Column '{column}' is listed twice.",
            "Kolom '{column}' staat er twee keer in.",
            "La colonne '{column}' figure deux fois.",
        ),
        "export.columns.empty": (
            "Choose at least one column to export.",
            "Kies minstens één kolom om te exporteren.",
            "Choisissez au moins une colonne à exporter.",
        ),
        "export.rows_have_no_file": (
            "An export as rows returns them; it does not take out=.",
            "Een export als rijen geeft ze terug; hij neemt geen out=.",
            "Un export en lignes les renvoie ; il ne prend pas out=.",
        ),
        "export.needs_actor": (
            "Hiding statuses needs both actor= and machine=.",
            "Statussen verbergen vraagt zowel actor= als machine=.",
            "Masquer des statuts demande actor= et machine=.",
        ),
        "export.header": (
            "header is 'label' or 'path', not '{value}'.",
            "header is 'label' of 'path', niet '{value}'.",
            "header vaut 'label' ou 'path', pas '{value}'.",
        ),
    }
)

Format = Literal["csv", "xlsx", "rows"]
Header = Literal["label", "path"]
Target = str | os.PathLike[str] | IO[str] | IO[bytes]


def excel_safe(cell: str) -> str:
    """``cell`` made safe to open in a spreadsheet: text that a spreadsheet would run as a
    formula gets a leading ``'`` (shown as text, never evaluated); a plain number
    (``-12.50``) is data and left alone. The one rule every clientcore writer applies
    (OWASP's list of formula starts).

    >>> excel_safe("=1+1"), excel_safe("-12.50"), excel_safe("@SUM(A1)"), excel_safe("Gent")
    ("'=1+1", '-12.50', "'@SUM(A1)", 'Gent')
    """
    return formula_safe(cell)


def _text(value: Any) -> str:
    # The codec's text forms (clientcore.model.to_row), one value at a time.
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (frozenset, set)):
        return ";".join(sorted(value))
    return str(value)


def _json_cell(value: Any) -> str:
    if not value:
        return ""
    return json.dumps(converter.unstructure(value), ensure_ascii=False)


def _cells(columns: Sequence[str], schema: Schema) -> list[Callable[[Party], str]]:
    out: list[Callable[[Party], str]] = []
    for column in columns:
        if column in COLLECTIONS:
            out.append(_collection_cell(column))
        else:
            out.append(_field_cell(schema.field(column).getter()))
    return out


def _collection_cell(name: str) -> Callable[[Party], str]:
    def cell(party: Party) -> str:
        return _json_cell(getattr(party, name))

    return cell


def _field_cell(get: Callable[[Any], Any]) -> Callable[[Party], str]:
    def cell(party: Party) -> str:
        return _text(get(party))

    return cell


def resolve_columns(
    columns: Sequence[str] | ColumnLayout | None, schema: Schema | None = None
) -> tuple[str, ...]:
    """The columns of an export: a layout's shown columns, the given paths, or the default.

    Every unknown or repeated column is reported at once, with the nearest known one.
    """
    catalogue = schema or default_schema()
    if columns is None:
        return ColumnLayout.default(catalogue).visible
    if isinstance(columns, ColumnLayout):
        return columns.visible
    if isinstance(columns, str):
        columns = [c.strip() for c in columns.split(",")]
    chosen = tuple(columns)
    issues: list[Issue] = []
    seen: set[str] = set()
    known = {f.path for f in catalogue.top_level()} | set(COLLECTIONS)
    for i, column in enumerate(chosen):
        if column in seen:
            issues.append(Issue("export.column.duplicate", f"columns[{i}]", {"column": column}))
        elif not isinstance(column, str) or column not in known:
            near = catalogue.suggest(column) if isinstance(column, str) else None
            issues.append(
                Issue(
                    "export.column.unknown",
                    f"columns[{i}]",
                    {"column": column, "suggestion": near or ""},
                )
            )
        seen.add(column)
    if not chosen:
        issues.append(Issue("export.columns.empty", "columns"))
    if issues:
        raise ValidationError(issues)
    return chosen


def headers(columns: Sequence[str], lang: str = "en", schema: Schema | None = None) -> list[str]:
    """The column headings in ``lang`` (the catalogue's labels; a custom field's own)."""
    catalogue = schema or default_schema()
    out = []
    for column in columns:
        field = catalogue.get(column)
        out.append(field.label(lang) if field is not None else column)
    return out


def _visible(
    parties: Iterable[Party], actor: Actor | None, machine: StatusMachine | None
) -> Iterable[Party]:
    return visible_only(parties, actor, machine, "export.needs_actor")


def _rows(parties: Iterable[Party], columns: Sequence[str], schema: Schema) -> Iterator[list[str]]:
    cells = _cells(columns, schema)
    for party in parties:
        yield [cell(party) for cell in cells]


@overload
def export(
    parties: Iterable[Party],
    columns: Sequence[str] | ColumnLayout | None = ...,
    out: None = ...,
    fmt: Literal["csv"] = ...,
    lang: str = ...,
    excel: bool = ...,
    *,
    header: Header = ...,
    schema: Schema | None = ...,
    actor: Actor | None = ...,
    machine: StatusMachine | None = ...,
) -> str: ...


@overload
def export(
    parties: Iterable[Party],
    columns: Sequence[str] | ColumnLayout | None,
    out: None,
    fmt: Literal["xlsx"],
    lang: str = ...,
    excel: bool = ...,
    *,
    header: Header = ...,
    schema: Schema | None = ...,
    actor: Actor | None = ...,
    machine: StatusMachine | None = ...,
) -> bytes: ...


@overload
def export(
    parties: Iterable[Party],
    columns: Sequence[str] | ColumnLayout | None = ...,
    out: None = ...,
    *,
    fmt: Literal["xlsx"],
    lang: str = ...,
    excel: bool = ...,
    header: Header = ...,
    schema: Schema | None = ...,
    actor: Actor | None = ...,
    machine: StatusMachine | None = ...,
) -> bytes: ...


@overload
def export(
    parties: Iterable[Party],
    columns: Sequence[str] | ColumnLayout | None = ...,
    out: None = ...,
    *,
    fmt: Literal["rows"],
    lang: str = ...,
    excel: bool = ...,
    header: Header = ...,
    schema: Schema | None = ...,
    actor: Actor | None = ...,
    machine: StatusMachine | None = ...,
) -> Iterator[dict[str, str]]: ...


@overload
def export(
    parties: Iterable[Party],
    columns: Sequence[str] | ColumnLayout | None,
    out: Target,
    fmt: Literal["csv", "xlsx"] = ...,
    lang: str = ...,
    excel: bool = ...,
    *,
    header: Header = ...,
    schema: Schema | None = ...,
    actor: Actor | None = ...,
    machine: StatusMachine | None = ...,
) -> int: ...


def export(
    parties: Iterable[Party],
    columns: Sequence[str] | ColumnLayout | None = None,
    out: Target | None = None,
    fmt: Format = "csv",
    lang: str = "en",
    excel: bool = False,
    *,
    header: Header = "label",
    schema: Schema | None = None,
    actor: Actor | None = None,
    machine: StatusMachine | None = None,
) -> str | bytes | int | Iterator[dict[str, str]]:
    """Export ``parties`` with ``columns`` (paths, a :class:`ColumnLayout`, or the default).

    ``fmt``: ``"csv"`` (text; with ``excel=True`` ``;``-separated with a BOM, as Excel
    in Belgium and the Netherlands opens it), ``"xlsx"`` (needs the ``xlsx`` extra) or
    ``"rows"`` (dicts, for pandas). Headers are the catalogue's labels in ``lang``, or
    the field paths with ``header="path"``. ``out`` is a path or an open file; without
    it the CSV text, the XLSX bytes or the rows are returned; with it, the number of rows
    written. With ``actor`` and ``machine``, parties whose status the actor may not see
    are left out. Columns are checked before anything is written.
    """
    if fmt not in ("csv", "xlsx", "rows"):
        raise ValidationError([Issue("export.format", "fmt", {"value": fmt})])
    if header not in ("label", "path"):
        raise ValidationError([Issue("export.header", "header", {"value": header})])
    catalogue = schema or (columns.schema if isinstance(columns, ColumnLayout) else None)
    catalogue = catalogue or default_schema()
    chosen = resolve_columns(columns, catalogue)
    if (actor is None) != (machine is None):
        raise ValidationError([Issue("export.needs_actor", "machine")])
    titles = list(chosen) if header == "path" else headers(chosen, lang, catalogue)
    rows = _rows(_visible(parties, actor, machine), chosen, catalogue)
    if fmt == "rows":
        if out is not None:
            raise ValidationError([Issue("export.rows_have_no_file", "out")])
        return (dict(zip(titles, row)) for row in rows)
    written: str | bytes | int = (
        _xlsx(titles, rows, out) if fmt == "xlsx" else _csv(titles, rows, out, excel)
    )
    return written


def _csv(titles: list[str], rows: Iterator[list[str]], out: Target | None, excel: bool) -> Any:
    # clientcore.io's CSV writer: formula-safe cells, ';' and a BOM for Excel, CRLF
    from clientcore.io import write_table

    records = (dict(zip(titles, row)) for row in rows)
    if out is None:
        buffer = io.StringIO()
        write_table(records, titles, buffer, excel=excel)
        return buffer.getvalue()
    return write_table(records, titles, out, excel=excel)  # type: ignore[arg-type]


def _xlsx(titles: list[str], rows: Iterator[list[str]], out: Target | None) -> Any:
    # clientcore.io's streaming XLSX writer: every cell text, formulas never run
    from clientcore.io import write_sheets

    records = (dict(zip(titles, row)) for row in rows)
    if out is None:
        buffer = io.BytesIO()
        write_sheets({"clients": (titles, records)}, buffer)
        return buffer.getvalue()
    return write_sheets({"clients": (titles, records)}, out)["clients"]  # type: ignore[arg-type]
