"""The party, aggregate root of the client registry, and everything it owns.

A :class:`Party` is a client company, a client person, a relation company or a
relation person. Contact persons, general correspondence, locations, tasks, labels,
staff roles, AML data and custom-field values live inside it and never alone.
The rules of the domain hold by construction: a value that breaks one is refused with
a :class:`~clientcore.ValidationError` listing every broken rule.

>>> from clientcore.model import Party, PartyKind, Location, ContactPerson, Address
>>> office = Location(id="ghent", name="Ghent office",
...                   address=Address("Veldstraat 1", "9000", "Gent", "BE"))
>>> p = Party(kind=PartyKind.CLIENT_COMPANY, name="Bakkerij Peeters BV", locations=[office],
...           contacts=[ContactPerson(id="c1", first_name="An", location_id="ghent")])
>>> p.status.value, p.effective_address(p.contacts[0]).city
('suspect', 'Gent')
"""

from __future__ import annotations

import datetime as dt
import operator
import uuid
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, Final, TypeVar

import attrs

from clientcore._errors import Issue, ValidationError
from clientcore._messages import define
from clientcore._text import fold_labels
from clientcore.model._convert import (
    _NO_LABELS,
    NO_CUSTOM,
    NO_KEYS,
    Checked,
    _custom,
    _keys,
    _set_slot,
    _shown,
    _version,
    country_opt,
    labels_set,
    language_opt,
    legal_form_opt,
    name_converters,
    opt_bool,
    opt_datetime,
    opt_word,
    record_id,
    shared,
    take_faults,
    to_bool,
    under,
    word_or_empty,
    wrong_type,
)
from clientcore.model._convert import (
    custom_scalar as custom_scalar,  # also read by clientcore.bulk
)
from clientcore.model._convert import (
    opt_date as opt_date,  # also read by clientcore.bulk
)
from clientcore.model._convert import (
    opt_str as opt_str,  # also read by clientcore.bulk
)
from clientcore.model._convert import (
    text_or_empty as text_or_empty,  # also read by clientcore.bulk
)
from clientcore.model._identifiers import IDENTIFIERS
from clientcore.model._values import parse_kind, parse_status

_V = TypeVar("_V")

define(
    {
        "party.kind.unknown": (
            "Unknown party kind '{value}'; the kinds are {choices}.",
            "Onbekend soort partij '{value}'; de soorten zijn {choices}.",
            "Type de partie inconnu '{value}' ; les types sont {choices}.",
        ),
        "party.status.wrong_kind": (
            "Status '{status}' is not allowed for a {kind}.",
            "Status '{status}' is niet toegelaten voor een {kind}.",
            "Le statut '{status}' n'est pas permis pour un(e) {kind}.",
        ),
        "party.field.person_only": (
            "'{path}' is a field of a person, not of a company ({value}).",
            "'{path}' is een veld van een persoon, niet van een bedrijf ({value}).",
            "'{path}' est un champ de personne, pas d'entreprise ({value}).",
        ),
        "party.field.company_only": (
            "'{path}' is a field of a company, not of a person ({value}).",
            "'{path}' is een veld van een bedrijf, niet van een persoon ({value}).",
            "'{path}' est un champ d'entreprise, pas de personne ({value}).",
        ),
        "party.correspondence.person": (
            "General correspondence exists only on companies, not on a person.",
            "Algemene correspondentie bestaat enkel bij bedrijven, niet bij een persoon.",
            "La correspondance générale n'existe que pour les entreprises, pas pour une personne.",
        ),
        "party.location.unknown": (
            "Location '{location_id}' does not exist on this party.",
            "Locatie '{location_id}' bestaat niet bij deze partij.",
            "L'établissement '{location_id}' n'existe pas pour cette partie.",
        ),
        "party.duplicate_id": (
            "Id '{id}' is used twice in {collection}.",
            "Id '{id}' komt twee keer voor in {collection}.",
            "L'id '{id}' est utilisé deux fois dans {collection}.",
        ),
        "party.dates.order": (
            "Client until ({client_until}) is before client since ({client_since}).",
            "Klant tot ({client_until}) ligt voor klant sinds ({client_since}).",
            "Client jusqu'au ({client_until}) précède client depuis ({client_since}).",
        ),
        "value.invalid_choice": (
            "'{value}' is not one of {choices}.",
            "'{value}' is niet een van {choices}.",
            "'{value}' n'est pas parmi {choices}.",
        ),
    }
)


