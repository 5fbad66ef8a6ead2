"""The engine of bulk plans: select the parties, evaluate every operation on each, and
write the outcomes through the unit of work.

The engine never looks at which class an operation is: each operation evaluates itself
on a :class:`~clientcore.bulk.ops.Step`, and says whether it moves the status and what
the catalogue refuses in it. Status changes go through the :class:`StatusMachine`.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs

import clientcore.bulk._codes  # noqa: F401  (the messages of the codes used here)
from clientcore._errors import (
    ClientCoreError,
    ConflictError,
    Issue,
    TransitionDenied,
    ValidationError,
)
from clientcore.bulk._paths import getter, set_fields
from clientcore.bulk._policy import DEFAULT_EDIT_POLICY, EditPolicy, RoleEditPolicy
from clientcore.bulk._results import (
    Change,
    FieldsChanged,
    Outcome,
    Preview,
    Rejection,
    party_label,
)
from clientcore.bulk.ops import Operation, Restore
from clientcore.model import (
    Actor,
    ClientStatus,
    Party,
    Schema,
    default_schema,
    identity_key,
    value_issue,
)
from clientcore.ports import UnitOfWork
from clientcore.status import (
    Decision,
    Reason,
    StatusChanged,
    StatusMachine,
    audit_trail,
)

if TYPE_CHECKING:
    from clientcore.bulk._plan import BulkPlan


def context_of(
    plan: BulkPlan,
    actor: Actor,
    policy: EditPolicy,
    machine: StatusMachine | None,
    schema: Schema,
    today: dt.date | None,
    at: dt.datetime | None,
) -> tuple[Any, ...]:
    """What an evaluation depends on; a preview is reused only for the same.

    ``at`` only matters to a plan with transitions (their events and dates);
    FieldsChanged events are always made at apply time. The actor is a person with
    roles: the same person under another spelling may reuse the work.
    """
    who = (identity_key(actor), actor.roles)
    return (who, policy, machine, schema, today, at if plan.needs_machine else None)


READ_BATCH: Final = 1_000
"""How many parties :func:`read_many` asks the unit of work for at a time."""


def read_many(uow: UnitOfWork, party_ids: Sequence[str]) -> dict[str, Party]:
    """The parties of ``party_ids`` that ``uow`` holds, by id (the others left out):
    read with ``get_many``, :data:`READ_BATCH` at a time, so that a SQL store answers
    with one query per batch. A batch naming a party that cannot be read (``NotFound``)
    is split in halves and read again, down to that party: a few missing parties cost
    a few more queries, not one per party."""
    out: dict[str, Party] = {}
    pending = [party_ids[i : i + READ_BATCH] for i in range(0, len(party_ids), READ_BATCH)]
    while pending:
        batch = pending.pop()
        try:
            out.update((p.id, p) for p in uow.parties.get_many(batch))
        except ClientCoreError:
            if len(batch) > 1:
                half = len(batch) // 2
                pending += [batch[half:], batch[:half]]
    return out


def check_versions(
    uow: UnitOfWork, versions: Mapping[str, int], code: str = "bulk.conflict"
) -> None:
    """``ConflictError`` (issues coded ``code``) naming every party whose version in
    ``uow`` is no longer the one in ``versions`` (party id to the version a preview saw)."""
    stale: list[Issue] = []
    found = read_many(uow, list(versions))
    for pid, version in versions.items():
        party = found.get(pid)
        now = party.version if party is not None else -1
        if now != version:
            stale.append(
                Issue(
                    code,
                    "version",
                    {"party_id": pid, "expected": version, "actual": now},
                )
            )
    if stale:
        raise ConflictError(stale)


def select(
    plan: BulkPlan,
    uow: UnitOfWork,
    actor: Actor,
    today: dt.date | None,
    machine: StatusMachine | None,
) -> tuple[list[Party], list[str]]:
    """The parties the plan selects for ``actor``, and the ids not found (or hidden)."""
    sel = plan.selection
    flt = sel.filter
    if flt is not None and machine is not None:
        flt = machine.restrict(actor, flt)
    missing: list[str] = []
    if sel.ids is not None:
        parties = []
        wanted = list(dict.fromkeys(sel.ids))
        read = read_many(uow, wanted)
        for pid in wanted:
            party = read.get(pid)
            if party is None:
                missing.append(pid)
                continue
            if machine is not None and not machine.policy.can_view(actor, party).allowed:
                missing.append(pid)  # not found, as far as this actor may know
                continue
            parties.append(party)
        if flt is not None:
            predicate = flt.compile(today=today)
            parties = [p for p in parties if predicate(p)]
        return parties, missing
    if flt is None:
        return [], missing
    found = uow.parties.find(flt, today=today)
    if machine is not None:
        found = machine.visible(actor, found)
    return found, missing


def evaluate_plan(
    plan: BulkPlan,
    uow: UnitOfWork,
    actor: Actor,
    today: dt.date | None,
    machine: StatusMachine | None,
    edit_policy: EditPolicy | None,
    schema: Schema | None,
    at: dt.datetime | None,
) -> Preview:
    """Every change and rejection of ``plan`` for ``actor``, in the open ``uow``."""
    policy, catalogue = resolve(edit_policy, schema)
    _check_catalogue(plan.operations, catalogue)
    parties, missing = select(plan, uow, actor, today, machine)
    if not parties and not missing:
        raise ValidationError([Issue("bulk.empty_selection", "selection")])
    over = plan.limit is not None and len(parties) > plan.limit
    outcomes: dict[str, Outcome] = {}
    allowed = _AllowCache(policy, actor)
    restored = _RestoreCheck(catalogue)
    trails = _Trails(audit_trail(uow)) if plan.needs_machine else _Trails(None)
    for party in parties:
        if over:
            issue = Issue("bulk.over_limit", "", {"limit": plan.limit, "count": len(parties)})
            outcomes[party.id] = Outcome(party, None, (), (), (issue,), True)
            continue
        outcomes[party.id] = _evaluate(
            plan, party, actor, machine, allowed, restored, at, today, trails
        )
    changes: list[Change] = []
    unchanged: list[str] = []
    rejections: list[Rejection] = [
        Rejection(pid, (Issue("not_found.party", "", {"what": "party", "id": pid}),))
        for pid in missing
    ]
    for pid, outcome in outcomes.items():
        if outcome.issues:
            rejections.append(Rejection(pid, outcome.issues))
        elif outcome.changes:
            changes.extend(outcome.changes)
        else:
            unchanged.append(pid)
    return Preview(
        plan.id,
        len(parties),
        tuple(changes),
        tuple(unchanged),
        tuple(rejections),
        {p.id: p.version for p in parties},
        outcomes,
        context_of(plan, actor, policy, machine, catalogue, today, at),
    )


def reusable(plan: BulkPlan, preview: Preview | None, context: tuple[Any, ...]) -> bool:
    """Whether ``preview``'s outcomes may be written as they are: same context, every
    outcome complete, and no status change (a preview is evidence, not permission:
    guards and the audit trail are asked again)."""
    return (
        preview is not None
        and not plan.needs_machine
        and _same(preview.context, context)
        and all(o.complete for o in preview.outcomes.values())
    )


@attrs.frozen
class Written:
    """What :func:`write` saved: the ids, the events, the undo operations, the names."""

    applied: tuple[str, ...]
    events: tuple[Any, ...]
    restores: tuple[Operation, ...]
    names: Mapping[str, str]


def write(
    plan: BulkPlan,
    uow: UnitOfWork,
    actor: Actor,
    current: Preview,
    skipped: Iterable[str],
    at: dt.datetime,
) -> Written:
    """Save every changed outcome of ``current`` but those ``skipped``, and record one
    :class:`FieldsChanged` per party with its status events (the caller commits)."""
    leave_out = frozenset(skipped)
    events: list[Any] = []
    applied: list[str] = []
    restores: list[Operation] = []
    save = uow.parties.save
    outcomes = current.outcomes
    for pid, outcome in outcomes.items():
        if outcome.issues or not outcome.changes or outcome.after is None:
            continue
        if pid in leave_out:
            continue
        saved = save(outcome.after)
        applied.append(pid)
        events.append(FieldsChanged(pid, plan.id, actor.id, at, outcome.changes))
        if outcome.events:
            events.extend(outcome.events)
        restores.append(_restore_for(outcome, saved.version))
    uow.record(*events)
    names = {pid: party_label(outcomes[pid].before) for pid in applied}
    return Written(tuple(applied), tuple(events), tuple(restores), names)


def merged_rejections(preview: Preview | None, current: Preview) -> list[Rejection]:
    """Every rejection of the apply's evaluation, then those only the preview had
    (a party missing then and back since is still a rejection the user was shown)."""
    out = list(current.rejections)
    if preview is not None and preview is not current:
        seen = {r.party_id for r in out}
        out.extend(r for r in preview.rejections if r.party_id not in seen)
    return out


def resolve(policy: EditPolicy | None, schema: Schema | None) -> tuple[EditPolicy, Schema]:
    return (
        policy if policy is not None else DEFAULT_EDIT_POLICY,
        schema if schema is not None else default_schema(),
    )


def _same(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    return len(a) == len(b) and all(x is y or x == y for x, y in zip(a, b, strict=True))


def _check_catalogue(operations: Sequence[Operation], schema: Schema) -> None:
    """The plan's operations against the catalogue, once per plan (a value is the same
    for every party): each operation says what the catalogue refuses in it."""
    issues = [issue for i, op in enumerate(operations) for issue in op.catalogue_issues(schema, i)]
    if issues:
        raise ValidationError(issues)


class _RestoreCheck:
    """Restored values against the catalogue, cached per (path, value): an undo plan
    holds one value per party, most of them alike."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.cache: dict[tuple[str, Hashable], Issue | None] = {}

    def __call__(self, path: str, value: Any) -> Issue | None:
        if path in _RESTORED_BY_PLAN:
            return None
        try:
            key = (path, value)
            found = self.cache.get(key, _MISSING)
        except TypeError:  # an unhashable value: check it every time
            return self._check(path, value)
        if found is _MISSING:
            found = self.cache[key] = self._check(path, value)
        return found  # type: ignore[return-value]

    def _check(self, path: str, value: Any) -> Issue | None:
        field = self.schema.get(path)
        if field is None:
            return Issue("field.unknown", path, {"suggestion": self.schema.suggest(path) or ""})
        if not field.bulk_editable:
            return Issue("bulk.field.not_in_schema", path, {"path": path})
        return value_issue(field, value)


