"""Bulk plans: a selection and operations; preview, atomic apply, receipt and undo.

>>> import datetime as dt
>>> from clientcore import Actor, InMemoryUnitOfWork, Party
>>> from clientcore.bulk import BulkPlan, Labels, SetField
>>> from clientcore.query import F
>>> uow = InMemoryUnitOfWork()
>>> with uow:
...     for i in range(3):
...         _ = uow.parties.add(Party(id=f"p{i}", kind="client_company", name=f"Client {i}"))
...     uow.commit()
>>> ops = [SetField("language", "fr"), Labels(add={"vip"})]
>>> plan = BulkPlan(F("name").starts_with("client"), ops)
>>> ann = Actor("ann", {"staff"})
>>> preview = plan.preview(uow, ann)
>>> len(preview.changes), len(preview.rejections)
(6, 0)
>>> receipt = plan.apply(uow, ann, preview=preview, at=dt.datetime(2026, 1, 5, 9, 0))
>>> receipt.applied
('p0', 'p1', 'p2')
>>> _ = receipt.undo.apply(uow, ann, at=dt.datetime(2026, 1, 5, 9, 5))
>>> with uow:
...     uow.parties.get("p0").language is None
True
"""

from __future__ import annotations

import datetime as dt
import html
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import Any, Final, Literal, Protocol, runtime_checkable

import attrs

from clientcore._errors import (
    ClientCoreError,
    ConflictError,
    Issue,
    TransitionDenied,
    UnknownField,
    ValidationError,
)
from clientcore._limits import PLAN_LIMITS, check_input
from clientcore._messages import define
from clientcore.bulk._paths import default_of, getter, set_fields
from clientcore.bulk.ops import (
    ApplyTaskPreset,
    ClearField,
    Labels,
    Operation,
    Restore,
    SetField,
    SetTask,
    Transition,
    operations_from_json,
)
from clientcore.model import (
    Actor,
    ClientStatus,
    Party,
    Schema,
    Task,
    TaskPreset,
    as_actor,
    default_schema,
    identity_key,
    new_id,
    value_issue,
)
from clientcore.ports import UnitOfWork
from clientcore.query import Filter
from clientcore.status import Decision, Reason, StatusChanged, StatusMachine, audit_trail

define(
    {
        "bulk.empty_selection": (
            "The plan selects no party: there is nothing to change.",
            "Het plan selecteert geen enkele partij: er valt niets te wijzigen.",
            "Le plan ne sélectionne aucune partie : il n'y a rien à modifier.",
        ),
        "bulk.over_limit": (
            "This edit is limited to {limit} parties; {count} are selected.",
            "Deze wijziging is beperkt tot {limit} partijen; er zijn er {count} geselecteerd.",
            "Cette modification est limitée à {limit} parties ; {count} sont sélectionnées.",
        ),
        "bulk.not_allowed": (
            "{actor} may not edit '{path}'.",
            "{actor} mag '{path}' niet wijzigen.",
            "{actor} ne peut pas modifier '{path}'.",
        ),
        "bulk.needs_machine": (
            "This plan changes statuses: pass machine= (a StatusMachine).",
            "Dit plan wijzigt statussen: geef machine= mee (een StatusMachine).",
            "Ce plan modifie des statuts : passez machine= (une StatusMachine).",
        ),
        "bulk.needs_at": (
            "This needs the moment of the change: pass at= (a datetime) or today=.",
            "Dit vraagt het tijdstip van de wijziging: geef at= (een datetime) of today= mee.",
            "Il faut le moment du changement : passez at= (un datetime) ou today=.",
        ),
        "bulk.conflict": (
            "Party {party_id} was changed since (version {expected} expected, {actual} found).",
            "Partij {party_id} werd intussen gewijzigd (versie {expected} verwacht, "
            "{actual} gevonden).",
            "La partie {party_id} a été modifiée entre-temps (version {expected} attendue, "
            "{actual} trouvée).",
        ),
        "bulk.no_route": (
            "No transition leads from '{source}' back to '{target}'.",
            "Geen overgang leidt van '{source}' terug naar '{target}'.",
            "Aucune transition ne ramène de '{source}' à '{target}'.",
        ),
        "bulk.rejected": (
            "{count} parties were rejected; nothing was written.",
            "{count} partijen werden geweigerd; er werd niets geschreven.",
            "{count} parties ont été refusées ; rien n'a été écrit.",
        ),
        "bulk.preview.other_plan": (
            "This preview is of plan {preview_plan}, not of plan {plan}.",
            "Deze preview hoort bij plan {preview_plan}, niet bij plan {plan}.",
            "Cet aperçu est celui du plan {preview_plan}, pas du plan {plan}.",
        ),
        "bulk.field.not_in_schema": (
            "'{path}' cannot be changed by a bulk edit in this catalogue.",
            "'{path}' kan in deze catalogus niet gewijzigd worden in een bulkwijziging.",
            "'{path}' ne peut pas être modifié par une modification groupée dans ce catalogue.",
        ),
        "bulk.plan.invalid": (
            "Invalid bulk plan at {path}: {reason}.",
            "Ongeldig bulkplan op {path}: {reason}.",
            "Plan groupé invalide à {path} : {reason}.",
        ),
    }
)

