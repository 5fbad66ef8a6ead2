from __future__ import annotations

import datetime as dt
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from clientcore import Party, Task
from clientcore.query import F, Filter, Today, describe, explain
from tests.strategies import filters, parties

TODAY = dt.date(2026, 1, 1)


def texts(flt: Filter, party: Party, lang: str = "en") -> list[str]:
    return [f.text for f in explain(flt, party, TODAY, lang)]


def test_a_matching_record_has_no_failures() -> None:
    p = Party(kind="client_company", name="A", tasks=[Task("vat")])
    assert [] == explain(F("tasks").any(F("code").eq("vat")), p)


def test_a_missing_task_is_named_with_its_condition() -> None:
    need = F("tasks").any(F("code").eq("vat") & F("active").eq(True))
    p = Party(kind="client_company", name="A", tasks=[Task("vat", active=False)])
    assert ["tasks: no item where code is 'vat' and active is true"] == texts(need, p)
    assert ["tasks: geen item waarvoor code is 'vat' en active is true"] == texts(need, p, "nl")


def test_an_invalid_identifier_says_why() -> None:
    p = Party(kind="client_person", name="A", national_number="85073003329")
    [failure] = explain(F("national_number").valid(), p)
    assert ("national_number", "identifier.invalid_checksum") == (failure.path, failure.code)
    assert failure.text.startswith("national_number: ")


def test_a_missing_value_says_missing_in_three_languages() -> None:
    p = Party(kind="client_company", name="A")
    assert ["email: missing"] == texts(F("email").not_blank(), p)
    assert ["email: ontbreekt"] == texts(F("email").valid(), p, "nl")
    assert ["email : manquant"] == texts(F("email").valid(), p, "fr")


def test_only_the_failing_parts_of_an_and_are_listed() -> None:
    p = Party(kind="client_company", name="A", vat_liable=True, legal_form="BV")
    need = F("vat_liable").eq(True) & F("legal_form").eq("NV") & F("email").not_blank()
    assert ["legal_form: expected legal_form is 'NV', found 'BV'", "email: missing"] == texts(
        need, p
    )


def test_a_negated_condition_is_explained_by_its_complement() -> None:
    p = Party(kind="client_company", name="A", labels={"vip"})
    assert ["labels has 'vip' (must not be so)"] == texts(~F("labels").has("vip"), p)
    assert ["client_until: expected client_until is empty, found 2025-01-01"] == texts(
        F("client_until").blank(), Party(kind="client_company", name="A", client_until="2025-01-01")
    )


def test_relative_dates_are_shown_as_the_resolved_day() -> None:
    flt = F("eid.valid_until") >= Today(0)
    assert "eid.valid_until ≥ 2026-01-01" == describe(flt, today=TODAY)
    assert "eid.valid_until ≥ vandaag -30 dagen" == describe(
        F("eid.valid_until") >= Today(-30), "nl"
    )


@settings(max_examples=150, deadline=None)
@given(filters(), parties(), st.sampled_from(["en", "nl", "fr"]))
def test_explain_is_empty_exactly_when_the_record_matches(
    flt: Filter, party: Party, lang: str
) -> None:
    failures = explain(flt, party, TODAY, lang)
    assert flt.matches(party, today=TODAY) == (failures == [])
    for failure in failures:
        assert failure.text
        assert not re.search(r"\{[a-z_]+\}", failure.text)


def test_not_invalid_explains_why_the_value_is_invalid() -> None:
    p = Party(kind="client_company", name="A", enterprise_number="0403170702")
    [failure] = explain(~F("enterprise_number").invalid(), p)
    assert "identifier.invalid_checksum" == failure.code