class PartyKind(StrEnum):
    """What a party is: the four registration types that stand on their own."""

    CLIENT_COMPANY = "client_company"
    CLIENT_PERSON = "client_person"
    RELATION_COMPANY = "relation_company"
    RELATION_PERSON = "relation_person"

    # Read for every party built and every rule checked: each answer is one set lookup.
    @property
    def is_company(self) -> bool:
        """A company (client or relation)."""
        return self in _COMPANY_KINDS

    @property
    def is_person(self) -> bool:
        """A natural person (client or relation)."""
        return self not in _COMPANY_KINDS

    @property
    def is_client(self) -> bool:
        """A client of the firm (company or person)."""
        return self in _CLIENT_KINDS

    @property
    def is_relation(self) -> bool:
        """A relation: has ties with clients but is not one."""
        return self not in _CLIENT_KINDS


_COMPANY_KINDS: Final = frozenset({PartyKind.CLIENT_COMPANY, PartyKind.RELATION_COMPANY})
_CLIENT_KINDS: Final = frozenset({PartyKind.CLIENT_COMPANY, PartyKind.CLIENT_PERSON})


class ClientStatus(StrEnum):
    """Where a party stands with the firm. Client kinds take the first seven values,
    relation kinds the last two; the transitions live in :mod:`clientcore.status`."""

    SUSPECT = "suspect"
    PROSPECT = "prospect"
    ACCEPTANCE_DRAFT = "acceptance_draft"
    ACCEPTANCE_PENDING = "acceptance_pending"
    ACCEPTANCE_CENTRAL_ADMIN = "acceptance_central_admin"
    CLIENT = "client"
    FORMER_CLIENT = "former_client"
    RELATION = "relation"
    SERVICE_PROVIDER = "service_provider"


CLIENT_STATUSES: Final = frozenset(
    {
        ClientStatus.SUSPECT,
        ClientStatus.PROSPECT,
        ClientStatus.ACCEPTANCE_DRAFT,
        ClientStatus.ACCEPTANCE_PENDING,
        ClientStatus.ACCEPTANCE_CENTRAL_ADMIN,
        ClientStatus.CLIENT,
        ClientStatus.FORMER_CLIENT,
    }
)
RELATION_STATUSES: Final = frozenset({ClientStatus.RELATION, ClientStatus.SERVICE_PROVIDER})

LANGUAGES: Final = ("nl", "fr", "en", "de")


def new_id() -> str:
    """A fresh random party or link id (a UUID4 in hex)."""
    return uuid.uuid4().hex


_EMPTIES: dict[type[Any], Any] = {}  # one empty instance per class, made on first use


def _nested_of(cls: type[Any], value: object) -> Any:
    if value.__class__ is cls:
        return value
    if isinstance(value, Mapping):
        return cls(**_keywords(value))
    raise wrong_type(f"{cls.__name__} or a mapping", value)


def _keywords(value: Mapping[Any, Any]) -> Mapping[str, Any]:
    if all(isinstance(k, str) for k in value):
        return value
    bad = next(k for k in value if not isinstance(k, str))
    raise wrong_type("a mapping with text keys", bad)


def _optional_of(cls: type[Any], value: object) -> Any:
    if value is None:
        return None
    built = _nested_of(cls, value)
    if built.__class__ is cls:
        empty = _EMPTIES.get(cls)
        if empty is None:
            empty = _EMPTIES[cls] = cls()
        if built == empty:
            return None  # a row cannot tell an empty value from none, so neither does the model
    return built


def _tuple_of_items(cls: type[Any], value: object) -> tuple[Any, ...]:
    if value is None or value == ():
        return ()
    if value.__class__ is tuple and all(v.__class__ is cls for v in value):
        return value
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise wrong_type(f"a list of {cls.__name__}", value)
    out: list[Any] = []
    issues: list[Issue] = []
    for index, item in enumerate(value):
        try:
            if item.__class__ is cls:
                out.append(item)
            elif isinstance(item, Mapping):
                out.append(cls(**_keywords(item)))
            else:
                raise wrong_type(f"{cls.__name__} or a mapping", item)
        except ValidationError as exc:
            issues.extend(under(f"[{index}]", i) for i in exc.issues)
    if issues:
        raise ValidationError(issues)
    return tuple(out)


