"""The SQL back end of the filter language: a filter tree as one SQLAlchemy expression.

A visitor over the public tree of :mod:`clientcore.query`, with the same semantics as
the Python back end (``docs/filters.md``; ``docs/sql.md`` has the table for SQL):

- every leaf compiles to an expression that is never ``NULL`` (a positive comparison
  is guarded by ``IS NOT NULL``), so ``NOT`` is the exact complement and SQL's
  three-valued logic never leaks;
- blank text is a ``NULL`` folded column (kept on write), so ``blank`` is ``IS NULL``
  and positive operators never match blanks, while ``ne`` / ``not_in`` /
  ``not_contains`` (the complements) do;
- text compares in folded form (case- and accent-insensitive, the folding of
  :func:`clientcore.model.fold`) or, with both sensitivity switches on, as written;
- labels and tasks are child tables reached with ``id IN (SELECT party_id ...)``, an
  uncorrelated sub-query (``party_id`` is never ``NULL``, so it is two-valued as
  ``EXISTS`` is): the database hashes it once instead of probing it party by party;
  ``valid`` / ``invalid`` read a validity flag kept on write; relative dates are
  resolved when compiled.

What cannot be pushed down (a custom field, a field without a column, one
sensitivity switch without the other, a value of another type than the field) is
refused with a :class:`~clientcore.errors.FilterError` coded ``filter.not_pushable``:
nothing ever runs in Python over the whole table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from clientcore._errors import FilterError, Issue
from clientcore._messages import define
from clientcore.adapters.sqlalchemy._tables import (
    BOOL_PATHS,
    COLLECTION_PATHS,
    DATE_PATHS,
    NUMBER_PATHS,
    TEXT_PATHS,
    VALIDITY_PATHS,
    column_name,
    folded_name,
    parties,
    party_labels,
    party_tasks,
    size_name,
    valid_name,
)
from clientcore.model import fold
from clientcore.query import OPERATORS, And, Cond, Filter, Not, Op, Or, Today

define(
    {
        "filter.not_pushable": (
            "Cannot run '{op}' on '{field}' in SQL at {path}: {reason}.",
            "Kan '{op}' op '{field}' niet in SQL uitvoeren op {path}: {reason}.",
            "Impossible d'exécuter '{op}' sur '{field}' en SQL à {path} : {reason}.",
        ),
    }
)

_TASK_TEXT = ("code", "period")
_TASK_DATE = ("start",)
_TASK_BOOL = ("active",)
_TEXT_OPS = frozenset({Op.CONTAINS, Op.NOT_CONTAINS, Op.STARTS_WITH, Op.ENDS_WITH})
# the SQLAlchemy comparison of each ordering operator, from the operator table's SQL slot
_ORDER_OPS: dict[str, str] = {op: str(OPERATORS[op].sql) for op in (Op.LT, Op.LE, Op.GT, Op.GE)}


def _refuse(cond: Cond, where: str, reason: str) -> FilterError:
    issue = Issue(
        "filter.not_pushable", where, {"op": cond.op, "field": cond.path, "reason": reason}
    )
    return FilterError(issue.message(), where, [issue])


class _Scope:
    """Where a condition's paths are read: the party row, or one task row."""

    def __init__(
        self,
        table: sa.Table,
        text: Sequence[str],
        dates: Sequence[str],
        bools: Sequence[str],
        numbers: Sequence[str],
        collection: str | None,
    ) -> None:
        self.table = table
        self.text = frozenset(text)
        self.dates = frozenset(dates)
        self.bools = frozenset(bools)
        self.numbers = frozenset(numbers)
        self.collection = collection


_PARTY = _Scope(parties, TEXT_PATHS, DATE_PATHS, BOOL_PATHS, NUMBER_PATHS, None)
_TASK = _Scope(party_tasks, _TASK_TEXT, _TASK_DATE, _TASK_BOOL, (), "tasks")


def compile_filter(flt: Filter, today: dt.date | None = None) -> sa.ColumnElement[bool]:
    """``flt`` as a boolean SQLAlchemy expression over the parties table.

    Raises ``FilterError`` (``filter.not_pushable``) for what SQL cannot run here and
    (``filter.needs_today``) for a relative date without ``today``.
    """
    return _Compiler(today).node(flt, "$.where", _PARTY)


