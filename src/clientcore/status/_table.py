"""The transition table: every status change a party can make, as data checked at import.

A :class:`TransitionDef` says from which statuses a transition starts, where it leads,
whether it is a plain status-field change or an acceptance action button, which guards
and approval rules apply and what else it changes on the party (its effects).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Final, Protocol, runtime_checkable

import attrs

from clientcore._errors import Issue, ValidationError
from clientcore._messages import define
from clientcore.model import (
    CLIENT_STATUSES,
    RELATION_STATUSES,
    ClientStatus,
    Party,
    PartyKind,
    choice,
)
from clientcore.status._facts import StatusFacts
from clientcore.status._reasons import Reason

define(
    {
        "status.table.bad_name": (
            "'{transition}' is not a valid transition name (lower_snake_case).",
            "'{transition}' is geen geldige naam voor een overgang (lower_snake_case).",
            "'{transition}' n'est pas un nom de transition valide (lower_snake_case).",
        ),
        "status.table.duplicate_name": (
            "The transition name '{transition}' is used twice.",
            "De naam '{transition}' wordt voor twee overgangen gebruikt.",
            "Le nom de transition '{transition}' est utilisé deux fois.",
        ),
        "status.table.no_sources": (
            "'{transition}' has no source status.",
            "'{transition}' heeft geen vertrekstatus.",
            "'{transition}' n'a pas de statut de départ.",
        ),
        "status.table.self_loop": (
            "'{transition}' leads from {status} to itself.",
            "'{transition}' leidt van {status} naar zichzelf.",
            "'{transition}' mène de {status} à lui-même.",
        ),
        "status.table.no_kinds": (
            "'{transition}' applies to no party kind.",
            "'{transition}' geldt voor geen enkel soort partij.",
            "'{transition}' ne s'applique à aucun type de partie.",
        ),
        "status.table.kind_mismatch": (
            "'{transition}' applies to a {kind}, which cannot have status {status}.",
            "'{transition}' geldt voor een {kind}, die status {status} niet kan hebben.",
            "'{transition}' s'applique à un(e) {kind}, qui ne peut pas avoir le statut {status}.",
        ),
        "status.table.unreachable": (
            "No transition leads to status {status}.",
            "Geen enkele overgang leidt naar status {status}.",
            "Aucune transition ne mène au statut {status}.",
        ),
        "status.table.action_required": (
            "'{transition}' is a step of client acceptance and must be an action, "
            "not a status-field change.",
            "'{transition}' is een stap van de klantacceptatie en moet een actie zijn, "
            "geen wijziging van het statusveld.",
            "'{transition}' est une étape de l'acceptation client et doit être une action, "
            "pas une modification du champ statut.",
        ),
        "status.table.ambiguous_field": (
            "Two status-field transitions lead from {source} to {target}: {transitions}.",
            "Twee overgangen via het statusveld leiden van {source} naar {target}: {transitions}.",
            "Deux transitions du champ statut mènent de {source} à {target} : {transitions}.",
        ),
        "status.table.approval_on_field": (
            "'{transition}' has an approval rule but is not an action.",
            "'{transition}' heeft een goedkeuringsregel maar is geen actie.",
            "'{transition}' a une règle d'approbation mais n'est pas une action.",
        ),
    }
)


class TransitionKind(enum.StrEnum):
    """How a transition is taken: the status field, or an acceptance action button."""

    FIELD = "field"
    ACTION = "action"


class Effect(enum.StrEnum):
    """What a transition changes on the party besides its status (applied in order)."""

    RESET_ACCEPTANCE = "reset_acceptance"
    """Forget the acceptance record of an earlier round (a new round starts)."""
    RECORD_SUBMISSION = "record_submission"
    """Record the actor and time as ``acceptance.submitted_by/at``; clear the approval."""
    RECORD_APPROVAL = "record_approval"
    """Record the actor and time as ``acceptance.approved_by/at``."""
    SET_CLIENT_SINCE = "set_client_since"
    """Set ``client_since`` to the date of the change when it is empty."""
    SET_CLIENT_UNTIL = "set_client_until"
    """Set ``client_until`` to the date of the change."""
    CLEAR_CLIENT_UNTIL = "clear_client_until"
    """Empty ``client_until`` (the party is a client again)."""
    CONVERT_TO_CLIENT_KIND = "convert_to_client_kind"
    """Turn a relation company or person into a client company or person."""


CLIENT_KINDS: Final = frozenset({PartyKind.CLIENT_COMPANY, PartyKind.CLIENT_PERSON})
RELATION_KINDS: Final = frozenset({PartyKind.RELATION_COMPANY, PartyKind.RELATION_PERSON})
CLIENT_KIND_OF: Final = {
    PartyKind.RELATION_COMPANY: PartyKind.CLIENT_COMPANY,
    PartyKind.RELATION_PERSON: PartyKind.CLIENT_PERSON,
    PartyKind.CLIENT_COMPANY: PartyKind.CLIENT_COMPANY,
    PartyKind.CLIENT_PERSON: PartyKind.CLIENT_PERSON,
}
INITIAL_STATUSES: Final = frozenset({ClientStatus.SUSPECT, ClientStatus.RELATION})
"""The statuses a new party starts in (a client kind as suspect, a relation as relation)."""
ACCEPTANCE_STATUSES: Final = frozenset(
    {
        ClientStatus.ACCEPTANCE_DRAFT,
        ClientStatus.ACCEPTANCE_PENDING,
        ClientStatus.ACCEPTANCE_CENTRAL_ADMIN,
    }
)
# Entering these is an acceptance step too (leaving any acceptance status is one).
_ACTION_TARGETS: Final = frozenset(
    {ClientStatus.ACCEPTANCE_PENDING, ClientStatus.ACCEPTANCE_CENTRAL_ADMIN}
)


def statuses_of(kind: PartyKind) -> frozenset[ClientStatus]:
    """The statuses a party of ``kind`` may have."""
    return CLIENT_STATUSES if kind.is_client else RELATION_STATUSES


@runtime_checkable
class Guard(Protocol):
    """A condition on the party a transition needs; returns the reasons it fails (or none).

    A guard that needs facts the library does not own asks ``facts`` and, when there is
    no facts provider, refuses with ``facts.unavailable`` rather than guess. The machine
    asks it whatever the party's status (a decision lists every failing reason, a wrong
    source status among them), so a guard must not assume the source status.
    """

    @property
    def name(self) -> str:
        """A stable name, shown in the docs' transition table."""
        ...

    def check(self, transition: str, party: Party, facts: StatusFacts | None) -> tuple[Reason, ...]:
        """The reasons ``party`` may not take ``transition``; empty when it may."""
        ...


