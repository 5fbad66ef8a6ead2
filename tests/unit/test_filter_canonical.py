from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from clientcore import Party
from clientcore.query import And, F, Filter, Or
from tests.strategies import filters, parties

TODAY = dt.date(2026, 1, 1)


@settings(max_examples=200, deadline=None)
@given(filters())
def test_canonical_is_idempotent(flt: Filter) -> None:
    once = flt.canonical()
    assert once == once.canonical()


@settings(max_examples=150, deadline=None)
@given(filters(), st.lists(parties(), min_size=1, max_size=5))
def test_canonical_never_changes_what_matches(flt: Filter, sample: list[Party]) -> None:
    canon = flt.canonical()
    for p in sample:
        assert flt.matches(p, today=TODAY) == canon.matches(p, today=TODAY)


@settings(max_examples=150, deadline=None)
@given(st.lists(filters(), min_size=1, max_size=4), st.randoms())
def test_permuted_and_or_give_the_same_fingerprint(children: list[Filter], rnd: object) -> None:
    shuffled = list(children)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert And(tuple(children)).fingerprint() == And(tuple(shuffled)).fingerprint()
    assert Or(tuple(children)).fingerprint() == Or(tuple(shuffled)).fingerprint()


def test_nesting_duplicates_and_double_negation_do_not_change_the_fingerprint() -> None:
    a = F("x").eq(1) & (F("y").eq(2) & F("x").eq(1))
    b = ~~F("y").eq(2) & F("x").eq(1)
    assert a.fingerprint() == b.fingerprint()
    assert F("x").in_(["b", "a", "b"]).fingerprint() == F("x").in_(["a", "b"]).fingerprint()
    assert a.fingerprint() != (F("x").eq(1) | F("y").eq(2)).fingerprint()


def test_all_inside_and_and_nothing_inside_or_disappear() -> None:
    f = F("x").eq(1)
    assert f == (f & Filter.all()).canonical()
    assert f == (f | Filter.nothing()).canonical()
    assert Filter.nothing() == (f & Filter.nothing()).canonical()
