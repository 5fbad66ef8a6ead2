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
from clientcore.model import with_version
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


class FailOn:
    """Makes the ``n``-th statement starting with ``start`` fail inside the database
    transaction."""

    def __init__(self, engine: sa.Engine, start: str, n: int = 1) -> None:
        self.engine, self.start, self.n, self.seen = engine, start, n, 0

    def __enter__(self) -> FailOn:
        sa.event.listen(self.engine, "before_cursor_execute", self._hook)
        return self

    def __exit__(self, *exc: object) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._hook)

    def _hook(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith(self.start):
            self.seen += 1
            if self.seen == self.n:
                raise RuntimeError("the disk is full")


def test_a_plan_applies_in_one_transaction_and_a_fault_in_the_middle_writes_nothing(
    engine: sa.Engine,
) -> None:
    uow = seeded(engine, [company(f"p{i}", legal_form="BV") for i in range(6)])
    plan = BulkPlan(F("legal_form") == "BV", [SetField("language", "fr"), Labels(add={"vip"})])
    before = snapshot(engine)
    # the parties are updated (one batch), then their labels fail to be written
    fault = FailOn(engine, "INSERT INTO clientcore_party_labels")
    with fault, pytest.raises(RuntimeError, match="disk is full"):
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
    with (
        FailOn(engine, "UPDATE clientcore_parties"),
        pytest.raises(RuntimeError, match="disk is full"),
    ):
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


class Statements:
    """Records every SQL statement run on ``engine`` while active."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine, self.seen = engine, []

    def __enter__(self) -> list[str]:
        sa.event.listen(self.engine, "before_cursor_execute", self._hook)
        return self.seen

    def __exit__(self, *exc: object) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._hook)

    def _hook(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.seen.append(statement)


def test_select_with_total_counts_by_sql_and_reads_only_the_page(engine: sa.Engine) -> None:
    uow = seeded(engine, [company(f"p{i}", legal_form="BV" if i % 3 else "NV") for i in range(9)])
    with Statements(engine) as seen:
        selection = select(uow, F("legal_form") == "bv", with_total=True, order_by=["id"], limit=2)
    assert (["p1", "p2"], 6, 9) == (
        [p.id for p in selection.items],
        selection.matched,
        selection.total,
    )
    reads = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    assert 2 == sum(1 for s in reads if "count(" in s.lower())
    [page] = [s for s in reads if "doc" in s]
    assert "LIMIT" in page.upper()


def test_the_check_by_queries_counts_every_failure_and_reads_at_most_limit_per_rule(
    engine: sa.Engine,
) -> None:
    parties = generate(200, seed=4, today=TODAY)
    uow = seeded(engine, parties)
    full = check_store(uow, today=TODAY)
    with Statements(engine) as seen:
        limited = check_store(uow, today=TODAY, limit=3)
    counts = [s for s in seen if "count(" in s.lower()]
    assert 1 == len(counts)  # the scopes and failures of every rule, in one query
    for whole, part in zip(full.results, limited.results, strict=True):
        assert (whole.in_scope, whole.failing) == (part.in_scope, part.failing)
        wanted = sorted(f.party_id or "" for f in whole.findings)[:3]
        assert wanted == [f.party_id for f in part.findings], whole.rule.id
        assert part.passing == whole.passing
        assert part.ok == whole.ok
    assert [r.rule.id for r in full.failed] == [r.rule.id for r in limited.failed]
    assert limited.to_json()["summary"] == full.to_json()["summary"]
    nothing = check_store(uow, today=TODAY, limit=0)
    assert [] == list(nothing.findings())
    assert [r.failing for r in full.results] == [r.failing for r in nothing.results]
    assert not nothing.ok
    assert nothing.failed


@pytest.mark.parametrize("limit", [-1, 1.5, True, "3"])
def test_a_check_refuses_a_limit_that_is_not_a_whole_number(limit: Any) -> None:
    from clientcore import InMemoryUnitOfWork, ValidationError

    with pytest.raises(ValidationError) as caught:
        check_store(InMemoryUnitOfWork(), today=TODAY, limit=limit)
    assert ["completeness.limit.invalid"] == [i.code for i in caught.value.issues]


def test_count_each_counts_what_count_counts_with_the_unit_of_work_own_changes(
    engine: sa.Engine,
) -> None:
    parties = generate(80, seed=6, today=TODAY)
    uow = seeded(engine, parties)
    filters = [
        F("status") == "client",
        F("labels").has("vip"),
        F("tasks").any(F("active").eq(True)),
        F("email").invalid() | F("email").blank(),
        ~(F("legal_form") == "BV"),
    ]
    with uow:
        uow.parties.add(company("mine", status="client", labels={"VIP"}))
        first = uow.parties.get(parties[0].id)
        uow.parties.save(attrs.evolve(first, status="client", labels=set()))
        assert [uow.parties.count(f) for f in filters] == uow.parties.count_each(filters)
        assert [] == uow.parties.count_each([])


def test_a_commit_writes_many_parties_in_batches_and_names_every_stale_one(
    engine: sa.Engine,
) -> None:
    from clientcore.adapters.sqlalchemy import _store

    uow = seeded(engine, [company(f"p{i:04}") for i in range(_store._BATCH + 20)])
    with uow:
        everyone = uow.parties.list()
    other = SqlUnitOfWork(engine)
    with uow:
        for party in everyone:
            uow.parties.save(attrs.evolve(party, language="fr", labels={"vip"}))
        with other:  # someone else changes two of them meanwhile
            for party_id in ("p0007", "p0510"):
                other.parties.save(attrs.evolve(other.parties.get(party_id), language="nl"))
            other.commit()
        before = snapshot(engine)
        with Statements(engine) as seen, pytest.raises(ConflictError) as caught:
            uow.commit()
    assert [("p0007", 1, 2), ("p0510", 1, 2)] == [
        (i.params["party_id"], i.params["expected"], i.params["actual"])
        for i in caught.value.issues
    ]
    assert before == snapshot(engine)
    updates = [s for s in seen if s.startswith("UPDATE clientcore_parties")]
    # one statement per batch; the batch holding a stale party again party by party
    assert 1 + _store._BATCH + 1 + 20 == len(updates)
    with uow:
        fresh = uow.parties.list()
        for party in fresh:
            uow.parties.save(attrs.evolve(party, language="fr", labels={"vip"}))
        with Statements(engine) as seen:
            uow.commit()
    assert 2 == sum(1 for s in seen if s.startswith("UPDATE clientcore_parties"))
    assert len(seen) < 30  # a few statements per batch, not per party
    with uow:
        assert _store._BATCH + 20 == uow.parties.count(
            F("labels").has("VIP") & (F("language") == "fr")
        )


def test_a_first_import_stores_what_a_unit_of_work_stores(engine: sa.Engine) -> None:
    from clientcore.adapters.sqlalchemy import load_parties

    parties = generate(60, seed=7, today=TODAY)
    seeded(engine, parties)
    by_commit = snapshot(engine)
    with engine.begin() as conn:
        for table in ("clientcore_party_tasks", "clientcore_party_labels", "clientcore_parties"):
            conn.execute(sa.text(f"DELETE FROM {table}"))
    assert 60 == load_parties(engine, parties, batch_size=25)
    assert by_commit == snapshot(engine)


def test_migrate_brings_a_version_1_database_to_the_current_version(engine: sa.Engine) -> None:
    from clientcore import ClientCoreError
    from clientcore.adapters.sqlalchemy import SCHEMA_VERSION, migrate, schema_version

    identifiers = ("enterprise_number", "vat_number", "national_number", "kvk_number", "email")
    seeded(engine, [company("p1", vat_number="BE0403170701")])
    with engine.begin() as conn:  # the tables as version 1 made them
        for path in identifiers:
            conn.execute(sa.text(f"DROP INDEX ix_clientcore_parties_{path}__f"))
            conn.execute(
                sa.text(f"CREATE INDEX ix_clientcore_parties_{path} ON clientcore_parties ({path})")
            )
        conn.execute(sa.text("DELETE FROM clientcore_schema"))
        conn.execute(sa.text("INSERT INTO clientcore_schema (version) VALUES (1)"))
    assert 1 == schema_version(engine)
    with pytest.raises(ClientCoreError) as caught:
        SqlUnitOfWork(engine).__enter__()
    assert ["sql.schema_version"] == [i.code for i in caught.value.issues]
    assert SCHEMA_VERSION == migrate(engine) == schema_version(engine) == 2
    indexes = {i["name"] for i in sa.inspect(engine).get_indexes("clientcore_parties")}
    assert {f"ix_clientcore_parties_{p}__f" for p in identifiers} <= indexes
    assert not {f"ix_clientcore_parties_{p}" for p in identifiers} & indexes
    uow = SqlUnitOfWork(engine)
    with uow:
        assert ["p1"] == [p.id for p in uow.parties.find(F("vat_number") == "be0403170701")]
    assert SCHEMA_VERSION == migrate(engine)  # nothing left to do


def test_a_limited_check_says_how_many_more_fail_than_it_read(engine: sa.Engine) -> None:
    uow = seeded(engine, [company(f"p{i}", status="client", vat_liable=True) for i in range(7)])
    report = check_store(uow, today=TODAY, limit=2)
    vat = report.result("vat")
    assert (7, 7, 0, 2) == (vat.in_scope, vat.failing, vat.passing, len(vat.findings))
    assert ["p0", "p1"] == [f.party_id for f in vat.findings]
    text = report.to_text(limit=None)
    assert "vat (error): 7 of 7 failing" in text
    assert "… and 5 more" in text


def test_a_party_changed_by_someone_else_after_it_was_read_fails_at_commit(
    engine: sa.Engine,
) -> None:
    uow = seeded(engine, [company("p1"), company("p2")])
    other = SqlUnitOfWork(engine)
    with uow:
        read = uow.parties.get_many(["p1", "p2"])
        with other:
            other.parties.save(attrs.evolve(other.parties.get("p2"), language="nl"))
            other.commit()
        for party in read:
            uow.parties.save(attrs.evolve(party, language="fr"))  # nothing read again
        with pytest.raises(ConflictError) as caught:
            uow.commit()
    assert [("conflict.stale_version", "p2", 1, 2)] == [
        (i.code, i.params["party_id"], i.params["expected"], i.params["actual"])
        for i in caught.value.issues
    ]
    with uow:
        assert ["nl"] == [p.language for p in uow.parties.find(F("language").not_blank())]


def test_a_save_keeps_the_validity_flags_of_identifiers_it_leaves_alone(
    engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clientcore.model import IDENTIFIERS

    email = type(IDENTIFIERS["email"])
    checked: list[str] = []
    real = email.is_valid

    def counting(self: Any, value: object, country: str | None = None) -> bool:
        checked.append(str(value))
        return real(self, value, country)

    uow = seeded(engine, [company("p1", email="an@example.be")])
    monkeypatch.setattr(email, "is_valid", counting)
    with uow:
        uow.parties.save(attrs.evolve(uow.parties.get("p1"), name="Renamed"))
        uow.commit()
    assert [] == checked  # unchanged: the stored flag is kept
    with uow:
        assert 1 == uow.parties.count(F("email").valid())
        uow.parties.save(attrs.evolve(uow.parties.get("p1"), email="not an address"))
        uow.commit()
    assert ["not an address"] == checked
    with uow:
        assert 1 == uow.parties.count(F("email").invalid())
        party = uow.parties.get("p1")
        uow.parties.save(attrs.evolve(party, address={"country": "NL", "city": "Breda"}))
        uow.commit()
    assert ["not an address"] * 2 == checked  # another country: checked again
    with uow:
        assert 1 == uow.parties.count(F("email").invalid())


def _party_reads(seen: list[str]) -> int:
    """The statements that read parties (their stored documents)."""
    return sum(1 for s in seen if s.lstrip().upper().startswith("SELECT") and ".doc" in s)


def test_get_many_reads_one_batch_in_one_query(engine: sa.Engine) -> None:
    from clientcore.adapters.sqlalchemy import _store, load_parties

    count = 2 * _store._BATCH + 7
    load_parties(engine, [company(f"p{i:04}") for i in range(count)])
    uow = SqlUnitOfWork(engine)
    wanted = [f"p{i:04}" for i in reversed(range(count))]
    with uow, Statements(engine) as seen:
        found = uow.parties.get_many(wanted)
    assert wanted == [p.id for p in found]
    assert 3 == _party_reads(seen)  # one per batch of _BATCH ids, not one per party


def test_a_plan_by_ids_reads_and_checks_its_parties_in_batches(engine: sa.Engine) -> None:
    from clientcore.adapters.sqlalchemy import load_parties
    from clientcore.bulk._engine import READ_BATCH

    count = READ_BATCH + 150
    load_parties(engine, [company(f"p{i:04}") for i in range(count)])
    uow = SqlUnitOfWork(engine)
    ids = [f"p{i:04}" for i in range(count)]
    plan = BulkPlan([*ids[:700], "gone-1", *ids[700:], "gone-2"], [SetField("language", "fr")])
    preview = preview_plan(uow, plan, ann)
    assert ["gone-1", "gone-2"] == [r.party_id for r in preview.rejections]
    with Statements(engine) as seen:
        receipt = apply_plan(uow, plan, ann, preview, on_rejection="skip", at=AT)
    assert sorted(ids) == sorted(receipt.applied)
    assert ["gone-1", "gone-2"] == [r.party_id for r in receipt.skipped]
    # the versions checked and the parties read by batch: the two missing ids cost a
    # few halvings of their batch, never a query per party
    assert _party_reads(seen) < 60
    with uow:
        assert count == uow.parties.count(F("language") == "fr")


def test_a_changed_version_found_by_the_batched_check_names_the_party(engine: sa.Engine) -> None:
    from clientcore.adapters.sqlalchemy import load_parties

    load_parties(engine, [company(f"p{i:03}") for i in range(30)])
    uow = SqlUnitOfWork(engine)
    plan = BulkPlan([f"p{i:03}" for i in range(30)], [SetField("language", "fr")])
    preview = preview_plan(uow, plan, ann)
    other = SqlUnitOfWork(engine)
    with other:
        other.parties.save(attrs.evolve(other.parties.get("p017"), language="nl"))
        other.commit()
    with pytest.raises(ConflictError) as caught:
        apply_plan(uow, plan, ann, preview, at=AT)
    assert [("bulk.conflict", "p017", 1, 2)] == [
        (i.code, i.params["party_id"], i.params["expected"], i.params["actual"])
        for i in caught.value.issues
    ]


def test_list_reads_every_party_across_its_fetch_batches(engine: sa.Engine) -> None:
    from clientcore.adapters.sqlalchemy import _store, load_parties

    parties = generate(_store._STREAM_BATCH + 30, seed=8, today=TODAY)
    load_parties(engine, parties)
    uow = SqlUnitOfWork(engine)
    with uow:
        uow.parties.add(company("mine"))
        read = uow.parties.list()
    expected = sorted([with_version(p, 1) for p in parties], key=lambda p: p.id)
    assert expected == sorted((p for p in read if p.id != "mine"), key=lambda p: p.id)
    assert 1 == sum(1 for p in read if p.id == "mine")
