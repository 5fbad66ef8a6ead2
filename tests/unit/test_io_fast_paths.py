"""The CSV reader's fast paths give what the plain ways give: the rows of a file read
as a stream of its bytes equal the rows of its decoded text, and the formula guard
comes off the same cells as when every cell is looked at."""

from __future__ import annotations

import io
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clientcore import Party
from clientcore._text import formula_safe, formula_unguarded
from clientcore.io import read, write_csv
from clientcore.io._read import _unguard
from tests.strategies import parties
from tests.unit.test_io import schema_of

# Cells as files hold them: guarded formulas, quotes, NULs, line breaks, separators.
_cells = st.text(alphabet="'=+-@\x00\t\r\n;,\"a1 é–", max_size=8)


@settings(max_examples=500, deadline=None)
@given(st.lists(_cells, min_size=1, max_size=12))
def test_the_guard_comes_off_the_same_cells_as_when_each_is_looked_at(cells: list[str]) -> None:
    expected = [formula_unguarded(c) if c[:1] == "'" else c for c in cells]
    got = list(cells)
    _unguard(got, "\x00".join(got))
    assert got == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(_cells.map(formula_safe), min_size=1, max_size=12))
def test_written_guards_come_off_whatever_the_cells_hold(cells: list[str]) -> None:
    got = list(cells)
    _unguard(got, "\x00".join(got))
    assert got == [formula_unguarded(c) for c in cells]


def _outcome(table: Any) -> list[tuple[int, Party | None, tuple[Any, ...]]]:
    return [(r.row, r.party, r.issues) for r in table]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(parties(), min_size=1, max_size=3, unique_by=lambda p: p.id),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.booleans(),
)
def test_rows_read_from_the_bytes_equal_the_rows_of_their_text(
    written: list[Party], encoding: str, newline: str, excel: bool
) -> None:
    schema = schema_of(written)
    out = io.StringIO()
    write_csv(written, out, schema, excel=excel)
    text = out.getvalue().replace("\r\n", "\n").replace("\n", newline)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")  # a text cp1252 cannot hold
    from_bytes = read(data, schema=schema, trusted=True)
    used = from_bytes.reading.encoding
    assert used is not None
    from_text = read(data.decode(used), schema=schema, trusted=True)
    assert _outcome(from_bytes) == _outcome(from_text)
    if newline != "\r":  # a line break inside a cell is written as "\n" and read as such
        assert written == [r.party for r in read(data, schema=schema, trusted=True)]
