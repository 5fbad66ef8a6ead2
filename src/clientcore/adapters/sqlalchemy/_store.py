"""The unit of work over SQLAlchemy Core: SQLite embedded, PostgreSQL for real use.

Reads go to the database, each in its own short transaction (read committed), merged
with this unit of work's own writes; filters are pushed down as SQL. Writes are kept
until :meth:`SqlUnitOfWork.commit`, which runs them in one database transaction:
versioned updates (``UPDATE ... WHERE id = ? AND version = ?``; no row means someone
else changed the party, a ``ConflictError`` naming it), the link checks under a lock,
then the audit events. Any failure rolls the database transaction back whole.
"""

from __future__ import annotations

import builtins
import contextlib
import datetime as dt
import json
import threading
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, Self

import attrs
import sqlalchemy as sa

from clientcore._errors import (
    ClientCoreError,
    ConflictError,
    Issue,
    NotFound,
    ValidationError,
    stale_version,
    usage_error,
)
from clientcore._messages import define
from clientcore.adapters._order import FOLDED_ORDER, check_page, order_keys, sort_parties
from clientcore.adapters.sqlalchemy._filters import compile_filter
from clientcore.adapters.sqlalchemy._tables import (
    SCHEMA_VERSION,
    UPGRADES,
    VALIDITY_COLUMNS,
    column_name,
    events,
    folded_name,
    label_rows,
    layouts,
    links,
    metadata,
    parties,
    party_labels,
    party_row,
    party_tasks,
    saved_filters,
    schema_versions,
    task_rows,
)
from clientcore.model import (
    Link,
    LinkKind,
    Party,
    check_structure,
    converter,
    link_issues,
    party_from_stored_json,
    with_version,
)
from clientcore.ports import AuditEvent
from clientcore.query import Filter, SavedFilter

define(
    {
        "sql.schema_version": (
            "The database holds clientcore tables of version {found}; this clientcore "
            "needs version {expected}: run clientcore.adapters.sqlalchemy.migrate(engine).",
            "De database bevat clientcore-tabellen van versie {found}; deze clientcore "
            "vraagt versie {expected}: voer clientcore.adapters.sqlalchemy.migrate(engine) uit.",
            "La base contient des tables clientcore de version {found} ; ce clientcore "
            "demande la version {expected} : lancez "
            "clientcore.adapters.sqlalchemy.migrate(engine).",
        ),
        "event.not_storable": (
            "An audit event must be an attrs class with party_id, actor and at, not {value}.",
            "Een auditgebeurtenis moet een attrs-klasse met party_id, actor en at zijn, "
            "niet {value}.",
            "Un événement d'audit doit être une classe attrs avec party_id, actor et at, "
            "pas {value}.",
        ),
    }
)

# A lock every commit that adds links or removes parties takes on PostgreSQL, so that
# two such commits check the merged links one after the other (SQLite's
# BEGIN IMMEDIATE already serialises every writer).
_LINK_LOCK = 7_302_214_001
_BATCH = 500
# The rows fetched at a time when every party is read (``list``).
_STREAM_BATCH = 2_000
# The memory PostgreSQL may use per hash in find, count and count_each (see
# SqlUnitOfWork._read): with less, a ``NOT IN`` over a million task rows is probed row
# by row instead of hashed once.
_COUNT_WORK_MEM = "128MB"
_configured: weakref.WeakSet[sa.Engine] = weakref.WeakSet()
_configure_lock = threading.Lock()


def configure_engine(engine: sa.Engine) -> sa.Engine:
    """Prepare ``engine`` for clientcore (done by :class:`SqlUnitOfWork` itself).

    On SQLite: the driver's own transaction handling is switched off so that a
    commit starts with ``BEGIN IMMEDIATE`` (one writer at a time, never a deadlock
    between two upgrading readers) and ``LIKE`` is case-sensitive, as in PostgreSQL.
    Connections already pooled are closed so that every connection gets the settings.
    """
    with _configure_lock:
        if engine in _configured:
            return engine
        if engine.dialect.name == "sqlite":

            @sa.event.listens_for(engine, "connect")
            def _connect(dbapi_connection: Any, record: Any) -> None:
                dbapi_connection.isolation_level = None
                cursor = dbapi_connection.cursor()
                cursor.execute("PRAGMA case_sensitive_like = ON")
                cursor.close()

            @sa.event.listens_for(engine, "begin")
            def _begin(connection: sa.Connection) -> None:
                write = connection.info.get("clientcore_write", False)
                connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

            engine.dispose()
        _configured.add(engine)
    return engine


