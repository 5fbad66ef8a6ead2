"""Hypothesis strategies shared by every test layer: parties, rows, junk."""

from __future__ import annotations

import datetime as dt
import string
from typing import Any

from hypothesis import strategies as st

from clientcore.model import (
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
    normalize_identifiers,
)
from clientcore.model._party import CLIENT_STATUSES, RELATION_STATUSES

# Text that survives stripping unchanged and is never blank.
words = (
    st.text(
        alphabet=string.ascii_letters + string.digits + "éèàçëïöüÉ -'&.",
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(bool)
)
opt_words = st.none() | words
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
opt_dates = st.none() | dates
ids = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=8)
digits = st.text(alphabet=string.digits, min_size=4, max_size=12)

addresses = st.builds(
    Address,
    street=opt_words,
    postal_code=st.none() | st.sampled_from(["1000", "9000", "1011AB", "3511AA"]),
    city=opt_words,
    country=st.none() | st.sampled_from(["BE", "NL", "FR"]),
)


def _unique_by_id(items: list[Any]) -> list[Any]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item.id not in seen:
            seen.add(item.id)
            out.append(item)
    return out


# Typed custom values: the key names the type, so a test can build the catalogue that
# declares them (FieldType value, strategy).
CUSTOM_VALUES: dict[str, tuple[str, st.SearchStrategy[Any]]] = {
    "note": ("text", words),
    "since": ("date", dates),
    "count": (
        "number",
        st.integers(-(10**6), 10**6) | st.floats(-1e6, 1e6).map(lambda f: round(f, 2)),
    ),
    "flag": ("bool", st.booleans()),
    "tags": ("labels", st.frozensets(words.filter(lambda w: ";" not in w), min_size=1, max_size=3)),
}


