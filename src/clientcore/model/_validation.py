"""Validation of a whole party: every issue, never only the first.

>>> from clientcore.model import Party, PartyKind
>>> p = Party(kind="client_person", name="Jan Peeters", national_number="85073003329",
...           email="jan@")
>>> [(i.path, i.code) for i in validate_party(p)]
[('national_number', 'identifier.invalid_checksum'), ('email', 'identifier.invalid_format')]
"""

from __future__ import annotations

from typing import Any

from clientcore._errors import Issue, ValidationError
from clientcore.model._identifiers import IDENTIFIERS
from clientcore.model._party import (
    ContactPerson,
    GeneralCorrespondence,
    Party,
    structural_issues,
)
from clientcore.model._paths import read_path
from clientcore.model._schema import FieldType, Schema, default_schema, value_issue

_SCALAR_IDENTIFIERS = tuple(
    (path, ident) for path, ident in IDENTIFIERS.items() if not path.startswith("contacts.")
)


def _read(party: Party, path: str) -> Any:
    return read_path(party, path)


def validate_party(party: Party, schema: Schema | None = None) -> list[Issue]:
    """Every rule ``party`` breaks, as issues with code, path and params.

    Pass a ``schema`` with custom fields to check custom values and refuse unknown ones.
    """
    catalogue = schema or default_schema()
    issues = structural_issues(party)
    if not party.name:
        issues.append(Issue("party.name.blank", "name"))
    country = party.address.country if party.address is not None else None
    for path, ident in _SCALAR_IDENTIFIERS:
        value = _read(party, path)
        if value is None:
            continue
        where = country
        if path.startswith("correspondence_address."):
            ca = party.correspondence_address
            where = ca.country if ca is not None else None
        issue = ident.explain(value, where)
        if issue is not None:
            issues.append(Issue(issue.code, path, issue.params))
    for field in catalogue.top_level():
        if field.custom or field.identifier or field.type is FieldType.COLLECTION:
            continue
        issue = value_issue(field, _read(party, field.path))
        if issue is not None:
            issues.append(issue)
    email_type, phone_type = IDENTIFIERS["contacts.email"], IDENTIFIERS["contacts.phone"]
    owned: tuple[tuple[str, tuple[ContactPerson | GeneralCorrespondence, ...]], ...] = (
        ("contacts", party.contacts),
        ("correspondence", party.correspondence),
    )
    for collection, items in owned:
        for index, item in enumerate(items):
            for name, ident in (("email", email_type), ("phone", phone_type)):
                value = getattr(item, name)
                if value is not None:
                    issue = ident.explain(value, country)
                    if issue is not None:
                        path = f"{collection}[{index}].{name}"
                        issues.append(Issue(issue.code, path, issue.params))
    postal_code = IDENTIFIERS["address.postal_code"]
    for index, location in enumerate(party.locations):
        address = location.address
        if address is not None and address.postal_code is not None:
            issue = postal_code.explain(address.postal_code, address.country or country)
            if issue is not None:
                path = f"locations[{index}].address.postal_code"
                issues.append(Issue(issue.code, path, issue.params))
    issues.extend(_custom_issues(party, catalogue, check_unknown=schema is not None))
    return issues


def _custom_issues(party: Party, schema: Schema, *, check_unknown: bool) -> list[Issue]:
    issues: list[Issue] = []
    for category, values in party.custom.items():
        for key, value in values.items():
            path = f"custom.{category}.{key}"
            field = schema.get(path)
            if field is None:
                if check_unknown:
                    suggestion = schema.suggest(path)
                    issues.append(Issue("field.unknown", path, {"suggestion": suggestion or ""}))
                continue
            issue = value_issue(field, value)
            if issue is not None:
                issues.append(issue)
    return issues


def check_party(party: Party, schema: Schema | None = None) -> Party:
    """Return ``party`` when it is valid; raise :class:`ValidationError` with every issue."""
    issues = validate_party(party, schema)
    if issues:
        raise ValidationError(issues)
    return party
