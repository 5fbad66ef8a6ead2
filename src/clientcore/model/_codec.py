"""Parties to and from flat rows (CSV, XLSX, DataFrame rows) and JSON.

Row keys are field paths. ``labels`` is ``;``-separated, owned collections are a JSON
array in one cell, dates are ISO, booleans ``true``/``false``; an empty cell is absent;
a row without ``id`` gets a fresh one. Valid identifiers are stored in compact form.

>>> p = from_row({"id": "p1", "kind": "client_company", "name": "Peeters BV",
...               "enterprise_number": "BE 0403.170.701", "labels": "vip; audit",
...               "tasks": '[{"code": "vat", "period": "quarterly"}]'})
>>> p.enterprise_number, sorted(p.labels), p.tasks[0].period
('0403170701', ['audit', 'vip'], 'quarterly')
>>> to_row(p)["labels"]
'audit;vip'
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import numbers
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, Final

import attrs
import cattrs

from clientcore._errors import Issue, ValidationError
from clientcore._limits import DEFAULT_LIMITS, check_input
from clientcore._messages import define
from clientcore._text import formula_safe, formula_unguarded
from clientcore.model._convert import (
    field_converters,
    normalised_constructor,
    opt_str,
    record_id,
    text_or_empty,
)
from clientcore.model._identifiers import IDENTIFIERS
from clientcore.model._party import (
    _COMPACT_FIELDS,
    Acceptance,
    Address,
    AmlProfile,
    Billing,
    ChecklistItem,
    ClientStatus,
    ContactPerson,
    DebtorCard,
    EidCard,
    GeneralCorrespondence,
    Location,
    Party,
    PartyKind,
    Portal,
    StaffRoles,
    Task,
    TaskPreset,
    _compact_identifiers,
    new_id,
)
from clientcore.model._paths import read_path
from clientcore.model._schema import CustomField, Field, FieldType, Schema, default_schema
from clientcore.model._values import (
    parse_bool,
    parse_country,
    parse_date,
    parse_decimal,
    parse_kind,
    parse_language,
    parse_legal_form,
    parse_status,
)

define(
    {
        "input.acceptance_untrusted": (
            "Acceptance data ({path}) is refused from this source: acceptance is recorded "
            "by the status machine; read a trusted migration with trusted=True.",
            "Acceptatiegegevens ({path}) worden uit deze bron geweigerd: acceptatie legt de "
            "statusmachine vast; lees een vertrouwde migratie met trusted=True.",
            "Les données d'acceptation ({path}) sont refusées de cette source : "
            "l'acceptation est enregistrée par la machine d'états ; lisez une migration de "
            "confiance avec trusted=True.",
        ),
        "row.unknown_column": (
            "Unknown column '{path}'{hint}.",
            "Onbekende kolom '{path}'{hint}.",
            "Colonne inconnue '{path}'{hint}.",
        ),
        "row.invalid_json": (
            "The cell is not a valid JSON list of {what}: {reason}.",
            "De cel is geen geldige JSON-lijst van {what}: {reason}.",
            "La cellule n'est pas une liste JSON valide de {what} : {reason}.",
        ),
        "row.invalid_cell": (
            "The cell is not text ({value}).",
            "De cel is geen tekst ({value}).",
            "La cellule n'est pas du texte ({value}).",
        ),
        "json.invalid": (
            "Invalid party JSON at {path}: {reason}.",
            "Ongeldige partij-JSON op {path}: {reason}.",
            "JSON de partie invalide à {path} : {reason}.",
        ),
        "csv.invalid": (
            "The file cannot be read as CSV: {reason}.",
            "Het bestand kan niet als CSV gelezen worden: {reason}.",
            "Le fichier ne peut pas être lu comme CSV : {reason}.",
        ),
    }
)

# Owned collections stored as one JSON cell each, with their item type.
COLLECTIONS: Final[Mapping[str, type[Any]]] = {
    "tasks": Task,
    "task_presets": TaskPreset,
    "contacts": ContactPerson,
    "correspondence": GeneralCorrespondence,
    "locations": Location,
    "debtor_cards": DebtorCard,
    "checklist": ChecklistItem,
}
_NESTED: Final[Mapping[str, type[Any]]] = {
    "address": Address,
    "correspondence_address": Address,
    "eid": EidCard,
    "aml": AmlProfile,
    "billing": Billing,
    "portal": Portal,
    "staff": StaffRoles,
}
_EXTRA_COLUMNS: Final = ("acceptance",)

# --- the library's own cattrs converter (never the global one) ---

converter: Final = cattrs.Converter(forbid_extra_keys=True)
converter.register_unstructure_hook(dt.date, lambda d: d.isoformat())
converter.register_structure_hook(dt.date, lambda v, _: _struct_date(v))
converter.register_unstructure_hook(dt.datetime, lambda d: d.isoformat())
converter.register_structure_hook(dt.datetime, lambda v, _: _struct_datetime(v))
converter.register_unstructure_hook_func(
    lambda t: t is frozenset or getattr(t, "__origin__", None) is frozenset,
    lambda s: sorted(s),
)


def _struct_text(value: Any, _: Any) -> str:
    # As strict as Party(...): a number or a list is no name, whatever str() makes of it.
    if isinstance(value, str):
        return value
    raise TypeError(f"expected a text, got {type(value).__name__}")


converter.register_structure_hook(str, _struct_text)


def _struct_date(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO date, got {type(value).__name__}")
    return dt.date.fromisoformat(value)


def _struct_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO date-time, got {type(value).__name__}")
    return dt.datetime.fromisoformat(value)


def party_to_json(party: Party) -> dict[str, Any]:
    """The party as JSON-ready data (dates ISO, labels a sorted list)."""
    data: dict[str, Any] = converter.unstructure(party)
    return data


def party_from_json(data: Any, schema: Schema | None = None, *, trusted: bool = False) -> Party:
    """A party from :func:`party_to_json` output; strict: unknown keys are refused.

    Exactly as strict as ``Party(...)``: a number is no name and ``true`` no label.
    The input is bounded (:data:`~clientcore.errors.DEFAULT_LIMITS`, checked first). An
    acceptance record (who submitted, who approved) is refused unless ``trusted=True``
    (a migration from a system you trust): acceptance comes through the status machine.

    JSON has no date or set, so a custom DATE value comes back as ISO text and a custom
    LABELS value as a list; pass the ``schema`` holding the custom fields to get them
    back typed. Any fault raises :class:`~clientcore.ValidationError` with the JSON path.

    >>> from clientcore.model import CustomField, FieldType, Party
    >>> schema = default_schema().with_custom(CustomField("kyc", "checked", FieldType.DATE))
    >>> p = Party(kind="client_person", name="An", custom={"kyc": {"checked": dt.date(2024, 5, 1)}})
    >>> party_from_json(party_to_json(p), schema) == p
    True
    """
    if not isinstance(data, Mapping):
        raise ValidationError(
            [
                Issue(
                    "json.invalid",
                    "$",
                    {"reason": f"expected an object, got {type(data).__name__}"},
                )
            ]
        )
    check_input(data, DEFAULT_LIMITS)
    if not trusted and data.get("acceptance") is not None:
        raise ValidationError([Issue("input.acceptance_untrusted", "$.acceptance")])
    if schema is not None and isinstance(data.get("custom"), Mapping):
        data = {**data, "custom": _typed_custom(data["custom"], schema)}
    try:
        return converter.structure(data, Party)
    except ValidationError:
        raise
    except Exception as exc:  # cattrs groups and converter errors alike become issues
        raise ValidationError(_cattrs_issues(exc)) from None


def _typed_custom(custom: Mapping[Any, Any], schema: Schema) -> dict[Any, Any]:
    issues: list[Issue] = []
    out: dict[Any, Any] = {}
    for category, values in custom.items():
        if not isinstance(values, Mapping):
            out[category] = values  # the Party converter names the fault
            continue
        typed: dict[Any, Any] = {}
        for key, value in values.items():
            field = schema.get(f"custom.{category}.{key}")
            if field is not None and field.type is FieldType.DATE and isinstance(value, str):
                try:
                    value = dt.date.fromisoformat(value)
                except ValueError:
                    path = f"$.custom.{category}.{key}"
                    issues.append(Issue("value.invalid_date", path, {"value": value[:40]}))
            elif field is not None and field.type is FieldType.LABELS and isinstance(value, list):
                value = frozenset(value) if all(isinstance(v, str) for v in value) else value
            typed[key] = value
        out[category] = typed
    if issues:
        raise ValidationError(issues)
    return out


def _cattrs_issues(exc: BaseException) -> list[Issue]:
    if isinstance(exc, (cattrs.ClassValidationError, cattrs.IterableValidationError)):
        # A model class refusing its own arguments raises ValidationError, whose issues
        # keep their codes and are placed at the JSON path cattrs noted on the way down.
        found, rest = exc.split(ValidationError)
        issues = [] if found is None else _placed(found, "$")
        if rest is not None:
            messages = cattrs.transform_error(rest, path="$")
            issues.extend(
                Issue("json.invalid", m.rsplit(" @ ", 1)[-1], {"reason": m.rsplit(" @ ", 1)[0]})
                for m in messages
            )
        return issues
    if isinstance(exc, ValidationError):
        return list(exc.issues)
    return [Issue("json.invalid", "$", {"reason": str(exc) or type(exc).__name__})]


def _placed(group: BaseException, path: str) -> list[Issue]:
    issues: list[Issue] = []
    for sub in getattr(group, "exceptions", ()):
        step = path
        for note in getattr(sub, "__notes__", ()):
            if isinstance(note, cattrs.AttributeValidationNote):
                step = f"{path}.{note.name}"
            elif isinstance(note, cattrs.IterableValidationNote):
                step = f"{path}[{note.index}]"
        if isinstance(sub, ValidationError):
            issues.extend(i.at(step) for i in sub.issues)
        else:
            issues.extend(_placed(sub, step))
    return issues


# --- rows ---


def row_columns(schema: Schema | None = None) -> tuple[str, ...]:
    """The columns :func:`to_row` writes, in order (custom fields last)."""
    catalogue = schema or default_schema()
    out: list[str] = []
    for field in catalogue.top_level():
        if field.custom:
            continue
        out.append(field.path)
    out.extend(c for c in COLLECTIONS if c not in out)
    out.extend(_EXTRA_COLUMNS)
    out.extend(f.path for f in catalogue.custom_fields())
    return tuple(out)


_NOT_A_CELL: Final = "\x00not a cell"  # a marker no stripped cell text can equal


def _is_missing(value: Any) -> bool:
    # NaN, NaT and Decimal NaN differ from themselves; pandas' NA cannot even say so.
    try:
        return bool(value != value)
    except (TypeError, ArithmeticError):
        return True
    except ValueError:  # an array: not a cell at all
        return False


def _cell_text(value: Any) -> str | None:
    """The text of a cell: ``None`` when empty, :data:`_NOT_A_CELL` when it is no cell."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if not isinstance(value, (numbers.Number, dt.date)):
        unwrap = getattr(value, "item", None)  # a numpy scalar, duck-typed: numpy is no dependency
        if not callable(unwrap) or isinstance(value, (bytes, Mapping)):
            return None if _is_missing(value) else _NOT_A_CELL
        try:
            value = unwrap()
        except (TypeError, ValueError):
            return _NOT_A_CELL
        if value is None or isinstance(value, str):
            return _cell_text(value)
        if not isinstance(value, (numbers.Number, dt.date)):
            return _NOT_A_CELL
    if _is_missing(value):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an integer column with gaps is float in a DataFrame
    if isinstance(value, (numbers.Number, dt.date)):
        return str(value)
    return _NOT_A_CELL


