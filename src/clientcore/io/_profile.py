"""Import profiles: data that says how another program's export maps onto clientcore.

A profile maps source columns to field paths and source values to ours, sets defaults
(kind, country), the date order and decimal separator, and may drop named columns on
purpose. It is a JSON or TOML file, checked strictly: every fault is reported with its
path. Two are built in: ``generic`` (recognition only) and ``exact_online``.

>>> profile = load_profile("exact_online")
>>> profile.columns["ChamberOfCommerce"], profile.values["Status"]["C"], profile.defaults["kind"]
('kvk_number', 'client', 'client_company')
>>> load_profile({"name": "mine", "columns": {"Naam": "nam"}})
Traceback (most recent call last):
...
clientcore._errors.ValidationError: $.columns.Naam: The column map names 'nam', ...
"""

from __future__ import annotations

import json
import os
import pathlib
import tomllib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs

from clientcore._errors import Issue, ValidationError
from clientcore._messages import define
from clientcore.io._headers import check_paths
from clientcore.model import (
    FieldType,
    Schema,
    default_schema,
    parse_bool,
    parse_country,
    parse_date,
    parse_kind,
    parse_language,
    parse_status,
)

define(
    {
        "profile.invalid": (
            "Invalid profile at {path}: {reason}.",
            "Ongeldig profiel op {path}: {reason}.",
            "Profil invalide à {path} : {reason}.",
        ),
        "profile.unknown": (
            "No profile '{name}': give a .json or .toml file, or one of {names}.",
            "Geen profiel '{name}': geef een .json- of .toml-bestand, of een van {names}.",
            "Pas de profil '{name}' : donnez un fichier .json ou .toml, ou l'un de {names}.",
        ),
        "profile.value.invalid": (
            "Invalid profile at {path}: '{value}' is not a value of '{field}' ({reason}).",
            "Ongeldig profiel op {path}: '{value}' is geen waarde van '{field}' ({reason}).",
            "Profil invalide à {path} : '{value}' n'est pas une valeur de '{field}' ({reason}).",
        ),
    }
)

_KEYS: Final = frozenset(
    {
        "name",
        "columns",
        "values",
        "defaults",
        "date_order",
        "decimal",
        "drop",
        "checkbox",
        "kind_rule",
    }
)
_ROLES: Final = ("client", "relation")
_RULE_KEYS: Final = frozenset({"role", "person", "company"})


def _texts_tuple(value: object) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, (list, tuple)) else ()


def _frozen_map(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


def _frozen_values(value: Mapping[str, Mapping[str, str]]) -> Mapping[str, Mapping[str, str]]:
    return MappingProxyType({k: MappingProxyType(dict(v)) for k, v in value.items()})


@attrs.frozen
class KindRule:
    """How a row without a kind gets one, said by the user, never guessed.

    ``role`` is ``client`` or ``relation``; a row is a person when one of the ``person``
    fields is filled and none of the ``company`` fields, a company the other way round.
    A row where both or neither are filled gets no kind from the rule (then the
    profile's default kind, if any, else a row error naming the fields).

    >>> rule = KindRule("client", ("national_number",), ("enterprise_number", "legal_form"))
    >>> rule.kind_of({"national_number": "85073003328"}), rule.kind_of({"legal_form": "BV"})
    ('client_person', 'client_company')
    >>> rule.kind_of({}) is None, rule.kind_of({"national_number": "x", "legal_form": "BV"})
    (True, None)
    """

    role: str
    person: tuple[str, ...] = attrs.field(converter=_texts_tuple)
    company: tuple[str, ...] = attrs.field(converter=_texts_tuple)

    def kind_of(self, record: Mapping[str, Any]) -> str | None:
        """The kind this rule gives ``record`` (paths to values), or ``None``."""
        person = not all(blank(record.get(path)) for path in self.person)
        company = not all(blank(record.get(path)) for path in self.company)
        if person == company:
            return None
        return f"{self.role}_{'person' if person else 'company'}"

    def to_json(self) -> dict[str, Any]:
        """The rule as JSON-ready data."""
        return {"role": self.role, "person": list(self.person), "company": list(self.company)}


def blank(value: object) -> bool:
    """An empty cell of a read row: ``None`` or whitespace-only text (io's one rule)."""
    return value is None or (isinstance(value, str) and not value.strip())


@attrs.frozen
class Profile:
    """How to read one program's export (see the module docstring).

    ``columns``: source heading → field path. ``values``: source heading → {source value
    → our value}. ``defaults``: field path → value for a blank or missing cell.
    ``date_order``: ``dmy`` (the default; ISO dates are always read) or ``mdy``.
    ``decimal``: ``,`` or ``.`` (``None``: either, one separator being decimal).
    ``drop``: source headings left out on purpose. ``checkbox``: source headings where
    ``x`` means yes and an empty cell no. ``kind_rule``: how a row without a kind gets
    one (:class:`KindRule`).
    """

    name: str
    columns: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_map, hash=False)
    values: Mapping[str, Mapping[str, str]] = attrs.field(
        factory=dict, converter=_frozen_values, hash=False
    )
    defaults: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_map, hash=False)
    date_order: str = "dmy"
    decimal: str | None = None
    drop: tuple[str, ...] = attrs.field(default=(), converter=_texts_tuple)
    checkbox: tuple[str, ...] = attrs.field(default=(), converter=_texts_tuple)
    kind_rule: KindRule | None = None

    def to_json(self) -> dict[str, Any]:
        """The profile as JSON-ready data (what :func:`load_profile` reads back)."""
        data: dict[str, Any] = {"name": self.name}
        if self.columns:
            data["columns"] = dict(self.columns)
        if self.values:
            data["values"] = {k: dict(v) for k, v in self.values.items()}
        if self.defaults:
            data["defaults"] = dict(self.defaults)
        data["date_order"] = self.date_order
        if self.decimal is not None:
            data["decimal"] = self.decimal
        if self.drop:
            data["drop"] = list(self.drop)
        if self.checkbox:
            data["checkbox"] = list(self.checkbox)
        if self.kind_rule is not None:
            data["kind_rule"] = self.kind_rule.to_json()
        return data


