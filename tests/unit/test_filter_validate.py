from __future__ import annotations

import datetime as dt

import pytest

from clientcore import CustomField, FilterError
from clientcore.model import FieldType, default_schema
from clientcore.query import F, Filter, Today


def faults(flt: Filter, schema: object = None) -> list[tuple[str, str]]:
    with pytest.raises(FilterError) as err:
        flt.validate(schema or default_schema())  # type: ignore[arg-type]
    return [(i.path, i.code) for i in err.value.issues]


def test_a_fitting_filter_passes() -> None:
    flt = (
        F("legal_form").in_(["BV"])
        & F("vat_liable").eq(True)
        & (F("client_since") < Today(-30))
        & F("labels").has("vip")
        & F("tasks").any(F("code").eq("vat") & F("start").ge(dt.date(2020, 1, 1)))
        & F("enterprise_number").valid()
    )
    flt.validate(default_schema())


def test_an_unknown_path_is_refused_with_the_nearest_suggested() -> None:
    with pytest.raises(FilterError) as err:
        F("adress.city").eq("Gent").validate(default_schema())
    issue = err.value.issues[0]
    assert (issue.path, issue.code, issue.params["suggestion"]) == (
        "$.where.path",
        "filter.unknown_path",
        "address.city",
    )


def test_an_operator_that_does_not_fit_the_field_type_is_refused() -> None:
    assert faults(F("vat_liable").starts_with("t")) == [("$.where.op", "filter.op_mismatch")]
    assert faults(F("name").valid()) == [("$.where.op", "filter.no_identifier")]
    assert faults(F("labels").eq("vip")) == [("$.where.op", "filter.op_mismatch")]


def test_a_value_of_the_wrong_type_is_refused() -> None:
    assert faults(F("vat_liable").eq("yes")) == [("$.where.value", "filter.value_mismatch")]
    assert faults(F("client_since").between(dt.date(2020, 1, 1), "2021")) == [
        ("$.where.value[1]", "filter.value_mismatch")
    ]
    assert faults(F("status").eq("klant")) == [("$.where.value", "filter.value_mismatch")]


def test_every_fault_is_listed() -> None:
    flt = F("nme").eq("x") & F("vat_liable").eq(1) & F("tasks").any(F("cod").eq("vat"))
    assert faults(flt) == [
        ("$.where.and[0].path", "filter.unknown_path"),
        ("$.where.and[1].value", "filter.value_mismatch"),
        ("$.where.and[2].where.path", "filter.unknown_path"),
    ]


def test_custom_fields_are_checked_by_their_type() -> None:
    schema = default_schema().with_custom(CustomField("fin", "revenue", FieldType.NUMBER))
    (F("custom.fin.revenue") > 5).validate(schema)
    assert faults(F("custom.fin.revenue") > "5", schema) == [
        ("$.where.value", "filter.value_mismatch")
    ]


def test_from_json_with_a_schema_checks_too() -> None:
    with pytest.raises(FilterError):
        Filter.from_json(F("nme").eq("x").to_json(), schema=default_schema())


def test_choice_fields_accept_text_operators_and_folded_choices() -> None:
    F("status").starts_with("acc").validate(default_schema())
    F("status").eq("CLIENT").validate(default_schema())
    F("language").in_(["NL", "fr"]).validate(default_schema())
    assert [("$.where.value", "filter.value_mismatch")] == faults(
        F("status").eq("CLIENT", case_sensitive=True)
    )