# The values a file repeats (kinds, statuses, yes/no, countries) are read once:
# (field path, text) -> the value as the record's own converter makes it (the form its
# normalised constructor takes), the issues, and whether the converter took the value.
# Only what the vocabulary reads (free text's converter is a strip; dates have their own
# memo). Bounded; when full it starts afresh.
_PARSED: dict[tuple[str, str], tuple[Any, tuple[Issue, ...], bool]] = {}
_PARSED_LIMIT: Final = 4096


def _parse_fresh(field: Field, text: str, issues: list[Issue]) -> Any:
    kind = field.type
    try:
        if kind is FieldType.BOOL:
            return parse_bool(text)
        if kind is FieldType.NUMBER:
            return parse_decimal(text)
        if kind is FieldType.DATE:
            return parse_date(text)
        parse = _VOCABULARY.get(field.path)
        if parse is not None:
            return parse(text)
    except ValidationError as exc:
        issues.extend(i.at(field.path) if not i.path else i for i in exc.issues)
        return None
    if kind is FieldType.LABELS:
        return frozenset(s for s in (p.strip() for p in text.split(";")) if s)
    if kind is FieldType.CHOICE and field.choices is not None and text not in field.choices:
        issues.append(
            Issue(
                "value.invalid_choice",
                field.path,
                {"value": text[:40], "choices": list(field.choices)},
            )
        )
        return None
    return text