def create_schema(engine: sa.Engine) -> None:
    """Create clientcore's tables and indexes (those missing) and record the version."""
    configure_engine(engine)
    with engine.begin() as conn:
        metadata.create_all(conn, checkfirst=True)
        found = conn.execute(sa.select(sa.func.max(schema_versions.c.version))).scalar()
        if found is None:
            conn.execute(schema_versions.insert().values(version=SCHEMA_VERSION))


def schema_version(engine: sa.Engine) -> int | None:
    """The version of clientcore's tables in the database, ``None`` when there are none."""
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table(schema_versions.name):
            return None
        found = conn.execute(sa.select(sa.func.max(schema_versions.c.version))).scalar()
        return int(found) if found is not None else None


def migrate(engine: sa.Engine) -> int:
    """Bring clientcore's tables to :data:`SCHEMA_VERSION`; returns the version reached.

    A database without them gets them; each later version adds one step here, run
    in order inside one transaction per step, and records itself in
    ``clientcore_schema``. Version 2 indexes the identifiers' folded columns.
    """
    configure_engine(engine)
    found = schema_version(engine)
    if found is None:
        create_schema(engine)
        return SCHEMA_VERSION
    if found > SCHEMA_VERSION:
        raise _version_error(found)
    for version in range(found + 1, SCHEMA_VERSION + 1):
        with engine.begin() as conn:
            UPGRADES[version](conn)
            conn.execute(schema_versions.insert().values(version=version))
    return SCHEMA_VERSION


def load_parties(engine: sa.Engine, new: Iterable[Party], batch_size: int = 10_000) -> int:
    """Insert many new parties at once (a first import), in one transaction.

    On PostgreSQL the rows go in with ``COPY ... FROM STDIN`` (psycopg 3), elsewhere
    with ``executemany``; in both cases ``batch_size`` parties at a time, their labels
    and tasks with them, and the stored result is the one :meth:`SqlUnitOfWork.commit`
    writes. A party without a version is stored as version 1. An id that exists
    already (or twice in ``new``) makes the whole load fail with the database's
    ``IntegrityError`` and write nothing. Returns how many parties were loaded.
    """
    configure_engine(engine)
    loaded = 0
    with engine.connect() as conn:
        conn.info["clientcore_write"] = True
        write = _copy_batch if conn.dialect.name == "postgresql" else _insert_batch
        try:
            with conn.begin():
                batch: list[Party] = []
                for party in new:
                    batch.append(party if party.version > 0 else with_version(party, 1))
                    if len(batch) >= batch_size:
                        loaded += write(conn, batch)
                        batch = []
                if batch:
                    loaded += write(conn, batch)
        finally:
            conn.info.pop("clientcore_write", None)
    return loaded


def _insert_batch(conn: sa.Connection, batch: Sequence[Party]) -> int:
    conn.execute(parties.insert(), [party_row(p) for p in batch])
    labels = [row for p in batch for row in label_rows(p)]
    if labels:
        conn.execute(party_labels.insert(), labels)
    tasks = [row for p in batch for row in task_rows(p)]
    if tasks:
        conn.execute(party_tasks.insert(), tasks)
    return len(batch)


_JSON_COLUMNS = frozenset({"doc"})


def _copy_rows(conn: sa.Connection, table: sa.Table, rows: Iterable[Mapping[str, Any]]) -> None:
    """``COPY table FROM STDIN`` on the connection's own psycopg connection (so inside
    its transaction); a database error comes back as SQLAlchemy's, as ``execute`` does."""
    import psycopg  # the postgres extra; only reached on PostgreSQL

    names = [c.name for c in table.columns if not isinstance(c.identity, sa.Identity)]
    quoted = ", ".join(conn.dialect.identifier_preparer.quote(n) for n in names)
    statement = f"COPY {conn.dialect.identifier_preparer.format_table(table)} ({quoted}) FROM STDIN"
    dbapi: Any = conn.connection.dbapi_connection  # a psycopg connection
    try:
        with dbapi.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(
                    [
                        json.dumps(row[n], ensure_ascii=False) if n in _JSON_COLUMNS else row[n]
                        for n in names
                    ]
                )
    except psycopg.Error as err:
        raise sa.exc.DBAPIError.instance(
            statement, None, err, psycopg.Error, dialect=conn.dialect
        ) from err


