"""Parties loaded from rows share equal small values instead of holding a copy each."""

from __future__ import annotations

import datetime as dt

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