def _shared_items(items: tuple[_V, ...]) -> tuple[_V, ...]:
    """Small records repeated across parties (tasks, checklist items): each kept once."""
    if not items:
        return ()
    return shared(tuple(shared(item) for item in items))


# Named converters (the attrs mypy plugin reads their types).


def _to_address(value: object) -> Address | None:
    return _optional_of(Address, value)  # type: ignore[no-any-return]


def _to_eid_card(value: object) -> EidCard | None:
    return _optional_of(EidCard, value)  # type: ignore[no-any-return]


def _to_aml_profile(value: object) -> AmlProfile | None:
    built = _optional_of(AmlProfile, value)
    return None if built is None else shared(built)


def _to_acceptance(value: object) -> Acceptance | None:
    return _optional_of(Acceptance, value)  # type: ignore[no-any-return]


def _to_billing(value: object) -> Billing:
    return shared(_nested_of(Billing, value))  # type: ignore[no-any-return]


def _to_portal(value: object) -> Portal:
    return shared(_nested_of(Portal, value))  # type: ignore[no-any-return]


def _to_staff_roles(value: object) -> StaffRoles:
    return shared(_nested_of(StaffRoles, value))  # type: ignore[no-any-return]


def _to_tasks(value: object) -> tuple[Task, ...]:
    return _shared_items(_tuple_of_items(Task, value))


def _to_task_presets(value: object) -> tuple[TaskPreset, ...]:
    return _shared_items(_tuple_of_items(TaskPreset, value))


def _to_contact_persons(value: object) -> tuple[ContactPerson, ...]:
    return _tuple_of_items(ContactPerson, value)


def _to_general_correspondences(value: object) -> tuple[GeneralCorrespondence, ...]:
    return _tuple_of_items(GeneralCorrespondence, value)


def _to_locations(value: object) -> tuple[Location, ...]:
    return _tuple_of_items(Location, value)


def _to_debtor_cards(value: object) -> tuple[DebtorCard, ...]:
    return _tuple_of_items(DebtorCard, value)


def _to_checklist_items(value: object) -> tuple[ChecklistItem, ...]:
    return _shared_items(_tuple_of_items(ChecklistItem, value))


# --- owned value objects ---


@attrs.frozen(field_transformer=name_converters)
class Address(Checked):
    """A postal address; ``country`` is an ISO 3166 two-letter code (``BE``, ``NL``)."""

    street: str | None = attrs.field(default=None, converter=opt_str)
    postal_code: str | None = attrs.field(default=None, converter=opt_word)
    city: str | None = attrs.field(default=None, converter=opt_word)
    country: str | None = attrs.field(default=None, converter=country_opt)


@attrs.frozen(field_transformer=name_converters)
class Location(Checked):
    """A branch of a company; contacts attached to it use its address."""

    id: str = attrs.field(factory=new_id, converter=record_id)
    name: str | None = attrs.field(default=None, converter=opt_word)
    address: Address | None = attrs.field(default=None, converter=_to_address)


@attrs.frozen(field_transformer=name_converters)
class ContactPerson(Checked):
    """Someone at a party the firm deals with (a director, who receives the mail...)."""

    id: str = attrs.field(factory=new_id, converter=record_id)
    first_name: str | None = attrs.field(default=None, converter=opt_word)
    last_name: str | None = attrs.field(default=None, converter=opt_word)
    role: str | None = attrs.field(default=None, converter=opt_word)
    email: str | None = attrs.field(default=None, converter=opt_str)
    phone: str | None = attrs.field(default=None, converter=opt_str)
    location_id: str | None = attrs.field(default=None, converter=opt_str)
    archived: bool = attrs.field(default=False, converter=to_bool)

    @property
    def full_name(self) -> str:
        """First and last name, as far as known."""
        return " ".join(p for p in (self.first_name, self.last_name) if p)


