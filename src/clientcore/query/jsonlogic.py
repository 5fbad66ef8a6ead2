"""JsonLogic interop: the part of a :class:`Filter` that maps onto JsonLogic rules, both ways.

The translation maps *structure*: ``{"==": [{"var": "name"}, "Café"]}`` becomes
``F("name").eq("Café")``, which clientcore evaluates with its own semantics
(case- and accent-insensitive text, blanks never equal anything), not with
json-logic-js's loose, case-sensitive ``==``. JsonLogic has no date type: dates are
written as ``YYYY-MM-DD`` texts, and read back as texts unless a ``schema`` says the
field is a date.

>>> from clientcore.query import F
>>> from clientcore.query.jsonlogic import from_json_logic, to_json_logic
>>> flt = F("name").contains("bakker") & F("version").between(10, 20)
>>> rule = to_json_logic(flt)
>>> rule
{'and': [{'in': ['bakker', {'var': 'name'}]}, {'<=': [10, {'var': 'version'}, 20]}]}
>>> from_json_logic(rule) == flt
True
>>> from_json_logic({"<": [1, {"var": "version"}, 5]}).matches({"version": 5})
False
>>> from_json_logic({"log": [1, 2]})
Traceback (most recent call last):
...
clientcore._errors.FilterError: JsonLogic operator 'log' has no clientcore filter form. @ $.log
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from typing import Any, Final

from clientcore._errors import FilterError
from clientcore.model import FieldType, Schema
from clientcore.query._check import OpenMode, catalogue_of, check, items_of
from clientcore.query._faults import fault
from clientcore.query._jsonpath import json_key, json_type
from clientcore.query._operators import (
    BY_JSONLOGIC_COMPARE,
    BY_JSONLOGIC_TEXT,
    COMPLEMENT,
    JSONLOGIC_ALIASES,
    OPERATORS,
    ORDERING,
    Op,
)
from clientcore.query._tree import (
    ITEM,
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

_COMPARE: Final[Mapping[str, str]] = {op: name for name, op in BY_JSONLOGIC_COMPARE.items()}
_FROM_COMPARE: Final[Mapping[str, str]] = BY_JSONLOGIC_COMPARE
# The operator seen from the other side: 5 < x is x > 5.
_MIRROR: Final[Mapping[str, str]] = {
    op: str(OPERATORS[op].jsonlogic_mirror) for op in BY_JSONLOGIC_COMPARE.values()
}
_IN: Final = str(OPERATORS[Op.IN].jsonlogic)
# Operators that compute a value: a clientcore filter compares a field with literals.
_ARITHMETIC: Final = frozenset({"+", "-", "*", "/", "%", "min", "max", "cat", "substr"})
# What has no JsonLogic form (docs/filters.md says why: no starts/ends-with test, a label
# test would read as a substring test, no set inclusion, no identifier checks).
_NO_FORM: Final = frozenset(
    op for op, row in OPERATORS.items() if row.jsonlogic is None and op != Op.BETWEEN
) - {Op.NOT_IN, Op.NOT_CONTAINS}
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
        raise fault("filter.expected_node", "$", value=flt)
    return _to(flt, "$.where")


def _var(path: str) -> dict[str, Any]:
    return {"var": "" if path == ITEM else path}


def _literal(value: Any, where: str, field: str = "?") -> Any:
    if isinstance(value, Today):
        raise fault("filter.jsonlogic.relative_date", where, value=value, field=field)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and len(value) > MAX_STRING:
        raise _too_long(value, where)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**63:
        raise fault("filter.number_out_of_range", where, value=value, limit="2^63")
    return value


def _too_long(text: str, where: str) -> FilterError:
    return fault("filter.text_too_long", where, value=text, length=len(text), limit=MAX_STRING)


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
        if isinstance(child, Cond) and child.op == Op.ANY:
            return {"none": [_var(child.path), _to(child.value, f"{where}.not.where")]}
        return {"!": _to(child, f"{where}.not")}
    if isinstance(flt, Cond):
        return _cond_to(flt, where)
    raise fault("filter.expected_node", where, value=flt)


def _as_all(flt: And) -> tuple[str, Filter] | None:
    """``not_blank(p) & ~p.any(~inner)``, the meaning of ``{"all": [p, inner]}``."""
    if len(flt.children) != 2:
        return None
    first, second = flt.children
    if not (isinstance(first, Cond) and first.op == Op.NOT_BLANK and isinstance(second, Not)):
        return None
    some = second.child
    if not (isinstance(some, Cond) and some.op == Op.ANY and some.path == first.path):
        return None
    if not isinstance(some.value, Not):
        return None
    return first.path, some.value.child


def _cond_to(cond: Cond, where: str) -> JsonLogic:
    op = cond.op
    if op in _NO_FORM:
        raise fault("filter.jsonlogic.no_form", f"{where}.op", op=op, field=cond.path)
    for flag in ("case_sensitive", "accent_sensitive"):
        if getattr(cond, flag):
            raise fault(
                "filter.jsonlogic.no_switch", f"{where}.{flag}", key=flag, op=op, field=cond.path
            )
    var = _var(cond.path)
    value_at = f"{where}.value"
    if op in _COMPARE:
        return {_COMPARE[op]: [var, _literal(cond.value, value_at, cond.path)]}
    row = OPERATORS[op]
    if row.jsonlogic is not None and row.jsonlogic in BY_JSONLOGIC_TEXT:
        return {row.jsonlogic: [var, _literal(cond.value, value_at, cond.path)]}
    if op == Op.BETWEEN:
        low, high = cond.value
        return {"<=": [_literal(low, f"{value_at}[0]"), var, _literal(high, f"{value_at}[1]")]}
    if op in (Op.IN, Op.NOT_IN):
        values = [_literal(v, f"{value_at}[{i}]") for i, v in enumerate(cond.value)]
        rule: dict[str, Any] = {_IN: [var, values]}
        return rule if op == Op.IN else {"!": rule}
    if op in (Op.CONTAINS, Op.NOT_CONTAINS):
        rule = {_IN: [_literal(cond.value, value_at, cond.path), var]}
        return rule if op == Op.CONTAINS else {"!": rule}
    if op == Op.BLANK:
        # as query builders write "is empty": {"!": var} would also hold for false and 0
        return {_COMPARE[Op.EQ]: [var, None]}
    if op == Op.NOT_BLANK:
        return {_COMPARE[Op.NE]: [var, None]}
    if op == Op.ANY:
        return {"some": [var, _to(cond.value, f"{where}.where")]}
    raise fault("filter.jsonlogic.no_form", f"{where}.op", op=op, field=cond.path)


# --- from JsonLogic ---

_UNARY: Final = frozenset({"!", "!!"})
_SCOPES: Final = frozenset({"some", "all", "none"})


def from_json_logic(obj: Any, schema: Schema | OpenMode | None = None) -> Filter:
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

    Every ``var`` must name a known field of ``schema`` (the default catalogue unless
    given; item fields inside ``some``/``all``/``none``), the operator must fit it, and
    ``YYYY-MM-DD`` texts compared with a date field become dates. In the open mode
    (:data:`~clientcore.query.OPEN`) paths are taken as written and texts stay texts.
    Inside ``some``/``all``/``none``, ``{"var": ""}`` is the current item
    (:data:`~clientcore.query.ITEM`): an item equal to, or in a list of, literals reads
    as ``has`` / ``has_any`` on a labels field; any other test is a condition on the
    item itself. Anything else (other operators such as ``+``, ``cat``, ``if``,
    ``missing``; a ``var`` with a default or a non-text path; ``null`` values) raises
    :class:`~clientcore.FilterError` naming it, with the JSON path of the fault
    (``$.and[1]["=="][0]``); no other exception escapes, whatever the input.
    """
    fields = catalogue_of(schema)
    flt = _Reader(fields).rule(obj, "$", 1, fields)
    if fields is not None:
        check(flt, fields)  # the operator fits the field (the reader checked the paths)
    return flt


