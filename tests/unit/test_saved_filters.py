from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientcore import (
    Actor,
    ConflictError,
    FilterError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from clientcore._messages import templates
from clientcore.model import default_schema
from clientcore.ports import SavedFilterRepository
from clientcore.query import F, Filter
from clientcore.query._saved import (
    DuplicateFilter,
    DuplicateFilterName,
    FilterBook,
    InMemorySavedFilterRepository,
    SavedFilter,
)
from tests.strategies import filters

START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "search-and-saved-filters.md"

VAT = F("vat_liable").eq(True)
NV_BV = F("legal_form").in_(["NV", "BV"]) & F("status").eq("client")
BV_NV = F("status").eq("client") & F("legal_form").in_(["BV", "NV"])  # same meaning
GENT = F("address.city").eq("Gent")


class Clock:
    """A clock that moves one minute each time it is read."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(minutes=1)
        return self.now


class Ids:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return f"sf{self.count}"


def new_book(**kwargs: Any) -> FilterBook:
    return FilterBook(InMemorySavedFilterRepository(), Clock(), new_id=Ids(), **kwargs)


@pytest.fixture
def book() -> FilterBook:
    return new_book()


def assert_three_languages(code: str) -> None:
    found = templates(code)
    assert found is not None
    assert 3 == len(set(found))


# --- saving ---


def test_a_saved_filter_keeps_name_icon_owner_sharing_filter_and_clock_time(
    book: FilterBook,
) -> None:
    saved = book.save("ann", "  VAT clients ", "receipt", VAT, shared=True)
    expected = SavedFilter(
        "sf1",
        "VAT clients",
        "receipt",
        "ann",
        True,
        VAT,
        START + dt.timedelta(minutes=1),
        START + dt.timedelta(minutes=1),
    )
    assert expected == saved


def test_an_actor_saves_under_its_id(book: FilterBook) -> None:
    assert "ann" == book.save(Actor("ann", {"staff"}), "VAT", "star", VAT).owner


def test_saving_a_filter_the_user_already_saved_is_refused_naming_it(book: FilterBook) -> None:
    first = book.save("ann", "NV and BV clients", "star", NV_BV)
    with pytest.raises(DuplicateFilter) as err:
        book.save("ann", "Companies", "star", BV_NV)
    assert (first, "saved_filter.duplicate") == (err.value.existing, err.value.issues[0].code)
    assert "Deze filter is al bewaard als 'NV and BV clients'." == err.value.issues[0].message("nl")
    assert isinstance(err.value, ConflictError)
    assert_three_languages("saved_filter.duplicate")


def test_saving_a_filter_a_colleague_shares_is_refused_naming_theirs(book: FilterBook) -> None:
    shared = book.save("ann", "VAT clients", "star", VAT, shared=True)
    with pytest.raises(DuplicateFilter) as err:
        book.save("bob", "My VAT list", "star", VAT)
    assert shared == err.value.existing


def test_a_colleagues_private_filter_neither_blocks_nor_shows(book: FilterBook) -> None:
    book.save("ann", "Ann's VAT", "star", VAT)
    mine = book.save("bob", "Bob's VAT", "star", VAT)
    assert ([mine], None) == (book.visible_to("bob"), book.is_saved("cas", VAT))


def test_a_name_the_user_already_uses_is_refused_ignoring_case_and_accents(
    book: FilterBook,
) -> None:
    first = book.save("ann", "Clients à Gand", "star", GENT)
    with pytest.raises(DuplicateFilterName) as err:
        book.save("ann", "CLIENTS A  GAND", "star", VAT)
    assert (first, "saved_filter.name.taken") == (err.value.existing, err.value.issues[0].code)
    assert isinstance(err.value, ConflictError)
    assert_three_languages("saved_filter.name.taken")


def test_two_users_may_use_the_same_name(book: FilterBook) -> None:
    book.save("ann", "Mine", "star", VAT)
    assert "Mine" == book.save("bob", "Mine", "star", GENT).name


@pytest.mark.parametrize(
    ("name", "icon", "flt", "codes"),
    [
        ("   ", "star", VAT, ["saved_filter.name.blank"]),
        ("x" * 101, "star", VAT, ["saved_filter.name.too_long"]),
        ("ok", "", VAT, ["saved_filter.icon.invalid"]),
        ("ok", "star", {"path": "name"}, ["saved_filter.filter.invalid"]),
        (
            "",
            "",
            None,
            ["saved_filter.name.blank", "saved_filter.icon.invalid", "saved_filter.filter.invalid"],
        ),
    ],
)
def test_a_blank_name_bad_icon_or_non_filter_is_refused_listing_every_fault(
    book: FilterBook, name: str, icon: str, flt: Any, codes: list[str]
) -> None:
    with pytest.raises(ValidationError) as err:
        book.save("ann", name, icon, flt)
    assert codes == [i.code for i in err.value.issues]
    for code in codes:
        assert_three_languages(code)


def test_a_blank_user_is_refused(book: FilterBook) -> None:
    with pytest.raises(ValidationError) as err:
        book.save(" ", "VAT", "star", VAT)
    assert ["saved_filter.owner.blank"] == [i.code for i in err.value.issues]


def test_with_a_schema_a_filter_on_an_unknown_field_is_refused() -> None:
    book = new_book(schema=default_schema())
    with pytest.raises(FilterError):
        book.save("ann", "Typo", "star", F("adress.city").eq("Gent"))
    assert [] == book.visible_to("ann")


# --- seeing ---


def test_is_saved_finds_the_visible_filter_meaning_the_same(book: FilterBook) -> None:
    saved = book.save("ann", "Companies", "star", NV_BV, shared=True)
    assert (saved, saved, None) == (
        book.is_saved("ann", BV_NV),
        book.is_saved("bob", NV_BV),
        book.is_saved("bob", GENT),
    )


def test_a_user_sees_their_own_and_the_shared_filters_sorted_by_name(book: FilterBook) -> None:
    book.save("ann", "zeta", "star", VAT)
    book.save("bob", "Gent", "pin", GENT, shared=True)
    book.save("bob", "Private", "lock", NV_BV)
    book.save("ann", "Alpha", "star", F("language").eq("fr"))
    assert (["Alpha", "Gent", "zeta"], ["Gent", "Private"]) == (
        [s.name for s in book.visible_to("ann")],
        [s.name for s in book.visible_to("bob")],
    )


def test_a_shared_filter_equal_to_ones_own_is_listed_once_as_ones_own(book: FilterBook) -> None:
    mine = book.save("bob", "My VAT", "star", VAT)
    book.save("ann", "VAT clients", "star", VAT, shared=True)
    assert ([mine], ["VAT clients"]) == (
        book.visible_to("bob"),
        [s.name for s in book.visible_to("cas")],
    )


def test_get_hides_a_colleagues_private_filter(book: FilterBook) -> None:
    private = book.save("ann", "Mine", "star", VAT)
    with pytest.raises(NotFound):
        book.get("bob", private.id)
    assert private == book.get("ann", private.id)


# --- owner-only changes ---


def test_the_owner_renames_and_the_update_time_moves_on(book: FilterBook) -> None:
    saved = book.save("ann", "VAT", "star", VAT, shared=True)
    renamed = book.rename("ann", saved.id, "VAT-liable clients")
    assert ("VAT-liable clients", saved.created_at, START + dt.timedelta(minutes=2)) == (
        renamed.name,
        renamed.created_at,
        renamed.updated_at,
    )
    assert renamed == book.get("bob", saved.id)


def test_the_owner_may_change_only_the_case_of_a_name(book: FilterBook) -> None:
    saved = book.save("ann", "vat", "star", VAT)
    assert "VAT" == book.rename("ann", saved.id, "VAT").name


def test_renaming_to_another_own_filters_name_is_refused(book: FilterBook) -> None:
    book.save("ann", "Gent", "pin", GENT)
    saved = book.save("ann", "VAT", "star", VAT)
    with pytest.raises(DuplicateFilterName):
        book.rename("ann", saved.id, "gent")


def test_the_owner_changes_icon_sharing_and_filter(book: FilterBook) -> None:
    saved = book.save("ann", "List", "star", VAT)
    book.change_icon("ann", saved.id, "flag")
    book.set_shared("ann", saved.id, True)
    changed = book.replace_filter("ann", saved.id, GENT)
    assert ("flag", True, GENT, GENT.fingerprint()) == (
        changed.icon,
        changed.shared,
        changed.filter,
        changed.fingerprint,
    )


def test_replacing_a_filter_by_one_already_saved_is_refused(book: FilterBook) -> None:
    gent = book.save("ann", "Gent", "pin", GENT)
    saved = book.save("ann", "VAT", "star", VAT)
    with pytest.raises(DuplicateFilter) as err:
        book.replace_filter("ann", saved.id, GENT)
    assert gent == err.value.existing


def test_replacing_a_filter_by_an_equivalent_of_itself_is_allowed(book: FilterBook) -> None:
    saved = book.save("ann", "Companies", "star", NV_BV)
    assert BV_NV == book.replace_filter("ann", saved.id, BV_NV).filter


@pytest.mark.parametrize(
    "change",
    [
        lambda b, i: b.rename("bob", i, "Mine now"),
        lambda b, i: b.change_icon("bob", i, "skull"),
        lambda b, i: b.set_shared("bob", i, False),
        lambda b, i: b.replace_filter("bob", i, GENT),
        lambda b, i: b.delete("bob", i),
    ],
    ids=["rename", "change_icon", "set_shared", "replace_filter", "delete"],
)
def test_a_shared_filter_cannot_be_changed_or_deleted_by_a_colleague(
    book: FilterBook, change: Any
) -> None:
    saved = book.save("ann", "VAT clients", "star", VAT, shared=True)
    with pytest.raises(PermissionDenied) as err:
        change(book, saved.id)
    reason = err.value.reasons[0]
    assert ("saved_filter.not_owner", [saved]) == (reason.code, book.visible_to("bob"))
    assert (
        "Seul ann, qui a créé le filtre enregistré 'VAT clients', peut le modifier ou le supprimer."
        == reason.message("fr")
    )
    assert_three_languages("saved_filter.not_owner")


@pytest.mark.parametrize(
    "change",
    [
        lambda b, i: b.rename("bob", i, "x"),
        lambda b, i: b.change_icon("bob", i, "x"),
        lambda b, i: b.set_shared("bob", i, True),
        lambda b, i: b.replace_filter("bob", i, GENT),
        lambda b, i: b.delete("bob", i),
    ],
    ids=["rename", "change_icon", "set_shared", "replace_filter", "delete"],
)
def test_a_colleagues_private_filter_gets_the_answer_get_gives(
    book: FilterBook, change: Any
) -> None:
    saved = book.save("ann", "Private", "star", VAT)
    with pytest.raises(NotFound) as err:
        change(book, saved.id)
    with pytest.raises(NotFound) as got:
        book.get("bob", saved.id)
    assert str(got.value) == str(err.value)
    assert ("Private", "ann") == (book.get("ann", saved.id).name, saved.owner)
    assert "ann" not in str(err.value)
    assert "Private" not in str(err.value)


@pytest.mark.parametrize("spelling", ["Ann", " ann", "ANN\u200b", "\uff41nn"])
def test_the_owner_is_a_person_not_a_spelling(book: FilterBook, spelling: str) -> None:
    saved = book.save("ann", "Private", "star", VAT)
    assert [saved] == book.visible_to(spelling)
    assert "Renamed" == book.rename(spelling, saved.id, "Renamed").name


def test_changing_an_unknown_filter_raises_not_found(book: FilterBook) -> None:
    with pytest.raises(NotFound) as err:
        book.rename("ann", "nope", "x")
    assert ("saved filter", "nope") == (err.value.what, err.value.id)


def test_the_owner_deletes_a_shared_filter_for_everyone(book: FilterBook) -> None:
    saved = book.save("ann", "VAT", "star", VAT, shared=True)
    book.delete(Actor("ann"), saved.id)
    assert ([], [], None) == (
        book.visible_to("ann"),
        book.visible_to("bob"),
        book.is_saved("bob", VAT),
    )


# --- the repository port ---


def test_the_in_memory_repository_is_a_saved_filter_repository() -> None:
    assert isinstance(InMemorySavedFilterRepository(), SavedFilterRepository)


def test_the_in_memory_repository_refuses_an_existing_id_and_unknown_ids() -> None:
    repo = InMemorySavedFilterRepository()
    saved = SavedFilter("x", "VAT", "star", "ann", False, VAT, START, START)
    repo.add(saved)
    with pytest.raises(ConflictError) as err:
        repo.add(saved)
    assert "saved_filter.duplicate_id" == err.value.issues[0].code
    assert_three_languages("saved_filter.duplicate_id")
    for call in (
        lambda: repo.get("y"),
        lambda: repo.save(attrs.evolve(saved, id="y")),
        lambda: repo.delete("y"),
    ):
        with pytest.raises(NotFound):
            call()


# --- JSON ---

datetimes = st.datetimes(
    min_value=dt.datetime(2000, 1, 1),
    max_value=dt.datetime(2100, 1, 1),
    timezones=st.none()
    | st.sampled_from(
        [
            dt.UTC,
            dt.timezone(dt.timedelta(hours=1)),
            dt.timezone(-dt.timedelta(hours=5, minutes=30)),
        ]
    ),
)
saved_filters = st.builds(
    SavedFilter,
    id=st.text(alphabet="abcdef0123456789", min_size=1, max_size=12),
    name=st.text(min_size=1, max_size=100).filter(str.strip),
    icon=st.text(min_size=1, max_size=64).filter(str.strip),
    owner=st.text(min_size=1, max_size=20).filter(str.strip),
    shared=st.booleans(),
    filter=filters(),
    created_at=datetimes,
    updated_at=datetimes,
)


@settings(max_examples=150, deadline=None)
@given(saved_filters)
def test_a_saved_filter_survives_its_json(saved: SavedFilter) -> None:
    assert saved == SavedFilter.from_json(json.loads(json.dumps(saved.to_json())))


def stored(**changes: Any) -> dict[str, Any]:
    obj = SavedFilter("x", "VAT", "star", "ann", True, VAT, START, START).to_json()
    obj.update(changes)
    return {k: v for k, v in obj.items() if v is not ...}


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        ([], [("stored.not_object", "$")]),
        (stored(colour="red"), [("stored.unknown_key", "$.colour")]),
        (stored(clientcore_saved_filter=2), [("stored.version", "$.clientcore_saved_filter")]),
        (stored(name=...), [("stored.missing_key", "$.name")]),
        (stored(shared="yes"), [("stored.expected_bool", "$.shared")]),
        (
            stored(name=3, icon=None),
            [("stored.expected_text", "$.name"), ("stored.expected_text", "$.icon")],
        ),
        (stored(filter=[]), [("stored.expected_object", "$.filter")]),
        (stored(created_at="5 Jan 2026"), [("stored.invalid_datetime", "$.created_at")]),
        (stored(name="  "), [("saved_filter.name.blank", "$.name")]),
        (stored(owner=" "), [("saved_filter.owner.blank", "$.owner")]),
        (stored(id=""), [("saved_filter.id.blank", "$.id")]),
        (
            stored(filter={"clientcore_filter": 1, "where": {"and": [{"path": "a", "op": "??"}]}}),
            [("filter.unknown_operator", "$.filter.where.and[0].op")],
        ),
    ],
)
def test_strict_decoding_names_every_fault_with_its_json_path(
    obj: Any, expected: list[tuple[str, str]]
) -> None:
    with pytest.raises(ValidationError) as err:
        SavedFilter.from_json(obj)
    assert expected == [(i.code, i.path) for i in err.value.issues]
    for code, _ in expected:
        assert_three_languages(code)


def test_with_a_schema_decoding_checks_the_filters_fields() -> None:
    obj = stored(filter=F("adress.city").eq("Gent").to_json())
    with pytest.raises(ValidationError) as err:
        SavedFilter.from_json(obj, default_schema())
    assert ["$.filter.where.path"] == [i.path for i in err.value.issues]


def test_a_saved_filter_built_with_wrong_values_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        SavedFilter("", "", "", "", "yes", VAT, "today", START)  # type: ignore[arg-type]
    assert [
        "saved_filter.name.blank",
        "saved_filter.icon.invalid",
        "saved_filter.id.blank",
        "saved_filter.owner.blank",
        "stored.expected_bool",
        "stored.expected_datetime",
    ] == [i.code for i in err.value.issues]


# --- the rule that matters, under any sequence of saves ---

USERS = ["ann", "bob", "cas"]
CONTENTS = [VAT, NV_BV, BV_NV, GENT, ~~GENT, VAT & GENT, GENT & VAT, Filter.all()]
actions = st.lists(
    st.tuples(
        st.sampled_from(["save", "share", "unshare"]),
        st.sampled_from(USERS),
        st.sampled_from(["VAT", "Gent", "vat", "Other"]),
        st.sampled_from(CONTENTS),
        st.booleans(),
    ),
    max_size=25,
)


@settings(max_examples=200, deadline=None)
@given(actions)
def test_no_user_ever_sees_two_saved_filters_with_the_same_meaning(
    steps: list[tuple[str, str, str, Filter, bool]],
) -> None:
    book = new_book()
    for action, user, name, flt, shared in steps:
        if action == "save":
            visible = book.is_saved(user, flt)
            refused_for: SavedFilter | None = None
            try:
                book.save(user, name, "star", flt, shared)
            except DuplicateFilter as err:
                refused_for = err.existing
            except DuplicateFilterName:
                refused_for = visible
            assert visible == refused_for
        else:
            own = [s for s in book.visible_to(user) if s.owner == user]
            if own:
                book.set_shared(user, own[0].id, action == "share")
        for someone in USERS:
            fingerprints = [s.fingerprint for s in book.visible_to(someone)]
            assert len(set(fingerprints)) == len(fingerprints)


# --- the guide ---


def test_the_python_examples_of_the_search_and_saved_filters_guide_run() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 4
    namespace: dict[str, Any] = {}
    for block in blocks:
        exec(compile(block, str(DOCS), "exec"), namespace)
