"""Reading parties from a file for a check: CSV, XLSX or JSON, one :class:`RowResult` each.

Every format goes through the model's row codec (:func:`clientcore.model.from_row`) or
its party JSON (:func:`clientcore.model.party_from_json`); a bad row never stops the
reading, it comes out as a row result with its issues. Row numbers are what a
spreadsheet shows (the header is row 1); in a JSON list, item 1 is the first item.

A contact (or general correspondence) attached to a location the row does not have
would make the party unbuildable; it is found before the row becomes a party, the
party is loaded with that reference cleared, and the fault is kept in the row result's
``issues`` (``completeness.location.unknown``), for the rule ``contact_location``.

>>> import json, pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> path = folder / "parties.json"
>>> _ = path.write_text(json.dumps([{"kind": "client_company", "name": "Peeters BV"},
...                                 {"kind": "planet", "name": "Mars"}]))
>>> [(r.row, r.ok) for r in read_parties(path)]
[(1, True), (2, False)]
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import pathlib
from collections.abc import Iterator, Mapping
from typing import Any, Final

from clientcore._errors import Issue, ValidationError
from clientcore._messages import define
from clientcore.completeness._references import clear_unknown_locations
from clientcore.completeness._render import MissingExtra
from clientcore.completeness._rules import _kind
from clientcore.model import RowResult, Schema, from_row, party_from_json
from clientcore.model._codec import read_prepared_csv

define(
    {
        "file.format.unknown": (
            "Cannot read '{name}': the file must end in {formats}.",
            "Kan '{name}' niet lezen: het bestand moet eindigen op {formats}.",
            "Impossible de lire '{name}' : le fichier doit se terminer par {formats}.",
        ),
        "file.unreadable": (
            "The file cannot be read: {reason}.",
            "Het bestand kan niet gelezen worden: {reason}.",
            "Le fichier ne peut pas être lu : {reason}.",
        ),
        "row.extra_cells": (
            "The row has {count} cells more than the header has columns.",
            "De rij heeft {count} cellen meer dan de kop kolommen heeft.",
            "La ligne a {count} cellules de plus que l'en-tête n'a de colonnes.",
        ),
        "json.not_a_list": (
            "A JSON file of parties holds a list of objects, not {found}.",
            "Een JSON-bestand met partijen bevat een lijst van objecten, niet {found}.",
            "Un fichier JSON de parties contient une liste d'objets, pas {found}.",
        ),
        "json.item.invalid": (
            "Item {row} is not an object but {found}.",
            "Item {row} is geen object maar {found}.",
            "L'élément {row} n'est pas un objet mais {found}.",
        ),
    }
)

#: The file extensions :func:`read_parties` reads.
FORMATS: Final = (".csv", ".xlsx", ".json")


def read_parties(
    path: str | os.PathLike[str], schema: Schema | None = None, *, trusted: bool = False
) -> Iterator[RowResult]:
    """Stream the parties of a ``.csv``, ``.xlsx`` or ``.json`` file as row results.

    CSV goes through :func:`~clientcore.model.read_csv`. XLSX (the ``xlsx`` extra:
    openpyxl, imported only here) reads the first sheet: the header on row 1, one party
    a row, empty rows skipped. JSON holds a list whose items are party JSON
    (:func:`~clientcore.model.party_to_json`, recognised by a nested object or list) or
    flat rows as :func:`~clientcore.model.to_row` writes them. Another extension raises
    :class:`~clientcore.ValidationError`; a missing file raises :class:`OSError`.
    Acceptance data is refused on its row unless ``trusted=True`` (as
    :func:`~clientcore.model.from_row`); a check that only reads the file (the
    ``clientcore check`` command) passes it.
    """
    file = pathlib.Path(path)
    suffix = file.suffix.lower()
    if suffix == ".csv":
        return _read_csv(file, schema, trusted)
    if suffix == ".xlsx":
        return _read_xlsx(file, schema, trusted)
    if suffix == ".json":
        return _read_json(file, schema, trusted)
    raise ValidationError(
        [Issue("file.format.unknown", "path", {"name": file.name, "formats": ", ".join(FORMATS)})]
    )


def count_rows(path: str | os.PathLike[str]) -> int | None:
    """About how many rows :func:`read_parties` will yield (CSV: lines less the header),
    for a progress bar; ``None`` when that is not cheap to know."""
    file = pathlib.Path(path)
    if file.suffix.lower() != ".csv":
        return None
    lines = 0
    with open(file, "rb") as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
    return max(lines - 1, 0)


def _result(
    number: int, record: Mapping[str, Any], schema: Schema | None, party_json: bool, trusted: bool
) -> RowResult:
    """One record as a row result: unknown locations cleared and kept as issues."""
    cleared, found = clear_unknown_locations(record)
    try:
        if party_json:
            party = party_from_json(cleared, trusted=trusted)
        else:
            party = from_row(cleared, schema, trusted=trusted)
    except ValidationError as exc:
        return RowResult(number, None, (*exc.issues, *found))
    return RowResult(number, party, tuple(found))


# --- CSV ---


def _read_csv(file: pathlib.Path, schema: Schema | None, trusted: bool) -> Iterator[RowResult]:
    """:func:`~clientcore.model.read_csv` with every reference to a missing location
    cleared before a record is built, the faults kept on their row's result."""
    return read_prepared_csv(file, schema, clear_unknown_locations, trusted=trusted)


