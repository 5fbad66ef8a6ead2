"""Databases for the SQL tests: a fresh SQLite file, or the PostgreSQL of
``CLIENTCORE_TEST_POSTGRES_URL`` in a schema of this run's own.

Without the variable the PostgreSQL tests skip, saying why; with it, a server that
cannot be reached fails the run.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

sa = pytest.importorskip("sqlalchemy")

from clientcore.adapters.sqlalchemy import SCHEMA_VERSION, create_schema, metadata  # noqa: E402

POSTGRES_URL = os.environ.get("CLIENTCORE_TEST_POSTGRES_URL", "")
SKIP_POSTGRES = "CLIENTCORE_TEST_POSTGRES_URL is not set: the PostgreSQL tests do not run"
RUN_SCHEMA = f"cc_test_{uuid.uuid4().hex[:12]}"


def sqlite_engine(directory: Path | None = None) -> sa.Engine:
    folder = directory or Path(tempfile.mkdtemp(prefix="clientcore-sql-"))
    engine = sa.create_engine(f"sqlite:///{folder / 'store.db'}")
    create_schema(engine)
    return engine


_postgres: sa.Engine | None = None


def postgres_engine() -> sa.Engine:
    """The engine on this run's schema (created once, dropped at exit)."""
    global _postgres
    if not POSTGRES_URL:
        pytest.skip(SKIP_POSTGRES)
    if _postgres is None:
        admin = sa.create_engine(POSTGRES_URL)
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{RUN_SCHEMA}"'))
        admin.dispose()
        _postgres = sa.create_engine(
            POSTGRES_URL, connect_args={"options": f"-csearch_path={RUN_SCHEMA}"}
        )
        create_schema(_postgres)
    return _postgres


def empty_postgres() -> sa.Engine:
    """This run's PostgreSQL schema with every clientcore table emptied."""
    engine = postgres_engine()
    with engine.begin() as conn:
        names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
        conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY"))
        conn.execute(
            sa.text(f'INSERT INTO "clientcore_schema" (version) VALUES ({SCHEMA_VERSION})')
        )
    return engine


def drop_postgres_schema() -> None:
    global _postgres
    if _postgres is None:
        return
    _postgres.dispose()
    _postgres = None
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{RUN_SCHEMA}" CASCADE'))
    admin.dispose()


class Engines:
    """SQLite engines made by a test, disposed of when it ends."""

    def __init__(self) -> None:
        self.made: list[sa.Engine] = []

    def sqlite(self) -> sa.Engine:
        engine = sqlite_engine()
        self.made.append(engine)
        return engine

    def close(self) -> Iterator[None]:
        yield
        for engine in self.made:
            engine.dispose()
        self.made.clear()