PLAN_VERSION: Final = 1


# --- who may edit what ---


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


_DEFAULT_POLICY: Final = RoleEditPolicy.default()

# --- the plan and its results ---


@attrs.frozen
class BulkSelection:
    """Which parties a plan touches: those matching ``filter``, those in ``ids``, or the
    ids that also match the filter when both are given."""

    filter: Filter | None = None
    ids: tuple[str, ...] | None = None


def _plan_invalid(path: str, reason: str) -> ValidationError:
    return ValidationError([Issue("bulk.plan.invalid", path, {"reason": reason})])


def _ids(value: Iterable[object], path: str) -> tuple[str, ...]:
    out = tuple(value)
    for i, pid in enumerate(out):
        if not isinstance(pid, str) or not pid:
            raise _plan_invalid(f"{path}[{i}]", "a party id is a non-empty text")
    return out  # type: ignore[return-value]


def _selection(value: object) -> BulkSelection:
    if isinstance(value, BulkSelection):
        if value.ids is not None:
            _ids(value.ids, "selection.ids")
        return value
    if isinstance(value, Filter):
        return BulkSelection(filter=value)
    if (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], Filter)
        and isinstance(value[1], Iterable)
        and not isinstance(value[1], (str, bytes))
    ):
        return BulkSelection(filter=value[0], ids=_ids(value[1], "selection.ids"))
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise _plan_invalid("selection", "a Filter, a list of party ids, or (filter, ids)")
    return BulkSelection(ids=_ids(value, "selection"))


def _check_limit(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None and (type(value) is not int or value < 1):
        raise _plan_invalid("limit", "a positive whole number, or None")


def _operations(value: Iterable[Operation]) -> tuple[Operation, ...]:
    ops = tuple(value)
    for i, op in enumerate(ops):
        if not isinstance(op, Operation):
            raise ValidationError(
                [
                    Issue(
                        "bulk.plan.invalid",
                        f"operations[{i}]",
                        {"reason": f"not an operation: {type(op).__name__}"},
                    )
                ]
            )
    return ops


@attrs.frozen
class Change:
    """One field of one party, before and after."""

    party_id: str
    path: str
    before: Any
    after: Any


@attrs.frozen
class Rejection:
    """A party the plan cannot change, and every reason why."""

    party_id: str
    issues: tuple[Issue, ...]


@attrs.frozen
class FieldsChanged:
    """The audit event of a bulk edit on one party."""

    party_id: str
    plan_id: str
    actor: str
    at: dt.datetime
    changes: tuple[Change, ...]


class _Outcome:
    """What a plan does to one party (private; a plain slotted class because a plan
    makes one per selected party)."""

    __slots__ = ("after", "before", "changes", "complete", "events", "issues")

    def __init__(
        self,
        before: Party,
        after: Party | None,
        changes: tuple[Change, ...],
        events: tuple[StatusChanged, ...],
        issues: tuple[Issue, ...],
        complete: bool,  # after holds every change (status ones included)
    ) -> None:
        self.before = before
        self.after = after
        self.changes = changes
        self.events = events
        self.issues = issues
        self.complete = complete


def _render_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, frozenset):
        return "{" + ", ".join(sorted(value)) + "}"
    if isinstance(value, tuple):
        return "[" + ", ".join(getattr(v, "code", None) or str(v) for v in value) + "]"
    if hasattr(value, "value") and isinstance(getattr(value, "value", None), str):
        return str(value.value)
    return "—" if value is None else str(value)