@st.composite
def parties(draw: st.DrawFn, kinds: tuple[PartyKind, ...] = tuple(PartyKind)) -> Party:
    """Valid-by-construction parties of any kind, with owned collections."""
    kind = draw(st.sampled_from(kinds))
    statuses = CLIENT_STATUSES if kind.is_client else RELATION_STATUSES
    status = draw(st.sampled_from(sorted(statuses)))
    locations = (
        _unique_by_id(
            draw(
                st.lists(
                    st.builds(Location, id=ids, name=opt_words, address=st.none() | addresses),
                    max_size=2,
                )
            )
        )
        if kind.is_company
        else []
    )
    location_ids = [loc.id for loc in locations]
    location_ref = st.none() | (st.sampled_from(location_ids) if location_ids else st.none())
    contacts = _unique_by_id(
        draw(
            st.lists(
                st.builds(
                    ContactPerson,
                    id=ids,
                    first_name=opt_words,
                    last_name=opt_words,
                    role=opt_words,
                    email=st.none() | st.just("an@example.be"),
                    phone=st.none() | st.just("+3292345678"),
                    location_id=location_ref,
                    archived=st.booleans(),
                ),
                max_size=3,
            )
        )
    )
    since = draw(opt_dates)
    until = draw(opt_dates)
    if since is not None and until is not None and until < since:
        since, until = until, since
    fields: dict[str, Any] = {
        "id": draw(ids),
        "kind": kind,
        "name": draw(words),
        "number": draw(opt_words),
        "status": ClientStatus(status),
        "language": draw(st.none() | st.sampled_from(["nl", "fr", "en", "de"])),
        "vat_liable": draw(st.none() | st.booleans()),
        "vat_number": draw(st.none() | digits.map(lambda d: "BE" + d)),
        "iban": draw(st.none() | digits),
        "email": draw(st.none() | st.just("info@example.be")),
        "phone": draw(st.none() | st.just("+3222345678")),
        "website": draw(opt_words),
        "address": draw(st.none() | addresses),
        "correspondence_address": draw(st.none() | addresses),
        "labels": draw(st.frozensets(words.filter(lambda w: ";" not in w), max_size=4)),
        "portfolio": draw(opt_words),
        "client_since": since,
        "client_until": until,
        "aml": draw(
            st.none()
            | st.builds(
                AmlProfile,
                risk=st.none() | st.sampled_from(["low", "medium", "high"]),
                verified_on=opt_dates,
            )
        ),
        "billing": draw(st.builds(Billing, mode=opt_words, invoice_layout=opt_words)),
        "portal": draw(st.builds(Portal, enabled=st.booleans(), forms_allowed=st.booleans())),
        "staff": draw(
            st.builds(StaffRoles, partner=opt_words, declarant=opt_words, owner=opt_words)
        ),
        "tasks": draw(
            st.lists(
                st.builds(
                    Task, code=words, active=st.booleans(), period=opt_words, start=opt_dates
                ),
                max_size=3,
            )
        ),
        "task_presets": draw(
            st.lists(
                st.builds(TaskPreset, task_code=words, step=words, value=opt_words), max_size=2
            )
        ),
        "contacts": contacts,
        "locations": locations,
        "debtor_cards": draw(
            st.lists(st.builds(DebtorCard, number=words, discipline=opt_words), max_size=2)
        ),
        "checklist": draw(
            st.lists(
                st.builds(ChecklistItem, action=words, done_on=opt_dates, note=opt_words),
                max_size=2,
            )
        ),
        "attention": draw(opt_words),
        "custom": draw(
            st.dictionaries(
                ids,
                st.fixed_dictionaries(
                    {},
                    optional={key: values for key, (_, values) in CUSTOM_VALUES.items()},
                ).filter(bool),
                max_size=2,
            )
        ),
        "external_keys": draw(st.dictionaries(ids, words, max_size=2)),
        "acceptance": draw(
            st.none()
            | st.builds(
                Acceptance,
                submitted_by=opt_words,
                approved_by=opt_words,
                submitted_at=st.none()
                | st.datetimes(
                    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 1, 1)
                ),
            )
        ),
        "version": draw(st.integers(min_value=0, max_value=1000)),
        "archived": draw(st.booleans()),
        "marked_for_deletion": draw(st.booleans()),
        "last_verified_on": draw(opt_dates),
    }
    if kind.is_person:
        fields.update(
            first_name=draw(opt_words),
            last_name=draw(opt_words),
            birth_date=draw(opt_dates),
            national_number=draw(st.none() | digits),
            bsn=draw(st.none() | digits),
            eid=draw(
                st.none()
                | st.builds(EidCard, card_number=st.none() | digits, valid_until=opt_dates)
            ),
        )
    else:
        fields.update(
            legal_form=draw(st.none() | st.sampled_from(["BV", "NV", "VZW", "CommV"])),
            enterprise_number=draw(st.none() | digits),
            kvk_number=draw(st.none() | digits),
            correspondence=draw(
                st.lists(
                    st.builds(GeneralCorrespondence, id=ids, name=opt_words),
                    max_size=2,
                    unique_by=lambda c: c.id,
                )
            ),
        )
    return normalize_identifiers(Party(**fields))


junk = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.binary(max_size=10),
    st.integers(),
    st.floats(),
    st.lists(st.text(max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=3),
)


# --- filters ---

from clientcore.query import F, Filter, Today  # noqa: E402

_text_paths = ["name", "legal_form", "address.city", "portfolio", "language", "status"]
_text_values = st.sampled_from(
    ["bv", "BV", "Gent", "gent", "Café", "cafe", "", "  ", "nl", "client", "Bak", "é", "a"]
)
# The choice fields take one of their choices (in any case) where a value must be one.
_choice_values: dict[str, st.SearchStrategy[str]] = {
    "language": st.sampled_from(["nl", "NL", "fr", "Fr", "en", "de"]),
    "status": st.sampled_from(["client", "Client", "prospect", "former_client", "SUSPECT"]),
}


def _values_for(path: str, op: str) -> st.SearchStrategy[str]:
    if path in _choice_values and op in ("eq", "ne", "in_", "not_in"):
        return _choice_values[path]
    return _text_values


_date_values = dates | st.builds(Today, st.integers(-400, 400))


