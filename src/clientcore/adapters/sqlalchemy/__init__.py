"""A relational store: parties, links, events, saved filters and layouts in SQL.

Needs the ``sql`` extra (SQLAlchemy 2), and ``postgres`` (psycopg 3) for PostgreSQL.
Filters are compiled to SQL and run in the database; ``docs/sql.md`` shows the
tables, the semantics of every operator in SQL and how to map a host's own tables.

>>> import sqlalchemy as sa
>>> from clientcore import Party
>>> from clientcore.query import F
>>> engine = sa.create_engine("sqlite://", poolclass=sa.pool.StaticPool)
>>> create_schema(engine)
>>> uow = SqlUnitOfWork(engine)
>>> with uow:
...     _ = uow.parties.add(Party(id="p1", kind="client_company", name="Café Élan"))
...     uow.commit()
>>> with uow:
...     [p.id for p in uow.parties.find(F("name").contains("elan"))]
['p1']
>>> engine.dispose()
"""

from clientcore.adapters.sqlalchemy._filters import compile_filter
from clientcore.adapters.sqlalchemy._store import (
    SqlLayoutRepository,
    SqlSavedFilterRepository,
    SqlUnitOfWork,
    configure_engine,
    create_schema,
    load_parties,
    migrate,
    schema_version,
)
from clientcore.adapters.sqlalchemy._tables import SCHEMA_VERSION, metadata

__all__ = [
    "SCHEMA_VERSION",
    "SqlLayoutRepository",
    "SqlSavedFilterRepository",
    "SqlUnitOfWork",
    "compile_filter",
    "configure_engine",
    "create_schema",
    "load_parties",
    "metadata",
    "migrate",
    "schema_version",
]
