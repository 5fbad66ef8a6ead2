from __future__ import annotations

import datetime as dt

import pytest

from clientcore import Party, Task
from clientcore.query import F, Filter, Today
from clientcore.query._semantics import fold

TODAY = dt.date(2026, 1, 1)


def company(**fields: object) -> Party:
    return Party(kind="client_company", name=fields.pop("name", "Bakkerij Peeters"), **fields)  # type: ignore[arg-type]


def both(flt: Filter, party: Party) -> bool:
    """Evaluate on the party and on a plain mapping of it; both must agree."""
    from clientcore.model import to_row

    on_party = flt.matches(party, today=TODAY)
    on_row = flt.matches(to_row(party), today=TODAY)
    assert on_party == on_row, (flt, party)
    return on_party


def test_text_operators_ignore_case_and_accents_by_default() -> None:
    p = company(name="Café De Kroon")
    assert both(F("name").contains("cafe"), p)
    assert both(F("name").eq("CAFÉ DE KROON"), p)
    assert both(F("name").starts_with("café"), p)
    assert both(F("name").ends_with("KROON"), p)


def test_case_and_accent_switches_are_kept_per_condition() -> None:
    p = company(name="Café De Kroon")
    assert not both(F("name").contains("cafe", accent_sensitive=True), p)
    assert both(F("name").contains("Café", accent_sensitive=True), p)
    assert not both(F("name").contains("café", case_sensitive=True), p)
    assert both(F("name").contains("Cafe", case_sensitive=True), p)
    assert not both(F("name").eq("café de kroon", case_sensitive=True, accent_sensitive=True), p)


@pytest.mark.parametrize(
    "flt",
    [
        F("email").eq("x"),
        F("email").contains("x"),
        F("email").starts_with("x"),
        F("email").ends_with("x"),
        F("email").in_(["x", ""]),
        F("client_since").lt(TODAY),
        F("client_since").ge(dt.date(1900, 1, 1)),
        F("custom.fin.revenue").gt(-100),
        F("client_since").between(dt.date(1900, 1, 1), TODAY),
        F("labels").has("vip"),
        F("labels").has_any(["vip"]),
        F("labels").has_all(["vip"]),
        F("email").valid(),
        F("email").invalid(),
        F("tasks").any(Filter.all()),
    ],
)
def test_positive_operators_never_match_a_blank_value(flt: Filter) -> None:
    blank = company(email="   ", labels=[], tasks=[])
    assert not both(flt, blank)


@pytest.mark.parametrize(
    "flt", [F("email").ne("x"), F("email").not_in(["x"]), F("email").not_contains("x")]
)
def test_negative_operators_match_a_blank_value(flt: Filter) -> None:
    assert both(flt, company())


def test_blank_is_missing_none_empty_whitespace_or_an_empty_collection() -> None:
    assert both(F("email").blank(), company())
    assert both(F("labels").blank(), company(labels=[]))
    assert both(F("tasks").blank(), company())
    assert F("email").blank().matches({"email": "  "})
    assert F("email").blank().matches({})
    assert F("email").not_blank().matches({"email": "a"})


def test_not_is_the_exact_complement_so_a_blank_revenue_matches_not_lt() -> None:
    flt = ~(F("custom.finance.revenue") < 5)
    assert flt.matches(company())
    assert not flt.matches(company(custom={"finance": {"revenue": 3}}))
    assert flt.matches({"custom.finance.revenue": "10"})


def test_between_includes_both_ends() -> None:
    flt = F("version").between(2, 4)
    assert [both(flt, company(version=v)) for v in (1, 2, 3, 4, 5)] == [
        False,
        True,
        True,
        True,
        False,
    ]


def test_dates_compare_as_dates_and_iso_text_in_a_mapping_too() -> None:
    flt = F("client_since") >= dt.date(2024, 1, 1)
    assert flt.matches({"client_since": "2024-03-01"})
    assert not flt.matches({"client_since": "2023-12-31"})
    assert not flt.matches({"client_since": "not a date"})