@st.composite
def _leaf(draw: st.DrawFn, depth: int) -> Filter:
    kind = draw(
        st.sampled_from(
            ["text", "text_set", "bool", "date", "number", "labels", "blank", "any", "ident"]
        )
    )
    if kind == "text":
        path = draw(st.sampled_from(_text_paths))
        ops = ["eq", "ne", "contains", "not_contains", "starts_with", "ends_with"]
        op = draw(st.sampled_from(ops if path in _choice_values else [*ops, "lt", "ge"]))
        value = draw(_values_for(path, op))
        flags = {}
        if op not in ("lt", "ge") and not (path in _choice_values and op in ("eq", "ne")):
            flags = {"case_sensitive": draw(st.booleans()), "accent_sensitive": draw(st.booleans())}
        return getattr(F(path), op)(value, **flags)
    if kind == "text_set":
        path = draw(st.sampled_from(_text_paths))
        op = draw(st.sampled_from(["in_", "not_in"]))
        return getattr(F(path), op)(draw(st.lists(_values_for(path, op), max_size=4)))
    if kind == "bool":
        path = draw(st.sampled_from(["vat_liable", "portal.enabled", "archived"]))
        return getattr(F(path), draw(st.sampled_from(["eq", "ne"])))(draw(st.booleans()))
    if kind == "date":
        path = draw(st.sampled_from(["client_since", "eid.valid_until", "aml.verified_on"]))
        op = draw(st.sampled_from(["eq", "ne", "lt", "le", "gt", "ge", "between"]))
        if op == "between":
            return F(path).between(draw(_date_values), draw(_date_values))
        return getattr(F(path), op)(draw(_date_values))
    if kind == "number":
        op = draw(st.sampled_from(["eq", "ne", "lt", "le", "gt", "ge", "between"]))
        num = st.integers(-2, 1002) | st.floats(-5, 1005, allow_nan=False)
        if op == "between":
            return F("version").between(draw(num), draw(num))
        return getattr(F("version"), op)(draw(num))
    if kind == "labels":
        op = draw(st.sampled_from(["has", "has_any", "has_all"]))
        labels = st.sampled_from(["vip", "VIP", "audit", "nbb", "é"])
        if op == "has":
            return F("labels").has(draw(labels))
        return getattr(F("labels"), op)(draw(st.lists(labels, max_size=3)))
    if kind == "blank":
        path = draw(
            st.sampled_from(
                [
                    "email",
                    "labels",
                    "tasks",
                    "client_since",
                    "vat_liable",
                    "address.city",
                    "contacts",
                ]
            )
        )
        return getattr(F(path), draw(st.sampled_from(["blank", "not_blank"])))()
    if kind == "ident":
        path = draw(st.sampled_from(["email", "phone", "enterprise_number", "iban"]))
        return getattr(F(path), draw(st.sampled_from(["valid", "invalid"])))()
    inner = draw(
        st.sampled_from(
            [
                F("code").eq("vat"),
                F("active").eq(True),
                F("code").in_(["vat", "closing"]),
                F("period").blank(),
                F("code").starts_with("V") & F("active").ne(False),
            ]
        )
    )
    return F("tasks").any(inner)


def filters(max_depth: int = 3) -> st.SearchStrategy[Filter]:
    """Random filter trees over the built-in catalogue."""
    return st.recursive(
        _leaf(0),
        lambda children: st.one_of(
            st.lists(children, max_size=3).map(lambda cs: Filter.all() if not cs else _and(cs)),
            st.lists(children, min_size=1, max_size=3).map(_or),
            children.map(lambda c: ~c),
        ),
        max_leaves=8,
    )


def _and(children: list[Filter]) -> Filter:
    from clientcore.query import And

    return And(tuple(children))


def _or(children: list[Filter]) -> Filter:
    from clientcore.query import Or

    return Or(tuple(children))


# --- bulk plans and their operations ---

from clientcore.bulk import (  # noqa: E402
    ApplyTaskPreset,
    BulkPlan,
    ClearField,
    Labels,
    Operation,
    SetField,
    SetTask,
    Transition,
)

label_names = st.sampled_from(["vip", "audit", "new", "nbb", "timesheet"])
_set_values: dict[str, st.SearchStrategy[Any]] = {
    "language": st.sampled_from(["nl", "fr", "en", "de"]),
    "aml.risk": st.sampled_from(["low", "medium", "high"]),
    "vat_liable": st.booleans(),
    "portfolio": words,
    "billing.mode": st.sampled_from(["monthly", "yearly"]),
    "portal.enabled": st.booleans(),
    "staff.partner": st.sampled_from(["AVH", "JDC"]),
    "client_since": dates,
}
_transition_names = st.sampled_from(
    ["qualify", "disqualify", "start_acceptance", "withdraw_acceptance", "end_engagement"]
)


