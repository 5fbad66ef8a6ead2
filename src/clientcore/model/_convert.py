"""The value converters of the model's records, and how a refused argument is named.

Every converter normalises one kind of value on the way in (text stripped, a date
parsed with the vocabulary of :mod:`clientcore.model._values`, labels as a frozen set),
is cheap and idempotent (:func:`attrs.evolve` runs it again), and refuses what it cannot
read with a :class:`~clientcore.ValidationError` whose issue has no path yet.

A record class (a :class:`Checked`, declared with
``attrs.frozen(field_transformer=name_converters)``) names every faulty argument
without wrapping its ``__init__``: when the class is made, each field's converter is
given the field's name (:func:`named`). A converter that refuses its value leaves a
:class:`Fault` in the field's slot, carrying issues already placed under the field's
name, and the remaining arguments are still converted; ``__attrs_post_init__``
(:func:`take_faults`) then raises one error listing every fault, with the rules across
fields that could still be checked. A missing or unknown keyword is a ``TypeError`` of
Python's call itself, named by the records' metaclass (:class:`Refusing`) from the
signature.

>>> from clientcore.model import Party
>>> try:
...     Party(kind="client_company", name="A", client_since="soon", labels=5)
... except ValidationError as exc:
...     sorted(i.path for i in exc.issues)
['client_since', 'labels']
"""

from __future__ import annotations

import datetime as dt
import difflib
import inspect
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType, MemberDescriptorType
from typing import Any, Final, TypeVar

import attrs

from clientcore._errors import Issue, ValidationError
from clientcore._messages import define
from clientcore.model._values import (
    parse_bool,
    parse_country,
    parse_date,
    parse_language,
    parse_legal_form,
)

define(
    {
        "party.version.negative": (
            "The version cannot be negative ({value}).",
            "De versie kan niet negatief zijn ({value}).",
            "La version ne peut pas être négative ({value}).",
        ),
        "party.version.invalid": (
            "The version must be a whole number of zero or more, not {value}.",
            "De versie moet een geheel getal van nul of meer zijn, niet {value}.",
            "La version doit être un nombre entier positif ou nul, pas {value}.",
        ),
        "field.required": (
            "'{path}' is required.",
            "'{path}' is verplicht.",
            "'{path}' est obligatoire.",
        ),
        "value.invalid_type": (
            "'{path}' expects {expected}, not {value}.",
            "'{path}' verwacht {expected}, niet {value}.",
            "'{path}' attend {expected}, pas {value}.",
        ),
        "value.invalid_date": (
            "'{value}' is not a date (YYYY-MM-DD, or day first: DD/MM/YYYY) in '{path}'.",
            "'{value}' is geen datum (JJJJ-MM-DD, of dag eerst: DD/MM/JJJJ) in '{path}'.",
            "'{value}' n'est pas une date (AAAA-MM-JJ, ou jour d'abord : JJ/MM/AAAA) dans "
            "'{path}'.",
        ),
    }
)

# --- converters: normalise on the way in, cheap and idempotent (evolve runs them again) ---


