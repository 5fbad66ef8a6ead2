"""The operator table: everything clientcore decides about a filter operator, in one place.

Each :class:`Operator` row holds the operator's name, the shape of its value, the field
types it fits, its exact complement, whether a blank value matches it, its reference
meaning (a plain function: every back end must agree with it), how the Python
generator writes it, its words in en/nl/fr, and its names in JSON, AG Grid and
JsonLogic. The tree, the decoder, the checker, the canonical form, the compiler, the
explainer and the AG Grid and JsonLogic translators all read this table; no other
module spells an operator's name.

The ``sql`` column is the slot of the SQL back end: the name of the SQLAlchemy
``ColumnOperators`` method that writes the operator on a (folded) column, or ``None``
where the back end composes it from the row's ``negative_of`` or from the shape
(``blank``, the set operators, ``any``).

>>> OPERATORS[Op.NE].complement is Op.EQ
True
>>> OPERATORS[Op.NE].negative_of is Op.EQ, OPERATORS[Op.NE].blank_matches
(True, True)
>>> OPERATORS[Op.LT].complement is None  # a blank is neither < 5 nor >= 5
True
>>> OPERATORS[Op.BETWEEN].aggrid, OPERATORS[Op.CONTAINS].jsonlogic
('inRange', 'in')
>>> OPERATORS[Op.HAS].reference(["VIP", "audit"], "vip", str.lower)
True
>>> OPERATORS[Op.HAS_ANY].single, OPERATORS[Op.BETWEEN].bounds
(<Op.HAS: 'has'>, (<Op.GE: 'ge'>, <Op.LE: 'le'>))
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any, Final

import attrs

from clientcore.model import FieldType
from clientcore.query._values import (
    Norm,
    as_items,
    equal,
    is_blank,
    ordered,
    set_of,
    text_of,
)


class Op(StrEnum):
    """The name of a filter operator (as written in filter JSON)."""

    EQ = "eq"
    NE = "ne"
    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"
    BETWEEN = "between"
    IN = "in"
    NOT_IN = "not_in"
    CONTAINS = "contains"
    NOT_CONTAINS = "not_contains"
    STARTS_WITH = "starts_with"
    ENDS_WITH = "ends_with"
    BLANK = "blank"
    NOT_BLANK = "not_blank"
    HAS = "has"
    HAS_ANY = "has_any"
    HAS_ALL = "has_all"
    ANY = "any"
    VALID = "valid"
    INVALID = "invalid"


class Shape(StrEnum):
    """The value an operator takes."""

    NONE = "none"  # no value
    SCALAR = "scalar"  # text, number, bool, date or Today
    TEXT = "text"  # text only
    LIST = "list"  # a list of scalars
    PAIR = "pair"  # two scalars: low and high, both included
    FILTER = "filter"  # a nested filter over the items of a collection
    CHECK = "check"  # no value; the operand is the field's identifier check


Reference = Callable[[Any, Any, Norm], bool]


@attrs.frozen
class Operator:
    """One row of the operator table."""

    op: Op
    shape: Shape
    fits: frozenset[FieldType]
    words: tuple[str, str, str]  # en, nl, fr; {path}, {v} (and {a}, {b} for a pair)
    reference: Reference  # (value read from the record, prepared operand, text norm)
    blank_matches: bool  # whether a blank value (missing, "", "  ", empty set) matches
    complement: Op | None = None  # matches exactly what this one does not
    negative_of: Op | None = None  # this is "not <that>": back ends compile the positive
    switches: bool = False  # takes case_sensitive / accent_sensitive
    python: str | None = None  # the fast-path expression; {x} the folded value, {c} operand
    aggrid: str | None = None  # AG Grid simple filter option
    aggrid_filters: frozenset[str] = frozenset()  # the AG Grid filter types that offer it
    jsonlogic: str | None = None  # JsonLogic operator with the field first
    jsonlogic_mirror: Op | None = None  # the operator with the literal first (5 < x: x > 5)
    jsonlogic_also: tuple[str, ...] = ()  # other JsonLogic names read as this operator
    sql: str | None = None  # SQLAlchemy ColumnOperators method (the SQL back end's slot)
    single: Op | None = None  # what a one-element list means: in([x]) is eq(x)
    bounds: tuple[Op, Op] | None = None  # a pair written as two bounds: between is ge & le

    @property
    def name(self) -> str:
        """The operator's name in filter JSON."""
        return str(self.op)

    def word(self, lang: str) -> str:
        """The template of the operator in ``lang`` (en, nl or fr; en otherwise)."""
        return self.words[_LANGS.index(lang) if lang in _LANGS else 0]


