"""What a plan selects, and the checks of a plan's parts when it is built."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

import clientcore.bulk._codes  # noqa: F401  (the messages of the codes used here)
from clientcore._errors import Issue, ValidationError
from clientcore.bulk.ops import Operation
from clientcore.query import Filter


@attrs.frozen
class BulkSelection:
    """Which parties a plan touches: those matching ``filter``, those in ``ids``, or the
    ids that also match the filter when both are given."""

    filter: Filter | None = None
    ids: tuple[str, ...] | None = None


def plan_invalid(path: str, reason: str) -> ValidationError:
    """A ``bulk.plan.invalid`` error at ``path``."""
    return ValidationError([Issue("bulk.plan.invalid", path, {"reason": reason})])


def _ids(value: Iterable[object], path: str) -> tuple[str, ...]:
    out = tuple(value)
    for i, pid in enumerate(out):
        if not isinstance(pid, str) or not pid:
            raise plan_invalid(f"{path}[{i}]", "a party id is a non-empty text")
    return out  # type: ignore[return-value]


def selection_of(value: object) -> BulkSelection:
    """A selection from a filter, a list of ids, ``(filter, ids)`` or a selection."""
    if isinstance(value, BulkSelection):
        if value.ids is not None:
            _ids(value.ids, "selection.ids")
        return value
    if isinstance(value, Filter):
        return BulkSelection(filter=value)
    if (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], Filter)
        and isinstance(value[1], Iterable)
        and not isinstance(value[1], (str, bytes))
    ):
        return BulkSelection(filter=value[0], ids=_ids(value[1], "selection.ids"))
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise plan_invalid("selection", "a Filter, a list of party ids, or (filter, ids)")
    return BulkSelection(ids=_ids(value, "selection"))


def check_limit(instance: Any, attribute: Any, value: Any) -> None:
    """A plan's limit is a positive whole number, or ``None``."""
    if value is not None and (type(value) is not int or value < 1):
        raise plan_invalid("limit", "a positive whole number, or None")


def operations_of(value: Iterable[Operation]) -> tuple[Operation, ...]:
    """The operations of a plan, each an :class:`Operation`."""
    ops = tuple(value)
    for i, op in enumerate(ops):
        if not isinstance(op, Operation):
            raise ValidationError(
                [
                    Issue(
                        "bulk.plan.invalid",
                        f"operations[{i}]",
                        {"reason": f"not an operation: {type(op).__name__}"},
                    )
                ]
            )
    return ops
