"""The operations of a bulk plan: each a frozen value with a stable JSON form.

>>> op = Labels(add={"vip"}, remove={"new"})
>>> op.to_json()
{'op': 'labels', 'add': ['vip'], 'remove': ['new']}
>>> operation_from_json(op.to_json()) == op
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Final

import attrs

from clientcore._errors import Issue, ValidationError
from clientcore._messages import define
from clientcore.bulk._paths import value_from_json, value_to_json
from clientcore.model import Schema, default_schema
from clientcore.model._party import labels_set, opt_date, opt_str, text_or_empty

define(
    {
        "bulk.field.not_editable": (
            "'{path}' cannot be changed by a bulk edit.",
            "'{path}' kan niet gewijzigd worden in een bulkwijziging.",
            "'{path}' ne peut pas être modifié par une modification groupée.",
        ),
        "bulk.field.status": (
            "The status is not set as a field: use a Transition, through the status machine.",
            "De status wordt niet als veld gezet: gebruik een Transition, via de statusmachine.",
            "Le statut ne se modifie pas comme un champ : utilisez une Transition, via la "
            "machine à statuts.",
        ),
        "bulk.op.invalid": (
            "Invalid operation at {path}: {reason}.",
            "Ongeldige bewerking op {path}: {reason}.",
            "Opération invalide à {path} : {reason}.",
        ),
        "bulk.labels.both": (
            "Label '{label}' cannot be added and removed at once.",
            "Label '{label}' kan niet tegelijk toegevoegd en verwijderd worden.",
            "Le label '{label}' ne peut pas être ajouté et retiré à la fois.",
        ),
    }
)


def _editable(path: str, schema: Schema | None) -> str:
    if schema is None and path.startswith("custom.") and path.count(".") == 2:
        return path  # custom fields are the host's; a schema given to preview checks them
    catalogue = schema or default_schema()
    field = catalogue.field(path)  # UnknownField with a suggestion
    if not field.bulk_editable:
        code = "bulk.field.status" if path == "status" else "bulk.field.not_editable"
        raise ValidationError([Issue(code, path)])
    return path


#: Fields an undo may put back besides the bulk-editable ones: what operations and
#: status transitions change.
RESTORABLE: Final = frozenset({"labels", "tasks", "task_presets", "status", "acceptance"})


# Paths already found restorable (the catalogue does not change at run time).
_CHECKED: set[str] = set()


class Operation:
    """Base of every bulk operation."""

    __slots__ = ()
    tag: ClassVar[str]

    def to_json(self) -> dict[str, Any]:
        """The operation as JSON-ready data, tagged with ``op``."""
        raise NotImplementedError

    def paths(self) -> tuple[str, ...]:
        """The field paths this operation may change."""
        raise NotImplementedError


@attrs.frozen
class SetField(Operation):
    """Set a bulk-editable field (``language``, ``aml.risk``, ``custom.kyc.source``, ...)."""

    tag: ClassVar[str] = "set_field"
    path: str
    value: Any

    def __attrs_post_init__(self) -> None:
        _editable(self.path, None)

    def to_json(self) -> dict[str, Any]:
        return {"op": self.tag, "path": self.path, "value": value_to_json(self.path, self.value)}

    def paths(self) -> tuple[str, ...]:
        return (self.path,)


@attrs.frozen
class ClearField(Operation):
    """Empty a bulk-editable field (``None``, or ``False`` for a yes/no setting)."""

    tag: ClassVar[str] = "clear_field"
    path: str

    def __attrs_post_init__(self) -> None:
        _editable(self.path, None)

    def to_json(self) -> dict[str, Any]:
        return {"op": self.tag, "path": self.path}

    def paths(self) -> tuple[str, ...]:
        return (self.path,)


@attrs.frozen
class Labels(Operation):
    """The three-state label edit: ``add`` to all, ``remove`` from all, keep the rest."""

    tag: ClassVar[str] = "labels"
    add: frozenset[str] = attrs.field(factory=frozenset, converter=labels_set)
    remove: frozenset[str] = attrs.field(factory=frozenset, converter=labels_set)

    def __attrs_post_init__(self) -> None:
        both = self.add & self.remove
        if both:
            raise ValidationError(
                [Issue("bulk.labels.both", "labels", {"label": label}) for label in sorted(both)]
            )

    def to_json(self) -> dict[str, Any]:
        return {"op": self.tag, "add": sorted(self.add), "remove": sorted(self.remove)}

    def paths(self) -> tuple[str, ...]:
        return ("labels",)


@attrs.frozen
class SetTask(Operation):
    """Activate or deactivate a task, with its period and start date when given."""

    tag: ClassVar[str] = "set_task"
    code: str = attrs.field(converter=text_or_empty)
    active: bool = True
    period: str | None = attrs.field(default=None, converter=opt_str)
    start: dt.date | None = attrs.field(default=None, converter=opt_date)

    def __attrs_post_init__(self) -> None:
        if not self.code:
            raise ValidationError([Issue("bulk.op.invalid", "code", {"reason": "a task code"})])

    def to_json(self) -> dict[str, Any]:
        return {
            "op": self.tag,
            "code": self.code,
            "active": self.active,
            "period": self.period,
            "start": self.start.isoformat() if self.start else None,
        }

    def paths(self) -> tuple[str, ...]:
        return ("tasks",)


@attrs.frozen
class ApplyTaskPreset(Operation):
    """Set the default of one step of a task (e.g. ``nbb_filing`` / ``payment_confirmation``
    to ``not_needed`` for non-profits)."""

    tag: ClassVar[str] = "apply_task_preset"
    task_code: str = attrs.field(converter=text_or_empty)
    step: str = attrs.field(converter=text_or_empty)
    value: str | None = attrs.field(default=None, converter=opt_str)

    def __attrs_post_init__(self) -> None:
        if not self.task_code or not self.step:
            raise ValidationError(
                [Issue("bulk.op.invalid", "task_code", {"reason": "a task code and a step"})]
            )

    def to_json(self) -> dict[str, Any]:
        return {"op": self.tag, "task_code": self.task_code, "step": self.step, "value": self.value}

    def paths(self) -> tuple[str, ...]:
        return ("task_presets",)


@attrs.frozen
class Transition(Operation):
    """A status change through the status machine and its policy (never around them)."""

    tag: ClassVar[str] = "transition"
    name: str
    reason: str | None = attrs.field(default=None, converter=opt_str)

    def to_json(self) -> dict[str, Any]:
        return {"op": self.tag, "name": self.name, "reason": self.reason}

    def paths(self) -> tuple[str, ...]:
        return ("status",)


@attrs.frozen
class Restore(Operation):
    """Put back the exact values one party had (what an undo plan is made of).

    It applies only to ``party_id``, and only while the party is still at ``version``:
    a party someone changed since is refused with a conflict, never overwritten. A
    ``status`` among the values goes back through the status machine.
    """

    tag: ClassVar[str] = "restore"
    party_id: str
    version: int
    values: tuple[tuple[str, Any], ...]

    def __attrs_post_init__(self) -> None:
        for path, _ in self.values:
            if path not in RESTORABLE and path not in _CHECKED:
                _editable(path, None)
                _CHECKED.add(path)

    def to_json(self) -> dict[str, Any]:
        return {
            "op": self.tag,
            "party_id": self.party_id,
            "version": self.version,
            "values": [[path, value_to_json(path, value)] for path, value in self.values],
        }

    def paths(self) -> tuple[str, ...]:
        return tuple(path for path, _ in self.values)


_KEYS: Final[Mapping[str, tuple[frozenset[str], frozenset[str]]]] = {
    # tag: (required keys, optional keys)
    "set_field": (frozenset({"path", "value"}), frozenset()),
    "clear_field": (frozenset({"path"}), frozenset()),
    "labels": (frozenset(), frozenset({"add", "remove"})),
    "set_task": (frozenset({"code"}), frozenset({"active", "period", "start"})),
    "apply_task_preset": (frozenset({"task_code", "step"}), frozenset({"value"})),
    "transition": (frozenset({"name"}), frozenset({"reason"})),
    "restore": (frozenset({"party_id", "version", "values"}), frozenset()),
}


def _bad(where: str, reason: str) -> ValidationError:
    return ValidationError([Issue("bulk.op.invalid", where, {"reason": reason})])


def _text(data: Mapping[str, Any], key: str, where: str, optional: bool = False) -> Any:
    value = data.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise _bad(f"{where}.{key}", "expected text")
    return value


def _text_list(data: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _bad(f"{where}.{key}", "expected a list of texts")
    return value


def operation_from_json(data: Any, where: str = "$") -> Operation:
    """Decode one operation strictly; faults raise ``ValidationError`` with a JSON path."""
    if not isinstance(data, Mapping):
        raise _bad(where, "expected an object")
    tag = data.get("op")
    if not isinstance(tag, str) or tag not in _KEYS:
        raise _bad(f"{where}.op", f"unknown operation {str(tag)[:40]!r}")
    required, optional = _KEYS[tag]
    keys = set(data) - {"op"}
    if required - keys:
        raise _bad(where, f"missing {sorted(required - keys)[0]!r}")
    if keys - required - optional:
        raise _bad(where, f"unknown key {sorted(map(str, keys - required - optional))[0]!r}")
    try:
        return _decode(tag, data, where)
    except ValidationError:
        raise
    except Exception as exc:  # a value of the wrong shape for its field
        raise _bad(where, str(exc)[:120] or type(exc).__name__) from None


def _decode(tag: str, data: Mapping[str, Any], where: str) -> Operation:
    if tag == "set_field":
        path = _text(data, "path", where)
        return SetField(path, value_from_json(path, data["value"]))
    if tag == "clear_field":
        return ClearField(_text(data, "path", where))
    if tag == "labels":
        return Labels(add=_text_list(data, "add", where), remove=_text_list(data, "remove", where))
    if tag == "set_task":
        active = data.get("active", True)
        if not isinstance(active, bool):
            raise _bad(f"{where}.active", "expected true or false")
        return SetTask(
            _text(data, "code", where),
            active,
            _text(data, "period", where, optional=True),
            _text(data, "start", where, optional=True),
        )
    if tag == "apply_task_preset":
        return ApplyTaskPreset(
            _text(data, "task_code", where),
            _text(data, "step", where),
            _text(data, "value", where, optional=True),
        )
    if tag == "transition":
        return Transition(_text(data, "name", where), _text(data, "reason", where, optional=True))
    version = data["version"]
    if type(version) is not int or version < 0:
        raise _bad(f"{where}.version", "expected a whole number")
    values = data["values"]
    if not isinstance(values, list):
        raise _bad(f"{where}.values", "expected a list")
    pairs = []
    for i, pair in enumerate(values):
        if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
            raise _bad(f"{where}.values[{i}]", "expected [path, value]")
        pairs.append((pair[0], value_from_json(pair[0], pair[1])))
    return Restore(_text(data, "party_id", where), version, tuple(pairs))


def operations_from_json(
    items: Iterable[Any], where: str = "$.operations"
) -> tuple[Operation, ...]:
    """Decode a list of operations."""
    return tuple(operation_from_json(item, f"{where}[{i}]") for i, item in enumerate(items))


__all__ = [
    "ApplyTaskPreset",
    "ClearField",
    "Labels",
    "Operation",
    "Restore",
    "SetField",
    "SetTask",
    "Transition",
    "operation_from_json",
    "operations_from_json",
]