_LANGS: Final = ("en", "nl", "fr")

# --- reference meanings ---


def _eq(value: Any, const: Any, norm: Norm) -> bool:
    return equal(value, const, norm)


def _ne(value: Any, const: Any, norm: Norm) -> bool:
    return not equal(value, const, norm)


def _ordering(test: Callable[[Any, Any], bool]) -> Reference:
    def reference(value: Any, const: Any, norm: Norm) -> bool:
        return ordered(value, const, norm, test)

    return reference


def _between(value: Any, const: Any, norm: Norm) -> bool:
    low, high = const
    return ordered(value, low, norm, operator.ge) and ordered(value, high, norm, operator.le)


def _in(value: Any, const: Any, norm: Norm) -> bool:
    return any(equal(value, c, norm) for c in const)


def _not_in(value: Any, const: Any, norm: Norm) -> bool:
    return not _in(value, const, norm)


def _contains(value: Any, const: Any, norm: Norm) -> bool:
    text = text_of(value, norm)
    return text is not None and const in text


def _not_contains(value: Any, const: Any, norm: Norm) -> bool:
    return not _contains(value, const, norm)


def _starts_with(value: Any, const: Any, norm: Norm) -> bool:
    text = text_of(value, norm)
    return text is not None and text.startswith(const)


def _ends_with(value: Any, const: Any, norm: Norm) -> bool:
    text = text_of(value, norm)
    return text is not None and text.endswith(const)


def _blank(value: Any, const: Any, norm: Norm) -> bool:
    return is_blank(value)


def _not_blank(value: Any, const: Any, norm: Norm) -> bool:
    return not is_blank(value)


def _has(value: Any, const: Any, norm: Norm) -> bool:
    return const in set_of(value, norm)


def _has_any(value: Any, const: Any, norm: Norm) -> bool:
    held = set_of(value, norm)
    return any(c in held for c in const)


def _has_all(value: Any, const: Any, norm: Norm) -> bool:
    held = set_of(value, norm)
    return bool(const) and all(c in held for c in const)


def _any(value: Any, const: Any, norm: Norm) -> bool:
    # the operand is the nested filter's predicate, run on each item
    return any(const(item) for item in as_items(value))


def _valid(value: Any, const: Any, norm: Norm) -> bool:
    # the operand is the field's identifier check, bound to the record (its country)
    return not is_blank(value) and bool(const(value))


def _invalid(value: Any, const: Any, norm: Norm) -> bool:
    return not is_blank(value) and not const(value)


_T, _N, _D, _B = FieldType.TEXT, FieldType.NUMBER, FieldType.DATE, FieldType.BOOL
_C, _L, _COL = FieldType.CHOICE, FieldType.LABELS, FieldType.COLLECTION
_SCALARS: Final = frozenset({_T, _C, _N, _D, _B})
_ORDERED: Final = frozenset({_T, _N, _D})
_TEXTS: Final = frozenset({_T, _C})
_EVERY: Final = frozenset(FieldType)

