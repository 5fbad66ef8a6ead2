"""Address proposals: VIES (recorded and hand-shaped responses, no network) and eID files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientcore import Actor, Address, InMemoryUnitOfWork, Party, ValidationError
from clientcore.actions import (
    AddressAnswer,
    AddressSource,
    EidFileSource,
    ViesSource,
    parse_vies_address,
    propose_addresses,
)
from clientcore.bulk import BulkRejected

DATA = Path(__file__).resolve().parents[1] / "data"
TODAY = dt.date(2026, 1, 5)
AT = dt.datetime(2026, 1, 5, 9, 0)
ANN = Actor("ann", {"staff"})


def recorded(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / "vies" / name).read_text("utf-8"))
    return data


def vies(*names: str) -> tuple[ViesSource, list[tuple[str, float]]]:
    """A VIES source answering from recorded responses, keyed by VAT number."""
    answers = {r["countryCode"] + r["vatNumber"]: r for r in map(recorded, names)}
    calls: list[tuple[str, float]] = []

    def check(number: str, timeout: float) -> Any:
        calls.append((number, timeout))
        return answers[number]

    return ViesSource(timeout=4.0, check=check), calls


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("be_kbc.json", Address("Havenlaan 2", "1080", "Sint-Jans-Molenbeek", "BE")),
        ("be_one_line.json", Address("Simon Bolivarlaan 34", "1000", "Brussel", "BE")),
        (
            "be_comma_box.json",
            Address("Koning Albert II laan 27 bus 5", "1030", "Schaarbeek", "BE"),
        ),
        ("be_french.json", Address("Rue des Croisiers 24", "4000", "Liège", "BE")),
        # recorded answers of the real service (sources in tests/data/vies/README.md)
        ("be_two_lines_capitals.json", Address("RUE LONGUE 93", "1320", "BEAUVECHAIN", "BE")),
        ("be_one_line_capitals.json", Address("RUE LONGUE 93", "1320", "BEAUVECHAIN", "BE")),
        (
            "be_two_lines_accented.json",
            Address("Chaussée de Namur 40", "1367", "Ramillies", "BE"),
        ),
    ],
)
def test_the_vies_belgian_address_is_read_into_fields(name: str, expected: Address) -> None:
    assert expected == parse_vies_address(recorded(name)["address"])


@pytest.mark.parametrize("text", ["---", "", "Postbus 12", "1000 Brussel", "Wetstraat 16"])
def test_an_address_without_street_postal_code_and_city_is_not_read(text: str) -> None:
    assert parse_vies_address(text) is None


@given(st.text(max_size=80))
def test_the_parser_never_raises_on_any_text(text: str) -> None:
    found = parse_vies_address(text)
    assert found is None or (found.postal_code or "").isdigit()


def test_vies_is_asked_with_the_vat_number_and_the_timeout() -> None:
    source, calls = vies("be_kbc.json")
    client = Party(kind="client_company", name="KBC", enterprise_number="0462.920.226")
    answer = source.lookup(client, TODAY)
    assert ("found", "1080") == (answer.outcome, answer.address and answer.address.postal_code)
    assert [("BE0462920226", 4.0)] == calls


@pytest.mark.parametrize(
    ("name", "outcome", "code"),
    [
        ("be_not_registered.json", "invalid", "address.invalid.not_registered"),
        ("be_unreadable.json", "invalid", "address.invalid.unreadable"),
        ("be_no_address.json", "unavailable", "address.unavailable.no_address"),
        ("nl.json", "unavailable", "address.unavailable.country"),
        ("nl_padded_lines.json", "unavailable", "address.unavailable.country"),
        ("nl_no_details.json", "unavailable", "address.unavailable.no_address"),
    ],
)
def test_vies_answers_are_kept_apart(name: str, outcome: str, code: str) -> None:
    response = recorded(name)
    source, _ = vies(name)
    party = Party(
        kind="client_company", name="X", vat_number=response["countryCode"] + response["vatNumber"]
    )
    answer = source.lookup(party, TODAY)
    assert (outcome, code) == (answer.outcome, answer.issue and answer.issue.code)


def test_a_recorded_answer_in_capitals_is_no_change_for_the_same_address() -> None:
    source, _ = vies("be_two_lines_capitals.json", "be_two_lines_accented.json")
    same = company("bigup", "BE0829071668", Address("Rue Longue 93", "1320", "Beauvechain", "BE"))
    moved = company("odoo", "BE0477472701", Address("Grand-Rue 1", "1367", "Ramillies", "BE"))
    proposals = propose_addresses([same, moved], source, today=TODAY)
    assert ("bigup",) == proposals.unchanged
    assert [("odoo", "Chaussée de Namur 40")] == [
        (p.party_id, p.after.street) for p in proposals.proposed
    ]


def test_a_timeout_or_a_service_fault_is_unavailable_not_an_error() -> None:
    def down(number: str, timeout: float) -> Any:
        raise TimeoutError(f"timed out after {timeout} s")

    answer = ViesSource(timeout=2.0, check=down).lookup(
        Party(kind="client_company", name="X", vat_number="BE0462920226"), TODAY
    )
    assert "unavailable" == answer.outcome
    assert answer.issue is not None
    assert "TimeoutError: timed out after 2.0 s" in answer.issue.message("fr")


def test_a_party_without_a_valid_number_is_unavailable_without_a_call() -> None:
    source, calls = vies("be_kbc.json")
    answer = source.lookup(Party(kind="client_company", name="X", vat_number="BE123"), TODAY)
    assert "address.unavailable.no_identifier" == (answer.issue and answer.issue.code)
    assert [] == calls


def store(*parties: Party) -> InMemoryUnitOfWork:
    uow = InMemoryUnitOfWork()
    with uow:
        for party in parties:
            uow.parties.add(party)
        uow.commit()
    return uow


def company(pid: str, vat: str, address: Address | None = None) -> Party:
    return Party(id=pid, kind="client_company", name=pid, vat_number=vat, address=address)


def test_proposals_go_through_preview_and_apply_and_can_be_undone() -> None:
    kbc = company("kbc", "BE0462920226", Address("Oude straat 1", "1000", "Brussel", "BE"))
    same = company("same", "BE0417497106", Address("rue des croisiers  24", "4000", "LIÈGE", "BE"))
    gone = company("gone", "BE0314595348")
    none = Party(id="none", kind="client_company", name="No number")
    uow = store(kbc, same, gone, none)
    source, _ = vies("be_kbc.json", "be_french.json", "be_not_registered.json")
    with uow:
        parties = list(uow.parties.find(lambda p: True))
    proposals = propose_addresses(parties, source, today=TODAY)
    assert ["kbc"] == [p.party_id for p in proposals.proposed]
    assert ("same",) == proposals.unchanged
    assert ["gone"] == [f.party_id for f in proposals.invalid]
    assert ["none"] == [f.party_id for f in proposals.unavailable]
    assert proposals.plan is not None
    with uow:
        assert "Oude straat 1" == uow.parties.get("kbc").address.street  # type: ignore[union-attr]
    preview = proposals.plan.preview(uow, ANN)
    assert {
        ("address.street", "Oude straat 1", "Havenlaan 2"),
        ("address.postal_code", "1000", "1080"),
        ("address.city", "Brussel", "Sint-Jans-Molenbeek"),
    } == {(c.path, c.before, c.after) for c in preview.changes}
    receipt = proposals.plan.apply(uow, ANN, preview, at=AT)
    with uow:
        assert Address("Havenlaan 2", "1080", "Sint-Jans-Molenbeek", "BE") == (
            uow.parties.get("kbc").address
        )
    receipt.undo.apply(uow, ANN, at=AT)
    with uow:
        assert "Oude straat 1" == uow.parties.get("kbc").address.street  # type: ignore[union-attr]


def test_a_party_changed_after_the_proposal_is_refused_not_overwritten() -> None:
    uow = store(company("kbc", "BE0462920226"))
    source, _ = vies("be_kbc.json")
    with uow:
        party = uow.parties.get("kbc")
    proposals = propose_addresses([party], source, today=TODAY)
    with uow:
        uow.parties.save(attrs.evolve(party, name="KBC Bank"))
        uow.commit()
    assert proposals.plan is not None
    with pytest.raises(BulkRejected) as err:
        proposals.plan.apply(uow, ANN, at=AT)
    assert ["bulk.conflict"] == [i.code for r in err.value.rejections for i in r.issues]
    with uow:
        assert uow.parties.get("kbc").address is None


def test_the_correspondence_address_can_be_the_target() -> None:
    source, _ = vies("be_kbc.json")
    proposals = propose_addresses(
        [company("kbc", "BE0462920226")], source, today=TODAY, target="correspondence_address"
    )
    assert proposals.plan is not None
    assert "correspondence_address.city" in proposals.plan.to_json()["operations"][0]["values"][2]
    with pytest.raises(ValidationError):
        propose_addresses([], source, today=TODAY, target="billing")


def person(pid: str, nn: str | None, address: Address | None = None) -> Party:
    return Party(id=pid, kind="client_person", name=pid, national_number=nn, address=address)


@pytest.mark.parametrize("name", ["cards.csv", "cards.json"])
def test_an_eid_export_proposes_the_card_address_by_national_number(name: str) -> None:
    source = EidFileSource.from_file(DATA / "eid" / name)
    proposals = propose_addresses([person("an", "85073003328")], source, today=TODAY)
    assert [Address("Veldstraat 1", "9000", "Gent", "BE")] == [p.after for p in proposals.proposed]


def test_an_expired_card_is_invalid_and_an_unknown_person_unavailable() -> None:
    source = EidFileSource.from_file(DATA / "eid" / "cards.csv")
    proposals = propose_addresses(
        [person("old", "93051822361"), person("new", "85073003328"), person("x", None)],
        source,
        today=TODAY,
    )
    assert ["old"] == [f.party_id for f in proposals.invalid]
    assert "2024-11-30" in proposals.invalid[0].issue.message("nl")
    assert ["x"] == [f.party_id for f in proposals.unavailable]


def test_a_broken_eid_export_names_every_bad_row() -> None:
    with pytest.raises(ValidationError) as err:
        EidFileSource.from_file(DATA / "eid" / "broken.csv")
    assert ["[0]", "[1].validity_end_date"] == [i.path for i in err.value.issues]


def test_a_host_source_satisfies_the_port() -> None:
    class Kbo:
        name = "KBO"

        def lookup(self, party: Party, today: dt.date) -> AddressAnswer:
            return AddressAnswer.found(Address("Wetstraat 1", "1000", "Brussel", "BE"))

    assert isinstance(Kbo(), AddressSource)
    proposals = propose_addresses([company("a", "BE0462920226")], Kbo(), today=TODAY)
    assert "KBO" == proposals.source
    assert 1 == len(proposals.proposed)
