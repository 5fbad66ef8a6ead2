"""The status machine: evaluates, applies and explains transitions for an actor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, Final, Literal, overload

import attrs

from clientcore._errors import Issue, TransitionDenied, ValidationError
from clientcore.model import (
    CLIENT_STATUSES,
    Acceptance,
    Actor,
    ClientStatus,
    Party,
    PartyKind,
    as_actor,
    default_schema,
    identity_key,
)
from clientcore.ports import UnitOfWork
from clientcore.query import Filter, restrict_status
from clientcore.status._docs import RoleTable, permission_matrix, status_diagram
from clientcore.status._events import Approval, ApprovalStep, StatusChanged, trail_submitter
from clientcore.status._facts import StatusFacts
from clientcore.status._labels import RESTRICTED, Restricted, as_status
from clientcore.status._policy import StatusPolicy
from clientcore.status._reasons import Decision, Reason
from clientcore.status._table import CLIENT_KIND_OF, TABLE, Effect, TransitionDef, TransitionTable

SET_STATUS: str = "set_status"
"""The ``transition`` a :class:`TransitionDenied` names when the status field is refused."""


@attrs.frozen
class Availability:
    """A transition from the party's current status and whether the actor may take it."""

    transition: TransitionDef
    decision: Decision

    @property
    def enabled(self) -> bool:
        """Whether the button is live (the decision allows it)."""
        return self.decision.allowed


def _probe(status: ClientStatus) -> Party:
    kind = PartyKind.CLIENT_COMPANY if status in CLIENT_STATUSES else PartyKind.RELATION_COMPANY
    return Party(id="status-probe", kind=kind, name="status probe", status=status)


