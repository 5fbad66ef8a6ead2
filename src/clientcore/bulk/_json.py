"""Bulk plans as JSON: ``{"clientcore_bulk_plan": 1, ...}`` out, and strictly in.

>>> from clientcore.bulk import BulkPlan, Labels
>>> data = plan_to_json(BulkPlan(["p1"], [Labels(add={"vip"})], id="b1"))
>>> data["selection"], data["operations"]
({'filter': None, 'ids': ['p1']}, [{'op': 'labels', 'add': ['vip'], 'remove': []}])
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs

import clientcore.bulk._codes  # noqa: F401  (the messages of the codes used here)
from clientcore._errors import Issue, ValidationError
from clientcore._limits import PLAN_LIMITS, check_input
from clientcore.bulk._selection import BulkSelection
from clientcore.bulk.ops import Operation, operations_from_json
from clientcore.query import Filter

if TYPE_CHECKING:
    from clientcore.bulk._plan import BulkPlan

PLAN_VERSION: Final = 1


@attrs.frozen
class PlanParts:
    """The parts of a plan read from JSON, to build a :class:`BulkPlan` from."""

    selection: BulkSelection
    operations: tuple[Operation, ...]
    limit: int | None
    id: str


def plan_to_json(plan: BulkPlan) -> dict[str, Any]:
    """``{"clientcore_bulk_plan": 1, ...}``: to hold for a colleague, schedule or log."""
    sel = plan.selection
    return {
        "clientcore_bulk_plan": PLAN_VERSION,
        "id": plan.id,
        "selection": {
            "filter": sel.filter.to_json() if sel.filter is not None else None,
            "ids": list(sel.ids) if sel.ids is not None else None,
        },
        "operations": [op.to_json() for op in plan.operations],
        "limit": plan.limit,
    }


def _bad(path: str, reason: str) -> ValidationError:
    return ValidationError([Issue("bulk.plan.invalid", path, {"reason": reason})])


def plan_from_json(data: Any) -> PlanParts:
    """The parts of a plan from untrusted JSON, bounded (:data:`~clientcore.errors.PLAN_LIMITS`)
    before any id or operation is read; faults raise ``ValidationError`` with a path."""
    if not isinstance(data, Mapping):
        raise _bad("$", "expected an object")
    check_input(data, PLAN_LIMITS)
    allowed = {"clientcore_bulk_plan", "id", "selection", "operations", "limit"}
    extra = set(data) - allowed
    if extra:
        raise _bad("$", f"unknown key {sorted(map(str, extra))[0]!r}")
    if data.get("clientcore_bulk_plan") != PLAN_VERSION or isinstance(
        data.get("clientcore_bulk_plan"), bool
    ):
        raise _bad("$.clientcore_bulk_plan", f"unsupported version (this is {PLAN_VERSION})")
    plan_id = data.get("id")
    if not isinstance(plan_id, str) or not plan_id:
        raise _bad("$.id", "expected a non-empty text")
    selection = data.get("selection")
    if not isinstance(selection, Mapping) or set(selection) - {"filter", "ids"}:
        raise _bad("$.selection", "expected {'filter': ..., 'ids': ...}")
    flt = selection.get("filter")
    decoded = Filter.from_json(flt) if flt is not None else None
    ids = selection.get("ids")
    if ids is not None and (
        not isinstance(ids, list) or not all(isinstance(i, str) and i for i in ids)
    ):
        raise _bad("$.selection.ids", "expected a list of party ids")
    if decoded is None and ids is None:
        raise _bad("$.selection", "a filter, ids, or both")
    operations = data.get("operations")
    if not isinstance(operations, list):
        raise _bad("$.operations", "expected a list")
    limit = data.get("limit")
    if limit is not None and (type(limit) is not int or limit < 1):
        raise _bad("$.limit", "expected a positive whole number")
    sel = BulkSelection(decoded, tuple(ids) if ids is not None else None)
    return PlanParts(sel, tuple(operations_from_json(operations)), limit, plan_id)
