"""Bounds on untrusted input, checked before any decoder does per-element work.

Every decoder of data from outside (policies, layouts, rule sets, plans, saved filters,
parties, rows) first calls :func:`check_input`: it walks the JSON-like value once, looks
at the length of a list or object *before* looking inside it, and refuses with a
:class:`~clientcore.ValidationError` (code ``input.*``, JSON path) a list or object
longer than ``max_items``, more than ``max_nodes`` values in all, nesting deeper than
``max_depth``, a text longer than ``max_text``, an integer beyond 64 bits (so no decoder
ever prints a 4,300-digit number) and a text holding a lone surrogate.

>>> check_input({"roles": {"clerk": {"transitions": ["qualify"]}}})
>>> try:
...     check_input({"ids": list(range(20_000))})
... except ValidationError as exc:
...     print(exc.issues[0].code, exc.issues[0].path)
input.too_many_items $.ids
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs

from clientcore._errors import Issue, ValidationError
from clientcore._messages import define

define(
    {
        "input.too_many_items": (
            "Too many entries at {path}: {count} (at most {limit}).",
            "Te veel elementen op {path}: {count} (hoogstens {limit}).",
            "Trop d'éléments à {path} : {count} (au plus {limit}).",
        ),
        "input.too_many_nodes": (
            "The input holds more than {limit} values (at {path}).",
            "De invoer bevat meer dan {limit} waarden (op {path}).",
            "L'entrée contient plus de {limit} valeurs (à {path}).",
        ),
        "input.too_deep": (
            "The input is nested deeper than {limit} levels (at {path}).",
            "De invoer is dieper genest dan {limit} niveaus (op {path}).",
            "L'entrée est imbriquée sur plus de {limit} niveaux (à {path}).",
        ),
        "input.text_too_long": (
            "The text at {path} is {count} characters long (at most {limit}).",
            "De tekst op {path} is {count} tekens lang (hoogstens {limit}).",
            "Le texte à {path} fait {count} caractères (au plus {limit}).",
        ),
        "input.number_too_large": (
            "The number at {path} is too large (at most {limit} bits).",
            "Het getal op {path} is te groot (hoogstens {limit} bits).",
            "Le nombre à {path} est trop grand (au plus {limit} bits).",
        ),
        "input.lone_surrogate": (
            "The text at {path} holds a lone surrogate, which is no character.",
            "De tekst op {path} bevat een los surrogaat, wat geen teken is.",
            "Le texte à {path} contient un substitut isolé, qui n'est pas un caractère.",
        ),
    }
)


@attrs.frozen
class Limits:
    """How much untrusted input a decoder reads: checked before any other work.

    ``max_items``: entries in one list or object; ``max_nodes``: values in all;
    ``max_depth``: nesting; ``max_text``: characters in one text (keys included);
    ``max_int_bits``: the size of an integer (64 bits: a signed 64-bit integer).
    """

    max_items: int = 10_000
    max_nodes: int = 100_000
    max_depth: int = 100
    max_text: int = 100_000
    max_int_bits: int = 64


DEFAULT_LIMITS: Final = Limits()
"""The limits of policies, layouts, rule sets, saved filters and parties."""

PLAN_LIMITS: Final = Limits(max_items=100_000, max_nodes=250_000)
"""The limits of a bulk plan: up to 100,000 explicit party ids."""


# A path is kept as a chain (parent chain, step) and written out only for a fault, so
# the walk over 100,000 ids builds no 100,000 strings.
_Path = tuple[Any, str | int] | None


def _render(root: str, chain: _Path) -> str:
    steps: list[str | int] = []
    while chain is not None:
        chain, step = chain
        steps.append(step)
    out = root
    for step in reversed(steps):
        out += f"[{step}]" if isinstance(step, int) else f".{step[:40]}"
    return out


def _fault(code: str, root: str, chain: _Path, **params: Any) -> ValidationError:
    return ValidationError([Issue(code, _render(root, chain), params)])


def _text_fault(text: str, limits: Limits) -> tuple[str, dict[str, Any]] | None:
    if len(text) > limits.max_text:
        return "input.text_too_long", {"count": len(text), "limit": limits.max_text}
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return "input.lone_surrogate", {}
    return None


def check_input(data: Any, limits: Limits = DEFAULT_LIMITS, path: str = "$") -> None:
    """Refuse ``data`` (parsed JSON: dicts, lists, texts, numbers) beyond ``limits``.

    Raises :class:`~clientcore.ValidationError` at the first fault, naming its path.
    Values of other types are left to the decoder (which refuses them by type).
    """
    nodes = 1
    hi = (1 << (limits.max_int_bits - 1)) - 1
    lo = -hi - 1
    stack: list[tuple[Any, _Path, int]] = [(data, None, 0)]
    while stack:
        value, chain, depth = stack.pop()
        if isinstance(value, str):
            found = _text_fault(value, limits)
            if found is not None:
                raise _fault(found[0], path, chain, **found[1])
        elif isinstance(value, int):
            if not lo <= value <= hi:
                raise _fault("input.number_too_large", path, chain, limit=limits.max_int_bits)
        elif isinstance(value, (Mapping, list, tuple)):
            count = len(value)
            if count > limits.max_items:
                raise _fault(
                    "input.too_many_items", path, chain, count=count, limit=limits.max_items
                )
            if depth >= limits.max_depth:
                raise _fault("input.too_deep", path, chain, limit=limits.max_depth)
            nodes += count
            if nodes > limits.max_nodes:
                raise _fault("input.too_many_nodes", path, chain, limit=limits.max_nodes)
            inner = depth + 1
            if isinstance(value, Mapping):
                most = limits.max_text
                for key, item in value.items():
                    if isinstance(key, str):
                        found = _text_fault(key, limits)
                        if found is not None:
                            raise _fault(found[0], path, chain, **found[1])
                        # a text value (every cell of a row) is judged here, with no stack entry
                        if item.__class__ is str and len(item) <= most and item.isascii():
                            continue
                        stack.append((item, (chain, key), inner))
                    else:
                        stack.append((key, (chain, "<key>"), inner))
                        stack.append((item, (chain, "<value>"), inner))
            else:
                stack.extend([(item, (chain, i), inner) for i, item in enumerate(value)])