def _copy_batch(conn: sa.Connection, batch: Sequence[Party]) -> int:
    _copy_rows(conn, parties, (party_row(p) for p in batch))
    _copy_rows(conn, party_labels, (row for p in batch for row in label_rows(p)))
    _copy_rows(conn, party_tasks, (row for p in batch for row in task_rows(p)))
    return len(batch)


def _version_error(found: int | None) -> ClientCoreError:
    return usage_error("sql.schema_version", found=found, expected=SCHEMA_VERSION)


def _party(doc: Any) -> Party:
    """A party from the store's own record: ``doc`` was written from a valid party
    (``party_to_json``), so its values are taken as stored
    (:func:`~clientcore.model.party_from_stored_json`, the rules across fields still
    checked); a record that does not fit is read by ``party_from_json``, which names
    the fault."""
    return party_from_stored_json(doc)


def _link_doc(link: Link) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(converter.unstructure(link)))
    return data


def _event_doc(event: Any) -> dict[str, Any]:
    if not attrs.has(type(event)) or not isinstance(event, AuditEvent):
        raise ValidationError([Issue("event.not_storable", "events", {"value": repr(event)})])
    data: dict[str, Any] = json.loads(json.dumps(converter.unstructure(event), default=str))
    return data


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _BATCH):
        yield items[start : start + _BATCH]


def _write_parties(conn: sa.Connection, tx: _Transaction) -> list[Issue]:
    """Write every changed party of ``tx`` in batches; the issues of those that could
    not be written (an id taken, a stale version), in the order they were touched.

    Additions are one ``INSERT`` per batch after one look-up of the ids; changes and
    removals are versioned (``WHERE id = ? AND version = ?``) in ``executemany``
    batches; labels and tasks are replaced with one ``DELETE`` and one ``INSERT`` per
    batch. A batch whose row count falls short is undone (a savepoint) and run party by
    party, to name every party that someone else changed or removed.
    """
    added: list[Party] = []
    changed: list[tuple[Party, int]] = []
    removed: list[tuple[str, int]] = []
    for party_id, party in tx.parties.items():
        base = tx.party_base[party_id]
        if base is None:
            if party is not None:  # else added and removed in this transaction
                added.append(party)
        elif party is None:
            removed.append((party_id, base))
        else:
            changed.append((party, base))
    # Rows are locked in id order, the same in every commit: two commits over the same
    # parties wait for each other, they never deadlock.
    changed.sort(key=lambda item: item[0].id)
    removed.sort()
    failed: dict[str, Issue] = {}
    for chunk in _chunks([p.id for p in added]):
        taken = conn.execute(sa.select(parties.c.id).where(parties.c.id.in_(chunk)))
        for (party_id,) in taken:
            failed[party_id] = Issue("conflict.duplicate_id", "id", {"party_id": party_id})
    added = [p for p in added if p.id not in failed]
    for start in range(0, len(added), _BATCH):
        conn.execute(parties.insert(), [party_row(p) for p in added[start : start + _BATCH]])
    update = (
        parties.update()
        .where(parties.c.id == sa.bindparam("b_id"))
        .where(parties.c.version == sa.bindparam("b_version"))
    )
    params: list[dict[str, Any]] = []
    for start in range(0, len(changed), _BATCH):
        part = changed[start : start + _BATCH]
        # the stored validity flags, kept for identifiers a change leaves alone
        flags = sa.select(parties.c.id, *(parties.c[c] for c in VALIDITY_COLUMNS)).where(
            parties.c.id.in_([p.id for p, _ in part])
        )
        stored: dict[str, Mapping[str, Any]] = {r.id: dict(r._mapping) for r in conn.execute(flags)}
        params.extend(
            {**_without_id(party_row(p, stored.get(p.id))), "b_id": p.id, "b_version": base}
            for p, base in part
        )
    stale = _versioned(conn, update, params)
    delete = (
        parties.delete()
        .where(parties.c.id == sa.bindparam("b_id"))
        .where(parties.c.version == sa.bindparam("b_version"))
    )
    stale += _versioned(conn, delete, [{"b_id": i, "b_version": base} for i, base in removed])
    if stale:
        bases = {p.id: base for p, base in changed} | dict(removed)
        now: dict[str, int] = {}
        for chunk in _chunks(stale):
            stmt = sa.select(parties.c.id, parties.c.version).where(parties.c.id.in_(chunk))
            now.update((i, v) for i, v in conn.execute(stmt))
        for party_id in stale:
            failed[party_id] = stale_version(party_id, bases[party_id], now.get(party_id))
    replaced = [p.id for p, _ in changed] + [i for i, _ in removed]
    for chunk in _chunks(replaced):
        conn.execute(party_labels.delete().where(party_labels.c.party_id.in_(chunk)))
        conn.execute(party_tasks.delete().where(party_tasks.c.party_id.in_(chunk)))
    written = added + [p for p, _ in changed]
    for start in range(0, len(written), _BATCH):
        batch = written[start : start + _BATCH]
        labels = [row for p in batch for row in label_rows(p)]
        if labels:
            conn.execute(party_labels.insert(), labels)
        tasks = [row for p in batch for row in task_rows(p)]
        if tasks:
            conn.execute(party_tasks.insert(), tasks)
    return [failed[i] for i in tx.parties if i in failed]