_MISSING: Final = object()
# what operations other than SetField change; their values are built by the plan itself
_RESTORED_BY_PLAN: Final = frozenset({"labels", "tasks", "task_presets", "status"})


class _AllowCache:
    """Edit decisions of a role policy do not depend on the party: ask once per path."""

    def __init__(self, policy: EditPolicy, actor: Actor) -> None:
        self.policy = policy
        self.actor = actor
        self.by_role = isinstance(policy, RoleEditPolicy)
        self.cache: dict[str, Decision] = {}

    def __call__(self, party: Party, path: str) -> Decision:
        if not self.by_role:
            return self.policy.can_edit(self.actor, party, path)
        found = self.cache.get(path)
        if found is None:
            found = self.cache[path] = self.policy.can_edit(self.actor, party, path)
        return found


class _Trails:
    """The audit trail per party (the last status event of each), read once per plan:
    four-eyes checks each submitter against it."""

    def __init__(self, trail: Sequence[object] | None) -> None:
        self.known = trail is not None
        self.last: dict[str, StatusChanged] = {}
        for event in trail or ():
            if isinstance(event, StatusChanged):
                self.last[event.party_id] = event

    def of(self, party_id: str, taken: Sequence[StatusChanged]) -> Sequence[object] | None:
        if not self.known:
            return None
        found = self.last.get(party_id)
        return (found, *taken) if found is not None else tuple(taken)


