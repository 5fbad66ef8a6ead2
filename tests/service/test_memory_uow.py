from __future__ import annotations

import threading

import attrs
import pytest

from clientcore import ClientCoreError, ConflictError, InMemoryUnitOfWork, Link, LinkKind, Party
from clientcore.adapters import memory
from clientcore.adapters.memory import InMemoryStore
from clientcore.ports import LayoutRepository, SavedFilterRepository, UnitOfWork
from clientcore.query import F, InMemoryLayoutRepository, InMemorySavedFilterRepository
from clientcore.testing import (
    LayoutRepositoryContract,
    SavedFilterRepositoryContract,
    UnitOfWorkContract,
    company,
    note,
)


class TestInMemoryUnitOfWorkContract(UnitOfWorkContract):
    def make_uow(self) -> UnitOfWork:
        return InMemoryUnitOfWork()

    def second_uow(self, first: UnitOfWork) -> UnitOfWork:
        assert isinstance(first, InMemoryUnitOfWork)
        return InMemoryUnitOfWork(first.store)


def test_reading_outside_a_with_block_is_refused() -> None:
    uow = InMemoryUnitOfWork()
    with pytest.raises(ClientCoreError, match="with uow"):
        uow.parties.list()


def test_a_nested_with_block_is_refused() -> None:
    uow = InMemoryUnitOfWork()
    with uow, pytest.raises(ClientCoreError, match="already open"), uow:
        pass


def test_a_store_can_be_seeded_with_parties() -> None:
    store = InMemoryStore([company("p1"), company("p2")])
    with InMemoryUnitOfWork(store) as uow:
        assert [p.version for p in uow.parties.list()] == [1, 1]


def test_concurrent_threads_never_lose_an_update() -> None:
    store = InMemoryStore([Party(id="p", kind="client_company", name="A", labels=[])])
    conflicts: list[ConflictError] = []
    barrier = threading.Barrier(4)

    def worker(label: str) -> None:
        uow = InMemoryUnitOfWork(store)
        with uow:
            party = uow.parties.get("p")
            barrier.wait()
            try:
                uow.parties.save(attrs.evolve(party, labels=party.labels | {label}))
                uow.commit()
            except ConflictError as exc:
                conflicts.append(exc)

    threads = [threading.Thread(target=worker, args=(f"l{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    final = store.parties["p"]
    assert len(conflicts) == 3
    assert len(final.labels) == 1
    assert final.version == 2


def test_misuse_errors_carry_a_code_and_speak_three_languages() -> None:
    uow = InMemoryUnitOfWork()
    with pytest.raises(ClientCoreError) as err:
        uow.parties.get("p1")
    [issue] = err.value.issues
    assert "uow.not_open" == issue.code
    assert len({issue.message(lang) for lang in ("en", "nl", "fr")}) == 3


def test_a_duplicate_link_id_is_called_a_link() -> None:
    store = InMemoryStore([company("a"), company("b"), company("c")])
    with InMemoryUnitOfWork(store) as uow:
        uow.links.add(Link(id="L", kind=LinkKind.PARENT_SUBSIDIARY, from_id="a", to_id="b"))
        with pytest.raises(ConflictError) as err:
            uow.links.add(Link(id="L", kind=LinkKind.PARENT_SUBSIDIARY, from_id="a", to_id="c"))
    assert "A link with id L already exists." == str(err.value)


def test_a_link_to_a_party_removed_meanwhile_is_refused_at_commit() -> None:
    store = InMemoryStore([company("a"), company("b")])
    mine, theirs = InMemoryUnitOfWork(store), InMemoryUnitOfWork(store)
    with mine, theirs:
        theirs.parties.remove("b")
        mine.links.add(Link.parent_of("a", "b"))
        theirs.commit()
        with pytest.raises(ConflictError) as err:
            mine.commit()
    assert ["conflict.link_party_gone"] == [i.code for i in err.value.issues]
    assert [] == list(store.links.values())


class TestInMemorySavedFilterRepositoryContract(SavedFilterRepositoryContract):
    def make_repository(self) -> SavedFilterRepository:
        return InMemorySavedFilterRepository()


class TestInMemoryLayoutRepositoryContract(LayoutRepositoryContract):
    def make_repository(self) -> LayoutRepository:
        return InMemoryLayoutRepository()


def test_reading_while_other_units_of_work_commit_never_sees_a_changing_dict() -> None:
    # A unit of work with its own writes lists and finds while others commit: each
    # read walks one published state, which no commit changes.
    store = InMemoryStore([company(f"p{i:04}") for i in range(2000)])
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer(prefix: str) -> None:
        n = 0
        while not stop.is_set():
            uow = InMemoryUnitOfWork(store)
            with uow:
                uow.parties.add(company(f"{prefix}{n}"))
                uow.commit()
            n += 1

    def reader() -> None:
        uow = InMemoryUnitOfWork(store)
        try:
            with uow:
                uow.parties.add(company("mine"))
                for _ in range(200):
                    uow.parties.list()
                    uow.parties.find(F("name").contains("peeters"))
        except BaseException as exc:  # pragma: no cover - only on failure
            errors.append(exc)

    writers = [threading.Thread(target=writer, args=(f"w{i}-",)) for i in range(2)]
    for t in writers:
        t.start()
    try:
        readers = [threading.Thread(target=reader) for _ in range(2)]
        for t in readers:
            t.start()
        for t in readers:
            t.join()
    finally:
        stop.set()
        for t in writers:
            t.join()
    assert [] == errors


def test_an_interrupt_inside_commit_writes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # The interrupt lands while the next state is being built, i.e. in the middle of
    # writing the transaction's parties: the published state must stay the old one.
    store = InMemoryStore([company("p1"), company("p2"), company("p3")])
    uow = InMemoryUnitOfWork(store)
    original = memory._State.__init__

    def interrupted(self: object, *args: object) -> None:
        raise KeyboardInterrupt

    with uow:
        for pid in ("p1", "p2", "p3"):
            uow.parties.save(attrs.evolve(uow.parties.get(pid), name="Changed"))
        uow.record(note("changed"))
        monkeypatch.setattr(memory._State, "__init__", interrupted)
        with pytest.raises(KeyboardInterrupt):
            uow.commit()
        monkeypatch.setattr(memory._State, "__init__", original)
    assert ["Peeters BV"] * 3 == [p.name for p in store.parties.values()]
    assert [1, 1, 1] == [p.version for p in store.parties.values()]
    assert [] == store.events


def test_a_commit_publishes_a_new_state_and_leaves_the_old_one_whole() -> None:
    store = InMemoryStore([company("p1")])
    before = store.state
    uow = InMemoryUnitOfWork(store)
    with uow:
        uow.parties.save(attrs.evolve(uow.parties.get("p1"), name="Changed"))
        uow.parties.add(company("p2"))
        uow.commit()
    assert ["Peeters BV"] == [p.name for p in before.parties.values()]
    assert ["Changed", "Peeters BV"] == [p.name for p in store.parties.values()]


def test_find_still_takes_a_python_predicate() -> None:
    store = InMemoryStore([company("p1", "Alpha"), company("p2", "Beta")])
    with InMemoryUnitOfWork(store) as uow:
        assert ["p2"] == [p.id for p in uow.parties.find(lambda p: p.name == "Beta")]
