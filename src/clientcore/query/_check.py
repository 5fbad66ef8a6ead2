"""Checking a filter against the field catalogue: paths, operators and values.

Every fault is listed, each with the JSON path of the node it concerns.

>>> from clientcore.model import default_schema
>>> from clientcore.query import F
>>> try:
...     (F("adress.city").eq("Gent") & F("vat_liable").starts_with("t")).validate(default_schema())
... except Exception as err:
...     print([(i.path, i.code) for i in err.issues])
[('$.where.and[0].path', 'filter.unknown_path'), ('$.where.and[1].op', 'filter.op_mismatch')]
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from clientcore._errors import FilterError, Issue
from clientcore.model import IDENTIFIERS, Field, FieldType, Schema
from clientcore.query._operators import CHECKS, OPERATORS, Op, Shape
from clientcore.query._semantics import fold
from clientcore.query._tree import (
    TEXT_OPS,
    And,
    Cond,
    Filter,
    Not,
    Or,
    Today,
)

ALLOWED: Final[dict[FieldType, frozenset[str]]] = {
    kind: frozenset(str(row.op) for row in OPERATORS.values() if kind in row.fits)
    for kind in FieldType
}
"""The operators that fit each field type (read from the operator table)."""


def allowed_ops(field: Field) -> frozenset[str]:
    """The operators that fit ``field``."""
    ops = ALLOWED[field.type]
    if field.identifier is None:
        ops = ops - CHECKS
    return ops


def _fits(field: Field, value: Any, cond: Cond) -> bool:
    kind = field.type
    if kind in (FieldType.TEXT, FieldType.LABELS) or cond.op in TEXT_OPS:
        return isinstance(value, str)
    if kind is FieldType.CHOICE:
        if not isinstance(value, str):
            return False
        if field.choices is None:
            return True
        if cond.case_sensitive or cond.accent_sensitive:
            return value in field.choices
        return fold(value) in {fold(c) for c in field.choices}
    if kind is FieldType.NUMBER:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind is FieldType.DATE:
        return isinstance(value, (dt.date, Today))
    if kind is FieldType.BOOL:
        return isinstance(value, bool)
    return False


def check(flt: Filter, schema: Schema) -> None:
    """Raise :class:`FilterError` listing every fault of ``flt`` against ``schema``."""
    issues: list[Issue] = []
    _walk(flt, schema, "$.where", issues)
    if issues:
        first = issues[0]
        raise FilterError(first.message(), first.path, issues)


def _walk(flt: Filter, schema: Schema, where: str, issues: list[Issue]) -> None:
    if isinstance(flt, (And, Or)):
        key = "and" if isinstance(flt, And) else "or"
        for i, child in enumerate(flt.children):
            _walk(child, schema, f"{where}.{key}[{i}]", issues)
        return
    if isinstance(flt, Not):
        _walk(flt.child, schema, f"{where}.not", issues)
        return
    assert isinstance(flt, Cond)
    field = schema.get(flt.path)
    if field is None or field.item_of is not None:
        suggestion = schema.suggest(flt.path)
        issues.append(
            Issue(
                "filter.unknown_path",
                f"{where}.path",
                {"field": flt.path, "suggestion": suggestion or ""},
            )
        )
        return
    if flt.op in CHECKS and field.identifier is None:
        issues.append(
            Issue(
                "filter.no_identifier",
                f"{where}.op",
                {"op": flt.op, "field": flt.path, "expected": ", ".join(sorted(IDENTIFIERS))},
            )
        )
        return
    if flt.op not in allowed_ops(field):
        issues.append(
            Issue(
                "filter.op_mismatch",
                f"{where}.op",
                {"op": flt.op, "field": flt.path, "type": field.type.value},
            )
        )
        return
    if flt.op == Op.ANY:
        _walk(flt.value, schema.item_fields(flt.path), f"{where}.where", issues)
        return
    shape = OPERATORS[flt.op].shape
    if shape in (Shape.NONE, Shape.CHECK):
        return
    listed = shape in (Shape.LIST, Shape.PAIR)
    values = flt.value if listed else (flt.value,)
    for i, value in enumerate(values):
        if not _fits(field, value, flt):
            at = f"{where}.value" + (f"[{i}]" if listed else "")
            issues.append(
                Issue(
                    "filter.value_mismatch",
                    at,
                    {"value": repr(value)[:60], "field": flt.path, "type": field.type.value},
                )
            )
