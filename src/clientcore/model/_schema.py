"""The field catalogue: every addressable field of a party, once.

A field has a dotted path (public API: saved filters store it), a type, labels in
en/nl/fr, a column group and whether bulk edits may set it. Hosts register custom
fields, which appear as ``custom.<category>.<key>``.

>>> schema = default_schema().with_custom(CustomField("kyc", "source_of_funds", FieldType.TEXT))
>>> schema.field("custom.kyc.source_of_funds").type
<FieldType.TEXT: 'text'>
>>> try:
...     schema.field("adress.city")
... except UnknownField as err:
...     print(err.suggestion)
address.city
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from enum import StrEnum
from functools import cache
from typing import Any, Final

import attrs

from clientcore._errors import Issue, UnknownField, ValidationError
from clientcore._messages import define
from clientcore.model._paths import path_reader

define(
    {
        "schema.custom.invalid": (
            "Custom field '{category}.{key}': {reason}.",
            "Eigen veld '{category}.{key}': {reason}.",
            "Champ personnalisé '{category}.{key}' : {reason}.",
        ),
    }
)


class FieldType(StrEnum):
    """The kind of value a field holds; it decides which filter operators fit."""

    TEXT = "text"
    NUMBER = "number"
    BOOL = "bool"
    DATE = "date"
    CHOICE = "choice"
    LABELS = "labels"
    COLLECTION = "collection"


class Applies(StrEnum):
    """Which parties have the field."""

    ANY = "any"
    COMPANY = "company"
    PERSON = "person"


Labels = tuple[str, str, str]


@attrs.frozen
class Field:
    """One addressable field of the catalogue."""

    path: str
    type: FieldType
    labels: Labels
    group: str
    bulk_editable: bool = False
    choices: tuple[str, ...] | None = None
    identifier: str | None = None
    applies_to: Applies = Applies.ANY
    item_of: str | None = None  # set on the fields of a collection's items (``tasks.code``)
    custom: bool = False
    reveals_status: bool = False  # conditions on it betray a party's status (see restrict)

    def label(self, lang: str = "en") -> str:
        """The column heading in ``lang`` (en, nl or fr)."""
        return (
            self.labels[("en", "nl", "fr").index(lang)]
            if lang in ("en", "nl", "fr")
            else (self.labels[0])
        )

    @property
    def relative_path(self) -> str:
        """The path inside the collection item (``code`` for ``tasks.code``)."""
        if self.item_of is None:
            return self.path
        return self.path[len(self.item_of) + 1 :]

    def getter(self) -> Callable[[Any], Any]:
        """A function reading this field from a :class:`~clientcore.model.Party`."""
        return path_reader(self.relative_path)


def _opt_tuple(value: Iterable[str] | None) -> tuple[str, ...] | None:
    return tuple(value) if value is not None else None


@attrs.frozen
class CustomField:
    """A field a host adds to the catalogue, shown as ``custom.<category>.<key>``."""

    category: str
    key: str
    type: FieldType = FieldType.TEXT
    labels: Labels | None = None
    choices: tuple[str, ...] | None = attrs.field(default=None, converter=_opt_tuple)
    bulk_editable: bool = True
    reveals_status: bool = False

    @property
    def path(self) -> str:
        """``custom.<category>.<key>``."""
        return f"custom.{self.category}.{self.key}"

    def to_field(self) -> Field:
        """This custom field as a catalogue entry."""
        labels = self.labels or (self.key, self.key, self.key)
        return Field(
            self.path,
            self.type,
            labels,
            f"custom:{self.category}",
            bulk_editable=self.bulk_editable,
            choices=self.choices,
            custom=True,
            reveals_status=self.reveals_status,
        )


T, N, B, D, C, L, COL = (
    FieldType.TEXT,
    FieldType.NUMBER,
    FieldType.BOOL,
    FieldType.DATE,
    FieldType.CHOICE,
    FieldType.LABELS,
    FieldType.COLLECTION,
)
CO, PE = Applies.COMPANY, Applies.PERSON

# path, type, (en, nl, fr), group, bulk-editable, extra
_BUILTIN: Final[tuple[tuple[Any, ...], ...]] = (
    ("id", T, ("Id", "Id", "Id"), "identity", False, {}),
    ("kind", C, ("Kind", "Soort", "Type"), "identity", False, {"choices": "kind"}),
    ("number", T, ("Client number", "Klantnummer", "Numéro de client"), "identity", False, {}),
    ("name", T, ("Name", "Naam", "Nom"), "identity", False, {}),
    ("status", C, ("Status", "Status", "Statut"), "identity", False, {"choices": "status"}),
    ("language", C, ("Language", "Taal", "Langue"), "identity", True, {"choices": "language"}),
    ("first_name", T, ("First name", "Voornaam", "Prénom"), "identity", False, {"applies": PE}),
    (
        "last_name",
        T,
        ("Last name", "Achternaam", "Nom de famille"),
        "identity",
        False,
        {"applies": PE},
    ),
    (
        "birth_date",
        D,
        ("Birth date", "Geboortedatum", "Date de naissance"),
        "identity",
        False,
        {"applies": PE},
    ),
    (
        "legal_form",
        T,
        ("Legal form", "Rechtsvorm", "Forme juridique"),
        "identity",
        True,
        {"applies": CO},
    ),
    ("vat_liable", B, ("VAT liable", "Btw-plichtig", "Assujetti à la TVA"), "tax", True, {}),
    (
        "national_number",
        T,
        ("National number", "Rijksregisternummer", "Numéro de registre national"),
        "tax",
        False,
        {"applies": PE, "identifier": "national_number"},
    ),
    (
        "enterprise_number",
        T,
        ("Enterprise number", "Ondernemingsnummer", "Numéro d'entreprise"),
        "tax",
        False,
        {"applies": CO, "identifier": "enterprise_number"},
    ),
    (
        "vat_number",
        T,
        ("VAT number", "Btw-nummer", "Numéro de TVA"),
        "tax",
        False,
        {"identifier": "vat_number"},
    ),
    ("bsn", T, ("BSN", "BSN", "BSN"), "tax", False, {"applies": PE, "identifier": "bsn"}),
    (
        "kvk_number",
        T,
        ("KvK number", "KvK-nummer", "Numéro KvK"),
        "tax",
        False,
        {"applies": CO, "identifier": "kvk_number"},
    ),
    ("iban", T, ("IBAN", "IBAN", "IBAN"), "billing", False, {"identifier": "iban"}),
    ("email", T, ("E-mail", "E-mail", "E-mail"), "contact", False, {"identifier": "email"}),
    ("phone", T, ("Phone", "Telefoon", "Téléphone"), "contact", False, {"identifier": "phone"}),
    ("website", T, ("Website", "Website", "Site web"), "contact", False, {}),
    # Addresses are bulk-editable so that the grid's "update postal addresses" action
    # (VIES, KBO/BCE, eID) is a bulk plan with preview, apply and undo.
    ("address.street", T, ("Street", "Straat", "Rue"), "address", True, {}),
    (
        "address.postal_code",
        T,
        ("Postal code", "Postcode", "Code postal"),
        "address",
        True,
        {"identifier": "postal_code"},
    ),
    ("address.city", T, ("City", "Gemeente", "Commune"), "address", True, {}),
    ("address.country", T, ("Country", "Land", "Pays"), "address", True, {}),
    (
        "correspondence_address.street",
        T,
        ("Correspondence street", "Correspondentiestraat", "Rue (correspondance)"),
        "address",
        True,
        {},
    ),
    (
        "correspondence_address.postal_code",
        T,
        ("Correspondence postal code", "Correspondentiepostcode", "Code postal (correspondance)"),
        "address",
        True,
        {"identifier": "postal_code"},
    ),
    (
        "correspondence_address.city",
        T,
        ("Correspondence city", "Correspondentiegemeente", "Commune (correspondance)"),
        "address",
        True,
        {},
    ),
    (
        "correspondence_address.country",
        T,
        ("Correspondence country", "Correspondentieland", "Pays (correspondance)"),
        "address",
        True,
        {},
    ),
    ("labels", L, ("Labels", "Labels", "Labels"), "internal", True, {}),
    ("portfolio", T, ("Portfolio", "Portefeuille", "Portefeuille"), "internal", True, {}),
    ("client_since", D, ("Client since", "Klant sinds", "Client depuis"), "status", True, {}),
    ("client_until", D, ("Client until", "Klant tot", "Client jusqu'au"), "status", True, {}),
    (
        "eid.card_number",
        T,
        ("eID card number", "eID-kaartnummer", "Numéro de carte eID"),
        "identity",
        False,
        {"applies": PE, "identifier": "eid_card_number"},
    ),
    (
        "eid.valid_until",
        D,
        ("eID valid until", "eID geldig tot", "eID valable jusqu'au"),
        "identity",
        False,
        {"applies": PE},
    ),
    (
        "aml.risk",
        C,
        ("AML risk", "Antiwitwasrisico", "Risque anti-blanchiment"),
        "aml",
        True,
        {"choices": "risk"},
    ),
    (
        "aml.verified_on",
        D,
        ("AML verified on", "Antiwitwas gecontroleerd op", "Anti-blanchiment vérifié le"),
        "aml",
        True,
        {},
    ),
    (
        "billing.mode",
        T,
        ("Billing mode", "Facturatiewijze", "Mode de facturation"),
        "billing",
        True,
        {},
    ),
    (
        "billing.invoice_layout",
        T,
        ("Invoice layout", "Factuurlay-out", "Mise en page facture"),
        "billing",
        True,
        {},
    ),
    (
        "portal.enabled",
        B,
        ("Portal enabled", "Portaal actief", "Portail activé"),
        "portal",
        True,
        {},
    ),
    (
        "portal.forms_allowed",
        B,
        ("Forms allowed", "Formulieren toegelaten", "Formulaires autorisés"),
        "portal",
        True,
        {},
    ),
    (
        "staff.partner",
        T,
        ("Responsible partner", "Verantwoordelijk vennoot", "Associé responsable"),
        "internal",
        True,
        {},
    ),
    ("staff.declarant", T, ("Declarant", "Aangever", "Déclarant"), "internal", True, {}),
    (
        "staff.owner",
        T,
        ("Relationship owner", "Relatiebeheerder", "Gestionnaire de la relation"),
        "internal",
        True,
        {},
    ),
    ("tasks", COL, ("Tasks", "Taken", "Tâches"), "tasks", False, {}),
    (
        "tasks.code",
        T,
        ("Task code", "Taakcode", "Code de tâche"),
        "tasks",
        False,
        {"item_of": "tasks"},
    ),
    (
        "tasks.active",
        B,
        ("Task active", "Taak actief", "Tâche active"),
        "tasks",
        False,
        {"item_of": "tasks"},
    ),
    (
        "tasks.period",
        T,
        ("Task period", "Taakperiode", "Période de tâche"),
        "tasks",
        False,
        {"item_of": "tasks"},
    ),
    (
        "tasks.start",
        D,
        ("Task start", "Taakstart", "Début de tâche"),
        "tasks",
        False,
        {"item_of": "tasks"},
    ),
    (
        "contacts",
        COL,
        ("Contact persons", "Contactpersonen", "Personnes de contact"),
        "contacts",
        False,
        {},
    ),
    (
        "contacts.first_name",
        T,
        ("Contact first name", "Voornaam contact", "Prénom du contact"),
        "contacts",
        False,
        {"item_of": "contacts"},
    ),
    (
        "contacts.last_name",
        T,
        ("Contact last name", "Achternaam contact", "Nom du contact"),
        "contacts",
        False,
        {"item_of": "contacts"},
    ),
    (
        "contacts.email",
        T,
        ("Contact e-mail", "E-mail contact", "E-mail du contact"),
        "contacts",
        False,
        {"item_of": "contacts", "identifier": "email"},
    ),
    (
        "contacts.phone",
        T,
        ("Contact phone", "Telefoon contact", "Téléphone du contact"),
        "contacts",
        False,
        {"item_of": "contacts", "identifier": "phone"},
    ),
    (
        "contacts.role",
        T,
        ("Contact role", "Rol contact", "Rôle du contact"),
        "contacts",
        False,
        {"item_of": "contacts"},
    ),
    (
        "contacts.archived",
        B,
        ("Contact archived", "Contact gearchiveerd", "Contact archivé"),
        "contacts",
        False,
        {"item_of": "contacts"},
    ),
    (
        "contacts.location_id",
        T,
        ("Contact location", "Locatie contact", "Établissement du contact"),
        "contacts",
        False,
        {"item_of": "contacts"},
    ),
    ("locations", COL, ("Locations", "Locaties", "Établissements"), "locations", False, {}),
    (
        "locations.id",
        T,
        ("Location id", "Locatie-id", "Id d'établissement"),
        "locations",
        False,
        {"item_of": "locations"},
    ),
    (
        "locations.name",
        T,
        ("Location name", "Naam locatie", "Nom de l'établissement"),
        "locations",
        False,
        {"item_of": "locations"},
    ),
    (
        "last_verified_on",
        D,
        ("Last verified on", "Laatst gecontroleerd op", "Dernière vérification le"),
        "management",
        False,
        {},
    ),
    ("archived", B, ("Archived", "Gearchiveerd", "Archivé"), "management", False, {}),
    (
        "marked_for_deletion",
        B,
        ("Marked for deletion", "Gemarkeerd voor verwijdering", "Marqué pour suppression"),
        "management",
        False,
        {},
    ),
    ("attention", T, ("Attention", "Attentie", "Attention"), "management", False, {}),
    ("version", N, ("Version", "Versie", "Version"), "management", False, {}),
)

_CHOICES: Final[Mapping[str, tuple[str, ...]]] = {
    "kind": ("client_company", "client_person", "relation_company", "relation_person"),
    "status": (
        "suspect",
        "prospect",
        "acceptance_draft",
        "acceptance_pending",
        "acceptance_central_admin",
        "client",
        "former_client",
        "relation",
        "service_provider",
    ),
    "language": ("nl", "fr", "en", "de"),
    "risk": ("low", "medium", "high"),
}


def _builtin_fields() -> tuple[Field, ...]:
    out = []
    for path, type_, labels, group, bulk, extra in _BUILTIN:
        choices = _CHOICES[extra["choices"]] if "choices" in extra else None
        out.append(
            Field(
                path,
                type_,
                labels,
                group,
                bulk_editable=bulk,
                choices=choices,
                identifier=extra.get("identifier"),
                applies_to=extra.get("applies", Applies.ANY),
                item_of=extra.get("item_of"),
                reveals_status=path in STATUS_FIELDS,
            )
        )
    return tuple(out)


STATUS_FIELDS: Final = frozenset({"status", "client_since", "client_until"})
"""The built-in fields that betray a party's status (marked ``reveals_status``)."""
STATUS_RECORDS: Final = frozenset({"acceptance"})
"""Parts of a party outside the catalogue whose every sub-path betrays the status."""


