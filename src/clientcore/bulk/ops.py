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
from typing import Any, ClassVar, Final, Protocol

import attrs

import clientcore.bulk._codes  # noqa: F401  (the messages of the codes used here)
from clientcore._errors import Issue, UnknownField, ValidationError
from clientcore._messages import define
from clientcore.bulk._paths import (
    STATUS_VALUES,
    _date,
    _is_label_set,
    custom_value,
    default_of,
    value_from_json,
    value_to_json,
)
from clientcore.model import (
    ClientStatus,
    FieldType,
    Party,
    Schema,
    Task,
    TaskPreset,
    default_schema,
    parse_value,
    value_issue,
)
from clientcore.model.converters import opt_date, opt_str, text_or_empty

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
        "bulk.restore.acceptance": (
            "The acceptance record is never restored by value: it follows the status, "
            "through the status machine.",
            "Het acceptatiedossier wordt nooit als waarde hersteld: het volgt de status, "
            "via de statusmachine.",
            "Le dossier d'acceptation n'est jamais restauré par valeur : il suit le statut, "
            "via la machine à statuts.",
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
#: status transitions change. ``acceptance`` is not among them: who submitted and who
#: approved is only ever written by the machine (four-eyes), so an undo restores it by
#: taking transitions, never by value.
RESTORABLE: Final = frozenset({"labels", "tasks", "task_presets", "status"})


def _invalid(where: str, reason: str) -> ValidationError:
    return ValidationError([Issue("bulk.op.invalid", where, {"reason": reason.rstrip(".")})])


def checked_value(path: str, value: Any, where: str = "value") -> Any:
    """``value`` normalised for the field at ``path``, or :class:`ValidationError` at
    ``where`` when it does not fit the field's type and choices (or has no JSON form)."""
    if path.startswith("custom."):
        try:
            return custom_value(value)
        except ValueError as exc:
            raise _invalid(where, f"'{path}' expects {exc}") from None
    field = default_schema().field(path)
    try:  # text as users write it ("ja", "31/01/2020", "Frans"): the model's vocabulary
        value = parse_value(field, value)
    except ValidationError as exc:
        raise _invalid(where, exc.issues[0].message()) from None
    if field.type is FieldType.LABELS and value is not None:
        if not _is_label_set(value):
            raise _invalid(where, f"'{path}' expects a set of non-empty texts")
        return frozenset(v.strip() for v in value)
    problem = value_issue(field, value)
    if problem is not None:
        raise _invalid(where, problem.message())
    return value


def _restorable(index: int, path: str, value: Any) -> Any:
    where = f"values[{index}]"
    if path == "acceptance":
        raise ValidationError([Issue("bulk.restore.acceptance", where)])
    if path == "status":
        if not isinstance(value, str) or value not in STATUS_VALUES:
            raise _invalid(where, "a status")
        return ClientStatus(value)
    if path == "tasks":
        if not isinstance(value, tuple) or not all(isinstance(t, Task) for t in value):
            raise _invalid(where, "a tuple of Task")
        return value
    if path == "task_presets":
        if not isinstance(value, tuple) or not all(isinstance(t, TaskPreset) for t in value):
            raise _invalid(where, "a tuple of TaskPreset")
        return value
    _editable(path, None)
    return checked_value(path, value, where)


def _label_names(value: object) -> frozenset[str]:
    if value is None:
        return frozenset()
    items: Iterable[Any] = value.split(";") if isinstance(value, str) else value  # type: ignore[assignment]
    names = list(items)
    if not all(isinstance(v, str) and v.strip() for v in names):
        raise _invalid("labels", "labels are non-empty texts")
    return frozenset(v.strip() for v in names)


def _pairs(value: Iterable[tuple[str, Any]]) -> tuple[tuple[str, Any], ...]:
    return tuple(value)


def _text_field(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _invalid(where, "a non-empty text")
    return value.strip()


class Step(Protocol):
    """What an operation sees of the evaluation of one party, and may ask of it."""

    @property
    def party(self) -> Party:
        """The party as stored."""
        ...

    @property
    def values(self) -> dict[str, Any]:
        """The new values so far, by field path (operations later in the plan see them)."""
        ...

    def permit(self, path: str) -> bool:
        """Whether the actor may edit ``path`` (a refusal is recorded as a rejection)."""
        ...

    def refuse(self, issue: Issue) -> None:
        """Reject the party for ``issue``."""
        ...

    def check_restored(self, path: str, value: Any) -> Issue | None:
        """The catalogue's objection to putting ``value`` back at ``path``, if any."""
        ...

    def take(self, transition: str, reason: str | None) -> None:
        """Take a transition through the status machine (after every value is known)."""
        ...

    def return_to(self, status: ClientStatus) -> None:
        """Take the party back to ``status`` through the machine."""
        ...


class Operation:
    """Base of every bulk operation: each carries its own behaviour.

    :meth:`paths` says what it touches, :meth:`catalogue_issues` how it is checked
    against the field catalogue once per plan, :meth:`evaluate` how it changes one party
    (through a :class:`Step`), :attr:`moves_status` whether it needs the status machine;
    what undoes it is the :class:`Restore` of the before-values an apply records.
    """

    __slots__ = ()
    tag: ClassVar[str]

    def to_json(self) -> dict[str, Any]:
        """The operation as JSON-ready data, tagged with ``op``."""
        raise NotImplementedError

    def paths(self) -> tuple[str, ...]:
        """The field paths this operation may change."""
        raise NotImplementedError

    def evaluate(self, step: Step) -> None:
        """Write this operation's new values for ``step.party`` into ``step.values``."""
        raise NotImplementedError

    @property
    def moves_status(self) -> bool:
        """Whether this operation changes the status (and so needs a machine)."""
        return False

    def catalogue_issues(self, schema: Schema, index: int) -> list[Issue]:
        """What ``schema`` refuses in this operation (``index``: its place in the plan)."""
        return []


def _field_issues(
    path: str, value: Any, has_value: bool, schema: Schema, index: int
) -> list[Issue]:
    field = schema.get(path)
    if field is None:
        raise UnknownField(path, schema.suggest(path))
    if not field.bulk_editable:
        return [Issue("bulk.field.not_in_schema", f"operations[{index}].path", {"path": path})]
    if has_value and (problem := value_issue(field, value)):
        return [
            Issue(
                "bulk.op.invalid",
                f"operations[{index}].value",
                {"reason": problem.message().rstrip(".")},
            )
        ]
    return []


@attrs.frozen
class SetField(Operation):
    """Set a bulk-editable field (``language``, ``aml.risk``, ``custom.kyc.source``, ...)."""

    tag: ClassVar[str] = "set_field"
    path: str
    value: Any

    def __attrs_post_init__(self) -> None:
        _editable(self.path, None)
        object.__setattr__(self, "value", checked_value(self.path, self.value))

    def to_json(self) -> dict[str, Any]:
        return {
            "op": self.tag,
            "path": self.path,
            "value": value_to_json(self.path, self.value),
        }

    def paths(self) -> tuple[str, ...]:
        return (self.path,)

    def evaluate(self, step: Step) -> None:
        if step.permit(self.path):
            step.values[self.path] = self.value

    def catalogue_issues(self, schema: Schema, index: int) -> list[Issue]:
        return _field_issues(self.path, self.value, True, schema, index)


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

    def evaluate(self, step: Step) -> None:
        if step.permit(self.path):
            step.values[self.path] = default_of(self.path)

    def catalogue_issues(self, schema: Schema, index: int) -> list[Issue]:
        return _field_issues(self.path, None, False, schema, index)


@attrs.frozen
class Labels(Operation):
    """The three-state label edit: ``add`` to all, ``remove`` from all, keep the rest."""

    tag: ClassVar[str] = "labels"
    add: frozenset[str] = attrs.field(factory=frozenset, converter=_label_names)
    remove: frozenset[str] = attrs.field(factory=frozenset, converter=_label_names)

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

    def evaluate(self, step: Step) -> None:
        if step.permit("labels"):
            base = step.values.get("labels", step.party.labels)
            step.values["labels"] = (base - self.remove) | self.add


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
            raise _invalid("code", "a task code")
        if not isinstance(self.active, bool):
            raise _invalid("active", "true or false")
        if self.period is not None and not isinstance(self.period, str):
            raise _invalid("period", "text")

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

    def evaluate(self, step: Step) -> None:
        if step.permit("tasks"):
            step.values["tasks"] = self.applied_to(step.values.get("tasks", step.party.tasks))

    def applied_to(self, tasks: tuple[Task, ...]) -> tuple[Task, ...]:
        """``tasks`` with this task activated or deactivated (added when missing)."""
        out = []
        found = False
        for task in tasks:
            if task.code == self.code:
                found = True
                task = attrs.evolve(
                    task,
                    active=self.active,
                    period=self.period if self.period is not None else task.period,
                    start=self.start if self.start is not None else task.start,
                )
            out.append(task)
        if not found:
            out.append(Task(self.code, self.active, self.period, self.start))
        return tuple(out)


@attrs.frozen
class ApplyTaskPreset(Operation):
    """Set the default of one step of a task (e.g. ``nbb_filing`` / ``payment_confirmation``
    to ``not_needed`` for non-profits)."""

    tag: ClassVar[str] = "apply_task_preset"
    task_code: str = attrs.field(converter=text_or_empty)
    step: str = attrs.field(converter=text_or_empty)
    value: str | None = attrs.field(default=None, converter=opt_str)

    def __attrs_post_init__(self) -> None:
        if not self.task_code:
            raise _invalid("task_code", "a task code")
        if not self.step:
            raise _invalid("step", "a step")
        if self.value is not None and not isinstance(self.value, str):
            raise _invalid("value", "text")

    def to_json(self) -> dict[str, Any]:
        return {
            "op": self.tag,
            "task_code": self.task_code,
            "step": self.step,
            "value": self.value,
        }

    def paths(self) -> tuple[str, ...]:
        return ("task_presets",)

    def evaluate(self, step: Step) -> None:
        if step.permit("task_presets"):
            presets = step.values.get("task_presets", step.party.task_presets)
            kept = [p for p in presets if (p.task_code, p.step) != (self.task_code, self.step)]
            kept.append(TaskPreset(self.task_code, self.step, self.value))
            step.values["task_presets"] = tuple(kept)


@attrs.frozen
class Transition(Operation):
    """A status change through the status machine and its policy (never around them)."""

    tag: ClassVar[str] = "transition"
    name: str
    reason: str | None = attrs.field(default=None, converter=opt_str)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "name", _text_field(self.name, "name"))
        if self.reason is not None and not isinstance(self.reason, str):
            raise _invalid("reason", "text")

    def to_json(self) -> dict[str, Any]:
        return {"op": self.tag, "name": self.name, "reason": self.reason}

    def paths(self) -> tuple[str, ...]:
        return ("status",)

    def evaluate(self, step: Step) -> None:
        step.take(self.name, self.reason)

    @property
    def moves_status(self) -> bool:
        return True


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
    values: tuple[tuple[str, Any], ...] = attrs.field(converter=_pairs)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "party_id", _text_field(self.party_id, "party_id"))
        if type(self.version) is not int or self.version < 0:
            raise _invalid("version", "a whole number")
        pairs = []
        for i, pair in enumerate(self.values):
            if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], str)):
                raise _invalid(f"values[{i}]", "a (path, value) pair")
            pairs.append((pair[0], _restorable(i, pair[0], pair[1])))
        object.__setattr__(self, "values", tuple(pairs))

    def to_json(self) -> dict[str, Any]:
        return {
            "op": self.tag,
            "party_id": self.party_id,
            "version": self.version,
            "values": [[path, value_to_json(path, value)] for path, value in self.values],
        }

    def paths(self) -> tuple[str, ...]:
        return tuple(path for path, _ in self.values)

    @classmethod
    def of_checked(
        cls, party_id: str, version: int, values: tuple[tuple[str, Any], ...]
    ) -> Restore:
        """A Restore of values an apply has just read from the store and checked: built
        without checking them again (an undo of 100,000 parties holds 100,000)."""
        restore = object.__new__(cls)
        object.__setattr__(restore, "party_id", party_id)
        object.__setattr__(restore, "version", version)
        object.__setattr__(restore, "values", values)
        return restore

    @property
    def moves_status(self) -> bool:
        return any(path == "status" for path, _ in self.values)

    def evaluate(self, step: Step) -> None:
        party = step.party
        if self.party_id != party.id:
            return
        if party.version != self.version:
            step.refuse(
                Issue(
                    "bulk.conflict",
                    "version",
                    {
                        "party_id": party.id,
                        "expected": self.version,
                        "actual": party.version,
                    },
                )
            )
            return
        for path, value in self.values:
            if path == "status":
                step.return_to(value)
            elif path in _NEVER_BY_VALUE:  # refused when built; this is belt and braces
                step.refuse(Issue("bulk.restore.acceptance", path))
            elif (problem := step.check_restored(path, value)) is not None:
                step.refuse(problem)
            elif step.permit(path):
                step.values[path] = value


