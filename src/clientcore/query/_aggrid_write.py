"""Writing a :class:`Filter` as AG Grid's column ``filterModel`` (the public name lives in
:mod:`clientcore.query.aggrid`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, TypeVar, Unpack

import attrs

from clientcore.model import Field, FieldType, Schema
from clientcore.query._aggrid_read import (
    _BLANK,
    _NOT_BLANK,
    _SCALAR_TYPES,
    _TEXT_TYPES,
    _VALUE_KEYS,
    _WRITE_OPTIONS,
    AgGridWriteOptions,
    _column_field,
    _Options,
    _read_options,
)
from clientcore.query._faults import fault, shown
from clientcore.query._operators import COMPLEMENT, Op
from clientcore.query._tree import (
    MAX_STRING,
    And,
    Cond,
    Filter,
    Not,
    Or,
    Today,
)

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