@attrs.frozen
class Schema:
    """The field catalogue; immutable, extended with :meth:`with_custom`."""

    fields: tuple[Field, ...]
    _by_path: Mapping[str, Field] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_path", {f.path: f for f in self.fields})

    def __contains__(self, path: object) -> bool:
        return path in self._by_path

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    @property
    def paths(self) -> tuple[str, ...]:
        """Every path, in catalogue order."""
        return tuple(f.path for f in self.fields)

    @property
    def status_paths(self) -> frozenset[str]:
        """The paths whose conditions betray a party's status: every field marked
        ``reveals_status`` and the acceptance record; a condition on one of them, or on
        a sub-path of one (``status.value``, ``acceptance.approved_by``), is guarded."""
        return frozenset(f.path for f in self.fields if f.reveals_status) | STATUS_RECORDS

    def reveals_status(self, path: str) -> bool:
        """Whether a condition on ``path`` betrays a party's status."""
        return any(path == m or path.startswith(m + ".") for m in self.status_paths)

    def get(self, path: str) -> Field | None:
        """The field at ``path``, or ``None``."""
        return self._by_path.get(path)

    def field(self, path: str) -> Field:
        """The field at ``path``; an unknown path raises :class:`UnknownField` with a hint."""
        found = self._by_path.get(path)
        if found is None:
            raise UnknownField(path, self.suggest(path))
        return found

    def suggest(self, path: str) -> str | None:
        """The known path nearest to ``path``, if any is close."""
        close = difflib.get_close_matches(str(path), list(self._by_path), n=1, cutoff=0.6)
        return close[0] if close else None

    def item_fields(self, collection: str) -> Schema:
        """The fields of one item of ``collection``, with paths relative to the item."""
        parent = self.field(collection)
        if parent.type is not FieldType.COLLECTION:
            raise ValidationError(
                [
                    Issue(
                        "value.invalid_type",
                        collection,
                        {"expected": "a collection", "value": parent.type.value},
                    )
                ]
            )
        return _item_schema(self, collection)

    def groups(self) -> tuple[str, ...]:
        """Column groups in catalogue order."""
        return tuple(dict.fromkeys(f.group for f in self.fields))

    def top_level(self) -> tuple[Field, ...]:
        """Fields that are columns of the grid (not the fields of collection items)."""
        return tuple(f for f in self.fields if f.item_of is None)

    def bulk_editable(self) -> tuple[Field, ...]:
        """Fields a bulk edit may set."""
        return tuple(f for f in self.fields if f.bulk_editable)

    def custom_fields(self) -> tuple[Field, ...]:
        """The fields registered by the host."""
        return tuple(f for f in self.fields if f.custom)

    def to_markdown(self) -> str:
        """The catalogue as a Markdown table (``docs/fields.md`` is made with it)."""
        lines = [
            "| path | type | en | nl | fr | group | bulk edit | identifier |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for f in self.fields:
            kind = f.type.value
            if f.choices:
                kind += ": " + ", ".join(f.choices)
            if f.applies_to is not Applies.ANY:
                kind += f" ({f.applies_to.value} only)"
            lines.append(
                f"| `{f.path}` | {kind} | {f.labels[0]} | {f.labels[1]} | {f.labels[2]} | "
                f"{f.group} | {'yes' if f.bulk_editable else ''} | {f.identifier or ''} |"
            )
        return "\n".join(lines) + "\n"

    def with_custom(self, *custom: CustomField) -> Schema:
        """A new catalogue with these custom fields added (or replaced, same path)."""
        issues: list[Issue] = []
        added: dict[str, Field] = {}
        for c in custom:
            reason = _custom_problem(c)
            if reason:
                issues.append(
                    Issue(
                        "schema.custom.invalid",
                        c.path,
                        {"category": c.category, "key": c.key, "reason": reason},
                    )
                )
            else:
                added[c.path] = c.to_field()
        if issues:
            raise ValidationError(issues)
        kept = tuple(f for f in self.fields if f.path not in added)
        return Schema(kept + tuple(added.values()))


def _custom_problem(c: CustomField) -> str:
    for part in (c.category, c.key):
        if not isinstance(part, str) or not part or not part.replace("_", "a").isalnum():
            return "category and key must be non-empty words of letters, digits and _"
    if c.type is FieldType.COLLECTION:
        return "a custom field cannot be a collection"
    if c.type is FieldType.CHOICE and not c.choices:
        return "a choice field needs choices"
    return ""


@cache
def _item_schema(schema: Schema, collection: str) -> Schema:
    prefix = collection + "."
    return Schema(
        tuple(
            attrs.evolve(f, path=f.path[len(prefix) :], item_of=None)
            for f in schema.fields
            if f.item_of == collection
        )
    )


@cache
def default_schema() -> Schema:
    """The built-in catalogue (without custom fields)."""
    return Schema(_builtin_fields())


#: Python types a value of each field type may have.
PYTHON_TYPES: Final[Mapping[FieldType, tuple[type, ...]]] = {
    FieldType.TEXT: (str,),
    FieldType.NUMBER: (int, float),
    FieldType.BOOL: (bool,),
    FieldType.DATE: (dt.date,),
    FieldType.CHOICE: (str,),
    FieldType.LABELS: (frozenset, set, list, tuple),
    FieldType.COLLECTION: (tuple, list),
}


def value_issue(field: Field, value: Any) -> Issue | None:
    """Whether ``value`` fits ``field``'s type (and choices); ``None`` when it does."""
    if value is None:
        return None
    expected = PYTHON_TYPES[field.type]
    if field.type is FieldType.NUMBER and isinstance(value, bool):
        ok = False
    elif field.type is FieldType.DATE:
        ok = isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    else:
        ok = isinstance(value, expected)
    if not ok:
        return Issue(
            "value.invalid_type",
            field.path,
            {"expected": field.type.value, "value": repr(value)[:40]},
        )
    if field.choices is not None and field.type is FieldType.CHOICE and value not in field.choices:
        return Issue(
            "value.invalid_choice", field.path, {"value": value, "choices": list(field.choices)}
        )
    return None


#: The exact types :func:`value_issue` accepts at a glance for each field type (a
#: subclass, a bool for a number, a datetime for a date, a choice go through it).
_PLAIN_TYPES: Final[Mapping[FieldType, frozenset[type]]] = {
    FieldType.TEXT: frozenset({str}),
    FieldType.NUMBER: frozenset({int, float}),
    FieldType.BOOL: frozenset({bool}),
    FieldType.DATE: frozenset({dt.date}),
    FieldType.CHOICE: frozenset({str}),
    FieldType.LABELS: frozenset(PYTHON_TYPES[FieldType.LABELS]),
    FieldType.COLLECTION: frozenset(PYTHON_TYPES[FieldType.COLLECTION]),
}


def plain_values(field: Field) -> tuple[frozenset[type], frozenset[str] | None]:
    """What a value of ``field`` passes :func:`value_issue` at a glance with: a field
    with choices takes text (an enumeration of text included) among ``choices``, any
    other field a value whose exact type is one of ``types``. A value that does not pass
    so is judged by :func:`value_issue` itself (a subclass may still pass)."""
    if field.type is FieldType.CHOICE and field.choices is not None:
        return _PLAIN_TYPES[field.type], frozenset(field.choices)
    return _PLAIN_TYPES[field.type], None


def value_checker(field: Field) -> Callable[[Any], Issue | None]:
    """:func:`value_issue` for ``field`` as a function, made once for loops over many
    values: a value that passes at a glance (:func:`plain_values`) is passed, anything
    else is judged by :func:`value_issue`."""
    plain, choices = plain_values(field)
    if choices is not None:

        def check_choice(value: Any) -> Issue | None:
            if value is None or (isinstance(value, str) and value in choices):
                return None
            return value_issue(field, value)

        return check_choice

    def check(value: Any) -> Issue | None:
        if value is None or value.__class__ in plain:
            return None
        return value_issue(field, value)

    return check


def field_paths(schema: Schema | None = None) -> Sequence[str]:
    """Every path of ``schema`` (default: the built-in catalogue)."""
    return (schema or default_schema()).paths