def _shown(value: object) -> str:
    """The offending value as a message shows it: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def wrong_type(expected: str, value: object, path: str = "") -> ValidationError:
    """The error for ``value`` not being ``expected``; the path is filled in by the caller."""
    return ValidationError(
        [Issue("value.invalid_type", path, {"expected": expected, "value": _shown(value)})]
    )


_V = TypeVar("_V")

# Equal small values of a registry (a date, a task, billing settings, a label set) are
# kept once and shared by every party that holds them, as interned text is: a registry
# loaded from a file would otherwise hold one copy per party. Bounded: when full it
# starts afresh, which costs sharing, never correctness (the values are immutable).
_SHARED: dict[Any, Any] = {}
_SHARED_LIMIT: Final = 1 << 17
_SELF_KEYED: Final = frozenset({dt.date, tuple, frozenset})


def shared(value: _V) -> _V:
    """The first value equal to ``value`` seen (of the same type): one copy kept.

    >>> a, b = dt.date(2024, 1, 1), dt.date(2024, 1, 1)
    >>> shared(a) is shared(b)
    True
    """
    cls = value.__class__
    # Keyed by the value itself where equality already tells the types apart (a date, a
    # record, a tuple of records, a set of labels): no key tuple per entry. Anything else
    # (1 == True == 1.0) is keyed with its class.
    key: Any = value if cls in _SELF_KEYED or hasattr(cls, "__attrs_attrs__") else (cls, value)
    found = _SHARED.get(key)
    if found is None:
        if len(_SHARED) >= _SHARED_LIMIT:
            _SHARED.clear()
        found = _SHARED.setdefault(key, value)
    return found  # type: ignore[no-any-return]


def opt_word(value: object) -> str | None:
    """:func:`opt_str` for the short texts parties repeat (a city, a role, a task code):
    interned, so a registry holds each once."""
    text = opt_str(value)
    return sys.intern(text) if text is not None else None


def word_or_empty(value: object) -> str:
    """:func:`text_or_empty`, interned like :func:`opt_word`."""
    return sys.intern(opt_str(value) or "")


def opt_str(value: object) -> str | None:
    """Strip text; blank becomes ``None``; anything but text is refused."""
    if value is None:
        return None
    if isinstance(value, str):
        stripped = value.strip()
        return stripped or None
    raise wrong_type("text", value)


def opt_date(value: object) -> dt.date | None:
    """Accept a date, a datetime (its date) or a text date as
    :func:`~clientcore.model.parse_date` reads it (ISO or day first)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return shared(value.date())
    if isinstance(value, dt.date):
        return shared(value)
    if isinstance(value, str):
        return shared(parse_date(value))
    raise wrong_type("a date", value)


def opt_datetime(value: object) -> dt.datetime | None:
    """Accept a datetime or an ISO date-time string."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise wrong_type("a date and time", value)


def record_id(value: object) -> str:
    """An id: non-blank text, kept as given."""
    if isinstance(value, str) and value.strip():
        return value
    raise wrong_type("a non-blank id", value)


def opt_bool(value: object) -> bool | None:
    """Accept ``True``/``False``/``None`` and every yes/no word of
    :func:`~clientcore.model.parse_bool` (true/false, ja/nee, oui/non, 1/0...)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return parse_bool(value)
        except ValidationError:
            pass
    raise wrong_type("true or false", value)


def to_bool(value: object) -> bool:
    """Like :func:`opt_bool`, with blank meaning ``False``."""
    return bool(opt_bool(value))


def labels_set(value: object) -> frozenset[str]:
    """Labels as a frozen set of stripped, non-empty texts (a text is ``;``-separated)."""
    if value is None:
        return _NO_LABELS
    if isinstance(value, frozenset) and all(isinstance(v, str) for v in value):
        return shared(value) if value else _NO_LABELS
    if isinstance(value, str):
        items: Iterable[Any] = value.split(";")
    elif isinstance(value, Iterable) and not isinstance(value, (bytes, Mapping)):
        items = list(value)
        if not all(isinstance(v, str) for v in items):
            raise wrong_type("labels (text)", value)
    else:
        raise wrong_type("labels (text or a set of texts)", value)
    out = frozenset(sys.intern(s) for s in (v.strip() for v in items) if s)
    return shared(out) if out else _NO_LABELS


_NO_LABELS: Final[frozenset[str]] = frozenset()
_set_slot = object.__setattr__


NO_CUSTOM: Final[Mapping[str, Mapping[str, Any]]] = MappingProxyType({})
NO_KEYS: Final[Mapping[str, str]] = MappingProxyType({})


def _mapping(value: object, expected: str) -> Mapping[Any, Any]:
    if isinstance(value, Mapping):
        return value
    raise wrong_type(expected, value)


def _name(value: object, what: str, issues: list[Issue], path: str) -> bool:
    if isinstance(value, str) and value.strip() and "." not in value:
        return True
    issues.append(Issue("value.invalid_type", path, {"expected": what, "value": _shown(value)}))
    return False


