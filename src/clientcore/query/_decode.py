"""Strict decoding of filter JSON from untrusted sources; nothing is ever evaluated.

Every fault raises :class:`~clientcore.FilterError` with the JSON path of the fault.

>>> decode({"clientcore_filter": 1, "where": {"path": "name", "op": "eq", "value": 3.5}})
Filter({"clientcore_filter":1,"where":{"op":"eq","path":"name","value":3.5}})
>>> decode({"clientcore_filter": 1, "where": {"and": [{"path": "x", "op": "like"}]}})
Traceback (most recent call last):
...
clientcore._errors.FilterError: unknown operator 'like' @ $.where.and[0].op
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from clientcore._errors import FilterError
from clientcore.query._tree import (
    LIST_OPS,
    MAX_DEPTH,
    MAX_NODES,
    MAX_STRING,
    NO_VALUE_OPS,
    OPERATORS,
    SCALAR_OPS,
    TEXT_OPS,
    VERSION,
    And,
    Cond,
    Filter,
    Not,
    Or,
    Today,
)

_COND_KEYS = frozenset({"path", "op", "value", "where", "case_sensitive", "accent_sensitive"})


class _Budget:
    def __init__(self) -> None:
        self.nodes = 0

    def spend(self, where: str) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise FilterError(f"more than {MAX_NODES} nodes", where)


def decode(obj: Any) -> Filter:
    """Decode ``{"clientcore_filter": 1, "where": ...}`` into a :class:`Filter`."""
    if not isinstance(obj, dict):
        raise FilterError(f"expected an object, got {_type(obj)}", "$")
    extra = set(obj) - {"clientcore_filter", "where"}
    if extra:
        raise FilterError(f"unknown key {sorted(map(str, extra))[0]!r}", "$")
    version = obj.get("clientcore_filter")
    if version is None:
        raise FilterError("missing 'clientcore_filter' version", "$")
    if type(version) is not int or version != VERSION:
        raise FilterError(
            f"unsupported version {version!r} (this is version {VERSION})", "$.clientcore_filter"
        )
    if "where" not in obj:
        raise FilterError("missing 'where'", "$")
    return decode_node(obj["where"], "$.where", 1, _Budget())


def decode_where(node: Any, path: str = "$.where") -> Filter:
    """Decode a bare ``where`` node (no version envelope)."""
    return decode_node(node, path, 1, _Budget())


def _type(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def decode_node(node: Any, where: str, depth: int, budget: _Budget) -> Filter:
    if depth > MAX_DEPTH:
        raise FilterError(f"deeper than {MAX_DEPTH} levels", where)
    budget.spend(where)
    if not isinstance(node, dict):
        raise FilterError(f"expected an object, got {_type(node)}", where)
    for key in ("and", "or"):
        if key in node:
            if len(node) != 1:
                other = sorted(str(k) for k in node if k != key)[0]
                raise FilterError(f"unknown key {other!r} beside '{key}'", where)
            items = node[key]
            if not isinstance(items, list):
                raise FilterError(f"'{key}' needs a list, got {_type(items)}", f"{where}.{key}")
            children = tuple(
                decode_node(item, f"{where}.{key}[{i}]", depth + 1, budget)
                for i, item in enumerate(items)
            )
            return And(children) if key == "and" else Or(children)
    if "not" in node:
        if len(node) != 1:
            other = sorted(str(k) for k in node if k != "not")[0]
            raise FilterError(f"unknown key {other!r} beside 'not'", where)
        return Not(decode_node(node["not"], f"{where}.not", depth + 1, budget))
    return _decode_cond(node, where, depth, budget)


def _decode_cond(node: dict[Any, Any], where: str, depth: int, budget: _Budget) -> Cond:
    extra = set(node) - _COND_KEYS
    if extra:
        raise FilterError(f"unknown key {sorted(map(str, extra))[0]!r}", where)
    path = node.get("path")
    if not isinstance(path, str) or not path.strip():
        raise FilterError("'path' must be a non-empty text", f"{where}.path")
    _check_text(path, f"{where}.path")
    op = node.get("op")
    if not isinstance(op, str):
        raise FilterError(f"'op' must be a text, got {_type(op)}", f"{where}.op")
    if op not in OPERATORS:
        raise FilterError(f"unknown operator {op[:40]!r}", f"{where}.op")
    flags = {}
    for flag in ("case_sensitive", "accent_sensitive"):
        if flag in node:
            if not isinstance(node[flag], bool):
                raise FilterError(f"'{flag}' must be true or false", f"{where}.{flag}")
            flags[flag] = node[flag]
    if op == "any":
        if "value" in node:
            raise FilterError("'any' takes 'where', not 'value'", f"{where}.value")
        if "where" not in node:
            raise FilterError("'any' needs 'where'", where)
        if flags:
            raise FilterError("'any' takes no case or accent switch", where)
        nested = decode_node(node["where"], f"{where}.where", depth + 1, budget)
        return Cond(path, "any", nested)
    if "where" in node:
        raise FilterError(f"'{op}' takes no 'where'", f"{where}.where")
    if op in NO_VALUE_OPS:
        if "value" in node:
            raise FilterError(f"'{op}' takes no value", f"{where}.value")
        if flags:
            raise FilterError(f"'{op}' takes no case or accent switch", where)
        return Cond(path, op)
    if "value" not in node:
        raise FilterError(f"'{op}' needs a value", where)
    raw = node["value"]
    vpath = f"{where}.value"
    value: Any
    if op in LIST_OPS:
        if not isinstance(raw, list):
            raise FilterError(f"'{op}' needs a list, got {_type(raw)}", vpath)
        value = tuple(_scalar(v, f"{vpath}[{i}]", budget) for i, v in enumerate(raw))
    elif op == "between":
        if not isinstance(raw, list) or len(raw) != 2:
            raise FilterError("'between' needs a list of two values", vpath)
        value = (_scalar(raw[0], f"{vpath}[0]", budget), _scalar(raw[1], f"{vpath}[1]", budget))
    elif op in TEXT_OPS:
        if not isinstance(raw, str):
            raise FilterError(f"'{op}' needs a text value, got {_type(raw)}", vpath)
        value = _check_text(raw, vpath)
    else:
        assert op in SCALAR_OPS or op == "has"
        value = _scalar(raw, vpath, budget)
    if flags and op in ("lt", "le", "gt", "ge", "between"):
        raise FilterError(f"'{op}' takes no case or accent switch", where)
    return Cond(path, op, value, **flags)


def _check_text(text: str, where: str) -> str:
    if len(text) > MAX_STRING:
        raise FilterError(f"text longer than {MAX_STRING} characters", where)
    return text


def _scalar(raw: Any, where: str, budget: _Budget) -> Any:
    budget.spend(where)
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int):
        if abs(raw) > 2**63:
            raise FilterError("number out of range", where)
        return raw
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise FilterError("a number must be finite", where)
        return raw
    if isinstance(raw, str):
        return _check_text(raw, where)
    if isinstance(raw, dict):
        if set(raw) == {"date"}:
            text = raw["date"]
            if not isinstance(text, str) or len(text) != 10:
                raise FilterError("'date' must be YYYY-MM-DD", f"{where}.date")
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                raise FilterError(f"not a date: {text!r}", f"{where}.date") from None
        if set(raw) == {"today"}:
            days = raw["today"]
            if type(days) is not int or abs(days) > 36_600:
                raise FilterError(
                    "'today' must be a whole number of days (at most 100 years)", f"{where}.today"
                )
            return Today(days)
        keys = sorted(map(str, raw))
        raise FilterError(
            f"a value object must be {{'date': ...}} or {{'today': ...}}, not keys {keys[:3]}",
            where,
        )
    raise FilterError(f"unsupported value of type {_type(raw)}", where)