def _reason_issues(reasons: Iterable[Reason], path: str) -> list[Issue]:
    return [Issue(r.code, path, dict(r.params)) for r in reasons]


def _rejected(party: Party, issues: Iterable[Issue]) -> Outcome:
    return Outcome(party, None, (), (), tuple(issues), True)


class _Step:
    """The evaluation of one party as its operations see it (a ``bulk.ops.Step``)."""

    __slots__ = (
        "_allowed",
        "_restored",
        "issues",
        "party",
        "restore_status",
        "steps",
        "values",
    )

    def __init__(
        self,
        party: Party,
        allowed: Callable[[Party, str], Decision],
        restored: Callable[[str, Any], Issue | None],
    ) -> None:
        self.party = party
        self.values: dict[str, Any] = {}
        self.issues: list[Issue] = []
        self.steps: list[tuple[str, str | None]] = []  # transitions to take, in order
        self.restore_status: ClientStatus | None = None
        self._allowed = allowed
        self._restored = restored

    def permit(self, path: str) -> bool:
        decision = self._allowed(self.party, path)
        if not decision.allowed:
            self.issues.extend(_reason_issues(decision.reasons, path))
        return decision.allowed

    def refuse(self, issue: Issue) -> None:
        self.issues.append(issue)

    def check_restored(self, path: str, value: Any) -> Issue | None:
        return self._restored(path, value)

    def take(self, transition: str, reason: str | None) -> None:
        self.steps.append((transition, reason))

    def return_to(self, status: ClientStatus) -> None:
        self.restore_status = status