GENERIC: Final = Profile("generic")

#: Exact Online's accounts export (CRM › Accounts; the REST resource ``crm/Accounts``
#: has the same names). ``Status`` is S, P or C (suspect, prospect, customer).
#: ``ChamberOfCommerce`` holds the KvK number in the Netherlands; a Belgian firm maps
#: it to ``enterprise_number`` (``--map ChamberOfCommerce=enterprise_number``).
EXACT_ONLINE: Final = Profile(
    "exact_online",
    columns={
        "ID": "external.exact_online",
        "Code": "number",
        "Name": "name",
        "Status": "status",
        "VATNumber": "vat_number",
        "ChamberOfCommerce": "kvk_number",
        "Email": "email",
        "Phone": "phone",
        "Website": "website",
        "AddressLine1": "address.street",
        "Postcode": "address.postal_code",
        "City": "address.city",
        "Country": "address.country",
        "Language": "language",
    },
    values={"Status": {"S": "suspect", "P": "prospect", "C": "client"}},
    defaults={"kind": "client_company"},
    drop=(
        "AddressLine2",
        "AddressLine3",
        "CountryName",
        "LanguageDescription",
        "Division",
        "Created",
        "Modified",
        "Fax",
        "IsSupplier",
        "IsReseller",
        "IsAccountant",
        "IsCompetitor",
        "Blocked",
        "AccountManagerFullName",
    ),
)

#: The built-in profiles by name.
PROFILES: Final[Mapping[str, Profile]] = MappingProxyType(
    {"generic": GENERIC, "exact_online": EXACT_ONLINE}
)


def load_profile(
    source: str | os.PathLike[str] | Mapping[str, Any] | Profile, schema: Schema | None = None
) -> Profile:
    """A profile from a built-in name, a ``.json`` or ``.toml`` file, or parsed data.

    Every fault (an unknown key, a wrong type, a path that is no field, a value our
    field cannot hold) is reported at once in a :class:`~clientcore.ValidationError`
    whose issues carry the JSON path (``$.values.Status.X``).
    """
    if isinstance(source, Profile):
        return source
    if isinstance(source, Mapping):
        return _decode(source, schema)
    text = os.fspath(source)
    if text in PROFILES:
        return PROFILES[text]
    file = pathlib.Path(text)
    suffix = file.suffix.lower()
    if suffix not in (".json", ".toml"):
        raise ValidationError(
            [Issue("profile.unknown", "profile", {"name": text, "names": sorted(PROFILES)})]
        )
    raw = file.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8-sig")) if suffix == ".toml" else json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationError([Issue("profile.invalid", "$", {"reason": str(exc)[:120]})]) from None
    return _decode(data, schema)


def _bad(path: str, reason: str) -> Issue:
    return Issue("profile.invalid", path, {"reason": reason})


def _texts(value: Any, path: str, issues: list[Issue]) -> dict[str, str]:
    if not isinstance(value, Mapping):
        issues.append(_bad(path, "expected an object of texts"))
        return {}
    out = {}
    for key, item in value.items():
        if not isinstance(item, str) or not str(key).strip():
            issues.append(_bad(f"{path}.{key}", "expected text"))
            continue
        out[str(key)] = item
    return out