@attrs.frozen(field_transformer=name_converters)
class GeneralCorrespondence(Checked):
    """A general contact point of a company ("the board", "the secretariat")."""

    id: str = attrs.field(factory=new_id, converter=record_id)
    name: str | None = attrs.field(default=None, converter=opt_word)
    email: str | None = attrs.field(default=None, converter=opt_str)
    phone: str | None = attrs.field(default=None, converter=opt_str)
    location_id: str | None = attrs.field(default=None, converter=opt_str)


@attrs.frozen(field_transformer=name_converters)
class Task(Checked):
    """A recurring task for the client (``vat``, ``closing``, ...): active, period, start."""

    code: str = attrs.field(converter=word_or_empty)
    active: bool = attrs.field(default=True, converter=to_bool)
    period: str | None = attrs.field(default=None, converter=opt_word)
    start: dt.date | None = attrs.field(default=None, converter=opt_date)


@attrs.frozen(field_transformer=name_converters)
class TaskPreset(Checked):
    """A default for one step of a task ("the NBB payment-confirmation step: not needed")."""

    task_code: str = attrs.field(converter=text_or_empty)
    step: str = attrs.field(converter=text_or_empty)
    value: str | None = attrs.field(default=None, converter=opt_str)


@attrs.frozen(field_transformer=name_converters)
class StaffRoles(Checked):
    """The firm's staff on the client: responsible partner, declarant, relationship owner."""

    partner: str | None = attrs.field(default=None, converter=opt_str)
    declarant: str | None = attrs.field(default=None, converter=opt_str)
    owner: str | None = attrs.field(default=None, converter=opt_str)


@attrs.frozen(field_transformer=name_converters)
class DebtorCard(Checked):
    """An extra organisation or discipline billed under its own debtor number."""

    number: str = attrs.field(converter=text_or_empty)
    discipline: str | None = attrs.field(default=None, converter=opt_word)


@attrs.frozen(field_transformer=name_converters)
class AmlProfile(Checked):
    """Anti-money-laundering data: the risk class and when the client was last checked."""

    risk: str | None = attrs.field(default=None, converter=opt_str)
    verified_on: dt.date | None = attrs.field(default=None, converter=opt_date)


@attrs.frozen(field_transformer=name_converters)
class ChecklistItem(Checked):
    """An action done for the client, with its date and a note."""

    action: str = attrs.field(converter=word_or_empty)
    done_on: dt.date | None = attrs.field(default=None, converter=opt_date)
    note: str | None = attrs.field(default=None, converter=opt_word)


@attrs.frozen(field_transformer=name_converters)
class EidCard(Checked):
    """A Belgian electronic identity card: its number and the last day it is valid."""

    card_number: str | None = attrs.field(default=None, converter=opt_str)
    valid_until: dt.date | None = attrs.field(default=None, converter=opt_date)


@attrs.frozen(field_transformer=name_converters)
class Billing(Checked):
    """How the client is billed."""

    mode: str | None = attrs.field(default=None, converter=opt_str)
    invoice_layout: str | None = attrs.field(default=None, converter=opt_str)


@attrs.frozen(field_transformer=name_converters)
class Portal(Checked):
    """Client-portal settings."""

    enabled: bool = attrs.field(default=False, converter=to_bool)
    forms_allowed: bool = attrs.field(default=False, converter=to_bool)


@attrs.frozen(field_transformer=name_converters)
class Acceptance(Checked):
    """Who submitted the client for acceptance and who approved it (four-eyes)."""

    submitted_by: str | None = attrs.field(default=None, converter=opt_word)
    submitted_at: dt.datetime | None = attrs.field(default=None, converter=opt_datetime)
    approved_by: str | None = attrs.field(default=None, converter=opt_word)
    approved_at: dt.datetime | None = attrs.field(default=None, converter=opt_datetime)


# Shared defaults keep a party small: one instance serves every party that has no value.
NO_STAFF: Final = StaffRoles()
NO_BILLING: Final = Billing()
NO_PORTAL: Final = Portal()

# Fields only a person has, and fields only a company has.
PERSON_FIELDS: Final = ("first_name", "last_name", "birth_date", "national_number", "bsn", "eid")
COMPANY_FIELDS: Final = ("legal_form", "enterprise_number", "kvk_number", "correspondence")