def _evaluate(
    plan: BulkPlan,
    party: Party,
    actor: Actor,
    machine: StatusMachine | None,
    allowed: Callable[[Party, str], Decision],
    restored: Callable[[str, Any], Issue | None],
    at: dt.datetime | None,
    today: dt.date | None,
    trails: _Trails,
) -> Outcome:
    step = _Step(party, allowed, restored)
    for op in plan.operations:
        op.evaluate(step)
    if step.issues:
        return _rejected(party, step.issues)
    values, steps, restore_status = step.values, step.steps, step.restore_status
    after = party
    events: list[StatusChanged] = []
    complete = True
    moved = bool(steps) or restore_status is not None
    if moved:
        # Statuses are decided on the party as stored, before any value of this plan is
        # written, so no value of the plan can sway the machine (four-eyes, policy).
        assert machine is not None
        moment = at
        if moment is None:
            # a preview without a moment of its own shows the change as of the start of today
            assert today is not None
            moment = dt.datetime.combine(today, dt.time())
            complete = False
        for name, reason in steps:
            trail = trails.of(party.id, events)
            decision = machine.evaluate(actor, after, name, trail=trail)
            if not decision.allowed:
                return _rejected(party, _reason_issues(decision.reasons, "status"))
            try:
                after, event = machine.apply(
                    actor, after, name, reason=reason, at=moment, trail=trail
                )
            except TransitionDenied as err:  # checks only apply makes (a missing reason)
                return _rejected(party, _reason_issues(err.reasons, "status"))
            events.append(event)
        if restore_status is not None:
            route = _route(
                machine,
                actor,
                after,
                restore_status,
                moment,
                plan.id,
                trails.of(party.id, events),
            )
            if isinstance(route, Issue):
                return _rejected(party, (route,))
            after, taken = route
            events.extend(taken)
    changed: dict[str, Any] = {}
    olds: dict[str, Any] = {}
    if values:
        base = after
        for path, value in values.items():
            old = getter(path)(base)
            if old != value:
                changed[path] = value
                olds[path] = old
        if changed:
            try:
                after = set_fields(after, changed)
            except ValidationError as err:
                return _rejected(party, err.issues)
    if moved:
        changes = _diff(party, after, values, moved)
    else:  # only what differs from the stored party can have changed; its old value is known
        pid = party.id
        changes = tuple(
            [
                Change(pid, path, old, new)
                for path, old in olds.items()
                if old != (new := getter(path)(after))
            ]
        )
    return Outcome(party, after, changes, tuple(events) if events else (), (), complete)


