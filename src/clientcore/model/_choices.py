"""Enum values read strictly: a refusal lists the values allowed, in en, nl and fr.

>>> from clientcore.model import PartyKind
>>> try:
...     choice(PartyKind)("client")
... except ValidationError as exc:
...     print(exc.issues[0].message("nl"))
'client' is niet een van client_company, client_person, relation_company, relation_person.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

from clientcore._errors import Issue, ValidationError

E = TypeVar("E", bound=StrEnum)


def choice(cls: type[E], path: str = "") -> Callable[[object], E]:
    """A converter to ``cls`` that refuses anything else with ``value.invalid_choice``
    (listing every allowed value) instead of a bare ``ValueError``."""

    def convert(value: object) -> E:
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            try:
                return cls(value)
            except ValueError:
                pass
        shown = value if isinstance(value, str) else type(value).__name__
        choices = [member.value for member in cls]
        raise ValidationError(
            [Issue("value.invalid_choice", path, {"value": str(shown)[:40], "choices": choices})]
        )

    convert.__name__ = f"to_{cls.__name__}"
    return convert