@attrs.frozen
class NoRunningProjects:
    """The party has no running projects (asked of :class:`StatusFacts`)."""

    name: str = "no_running_projects"

    def check(self, transition: str, party: Party, facts: StatusFacts | None) -> tuple[Reason, ...]:
        """Refuse while projects run, or when nobody can say (no facts provider)."""
        if facts is None:
            return (
                Reason("facts.unavailable", {"transition": transition, "fact": "running_projects"}),
            )
        count = facts.running_projects(party.id)
        if count > 0:
            return (Reason("status.running_projects", {"transition": transition, "count": count}),)
        return ()


@attrs.frozen
class ApprovalRule:
    """Who may decide on a submitted acceptance.

    The actor needs ``role`` (whatever the policy says); with ``four_eyes`` the actor may
    not be the one recorded in ``party.acceptance.submitted_by``. With ``needs_submitter``
    a party without a recorded submitter is refused (the rule cannot be checked).
    """

    role: str = "approver"
    four_eyes: bool = True
    needs_submitter: bool = True


def _statuses(value: Iterable[ClientStatus | str]) -> frozenset[ClientStatus]:
    return frozenset(ClientStatus(v) for v in value)


def _kinds(value: Iterable[PartyKind | str]) -> frozenset[PartyKind]:
    return frozenset(PartyKind(v) for v in value)