def _default_status(party: Party) -> ClientStatus:
    kind = party.kind  # a refused kind is reported, whatever the status
    if kind.__class__ is PartyKind and kind.is_relation:
        return ClientStatus.RELATION
    return ClientStatus.SUSPECT


def _kind(value: object) -> PartyKind:
    if value.__class__ is PartyKind:
        return value
    kind = parse_kind(value) if isinstance(value, str) and value.strip() else None
    if kind is None:
        shown = value if isinstance(value, str) else _shown(value)
        choices = [k.value for k in PartyKind]
        raise ValidationError(
            [Issue("party.kind.unknown", "", {"value": shown, "choices": choices})]
        )
    return kind  # type: ignore[no-any-return]


_COMPACT_FIELDS: Final = (
    "national_number",
    "bsn",
    "enterprise_number",
    "kvk_number",
    "vat_number",
    "iban",
    "email",
    "phone",
)


def _compact_identifiers(party: Any) -> None:
    country = None
    for name in _COMPACT_FIELDS:
        value = getattr(party, name)
        if value is None:
            continue
        if country is None:
            country = party.address.country if party.address is not None else ""
        ident = IDENTIFIERS[name]
        if ident.is_compact(value, country or None):
            continue  # stored as it is, valid or not: validation waits until asked
        try:
            compact = ident.validate(value, country or None)
        except ValidationError:
            continue  # kept as given; validate_party reports it
        if compact != value:
            _set_slot(party, name, compact)


def _status(value: object) -> ClientStatus:
    if value.__class__ is ClientStatus:
        return value
    try:
        status = parse_status(value) if isinstance(value, str) and value.strip() else None
    except ValidationError:
        status = None
    if status is None:
        raise ValidationError(
            [
                Issue(
                    "value.invalid_choice",
                    "",
                    {"value": value, "choices": [s.value for s in ClientStatus]},
                )
            ]
        )
    return status  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True, field_transformer=name_converters)