def _without_id(row: dict[str, Any]) -> dict[str, Any]:
    del row["id"]
    return row


def _versioned(
    conn: sa.Connection, stmt: sa.Executable, params: Sequence[dict[str, Any]]
) -> list[str]:
    """Run a versioned statement for every parameter set, in batches; the ids
    (``b_id``) whose row did not match."""
    stale: list[str] = []
    batched = conn.dialect.supports_sane_multi_rowcount
    for start in range(0, len(params), _BATCH):
        batch = params[start : start + _BATCH]
        if batched and len(batch) > 1:
            savepoint = conn.begin_nested()
            if conn.execute(stmt, batch).rowcount == len(batch):
                savepoint.commit()
                continue
            savepoint.rollback()
        for one in batch:
            if conn.execute(stmt, one).rowcount != 1:
                stale.append(one["b_id"])
    return stale


class _Transaction:
    def __init__(self) -> None:
        self.parties: dict[str, Party | None] = {}  # None marks a removal
        self.party_base: dict[str, int | None] = {}  # stored version when first touched
        self.links: dict[str, Link | None] = {}
        self.link_base: dict[str, bool] = {}
        self.events: list[Any] = []
        # Parties decoded in this transaction, by (id, version): a party read again
        # (a completeness check reads a party once per rule it fails) is not decoded
        # again. Bounded by what the transaction reads.
        self.decoded: dict[tuple[str, int], Party] = {}