def _guards(value: Iterable[Guard]) -> tuple[Guard, ...]:
    return tuple(value)


def _effects(value: Iterable[Effect | str]) -> tuple[Effect, ...]:
    return tuple(Effect(v) for v in value)


def _target(value: object) -> ClientStatus:
    return choice(ClientStatus, "target")(value)


def _transition_kind(value: object) -> TransitionKind:
    return choice(TransitionKind, "kind")(value)


@attrs.frozen
class TransitionDef:
    """One transition of the table, fields in the documented order.

    ``TransitionDef(name, sources, target, kind, guards, needs_reason, approval, effects,
    description)``: ``kind`` is :attr:`TransitionKind.FIELD` (a plain status-field change)
    or :attr:`TransitionKind.ACTION` (an acceptance action button); ``effects`` is what it
    changes besides the status. ``applies_to`` (keyword-only) lists the party kinds that
    may take it; by default, the kinds whose statuses hold every source (client kinds for
    client statuses, relation kinds for relation statuses; none for a mix, which the
    table check then refuses).

    >>> t = TransitionDef("go", {"suspect"}, "prospect", "field", [NoRunningProjects()])
    >>> sorted(k.value for k in t.applies_to), [g.name for g in t.guards]
    (['client_company', 'client_person'], ['no_running_projects'])
    """

    name: str
    sources: frozenset[ClientStatus] = attrs.field(converter=_statuses)
    target: ClientStatus = attrs.field(converter=_target)
    kind: TransitionKind = attrs.field(converter=_transition_kind)
    guards: tuple[Guard, ...] = attrs.field(default=(), converter=_guards)
    needs_reason: bool = False
    approval: ApprovalRule | None = None
    effects: tuple[Effect, ...] = attrs.field(default=(), converter=_effects)
    description: str = ""
    applies_to: frozenset[PartyKind] = attrs.field(converter=_kinds, kw_only=True)

    @applies_to.default
    def _kinds_of_sources(self) -> frozenset[PartyKind]:
        if not self.sources:
            return frozenset()
        return frozenset(k for k in PartyKind if self.sources <= statuses_of(k))

    @property
    def is_action(self) -> bool:
        """Taken through an action button, never through the status field."""
        return self.kind is TransitionKind.ACTION

    def target_kind(self, kind: PartyKind) -> PartyKind:
        """The kind a party of ``kind`` has after this transition."""
        if Effect.CONVERT_TO_CLIENT_KIND in self.effects:
            return CLIENT_KIND_OF[kind]
        return kind


_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")


def check_table(transitions: Sequence[TransitionDef]) -> list[Issue]:
    """Every rule the transition table breaks; empty when it is sound.

    Names are unique snake_case; each transition has sources and does not loop; its
    ``applies_to`` kinds fit its sources and (after any kind change) its target;
    acceptance steps are actions and only actions carry approval rules; at most one
    field transition joins two statuses; every status is reachable from
    :data:`INITIAL_STATUSES`.
    """
    issues: list[Issue] = []
    seen: set[str] = set()
    field_edges: dict[tuple[ClientStatus, ClientStatus], list[str]] = {}
    for index, t in enumerate(transitions):
        path = f"transitions[{index}]"
        params = {"transition": t.name}
        if not _NAME.match(t.name):
            issues.append(Issue("status.table.bad_name", f"{path}.name", params))
        if t.name in seen:
            issues.append(Issue("status.table.duplicate_name", f"{path}.name", params))
        seen.add(t.name)
        if not t.sources:
            issues.append(Issue("status.table.no_sources", f"{path}.sources", params))
        if t.target in t.sources:
            issues.append(
                Issue("status.table.self_loop", f"{path}.target", {**params, "status": t.target})
            )
        if not t.applies_to:
            issues.append(Issue("status.table.no_kinds", f"{path}.applies_to", params))
        for kind in sorted(t.applies_to):
            for status in sorted(t.sources):
                if status not in statuses_of(kind):
                    issues.append(_mismatch(f"{path}.sources", t, kind, status))
            if t.target not in statuses_of(t.target_kind(kind)):
                issues.append(_mismatch(f"{path}.target", t, t.target_kind(kind), t.target))
        acceptance_step = bool(t.sources & ACCEPTANCE_STATUSES) or t.target in _ACTION_TARGETS
        if acceptance_step and not t.is_action:
            issues.append(Issue("status.table.action_required", f"{path}.kind", params))
        if t.approval is not None and not t.is_action:
            issues.append(Issue("status.table.approval_on_field", f"{path}.approval", params))
        if not t.is_action:
            for source in t.sources:
                field_edges.setdefault((source, t.target), []).append(t.name)
    for (source, target), names in sorted(field_edges.items()):
        if len(names) > 1:
            issues.append(
                Issue(
                    "status.table.ambiguous_field",
                    "transitions",
                    {"source": source, "target": target, "transitions": names},
                )
            )
    reached = reachable(transitions)
    for status in ClientStatus:
        if status not in reached:
            issues.append(Issue("status.table.unreachable", "transitions", {"status": status}))
    return issues