def _key(where: str, key: str) -> str:
    return json_key(where, key, 40)


_type = json_type


def _is_var(node: Any) -> bool:
    return isinstance(node, dict) and len(node) == 1 and "var" in node


class _Reader:
    def __init__(self, schema: Schema | None) -> None:
        self.schema = schema
        self.nodes = 0
        self.scopes = 0  # inside some / all / none, {"var": ""} is the current item

    def spend(self, where: str) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise fault("filter.too_many_nodes", where, limit=MAX_NODES)

    def rule(self, node: Any, where: str, depth: int, fields: Schema | None) -> Filter:
        if depth > MAX_DEPTH:
            raise fault("filter.too_deep", where, limit=MAX_DEPTH)
        self.spend(where)
        if isinstance(node, bool):
            return Filter.all() if node else Filter.nothing()
        if not isinstance(node, dict) or len(node) != 1:
            raise fault("filter.jsonlogic.bad_rule", where, value=node)
        op = next(iter(node))
        if not isinstance(op, str):
            raise fault("filter.jsonlogic.unmapped_operator", where, value=op)
        at = _key(where, op)
        raw = node[op]
        op = JSONLOGIC_ALIASES.get(op, op)
        args = raw if isinstance(raw, list) else [raw]

        def arg_at(i: int) -> str:
            return f"{at}[{i}]" if isinstance(raw, list) else at

        if op in ("and", "or"):
            if not isinstance(raw, list):
                raise fault("filter.jsonlogic.expected_list", at, op=op, value=raw)
            if not args:
                raise fault("filter.jsonlogic.arity", at, op=op, expected="1+", shown_value="0")
            children = tuple(self.rule(a, arg_at(i), depth + 1, fields) for i, a in enumerate(args))
            return And(children) if op == "and" else Or(children)
        if op in _UNARY:
            self.arity(op, args, 1, at)
            return self.unary(op, args[0], arg_at(0), depth, fields)
        if op in _FROM_COMPARE:
            return self.compare(op, args, arg_at, at, fields)
        if op in BY_JSONLOGIC_TEXT:
            return self.text_test(op, args, arg_at, at, fields)
        if op == _IN:
            return self.membership(args, arg_at, at, fields)
        if op in _SCOPES:
            return self.scope(op, args, arg_at, at, depth, fields)
        if op == "var":
            raise fault(
                "filter.jsonlogic.bad_arguments",
                at,
                op="var",
                expected="{'!!': {'var': ...}}",
                value=node,
            )
        if op in _ARITHMETIC:
            raise fault("filter.jsonlogic.arithmetic", at, op=op, value=raw)
        raise fault("filter.jsonlogic.unmapped_operator", at, value=op)

    @staticmethod
    def arity(op: str, args: list[Any], count: int, at: str) -> None:
        if len(args) != count:
            raise fault(
                "filter.jsonlogic.arity", at, op=op, expected=count, shown_value=str(len(args))
            )

    def unary(self, op: str, arg: Any, where: str, depth: int, fields: Schema | None) -> Filter:
        if _is_var(arg):
            path = self.var(arg, where, fields)
            falsy = _falsy(path, fields)
            return falsy if op == "!" else _negated(falsy)
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
                raise fault(
                    "filter.jsonlogic.bad_arguments",
                    at,
                    op="var",
                    expected="{'var': 'path'}",
                    value=raw,
                )
            raw = raw[0]
            at = f"{at}[0]"
        if not isinstance(raw, str):
            raise fault("filter.bad_path", at, value=raw)
        if raw == "" and self.scopes:
            raw = ITEM
        if not raw.strip():
            raise fault("filter.bad_path", at, value=raw)
        if len(raw) > MAX_STRING:
            raise _too_long(raw, at)
        if fields is not None:
            field = fields.get(raw)
            if field is None or field.item_of is not None:
                suggestion = fields.suggest(raw)
                raise fault("filter.unknown_path", at, field=raw[:80], suggestion=suggestion or "")
        return raw

    def literal(self, value: Any, where: str, path: str, fields: Schema | None) -> Any:
        self.spend(where)
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            if abs(value) > 2**63:
                raise fault("filter.number_out_of_range", where, value=value, limit="2^63")
            return value
        if isinstance(value, float):
            if not math.isfinite(value):
                raise fault("filter.number_not_finite", where, value=value)
            return value
        if isinstance(value, str):
            if len(value) > MAX_STRING:
                raise _too_long(value, where)
            field = fields.get(path) if fields is not None else None
            if field is not None and field.type is FieldType.DATE:
                return _date(value, where)
            return value
        if value is None:
            raise fault(
                "filter.jsonlogic.no_value", where, value=None, expected="{'!': {'var': ...}}"
            )
        if isinstance(value, dict) and len(value) == 1:
            raise fault("filter.jsonlogic.no_value", where, value=value, expected="text/number")
        raise fault("filter.expected_scalar", where, value=value, op="?", field=path)

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
                raise fault(
                    "filter.jsonlogic.bad_arguments",
                    at,
                    op=sym,
                    expected=f"{{'{sym}': [a, {{'var': x}}, b]}}",
                    value=args,
                )
            path = self.var(middle, arg_at(1), fields)
            lo = self.literal(low, arg_at(0), path, fields)
            hi = self.literal(high, arg_at(2), path, fields)
            for i, bound in ((0, lo), (2, hi)):
                if isinstance(bound, bool):
                    raise fault("filter.ordering_bool", arg_at(i), op=sym, field=path, value=bound)
            if sym == "<=":
                return Cond(path, Op.BETWEEN, (lo, hi))
            return And((Cond(path, Op.GT, lo), Cond(path, Op.LT, hi)))
        if len(args) != 2:
            allowed = "2 or 3" if sym in ("<", "<=") else "2"
            raise fault(
                "filter.jsonlogic.arity", at, op=sym, expected=allowed, shown_value=str(len(args))
            )
        left, right = args
        if _is_var(left) and _is_var(right):
            raise fault("filter.jsonlogic.field_to_field", at, op=sym, value=args)
        for side, arg in enumerate(args):
            if isinstance(arg, dict) and len(arg) == 1 and next(iter(arg)) in _ARITHMETIC:
                raise fault("filter.jsonlogic.arithmetic", arg_at(side), op=sym, value=arg)
        if _is_var(left) == _is_var(right):
            raise fault(
                "filter.jsonlogic.bad_arguments",
                at,
                op=sym,
                expected=f"{{'{sym}': [{{'var': x}}, value]}}",
                value=args,
            )
        var_at, value_at = (0, 1) if _is_var(left) else (1, 0)
        if args[value_at] is None and op in (Op.EQ, Op.NE):
            # what query builders write for "is empty" / "is not empty"
            path = self.var(args[var_at], arg_at(var_at), fields)
            return Cond(path, Op.BLANK if op == Op.EQ else Op.NOT_BLANK)
        path = self.var(args[var_at], arg_at(var_at), fields)
        value = self.literal(args[value_at], arg_at(value_at), path, fields)
        if var_at == 1:
            op = _MIRROR[op]
        if op in ORDERING and isinstance(value, bool):
            raise fault("filter.ordering_bool", arg_at(value_at), op=sym, field=path, value=value)
        return Cond(path, op, value)

    def text_test(
        self,
        name: str,
        args: list[Any],
        arg_at: Callable[[int], str],
        at: str,
        fields: Schema | None,
    ) -> Filter:
        if len(args) != 2 or not _is_var(args[0]) or not isinstance(args[1], str):
            raise fault(
                "filter.jsonlogic.bad_arguments",
                at,
                op=name,
                expected=f"{{'{name}': [{{'var': x}}, text]}}",
                value=args,
            )
        path = self.var(args[0], arg_at(0), fields)
        text = self.literal(args[1], arg_at(1), path, fields)
        return Cond(path, BY_JSONLOGIC_TEXT[name], text)

    def membership(
        self, args: list[Any], arg_at: Callable[[int], str], at: str, fields: Schema | None
    ) -> Filter:
        if len(args) != 2:
            raise fault(
                "filter.jsonlogic.arity", at, op=_IN, expected=2, shown_value=str(len(args))
            )
        needle, haystack = args
        if _is_var(needle) and isinstance(haystack, list):
            path = self.var(needle, arg_at(0), fields)
            values = tuple(
                self.literal(v, f"{arg_at(1)}[{i}]", path, fields) for i, v in enumerate(haystack)
            )
            return Cond(path, Op.IN, values)
        if isinstance(needle, str) and _is_var(haystack):
            path = self.var(haystack, arg_at(1), fields)
            if len(needle) > MAX_STRING:
                raise _too_long(needle, arg_at(0))
            return Cond(path, Op.CONTAINS, needle)
        raise fault(
            "filter.jsonlogic.bad_arguments",
            at,
            op=_IN,
            expected="{'in': [{'var': x}, [values]]} / {'in': [text, {'var': x}]}",
            value=args,
        )

    def item_test(
        self, op: str, path: str, rule: Any, where: str, fields: Schema | None
    ) -> Filter | None:
        """``{"var": ""}``, the current item of a list of values (labels), compared with
        literals the way a set test reads it: ``some`` item equal to x is ``has(x)``, in
        [xs] is ``has_any(xs)`` (``none``: their negation); ``None`` for any other rule,
        which is read as a condition on the item itself (:data:`ITEM`)."""
        if op == "all" or not (isinstance(rule, dict) and len(rule) == 1):
            return None
        sym, args = next(iter(rule.items()))
        if not (isinstance(args, list) and len(args) == 2 and args.count(_ITEM) == 1):
            return None
        at = _key(where, str(sym))
        other = 1 - args.index(_ITEM)
        found: Filter
        if sym == _IN and other == 1 and isinstance(args[1], list):
            values = tuple(
                self.literal(v, f"{at}[1][{i}]", path, None) for i, v in enumerate(args[1])
            )
            found = Cond(path, Op.HAS_ANY, values)
        elif sym == _COMPARE[Op.EQ] and not isinstance(args[other], (dict, list)):
            found = Cond(path, Op.HAS, self.literal(args[other], f"{at}[{other}]", path, None))
        else:
            return None
        return found if op == "some" else Not(found)

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
            raise fault("filter.jsonlogic.arity", at, op=op, expected=2, shown_value=str(len(args)))
        collection, inner_rule = args
        if not _is_var(collection):
            raise fault(
                "filter.jsonlogic.bad_arguments",
                arg_at(0),
                op=op,
                expected=f"{{'{op}': [{{'var': collection}}, rule]}}",
                value=collection,
            )
        path = self.var(collection, arg_at(0), fields)
        item_fields: Schema | None = None
        if fields is not None:
            field = fields.get(path)
            if field is None or field.type not in (FieldType.COLLECTION, FieldType.LABELS):
                raise fault(
                    "filter.op_mismatch",
                    arg_at(0),
                    op=op,
                    field=path,
                    type=field.type.value if field is not None else "?",
                )
            item_fields = items_of(fields, path)
        on_item = self.item_test(op, path, inner_rule, arg_at(1), fields)
        if on_item is not None:
            return on_item
        self.scopes += 1
        inner = self.rule(inner_rule, arg_at(1), depth + 1, item_fields)
        self.scopes -= 1
        if op == "some":
            return Cond(path, Op.ANY, inner)
        if op == "none":
            return Not(Cond(path, Op.ANY, inner))
        return And((Cond(path, Op.NOT_BLANK), Not(Cond(path, Op.ANY, Not(inner)))))


