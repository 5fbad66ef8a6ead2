"""The order of ``find(..., order_by=...)``, shared by every adapter.

Only scalar fields every store keeps as a column can be ordered by; blanks come last
in both directions; text orders by its folded form; ties are broken by id.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Sequence
from typing import Any

from clientcore._errors import Issue, ValidationError
from clientcore._messages import define
from clientcore.model import Party, fold

define(
    {
        "store.order_by.unknown": (
            "Cannot order by '{field}'; use one of: {expected}.",
            "Kan niet sorteren op '{field}'; gebruik een van: {expected}.",
            "Impossible de trier par '{field}' ; utilisez l'un de : {expected}.",
        ),
        "store.page.negative": (
            "'{field}' must be a whole number of zero or more, not {value}.",
            "'{field}' moet een geheel getal van nul of meer zijn, niet {value}.",
            "'{field}' doit être un nombre entier positif ou nul, pas {value}.",
        ),
    }
)

#: The fields ``order_by`` accepts, each with how a party's value is read.
ORDERABLE: dict[str, Callable[[Party], Any]] = {
    "id": lambda p: p.id,
    "name": lambda p: p.name,
    "number": lambda p: p.number,
    "kind": lambda p: p.kind.value,
    "status": lambda p: p.status.value,
    "legal_form": lambda p: p.legal_form,
    "portfolio": lambda p: p.portfolio,
    "language": lambda p: p.language,
    "client_since": lambda p: p.client_since,
    "client_until": lambda p: p.client_until,
    "address.city": lambda p: p.address.city if p.address is not None else None,
    "address.postal_code": lambda p: p.address.postal_code if p.address is not None else None,
}

#: Text fields, ordered by their folded form.
FOLDED_ORDER = frozenset({"name", "number", "legal_form", "portfolio", "language", "address.city"})


def order_keys(order_by: Sequence[str] | None) -> builtins.list[tuple[str, bool]]:
    """``(field, descending)`` pairs; an unknown field raises ``ValidationError``."""
    if order_by is None:
        return []
    if isinstance(order_by, str):
        order_by = [order_by]
    keys: list[tuple[str, bool]] = []
    issues: list[Issue] = []
    for i, item in enumerate(order_by):
        text = item if isinstance(item, str) else repr(item)
        descending = text.startswith("-")
        path = text[1:] if descending else text
        if path not in ORDERABLE:
            issues.append(
                Issue(
                    "store.order_by.unknown",
                    f"order_by[{i}]",
                    {"field": text, "expected": ", ".join(sorted(ORDERABLE))},
                )
            )
            continue
        keys.append((path, descending))
    if issues:
        raise ValidationError(issues)
    return keys


def check_page(limit: int | None, offset: int | None) -> None:
    """Refuse a negative or non-integer ``limit`` / ``offset``."""
    issues = [
        Issue("store.page.negative", name, {"field": name, "value": repr(value)})
        for name, value in (("limit", limit), ("offset", offset))
        if value is not None and not _whole(value)
    ]
    if issues:
        raise ValidationError(issues)


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def sort_parties(
    parties: builtins.list[Party], keys: Sequence[tuple[str, bool]]
) -> builtins.list[Party]:
    """``parties`` in the order of ``keys``, then by id; blanks last in each key."""
    out = sorted(parties, key=lambda p: p.id)
    for path, descending in reversed(keys):
        read = ORDERABLE[path]
        folded = path in FOLDED_ORDER

        def value(p: Party, read: Callable[[Party], Any] = read, folded: bool = folded) -> Any:
            v = read(p)
            return fold(v) if folded else v

        filled = [p for p in out if not _blank(read(p))]
        blank = [p for p in out if _blank(read(p))]
        out = sorted(filled, key=value, reverse=descending) + blank
    return out
