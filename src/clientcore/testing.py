"""Tools for testing code that uses clientcore, and the contract suite for storage.

A host that writes its own repository runs :class:`UnitOfWorkContract` against it:
subclass it in a test module (name the subclass ``Test...``) and implement
:meth:`~UnitOfWorkContract.make_uow` and :meth:`~UnitOfWorkContract.second_uow`. The
suite needs only pytest's plain ``assert``; it imports no test framework itself.

>>> from clientcore import InMemoryUnitOfWork
>>> class TestMemory(UnitOfWorkContract):
...     def make_uow(self): return InMemoryUnitOfWork()
...     def second_uow(self, first): return InMemoryUnitOfWork(first.store)
>>> TestMemory().run_all()  # what pytest would do, test by test
23
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from clientcore._errors import ClientCoreError, ConflictError, NotFound, ValidationError
from clientcore.model import Link, LinkKind, Party, PartyKind
from clientcore.ports import UnitOfWork


def _raises(kind: type[BaseException], action: Callable[[], object]) -> BaseException:
    try:
        action()
    except kind as exc:
        return exc
    raise AssertionError(f"expected {kind.__name__}")


def company(party_id: str, name: str = "Peeters BV", **fields: Any) -> Party:
    """A client company for tests."""
    return Party(id=party_id, kind=PartyKind.CLIENT_COMPANY, name=name, **fields)


class UnitOfWorkContract:
    """What every :class:`~clientcore.ports.UnitOfWork` must do; subclass to run it."""

    def make_uow(self) -> UnitOfWork:
        """A unit of work on a new, empty store."""
        raise NotImplementedError

    def second_uow(self, first: UnitOfWork) -> UnitOfWork:
        """Another unit of work on the same store as ``first`` (another connection)."""
        raise NotImplementedError

    def run_all(self) -> int:
        """Run every contract test here, without pytest; returns how many ran."""
        names = sorted(n for n in dir(self) if n.startswith("test_"))
        for name in names:
            getattr(self, name)()
        return len(names)

    def _seeded(self, *parties: Party) -> UnitOfWork:
        uow = self.make_uow()
        with uow:
            for p in parties:
                uow.parties.add(p)
            uow.commit()
        return uow

    def test_added_party_is_visible_after_commit_with_version_one(self) -> None:
        uow = self._seeded(company("p1"))
        with uow:
            stored = uow.parties.get("p1")
        assert stored.version == 1
        assert stored.name == "Peeters BV"

    def test_nothing_is_visible_outside_before_commit(self) -> None:
        uow = self._seeded()
        other = self.second_uow(uow)
        with uow:
            uow.parties.add(company("p1"))
            with other:
                assert other.parties.list() == []
            uow.commit()
        with other:
            assert [p.id for p in other.parties.list()] == ["p1"]

    def test_leaving_the_block_without_commit_rolls_back(self) -> None:
        uow = self._seeded()
        with uow:
            uow.parties.add(company("p1"))
        with uow:
            assert uow.parties.list() == []

    def test_an_exception_rolls_back(self) -> None:
        uow = self._seeded()

        def failing() -> None:
            with uow:
                uow.parties.add(company("p1"))
                raise RuntimeError("boom")

        _raises(RuntimeError, failing)
        with uow:
            assert uow.parties.list() == []

    def test_a_transaction_reads_its_own_writes(self) -> None:
        uow = self._seeded(company("p1"))
        with uow:
            p = uow.parties.get("p1")
            uow.parties.save(attrs.evolve(p, name="Janssens NV"))
            assert uow.parties.get("p1").name == "Janssens NV"
            assert [x.name for x in uow.parties.list()] == ["Janssens NV"]

    def test_saving_bumps_the_version(self) -> None:
        uow = self._seeded(company("p1"))
        with uow:
            saved = uow.parties.save(attrs.evolve(uow.parties.get("p1"), name="B"))
            uow.commit()
        with uow:
            assert 2 == saved.version == uow.parties.get("p1").version

    def test_saving_a_stale_version_raises_conflict_naming_the_party(self) -> None:
        uow = self._seeded(company("p1"))
        with uow:
            stale = uow.parties.get("p1")
            uow.parties.save(attrs.evolve(stale, name="B"))
            err = _raises(ConflictError, lambda: uow.parties.save(attrs.evolve(stale, name="C")))
        assert err.party_ids == ("p1",)  # type: ignore[attr-defined]

    def test_two_transactions_on_one_party_never_lose_an_update(self) -> None:
        uow = self._seeded(company("p1"))
        other = self.second_uow(uow)
        with uow, other:
            mine = uow.parties.get("p1")
            theirs = other.parties.get("p1")
            uow.parties.save(attrs.evolve(mine, name="Mine"))
            other.parties.save(attrs.evolve(theirs, name="Theirs"))
            uow.commit()
            err = _raises(ConflictError, other.commit)
        assert err.party_ids == ("p1",)  # type: ignore[attr-defined]
        with uow:
            assert uow.parties.get("p1").name == "Mine"

    def test_a_failed_commit_writes_nothing(self) -> None:
        uow = self._seeded(company("p1"), company("p2"))
        other = self.second_uow(uow)
        with uow, other:
            uow.parties.save(attrs.evolve(uow.parties.get("p1"), name="Mine"))
            other.parties.save(attrs.evolve(other.parties.get("p2"), name="Theirs 2"))
            other.parties.save(attrs.evolve(other.parties.get("p1"), name="Theirs 1"))
            uow.commit()
            _raises(ConflictError, other.commit)
        with uow:
            assert uow.parties.get("p2").name == "Peeters BV"

    def test_adding_an_existing_id_raises_conflict(self) -> None:
        uow = self._seeded(company("p1"))
        with uow:
            _raises(ConflictError, lambda: uow.parties.add(company("p1")))

    def test_get_of_an_unknown_id_raises_not_found(self) -> None:
        uow = self._seeded()
        with uow:
            err = _raises(NotFound, lambda: uow.parties.get("nope"))
        assert "nope" in str(err)

    def test_get_many_keeps_the_order_asked(self) -> None:
        uow = self._seeded(company("p1"), company("p2"), company("p3"))
        with uow:
            assert [p.id for p in uow.parties.get_many(["p3", "p1"])] == ["p3", "p1"]

    def test_find_returns_the_parties_matching_a_predicate(self) -> None:
        uow = self._seeded(company("p1", "Alpha"), company("p2", "Beta"))
        with uow:
            assert [p.id for p in uow.parties.find(lambda p: p.name == "Beta")] == ["p2"]

    def test_removed_party_is_gone_after_commit(self) -> None:
        uow = self._seeded(company("p1"))
        with uow:
            uow.parties.remove("p1")
            uow.commit()
        with uow:
            _raises(NotFound, lambda: uow.parties.get("p1"))

    def test_events_are_kept_only_when_the_transaction_commits(self) -> None:
        uow = self._seeded()
        with uow:
            uow.record("dropped")
        with uow:
            uow.record("kept")
            uow.commit()
        assert list(uow.events) == ["kept"]

    def test_links_refuse_a_kind_mismatch_and_a_cycle(self) -> None:
        relation = Party(id="bank", kind=PartyKind.RELATION_COMPANY, name="Bank")
        uow = self._seeded(company("a"), company("b"), relation)
        with uow:
            uow.links.add(Link(kind=LinkKind.RELATION_AT_CLIENT, from_id="a", to_id="bank"))
            _raises(
                ValidationError,
                lambda: uow.links.add(
                    Link(kind=LinkKind.RELATION_AT_CLIENT, from_id="bank", to_id="a")
                ),
            )
            uow.links.add(Link.parent_of("a", "b"))
            err = _raises(ValidationError, lambda: uow.links.add(Link.parent_of("b", "a")))
            uow.commit()
        assert err.issues[0].code == "link.cycle"  # type: ignore[attr-defined]
        with uow:
            assert len(uow.links.for_party("a")) == 2

    def test_get_many_with_a_missing_id_raises_not_found_naming_it(self) -> None:
        uow = self._seeded(company("p1"))
        with uow:
            err = _raises(NotFound, lambda: uow.parties.get_many(["p1", "nope"]))
        assert err.id == "nope"  # type: ignore[attr-defined]

    def test_saving_an_unknown_party_raises_not_found(self) -> None:
        uow = self._seeded()
        with uow:
            err = _raises(NotFound, lambda: uow.parties.save(company("ghost")))
        assert err.id == "ghost"  # type: ignore[attr-defined]

    def test_two_transactions_cannot_close_a_cycle_together(self) -> None:
        uow = self._seeded(company("a"), company("b"))
        other = self.second_uow(uow)
        with uow, other:
            uow.links.add(Link.parent_of("a", "b"))
            other.links.add(Link.parent_of("b", "a"))  # fine on its own
            uow.commit()
            err = _raises(ValidationError, other.commit)
        issue = err.issues[0]  # type: ignore[attr-defined]
        assert issue.code == "link.cycle"
        assert {"a", "b"} <= set(issue.params["cycle"].split(" → "))
        with uow:
            assert [(k.from_id, k.to_id) for k in uow.links.list()] == [("a", "b")]

    def test_a_party_that_still_has_links_cannot_be_removed(self) -> None:
        uow = self._seeded(company("a"), company("b"))
        with uow:
            link = uow.links.add(Link.parent_of("a", "b"))
            uow.commit()
        with uow:
            err = _raises(ConflictError, lambda: uow.parties.remove("b"))
            uow.links.remove(link.id)
            uow.parties.remove("b")
            uow.commit()
        assert err.party_ids == ("b",)  # type: ignore[attr-defined]
        assert err.issues[0].code == "conflict.party_has_links"  # type: ignore[attr-defined]

    def test_a_party_cannot_be_removed_while_another_transaction_links_it(self) -> None:
        uow = self._seeded(company("a"), company("b"))
        other = self.second_uow(uow)
        with uow, other:
            uow.links.add(Link.parent_of("a", "b"))
            other.parties.remove("b")
            uow.commit()
            _raises(ConflictError, other.commit)
        with uow:
            assert uow.parties.get("b").id == "b"

    def test_the_unit_of_work_is_usable_after_a_failed_commit(self) -> None:
        uow = self._seeded(company("p1"))
        other = self.second_uow(uow)
        with uow, other:
            uow.parties.save(attrs.evolve(uow.parties.get("p1"), name="Mine"))
            other.parties.save(attrs.evolve(other.parties.get("p1"), name="Theirs"))
            uow.commit()
            _raises(ConflictError, other.commit)
        with other:
            fresh = other.parties.get("p1")
            other.parties.save(attrs.evolve(fresh, name="Theirs, again"))
            other.parties.add(company("p2"))
            other.commit()
        with uow:
            assert [p.name for p in uow.parties.get_many(["p1", "p2"])] == [
                "Theirs, again",
                "Peeters BV",
            ]

    def test_events_recorded_before_an_exception_are_dropped(self) -> None:
        uow = self._seeded()

        def failing() -> None:
            with uow:
                uow.record("lost")
                raise RuntimeError("boom")

        _raises(RuntimeError, failing)
        with uow:
            uow.commit()
        assert list(uow.events) == []


class InjectedFault(Exception):
    """The failure a :class:`FaultyUnitOfWork` raises on purpose."""


class FaultyUnitOfWork:
    """Wraps a unit of work and fails on the ``fail_on``-th write (1-based) of a transaction.

    Used to prove that code built on clientcore writes all or nothing: after the fault,
    the wrapped store must be exactly as before.
    """

    def __init__(self, inner: Any, fail_on: int) -> None:
        self.inner = inner
        self.fail_on = fail_on
        self.writes = 0
        self.parties = _FaultyParties(self)
        self.links = inner.links

    def _write(self) -> None:
        self.writes += 1
        if self.writes == self.fail_on:
            raise InjectedFault(f"injected fault on write {self.writes}")

    def __enter__(self) -> FaultyUnitOfWork:
        self.writes = 0
        self.inner.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.inner.__exit__(*exc)

    def commit(self) -> None:
        self._write()
        self.inner.commit()

    def rollback(self) -> None:
        self.inner.rollback()

    def record(self, *events: Any) -> None:
        self.inner.record(*events)

    @property
    def events(self) -> Any:
        return self.inner.events


class _FaultyParties:
    def __init__(self, uow: FaultyUnitOfWork) -> None:
        self._uow = uow
        self._inner = uow.inner.parties

    def add(self, party: Party) -> Party:
        self._uow._write()
        return self._inner.add(party)  # type: ignore[no-any-return]

    def save(self, party: Party) -> Party:
        self._uow._write()
        return self._inner.save(party)  # type: ignore[no-any-return]

    def remove(self, party_id: str) -> None:
        self._uow._write()
        self._inner.remove(party_id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def expect_error(kind: type[ClientCoreError], action: Callable[[], object]) -> ClientCoreError:
    """Run ``action`` and return the clientcore error of type ``kind`` it raised."""
    err = _raises(kind, action)
    assert isinstance(err, kind)
    return err


__all__ = [
    "FaultyUnitOfWork",
    "InjectedFault",
    "UnitOfWorkContract",
    "company",
    "expect_error",
]