# Fields read through a parser of the vocabulary rather than by their catalogue type.
_VOCABULARY: Final[Mapping[str, Callable[[str], Any]]] = {
    "kind": parse_kind,
    "status": lambda text: parse_status(text).value,
    "language": parse_language,
    "legal_form": parse_legal_form,
    "address.country": parse_country,
    "correspondence_address.country": parse_country,
}


def _normalise_identifier(path: str, text: str, country: str | None) -> str:
    ident = IDENTIFIERS.get(path)
    if ident is None or ident.is_compact(text, country):
        return text  # stored as it is, valid or not: validation waits until asked
    try:
        return ident.validate(text, country)
    except ValidationError:
        return text  # kept as given; validation reports it


def _compact_reachable(
    items: tuple[Any, ...], country: str | None, locations: tuple[Location, ...]
) -> tuple[Any, ...]:
    """Contacts or general correspondence with valid e-mails and phones in compact form;
    a phone without a country code takes its location's country, else the party's."""
    out: list[Any] = []
    changed = False
    for item in items:
        where = country
        if item.location_id is not None:
            for loc in locations:
                if loc.id == item.location_id and loc.address is not None:
                    where = loc.address.country or country
        changes = {}
        for name in ("email", "phone"):
            value = getattr(item, name)
            if isinstance(value, str):
                compact = _normalise_identifier(name, value, where)
                if compact != value:
                    changes[name] = compact
        if changes:
            item = attrs.evolve(item, **changes)
            changed = True
        out.append(item)
    return tuple(out) if changed else items


