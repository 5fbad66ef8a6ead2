"""Parties loaded from rows share equal small values instead of holding a copy each."""

from __future__ import annotations

import datetime as dt
import json

import attrs
from hypothesis import given, settings

from clientcore.model import Party, from_row, to_row
from clientcore.model._party import shared
from tests.strategies import parties


def two_bakeries() -> tuple[Party, Party]:
    row = {
        "kind": "client_company",
        "name": "Bakkerij Peeters BV",
        "language": "nl",
        "legal_form": "BV",
        "address.city": "Gent",
        "address.country": "be",
        "client_since": "2019-01-01",
        "labels": "vip;bakery",
        "billing.mode": "subscription",
        "portal.enabled": "true",
        "staff.partner": "ann",
        "aml.risk": "low",
        "aml.verified_on": "2024-05-01",
        "tasks": '[{"code": "vat", "period": "quarterly", "start": "2024-01-01"}]',
        "checklist": '[{"action": "id_checked", "done_on": "2024-05-01"}]',
    }
    return from_row(dict(row, id="p1")), from_row(dict(row, id="p2", name="Bakkerij Maes"))


def test_two_parties_read_from_rows_share_their_equal_records() -> None:
    first, second = two_bakeries()
    assert first.client_since is second.client_since
    assert first.tasks is second.tasks
    assert first.tasks[0] is second.tasks[0]
    assert first.checklist is second.checklist
    assert first.billing is second.billing
    assert first.portal is second.portal
    assert first.staff is second.staff
    assert first.aml is second.aml
    assert first.labels is second.labels


def test_two_parties_read_from_rows_share_their_repeated_words() -> None:
    first, second = two_bakeries()
    assert first.address is not None
    assert second.address is not None
    assert first.address.city is second.address.city
    assert "BE" == first.address.country
    assert first.address.country is second.address.country
    assert first.language is second.language
    assert first.legal_form is second.legal_form


def _fresh(text: str) -> str:
    """``text`` as another object, as a file's reader makes it anew for every row."""
    return "".join(list(text))


def _company_row(party_id: str) -> dict[str, str]:
    contact = {"first_name": _fresh("An"), "last_name": _fresh("Peeters"), "role": "cfo"}
    return {
        "id": party_id,
        "kind": "client_company",
        "contacts": json.dumps([contact]),
        "locations": json.dumps([{"id": "loc-1", "name": _fresh("Vestiging Gent")}]),
        "correspondence": json.dumps([{"id": "gc-1", "name": _fresh("Boekhouding")}]),
        "checklist": json.dumps([{"action": _fresh("aml_check"), "note": _fresh("eID read")}]),
        "debtor_cards": json.dumps([{"number": "D1", "discipline": _fresh("audit")}]),
        "acceptance": json.dumps({"submitted_by": _fresh("EL"), "approved_by": _fresh("AVH")}),
    }


def test_names_and_codes_of_owned_records_are_kept_once() -> None:
    # Names, codes and notes repeat from party to party: a loaded registry holds each
    # once. (The ids of owned records are not shared: a host's are often all different.)
    first = from_row(_company_row("p1"), trusted=True)
    second = from_row(_company_row("p2"), trusted=True)
    assert first.acceptance is not None
    assert second.acceptance is not None
    pairs = [
        (first.contacts[0].first_name, second.contacts[0].first_name),
        (first.contacts[0].last_name, second.contacts[0].last_name),
        (first.locations[0].name, second.locations[0].name),
        (first.correspondence[0].name, second.correspondence[0].name),
        (first.checklist[0].action, second.checklist[0].action),
        (first.checklist[0].note, second.checklist[0].note),
        (first.debtor_cards[0].discipline, second.debtor_cards[0].discipline),
        (first.acceptance.submitted_by, second.acceptance.submitted_by),
        (first.acceptance.approved_by, second.acceptance.approved_by),
    ]
    assert all(a is not None and a == b for a, b in pairs)
    assert [a for a, b in pairs if a is not b] == []


def test_sharing_keeps_values_of_another_type_apart() -> None:
    day = dt.date(2024, 1, 1)
    moment = dt.datetime(2024, 1, 1)
    assert shared(day) is not shared(moment)
    assert shared(1) is not shared(True)  # equal and same hash, but another type
    assert type(shared(True)) is bool


def test_an_unshared_party_and_a_shared_one_are_equal() -> None:
    first, _ = two_bakeries()
    assert first == from_row(to_row(first))


@settings(max_examples=40, deadline=None)
@given(parties())
def test_sharing_never_changes_what_a_party_holds(party: Party) -> None:
    rebuilt = attrs.evolve(party)  # runs every converter again, so shares what it can
    assert party == rebuilt
    assert hash(party) == hash(rebuilt)
    assert to_row(party) == to_row(rebuilt)
