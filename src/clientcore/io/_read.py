"""Reading tables of parties: CSV, XLSX, JSON files and pandas DataFrames.

:func:`read` opens the source, works out its encoding and delimiter, recognises its
columns (:func:`~clientcore.io.map_header`, a profile, ``--map``) and returns a
:class:`Table`: the rows, streamed as :class:`~clientcore.model.RowResult` values with
the row number a spreadsheet shows, and a :class:`Reading` summary of what was done,
which every report shows, so nothing is guessed silently.

>>> text = ("Naam;Soort;Ondernemingsnummer;Gemeente;Land\\n"
...         "Bakkerij Peeters;Klant-Bedrijf;0403.170.701;Gent;België\\n")
>>> table = read(text.encode("cp1252"))
>>> [(r.row, r.party.name, r.party.address.country) for r in table]
[(2, 'Bakkerij Peeters', 'BE')]
>>> reading = table.reading
>>> reading.encoding, reading.delimiter, reading.rows_read
('windows-1252', ';', 1)
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import io
import json
import operator
import os
import pathlib
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, Final

import attrs

from clientcore._errors import ClientCoreError, Issue, ValidationError
from clientcore._messages import define
from clientcore._text import formula_unguarded
from clientcore.io._headers import ColumnMatch, HeaderMapping, check_paths, map_header
from clientcore.io._profile import GENERIC, Profile, blank, load_profile
from clientcore.model import (
    FieldType,
    RowResult,
    Schema,
    default_schema,
    from_row,
    header_key,
    parse_date,
    parse_decimal,
    parse_kind,
    party_from_json,
)

define(
    {
        "read.empty": (
            "The input is empty: there is no header and no row to read.",
            "De invoer is leeg: er is geen kop en geen rij om te lezen.",
            "L'entrée est vide : il n'y a ni en-tête ni ligne à lire.",
        ),
        "read.no_rows": (
            "The input holds no party: a header without rows is an empty input.",
            "De invoer bevat geen partij: een kop zonder rijen is een lege invoer.",
            "L'entrée ne contient aucune partie : un en-tête sans lignes est une entrée vide.",
        ),
        "read.kind.missing": (
            "No column says what kind of party each row is (client company, client person, "
            "relation company, relation person): add a 'kind' column, map one with --map "
            "'<column>=kind', or give a default with --kind client_company.",
            "Geen kolom zegt welk soort partij elke rij is (klant-bedrijf, klant-persoon, "
            "relatie-bedrijf, relatie-persoon): voeg een kolom 'kind' toe, koppel er een met "
            "--map '<kolom>=kind', of geef een standaard met --kind client_company.",
            "Aucune colonne ne dit quel type de partie est chaque ligne (client entreprise, "
            "client personne, relation entreprise, relation personne) : ajoutez une colonne "
            "'kind', associez-en une avec --map '<colonne>=kind', ou donnez une valeur par "
            "défaut avec --kind client_company.",
        ),
        "read.kind.underived": (
            "The profile's kind rule gives this row no kind: fill one of {person} (a "
            "person) or one of {company} (a company), not both, or give a 'kind' cell.",
            "De soortregel van het profiel geeft deze rij geen soort: vul een van {person} "
            "(een persoon) of een van {company} (een bedrijf) in, niet beide, of geef een "
            "cel 'kind'.",
            "La règle de type du profil ne donne aucun type à cette ligne : remplissez l'un "
            "de {person} (une personne) ou l'un de {company} (une entreprise), pas les deux, "
            "ou donnez une cellule 'kind'.",
        ),
        "read.kind.rule_unmapped": (
            "The profile's kind rule reads {fields}, and no column of the file is one of them.",
            "De soortregel van het profiel leest {fields}, en geen kolom van het bestand is er "
            "een van.",
            "La règle de type du profil lit {fields}, et aucune colonne du fichier n'en est une.",
        ),
        "read.encoding.invalid": (
            "The file is not {encoding} text (byte {position}): {reason}.",
            "Het bestand is geen {encoding}-tekst (byte {position}): {reason}.",
            "Le fichier n'est pas du texte {encoding} (octet {position}) : {reason}.",
        ),
        "read.encoding.unknown": (
            "Unknown encoding '{encoding}'.",
            "Onbekende codering '{encoding}'.",
            "Encodage inconnu '{encoding}'.",
        ),
        "read.format.unknown": (
            "Cannot read '{name}': the file must end in .csv, .txt, .tsv, .xlsx or .json.",
            "Kan '{name}' niet lezen: het bestand moet eindigen op .csv, .txt, .tsv, .xlsx "
            "of .json.",
            "Impossible de lire '{name}' : le fichier doit se terminer par .csv, .txt, .tsv, "
            ".xlsx ou .json.",
        ),
        "read.source.invalid": (
            "Cannot read a {found}: give a path, bytes, text, an open file or a DataFrame.",
            "Kan geen {found} lezen: geef een pad, bytes, tekst, een open bestand of een "
            "DataFrame.",
            "Impossible de lire un(e) {found} : donnez un chemin, des octets, du texte, un "
            "fichier ouvert ou un DataFrame.",
        ),
        "read.unreadable": (
            "The file cannot be read: {reason}.",
            "Het bestand kan niet gelezen worden: {reason}.",
            "Le fichier ne peut pas être lu : {reason}.",
        ),
        "read.extra_cells": (
            "The row has {count} cells more than the header has columns.",
            "De rij heeft {count} cellen meer dan de kop kolommen heeft.",
            "La ligne a {count} cellules de plus que l'en-tête n'a de colonnes.",
        ),
        "read.json.not_a_list": (
            "A JSON file of parties holds a list of objects, not {found}.",
            "Een JSON-bestand met partijen bevat een lijst van objecten, niet {found}.",
            "Un fichier JSON de parties contient une liste d'objets, pas {found}.",
        ),
        "read.json.item": (
            "Item {row} is not an object but {found}.",
            "Item {row} is geen object maar {found}.",
            "L'élément {row} n'est pas un objet mais {found}.",
        ),
        "read.option.invalid": (
            "Invalid option {option}: {reason}.",
            "Ongeldige optie {option}: {reason}.",
            "Option invalide {option} : {reason}.",
        ),
        "extra.missing": (
            "{what} needs the {extra} extra: pip install 'clientcore[{extra}]'.",
            "{what} heeft de extra {extra} nodig: pip install 'clientcore[{extra}]'.",
            "{what} a besoin de l'extra {extra} : pip install 'clientcore[{extra}]'.",
        ),
    }
)

#: A step run on every record before it becomes a party: the record to build and the
#: issues to keep on its row (a caller's own check of raw data).
Prepare = Callable[[Mapping[str, Any]], tuple[Mapping[str, Any], Sequence[Issue]]]

#: Called with the number of rows read so far, every 500 rows and at the end.
Progress = Callable[[int], None]

_CSV_SUFFIXES: Final = (".csv", ".txt", ".tsv")
_PROGRESS_EVERY: Final = 500
_ROW_ID: Final = uuid.UUID("6f0d1c1e-3b0a-4c55-9a51-2f6c1e0c0c0c")


class MissingExtra(ClientCoreError, ImportError):
    """An optional dependency is not installed; ``issue`` says which extra to install."""

    def __init__(self, what: str, extra: str) -> None:
        self.extra = extra
        self.issue = Issue("extra.missing", "", {"what": what, "extra": extra})
        self.issues: tuple[Issue, ...] = (self.issue,)
        super().__init__(self.issue.message())

    def __str__(self) -> str:
        return self.issue.message()


@attrs.frozen
class Reading:
    """What a read did, for every report to show: the format, the encoding and
    delimiter used (and whether they were detected or given), the column mapping, the
    columns left out, the rows read, and the file-level issues. ``errors`` are faults
    that stop the reading (an empty input, no kind); ``warnings`` are not.
    """

    source: str | None
    format: str
    encoding: str | None = None
    encoding_detected: bool = False
    delimiter: str | None = None
    columns: tuple[ColumnMatch, ...] = ()
    unmapped: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    defaults: tuple[tuple[str, str], ...] = ()
    profile: str = "generic"
    rows_read: int = 0
    errors: tuple[Issue, ...] = ()
    warnings: tuple[Issue, ...] = ()
    complete: bool = False  # every field is present (party JSON)
    derived: tuple[str, ...] = ()  # fields a profile's rule fills (the kind rule)

    @property
    def ok(self) -> bool:
        """No file-level error."""
        return not self.errors

    @property
    def paths(self) -> frozenset[str]:
        """The field paths the input fills: its mapped columns, the defaults and what a
        profile's rule derives."""
        filled = {p for p, _ in self.defaults} | set(self.derived)
        return frozenset(c.path for c in self.columns) | filled

    def has(self, path: str) -> bool:
        """Whether the input holds field ``path`` (always, for party JSON)."""
        return self.complete or path in self.paths or path == "id"

    def lines(self, lang: str = "en") -> list[str]:
        """The summary as a few lines of text (what a report prints first)."""
        words = _WORDS[lang if lang in _WORDS else "en"]
        head = [f"{words['format']}: {self.format}"]
        if self.encoding is not None:
            how = words["detected"] if self.encoding_detected else words["given"]
            head.append(f"{words['encoding']}: {self.encoding} ({how})")
        if self.delimiter is not None:
            head.append(f"{words['delimiter']}: {_shown_delimiter(self.delimiter)}")
        head.append(f"{words['profile']}: {self.profile}")
        head.append(f"{words['rows']}: {self.rows_read}")
        out = [", ".join(head)]
        if self.columns:
            by_path = sum(1 for c in self.columns if c.how == "path")
            named = [f"{c.source} → {c.path} ({c.how})" for c in self.columns if c.how != "path"]
            shown = [f"{by_path} {words['by_path']}"] if by_path else []
            out.append(f"{words['columns']}: " + ", ".join(shown + named))
        if self.defaults:
            out.append(f"{words['defaults']}: " + ", ".join(f"{p} = {v}" for p, v in self.defaults))
        if self.derived:
            out.append(f"{words['derived']}: " + ", ".join(self.derived))
        if self.unmapped:
            out.append(f"{words['unmapped']}: " + ", ".join(self.unmapped[:20]))
            if len(self.unmapped) > 20:
                out[-1] += f" (+{len(self.unmapped) - 20})"
        if self.dropped:
            out.append(f"{words['dropped']}: " + ", ".join(self.dropped))
        for issue in (*self.errors, *self.warnings[:10]):
            out.append(issue.message(lang))
        return out

    def to_json(self) -> dict[str, Any]:
        """JSON-ready data (every field; issues with code, path and message)."""
        return {
            "source": self.source,
            "format": self.format,
            "encoding": self.encoding,
            "encoding_detected": self.encoding_detected,
            "delimiter": self.delimiter,
            "profile": self.profile,
            "rows_read": self.rows_read,
            "columns": [c.to_dict() for c in self.columns],
            "unmapped": list(self.unmapped),
            "dropped": list(self.dropped),
            "defaults": dict(self.defaults),
            "derived": list(self.derived),
            "errors": [i.to_dict() for i in self.errors],
            "warnings": [i.to_dict() for i in self.warnings],
        }