class _Parties:
    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def _tx(self) -> _Transaction:
        return self._uow._transaction()

    def _decode(self, party_id: str, version: int, doc: Any) -> Party:
        cache = self._tx().decoded
        key = (party_id, version)
        found = cache.get(key)
        if found is None:
            found = cache[key] = _party(doc)
        return found

    def _stored(self, party_ids: Sequence[str]) -> dict[str, Party]:
        out: dict[str, Party] = {}
        with self._uow._read() as conn:
            for chunk in _chunks(party_ids):
                stmt = sa.select(parties.c.id, parties.c.version, parties.c.doc).where(
                    parties.c.id.in_(chunk)
                )
                for party_id, version, doc in conn.execute(stmt):
                    out[party_id] = self._decode(party_id, version, doc)
        return out

    def _visible(self, party_id: str) -> Party | None:
        tx = self._tx()
        if party_id in tx.parties:
            return tx.parties[party_id]
        return self._stored([party_id]).get(party_id)

    def _touch(self, tx: _Transaction, party_id: str, stored: Party | None) -> None:
        if party_id not in tx.party_base:
            tx.party_base[party_id] = stored.version if stored is not None else None

    def add(self, party: Party) -> Party:
        tx = self._tx()
        if self._visible(party.id) is not None:
            raise ConflictError([Issue("conflict.duplicate_id", "id", {"party_id": party.id})])
        if party.id not in tx.party_base:
            tx.party_base[party.id] = None
        stored = with_version(party, 1)
        tx.parties[party.id] = stored
        return stored

    def save(self, party: Party) -> Party:
        tx = self._tx()
        if party.id not in tx.parties and (party.id, party.version) in tx.decoded:
            # read in this transaction at this version: no second read; a change made
            # by someone else since is found by the versioned UPDATE at commit
            current: Party | None = tx.decoded[(party.id, party.version)]
        else:
            current = self._visible(party.id)
        if current is None:
            raise NotFound("party", party.id)
        if current.version != party.version:
            raise ConflictError([stale_version(party.id, party.version, current.version)])
        self._touch(tx, party.id, current)
        stored = with_version(party, party.version + 1)
        tx.parties[party.id] = stored
        return stored

    def get(self, party_id: str) -> Party:
        found = self._visible(party_id)
        if found is None:
            raise NotFound("party", party_id)
        return found

    def get_many(self, party_ids: Iterable[str]) -> builtins.list[Party]:
        tx = self._tx()
        wanted = list(party_ids)
        stored = self._stored([i for i in dict.fromkeys(wanted) if i not in tx.parties])
        out: list[Party] = []
        for party_id in wanted:
            found = tx.parties[party_id] if party_id in tx.parties else stored.get(party_id)
            if found is None:
                raise NotFound("party", party_id)
            out.append(found)
        return out

    def list(self) -> builtins.list[Party]:
        # Every row: fetched a batch at a time (a server-side cursor on PostgreSQL),
        # so the rows of a large table are never all held as well as the parties.
        return self._find(Filter.all(), stream=True)

    def find(
        self,
        flt: Filter,
        *,
        today: dt.date | None = None,
        order_by: Sequence[str] | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> builtins.list[Party]:
        """The parties ``flt`` selects, run as SQL (see the port)."""
        return self._find(flt, today=today, order_by=order_by, limit=limit, offset=offset)

    def _find(
        self,
        flt: Filter,
        *,
        today: dt.date | None = None,
        order_by: Sequence[str] | None = None,
        limit: int | None = None,
        offset: int | None = None,
        stream: bool = False,
    ) -> builtins.list[Party]:
        tx = self._tx()
        keys = order_keys(order_by)
        check_page(limit, offset)
        where = compile_filter(flt, today)
        stmt = sa.select(parties.c.id, parties.c.version, parties.c.doc).where(where)
        mine = dict(tx.parties)
        if mine:
            stmt = stmt.where(parties.c.id.not_in(list(mine)))
        for path, descending in keys:
            column = parties.c[folded_name(path) if path in FOLDED_ORDER else column_name(path)]
            if column.nullable:  # blanks last; a column that is never NULL (id) keeps its
                stmt = stmt.order_by(column.is_(None))  # index usable for a page of a sort
            stmt = stmt.order_by(column.desc() if descending else column)
        stmt = stmt.order_by(parties.c.id)
        start = offset or 0
        if not mine:
            if limit is not None:
                stmt = stmt.limit(limit)
            if start:
                stmt = stmt.offset(start)
        elif limit is not None:
            stmt = stmt.limit(start + limit)
        with self._uow._read(scan=True, work_mem=_COUNT_WORK_MEM) as conn:
            if stream:
                stmt = stmt.execution_options(yield_per=_STREAM_BATCH)
            found = [self._decode(i, v, doc) for i, v, doc in conn.execute(stmt)]
        if not mine:
            return found
        # Only this transaction's own changes are evaluated in Python, never the table.
        predicate = flt.compile(today=today)
        found.extend(p for p in mine.values() if p is not None and predicate(p))
        ordered = sort_parties(found, keys)
        return ordered[start : start + limit if limit is not None else None]

    def count(self, flt: Filter, *, today: dt.date | None = None) -> int:
        """How many parties ``flt`` selects, counted by SQL."""
        tx = self._tx()
        stmt = sa.select(sa.func.count()).select_from(parties).where(compile_filter(flt, today))
        mine = dict(tx.parties)
        if mine:
            stmt = stmt.where(parties.c.id.not_in(list(mine)))
        with self._uow._read(scan=True, work_mem=_COUNT_WORK_MEM) as conn:
            counted = int(conn.execute(stmt).scalar_one())
        if mine:
            predicate = flt.compile(today=today)
            counted += sum(1 for p in mine.values() if p is not None and predicate(p))
        return counted

    def count_each(
        self, filters: Sequence[Filter], *, today: dt.date | None = None
    ) -> builtins.list[int]:
        """How many parties each of ``filters`` selects, counted by one SQL query (one
        pass over the table: ``count(*) FILTER (WHERE ...)`` per filter)."""
        tx = self._tx()
        if not filters:
            return []
        compiled = [compile_filter(flt, today) for flt in filters]
        stmt = sa.select(*(sa.func.count().filter(where) for where in compiled)).select_from(
            parties
        )
        mine = dict(tx.parties)
        if mine:
            stmt = stmt.where(parties.c.id.not_in(list(mine)))
        with self._uow._read(scan=True, work_mem=_COUNT_WORK_MEM) as conn:
            counted = [int(n) for n in conn.execute(stmt).one()]
        if mine:
            for i, flt in enumerate(filters):
                predicate = flt.compile(today=today)
                counted[i] += sum(1 for p in mine.values() if p is not None and predicate(p))
        return counted

    def remove(self, party_id: str) -> None:
        tx = self._tx()
        current = self._visible(party_id)
        if current is None:
            raise NotFound("party", party_id)
        linked = self._uow.links.for_party(party_id)
        if linked:
            raise ConflictError([_has_links(party_id, [k.id for k in linked])])
        self._touch(tx, party_id, current)
        tx.parties[party_id] = None


def _has_links(party_id: str, link_ids: Iterable[str]) -> Issue:
    return Issue(
        "conflict.party_has_links", "id", {"party_id": party_id, "links": sorted(link_ids)}
    )


def _link(doc: Any) -> Link:
    return converter.structure(doc, Link)


class _Links:
    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def _stored(self, where: sa.ColumnElement[bool]) -> builtins.list[Link]:
        with self._uow._read() as conn:
            rows = conn.execute(sa.select(links.c.doc).where(where).order_by(links.c.id))
            return [_link(doc) for (doc,) in rows]

    def _visible(self, link_id: str) -> Link | None:
        tx = self._uow._transaction()
        if link_id in tx.links:
            return tx.links[link_id]
        found = self._stored(links.c.id == link_id)
        return found[0] if found else None

    def _touch(self, tx: _Transaction, link_id: str, existed: bool) -> None:
        if link_id not in tx.link_base:
            tx.link_base[link_id] = existed

    def add(self, link: Link) -> Link:
        tx = self._uow._transaction()
        if self._visible(link.id) is not None:
            raise ConflictError([Issue("conflict.duplicate_link_id", "id", {"link_id": link.id})])
        source, target = self._uow.parties.get(link.from_id), self._uow.parties.get(link.to_id)
        issues = link_issues(link, source, target)
        if issues:
            raise ValidationError(issues)
        if link.kind is LinkKind.PARENT_SUBSIDIARY:
            check_structure([*self.list(), link])
        self._touch(tx, link.id, False)
        tx.links[link.id] = link
        return link

    def get(self, link_id: str) -> Link:
        found = self._visible(link_id)
        if found is None:
            raise NotFound("link", link_id)
        return found

    def _merged(self, stored: Iterable[Link]) -> builtins.list[Link]:
        tx = self._uow._transaction()
        merged: dict[str, Link | None] = {k.id: k for k in stored}
        merged.update(tx.links)
        return [k for k in merged.values() if k is not None]

    def list(self) -> builtins.list[Link]:
        return self._merged(self._stored(sa.true()))

    def for_party(self, party_id: str) -> builtins.list[Link]:
        stored = self._stored(sa.or_(links.c.from_id == party_id, links.c.to_id == party_id))
        return [k for k in self._merged(stored) if party_id in (k.from_id, k.to_id)]

    def remove(self, link_id: str) -> None:
        tx = self._uow._transaction()
        if self._visible(link_id) is None:
            raise NotFound("link", link_id)
        self._touch(tx, link_id, True)
        tx.links[link_id] = None


class SqlUnitOfWork:
    """A unit of work on a database reached through a SQLAlchemy ``engine``.

    Several units of work may share one engine, as several users share a database;
    each ``with`` block is one transaction, written at :meth:`commit` in one database
    transaction. The tables must exist (:func:`create_schema` or :func:`migrate`).
    """

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = configure_engine(engine)
        self.parties = _Parties(self)
        self.links = _Links(self)
        self._tx: _Transaction | None = None
        self._events: list[Any] = []
        self._checked = False

    def _transaction(self) -> _Transaction:
        if self._tx is None:
            raise usage_error("uow.not_open")
        return self._tx

    @contextlib.contextmanager
    def _read(self, scan: bool = False, work_mem: str | None = None) -> Iterator[sa.Connection]:
        """A connection for one read transaction. For a ``scan`` (a filter, a count) on
        PostgreSQL the JIT compiler is off (compiling a plan costs seconds, more than
        these queries run), and ``work_mem`` raised when given (so that a count over the
        whole table hashes the label and task look-ups instead of probing them party by
        party); a read by id pays no extra round trip."""
        with self.engine.connect() as conn:
            if scan and conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SET LOCAL jit = off")
                if work_mem is not None:
                    conn.exec_driver_sql(f"SET LOCAL work_mem = '{work_mem}'")
            yield conn

    @property
    def in_transaction(self) -> bool:
        """Whether a ``with`` block is open."""
        return self._tx is not None

    def __enter__(self) -> Self:
        if self._tx is not None:
            raise usage_error("uow.already_open")
        if not self._checked:
            found = schema_version(self.engine)
            if found != SCHEMA_VERSION:
                raise _version_error(found)
            self._checked = True
        self._tx = _Transaction()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()
        self._tx = None

    def commit(self) -> None:
        tx = self._transaction()
        try:
            with self.engine.connect() as conn:
                conn.info["clientcore_write"] = True
                try:
                    with conn.begin():
                        self._write(conn, tx)
                finally:
                    conn.info.pop("clientcore_write", None)
        except BaseException:
            self._tx = _Transaction()
            raise
        self._events.extend(tx.events)
        self._tx = _Transaction()

    def _write(self, conn: sa.Connection, tx: _Transaction) -> None:
        touches_links = bool(tx.links) or any(p is None for p in tx.parties.values())
        if touches_links and conn.dialect.name == "postgresql":
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_LINK_LOCK)))
        stale = _write_parties(conn, tx)
        for link_id, existed in tx.link_base.items():
            stored = conn.execute(sa.select(links.c.id).where(links.c.id == link_id)).first()
            if (stored is not None) != existed:
                stale.append(Issue("conflict.duplicate_link_id", "id", {"link_id": link_id}))
        if stale:
            raise ConflictError(stale)
        for link_id, link in tx.links.items():
            conn.execute(links.delete().where(links.c.id == link_id))
            if link is not None:
                conn.execute(
                    links.insert().values(
                        id=link.id,
                        kind=link.kind.value,
                        from_id=link.from_id,
                        to_id=link.to_id,
                        doc=_link_doc(link),
                    )
                )
        if touches_links:
            self._check_links(conn, tx)
        if tx.events:
            conn.execute(
                events.insert(),
                [
                    {
                        "party_id": e.party_id,
                        "actor": e.actor,
                        "at": e.at,
                        "type": f"{type(e).__module__}.{type(e).__qualname__}",
                        "doc": _event_doc(e),
                    }
                    for e in tx.events
                ],
            )

    def _check_links(self, conn: sa.Connection, tx: _Transaction) -> None:
        issues: list[Issue] = []
        for link_id, link in tx.links.items():
            if link is None:
                continue
            for party_id in (link.from_id, link.to_id):
                found = conn.execute(sa.select(parties.c.id).where(parties.c.id == party_id))
                if found.first() is None:
                    issues.append(
                        Issue(
                            "conflict.link_party_gone",
                            "links",
                            {"link_id": link_id, "party_id": party_id},
                        )
                    )
        removed = sorted(p for p, party in tx.parties.items() if party is None)
        for party_id in removed:
            rows = conn.execute(
                sa.select(links.c.id).where(
                    sa.or_(links.c.from_id == party_id, links.c.to_id == party_id)
                )
            )
            linked = [r[0] for r in rows]
            if linked:
                issues.append(_has_links(party_id, linked))
        if issues:
            raise ConflictError(issues)
        if any(k is not None and k.kind is LinkKind.PARENT_SUBSIDIARY for k in tx.links.values()):
            rows = conn.execute(
                sa.select(links.c.doc).where(links.c.kind == LinkKind.PARENT_SUBSIDIARY.value)
            )
            check_structure(_link(doc) for (doc,) in rows)

    def rollback(self) -> None:
        if self._tx is not None:
            self._tx = _Transaction()

    def record(self, *events: AuditEvent) -> None:
        tx = self._transaction()
        for event in events:
            _event_doc(event)  # refuse what cannot be stored now, not at commit
        tx.events.extend(events)

    @property
    def events(self) -> Sequence[AuditEvent]:
        return tuple(self._events)

    @property
    def pending_events(self) -> Sequence[AuditEvent]:
        """Events recorded in the open transaction, not yet committed."""
        return tuple(self._tx.events) if self._tx is not None else ()

    def stored_events(self, party_id: str | None = None) -> builtins.list[dict[str, Any]]:
        """The audit trail as stored (oldest first): ``type``, ``party_id``, ``actor``,
        ``at`` and the event's fields as JSON in ``data``; one party's with ``party_id``."""
        stmt = sa.select(events).order_by(events.c.seq)
        if party_id is not None:
            stmt = stmt.where(events.c.party_id == party_id)
        with self._read() as conn:
            return [
                {
                    "type": row.type,
                    "party_id": row.party_id,
                    "actor": row.actor,
                    "at": row.at,
                    "data": row.doc,
                }
                for row in conn.execute(stmt)
            ]


