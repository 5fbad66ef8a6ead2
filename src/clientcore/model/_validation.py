"""Validation of a whole party: every issue, never only the first.

>>> from clientcore.model import Party, PartyKind
>>> p = Party(kind="client_person", name="Jan Peeters", national_number="85073003329",
...           email="jan@")
>>> [(i.path, i.code) for i in validate_party(p)]
[('national_number', 'identifier.invalid_checksum'), ('email', 'identifier.invalid_format')]
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from clientcore._errors import Issue, ValidationError
from clientcore.model._identifiers import IDENTIFIERS
from clientcore.model._party import (
    ContactPerson,
    GeneralCorrespondence,
    Party,
    structural_issues,
)
from clientcore.model._paths import attribute_reader
from clientcore.model._schema import (
    FieldType,
    Schema,
    default_schema,
    value_checker,
    value_issue,
)

_SCALAR_IDENTIFIERS = tuple(
    (path, ident) for path, ident in IDENTIFIERS.items() if not path.startswith("contacts.")
)

Validator = Callable[[Party], list[Issue]]


def validate_party(party: Party, schema: Schema | None = None) -> list[Issue]:
    """Every rule ``party`` breaks, as issues with code, path and params.

    Pass a ``schema`` with custom fields to check custom values and refuse unknown ones.
    """
    return party_validator(schema)(party)


def party_validator(schema: Schema | None = None) -> Validator:
    """:func:`validate_party` with ``schema`` as a function, made once for loops over many
    parties (an import, a check): the fields to read and how to judge them are worked
    out once, not for every party.

    >>> from clientcore.model import Party
    >>> check = party_validator()
    >>> [i.path for i in check(Party(kind="client_person", name="An", email="an@"))]
    ['email']
    """
    if schema is None:
        return _default_validator()
    return _validator(schema or default_schema(), check_unknown=True)


@functools.cache
def _default_validator() -> Validator:
    return _validator(default_schema(), check_unknown=False)


def _validator(catalogue: Schema, *, check_unknown: bool) -> Validator:
    identifiers = tuple(
        (path, ident, attribute_reader(path), path.startswith("correspondence_address."))
        for path, ident in _SCALAR_IDENTIFIERS
    )
    values = tuple(
        (attribute_reader(field.path), value_checker(field))
        for field in catalogue.top_level()
        if not (field.custom or field.identifier or field.type is FieldType.COLLECTION)
    )
    email_type, phone_type = IDENTIFIERS["contacts.email"], IDENTIFIERS["contacts.phone"]
    postal_code = IDENTIFIERS["address.postal_code"]

    def validate(party: Party) -> list[Issue]:
        issues = structural_issues(party)
        if not party.name:
            issues.append(Issue("party.name.blank", "name"))
        address = party.address
        country = address.country if address is not None else None
        for path, ident, read, elsewhere in identifiers:
            value = read(party)
            if value is None:
                continue
            where = country
            if elsewhere:
                ca = party.correspondence_address
                where = ca.country if ca is not None else None
            issue = ident.explain(value, where)
            if issue is not None:
                issues.append(Issue(issue.code, path, issue.params))
        for read, check in values:
            issue = check(read(party))
            if issue is not None:
                issues.append(issue)
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
        for index, location in enumerate(party.locations):
            located = location.address
            if located is not None and located.postal_code is not None:
                issue = postal_code.explain(located.postal_code, located.country or country)
                if issue is not None:
                    path = f"locations[{index}].address.postal_code"
                    issues.append(Issue(issue.code, path, issue.params))
        if party.custom:
            issues.extend(_custom_issues(party, catalogue, check_unknown=check_unknown))
        return issues

    return validate


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
