"""Validation of a whole party: every issue, never only the first.

>>> from clientcore.model import Party, PartyKind
>>> p = Party(kind="client_person", name="Jan Peeters", national_number="85073003329",
...           email="jan@")
>>> [(i.path, i.code) for i in validate_party(p)]
[('national_number', 'identifier.invalid_checksum'), ('email', 'identifier.invalid_format')]
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable
from typing import Any

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
    Field,
    FieldType,
    Schema,
    default_schema,
    plain_values,
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
    judged = [
        field
        for field in catalogue.top_level()
        if not (field.custom or field.identifier or field.type is FieldType.COLLECTION)
    ]
    values = tuple((attribute_reader(field.path), value_checker(field)) for field in judged)
    values_fine = _values_fine(judged)
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
        if not values_fine(party):  # then every issue, in the catalogue's order
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


def _values_fine(fields: list[Field]) -> Callable[[Party], bool]:
    """Whether every value a party holds for ``fields`` (top-level fields, or fields one
    level down such as ``address.city``) passes its check at a glance
    (:func:`plain_values`), asked with few calls: the attributes of the party, then those
    of each part it holds, each read at once. A party it says no to is judged field by
    field in the catalogue's order, for its issues (a value may still pass there)."""
    Glance = tuple[str, frozenset[type], frozenset[str] | None]
    by_holder: dict[str | None, list[Glance]] = {}
    for field in fields:
        head, dot, tail = field.path.partition(".")
        if "." in tail:  # deeper paths are read one by one
            return lambda party: False
        glance = (tail if dot else head, *plain_values(field))
        by_holder.setdefault(head if dot else None, []).append(glance)
    groups = tuple(
        (head, _reader([name for name, _, _ in found]), tuple((t, c) for _, t, c in found))
        for head, found in by_holder.items()
    )

    def fine(party: Party) -> bool:
        for head, read, glances in groups:
            holder = party if head is None else getattr(party, head, None)
            if holder is None:
                continue
            try:
                found = read(holder)
            except AttributeError:  # not what the catalogue describes
                return False
            for value, (plain, choices) in zip(found, glances):
                if value is None:
                    continue
                if choices is None:
                    if value.__class__ not in plain:
                        return False
                elif not (isinstance(value, str) and value in choices):
                    return False
        return True

    return fine


def _reader(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The attributes ``names`` of an object, as a tuple, read in one call."""
    if len(names) > 1:
        return operator.attrgetter(*names)
    if names:
        one = operator.attrgetter(names[0])
        return lambda found: (one(found),)
    return lambda found: ()


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