@attrs.frozen
class StatusMachine:
    """Evaluates and applies the transitions of :data:`TABLE` under a policy.

    Every change goes through :meth:`apply`, which evaluates first: there is no
    unchecked path. ``facts`` answers guards about what the host owns (running
    projects); without it those guards refuse with ``facts.unavailable``.

    An actor who may not see a party's status learns nothing more from a decision
    than that: the checks that read the party (source status, guards, four-eyes) are
    skipped and only the view refusal and the actor's own shortcomings (policy,
    approver role) are reported.
    """

    policy: StatusPolicy
    facts: StatusFacts | None = None
    table: TransitionTable = TABLE

    # --- deciding ---

    def evaluate(
        self,
        actor: Actor | str,
        party: Party,
        name: str,
        reason: str | None = None,
        *,
        trail: Iterable[object] | None = None,
    ) -> Decision:
        """Whether ``actor`` may take transition ``name`` on ``party``, with every reason.

        An unknown ``name`` is a refusal with reason ``status.unknown_transition`` (not
        an exception), so a screen can show it like any other. ``reason`` is the text the
        user typed: when given (even ``""``) and the transition needs one, a blank text
        adds ``status.reason_required``; ``None`` means the screen has not asked for it
        yet, so the button is not greyed for want of a text (:meth:`apply` always
        judges it).

        >>> from clientcore.model import Actor, Party
        >>> from clientcore.status import RolePolicy
        >>> machine = StatusMachine(RolePolicy.default())
        >>> p = Party(kind="client_company", name="A", status="acceptance_draft")
        >>> machine.evaluate(Actor("bob", {"approver"}), p, "reject", reason=" ").codes
        ('status.wrong_source', 'status.reason_required')
        """
        who = as_actor(actor)
        transition = self.table.find(name)
        if transition is None:
            return Decision.deny(_unknown(name))
        return Decision.of(
            self._reasons(who, party, transition, reason, reason is not None, _events(trail))
        )

    def _reasons(
        self,
        actor: Actor,
        party: Party,
        t: TransitionDef,
        reason: str | None = None,
        judge_reason: bool = False,
        trail: Sequence[object] | None = None,
    ) -> list[Reason]:
        reasons: list[Reason] = []
        view = self.policy.can_view(actor, party)
        reasons.extend(view.reasons)
        reasons.extend(self.policy.can_take(actor, party, t).reasons)
        rule = t.approval
        if rule is not None and not actor.has(rule.role):
            reasons.append(
                Reason("status.approval_role", {"transition": t.name, "role": rule.role})
            )
        if view.allowed:
            reasons.extend(self._party_reasons(actor, party, t, trail))
        if judge_reason and t.needs_reason and _text(reason) is None:
            reasons.append(Reason("status.reason_required", {"transition": t.name}))
        return reasons

    def _party_reasons(
        self, actor: Actor, party: Party, t: TransitionDef, trail: Sequence[object] | None
    ) -> list[Reason]:
        # The checks that read the party; only asked when the actor may see its status.
        reasons: list[Reason] = []
        in_source = party.status in t.sources
        if not in_source:
            reasons.append(
                Reason(
                    "status.wrong_source",
                    {"transition": t.name, "sources": t.sources, "status": party.status},
                )
            )
        rule = t.approval
        # Four-eyes reads the acceptance record of the submission awaiting a decision;
        # outside the source status there is none (a draft holds no submission, or the
        # one of an earlier round), so the check would only say something false.
        if in_source and rule is not None and rule.four_eyes:
            reasons.extend(self._four_eyes(actor, party, t, trail))
        for guard in t.guards:
            reasons.extend(guard.check(t.name, party, self.facts))
        return reasons

    def _four_eyes(
        self, actor: Actor, party: Party, t: TransitionDef, trail: Sequence[object] | None
    ) -> list[Reason]:
        # The submitter is a person, not a spelling: compare identities (the policy's own
        # key when it has one). With an audit trail, the trail's submitter counts too and
        # a record the trail contradicts is refused (it was written around the machine).
        rule = t.approval
        assert rule is not None
        recorded = party.acceptance.submitted_by if party.acceptance else None
        submitters = [s for s in (recorded,) if s is not None]
        reasons: list[Reason] = []
        if trail is not None:
            known, on_trail = trail_submitter(trail, party)
            if known:
                if on_trail is None or recorded is None or not self.same_person(on_trail, recorded):
                    reasons.append(Reason("status.submitter_unverified", {"transition": t.name}))
                if on_trail is not None:
                    submitters.append(on_trail)
        if not submitters:
            if rule.needs_submitter:
                reasons.append(Reason("status.submitter_unknown", {"transition": t.name}))
        elif any(self.same_person(s, actor) for s in submitters):
            reasons.append(Reason("status.four_eyes", {"transition": t.name, "actor": actor.id}))
        return reasons

    def same_person(self, a: Actor | str, b: Actor | str) -> bool:
        """Whether ``a`` and ``b`` are one person for this machine's policy.

        Compares :func:`~clientcore.model.identity_key` values, or, when the policy has an
        ``identity_key(key)`` method (:class:`RolePolicy` takes one as ``identity=``),
        what it returns for each normalised key.

        >>> from clientcore.status import RolePolicy
        >>> StatusMachine(RolePolicy.default()).same_person("ann", "\uff41nn\u200b ")
        True
        """
        left, right = identity_key(a), identity_key(b)
        key = getattr(self.policy, "identity_key", None)
        if callable(key):
            return bool(key(left) == key(right))
        return left == right

    def available(self, actor: Actor | str, party: Party) -> list[Availability]:
        """The transitions from the party's current status, each with its decision.

        Empty when the actor may not see the status (the list would reveal it).
        """
        actor = as_actor(actor)
        if not self.policy.can_view(actor, party).allowed:
            return []
        return [
            Availability(t, Decision.of(self._reasons(actor, party, t)))
            for t in self.table.from_status(party.status)
        ]

    # --- changing ---

    def apply(
        self,
        actor: Actor | str,
        party: Party,
        name: str,
        reason: str | None = None,
        *,
        at: dt.datetime,
        trail: Iterable[object] | None = None,
    ) -> tuple[Party, StatusChanged]:
        """Take transition ``name``: the changed party and the event that explains it.

        Raises :class:`~clientcore.TransitionDenied` with every reason when the
        evaluation refuses, when a required ``reason`` is blank, or when the result would
        break a rule of the model (e.g. ``client_until`` before ``client_since``). The
        party keeps its ``version``; the repository bumps it on save. ``trail`` is the
        audit trail (events) four-eyes checks the submitter against, when there is one.
        """
        actor = as_actor(actor)
        _check_at(at)
        transition = self.table.find(name)
        if transition is None:
            raise TransitionDenied([_unknown(name)], transition=name)
        reasons = self._reasons(actor, party, transition, reason, True, _events(trail))
        text = _text(reason)
        if reasons:
            raise TransitionDenied(reasons, transition=name)
        try:
            changed = _result(actor, party, transition, at)
        except ValidationError as exc:
            raise TransitionDenied(
                [Reason.from_issue(i) for i in exc.issues], transition=name
            ) from None
        event = StatusChanged(
            party_id=party.id,
            transition=name,
            source=party.status,
            target=changed.status,
            actor=actor.id,
            at=at,
            reason=text,
            approvals=_approvals(actor, transition, changed, at),
            version=party.version,
            kind_change=(party.kind, changed.kind) if changed.kind is not party.kind else None,
        )
        return changed, event

    def set_status(
        self,
        actor: Actor | str,
        party: Party,
        target: ClientStatus | str,
        reason: str | None = None,
        *,
        at: dt.datetime,
    ) -> tuple[Party, StatusChanged]:
        """Change the status field to ``target`` through its one field transition.

        Refused with ``status.no_field_transition`` when no field transition leads there
        from the current status: acceptance steps are actions and cannot be skipped
        through the field. The refusal names the transition ``"set_status"``.
        """
        actor = as_actor(actor)
        _check_at(at)
        wanted = as_status(target, "target")
        view = self.policy.can_view(actor, party)
        if not view.allowed:
            raise TransitionDenied(view.reasons, transition=SET_STATUS)
        transition = self.table.field_transition(party.status, wanted)
        if transition is None:
            raise TransitionDenied(
                [Reason("status.no_field_transition", {"source": party.status, "target": wanted})],
                transition=SET_STATUS,
            )
        return self.apply(actor, party, transition.name, reason, at=at)

    def apply_in(
        self,
        uow: UnitOfWork,
        actor: Actor | str,
        party_id: str,
        name: str,
        reason: str | None = None,
        *,
        at: dt.datetime,
    ) -> StatusChanged:
        """Get, apply, save and record, inside the caller's open unit of work.

        The caller opens ``uow`` and commits it, so a status change can share a
        transaction with other writes; nothing is kept unless it commits. Four-eyes
        checks the submitter against the unit of work's audit trail
        (:func:`audit_trail`) when it holds one.
        """
        party = uow.parties.get(party_id)
        trail = audit_trail(uow)
        changed, event = self.apply(actor, party, name, reason, at=at, trail=trail)
        uow.parties.save(changed)
        uow.record(event)
        return event

    # --- visibility ---

    def visible_status(self, actor: Actor | str, party: Party) -> ClientStatus | Restricted:
        """The party's status, or :data:`RESTRICTED` when the actor may not see it."""
        allowed = self.policy.can_view(as_actor(actor), party).allowed
        return party.status if allowed else RESTRICTED

    @overload
    def visible(
        self, actor: Actor | str, parties: Iterable[Party], mode: Literal["drop"] = "drop"
    ) -> list[Party]: ...

    @overload
    def visible(
        self, actor: Actor | str, parties: Iterable[Party], mode: Literal["mask"]
    ) -> list[tuple[Party, ClientStatus | Restricted]]: ...

    def visible(
        self, actor: Actor | str, parties: Iterable[Party], mode: str = "drop"
    ) -> list[Party] | list[tuple[Party, ClientStatus | Restricted]]:
        """The parties as ``actor`` may see them.

        ``"drop"`` keeps only the parties whose status the actor may see. ``"mask"`` keeps
        every party, paired with its status or :data:`RESTRICTED`: for a grid that shows
        the row and greys the status cell. The party itself is not altered (its status
        field cannot hold RESTRICTED), so a screen must show the paired value, never
        ``party.status``.
        """
        actor = as_actor(actor)
        if mode == "drop":
            return [p for p in parties if self.policy.can_view(actor, p).allowed]
        if mode == "mask":
            return [(p, self.visible_status(actor, p)) for p in parties]
        raise ValidationError(
            [Issue("value.invalid_choice", "mode", {"value": mode, "choices": ["drop", "mask"]})]
        )

    def visible_statuses(self, actor: Actor | str) -> frozenset[ClientStatus]:
        """The statuses ``actor`` may see on any party, for filters and repository queries.

        A policy with a ``visible_statuses(actor)`` method (as :class:`RolePolicy`) is
        asked directly; any other policy is asked ``can_view`` on a probe party per status
        (a company of the fitting kind with only a name), so a policy that also looks at
        other fields of the party should provide ``visible_statuses`` itself.
        """
        actor = as_actor(actor)
        direct = getattr(self.policy, "visible_statuses", None)
        if callable(direct):
            return frozenset(as_status(s) for s in direct(actor))
        return frozenset(s for s in ClientStatus if self.policy.can_view(actor, _probe(s)).allowed)

    def restrict(self, actor: Actor | str, flt: Filter) -> Filter:
        """``flt`` as it may run for ``actor``: hidden statuses never match, nor count.

        Every condition on ``status`` also requires a status the actor may see
        (:func:`clientcore.query.restrict_status` with :meth:`visible_statuses`), and so
        does every condition on a field the catalogue marks as betraying the status
        (:data:`STATUS_PATHS`, sub-paths such as ``status.value`` included), negated or
        not. For an actor who sees every status the filter is returned unchanged.

        >>> from clientcore.model import Actor, Party
        >>> from clientcore.query import F
        >>> from clientcore.status import RolePolicy
        >>> machine = StatusMachine(RolePolicy.default())
        >>> rows = [Party(kind="client_company", name="A", status="prospect"),
        ...         Party(kind="client_company", name="B", status="client")]
        >>> flt = machine.restrict(Actor("cas", {"assistant"}), ~F("status").eq("former_client"))
        >>> [p.name for p in flt.select(rows)]
        ['B']
        """
        visible = self.visible_statuses(actor)
        if visible >= frozenset(ClientStatus):
            return flt
        return restrict_status(flt, [s.value for s in ClientStatus if s in visible])

    # --- pictures and tables ---

    def to_mermaid(self, lang: str = "en") -> str:
        """The table as a Mermaid ``stateDiagram-v2``; action edges end in "(action)"."""
        return status_diagram(lang, self.table)

    def permission_matrix(self, policy: RoleTable | StatusPolicy | None = None) -> str:
        """Roles x transitions of ``policy`` (default: this machine's) as a Markdown table.

        The policy needs a role table (``roles``, as :class:`RolePolicy`); any other is
        refused with a :class:`~clientcore.ValidationError` (``status.matrix.no_roles``).
        """
        return permission_matrix(self.policy if policy is None else policy, self.table)


