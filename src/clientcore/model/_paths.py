"""Reading a dotted field path, the one way: from a party, a nested mapping or a flat row.

Every package that reads a field by its path (the codec, validation, the field
catalogue, filters, bulk plans) calls :func:`read_path` or :func:`path_reader`. A step
reads an attribute of an object or a key of a mapping; a mapping may also hold the
whole dotted path as one key, as a flat row read from a CSV file does.

>>> read_path({"address": {"city": "Gent"}}, "address.city")
'Gent'
>>> read_path({"address.city": "Gent"}, "address.city")
'Gent'
>>> read_path({"address": None}, "address.city") is None
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any


def read_path(record: Any, path: str) -> Any:
    """The value at the dotted ``path`` of ``record``; ``None`` when any step is absent."""
    if isinstance(record, Mapping):
        if path in record:
            return record[path]
        if "." not in path:
            return None
    value = record
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else getattr(value, part, None)
        if value is None:
            return None
    return value


@lru_cache(maxsize=4096)
def path_reader(path: str) -> Callable[[Any], Any]:
    """A function reading ``path`` (made once per path, for loops over many records).

    It reads what :func:`read_path` reads; an attribute path on an object takes a
    shorter route.
    """
    parts = tuple(path.split("."))
    if len(parts) == 1:
        name = parts[0]

        def read_one(record: Any) -> Any:
            if isinstance(record, Mapping):
                return record.get(name)
            return getattr(record, name, None)

        return read_one

    def read(record: Any) -> Any:
        if isinstance(record, Mapping):
            return read_path(record, path)
        value = record
        for part in parts:
            value = value.get(part) if isinstance(value, Mapping) else getattr(value, part, None)
            if value is None:
                return None
        return value

    return read


def attribute_reader(path: str) -> Callable[[Any], Any]:
    """A function reading ``path`` from an object that is not a mapping (a party, an
    address): what :func:`read_path` reads there, without asking at every step whether
    the value is a mapping. For loops over many parties.

    >>> from clientcore.model import Address, Party
    >>> read = attribute_reader("address.city")
    >>> read(Party(kind="client_person", name="An", address=Address(city="Gent")))
    'Gent'
    >>> read(Party(kind="client_person", name="An")) is None
    True
    """
    parts = tuple(path.split("."))
    if len(parts) == 1:
        name = parts[0]
        return lambda record: getattr(record, name, None)
    if len(parts) == 2:
        head, tail = parts

        def read_two(record: Any) -> Any:
            value = getattr(record, head, None)
            return None if value is None else getattr(value, tail, None)

        return read_two

    def read(record: Any) -> Any:
        value = record
        for part in parts:
            value = getattr(value, part, None)
            if value is None:
                return None
        return value

    return read
