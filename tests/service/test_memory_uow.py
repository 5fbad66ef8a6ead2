from __future__ import annotations

import threading

import attrs
import pytest

from clientcore import ClientCoreError, ConflictError, InMemoryUnitOfWork, Party
from clientcore.adapters.memory import InMemoryStore
from clientcore.ports import UnitOfWork
from clientcore.testing import UnitOfWorkContract, company


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
