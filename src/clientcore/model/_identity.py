"""Who is who: one rule to read an actor argument and one to decide "the same person".

Every "same person" decision (four-eyes, the owner of a saved filter, reusing a bulk
preview) compares :func:`identity_key` values, never raw spellings: ``"Ann"``,
``" ann"``, ``"ann\\u200b"`` and a full-width ``"ａnn"`` are one person. Every API that
takes an actor takes an :class:`Actor` or a plain user id (:func:`as_actor`).

>>> identity_key("  ＡNN\\u200b "), same_person("ann", Actor("Ann"))
('ann', True)
>>> as_actor("ann")
Actor(id='ann', roles=frozenset())
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from clientcore._errors import Issue, ValidationError
from clientcore._messages import define
from clientcore.model._party import Actor

define(
    {
        "actor.invalid": (
            "An actor is an Actor or a non-empty user id, not {value}.",
            "Een actor is een Actor of een niet-lege gebruikers-id, niet {value}.",
            "Un acteur est un Actor ou un identifiant d'utilisateur non vide, pas {value}.",
        ),
    }
)

#: A host's own key for a user id (e.g. an employee number looked up in its directory).
IdentityKey = Callable[[str], str]


def _visible(ch: str) -> bool:
    # Format characters (Cf) are the zero-width and bidi controls: they never make
    # two spellings two people.
    return unicodedata.category(ch) != "Cf"


def identity_key(who: Actor | str) -> str:
    """The normalised identity of an actor or user id: what "the same person" compares.

    NFKC (full-width and compatibility forms folded), zero-width and bidi controls
    removed, case-folded, runs of white space made one space and trimmed.
    """
    text = who.id if isinstance(who, Actor) else who
    if not isinstance(text, str):
        raise _invalid(text)
    if text.isascii() and text.isprintable():
        return " ".join(text.split()).casefold()
    cleaned = "".join(ch for ch in unicodedata.normalize("NFKC", text) if _visible(ch))
    folded = unicodedata.normalize("NFKC", cleaned.casefold())
    return " ".join(folded.split())


def same_person(a: Actor | str, b: Actor | str, key: IdentityKey | None = None) -> bool:
    """Whether ``a`` and ``b`` are one person: equal :func:`identity_key`, or equal
    ``key(identity_key(...))`` when a policy supplies its own ``key``."""
    left, right = identity_key(a), identity_key(b)
    if key is not None:
        return key(left) == key(right)
    return left == right


def as_actor(who: Actor | str, path: str = "actor") -> Actor:
    """``who`` as an :class:`Actor`: an Actor as given, a user id as an actor without roles.

    Anything else (``None``, a blank id, a number) is refused with a
    :class:`~clientcore.ValidationError` at ``path``.
    """
    if isinstance(who, Actor):
        if isinstance(who.id, str) and identity_key(who.id):
            return who
        raise _invalid(who.id, path)
    if isinstance(who, str) and identity_key(who):
        return Actor(who)
    raise _invalid(who, path)


def _invalid(value: Any, path: str = "actor") -> ValidationError:
    shown = repr(value)[:40] if isinstance(value, str) else type(value).__name__
    return ValidationError([Issue("actor.invalid", path, {"value": shown})])
