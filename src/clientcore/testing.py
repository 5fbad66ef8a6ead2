"""Tools for testing code that uses clientcore, and the contract suites for storage.

One suite per port of :mod:`clientcore.ports`: :class:`PartyRepositoryContract`,
:class:`LinkRepositoryContract`, :class:`AuditEventContract` and
:class:`TransactionContract` over a unit of work (:class:`UnitOfWorkContract` runs
the four), :class:`SavedFilterRepositoryContract` and :class:`LayoutRepositoryContract`.
A host subclasses one in a test module (name the subclass ``Test...``) and implements
its factory methods (``make_uow`` and ``second_uow``, or ``make_repository``). The
suites need only pytest's plain ``assert``; they import no test framework themselves.

>>> from clientcore import InMemoryUnitOfWork
>>> class TestMemory(UnitOfWorkContract):
...     def make_uow(self): return InMemoryUnitOfWork()
...     def second_uow(self, first): return InMemoryUnitOfWork(first.store)
>>> TestMemory().run_all()  # what pytest would do, test by test
41
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from clientcore._errors import (
    ClientCoreError,
    ConflictError,
    FilterError,
    NotFound,
    ValidationError,
)
from clientcore.model import Link, LinkKind, Party, PartyKind
from clientcore.ports import AuditEvent, LayoutRepository, SavedFilterRepository, UnitOfWork
from clientcore.query import F, Filter, SavedFilter, Today


def _raises(kind: type[BaseException], action: Callable[[], object]) -> BaseException:
    try:
        action()
    except kind as exc:
        return exc
    raise AssertionError(f"expected {kind.__name__}")


def company(party_id: str, name: str = "Peeters BV", **fields: Any) -> Party:
    """A client company for tests."""
    return Party(id=party_id, kind=PartyKind.CLIENT_COMPANY, name=name, **fields)


@attrs.frozen
class NoteRecorded:
    """A minimal audit event for contract tests: any store must keep it as given."""

    party_id: str
    actor: str
    at: dt.datetime
    note: str = ""


def note(text: str, party_id: str = "p1") -> NoteRecorded:
    """A :class:`NoteRecorded` event by ``ann`` at a fixed moment."""
    return NoteRecorded(party_id, "ann", dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC), text)


def _ids(parties: Iterable[Party]) -> list[str]:
    return [p.id for p in parties]


#: Parties chosen so that every filter of :data:`CONTRACT_FILTERS` tells them apart:
#: accents, blanks (missing, empty, whitespace), labels, tasks, dates, identifiers.
def contract_parties() -> list[Party]:
    """The parties the filter tests of :class:`PartyRepositoryContract` store."""
    return [
        company(
            "c1",
            "Bakkerij Peeters BV",
            legal_form="BV",
            labels={"VIP", "audit"},
            vat_liable=True,
            portfolio="Gent",
            address={"city": "Gent", "country": "BE", "postal_code": "9000"},
            client_since=dt.date(2019, 3, 1),
            email="info@peeters.be",
            tasks=[{"code": "vat", "period": "quarter"}, {"code": "closing", "active": False}],
        ),
        company(
            "c2",
            "Café Élan NV",
            legal_form="NV",
            labels={"élan"},
            vat_liable=False,
            portfolio="Brussel",
            address={"city": "Bruxelles", "country": "BE"},
            client_since=dt.date(2025, 12, 1),
            email="not an address",
            tasks=[{"code": "closing"}],
        ),
        company("c3", "Janssens", legal_form="  ", portfolio="", labels=set()),
        Party(
            id="r1",
            kind=PartyKind.RELATION_COMPANY,
            name="KBC Bank",
            labels={"bank"},
            address={"city": "Leuven", "country": "BE"},
        ),
        Party(
            id="n1",
            kind=PartyKind.CLIENT_PERSON,
            name="Anaïs Dubois",
            first_name="Anaïs",
            language="fr",
            eid={"valid_until": dt.date(2025, 6, 30)},
            client_since=dt.date(2026, 1, 1),
        ),
    ]


def contract_filters() -> list[Filter]:
    """Filters over :func:`contract_parties`: one or more per operator, blanks, nesting."""
    return [
        Filter.all(),
        F("name").contains("elan"),
        F("name").starts_with("BAK"),
        F("name").ends_with("bv"),
        F("legal_form") == "bv",
        F("legal_form") != "BV",
        F("legal_form").is_in({"BV", "NV"}),
        F("legal_form").not_in({"BV"}),
        F("legal_form").blank(),
        F("legal_form").not_blank(),
        F("portfolio").not_contains("gen"),
        F("labels").has("vip"),
        F("labels").has_any({"ELAN", "bank"}),
        F("labels").has_all({"vip", "audit"}),
        F("labels").blank(),
        F("vat_liable") == True,  # noqa: E712  (a filter, not a comparison)
        F("vat_liable") != True,  # noqa: E712
        F("client_since") >= dt.date(2025, 1, 1),
        F("client_since").between(dt.date(2019, 1, 1), dt.date(2025, 12, 1)),
        F("client_since") > Today(days=-60),
        F("eid.valid_until") < Today(),
        F("address.city").is_in({"gent", "leuven"}),
        F("kind") == "client_company",
        F("status").not_in({"client"}),
        F("tasks").any((F("code") == "vat") & (F("active") == True)),  # noqa: E712
        ~F("tasks").any(F("code") == "closing"),
        F("tasks").blank(),
        F("email").valid(),
        F("email").invalid(),
        ~(F("legal_form") == "BV"),
        (F("legal_form") == "NV") | F("labels").has("bank"),
        ~((F("name").contains("a")) & ~F("labels").blank()),
    ]


#: The ``today`` the filter tests of the contract evaluate relative dates against.
CONTRACT_TODAY = dt.date(2026, 1, 15)


class _StoreContract:
    """What every contract suite over a unit of work needs: two ways to open one."""

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


class PartyRepositoryContract(_StoreContract):
    """What every :class:`~clientcore.ports.PartyRepository` must do: add, save with
    versions, get, remove, and ``find`` / ``count`` selecting exactly what the Python
    back end selects."""

    def test_added_party_is_visible_after_commit_with_version_one(self) -> None:
        uow = self._seeded(company("p1"))
        with uow:
            stored = uow.parties.get("p1")
        assert stored.version == 1
        assert stored.name == "Peeters BV"

    def test_a_stored_party_reads_back_equal_field_for_field(self) -> None:
        originals = contract_parties()
        uow = self._seeded(*originals)
        with uow:
            stored = uow.parties.get_many([p.id for p in originals])
        assert [attrs.evolve(p, version=1) for p in originals] == stored

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
        assert err.issues[0].code == "conflict.stale_version"  # type: ignore[attr-defined]

    def test_adding_an_existing_id_raises_conflict(self) -> None:
        uow = self._seeded(company("p1"))
        with uow:
            err = _raises(ConflictError, lambda: uow.parties.add(company("p1")))
        assert err.issues[0].code == "conflict.duplicate_id"  # type: ignore[attr-defined]

    def test_get_of_an_unknown_id_raises_not_found(self) -> None:
        uow = self._seeded()
        with uow:
            err = _raises(NotFound, lambda: uow.parties.get("nope"))
        assert "nope" in str(err)
        assert ("party", "nope") == (err.what, err.id)  # type: ignore[attr-defined]

    def test_get_many_keeps_the_order_asked(self) -> None:
        uow = self._seeded(company("p1"), company("p2"), company("p3"))
        with uow:
            assert [p.id for p in uow.parties.get_many(["p3", "p1"])] == ["p3", "p1"]

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

    def test_removed_party_is_gone_after_commit(self) -> None:
        uow = self._seeded(company("p1"))
        with uow:
            uow.parties.remove("p1")
            uow.commit()
        with uow:
            _raises(NotFound, lambda: uow.parties.get("p1"))
            _raises(NotFound, lambda: uow.parties.remove("p1"))

    def test_list_returns_every_party(self) -> None:
        uow = self._seeded(company("p2"), company("p1"))
        with uow:
            uow.parties.add(company("p3"))
            assert ["p1", "p2", "p3"] == sorted(_ids(uow.parties.list()))

    def test_find_selects_exactly_what_the_python_back_end_selects(self) -> None:
        uow = self._seeded(*contract_parties())
        with uow:
            stored = sorted(uow.parties.list(), key=lambda p: p.id)
            for flt in contract_filters():
                expected = [p.id for p in stored if flt.matches(p, today=CONTRACT_TODAY)]
                found = sorted(_ids(uow.parties.find(flt, today=CONTRACT_TODAY)))
                assert expected == found, flt.to_json()
                assert len(expected) == uow.parties.count(flt, today=CONTRACT_TODAY)

    def test_find_sees_this_transactions_own_writes(self) -> None:
        uow = self._seeded(company("p1", legal_form="BV"), company("p2", legal_form="BV"))
        with uow:
            uow.parties.save(attrs.evolve(uow.parties.get("p1"), legal_form="NV"))
            uow.parties.add(company("p3", legal_form="BV"))
            uow.parties.remove("p2")
            assert ["p3"] == _ids(uow.parties.find(F("legal_form") == "BV"))
            assert 1 == uow.parties.count(F("legal_form") == "NV")

    def test_find_orders_pages_and_puts_blanks_last(self) -> None:
        uow = self._seeded(
            company("a", "Zeeman", portfolio="Gent"),
            company("b", "Ávila", portfolio="Antwerpen"),
            company("c", "Maes"),
            company("d", "baert", portfolio="Gent"),
        )
        everyone = Filter.all()
        with uow:
            find = uow.parties.find
            assert ["b", "d", "c", "a"] == _ids(find(everyone, order_by=["name"]))
            assert ["a", "c", "d", "b"] == _ids(find(everyone, order_by=["-name"]))
            assert ["b", "d", "a", "c"] == _ids(find(everyone, order_by=["portfolio", "name"]))
            assert ["a", "d", "b", "c"] == _ids(find(everyone, order_by=["-portfolio", "-name"]))
            assert ["d", "c"] == _ids(find(everyone, order_by=["name"], limit=2, offset=1))
            assert ["a", "b", "c", "d"] == sorted(_ids(find(everyone)))
            assert ["a", "b"] == _ids(find(everyone, limit=2))
            assert [] == find(everyone, offset=4)

    def test_find_refuses_an_unknown_order_and_a_negative_page(self) -> None:
        uow = self._seeded(company("p1"))
        with uow:
            err = _raises(ValidationError, lambda: uow.parties.find(Filter.all(), order_by=["x"]))
            assert err.issues[0].code == "store.order_by.unknown"  # type: ignore[attr-defined]
            err = _raises(ValidationError, lambda: uow.parties.find(Filter.all(), limit=-1))
            assert err.issues[0].code == "store.page.negative"  # type: ignore[attr-defined]

    def test_find_refuses_a_relative_date_without_today(self) -> None:
        uow = self._seeded(company("p1"))
        with uow:
            _raises(FilterError, lambda: uow.parties.find(F("client_since") < Today()))

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


class LinkRepositoryContract(_StoreContract):
    """What every :class:`~clientcore.ports.LinkRepository` must do."""

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

    def test_a_link_reads_back_equal_and_is_listed_for_both_parties(self) -> None:
        uow = self._seeded(company("a"), company("b"), company("c"))
        link = Link.parent_of("a", "b")
        with uow:
            uow.links.add(link)
            uow.commit()
        with uow:
            assert link == uow.links.get(link.id)
            assert [link] == uow.links.list()
            assert [link] == uow.links.for_party("a") == uow.links.for_party("b")
            assert [] == uow.links.for_party("c")

    def test_a_duplicate_link_id_raises_conflict(self) -> None:
        uow = self._seeded(company("a"), company("b"), company("c"))
        link = Link.parent_of("a", "b")
        with uow:
            uow.links.add(link)
            err = _raises(ConflictError, lambda: uow.links.add(attrs.evolve(link, to_id="c")))
        assert err.issues[0].code == "conflict.duplicate_link_id"  # type: ignore[attr-defined]

    def test_a_link_to_an_unknown_party_raises_not_found(self) -> None:
        uow = self._seeded(company("a"))
        with uow:
            err = _raises(NotFound, lambda: uow.links.add(Link.parent_of("a", "ghost")))
        assert err.id == "ghost"  # type: ignore[attr-defined]

    def test_get_and_remove_of_an_unknown_link_raise_not_found(self) -> None:
        uow = self._seeded()
        with uow:
            err = _raises(NotFound, lambda: uow.links.get("nope"))
            assert ("link", "nope") == (err.what, err.id)  # type: ignore[attr-defined]
            _raises(NotFound, lambda: uow.links.remove("nope"))

    def test_a_removed_link_is_gone_after_commit(self) -> None:
        uow = self._seeded(company("a"), company("b"))
        with uow:
            link = uow.links.add(Link.parent_of("a", "b"))
            uow.commit()
        with uow:
            uow.links.remove(link.id)
            uow.commit()
        with uow:
            assert [] == uow.links.list()
            _raises(NotFound, lambda: uow.links.get(link.id))

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

    def test_a_party_cannot_be_removed_while_another_transaction_links_it(self) -> None:
        uow = self._seeded(company("a"), company("b"))
        other = self.second_uow(uow)
        with uow, other:
            uow.links.add(Link.parent_of("a", "b"))
            other.parties.remove("b")
            uow.commit()
            err = _raises(ConflictError, other.commit)
        assert err.issues[0].code == "conflict.party_has_links"  # type: ignore[attr-defined]
        with uow:
            assert uow.parties.get("b").id == "b"

    def test_a_link_to_a_party_removed_meanwhile_is_refused_at_commit(self) -> None:
        uow = self._seeded(company("a"), company("b"))
        other = self.second_uow(uow)
        with uow, other:
            other.links.add(Link.parent_of("a", "b"))
            uow.parties.remove("b")
            uow.commit()
            err = _raises(ConflictError, other.commit)
        assert err.issues[0].code == "conflict.link_party_gone"  # type: ignore[attr-defined]
        with uow:
            assert [] == uow.links.list()


class AuditEventContract(_StoreContract):
    """What every unit of work must do with audit events."""

    def test_events_are_kept_only_when_the_transaction_commits(self) -> None:
        uow = self._seeded()
        with uow:
            uow.record(note("dropped"))
        with uow:
            uow.record(note("kept"), note("kept too", "p2"))
            uow.commit()
        assert [note("kept"), note("kept too", "p2")] == list(uow.events)

    def test_events_recorded_before_an_exception_are_dropped(self) -> None:
        uow = self._seeded()

        def failing() -> None:
            with uow:
                uow.record(note("lost"))
                raise RuntimeError("boom")

        _raises(RuntimeError, failing)
        with uow:
            uow.commit()
        assert list(uow.events) == []

    def test_events_of_a_failed_commit_are_dropped(self) -> None:
        uow = self._seeded(company("p1"))
        other = self.second_uow(uow)
        with uow, other:
            uow.parties.save(attrs.evolve(uow.parties.get("p1"), name="Mine"))
            other.parties.save(attrs.evolve(other.parties.get("p1"), name="Theirs"))
            other.record(note("theirs"))
            uow.commit()
            _raises(ConflictError, other.commit)
            other.commit()
        assert [] == list(other.events)

    def test_every_recorded_event_is_an_audit_event(self) -> None:
        uow = self._seeded()
        with uow:
            uow.record(note("kept"))
            uow.commit()
        assert all(isinstance(e, AuditEvent) for e in uow.events)


class TransactionContract(_StoreContract):
    """What every :class:`~clientcore.ports.UnitOfWork` must do as a transaction."""

    def test_reading_outside_a_with_block_is_refused(self) -> None:
        uow = self._seeded()
        err = _raises(ClientCoreError, uow.parties.list)
        assert err.issues[0].code == "uow.not_open"  # type: ignore[attr-defined]

    def test_a_nested_with_block_is_refused(self) -> None:
        uow = self._seeded()
        with uow:
            err = _raises(ClientCoreError, uow.__enter__)
        assert err.issues[0].code == "uow.already_open"  # type: ignore[attr-defined]

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

    def test_rollback_drops_every_write_so_far(self) -> None:
        uow = self._seeded(company("p1"))
        with uow:
            uow.parties.save(attrs.evolve(uow.parties.get("p1"), name="Changed"))
            uow.parties.add(company("p2"))
            uow.rollback()
            assert ["Peeters BV"] == [p.name for p in uow.parties.list()]
            uow.commit()
        with uow:
            assert ["p1"] == _ids(uow.parties.list())

    def test_a_transaction_reads_its_own_writes(self) -> None:
        uow = self._seeded(company("p1"))
        with uow:
            p = uow.parties.get("p1")
            uow.parties.save(attrs.evolve(p, name="Janssens NV"))
            assert uow.parties.get("p1").name == "Janssens NV"
            assert [x.name for x in uow.parties.list()] == ["Janssens NV"]

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

    def test_a_read_while_another_unit_of_work_commits_sees_one_state(self) -> None:
        uow = self._seeded(*(company(f"p{i:03}") for i in range(50)))
        other = self.second_uow(uow)
        with uow, other:
            uow.parties.add(company("mine"))  # a read that merges its own writes
            for i in range(50):
                other.parties.add(company(f"q{i:03}"))
            before = len(uow.parties.list())
            other.commit()
            after = len(uow.parties.find(Filter.all()))
        assert (51, 101) == (before, after)


class UnitOfWorkContract(
    PartyRepositoryContract, LinkRepositoryContract, AuditEventContract, TransactionContract
):
    """Every contract over a unit of work at once: parties, links, events, transactions.

    Subclass it (name the subclass ``Test...``) and implement :meth:`make_uow` and
    :meth:`second_uow`; pytest collects every ``test_*`` method.
    """


class SavedFilterRepositoryContract:
    """What every :class:`~clientcore.ports.SavedFilterRepository` must do.

    Subclass it and implement :meth:`make_repository` (a new, empty one).
    """

    def make_repository(self) -> SavedFilterRepository:
        """A new, empty repository."""
        raise NotImplementedError

    def run_all(self) -> int:
        """Run every contract test here, without pytest; returns how many ran."""
        names = sorted(n for n in dir(self) if n.startswith("test_"))
        for name in names:
            getattr(self, name)()
        return len(names)

    @staticmethod
    def saved(filter_id: str, name: str = "VIP", owner: str = "ann") -> SavedFilter:
        """A saved filter for these tests."""
        at = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
        return SavedFilter(
            id=filter_id,
            name=name,
            icon="star",
            owner=owner,
            shared=True,
            filter=F("labels").has("vip") & (F("client_since") > Today(days=-30)),
            created_at=at,
            updated_at=at,
        )

    def test_an_added_filter_reads_back_equal(self) -> None:
        repo = self.make_repository()
        item = self.saved("f1")
        repo.add(item)
        assert item == repo.get("f1")

    def test_list_keeps_the_order_of_adding(self) -> None:
        repo = self.make_repository()
        for fid in ("f2", "f1", "f3"):
            repo.add(self.saved(fid, name=fid))
        assert ["f2", "f1", "f3"] == [s.id for s in repo.list()]

    def test_adding_an_existing_id_raises_conflict(self) -> None:
        repo = self.make_repository()
        repo.add(self.saved("f1"))
        err = _raises(ConflictError, lambda: repo.add(self.saved("f1", name="Other")))
        assert err.issues[0].code == "saved_filter.duplicate_id"  # type: ignore[attr-defined]

    def test_save_replaces_and_delete_removes(self) -> None:
        repo = self.make_repository()
        repo.add(self.saved("f1"))
        changed = attrs.evolve(self.saved("f1"), name="Renamed", shared=False)
        repo.save(changed)
        assert changed == repo.get("f1")
        repo.delete("f1")
        assert [] == repo.list()

    def test_an_unknown_id_raises_not_found(self) -> None:
        repo = self.make_repository()
        for action in (
            lambda: repo.get("nope"),
            lambda: repo.save(self.saved("nope")),
            lambda: repo.delete("nope"),
        ):
            err = _raises(NotFound, action)
            assert ("saved filter", "nope") == (err.what, err.id)  # type: ignore[attr-defined]


class LayoutRepositoryContract:
    """What every :class:`~clientcore.ports.LayoutRepository` must do.

    Subclass it and implement :meth:`make_repository` (a new, empty one).
    """

    def make_repository(self) -> LayoutRepository:
        """A new, empty repository."""
        raise NotImplementedError

    def run_all(self) -> int:
        """Run every contract test here, without pytest; returns how many ran."""
        names = sorted(n for n in dir(self) if n.startswith("test_"))
        for name in names:
            getattr(self, name)()
        return len(names)

    layout: Mapping[str, Any] = {
        "clientcore_layout": 1,
        "columns": ["name", "status", "address.city"],
        "collapsed": ["aml"],
    }

    def test_a_user_without_a_layout_gets_none(self) -> None:
        assert self.make_repository().get("ann") is None

    def test_put_then_get_returns_an_equal_layout(self) -> None:
        repo = self.make_repository()
        repo.put("ann", self.layout)
        assert dict(self.layout) == dict(repo.get("ann") or {})
        assert repo.get("bob") is None

    def test_a_later_put_replaces_the_layout(self) -> None:
        repo = self.make_repository()
        repo.put("ann", self.layout)
        repo.put("ann", {**self.layout, "columns": ["name"]})
        assert ["name"] == list((repo.get("ann") or {})["columns"])

    def test_delete_forgets_and_deleting_nothing_is_no_error(self) -> None:
        repo = self.make_repository()
        repo.put("ann", self.layout)
        repo.delete("ann")
        repo.delete("ann")
        assert repo.get("ann") is None


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
    "CONTRACT_TODAY",
    "AuditEventContract",
    "FaultyUnitOfWork",
    "InjectedFault",
    "LayoutRepositoryContract",
    "LinkRepositoryContract",
    "NoteRecorded",
    "PartyRepositoryContract",
    "SavedFilterRepositoryContract",
    "TransactionContract",
    "UnitOfWorkContract",
    "company",
    "contract_filters",
    "contract_parties",
    "expect_error",
    "note",
]
