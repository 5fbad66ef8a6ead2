"""The small traps a new user falls into, and acceptance data arriving around the machine."""

from __future__ import annotations

import io
import json

import pytest

from clientcore.errors import ValidationError
from clientcore.model import (
    Acceptance,
    Party,
    from_row,
    party_from_json,
    party_to_json,
    read_csv,
    to_row,
)
from clientcore.status import StatusChanged

PENDING = Party(
    id="p1",
    kind="client_company",
    name="Peeters BV",
    status="acceptance_pending",
    acceptance=Acceptance(submitted_by="eve"),
)


def test_a_row_carrying_acceptance_data_is_refused_unless_trusted() -> None:
    row = to_row(PENDING)
    with pytest.raises(ValidationError) as caught:
        from_row(row)
    assert ["input.acceptance_untrusted"] == [i.code for i in caught.value.issues]
    assert 3 == len({caught.value.issues[0].message(lang) for lang in ("en", "nl", "fr")})
    assert PENDING == from_row(row, trusted=True)


def test_party_json_carrying_acceptance_data_is_refused_unless_trusted() -> None:
    data = json.loads(json.dumps(party_to_json(PENDING)))
    with pytest.raises(ValidationError) as caught:
        party_from_json(data)
    assert ("input.acceptance_untrusted", "$.acceptance") == (
        caught.value.issues[0].code,
        caught.value.issues[0].path,
    )
    assert PENDING == party_from_json(data, trusted=True)


def test_a_csv_file_carrying_acceptance_data_is_refused_on_its_row() -> None:
    text = (
        "kind,name,status,acceptance\n"
        'client_company,A,acceptance_pending,"{""submitted_by"": ""eve""}"\n'
    )
    (result,) = list(read_csv(io.StringIO(text)))
    assert (None, ["input.acceptance_untrusted"]) == (
        result.party,
        [i.code for i in result.issues],
    )
    (trusted,) = list(read_csv(io.StringIO(text), trusted=True))
    assert trusted.party is not None
    assert "eve" == trusted.party.acceptance.submitted_by  # type: ignore[union-attr]


def test_an_unknown_kind_lists_the_kinds_in_the_message_language() -> None:
    with pytest.raises(ValidationError) as caught:
        Party(kind="client")
    issue = caught.value.issues[0]
    kinds = "client_company, client_person, relation_company, relation_person"
    assert f"Onbekend soort partij 'client'; de soorten zijn {kinds}." == issue.message("nl")
    assert f"Unknown party kind 'client'; the kinds are {kinds}." == issue.message("en")


def test_an_unknown_status_in_an_event_lists_the_statuses() -> None:
    with pytest.raises(ValidationError) as caught:
        StatusChanged("p1", "qualify", "nope", "prospect", "ann", None, None)  # type: ignore[arg-type]
    issue = caught.value.issues[0]
    assert ("value.invalid_choice", "source") == (issue.code, issue.path)
    assert "suspect, prospect" in issue.message("fr")


@pytest.mark.parametrize(
    ("field", "typed", "compact"),
    [
        ("enterprise_number", "BE 0403.170.701", "0403170701"),
        ("vat_number", "be 0403.170.701", "BE0403170701"),
        ("email", " Info@Peeters.BE", "info@peeters.be"),
        ("phone", "02 123 45 67", "+3221234567"),
    ],
)
def test_identifiers_are_stored_compact_however_the_party_is_built(
    field: str, typed: str, compact: str
) -> None:
    built = Party(kind="client_company", name="A", address={"country": "BE"}, **{field: typed})  # type: ignore[arg-type]
    read = from_row({"kind": "client_company", "name": "A", "address.country": "BE", field: typed})
    assert (compact, compact) == (getattr(built, field), getattr(read, field))


def test_an_invalid_identifier_is_kept_as_typed() -> None:
    assert (
        "BE 0403.170.702"
        == Party(
            kind="client_company", name="A", enterprise_number="BE 0403.170.702"
        ).enterprise_number
    )