_WORDS: Final = {
    "en": {
        "format": "read as",
        "encoding": "encoding",
        "detected": "detected",
        "given": "given",
        "delimiter": "delimiter",
        "profile": "profile",
        "rows": "rows",
        "columns": "columns",
        "defaults": "defaults",
        "unmapped": "columns left out",
        "by_path": "by field path",
        "dropped": "columns dropped by the profile",
        "derived": "derived by the profile's rule",
    },
    "nl": {
        "format": "gelezen als",
        "encoding": "codering",
        "detected": "herkend",
        "given": "opgegeven",
        "delimiter": "scheidingsteken",
        "profile": "profiel",
        "rows": "rijen",
        "columns": "kolommen",
        "defaults": "standaardwaarden",
        "unmapped": "weggelaten kolommen",
        "by_path": "op veldpad",
        "dropped": "door het profiel weggelaten kolommen",
        "derived": "afgeleid met de regel van het profiel",
    },
    "fr": {
        "format": "lu comme",
        "encoding": "encodage",
        "detected": "détecté",
        "given": "donné",
        "delimiter": "séparateur",
        "profile": "profil",
        "rows": "lignes",
        "columns": "colonnes",
        "defaults": "valeurs par défaut",
        "unmapped": "colonnes ignorées",
        "by_path": "par chemin de champ",
        "derived": "déduit par la règle du profil",
        "dropped": "colonnes écartées par le profil",
    },
}