_ITEM: Final = {"var": ""}
# Field types whose values are never false or 0: there JsonLogic's "falsy" is "blank".
_NEVER_FALSE: Final = frozenset(
    {FieldType.TEXT, FieldType.CHOICE, FieldType.DATE, FieldType.LABELS, FieldType.COLLECTION}
)


def _falsy(path: str, fields: Schema | None) -> Filter:
    """JsonLogic's ``{"!": {"var": path}}``: the value is null, "", [], false or 0."""
    field = fields.get(path) if fields is not None else None
    blank = Cond(path, Op.BLANK)
    if field is not None and field.type in _NEVER_FALSE:
        return blank
    if field is not None and field.type is FieldType.BOOL:
        return Or((blank, Cond(path, Op.EQ, False)))
    if field is not None and field.type is FieldType.NUMBER:
        return Or((blank, Cond(path, Op.EQ, 0)))
    return Or((blank, Cond(path, Op.EQ, False), Cond(path, Op.EQ, 0)))


def _negated(flt: Filter) -> Filter:
    if isinstance(flt, Cond):
        return Cond(flt.path, COMPLEMENT[flt.op])
    return Not(flt)


def _date(text: str, where: str) -> dt.date:
    if _ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise fault("filter.expected_date", where, value=text, expected="YYYY-MM-DD")
