"""Reading AG Grid's column ``filterModel`` into a :class:`Filter` (the public names live
in :mod:`clientcore.query.aggrid`).

The options both directions share (:class:`AgGridWriteOptions`) and the column check
are defined here; :mod:`clientcore.query._aggrid_write` reads them from this module.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final, TypedDict, Unpack

import attrs

from clientcore.model import Field, FieldType, Schema
from clientcore.query._check import OpenMode, catalogue_of
from clientcore.query._faults import fault, shown
from clientcore.query._jsonpath import json_key, json_type
from clientcore.query._operators import OPERATORS, Op, aggrid_options
from clientcore.query._tree import (
    MAX_NODES,
    MAX_STRING,
    And,
    Cond,
    Filter,
    Or,
)


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
    model: Any, schema: Schema | OpenMode | None = None, **options: Unpack[AgGridOptions]
) -> Filter:
    """The :class:`Filter` that selects what AG Grid's ``filterModel`` selects.

    ``model`` maps column ids (clientcore field paths) to column filter models: ``text``,
    ``number``, ``date``, ``set`` and ``multi`` filters, single conditions or combined
    ones (``operator`` with ``conditions``, or the legacy ``condition1``/``condition2``).
    Columns are ANDed; a column whose model is ``null`` has no filter, as in AG Grid.

    Every column must be a known field of ``schema`` (the default catalogue unless given)
    whose type fits the filter, and set filter keys are converted to the field's type
    (``"true"`` to ``True``, ``"5"`` to ``5``, ``"2024-01-31"`` to a date; on a labels
    field a set filter means ``has_any``). In the open mode
    (:data:`~clientcore.query.OPEN`) columns are taken as written and set keys stay texts.
    ``options`` are the grid's ``filterParams`` (:class:`AgGridOptions`).

    Any fault raises :class:`~clientcore.FilterError` with the JSON-like path of the
    fault (``$.name.conditions[1].type``); no other exception escapes, whatever the input.
    """
    opts = _read_options(options, _READ_OPTIONS)
    if model is None:
        return Filter.all()
    if not isinstance(model, dict):
        raise fault("filter.expected_object", "$", value=model)
    schema = catalogue_of(schema)
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
