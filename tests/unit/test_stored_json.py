"""party_from_stored_json: a store's own records read back fast, equal to party_from_json."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings

from clientcore import ValidationError
from clientcore.model import party_from_json, party_from_stored_json, party_to_json
from clientcore.sample import generate
from tests.strategies import parties


def _stored(party: Any) -> Any:
    """The record as a store reads it back: JSON text parsed again."""
    return json.loads(json.dumps(party_to_json(party), ensure_ascii=False))


@settings(max_examples=150, deadline=None)
@given(parties())
def test_equals_the_reference_reading(party: Any) -> None:
    doc = _stored(party)
    fast = party_from_stored_json(doc)
    assert fast == party_from_json(doc, trusted=True)
    if not party.custom:  # JSON has no date: a custom date comes back as text
        assert fast == party
    assert fast.folded_labels == party.folded_labels
    assert party_to_json(fast) == party_to_json(party)


def test_sample_parties_read_back_equal() -> None:
    sample = generate(300, seed=3)
    assert [party_from_stored_json(_stored(p)) for p in sample] == sample


def test_values_are_typed_and_shared() -> None:
    party = generate(50, seed=1)[-1]
    read = party_from_stored_json(_stored(party))
    assert type(read.kind) is type(party.kind)
    assert type(read.status) is type(party.status)
    assert party.tasks
    assert all(type(t) is type(party.tasks[0]) for t in read.tasks)
    again = party_from_stored_json(_stored(party))
    assert read.address is not None
    assert again.address is not None
    assert read.address.city is again.address.city  # interned, as the converter does
    assert read.tasks is again.tasks  # shared, as the converter does


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"name": 5}, "name"),
        ({"labels": [1]}, "labels"),
        ({"client_since": "not a date"}, "client_since"),
        ({"kind": "nonsense"}, "kind"),
        ({"unknown": 1}, "$"),
    ],
)
def test_a_record_that_does_not_fit_is_refused_by_the_full_reading(
    change: dict[str, Any], path: str
) -> None:
    doc = {**_stored(generate(5, seed=0)[2]), **change}
    with pytest.raises(ValidationError) as fast:
        party_from_stored_json(doc)
    with pytest.raises(ValidationError) as reference:
        party_from_json(doc, trusted=True)
    assert fast.value.issues == reference.value.issues
    assert any(path in i.path for i in fast.value.issues)


def test_rules_across_fields_still_hold() -> None:
    doc = _stored(generate(5, seed=0)[2])
    broken = {**doc, "client_since": "2020-01-01", "client_until": "2019-01-01"}
    with pytest.raises(ValidationError) as caught:
        party_from_stored_json(broken)
    assert [i.code for i in caught.value.issues] == ["party.dates.order"]


def test_a_missing_key_is_read_the_full_way() -> None:
    doc = _stored(generate(5, seed=0)[2])
    del doc["website"]
    assert party_from_stored_json(doc) == party_from_json(doc, trusted=True)


def test_another_type_is_read_as_the_full_reading_reads_it() -> None:
    doc = {**_stored(generate(5, seed=0)[2]), "archived": 1, "version": "2"}
    assert party_from_stored_json(doc) == party_from_json(doc, trusted=True)