def normalize_identifiers(party: Party) -> Party:
    """The party with every valid identifier in compact form (what rows store), those
    of its contacts and general correspondence included (phones in E.164)."""
    country = party.address.country if party.address is not None else None
    changes: dict[str, Any] = {}
    for name in ("contacts", "correspondence"):
        items = getattr(party, name)
        if items:
            compact_items = _compact_reachable(items, country, party.locations)
            if compact_items is not items:
                changes[name] = compact_items
    for name in (
        "national_number",
        "bsn",
        "enterprise_number",
        "kvk_number",
        "vat_number",
        "iban",
        "email",
        "phone",
    ):
        value = getattr(party, name)
        if isinstance(value, str):
            compact = _normalise_identifier(name, value, country)
            if compact != value:
                changes[name] = compact
    if not changes:
        return party
    return attrs.evolve(party, **changes)


def from_row(
    row: Mapping[str, Any], schema: Schema | None = None, *, trusted: bool = False
) -> Party:
    """Build a :class:`Party` from one flat row; every bad cell is reported at once.

    ``row`` must be a mapping of at most :data:`~clientcore.errors.DEFAULT_LIMITS` cells
    of bounded size (checked first). An ``acceptance`` cell is refused unless
    ``trusted=True`` (a migration): acceptance comes through the status machine.
    """
    if not isinstance(row, Mapping):
        raise ValidationError(
            [
                Issue(
                    "value.invalid_type",
                    "$",
                    {"expected": "a mapping of cells", "value": type(row).__name__},
                )
            ]
        )
    if not _plain_row(row):
        check_input(row, DEFAULT_LIMITS)
    catalogue = schema or default_schema()
    issues: list[Issue] = []
    kwargs: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {}
    custom: dict[str, dict[str, Any]] = {}
    external: dict[str, str] = {}
    country = _country_of(row.get("address.country"))
    plan = _plan(tuple(row), catalogue, schema)
    # Every value below is put in the form the record's own converter gives it (memoised
    # where the file repeats it), so that the party is built by its normalised
    # constructor; where a converter refuses a value, or a cell is bad, ``ready`` is off
    # and Party(**kwargs) builds the party and names every fault (the converters are
    # idempotent: a converted value goes through them again unchanged).
    ready = True
    for raw, (column, how, field, head, tail, convert) in zip(row.values(), plan, strict=True):
        if raw.__class__ is str:  # the common cell: plain text
            text: str | None = raw.strip() or None
        else:
            text = _cell_text(raw)
            if text is _NOT_A_CELL:
                shown = f"{type(raw).__name__}: {repr(raw)[:30]}"
                issues.append(Issue("row.invalid_cell", column, {"value": shown}))
                continue
        if text is not None and (how is _AS_IS or how is _TEXT):
            # the most common: text read as it is
            if how is _AS_IS:
                value = text  # what its converter makes of stripped, non-blank text
            elif convert is None:
                ready = False
                value = text
            else:
                try:
                    value = convert(text)
                except ValidationError:
                    ready = False
                    value = text
        else:
            if text is None and field is not None:
                continue  # a blank cell of a known column
            if how is _EXTERNAL:
                if text is not None:
                    external[tail] = text
                continue
            if how is _JSON:
                if column == "acceptance" and text is not None and not trusted:
                    issues.append(Issue("input.acceptance_untrusted", column))
                    continue
                if text is not None:
                    value = _parse_json_cell(column, text, issues)
                    if value is not None:
                        kwargs[column] = value
                continue
            if field is None:
                suggestion = catalogue.suggest(column)
                issues.append(Issue("row.unknown_column", column, {"suggestion": suggestion or ""}))
                continue
            if text is None:
                continue
            if how is _IDENTIFIER:
                where = country
                if head == "correspondence_address":
                    where = _country_of(row.get("correspondence_address.country"))
                value, done = _converted(convert, _normalise_identifier(column, text, where))
                ready = ready and done
            elif how is _CUSTOM:
                value = _parse_fresh(field, text, issues)
            else:
                key = (column, text)
                found = _PARSED.get(key)
                if found is None:
                    found = _ready(field, text, convert)
                    if how is _MEMO and len(text) <= 64:
                        if len(_PARSED) >= _PARSED_LIMIT:
                            _PARSED.clear()
                        _PARSED[key] = found
                value, faults, done = found
                if faults:
                    issues.extend(faults)
                ready = ready and done
            if value is None:
                continue
            if how is _CUSTOM:
                custom.setdefault(head, {})[tail] = value
                continue
        if head:
            values = nested.get(head)
            if values is None:
                values = nested[head] = {}
            values[tail] = value
        else:
            kwargs[column] = value
    ready = ready and not issues
    for head, values in nested.items():
        kwargs[head] = _nested_value(head, values) if ready else values
    if custom:
        kwargs["custom"] = custom
    if external:
        kwargs["external_keys"] = external
    if "id" not in kwargs:
        kwargs["id"] = new_id()
    for name in ("contacts", "correspondence"):
        items = kwargs.get(name)
        if items:
            kwargs[name] = _compact_reachable(items, country, kwargs.get("locations", ()))
    if "kind" not in kwargs:
        if any(i.path == "kind" for i in issues):
            raise ValidationError(issues)
        issues.append(
            Issue("value.invalid_choice", "kind", {"value": "", "choices": list(PartyKind)})
        )
        raise ValidationError(issues)
    if ready:
        fast = _normalised_party(kwargs)
        if fast is not None:
            return fast
    # The good cells are built even when others are bad, so that the rules across fields
    # (kind, status family, date order...) are reported with the bad cells, not after.
    try:
        party = Party(**kwargs)
    except ValidationError as exc:
        issues.extend(i if i.path else i.at("$") for i in exc.issues)
    except (TypeError, ValueError) as exc:
        issues.append(Issue("json.invalid", "$", {"reason": str(exc)}))
    if issues:
        raise ValidationError(issues)
    return party