def _shown_delimiter(delimiter: str) -> str:
    return {"\t": "tab", ";": "';'", ",": "','"}.get(delimiter, repr(delimiter))


class Table:
    """The rows of a read, streamed once, and the :class:`Reading` summary.

    Iterate it for :class:`~clientcore.model.RowResult` values; :attr:`reading` is
    complete once the rows have been read (``rows_read`` counts them so far).
    """

    def __init__(self, reading: Reading, rows: Iterator[RowResult]) -> None:
        self._reading = reading
        self._rows = rows
        self._count = 0

    @property
    def reading(self) -> Reading:
        """The summary, with the rows read so far."""
        return attrs.evolve(self._reading, rows_read=self._count)

    def __iter__(self) -> Iterator[RowResult]:
        for result in self._rows:
            self._count += 1
            yield result

    def __repr__(self) -> str:
        r = self._reading
        return f"<Table {r.format} {r.source or ''} columns={len(r.columns)} read={self._count}>"


# --- options shared by every format ---


@attrs.frozen
class _Options:
    schema: Schema | None
    profile: Profile
    columns: Mapping[str, str]
    kind: str | None
    prepare: Prepare | None
    progress: Progress | None
    trusted: bool = False


def _options(
    schema: Schema | None,
    profile: str | os.PathLike[str] | Mapping[str, Any] | Profile | None,
    columns: Mapping[str, str] | Iterable[str] | None,
    kind: str | None,
    prepare: Prepare | None,
    progress: Progress | None,
    trusted: bool = False,
) -> _Options:
    loaded = GENERIC if profile is None else load_profile(profile, schema)
    given = parse_map(columns, schema)
    if kind is not None:
        try:
            kind = parse_kind(kind).value
        except ValidationError as exc:
            raise ValidationError([i.at("kind") for i in exc.issues]) from None
    return _Options(schema, loaded, given, kind, prepare, progress, trusted)