def _item_key(item: Any) -> str | None:
    """How an item of a collection is named in a change: a task by its code, a task
    preset by code/step, anything with an id by its id."""
    if isinstance(item, Task):
        return item.code
    if isinstance(item, TaskPreset):
        return f"{item.task_code}/{item.step}"
    key = getattr(item, "id", None)
    return key if isinstance(key, str) else None


def _item_summary(item: Any) -> str:
    if attrs.has(type(item)):
        shown = [
            f"{f.name}: {_render_value(getattr(item, f.name))}"
            for f in attrs.fields(type(item))
            if getattr(item, f.name) is not None
        ]
        return "{" + ", ".join(shown) + "}"
    return _render_value(item)


def change_lines(change: Change) -> list[tuple[str, str, str]]:
    """A change as (path, before, after) lines to show: a changed item of a collection
    by what changed in it (``tasks[vat].active``, ``false``, ``true``), an added or
    removed item as a whole; any other value as it is.

    >>> before, after = (Task("vat", active=False),), (Task("vat", active=True),)
    >>> change_lines(Change("p1", "tasks", before, after))
    [('tasks[vat].active', 'false', 'true')]
    """
    old, new = change.before, change.after
    if not (isinstance(old, tuple) and isinstance(new, tuple)):
        return [(change.path, _render_value(old), _render_value(new))]
    olds = {_item_key(i): i for i in old}
    news = {_item_key(i): i for i in new}
    if None in olds or None in news or len(olds) != len(old) or len(news) != len(new):
        return [(change.path, _render_value(old), _render_value(new))]
    lines: list[tuple[str, str, str]] = []
    for key, item in olds.items():
        at = f"{change.path}[{key}]"
        other = news.get(key)
        if other is None:
            lines.append((at, _item_summary(item), "—"))
        elif other != item and attrs.has(type(item)) and type(other) is type(item):
            for f in attrs.fields(type(item)):
                a, b = getattr(item, f.name), getattr(other, f.name)
                if a != b:
                    lines.append((f"{at}.{f.name}", _render_value(a), _render_value(b)))
        elif other != item:
            lines.append((at, _item_summary(item), _item_summary(other)))
    for key, item in news.items():
        if key not in olds:
            lines.append((f"{change.path}[{key}]", "—", _item_summary(item)))
    return lines


def party_label(party: Party) -> str:
    """How a preview or receipt names a party beside its id: client number and name."""
    return f"{party.number} {party.name}" if party.number else party.name


@attrs.frozen
class Preview:
    """What a plan would do, written nowhere: every change, the unchanged, the rejected."""

    plan_id: str
    selected: int
    changes: tuple[Change, ...]
    unchanged: tuple[str, ...]
    rejections: tuple[Rejection, ...]
    versions: Mapping[str, int] = attrs.field(repr=False)
    _outcomes: Mapping[str, _Outcome] = attrs.field(repr=False, eq=False, alias="outcomes")
    # what the preview was computed with: apply reuses its work only for the same
    _context: tuple[Any, ...] = attrs.field(repr=False, eq=False, alias="context", default=())

    @property
    def changed_ids(self) -> tuple[str, ...]:
        """The parties that would change."""
        return tuple(dict.fromkeys(c.party_id for c in self.changes))

    def name_of(self, party_id: str) -> str:
        """The client number and name of a selected party (``""`` for an id not found)."""
        outcome = self._outcomes.get(party_id)
        return party_label(outcome.before) if outcome is not None else ""

    def _who(self, party_id: str) -> str:
        name = self.name_of(party_id)
        return f"{name} ({party_id})" if name else party_id

    def to_text(self, lang: str = "en", limit: int = 50) -> str:
        """A plain-text summary and table (the first ``limit`` changes and rejections):
        each party by client number, name and id, each changed item of a collection by
        what changed in it."""
        lines = [
            f"plan {self.plan_id}: {self.selected} selected, {len(self.changed_ids)} to change, "
            f"{len(self.unchanged)} unchanged, {len(self.rejections)} rejected"
        ]
        for change in self.changes[:limit]:
            who = self._who(change.party_id)
            for path, old, new in change_lines(change):
                lines.append(f"  {who}  {path}: {old} → {new}")
        if len(self.changes) > limit:
            lines.append(f"  … {len(self.changes) - limit} more changes")
        for rejection in self.rejections[:limit]:
            for issue in rejection.issues:
                lines.append(f"  ✗ {self._who(rejection.party_id)}  {issue.message(lang)}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = "".join(
            f"<tr><td>{esc(self._who(c.party_id))}</td><td>{esc(path)}</td>"
            f"<td>{esc(old)}</td><td>{esc(new)}</td></tr>"
            for c in self.changes[:200]
            for path, old, new in change_lines(c)
        )
        rejected = "".join(
            f"<li><b>{esc(self._who(r.party_id))}</b>: "
            f"{esc('; '.join(i.message() for i in r.issues))}</li>"
            for r in self.rejections[:200]
        )
        return (
            f"<div><p><b>Plan {esc(self.plan_id)}</b>: {self.selected} selected, "
            f"{len(self.changed_ids)} to change, {len(self.unchanged)} unchanged, "
            f"{len(self.rejections)} rejected</p>"
            "<table><thead><tr><th>party</th><th>field</th><th>before</th><th>after</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>"
            + (
                f"<details><summary>rejected</summary><ul>{rejected}</ul></details>"
                if rejected
                else ""
            )
            + "</div>"
        )