_PARTY_CONVERTERS: Final = field_converters(Party)
_NESTED_CONVERTERS: Final = {head: field_converters(cls) for head, cls in _NESTED.items()}
_make_party: Final = normalised_constructor(Party)
_MAKE_NESTED: Final = {head: normalised_constructor(cls) for head, cls in _NESTED.items()}
# Fields that hold records or collections: their converter is run on what the row
# gives (a tuple of records, a mapping of custom values) before the party is made.
_CONVERTED_LAST: Final = (
    *COLLECTIONS,
    "acceptance",
    "custom",
    "external_keys",
)


def _converted(convert: Callable[[Any], Any] | None, value: Any) -> tuple[Any, bool]:
    """``value`` through the field's converter, and whether it took it."""
    if convert is None:
        return value, False
    try:
        return convert(value), True
    except ValidationError:
        return value, False


def _ready(
    field: Field, text: str, convert: Callable[[Any], Any] | None
) -> tuple[Any, tuple[Issue, ...], bool]:
    """The cell read with the model's vocabulary (:func:`_parse_fresh`), then through the
    field's converter; the issues; whether the converter took the value."""
    faults: list[Issue] = []
    value = _parse_fresh(field, text, faults)
    if value is None or faults:
        return value, tuple(faults), not faults
    value, done = _converted(convert, value)
    return value, (), done


def _nested_value(head: str, values: dict[str, Any]) -> Any:
    """The record of a nested field (an address, billing...) from converted values, then
    through the party's converter for that field (an empty address is none)."""
    return _PARTY_CONVERTERS[head](_MAKE_NESTED[head](**values))


def _normalised_party(kwargs: dict[str, Any]) -> Party | None:
    """The party from values already converted (the collections and mappings converted
    here), as Party(**kwargs) makes it; ``None`` when a converter refuses one (then
    Party(**kwargs) is to name the fault)."""
    converters = _PARTY_CONVERTERS
    for name in _CONVERTED_LAST:
        value = kwargs.get(name)
        if value is not None:
            try:
                kwargs[name] = converters[name](value)
            except ValidationError:
                return None
    party = _make_party(**kwargs)
    # The normalised constructor takes identifiers compact; a row's are as typed, so the
    # party compacts them as Party(...) does.
    _compact_identifiers(party)
    return party


_EXTERNAL: Final = "external"
_JSON: Final = "json"
_IDENTIFIER: Final = "identifier"
_CUSTOM: Final = "custom"
_VALUE: Final = "value"

# How each column of a header is read: worked out once per header and catalogue, not
# once per cell (a file's rows share their header).
_TEXT: Final = "text"
_AS_IS: Final = "as is"
# The converters that give a stripped, non-blank text back as it is (they strip text,
# or keep an id as given).
_KEEPS_TEXT: Final = (opt_str, text_or_empty, record_id)
_MEMO: Final = "memo"
# (column, how, field, head, tail, the converter of the record field it fills)
_Step = tuple[str, str, Field | None, str, str, Callable[[Any], Any] | None]
_PLANS: dict[tuple[tuple[Any, ...], int, bool], tuple[Schema, tuple[_Step, ...]]] = {}


