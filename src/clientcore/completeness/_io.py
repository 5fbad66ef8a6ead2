"""Reading parties from a file for a check: CSV, XLSX, JSON or a DataFrame, through
:func:`clientcore.io.read` (headers in en/nl/fr, encodings, profiles, a Reading summary).

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

import os
from collections.abc import Iterable, Mapping
from typing import Any, Final

from clientcore.completeness._references import clear_unknown_locations
from clientcore.io import Profile, Progress, Table, read
from clientcore.model import Schema

#: The file extensions :func:`read_parties` reads (``.txt`` and ``.tsv`` are CSV too).
FORMATS: Final = (".csv", ".xlsx", ".json")


def read_parties(
    source: Any,
    schema: Schema | None = None,
    *,
    profile: str | os.PathLike[str] | Mapping[str, Any] | Profile | None = None,
    columns: Mapping[str, str] | Iterable[str] | None = None,
    encoding: str | None = None,
    kind: str | None = None,
    progress: Progress | None = None,
    trusted: bool = False,
) -> Table:
    """Read the parties of a file (``.csv``, ``.xlsx``, ``.json``) or a DataFrame with
    :func:`clientcore.io.read` (the options are its own), references to missing
    locations cleared and kept as issues. The :class:`~clientcore.io.Table` streams
    the row results; its ``reading`` says what was read and how. Acceptance data is
    refused on its row unless ``trusted=True`` (as :func:`~clientcore.model.from_row`);
    :func:`~clientcore.completeness.check`, which only reads, passes it.
    """
    return read(
        source,
        profile=profile,
        columns=columns,
        encoding=encoding,
        kind=kind,
        schema=schema,
        prepare=clear_unknown_locations,
        progress=progress,
        trusted=trusted,
    )


__all__ = ["FORMATS", "read_parties"]