class BulkRejected(ClientCoreError):
    """Applying with ``on_rejection="abort"`` met rejected parties; nothing was written."""

    def __init__(self, rejections: Sequence[Rejection]) -> None:
        self.rejections = tuple(rejections)
        self.issues = tuple(
            attrs.evolve(i, path=f"{r.party_id}:{i.path}" if i.path else r.party_id)
            for r in self.rejections
            for i in r.issues
        )
        super().__init__(Issue("bulk.rejected", "", {"count": len(self.rejections)}).message())


@attrs.frozen
class Receipt:
    """What an apply did, with the plan that undoes it.

    ``skipped`` holds every party left out (``not_found`` included); ``names`` the
    client number and name of each applied party, which :meth:`to_text` shows.
    """

    plan_id: str
    applied: tuple[str, ...]
    skipped: tuple[Rejection, ...]
    events: tuple[Any, ...]
    undo: BulkPlan
    names: Mapping[str, str] = attrs.field(factory=dict, eq=False, repr=False)

    def _who(self, party_id: str) -> str:
        name = self.names.get(party_id, "")
        return f"{name} ({party_id})" if name else party_id

    def to_text(self, lang: str = "en", limit: int = 50) -> str:
        """What was applied and skipped, each party by client number, name and id, each
        change as the preview shows it."""
        lines = [f"plan {self.plan_id}: {len(self.applied)} applied, {len(self.skipped)} skipped"]
        shown = 0
        for event in self.events:
            if not isinstance(event, FieldsChanged) or shown >= limit:
                continue
            shown += 1
            for change in event.changes:
                for path, old, new in change_lines(change):
                    lines.append(f"  {self._who(event.party_id)}  {path}: {old} → {new}")
        for rejection in self.skipped[:limit]:
            for issue in rejection.issues:
                lines.append(f"  ✗ {self._who(rejection.party_id)}  {issue.message(lang)}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        return "<pre>" + html.escape(self.to_text()) + "</pre>"


OnRejection = Literal["abort", "skip"]


@attrs.frozen
class BulkPlan:
    """A selection and the operations to apply to every selected party.

    ``selection`` is a :class:`~clientcore.query.Filter`, a list of party ids, or
    ``(filter, ids)`` (the ids that also match). ``limit`` caps the number of parties
    (time entries: at most 20 clients).
    """

    selection: BulkSelection = attrs.field(converter=_selection)
    operations: tuple[Operation, ...] = attrs.field(converter=_operations)
    limit: int | None = attrs.field(default=None, validator=_check_limit)
    id: str = attrs.field(factory=new_id)

    @property
    def is_empty(self) -> bool:
        """Whether this is the empty plan (no ids, no filter, no operations): what
        ``receipt.undo`` is when the apply changed nothing. Previewing or applying it
        does nothing and raises nothing."""
        sel = self.selection
        return not self.operations and sel.filter is None and sel.ids == ()

    @property
    def needs_machine(self) -> bool:
        """Whether the plan changes statuses (and so needs a :class:`StatusMachine`)."""
        return any(
            isinstance(op, Transition)
            or (isinstance(op, Restore) and any(p == "status" for p, _ in op.values))
            for op in self.operations
        )

    # --- JSON ---

    def to_json(self) -> dict[str, Any]:
        """``{"clientcore_bulk_plan": 1, ...}``: to hold for a colleague, schedule or log."""
        sel = self.selection
        return {
            "clientcore_bulk_plan": PLAN_VERSION,
            "id": self.id,
            "selection": {
                "filter": sel.filter.to_json() if sel.filter is not None else None,
                "ids": list(sel.ids) if sel.ids is not None else None,
            },
            "operations": [op.to_json() for op in self.operations],
            "limit": self.limit,
        }

    @staticmethod
    def from_json(data: Any) -> BulkPlan:
        """Decode strictly; faults raise ``ValidationError`` (or ``FilterError``) with a path.

        The input is bounded first (:data:`~clientcore.errors.PLAN_LIMITS`: at most
        100,000 ids), before any id or operation is read.
        """
        return _plan_from_json(data)

    # --- preview and apply ---

    def preview(
        self,
        uow: UnitOfWork,
        actor: Actor | str,
        today: dt.date | None = None,
        *,
        machine: StatusMachine | None = None,
        edit_policy: EditPolicy | None = None,
        schema: Schema | None = None,
        at: dt.datetime | None = None,
    ) -> Preview:
        """Every change the plan would make, and every rejection; writes nothing.

        With ``machine=`` the selection is what ``actor`` may see: conditions on the
        status (and the fields that betray it) never match a hidden status, and a party
        whose status is hidden from the actor is left out (an explicit id of one is
        reported as not found). Without a machine there is no status visibility.
        Values are checked against ``schema`` (default: the built-in catalogue).
        ``actor`` is an :class:`~clientcore.model.Actor` or a user id (an actor without
        roles).
        """
        actor = as_actor(actor)
        self._check_machine(machine)
        if self.needs_machine and at is None and today is None:
            raise ValidationError([Issue("bulk.needs_at", "at")])
        if self.is_empty:
            return Preview(self.id, 0, (), (), (), {}, {}, ())
        with uow:
            return self._preview(uow, actor, today, machine, edit_policy, schema, at)

    def apply(
        self,
        uow: UnitOfWork,
        actor: Actor | str,
        preview: Preview | None = None,
        on_rejection: OnRejection = "abort",
        *,
        at: dt.datetime | None = None,
        today: dt.date | None = None,
        machine: StatusMachine | None = None,
        edit_policy: EditPolicy | None = None,
        schema: Schema | None = None,
    ) -> Receipt:
        """Apply in one transaction: every change is committed, or none.

        With a ``preview``, a party whose version changed since makes the whole apply
        fail with ``ConflictError`` naming the parties. The preview's work is reused only
        when it was computed with the same actor, edit policy, machine, schema and
        ``today`` (and, for a plan with transitions, the same ``at``); otherwise the plan
        is evaluated again for this apply. A preview of another plan is an error.

        A preview is evidence, not permission: a plan that changes statuses is always
        evaluated again inside this transaction, so every guard asks its facts
        (running projects) again and four-eyes reads the audit trail as it is now.
        Rejected parties (those of the preview and those of this apply, ``not_found``
        included) abort the apply (``on_rejection="abort"``, raising
        :class:`BulkRejected`) or are left out and reported in ``receipt.skipped``
        (``"skip"``).
        """
        actor = as_actor(actor)
        self._check_machine(machine)
        if not isinstance(at, dt.datetime):
            raise ValidationError([Issue("bulk.needs_at", "at")])
        if on_rejection not in ("abort", "skip"):
            raise _plan_invalid("on_rejection", "on_rejection is 'abort' or 'skip'")
        if preview is not None and preview.plan_id != self.id:
            raise ValidationError(
                [
                    Issue(
                        "bulk.preview.other_plan",
                        "preview",
                        {"plan": self.id, "preview_plan": preview.plan_id},
                    )
                ]
            )
        if self.is_empty:
            return Receipt(self.id, (), (), (), self)
        policy, catalogue = _resolve(edit_policy, schema)
        context = self._context(actor, policy, machine, catalogue, today, at)
        with uow:
            if preview is not None:
                self._check_versions(uow, preview)
            if (
                preview is not None
                and not self.needs_machine
                and _same(preview._context, context)
                and all(o.complete for o in preview._outcomes.values())
            ):
                current = preview
            else:
                current = self._preview(uow, actor, today, machine, policy, catalogue, at)
            outcomes = current._outcomes
            rejected = _merged_rejections(preview, current)
            if rejected and on_rejection == "abort":
                raise BulkRejected(rejected)
            events: list[Any] = []
            applied: list[str] = []
            restores: list[Operation] = []
            save = uow.parties.save
            skipped = {r.party_id for r in rejected}
            for pid, outcome in outcomes.items():
                if outcome.issues or not outcome.changes or outcome.after is None:
                    continue
                if pid in skipped:
                    continue
                saved = save(outcome.after)
                applied.append(pid)
                events.append(FieldsChanged(pid, self.id, actor.id, at, outcome.changes))
                if outcome.events:
                    events.extend(outcome.events)
                restores.append(_restore_for(outcome, saved.version))
            uow.record(*events)
            uow.commit()
        undo = BulkPlan(applied, restores, id=f"undo-{self.id}")
        names = {pid: party_label(outcomes[pid].before) for pid in applied}
        return Receipt(self.id, tuple(applied), tuple(rejected), tuple(events), undo, names)

    # --- internals ---

    def _context(
        self,
        actor: Actor,
        policy: EditPolicy,
        machine: StatusMachine | None,
        schema: Schema,
        today: dt.date | None,
        at: dt.datetime | None,
    ) -> tuple[Any, ...]:
        # ``at`` only matters to a plan with transitions (their events and dates);
        # FieldsChanged events are always made at apply time. The actor is a person with
        # roles: the same person under another spelling may reuse the work.
        who = (identity_key(actor), actor.roles)
        return (who, policy, machine, schema, today, at if self.needs_machine else None)

    def _check_machine(self, machine: StatusMachine | None) -> None:
        if self.needs_machine and machine is None:
            raise ValidationError([Issue("bulk.needs_machine", "machine")])

    def _check_versions(self, uow: UnitOfWork, preview: Preview) -> None:
        stale: list[Issue] = []
        for pid, version in preview.versions.items():
            try:
                now = uow.parties.get(pid).version
            except ClientCoreError:
                now = -1
            if now != version:
                stale.append(
                    Issue(
                        "bulk.conflict",
                        "version",
                        {"party_id": pid, "expected": version, "actual": now},
                    )
                )
        if stale:
            raise ConflictError(stale)

    def _select(
        self,
        uow: UnitOfWork,
        actor: Actor,
        today: dt.date | None,
        machine: StatusMachine | None,
    ) -> tuple[list[Party], list[str]]:
        sel = self.selection
        flt = sel.filter
        if flt is not None and machine is not None:
            flt = machine.restrict(actor, flt)
        missing: list[str] = []
        if sel.ids is not None:
            parties = []
            for pid in dict.fromkeys(sel.ids):
                try:
                    party = uow.parties.get(pid)
                except ClientCoreError:
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
        found = uow.parties.find(flt.compile(today=today))
        if machine is not None:
            found = machine.visible(actor, found)
        return found, missing

    def _preview(
        self,
        uow: UnitOfWork,
        actor: Actor,
        today: dt.date | None,
        machine: StatusMachine | None,
        edit_policy: EditPolicy | None,
        schema: Schema | None,
        at: dt.datetime | None,
    ) -> Preview:
        policy, catalogue = _resolve(edit_policy, schema)
        _check_catalogue(self.operations, catalogue)
        parties, missing = self._select(uow, actor, today, machine)
        if not parties and not missing:
            raise ValidationError([Issue("bulk.empty_selection", "selection")])
        over = self.limit is not None and len(parties) > self.limit
        outcomes: dict[str, _Outcome] = {}
        allowed = _AllowCache(policy, actor)
        restored = _RestoreCheck(catalogue)
        trails = _Trails(audit_trail(uow)) if self.needs_machine else _Trails(None)
        for party in parties:
            if over:
                issue = Issue("bulk.over_limit", "", {"limit": self.limit, "count": len(parties)})
                outcomes[party.id] = _Outcome(party, None, (), (), (issue,), True)
                continue
            outcomes[party.id] = _evaluate(
                self, party, actor, machine, allowed, restored, at, today, trails
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
            self.id,
            len(parties),
            tuple(changes),
            tuple(unchanged),
            tuple(rejections),
            {p.id: p.version for p in parties},
            outcomes,
            self._context(actor, policy, machine, catalogue, today, at),
        )


def _merged_rejections(preview: Preview | None, current: Preview) -> list[Rejection]:
    """Every rejection of the apply's evaluation, then those only the preview had
    (a party missing then and back since is still a rejection the user was shown)."""
    out = list(current.rejections)
    if preview is not None and preview is not current:
        seen = {r.party_id for r in out}
        out.extend(r for r in preview.rejections if r.party_id not in seen)
    return out


def _resolve(policy: EditPolicy | None, schema: Schema | None) -> tuple[EditPolicy, Schema]:
    return (
        policy if policy is not None else _DEFAULT_POLICY,
        schema if schema is not None else default_schema(),
    )


def _same(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    return len(a) == len(b) and all(x is y or x == y for x, y in zip(a, b, strict=True))


def _check_catalogue(operations: Sequence[Operation], schema: Schema) -> None:
    """The plan's field operations against the catalogue, once per plan (the value is
    the same for every party): an unregistered path, one this catalogue does not let a
    bulk edit change, a value outside its type or choices."""
    issues: list[Issue] = []
    for i, op in enumerate(operations):
        if not isinstance(op, (SetField, ClearField)):
            continue
        field = schema.get(op.path)
        if field is None:
            raise UnknownField(op.path, schema.suggest(op.path))
        if not field.bulk_editable:
            issues.append(
                Issue("bulk.field.not_in_schema", f"operations[{i}].path", {"path": op.path})
            )
        elif isinstance(op, SetField) and (problem := value_issue(field, op.value)):
            issues.append(
                Issue(
                    "bulk.op.invalid",
                    f"operations[{i}].value",
                    {"reason": problem.message().rstrip(".")},
                )
            )
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


def _rejected(party: Party, issues: Iterable[Issue]) -> _Outcome:
    return _Outcome(party, None, (), (), tuple(issues), True)


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
) -> _Outcome:
    values: dict[str, Any] = {}
    issues: list[Issue] = []
    steps: list[tuple[str, str | None]] = []  # transitions to take, in order
    restore_status: Any = None

    def permit(path: str) -> bool:
        decision = allowed(party, path)
        if not decision.allowed:
            issues.extend(_reason_issues(decision.reasons, path))
        return decision.allowed

    for op in plan.operations:
        if isinstance(op, SetField):
            if permit(op.path):
                values[op.path] = op.value
        elif isinstance(op, ClearField):
            if permit(op.path):
                values[op.path] = default_of(op.path)
        elif isinstance(op, Labels):
            if permit("labels"):
                base = values.get("labels", party.labels)
                values["labels"] = (base - op.remove) | op.add
        elif isinstance(op, SetTask):
            if permit("tasks"):
                values["tasks"] = _set_task(values.get("tasks", party.tasks), op)
        elif isinstance(op, ApplyTaskPreset):
            if permit("task_presets"):
                values["task_presets"] = _set_preset(
                    values.get("task_presets", party.task_presets), op
                )
        elif isinstance(op, Transition):
            steps.append((op.name, op.reason))
        elif isinstance(op, Restore):
            if op.party_id != party.id:
                continue
            if party.version != op.version:
                issues.append(
                    Issue(
                        "bulk.conflict",
                        "version",
                        {"party_id": party.id, "expected": op.version, "actual": party.version},
                    )
                )
                continue
            for path, value in op.values:
                if path == "status":
                    restore_status = value
                elif path in _NEVER_BY_VALUE:  # Restore refuses it; this is belt and braces
                    issues.append(Issue("bulk.restore.acceptance", path))
                elif (problem := restored(path, value)) is not None:
                    issues.append(problem)
                elif permit(path):
                    values[path] = value
    if issues:
        return _rejected(party, issues)
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
                machine, actor, after, restore_status, moment, plan.id, trails.of(party.id, events)
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
            Change(pid, path, old, new)
            for path, old in olds.items()
            if old != (new := getter(path)(after))
        )
    return _Outcome(party, after, changes, tuple(events), (), complete)


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


