"""Reading and writing one field of a party by its catalogue path, and its JSON form.

>>> from clientcore import Party
>>> p = Party(kind="client_company", name="A")
>>> q = set_fields(p, {"billing.mode": "monthly", "custom.kyc.source": "salary"})
>>> read(q, "billing.mode"), read(q, "custom.kyc.source"), read(q, "aml.risk")
('monthly', 'salary', None)
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Hashable, Mapping
from functools import cache
from typing import Any, Final, cast

import attrs

from clientcore._errors import ValidationError
from clientcore.model import (
    ClientStatus,
    FieldType,
    Party,
    Task,
    TaskPreset,
    converter,
    default_schema,
    path_reader,
)
from clientcore.model.converters import custom_scalar


def read(party: Party, path: str) -> Any:
    """The value at ``path`` (``None`` when a nested value is absent)."""
    return getter(path)(party)


@cache
def getter(path: str) -> Callable[[Party], Any]:
    """A function reading ``path`` from a party (made once per path: bulk loops call it
    for every party)."""
    return path_reader(path)


@cache
def _resolved(cls: type[Any]) -> dict[str, Any]:
    attrs.resolve_types(cls)
    return {f.name: f for f in attrs.fields(cls)}


def field_type(path: str) -> Any:
    """The Python type of the value at ``path`` (custom fields: ``Any``)."""
    if path.startswith("custom."):
        return Any
    cls: Any = Party
    parts = path.split(".")
    for i, part in enumerate(parts):
        field = _resolved(cls)[part]
        typ = field.type
        if i == len(parts) - 1:
            return typ
        cls = _nested_class(typ)
    return Any


def _nested_class(typ: Any) -> type[Any]:
    args = getattr(typ, "__args__", None)
    if args:  # X | None
        for arg in args:
            if attrs.has(arg):
                return arg  # type: ignore[no-any-return,unused-ignore]
    if attrs.has(typ):
        return typ  # type: ignore[no-any-return,unused-ignore]
    raise TypeError(f"not a nested attrs type: {typ!r}")


def default_of(path: str) -> Any:
    """What ``ClearField(path)`` writes: ``None``, or the field's default (``False``, ``()``)."""
    if path.startswith("custom."):
        return None
    cls: Any = Party
    parts = path.split(".")
    for part in parts[:-1]:
        cls = _nested_class(_resolved(cls)[part].type)
    field = _resolved(cls)[parts[-1]]
    default = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return None
    return default


def set_fields(party: Party, values: Mapping[str, Any]) -> Party:
    """A new party with every ``path: value`` of ``values`` set, in one :func:`attrs.evolve`.

    Raises :class:`~clientcore.ValidationError` when the result breaks a rule.
    """
    top: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {}
    custom: dict[str, dict[str, Any]] | None = None
    for path, value in values.items():
        if path.startswith("custom."):
            _, category, key = path.split(".", 2)
            if custom is None:
                custom = {c: dict(v) for c, v in party.custom.items()}
            if value is None:
                custom.get(category, {}).pop(key, None)
                if category in custom and not custom[category]:
                    del custom[category]
            else:
                custom.setdefault(category, {})[key] = value
        elif "." in path:
            head, tail = path.split(".", 1)
            nested.setdefault(head, {})[tail] = value
        else:
            top[path] = value
    for head, changes in nested.items():
        current = getattr(party, head)
        if current is None:
            cls = _nested_class(_resolved(Party)[head].type)
            top[head] = cls(**changes)
        else:
            top[head] = evolved(current, changes)
    if custom is not None:
        top["custom"] = custom
    out: Party = evolved(party, top)
    return out


def evolved(inst: Any, changes: Mapping[str, Any]) -> Any:
    """What ``attrs.evolve(inst, **changes)`` returns, converting only the changed fields.

    ``inst`` was made by its class's ``__init__``, so every other field already holds
    a converted value: it is copied as it is. The changed values go through their
    fields' converters, then the class's validators and its rules across fields
    (``__attrs_post_init__``) run again, on the whole new instance, as ``__init__``
    runs them. A bulk plan changes one or two fields of 100,000 parties: running the
    converters of the other 45 fields again is most of what an evolve costs.

    A value its converter refuses, and a class this shortcut cannot reproduce exactly
    (no slots, a converter that takes ``self``, a default on a field outside
    ``__init__``), go through :func:`attrs.evolve` itself, so errors name their
    fields exactly as the class's constructor names them.
    """
    make = _evolver(cast(Hashable, type(inst)))
    if make is None:
        return attrs.evolve(inst, **changes)
    try:
        return make(inst, changes)
    except (ValidationError, _Unknown):
        return attrs.evolve(inst, **changes)  # the constructor's own error


class _Unknown(Exception):
    """A change names no field of ``__init__``: left to :func:`attrs.evolve` to refuse."""