def operations(transitions: bool = True) -> st.SearchStrategy[Operation]:
    """Valid bulk operations on built-in fields (Restore is made by undo, not drawn)."""
    set_field = st.sampled_from(sorted(_set_values)).flatmap(
        lambda path: _set_values[path].map(lambda value: SetField(path, value))
    )
    labels = st.tuples(st.sets(label_names, max_size=2), st.sets(label_names, max_size=2)).map(
        lambda pair: Labels(add=pair[0], remove=pair[1] - pair[0])
    )
    choices = [
        set_field,
        st.sampled_from(["portfolio", "aml.risk", "portal.enabled"]).map(ClearField),
        labels,
        st.builds(
            SetTask,
            st.sampled_from(["vat", "closing"]),
            st.booleans(),
            st.none() | st.sampled_from(["monthly", "quarterly"]),
            st.none() | dates,
        ),
        st.builds(
            ApplyTaskPreset,
            st.just("nbb_filing"),
            st.just("payment_confirmation"),
            st.none() | st.just("not_needed"),
        ),
    ]
    if transitions:
        choices.append(st.builds(Transition, _transition_names, st.none() | words))
    return st.one_of(*choices)


def plans(transitions: bool = True) -> st.SearchStrategy[BulkPlan]:
    """Bulk plans selecting by ids, a filter, or both, with a few operations."""
    selection = st.one_of(
        st.lists(ids, min_size=1, max_size=4),
        filters(max_depth=1),
        st.tuples(filters(max_depth=1), st.lists(ids, max_size=3)),
    )
    return st.builds(
        BulkPlan,
        selection,
        st.lists(operations(transitions), min_size=1, max_size=4),
        st.none() | st.integers(min_value=1, max_value=30),
    )


# --- filters the SQL back end runs: every operator, nesting, blanks, accents ---

_sql_text_paths = [
    "name",
    "legal_form",
    "address.city",
    "portfolio",
    "language",
    "status",
    "kind",
    "staff.partner",
]
_sql_text_values = (
    st.sampled_from(
        [
            "bv",
            "BV",
            "Gent",
            "gent",
            "Café",
            "cafe",
            "CAFÉ",
            "",
            "  ",
            "nl",
            "client",
            "Bak",
            "é",
            "a",
            "%",
            "_",
            "e'",
            "Ç",
        ]
    )
    | words
)
_sql_flags = st.sampled_from([{}, {"case_sensitive": True, "accent_sensitive": True}])
_sql_date_paths = [
    "client_since",
    "client_until",
    "birth_date",
    "eid.valid_until",
    "aml.verified_on",
    "last_verified_on",
]
_sql_bool_paths = ["vat_liable", "portal.enabled", "archived", "marked_for_deletion"]
_sql_label_values = st.sampled_from(["vip", "VIP", "audit", "nbb", "é", "É", "Café"]) | words
_sql_collections = ["labels", "tasks", "contacts", "locations", "checklist", "debtor_cards"]
_sql_identifiers = [
    "email",
    "phone",
    "enterprise_number",
    "iban",
    "vat_number",
    "address.postal_code",
    "national_number",
]


# The choice fields are checked against their choices: a value must be one of them (in
# any case and accents unless a switch is on), and they have no order.
_sql_choices: dict[str, list[str]] = {
    "language": ["nl", "fr", "en", "de"],
    "status": ["client", "prospect", "former_client", "acceptance_pending", "relation"],
    "kind": ["client_company", "client_person", "relation_company"],
}


@st.composite
def _sql_choice(draw: st.DrawFn, path: str, op: str, flags: dict[str, bool]) -> Filter:
    exact = st.sampled_from(_sql_choices[path])
    value = exact if flags else exact | exact.map(str.upper) | exact.map(str.title)
    if op in ("lt", "le", "gt", "ge", "between", "eq"):
        return F(path).eq(draw(value), **flags)
    if op in ("in_", "not_in"):
        return getattr(F(path), op)(draw(st.lists(value, max_size=4)), **flags)
    if op == "ne":
        return F(path).ne(draw(value), **flags)
    return getattr(F(path), op)(draw(_sql_text_values), **flags)


