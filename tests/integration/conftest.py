from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def _postgres_schema_of_this_run() -> Iterator[None]:
    yield
    try:
        from tests.integration._sql import drop_postgres_schema
    except pytest.skip.Exception:  # SQLAlchemy not installed: nothing was made
        return
    drop_postgres_schema()
