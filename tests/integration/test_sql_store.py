from __future__ import annotations

from collections.abc import Iterator

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
