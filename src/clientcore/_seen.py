"""What an actor may see: the one visibility step of every route that shows parties.

Search hits, selections with their totals, completeness reports, explanations and
written rows all take an optional ``actor`` and ``machine`` (a
:class:`clientcore.status.StatusMachine`) and hand them here: the parties whose status
the actor may not see are left out (:meth:`StatusMachine.visible`, the machine's one
rule, as bulk selections do) and filters run restricted (:meth:`StatusMachine.restrict`).
The packages below ``status`` (``query``, ``io``) reach the machine only through
:class:`StatusView`, so no arrow points up.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from clientcore._errors import Issue, ValidationError
from clientcore._messages import define

if TYPE_CHECKING:
    from clientcore.model import Actor, ClientStatus, Party
    from clientcore.query import Filter

define(
    {
        "visibility.needs_both": (
            "Hiding what an actor may not see needs both actor= and machine=.",
            "Verbergen wat een actor niet mag zien vraagt zowel actor= als machine=.",
            "Masquer ce qu'un acteur ne peut pas voir demande actor= et machine=.",
        ),
    }
)

R = TypeVar("R")


class StatusView(Protocol):
    """What a route needs of a status machine: who sees which party, and a filter as it
    may run for an actor (:class:`clientcore.status.StatusMachine` is one)."""

    def visible(self, actor: Actor | str, parties: Iterable[Party]) -> list[Party]:
        """The parties whose status ``actor`` may see, in order."""
        ...

    def restrict(self, actor: Actor | str, flt: Filter) -> Filter:
        """``flt`` as it may run for ``actor``: hidden statuses never match."""
        ...

    def visible_statuses(self, actor: Actor | str) -> frozenset[ClientStatus]:
        """The statuses ``actor`` may see on any party (for a store's own query)."""
        ...


def viewer(
    actor: Actor | str | None, machine: StatusView | None, code: str = "visibility.needs_both"
) -> tuple[Actor | str, StatusView] | None:
    """``(actor, machine)`` when both are given, ``None`` when neither; one alone is a
    :class:`~clientcore.ValidationError` with ``code`` (hiding needs both)."""
    if actor is None and machine is None:
        return None
    if actor is None or machine is None:
        raise ValidationError([Issue(code, "machine" if machine is None else "actor")])
    return actor, machine


def visible_only(
    records: Iterable[R],
    actor: Actor | str | None,
    machine: StatusView | None,
    code: str = "visibility.needs_both",
) -> Iterable[R]:
    """``records`` as ``actor`` may see them: those whose status is hidden left out.

    Without an actor and a machine, ``records`` unchanged.
    """
    seen = viewer(actor, machine, code)
    if seen is None:
        return records
    who, view = seen
    kept: list[Any] = view.visible(who, records)  # type: ignore[arg-type]
    return kept


def is_visible(record: Any, actor: Actor | str, machine: StatusView) -> bool:
    """Whether ``actor`` may see the status of this one ``record``."""
    return bool(machine.visible(actor, [record]))
