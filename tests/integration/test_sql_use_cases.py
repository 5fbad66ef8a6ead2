"""Use cases on the SQL store: plans and status changes in one database transaction,
concurrent plans on PostgreSQL, completeness checks and counters as queries."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any

import attrs
import pytest

from clientcore import Actor, ConflictError, Party
from clientcore.adapters.sqlalchemy import SqlUnitOfWork
from clientcore.bulk import BulkPlan, Labels, SetField
from clientcore.completeness import check, check_store
from clientcore.query import F
from clientcore.sample import generate
from clientcore.services import apply_plan, change_status, preview_plan, select
from clientcore.status import RolePolicy, StaticFacts, StatusMachine
from tests.integration._sql import empty_postgres, sa, sqlite_engine

AT = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 1, 5)
ann = Actor("ann", {"staff"})
machine = StatusMachine(RolePolicy.default(), StaticFacts(default=0))


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest) -> Iterator[sa.Engine]:
    if request.param == "sqlite":
        made = sqlite_engine()
        yield made
        made.dispose()
    else:
        yield empty_postgres()


def seeded(engine: sa.Engine, parties: list[Party]) -> SqlUnitOfWork:
    uow = SqlUnitOfWork(engine)
    with uow:
        for party in parties:
            uow.parties.add(party)
        uow.commit()
    return uow


def company(party_id: str, **fields: Any) -> Party:
    return Party(id=party_id, kind="client_company", name=f"Client {party_id}", **fields)


def snapshot(engine: sa.Engine) -> dict[str, list[Any]]:
    from clientcore.adapters.sqlalchemy import metadata

    with engine.connect() as conn:
        return {
            t.name: sorted(map(repr, conn.execute(sa.select(t)).all()))
            for t in metadata.sorted_tables
        }


class FailOnUpdate:
    """Makes the ``n``-th UPDATE of parties fail inside the database transaction."""

    def __init__(self, engine: sa.Engine, n: int) -> None:
        self.engine, self.n, self.seen = engine, n, 0

    def __enter__(self) -> FailOnUpdate:
        sa.event.listen(self.engine, "before_cursor_execute", self._hook)
        return self

    def __exit__(self, *exc: object) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._hook)

    def _hook(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("UPDATE clientcore_parties"):
            self.seen += 1
            if self.seen == self.n:
                raise RuntimeError("the disk is full")


def test_a_plan_applies_in_one_transaction_and_a_fault_in_the_middle_writes_nothing(
    engine: sa.Engine,
) -> None:
    uow = seeded(engine, [company(f"p{i}", legal_form="BV") for i in range(6)])
    plan = BulkPlan(F("legal_form") == "BV", [SetField("language", "fr"), Labels(add={"vip"})])
    before = snapshot(engine)
    with FailOnUpdate(engine, 4), pytest.raises(RuntimeError, match="disk is full"):
        apply_plan(uow, plan, ann, at=AT)
    assert before == snapshot(engine)
    receipt = apply_plan(uow, plan, ann, at=AT)
    assert 6 == len(receipt.applied)
    with uow:
        assert 6 == uow.parties.count(F("labels").has("VIP") & (F("language") == "fr"))
    assert 6 == len(uow.stored_events())


def test_a_status_change_and_its_event_are_written_together(engine: sa.Engine) -> None:
    uow = seeded(engine, [company("p1")])
    before = snapshot(engine)
    with FailOnUpdate(engine, 1), pytest.raises(RuntimeError, match="disk is full"):
        change_status(uow, machine, ann, "p1", "qualify", at=AT)
    assert before == snapshot(engine)
    change_status(uow, machine, ann, "p1", "qualify", at=AT)
    [stored] = uow.stored_events("p1")
    assert ("clientcore.status._events.StatusChanged", "prospect") == (
        stored["type"],
        stored["data"]["target"],
    )


def test_two_concurrent_plans_on_overlapping_parties_end_with_one_conflict() -> None:
    engine = empty_postgres()
    uow = seeded(engine, [company(f"p{i}") for i in range(20)])
    plans = [
        BulkPlan([f"p{i}" for i in range(15)], [SetField("language", "nl")]),
        BulkPlan([f"p{i}" for i in range(5, 20)], [SetField("language", "fr")]),
    ]
    previews = [preview_plan(SqlUnitOfWork(engine), plan, ann) for plan in plans]
    barrier = threading.Barrier(2)
    outcomes: list[Any] = [None, None]

    def run(i: int) -> None:
        barrier.wait()
        try:
            outcomes[i] = apply_plan(SqlUnitOfWork(engine), plans[i], ann, previews[i], at=AT)
        except ConflictError as err:
            outcomes[i] = err

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    conflicts = [o for o in outcomes if isinstance(o, ConflictError)]
    assert 1 == len(conflicts)
    [winner] = [i for i, o in enumerate(outcomes) if not isinstance(o, ConflictError)]
    with uow:
        stored = {p.id: p for p in uow.parties.list()}
    wanted = "nl" if winner == 0 else "fr"
    changed = {f"p{i}" for i in (range(15) if winner == 0 else range(5, 20))}
    assert {pid for pid, p in stored.items() if p.language == wanted} == changed
    assert all(p.version == (2 if pid in changed else 1) for pid, p in stored.items())


def test_the_completeness_check_by_queries_reports_what_the_python_check_reports(
    engine: sa.Engine,
) -> None:
    parties = generate(300, seed=3, today=TODAY)
    uow = seeded(engine, parties)
    with uow:
        stored = uow.parties.list()
    expected = check(stored, today=TODAY)
    found = check_store(uow, today=TODAY)
    assert expected.records == found.records
    for mine, theirs in zip(expected.results, found.results, strict=True):
        assert (mine.rule.id, mine.in_scope) == (theirs.rule.id, theirs.in_scope)
        if mine.rule.id != "contact_location":
            ids = sorted(f.party_id or "" for f in mine.findings)
            assert ids == [f.party_id for f in theirs.findings], mine.rule.id


def test_select_with_total_counts_in_the_database(engine: sa.Engine) -> None:
    uow = seeded(engine, [company(f"p{i}", legal_form="BV" if i % 3 else "NV") for i in range(9)])
    selection = select(uow, F("legal_form") == "nv", with_total=True, order_by=["-id"])
    assert "3 / 9" == str(selection)
    assert ["p6", "p3", "p0"] == [p.id for p in selection.items]


def test_a_first_import_loads_in_batches_and_a_duplicate_id_loads_nothing(
    engine: sa.Engine,
) -> None:
    from clientcore.adapters.sqlalchemy import load_parties

    parties = generate(120, seed=5, today=TODAY)
    assert 120 == load_parties(engine, parties, batch_size=50)
    before = snapshot(engine)
    with pytest.raises(sa.exc.IntegrityError):
        load_parties(engine, [company("new"), parties[7]], batch_size=1)
    assert before == snapshot(engine)
    uow = SqlUnitOfWork(engine)
    with uow:
        assert [attrs.evolve(p, version=1) for p in parties[:3]] == uow.parties.get_many(
            [p.id for p in parties[:3]]
        )