# --- JSON ---


def _read_json(file: pathlib.Path, schema: Schema | None, trusted: bool) -> Iterator[RowResult]:
    try:
        with open(file, encoding="utf-8-sig") as handle:
            data = json.load(handle)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError
        yield RowResult(1, None, (Issue("file.unreadable", "", {"reason": str(exc)[:120]}),))
        return
    if not isinstance(data, list):
        yield RowResult(1, None, (Issue("json.not_a_list", "$", {"found": _kind(data)}),))
        return
    for index, item in enumerate(data):
        number = index + 1
        if not isinstance(item, dict):
            issue = Issue("json.item.invalid", f"$[{index}]", {"row": number, "found": _kind(item)})
            yield RowResult(number, None, (issue,))
            continue
        yield _result(number, item, schema, _is_party_json(item), trusted)


def _is_party_json(item: Mapping[str, Any]) -> bool:
    """Party JSON nests (an address object, a list of tasks); a row is flat."""
    return any(isinstance(v, (dict, list)) for v in item.values())


# --- XLSX ---


def _read_xlsx(file: pathlib.Path, schema: Schema | None, trusted: bool) -> Iterator[RowResult]:
    try:
        import openpyxl
    except ImportError:
        raise MissingExtra("Reading an .xlsx file", "xlsx") from None
    try:
        book = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, ValueError... on a bad file
        yield RowResult(1, None, (Issue("file.unreadable", "", {"reason": str(exc)[:120]}),))
        return
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header_cells = next(rows, None)
        if header_cells is None:
            return
        header = [_header(cell) for cell in header_cells]
        for number, cells in enumerate(rows, start=2):
            if all(_empty(cell) for cell in cells):
                continue
            # a cell under no header: a longer row than the header (ignored when empty)
            extra = sum(
                1
                for key, cell in itertools.zip_longest(header, cells)
                if key is None and not _empty(cell)
            )
            if extra:
                yield RowResult(number, None, (Issue("row.extra_cells", "", {"count": extra}),))
                continue
            record = {
                key: _cell(cell)
                for key, cell in zip(header, cells)
                if key is not None and not _empty(cell)
            }
            yield _result(number, record, schema, False, trusted)
    finally:
        book.close()


def _header(cell: object) -> str | None:
    if cell is None:
        return None
    text = str(cell).strip()
    return text or None


def _empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _cell(cell: object) -> object:
    """An Excel cell as the row codec reads it: whole floats as integers (Excel stores
    every number as a float), a date-time at midnight as its date."""
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, dt.datetime):
        return cell.date() if cell.time() == dt.time() else cell.isoformat()
    if isinstance(cell, dt.time):
        return cell.isoformat()
    return cell


__all__ = ["FORMATS", "count_rows", "read_parties"]
