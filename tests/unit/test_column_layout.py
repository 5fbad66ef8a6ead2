from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientcore import Actor, ValidationError
from clientcore._messages import templates
from clientcore.model import CustomField, FieldType, default_schema
from clientcore.ports import LayoutRepository
from clientcore.query._layout import (
    ColumnLayout,
    InMemoryLayoutRepository,
    LayoutBook,
)

SCHEMA = default_schema().with_custom(
    CustomField("kyc", "source_of_funds"),
    CustomField("kyc", "checked_on", FieldType.DATE),
    CustomField("eid", "reader", FieldType.BOOL),
)
DEFAULT = (
    "kind",
    "number",
    "name",
    "status",
    "language",
    "legal_form",
    "vat_liable",
    "enterprise_number",
    "email",
    "phone",
    "address.city",
    "labels",
    "portfolio",
    "staff.partner",
)


def refusal(call: Any) -> tuple[str, str, dict[str, Any]]:
    with pytest.raises(ValidationError) as err:
        call()
    issue = err.value.issues[0]
    found = templates(issue.code)
    assert found is not None
    assert 3 == len(set(found))
    return issue.code, issue.path, issue.params


# --- the default ---


def test_the_default_layout_shows_the_usual_grid_columns_in_catalogue_order() -> None:
    layout = ColumnLayout.default()
    assert (DEFAULT, frozenset()) == (layout.visible, layout.collapsed)


def test_the_default_layout_hides_every_other_top_level_column_custom_ones_included() -> None:
    layout = ColumnLayout.default(SCHEMA)
    expected = tuple(f.path for f in SCHEMA.top_level() if f.path not in DEFAULT)
    assert expected == layout.hidden
    assert {"id", "tasks", "custom.kyc.source_of_funds"} <= set(layout.hidden)
    assert "tasks.code" not in layout.hidden


def test_reset_gives_the_default_layout_back() -> None:
    changed = ColumnLayout.default(SCHEMA).hide("email").collapse("address").move("name", 0)
    assert ColumnLayout.default(SCHEMA) == changed.reset()


# --- showing, hiding, moving ---


def test_a_shown_column_goes_last_unless_a_position_is_given() -> None:
    layout = ColumnLayout.default().show("website").show("iban", at=1)
    assert (("kind", "iban", "number"), "website") == (layout.visible[:3], layout.visible[-1])
    assert "website" not in layout.hidden


def test_showing_a_shown_column_at_a_position_moves_it() -> None:
    layout = ColumnLayout.default().show("email", at=0)
    assert (("email", "kind"), 14) == (layout.visible[:2], len(layout.visible))


def test_showing_a_shown_column_without_position_changes_nothing() -> None:
    assert ColumnLayout.default() == ColumnLayout.default().show("email")


def test_a_hidden_column_returns_to_the_hidden_ones_in_catalogue_order() -> None:
    layout = ColumnLayout.default().hide("email")
    hidden = layout.hidden
    assert ("email" not in layout.visible, hidden.index("iban") < hidden.index("email")) == (
        True,
        True,
    )
    assert hidden.index("email") < hidden.index("website")


def test_hiding_a_hidden_column_changes_nothing() -> None:
    layout = ColumnLayout.default()
    assert layout is layout.hide("website")


def test_the_last_shown_column_cannot_be_hidden() -> None:
    layout = ColumnLayout(["name"])
    assert ("layout.column.last", "column", {"column": "name"}) == refusal(
        lambda: layout.hide("name")
    )


def test_a_shown_column_moves_to_any_position() -> None:
    layout = ColumnLayout.default().move("staff.partner", 0).move("kind", 13)
    assert (("staff.partner", "number"), "kind") == (layout.visible[:2], layout.visible[-1])


def test_a_hidden_column_cannot_be_moved() -> None:
    assert ("layout.column.not_visible", "column", {"column": "iban"}) == refusal(
        lambda: ColumnLayout.default().move("iban", 0)
    )


@pytest.mark.parametrize("index", [-1, 14, 99, True, "2"])
def test_a_position_outside_the_shown_columns_is_refused(index: Any) -> None:
    code, path, params = refusal(lambda: ColumnLayout.default().move("name", index))
    assert ("layout.index.out_of_range", "index", 13) == (code, path, params["last"])


