"""AG Grid interop: read a grid's column ``filterModel`` into a :class:`Filter`, and back.

:func:`from_filter_model` reproduces AG Grid's *default* filter semantics with
clientcore's operators: text filters ignore case but not accents, number and date
``notEqual`` drop blank cells, ``inRange`` excludes both ends. Keyword options mirror the
``filterParams`` a grid may set (``include_blanks_in_equals=True``,
``in_range_inclusive=True``, ...). Unlike AG Grid, nothing is skipped silently: an unknown
filter type, option, key or column, or a missing value raises
:class:`~clientcore.FilterError` with a JSON-like ``path`` into the model.

:func:`to_filter_model` goes the other way for what a grid can express (an AND of column
filters, each one condition or one AND/OR of conditions) and raises
:class:`~clientcore.FilterError` naming what it cannot.

>>> from clientcore.query.aggrid import from_filter_model, to_filter_model
>>> model = {"name": {"filterType": "text", "type": "contains", "filter": "café"},
...          "revenue": {"filterType": "number", "type": "inRange", "filter": 10, "filterTo": 20}}
>>> flt = from_filter_model(model)
>>> flt.matches({"name": "CAFÉ Central", "revenue": 15})
True
>>> flt.matches({"name": "Cafe Central", "revenue": 15})  # accents count, as in AG Grid
False
>>> flt.matches({"name": "Café Central", "revenue": 20})  # inRange excludes its ends
False
>>> to_filter_model(flt) == model
True
>>> from_filter_model({"name": {"filterType": "text", "type": "like", "filter": "x"}})
... # doctest: +ELLIPSIS
Traceback (most recent call last):
...
clientcore._errors.FilterError: unknown text filter option 'like' on column 'name' ... @ $.name.type
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, TypedDict, TypeVar, Unpack

import attrs

from clientcore.model import Field, FieldType, Schema
from clientcore.query._faults import fault, shown
from clientcore.query._jsonpath import json_key, json_type
from clientcore.query._operators import COMPLEMENT, OPERATORS, Op, aggrid_options
from clientcore.query._tree import (
    MAX_NODES,
    MAX_STRING,
    And,
    Cond,
    Filter,
    Not,
    Or,
    Today,
)

__all__ = ["AgGridOptions", "AgGridWriteOptions", "from_filter_model", "to_filter_model"]


class AgGridWriteOptions(TypedDict, total=False):
    """The ``filterParams`` of the grid that change how a model reads, both ways.

    ``case_sensitive``: text and set filters compare case (AG Grid ``caseSensitive``).
    ``accent_insensitive``: text and set filters ignore accents too (a grid with a
    ``textFormatter`` that strips them). ``in_range_inclusive``: ``inRange`` includes its
    ends (AG Grid ``inRangeInclusive``).
    """

    case_sensitive: bool
    accent_insensitive: bool
    in_range_inclusive: bool


class AgGridOptions(AgGridWriteOptions, total=False):
    """Every option of :func:`from_filter_model`.

    The ``include_blanks_in_*`` options mirror AG Grid's ``includeBlanksIn*`` number and
    date filter params: blank cells also pass ``equals``, ``notEqual``, ``lessThan`` and
    ``lessThanOrEqual``, ``greaterThan`` and ``greaterThanOrEqual``, or ``inRange``.
    """

    include_blanks_in_equals: bool
    include_blanks_in_not_equal: bool
    include_blanks_in_less_than: bool
    include_blanks_in_greater_than: bool
    include_blanks_in_range: bool


@attrs.frozen
class _Options:
    case_sensitive: bool = False
    accent_insensitive: bool = False
    in_range_inclusive: bool = False
    include_blanks_in_equals: bool = False
    include_blanks_in_not_equal: bool = False
    include_blanks_in_less_than: bool = False
    include_blanks_in_greater_than: bool = False
    include_blanks_in_range: bool = False

    @property
    def flags(self) -> dict[str, bool]:
        """The case and accent switches of the text conditions these options read."""
        return {
            "case_sensitive": self.case_sensitive,
            "accent_sensitive": not self.accent_insensitive,
        }


_WRITE_OPTIONS: Final = frozenset(AgGridWriteOptions.__annotations__)
_READ_OPTIONS: Final = frozenset(attrs.fields_dict(_Options))


def _read_options(given: Mapping[str, Any], known: frozenset[str]) -> _Options:
    for name, value in given.items():
        if name not in known:
            raise fault(
                "filter.aggrid.unknown_setting",
                f"options.{name}",
                key=str(name)[:40],
                expected=", ".join(sorted(known)),
            )
        if not isinstance(value, bool):
            raise fault("filter.expected_bool", f"options.{name}", key=name, value=value)
    return _Options(**given)


# --- shared helpers ---

_DATE: Final = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?\Z")
_INT: Final = re.compile(r"-?\d{1,19}\Z")
_FLOAT: Final = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z")


def _key(where: str, key: str) -> str:
    return json_key(where, key, 80)


_type = json_type


def _all_of(parts: Sequence[Filter]) -> Filter:
    if len(parts) == 1:
        return parts[0]
    return And(tuple(parts))


def _column_field(schema: Schema | None, column: str, where: str) -> Field | None:
    if schema is None:
        return None
    field = schema.get(column)
    if field is None or field.item_of is not None:
        suggestion = schema.suggest(column)
        raise fault(
            "filter.aggrid.unknown_column", where, field=column[:80], suggestion=suggestion or ""
        )
    return field


# --- from_filter_model ---

_TEXT_TYPES: Final[Mapping[str, str]] = aggrid_options("text")
_BLANK: Final = str(OPERATORS[Op.BLANK].aggrid)
_NOT_BLANK: Final = str(OPERATORS[Op.NOT_BLANK].aggrid)
_SCALAR_TYPES: Final[Mapping[str, str]] = aggrid_options("number")
_INCLUDE_BLANKS: Final[Mapping[str, str]] = {
    "equals": "include_blanks_in_equals",
    "notEqual": "include_blanks_in_not_equal",
    "lessThan": "include_blanks_in_less_than",
    "lessThanOrEqual": "include_blanks_in_less_than",
    "greaterThan": "include_blanks_in_greater_than",
    "greaterThanOrEqual": "include_blanks_in_greater_than",
    "inRange": "include_blanks_in_range",
}
_VALUE_KEYS: Final[Mapping[str, tuple[str, str]]] = {
    "text": ("filter", "filterTo"),
    "number": ("filter", "filterTo"),
    "date": ("dateFrom", "dateTo"),
}
_FITS: Final[Mapping[str, frozenset[FieldType]]] = {
    "text": frozenset({FieldType.TEXT, FieldType.CHOICE}),
    "number": frozenset({FieldType.NUMBER}),
    "date": frozenset({FieldType.DATE}),
    "set": frozenset(
        {
            FieldType.TEXT,
            FieldType.CHOICE,
            FieldType.NUMBER,
            FieldType.DATE,
            FieldType.BOOL,
            FieldType.LABELS,
        }
    ),
}
_COMBINED_KEYS: Final = frozenset(
    {"filterType", "operator", "conditions", "condition1", "condition2"}
)


def from_filter_model(
    model: Any, schema: Schema | None = None, **options: Unpack[AgGridOptions]
) -> Filter:
    """The :class:`Filter` that selects what AG Grid's ``filterModel`` selects.

    ``model`` maps column ids (clientcore field paths) to column filter models: ``text``,
    ``number``, ``date``, ``set`` and ``multi`` filters, single conditions or combined
    ones (``operator`` with ``conditions``, or the legacy ``condition1``/``condition2``).
    Columns are ANDed; a column whose model is ``null`` has no filter, as in AG Grid.

    With a ``schema``, every column must be a known field whose type fits the filter,
    and set filter keys are converted to the field's type (``"true"`` to ``True``,
    ``"5"`` to ``5``, ``"2024-01-31"`` to a date; on a labels field a set filter means
    ``has_any``). ``options`` are the grid's ``filterParams`` (:class:`AgGridOptions`).

    Any fault raises :class:`~clientcore.FilterError` with the JSON-like path of the
    fault (``$.name.conditions[1].type``); no other exception escapes, whatever the input.
    """
    opts = _read_options(options, _READ_OPTIONS)
    if model is None:
        return Filter.all()
    if not isinstance(model, dict):
        raise fault("filter.expected_object", "$", value=model)
    reader = _Reader(schema, opts)
    parts: list[Filter] = []
    for column, column_model in model.items():
        if not isinstance(column, str) or not column.strip():
            raise fault("filter.aggrid.bad_column", "$", value=column)
        where = _key("$", column)
        if len(column) > MAX_STRING:
            raise fault(
                "filter.text_too_long", where, value=column, length=len(column), limit=MAX_STRING
            )
        field = _column_field(schema, column, where)
        if column_model is None:
            continue
        parts.append(reader.column(column, column_model, field, where, in_multi=False))
    return _all_of(parts)


class _Reader:
    def __init__(self, schema: Schema | None, opts: _Options) -> None:
        self.schema = schema
        self.opts = opts
        self.nodes = 0

    def spend(self, where: str, count: int = 1) -> None:
        self.nodes += count
        if self.nodes > MAX_NODES:
            raise fault("filter.too_many_nodes", where, limit=MAX_NODES)

    def column(
        self, column: str, model: Any, field: Field | None, where: str, in_multi: bool
    ) -> Filter:
        if not isinstance(model, dict):
            raise fault("filter.expected_object", where, value=model, field=column)
        if "filterType" not in model:
            raise fault("filter.missing_key", where, key="filterType", field=column)
        kind = model["filterType"]
        if not isinstance(kind, str) or kind not in ("text", "number", "date", "set", "multi"):
            raise fault(
                "filter.aggrid.unknown_filter_type",
                f"{where}.filterType",
                value=kind,
                field=column,
                expected="text, number, date, set, multi",
            )
        if kind == "multi":
            if in_multi:
                raise fault("filter.aggrid.nested_multi", where, field=column)
            return self.multi(column, model, field, where)
        if field is not None and field.type not in _FITS[kind]:
            raise fault(
                "filter.aggrid.type_mismatch",
                f"{where}.filterType",
                kind=kind,
                field=column,
                expected=field.type.value,
            )
        if kind == "set":
            return self.set_filter(column, model, field, where)
        if _COMBINED_KEYS.intersection(model) - {"filterType"}:
            return self.combined(column, model, kind, where)
        return self.condition(column, model, kind, where)

    def multi(self, column: str, model: dict[Any, Any], field: Field | None, where: str) -> Filter:
        _no_extra_keys(model, frozenset({"filterType", "filterModels"}), where)
        if "filterModels" not in model:
            raise fault("filter.missing_key", where, key="filterModels", field=column)
        models = model["filterModels"]
        if not isinstance(models, list):
            raise fault(
                "filter.expected_list",
                f"{where}.filterModels",
                key="filterModels",
                op="multi",
                field=column,
                value=models,
            )
        parts = [
            self.column(column, sub, field, f"{where}.filterModels[{i}]", in_multi=True)
            for i, sub in enumerate(models)
            if sub is not None
        ]
        return _all_of(parts)

    def combined(self, column: str, model: dict[Any, Any], kind: str, where: str) -> Filter:
        _no_extra_keys(model, _COMBINED_KEYS, where)
        operator = model.get("operator")
        if operator not in ("AND", "OR"):
            raise fault(
                "filter.aggrid.bad_operator", f"{where}.operator", field=column, value=operator
            )
        items: list[tuple[Any, str]]
        if "conditions" in model:
            conditions = model["conditions"]
            if not isinstance(conditions, list) or not conditions:
                raise fault(
                    "filter.expected_list",
                    f"{where}.conditions",
                    key="conditions",
                    op=str(operator),
                    field=column,
                    value=conditions,
                )
            for i, legacy in enumerate(("condition1", "condition2")):
                if legacy in model and not _same(model[legacy], conditions, i):
                    raise fault(
                        "filter.aggrid.disagree",
                        f"{where}.{legacy}",
                        key=legacy,
                        expected=f"conditions[{i}]",
                        field=column,
                    )
            items = [(c, f"{where}.conditions[{i}]") for i, c in enumerate(conditions)]
        else:
            for legacy in ("condition1", "condition2"):
                if legacy not in model:
                    raise fault("filter.missing_key", where, key=legacy, field=column)
            items = [(model[k], f"{where}.{k}") for k in ("condition1", "condition2")]
        children: list[Filter] = []
        for condition, at in items:
            if not isinstance(condition, dict):
                raise fault("filter.expected_object", at, value=condition, field=column)
            if "filterType" in condition and condition["filterType"] != kind:
                raise fault(
                    "filter.aggrid.unknown_filter_type",
                    f"{at}.filterType",
                    value=condition["filterType"],
                    field=column,
                    expected=kind,
                )
            children.append(self.condition(column, condition, kind, at))
        return And(tuple(children)) if operator == "AND" else Or(tuple(children))

    def condition(self, column: str, model: dict[Any, Any], kind: str, where: str) -> Filter:
        self.spend(where)
        low, high = _VALUE_KEYS[kind]
        _no_extra_keys(model, frozenset({"filterType", "type", low, high}), where)
        if "type" not in model:
            raise fault("filter.missing_key", where, key="type", field=column)
        option = model["type"]
        known = _TEXT_TYPES if kind == "text" else _SCALAR_TYPES
        if not isinstance(option, str) or (
            option not in known and option not in (_BLANK, _NOT_BLANK)
        ):
            raise fault(
                "filter.aggrid.unknown_option",
                f"{where}.type",
                kind=kind,
                value=option,
                field=column,
                expected=", ".join([*known, _BLANK, _NOT_BLANK]),
            )
        if option in (_BLANK, _NOT_BLANK):
            for key in (low, high):
                if model.get(key) is not None:
                    raise fault(
                        "filter.no_value",
                        f"{where}.{key}",
                        op=option,
                        field=column,
                        key=key,
                        value=model[key],
                    )
            return Cond(column, Op.BLANK if option == _BLANK else Op.NOT_BLANK)
        if option != "inRange" and model.get(high) is not None:
            raise fault(
                "filter.no_value",
                f"{where}.{high}",
                op=option,
                field=column,
                key=high,
                value=model[high],
            )
        if kind == "text":
            text = _text(model.get(low), option, where, low, column)
            return Cond(column, _TEXT_TYPES[option], text, **self.opts.flags)
        read = _number if kind == "number" else _date
        value = read(model.get(low), option, where, low, column)
        base: Filter
        if option == "inRange":
            upper = read(model.get(high), option, where, high, column)
            if self.opts.in_range_inclusive:
                base = Cond(column, Op.BETWEEN, (value, upper))
            else:
                base = And((Cond(column, Op.GT, value), Cond(column, Op.LT, upper)))
        elif option == "notEqual":
            base = And((Cond(column, Op.NE, value), Cond(column, Op.NOT_BLANK)))
        else:
            base = Cond(column, _SCALAR_TYPES[option], value)
        if getattr(self.opts, _INCLUDE_BLANKS[option]):
            return Or((base, Cond(column, Op.BLANK)))
        return base

    def set_filter(
        self, column: str, model: dict[Any, Any], field: Field | None, where: str
    ) -> Filter:
        _no_extra_keys(model, frozenset({"filterType", "values"}), where)
        if "values" not in model:
            raise fault("filter.missing_key", where, key="values", field=column)
        raw = model["values"]
        if not isinstance(raw, list):
            raise fault(
                "filter.expected_list",
                f"{where}.values",
                key="values",
                op="set",
                field=column,
                value=raw,
            )
        self.spend(f"{where}.values", len(raw))
        kind = field.type if field is not None else FieldType.TEXT
        values: list[Any] = []
        blanks = False
        for i, key in enumerate(raw):
            at = f"{where}.values[{i}]"
            if key is None or (isinstance(key, str) and not key.strip()):
                blanks = True
                continue
            if not isinstance(key, str):
                raise fault(
                    "filter.aggrid.bad_set_key", at, value=key, field=column, expected="text/null"
                )
            if len(key) > MAX_STRING:
                raise fault(
                    "filter.text_too_long", at, value=key, length=len(key), limit=MAX_STRING
                )
            values.append(_set_key(key, kind, at, column))
        if kind is FieldType.LABELS:
            cond = Cond(column, Op.HAS_ANY, tuple(values), **self.opts.flags)
        elif kind in (FieldType.TEXT, FieldType.CHOICE):
            cond = Cond(column, Op.IN, tuple(values), **self.opts.flags)
        else:
            cond = Cond(column, Op.IN, tuple(values))
        if not blanks:
            return cond
        if not values:
            return Cond(column, Op.BLANK)
        return Or((cond, Cond(column, Op.BLANK)))


def _same(legacy: Any, conditions: list[Any], i: int) -> bool:
    """Whether a legacy ``condition1``/``condition2`` repeats ``conditions[i]``."""
    try:
        return i < len(conditions) and bool(legacy == conditions[i])
    except RecursionError:
        return False


def _no_extra_keys(model: dict[Any, Any], known: frozenset[str], where: str) -> None:
    for key in model:
        if key not in known:
            if isinstance(key, str):
                raise fault("filter.unknown_key", _key(where, key), key=key[:40])
            raise fault("filter.unknown_key", where, key=shown(key))


def _text(raw: Any, option: str, where: str, key: str, column: str) -> str:
    names = {"op": option, "field": column, "key": key}
    if raw is None:
        raise fault("filter.needs_value", where, **names)
    if not isinstance(raw, str):
        raise fault("filter.expected_text", f"{where}.{key}", value=raw, **names)
    if not raw.strip():
        raise fault("filter.aggrid.blank_text", f"{where}.{key}", field=column, key=key)
    if len(raw) > MAX_STRING:
        raise fault(
            "filter.text_too_long", f"{where}.{key}", value=raw, length=len(raw), limit=MAX_STRING
        )
    return raw


def _number(raw: Any, option: str, where: str, key: str, column: str) -> int | float:
    names = {"op": option, "field": column, "key": key}
    if raw is None:
        raise fault("filter.needs_value", where, **names)
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise fault("filter.expected_number", f"{where}.{key}", value=raw, **names)
    if isinstance(raw, int) and abs(raw) > 2**63:
        raise fault("filter.number_out_of_range", f"{where}.{key}", value=raw, limit="2^63")
    if isinstance(raw, float) and not math.isfinite(raw):
        raise fault("filter.number_not_finite", f"{where}.{key}", value=raw)
    return raw


def _date(raw: Any, option: str, where: str, key: str, column: str) -> dt.date:
    if raw is None:
        raise fault("filter.needs_value", where, op=option, field=column, key=key)
    at = f"{where}.{key}"
    if not isinstance(raw, str):
        raise fault("filter.expected_date", at, value=raw, expected="YYYY-MM-DD")
    return _parse_date(raw, at)


def _parse_date(text: str, where: str) -> dt.date:
    match = _DATE.match(text)
    if match is not None:
        try:
            return dt.date.fromisoformat(match.group(1))
        except ValueError:
            pass
    raise fault("filter.expected_date", where, value=text, expected="YYYY-MM-DD (hh:mm:ss)")


def _set_key(key: str, kind: FieldType, where: str, column: str) -> Any:
    if kind is FieldType.BOOL:
        folded = key.casefold()
        if folded in ("true", "false"):
            return folded == "true"
        raise fault(
            "filter.aggrid.bad_set_key", where, value=key, field=column, expected="true/false"
        )
    if kind is FieldType.NUMBER:
        if _INT.match(key):
            return int(key)
        if _FLOAT.match(key):
            number = float(key)
            if math.isfinite(number):
                return number
        raise fault("filter.aggrid.bad_set_key", where, value=key, field=column, expected="123")
    if kind is FieldType.DATE:
        return _parse_date(key, where)
    return key


# --- to_filter_model ---


@attrs.frozen
class _Lit:
    cond: Cond
    negated: bool
    where: str


@attrs.frozen
class _Junction:
    kind: str
    children: tuple[_Lit | _Junction, ...]
    where: str


_Node = _Lit | _Junction
_T = TypeVar("_T")
_SET_OPS: Final = frozenset({Op.IN, Op.HAS, Op.HAS_ANY})
_SCALAR_OUT: Final[Mapping[str, str]] = {
    op: name for name, op in _SCALAR_TYPES.items() if op is not Op.BETWEEN
}
_TEXT_OUT: Final[Mapping[str, str]] = {v: k for k, v in _TEXT_TYPES.items()}
_DROPS_BLANKS: Final = frozenset({Op.EQ, Op.LT, Op.LE, Op.GT, Op.GE, Op.BETWEEN, Op.NOT_BLANK})
# Conditions after which a not_blank adds nothing (AG Grid's number notEqual drops blanks).
_SCALAR_DROPS_BLANKS: Final = frozenset(
    {Op.EQ, Op.NE, Op.NOT_IN, Op.LT, Op.LE, Op.GT, Op.GE, Op.BETWEEN}
)
_TEXT_DROPS_BLANKS: Final = frozenset({Op.EQ, Op.CONTAINS, Op.STARTS_WITH, Op.ENDS_WITH})


def to_filter_model(
    flt: Filter, schema: Schema | None = None, **options: Unpack[AgGridWriteOptions]
) -> dict[str, Any]:
    """The AG Grid ``filterModel`` that selects what ``flt`` selects.

    A grid can express an AND of column filters, each a single condition or one AND/OR of
    conditions of one filter type; an ``in`` list becomes a set filter. ``options`` say how
    the receiving grid is configured (:class:`AgGridWriteOptions`); by default text
    conditions must ignore case and keep accents, as AG Grid's do.

    Without a ``schema`` the filter type of a column follows its values (text, number or
    date); set filter keys must then be texts. With a ``schema`` it follows the field.

    Raises :class:`~clientcore.FilterError` saying what cannot be expressed (an OR across
    columns, ``any``, ``has_all``, ``valid``, relative dates, a case or accent switch the
    grid does not have, ...), with ``path`` the node in :meth:`Filter.to_json` terms.
    ``from_filter_model(to_filter_model(flt))`` selects exactly what ``flt`` selects.
    """
    opts = _read_options(options, _WRITE_OPTIONS)
    if not isinstance(flt, Filter):
        raise fault("filter.expected_node", "$", value=flt)
    root = _nnf(flt, "$.where", False)
    groups = root.children if isinstance(root, _Junction) and root.kind == "and" else (root,)
    by_column: dict[str, list[_Node]] = {}
    for node in groups:
        columns = _columns(node)
        if not columns:
            if isinstance(node, _Junction) and node.kind == "or":
                raise fault("filter.aggrid.matches_nothing", node.where)
            continue
        if len(columns) > 1:
            raise fault(
                "filter.aggrid.cross_column_or",
                node.where,
                expected=", ".join(f"'{c}'" for c in columns),
            )
        by_column.setdefault(columns[0], []).append(node)
    writer = _Writer(opts)
    out: dict[str, Any] = {}
    for column, nodes in by_column.items():
        first = next(iter(_literals(nodes[0])))
        field = _column_field(schema, column, f"{first.where}.path")
        out[column] = writer.column(column, nodes, field)
    return out


def _nnf(flt: Filter, where: str, negate: bool) -> _Node:
    """Negation pushed down to the conditions; nested and/or of one kind flattened."""
    if isinstance(flt, Cond):
        if negate and flt.op in COMPLEMENT:
            flipped = Cond(
                flt.path, COMPLEMENT[flt.op], flt.value, flt.case_sensitive, flt.accent_sensitive
            )
            return _Lit(flipped, False, where)
        return _Lit(flt, negate, where)
    if isinstance(flt, Not):
        return _nnf(flt.child, f"{where}.not", not negate)
    if isinstance(flt, (And, Or)):
        key = "and" if isinstance(flt, And) else "or"
        kind = ("or" if key == "and" else "and") if negate else key
        children: list[_Node] = []
        for i, child in enumerate(flt.children):
            node = _nnf(child, f"{where}.{key}[{i}]", negate)
            if isinstance(node, _Junction) and node.kind == kind:
                children.extend(node.children)
            else:
                children.append(node)
        if len(children) == 1:
            return children[0]
        return _Junction(kind, tuple(children), where)
    raise fault("filter.expected_node", where, value=flt)


def _columns(node: _Node) -> list[str]:
    if isinstance(node, _Lit):
        return [node.cond.path]
    seen: dict[str, None] = {}
    for child in node.children:
        for column in _columns(child):
            seen.setdefault(column, None)
    return list(seen)


def _literals(node: _Node) -> Iterable[_Lit]:
    if isinstance(node, _Lit):
        yield node
    else:
        for child in node.children:
            yield from _literals(child)


def _values(cond: Cond) -> tuple[Any, ...]:
    if cond.op in (Op.BLANK, Op.NOT_BLANK, Op.VALID, Op.INVALID, Op.ANY):
        return ()
    if isinstance(cond.value, tuple):
        return cond.value
    return (cond.value,)


def _js_number(value: int | float) -> str:
    """A number as AG Grid's set filter keys it (JavaScript's ``String(n)``)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def _within_limits(value: _T, where: str) -> _T:
    """``value`` if :func:`from_filter_model` will read it back, else a FilterError."""
    if isinstance(value, str) and len(value) > MAX_STRING:
        raise fault("filter.text_too_long", where, value=value, length=len(value), limit=MAX_STRING)
    if isinstance(value, int) and abs(value) > 2**63:
        raise fault("filter.number_out_of_range", where, value=value, limit="2^63")
    return value


