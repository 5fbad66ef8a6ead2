from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientcore import Party
from clientcore.query import (
    OPERATORS,
    And,
    Cond,
    DuplicateFilter,
    F,
    Filter,
    FilterBook,
    InMemorySavedFilterRepository,
    Not,
    Or,
    reference_predicate,
    walk,
)
from tests.strategies import filters, parties, sql_filters

TODAY = dt.date(2026, 1, 1)
NOW = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


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


# --- canonical form by meaning ---

_NFD_CAFE = unicodedata.normalize("NFD", "Café")
_RECORD_TEXTS = st.sampled_from(["Café", _NFD_CAFE, "CAFE", "cafe", "", "  ", "Gent", "BV", "é"])
_RECORDS = st.fixed_dictionaries(
    {},
    optional={
        "name": _RECORD_TEXTS | st.none(),
        "legal_form": _RECORD_TEXTS,
        "address.city": _RECORD_TEXTS,
        "portfolio": _RECORD_TEXTS,
        "language": st.sampled_from(["nl", "NL", "fr", ""]),
        "status": st.sampled_from(["client", "prospect", "Client"]),
        "labels": st.lists(st.sampled_from(["vip", "VIP", "É", "é", "audit", "Café"]), max_size=3),
        "version": st.integers(-2, 3) | st.floats(-2, 3, allow_nan=False) | st.none(),
        "vat_liable": st.booleans() | st.none(),
        "client_since": st.dates(dt.date(2024, 1, 1), dt.date(2027, 1, 1)) | st.none(),
    },
)


@settings(max_examples=300, deadline=None)
@given(sql_filters(), st.lists(parties(), min_size=1, max_size=3), st.lists(_RECORDS, max_size=4))
def test_canonical_form_keeps_the_reference_meaning(
    flt: Filter, sample: list[Party], rows: list[dict[str, object]]
) -> None:
    # blanks, NFC/NFD spellings and case on parties and flat rows alike
    canon = flt.canonical()
    before, after = reference_predicate(flt, TODAY), reference_predicate(canon, TODAY)
    for record in [*sample, *rows]:
        assert before(record) == after(record)
    assert canon == canon.canonical()


@settings(max_examples=200, deadline=None)
@given(sql_filters())
def test_canonical_form_has_no_negation_above_a_complemented_condition(flt: Filter) -> None:
    for node in walk(flt.canonical()):
        if isinstance(node, Not):
            child = node.child
            assert isinstance(child, Cond), node
            assert OPERATORS[child.op].complement is None
        if isinstance(node, Cond):
            row = OPERATORS[node.op]
            assert row.bounds is None
            assert not (row.single is not None and len(node.value) == 1)


EQUIVALENT_PAIRS = [
    (~F("name").eq("x"), F("name").ne("x")),
    (~F("legal_form").in_(["NV", "BV"]), F("legal_form").not_in(["BV", "NV"])),
    (~F("email").blank(), F("email").not_blank()),
    (F("legal_form").in_(["BV"]), F("legal_form").eq("BV")),
    (F("labels").has_any(["vip"]), F("labels").has("vip")),
    (F("version").between(1, 5), F("version").ge(1) & F("version").le(5)),
    (~(F("name").eq("a") & F("version").gt(2)), F("name").ne("a") | ~F("version").gt(2)),
    (~(F("name").eq("a") | F("email").blank()), F("name").ne("a") & F("email").not_blank()),
    (F("name").eq("Café"), F("name").eq("cafe")),
    (F("name").eq("Café"), F("name").eq(_NFD_CAFE)),
    (
        ~F("client_since").between(dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        ~F("client_since").ge(dt.date(2025, 1, 1)) | ~F("client_since").le(dt.date(2025, 12, 31)),
    ),
]


@pytest.mark.parametrize(("first", "second"), EQUIVALENT_PAIRS)
def test_each_equivalent_pair_gets_one_fingerprint(first: Filter, second: Filter) -> None:
    assert first.fingerprint() == second.fingerprint()
    book = FilterBook(InMemorySavedFilterRepository(), clock=lambda: NOW)
    saved = book.save("ann", "first", "filter", first)
    assert book.is_saved("ann", second) == saved
    with pytest.raises(DuplicateFilter):
        book.save("ann", "second", "filter", second)


def test_different_meanings_keep_different_fingerprints() -> None:
    # a switch changes the match, so it keeps its spelling
    assert (
        F("name").eq("Café").fingerprint()
        != F("name").eq("cafe", accent_sensitive=True).fingerprint()
    )
    assert F("name").eq("Café", case_sensitive=True, accent_sensitive=True).fingerprint() != (
        F("name").eq(_NFD_CAFE, case_sensitive=True, accent_sensitive=True).fingerprint()
    )
    assert (~F("version").lt(3)).fingerprint() != F("version").ge(3).fingerprint()  # blanks
    assert F("labels").has_all(["vip", "nbb"]).fingerprint() != F("labels").has("vip").fingerprint()
