"""The relational schema: one row per party with the fields filters hit as columns.

Every party is kept whole as a JSON document (``doc``, what is read back) next to
columns maintained on write for what filters and indexes need: each catalogue scalar
(text fields also in folded form, ``NULL`` when blank, so the blank rule is
``IS NULL``), a validity flag per identifier, the size of every owned collection, and
child tables for the collections filters look inside (labels, tasks).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from clientcore.model import COLLECTIONS, IDENTIFIERS, Party, fold, party_to_json

#: The version of the tables :func:`create_schema` makes; see :func:`migrate`.
SCHEMA_VERSION = 2

metadata = sa.MetaData()

# Text compares by code point, as Python does: PostgreSQL needs the "C" collation,
# SQLite's default (BINARY) already is.
Text = sa.String().with_variant(postgresql.VARCHAR(collation="C"), "postgresql")
Json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

#: Text fields of a party, by field path; each has a raw and a folded column.
TEXT_PATHS = (
    "name",
    "number",
    "kind",
    "status",
    "language",
    "first_name",
    "last_name",
    "national_number",
    "bsn",
    "legal_form",
    "enterprise_number",
    "kvk_number",
    "vat_number",
    "iban",
    "email",
    "phone",
    "website",
    "portfolio",
    "attention",
    "address.street",
    "address.postal_code",
    "address.city",
    "address.country",
    "correspondence_address.postal_code",
    "correspondence_address.city",
    "eid.card_number",
    "aml.risk",
    "billing.mode",
    "billing.invoice_layout",
    "staff.partner",
    "staff.declarant",
    "staff.owner",
)
DATE_PATHS = (
    "birth_date",
    "client_since",
    "client_until",
    "last_verified_on",
    "eid.valid_until",
    "aml.verified_on",
)
BOOL_PATHS = (
    "vat_liable",
    "archived",
    "marked_for_deletion",
    "portal.enabled",
    "portal.forms_allowed",
)
NUMBER_PATHS = ("version",)
#: Identifier fields with a validity flag (``NULL`` when blank).
VALIDITY_PATHS = tuple(p for p in IDENTIFIERS if p in TEXT_PATHS)
#: Owned collections whose size is kept (``blank`` is a size of zero).
COLLECTION_PATHS = tuple(sorted({*COLLECTIONS, "labels"}))


def column_name(path: str) -> str:
    """The column of a field path: dots become double underscores."""
    return path.replace(".", "__")


def folded_name(path: str) -> str:
    """The column holding the folded text of ``path``."""
    return column_name(path) + "__f"


def valid_name(path: str) -> str:
    """The column holding whether the identifier at ``path`` is valid."""
    return column_name(path) + "__ok"


def size_name(path: str) -> str:
    """The column holding how many items the collection at ``path`` has."""
    return column_name(path) + "__n"


def _party_columns() -> Iterator[sa.Column[Any]]:
    yield sa.Column("id", Text, primary_key=True)
    for path in TEXT_PATHS:
        yield sa.Column(column_name(path), Text)
        yield sa.Column(folded_name(path), Text)
    for path in DATE_PATHS:
        yield sa.Column(column_name(path), sa.Date)
    for path in BOOL_PATHS:
        yield sa.Column(column_name(path), sa.Boolean)
    for path in NUMBER_PATHS:
        yield sa.Column(column_name(path), sa.Integer, nullable=False)
    for path in VALIDITY_PATHS:
        yield sa.Column(valid_name(path), sa.Boolean)
    for path in COLLECTION_PATHS:
        yield sa.Column(size_name(path), sa.Integer, nullable=False)
    yield sa.Column("doc", Json, nullable=False)


parties = sa.Table("clientcore_parties", metadata, *_party_columns())

party_labels = sa.Table(
    "clientcore_party_labels",
    metadata,
    sa.Column("party_id", Text, primary_key=True),
    sa.Column("label", Text, primary_key=True),
    sa.Column("label__f", Text, nullable=False),
)

party_tasks = sa.Table(
    "clientcore_party_tasks",
    metadata,
    sa.Column("party_id", Text, primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("code", Text),
    sa.Column("code__f", Text),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("period", Text),
    sa.Column("period__f", Text),
    sa.Column("start", sa.Date),
)

links = sa.Table(
    "clientcore_links",
    metadata,
    sa.Column("id", Text, primary_key=True),
    sa.Column("kind", Text, nullable=False),
    sa.Column("from_id", Text, nullable=False, index=True),
    sa.Column("to_id", Text, nullable=False, index=True),
    sa.Column("doc", Json, nullable=False),
)

events = sa.Table(
    "clientcore_events",
    metadata,
    sa.Column("seq", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("party_id", Text, nullable=False, index=True),
    sa.Column("actor", Text, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("type", Text, nullable=False),
    sa.Column("doc", Json, nullable=False),
)

saved_filters = sa.Table(
    "clientcore_saved_filters",
    metadata,
    sa.Column("seq", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("id", Text, nullable=False, unique=True),
    sa.Column("owner", Text, nullable=False, index=True),
    sa.Column("doc", Json, nullable=False),
)

layouts = sa.Table(
    "clientcore_layouts",
    metadata,
    sa.Column("user_id", Text, primary_key=True),
    sa.Column("doc", Json, nullable=False),
)

schema_versions = sa.Table(
    "clientcore_schema",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True),
)

#: The fields filters hit most, indexed (a B-tree on the folded column, which every
#: filter that is not case- and accent-sensitive compares): status, kind, legal form,
#: portfolio, name and the identifiers; labels and task codes are indexed in their
#: tables. A host with other hot fields adds its own.
INDEXED_PATHS = (
    "status",
    "kind",
    "legal_form",
    "portfolio",
    "name",
    "enterprise_number",
    "vat_number",
    "national_number",
    "kvk_number",
    "email",
)
#: Identifiers whose raw column version 1 indexed (replaced by the folded one in 2).
_V1_RAW_INDEXED = ("enterprise_number", "vat_number", "national_number", "kvk_number", "email")
for _path in INDEXED_PATHS:
    sa.Index(f"ix_clientcore_parties_{folded_name(_path)}", parties.c[folded_name(_path)])
sa.Index("ix_clientcore_party_labels_label__f", party_labels.c["label__f"], party_labels.c.party_id)
sa.Index("ix_clientcore_party_tasks_code__f", party_tasks.c["code__f"], party_tasks.c.party_id)


def upgrade_to_2(conn: sa.Connection) -> None:
    """Version 2: the identifiers are indexed on their folded column (what filters
    compare) instead of their raw one."""
    preparer = conn.dialect.identifier_preparer
    for path in _V1_RAW_INDEXED:
        conn.exec_driver_sql(
            f"DROP INDEX IF EXISTS {preparer.quote(f'ix_clientcore_parties_{column_name(path)}')}"
        )
    for index in parties.indexes:
        index.create(conn, checkfirst=True)


#: The step to each version after the first, run in order by ``migrate``.
UPGRADES: dict[int, Callable[[sa.Connection], None]] = {2: upgrade_to_2}


def read_path(party: Any, path: str) -> Any:
    """The value at a dotted attribute path, ``None`` past a missing part."""
    value = party
    for part in path.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return str(value.value)
    return value if isinstance(value, str) else str(value)


def folded(text: str | None, norm: Callable[[str], str] = fold) -> str | None:
    """The folded form kept on write; ``None`` for a blank text (the blank rule)."""
    if text is None or not text.strip():
        return None
    return norm(text)


#: The columns a stored row's validity flags depend on, and the flags.
VALIDITY_COLUMNS = (
    "address__country",
    *(column_name(p) for p in VALIDITY_PATHS),
    *(valid_name(p) for p in VALIDITY_PATHS),
)


def _reader(path: str) -> Callable[[Any], Any]:
    """:func:`read_path` for one path, its parts split once (a row reads ~60 paths)."""
    head, _, rest = path.partition(".")
    if not rest:
        return lambda party: getattr(party, head, None)
    inner = _reader(rest)

    def read(party: Any) -> Any:
        value = getattr(party, head, None)
        return None if value is None else inner(value)

    return read


_TEXT_READERS = tuple((_reader(p), column_name(p), folded_name(p)) for p in TEXT_PATHS)
_DATE_READERS = tuple((_reader(p), column_name(p)) for p in DATE_PATHS)
_BOOL_READERS = tuple((_reader(p), column_name(p)) for p in BOOL_PATHS)
_SIZE_READERS = tuple((_reader(p), size_name(p)) for p in COLLECTION_PATHS)
_VALIDITY = tuple((IDENTIFIERS[p], column_name(p), valid_name(p)) for p in VALIDITY_PATHS)


def party_row(party: Party, stored: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Every column of the parties table for ``party`` (as stored, version included).

    ``stored``: the :data:`VALIDITY_COLUMNS` of the party's row as it is, whose validity
    flags are kept where the identifier and the country are unchanged (validating an
    identifier costs more than all the rest of a row)."""
    row: dict[str, Any] = {"id": party.id, "doc": party_to_json(party)}
    for read, name, folded_column in _TEXT_READERS:
        text = _text(read(party))
        row[name] = text
        row[folded_column] = folded(text)
    for read, name in _DATE_READERS:
        value = read(party)
        row[name] = value if isinstance(value, dt.date) else None
    for read, name in _BOOL_READERS:
        value = read(party)
        row[name] = value if isinstance(value, bool) else None
    row["version"] = party.version
    country = row["address__country"]
    same_country = stored is not None and stored["address__country"] == country
    for ident, name, flag in _VALIDITY:
        text = row[name]
        if text is None or not text.strip():
            row[flag] = None
        elif same_country and stored is not None and stored[name] == text:
            row[flag] = stored[flag]
        else:
            row[flag] = ident.is_valid(text, country)
    for read, name in _SIZE_READERS:
        items = read(party)
        row[name] = len(items) if items is not None else 0
    return row


def label_rows(party: Party) -> list[dict[str, Any]]:
    """The rows of the labels table for ``party``."""
    return [
        {"party_id": party.id, "label": label, "label__f": fold(label)}
        for label in sorted(party.labels)
    ]


def task_rows(party: Party) -> list[dict[str, Any]]:
    """The rows of the tasks table for ``party``, in the party's order."""
    return [
        {
            "party_id": party.id,
            "position": i,
            "code": task.code,
            "code__f": folded(task.code),
            "active": task.active,
            "period": task.period,
            "period__f": folded(task.period),
            "start": task.start,
        }
        for i, task in enumerate(party.tasks)
    ]
