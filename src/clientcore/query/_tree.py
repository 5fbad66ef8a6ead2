"""The filter tree: conditions on field paths combined with and, or, not and any.

A :class:`Filter` is immutable. Build it with :func:`F`, combine with ``&``, ``|``
and ``~``, serialise with :meth:`Filter.to_json`, read untrusted JSON with
:meth:`Filter.from_json`, and compare meaning with :meth:`Filter.fingerprint`.

>>> flt = F("legal_form").in_(["NV", "BV"]) & ~F("labels").has("vip")
>>> flt.to_json()["where"]["and"][0]
{'path': 'legal_form', 'op': 'in', 'value': ['NV', 'BV']}
>>> Filter.from_json(flt.to_json()) == flt
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Final, Literal, overload

import attrs

from clientcore._errors import FilterError, Issue, ValidationError
from clientcore._limits import Limits, check_input
from clientcore._messages import define
from clientcore._seen import StatusView, viewer
from clientcore.query._faults import fault
from clientcore.query._operators import (
    LISTS,
    NO_VALUE,
    ORDERING,
    TEXTS,
    Op,
    Shape,
)
from clientcore.query._operators import OPERATORS as _OPERATOR_TABLE

if TYPE_CHECKING:
    from clientcore.model import Actor, Schema
    from clientcore.query._check import OpenMode
    from clientcore.query._compile import Selection

VERSION: Final = 1
MAX_DEPTH: Final = 32
MAX_NODES: Final = 1000
# What is checked before decoding: huge numbers, lone surrogates, enormous lists; the
# decoder counts nodes and text length itself, with its own fault codes.
_FILTER_LIMITS: Final = Limits(max_items=10_000, max_text=10_000_000)
MAX_STRING: Final = 10_000
ITEM: Final = "."
"""The path of the current item itself inside ``any`` over a list of values (the labels
of a party, a list in a host's record): ``F("labels").any(F(ITEM).contains("vip"))``."""

define(
    {
        "filter.unknown_path": (
            "Unknown field '{field}'{hint}.",
            "Onbekend veld '{field}'{hint}.",
            "Champ inconnu '{field}'{hint}.",
        ),
        "filter.op_mismatch": (
            "Operator '{op}' does not fit field '{field}' of type {type}.",
            "Operator '{op}' past niet bij veld '{field}' van type {type}.",
            "L'opérateur '{op}' ne convient pas au champ '{field}' de type {type}.",
        ),
        "filter.value_mismatch": (
            "Value {value} does not fit field '{field}' of type {type}.",
            "Waarde {value} past niet bij veld '{field}' van type {type}.",
            "La valeur {value} ne convient pas au champ '{field}' de type {type}.",
        ),
    }
)

# What each operator takes and means lives in the operator table (``_operators``).
OPERATORS: Final = _OPERATOR_TABLE
TEXT_OPS: Final = TEXTS
LIST_OPS: Final = LISTS
NO_VALUE_OPS: Final = NO_VALUE


@attrs.frozen
class Today:
    """A date relative to the day a filter is evaluated: ``Today(days=-30)``.

    Stored as ``{"today": -30}``; resolved against an injected ``today``, never
    against the wall clock.
    """

    days: int = attrs.field(default=0, validator=lambda _s, _a, v: _check_days(v))

    def resolve(self, today: dt.date) -> dt.date:
        """The date this stands for when evaluated on ``today``."""
        return today + dt.timedelta(days=self.days)


Scalar = str | int | float | bool | dt.date | Today
MAX_DAYS: Final = 36_600  # a relative date reaches at most 100 years either way


def _check_days(days: Any) -> None:
    if type(days) is not int or abs(days) > MAX_DAYS:
        raise fault("filter.expected_days", "$.today", value=days, limit=MAX_DAYS)


def _missing(value: Any) -> bool:
    """``NaN`` (pandas' missing value, which is no number to compare) or ``None``."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def _op_name(op: Any) -> Any:
    """An :class:`Op` stored as its plain name, so ``Cond.op`` is always a ``str``."""
    return str(op) if isinstance(op, Op) else op


def _freeze(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(value, key=_sort_key))
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _sort_key(value: Any) -> str:
    return json.dumps(_value_json(value), sort_keys=True, ensure_ascii=False)


def _children(value: Iterable[Filter]) -> tuple[Filter, ...]:
    if isinstance(value, (str, bytes, Filter)) or not isinstance(value, Iterable):
        raise fault("filter.expected_list", "$", key="children", op="and/or", value=value)
    return tuple(value)


def _typed(value: Any) -> Any:
    """What ``Cond.value`` is compared and hashed by: the value with its type, so
    ``True``, ``1`` and ``1.0`` are three filters (Python's ``True == 1 == 1.0`` would
    make them one, and the compile cache would hand one's predicate to the other)."""
    if isinstance(value, tuple):
        return tuple(_typed(v) for v in value)
    if isinstance(value, Filter):
        return value
    return (value.__class__, value)


class Filter:
    """An immutable filter tree. Combine with ``&``, ``|`` and ``~``."""

    __slots__ = ()
    kind: ClassVar[str]

    def __and__(self, other: Filter) -> Filter:
        if not isinstance(other, Filter):
            return NotImplemented
        left: tuple[Filter, ...] = (
            self.children if isinstance(self, And) and self.children else (self,)
        )
        right: tuple[Filter, ...] = (
            other.children if isinstance(other, And) and other.children else (other,)
        )
        return And(left + right)

    def __or__(self, other: Filter) -> Filter:
        if not isinstance(other, Filter):
            return NotImplemented
        left: tuple[Filter, ...] = (
            self.children if isinstance(self, Or) and self.children else (self,)
        )
        right: tuple[Filter, ...] = (
            other.children if isinstance(other, Or) and other.children else (other,)
        )
        return Or(left + right)

    def __invert__(self) -> Filter:
        return Not(self)

    @staticmethod
    def all() -> Filter:
        """The filter that matches every record ("show all")."""
        return And(())

    @staticmethod
    def nothing() -> Filter:
        """The filter that matches no record."""
        return Or(())

    # --- JSON ---

    def to_json(self) -> dict[str, Any]:
        """``{"clientcore_filter": 1, "where": ...}``: versioned, safe to store."""
        return {"clientcore_filter": VERSION, "where": self.node_json()}

    def node_json(self) -> Any:
        """The JSON of this node alone (the ``where`` part)."""
        raise NotImplementedError

    @staticmethod
    def from_json(obj: Any, schema: Schema | OpenMode | None = None) -> Filter:
        """Decode untrusted JSON strictly; any fault raises :class:`FilterError` with a path.

        Paths, operators and values are also checked against ``schema`` (the default
        catalogue unless given; :data:`~clientcore.query.OPEN` checks none).
        """
        from clientcore.query._check import ensure
        from clientcore.query._decode import decode

        try:
            check_input(obj, _FILTER_LIMITS)
        except ValidationError as exc:
            issue = exc.issues[0]
            raise FilterError(issue.message(), issue.path, exc.issues) from None
        flt = decode(obj)
        ensure(flt, schema)
        return flt

    def to_json_text(self) -> str:
        """The canonical JSON text of this filter (stable key order, no spaces)."""
        return json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    # --- meaning ---

    def canonical(self) -> Filter:
        """Flatten and/or, drop double negation and duplicates, sort children and lists."""
        from clientcore.query._canonical import canonical

        return canonical(self)

    def fingerprint(self) -> str:
        """A stable hex digest of the canonical JSON: equal for filters that mean the same
        by construction (permuted and/or, duplicates, double negation)."""
        text = self.canonical().to_json_text()
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def paths(self) -> frozenset[str]:
        """Every field path this filter reads (collection items as ``tasks.code``)."""
        out: set[str] = set()
        _collect_paths(self, "", out)
        return frozenset(out)

    def uses_today(self) -> bool:
        """Whether the filter holds a relative date that needs ``today``."""
        return any(isinstance(v, Today) for v in _values(self))

    def validate(self, schema: Schema) -> None:
        """Check paths, operators and values against ``schema``; list every fault."""
        from clientcore.query._check import check

        check(self, schema)

    # --- Python back end ---

    def compile(
        self, schema: Schema | OpenMode | None = None, today: dt.date | None = None
    ) -> Callable[[Any], bool]:
        """A predicate for parties and plain mappings (dotted paths walk both).

        With a ``schema``, the filter is first checked against it.
        """
        from clientcore.query._compile import compile_filter

        return compile_filter(self, schema, today)

    def matches(
        self, record: Any, today: dt.date | None = None, schema: Schema | OpenMode | None = None
    ) -> bool:
        """Whether ``record`` (a party or a mapping) matches."""
        return self.compile(schema, today)(record)

    @overload
    def select(
        self,
        records: Iterable[Any],
        today: dt.date | None = None,
        *,
        with_total: Literal[False] = False,
        schema: Schema | OpenMode | None = None,
        actor: Actor | str | None = None,
        machine: StatusView | None = None,
    ) -> list[Any]: ...

    @overload
    def select(
        self,
        records: Iterable[Any],
        today: dt.date | None = None,
        *,
        with_total: Literal[True],
        schema: Schema | OpenMode | None = None,
        actor: Actor | str | None = None,
        machine: StatusView | None = None,
    ) -> Selection: ...

    def select(
        self,
        records: Iterable[Any],
        today: dt.date | None = None,
        *,
        with_total: bool = False,
        schema: Schema | OpenMode | None = None,
        actor: Actor | str | None = None,
        machine: StatusView | None = None,
    ) -> list[Any] | Selection:
        """The records that match, in order: the fast path (the whole loop is compiled).

        With ``with_total=True``, a :class:`~clientcore.query.Selection` holding the
        matches and the ``matched / total`` counter ("37 / 1,204"), like :meth:`count`.
        With ``actor`` and ``machine`` (a :class:`~clientcore.status.StatusMachine`), the
        records whose status the actor may not see are left out of the matches *and* of
        the total, and the filter runs restricted (:meth:`StatusMachine.restrict`), as a
        bulk selection made for that actor does.
        """
        from clientcore.query._compile import Selection, compile_both

        flt: Filter = self
        seen_by = viewer(actor, machine)
        if seen_by is not None:
            who, view = seen_by
            flt = view.restrict(who, self)
            records = view.visible(who, records)
        run = compile_both(flt, schema, today).select
        if not with_total:
            return run(records)
        if not isinstance(records, (list, tuple)):
            records = list(records)
        items = run(records)
        return Selection(tuple(items), len(items), len(records))

    def mask(
        self, frame: Any, today: dt.date | None = None, schema: Schema | OpenMode | None = None
    ) -> Any:
        """A boolean ``pandas.Series`` over the rows of ``frame``, equal row by row to
        :meth:`matches` on the row read as a flat mapping (dotted column names are paths;
        a missing value, ``NaN`` or ``None``, is blank). Needs the ``pandas`` extra."""
        import pandas as pd

        predicate = self.compile(schema, today)
        columns = [str(c) for c in frame.columns]
        flags = [
            predicate({c: (None if _missing(v) else v) for c, v in zip(columns, row, strict=True)})
            for row in frame.itertuples(index=False, name=None)
        ]
        return pd.Series(flags, index=frame.index, dtype=bool)

    def count(
        self,
        records: Iterable[Any],
        today: dt.date | None = None,
        schema: Schema | OpenMode | None = None,
        *,
        actor: Actor | str | None = None,
        machine: StatusView | None = None,
    ) -> Selection:
        """The matching records with the ``matched / total`` counter ("37 / 1,204");
        with ``actor`` and ``machine``, only what that actor may see (see :meth:`select`)."""
        return self.select(
            records, today, with_total=True, schema=schema, actor=actor, machine=machine
        )

    def __repr__(self) -> str:
        return f"Filter({self.to_json_text()})"


@attrs.frozen(repr=False)
class Cond(Filter):
    """One condition: ``path`` ``op`` ``value``; for ``any``, ``value`` is a nested filter."""

    kind: ClassVar[str] = "cond"
    path: str = attrs.field(validator=lambda _s, _a, v: _check_path(v))
    op: str = attrs.field(converter=_op_name)
    value: Any = attrs.field(default=None, converter=_freeze, eq=_typed)
    case_sensitive: bool = attrs.field(default=False, validator=lambda s, a, v: _flag(s, a, v))
    accent_sensitive: bool = attrs.field(default=False, validator=lambda s, a, v: _flag(s, a, v))

    def __attrs_post_init__(self) -> None:
        _check_value(self)

    def node_json(self) -> Any:
        out: dict[str, Any] = {"path": self.path, "op": self.op}
        if self.op == Op.ANY:
            out["where"] = self.value.node_json()
        elif self.op not in NO_VALUE_OPS:
            out["value"] = _value_json(self.value)
        if self.case_sensitive:
            out["case_sensitive"] = True
        if self.accent_sensitive:
            out["accent_sensitive"] = True
        return out

    def __invert__(self) -> Filter:
        return Not(self)


@attrs.frozen(repr=False)
class And(Filter):
    """Every child matches (no children: everything matches)."""

    kind: ClassVar[str] = "and"
    children: tuple[Filter, ...] = attrs.field(
        converter=_children, validator=lambda s, a, v: _nodes(s, a, v)
    )

    def node_json(self) -> Any:
        return {"and": [c.node_json() for c in self.children]}


@attrs.frozen(repr=False)
class Or(Filter):
    """Some child matches (no children: nothing matches)."""

    kind: ClassVar[str] = "or"
    children: tuple[Filter, ...] = attrs.field(
        converter=_children, validator=lambda s, a, v: _nodes(s, a, v)
    )

    def node_json(self) -> Any:
        return {"or": [c.node_json() for c in self.children]}


@attrs.frozen(repr=False)
class Not(Filter):
    """The exact complement of the child."""

    kind: ClassVar[str] = "not"
    child: Filter = attrs.field(validator=lambda _s, _a, v: _node(v, "$.not"))

    def node_json(self) -> Any:
        return {"not": self.child.node_json()}


def _node(value: Any, where: str) -> None:
    if not isinstance(value, Filter):
        raise fault("filter.expected_node", where, value=value)


def _nodes(_self: Any, _attr: Any, children: tuple[Any, ...]) -> None:
    for i, child in enumerate(children):
        _node(child, f"$[{i}]")


def _check_path(path: Any) -> None:
    if not isinstance(path, str) or not path.strip():
        raise fault("filter.bad_path", "$.path", value=path)
    if len(path) > MAX_STRING:
        raise _too_long(path, "$.path")
    check_characters(path, "$.path")


_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def check_characters(text: str, where: str) -> str:
    """``text`` when every code point is a character; a lone surrogate (what
    ``json.loads('"\\ud800"')`` returns) cannot be encoded, stored or fingerprinted."""
    found = _SURROGATE.search(text)
    if found is not None:
        code = f"{ord(found.group()):04x}"
        raise fault("filter.lone_surrogate", where, expected=code)
    return text


def _flag(self: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, bool):
        raise fault("filter.expected_bool", f"$.{attribute.name}", key=attribute.name, value=value)


def _too_long(text: str, where: str) -> Exception:
    return fault("filter.text_too_long", where, value=text, length=len(text), limit=MAX_STRING)


def check_scalar(value: Any, where: str, op: str = "?", field: str = "?") -> Any:
    """``value`` when it can stand in a filter (text, number, bool, date, Today), else
    a :class:`~clientcore.FilterError` naming it."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        if abs(value) > 2**63:
            raise fault(
                "filter.number_out_of_range", where, value=value, limit="2^63", op=op, field=field
            )
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise fault("filter.number_not_finite", where, value=value, op=op, field=field)
        return value
    if isinstance(value, str):
        if len(value) > MAX_STRING:
            raise _too_long(value, where)
        return check_characters(value, where)
    if isinstance(value, (dt.date, Today)) and not isinstance(value, dt.datetime):
        return value
    raise fault("filter.expected_scalar", where, value=value, op=op, field=field)


def _check_value(cond: Cond) -> None:
    """The value's shape fits the operator (what :meth:`Filter.from_json` would accept)."""
    op, value, field = cond.op, cond.value, cond.path
    row = OPERATORS.get(op) if isinstance(op, str) else None
    if row is None:
        raise fault("filter.unknown_operator", "$.op", op=str(op)[:40], field=field)
    switched = cond.case_sensitive or cond.accent_sensitive
    if switched and not row.switches:
        key = "case_sensitive" if cond.case_sensitive else "accent_sensitive"
        raise fault("filter.no_switch", "$", op=op, field=field, key=key)
    shape = row.shape
    if shape is Shape.FILTER:
        _node(value, "$.where")
    elif shape in (Shape.NONE, Shape.CHECK):
        if value is not None:
            raise fault("filter.no_value", "$.value", op=op, field=field, key="value", value=value)
    elif shape is Shape.LIST:
        if not isinstance(value, tuple):
            raise fault(
                "filter.expected_list", "$.value", key="value", op=op, field=field, value=value
            )
        for i, item in enumerate(value):
            check_scalar(item, f"$.value[{i}]", op, field)
    elif shape is Shape.PAIR:
        if not isinstance(value, tuple) or len(value) != 2:
            raise fault("filter.expected_pair", "$.value", field=field, value=value)
        check_scalar(value[0], "$.value[0]", op, field)
        check_scalar(value[1], "$.value[1]", op, field)
    elif shape is Shape.TEXT:
        if not isinstance(value, str):
            raise fault(
                "filter.expected_text", "$.value", key="value", op=op, field=field, value=value
            )
        check_scalar(value, "$.value", op, field)
    else:
        check_scalar(value, "$.value", op, field)
    if op in ORDERING:
        for bound in value if shape is Shape.PAIR else (value,):
            if isinstance(bound, bool):
                raise fault("filter.ordering_bool", "$.value", op=op, field=field, value=bound)


def _value_json(value: Any) -> Any:
    if isinstance(value, Today):
        return {"today": value.days}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, tuple):
        return [_value_json(v) for v in value]
    return value


def _values(flt: Filter) -> Iterable[Any]:
    if isinstance(flt, Cond):
        if flt.op == Op.ANY:
            yield from _values(flt.value)
        elif isinstance(flt.value, tuple):
            yield from flt.value
        else:
            yield flt.value
    elif isinstance(flt, (And, Or)):
        for child in flt.children:
            yield from _values(child)
    elif isinstance(flt, Not):
        yield from _values(flt.child)


def _collect_paths(flt: Filter, prefix: str, out: set[str]) -> None:
    if isinstance(flt, Cond):
        out.add(prefix[:-1] if flt.path == ITEM and prefix else prefix + flt.path)
        if flt.op == Op.ANY:
            _collect_paths(flt.value, prefix + flt.path + ".", out)
    elif isinstance(flt, (And, Or)):
        for child in flt.children:
            _collect_paths(child, prefix, out)
    elif isinstance(flt, Not):
        _collect_paths(flt.child, prefix, out)


def _check_scalar(value: Any, where: str) -> Any:
    return check_scalar(_freeze(value), where)


class F:
    """Start a condition on a field path: ``F("address.city").eq("Gent")``.

    Python's comparison operators build the same conditions:
    ``F("client_since") < Today(days=-365)`` is ``F("client_since").lt(Today(-365))``.
    """

    __slots__ = ("path",)

    def __init__(self, path: str) -> None:
        _check_path(path)
        self.path = path

    def __repr__(self) -> str:
        return f"F({self.path!r})"

    def _cond(self, op: str, value: Any = None, **flags: bool) -> Cond:
        return Cond(self.path, op, value, **flags)

    def _scalar(self, op: str, value: Any, flags: Mapping[str, bool]) -> Cond:
        return self._cond(op, _check_scalar(value, "$.value"), **flags)

    def eq(
        self, value: Any, *, case_sensitive: bool = False, accent_sensitive: bool = False
    ) -> Cond:
        """Equal (text: case- and accent-insensitive unless asked otherwise)."""
        return self._scalar(
            Op.EQ, value, {"case_sensitive": case_sensitive, "accent_sensitive": accent_sensitive}
        )

    def ne(
        self, value: Any, *, case_sensitive: bool = False, accent_sensitive: bool = False
    ) -> Cond:
        """Not equal; matches blanks."""
        return self._scalar(
            Op.NE, value, {"case_sensitive": case_sensitive, "accent_sensitive": accent_sensitive}
        )

    def lt(self, value: Any) -> Cond:
        """Less than."""
        return self._scalar(Op.LT, value, {})

    def le(self, value: Any) -> Cond:
        """Less than or equal."""
        return self._scalar(Op.LE, value, {})

    def gt(self, value: Any) -> Cond:
        """Greater than."""
        return self._scalar(Op.GT, value, {})

    def ge(self, value: Any) -> Cond:
        """Greater than or equal."""
        return self._scalar(Op.GE, value, {})

    def between(self, low: Any, high: Any) -> Cond:
        """From ``low`` to ``high``, both included."""
        return self._cond(
            Op.BETWEEN, (_check_scalar(low, "$.value[0]"), _check_scalar(high, "$.value[1]"))
        )

    def in_(
        self, values: Iterable[Any], *, case_sensitive: bool = False, accent_sensitive: bool = False
    ) -> Cond:
        """One of ``values``."""
        return self._list(Op.IN, values, case_sensitive, accent_sensitive)

    is_in = in_

    def not_in(
        self, values: Iterable[Any], *, case_sensitive: bool = False, accent_sensitive: bool = False
    ) -> Cond:
        """None of ``values``; matches blanks."""
        return self._list(Op.NOT_IN, values, case_sensitive, accent_sensitive)

    def _list(self, op: str, values: Iterable[Any], case: bool, accent: bool) -> Cond:
        if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
            raise fault(
                "filter.expected_list", "$.value", key="value", op=op, field=self.path, value=values
            )
        items = _freeze(values if isinstance(values, (set, frozenset)) else list(values))
        checked = tuple(_check_scalar(v, f"$.value[{i}]") for i, v in enumerate(items))
        return self._cond(op, checked, case_sensitive=case, accent_sensitive=accent)

    def _text(self, op: str, value: Any, case: bool, accent: bool) -> Cond:
        if not isinstance(value, str):
            raise fault(
                "filter.expected_text", "$.value", key="value", op=op, field=self.path, value=value
            )
        return self._cond(op, value, case_sensitive=case, accent_sensitive=accent)

    def contains(
        self, text: str, *, case_sensitive: bool = False, accent_sensitive: bool = False
    ) -> Cond:
        """Contains ``text``."""
        return self._text(Op.CONTAINS, text, case_sensitive, accent_sensitive)

    def not_contains(
        self, text: str, *, case_sensitive: bool = False, accent_sensitive: bool = False
    ) -> Cond:
        """Does not contain ``text``; matches blanks."""
        return self._text(Op.NOT_CONTAINS, text, case_sensitive, accent_sensitive)

    def starts_with(
        self, text: str, *, case_sensitive: bool = False, accent_sensitive: bool = False
    ) -> Cond:
        """Starts with ``text``."""
        return self._text(Op.STARTS_WITH, text, case_sensitive, accent_sensitive)

    def ends_with(
        self, text: str, *, case_sensitive: bool = False, accent_sensitive: bool = False
    ) -> Cond:
        """Ends with ``text``."""
        return self._text(Op.ENDS_WITH, text, case_sensitive, accent_sensitive)

    def blank(self) -> Cond:
        """Missing, ``None``, empty or whitespace-only text, or an empty collection."""
        return self._cond(Op.BLANK)

    def not_blank(self) -> Cond:
        """Not blank."""
        return self._cond(Op.NOT_BLANK)

    def has(
        self, value: Any, *, case_sensitive: bool = False, accent_sensitive: bool = False
    ) -> Cond:
        """The set (labels, ...) holds ``value``."""
        return self._cond(
            Op.HAS,
            _check_scalar(value, "$.value"),
            case_sensitive=case_sensitive,
            accent_sensitive=accent_sensitive,
        )

    def has_any(
        self, values: Iterable[Any], *, case_sensitive: bool = False, accent_sensitive: bool = False
    ) -> Cond:
        """The set holds at least one of ``values``."""
        return self._list(Op.HAS_ANY, values, case_sensitive, accent_sensitive)

    def has_all(
        self, values: Iterable[Any], *, case_sensitive: bool = False, accent_sensitive: bool = False
    ) -> Cond:
        """The set holds every one of ``values``."""
        return self._list(Op.HAS_ALL, values, case_sensitive, accent_sensitive)

    def any(self, where: Filter) -> Cond:
        """Some item of the collection matches ``where`` (paths relative to the item)."""
        if not isinstance(where, Filter):
            raise fault("filter.expected_node", "$.where", op=Op.ANY, field=self.path, value=where)
        return self._cond(Op.ANY, where)

    def valid(self) -> Cond:
        """Not blank and a valid identifier for this field."""
        return self._cond(Op.VALID)

    def invalid(self) -> Cond:
        """Not blank and not a valid identifier for this field."""
        return self._cond(Op.INVALID)

    def __eq__(self, value: object) -> Cond:  # type: ignore[override]
        return self.eq(value)

    def __ne__(self, value: object) -> Cond:  # type: ignore[override]
        return self.ne(value)

    def __lt__(self, value: Any) -> Cond:
        return self.lt(value)

    def __le__(self, value: Any) -> Cond:
        return self.le(value)

    def __gt__(self, value: Any) -> Cond:
        return self.gt(value)

    def __ge__(self, value: Any) -> Cond:
        return self.ge(value)

    __hash__ = None  # type: ignore[assignment]


def walk(flt: Filter) -> Iterable[Filter]:
    """Every node of the tree, parents before children (nested ``any`` filters too)."""
    stack: list[Filter] = [flt]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (And, Or)):
            stack.extend(reversed(node.children))
        elif isinstance(node, Not):
            stack.append(node.child)
        elif isinstance(node, Cond) and node.op == Op.ANY:
            stack.append(node.value)


def issue(code: str, path: str, **params: Any) -> Issue:
    """An issue about a filter node at JSON ``path``."""
    return Issue(code, path, params)


def conditions(flt: Filter) -> Sequence[Cond]:
    """The conditions of the tree, in order."""
    return [n for n in walk(flt) if isinstance(n, Cond)]