def test_relative_dates_resolve_against_the_injected_today() -> None:
    flt = F("eid.valid_until") < Today(days=0)
    p = Party(kind="client_person", name="An", eid={"valid_until": "2025-12-31"})
    assert flt.matches(p, today=dt.date(2026, 1, 1))
    assert not flt.matches(p, today=dt.date(2025, 6, 1))
    assert flt.to_json()["where"]["value"] == {"today": 0}


def test_a_relative_date_without_today_is_refused() -> None:
    from clientcore import FilterError

    with pytest.raises(FilterError, match="today"):
        (F("client_since") > Today(-30)).matches(company())


def test_in_and_not_in_compare_folded_text() -> None:
    p = company(legal_form="bv")
    assert both(F("legal_form").in_(["BV", "NV"]), p)
    assert not both(F("legal_form").not_in(["BV", "NV"]), p)
    assert not both(F("legal_form").in_([]), p)
    assert both(F("legal_form").not_in([]), p)


def test_labels_are_a_set_with_has_has_any_and_has_all() -> None:
    p = company(labels={"vip", "Audit"})
    assert both(F("labels").has("VIP"), p)
    assert both(F("labels").has_any(["nbb", "audit"]), p)
    assert both(F("labels").has_all(["vip", "audit"]), p)
    assert not both(F("labels").has_all(["vip", "nbb"]), p)
    assert F("labels").has("vip").matches({"labels": "audit;vip"})


def test_any_matches_when_one_item_of_the_collection_matches() -> None:
    flt = F("tasks").any(F("code").eq("vat") & F("active").eq(True))
    assert both(flt, company(tasks=[Task("closing"), Task("vat")]))
    assert not both(flt, company(tasks=[Task("vat", active=False), Task("closing")]))
    assert not both(flt, company())


def test_valid_and_invalid_use_the_identifier_type_of_the_field() -> None:
    good = company(enterprise_number="0403170701")
    bad = company(enterprise_number="0403170702")
    assert both(F("enterprise_number").valid(), good)
    assert both(F("enterprise_number").invalid(), bad)
    assert not both(F("enterprise_number").invalid(), company())


def test_booleans_in_a_mapping_can_be_text() -> None:
    assert F("vat_liable").eq(True).matches({"vat_liable": "true"})
    assert not F("vat_liable").eq(True).matches({"vat_liable": "false"})
    assert F("vat_liable").ne(True).matches({"vat_liable": ""})


def test_dotted_paths_walk_nested_mappings_and_attributes() -> None:
    flt = F("address.city").eq("gent")
    assert flt.matches({"address": {"city": "Gent"}})
    assert flt.matches({"address.city": "GENT"})
    assert flt.matches(company(address={"city": "Gent"}))


def test_python_comparison_operators_build_the_same_nodes() -> None:
    assert F("version").eq(3) == (F("version") == 3)
    assert F("version").ne(3) == (F("version") != 3)
    assert F("version").lt(3) == (F("version") < 3)
    assert F("version").le(3) == (F("version") <= 3)
    assert F("version").gt(3) == (F("version") > 3)
    assert F("version").ge(3) == (F("version") >= 3)


def test_all_matches_everything_and_nothing_matches_nothing() -> None:
    assert Filter.all().matches(company())
    assert not Filter.nothing().matches(company())


def test_select_and_count_give_the_grid_counter() -> None:
    parties = [company(version=v) for v in range(10)]
    flt = F("version") >= 7
    assert len(flt.select(parties)) == 3
    selection = flt.count(parties)
    assert (selection.matched, selection.total, str(selection)) == (3, 10, "3 / 10")


def test_folding_is_casefold_without_accents() -> None:
    assert fold("Straße") == "strasse"
    assert fold("École") == "ecole"