def parse_map(
    columns: Mapping[str, str] | Iterable[str] | None, schema: Schema | None = None
) -> dict[str, str]:
    """``--map`` options (``"Naam=name"``) or a mapping, checked: every target is a field.

    >>> parse_map(["Naam=name", "Plaats = address.city"])
    {'Naam': 'name', 'Plaats': 'address.city'}
    """
    if columns is None:
        return {}
    if isinstance(columns, Mapping):
        pairs = dict(columns)
    else:
        pairs = {}
        issues = []
        for item in columns:
            source, sep, target = str(item).partition("=")
            if not sep or not source.strip() or not target.strip():
                issues.append(
                    Issue(
                        "read.option.invalid",
                        "--map",
                        {"option": f"--map {item!r}", "reason": "expected COLUMN=field.path"},
                    )
                )
                continue
            pairs[source.strip()] = target.strip()
        if issues:
            raise ValidationError(issues)
    issues = [i for s, t in pairs.items() for i in check_paths([t], schema, f"--map {s}")]
    if issues:
        raise ValidationError(issues)
    return pairs


# --- the entry point ---


def read(
    source: Any,
    *,
    profile: str | os.PathLike[str] | Mapping[str, Any] | Profile | None = None,
    columns: Mapping[str, str] | Iterable[str] | None = None,
    encoding: str | None = None,
    kind: str | None = None,
    schema: Schema | None = None,
    format: str | None = None,
    prepare: Prepare | None = None,
    progress: Progress | None = None,
    trusted: bool = False,
) -> Table:
    """Read parties from ``source``: a path (``.csv``/``.txt``/``.tsv``, ``.xlsx``,
    ``.json``), bytes or text of CSV, an open file, or a pandas or polars DataFrame.

    ``profile`` is a :class:`Profile`, a built-in name (``exact_online``), a profile file
    or its data; ``columns`` maps source headings to field paths (``{"Naam": "name"}`` or
    ``["Naam=name"]``); ``encoding`` forces one (else UTF-8 with or without BOM, UTF-16
    with BOM, or Windows-1252 when the bytes are not UTF-8); ``kind`` is the default kind
    of party; ``progress`` is called with the rows read (every 500). Bad options raise
    :class:`~clientcore.ValidationError`; a missing file :class:`OSError`. Faults of the
    input are data: file-level ones in ``table.reading.errors`` (then no row is read),
    row-level ones on each row. Acceptance data (who submitted, who approved) is refused
    on its row unless ``trusted=True`` (a migration): it comes through the status machine.
    """
    options = _options(schema, profile, columns, kind, prepare, progress, trusted)
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ValidationError(
                [Issue("read.encoding.unknown", "--encoding", {"encoding": encoding})]
            ) from None
    if _is_frame(source):
        return _read_records(_frame_records(source), "dataframe", None, options)
    if isinstance(source, (str, os.PathLike)) and not _looks_like_text(source):
        path = pathlib.Path(source)
        suffix = (format or path.suffix).lower().lstrip(".")
        if suffix in ("csv", "txt", "tsv"):
            return _read_csv_bytes(path.read_bytes(), os.fspath(path), encoding, options)
        if suffix == "xlsx":
            return _read_xlsx(path, options)
        if suffix == "json":
            return _read_json(path.read_bytes(), os.fspath(path), encoding, options)
        raise ValidationError([Issue("read.format.unknown", "path", {"name": path.name})])
    if isinstance(source, bytes):
        if (format or "csv") == "json":
            return _read_json(source, None, encoding, options)
        return _read_csv_bytes(source, None, encoding, options)
    if isinstance(source, str):
        return _read_csv_text(source, None, "text", False, options)
    if hasattr(source, "read"):
        data = source.read()
        name = getattr(source, "name", None)
        name = name if isinstance(name, str) else None
        if isinstance(data, bytes):
            return _read_csv_bytes(data, name, encoding, options)
        if isinstance(data, str):
            return _read_csv_text(data, name, getattr(source, "encoding", None), False, options)
    raise ValidationError(
        [Issue("read.source.invalid", "source", {"found": type(source).__name__})]
    )


