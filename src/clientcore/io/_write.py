"""Writing tables: CSV (plain or for Belgian and Dutch Excel) and XLSX, formula-safe.

Every writer neutralises formula injection (OWASP: a cell starting with ``=``, ``+``,
``-``, ``@``, TAB or CR gets Excel's text marker ``'``; a negative number stays a
number), and :func:`~clientcore.io.read` takes the marker off again, so what is written
reads back as the same parties.

>>> import io
>>> from clientcore.model import Party
>>> out = io.StringIO()
>>> write_csv([Party(id="p1", kind="client_company", name="=HYPERLINK(1)")], out, excel=True)
1
>>> out.getvalue().splitlines()[1].split(";")[:4]
['p1', 'client_company', '', "'=HYPERLINK(1)"]
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

from clientcore._seen import StatusView, visible_only
from clientcore._text import formula_safe
from clientcore.io._read import MissingExtra
from clientcore.io._write_xlsx import write_sheets
from clientcore.model import Actor, Party, Schema, row_columns, to_row

if TYPE_CHECKING:
    import pandas


def _safe(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return formula_safe(value)
    return value


def write_table(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    target: str | os.PathLike[str] | IO[str],
    *,
    excel: bool = False,
) -> int:
    """Write ``rows`` (mappings) under ``columns`` as CSV; returns the rows written.

    ``excel`` writes what Belgian and Dutch Excel opens in columns: ``;`` between cells,
    a UTF-8 BOM. Plain CSV is ``,``, UTF-8 without BOM. Lines end in CRLF. A column
    a row lacks is an empty cell; every text cell is formula-safe.
    """
    if isinstance(target, (str, os.PathLike)):
        encoding = "utf-8-sig" if excel else "utf-8"
        with open(target, "w", encoding=encoding, newline="") as handle:
            return _write(rows, columns, handle, excel)
    if excel:
        target.write("\ufeff")
    return _write(rows, columns, target, excel)


def _write(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[str], handle: IO[str], excel: bool
) -> int:
    # CRLF in both forms (RFC 4180): the csv module then quotes a cell holding a CR too
    writer = csv.writer(handle, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow([formula_safe(c) for c in columns])
    count = 0
    for row in rows:
        writer.writerow([_safe(row.get(c)) for c in columns])
        count += 1
    return count


def _party_rows(
    parties: Iterable[Party],
    schema: Schema | None,
    actor: Actor | str | None = None,
    machine: StatusView | None = None,
) -> tuple[list[str], list[dict[str, str]]]:
    columns = list(row_columns(schema))
    rows = [to_row(p, schema) for p in visible_only(parties, actor, machine)]
    known = set(columns)
    for row in rows:
        for key in row:
            if key not in known:
                known.add(key)
                columns.append(key)
    return columns, rows


def write_csv(
    parties: Iterable[Party],
    target: str | os.PathLike[str] | IO[str],
    schema: Schema | None = None,
    *,
    excel: bool = False,
    actor: Actor | str | None = None,
    machine: StatusView | None = None,
) -> int:
    """Write parties as CSV rows (:func:`~clientcore.model.to_row`); returns how many.
    ``excel``: ``;``, UTF-8 BOM, CRLF (see :func:`write_table`). With ``actor`` and
    ``machine`` (a :class:`~clientcore.status.StatusMachine`), the parties whose status
    the actor may not see are left out."""
    columns, rows = _party_rows(parties, schema, actor, machine)
    return write_table(rows, columns, target, excel=excel)


def write_xlsx(
    parties: Iterable[Party],
    target: str | os.PathLike[str] | IO[bytes],
    schema: Schema | None = None,
    *,
    actor: Actor | str | None = None,
    machine: StatusView | None = None,
) -> int:
    """Write parties as one XLSX sheet of rows (the ``xlsx`` extra); returns how many.
    With ``actor`` and ``machine``, the parties whose status the actor may not see are
    left out."""
    columns, rows = _party_rows(parties, schema, actor, machine)
    write_sheets({"parties": (columns, rows)}, target)
    return len(rows)


def to_frame(
    parties: Iterable[Party],
    schema: Schema | None = None,
    *,
    actor: Actor | str | None = None,
    machine: StatusView | None = None,
) -> pandas.DataFrame:
    """The parties as a pandas DataFrame (the ``pandas`` extra), one column per field
    path as :func:`~clientcore.model.to_row` writes it, an empty cell as ``None``;
    :func:`~clientcore.io.read` reads it back. With ``actor`` and ``machine``, the
    parties whose status the actor may not see are left out."""
    visible = visible_only(parties, actor, machine)  # checked before pandas is needed
    try:
        import pandas
    except ImportError:
        raise MissingExtra("to_frame()", "pandas") from None
    columns, rows = _party_rows(visible, schema)
    data = [{k: (v if v != "" else None) for k, v in row.items()} for row in rows]
    return pandas.DataFrame(data, columns=columns, dtype=object)


__all__ = ["to_frame", "write_csv", "write_table", "write_xlsx"]