class Party(Checked):
    """A client or relation, company or person: the aggregate root.

    Build with keywords; change with :func:`attrs.evolve`. A valid identifier is kept
    in its compact form however it was typed (``"BE 0403.170.701"`` becomes
    ``"0403170701"``), as :func:`clientcore.model.from_row` stores it; an invalid one is
    kept as given and :func:`clientcore.model.validate_party` reports it.
    """

    id: str = attrs.field(factory=new_id, converter=record_id)
    kind: PartyKind = attrs.field(converter=_kind)
    name: str = attrs.field(default="", converter=text_or_empty)
    number: str | None = attrs.field(default=None, converter=opt_str)
    status: ClientStatus = attrs.field(
        default=attrs.Factory(_default_status, takes_self=True), converter=_status
    )
    language: str | None = attrs.field(default=None, converter=language_opt)
    # person
    first_name: str | None = attrs.field(default=None, converter=opt_str)
    last_name: str | None = attrs.field(default=None, converter=opt_str)
    birth_date: dt.date | None = attrs.field(default=None, converter=opt_date)
    national_number: str | None = attrs.field(default=None, converter=opt_str)
    bsn: str | None = attrs.field(default=None, converter=opt_str)
    eid: EidCard | None = attrs.field(default=None, converter=_to_eid_card)
    # company
    legal_form: str | None = attrs.field(default=None, converter=legal_form_opt)
    enterprise_number: str | None = attrs.field(default=None, converter=opt_str)
    kvk_number: str | None = attrs.field(default=None, converter=opt_str)
    # both
    vat_liable: bool | None = attrs.field(default=None, converter=opt_bool)
    vat_number: str | None = attrs.field(default=None, converter=opt_str)
    iban: str | None = attrs.field(default=None, converter=opt_str)
    email: str | None = attrs.field(default=None, converter=opt_str)
    phone: str | None = attrs.field(default=None, converter=opt_str)
    website: str | None = attrs.field(default=None, converter=opt_str)
    address: Address | None = attrs.field(default=None, converter=_to_address)
    correspondence_address: Address | None = attrs.field(default=None, converter=_to_address)
    labels: frozenset[str] = attrs.field(default=_NO_LABELS, converter=labels_set)
    portfolio: str | None = attrs.field(default=None, converter=opt_word)
    client_since: dt.date | None = attrs.field(default=None, converter=opt_date)
    client_until: dt.date | None = attrs.field(default=None, converter=opt_date)
    aml: AmlProfile | None = attrs.field(default=None, converter=_to_aml_profile)
    billing: Billing = attrs.field(default=NO_BILLING, converter=_to_billing)
    portal: Portal = attrs.field(default=NO_PORTAL, converter=_to_portal)
    staff: StaffRoles = attrs.field(default=NO_STAFF, converter=_to_staff_roles)
    tasks: tuple[Task, ...] = attrs.field(default=(), converter=_to_tasks)
    task_presets: tuple[TaskPreset, ...] = attrs.field(default=(), converter=_to_task_presets)
    contacts: tuple[ContactPerson, ...] = attrs.field(default=(), converter=_to_contact_persons)
    correspondence: tuple[GeneralCorrespondence, ...] = attrs.field(
        default=(), converter=_to_general_correspondences
    )
    locations: tuple[Location, ...] = attrs.field(default=(), converter=_to_locations)
    debtor_cards: tuple[DebtorCard, ...] = attrs.field(default=(), converter=_to_debtor_cards)
    checklist: tuple[ChecklistItem, ...] = attrs.field(default=(), converter=_to_checklist_items)
    attention: str | None = attrs.field(default=None, converter=opt_str)
    custom: Mapping[str, Mapping[str, Any]] = attrs.field(
        default=NO_CUSTOM, converter=_custom, hash=False
    )
    external_keys: Mapping[str, str] = attrs.field(default=NO_KEYS, converter=_keys, hash=False)
    acceptance: Acceptance | None = attrs.field(default=None, converter=_to_acceptance)
    # management
    version: int = attrs.field(default=0, converter=_version)
    archived: bool = attrs.field(default=False, converter=to_bool)
    marked_for_deletion: bool = attrs.field(default=False, converter=to_bool)
    last_verified_on: dt.date | None = attrs.field(default=None, converter=opt_date)

    # The labels folded for case- and accent-insensitive matching (the same object when
    # folding changes nothing): filters on labels read it instead of folding each time.
    folded_labels: frozenset[str] = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        issues = take_faults(self)
        if not issues or self.kind is not None:  # the rules across fields need the kind
            issues.extend(structural_issues(self))
        if issues:
            raise ValidationError(issues)
        _set_slot(self, "folded_labels", fold_labels(self.labels))
        _compact_identifiers(self)

    def _check_normalised(self) -> None:
        # What normalised_constructor checks: no converter ran (so nothing was refused)
        # and the identifiers are compact already; the rules across fields still hold.
        issues = structural_issues(self)
        if issues:
            raise ValidationError(issues)
        _set_slot(self, "folded_labels", fold_labels(self.labels))

    # --- reading helpers ---

    @property
    def is_company(self) -> bool:
        """A client or relation company."""
        return self.kind.is_company

    @property
    def is_person(self) -> bool:
        """A client or relation person."""
        return self.kind.is_person

    def location(self, location_id: str) -> Location | None:
        """The location with this id, or ``None``."""
        for loc in self.locations:
            if loc.id == location_id:
                return loc
        return None

    def effective_address(self, contact: ContactPerson | GeneralCorrespondence) -> Address | None:
        """The address mail for ``contact`` goes to: its location's, else the party's."""
        if contact.location_id is not None:
            loc = self.location(contact.location_id)
            if loc is not None and loc.address is not None:
                return loc.address
        return self.address

    def custom_value(self, category: str, key: str) -> Any:
        """The value of custom field ``custom.<category>.<key>``, or ``None``."""
        return self.custom.get(category, {}).get(key)

    def task(self, code: str) -> Task | None:
        """The task with this code, or ``None``."""
        for t in self.tasks:
            if t.code == code:
                return t
        return None


