"""The SQL store at scale: loading, a filter pushed down, completeness by queries, a plan.

Runs on the PostgreSQL of ``CLIENTCORE_TEST_POSTGRES_URL`` (in a schema of its own per
size, dropped at the end), else on a SQLite file. Every ratio is against a baseline
measured in the same run, interleaved (``bench/_common.py``):

- **loading**: ``load_parties`` (``COPY`` on PostgreSQL, ``executemany`` on SQLite) of
  the sample parties into empty tables, one run: parties/s and rows/s (the parties and
  their label and task rows);
- **push-down**: the selective saved filter ``SELECTIVE`` run by ``find`` in the
  database, against loading every party (``list()``) and filtering in Python; target
  at least 20x; the query plan's first lines are printed (an index scan is expected);
- **completeness**: the 16-rule pack by ``check_store(limit=50)`` (scope and failure
  counts by one SQL query, at most 50 failing parties read per rule) against the
  in-memory ``check()`` over parties already in memory; target at least 5x; the peak
  memory traced during one ``check_store`` run, which should not grow with the
  registry;
- **bulk plan**: ``apply_plan`` of a plan over ``min(100,000, size)`` parties (one
  transaction), one run.

Usage: ``python bench/bench_sql.py [--sizes 10000,100000] [--runs 5]``; the issue's
figure is ``--sizes 1000000``. On PostgreSQL, ``--schema NAME`` keeps the schema (one
size): a later run on a schema that holds the parties already skips generating and
loading them and reads them back instead (the in-memory side of the check), so the
query figures of a large registry can be taken again without loading it again.
``--baseline-runs N`` times the slow side of the push-down (loading every party) only
``N`` times, for registries too large to load five times in one sitting; the runs are
printed with the figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sqlalchemy as sa

from clientcore import Actor
from clientcore.adapters.sqlalchemy import (
    SqlUnitOfWork,
    compile_filter,
    create_schema,
    load_parties,
    metadata,
    migrate,
)
from clientcore.bulk import BulkPlan, SetField
from clientcore.completeness import check, check_store
from clientcore.query import F
from clientcore.services import apply_plan

from _common import (
    Timing,
    arguments,
    growth,
    header,
    measure,
    row,
    run_once,
    sample_parties,
    verdict,
)

TODAY = dt.date(2026, 1, 1)
PUSH_DOWN_TARGET = 20.0
CHECK_TARGET = 5.0
FINDINGS_LIMIT = 50
PLAN_SIZE = 100_000
SELECTIVE = (F("legal_form") == "VZW") & (F("portfolio") == "Gent")


@contextmanager
def engine_for_run(keep: str | None) -> Iterator[tuple[sa.Engine, str]]:
    """A fresh database: a schema of its own on PostgreSQL (``keep``: this one, kept at
    the end), else a SQLite file."""
    url = os.environ.get("CLIENTCORE_TEST_POSTGRES_URL", "")
    if not url:
        path = Path(tempfile.mkdtemp(prefix="clientcore-bench-")) / "bench.db"
        engine = sa.create_engine(f"sqlite:///{path}")
        try:
            yield engine, "a SQLite file"
        finally:
            engine.dispose()
            path.unlink(missing_ok=True)
        return
    schema = keep or f"cc_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    engine = sa.create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine, f"PostgreSQL (schema {schema})"
    finally:
        engine.dispose()
        if keep is None:
            with admin.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def stored_count(engine: sa.Engine) -> int:
    """How many parties the database holds already (0 without clientcore's tables)."""
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("clientcore_parties"):
            return 0
        return int(conn.execute(sa.text("SELECT count(*) FROM clientcore_parties")).scalar_one())


def query_plan(engine: sa.Engine) -> list[str]:
    """The database's plan for ``SELECTIVE``, one line per plan node."""
    table = metadata.tables["clientcore_parties"]
    stmt = sa.select(table.c.id).where(compile_filter(SELECTIVE, TODAY))
    compiled = stmt.compile(engine, compile_kwargs={"literal_binds": True})
    explain = "EXPLAIN " if engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "
    with engine.connect() as conn:
        rows = conn.execute(sa.text(explain + str(compiled)))
        return [" ".join(str(v) for v in r).strip() for r in rows]


def peak_memory(action: Callable[[], Any]) -> float:
    """The peak of memory traced during one run of ``action``, in MiB."""
    gc.collect()
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def run(size: int, args: argparse.Namespace, figures: dict[str, dict[int, float]]) -> None:
    runs = args.runs
    with engine_for_run(args.schema) as (engine, where):
        print(f"\n  {size:,} sample parties in {where}")
        uow = SqlUnitOfWork(engine)
        found = stored_count(engine)
        if found == size:
            # A database this script (or load_parties) filled before: the parties in
            # memory are read back from it, the loading figure is that run's.
            migrate(engine)
            print("    loading: not measured (the schema holds them already)")
            gc.collect()
            started = time.perf_counter()
            with uow:
                parties = uow.parties.list()
            print(f"    ({size:,} parties read back in {time.perf_counter() - started:.1f} s)")
        else:
            if found:
                raise SystemExit(f"the schema holds {found:,} parties, not {size:,}")
            parties = sample_parties(size)
            create_schema(engine)
            rows = size + sum(len(p.labels) + len(p.tasks) for p in parties)
            gc.collect()
            started = time.perf_counter()
            load_parties(engine, parties)
            loading = time.perf_counter() - started
            figures["loading"][size] = size / loading
            how = "COPY" if engine.dialect.name == "postgresql" else "executemany"
            print(
                f"    loading ({how}, one transaction, one run): {size / loading:,.0f} "
                f"parties/s, {rows / loading:,.0f} rows/s (with {rows - size:,} label and "
                f"task rows), {loading:.1f} s"
            )
            with engine.begin() as conn:
                conn.execute(sa.text("ANALYZE"))

        # --- a selective filter pushed down ---
        expected = sorted(p.id for p in parties if SELECTIVE.matches(p))
        answers: list[list[str]] = []  # what every timed run found, checked after

        def pushed_down() -> list[str]:
            with uow:
                found = [p.id for p in uow.parties.find(SELECTIVE)]
            answers.append(found)
            return found

        def in_python() -> list[str]:
            predicate = SELECTIVE.compile()
            with uow:
                found = sorted(p.id for p in uow.parties.list() if predicate(p))
            answers.append(found)
            return found

        # Every party is loaded only in the timed runs of the baseline (at 1,000,000 one
        # load takes minutes): their answers are the correctness check.
        if args.baseline_runs >= runs:
            timings = measure({"load all + Python": in_python, "pushed down": pushed_down}, runs)
            base, fast = timings["load all + Python"], timings["pushed down"]
        else:  # a registry too large to load every party 5 times in one sitting
            fast = measure({"pushed down": pushed_down}, runs)["pushed down"]
            base = Timing([run_once(in_python)[0] for _ in range(args.baseline_runs)])
        assert answers
        assert all(found == expected for found in answers)
        ratio = base.median / fast.median
        figures["push-down"][size] = ratio
        print(
            f"    selective filter, {len(expected):,} of {size:,} parties "
            f"(baseline: {len(base.runs)} runs):"
        )
        print(row("load all + Python", base, unit="s"))
        print(row("pushed down", fast, base, unit="s"))
        print(
            f"    push-down: {ratio:,.0f}x faster (target >= {PUSH_DOWN_TARGET:.0f}x: "
            f"{verdict(ratio >= PUSH_DOWN_TARGET)})"
        )
        plan = query_plan(engine)
        print("    plan: " + " | ".join(plan[:4]))

        # --- completeness by queries ---
        # What every timed run counted (the rule of the contact's location reads what
        # the store does not keep as columns: it is left out), checked after the runs.
        counted: dict[str, set[tuple[tuple[int, int], ...]]] = {"memory": set(), "queries": set()}
        failing = rules = 0

        def counts(side: str, report: Any) -> Any:
            nonlocal failing, rules
            failing, rules = sum(r.failing for r in report.results), len(report.results)
            counted[side].add(
                tuple(
                    (r.in_scope, r.failing)
                    for r in report.results
                    if r.rule.id != "contact_location"
                )
            )
            return report

        def in_memory() -> Any:
            return counts("memory", check(parties, today=TODAY))

        def by_queries() -> Any:
            return counts("queries", check_store(uow, today=TODAY, limit=FINDINGS_LIMIT))

        timings = measure(
            {"check() in memory": in_memory, f"check_store(limit={FINDINGS_LIMIT})": by_queries},
            runs,
        )
        assert len(counted["memory"]) == 1
        assert counted["memory"] == counted["queries"]
        base, fast = timings["check() in memory"], timings[f"check_store(limit={FINDINGS_LIMIT})"]
        ratio = base.median / fast.median
        figures["check"][size] = ratio
        peak = peak_memory(lambda: check_store(uow, today=TODAY, limit=FINDINGS_LIMIT))
        figures["check peak MiB"][size] = peak
        print(
            f"    completeness, {rules} rules, {failing:,} failures counted, "
            f"at most {FINDINGS_LIMIT} read per rule:"
        )
        print(row("check() in memory", base, unit="s"))
        print(row(f"check_store(limit={FINDINGS_LIMIT})", fast, base, unit="s"))
        print(
            f"    check by queries: {ratio:.1f}x faster (target >= {CHECK_TARGET:.0f}x: "
            f"{verdict(ratio >= CHECK_TARGET)}); peak traced memory of one check_store run: "
            f"{peak:.1f} MiB"
        )

        # --- a bulk plan ---
        count = min(PLAN_SIZE, size)
        bulk = BulkPlan([p.id for p in parties[:count]], [SetField("language", "fr")])
        gc.collect()
        started = time.perf_counter()
        receipt = apply_plan(uow, bulk, Actor("ann", {"staff"}), at=dt.datetime(2026, 1, 1, 9))
        seconds = time.perf_counter() - started
        figures["plan s"][size] = seconds
        print(
            f"    bulk plan on {len(receipt.applied):,} parties (one transaction, one run): "
            f"{seconds:.1f} s, {len(receipt.applied) / seconds:,.0f} parties/s"
        )


def options() -> argparse.Namespace:
    """``--sizes`` and ``--runs`` (``bench/_common.py``), ``--schema`` and
    ``--baseline-runs``."""
    extra = argparse.ArgumentParser(add_help=False)
    extra.add_argument("--schema", default=None)
    extra.add_argument("--baseline-runs", type=int, default=None)
    known, rest = extra.parse_known_args()
    sys.argv[1:] = rest
    args = arguments(__doc__)
    args.schema = known.schema
    args.baseline_runs = known.baseline_runs if known.baseline_runs else args.runs
    if args.schema and len(args.sizes) != 1:
        raise SystemExit("--schema takes one size")
    return args


def main() -> None:
    args = options()
    header("SQL store: loading, push-down, completeness by queries, bulk plan", args.runs)
    figures: dict[str, dict[int, float]] = {
        "loading": {},
        "push-down": {},
        "check": {},
        "check peak MiB": {},
        "plan s": {},
    }
    for size in args.sizes:
        run(size, args, figures)
    print("\n  how each figure grows per 10x more parties:")
    for name, by_size in figures.items():
        print(f"    {name}: {growth(by_size)}")


if __name__ == "__main__":
    main()
