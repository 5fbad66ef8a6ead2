"""Reading and writing one field of a party by its catalogue path, and its JSON form.

>>> from clientcore import Party
>>> p = Party(kind="client_company", name="A")
>>> q = set_fields(p, {"billing.mode": "monthly", "custom.kyc.source": "salary"})
>>> read(q, "billing.mode"), read(q, "custom.kyc.source"), read(q, "aml.risk")
('monthly', 'salary', None)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache
from typing import Any

import attrs

from clientcore.model import Party
from clientcore.model._codec import converter


def read(party: Party, path: str) -> Any:
    """The value at ``path`` (``None`` when a nested value is absent)."""
    if path.startswith("custom."):
        _, category, key = path.split(".", 2)
        return party.custom.get(category, {}).get(key)
    value: Any = party
    for part in path.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


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
            top[head] = attrs.evolve(current, **changes)
    if custom is not None:
        top["custom"] = custom
    return attrs.evolve(party, **top)


def value_to_json(path: str, value: Any) -> Any:
    """``value`` of the field at ``path`` as JSON-ready data."""
    if value is None:
        return None
    if path.startswith("custom."):
        if isinstance(value, dt.date):
            return {"date": value.isoformat()}
        return value
    return converter.unstructure(value, field_type(path))


def value_from_json(path: str, data: Any) -> Any:
    """The inverse of :func:`value_to_json` (raises on data of the wrong shape)."""
    if data is None:
        return None
    if path.startswith("custom."):
        if isinstance(data, dict) and set(data) == {"date"}:
            return dt.date.fromisoformat(data["date"])
        return data
    return converter.structure(data, field_type(path))