def structural_issues(party: Party) -> list[Issue]:
    """The rules that hold by construction (kind, status, owned records); empty when fine."""
    issues: list[Issue] = []
    kind = party.kind
    if party.status is None:  # refused, and reported as such
        pass
    elif kind.is_client:
        if party.status not in CLIENT_STATUSES:
            issues.append(
                Issue("party.status.wrong_kind", "status", {"status": party.status, "kind": kind})
            )
    elif party.status not in RELATION_STATUSES:
        issues.append(
            Issue("party.status.wrong_kind", "status", {"status": party.status, "kind": kind})
        )
    # Read for every party built: the fields of the other kind are looked at one by one
    # only when one of them is filled in.
    if kind.is_company:
        for name in PERSON_FIELDS if _person_values(party) != _NO_PERSON_VALUES else ():
            value = getattr(party, name)
            if value is not None:
                issues.append(Issue("party.field.person_only", name, {"value": _shown(value)}))
    else:
        for name in COMPANY_FIELDS if any(_company_values(party)) else ():
            value = getattr(party, name)
            if value:
                code = (
                    "party.correspondence.person"
                    if name == "correspondence"
                    else "party.field.company_only"
                )
                issues.append(Issue(code, name, {"value": _shown(value)}))
    if party.version < 0:
        issues.append(Issue("party.version.negative", "version", {"value": party.version}))
    if party.locations or party.contacts or party.correspondence:
        location_ids = _unique_ids(party.locations, "locations", issues)
        if len(party.contacts) > 1:  # one record alone has a unique id
            _unique_ids(party.contacts, "contacts", issues)
        if len(party.correspondence) > 1:
            _unique_ids(party.correspondence, "correspondence", issues)
        attached: tuple[tuple[str, tuple[ContactPerson | GeneralCorrespondence, ...]], ...] = (
            ("contacts", party.contacts),
            ("correspondence", party.correspondence),
        )
        for collection, items in attached:
            for index, item in enumerate(items):
                if item.location_id is not None and item.location_id not in location_ids:
                    issues.append(
                        Issue(
                            "party.location.unknown",
                            f"{collection}[{index}].location_id",
                            {"location_id": item.location_id},
                        )
                    )
    if (
        party.client_since is not None
        and party.client_until is not None
        and party.client_until < party.client_since
    ):
        issues.append(
            Issue(
                "party.dates.order",
                "client_until",
                {"client_since": party.client_since, "client_until": party.client_until},
            )
        )
    return issues


_person_values: Final = operator.attrgetter(*PERSON_FIELDS)
_company_values: Final = operator.attrgetter(*COMPANY_FIELDS)
_NO_PERSON_VALUES: Final = (None,) * len(PERSON_FIELDS)


def _unique_ids(items: Iterable[Any], collection: str, issues: list[Issue]) -> set[str]:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            issues.append(
                Issue("party.duplicate_id", collection, {"id": item.id, "collection": collection})
            )
        seen.add(item.id)
    return seen


def _roles(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, Iterable) and not isinstance(value, (bytes, Mapping)):
        roles = frozenset(value)
        if all(isinstance(r, str) for r in roles):
            return roles
    raise wrong_type("a role or a set of roles", value)


@attrs.frozen(field_transformer=name_converters)
class Actor(Checked):
    """Who does something: an id and the roles it holds (``staff``, ``approver``, ...)."""

    id: str
    roles: frozenset[str] = attrs.field(factory=frozenset, converter=_roles)

    def has(self, role: str) -> bool:
        """Whether the actor holds ``role``."""
        return role in self.roles


_PARTY_SLOTS: Final = tuple(f.name for f in attrs.fields(Party))


def _make_copier() -> Any:
    # One straight-line function instead of a loop: copying a party is on every write.
    lines = ["def copy(party, version, new=object.__new__, cls=Party, put=object.__setattr__):"]
    lines.append("    out = new(cls)")
    for name in _PARTY_SLOTS:
        value = "version" if name == "version" else f"party.{name}"
        lines.append(f"    put(out, {name!r}, {value})")
    lines.append("    return out")
    scope: dict[str, Any] = {"Party": Party}
    exec("\n".join(lines), scope)  # built from the class's own field names only
    return scope["copy"]


_copy_with_version = _make_copier()


def with_version(party: Party, version: int) -> Party:
    """A copy of ``party`` with another ``version``: the one change that needs no new
    validation, made without re-running converters (repositories do it on every write)."""
    if version < 0:
        raise ValidationError([Issue("party.version.negative", "version", {"value": version})])
    copied: Party = _copy_with_version(party, version)
    return copied