def custom_scalar(value: object) -> Any:
    """A custom-field value as the model keeps it: text, a number, true/false, a date or
    labels (a frozen set of texts); ``None`` for none. Anything else is refused."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if value == value and value not in (float("inf"), float("-inf")):
            return value
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    elif isinstance(value, (frozenset, set, list, tuple)) and all(
        isinstance(v, str) for v in value
    ):
        return labels_set(value)
    raise wrong_type("text, a number, true/false, a date or labels", value)


def _custom(value: object) -> Mapping[str, Mapping[str, Any]]:
    if value is None or value is NO_CUSTOM:
        return NO_CUSTOM
    categories = _mapping(value, "a mapping of categories to fields")
    if not categories:
        return NO_CUSTOM
    issues: list[Issue] = []
    out: dict[str, Mapping[str, Any]] = {}
    for category, fields in categories.items():
        if not _name(category, "a category name", issues, ""):
            continue
        if not isinstance(fields, Mapping):
            issues.append(
                Issue(
                    "value.invalid_type",
                    category,
                    {"expected": "a mapping of fields to values", "value": _shown(fields)},
                )
            )
            continue
        kept: dict[str, Any] = {}
        for key, raw in fields.items():
            if not _name(key, "a field name", issues, category):
                continue
            try:
                scalar = custom_scalar(raw)
            except ValidationError as exc:
                issues.extend(i.at(f"{category}.{key}") for i in exc.issues)
                continue
            if scalar is not None:  # none is absent, as in a row
                kept[key] = scalar
        if kept:
            out[category] = MappingProxyType(kept)
    if issues:
        raise ValidationError(issues)
    return MappingProxyType(out) if out else NO_CUSTOM


def _keys(value: object) -> Mapping[str, str]:
    if value is None or value is NO_KEYS:
        return NO_KEYS
    keys = _mapping(value, "a mapping of systems to keys")
    issues: list[Issue] = []
    out: dict[str, str] = {}
    for system, key in keys.items():
        if not _name(system, "a system name", issues, ""):
            continue
        if isinstance(key, int) and not isinstance(key, bool):
            key = str(key)
        if not isinstance(key, str):
            issues.append(
                Issue("value.invalid_type", system, {"expected": "text", "value": _shown(key)})
            )
        elif key.strip():
            out[system] = key.strip()
    if issues:
        raise ValidationError(issues)
    return MappingProxyType(out) if out else NO_KEYS


def _version(value: object) -> int:
    if value.__class__ is int and value >= 0:
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError([Issue("party.version.invalid", "", {"value": _shown(value)})])
    if value < 0:
        raise ValidationError([Issue("party.version.negative", "", {"value": value})])
    return int(value)


def text_or_empty(value: object) -> str:
    """Stripped text; blank becomes the empty string."""
    return opt_str(value) or ""


def upper_opt(value: object) -> str | None:
    """Stripped upper-case text; blank becomes ``None``."""
    text = opt_str(value)
    return sys.intern(text.upper()) if isinstance(text, str) else text


def country_opt(value: object) -> str | None:
    """A country as its ISO code (:func:`~clientcore.model.parse_country`: ``België`` is
    ``BE``); blank becomes ``None``; text that names no country is refused."""
    if value is None or isinstance(value, str):
        return parse_country(value)
    raise wrong_type("a country", value)


def language_opt(value: object) -> str | None:
    """A language as its code when :func:`~clientcore.model.parse_language` knows it
    (``Frans`` is ``fr``); other text is kept, for validation to report."""
    text = opt_str(value)
    if text is None:
        return None
    try:
        return parse_language(text)
    except ValidationError:
        return text


def legal_form_opt(value: object) -> str | None:
    """A legal form in its short form (:func:`~clientcore.model.parse_legal_form`)."""
    text = opt_str(value)
    return None if text is None else parse_legal_form(text)


# --- naming every faulty argument ---


def under(prefix: str, issue: Issue) -> Issue:
    """``issue`` with its path put under ``prefix`` (``[2]`` joins without a dot)."""
    path = issue.path
    if not path:
        return attrs.evolve(issue, path=prefix)
    return attrs.evolve(issue, path=prefix + path if path[0] == "[" else f"{prefix}.{path}")


class Fault:
    """A refused argument, kept in its field's slot until ``__attrs_post_init__``
    reports it: its issues are already placed under the field's name."""

    __slots__ = ("issues",)

    def __init__(self, issues: Iterable[Issue]) -> None:
        self.issues = tuple(issues)


class _Pending(threading.local):
    """How many faults this thread has left in slots and not yet reported: while it is
    zero (every valid construction), ``__attrs_post_init__`` looks at no slot."""

    count = 0


_PENDING: Final = _Pending()