_STATUS_SIDE_EFFECTS: Final = ("status", "client_since", "client_until", "acceptance", "kind")


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


def _set_task(tasks: tuple[Task, ...], op: SetTask) -> tuple[Task, ...]:
    out = []
    found = False
    for task in tasks:
        if task.code == op.code:
            found = True
            task = attrs.evolve(
                task,
                active=op.active,
                period=op.period if op.period is not None else task.period,
                start=op.start if op.start is not None else task.start,
            )
        out.append(task)
    if not found:
        out.append(Task(op.code, op.active, op.period, op.start))
    return tuple(out)


def _set_preset(presets: tuple[TaskPreset, ...], op: ApplyTaskPreset) -> tuple[TaskPreset, ...]:
    kept = [p for p in presets if (p.task_code, p.step) != (op.task_code, op.step)]
    kept.append(TaskPreset(op.task_code, op.step, op.value))
    return tuple(kept)


def _restore_for(outcome: _Outcome, version: int) -> Restore:
    # acceptance and kind follow the status (the machine writes them); everything else
    # changed goes back by value. The values come from the store and were just checked
    # by the plan, so the Restore is built without checking them again (100,000 of them
    # in a large undo).
    values = tuple((c.path, c.before) for c in outcome.changes if c.path not in _NEVER_BY_VALUE)
    restore = object.__new__(Restore)
    for name, value in (("party_id", outcome.before.id), ("version", version), ("values", values)):
        object.__setattr__(restore, name, value)
    return restore


