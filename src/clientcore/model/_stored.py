"""Parties read back from a store's own records: ``party_to_json`` output, built fast.

A store keeps each party as the JSON :func:`~clientcore.model.party_to_json` wrote from
a valid :class:`~clientcore.model.Party`: every value in it is already in the form the
model's converters return (stripped text, compact identifiers, canonical codes), only
in JSON's types (a date as ISO text, a set or a tuple as a list, a record as an
object). Reading it back therefore needs no converter: each record is built with
:func:`~clientcore.model.normalised_constructor` from the values turned back into
their types, and the rules across fields are checked as ``Party(...)`` checks them.
A record that does not fit (another key, another type, a rule broken) is read by
:func:`~clientcore.model.party_from_json` instead, which names the fault.
"""

from __future__ import annotations

import datetime as dt
import enum
import sys
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs

from clientcore.model._codec import party_from_json
from clientcore.model._convert import (
    country_opt,
    language_opt,
    legal_form_opt,
    normalised_constructor,
    opt_word,
    shared,
    upper_opt,
    word_or_empty,
)
from clientcore.model._party import Party

__all__ = ["party_from_stored_json"]


class _NotNormalised(Exception):
    """The record is not in the stored form: read it the ordinary way."""


# Converters that intern the text they return (a city, a code): the text read back is
# interned too, so a registry read from a store shares it as one built in memory does.
_INTERNING: Final = frozenset(
    {opt_word, word_or_empty, upper_opt, country_opt, language_opt, legal_form_opt}
)
_Decode = Callable[[Any], Any]


def _text(value: Any) -> Any:  # inlined by _record
    if value is not None and value.__class__ is not str:
        raise _NotNormalised
    return value


def _word(value: Any) -> Any:
    if value is None:
        return None
    if value.__class__ is not str:
        raise _NotNormalised
    return sys.intern(value)


def _flag(value: Any) -> Any:  # inlined by _record
    if value is not None and value.__class__ is not bool:
        raise _NotNormalised
    return value


def _number(value: Any) -> Any:
    if value.__class__ is not int:
        raise _NotNormalised
    return value


def _date(value: Any) -> Any:
    if value is None:
        return None
    if value.__class__ is not str:
        raise _NotNormalised
    return shared(dt.date.fromisoformat(value))


def _datetime(value: Any) -> Any:
    if value is None:
        return None
    if value.__class__ is not str:
        raise _NotNormalised
    return dt.datetime.fromisoformat(value)


def _enum(cls: type[enum.Enum]) -> _Decode:
    members = {m.value: m for m in cls}

    def decode(value: Any) -> Any:
        found = members.get(value) if value.__class__ is str else None
        if found is None:
            raise _NotNormalised
        return found

    return decode


def _optional(decode: _Decode) -> _Decode:
    def optional(value: Any) -> Any:
        return None if value is None else decode(value)

    return optional


def _items(decode: _Decode, share: bool) -> _Decode:
    def items(value: Any) -> Any:
        if value.__class__ is not list:
            raise _NotNormalised
        if not value:
            return ()
        if share:
            return shared(tuple([shared(decode(v)) for v in value]))
        return tuple([decode(v) for v in value])

    return items


def _converter(field: attrs.Attribute[Any]) -> Any:
    """The field's own converter, without the wrapper that files its faults for
    ``__attrs_post_init__`` (here a fault raises at once: the ordinary reading follows)."""
    convert = field.converter
    return getattr(convert, "__wrapped__", convert)


def _converted(field: attrs.Attribute[Any]) -> _Decode:
    """Any other field (custom fields, external keys, labels) goes through its own
    converter, as ``Party(...)`` would."""
    convert = _converter(field)
    if convert is None:
        return lambda value: value
    return convert  # type: ignore[no-any-return]


def _field_decoder(field: attrs.Attribute[Any], hint: Any) -> _Decode:
    args = typing.get_args(hint)
    optional = typing.get_origin(hint) in (typing.Union, types.UnionType) and type(None) in args
    inner = next((a for a in args if a is not type(None)), hint) if optional else hint
    if inner is str:
        return _word if _converter(field) in _INTERNING else _text
    if inner is bool:
        return _flag
    if inner is int:
        return _number
    if inner is dt.datetime:
        return _datetime
    if inner is dt.date:
        return _date
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        return _enum(inner)
    if attrs.has(inner):
        decode = _record(inner)
        if not optional:
            return lambda value: shared(decode(value))
        return _optional(decode)
    if typing.get_origin(hint) is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = args[0]
        if attrs.has(item):
            owns_ids = any(f.name == "id" for f in attrs.fields(item))
            return _items(_record(item), share=not owns_ids)
    return _converted(field)


_RECORDS: dict[type[Any], _Decode] = {}


def _bad() -> Any:
    raise _NotNormalised


def _record(cls: type[Any]) -> _Decode:
    """The decoder of the stored form of the record class ``cls``: one straight-line
    function (as attrs writes ``__init__``), text and flags checked inline."""
    found = _RECORDS.get(cls)
    if found is not None:
        return found
    hints = typing.get_type_hints(cls)
    fields = [f for f in attrs.fields(cls) if f.init]
    scope: dict[str, Any] = {
        "make": normalised_constructor(cls),
        "names": frozenset(f.name for f in fields),
        "bad": _bad,
        "str": str,
        "bool": bool,
    }
    args: list[str] = []
    for index, field in enumerate(fields):
        decode = _field_decoder(field, hints[field.name])
        got, x = f"v[{field.name!r}]", f"x{index}"
        if decode is _text or decode is _flag:
            kind = "str" if decode is _text else "bool"
            value = f"({x} if ({x} := {got}) is None or {x}.__class__ is {kind} else bad())"
        else:
            scope[f"d{index}"] = decode
            value = f"d{index}({got})"
        args.append(f"{field.alias or field.name}={value}")
    lines = [
        "def decode(v):",
        "    if v.__class__ is not dict or v.keys() != names:",
        "        bad()",
        f"    return make({', '.join(args)})",
    ]
    exec("\n".join(lines), scope)  # built from the class's own field names only
    made: _Decode = scope["decode"]
    _RECORDS[cls] = made
    return made


def party_from_stored_json(data: Any) -> Party:
    """A party from the JSON a store wrote with :func:`party_to_json` (its own record).

    Equal to ``party_from_json(data, trusted=True)`` and many times faster: the values
    are taken as stored, the rules across fields checked. Data not in that form
    (another type, an unknown key, a value a converter would still change the type of,
    a rule broken) is read by :func:`party_from_json`, which raises the
    :class:`~clientcore.ValidationError` naming the fault. Only for records written
    from valid parties: text is taken as it is, not stripped or normalised again.

    >>> from clientcore.model import party_to_json
    >>> p = Party(id="p1", kind="client_company", name="Peeters BV", labels={"vip"},
    ...           client_since="2024-05-01")
    >>> party_from_stored_json(party_to_json(p)) == p
    True
    """
    if isinstance(data, Mapping) and data.__class__ is not dict:
        data = dict(data)
    try:
        party: Party = _PARTY(data)
    except Exception:
        return party_from_json(data, trusted=True)
    return party


_PARTY: Final = _record(Party)