def named(convert: Callable[[Any], Any], name: str) -> Callable[[Any], Any]:
    """``convert`` for the field ``name``: a refusal becomes a :class:`Fault` with its
    issues under ``name``, so the other arguments are still converted."""

    def converted(value: Any) -> Any:
        try:
            return convert(value)
        except ValidationError as exc:
            _PENDING.count += 1
            return Fault(under(name, i) for i in exc.issues)

    converted.__name__ = getattr(convert, "__name__", "convert")
    converted.__doc__ = convert.__doc__
    converted.__wrapped__ = convert  # type: ignore[attr-defined]
    return converted


def field_converters(cls: type[Any]) -> dict[str, Callable[[Any], Any]]:
    """The converter of every init field of the record class ``cls`` that has one, by
    keyword, as declared: a refusal raises :class:`~clientcore.ValidationError` (no
    :class:`Fault` is left). With :func:`normalised_constructor`, for code that
    converts values itself (and memoises what repeats) before building the record."""
    out: dict[str, Callable[[Any], Any]] = {}
    for field in attrs.fields(cls):
        convert = field.converter
        if field.init and callable(convert):
            out[field.alias or field.name] = getattr(convert, "__wrapped__", convert)
    return out


def name_converters(cls: type[Any], fields: list[attrs.Attribute[Any]]) -> list[Any]:
    """attrs' field transformer: every converter learns the name of its field."""
    out: list[Any] = []
    for field in fields:
        convert = field.converter
        if callable(convert):
            out.append(field.evolve(converter=named(convert, field.alias or field.name)))
        else:
            out.append(field)
    return out


def take_faults(record: Any) -> list[Issue]:
    """The issues of every :class:`Fault` in ``record``'s slots, each slot set back to
    its field's default (``None`` when it has none), so that the rules across fields can
    still read the good ones; empty, and free, when nothing was refused."""
    if not _PENDING.count:
        return []
    issues: list[Issue] = []
    for field in attrs.fields(type(record)):
        value = getattr(record, field.name, None)
        if value.__class__ is Fault:
            _PENDING.count -= 1
            issues.extend(value.issues)
            object.__setattr__(record, field.name, _default_of(field))
    return issues


def _default_of(field: attrs.Attribute[Any]) -> Any:
    default: Any = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return None if default.takes_self else default.factory()
    return None if default is attrs.NOTHING else default


