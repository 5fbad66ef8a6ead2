from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from clientcore.adapters.sqlalchemy import (
    SqlLayoutRepository,
    SqlSavedFilterRepository,
    SqlUnitOfWork,
)
from clientcore.ports import LayoutRepository, SavedFilterRepository, UnitOfWork
from clientcore.testing import (
    LayoutRepositoryContract,
    SavedFilterRepositoryContract,
    UnitOfWorkContract,
)
from tests.integration._sql import empty_postgres, sa, sqlite_engine


class _Disposing:
    engines: list[sa.Engine]

    @pytest.fixture(autouse=True)
    def _dispose(self) -> Iterator[None]:
        self.engines = []
        yield
        for engine in self.engines:
            engine.dispose()

    def fresh(self) -> sa.Engine:
        engine = sqlite_engine()
        self.engines.append(engine)
        return engine


class TestSqliteUnitOfWorkContract(_Disposing, UnitOfWorkContract):
    def make_uow(self) -> UnitOfWork:
        return SqlUnitOfWork(self.fresh())

    def second_uow(self, first: UnitOfWork) -> UnitOfWork:
        assert isinstance(first, SqlUnitOfWork)
        return SqlUnitOfWork(first.engine)


class TestSqliteSavedFilterContract(_Disposing, SavedFilterRepositoryContract):
    def make_repository(self) -> SavedFilterRepository:
        return SqlSavedFilterRepository(self.fresh())


class TestSqliteLayoutContract(_Disposing, LayoutRepositoryContract):
    def make_repository(self) -> LayoutRepository:
        return SqlLayoutRepository(self.fresh())


class TestPostgresUnitOfWorkContract(UnitOfWorkContract):
    def make_uow(self) -> UnitOfWork:
        return SqlUnitOfWork(empty_postgres())

    def second_uow(self, first: UnitOfWork) -> UnitOfWork:
        assert isinstance(first, SqlUnitOfWork)
        return SqlUnitOfWork(first.engine)


class TestPostgresSavedFilterContract(SavedFilterRepositoryContract):
    def make_repository(self) -> SavedFilterRepository:
        return SqlSavedFilterRepository(empty_postgres())


class TestPostgresLayoutContract(LayoutRepositoryContract):
    def make_repository(self) -> LayoutRepository:
        return SqlLayoutRepository(empty_postgres())


def test_with_the_postgres_variable_set_an_unreachable_server_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.integration import _sql

    monkeypatch.setattr(_sql, "POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:9/test")
    monkeypatch.setattr(_sql, "_postgres", None)
    with pytest.raises(sa.exc.OperationalError):
        _sql.postgres_engine()


def test_without_the_postgres_variable_the_postgres_tests_skip_saying_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.integration import _sql

    monkeypatch.setattr(_sql, "POSTGRES_URL", "")
    with pytest.raises(pytest.skip.Exception, match="CLIENTCORE_TEST_POSTGRES_URL"):
        _sql.postgres_engine()


def _find_statements(engine: sa.Engine, order_by: list[str]) -> list[tuple[str, Any]]:
    """The SQL ``find(order_by=..., limit=5)`` sends (on an empty store), with its
    parameters."""
    from clientcore.query import Filter

    sent: list[tuple[str, Any]] = []

    def capture(conn: object, cursor: object, statement: str, parameters: Any, *_: object) -> None:
        if "ORDER BY" in statement:
            sent.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", capture)
    try:
        with SqlUnitOfWork(engine) as uow:
            assert uow.parties.find(Filter.all(), order_by=order_by, limit=5) == []
    finally:
        sa.event.remove(engine, "before_cursor_execute", capture)
    return sent


def test_a_page_in_id_order_reads_the_primary_key_index_instead_of_sorting() -> None:
    # A check's failing parties are the first ``limit`` by id: walking the primary key
    # and stopping after a page keeps that read the same size in a registry of any size.
    engine = empty_postgres()
    ((statement, parameters),) = _find_statements(engine, ["id"])
    with engine.connect() as conn:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        conn.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
        plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + statement, parameters))
    assert "clientcore_parties_pkey" in plan
    assert "Sort" not in plan


def test_a_column_that_may_be_blank_still_sorts_its_blanks_last() -> None:
    engine = sqlite_engine()
    try:
        ((by_name, _),) = _find_statements(engine, ["name"])
        ((by_id, _),) = _find_statements(engine, ["id"])
    finally:
        engine.dispose()
    assert "IS NULL" in by_name.split("ORDER BY")[1]
    assert "IS NULL" not in by_id.split("ORDER BY")[1]


def test_a_find_may_hash_its_task_and_label_lookups() -> None:
    # With PostgreSQL's default work_mem, ``NOT IN (SELECT party_id ...)`` over a large
    # task table is probed party by party (hours at 1,000,000 parties).
    engine = empty_postgres()
    sent: list[str] = []

    def capture(conn: object, cursor: object, statement: str, *_: object) -> None:
        sent.append(statement)

    sa.event.listen(engine, "before_cursor_execute", capture)
    try:
        from clientcore.query import F

        with SqlUnitOfWork(engine) as uow:
            assert uow.parties.find(~F("tasks").any(F("code").eq("vat")), limit=5) == []
            assert uow.parties.count(~F("tasks").any(F("code").eq("vat"))) == 0
    finally:
        sa.event.remove(engine, "before_cursor_execute", capture)
    reads = [i for i, s in enumerate(sent) if "clientcore_party_tasks" in s]
    assert len(reads) == 2
    for i in reads:
        assert "work_mem" in sent[i - 1], sent
