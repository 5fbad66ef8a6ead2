"""Who may see a status and take a transition: the policy port and a role-table policy."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final, Protocol, runtime_checkable

import attrs

from clientcore._errors import Issue, ValidationError
from clientcore._limits import check_input
from clientcore._messages import define
from clientcore.model import Actor, ClientStatus, IdentityKey, Party, as_actor
from clientcore.status._labels import as_status
from clientcore.status._reasons import Decision, Reason
from clientcore.status._table import TABLE, TransitionDef

define(
    {
        "policy.unknown_key": (
            "Unknown key '{key}' in {where}; expected one of {expected}.",
            "Onbekende sleutel '{key}' in {where}; verwacht een van {expected}.",
            "Clé inconnue '{key}' dans {where} ; attendu l'une de {expected}.",
        ),
        "policy.unknown_transition": (
            "Unknown transition '{value}' at {path}.",
            "Onbekende overgang '{value}' op {path}.",
            "Transition inconnue '{value}' à {path}.",
        ),
        "policy.unknown_status": (
            "Unknown status '{value}' at {path}.",
            "Onbekende status '{value}' op {path}.",
            "Statut inconnu '{value}' à {path}.",
        ),
        "policy.bad_role": (
            "A role name must be a non-empty text, not {value} (at {path}).",
            "Een rolnaam moet een niet-lege tekst zijn, niet {value} (op {path}).",
            "Un nom de rôle doit être un texte non vide, pas {value} (à {path}).",
        ),
    }
)


@runtime_checkable
class StatusPolicy(Protocol):
    """The host's rules on who may see a party's status and take a transition.

    A host guarantees that both answers depend only on the actor and the party given
    (no clock, no hidden state), so that the machine's decisions can be repeated, and
    that a refusal carries at least one :class:`Reason` (``Decision`` enforces it).
    """

    def can_view(self, actor: Actor, party: Party) -> Decision:
        """Whether ``actor`` may see the status of ``party``."""
        ...

    def can_take(self, actor: Actor, party: Party, transition: TransitionDef) -> Decision:
        """Whether ``actor`` may take ``transition`` on ``party`` (the role question only:
        the machine checks source status, guards and four-eyes itself)."""
        ...


# Typed Any on purpose: mypy reads Actor's bare ``converter=frozenset`` as an unsolved generic
# and rejects any typed roles argument (a named converter in the model would fix that).
_SYSTEM_ROLES: Any = frozenset({"system"})
SYSTEM: Final = Actor("system", _SYSTEM_ROLES)
"""The actor for automatic transitions; a policy must grant the ``system`` role like any other."""


def _names(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


def _statuses(value: Iterable[ClientStatus | str]) -> frozenset[ClientStatus]:
    return frozenset(as_status(v, "statuses") for v in value)


@attrs.frozen
class RoleGrant:
    """What one role may do: the transitions it may take and the statuses it may see."""

    transitions: frozenset[str] = attrs.field(factory=frozenset, converter=_names)
    statuses: frozenset[ClientStatus] = attrs.field(factory=frozenset, converter=_statuses)

    def __attrs_post_init__(self) -> None:
        unknown = sorted(n for n in self.transitions if n not in TABLE)
        if unknown:
            raise ValidationError(
                Issue("policy.unknown_transition", "transitions", {"value": n}) for n in unknown
            )


def _roles(value: Mapping[str, RoleGrant]) -> Mapping[str, RoleGrant]:
    # A read-only view: a policy is a value, shared between machines and threads.
    return MappingProxyType(dict(value))


_ROLE_KEYS: Final = ("transitions", "statuses")

EXTRA_TRANSITIONS: Final = frozenset({"disqualify", "withdraw_acceptance", "convert_to_prospect"})
"""The transitions the table adds to the eleven core ones; :meth:`RolePolicy.default` grants
none of them, ``RolePolicy.default().with_grants({"staff": EXTRA_TRANSITIONS})`` does."""


@attrs.frozen
class RolePolicy:
    """A :class:`StatusPolicy` from a role table; whatever the table does not grant is denied.

    An actor may see a status or take a transition when at least one of its roles
    grants it. The table round-trips through JSON (:meth:`from_json`, :meth:`to_json`).

    >>> policy = RolePolicy.default()
    >>> sorted(policy.roles)
    ['administration', 'approver', 'assistant', 'staff']
    >>> "activate" in policy.roles["administration"].transitions
    True
    """

    roles: Mapping[str, RoleGrant] = attrs.field(factory=dict, converter=_roles, hash=False)
    identity: IdentityKey | None = attrs.field(default=None, kw_only=True)
    """The host's own key for a person (e.g. an employee number looked up from the
    normalised user id); ``None`` compares normalised user ids
    (:func:`~clientcore.model.identity_key`). Not part of the JSON."""

    def identity_key(self, key: str) -> str:
        """The key four-eyes compares for the normalised user id ``key``."""
        return key if self.identity is None else self.identity(key)

    @classmethod
    def default(cls) -> RolePolicy:
        """The shipped roles: ``assistant``, ``staff``, ``approver`` and ``administration``.

        ``assistant`` sees client, former_client, relation and service_provider and takes
        nothing. ``staff`` sees every status and takes qualify, start_acceptance,
        submit_for_approval, reactivate, revert_to_prospect and mark/unmark_service_provider.
        ``approver`` is staff plus approve and reject; ``administration`` is staff plus
        activate and end_engagement. No role takes the transitions the table adds to the
        core ones (:data:`EXTRA_TRANSITIONS`: disqualify, withdraw_acceptance,
        convert_to_prospect) and no role is granted to :data:`SYSTEM`: a host grants them
        with :meth:`with_grants` or :meth:`with_role`.
        """
        every = frozenset(ClientStatus)
        staff = frozenset(
            {
                "qualify",
                "start_acceptance",
                "submit_for_approval",
                "reactivate",
                "revert_to_prospect",
                "mark_service_provider",
                "unmark_service_provider",
            }
        )
        return cls(
            {
                "assistant": RoleGrant(
                    frozenset(),
                    {
                        ClientStatus.CLIENT,
                        ClientStatus.FORMER_CLIENT,
                        ClientStatus.RELATION,
                        ClientStatus.SERVICE_PROVIDER,
                    },
                ),
                "staff": RoleGrant(staff, every),
                "approver": RoleGrant(staff | {"approve", "reject"}, every),
                "administration": RoleGrant(staff | {"activate", "end_engagement"}, every),
            }
        )

    def with_role(
        self,
        role: str,
        transitions: Iterable[str] = (),
        statuses: Iterable[ClientStatus | str] = (),
    ) -> RolePolicy:
        """A copy in which ``role`` grants exactly ``transitions`` and ``statuses``.

        >>> p = RolePolicy.default().with_role("system", ["activate"], ["acceptance_central_admin"])
        >>> sorted(p.roles["system"].transitions), sorted(p.visible_statuses(SYSTEM))
        (['activate'], [<ClientStatus.ACCEPTANCE_CENTRAL_ADMIN: 'acceptance_central_admin'>])
        """
        grant = RoleGrant(frozenset(transitions), statuses)
        return attrs.evolve(self, roles={**self.roles, role: grant})

    def with_grants(
        self,
        transitions: Mapping[str, Iterable[str]] | None = None,
        *,
        statuses: Mapping[str, Iterable[ClientStatus | str]] | None = None,
    ) -> RolePolicy:
        """A copy in which each named role grants these transitions and statuses *as well*.

        Unlike :meth:`with_role` nothing is taken away; a role not in the table yet is
        added with only what is given. An unknown transition or status is refused with a
        :class:`~clientcore.ValidationError`. This is how a host grants the transitions the
        table adds to the core ones (:data:`EXTRA_TRANSITIONS`), which no default role takes:

        >>> p = RolePolicy.default().with_grants({"staff": EXTRA_TRANSITIONS})
        >>> sorted(EXTRA_TRANSITIONS & p.roles["staff"].transitions)
        ['convert_to_prospect', 'disqualify', 'withdraw_acceptance']
        >>> "disqualify" in p.roles["approver"].transitions  # roles do not inherit
        False
        """
        more_t = {role: frozenset(names) for role, names in (transitions or {}).items()}
        more_s = {role: _statuses(values) for role, values in (statuses or {}).items()}
        roles = dict(self.roles)
        for role in [*more_t, *(r for r in more_s if r not in more_t)]:
            old = roles.get(role, RoleGrant())
            roles[role] = RoleGrant(
                old.transitions | more_t.get(role, frozenset()),
                old.statuses | more_s.get(role, frozenset()),
            )
        return attrs.evolve(self, roles=roles)

    # --- the StatusPolicy port ---

    def can_view(self, actor: Actor | str, party: Party) -> Decision:
        """Allowed when one of the actor's roles may see the party's status."""
        if party.status in self.visible_statuses(actor):
            return Decision.allow()
        return Decision.deny(Reason("policy.status_hidden"))

    def can_take(self, actor: Actor | str, party: Party, transition: TransitionDef) -> Decision:
        """Allowed when one of the actor's roles may take ``transition``."""
        actor = as_actor(actor)
        if any(transition.name in self.roles[r].transitions for r in self._held(actor)):
            return Decision.allow()
        return Decision.deny(
            Reason(
                "policy.transition_not_allowed",
                {"transition": transition.name, "roles": sorted(actor.roles)},
            )
        )

    def visible_statuses(self, actor: Actor | str) -> frozenset[ClientStatus]:
        """The statuses ``actor`` may see on any party."""
        actor = as_actor(actor)
        seen: frozenset[ClientStatus] = frozenset()
        for role in self._held(actor):
            seen |= self.roles[role].statuses
        return seen

    def _held(self, actor: Actor) -> list[str]:
        return [r for r in self.roles if r in actor.roles]

    # --- JSON ---

    def to_json(self) -> dict[str, Any]:
        """The table as JSON-ready data; statuses and transitions in table order."""
        return {
            "roles": {
                role: {
                    "transitions": [n for n in TABLE.names if n in grant.transitions],
                    "statuses": [s.value for s in ClientStatus if s in grant.statuses],
                }
                for role, grant in self.roles.items()
            }
        }

    @classmethod
    def from_json(cls, obj: object) -> RolePolicy:
        """Read a table written by :meth:`to_json`; strict.

        Every fault is reported at once in a :class:`~clientcore.ValidationError` whose
        issues name the JSON path: unknown keys, unknown transitions or statuses, a role
        name that is not text, values of the wrong type. The input is bounded first
        (:data:`~clientcore.errors.DEFAULT_LIMITS`): a list of a million names is refused
        before any name is read.

        >>> try:
        ...     RolePolicy.from_json({"roles": {"clerk": {"transitions": ["qualify", "fly"]}}})
        ... except ValidationError as exc:
        ...     print(exc.issues[0].message())
        Unknown transition 'fly' at $.roles.clerk.transitions[1].
        """
        check_input(obj)
        issues: list[Issue] = []
        roles: dict[str, RoleGrant] = {}
        top = _object(obj, "$", issues)
        if top is None:
            raise ValidationError(issues)
        _known_keys(top, "$", ("roles",), issues)
        table = _object(top.get("roles", {}), "$.roles", issues) or {}
        for role, value in table.items():
            path = f"$.roles.{role}"
            if not isinstance(role, str) or not role.strip():
                issues.append(Issue("policy.bad_role", path, {"value": repr(role)}))
                continue
            entry = _object(value, path, issues)
            if entry is None:
                continue
            _known_keys(entry, path, _ROLE_KEYS, issues)
            granted_names: set[str] = set()
            for at, name in _texts(entry.get("transitions", []), f"{path}.transitions", issues):
                if name in TABLE:
                    granted_names.add(name)
                else:
                    issues.append(Issue("policy.unknown_transition", at, {"value": name}))
            granted_statuses: set[ClientStatus] = set()
            for at, text in _texts(entry.get("statuses", []), f"{path}.statuses", issues):
                if text in _STATUS_VALUES:
                    granted_statuses.add(ClientStatus(text))
                else:
                    issues.append(Issue("policy.unknown_status", at, {"value": text}))
            roles[role] = RoleGrant(frozenset(granted_names), granted_statuses)
        if issues:
            raise ValidationError(issues)
        return cls(roles)