def _looks_like_text(source: str | os.PathLike[str]) -> bool:
    return isinstance(source, str) and ("\n" in source or "\r" in source)


def _is_frame(source: Any) -> bool:
    kind = type(source)
    return kind.__name__ == "DataFrame" and kind.__module__.split(".")[0] in ("pandas", "polars")


# --- encodings ---


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str, bool]:
    """The text of ``data``, the encoding used, and whether it was detected.

    A BOM says UTF-8 or UTF-16; bytes that are valid UTF-8 are UTF-8; others are
    Windows-1252 (what Excel on Windows writes in Belgium and the Netherlands), or
    Latin-1 for the five bytes Windows-1252 leaves undefined. ``encoding`` forces one:
    bytes it cannot decode raise :class:`UnicodeDecodeError`.

    >>> decode("België".encode("cp1252"))
    ('België', 'windows-1252', True)
    """
    if encoding is not None:
        name = codecs.lookup(encoding).name
        if name == "utf-8" and data.startswith(codecs.BOM_UTF8):
            name = "utf-8-sig"
        return data.decode(name), name, False
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8"), "utf-8-sig", True
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16", True
    try:
        return data.decode("utf-8"), "utf-8", True
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252", True
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1", True


def sniff_delimiter(header_line: str) -> str:
    """``;``, tab or ``,``: the one found most often outside quotes in the header line
    (``,`` when none is)."""
    counts = {";": 0, "\t": 0, ",": 0}
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts.values())
    if best == 0:
        return ","
    return next(d for d in (",", ";", "\t") if counts[d] == best)


# --- CSV ---


def _read_csv_bytes(
    data: bytes, name: str | None, encoding: str | None, options: _Options
) -> Table:
    try:
        text, used, detected = decode(data, encoding)
    except UnicodeDecodeError as exc:
        issue = Issue(
            "read.encoding.invalid",
            "",
            {"encoding": encoding, "position": exc.start, "reason": exc.reason},
        )
        return _failed(Reading(name, "csv", encoding, False, errors=(issue,)))
    return _read_csv_text(text, name, used, detected, options, data)


def _failed(reading: Reading) -> Table:
    return Table(reading, iter(()))


# The encodings whose bytes are read again as a stream (an incremental decoder gives the
# text the whole decode gave): every one :func:`decode` detects.
_STREAMED: Final = frozenset({"utf-8", "utf-8-sig", "utf-16", "windows-1252", "latin-1"})


def _read_csv_text(
    text: str,
    name: str | None,
    encoding: str | None,
    detected: bool,
    options: _Options,
    data: bytes | None = None,
) -> Table:
    if not text or text.isspace():
        return _failed(Reading(name, "csv", encoding, detected, errors=(Issue("read.empty", ""),)))
    end = text.find("\n")
    delimiter = sniff_delimiter(text if end < 0 else text[:end])
    # The rows are read from the bytes as a stream when ``text`` was decoded from them:
    # the text itself as a file (io.StringIO) would hold four bytes a character.
    lines: IO[str] = (
        io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
        if data is not None and encoding in _STREAMED
        else io.StringIO(text, newline="")
    )
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as exc:
        issue = Issue("read.unreadable", "", {"reason": str(exc)[:120]})
        return _failed(Reading(name, "csv", encoding, detected, delimiter, errors=(issue,)))
    base = Reading(name, "csv", encoding, detected, delimiter)
    return _tabulate(base, header, _csv_records(reader, len(header)), options)


def _csv_records(reader: Any, width: int) -> Iterator[tuple[int, Sequence[Any] | Issue]]:
    number = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield number + 1, Issue("read.unreadable", "", {"reason": str(exc)[:120]})
            return
        number += 1  # records, not lines: a quoted cell may span several lines
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            extra = sum(1 for c in cells[width:] if c.strip())
            yield number, Issue("read.extra_cells", "", {"count": extra})
            continue
        joined = "\x00".join(cells)  # a cell starts with "'": told at C speed
        if joined[:1] == "'" or "\x00'" in joined:
            # the writers' formula guard comes off where it was put on: in the file
            _unguard(cells, joined)
        yield number, cells


