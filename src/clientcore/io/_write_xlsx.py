"""The one XLSX writer: streaming (openpyxl's write-only mode), formula-safe, one row at a time.

Rows go to the file as they come, so writing 100,000 parties never holds a second copy
of them as worksheet cells. A text cell is always stored as text, never as a formula;
one that a spreadsheet would read as a formula (:func:`~clientcore._text.formula_safe`
changes it) also gets Excel's quote prefix, the marker a typed ``'`` leaves, so the
value itself is kept exactly and reads back unchanged.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

from clientcore._text import formula_safe
from clientcore.io._read import MissingExtra

Sheets = Mapping[str, tuple[Sequence[str], Iterable[Mapping[str, Any]]]]


def write_sheets(sheets: Sheets, target: str | os.PathLike[str] | IO[bytes]) -> dict[str, int]:
    """Write an XLSX workbook (the ``xlsx`` extra): one sheet per entry, each
    ``(columns, rows)``, with a bold frozen header and an autofilter; returns the rows
    written per sheet.

    Rows are mappings (a column a row lacks, ``None`` or ``""`` is an empty cell) and are
    written as they are read, so a generator is never held in memory whole. Text is
    stored as text, never as a formula (see the module)."""
    try:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter
    except ImportError:
        raise MissingExtra("Writing an .xlsx file", "xlsx") from None
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    written: dict[str, int] = {}
    for title, (columns, rows) in sheets.items():
        sheet = book.create_sheet(title[:31])
        sheet.freeze_panes = "A2"  # before the first row: the view is written first

        def cell(value: Any, sheet: Any = sheet) -> Any:
            if value is None or value == "":
                return None
            if isinstance(value, str):
                if formula_safe(value) == value:
                    return value
                guarded = WriteOnlyCell(sheet, value)
                guarded.data_type = "s"  # text, never a formula
                guarded.quotePrefix = True
                return guarded
            if isinstance(value, (bool, int, float, dt.date)):
                return value
            return str(value)

        heading = []
        for name in columns:
            head = WriteOnlyCell(sheet, name)
            head.data_type = "s"
            head.font = bold
            if formula_safe(name) != name:
                head.quotePrefix = True
            heading.append(head)
        sheet.append(heading)
        count = 0
        for row in rows:
            get = row.get
            sheet.append([cell(get(c)) for c in columns])
            count += 1
        if columns:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
        written[title] = count
    book.save(target)
    return written


__all__ = ["write_sheets"]
