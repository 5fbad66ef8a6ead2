"""Contacts attached to a location that does not exist, found in raw records.

A :class:`~clientcore.Party` refuses such a contact when it is built, so the fault can
only live in raw data: a row of a file, a party-JSON object, a plain mapping. The
completeness readers look for it *before* the record becomes a party, load the party
with the reference cleared, and keep the fault as an issue, so that the rule
``contact_location`` reports it and the rest of the record is still checked.

>>> row = {"kind": "client_company", "name": "Peeters BV",
...        "locations": '[{"id": "gent"}]',
...        "contacts": '[{"id": "c1", "first_name": "An", "location_id": "brugge"}]'}
>>> [issue.message() for issue in unknown_locations(row)]
["Location 'brugge' of An (c1) does not exist on this party."]
>>> cleared, issues = clear_unknown_locations(row)
>>> cleared["contacts"], issues[0].path
('[{"id": "c1", "first_name": "An"}]', 'contacts[0].location_id')
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

from clientcore._errors import Issue
from clientcore._messages import define

#: The issue of a contact person or general correspondence whose location does not
#: exist on its party.
LOCATION_UNKNOWN: Final = "completeness.location.unknown"

define(
    {
        LOCATION_UNKNOWN: (
            "Location '{location_id}' of {contact} does not exist on this party.",
            "Locatie '{location_id}' van {contact} bestaat niet bij deze partij.",
            "L'établissement '{location_id}' de {contact} n'existe pas pour cette partie.",
        ),
    }
)

# Collections whose items may point at a location, and the fields that name an item.
_ATTACHED: Final = (("contacts", ("first_name", "last_name")), ("correspondence", ("name",)))


def _get(item: Any, name: str) -> Any:
    """Field ``name`` of a mapping (a row, party JSON) or of an object (a party)."""
    if isinstance(item, Mapping):
        return item.get(name)
    return getattr(item, name, None)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    return text or None


def _items(value: Any) -> list[Any] | None:
    """The items of a collection: a list, or a JSON array in a row's cell; ``None``
    when it cannot be read (the row codec reports that cell itself)."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return []
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            return None
        return data if isinstance(data, list) else None
    if isinstance(value, (list, tuple)):
        return list(value)
    return None


def _might_point(value: Any) -> bool:
    """Cheap pre-test: a row's cell without the word cannot hold a reference."""
    return not (isinstance(value, str) and "location_id" not in value)


def _scan(record: Any) -> list[tuple[str, int, Issue]]:
    found: list[tuple[str, int, Issue]] = []
    location_ids: set[str] | None = None
    for collection, name_fields in _ATTACHED:
        value = _get(record, collection)
        if not value or not _might_point(value):
            continue
        items = _items(value)
        if not items:
            continue
        for index, item in enumerate(items):
            location_id = _text(_get(item, "location_id"))
            if location_id is None:
                continue
            if location_ids is None:
                locations = _items(_get(record, "locations"))
                if locations is None:
                    return []  # unreadable locations: the codec reports that cell
                location_ids = {i for i in (_text(_get(loc, "id")) for loc in locations) if i}
            if location_id in location_ids:
                continue
            name = " ".join(t for t in (_text(_get(item, f)) for f in name_fields) if t)
            item_id = _text(_get(item, "id"))
            contact = f"{name} ({item_id})" if name and item_id else (name or item_id or "?")
            issue = Issue(
                LOCATION_UNKNOWN,
                f"{collection}[{index}].location_id",
                {"contact": contact, "location_id": location_id},
            )
            found.append((collection, index, issue))
    return found


def unknown_locations(record: Any) -> list[Issue]:
    """The contacts and general correspondence of ``record`` (a party, a row or a
    party-JSON mapping) attached to a location the record does not have."""
    return [issue for _, _, issue in _scan(record)]


def clear_unknown_locations(
    record: Mapping[str, Any],
) -> tuple[Mapping[str, Any], list[Issue]]:
    """``record`` with every reference to a missing location cleared, and the issues.

    The record is copied only when something is cleared; a row's JSON cell stays a JSON
    text, a party-JSON list stays a list.
    """
    found = _scan(record)
    if not found:
        return record, []
    cleared = dict(record)
    for collection in {c for c, _, _ in found}:
        original = record[collection]
        items = list(_items(original) or [])
        for _, index, _ in (f for f in found if f[0] == collection):
            item = items[index]
            if isinstance(item, Mapping):
                items[index] = {k: v for k, v in item.items() if k != "location_id"}
        cleared[collection] = (
            json.dumps(items, ensure_ascii=False) if isinstance(original, str) else items
        )
    return cleared, [issue for _, _, issue in found]


__all__ = ["LOCATION_UNKNOWN", "clear_unknown_locations", "unknown_locations"]
