"""Filters in words, and why a record does not match one.

:func:`describe` renders a filter as a sentence in en, nl or fr. :func:`explain` lists,
for a record that fails a filter, *which part* failed, in words:
``tasks: no item where code is 'vat' and active is true``,
``national_number: '85073003329' has an invalid check digit.``

>>> from clientcore import Party
>>> from clientcore.query import F
>>> need = F("tasks").any(F("code").eq("vat") & F("active").eq(True)) & F("email").valid()
>>> for failure in explain(need, Party(kind="client_company", name="A")):
...     print(failure.text)
tasks: no item where code is 'vat' and active is true
email: missing
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import attrs

from clientcore._seen import StatusView, is_visible, viewer
from clientcore.model import IDENTIFIERS, Actor, Schema, default_schema, read_path
from clientcore.query._compile import reference_predicate
from clientcore.query._operators import COMPLEMENT, OPERATORS, Op, Shape
from clientcore.query._tree import And, Cond, Filter, Not, Or, Today
from clientcore.query._values import as_items, is_blank

_L = ("en", "nl", "fr")

_WORDS: Final[dict[str, tuple[str, str, str]]] = {
    "and": (" and ", " en ", " et "),
    "or": (" or ", " of ", " ou "),
    "not": ("not ({v})", "niet ({v})", "pas ({v})"),
    "all": ("always", "altijd", "toujours"),
    "nothing": ("never", "nooit", "jamais"),
    "today": ("today", "vandaag", "aujourd'hui"),
    "days": ("{n:+d} days", "{n:+d} dagen", "{n:+d} jours"),
    "empty": ("(empty)", "(leeg)", "(vide)"),
    "missing": ("{path}: missing", "{path}: ontbreekt", "{path} : manquant"),
    "no_item": (
        "{path}: no item where {v}",
        "{path}: geen item waarvoor {v}",
        "{path} : aucun élément où {v}",
    ),
    "found": (
        "{path}: expected {want}, found {got}",
        "{path}: verwacht {want}, gevonden {got}",
        "{path} : attendu {want}, trouvé {got}",
    ),
    "must_not": (
        "{v} (must not be so)",
        "{v} (mag niet zo zijn)",
        "{v} (ne doit pas être le cas)",
    ),
    "none_of": (
        "none of these holds: {v}",
        "geen van deze geldt: {v}",
        "aucune de ces conditions n'est remplie : {v}",
    ),
    "hidden": (
        "{path}: not visible to you",
        "{path}: niet zichtbaar voor u",
        "{path} : non visible pour vous",
    ),
}


def _w(key: str, lang: str) -> str:
    row = OPERATORS.get(key)
    if row is not None:
        return row.word(lang)
    return _WORDS[key][_L.index(lang) if lang in _L else 0]


def _value(value: Any, lang: str, today: dt.date | None) -> str:
    if isinstance(value, Today):
        if today is not None:
            return value.resolve(today).isoformat()
        word = _w("today", lang)
        return word if value.days == 0 else f"{word} {_w('days', lang).format(n=value.days)}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return repr(str.__str__(value))  # a status reads 'client', not its enum repr
    if isinstance(value, tuple):
        return "[" + ", ".join(_value(v, lang, today) for v in value) + "]"
    return str(value)


def describe(flt: Filter, lang: str = "en", today: dt.date | None = None) -> str:
    """``flt`` as words in ``lang`` (en, nl or fr)."""
    if isinstance(flt, And):
        if not flt.children:
            return _w("all", lang)
        return _w("and", lang).join(_group(c, lang, today) for c in flt.children)
    if isinstance(flt, Or):
        if not flt.children:
            return _w("nothing", lang)
        return _w("or", lang).join(_group(c, lang, today) for c in flt.children)
    if isinstance(flt, Not):
        child = flt.child
        if isinstance(child, Cond) and child.op in COMPLEMENT:
            return describe(attrs.evolve(child, op=COMPLEMENT[child.op]), lang, today)
        return _w("not", lang).format(v=describe(child, lang, today))
    assert isinstance(flt, Cond)
    template = _w(flt.op, lang)
    shape = OPERATORS[flt.op].shape
    if shape is Shape.FILTER:
        return template.format(path=flt.path, v=describe(flt.value, lang, today))
    if shape is Shape.PAIR:
        low, high = flt.value
        return template.format(
            path=flt.path, a=_value(low, lang, today), b=_value(high, lang, today)
        )
    return template.format(path=flt.path, v=_value(flt.value, lang, today))


def _group(flt: Filter, lang: str, today: dt.date | None) -> str:
    text = describe(flt, lang, today)
    if isinstance(flt, (And, Or)) and len(flt.children) > 1:
        return f"({text})"
    return text


@attrs.frozen
class Failure:
    """One part of a filter that a record does not satisfy, in words."""

    path: str
    code: str
    text: str


def explain(
    flt: Filter,
    record: Any,
    today: dt.date | None = None,
    lang: str = "en",
    *,
    actor: Actor | str | None = None,
    machine: StatusView | None = None,
    schema: Schema | None = None,
) -> list[Failure]:
    """Why ``record`` does not match ``flt``; empty when it does.

    With ``actor`` and ``machine`` (a :class:`~clientcore.status.StatusMachine`) the
    filter is explained as it runs for that actor (:meth:`StatusMachine.restrict`), and
    when the actor may not see the record's status, no value of a field that betrays it
    (``schema``'s :meth:`~clientcore.model.Schema.status_paths`, the default catalogue
    unless given) is read: every condition on one of them fails alike and reads
    "``path``: not visible to you", whatever the record holds, so the explanation says
    nothing about the hidden status.
    """
    seen_by = viewer(actor, machine)
    guarded: frozenset[str] = frozenset()
    if seen_by is not None:
        who, view = seen_by
        flt = view.restrict(who, flt)
        if not is_visible(record, who, view):
            guarded = (schema or default_schema()).status_paths
    if _holds(flt, record, today, guarded):
        return []
    return _failures(flt, record, today, lang, "", guarded)


def _betrays(flt: Filter, guarded: frozenset[str]) -> bool:
    """Whether ``flt`` is a condition (or a negated one) on a guarded path."""
    leaf = flt.child if isinstance(flt, Not) else flt
    return isinstance(leaf, Cond) and any(
        leaf.path == g or leaf.path.startswith(g + ".") for g in guarded
    )


def _holds(flt: Filter, record: Any, today: dt.date | None, guarded: frozenset[str]) -> bool:
    """Whether ``record`` matches ``flt`` when no condition on a guarded path may be read
    (each such condition fails, negated or not; the restricted filter already requires
    a visible status beside each of them, so this changes no answer)."""
    if not guarded:
        return reference_predicate(flt, today)(record)
    if _betrays(flt, guarded):
        return False
    if isinstance(flt, And):
        return all(_holds(c, record, today, guarded) for c in flt.children)
    if isinstance(flt, Or):
        return any(_holds(c, record, today, guarded) for c in flt.children)
    if isinstance(flt, Not):
        return not _holds(flt.child, record, today, guarded)
    return reference_predicate(flt, today)(record)


def _failures(
    flt: Filter,
    record: Any,
    today: dt.date | None,
    lang: str,
    prefix: str,
    guarded: frozenset[str] = frozenset(),
) -> list[Failure]:
    if _betrays(flt, guarded):
        leaf = flt.child if isinstance(flt, Not) else flt
        assert isinstance(leaf, Cond)
        return [Failure(leaf.path, "hidden", _w("hidden", lang).format(path=leaf.path))]
    if isinstance(flt, And):
        out: list[Failure] = []
        for child in flt.children:
            if not _holds(child, record, today, guarded):
                out.extend(_failures(child, record, today, lang, prefix, guarded))
        return out
    if isinstance(flt, Or):
        parts = "; ".join(describe(c, lang, today) for c in flt.children)
        return [Failure(prefix, "none_of", _w("none_of", lang).format(v=parts))]
    if isinstance(flt, Not):
        child = flt.child
        if isinstance(child, Cond) and child.op == Op.INVALID:
            # "not invalid" fails only on a filled-in invalid value: say why it is invalid
            return [_leaf_failure(attrs.evolve(child, op=Op.VALID), record, today, lang)]
        if isinstance(child, Cond) and child.op in COMPLEMENT:
            flipped = attrs.evolve(child, op=COMPLEMENT[child.op])
            return _failures(flipped, record, today, lang, prefix, guarded)
        text = _w("must_not", lang).format(v=describe(child, lang, today))
        path = child.path if isinstance(child, Cond) else prefix
        return [Failure(path, "must_not", text)]
    assert isinstance(flt, Cond)
    return [_leaf_failure(flt, record, today, lang)]


def _leaf_failure(cond: Cond, record: Any, today: dt.date | None, lang: str) -> Failure:
    path = cond.path
    value = read_path(record, path)
    if cond.op == Op.ANY:
        text = _w("no_item", lang).format(path=path, v=describe(cond.value, lang, today))
        return Failure(path, "no_item", text)
    if is_blank(value) and cond.op != Op.BLANK:
        return Failure(path, "missing", _w("missing", lang).format(path=path))
    if cond.op == Op.VALID:
        ident = IDENTIFIERS.get(path)
        country = read_path(record, "address.country")
        issue = (
            ident.explain(value, country if isinstance(country, str) else None)
            if ident is not None
            else None
        )
        if issue is not None:
            sep = " : " if lang == "fr" else ": "
            return Failure(path, issue.code, f"{path}{sep}{issue.message(lang)}")
    got = _shown(value, lang)
    want = describe(cond, lang, today)
    return Failure(path, cond.op, _w("found", lang).format(path=path, want=want, got=got))


def _shown(value: Any, lang: str) -> str:
    if is_blank(value):
        return _w("empty", lang)
    if isinstance(value, (tuple, list, set, frozenset)):
        items = as_items(value)
        if all(isinstance(v, str) for v in items):
            return "[" + ", ".join(repr(v) for v in sorted(items)) + "]"
        return f"{len(items)} items"
    return _value(value, lang, None)