class SqlSavedFilterRepository:
    """Saved filters in the ``clientcore_saved_filters`` table; each call is one
    transaction."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = configure_engine(engine)

    def add(self, saved: SavedFilter) -> SavedFilter:
        """Store a new saved filter; an existing id raises ``ConflictError``."""
        with self.engine.begin() as conn:
            found = conn.execute(
                sa.select(saved_filters.c.id).where(saved_filters.c.id == saved.id)
            ).first()
            if found is not None:
                raise ConflictError([Issue("saved_filter.duplicate_id", "id", {"id": saved.id})])
            conn.execute(
                saved_filters.insert().values(id=saved.id, owner=saved.owner, doc=saved.to_json())
            )
        return saved

    def get(self, filter_id: str) -> SavedFilter:
        """The saved filter with this id; ``NotFound`` when there is none."""
        with self.engine.connect() as conn:
            doc = conn.execute(
                sa.select(saved_filters.c.doc).where(saved_filters.c.id == filter_id)
            ).scalar()
        if doc is None:
            raise NotFound("saved filter", filter_id)
        return SavedFilter.from_json(doc)

    def list(self) -> builtins.list[SavedFilter]:
        """Every saved filter, in the order they were added."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(saved_filters.c.doc).order_by(saved_filters.c.seq))
            return [SavedFilter.from_json(doc) for (doc,) in rows]

    def save(self, saved: SavedFilter) -> SavedFilter:
        """Replace the stored filter with this id; ``NotFound`` when there is none."""
        with self.engine.begin() as conn:
            done = conn.execute(
                saved_filters.update()
                .where(saved_filters.c.id == saved.id)
                .values(owner=saved.owner, doc=saved.to_json())
            ).rowcount
        if done != 1:
            raise NotFound("saved filter", saved.id)
        return saved

    def delete(self, filter_id: str) -> None:
        """Remove the saved filter with this id; ``NotFound`` when there is none."""
        with self.engine.begin() as conn:
            done = conn.execute(
                saved_filters.delete().where(saved_filters.c.id == filter_id)
            ).rowcount
        if done != 1:
            raise NotFound("saved filter", filter_id)


class SqlLayoutRepository:
    """Column layouts in the ``clientcore_layouts`` table, one JSON per user."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = configure_engine(engine)

    def get(self, user_id: str) -> Mapping[str, Any] | None:
        """The stored layout JSON of this user, or ``None``."""
        with self.engine.connect() as conn:
            doc = conn.execute(
                sa.select(layouts.c.doc).where(layouts.c.user_id == user_id)
            ).scalar()
        return dict(doc) if doc is not None else None

    def put(self, user_id: str, layout: Mapping[str, Any]) -> None:
        """Store (or replace) this user's layout JSON."""
        with self.engine.begin() as conn:
            conn.execute(layouts.delete().where(layouts.c.user_id == user_id))
            conn.execute(layouts.insert().values(user_id=user_id, doc=dict(layout)))

    def delete(self, user_id: str) -> None:
        """Forget this user's layout."""
        with self.engine.begin() as conn:
            conn.execute(layouts.delete().where(layouts.c.user_id == user_id))