def _list(value: Any, path: str, issues: list[Issue]) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        issues.append(_bad(path, "expected a list of texts"))
        return ()
    return tuple(value)


def _decode(data: Any, schema: Schema | None) -> Profile:
    issues: list[Issue] = []
    if not isinstance(data, Mapping):
        raise ValidationError([_bad("$", "expected an object")])
    for key in data:
        if key not in _KEYS:
            issues.append(_bad(f"$.{key}", f"unknown key (known: {', '.join(sorted(_KEYS))})"))
    name = data.get("name", "profile")
    if not isinstance(name, str) or not name.strip():
        issues.append(_bad("$.name", "expected a non-empty text"))
        name = "profile"
    columns = _texts(data.get("columns", {}), "$.columns", issues)
    for source, target in columns.items():
        issues.extend(check_paths([target], schema, f"$.columns.{source}"))
    defaults = _texts(data.get("defaults", {}), "$.defaults", issues)
    issues.extend(i for path in defaults for i in check_paths([path], schema, f"$.defaults.{path}"))
    for path, value in defaults.items():
        issues.extend(_value_issues(path, value, schema, f"$.defaults.{path}"))
    values: dict[str, dict[str, str]] = {}
    raw_values = data.get("values", {})
    if not isinstance(raw_values, Mapping):
        issues.append(_bad("$.values", "expected an object of objects"))
        raw_values = {}
    for source, mapping in raw_values.items():
        values[str(source)] = _texts(mapping, f"$.values.{source}", issues)
        mapped = columns.get(str(source))
        if mapped is not None:
            for given, ours in values[str(source)].items():
                issues.extend(_value_issues(mapped, ours, schema, f"$.values.{source}.{given}"))
    order: Any = data.get("date_order", "dmy")
    if order not in ("dmy", "mdy"):
        issues.append(_bad("$.date_order", f"expected 'dmy' or 'mdy', not {order!r}"))
    decimal = data.get("decimal")
    if decimal not in (None, ",", "."):
        issues.append(_bad("$.decimal", f"expected ',' or '.', not {decimal!r}"))
    drop = _list(data.get("drop", []), "$.drop", issues)
    checkbox = _list(data.get("checkbox", []), "$.checkbox", issues)
    rule = _kind_rule(data["kind_rule"], schema, issues) if "kind_rule" in data else None
    if issues:
        raise ValidationError(issues)
    return Profile(name, columns, values, defaults, order, decimal, drop, checkbox, rule)


def _kind_rule(data: Any, schema: Schema | None, issues: list[Issue]) -> KindRule | None:
    if not isinstance(data, Mapping):
        issues.append(_bad("$.kind_rule", "expected an object with role, person and company"))
        return None
    found = len(issues)
    for key in data:
        if key not in _RULE_KEYS:
            known = ", ".join(sorted(_RULE_KEYS))
            issues.append(_bad(f"$.kind_rule.{key}", f"unknown key (known: {known})"))
    role = data.get("role")
    if role not in _ROLES:
        issues.append(_bad("$.kind_rule.role", f"expected 'client' or 'relation', not {role!r}"))
    sides = {}
    for side in ("person", "company"):
        where = f"$.kind_rule.{side}"
        paths = _list(data.get(side), where, issues)
        if side in data and not paths and isinstance(data.get(side), list):
            issues.append(_bad(where, "expected at least one field path"))
        issues.extend(check_paths(list(paths), schema, where))
        sides[side] = paths
    for path in sorted(set(sides["person"]) & set(sides["company"])):
        issues.append(_bad("$.kind_rule", f"'{path}' cannot say both person and company"))
    if len(issues) > found:
        return None
    return KindRule(str(role), sides["person"], sides["company"])


def _value_issues(path: str, value: str, schema: Schema | None, where: str) -> list[Issue]:
    """Whether our field at ``path`` can hold ``value`` (read with the model's vocabulary)."""
    field = (schema or default_schema()).get(path)
    if field is None:
        return []
    parse: Any = {
        "kind": parse_kind,
        "status": parse_status,
        "language": parse_language,
        "address.country": parse_country,
        "correspondence_address.country": parse_country,
    }.get(path)
    if parse is None and field.type is FieldType.BOOL:
        parse = parse_bool
    if parse is None and field.type is FieldType.DATE:
        parse = parse_date
    if parse is None:
        return []
    try:
        parse(value)
    except ValidationError as exc:
        reason = exc.issues[0].message() if exc.issues else "invalid"
        return [
            Issue(
                "profile.value.invalid",
                where,
                {"value": value, "field": path, "reason": reason.rstrip(".")},
            )
        ]
    return []


__all__ = ["EXACT_ONLINE", "GENERIC", "PROFILES", "KindRule", "Profile", "load_profile"]
