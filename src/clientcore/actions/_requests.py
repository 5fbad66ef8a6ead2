"""Action requests: what the host executes (mail, billing, tasks), as checked, serialisable data.

clientcore decides and checks; the host sends the e-mails, creates the billing project,
books the cost or the time. A request round-trips through versioned JSON
(``{"clientcore_action": 1, "action": "add_cost", ...}``) decoded strictly: an unknown
key, a wrong type or a missing field raises :class:`~clientcore.ValidationError` with the
JSON path of every fault.

>>> from decimal import Decimal
>>> cost = AddCost(["p1", "p2"], cost_type="nbb_filing", period="2026-Q1",
...                amount=Decimal("45.00"), periodicity="yearly")
>>> request_from_json(cost.to_json()) == cost
True
>>> try:
...     request_from_json({"clientcore_action": 1, "action": "add_cost", "party_ids": ["p1"],
...                        "cost_type": "x", "period": "2026-Q1", "amount": 12.5})
... except ValidationError as err:
...     print(err.issues[0].path, "-", err.issues[0].message())
$.amount - '$.amount' expects a decimal amount as text ("12.50"), not 12.5.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, ClassVar, Final, Literal, cast

import attrs

from clientcore._errors import FilterError, Issue, ValidationError
from clientcore._messages import define
from clientcore.actions._catalogue import Skipped, missing_fields
from clientcore.model import Party, Schema, default_schema, identifier_for
from clientcore.query import F, Filter

define(
    {
        "request.invalid": (
            "'{path}' expects {expected}, not {value}.",
            "'{path}' verwacht {expected}, niet {value}.",
            "'{path}' attend {expected}, pas {value}.",
        ),
        "request.missing": (
            "'{path}' is required.",
            "'{path}' is verplicht.",
            "'{path}' est obligatoire.",
        ),
        "request.unknown_key": (
            "Unknown key '{path}'.",
            "Onbekende sleutel '{path}'.",
            "Clé inconnue '{path}'.",
        ),
        "request.unknown_action": (
            "Unknown action '{value}' (known: {known}).",
            "Onbekende actie '{value}' (gekend: {known}).",
            "Action inconnue '{value}' (connues : {known}).",
        ),
        "request.version": (
            "Action request version {value} is not supported (this library reads version 1).",
            "Versie {value} van een actieverzoek wordt niet ondersteund (deze bibliotheek "
            "leest versie 1).",
            "La version {value} de demande d'action n'est pas prise en charge (cette "
            "bibliothèque lit la version 1).",
        ),
        "request.too_many": (
            "This action is limited to {limit} clients; {count} are given.",
            "Deze actie is beperkt tot {limit} klanten; er zijn er {count} opgegeven.",
            "Cette action est limitée à {limit} clients ; {count} sont fournis.",
        ),
        "request.schedule_needs_time": (
            "Scheduled sending needs send_at; sending now or holding for validation does not "
            "take one.",
            "Ingepland verzenden vraagt send_at; nu verzenden of in afwachting zetten niet.",
            "L'envoi programmé demande send_at ; l'envoi immédiat ou la mise en attente n'en "
            "prennent pas.",
        ),
        "request.recurrence_needs_period": (
            "A recurring cost needs the first period to bill ('period').",
            "Een terugkerende kost vraagt de eerste te factureren periode ('period').",
            "Un frais récurrent demande la première période facturée ('period').",
        ),
    }
)

#: The JSON version of an action request.
REQUEST_VERSION: Final = 1
#: How often a recurring cost is billed.
PERIODICITIES: Final = ("monthly", "quarterly", "yearly")
#: How e-mails are sent: at once, at ``send_at``, or held for a colleague to validate.
SEND_MODES: Final = ("now", "schedule", "hold")
_MAX_TEXT: Final = 2000


def _bad(path: str, expected: str, value: object) -> ValidationError:
    shown = repr(value)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return ValidationError([Issue("request.invalid", path, {"expected": expected, "value": shown})])


# --- converters used by the attrs classes and by the JSON decoder (one rule each) ---


def _text(path: str) -> Callable[[object], str]:
    def convert(value: object) -> str:
        if not isinstance(value, str) or not value.strip() or len(value) > _MAX_TEXT:
            raise _bad(path, "a non-empty text", value)
        return value.strip()

    return convert


def _opt_text(path: str) -> Callable[[object], str | None]:
    def convert(value: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or len(value) > _MAX_TEXT:
            raise _bad(path, "a text or null", value)
        return value.strip() or None

    return convert


def _party_ids(value: object) -> tuple[str, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise _bad("$.party_ids", "a list of party ids", value)
    out = tuple(value)
    issues: list[Issue] = []
    for i, pid in enumerate(out):
        if not isinstance(pid, str) or not pid:
            issues.append(*_bad(f"$.party_ids[{i}]", "a non-empty party id", pid).issues)
    if not out:
        issues.append(Issue("request.missing", "$.party_ids"))
    if issues:
        raise ValidationError(issues)
    return tuple(dict.fromkeys(cast("tuple[str, ...]", out)))


def _choice(path: str, choices: tuple[str, ...], optional: bool = False) -> Callable[[Any], Any]:
    def convert(value: object) -> Any:
        if value is None and optional:
            return None
        if value not in choices:
            raise _bad(path, "one of " + ", ".join(choices), value)
        return value

    return convert


def _opt_date(path: str) -> Callable[[object], dt.date | None]:
    def convert(value: object) -> dt.date | None:
        if value is None:
            return None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise _bad(path, "a date (YYYY-MM-DD)", value)

    return convert


def _opt_datetime(value: object) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        found = value
    elif isinstance(value, str):
        try:
            found = dt.datetime.fromisoformat(value)
        except ValueError:
            raise _bad("$.send_at", "a date and time with its offset", value) from None
    else:
        raise _bad("$.send_at", "a date and time with its offset", value)
    if found.tzinfo is None:
        # A scheduled mail without an offset would go out at a different hour per server.
        raise _bad("$.send_at", "a date and time with its offset", value)
    return found


def _opt_amount(value: object) -> decimal.Decimal | None:
    if value is None:
        return None
    if isinstance(value, decimal.Decimal):
        amount = value
    elif isinstance(value, str):
        try:
            amount = decimal.Decimal(value.strip())
        except decimal.InvalidOperation:
            raise _bad("$.amount", 'a decimal amount as text ("12.50")', value) from None
    else:
        # A float cannot hold 0.10 exactly; money travels as text.
        raise _bad("$.amount", 'a decimal amount as text ("12.50")', value)
    if not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise _bad("$.amount", "an amount of zero or more with at most 2 decimals", value)
    return amount


def _minutes(value: object) -> int:
    if type(value) is not int or not 1 <= value <= 24 * 60:
        raise _bad("$.minutes", "a whole number of minutes from 1 to 1440", value)
    return value


def _categories(value: object) -> Mapping[str, bool]:
    if not isinstance(value, Mapping):
        raise _bad("$.categories", "an object of category: true/false", value)
    out: dict[str, bool] = {}
    for key, on in value.items():
        if not isinstance(key, str) or not key.strip():
            raise _bad("$.categories", "category names as text", key)
        if not isinstance(on, bool):
            raise _bad(f"$.categories.{key}", "true or false", on)
        out[key.strip()] = on
    return MappingProxyType(dict(sorted(out.items())))


def _opt_filter(value: object) -> Filter | None:
    if value is None or isinstance(value, Filter):
        return value
    try:
        return Filter.from_json(value)
    except FilterError as err:
        # One error type for the whole request; the filter's own path goes under $.recipients.
        raise ValidationError(
            [Issue(i.code, "$.recipients" + i.path.removeprefix("$"), i.params) for i in err.issues]
        ) from None


def _opt_bool(path: str) -> Callable[[object], bool | None]:
    def convert(value: object) -> bool | None:
        if value is None or isinstance(value, bool):
            return value
        raise _bad(path, "true, false or null", value)

    return convert


# Named converters (the attrs mypy plugin needs named functions).


def _text_template(value: object) -> str:
    return _text("$.template")(value)


def _text_task_code(value: object) -> str:
    return _text("$.task_code")(value)


def _opt_text_period(value: object) -> str | None:
    return _opt_text("$.period")(value)


def _opt_date_start(value: object) -> dt.date | None:
    return _opt_date("$.start")(value)


def _opt_bool_portal(value: object) -> bool | None:
    return _opt_bool("$.portal")(value)


def _text_name(value: object) -> str:
    return _text("$.name")(value)


def _text_cost_type(value: object) -> str:
    return _text("$.cost_type")(value)


def _text_period(value: object) -> str:
    return _text("$.period")(value)


def _opt_text_invoice_label(value: object) -> str | None:
    return _opt_text("$.invoice_label")(value)


def _opt_text_internal_note(value: object) -> str | None:
    return _opt_text("$.internal_note")(value)


def _opt_date_date(value: object) -> dt.date | None:
    return _opt_date("$.date")(value)


def _text_activity(value: object) -> str:
    return _text("$.activity")(value)


def _opt_text_note(value: object) -> str | None:
    return _opt_text("$.note")(value)


def _mode(value: object) -> Any:
    return _choice("$.mode", SEND_MODES)(value)


def _periodicity(value: object) -> Any:
    return _choice("$.periodicity", PERIODICITIES, True)(value)


# --- the requests ---


class ActionRequest:
    """The base of every host-executed request: an action id and the parties it is for."""

    __slots__ = ()
    action: ClassVar[str]
    party_ids: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """``{"clientcore_action": 1, "action": ..., ...}``: to queue, hold or log."""
        out: dict[str, Any] = {"clientcore_action": REQUEST_VERSION, "action": self.action}
        for field in attrs.fields(cast(Any, type(self))):
            out[field.name] = _jsonable(getattr(self, field.name))
        return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, Filter):
        return value.to_json()
    return value


@attrs.frozen
class SendEmail(ActionRequest):
    """Send e-mails from a template: now, at ``send_at`` (``schedule``), or ``hold`` them
    for validation. ``recipients`` narrows the parties (for instance
    :func:`incomplete_or_invalid` to mail those whose eID is missing)."""

    action: ClassVar[str] = "send_email"
    party_ids: tuple[str, ...] = attrs.field(converter=_party_ids)
    template: str = attrs.field(kw_only=True, converter=_text_template)
    mode: Literal["now", "schedule", "hold"] = attrs.field(
        kw_only=True, default="now", converter=_mode
    )
    send_at: dt.datetime | None = attrs.field(kw_only=True, default=None, converter=_opt_datetime)
    recipients: Filter | None = attrs.field(kw_only=True, default=None, converter=_opt_filter)

    def __attrs_post_init__(self) -> None:
        if (self.mode == "schedule") != (self.send_at is not None):
            raise ValidationError([Issue("request.schedule_needs_time", "$.send_at")])


@attrs.frozen
class ActivateTask(ActionRequest):
    """Activate a non-recurring task on every party, for a period and from a start date."""

    action: ClassVar[str] = "activate_task"
    party_ids: tuple[str, ...] = attrs.field(converter=_party_ids)
    task_code: str = attrs.field(kw_only=True, converter=_text_task_code)
    period: str | None = attrs.field(kw_only=True, default=None, converter=_opt_text_period)
    start: dt.date | None = attrs.field(kw_only=True, default=None, converter=_opt_date_start)


@attrs.frozen
class EmailSettings(ActionRequest):
    """Switch e-mail categories on or off and, with ``portal``, the client portal.

    Enabling the portal makes the host mail each party an invitation to choose a
    password: build it with :meth:`for_selection` so parties without a valid e-mail
    address are left out and reported.
    """

    action: ClassVar[str] = "email_settings"
    party_ids: tuple[str, ...] = attrs.field(converter=_party_ids)
    categories: Mapping[str, bool] = attrs.field(
        kw_only=True, factory=dict, converter=_categories, hash=False
    )
    portal: bool | None = attrs.field(kw_only=True, default=None, converter=_opt_bool_portal)

    @classmethod
    def for_selection(
        cls,
        parties: Iterable[Party],
        *,
        categories: Mapping[str, bool] | None = None,
        portal: bool | None = None,
        schema: Schema | None = None,
    ) -> tuple[EmailSettings | None, tuple[Skipped, ...]]:
        """The request for ``parties`` and the parties skipped for lack of an e-mail address.

        Only enabling the portal needs an address; the request is ``None`` when no party
        is left.
        """
        kept: list[str] = []
        skipped: list[Skipped] = []
        for party in parties:
            lacking = missing_fields(party, ("email",), schema) if portal else []
            if lacking:
                skipped.append(Skipped(party.id, tuple(lacking)))
            else:
                kept.append(party.id)
        if not kept:
            return None, tuple(skipped)
        return cls(kept, categories=categories or {}, portal=portal), tuple(skipped)


@attrs.frozen
class CreateBillingProject(ActionRequest):
    """Create a billing project for every party."""

    action: ClassVar[str] = "billing_project"
    party_ids: tuple[str, ...] = attrs.field(converter=_party_ids)
    name: str = attrs.field(kw_only=True, converter=_text_name)
    period: str | None = attrs.field(kw_only=True, default=None, converter=_opt_text_period)


@attrs.frozen
class AddCost(ActionRequest):
    """Add a cost or expense: its type, an optional amount (else the type's default), the
    period it belongs to (for a recurring one, the first period billed), how often it
    recurs (``None``: once), the invoice label and an internal note."""

    action: ClassVar[str] = "add_cost"
    party_ids: tuple[str, ...] = attrs.field(converter=_party_ids)
    cost_type: str = attrs.field(kw_only=True, converter=_text_cost_type)
    period: str = attrs.field(kw_only=True, converter=_text_period)
    amount: decimal.Decimal | None = attrs.field(kw_only=True, default=None, converter=_opt_amount)
    periodicity: Literal["monthly", "quarterly", "yearly"] | None = attrs.field(
        kw_only=True, default=None, converter=_periodicity
    )
    invoice_label: str | None = attrs.field(
        kw_only=True, default=None, converter=_opt_text_invoice_label
    )
    internal_note: str | None = attrs.field(
        kw_only=True, default=None, converter=_opt_text_internal_note
    )


#: Time entries are offered for at most this many clients.
MAX_TIME_ENTRY_PARTIES: Final = 20


@attrs.frozen
class AddTimeEntries(ActionRequest):
    """Book the same time entry for each party (at most 20)."""

    action: ClassVar[str] = "add_time_entries"
    party_ids: tuple[str, ...] = attrs.field(converter=_party_ids)
    date: dt.date = attrs.field(kw_only=True, converter=_opt_date_date)
    minutes: int = attrs.field(kw_only=True, converter=_minutes)
    activity: str = attrs.field(kw_only=True, converter=_text_activity)
    note: str | None = attrs.field(kw_only=True, default=None, converter=_opt_text_note)

    def __attrs_post_init__(self) -> None:
        if self.date is None:
            raise ValidationError([Issue("request.missing", "$.date")])
        if len(self.party_ids) > MAX_TIME_ENTRY_PARTIES:
            raise ValidationError(
                [
                    Issue(
                        "request.too_many",
                        "$.party_ids",
                        {"limit": MAX_TIME_ENTRY_PARTIES, "count": len(self.party_ids)},
                    )
                ]
            )


#: Every request type by its action id.
REQUEST_TYPES: Final[Mapping[str, type[ActionRequest]]] = MappingProxyType(
    {
        cls.action: cls
        for cls in (
            SendEmail,
            ActivateTask,
            EmailSettings,
            CreateBillingProject,
            AddCost,
            AddTimeEntries,
        )
    }
)


def request_from_json(data: Any) -> ActionRequest:
    """Decode a request strictly; every fault raises :class:`ValidationError` with its path."""
    if not isinstance(data, Mapping):
        raise _bad("$", "an object", data)
    version = data.get("clientcore_action")
    if version != REQUEST_VERSION or type(version) is not int:
        if "clientcore_action" not in data:
            raise ValidationError([Issue("request.missing", "$.clientcore_action")])
        raise ValidationError(
            [Issue("request.version", "$.clientcore_action", {"value": repr(version)[:20]})]
        )
    kind = data.get("action")
    cls = REQUEST_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ValidationError(
            [
                Issue(
                    "request.unknown_action",
                    "$.action",
                    {"value": repr(kind)[:40], "known": ", ".join(REQUEST_TYPES)},
                )
            ]
        )
    fields = {f.name: f for f in attrs.fields(cast(Any, cls))}
    issues: list[Issue] = [
        Issue("request.unknown_key", f"$.{key}")
        for key in data
        if key not in fields and key not in ("clientcore_action", "action")
    ]
    kwargs: dict[str, Any] = {}
    for name, field in fields.items():
        if name in data:
            kwargs[name] = data[name]
        elif field.default is attrs.NOTHING:
            issues.append(Issue("request.missing", f"$.{name}"))
    if issues:
        raise ValidationError(issues)
    party_ids = kwargs.pop("party_ids")
    made: ActionRequest = cast(Any, cls)(party_ids, **kwargs)
    return made


def incomplete_or_invalid(*paths: str, schema: Schema | None = None) -> Filter:
    """The recipients whose ``paths`` are blank or, for an identifier, invalid.

    The seed's "fields incomplete or invalid" recipient filter, e.g. the clients whose
    eID card number is missing or wrong: ``incomplete_or_invalid("eid.card_number")``.
    """
    catalogue = schema or default_schema()
    issues = [Issue("field.unknown", p) for p in paths if p not in catalogue]
    if issues or not paths:
        raise ValidationError(issues or [Issue("request.missing", "paths")])
    parts: list[Filter] = []
    for path in paths:
        parts.append(F(path).blank())
        if identifier_for(path) is not None:
            parts.append(F(path).invalid())
    out = parts[0]
    for part in parts[1:]:
        out = out | part
    return out