_ROWS: Final = (
    Operator(
        Op.EQ,
        Shape.SCALAR,
        _SCALARS,
        ("{path} is {v}", "{path} is {v}", "{path} est {v}"),
        _eq,
        blank_matches=False,
        complement=Op.NE,
        switches=True,
        python="{x} == {c}",
        aggrid="equals",
        aggrid_filters=frozenset({"text", "number", "date"}),
        jsonlogic="==",
        jsonlogic_mirror=Op.EQ,
        jsonlogic_also=("===",),
        sql="__eq__",
    ),
    Operator(
        Op.NE,
        Shape.SCALAR,
        _SCALARS,
        ("{path} is not {v}", "{path} is niet {v}", "{path} n'est pas {v}"),
        _ne,
        blank_matches=True,
        complement=Op.EQ,
        negative_of=Op.EQ,
        switches=True,
        aggrid="notEqual",
        aggrid_filters=frozenset({"text", "number", "date"}),
        jsonlogic="!=",
        jsonlogic_mirror=Op.NE,
        jsonlogic_also=("!==",),
    ),
    Operator(
        Op.LT,
        Shape.SCALAR,
        _ORDERED,
        ("{path} < {v}", "{path} < {v}", "{path} < {v}"),
        _ordering(operator.lt),
        blank_matches=False,
        python="{x} < {c}",
        aggrid="lessThan",
        aggrid_filters=frozenset({"number", "date"}),
        jsonlogic="<",
        jsonlogic_mirror=Op.GT,
        sql="__lt__",
    ),
    Operator(
        Op.LE,
        Shape.SCALAR,
        _ORDERED,
        ("{path} ≤ {v}", "{path} ≤ {v}", "{path} ≤ {v}"),
        _ordering(operator.le),
        blank_matches=False,
        python="{x} <= {c}",
        aggrid="lessThanOrEqual",
        aggrid_filters=frozenset({"number", "date"}),
        jsonlogic="<=",
        jsonlogic_mirror=Op.GE,
        sql="__le__",
    ),
    Operator(
        Op.GT,
        Shape.SCALAR,
        _ORDERED,
        ("{path} > {v}", "{path} > {v}", "{path} > {v}"),
        _ordering(operator.gt),
        blank_matches=False,
        python="{x} > {c}",
        aggrid="greaterThan",
        aggrid_filters=frozenset({"number", "date"}),
        jsonlogic=">",
        jsonlogic_mirror=Op.LT,
        sql="__gt__",
    ),
    Operator(
        Op.GE,
        Shape.SCALAR,
        _ORDERED,
        ("{path} ≥ {v}", "{path} ≥ {v}", "{path} ≥ {v}"),
        _ordering(operator.ge),
        blank_matches=False,
        python="{x} >= {c}",
        aggrid="greaterThanOrEqual",
        aggrid_filters=frozenset({"number", "date"}),
        jsonlogic=">=",
        jsonlogic_mirror=Op.LE,
        sql="__ge__",
    ),
    Operator(
        Op.BETWEEN,
        Shape.PAIR,
        _ORDERED,
        ("{path} between {a} and {b}", "{path} tussen {a} en {b}", "{path} entre {a} et {b}"),
        _between,
        blank_matches=False,
        python="{a} <= {x} <= {b}",
        aggrid="inRange",
        aggrid_filters=frozenset({"number", "date"}),
        sql="between",
        bounds=(Op.GE, Op.LE),
    ),
    Operator(
        Op.IN,
        Shape.LIST,
        _SCALARS,
        ("{path} is one of {v}", "{path} is een van {v}", "{path} est l'un de {v}"),
        _in,
        blank_matches=False,
        complement=Op.NOT_IN,
        switches=True,
        python="{x} in {c}",
        jsonlogic="in",
        sql="in_",
        single=Op.EQ,
    ),
    Operator(
        Op.NOT_IN,
        Shape.LIST,
        _SCALARS,
        ("{path} is none of {v}", "{path} is geen van {v}", "{path} n'est aucun de {v}"),
        _not_in,
        blank_matches=True,
        complement=Op.IN,
        negative_of=Op.IN,
        switches=True,
        single=Op.NE,
    ),
    Operator(
        Op.CONTAINS,
        Shape.TEXT,
        _TEXTS,
        ("{path} contains {v}", "{path} bevat {v}", "{path} contient {v}"),
        _contains,
        blank_matches=False,
        complement=Op.NOT_CONTAINS,
        switches=True,
        python="{c} in {x}",
        aggrid="contains",
        aggrid_filters=frozenset({"text"}),
        jsonlogic="in",
        sql="contains",
    ),
    Operator(
        Op.NOT_CONTAINS,
        Shape.TEXT,
        _TEXTS,
        ("{path} does not contain {v}", "{path} bevat niet {v}", "{path} ne contient pas {v}"),
        _not_contains,
        blank_matches=True,
        complement=Op.CONTAINS,
        negative_of=Op.CONTAINS,
        switches=True,
        aggrid="notContains",
        aggrid_filters=frozenset({"text"}),
    ),
    Operator(
        Op.STARTS_WITH,
        Shape.TEXT,
        _TEXTS,
        ("{path} starts with {v}", "{path} begint met {v}", "{path} commence par {v}"),
        _starts_with,
        blank_matches=False,
        switches=True,
        python="{x}.startswith({c})",
        aggrid="startsWith",
        jsonlogic="startsWith",
        aggrid_filters=frozenset({"text"}),
        sql="startswith",
    ),
    Operator(
        Op.ENDS_WITH,
        Shape.TEXT,
        _TEXTS,
        ("{path} ends with {v}", "{path} eindigt op {v}", "{path} se termine par {v}"),
        _ends_with,
        blank_matches=False,
        switches=True,
        python="{x}.endswith({c})",
        aggrid="endsWith",
        jsonlogic="endsWith",
        aggrid_filters=frozenset({"text"}),
        sql="endswith",
    ),
    Operator(
        Op.BLANK,
        Shape.NONE,
        _EVERY,
        ("{path} is empty", "{path} is leeg", "{path} est vide"),
        _blank,
        blank_matches=True,
        complement=Op.NOT_BLANK,
        aggrid="blank",
        jsonlogic="== null",  # written {"==": [var, null]}, as query builders write it
    ),
    Operator(
        Op.NOT_BLANK,
        Shape.NONE,
        _EVERY,
        ("{path} is filled in", "{path} is ingevuld", "{path} est rempli"),
        _not_blank,
        blank_matches=False,
        complement=Op.BLANK,
        negative_of=Op.BLANK,
        aggrid="notBlank",
        jsonlogic="!= null",
    ),
    Operator(
        Op.HAS,
        Shape.SCALAR,
        frozenset({_L}),
        ("{path} has {v}", "{path} heeft {v}", "{path} a {v}"),
        _has,
        blank_matches=False,
        switches=True,
        python="{c} in {x}",
    ),
    Operator(
        Op.HAS_ANY,
        Shape.LIST,
        frozenset({_L}),
        ("{path} has one of {v}", "{path} heeft een van {v}", "{path} a l'un de {v}"),
        _has_any,
        blank_matches=False,
        switches=True,
        python="not {c}.isdisjoint({x})",
        single=Op.HAS,
    ),
    Operator(
        Op.HAS_ALL,
        Shape.LIST,
        frozenset({_L}),
        ("{path} has all of {v}", "{path} heeft alle {v}", "{path} a tous {v}"),
        _has_all,
        blank_matches=False,
        switches=True,
        python="{c} <= {x}",
        single=Op.HAS,
    ),
    Operator(
        Op.ANY,
        Shape.FILTER,
        frozenset({_COL, _L}),  # over labels, the item is the text itself (path ".")
        (
            "{path} has an item where {v}",
            "{path} heeft een item waarvoor {v}",
            "{path} a un élément où {v}",
        ),
        _any,
        blank_matches=False,
        jsonlogic="some",
    ),
    Operator(
        Op.VALID,
        Shape.CHECK,
        frozenset({_T}),
        ("{path} is valid", "{path} is geldig", "{path} est valide"),
        _valid,
        blank_matches=False,
    ),
    Operator(
        Op.INVALID,
        Shape.CHECK,
        frozenset({_T}),
        ("{path} is invalid", "{path} is ongeldig", "{path} est invalide"),
        _invalid,
        blank_matches=False,
    ),
)