def _mismatch(path: str, t: TransitionDef, kind: PartyKind, status: ClientStatus) -> Issue:
    params = {"transition": t.name, "kind": kind.value, "status": status.value}
    return Issue("status.table.kind_mismatch", path, params)


def reachable(
    transitions: Iterable[TransitionDef], start: Iterable[ClientStatus] = INITIAL_STATUSES
) -> frozenset[ClientStatus]:
    """The statuses reachable from ``start`` along the transitions' edges."""
    edges = list(transitions)
    found = set(start)
    frontier = list(found)
    while frontier:
        status = frontier.pop()
        for t in edges:
            if status in t.sources and t.target not in found:
                found.add(t.target)
                frontier.append(t.target)
    return frozenset(found)


def _checked(value: Iterable[TransitionDef]) -> tuple[TransitionDef, ...]:
    transitions = tuple(value)
    issues = check_table(transitions)
    if issues:
        raise ValidationError(issues)
    return transitions


@attrs.frozen
class TransitionTable:
    """The transitions, checked by :func:`check_table`, with lookups by name and status.

    >>> [t.name for t in TABLE.from_status("acceptance_pending")]
    ['approve', 'reject']
    """

    transitions: tuple[TransitionDef, ...] = attrs.field(converter=_checked)

    def __iter__(self) -> Iterator[TransitionDef]:
        return iter(self.transitions)

    def __len__(self) -> int:
        return len(self.transitions)

    def __contains__(self, name: object) -> bool:
        return self.find(name) is not None

    @property
    def names(self) -> tuple[str, ...]:
        """Every transition name, in table order."""
        return tuple(t.name for t in self.transitions)

    def find(self, name: object) -> TransitionDef | None:
        """The transition called ``name``, or ``None``."""
        for t in self.transitions:
            if t.name == name:
                return t
        return None

    def __getitem__(self, name: str) -> TransitionDef:
        found = self.find(name)
        if found is None:
            raise KeyError(name)
        return found

    def from_status(self, status: ClientStatus | str) -> tuple[TransitionDef, ...]:
        """The transitions that start from ``status``, in table order."""
        current = ClientStatus(status)
        return tuple(t for t in self.transitions if current in t.sources)

    def field_transition(
        self, source: ClientStatus | str, target: ClientStatus | str
    ) -> TransitionDef | None:
        """The one field transition from ``source`` to ``target``, or ``None``."""
        src, dst = ClientStatus(source), ClientStatus(target)
        for t in self.transitions:
            if not t.is_action and src in t.sources and t.target is dst:
                return t
        return None

    def edges(self) -> frozenset[tuple[ClientStatus, ClientStatus]]:
        """Every (source, target) pair some transition joins."""
        return frozenset((s, t.target) for t in self.transitions for s in t.sources)

    def reachable(self) -> frozenset[ClientStatus]:
        """The statuses reachable from :data:`INITIAL_STATUSES`."""
        return reachable(self.transitions)


