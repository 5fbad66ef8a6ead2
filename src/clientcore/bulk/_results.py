"""The results of a plan: changes, rejections, outcomes, the preview and the receipt, and
how they are shown (text, HTML in a notebook).

>>> from clientcore.model import Task
>>> change = Change("p1", "tasks", (Task("vat", active=False),), (Task("vat", active=True),))
>>> change_lines(change)
[('tasks[vat].active', 'false', 'true')]
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

import clientcore.bulk._codes  # noqa: F401  (the messages of the codes used here)
from clientcore._errors import ClientCoreError, Issue
from clientcore.model import Party, Task, TaskPreset
from clientcore.status import StatusChanged

if TYPE_CHECKING:
    from clientcore.bulk._plan import BulkPlan


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


class Outcome:
    """What a plan does to one party: the party as stored (``before``), as it would be
    (``after``, ``None`` when rejected), its changes, status events and rejection issues;
    ``complete`` is false when the status changes were shown as of a day rather than
    at a moment. A plain slotted class because a plan makes one per selected party;
    :meth:`BulkPlan.apply <clientcore.bulk.BulkPlan.apply>` reuses a preview's outcomes.
    """

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
    outcomes: Mapping[str, Outcome] = attrs.field(repr=False, eq=False)
    """The outcome of every selected party, by id: what apply reuses."""
    context: tuple[Any, ...] = attrs.field(repr=False, eq=False, default=())
    """What the preview was computed with (actor, policies, schema, day, moment): apply
    reuses the outcomes only for the same."""

    @property
    def changed_ids(self) -> tuple[str, ...]:
        """The parties that would change."""
        return tuple(dict.fromkeys(c.party_id for c in self.changes))

    def name_of(self, party_id: str) -> str:
        """The client number and name of a selected party (``""`` for an id not found)."""
        outcome = self.outcomes.get(party_id)
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