@cache
def _evolver(cls: Any) -> Callable[[Any, Mapping[str, Any]], Any] | None:
    fields = attrs.fields(cls)
    names = {f.name for f in fields}
    slots = getattr(cls, "__slots__", None)
    if (
        slots is None
        or set(slots) - names - {"__weakref__"}
        or hasattr(cls, "__attrs_pre_init__")
        or any(f.alias != f.name for f in fields)
        or any(not f.init and f.default is not attrs.NOTHING for f in fields)
        or any(getattr(f.converter, "takes_self", False) for f in fields)
    ):
        return None
    kept = [f for f in fields if f.init]
    setters = {f.name: getattr(cls, f.name).__set__ for f in kept}
    # One straight-line function copying every field set by __init__ (built from the
    # class's own field names only): a loop would cost as much as the converters saved.
    scope: dict[str, Any] = {"cls": cls}
    lines = ["def copy(inst, new=object.__new__, cls=cls):", "    out = new(cls)"]
    for i, f in enumerate(kept):
        scope[f"set{i}"] = setters[f.name]
        lines.append(f"    set{i}(out, inst.{f.name})")
    lines.append("    return out")
    exec("\n".join(lines), scope)
    copy = scope["copy"]
    converters: dict[str, Any] = {f.name: f.converter for f in kept}
    by_name = {f.name: f for f in kept}
    validate = any(f.validator is not None for f in fields)
    post_init = getattr(cls, "__attrs_post_init__", None)

    def make(inst: Any, changes: Mapping[str, Any]) -> Any:
        out = copy(inst)
        for name, value in changes.items():
            put = setters.get(name)
            if put is None:
                raise _Unknown(name)
            convert = converters[name]
            if isinstance(convert, attrs.Converter):
                value = cast(Any, convert)(value, out, by_name[name])
            elif convert is not None:
                value = convert(value)
            put(out, value)
        if validate:
            attrs.validate(out)
        if post_init is not None:
            post_init(out)
        return out

    return make


def _is_label_set(value: Any) -> bool:
    return isinstance(value, (frozenset, set, list, tuple)) and all(
        isinstance(v, str) and v.strip() for v in value
    )


def custom_value(value: Any) -> Any:
    """A custom field's value as the model keeps it (:func:`custom_scalar`; a collection
    of texts becomes a frozenset), or :class:`ValueError` when it has no JSON form (an
    object, a datetime, NaN) or holds a blank label, which the model would drop."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("a finite number")
    if isinstance(value, (frozenset, set, list, tuple)) and not _is_label_set(value):
        raise ValueError(_CUSTOM_EXPECTED)
    try:
        return custom_scalar(value)
    except ValidationError:
        raise ValueError(_CUSTOM_EXPECTED) from None


_CUSTOM_EXPECTED: Final = "text, a number, true/false, a date or a list of texts"


def value_to_json(path: str, value: Any) -> Any:
    """``value`` of the field at ``path`` as JSON-ready data."""
    if value is None:
        return None
    if isinstance(value, (frozenset, set)):
        return sorted(value)
    if path.startswith("custom."):
        if isinstance(value, dt.date):
            return {"date": value.isoformat()}
        return value
    return converter.unstructure(value, field_type(path))


def _expect(ok: bool, what: str) -> None:
    if not ok:
        raise ValueError(f"expected {what}")


def _date(data: Any) -> dt.date:
    _expect(isinstance(data, str) and len(data) == 10, "a date as YYYY-MM-DD")
    return dt.date.fromisoformat(data)


def _opt_text(data: Any) -> str | None:
    _expect(data is None or isinstance(data, str), "text or null")
    return data  # type: ignore[no-any-return]


def _record(data: Any, keys: frozenset[str], required: frozenset[str]) -> Mapping[str, Any]:
    _expect(isinstance(data, Mapping), "an object")
    _expect(set(data) <= keys and required <= set(data), f"the keys {sorted(keys)}")
    return data  # type: ignore[no-any-return]


_TASK_KEYS: Final = frozenset({"code", "active", "period", "start"})
_PRESET_KEYS: Final = frozenset({"task_code", "step", "value"})


def _task(data: Any) -> Task:
    rec = _record(data, _TASK_KEYS, frozenset({"code"}))
    code, active = rec["code"], rec.get("active", True)
    _expect(isinstance(code, str) and bool(code.strip()), "a task code")
    _expect(isinstance(active, bool), "true or false")
    start = rec.get("start")
    return Task(code, active, _opt_text(rec.get("period")), None if start is None else _date(start))


def _preset(data: Any) -> TaskPreset:
    rec = _record(data, _PRESET_KEYS, frozenset({"task_code", "step"}))
    code, step = rec["task_code"], rec["step"]
    _expect(isinstance(code, str) and isinstance(step, str), "a task code and a step")
    return TaskPreset(code, step, _opt_text(rec.get("value")))


def value_from_json(path: str, data: Any) -> Any:
    """The inverse of :func:`value_to_json`; strict: data of the wrong shape raises
    :class:`ValueError` (``5`` is not a text, ``"no"`` not a yes/no, ``"vip"`` not labels)."""
    if data is None:
        return None
    if path.startswith("custom."):
        if isinstance(data, dict):
            _expect(set(data) == {"date"}, '{"date": "YYYY-MM-DD"}')
            return _date(data["date"])
        if isinstance(data, list):
            _expect(_is_label_set(data), "a list of non-empty texts")
            return frozenset(v.strip() for v in data)
        return custom_value(data)
    if path in ("tasks", "task_presets"):
        _expect(isinstance(data, list), "a list")
        return tuple(_task(d) if path == "tasks" else _preset(d) for d in data)
    if path == "status":
        _expect(isinstance(data, str) and data in STATUS_VALUES, "a status")
        return ClientStatus(data)
    field = default_schema().get(path)
    _expect(field is not None, "a known field")
    assert field is not None
    kind = field.type
    if kind in (FieldType.TEXT, FieldType.CHOICE):
        _expect(isinstance(data, str), "text")
    elif kind is FieldType.BOOL:
        _expect(isinstance(data, bool), "true or false")
    elif kind is FieldType.NUMBER:
        _expect(isinstance(data, (int, float)) and not isinstance(data, bool), "a number")
    elif kind is FieldType.DATE:
        return _date(data)
    elif kind is FieldType.LABELS:
        _expect(isinstance(data, list) and _is_label_set(data), "a list of non-empty texts")
        return frozenset(v.strip() for v in data)
    else:
        raise ValueError(f"'{path}' has no bulk JSON form")
    return data


STATUS_VALUES: Final = frozenset(s.value for s in ClientStatus)
