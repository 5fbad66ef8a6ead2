"""Pictures and tables of the statuses, generated from the table and a role policy.

``docs/status.md`` embeds their output; a test keeps the two identical.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from clientcore._errors import Issue, ValidationError
from clientcore._messages import define, render
from clientcore.model import ClientStatus
from clientcore.status._labels import status_label
from clientcore.status._table import (
    ACCEPTANCE_STATUSES,
    INITIAL_STATUSES,
    TABLE,
    TransitionDef,
    TransitionTable,
)

define(
    {
        "status.diagram.action": ("action", "actie", "action"),
        "status.matrix.no_roles": (
            "A permission matrix needs a policy with a role table (a 'roles' mapping of "
            "role to grant, as RolePolicy has); {policy} has none.",
            "Een rechtenmatrix vraagt een beleid met een rollentabel (een 'roles'-mapping "
            "van rol naar rechten, zoals RolePolicy); {policy} heeft er geen.",
            "Une matrice des droits exige une politique avec une table de rôles (un "
            "mapping 'roles' de rôle à droits, comme RolePolicy) ; {policy} n'en a pas.",
        ),
    }
)


class _Grant(Protocol):
    @property
    def transitions(self) -> Iterable[str]: ...

    @property
    def statuses(self) -> Iterable[ClientStatus]: ...


class RoleTable(Protocol):
    """What the matrices read: a ``roles`` mapping of role name to a grant with
    ``transitions`` and ``statuses`` (:class:`RolePolicy` is one)."""

    @property
    def roles(self) -> Mapping[str, _Grant]: ...


def _roles(policy: object, field: str) -> Mapping[str, Any]:
    roles = getattr(policy, "roles", None)
    if isinstance(roles, Mapping) and all(hasattr(g, field) for g in roles.values()):
        return roles
    raise ValidationError([Issue("status.matrix.no_roles", "policy", {"policy": _name(policy)})])


def _name(policy: object) -> str:
    return type(policy).__name__


CHECK = "✓"


def status_diagram(lang: str = "en", table: TransitionTable = TABLE) -> str:
    """The transitions as a Mermaid ``stateDiagram-v2`` with state labels in ``lang``.

    Action transitions carry "(action)" (nl "(actie)") after their name, and the
    acceptance statuses, which only actions leave, share the dashed class ``acceptance``.

    >>> print(status_diagram("nl").splitlines()[3])
        state "Klantacceptatie-concept" as acceptance_draft
    """
    marker = render("status.diagram.action", {}, lang)
    lines = ["stateDiagram-v2"]
    for status in ClientStatus:
        lines.append(f'    state "{status_label(status, lang)}" as {status.value}')
    for status in ClientStatus:
        if status in INITIAL_STATUSES:
            lines.append(f"    [*] --> {status.value}")
    for t in table:
        label = f"{t.name} ({marker})" if t.is_action else t.name
        for source in _ordered(t.sources):
            lines.append(f"    {source.value} --> {t.target.value} : {label}")
    lines.append("    classDef acceptance fill:#fff4d6,stroke-dasharray:5 5")
    members = ", ".join(s.value for s in _ordered(ACCEPTANCE_STATUSES))
    lines.append(f"    class {members} acceptance")
    return "\n".join(lines) + "\n"


def label_table() -> str:
    """Every status with its code and its labels in en, nl and fr, as a Markdown table."""
    lines = ["| status | en | nl | fr |", "|---|---|---|---|"]
    for status in ClientStatus:
        labels = " | ".join(status_label(status, lang) for lang in ("en", "nl", "fr"))
        lines.append(f"| `{status.value}` | {labels} |")
    return "\n".join(lines) + "\n"


def permission_matrix(policy: RoleTable | object, table: TransitionTable = TABLE) -> str:
    """Roles (rows, in the policy's order) x transitions (columns, in table order).

    A ✓ marks a transition the role's table grants; the machine's own rules (source
    status, guards, four-eyes, the approver role for approve/reject) come on top. Any
    policy with a role table will do (:class:`RoleTable`); another policy cannot be
    drawn and is refused with a :class:`~clientcore.ValidationError`
    (``status.matrix.no_roles``).
    """
    names = table.names
    lines = [
        "| role | " + " | ".join(f"`{n}`" for n in names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for role, grant in _roles(policy, "transitions").items():
        granted = frozenset(grant.transitions)
        cells = [CHECK if n in granted else " " for n in names]
        lines.append(f"| {role} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def visibility_matrix(policy: RoleTable | object, lang: str = "en") -> str:
    """Roles (rows) x statuses (columns, labels in ``lang``): ✓ where the role sees it.

    Refuses a policy without a role table like :func:`permission_matrix`.
    """
    statuses = list(ClientStatus)
    lines = [
        "| role | " + " | ".join(status_label(s, lang) for s in statuses) + " |",
        "|---|" + "---|" * len(statuses),
    ]
    for role, grant in _roles(policy, "statuses").items():
        seen = frozenset(grant.statuses)
        cells = [CHECK if s in seen else " " for s in statuses]
        lines.append(f"| {role} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def transition_table(table: TransitionTable = TABLE) -> str:
    """The transition table as Markdown: name, kind, from, to, kinds, rules, effects."""
    lines = [
        "| transition | kind | from | to | applies to | guards | reason | approval | effects "
        "| meaning |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for t in table:
        lines.append(
            "| "
            + " | ".join(
                [
                    f"`{t.name}`",
                    t.kind.value,
                    ", ".join(f"`{s.value}`" for s in _ordered(t.sources)),
                    f"`{t.target.value}`",
                    ", ".join(sorted(k.value for k in t.applies_to)),
                    ", ".join(g.name for g in t.guards),
                    "required" if t.needs_reason else "",
                    _approval(t),
                    ", ".join(e.value for e in t.effects),
                    t.description,
                ]
            )
            + " |"
        )
    return "\n".join(lines) + "\n"


def _approval(t: TransitionDef) -> str:
    rule = t.approval
    if rule is None:
        return ""
    parts = [f"role `{rule.role}`"]
    if rule.four_eyes:
        parts.append("four-eyes")
    if rule.needs_submitter:
        parts.append("submitter on record")
    return ", ".join(parts)


def _ordered(statuses: frozenset[ClientStatus]) -> list[ClientStatus]:
    return [s for s in ClientStatus if s in statuses]