def _plan(keys: tuple[Any, ...], catalogue: Schema, schema: Schema | None) -> tuple[_Step, ...]:
    key = (keys, id(catalogue), schema is None)
    found = _PLANS.get(key)
    if found is not None and found[0] is catalogue:
        return found[1]
    steps = tuple(_step(str(k).strip(), catalogue, schema) for k in keys)
    if len(_PLANS) >= 64:
        _PLANS.clear()
    _PLANS[key] = (catalogue, steps)
    return steps


def _step(column: str, catalogue: Schema, schema: Schema | None) -> _Step:
    if column.startswith("external."):
        return column, _EXTERNAL, None, "", column[len("external.") :], None
    if column in COLLECTIONS or column in _EXTRA_COLUMNS:
        return column, _JSON, None, "", "", None
    field = _column_field(column, catalogue, schema)
    if field is None:
        return column, _VALUE, None, "", "", None
    head, _, tail = column.partition(".") if "." in column else ("", "", "")
    if field.custom:
        _, category, name = column.split(".", 2)
        return column, _CUSTOM, field, category, name, None
    nested = _NESTED_CONVERTERS.get(head, {}) if head else _PARTY_CONVERTERS
    convert = nested.get(tail if head else column)
    if field.identifier is not None and column not in _COMPACT_FIELDS:
        how = _IDENTIFIER  # (a party compacts its own identifiers when it is made)
    elif field.type is FieldType.TEXT and column not in _VOCABULARY:
        # read as it is: the converter alone makes the value, and a plain strip of
        # stripped text is the text itself
        how = _AS_IS if convert in _KEEPS_TEXT else _TEXT
    elif field.type is FieldType.DATE:
        how = _VALUE
    else:
        how = _MEMO
    return column, how, field, head, tail, convert


def _plain_row(row: Mapping[Any, Any]) -> bool:
    """Whether ``row`` is surely within :data:`DEFAULT_LIMITS`, told at C speed: a dict
    of few texts whose total length is within one text's limit, with no lone surrogate
    (ASCII, or text that encodes as UTF-8). ``False`` only means the full
    :func:`check_input` must look."""
    if row.__class__ is not dict or len(row) >= DEFAULT_LIMITS.max_items:
        return False
    try:
        keys, values = "".join(row), "".join(row.values())
    except TypeError:  # a key or a cell that is not text
        return False
    most = DEFAULT_LIMITS.max_text
    return len(keys) <= most and len(values) <= most and _no_surrogate(keys + values)


