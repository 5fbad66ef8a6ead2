"""Who may change which field in a bulk edit: the edit policy port and a role table.

>>> from clientcore.model import Actor, Party
>>> policy, party = RoleEditPolicy.default(), Party(kind="client_company", name="A")
>>> policy.can_edit(Actor("cas", {"assistant"}), party, "name").allowed
False
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final, Protocol, runtime_checkable

import attrs

import clientcore.bulk._codes  # noqa: F401  (the messages of the codes used here)
from clientcore.model import Actor, Party
from clientcore.status import Decision, Reason


@runtime_checkable
class EditPolicy(Protocol):
    """Whether an actor may change a field of a party (the host can bring its own)."""

    def can_edit(self, actor: Actor, party: Party, path: str) -> Decision:
        """Allowed, or refused with reasons."""
        ...


def _role_table(table: Mapping[str, Iterable[str]]) -> dict[str, frozenset[str]]:
    return {str(role): frozenset(paths) for role, paths in table.items()}


@attrs.frozen
class RoleEditPolicy:
    """Field edits by role: role -> paths (``*`` for every field, ``billing.*`` for a group).

    :meth:`default`: ``staff``, ``approver`` and ``administration`` edit every field;
    ``assistant`` edits labels only. Anything the table does not allow is refused.
    """

    table: Mapping[str, frozenset[str]] = attrs.field(converter=_role_table)

    @classmethod
    def default(cls) -> RoleEditPolicy:
        """The shipped table."""
        everything = frozenset({"*"})
        return cls(
            {
                "staff": everything,
                "approver": everything,
                "administration": everything,
                "assistant": frozenset({"labels"}),
            }
        )

    def allows(self, roles: Iterable[str], path: str) -> bool:
        """Whether any of ``roles`` may edit ``path``."""
        head = path.split(".", 1)[0] + ".*"
        for role in roles:
            allowed = self.table.get(role, frozenset())
            if "*" in allowed or path in allowed or head in allowed:
                return True
        return False

    def can_edit(self, actor: Actor, party: Party, path: str) -> Decision:
        if self.allows(actor.roles, path):
            return Decision(True, ())
        return Decision(False, (Reason("bulk.not_allowed", {"actor": actor.id, "path": path}),))


DEFAULT_EDIT_POLICY: Final = RoleEditPolicy.default()
"""The policy a plan uses when given none."""