_NEVER_BY_VALUE: Final = frozenset({"acceptance", "kind"})
_MAX_ROUTES: Final = 64


def _routes(machine: StatusMachine, source: ClientStatus, target: Any) -> Iterable[list[str]]:
    """Every simple path of transitions from ``source`` to ``target``, shortest first."""
    queue: deque[tuple[ClientStatus, list[str], frozenset[ClientStatus]]] = deque(
        [(source, [], frozenset({source}))]
    )
    found = 0
    while queue and found < _MAX_ROUTES:
        status, names, seen = queue.popleft()
        for t in machine.table.from_status(status):
            if t.target == target:
                found += 1
                yield [*names, t.name]
            elif t.target not in seen:
                queue.append((t.target, [*names, t.name], seen | {t.target}))


def _route(
    machine: StatusMachine,
    actor: Actor,
    party: Party,
    target: Any,
    at: dt.datetime,
    plan_id: str,
    trail: Sequence[object] | None = None,
) -> tuple[Party, list[StatusChanged]] | Issue:
    """Take the party back to ``target`` by the shortest way the machine allows (each
    step evaluated and applied as any transition), or the first refusal met."""
    if party.status == target:
        return party, []
    view = machine.policy.can_view(actor, party)
    if not view.allowed:
        return _reason_issues(view.reasons, "status")[0]
    refusal: Issue | None = None
    reason = f"undo (plan {plan_id})"
    for names in _routes(machine, party.status, target):
        current, events = party, list[StatusChanged]()
        for name in names:
            steps = None if trail is None else (*trail, *events)
            decision = machine.evaluate(actor, current, name, trail=steps)
            if not decision.allowed:
                refusal = refusal or _reason_issues(decision.reasons, "status")[0]
                break
            try:
                current, event = machine.apply(
                    actor, current, name, reason=reason, at=at, trail=steps
                )
            except TransitionDenied as err:
                refusal = refusal or _reason_issues(err.reasons, "status")[0]
                break
            events.append(event)
        else:
            return current, events
    if refusal is not None:
        return refusal
    return Issue(
        "bulk.no_route",
        "status",
        {"source": party.status.value, "target": str(getattr(target, "value", target))},
    )


_STATUS_SIDE_EFFECTS: Final = (
    "status",
    "client_since",
    "client_until",
    "acceptance",
    "kind",
)


def _diff(
    before: Party, after: Party, values: Mapping[str, Any], moved: bool
) -> tuple[Change, ...]:
    if after is before:
        return ()
    paths: Iterable[str] = values
    if moved:
        paths = [*values, *(p for p in _STATUS_SIDE_EFFECTS if p not in values)]
    out = []
    pid = before.id
    for path in paths:
        get = getter(path)
        old, new = get(before), get(after)
        if old != new:
            out.append(Change(pid, path, old, new))
    return tuple(out)


def _restore_for(outcome: Outcome, version: int) -> Restore:
    # acceptance and kind follow the status (the machine writes them); everything else
    # changed goes back by value. The values come from the store and were just checked
    # by the plan, so the Restore is built without checking them again (100,000 of them
    # in a large undo).
    values = tuple((c.path, c.before) for c in outcome.changes if c.path not in _NEVER_BY_VALUE)
    return Restore.of_checked(outcome.before.id, version, values)