class _Compiler:
    def __init__(self, today: dt.date | None) -> None:
        self.today = today

    def node(self, flt: Filter, where: str, scope: _Scope) -> sa.ColumnElement[bool]:
        if isinstance(flt, And):
            if not flt.children:
                return sa.true()
            return sa.and_(
                *(self.node(c, f"{where}.and[{i}]", scope) for i, c in enumerate(flt.children))
            )
        if isinstance(flt, Or):
            if not flt.children:
                return sa.false()
            return sa.or_(
                *(self.node(c, f"{where}.or[{i}]", scope) for i, c in enumerate(flt.children))
            )
        if isinstance(flt, Not):
            return sa.not_(self.node(flt.child, f"{where}.not", scope))
        assert isinstance(flt, Cond)
        return self.leaf(flt, where, scope)

    # --- values ---

    def resolve(self, cond: Cond, value: Any, where: str) -> Any:
        if isinstance(value, Today):
            if self.today is None:
                issue = Issue(
                    "filter.needs_today",
                    f"{where}.value",
                    {"value": str(value), "field": cond.path},
                )
                raise FilterError(issue.message(), issue.path, [issue])
            return value.resolve(self.today)
        if isinstance(value, tuple):
            return tuple(self.resolve(cond, v, where) for v in value)
        return value

    # --- leaves ---

    def leaf(self, cond: Cond, where: str, scope: _Scope) -> sa.ColumnElement[bool]:
        path, op = cond.path, cond.op
        table = scope.table
        if op == Op.ANY:
            return self.any(cond, where, scope)
        if scope.collection is None and (path == "labels" or path in COLLECTION_PATHS):
            return self.collection(cond, where)
        if op in (Op.BLANK, Op.NOT_BLANK):
            column = self.blank_column(cond, where, scope)
            return column.is_(None) if op == Op.BLANK else column.is_not(None)
        if op in (Op.VALID, Op.INVALID):
            if scope.collection is not None or path not in VALIDITY_PATHS:
                raise _refuse(cond, f"{where}.op", "no validity flag is kept for this field")
            flag = parties.c[valid_name(path)]
            return sa.and_(flag.is_not(None), flag == (op == Op.VALID))
        value = self.resolve(cond, cond.value, where)
        if path in scope.text:
            return self.text(cond, value, where, table)
        if path in scope.dates:
            return self.typed(cond, value, where, table.c[column_name(path)], (dt.date,))
        if path in scope.bools:
            return self.typed(cond, value, where, table.c[column_name(path)], (bool,))
        if path in scope.numbers:
            return self.typed(cond, value, where, table.c[column_name(path)], (int, float))
        raise _refuse(cond, f"{where}.path", "the SQL store keeps no column for this field")

    def blank_column(self, cond: Cond, where: str, scope: _Scope) -> sa.ColumnElement[Any]:
        path, table = cond.path, scope.table
        if path in scope.text:
            return table.c[folded_name(path)]
        if path in scope.dates or path in scope.bools or path in scope.numbers:
            return table.c[column_name(path)]
        raise _refuse(cond, f"{where}.path", "the SQL store keeps no column for this field")

    def text(self, cond: Cond, value: Any, where: str, table: sa.Table) -> sa.ColumnElement[bool]:
        op = cond.op
        if cond.case_sensitive != cond.accent_sensitive:
            raise _refuse(cond, where, "only both sensitivity switches, or neither, run in SQL")
        exact = cond.case_sensitive
        column = table.c[column_name(cond.path) if exact else folded_name(cond.path)]
        guard = table.c[folded_name(cond.path)].is_not(None)

        def norm(v: Any) -> str:
            if not isinstance(v, str):
                raise _refuse(cond, f"{where}.value", "a text field compares with text only")
            return v if exact else fold(v)

        def positive(base: str, v: Any) -> sa.ColumnElement[bool]:
            const = norm(v)
            if base == Op.EQ:
                test = column == const
            elif base in _ORDER_OPS:
                test = getattr(column, _ORDER_OPS[base])(const)
            elif base == Op.CONTAINS:
                test = column.contains(const, autoescape=True)
            elif base == Op.STARTS_WITH:
                test = column.startswith(const, autoescape=True)
            else:
                test = column.endswith(const, autoescape=True)
            return sa.and_(guard, test)

        if op in (Op.EQ, Op.NE):
            found = positive(Op.EQ, value)
            return found if op == Op.EQ else sa.not_(found)
        if op in _ORDER_OPS:
            return positive(op, value)
        if op == Op.BETWEEN:
            low, high = value
            return sa.and_(positive(Op.GE, low), positive(Op.LE, high))
        if op in (Op.IN, Op.NOT_IN):
            if not value:
                return sa.false() if op == Op.IN else sa.true()
            consts = sorted({norm(v) for v in value})
            found = sa.and_(guard, column.in_(consts))
            return found if op == Op.IN else sa.not_(found)
        if op in _TEXT_OPS:
            base = Op.CONTAINS if op == Op.NOT_CONTAINS else op
            found = positive(base, value)
            return sa.not_(found) if op == Op.NOT_CONTAINS else found
        raise _refuse(cond, f"{where}.op", "this operator does not apply to text")

    def typed(
        self,
        cond: Cond,
        value: Any,
        where: str,
        column: sa.ColumnElement[Any],
        kinds: tuple[type, ...],
    ) -> sa.ColumnElement[bool]:
        op = cond.op
        is_bool = kinds == (bool,)

        def const(v: Any) -> Any:
            ok = isinstance(v, kinds) and (is_bool or not isinstance(v, bool))
            if isinstance(v, dt.datetime) or not ok:
                raise _refuse(
                    cond, f"{where}.value", f"a value of type {type(v).__name__} for this field"
                )
            return v

        guard = column.is_not(None)
        if op in (Op.EQ, Op.NE):
            found = sa.and_(guard, column == const(value))
            return found if op == Op.EQ else sa.not_(found)
        if op in (Op.IN, Op.NOT_IN):
            if not value:
                return sa.false() if op == Op.IN else sa.true()
            found = sa.and_(guard, column.in_([const(v) for v in value]))
            return found if op == Op.IN else sa.not_(found)
        if op in _ORDER_OPS:
            c = const(value)
            if is_bool:
                return sa.false()  # booleans are not ordered: never matches, as in Python
            return sa.and_(guard, getattr(column, _ORDER_OPS[op])(c))
        if op == Op.BETWEEN:
            low, high = (const(v) for v in value)
            if is_bool:
                return sa.false()
            return sa.and_(guard, column >= low, column <= high)
        raise _refuse(cond, f"{where}.op", "this operator does not apply to this field")

    def collection(self, cond: Cond, where: str) -> sa.ColumnElement[bool]:
        path, op = cond.path, cond.op
        if op in (Op.BLANK, Op.NOT_BLANK):
            size = parties.c[size_name(path)]
            return size == 0 if op == Op.BLANK else size > 0
        if path != "labels" or op not in (Op.HAS, Op.HAS_ANY, Op.HAS_ALL):
            raise _refuse(cond, f"{where}.op", "a collection takes blank, any or has")
        if cond.case_sensitive != cond.accent_sensitive:
            raise _refuse(cond, where, "only both sensitivity switches, or neither, run in SQL")
        exact = cond.case_sensitive
        column = party_labels.c["label" if exact else "label__f"]
        values = (cond.value,) if op == Op.HAS else tuple(cond.value)
        if not all(isinstance(v, str) for v in values):
            raise _refuse(cond, f"{where}.value", "labels are text")
        wanted = sorted({v if exact else fold(v) for v in values})
        if not wanted:
            return sa.false()

        def exists(test: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
            return parties.c.id.in_(sa.select(party_labels.c.party_id).where(test))

        if op == Op.HAS_ALL:
            return sa.and_(*(exists(column == v) for v in wanted))
        return exists(column.in_(wanted))

    def any(self, cond: Cond, where: str, scope: _Scope) -> sa.ColumnElement[bool]:
        if scope.collection is not None or cond.path != "tasks":
            raise _refuse(cond, f"{where}.path", "'any' runs in SQL over tasks only")
        inner = self.node(cond.value, f"{where}.where", _TASK)
        return parties.c.id.in_(sa.select(party_tasks.c.party_id).where(inner))


__all__ = ["compile_filter"]
