"""The SQL store at scale: loading, a filter pushed down, completeness by queries, a plan.

Runs on the PostgreSQL of ``CLIENTCORE_TEST_POSTGRES_URL`` (in a schema of its own,
dropped at the end), else on a SQLite file. The registry size is the first argument
(default 100,000; the issue's target is 1,000,000: ``python bench/bench_sql.py 1000000``).
Every ratio is against a baseline measured in the same run: loading every party and
filtering in Python, and the in-memory completeness check.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

import sqlalchemy as sa

from clientcore import Actor
from clientcore.adapters.sqlalchemy import SqlUnitOfWork, create_schema, load_parties
from clientcore.bulk import BulkPlan, SetField
from clientcore.completeness import check, check_store
from clientcore.query import F
from clientcore.sample import generate
from clientcore.services import apply_plan

from _common import median_seconds

TODAY = dt.date(2026, 1, 1)
SIZE = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
PLAN_SIZE = min(100_000, SIZE // 2)
SELECTIVE = (F("legal_form") == "VZW") & (F("portfolio") == "Gent")


def engine_for_run() -> tuple[sa.Engine, str, object]:
    url = os.environ.get("CLIENTCORE_TEST_POSTGRES_URL", "")
    if not url:
        path = Path(tempfile.mkdtemp(prefix="clientcore-bench-")) / "bench.db"
        return sa.create_engine(f"sqlite:///{path}"), "SQLite file", None
    schema = f"cc_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine = sa.create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    return engine, "PostgreSQL", (admin, schema)


def main() -> None:
    engine, where, cleanup = engine_for_run()
    try:
        run(engine, where)
    finally:
        engine.dispose()
        if cleanup is not None:
            admin, schema = cleanup  # type: ignore[misc]
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


def run(engine: sa.Engine, where: str) -> None:
    print(f"registry: {SIZE:,} sample parties in {where}")
    parties = generate(SIZE, seed=1, today=TODAY)
    create_schema(engine)
    started = time.perf_counter()
    load_parties(engine, parties, batch_size=2000)
    loading = time.perf_counter() - started
    print(f"loading (executemany in batches of 2,000): {SIZE / loading:,.0f} rows/s")
    with engine.begin() as conn:
        conn.execute(sa.text("ANALYZE"))

    uow = SqlUnitOfWork(engine)
    expected = sorted(p.id for p in parties if SELECTIVE.matches(p))

    def pushed_down() -> list[str]:
        with uow:
            return [p.id for p in uow.parties.find(SELECTIVE)]

    def in_python() -> list[str]:
        predicate = SELECTIVE.compile()
        with uow:
            return sorted(p.id for p in uow.parties.list() if predicate(p))

    assert expected == pushed_down() == in_python()
    fast = median_seconds(pushed_down, repeat=7)
    slow = median_seconds(in_python, repeat=1)
    print(
        f"selective filter ({len(expected):,} of {SIZE:,}): pushed down {fast * 1000:.1f} ms, "
        f"load all + Python {slow:.2f} s: {slow / fast:,.0f}x faster (target >= 20x)"
    )
    from clientcore.adapters.sqlalchemy._filters import compile_filter
    from clientcore.adapters.sqlalchemy._tables import parties as table

    stmt = sa.select(table.c.id).where(compile_filter(SELECTIVE))
    explain = "EXPLAIN " if engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "
    with engine.connect() as conn:
        compiled = stmt.compile(engine, compile_kwargs={"literal_binds": True})
        plan = [" ".join(map(str, row)) for row in conn.execute(sa.text(explain + str(compiled)))]
    print("  plan: " + " | ".join(line.strip() for line in plan[:4]))

    tracemalloc.start()
    started = time.perf_counter()
    by_queries = check_store(uow, today=TODAY)
    sql_check = time.perf_counter() - started
    sql_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    started = time.perf_counter()
    in_memory = check(parties, today=TODAY)
    memory_check = time.perf_counter() - started
    tracemalloc.start()
    started = time.perf_counter()
    with uow:
        loaded = uow.parties.list()
    check(loaded, today=TODAY)
    load_and_check = time.perf_counter() - started
    load_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del loaded
    failing = sum(r.failing for r in by_queries.results)
    assert [r.in_scope for r in in_memory.results] == [r.in_scope for r in by_queries.results]
    print(
        f"completeness, {len(by_queries.results)} rules: by queries {sql_check:.2f} s "
        f"(peak {sql_peak / 2**20:,.0f} MiB traced, {failing:,} findings loaded), in memory "
        f"{memory_check:.2f} s (parties already loaded): {memory_check / sql_check:.2f}x "
        "(target >= 5x)"
    )
    print(
        f"  against loading every party from the store and checking in Python: "
        f"{load_and_check:.2f} s (peak {load_peak / 2**20:,.0f} MiB traced): "
        f"{load_and_check / sql_check:.2f}x"
    )

    ids = [p.id for p in parties[:PLAN_SIZE]]
    plan = BulkPlan(ids, [SetField("language", "fr")])
    started = time.perf_counter()
    receipt = apply_plan(uow, plan, Actor("ann", {"staff"}), at=dt.datetime(2026, 1, 1, 9))
    print(
        f"bulk plan on {len(receipt.applied):,} parties (one transaction): "
        f"{time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
