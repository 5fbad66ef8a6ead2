"""Bulk edits as plans: preview, atomic apply through the unit of work, audit, and undo.

A :class:`BulkPlan` is data (a selection and operations, JSON in and out).
``plan.preview(uow, actor)`` lists every change and rejection without writing;
``plan.apply(uow, actor, preview, at=...)`` writes all of it or none, records a
:class:`FieldsChanged` event per party and returns a :class:`Receipt` whose ``undo``
plan restores every before-value.

>>> from clientcore.bulk import BulkPlan, Labels
>>> plan = BulkPlan(["p1", "p2"], [Labels(add={"vip"})], limit=20)
>>> BulkPlan.from_json(plan.to_json()) == plan
True
"""

from clientcore.bulk._engine import check_versions
from clientcore.bulk._paths import value_from_json, value_to_json
from clientcore.bulk._plan import BulkPlan
from clientcore.bulk._policy import EditPolicy, RoleEditPolicy
from clientcore.bulk._results import (
    BulkRejected,
    Change,
    FieldsChanged,
    Outcome,
    Preview,
    Receipt,
    Rejection,
    change_lines,
    label_states,
    party_label,
)
from clientcore.bulk._selection import BulkSelection
from clientcore.bulk.ops import (
    ApplyTaskPreset,
    ClearField,
    Labels,
    Operation,
    Restore,
    SetField,
    SetTask,
    Transition,
)

__all__ = [
    "ApplyTaskPreset",
    "BulkPlan",
    "BulkRejected",
    "BulkSelection",
    "Change",
    "ClearField",
    "EditPolicy",
    "FieldsChanged",
    "Labels",
    "Operation",
    "Outcome",
    "Preview",
    "Receipt",
    "Rejection",
    "Restore",
    "RoleEditPolicy",
    "SetField",
    "SetTask",
    "Transition",
    "change_lines",
    "check_versions",
    "label_states",
    "party_label",
    "value_from_json",
    "value_to_json",
]