def _no_surrogate(text: str) -> bool:
    """Whether ``text`` holds no lone surrogate: ASCII, or it encodes as UTF-8 (which
    refuses every surrogate code point), told at C speed."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _LongNumber(Exception):
    """An integer of 19 digits or more in a JSON cell: it may not fit in 64 bits."""


def _short_int(literal: str) -> int:
    # The JSON decoder calls this for every integer it meets (rare in a cell), instead
    # of a scan of the whole text for long runs of digits (which costs more than the
    # parse itself, and mostly finds phone numbers and dates in texts).
    if len(literal) - (literal[0] == "-") >= 19:
        raise _LongNumber
    return int(literal)


# JSON cells: json.loads, except that an integer too long to be surely within 64 bits
# stops the parse (then the cell is parsed again and checked in full).
_CELL_JSON: Final = json.JSONDecoder(parse_int=_short_int)


def _plain_json(text: str) -> bool:
    """Whether the JSON ``text``, parsed by :data:`_CELL_JSON` (so holding no integer
    of 19 digits or more), is surely within :data:`DEFAULT_LIMITS`: short enough for
    the item, node and text limits, fewer openers than the depth limit, no lone
    surrogate and no escape (that could make one). ``False`` only means the full
    :func:`check_input` must look at the parsed data."""
    limits = DEFAULT_LIMITS
    return (
        len(text) <= min(2 * limits.max_items, limits.max_nodes, limits.max_text)
        and "\\" not in text
        and _no_surrogate(text)
        and text.count("[") + text.count("{") < limits.max_depth
        and limits.max_int_bits >= 64
    )


def _country_of(cell: Any) -> str | None:
    """The ISO code of a country cell, for reading identifiers; ``None`` when unknown
    (the cell itself is reported where it is read)."""
    text = _cell_text(cell)
    if text is None or text is _NOT_A_CELL:
        return None
    try:
        return parse_country(text)
    except ValidationError:
        return None


def _column_field(column: str, catalogue: Schema, schema: Schema | None) -> Field | None:
    """The catalogue field a (non-collection, non-external) column fills, or ``None``."""
    field = catalogue.get(column)
    if field is None and schema is None and _is_custom_column(column):
        # without a host catalogue, custom cells are kept as text
        _, category, name = column.split(".", 2)
        field = CustomField(category, name).to_field()
    if field is None or field.item_of is not None or field.type is FieldType.COLLECTION:
        return None
    return field


def _unknown_columns(header: Iterable[str], schema: Schema | None) -> list[Issue]:
    catalogue = schema or default_schema()
    issues: list[Issue] = []
    for name in header:
        column = name.strip()
        if column.startswith("external.") and column != "external.":
            continue
        if column in COLLECTIONS or column in _EXTRA_COLUMNS:
            continue
        if _column_field(column, catalogue, schema) is None:
            suggestion = catalogue.suggest(column) if column else None
            issues.append(Issue("row.unknown_column", column, {"suggestion": suggestion or ""}))
    return issues


def _is_custom_column(column: str) -> bool:
    parts = column.split(".")
    return len(parts) == 3 and parts[0] == "custom" and all(parts[1:])


_ITEMS: Final = {
    column: (normalised_constructor(cls), field_converters(cls))
    for column, cls in COLLECTIONS.items()
}


def _parse_json_cell(column: str, text: str, issues: list[Issue]) -> Any:
    try:
        try:
            # json.loads' own refusal of a leading BOM, which decode() leaves out
            data = _CELL_JSON.decode(text) if text[:1] != "\ufeff" else json.loads(text)
            plain = _plain_json(text)
        except _LongNumber:
            data, plain = json.loads(text), False
    except (ValueError, RecursionError) as exc:
        issues.append(Issue("row.invalid_json", column, {"what": column, "reason": str(exc)[:80]}))
        return None
    if not plain:
        try:
            check_input(data, DEFAULT_LIMITS, column)
        except ValidationError as exc:
            issues.extend(exc.issues)
            return None
    target: Any = Acceptance if column == "acceptance" else tuple[COLLECTIONS[column], ...]  # type: ignore[valid-type]
    if column != "acceptance" and not isinstance(data, list):
        issues.append(
            Issue("row.invalid_json", column, {"what": column, "reason": "not a JSON array"})
        )
        return None
    if column != "acceptance" and all(item.__class__ is dict for item in data):
        # the records' own converters: the cell's items built as Party(...) builds them,
        # each value through its field's converter, then the normalised constructor
        make, converters = _ITEMS[column]
        try:
            return tuple(
                make(**{key: converters[key](value) for key, value in item.items()})
                for item in data
            )
        except (ValidationError, TypeError, KeyError):
            pass  # a refused value, an unknown or missing key: named below
        item_type = COLLECTIONS[column]
        try:
            return tuple(item_type(**item) for item in data)
        except (ValidationError, TypeError):
            pass  # told apart below, by the JSON structure, as a bad cell
    try:
        return converter.structure(data, target)
    except Exception as exc:  # any structuring fault is a bad cell
        for issue in _cattrs_issues(exc):
            reason = issue.params.get("reason", "")
            issues.append(
                Issue(
                    "row.invalid_json",
                    column,
                    {"what": column, "reason": f"{reason} @ {issue.path}"},
                )
            )
        return None


def _format_cell(field: Field | None, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (frozenset, set)):
        return ";".join(sorted(value))
    return str(value)


def to_row(party: Party, schema: Schema | None = None) -> dict[str, str]:
    """The party as one flat row of text cells; :func:`from_row` reads it back."""
    catalogue = schema or default_schema()
    row: dict[str, str] = {}
    for column in row_columns(catalogue):
        if column in COLLECTIONS:
            items = getattr(party, column)
            row[column] = (
                json.dumps(converter.unstructure(items), ensure_ascii=False) if items else ""
            )
            continue
        if column == "acceptance":
            acc = party.acceptance
            row[column] = json.dumps(converter.unstructure(acc), ensure_ascii=False) if acc else ""
            continue
        field = catalogue.get(column)
        value = (
            party.custom_value(*column.split(".", 2)[1:])
            if field is not None and field.custom
            else _read(party, column)
        )
        row[column] = _format_cell(field, value)
    for category, values in sorted(party.custom.items()):
        for key, value in sorted(values.items()):
            column = f"custom.{category}.{key}"
            if column not in row:
                row[column] = _format_cell(None, value)
    for system, key in sorted(party.external_keys.items()):
        row[f"external.{system}"] = key
    return row


def _read(party: Party, path: str) -> Any:
    value = read_path(party, path)
    if isinstance(value, (PartyKind, ClientStatus)):
        return value.value
    return value


@attrs.frozen
class RowResult:
    """One data row of a file: its number as a spreadsheet shows it, the party or the issues."""

    row: int
    party: Party | None
    issues: tuple[Issue, ...] = ()

    @property
    def ok(self) -> bool:
        """The row gave a party."""
        return self.party is not None


def read_csv(
    source: str | os.PathLike[str] | IO[str],
    schema: Schema | None = None,
    *,
    trusted: bool = False,
) -> Iterator[RowResult]:
    """Stream the rows of a CSV file as :class:`RowResult`, never stopping at a bad row.

    The header is row 1, so the first data row is row 2. The delimiter (``,`` or ``;``)
    is sniffed from the header line. ``trusted`` as in :func:`from_row`.
    """
    return read_prepared_csv(source, schema, None, trusted=trusted)


#: A step run on every record before it becomes a party: the record to build and the
#: issues to keep on its row (a caller's own check of raw data).
Prepare = Callable[[Mapping[str, Any]], tuple[Mapping[str, Any], Sequence[Issue]]]


def read_prepared_csv(
    source: str | os.PathLike[str] | IO[str],
    schema: Schema | None,
    prepare: Prepare | None,
    *,
    trusted: bool = False,
) -> Iterator[RowResult]:
    """:func:`read_csv` with ``prepare`` run on each record before it is built; the
    issues it returns are kept on that row's result, beside the row's own."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, encoding="utf-8-sig", newline="") as handle:
            yield from _read_rows(handle, schema, prepare, trusted)
    else:
        yield from _read_rows(source, schema, prepare, trusted)