_S = ClientStatus
_FIELD, _ACTION = TransitionKind.FIELD, TransitionKind.ACTION

TRANSITIONS: Final[tuple[TransitionDef, ...]] = (
    TransitionDef(
        "qualify",
        {_S.SUSPECT},
        _S.PROSPECT,
        _FIELD,
        description="Contact is made; the firm is in conversation with the party.",
    ),
    TransitionDef(
        "disqualify",
        {_S.PROSPECT},
        _S.SUSPECT,
        _FIELD,
        description="Conversations stopped; only the name is known again.",
    ),
    TransitionDef(
        "start_acceptance",
        {_S.PROSPECT},
        _S.ACCEPTANCE_DRAFT,
        _FIELD,
        effects=(Effect.RESET_ACCEPTANCE,),
        description="The prospect is being prepared to become a client (a new round).",
    ),
    TransitionDef(
        "withdraw_acceptance",
        {_S.ACCEPTANCE_DRAFT},
        _S.PROSPECT,
        _ACTION,
        description="The acceptance is abandoned before submission; back to prospect.",
    ),
    TransitionDef(
        "submit_for_approval",
        {_S.ACCEPTANCE_DRAFT},
        _S.ACCEPTANCE_PENDING,
        _ACTION,
        effects=(Effect.RECORD_SUBMISSION,),
        description="The draft is complete and goes to a client approver.",
    ),
    TransitionDef(
        "approve",
        {_S.ACCEPTANCE_PENDING},
        _S.ACCEPTANCE_CENTRAL_ADMIN,
        _ACTION,
        approval=ApprovalRule(needs_submitter=True),
        effects=(Effect.RECORD_APPROVAL,),
        description="A client approver, not the submitter, accepts the client.",
    ),
    TransitionDef(
        "reject",
        {_S.ACCEPTANCE_PENDING},
        _S.ACCEPTANCE_DRAFT,
        _ACTION,
        needs_reason=True,
        approval=ApprovalRule(needs_submitter=False),
        description="A client approver, not the submitter, sends the draft back, saying why.",
    ),
    TransitionDef(
        "activate",
        {_S.ACCEPTANCE_CENTRAL_ADMIN},
        _S.CLIENT,
        _ACTION,
        effects=(Effect.SET_CLIENT_SINCE, Effect.CLEAR_CLIENT_UNTIL),
        description="Central administration checked the last registrations: a client.",
    ),
    TransitionDef(
        "end_engagement",
        {_S.CLIENT},
        _S.FORMER_CLIENT,
        _FIELD,
        effects=(Effect.SET_CLIENT_UNTIL,),
        description="The firm no longer works for the client.",
    ),
    TransitionDef(
        "reactivate",
        {_S.FORMER_CLIENT},
        _S.PROSPECT,
        _FIELD,
        description="A former client is in conversation again (acceptance starts anew).",
    ),
    TransitionDef(
        "revert_to_prospect",
        {_S.CLIENT},
        _S.PROSPECT,
        _FIELD,
        guards=(NoRunningProjects(),),
        description="Back to potential client; only without running projects.",
    ),
    TransitionDef(
        "mark_service_provider",
        {_S.RELATION},
        _S.SERVICE_PROVIDER,
        _FIELD,
        description="The relation also serves the firm itself.",
    ),
    TransitionDef(
        "unmark_service_provider",
        {_S.SERVICE_PROVIDER},
        _S.RELATION,
        _FIELD,
        description="The relation no longer serves the firm itself.",
    ),
    TransitionDef(
        "convert_to_prospect",
        {_S.RELATION},
        _S.PROSPECT,
        _FIELD,
        effects=(Effect.CONVERT_TO_CLIENT_KIND,),
        description="A relation may become a client: it turns into a client kind, as prospect.",
    ),
)
"""The transitions of the client registry, in the order the docs list them."""

TABLE: Final = TransitionTable(TRANSITIONS)
""":data:`TRANSITIONS` as a checked :class:`TransitionTable`."""