@pytest.mark.parametrize(
    ("column", "code", "suggestion"),
    [
        ("adress.city", "layout.column.unknown_near", "address.city"),
        ("emial", "layout.column.unknown_near", "email"),
        ("tasks.code", "layout.column.unknown_near", "tasks"),
        ("custom.kyc.source", "layout.column.unknown_near", "custom.kyc.source_of_funds"),
        ("zzz", "layout.column.unknown", ""),
    ],
)
def test_an_unknown_column_is_refused_suggesting_the_nearest_known_one(
    column: str, code: str, suggestion: str
) -> None:
    layout = ColumnLayout.default(SCHEMA)
    for change in (layout.show, layout.hide, layout.group_of):
        found_code, path, params = refusal(lambda c=change: c(column))
        assert (code, "column", suggestion) == (found_code, path, params["suggestion"])


def test_an_unknown_column_message_names_the_suggestion_in_each_language() -> None:
    with pytest.raises(ValidationError) as err:
        ColumnLayout.default().show("adress.city")
    assert [
        "Unknown column 'adress.city'; did you mean 'address.city'?",
        "Onbekende kolom 'adress.city'; bedoelde je 'address.city'?",
        "Colonne inconnue 'adress.city' ; vouliez-vous dire 'address.city' ?",
    ] == err.value.messages("en") + err.value.messages("nl") + err.value.messages("fr")


# --- groups ---


def test_a_collapsed_group_keeps_its_columns_chosen_but_not_displayed() -> None:
    layout = ColumnLayout.default().collapse("contact").collapse("address")
    assert (("email", "phone", "address.city"), ("email", "phone")) == (
        tuple(c for c in layout.visible if c in ("email", "phone", "address.city")),
        layout.columns_in("contact"),
    )
    assert not {"email", "phone", "address.city"} & set(layout.displayed())
    assert ColumnLayout.default().visible == layout.expand("contact").expand("address").displayed()


def test_the_groups_of_the_shown_columns_come_in_display_order() -> None:
    assert ("identity", "tax", "contact", "address", "internal") == ColumnLayout.default().groups()


def test_a_category_of_custom_fields_is_a_group_that_can_be_shown_at_once() -> None:
    layout = ColumnLayout.default(SCHEMA).show_group("custom:kyc")
    assert (
        ("custom.kyc.source_of_funds", "custom.kyc.checked_on"),
        "custom:kyc",
        "custom.eid.reader" in layout.hidden,
    ) == (layout.columns_in("custom:kyc"), layout.group_of("custom.kyc.checked_on"), True)


@pytest.mark.parametrize(
    ("group", "code", "suggestion"),
    [
        ("adress", "layout.group.unknown_near", "address"),
        ("custom:kyk", "layout.group.unknown_near", "custom:kyc"),
        ("nothing-like-it", "layout.group.unknown", ""),
    ],
)
def test_an_unknown_group_is_refused_suggesting_the_nearest_known_one(
    group: str, code: str, suggestion: str
) -> None:
    layout = ColumnLayout.default(SCHEMA)
    for change in (layout.collapse, layout.expand, layout.columns_in, layout.show_group):
        found_code, path, params = refusal(lambda c=change: c(group))
        assert (code, "group", suggestion) == (found_code, path, params["suggestion"])


# --- JSON ---

COLUMNS = [f.path for f in SCHEMA.top_level()]
steps = st.lists(
    st.one_of(
        st.tuples(st.just("show"), st.sampled_from(COLUMNS), st.none() | st.integers(0, 3)),
        st.tuples(st.just("hide"), st.sampled_from(COLUMNS), st.none()),
        st.tuples(st.just("collapse"), st.sampled_from(SCHEMA.groups()), st.none()),
        st.tuples(st.just("expand"), st.sampled_from(SCHEMA.groups()), st.none()),
    ),
    max_size=20,
)


def apply(layout: ColumnLayout, step: tuple[str, str, int | None]) -> ColumnLayout:
    action, target, at = step
    if action == "show":
        return layout.show(target, at)
    if action == "hide":
        return layout.hide(target) if len(layout.visible) > 1 else layout
    return getattr(layout, action)(target)  # type: ignore[no-any-return]


@settings(max_examples=200, deadline=None)
@given(steps)
def test_a_layout_survives_its_json_after_any_changes(
    changes: list[tuple[str, str, int | None]],
) -> None:
    layout = ColumnLayout.default(SCHEMA)
    for step in changes:
        layout = apply(layout, step)
    assert layout == ColumnLayout.from_json(json.loads(json.dumps(layout.to_json())), SCHEMA)
    assert set(COLUMNS) == set(layout.visible) | set(layout.hidden)
    assert not set(layout.visible) & set(layout.hidden)