_STATUS_VALUES: Final = frozenset(s.value for s in ClientStatus)


def _object(value: object, path: str, issues: list[Issue]) -> Mapping[Any, Any] | None:
    if isinstance(value, Mapping):
        return value
    issues.append(
        Issue("value.invalid_type", path, {"expected": "an object", "value": type(value).__name__})
    )
    return None


def _known_keys(
    obj: Mapping[Any, Any], path: str, expected: tuple[str, ...], issues: list[Issue]
) -> None:
    for key in obj:
        if key not in expected:
            at = f"{path}.{key}"
            issues.append(
                Issue("policy.unknown_key", at, {"key": key, "where": path, "expected": expected})
            )


def _texts(value: object, path: str, issues: list[Issue]) -> list[tuple[str, str]]:
    if not isinstance(value, list):
        issues.append(
            Issue(
                "value.invalid_type",
                path,
                {"expected": "a list of texts", "value": type(value).__name__},
            )
        )
        return []
    out: list[tuple[str, str]] = []
    for index, item in enumerate(value):
        at = f"{path}[{index}]"
        if isinstance(item, str):
            out.append((at, item))
        else:
            issues.append(
                Issue(
                    "value.invalid_type",
                    at,
                    {"expected": "a text", "value": type(item).__name__},
                )
            )
    return out