def _unguard(cells: list[str], joined: str) -> None:
    """Take the writers' formula guard off every cell of ``cells`` that starts with
    ``'``, as :func:`~clientcore._text.formula_unguarded` does. The cells are found in
    ``joined`` (the cells joined by NUL) at C speed: a row has few among many."""
    if joined.count("\x00") != len(cells) - 1:  # a cell holds a NUL itself
        cells[:] = [formula_unguarded(c) if c[:1] == "'" else c for c in cells]
        return
    if joined[:1] == "'":
        cells[0] = formula_unguarded(cells[0])
    index = start = 0
    at = joined.find("\x00'")
    while at >= 0:  # at the NUL before a cell that starts with "'"
        index += joined.count("\x00", start, at + 1)
        start = at + 1
        cells[index] = formula_unguarded(cells[index])
        at = joined.find("\x00'", start)


# --- the shared part: header, defaults, values, rows ---


def _tabulate(
    base: Reading,
    header: Sequence[Any],
    records: Iterable[tuple[int, Sequence[Any] | Issue | _PartyJson]],
    options: _Options,
    convert: Callable[[str, Any], Any] | None = None,
) -> Table:
    profile = options.profile
    names = [str(h).strip() if h is not None else "" for h in header]
    mapping = map_header(
        names,
        options.schema,
        columns=options.columns,
        profile_columns=profile.columns,
        drop=profile.drop,
    )
    defaults = dict(profile.defaults)
    if options.kind is not None:
        defaults["kind"] = options.kind
    errors: list[Issue] = []
    rule = profile.kind_rule
    if "kind" not in mapping.paths and "kind" not in defaults:
        if rule is None:
            errors.append(Issue("read.kind.missing", "kind"))
        elif not set(rule.person + rule.company) & set(mapping.paths):
            fields = ", ".join(rule.person + rule.company)
            errors.append(Issue("read.kind.rule_unmapped", "kind", {"fields": fields}))
    reading = attrs.evolve(
        base,
        columns=mapping.columns,
        unmapped=mapping.unmapped,
        dropped=mapping.dropped,
        defaults=tuple(sorted(defaults.items())),
        profile=profile.name,
        errors=tuple(errors),
        warnings=mapping.issues,
        derived=("kind",) if rule is not None and "kind" not in mapping.paths else (),
    )
    if errors:
        return _failed(reading)
    rows = _rows(names, mapping, defaults, records, options, convert)
    return Table(reading, rows)


def _rows(
    names: Sequence[str],
    mapping: HeaderMapping,
    defaults: Mapping[str, str],
    records: Iterable[tuple[int, Sequence[Any] | Issue | _PartyJson]],
    options: _Options,
    convert: Callable[[str, Any], Any] | None,
) -> Iterator[RowResult]:
    schema = options.schema
    catalogue = schema or default_schema()
    profile = options.profile
    rule = profile.kind_rule
    position = {name: i for i, name in reversed(list(enumerate(names)))}
    plan: list[tuple[int, str, Mapping[str, str] | None, bool]] = []
    value_maps = {header_key(k): v for k, v in profile.values.items()}
    checkbox = {header_key(c) for c in profile.checkbox}
    for column in mapping.columns:
        key = header_key(column.source)
        values = value_maps.get(key)
        folded = {header_key(k): v for k, v in values.items()} if values else None
        plan.append((position[column.source], column.path, folded, key in checkbox))
    typed = _typed_paths(catalogue, mapping, profile)
    # Where every column is taken as it is (no value map, checkbox, profile parser or
    # cell conversion: the common case), a row's record is made in one step.
    plain = convert is None and not typed and all(v is None and not c for _, _, v, c in plan)
    paths = tuple(path for _, path, _, _ in plan)
    take = operator.itemgetter(*(index for index, _, _, _ in plan)) if len(plan) > 1 else None
    most = max((index for index, _, _, _ in plan), default=0)
    has_id = "id" in mapping.paths
    progress = options.progress
    count = 0
    for number, cells in records:
        count += 1
        if progress is not None and count % _PROGRESS_EVERY == 0:
            progress(count)
        if isinstance(cells, Issue):
            yield RowResult(number, None, (cells,))
            continue
        if isinstance(cells, _PartyJson):
            yield _party_json_row(number, cells.data, options)
            continue
        issues: list[Issue] = []
        width = len(cells)
        if plain and take is not None and width > most:
            record: dict[str, Any] = dict(zip(paths, take(cells), strict=True))
            plan_left: Sequence[tuple[int, str, Mapping[str, str] | None, bool]] = ()
        else:
            record = {}
            plan_left = plan
        for index, path, values, is_checkbox in plan_left:
            value = cells[index] if index < width else None
            if convert is not None:
                value = convert(path, value)
            if values is not None and isinstance(value, str) and value.strip():
                value = values.get(header_key(value), value)
            if is_checkbox:
                value = "true" if isinstance(value, str) and value.strip() else "false"
            parse = typed.get(path)
            if parse is not None and isinstance(value, str) and value.strip():
                try:
                    value = parse(value)
                except ValidationError as exc:
                    issues.extend(i.at(path) for i in exc.issues)
                    continue
            record[path] = value
        if rule is not None and blank(record.get("kind")):
            derived = rule.kind_of(record)
            if derived is not None:
                record["kind"] = derived
            elif blank(defaults.get("kind")):
                sides = {"person": ", ".join(rule.person), "company": ", ".join(rule.company)}
                issues.append(Issue("read.kind.underived", "kind", sides))
        for path, value in defaults.items():
            if blank(record.get(path)):
                record[path] = value
        if not has_id:
            record["id"] = _stable_id(record)
        yield _build(number, record, schema, options.prepare, issues, options.trusted)
    if progress is not None:
        progress(count)


