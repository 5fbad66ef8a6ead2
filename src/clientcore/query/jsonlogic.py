"""JsonLogic interop: the part of a :class:`Filter` that maps onto JsonLogic rules, both ways.

The translation maps *structure*: ``{"==": [{"var": "name"}, "Café"]}`` becomes
``F("name").eq("Café")``, which clientcore evaluates with its own semantics
(case- and accent-insensitive text, blanks never equal anything), not with
json-logic-js's loose, case-sensitive ``==``. JsonLogic has no date type: dates are
written as ``YYYY-MM-DD`` texts, and read back as texts unless a ``schema`` says the
field is a date.

>>> from clientcore.query import F
>>> from clientcore.query.jsonlogic import from_json_logic, to_json_logic
>>> flt = F("name").contains("bakker") & F("revenue").between(10, 20)
>>> rule = to_json_logic(flt)
>>> rule
{'and': [{'in': ['bakker', {'var': 'name'}]}, {'<=': [10, {'var': 'revenue'}, 20]}]}
>>> from_json_logic(rule) == flt
True
>>> from_json_logic({"<": [1, {"var": "revenue"}, 5]}).matches({"revenue": 5})
False
>>> from_json_logic({"+": [1, 2]})
Traceback (most recent call last):
...
clientcore._errors.FilterError: JsonLogic operator '+' has no clientcore filter form @ $["+"]
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from typing import Any, Final

from clientcore._errors import FilterError
from clientcore.model import Schema
from clientcore.model._schema import FieldType
from clientcore.query._jsonpath import json_key, json_type
from clientcore.query._tree import (
    COMPLEMENT,
    MAX_DEPTH,
    MAX_NODES,
    MAX_STRING,
    And,
    Cond,
    Filter,
    Not,
    Or,
    Today,
)

__all__ = ["JsonLogic", "from_json_logic", "to_json_logic"]

#: A JsonLogic rule: an object with one operator, or the literal ``true`` / ``false``.
JsonLogic = dict[str, Any] | bool

_COMPARE: Final[Mapping[str, str]] = {
    "eq": "==",
    "ne": "!=",
    "lt": "<",
    "le": "<=",
    "gt": ">",
    "ge": ">=",
}
_FROM_COMPARE: Final[Mapping[str, str]] = {v: k for k, v in _COMPARE.items()}
# The operator seen from the other side: 5 < x is x > 5.
_MIRROR: Final[Mapping[str, str]] = {
    "eq": "eq",
    "ne": "ne",
    "lt": "gt",
    "le": "ge",
    "gt": "lt",
    "ge": "le",
}
_NO_FORM: Final[Mapping[str, str]] = {
    "starts_with": "JsonLogic has no starts-with test",
    "ends_with": "JsonLogic has no ends-with test",
    "has": "a label test would read as a substring test ({'in': [text, var]})",
    "has_any": "a label test would read as a substring test ({'in': [text, var]})",
    "has_all": "JsonLogic has no set inclusion test",
    "valid": "JsonLogic knows no identifier checks",
    "invalid": "JsonLogic knows no identifier checks",
}
_ISO_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


# --- to JsonLogic ---


def to_json_logic(flt: Filter) -> JsonLogic:
    """The JsonLogic rule of ``flt``; :class:`~clientcore.FilterError` for what does not map.

    ``Filter.all()`` and ``Filter.nothing()`` become the literals ``True`` and ``False``
    (json-logic-js treats an empty ``and`` as false). Dates become ``YYYY-MM-DD`` texts.
    Case or accent switches, relative dates (:class:`Today`), ``valid``/``invalid``,
    ``has``/``has_any``/``has_all`` and ``starts_with``/``ends_with`` raise, with ``path``
    the node in :meth:`Filter.to_json` terms (``$.where.and[1]``).
    """
    if not isinstance(flt, Filter):
        raise FilterError(f"expected a Filter, got {type(flt).__name__}", "$")
    return _to(flt, "$.where")


def _var(path: str) -> dict[str, Any]:
    return {"var": path}


def _literal(value: Any, where: str) -> Any:
    if isinstance(value, Today):
        raise FilterError("a relative date (Today) has no JsonLogic form: resolve it first", where)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and len(value) > MAX_STRING:
        raise FilterError(f"text longer than {MAX_STRING} characters", where)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**63:
        raise FilterError("number out of range", where)
    return value


def _to(flt: Filter, where: str) -> JsonLogic:
    if isinstance(flt, And):
        if not flt.children:
            return True
        every = _as_all(flt)
        if every is not None:
            path, inner = every
            return {"all": [_var(path), _to(inner, f"{where}.and[1].not.where.not")]}
        return {"and": [_to(c, f"{where}.and[{i}]") for i, c in enumerate(flt.children)]}
    if isinstance(flt, Or):
        if not flt.children:
            return False
        return {"or": [_to(c, f"{where}.or[{i}]") for i, c in enumerate(flt.children)]}
    if isinstance(flt, Not):
        child = flt.child
        if isinstance(child, Cond) and child.op == "any":
            return {"none": [_var(child.path), _to(child.value, f"{where}.not.where")]}
        return {"!": _to(child, f"{where}.not")}
    if isinstance(flt, Cond):
        return _cond_to(flt, where)
    raise FilterError(f"not a filter node: {type(flt).__name__}", where)


def _as_all(flt: And) -> tuple[str, Filter] | None:
    """``not_blank(p) & ~p.any(~inner)``, the meaning of ``{"all": [p, inner]}``."""
    if len(flt.children) != 2:
        return None
    first, second = flt.children
    if not (isinstance(first, Cond) and first.op == "not_blank" and isinstance(second, Not)):
        return None
    some = second.child
    if not (isinstance(some, Cond) and some.op == "any" and some.path == first.path):
        return None
    if not isinstance(some.value, Not):
        return None
    return first.path, some.value.child


def _cond_to(cond: Cond, where: str) -> JsonLogic:
    op = cond.op
    if op in _NO_FORM:
        raise FilterError(f"'{op}' has no JsonLogic form: {_NO_FORM[op]}", f"{where}.op")
    for flag in ("case_sensitive", "accent_sensitive"):
        if getattr(cond, flag):
            raise FilterError(
                f"JsonLogic has no {flag.replace('_', '-')} switch (clientcore reads text "
                "case- and accent-insensitively)",
                f"{where}.{flag}",
            )
    var = _var(cond.path)
    value_at = f"{where}.value"
    if op in _COMPARE:
        return {_COMPARE[op]: [var, _literal(cond.value, value_at)]}
    if op == "between":
        low, high = cond.value
        return {"<=": [_literal(low, f"{value_at}[0]"), var, _literal(high, f"{value_at}[1]")]}
    if op in ("in", "not_in"):
        values = [_literal(v, f"{value_at}[{i}]") for i, v in enumerate(cond.value)]
        rule: dict[str, Any] = {"in": [var, values]}
        return rule if op == "in" else {"!": rule}
    if op in ("contains", "not_contains"):
        rule = {"in": [_literal(cond.value, value_at), var]}
        return rule if op == "contains" else {"!": rule}
    if op == "blank":
        return {"!": var}
    if op == "not_blank":
        return {"!!": var}
    if op == "any":
        return {"some": [var, _to(cond.value, f"{where}.where")]}
    raise FilterError(f"'{op}' has no JsonLogic form", f"{where}.op")


# --- from JsonLogic ---

_UNARY: Final = frozenset({"!", "!!"})
_SCOPES: Final = frozenset({"some", "all", "none"})


def from_json_logic(obj: Any, schema: Schema | None = None) -> Filter:
    """The :class:`Filter` a JsonLogic rule stands for, read strictly.

    Maps ``var``, ``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=`` (and the three-argument
    ``<`` and ``<=`` between forms), ``in`` (membership in a list, or a text inside a
    field: ``contains``), ``!``, ``!!``, ``and``, ``or``, and ``some``, ``all`` and
    ``none`` over a collection (with ``var`` relative to the item). ``true`` and
    ``false`` are :meth:`Filter.all` and :meth:`Filter.nothing`.

    ``{"!": rule}`` over a condition with an exact complement becomes that complement
    (``not_in``, ``ne``, ``not_contains``, ``not_blank``...), which matches the same
    records. ``{"all": [c, r]}`` becomes ``not_blank(c) & ~c.any(~r)``: JsonLogic's
    ``all`` is false on an empty collection.

    With a ``schema``, every ``var`` must name a known field (item fields inside
    ``some``/``all``/``none``) and ``YYYY-MM-DD`` texts compared with a date field become
    dates. Anything else (other operators such as ``+``, ``cat``, ``if``, ``missing``;
    a ``var`` with a default or a non-text path; ``null`` values) raises
    :class:`~clientcore.FilterError` naming it, with the JSON path of the fault
    (``$.and[1]["=="][0]``); no other exception escapes, whatever the input.
    """
    return _Reader(schema).rule(obj, "$", 1, schema)


def _key(where: str, key: str) -> str:
    return json_key(where, key, 40)


_type = json_type


def _is_var(node: Any) -> bool:
    return isinstance(node, dict) and len(node) == 1 and "var" in node


class _Reader:
    def __init__(self, schema: Schema | None) -> None:
        self.schema = schema
        self.nodes = 0

    def spend(self, where: str) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise FilterError(f"more than {MAX_NODES} nodes", where)

    def rule(self, node: Any, where: str, depth: int, fields: Schema | None) -> Filter:
        if depth > MAX_DEPTH:
            raise FilterError(f"deeper than {MAX_DEPTH} levels", where)
        self.spend(where)
        if isinstance(node, bool):
            return Filter.all() if node else Filter.nothing()
        if not isinstance(node, dict) or len(node) != 1:
            shown = f"an object with {len(node)} keys" if isinstance(node, dict) else _type(node)
            raise FilterError(
                f"expected a rule (an object with one operator, or true/false), got {shown}",
                where,
            )
        op = next(iter(node))
        if not isinstance(op, str):
            raise FilterError(f"an operator must be a text, got {_type(op)}", where)
        at = _key(where, op)
        raw = node[op]
        args = raw if isinstance(raw, list) else [raw]

        def arg_at(i: int) -> str:
            return f"{at}[{i}]" if isinstance(raw, list) else at

        if op in ("and", "or"):
            if not args:
                raise FilterError(
                    f"an empty '{op}' has no agreed meaning (json-logic-js returns null)", at
                )
            children = tuple(self.rule(a, arg_at(i), depth + 1, fields) for i, a in enumerate(args))
            return And(children) if op == "and" else Or(children)
        if op in _UNARY:
            self.arity(op, args, 1, at)
            return self.unary(op, args[0], arg_at(0), depth, fields)
        if op in _FROM_COMPARE:
            return self.compare(op, args, arg_at, at, fields)
        if op == "in":
            return self.membership(args, arg_at, at, fields)
        if op in _SCOPES:
            return self.scope(op, args, arg_at, at, depth, fields)
        if op == "var":
            raise FilterError(
                "a bare 'var' is not a condition: compare it, or test it with '!!' or '!'", at
            )
        raise FilterError(f"JsonLogic operator {op[:40]!r} has no clientcore filter form", at)

    @staticmethod
    def arity(op: str, args: list[Any], count: int, at: str) -> None:
        if len(args) != count:
            raise FilterError(f"'{op}' takes {count} argument(s), got {len(args)}", at)

    def unary(self, op: str, arg: Any, where: str, depth: int, fields: Schema | None) -> Filter:
        if _is_var(arg):
            path = self.var(arg, where, fields)
            return Cond(path, "blank" if op == "!" else "not_blank")
        inner = self.rule(arg, where, depth + 1, fields)
        if op == "!!":
            return inner
        if isinstance(inner, Cond) and inner.op in COMPLEMENT:
            return Cond(
                inner.path,
                COMPLEMENT[inner.op],
                inner.value,
                inner.case_sensitive,
                inner.accent_sensitive,
            )
        return Not(inner)

    def var(self, node: dict[Any, Any], where: str, fields: Schema | None) -> str:
        at = f"{where}.var"
        raw = node["var"]
        if isinstance(raw, list):
            if len(raw) != 1:
                raise FilterError(
                    "a 'var' with a default value has no clientcore filter form"
                    if len(raw) > 1
                    else "a 'var' needs a path",
                    at,
                )
            raw = raw[0]
            at = f"{at}[0]"
        if not isinstance(raw, str):
            raise FilterError(f"a 'var' path must be a text, got {_type(raw)}", at)
        if not raw.strip():
            raise FilterError(
                "{'var': ''} (the data itself, or a collection item) has no clientcore form", at
            )
        if len(raw) > MAX_STRING:
            raise FilterError(f"text longer than {MAX_STRING} characters", at)
        if fields is not None:
            field = fields.get(raw)
            if field is None or field.item_of is not None:
                suggestion = fields.suggest(raw)
                hint = f" (did you mean '{suggestion}'?)" if suggestion else ""
                raise FilterError(f"unknown field '{raw[:80]}'{hint}", at)
        return raw

    def literal(self, value: Any, where: str, path: str, fields: Schema | None) -> Any:
        self.spend(where)
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            if abs(value) > 2**63:
                raise FilterError("number out of range", where)
            return value
        if isinstance(value, float):
            if not math.isfinite(value):
                raise FilterError("a number must be finite", where)
            return value
        if isinstance(value, str):
            if len(value) > MAX_STRING:
                raise FilterError(f"text longer than {MAX_STRING} characters", where)
            field = fields.get(path) if fields is not None else None
            if field is not None and field.type is FieldType.DATE:
                return _date(value, where)
            return value
        if value is None:
            raise FilterError(
                "null has no clientcore value: test blanks with {'!': {'var': ...}}", where
            )
        if isinstance(value, dict) and len(value) == 1:
            op = next(iter(value))
            shown = repr(op[:40]) if isinstance(op, str) else _type(op)
            raise FilterError(f"a computed value (operator {shown}) has no clientcore form", where)
        raise FilterError(f"expected a text, number or boolean, got {_type(value)}", where)

    def compare(
        self,
        sym: str,
        args: list[Any],
        arg_at: Callable[[int], str],
        at: str,
        fields: Schema | None,
    ) -> Filter:
        op = _FROM_COMPARE[sym]
        if len(args) == 3 and sym in ("<", "<="):
            low, middle, high = args
            if not _is_var(middle) or _is_var(low) or _is_var(high):
                raise FilterError(
                    f"a three-argument '{sym}' needs {{'var': ...}} in the middle", at
                )
            path = self.var(middle, arg_at(1), fields)
            lo = self.literal(low, arg_at(0), path, fields)
            hi = self.literal(high, arg_at(2), path, fields)
            if sym == "<=":
                return Cond(path, "between", (lo, hi))
            return And((Cond(path, "gt", lo), Cond(path, "lt", hi)))
        if len(args) != 2:
            allowed = "2 or 3" if sym in ("<", "<=") else "2"
            raise FilterError(f"'{sym}' takes {allowed} arguments, got {len(args)}", at)
        left, right = args
        if _is_var(left) == _is_var(right):
            raise FilterError(f"'{sym}' must compare one {{'var': ...}} with one value", at)
        if _is_var(left):
            path = self.var(left, arg_at(0), fields)
            value = self.literal(right, arg_at(1), path, fields)
        else:
            path = self.var(right, arg_at(1), fields)
            value = self.literal(left, arg_at(0), path, fields)
            op = _MIRROR[op]
        return Cond(path, op, value)

    def membership(
        self, args: list[Any], arg_at: Callable[[int], str], at: str, fields: Schema | None
    ) -> Filter:
        if len(args) != 2:
            raise FilterError(f"'in' takes 2 arguments, got {len(args)}", at)
        needle, haystack = args
        if _is_var(needle) and isinstance(haystack, list):
            path = self.var(needle, arg_at(0), fields)
            values = tuple(
                self.literal(v, f"{arg_at(1)}[{i}]", path, fields) for i, v in enumerate(haystack)
            )
            return Cond(path, "in", values)
        if isinstance(needle, str) and _is_var(haystack):
            path = self.var(haystack, arg_at(1), fields)
            if len(needle) > MAX_STRING:
                raise FilterError(f"text longer than {MAX_STRING} characters", arg_at(0))
            return Cond(path, "contains", needle)
        raise FilterError(
            "'in' maps as {'in': [{'var': x}, [values]]} (membership) or "
            "{'in': [text, {'var': x}]} (contains)",
            at,
        )

    def scope(
        self,
        op: str,
        args: list[Any],
        arg_at: Callable[[int], str],
        at: str,
        depth: int,
        fields: Schema | None,
    ) -> Filter:
        if len(args) != 2:
            raise FilterError(f"'{op}' takes 2 arguments, got {len(args)}", at)
        collection, inner_rule = args
        if not _is_var(collection):
            raise FilterError(f"'{op}' needs {{'var': collection}} first", arg_at(0))
        path = self.var(collection, arg_at(0), fields)
        item_fields: Schema | None = None
        if fields is not None:
            field = fields.get(path)
            if field is None or field.type is not FieldType.COLLECTION:
                raise FilterError(f"'{op}' needs a collection field, not '{path}'", arg_at(0))
            item_fields = fields.item_fields(path)
        inner = self.rule(inner_rule, arg_at(1), depth + 1, item_fields)
        if op == "some":
            return Cond(path, "any", inner)
        if op == "none":
            return Not(Cond(path, "any", inner))
        return And((Cond(path, "not_blank"), Not(Cond(path, "any", Not(inner)))))


def _date(text: str, where: str) -> dt.date:
    if _ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise FilterError(f"not a date 'YYYY-MM-DD': {text[:40]!r}", where)
