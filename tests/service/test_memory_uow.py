from __future__ import annotations

import threading

import attrs
import pytest

from clientcore import ClientCoreError, ConflictError, InMemoryUnitOfWork, Link, LinkKind, Party
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