def label_states(
    parties: Iterable[Party], labels: Iterable[str] | None = None
) -> dict[str, Literal["all", "some", "none"]]:
    """Per label: on ``all`` parties of the selection, on ``some``, or on ``none`` (what the
    three-state label dialog shows).

    Without ``labels``, the labels the selection has (so ``all`` or ``some``); with
    ``labels`` (the ones the dialog lists), those as well, a label on no party being
    ``none``.
    """
    counts: dict[str, int] = dict.fromkeys(labels or (), 0)
    total = 0
    for party in parties:
        total += 1
        for label in party.labels:
            counts[label] = counts.get(label, 0) + 1
    return {
        label: ("all" if n == total and n else "some" if n else "none")
        for label, n in sorted(counts.items())
    }


def _bad(path: str, reason: str) -> ValidationError:
    return ValidationError([Issue("bulk.plan.invalid", path, {"reason": reason})])


def _plan_from_json(data: Any) -> BulkPlan:
    if not isinstance(data, Mapping):
        raise _bad("$", "expected an object")
    check_input(data, PLAN_LIMITS)
    allowed = {"clientcore_bulk_plan", "id", "selection", "operations", "limit"}
    extra = set(data) - allowed
    if extra:
        raise _bad("$", f"unknown key {sorted(map(str, extra))[0]!r}")
    if data.get("clientcore_bulk_plan") != PLAN_VERSION or isinstance(
        data.get("clientcore_bulk_plan"), bool
    ):
        raise _bad("$.clientcore_bulk_plan", f"unsupported version (this is {PLAN_VERSION})")
    plan_id = data.get("id")
    if not isinstance(plan_id, str) or not plan_id:
        raise _bad("$.id", "expected a non-empty text")
    selection = data.get("selection")
    if not isinstance(selection, Mapping) or set(selection) - {"filter", "ids"}:
        raise _bad("$.selection", "expected {'filter': ..., 'ids': ...}")
    flt = selection.get("filter")
    decoded = Filter.from_json(flt) if flt is not None else None
    ids = selection.get("ids")
    if ids is not None and (
        not isinstance(ids, list) or not all(isinstance(i, str) and i for i in ids)
    ):
        raise _bad("$.selection.ids", "expected a list of party ids")
    if decoded is None and ids is None:
        raise _bad("$.selection", "a filter, ids, or both")
    operations = data.get("operations")
    if not isinstance(operations, list):
        raise _bad("$.operations", "expected a list")
    limit = data.get("limit")
    if limit is not None and (type(limit) is not int or limit < 1):
        raise _bad("$.limit", "expected a positive whole number")
    sel = BulkSelection(decoded, tuple(ids) if ids is not None else None)
    return BulkPlan(sel, operations_from_json(operations), limit, plan_id)