STATUS_PATHS: Final = default_schema().status_paths
"""The paths whose conditions betray a party's status in the default catalogue (fields
marked ``reveals_status`` and the acceptance record); :meth:`StatusMachine.restrict`
guards conditions on them and on their sub-paths (``status.value``)."""


def audit_trail(uow: object) -> Sequence[object] | None:
    """The audit trail a unit of work holds, for four-eyes: its ``audit_trail`` when it
    has one (the in-memory and guarded units of work do), else ``None``."""
    trail = getattr(uow, "audit_trail", None)
    return tuple(trail) if trail is not None else None


def _events(trail: Iterable[object] | None) -> Sequence[object] | None:
    return None if trail is None else tuple(trail)


def _text(reason: object) -> str | None:
    return reason.strip() if isinstance(reason, str) and reason.strip() else None


def _unknown(name: str) -> Reason:
    return Reason("status.unknown_transition", {"transition": name})


def _check_at(at: object) -> None:
    if not isinstance(at, dt.datetime):
        raise ValidationError(
            [
                Issue(
                    "value.invalid_type",
                    "at",
                    {"expected": "a datetime", "value": type(at).__name__},
                )
            ]
        )


def _result(actor: Actor, party: Party, t: TransitionDef, at: dt.datetime) -> Party:
    changes: dict[str, Any] = {"status": t.target}
    acceptance = party.acceptance
    for effect in t.effects:
        if effect is Effect.RESET_ACCEPTANCE:
            acceptance = None
        elif effect is Effect.RECORD_SUBMISSION:
            acceptance = Acceptance(submitted_by=actor.id, submitted_at=at)
        elif effect is Effect.RECORD_APPROVAL:
            acceptance = attrs.evolve(
                acceptance or Acceptance(), approved_by=actor.id, approved_at=at
            )
        elif effect is Effect.SET_CLIENT_SINCE:
            if party.client_since is None:
                changes["client_since"] = at.date()
        elif effect is Effect.SET_CLIENT_UNTIL:
            changes["client_until"] = at.date()
        elif effect is Effect.CLEAR_CLIENT_UNTIL:
            changes["client_until"] = None
        elif effect is Effect.CONVERT_TO_CLIENT_KIND:
            changes["kind"] = CLIENT_KIND_OF[party.kind]
    if acceptance is not party.acceptance:
        changes["acceptance"] = acceptance
    return attrs.evolve(party, **changes)


def _approvals(
    actor: Actor, t: TransitionDef, changed: Party, at: dt.datetime
) -> tuple[Approval, ...]:
    if not t.is_action:
        return ()
    entries: list[Approval] = []
    record = changed.acceptance
    if record is not None and record.submitted_by is not None:
        entries.append(Approval(ApprovalStep.SUBMITTED, record.submitted_by, record.submitted_at))
    if record is not None and record.approved_by is not None:
        entries.append(Approval(ApprovalStep.APPROVED, record.approved_by, record.approved_at))
    if t.approval is not None and Effect.RECORD_APPROVAL not in t.effects:
        entries.append(Approval(ApprovalStep.REJECTED, actor.id, at))
    return tuple(entries)