def _read_rows(
    handle: IO[str], schema: Schema | None, prepare: Prepare | None, trusted: bool
) -> Iterator[RowResult]:
    try:
        header = handle.readline()
    except (UnicodeDecodeError, OSError) as exc:
        yield RowResult(1, None, (Issue("csv.invalid", "", {"reason": str(exc)[:120]}),))
        return
    delimiter = ";" if header.count(";") > header.count(",") else ","
    rest = _chain(header, handle)
    reader = csv.DictReader(rest, delimiter=delimiter)
    number = 1
    try:
        names = reader.fieldnames or []
    except (csv.Error, UnicodeDecodeError) as exc:
        yield RowResult(1, None, (Issue("csv.invalid", "", {"reason": str(exc)[:120]}),))
        return
    unknown = _unknown_columns(names, schema)
    if unknown:
        # Reported once, against the header, and left out of every row: one stray
        # column must not make every row unreadable.
        yield RowResult(1, None, tuple(unknown))
    ignored = [name for name in names if name.strip() in {i.path for i in unknown}]
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except (csv.Error, UnicodeDecodeError) as exc:
            number += 1
            yield RowResult(number, None, (Issue("csv.invalid", "", {"reason": str(exc)[:120]}),))
            return
        number += 1  # records, not physical lines: a quoted cell may span several lines
        if None in record:  # more cells than header columns
            extra = record.pop(None)
            yield RowResult(
                number,
                None,
                (
                    Issue(
                        "csv.invalid",
                        "",
                        {"reason": f"{len(extra)} cells more than the header has"},
                    ),
                ),
            )
            continue
        for name in ignored:
            record.pop(name, None)
        _unguard(record)
        kept: Sequence[Issue] = ()
        if prepare is not None:
            prepared, kept = prepare(record)
        else:
            prepared = record
        try:
            yield RowResult(number, from_row(prepared, schema, trusted=trusted), tuple(kept))
        except ValidationError as exc:
            yield RowResult(number, None, (*exc.issues, *kept))


def _unguard(record: dict[str, Any]) -> None:
    """Take the writers' formula guard (a leading ``'``) off the cells of a file row:
    the file layer undoes what the file layer did, so :func:`from_row` reads values as
    they are and ``from_row(to_row(p)) == p`` for every text."""
    for key, cell in record.items():
        if cell.__class__ is str and cell[:1] == "'":
            record[key] = formula_unguarded(cell)


def _chain(first: str, handle: IO[str]) -> Iterator[str]:
    yield first
    yield from handle


def write_csv(
    parties: Any, target: str | os.PathLike[str] | IO[str], schema: Schema | None = None
) -> int:
    """Write parties to CSV with :func:`to_row`; returns the number of rows written."""
    if isinstance(target, (str, os.PathLike)):
        with open(target, "w", encoding="utf-8", newline="") as handle:
            return _write_rows(parties, handle, schema)
    return _write_rows(parties, target, schema)


def _write_rows(parties: Any, handle: IO[str], schema: Schema | None) -> int:
    columns = list(row_columns(schema))
    rows = [to_row(p, schema) for p in parties]
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: formula_safe(v) for k, v in row.items()})
    return len(rows)


def rows_to_csv_text(parties: Any, schema: Schema | None = None) -> str:
    """The CSV text of ``parties`` (handy in tests and notebooks)."""
    buffer = io.StringIO()
    write_csv(parties, buffer, schema)
    return buffer.getvalue()