@st.composite
def _sql_text(draw: st.DrawFn, paths: list[str]) -> Filter:
    path = draw(st.sampled_from(paths))
    op = draw(
        st.sampled_from(
            [
                "eq",
                "ne",
                "lt",
                "le",
                "gt",
                "ge",
                "between",
                "in_",
                "not_in",
                "contains",
                "not_contains",
                "starts_with",
                "ends_with",
                "blank",
                "not_blank",
            ]
        )
    )
    if op in ("blank", "not_blank"):
        return getattr(F(path), op)()
    flags = draw(_sql_flags)
    if path in _sql_choices:
        return draw(_sql_choice(path, op, flags))
    if op == "between":
        return F(path).between(draw(_sql_text_values), draw(_sql_text_values))
    if op in ("in_", "not_in"):
        return getattr(F(path), op)(draw(st.lists(_sql_text_values, max_size=4)), **flags)
    if op in ("lt", "le", "gt", "ge"):
        return getattr(F(path), op)(draw(_sql_text_values))
    return getattr(F(path), op)(draw(_sql_text_values), **flags)


@st.composite
def _sql_typed(
    draw: st.DrawFn, paths: list[str], values: st.SearchStrategy[Any], ordered: bool = True
) -> Filter:
    path = draw(st.sampled_from(paths))
    ops = ["eq", "ne", "in_", "not_in", "blank", "not_blank"]
    if ordered:  # true/false has no order: ordering a boolean is refused when built
        ops += ["lt", "le", "gt", "ge", "between"]
    op = draw(st.sampled_from(ops))
    if op in ("blank", "not_blank"):
        return getattr(F(path), op)()
    if op == "between":
        return F(path).between(draw(values), draw(values))
    if op in ("in_", "not_in"):
        return getattr(F(path), op)(draw(st.lists(values, max_size=3)))
    return getattr(F(path), op)(draw(values))


@st.composite
def _sql_leaf(draw: st.DrawFn) -> Filter:
    kind = draw(
        st.sampled_from(["text", "date", "bool", "number", "labels", "collection", "ident", "any"])
    )
    if kind == "text":
        return draw(_sql_text(_sql_text_paths))
    if kind == "date":
        return draw(_sql_typed(_sql_date_paths, dates | st.builds(Today, st.integers(-800, 800))))
    if kind == "bool":
        return draw(_sql_typed(_sql_bool_paths, st.booleans(), ordered=False))
    if kind == "number":
        values = st.integers(-2, 3) | st.floats(-2, 3, allow_nan=False, allow_infinity=False)
        return draw(_sql_typed(["version"], values))
    if kind == "labels":
        op = draw(st.sampled_from(["has", "has_any", "has_all"]))
        flags = draw(_sql_flags)
        if op == "has":
            return F("labels").has(draw(_sql_label_values), **flags)
        return getattr(F("labels"), op)(draw(st.lists(_sql_label_values, max_size=3)), **flags)
    if kind == "collection":
        path = draw(st.sampled_from(_sql_collections))
        return getattr(F(path), draw(st.sampled_from(["blank", "not_blank"])))()
    if kind == "ident":
        path = draw(st.sampled_from(_sql_identifiers))
        return getattr(F(path), draw(st.sampled_from(["valid", "invalid"])))()
    inner = st.recursive(
        st.one_of(
            _sql_text(["code", "period"]),
            _sql_typed(["active"], st.booleans(), ordered=False),
            _sql_typed(["start"], dates | st.builds(Today, st.integers(-800, 800))),
        ),
        lambda children: st.one_of(
            st.lists(children, max_size=3).map(_and),
            st.lists(children, max_size=3).map(_or),
            children.map(lambda c: ~c),
        ),
        max_leaves=3,
    )
    return F("tasks").any(draw(inner))


def sql_filters() -> st.SearchStrategy[Filter]:
    """Random filter trees that the SQL back end runs (every operator, nested)."""
    return st.recursive(
        _sql_leaf(),
        lambda children: st.one_of(
            st.lists(children, max_size=3).map(_and),
            st.lists(children, max_size=3).map(_or),
            children.map(lambda c: ~c),
        ),
        max_leaves=6,
    )