OPERATORS: Final[Mapping[str, Operator]] = {row.op: row for row in _ROWS}
"""The operator table, by name."""


def operator_of(name: str) -> Operator | None:
    """The row of the operator called ``name``, or ``None``."""
    try:
        return OPERATORS[Op(name)]
    except ValueError:
        return None


def shaped(*shapes: Shape) -> frozenset[Op]:
    """The operators whose value has one of ``shapes``."""
    return frozenset(row.op for row in _ROWS if row.shape in shapes)


NAMES: Final = frozenset(str(op) for op in Op)
COMPLEMENT: Final[Mapping[str, str]] = {
    str(row.op): str(row.complement) for row in _ROWS if row.complement is not None
}
"""Each operator's exact complement: ``~Cond(op)`` is ``Cond(COMPLEMENT[op])``."""
NEGATIVE_OF: Final[Mapping[str, Op]] = {
    row.op: row.negative_of for row in _ROWS if row.negative_of is not None
}
ORDERING: Final = frozenset({Op.LT, Op.LE, Op.GT, Op.GE, Op.BETWEEN})
"""The operators that order values (no case or accent switch; never on a boolean)."""
CHECKS: Final = shaped(Shape.CHECK)
NO_VALUE: Final = shaped(Shape.NONE, Shape.CHECK)
LISTS: Final = shaped(Shape.LIST)
TEXTS: Final = shaped(Shape.TEXT)
SET_OPS: Final = frozenset(row.op for row in _ROWS if _L in row.fits and row.op not in NO_VALUE)
BY_AGGRID: Final[Mapping[str, Op]] = {row.aggrid: row.op for row in _ROWS if row.aggrid}
BY_JSONLOGIC_COMPARE: Final[Mapping[str, Op]] = {
    row.jsonlogic: row.op for row in _ROWS if row.jsonlogic and row.jsonlogic_mirror
}
JSONLOGIC_ALIASES: Final[Mapping[str, str]] = {
    alias: str(row.jsonlogic) for row in _ROWS for alias in row.jsonlogic_also
}
"""JsonLogic names read as another one (strict ``===`` as ``==``: clientcore has one
equality, with its own text rules)."""
BY_JSONLOGIC_TEXT: Final[Mapping[str, Op]] = {
    str(row.jsonlogic): row.op
    for row in _ROWS
    if row.jsonlogic
    and row.shape is Shape.TEXT
    and row.jsonlogic_mirror is None
    and row.complement is None
}
"""The text tests written ``{name: [{"var": field}, text]}`` (react-querybuilder's
``startsWith`` / ``endsWith``, which json-logic-js takes as added operations)."""


def aggrid_options(filter_type: str) -> Mapping[str, Op]:
    """The AG Grid options a ``filter_type`` (text, number, date) offers, by option name."""
    return {row.aggrid: row.op for row in _ROWS if row.aggrid and filter_type in row.aggrid_filters}


def markdown_table() -> str:
    """The operator table as the Markdown table ``docs/filters.md`` shows (a test keeps
    the page and this table equal)."""
    head = (
        "| op | value | fits | complement | blank matches | en | nl | fr | AG Grid | JsonLogic |\n"
        "|---|---|---|---|---|---|---|---|---|---|\n"
    )
    lines = []
    for row in _ROWS:
        words = [w.replace("{path} ", "").replace("|", "\\|") for w in row.words]
        jsonlogic = ", ".join(f"`{n}`" for n in (row.jsonlogic, *row.jsonlogic_also) if n)
        cells = [
            f"`{row.op}`",
            str(row.shape),
            ", ".join(sorted(str(t) for t in row.fits)),
            f"`{row.complement}`" if row.complement else "",
            "yes" if row.blank_matches else "no",
            *words,
            f"`{row.aggrid}`" if row.aggrid else "",
            jsonlogic,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return head + "\n".join(lines) + "\n"