def stored(**changes: Any) -> dict[str, Any]:
    obj = ColumnLayout.default(SCHEMA).collapse("tax").to_json()
    obj.update(changes)
    return {k: v for k, v in obj.items() if v is not ...}


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        ("visible", [("stored.not_object", "$")]),
        (stored(width=3), [("stored.unknown_key", "$.width")]),
        (stored(clientcore_columns="1"), [("stored.version", "$.clientcore_columns")]),
        (stored(visible=...), [("stored.missing_key", "$.visible")]),
        (stored(visible="name"), [("stored.expected_list", "$.visible")]),
        (stored(visible=["name", 3]), [("stored.expected_text", "$.visible[1]")]),
        (stored(visible=[]), [("layout.visible.empty", "$.visible")]),
        (
            stored(visible=["name", "adress.city", "name"], collapsed=["tax", "adress"]),
            [
                ("layout.column.unknown_near", "$.visible[1]"),
                ("layout.column.duplicate", "$.visible[2]"),
                ("layout.group.unknown_near", "$.collapsed[1]"),
            ],
        ),
        (stored(visible=["custom.kyc.gone"]), [("layout.column.unknown_near", "$.visible[0]")]),
    ],
)
def test_strict_decoding_names_every_fault_with_its_json_path(
    obj: Any, expected: list[tuple[str, str]]
) -> None:
    with pytest.raises(ValidationError) as err:
        ColumnLayout.from_json(obj, SCHEMA)
    assert expected == [(i.code, i.path) for i in err.value.issues]
    for code, _ in expected:
        found = templates(code)
        assert found is not None
        assert 3 == len(set(found))


def test_a_column_the_catalogue_gained_since_saving_starts_hidden() -> None:
    saved = ColumnLayout.default().to_json()
    layout = ColumnLayout.from_json(saved, SCHEMA)
    assert (
        DEFAULT,
        ("custom.kyc.source_of_funds", "custom.kyc.checked_on", "custom.eid.reader"),
    ) == (
        layout.visible,
        layout.hidden[-3:],
    )


def test_collapsed_groups_may_be_left_out_of_the_json() -> None:
    obj = {"clientcore_columns": 1, "visible": ["name"]}
    assert ColumnLayout(["name"]) == ColumnLayout.from_json(obj)


# --- saved per user ---


def test_a_user_without_a_saved_layout_gets_the_default_one() -> None:
    book = LayoutBook(InMemoryLayoutRepository(), SCHEMA)
    assert ColumnLayout.default(SCHEMA) == book.for_user("ann")


def test_a_saved_layout_comes_back_for_that_user_only() -> None:
    book = LayoutBook(InMemoryLayoutRepository(), SCHEMA)
    mine = book.for_user("ann").show_group("custom:kyc").collapse("tax")
    book.save(Actor("ann"), mine)
    assert (mine, ColumnLayout.default(SCHEMA)) == (book.for_user("ann"), book.for_user("bob"))


def test_resetting_forgets_the_users_layout() -> None:
    repo = InMemoryLayoutRepository()
    book = LayoutBook(repo, SCHEMA)
    book.save("ann", book.for_user("ann").hide("email"))
    assert (ColumnLayout.default(SCHEMA), None) == (book.reset("ann"), repo.get("ann"))


def test_the_repository_stores_plain_json() -> None:
    repo = InMemoryLayoutRepository()
    LayoutBook(repo).save("ann", ColumnLayout.default().collapse("tax"))
    stored_json = repo.get("ann")
    assert stored_json is not None
    assert {"clientcore_columns": 1, "visible": list(DEFAULT), "collapsed": ["tax"]} == json.loads(
        json.dumps(stored_json)
    )


def test_a_stored_layout_that_no_longer_fits_the_catalogue_is_refused() -> None:
    repo = InMemoryLayoutRepository()
    LayoutBook(repo, SCHEMA).save("ann", ColumnLayout.default(SCHEMA).show("custom.eid.reader"))
    with pytest.raises(ValidationError):
        LayoutBook(repo).for_user("ann")


def test_the_in_memory_repository_is_a_layout_repository() -> None:
    assert isinstance(InMemoryLayoutRepository(), LayoutRepository)
