"""Checking a filter against the field catalogue: paths, operators and values.

Every fault is listed, each with the JSON path of the node it concerns. A filter is
checked when it is compiled, run, saved or decoded: against the host's :class:`Schema`
when one is given, against the default catalogue otherwise. A host that filters records
of another shape (rows of its own, ad-hoc mappings) says so with :data:`OPEN`, the open
mode: paths are then read as they are written and nothing is checked. The result of a
check is kept per (filter, catalogue), so a filter run many times is checked once.

>>> from clientcore.query import F
>>> F("revenue").gt(10).matches({"revenue": 12}, schema=OPEN)
True
>>> try:
...     F("status.value").eq("client").compile()
... except Exception as err:
...     print(err.issues[0].code, err.issues[0].params["suggestion"])
filter.unknown_path status

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
from functools import lru_cache
from typing import Any, Final, final

from clientcore._errors import FilterError, Issue
from clientcore.model import IDENTIFIERS, Field, FieldType, Schema, default_schema
from clientcore.query._operators import CHECKS, OPERATORS, Op, Shape
from clientcore.query._semantics import fold
from clientcore.query._tree import (
    ITEM,
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


@final
class OpenMode:
    """The open mode: a filter over records of the host's own shape, checked against no
    catalogue (use the one value :data:`OPEN`)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "OPEN"

    def __reduce__(self) -> str:
        return "OPEN"


OPEN: Final = OpenMode()
"""Pass as ``schema`` to filter records that are not parties of the catalogue: paths are
read as written (dotted paths walk mappings and attributes) and not checked."""

Catalogue = Schema | OpenMode
"""What a filter is checked against: a :class:`Schema`, or :data:`OPEN` for none."""


def catalogue_of(schema: Schema | OpenMode | None) -> Schema | None:
    """The schema a filter is checked against: ``schema``, the default catalogue for
    ``None``, no schema at all in the open mode."""
    if schema is None:
        return default_schema()
    if isinstance(schema, OpenMode):
        return None
    return schema


def ensure(flt: Filter, schema: Schema | OpenMode | None) -> Schema | None:
    """Check ``flt`` against the catalogue ``schema`` stands for (see
    :func:`catalogue_of`) and return that catalogue; raise :class:`FilterError` listing
    every fault.

    Without a ``schema``, a path in the shape of a host's custom field
    (``custom.<category>.<key>``, see :func:`is_custom_path`) is left to the host: the
    built-in catalogue has no custom fields to check it against, and a store or bulk
    plan compiling a host's filter passes none. Passing the host's schema checks it.
    """
    fields = catalogue_of(schema)
    if fields is not None:
        issues = _faults(flt, fields, schema is None)
        if issues:
            raise FilterError(issues[0].message(), issues[0].path, list(issues))
    return fields


def is_custom_path(path: str) -> bool:
    """Whether ``path`` has the shape of a host's custom field: ``custom.<category>.<key>``,
    each part a word of letters, digits and ``_``."""
    parts = path.split(".")
    return (
        len(parts) == 3
        and parts[0] == "custom"
        and all(p and p.replace("_", "a").isalnum() for p in parts[1:])
    )


def items_of(schema: Schema, path: str) -> Schema:
    """The fields of one item of the collection or labels field at ``path``: a
    collection's item fields, or the one text field :data:`~clientcore.query.ITEM` (the
    label itself) for a labels field."""
    field = schema.field(path)
    if field.type is FieldType.LABELS:
        return _label_items(field)
    return schema.item_fields(path)


@lru_cache(maxsize=64)
def _label_items(field: Field) -> Schema:
    return Schema((Field(ITEM, FieldType.TEXT, field.labels, field.group),))


def check(flt: Filter, schema: Schema) -> None:
    """Raise :class:`FilterError` listing every fault of ``flt`` against ``schema``."""
    issues = _faults(flt, schema, False)
    if issues:
        first = issues[0]
        raise FilterError(first.message(), first.path, list(issues))


@lru_cache(maxsize=1024)
def _faults(flt: Filter, schema: Schema, custom_slot: bool) -> tuple[Issue, ...]:
    issues: list[Issue] = []
    _walk(flt, schema, "$.where", issues, custom_slot)
    return tuple(issues)


def _walk(
    flt: Filter,
    schema: Schema,
    where: str,
    issues: list[Issue],
    custom_slot: bool = False,
    prefix: str = "",
) -> None:
    if isinstance(flt, (And, Or)):
        key = "and" if isinstance(flt, And) else "or"
        for i, child in enumerate(flt.children):
            _walk(child, schema, f"{where}.{key}[{i}]", issues, custom_slot, prefix)
        return
    if isinstance(flt, Not):
        _walk(flt.child, schema, f"{where}.not", issues, custom_slot, prefix)
        return
    assert isinstance(flt, Cond)
    field = schema.get(flt.path)
    if field is None and custom_slot and is_custom_path(flt.path):
        return
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
                {
                    "op": flt.op,
                    "field": prefix + flt.path,
                    "expected": ", ".join(sorted(IDENTIFIERS)),
                },
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
        inner = items_of(schema, flt.path)
        _walk(flt.value, inner, f"{where}.where", issues, False, f"{prefix}{flt.path}.")
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