# what the machine writes along with the status: never put back by value
_NEVER_BY_VALUE: Final = frozenset({"acceptance", "kind"})


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
    return _invalid(where, reason)


def _text(data: Mapping[str, Any], key: str, where: str, optional: bool = False) -> Any:
    value = data.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _bad(f"{where}.{key}", "expected a non-empty text")
    return value


def _text_list(data: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _bad(f"{where}.{key}", "expected a list of non-empty texts")
    return value


def _repath(err: ValidationError, where: str) -> ValidationError:
    """``err`` with every issue moved under the JSON path ``where`` (an operation)."""
    if isinstance(err, UnknownField):
        reason = err.issues[0].message()
        return _bad(f"{where}.path", reason)
    issues = []
    for issue in err.issues:
        if issue.code == "bulk.op.invalid":
            issues.append(issue.at(where) if issue.path else attrs.evolve(issue, path=where))
        else:
            key = f"{where}.{issue.path}" if issue.path and "." not in issue.path else where
            issues.append(Issue("bulk.op.invalid", key, {"reason": issue.message()}))
    return ValidationError(issues)


def operation_from_json(data: Any, where: str = "$") -> Operation:
    """Decode one operation strictly; faults raise ``ValidationError`` with a JSON path
    (``$.operations[2].value``)."""
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
    except ValidationError as err:
        if all(i.path.startswith(where) for i in err.issues) and not isinstance(err, UnknownField):
            raise
        raise _repath(err, where) from None
    except (TypeError, ValueError) as exc:  # a value of the wrong shape for its field
        raise _bad(where, str(exc)[:120] or type(exc).__name__) from None


def _value(path: str, data: Any, where: str) -> Any:
    try:
        return value_from_json(path, data)
    except (ValueError, TypeError) as exc:
        raise _bad(
            where, f"'{path}' {str(exc)[:120] or 'has a value of the wrong shape'}"
        ) from None


def _path(data: Mapping[str, Any], where: str) -> str:
    path: str = _text(data, "path", where)
    try:
        _editable(path, None)
    except ValidationError as err:
        raise _bad(f"{where}.path", err.issues[0].message()) from None
    return path


def _decode(tag: str, data: Mapping[str, Any], where: str) -> Operation:
    if tag == "set_field":
        path = _path(data, where)
        return SetField(path, _value(path, data["value"], f"{where}.value"))
    if tag == "clear_field":
        return ClearField(_path(data, where))
    if tag == "labels":
        return Labels(add=_text_list(data, "add", where), remove=_text_list(data, "remove", where))
    if tag == "set_task":
        active = data.get("active", True)
        if not isinstance(active, bool):
            raise _bad(f"{where}.active", "expected true or false")
        start = _text(data, "start", where, optional=True)
        try:
            start_date = None if start is None else _date(start)
        except ValueError:
            raise _bad(f"{where}.start", "expected a date as YYYY-MM-DD") from None
        return SetTask(
            _text(data, "code", where),
            active,
            _text(data, "period", where, optional=True),
            start_date,
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
        at = f"{where}.values[{i}]"
        if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
            raise _bad(at, "expected [path, value]")
        if pair[0] == "acceptance":
            raise ValidationError([Issue("bulk.restore.acceptance", at)])
        if pair[0] not in RESTORABLE:
            try:
                _editable(pair[0], None)
            except ValidationError as err:
                raise _bad(at, err.issues[0].message()) from None
        pairs.append((pair[0], _value(pair[0], pair[1], at)))
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
    "Step",
    "Transition",
    "operation_from_json",
    "operations_from_json",
]
