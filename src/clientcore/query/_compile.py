"""The Python back end: a filter compiled into one predicate function.

For parties the tree becomes straight-line Python source (attribute reads, folded text
comparisons, set look-ups) compiled once, close to the speed of a hand-written lambda.
Filter values never enter the source: they are bound as named constants, and paths
become attribute reads only when they name known attributes. Any other record (a
mapping, a CSV row), and any party whose values have unexpected types, goes through
the reference semantics of :mod:`clientcore.query._semantics`, so both always agree.

>>> from clientcore import Party
>>> from clientcore.query import F
>>> pred = (F("name").starts_with("bak") & F("labels").has("VIP")).compile()
>>> pred(Party(kind="client_company", name="Bakkerij Peeters", labels={"vip"}))
True
>>> pred({"name": "Bäker", "labels": "vip;audit"})
True
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import attrs

import clientcore.model as _model
from clientcore._errors import FilterError
from clientcore.model import (
    COLLECTIONS,
    IDENTIFIERS,
    Field,
    FieldType,
    Party,
    Schema,
    default_schema,
)
from clientcore.query._check import OpenMode, ensure, is_custom_path
from clientcore.query._faults import fault
from clientcore.query._operators import CHECKS, NEGATIVE_OF, OPERATORS, Op, Shape
from clientcore.query._semantics import (
    _fold_slow,
    fold,
    folder,
    get_path,
    interpret,
    resolve,
)
from clientcore.query._tree import And, Cond, Filter, Not, Or, Today
from clientcore.query._visit import nodes_at

Predicate = Callable[[Any], bool]
# The operators with a direct comparison: those that fit numbers and dates alike.
_COMPARABLE = frozenset({FieldType.NUMBER, FieldType.DATE})


@attrs.frozen
class Selection:
    """What a filter selected, with the counter the grid shows: ``matched / total``."""

    items: tuple[Any, ...]
    matched: int
    total: int

    def __str__(self) -> str:
        return f"{self.matched:,} / {self.total:,}"

    def __len__(self) -> int:
        return self.matched


def validity(path: str, value: Any, record: Any) -> bool:
    """Whether ``value`` is a valid identifier of the field at ``path``."""
    ident = IDENTIFIERS.get(path)
    if ident is None:
        raise _no_identifier(path, Op.VALID, "$")
    country = get_path(record, "address.country")
    return ident.is_valid(value, country if isinstance(country, str) else None)


def _no_identifier(path: str, op: str, where: str) -> FilterError:
    return fault(
        "filter.no_identifier", where, op=op, field=path, expected=", ".join(sorted(IDENTIFIERS))
    )


def refuse_unanswerable(flt: Filter, today: dt.date | None) -> None:
    """Refuse, before any record is read, what no record could answer: ``valid`` or
    ``invalid`` on a field without an identifier type, a relative date without ``today``."""
    for node, where, prefix in nodes_at(flt):
        if not isinstance(node, Cond):
            continue
        if node.op in CHECKS and prefix + node.path not in IDENTIFIERS:
            raise _no_identifier(prefix + node.path, node.op, f"{where}.op")
        if today is None:
            values = node.value if isinstance(node.value, tuple) else (node.value,)
            for value in values:
                if isinstance(value, Today):
                    raise fault(
                        "filter.needs_today", f"{where}.value", value=value, field=node.path
                    )


def _known_attrs(cls: type[Any]) -> frozenset[str]:
    return frozenset(f.name for f in attrs.fields(cls))


_PARTY_ATTRS = _known_attrs(Party)
_NESTED_ATTRS: dict[str, frozenset[str]] = {}
for _name, _cls in (
    ("address", "Address"),
    ("correspondence_address", "Address"),
    ("eid", "EidCard"),
    ("aml", "AmlProfile"),
    ("billing", "Billing"),
    ("portal", "Portal"),
    ("staff", "StaffRoles"),
    ("acceptance", "Acceptance"),
):
    _NESTED_ATTRS[_name] = _known_attrs(getattr(_model, _cls))
_ITEM_ATTRS: dict[str, frozenset[str]] = {
    name: _known_attrs(cls) for name, cls in COLLECTIONS.items()
}


# A memo of a compiled condition (one per distinct value) is emptied past this size,
# so a long-running process reading ever new values keeps bounded memory.
_MEMO_LIMIT = 20_000
_UNSEEN = object()


class _Gen:
    def __init__(self, schema: Schema, today: dt.date | None) -> None:
        self.schema = schema
        self.today = today
        self.ns: dict[str, Any] = {
            "_fold": _fold_slow,
            "_U": _UNSEEN,
            "_NUM": frozenset({int, float}),
            "_date": dt.date,
            "_E": {},
        }
        self.counter = itertools.count()

    def const(self, value: Any, prefix: str = "c") -> str:
        name = f"{prefix}{next(self.counter)}"
        self.ns[name] = value
        return name

    def var(self) -> str:
        return f"v{next(self.counter)}"

    # --- getters ---

    def getter(self, path: str, rec: str, item_of: str | None) -> tuple[str, Field | None] | None:
        """Source reading ``path`` from ``rec`` and the field, or None when unknown."""
        if item_of is None:
            field = self.schema.get(path)
            custom_shape = is_custom_path(path)
            if (field is not None and field.custom) or (field is None and custom_shape):
                _, category, key = path.split(".", 2)
                return (
                    f"{rec}.custom.get({self.const(category, 'k')}, _E)"
                    f".get({self.const(key, 'k')})",
                    field,
                )
            parts = path.split(".")
            if len(parts) == 1 and path in _PARTY_ATTRS:
                return f"{rec}.{path}", field
            if len(parts) == 2 and parts[1] in _NESTED_ATTRS.get(parts[0], frozenset()):
                head, tail = parts
                return f"({rec}.{head}.{tail} if {rec}.{head} is not None else None)", field
            return None
        item_schema = self.schema.item_fields(item_of) if item_of in self.schema else None
        field = item_schema.get(path) if item_schema is not None else None
        if path in _ITEM_ATTRS.get(item_of, frozenset()):
            return f"{rec}.{path}", field
        return None

    # --- nodes ---

    def expr(self, flt: Filter, rec: str, item_of: str | None) -> str:
        if isinstance(flt, And):
            if not flt.children:
                return "True"
            return "(" + " and ".join(self.expr(c, rec, item_of) for c in flt.children) + ")"
        if isinstance(flt, Or):
            if not flt.children:
                return "False"
            return "(" + " or ".join(self.expr(c, rec, item_of) for c in flt.children) + ")"
        if isinstance(flt, Not):
            return f"(not {self.expr(flt.child, rec, item_of)})"
        assert isinstance(flt, Cond)
        fast = self.leaf(flt, rec, item_of)
        if fast is not None:
            return fast
        return self.slow_leaf(flt, rec, item_of)

    def slow_leaf(self, cond: Cond, rec: str, item_of: str | None) -> str:
        prefix = f"{item_of}." if item_of else ""
        check = _validity_at(prefix)
        name = self.const(interpret(cond, self.today, check), "s")
        return f"{name}({rec})"

    def leaf(self, cond: Cond, rec: str, item_of: str | None) -> str | None:
        found = self.getter(cond.path, rec, item_of)
        if found is None:
            return None
        get, field = found
        op = cond.op
        if field is None:
            return self.typed_compare(cond, rec, item_of, get)
        kind = field.type
        value: Any = resolve(cond.value, self.today) if op != Op.ANY else None
        plain = not cond.case_sensitive and not cond.accent_sensitive
        v = self.var()
        if op in NEGATIVE_OF:
            inner = self.leaf(attrs.evolve(cond, op=NEGATIVE_OF[Op(op)]), rec, item_of)
            return f"(not {inner})" if inner is not None else None
        if op in CHECKS and item_of is None and cond.path in IDENTIFIERS:
            check = self.const(IDENTIFIERS[cond.path].is_valid, "i")
            country = f"({rec}.address.country if {rec}.address is not None else None)"
            verdict = f"{check}({v}, {country})"
            if op == Op.INVALID:
                verdict = f"not {verdict}"
            return f"(({v} := {get}) is not None and {v}.strip() != '' and {verdict})"
        if op == Op.BLANK:
            if kind in (FieldType.TEXT, FieldType.CHOICE) and not field.custom:
                return f"((({v} := {get}) is None) or not {v}.strip())"
            if kind in (FieldType.LABELS, FieldType.COLLECTION) and not field.custom:
                return f"(not {get})"
            if kind in (FieldType.BOOL, FieldType.DATE) and not field.custom:
                return f"({get} is None)"
            return None
        if op == Op.ANY and kind is FieldType.COLLECTION and item_of is None:
            item = f"t{next(self.counter)}"
            body = self.expr(cond.value, item, cond.path)
            return f"any({body} for {item} in ({get} or ()))"
        if (
            cond.path in ("status", "kind")
            and item_of is None
            and plain
            and op in (Op.EQ, Op.IN)
            and all(isinstance(x, str) for x in (value if op == Op.IN else (value,)))
        ):
            # enum attributes of a party: their value is already folded text
            if op == Op.EQ:
                return f"({get} == {self.const(fold(value))})"
            return f"({get}._value_ in {self.const(frozenset(fold(x) for x in value))})"
        if kind in (FieldType.TEXT, FieldType.CHOICE) and op in (Op.EQ, Op.IN):
            # categorical values repeat: remember each value's answer instead of folding again
            return self.memo_leaf(cond, get)
        if kind in (FieldType.TEXT, FieldType.CHOICE) and not field.custom:
            return self.text_leaf(op, value, plain, cond, get, v)
        if kind is FieldType.BOOL and op == Op.EQ and isinstance(value, bool) and not field.custom:
            return f"({get} is {value!r})"
        if kind is FieldType.LABELS and op in (Op.HAS, Op.HAS_ANY, Op.HAS_ALL):
            items = (value,) if op == Op.HAS else value
            if (
                cond.path == "labels"
                and item_of is None
                and plain
                and all(isinstance(x, str) for x in items)
            ):
                # a party keeps its labels folded: one set operation answers
                folded = frozenset(fold(x) for x in items)
                if op == Op.HAS:
                    return f"({self.const(fold(value))} in {rec}.folded_labels)"
                if op == Op.HAS_ANY:
                    return f"(not {self.const(folded)}.isdisjoint({rec}.folded_labels))"
                if not folded:
                    return "False"
                return f"({self.const(folded)} <= {rec}.folded_labels)"
            return self.memo_leaf(cond, get)
        return self.typed_compare(cond, rec, item_of, get)

    def memo_leaf(self, cond: Cond, get: str) -> str:
        """A condition that depends on the value alone, answered once per distinct value."""
        leaf = interpret(attrs.evolve(cond, path="v"), self.today, validity)
        memo: dict[Any, bool] = {}

        def learn(value: Any) -> bool:
            answer = leaf({"v": value})
            # Texts and None only: True == 1 == 1.0 share one slot, their answers differ.
            if value is None or value.__class__ is str:
                if len(memo) > _MEMO_LIMIT:
                    memo.clear()
                memo[value] = answer
            return answer

        v, m = self.var(), self.var()
        recall, study = self.const(memo.get, "m"), self.const(learn, "l")
        return f"((({m} := {recall}({v} := {get}, _U)) is True) or ({m} is _U and {study}({v})))"

    def typed_compare(self, cond: Cond, rec: str, item_of: str | None, get: str) -> str | None:
        """Numbers and dates: a direct comparison when the value has the expected class,
        the reference semantics otherwise (text in a custom field, a missing value)."""
        op = cond.op
        row = OPERATORS[op]
        if (
            row.python is None
            or row.shape not in (Shape.SCALAR, Shape.PAIR)
            or row.fits != (row.fits | _COMPARABLE)
        ):
            return None
        value: Any = resolve(cond.value, self.today)
        consts: tuple[Any, ...] = value if op == Op.BETWEEN else (value,)
        v = self.var()
        if all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in consts):
            check = f"{v}.__class__ in _NUM"
        elif all(isinstance(c, dt.date) and not isinstance(c, dt.datetime) for c in consts):
            check = f"{v}.__class__ is _date"
        else:
            return None
        slow = self.slow_leaf(cond, rec, item_of)
        if row.shape is Shape.PAIR:
            low, high = self.const(consts[0]), self.const(consts[1])
            test = row.python.format(a=low, x=v, b=high)
        else:
            test = row.python.format(x=v, c=self.const(value))
        return f"(({test}) if ({v} := {get}) is not None and {check} else {slow})"

    def text_leaf(
        self, op: str, value: Any, plain: bool, cond: Cond, get: str, v: str
    ) -> str | None:
        if plain:
            folded = f"({v}.lower() if {v}.isascii() else _fold({v}))"
            norm: Callable[[str], str] = fold
        else:
            norm = folder(cond.case_sensitive, cond.accent_sensitive)
            folded = f"{self.const(norm, 'n')}({v})"
        if op == Op.EQ and isinstance(value, str):
            if not value.strip():
                return "False"
            return f"(({v} := {get}) is not None and {folded} == {self.const(norm(value))})"
        if op == Op.IN and all(isinstance(x, str) for x in value):
            kept = frozenset(norm(x) for x in value if x.strip())
            if not kept:
                return "False"
            return f"(({v} := {get}) is not None and {folded} in {self.const(kept)})"
        if op in (Op.CONTAINS, Op.STARTS_WITH, Op.ENDS_WITH) and isinstance(value, str):
            if not value.strip():
                return None
            python = OPERATORS[Op(op)].python
            assert python is not None
            test = python.format(c=self.const(norm(value)), x=folded)
            return f"(({v} := {get}) is not None and {test})"
        return None


def _validity_at(prefix: str) -> Callable[[str, Any, Any], bool]:
    if not prefix:
        return validity
    return lambda path, value, record: validity(prefix + path, value, record)


@attrs.frozen
class Compiled:
    """A compiled filter: the predicate, and a selector that runs the whole loop."""

    predicate: Callable[[Any], bool]
    select: Callable[[Any], list[Any]]


@lru_cache(maxsize=512)
def compile_both(flt: Filter, schema: Schema | OpenMode | None, today: dt.date | None) -> Compiled:
    """Compile ``flt``, checked first against the catalogue ``schema`` stands for (the
    default catalogue for ``None``, none in the open mode); once per (filter, schema,
    today), so a filter run on every party is checked once."""
    fields = ensure(flt, schema)
    refuse_unanswerable(flt, today)
    slow = interpret(flt, today, validity)
    gen = _Gen(fields or default_schema(), today)
    body = gen.expr(flt, "r", None)
    gen.ns.update({"_Party": Party, "_slow": slow, "_Exc": (TypeError, AttributeError, ValueError)})
    # Every name is a closure variable of a factory: as fast to read as a local, and
    # without the per-call cost that default arguments have. The selector runs the loop
    # itself, so a long selection pays no function call per record.
    names = ", ".join(gen.ns)
    source = (
        f"def factory({names}):\n"
        "    def predicate(r):\n"
        "        if r.__class__ is _Party:\n"
        "            try:\n"
        f"                return {body}\n"
        "            except _Exc:\n"
        "                return _slow(r)\n"
        "        return _slow(r)\n"
        "    def select(records):\n"
        "        out = []\n"
        "        keep = out.append\n"
        "        for r in records:\n"
        "            if r.__class__ is _Party:\n"
        "                try:\n"
        f"                    if {body}:\n"
        "                        keep(r)\n"
        "                    continue\n"
        "                except _Exc:\n"
        "                    pass\n"
        "            if _slow(r):\n"
        "                keep(r)\n"
        "        return out\n"
        "    return predicate, select\n"
    )
    code = compile(source, "<clientcore filter>", "exec")
    scope: dict[str, Any] = {}
    exec(code, scope)  # the source is built from our own templates; values are bound names
    predicate, select = scope["factory"](**gen.ns)
    predicate.__doc__ = select.__doc__ = flt.to_json_text()
    return Compiled(predicate, select)


def compile_filter(
    flt: Filter, schema: Schema | OpenMode | None, today: dt.date | None
) -> Predicate:
    """The predicate of ``flt`` (see :func:`compile_both`)."""
    return compile_both(flt, schema, today).predicate


def reference_predicate(flt: Filter, today: dt.date | None = None) -> Predicate:
    """The interpreted reference predicate (slower; what every back end must agree with)."""
    refuse_unanswerable(flt, today)
    return interpret(flt, today, validity)


def source_of(flt: Filter, today: dt.date | None = None) -> str:
    """The generated source of the party fast path (for curious readers and tests)."""
    gen = _Gen(default_schema(), today)
    return gen.expr(flt, "r", None)


__all__ = ["Selection", "compile_filter", "reference_predicate", "source_of", "validity"]