def _typed_paths(
    catalogue: Schema, mapping: HeaderMapping, profile: Profile
) -> dict[str, Callable[[str], Any]]:
    """Parsers a profile changes: month-first dates and a fixed decimal separator."""
    out: dict[str, Callable[[str], Any]] = {}
    for column in mapping.columns:
        field = catalogue.get(column.path)
        if field is None:
            continue
        if field.type is FieldType.DATE and profile.date_order == "mdy":
            out[column.path] = _month_first
        elif field.type is FieldType.NUMBER and profile.decimal is not None:
            out[column.path] = functools.partial(parse_decimal, decimal=profile.decimal)
    return out


def _month_first(text: str) -> Any:
    return parse_date(text, "mdy")


def _stable_id(record: Mapping[str, Any]) -> str:
    """An id derived from the client number, else from the row's content: two reads of
    the same file give the same ids."""
    number = record.get("number")
    if isinstance(number, str) and number.strip():
        seed = "number:" + number.strip()
    else:
        seed = "row:" + "\x1f".join(f"{k}={record[k]}" for k in sorted(record) if k != "id")
    return uuid.uuid5(_ROW_ID, seed).hex


def _build(
    number: int,
    record: Mapping[str, Any],
    schema: Schema | None,
    prepare: Prepare | None,
    issues: list[Issue],
    trusted: bool = False,
) -> RowResult:
    kept: Sequence[Issue] = ()
    if prepare is not None:
        record, kept = prepare(record)
    if issues:
        try:
            from_row(record, schema, trusted=trusted)
        except ValidationError as exc:
            # a path already refused is missing from the record: not a second fault
            refused = {issue.path for issue in issues}
            issues.extend(i for i in exc.issues if i.path not in refused)
        return RowResult(number, None, (*issues, *kept))
    try:
        return RowResult(number, from_row(record, schema, trusted=trusted), tuple(kept))
    except ValidationError as exc:
        return RowResult(number, None, (*exc.issues, *kept))


# --- JSON ---


def _kind_of(value: object) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "a text", bool: "true/false"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__
    )


def _read_json(data: bytes, name: str | None, encoding: str | None, options: _Options) -> Table:
    try:
        text, used, detected = decode(data, encoding)
        items = json.loads(text)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError
        issue = Issue("read.unreadable", "", {"reason": str(exc)[:120]})
        return _failed(Reading(name, "json", encoding, errors=(issue,)))
    base = Reading(name, "json", used, detected)
    if not isinstance(items, list):
        issue = Issue("read.json.not_a_list", "$", {"found": _kind_of(items)})
        return _failed(attrs.evolve(base, errors=(issue,)))
    if not items:
        return _failed(attrs.evolve(base, errors=(Issue("read.empty", ""),)))
    flat = [i for i in items if isinstance(i, dict) and not _is_party_json(i)]
    if not flat:
        return Table(attrs.evolve(base, complete=True), _party_json_rows(items, options))
    header: dict[str, None] = {}
    for item in flat:
        header.update(dict.fromkeys(str(k) for k in item))
    names = list(header)

    def records() -> Iterator[tuple[int, Sequence[Any] | Issue | _PartyJson]]:
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                params = {"row": index + 1, "found": _kind_of(item)}
                yield index + 1, Issue("read.json.item", f"$[{index}]", params)
            elif _is_party_json(item):
                yield index + 1, _PartyJson(item)
            else:
                yield index + 1, [item.get(n) for n in names]

    return _tabulate(base, names, records(), options)