# --- sync: records whose keys collide often, from small pools of valid and invalid keys ---

NATIONAL_NUMBERS = ["73090986474", "72081165105", "28102674803", "72040245159", "75031027749"]
ENTERPRISE_NUMBERS = ["0377948919", "0457015795", "0920174068", "0460351805", "0823979960"]
SYNC_EMAILS = ["an@example.be", "bart@example.be", "info@peeters.be", "boekhouding@claes.be"]
CLIENT_NUMBERS = ["K001", "K002", "K003", "K004"]
INVALID_KEYS = {
    "national_number": "85073003329",  # bad check digit
    "enterprise_number": "0403170702",
    "email": "an@",
    "number": None,  # a client number is the firm's own text: never invalid
}


@st.composite
def sync_parties(draw: st.DrawFn, prefix: str = "p") -> Party:
    """Parties for the import diff: keys drawn from small pools (collisions are the point),
    now and then an invalid key, a postal code, a status, a name that may repeat."""
    kind = draw(st.sampled_from([PartyKind.CLIENT_COMPANY, PartyKind.CLIENT_PERSON]))
    fields: dict[str, Any] = {
        "id": prefix + draw(ids),
        "kind": kind,
        "name": draw(
            st.sampled_from(["Peeters BV", "Bakkerij Claes", "Janssens NV", "An Wouters"])
        ),
        "status": draw(st.sampled_from(["client", "former_client", "prospect", "suspect"])),
        "number": draw(st.none() | st.sampled_from(CLIENT_NUMBERS)),
        "email": draw(st.none() | st.sampled_from([*SYNC_EMAILS, "an@"])),
        "phone": draw(st.none() | st.sampled_from(["+3292345678", "+3222345678"])),
        "labels": draw(st.frozensets(st.sampled_from(["vip", "audit", "pb"]), max_size=2)),
        "portfolio": draw(st.none() | st.sampled_from(["Gent", "Brussel"])),
        "address": draw(
            st.none()
            | st.builds(
                Address,
                street=st.none() | st.sampled_from(["Veldstraat 1", "Rue Haute 5"]),
                postal_code=st.sampled_from(["9000", "1000", "4700", "5000"]),
                city=st.none() | st.sampled_from(["Gent", "Brussel", "Eupen", "Namur"]),
                country=st.none() | st.just("BE"),
            )
        ),
        "archived": draw(st.booleans()),
        "version": draw(st.integers(min_value=0, max_value=3)),
    }
    if kind.is_person:
        fields["national_number"] = draw(
            st.none() | st.sampled_from([*NATIONAL_NUMBERS, "85073003329"])
        )
    else:
        fields["enterprise_number"] = draw(
            st.none() | st.sampled_from([*ENTERPRISE_NUMBERS, "0403170702"])
        )
    return normalize_identifiers(Party(**fields))


# --- hostile JSON: what an attacker sends to a decoder ---

_hostile_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    # beyond 64 bits, up to numbers Python will not even print (10^4300 and more)
    st.integers(63, 20_000).flatmap(lambda bits: st.sampled_from([2**bits, -(2**bits) - 1])),
    st.floats(),
    st.text(max_size=12),
    st.sampled_from(["\ud800", "a\udfffb", "\u200b", "x" * 10_001, "", " "]),
)

hostile_json = st.recursive(
    _hostile_leaves,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=6) | st.sampled_from(["\ud800"]), inner, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def mutated(draw: st.DrawFn, document: Any) -> Any:
    """``document`` (JSON) with one value somewhere in it replaced by hostile JSON."""

    def paths(value: Any, at: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        out = [at]
        if isinstance(value, dict):
            for key, item in value.items():
                out.extend(paths(item, (*at, key)))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                out.extend(paths(item, (*at, index)))
        return out

    target = draw(st.sampled_from(paths(document, ())))
    junk = draw(hostile_json)
    if not target:
        return junk

    def replace(value: Any, rest: tuple[Any, ...]) -> Any:
        if not rest:
            return junk
        head, tail = rest[0], rest[1:]
        if isinstance(value, dict):
            return {k: replace(v, tail) if k == head else v for k, v in value.items()}
        return [replace(v, tail) if i == head else v for i, v in enumerate(value)]

    return replace(document, target)
