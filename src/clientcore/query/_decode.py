"""Strict decoding of filter JSON from untrusted sources; nothing is ever evaluated.

Every fault raises :class:`~clientcore.FilterError` with the JSON path of the fault.

>>> decode({"clientcore_filter": 1, "where": {"path": "name", "op": "eq", "value": 3.5}})
Filter({"clientcore_filter":1,"where":{"op":"eq","path":"name","value":3.5}})
>>> decode({"clientcore_filter": 1, "where": {"and": [{"path": "x", "op": "like"}]}})
Traceback (most recent call last):
...
clientcore._errors.FilterError: unknown operator 'like' on field 'x'. @ $.where.and[0].op
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Final

from clientcore.query._faults import fault
from clientcore.query._operators import ORDERING, Shape
from clientcore.query._tree import (
    MAX_DAYS,
    MAX_DEPTH,
    MAX_NODES,
    MAX_STRING,
    OPERATORS,
    VERSION,
    And,
    Cond,
    Filter,
    Not,
    Or,
    Today,
    check_characters,
    check_scalar,
)

_COND_KEYS = frozenset({"path", "op", "value", "where", "case_sensitive", "accent_sensitive"})
# Strictly YYYY-MM-DD: fromisoformat alone also takes week dates such as 2024-W01-1.
_ISO_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


class _Budget:
    def __init__(self) -> None:
        self.nodes = 0

    def spend(self, where: str) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise fault("filter.too_many_nodes", where, limit=MAX_NODES)


def decode(obj: Any) -> Filter:
    """Decode ``{"clientcore_filter": 1, "where": ...}`` into a :class:`Filter`."""
    if not isinstance(obj, dict):
        raise fault("filter.expected_object", "$", value=obj)
    extra = set(obj) - {"clientcore_filter", "where"}
    if extra:
        raise fault("filter.unknown_key", "$", key=_first(extra))
    version = obj.get("clientcore_filter")
    if version is None:
        raise fault("filter.missing_key", "$", key="clientcore_filter")
    if type(version) is not int or version != VERSION:
        raise fault(
            "filter.unknown_version", "$.clientcore_filter", value=version, expected=VERSION
        )
    if "where" not in obj:
        raise fault("filter.missing_key", "$", key="where")
    return decode_node(obj["where"], "$.where", 1, _Budget())


def decode_where(node: Any, path: str = "$.where") -> Filter:
    """Decode a bare ``where`` node (no version envelope)."""
    return decode_node(node, path, 1, _Budget())


def _first(keys: Any) -> str:
    return sorted(str(k)[:40] for k in keys)[0]


def decode_node(node: Any, where: str, depth: int, budget: _Budget) -> Filter:
    if depth > MAX_DEPTH:
        raise fault("filter.too_deep", where, limit=MAX_DEPTH)
    budget.spend(where)
    if not isinstance(node, dict):
        raise fault("filter.expected_object", where, value=node)
    for key in ("and", "or"):
        if key in node:
            if len(node) != 1:
                raise fault("filter.unknown_key", where, key=_first(k for k in node if k != key))
            items = node[key]
            if not isinstance(items, list):
                raise fault("filter.expected_list", f"{where}.{key}", key=key, op=key, value=items)
            children = tuple(
                decode_node(item, f"{where}.{key}[{i}]", depth + 1, budget)
                for i, item in enumerate(items)
            )
            return And(children) if key == "and" else Or(children)
    if "not" in node:
        if len(node) != 1:
            raise fault("filter.unknown_key", where, key=_first(k for k in node if k != "not"))
        return Not(decode_node(node["not"], f"{where}.not", depth + 1, budget))
    return _decode_cond(node, where, depth, budget)


def _decode_cond(node: dict[Any, Any], where: str, depth: int, budget: _Budget) -> Cond:
    extra = set(node) - _COND_KEYS
    if extra:
        raise fault("filter.unknown_key", where, key=_first(extra))
    path = node.get("path")
    if not isinstance(path, str) or not path.strip():
        raise fault("filter.bad_path", f"{where}.path", value=path)
    _check_text(path, f"{where}.path")
    op = node.get("op")
    if not isinstance(op, str):
        raise fault("filter.expected_text", f"{where}.op", key="op", op="?", field=path, value=op)
    if op not in OPERATORS:
        raise fault("filter.unknown_operator", f"{where}.op", op=op[:40], field=path)
    names = {"op": op, "field": path}
    flags = {}
    for flag in ("case_sensitive", "accent_sensitive"):
        if flag in node:
            if not isinstance(node[flag], bool):
                raise fault("filter.expected_bool", f"{where}.{flag}", key=flag, value=node[flag])
            flags[flag] = node[flag]
    shape = OPERATORS[op].shape
    if shape is Shape.FILTER:
        if "value" in node:
            raise fault(
                "filter.no_value", f"{where}.value", key="value", value=node["value"], **names
            )
        if "where" not in node:
            raise fault("filter.needs_value", where, key="where", **names)
        if flags:
            raise fault("filter.no_switch", where, key=_first(flags), **names)
        nested = decode_node(node["where"], f"{where}.where", depth + 1, budget)
        return Cond(path, op, nested)
    if "where" in node:
        raise fault("filter.no_value", f"{where}.where", key="where", value=node["where"], **names)
    if shape in (Shape.NONE, Shape.CHECK):
        if "value" in node:
            raise fault(
                "filter.no_value", f"{where}.value", key="value", value=node["value"], **names
            )
        if flags:
            raise fault("filter.no_switch", where, key=_first(flags), **names)
        return Cond(path, op)
    if "value" not in node:
        raise fault("filter.needs_value", where, key="value", **names)
    raw = node["value"]
    vpath = f"{where}.value"
    value: Any
    if shape is Shape.LIST:
        if not isinstance(raw, list):
            raise fault("filter.expected_list", vpath, key="value", value=raw, **names)
        value = tuple(_scalar(v, f"{vpath}[{i}]", budget, names) for i, v in enumerate(raw))
    elif shape is Shape.PAIR:
        if not isinstance(raw, list) or len(raw) != 2:
            raise fault("filter.expected_pair", vpath, value=raw, **names)
        value = (
            _scalar(raw[0], f"{vpath}[0]", budget, names),
            _scalar(raw[1], f"{vpath}[1]", budget, names),
        )
    elif shape is Shape.TEXT:
        if not isinstance(raw, str):
            raise fault("filter.expected_text", vpath, key="value", value=raw, **names)
        value = _check_text(raw, vpath)
    else:
        value = _scalar(raw, vpath, budget, names)
    if flags and op in ORDERING:
        raise fault("filter.no_switch", where, key=_first(flags), **names)
    return Cond(path, op, value, **flags)


def _check_text(text: str, where: str) -> str:
    if len(text) > MAX_STRING:
        raise fault("filter.text_too_long", where, value=text, length=len(text), limit=MAX_STRING)
    return check_characters(text, where)


def _scalar(raw: Any, where: str, budget: _Budget, names: dict[str, str]) -> Any:
    budget.spend(where)
    if isinstance(raw, dict):
        if set(raw) == {"date"}:
            text = raw["date"]
            if not isinstance(text, str) or not _ISO_DATE.match(text):
                raise fault(
                    "filter.expected_date", f"{where}.date", value=text, expected="YYYY-MM-DD"
                )
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                raise fault(
                    "filter.expected_date", f"{where}.date", value=text, expected="YYYY-MM-DD"
                ) from None
        if set(raw) == {"today"}:
            days = raw["today"]
            if type(days) is not int or abs(days) > MAX_DAYS:
                raise fault("filter.expected_days", f"{where}.today", value=days, limit=MAX_DAYS)
            return Today(days)
        raise fault("filter.expected_scalar", where, value=raw, **names)
    return check_scalar(raw, where, **names)