class Refusing(type):
    """The metaclass of the records: a call Python itself refuses (a missing or unknown
    keyword, too many values) becomes a :class:`ValidationError` naming each field."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        except TypeError:
            issues = _signature_issues(cls, args, kwargs)
            if issues:
                raise ValidationError(issues) from None
            raise


def _signature_issues(cls: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[Issue]:
    fields = [f for f in attrs.fields(cls) if f.init]
    names = [f.alias or f.name for f in fields]
    try:
        inspect.signature(cls.__init__).bind(None, *args, **kwargs)
    except TypeError:
        pass
    else:
        return []  # the call was fine: the TypeError came from elsewhere
    issues: list[Issue] = []
    if len(args) > len(names):
        issues.append(
            Issue(
                "value.invalid_type",
                "",
                {"expected": f"at most {len(names)} values", "value": len(args)},
            )
        )
    given = set(names[: len(args)]) | set(kwargs)
    for key in kwargs:
        if key not in names:
            near = difflib.get_close_matches(str(key), names, n=1)
            issues.append(Issue("field.unknown", str(key), {"suggestion": near[0] if near else ""}))
    required = [f.alias or f.name for f in fields if f.default is attrs.NOTHING]
    issues.extend(Issue("field.required", name) for name in required if name not in given)
    return issues


class Checked(metaclass=Refusing):
    """The base of every record: refused arguments are reported together, each named."""

    __slots__ = ()

    def __attrs_post_init__(self) -> None:
        issues = take_faults(self)
        if issues:
            raise ValidationError(issues)


# --- records from values already normalised ---

_R = TypeVar("_R")
_NORMALISED: dict[type[Any], Callable[..., Any]] = {}


def normalised_constructor(cls: type[_R]) -> Callable[..., _R]:
    """A constructor of the record class ``cls`` for values already in the form its
    converters return (identifiers in their compact form): no converter runs, and the
    rules across fields are checked as ``cls(...)`` checks them (a party's kind and
    status, the fields of its kind, unique ids, known locations, the order of its
    dates...).

    For trusted code that builds many records from values it made itself (the sample
    generator): given normalised values, the record is equal to ``cls(**values)``; given
    anything else it is not checked, so everything else uses ``cls`` itself. A missing
    required or an unknown keyword is a ``TypeError``.

    >>> from clientcore.model import Address
    >>> make = normalised_constructor(Address)
    >>> make(street="Veldstraat 1", postal_code="9000", city="Gent", country="BE") == Address(
    ...     "Veldstraat 1", "9000", "Gent", "BE")
    True
    """
    made = _NORMALISED.get(cls)
    if made is None:
        made = _NORMALISED[cls] = _make_normalised(cls)
    return made


def _slot(cls: type[Any], name: str) -> Any:
    """The member descriptor of slot ``name`` in ``cls`` or a base, or ``None``."""
    for klass in cls.__mro__:
        found = vars(klass).get(name)
        if found is not None:
            return found if isinstance(found, MemberDescriptorType) else None
    return None


# A record with at least this many fields is filled in through its open twin (below):
# switching the class back costs about what one slot setter costs.
_TWIN_FROM: Final = 2


def _open_twin(cls: type[Any]) -> type[Any] | None:
    """A subclass of the frozen slotted ``cls`` that adds no slot and whose attributes
    are set as any object's, so that ``out.name = value`` fills a slot of ``cls`` (the
    interpreter stores into a slot directly, where calling a slot's setter costs tens of
    times more); an object made from it becomes a ``cls`` by assigning its
    ``__class__``. ``None`` when ``cls`` does not allow that."""
    try:
        twin = type(
            f"_Open{cls.__name__}",
            (cls,),
            {
                "__slots__": (),
                "__setattr__": object.__setattr__,
                "__delattr__": object.__delattr__,
                "__module__": cls.__module__,
            },
        )
        probe: Any = object.__new__(twin)
        probe.__class__ = cls
    except TypeError:
        return None
    return twin


def _make_normalised(cls: type[Any]) -> Callable[..., Any]:
    # One straight-line function per class (as attrs writes __init__): a loop over the
    # fields would cost what the converters cost.
    fields = [field for field in attrs.fields(cls) if field.init]
    slots = {field.name: _slot(cls, field.name) for field in fields}
    twin = None
    if len(fields) >= _TWIN_FROM and all(slot is not None for slot in slots.values()):
        twin = _open_twin(cls)
    scope: dict[str, Any] = {
        "new": object.__new__,
        "cls": cls,
        "twin": twin,
        "put": object.__setattr__,
    }
    params: list[str] = []
    body: list[str] = ["    out = new(cls)" if twin is None else "    out = new(twin)"]
    for index, field in enumerate(fields):
        slot = slots[field.name]
        if slot is not None and twin is None:  # the slot's own setter skips a look-up
            scope[f"set_{index}"] = slot.__set__
        name = field.alias or field.name
        default: Any = field.default
        if default is attrs.NOTHING:
            params.append(name)
        elif isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            scope[f"factory_{index}"] = default.factory
            params.append(f"{name}=missing")
            call = f"factory_{index}(out)" if default.takes_self else f"factory_{index}()"
            body.append(f"    if {name} is missing: {name} = {call}")
        else:
            scope[f"default_{index}"] = default
            params.append(f"{name}=default_{index}")
        if twin is not None:
            body.append(f"    out.{field.name} = {name}")
        elif slot is not None:
            body.append(f"    set_{index}(out, {name})")
        else:
            body.append(f"    put(out, {field.name!r}, {name})")
    if twin is not None:
        body.append("    out.__class__ = cls")
    scope["missing"] = attrs.NOTHING
    if hasattr(cls, "_check_normalised"):  # the rules across fields, without compacting
        body.append("    out._check_normalised()")
    elif getattr(cls, "__attrs_post_init__", None) not in (None, Checked.__attrs_post_init__):
        body.append("    out.__attrs_post_init__()")
    # else only converters' refusals are checked after init, and no converter ran
    body.append("    return out")
    lines = [f"def make(*, {', '.join(params)}):", *body]
    exec("\n".join(lines), scope)  # built from the class's own field names only
    made: Callable[..., Any] = scope["make"]
    made.__qualname__ = made.__name__ = f"normalised_{cls.__name__}"
    return made