def _date_out(value: dt.date) -> str:
    return f"{value.isoformat()} 00:00:00"


class _Writer:
    def __init__(self, opts: _Options) -> None:
        self.opts = opts

    def column(self, column: str, nodes: list[_Node], field: Field | None) -> dict[str, Any]:
        items: tuple[_Node, ...]
        if len(nodes) == 1:
            only = nodes[0]
            is_or = isinstance(only, _Junction) and only.kind == "or"
            items = only.children if isinstance(only, _Junction) and is_or else (only,)
            mode = "or"
        else:
            items, mode = tuple(nodes), "and"
        lits = [lit for node in items for lit in _literals(node)]
        for lit in lits:
            self.check_literal(lit)
        kind = self.kind(column, lits, field)
        if mode == "and":
            for node in items:
                if isinstance(node, _Junction):
                    raise fault("filter.aggrid.nesting", node.where, field=column, kind="OR")
        if kind == "set":
            return self.set_model(column, items, mode, field)
        if len(items) == 1 and isinstance(items[0], _Lit):
            # One condition: an AND of what it becomes, but for a ne that keeps blanks.
            keeps_blanks = kind != "text" and items[0].cond.op in (Op.NE, Op.NOT_IN)
            mode = "or" if keeps_blanks else "and"
        if mode == "and":
            conditions = self.and_conditions(kind, [n for n in items if isinstance(n, _Lit)])
        else:
            conditions = self.or_conditions(kind, items)
        if len(conditions) == 1:
            return conditions[0]
        return {
            "filterType": kind,
            "operator": mode.upper(),
            "conditions": conditions,
        }

    def check_literal(self, lit: _Lit) -> None:
        cond = lit.cond
        names = {"field": cond.path, "kind": "-"}
        if lit.negated:
            raise fault("filter.aggrid.no_option", lit.where, op=f"not {cond.op}", **names)
        if cond.op in (Op.ANY, Op.HAS_ALL, Op.VALID, Op.INVALID):
            raise fault("filter.aggrid.no_option", f"{lit.where}.op", op=cond.op, **names)
        if cond.op == Op.NOT_IN and not cond.value:
            raise fault("filter.aggrid.no_option", f"{lit.where}.value", op="not_in []", **names)
        for value in _values(cond):
            if isinstance(value, Today):
                raise fault(
                    "filter.aggrid.relative_date",
                    f"{lit.where}.value",
                    value=value,
                    field=cond.path,
                )

    def kind(self, column: str, lits: list[_Lit], field: Field | None) -> str:
        uses_set = any(lit.cond.op in _SET_OPS for lit in lits)
        if field is not None:
            if field.type is FieldType.COLLECTION:
                raise fault("filter.aggrid.collection", f"{lits[0].where}.path", field=column)
            if uses_set or field.type in (FieldType.BOOL, FieldType.LABELS):
                return "set"
            return {
                FieldType.TEXT: "text",
                FieldType.CHOICE: "text",
                FieldType.NUMBER: "number",
                FieldType.DATE: "date",
            }[field.type]
        if uses_set:
            return "set"
        kinds: dict[str, str] = {}
        for lit in lits:
            for value in _values(lit.cond):
                if isinstance(value, bool):
                    raise fault("filter.aggrid.needs_schema", f"{lit.where}.value", field=column)
                if isinstance(value, str):
                    kinds.setdefault("text", lit.where)
                elif isinstance(value, (int, float)):
                    kinds.setdefault("number", lit.where)
                elif isinstance(value, dt.date):
                    kinds.setdefault("date", lit.where)
        if len(kinds) > 1:
            raise fault(
                "filter.aggrid.mixed_types",
                list(kinds.values())[1],
                field=column,
                expected="/".join(kinds),
            )
        return next(iter(kinds), "text")

    # --- text, number and date conditions ---

    def value(self, kind: str, lit: _Lit, value: Any, at: str = "") -> Any:
        where = f"{lit.where}.value{at}"
        names = {"kind": kind, "field": lit.cond.path, "value": value}
        if kind == "text":
            if not isinstance(value, str):
                raise fault("filter.aggrid.value_type", where, expected="text", **names)
            if not value.strip():
                raise fault("filter.aggrid.blank_text", where, key="value", field=lit.cond.path)
            return _within_limits(value, where)
        if kind == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise fault("filter.aggrid.value_type", where, expected="number", **names)
            return _within_limits(value, where)
        if not isinstance(value, dt.date):
            raise fault("filter.aggrid.value_type", where, expected="date", **names)
        return _date_out(value)

    def check_flags(self, lit: _Lit) -> None:
        cond = lit.cond
        want = self.opts.flags
        for key in ("case_sensitive", "accent_sensitive"):
            if getattr(cond, key) != want[key]:
                raise fault(
                    "filter.aggrid.switch_mismatch",
                    lit.where,
                    op=cond.op,
                    field=cond.path,
                    key=key,
                    value=getattr(cond, key),
                    expected=f"{key}={shown(want[key])}",
                )

    def make(self, kind: str, option: str, low: Any = None, high: Any = None) -> dict[str, Any]:
        out: dict[str, Any] = {"filterType": kind, "type": option}
        low_key, high_key = _VALUE_KEYS[kind]
        if low is not None:
            out[low_key] = low
        if high is not None:
            out[high_key] = high
        return out

    def simple(self, kind: str, lit: _Lit) -> list[dict[str, Any]]:
        """A literal as conditions that must all hold (``ne`` is handled by the caller)."""
        cond = lit.cond
        if cond.op in (Op.BLANK, Op.NOT_BLANK):
            return [self.make(kind, _BLANK if cond.op == Op.BLANK else _NOT_BLANK)]
        if kind == "text":
            if cond.op == Op.NOT_IN:
                self.check_flags(lit)
                return [
                    self.make(kind, "notEqual", self.value(kind, lit, v, f"[{i}]"))
                    for i, v in enumerate(cond.value)
                ]
            if cond.op not in _TEXT_OUT:
                raise fault(
                    "filter.aggrid.no_option",
                    f"{lit.where}.op",
                    op=cond.op,
                    field=cond.path,
                    kind=kind,
                )
            self.check_flags(lit)
            return [self.make(kind, _TEXT_OUT[cond.op], self.value(kind, lit, cond.value))]
        if cond.op == Op.BETWEEN:
            low = self.value(kind, lit, cond.value[0], "[0]")
            high = self.value(kind, lit, cond.value[1], "[1]")
            if self.opts.in_range_inclusive:
                return [self.make(kind, "inRange", low, high)]
            return [
                self.make(kind, "greaterThanOrEqual", low),
                self.make(kind, "lessThanOrEqual", high),
            ]
        if cond.op == Op.NOT_IN:
            return [
                self.make(kind, "notEqual", self.value(kind, lit, v, f"[{i}]"))
                for i, v in enumerate(cond.value)
            ]
        if cond.op not in _SCALAR_OUT:
            raise fault(
                "filter.aggrid.no_option", f"{lit.where}.op", op=cond.op, field=cond.path, kind=kind
            )
        return [self.make(kind, _SCALAR_OUT[cond.op], self.value(kind, lit, cond.value))]

    def and_conditions(self, kind: str, lits: list[_Lit]) -> list[dict[str, Any]]:
        low = high = None
        if kind != "text":
            keeps_blanks = [lit for lit in lits if lit.cond.op in (Op.NE, Op.NOT_IN)]
            if keeps_blanks and not any(lit.cond.op in _DROPS_BLANKS for lit in lits):
                raise fault(
                    "filter.aggrid.blank_semantics",
                    keeps_blanks[0].where,
                    op=keeps_blanks[0].cond.op,
                    field=keeps_blanks[0].cond.path,
                    kind=kind,
                )
            low_op, high_op = (Op.GE, Op.LE) if self.opts.in_range_inclusive else (Op.GT, Op.LT)
            low = next((lit for lit in lits if lit.cond.op == low_op), None)
            high = next((lit for lit in lits if lit.cond.op == high_op), None)
        positive = _TEXT_DROPS_BLANKS if kind == "text" else _SCALAR_DROPS_BLANKS
        redundant = any(lit.cond.op in positive for lit in lits)
        out: list[dict[str, Any]] = []
        for lit in lits:
            conditions: list[dict[str, Any]]
            if lit.cond.op == Op.NOT_BLANK and redundant:
                continue
            if low is not None and high is not None and lit is high:
                continue
            if low is not None and high is not None and lit is low:
                conditions = [self.in_range(kind, low, high)]
            else:
                conditions = self.simple(kind, lit)
            out.extend(c for c in conditions if c not in out)
        return out

    def in_range(self, kind: str, low: _Lit, high: _Lit) -> dict[str, Any]:
        """A pair of bounds as one inRange (exclusive, or inclusive if the grid says so)."""
        return self.make(
            kind,
            "inRange",
            self.value(kind, low, low.cond.value),
            self.value(kind, high, high.cond.value),
        )

    def or_conditions(self, kind: str, items: Sequence[_Node]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []

        def add(condition: dict[str, Any]) -> None:
            if condition not in out:
                out.append(condition)

        for node in items:
            if isinstance(node, _Junction):
                for condition in self.or_junction(kind, node):
                    add(condition)
                continue
            cond = node.cond
            if kind != "text" and cond.op in (Op.NE, Op.NOT_IN):
                values = cond.value if cond.op == Op.NOT_IN else (cond.value,)
                if len(values) != 1:
                    raise fault(
                        "filter.aggrid.blank_semantics",
                        node.where,
                        op=cond.op,
                        field=cond.path,
                        kind=kind,
                    )
                add(self.make(kind, "notEqual", self.value(kind, node, values[0])))
                add(self.make(kind, _BLANK))
                continue
            if kind == "text" and cond.op == Op.NOT_IN and len(cond.value) != 1:
                raise fault("filter.aggrid.nesting", node.where, field=cond.path, kind="AND")
            if cond.op == Op.BETWEEN and not self.opts.in_range_inclusive:
                raise fault("filter.aggrid.in_range_ends", node.where, field=cond.path)
            for condition in self.simple(kind, node):
                add(condition)
        return out

    def or_junction(self, kind: str, node: _Junction) -> list[dict[str, Any]]:
        """An AND inside an OR: only the pairs that are one AG Grid condition."""
        lits = [c for c in node.children if isinstance(c, _Lit)]
        ops = sorted(lit.cond.op for lit in lits)
        if kind != "text" and len(lits) == len(node.children) == 2:
            by_op = {lit.cond.op: lit for lit in lits}
            if ops == [Op.NE, Op.NOT_BLANK]:
                ne = by_op[Op.NE]
                return [self.make(kind, "notEqual", self.value(kind, ne, ne.cond.value))]
            low_op, high_op = (Op.GE, Op.LE) if self.opts.in_range_inclusive else (Op.GT, Op.LT)
            if ops == sorted([low_op, high_op]):
                return [self.in_range(kind, by_op[low_op], by_op[high_op])]
        raise fault("filter.aggrid.nesting", node.where, field=_columns(node)[0], kind="AND")

    # --- set filters ---

    def set_model(
        self, column: str, items: Sequence[_Node], mode: str, field: Field | None
    ) -> dict[str, Any]:
        if mode == "and" and len(items) > 1:
            raise fault("filter.aggrid.nesting", items[1].where, field=column, kind="AND")
        labels = field is not None and field.type is FieldType.LABELS
        allowed = {Op.HAS, Op.HAS_ANY, Op.BLANK} if labels else {Op.IN, Op.EQ, Op.BLANK}
        keys: list[str | None] = []
        for node in items:
            if isinstance(node, _Junction):
                raise fault("filter.aggrid.nesting", node.where, field=column, kind="AND")
            cond = node.cond
            if cond.op not in allowed:
                raise fault(
                    "filter.aggrid.no_option",
                    f"{node.where}.op",
                    op=cond.op,
                    field=column,
                    kind="set",
                )
            if cond.op == Op.BLANK:
                if None not in keys:
                    keys.append(None)
                continue
            values = cond.value if cond.op in (Op.IN, Op.HAS_ANY) else (cond.value,)
            for i, value in enumerate(values):
                at = f"[{i}]" if cond.op in (Op.IN, Op.HAS_ANY) else ""
                key = self.set_key(node, value, field, at)
                if key is not None and key not in keys:
                    keys.append(key)
        return {"filterType": "set", "values": keys}

    def set_key(self, lit: _Lit, value: Any, field: Field | None, at: str) -> str | None:
        where = f"{lit.where}.value{at}"
        kind = field.type if field is not None else FieldType.TEXT
        if kind in (FieldType.TEXT, FieldType.CHOICE, FieldType.LABELS):
            if not isinstance(value, str):
                raise fault(
                    "filter.aggrid.value_type",
                    where,
                    kind="set",
                    field=lit.cond.path,
                    expected="text (schema=...)",
                    value=value,
                )
            self.check_flags(lit)
            return _within_limits(value, where) if value.strip() else None
        if kind is FieldType.BOOL:
            if not isinstance(value, bool):
                raise fault(
                    "filter.aggrid.value_type",
                    where,
                    kind="set",
                    field=lit.cond.path,
                    expected="true/false",
                    value=value,
                )
            return "true" if value else "false"
        if kind is FieldType.NUMBER:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise fault(
                    "filter.aggrid.value_type",
                    where,
                    kind="set",
                    field=lit.cond.path,
                    expected="number",
                    value=value,
                )
            return _js_number(_within_limits(value, where))
        if not isinstance(value, dt.date):
            raise fault(
                "filter.aggrid.value_type",
                where,
                kind="set",
                field=lit.cond.path,
                expected="date",
                value=value,
            )
        return value.isoformat()