@attrs.frozen
class _PartyJson:
    """An item of a JSON list that is party JSON (nested), among flat rows."""

    data: Mapping[str, Any]


def _is_party_json(item: Mapping[str, Any]) -> bool:
    """Party JSON nests (an address object, a list of tasks); a row is flat."""
    return any(isinstance(v, (dict, list)) for v in item.values())


def _party_json_rows(items: list[Any], options: _Options) -> Iterator[RowResult]:
    for index, item in enumerate(items):
        number = index + 1
        if not isinstance(item, dict):
            found = _kind_of(item)
            yield RowResult(
                number,
                None,
                (Issue("read.json.item", f"$[{index}]", {"row": number, "found": found}),),
            )
            continue
        yield _party_json_row(number, item, options)


def _party_json_row(number: int, item: Mapping[str, Any], options: _Options) -> RowResult:
    kept: Sequence[Issue] = ()
    record: Mapping[str, Any] = item
    if options.prepare is not None:
        record, kept = options.prepare(item)
    try:
        party = party_from_json(record, options.schema, trusted=options.trusted)
        return RowResult(number, party, tuple(kept))
    except ValidationError as exc:
        return RowResult(number, None, (*exc.issues, *kept))


# --- XLSX ---


def _read_xlsx(path: pathlib.Path, options: _Options) -> Table:
    try:
        import openpyxl
    except ImportError:
        raise MissingExtra("Reading an .xlsx file", "xlsx") from None
    name = os.fspath(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, ValueError... on a bad file
        issue = Issue("read.unreadable", "", {"reason": str(exc)[:120]})
        return _failed(Reading(name, "xlsx", errors=(issue,)))
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header_cells = next(rows, None)
    if header_cells is None or all(_empty(c) for c in header_cells):
        book.close()
        return _failed(Reading(name, "xlsx", errors=(Issue("read.empty", ""),)))
    header = [str(c).strip() if c is not None else "" for c in header_cells]
    width = max(i + 1 for i, h in enumerate(header) if h)
    header = header[:width]
    catalogue = options.schema or default_schema()
    dates = {f.path for f in catalogue if f.type is FieldType.DATE}

    def records() -> Iterator[tuple[int, Sequence[Any] | Issue]]:
        try:
            for number, cells in enumerate(rows, start=2):
                if all(_empty(c) for c in cells):
                    continue
                extra = sum(1 for c in cells[width:] if not _empty(c))
                if extra:
                    yield number, Issue("read.extra_cells", "", {"count": extra})
                    continue
                yield number, [_xlsx_cell(c) for c in cells[:width]]
        finally:
            book.close()

    def convert(path: str, value: Any) -> Any:
        # a date column holding a plain number: an Excel serial day
        if path in dates and isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                return parse_date(value)
            except ValidationError:
                return str(value)
        return value

    return _tabulate(Reading(name, "xlsx"), header, records(), options, convert)


def _empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _xlsx_cell(cell: object) -> object:
    """An Excel cell as the row codec reads it: whole floats as integers (Excel stores
    every number as a float), a date-time at midnight as its date."""
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, dt.datetime):
        return cell.date() if cell.time() == dt.time() else cell.isoformat()
    if isinstance(cell, dt.time):
        return cell.isoformat()
    return cell


# --- DataFrames ---


def _frame_records(frame: Any) -> tuple[list[str], Iterator[tuple[int, Sequence[Any] | Issue]]]:
    columns = [str(c) for c in frame.columns]
    if type(frame).__module__.split(".")[0] == "polars":
        rows: Iterable[Sequence[Any]] = frame.iter_rows()
    else:
        rows = frame.itertuples(index=False, name=None)

    def records() -> Iterator[tuple[int, Sequence[Any] | Issue]]:
        for index, cells in enumerate(rows):
            yield index + 2, cells  # as the frame's CSV would number it: header row 1

    return columns, records()


def _read_records(
    frame: tuple[list[str], Iterator[tuple[int, Sequence[Any] | Issue]]],
    format: str,
    name: str | None,
    options: _Options,
) -> Table:
    header, records = frame
    if not header:
        return _failed(Reading(name, format, errors=(Issue("read.empty", ""),)))
    return _tabulate(Reading(name, format), header, records, options)


__all__ = [
    "MissingExtra",
    "Prepare",
    "Progress",
    "Reading",
    "Table",
    "decode",
    "parse_map",
    "read",
    "sniff_delimiter",
]
