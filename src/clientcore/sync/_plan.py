"""From a diff and the user's choices to a plan: creations, overwrites, ended engagements.

A :class:`SyncPlan` is data (JSON in and out). ``preview`` lists every creation, field
change and rejection without writing; ``apply`` writes all of it in one transaction of
the unit of work, or nothing, and returns a :class:`SyncReceipt` whose ``undo`` plan puts
every overwritten value back, removes the created parties and takes the ended
engagements back through the status machine.

>>> import datetime as dt
>>> from clientcore import Actor, InMemoryUnitOfWork, Party
>>> from clientcore.sync import diff
>>> uow = InMemoryUnitOfWork()
>>> with uow:
...     _ = uow.parties.add(Party(id="p1", kind="client_company", name="Peeters",
...                               email="info@peeters.be", enterprise_number="0403170701"))
...     uow.commit()
>>> incoming = [Party(id="x1", kind="client_company", name="Peeters BV",
...                   enterprise_number="0403170701", email="info@peeters.be"),
...             Party(id="x2", kind="client_person", name="An Claes")]
>>> plan = diff(uow, incoming).plan(overwrite={"name"}, add=True,
...                                 defaults={"status": "prospect"})
>>> ann, at = Actor("ann", {"staff"}), dt.datetime(2026, 1, 5, 9, 0)
>>> print(plan.preview(uow, ann, at=at).to_text())
sync plan ...: 1 to create, 1 to change, 0 to end, 0 to remove, 0 rejected
  + x2  An Claes (client_person, prospect)
  ~ p1  name: Peeters → Peeters BV
>>> receipt = plan.apply(uow, ann, at=at)
>>> receipt.created, receipt.changed
(('x2',), ('p1',))
>>> _ = receipt.undo.apply(uow, ann, at=at)
>>> with uow:
...     [(p.id, p.name) for p in uow.parties.list()]
[('p1', 'Peeters')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any, ClassVar, Final, Literal

import attrs

from clientcore._errors import ClientCoreError, Issue, ValidationError
from clientcore._messages import define
from clientcore.bulk import (
    BulkPlan,
    BulkRejected,
    Change,
    EditPolicy,
    Operation,
    Preview,
    Receipt,
    Rejection,
    Restore,
    RoleEditPolicy,
    Transition,
    check_versions,
    value_from_json,
    value_to_json,
)
from clientcore.bulk.ops import Step
from clientcore.model import (
    IDENTIFIERS,
    Actor,
    ClientStatus,
    Party,
    Schema,
    new_id,
    party_from_json,
    party_to_json,
    validate_party,
    value_issue,
)
from clientcore.ports import UnitOfWork
from clientcore.status import Decision, Reason, StatusMachine
from clientcore.sync._diff import COMPARED, FieldState, SyncDiff

define(
    {
        "sync.plan.invalid": (
            "Invalid sync plan at {path}: {reason}.",
            "Ongeldig synchronisatieplan op {path}: {reason}.",
            "Plan de synchronisation invalide à {path} : {reason}.",
        ),
        "sync.field.not_overwritable": (
            "'{value}' cannot be overwritten by an import; these can: {choices}.",
            "'{value}' kan niet overschreven worden door een import; deze wel: {choices}.",
            "'{value}' ne peut pas être écrasé par un import ; ceux-ci oui : {choices}.",
        ),
        "sync.unknown_party": (
            "Party {party_id} is not a duplicate of this diff.",
            "Partij {party_id} is geen dubbele klant in deze vergelijking.",
            "La partie {party_id} n'est pas un doublon de cette comparaison.",
        ),
        "sync.not_only_ours": (
            "Party {party_id} is not among the parties only in our registry.",
            "Partij {party_id} staat niet bij de klanten enkel in ons register.",
            "La partie {party_id} ne fait pas partie des clients uniquement chez nous.",
        ),
        "sync.not_new": (
            "Record {index} is not a new record of this diff.",
            "Record {index} is geen nieuw record in deze vergelijking.",
            "L'enregistrement {index} n'est pas un nouvel enregistrement de cette comparaison.",
        ),
        "sync.default.invalid": (
            "The default for new clients '{path}' cannot be used: {reason}.",
            "De standaardwaarde voor nieuwe klanten '{path}' kan niet gebruikt worden: {reason}.",
            "La valeur par défaut des nouveaux clients '{path}' est inutilisable : {reason}.",
        ),
        "sync.conflict": (
            "Party {party_id} was changed since the diff (version {expected} expected, "
            "{actual} found).",
            "Partij {party_id} werd gewijzigd sinds de vergelijking (versie {expected} "
            "verwacht, {actual} gevonden).",
            "La partie {party_id} a été modifiée depuis la comparaison (version {expected} "
            "attendue, {actual} trouvée).",
        ),
        "sync.exists": (
            "A party with id {party_id} already exists; the record is not created.",
            "Er bestaat al een partij met id {party_id}; het record wordt niet aangemaakt.",
            "Une partie avec l'id {party_id} existe déjà ; l'enregistrement n'est pas créé.",
        ),
        "sync.gone": (
            "Party {party_id} no longer exists.",
            "Partij {party_id} bestaat niet meer.",
            "La partie {party_id} n'existe plus.",
        ),
        "sync.rejected": (
            "{count} items of the sync plan were rejected; nothing was written.",
            "{count} onderdelen van het synchronisatieplan werden geweigerd; er werd niets "
            "geschreven.",
            "{count} éléments du plan de synchronisation ont été refusés ; rien n'a été écrit.",
        ),
        "sync.needs_at": (
            "Applying a sync plan needs its moment: pass at= (a datetime).",
            "Een synchronisatieplan toepassen vraagt het tijdstip: geef at= (een datetime) mee.",
            "Appliquer un plan de synchronisation exige son moment : passez at= (un datetime).",
        ),
        "sync.undo.ended_engagement": (
            "The engagement of {party_id} ended and the undo does not take it back: a former "
            "client becomes a client again only through a new acceptance (reactivate, then "
            "the acceptance with four eyes). Apply the rest of the undo with "
            "on_rejection='skip'.",
            "De opdracht van {party_id} werd beëindigd en de ongedaanmaking draait dat niet "
            "terug: een gewezen klant wordt pas opnieuw klant via een nieuwe aanvaarding "
            "(heractiveren, dan de aanvaarding met vier ogen). Pas de rest van de "
            "ongedaanmaking toe met on_rejection='skip'.",
            "La mission de {party_id} a pris fin et l'annulation ne la rétablit pas : un ancien "
            "client ne redevient client que par une nouvelle acceptation (réactiver, puis "
            "l'acceptation à quatre yeux). Appliquez le reste de l'annulation avec "
            "on_rejection='skip'.",
        ),
        "sync.preview.other_plan": (
            "This preview is of sync plan {preview_plan}, not of {plan}.",
            "Deze preview hoort bij synchronisatieplan {preview_plan}, niet bij {plan}.",
            "Cet aperçu est celui du plan de synchronisation {preview_plan}, pas de {plan}.",
        ),
    }
)

PLAN_VERSION: Final = 1

#: What an import may overwrite: the compared fields but the kind (a company does not
#: become a person by an import) and never the status (the status machine changes it).
OVERWRITABLE: Final = tuple(p for p in COMPARED if p != "kind")

#: What the defaults of new clients may set (``labels`` are added to the record's own).
DEFAULTABLE: Final = frozenset({"portfolio", "labels", "status", "language", "legal_form"})

_DATES: Final = frozenset({"birth_date", "client_since", "client_until"})
_OVERWRITABLE_SET: Final = frozenset(OVERWRITABLE)


def _invalid(path: str, reason: str) -> ValidationError:
    return ValidationError([Issue("sync.plan.invalid", path, {"reason": reason})])


def _check_value(path: str, value: Any, where: str) -> Any:
    if path not in _OVERWRITABLE_SET:
        raise ValidationError(
            [
                Issue(
                    "sync.field.not_overwritable",
                    where,
                    {"value": path, "choices": list(OVERWRITABLE)},
                )
            ]
        )
    if value is None:
        return None
    if path == "labels":
        if isinstance(value, (set, frozenset, list, tuple)) and all(
            isinstance(v, str) for v in value
        ):
            return frozenset(value)
        raise _invalid(where, "labels are a set of texts")
    if path in _DATES:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        raise _invalid(where, f"'{path}' is a date")
    if path == "vat_liable":
        if isinstance(value, bool):
            return value
        raise _invalid(where, "'vat_liable' is true or false")
    if isinstance(value, str) and value.strip():
        return value
    raise _invalid(where, f"'{path}' is a non-empty text")


def _value_from_json(path: str, value: Any, where: str) -> Any:
    """The value of an overwrite of ``path`` read back from JSON, as a bulk plan reads
    its values (:func:`clientcore.bulk.value_from_json`), then checked as any
    overwrite's value; a field that is not overwritable is refused as such."""
    if path in _OVERWRITABLE_SET:
        try:
            value = value_from_json(path, value)
        except (ValueError, TypeError) as exc:
            raise _invalid(where, f"'{path}' {str(exc)[:120]}") from None
    return _check_value(path, value, where)


# --- the parts of a plan ---


def _pairs(value: Iterable[tuple[str, Any]]) -> tuple[tuple[str, Any], ...]:
    out = []
    for i, pair in enumerate(value):
        if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], str)):
            raise _invalid(f"values[{i}]", "a (path, value) pair")
        out.append((pair[0], _check_value(pair[0], pair[1], f"values[{i}]")))
    return tuple(out)


def _party_id(value: object) -> str:
    if isinstance(value, str) and value:
        return value
    raise _invalid("party_id", "a non-empty text")


def _version(value: object) -> int:
    if type(value) is int and value >= 0:
        return value
    raise _invalid("version", "a whole number of zero or more")


@attrs.frozen
class Overwrite:
    """Write imported values on one party, only while it is still at ``version`` (the
    version the diff saw): a party changed since is a conflict, never overwritten."""

    party_id: str = attrs.field(converter=_party_id)
    version: int = attrs.field(converter=_version)
    values: tuple[tuple[str, Any], ...] = attrs.field(converter=_pairs)

    def to_json(self) -> dict[str, Any]:
        """``{"party_id", "version", "values": [[path, value], ...]}``."""
        return {
            "party_id": self.party_id,
            "version": self.version,
            "values": [[p, value_to_json(p, v)] for p, v in self.values],
        }


@attrs.frozen
class Removal:
    """Remove a party this plan's original created, only while it is still at ``version``
    (what an undo plan holds for every created party)."""

    party_id: str = attrs.field(converter=_party_id)
    version: int = attrs.field(converter=_version)


def _items(value: Iterable[Overwrite]) -> tuple[Overwrite, ...]:
    out = tuple(value)
    for i, item in enumerate(out):
        if not isinstance(item, Overwrite):
            raise _invalid(f"items[{i}]", "an Overwrite")
    return out


@attrs.frozen
class OverwriteFields(Operation):
    """The bulk operation of a re-import's overwrites: each duplicate gets its own
    imported values (the fields chosen for every duplicate, or the party's exception),
    only while it is still at the version the diff saw; a party changed since is a
    conflict (``sync.conflict``), never overwritten. One operation serves every party of
    the plan: each finds its values by id. An identifier is checked in the party's
    country; the edit policy decides who may write which field (see
    :class:`SyncEditPolicy`).

    ``restore=True`` marks the overwrites of an undo: they put back values the parties
    held, so an identifier goes back as it was, valid or not (the edit policy still
    decides who may write it)."""

    tag: ClassVar[str] = "overwrite_fields"
    items: tuple[Overwrite, ...] = attrs.field(converter=_items)
    restore: bool = attrs.field(default=False, kw_only=True)
    _by_party: Mapping[str, Overwrite] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        by_party: dict[str, Overwrite] = {}
        for i, item in enumerate(self.items):
            if item.party_id in by_party:
                raise _invalid(f"items[{i}].party_id", f"one overwrite per party ({item.party_id})")
            by_party[item.party_id] = item
        object.__setattr__(self, "_by_party", by_party)

    @property
    def party_ids(self) -> tuple[str, ...]:
        """The parties overwritten, in order."""
        return tuple(self._by_party)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"op": self.tag, "items": [item.to_json() for item in self.items]}
        if self.restore:
            out["restore"] = True
        return out

    def paths(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(path for item in self.items for path, _ in item.values))

    def evaluate(self, step: Step) -> None:
        party = step.party
        item = self._by_party.get(party.id)
        if item is None:
            return
        if party.version != item.version:
            step.refuse(
                Issue(
                    "sync.conflict",
                    "version",
                    {"party_id": party.id, "expected": item.version, "actual": party.version},
                )
            )
            return
        values = dict(item.values)
        address = party.address
        country = values.get("address.country", address.country if address is not None else None)
        for path, value in item.values:
            if not step.permit(path):
                continue
            # an undo puts back what the party held, valid or not
            ident = IDENTIFIERS.get(path) if value is not None and not self.restore else None
            if ident is not None and (issue := ident.explain(value, country)) is not None:
                step.refuse(Issue(issue.code, path, issue.params))
                continue
            step.values[path] = value

    def catalogue_issues(self, schema: Schema, index: int) -> list[Issue]:
        issues: list[Issue] = []
        seen: set[tuple[str, Any]] = set()
        for i, item in enumerate(self.items):
            for j, (path, value) in enumerate(item.values):
                if value is None or isinstance(value, frozenset) or (path, value) in seen:
                    continue
                seen.add((path, value))
                field = schema.get(path)
                problem = (
                    Issue("field.unknown", path, {"suggestion": schema.suggest(path) or ""})
                    if field is None
                    else value_issue(field, value)
                )
                if problem is not None:
                    where = f"operations[{index}].items[{i}].values[{j}]"
                    issues.append(Issue("sync.plan.invalid", where, {"reason": problem.message()}))
        return issues


def _importable(value: Iterable[str]) -> frozenset[str]:
    out = frozenset(value)
    bad = sorted(p for p in out if p not in _OVERWRITABLE_SET)
    if bad:
        raise ValidationError(
            [
                Issue(
                    "sync.field.not_overwritable",
                    "fields",
                    {"value": p, "choices": list(OVERWRITABLE)},
                )
                for p in bad
            ]
        )
    return out


@attrs.frozen
class SyncEditPolicy:
    """The edit policy of a re-import's overwrites: a field outside ``fields`` (by default
    :data:`OVERWRITABLE`, the importable fields) is refused with
    ``sync.field.not_overwritable``; any other goes to ``roles`` (by default
    :meth:`RoleEditPolicy.default() <clientcore.bulk.RoleEditPolicy.default>`). The
    status, the acceptance record and the kind are never among the fields: they change
    only through the status machine.

    A sync plan writes its overwrites as a :class:`~clientcore.bulk.BulkPlan` under this
    policy (the fields a bulk edit may change are fewer: a CRM export may correct a name
    or a national number, a bulk edit may not). The ``edit_policy`` given to
    :meth:`SyncPlan.preview` and :meth:`SyncPlan.apply` becomes its ``roles``.
    """

    roles: EditPolicy = attrs.field(factory=RoleEditPolicy.default)
    fields: frozenset[str] = attrs.field(default=frozenset(OVERWRITABLE), converter=_importable)

    def can_edit(self, actor: Actor, party: Party, path: str) -> Decision:
        """Refused outside ``fields``; else what ``roles`` decides."""
        if path not in self.fields:
            reason = Reason(
                "sync.field.not_overwritable", {"value": path, "choices": sorted(self.fields)}
            )
            return Decision(False, (reason,))
        return self.roles.can_edit(actor, party, path)


def sync_policy(edit_policy: EditPolicy | None) -> SyncEditPolicy:
    """The policy a sync plan's overwrites are written under, from the one it was given."""
    if isinstance(edit_policy, SyncEditPolicy):
        return edit_policy
    return SyncEditPolicy(edit_policy if edit_policy is not None else RoleEditPolicy.default())


def overwrites_plan(
    items: Iterable[Overwrite], plan_id: str | None = None, *, restore: bool = False
) -> BulkPlan | None:
    """The :class:`~clientcore.bulk.BulkPlan` writing ``items`` (``None`` for none);
    ``restore=True`` for an undo's (see :class:`OverwriteFields`)."""
    op = OverwriteFields(items, restore=restore)
    if not op.items:
        return None
    return BulkPlan(list(op.party_ids), [op], id=plan_id or f"overwrite-{new_id()}")


def overwrite_items(plan: BulkPlan | None) -> tuple[Overwrite, ...]:
    """The overwrites a sync plan's overwrite plan holds."""
    if plan is None:
        return ()
    return tuple(
        item for op in plan.operations if isinstance(op, OverwriteFields) for item in op.items
    )


def _overwrites(value: object) -> BulkPlan | None:
    if value is None:
        return None
    if isinstance(value, BulkPlan):
        ops = value.operations
        if not (
            len(ops) == 1
            and isinstance(ops[0], OverwriteFields)
            and value.selection.filter is None
            and value.selection.ids == ops[0].party_ids
            and value.limit is None
        ):
            raise _invalid("overwrites", "a BulkPlan of one OverwriteFields on the ids it names")
        return value if ops[0].items else None
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise _invalid("overwrites", "a BulkPlan, Overwrite items or None")
    items = tuple(value)
    for i, item in enumerate(items):
        if not isinstance(item, Overwrite):
            raise _invalid(f"overwrites[{i}]", "an Overwrite")
    return overwrites_plan(items)


def _undo_of_overwrites(undo: BulkPlan) -> BulkPlan | None:
    """The undo a bulk apply of the overwrites made, as an overwrite plan again: the
    before-values, each only while the party is at the version the apply left."""
    items = [
        Overwrite(op.party_id, op.version, op.values)
        for op in undo.operations
        if isinstance(op, Restore)
    ]
    return overwrites_plan(items, undo.id, restore=True)


def _parties(value: Iterable[Party]) -> tuple[Party, ...]:
    out = tuple(value)
    for i, party in enumerate(out):
        if not isinstance(party, Party):
            raise _invalid(f"creations[{i}]", "a Party")
    return out


def _removals(value: Iterable[Removal]) -> tuple[Removal, ...]:
    out = tuple(value)
    for i, item in enumerate(out):
        if not isinstance(item, Removal):
            raise _invalid(f"removals[{i}]", "a Removal")
    return out


def _ends(value: object) -> BulkPlan | None:
    if value is None or isinstance(value, BulkPlan):
        return value
    raise _invalid("ends", "a BulkPlan or None")


@attrs.frozen
class SyncEvent:
    """The audit event of a party a sync plan created or removed."""

    party_id: str
    plan_id: str
    actor: str
    at: dt.datetime
    action: Literal["created", "removed"]


@attrs.frozen
class SyncPreview:
    """What a sync plan would do, written nowhere: the parties to create, the field
    overwrites and the engagements to end (each a bulk :class:`~clientcore.bulk.Preview`),
    the parties to remove, and every rejection with its reasons."""

    plan_id: str
    creations: tuple[Party, ...]
    overwrites: Preview | None
    ends: Preview | None
    removals: tuple[str, ...]
    rejections: tuple[Rejection, ...]
    versions: Mapping[str, int] = attrs.field(repr=False)

    @property
    def changes(self) -> tuple[Change, ...]:
        """The field changes the overwrites would make."""
        return self.overwrites.changes if self.overwrites is not None else ()

    @property
    def changed_ids(self) -> tuple[str, ...]:
        """The parties whose fields would change."""
        return self.overwrites.changed_ids if self.overwrites is not None else ()

    @property
    def ended_ids(self) -> tuple[str, ...]:
        """The parties whose engagement would end."""
        return self.ends.changed_ids if self.ends is not None else ()

    def counts(self) -> dict[str, int]:
        """How many parties each part touches, and how many items are rejected."""
        return {
            "create": len(self.creations),
            "change": len(self.changed_ids),
            "end": len(self.ended_ids),
            "remove": len(self.removals),
            "rejected": len(self.rejections),
        }

    def to_text(self, lang: str = "en", limit: int = 50) -> str:
        """Counts on top, then each creation, change, end, removal and rejection."""
        from clientcore.sync._render import preview_text

        return preview_text(self, lang, limit)

    def to_rows(self) -> list[dict[str, Any]]:
        """One flat row per creation, change, end, removal and rejection."""
        from clientcore.sync._render import preview_rows

        return preview_rows(self)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        from clientcore.sync._render import preview_html

        return preview_html(self)


class SyncRejected(ClientCoreError):
    """Applying with ``on_rejection="abort"`` met rejected items; nothing was written.
    ``rejections`` lists them, ``issues`` every reason (paths prefixed with the party)."""

    def __init__(self, rejections: Sequence[Rejection]) -> None:
        self.rejections = tuple(rejections)
        self.issues = tuple(
            attrs.evolve(i, path=f"{r.party_id}:{i.path}" if i.path else r.party_id)
            for r in self.rejections
            for i in r.issues
        )
        super().__init__(Issue("sync.rejected", "", {"count": len(self.rejections)}).message())


@attrs.frozen
class SyncReceipt:
    """What an apply did, with the plan that undoes it."""

    plan_id: str
    created: tuple[str, ...]
    changed: tuple[str, ...]
    ended: tuple[str, ...]
    removed: tuple[str, ...]
    skipped: tuple[Rejection, ...]
    events: tuple[Any, ...]
    undo: SyncPlan


OnRejection = Literal["abort", "skip"]


@attrs.frozen
class SyncPlan:
    """The user's choices on a diff: parties to create, values to overwrite (a
    :class:`~clientcore.bulk.BulkPlan` of one :class:`OverwriteFields`, written under
    :class:`SyncEditPolicy`), engagements to end through the status machine (a
    ``BulkPlan`` of ``end_engagement`` transitions) and, in an undo plan, created parties
    to remove.

    ``overwrites`` may be given as :class:`Overwrite` items; it is kept as their
    ``BulkPlan`` (``None`` when there are none). Built by :meth:`SyncDiff.plan`;
    serialises to JSON with :meth:`to_json` and back with the strict :meth:`from_json`.
    """

    creations: tuple[Party, ...] = attrs.field(default=(), converter=_parties)
    overwrites: BulkPlan | None = attrs.field(default=None, converter=_overwrites)
    ends: BulkPlan | None = attrs.field(default=None, converter=_ends)
    removals: tuple[Removal, ...] = attrs.field(default=(), converter=_removals)
    id: str = attrs.field(factory=new_id)

    @property
    def overwrite_items(self) -> tuple[Overwrite, ...]:
        """The values to overwrite, one :class:`Overwrite` per party."""
        return overwrite_items(self.overwrites)

    @property
    def is_empty(self) -> bool:
        """Nothing to create, change, end or remove."""
        return not (
            self.creations
            or self.overwrites is not None
            or self.removals
            or (self.ends is not None and not self.ends.is_empty)
        )

    # --- JSON ---

    def to_json(self) -> dict[str, Any]:
        """``{"clientcore_sync_plan": 1, ...}``: to review, hold or apply later."""
        return {
            "clientcore_sync_plan": PLAN_VERSION,
            "id": self.id,
            "creations": [party_to_json(p) for p in self.creations],
            "overwrites": self._overwrites_json(),
            "ends": self.ends.to_json() if self.ends is not None else None,
            "removals": [{"party_id": r.party_id, "version": r.version} for r in self.removals],
        }

    def _overwrites_json(self) -> dict[str, Any] | None:
        if self.overwrites is None:
            return None
        out: dict[str, Any] = {
            "id": self.overwrites.id,
            "items": [o.to_json() for o in self.overwrite_items],
        }
        if any(isinstance(op, OverwriteFields) and op.restore for op in self.overwrites.operations):
            out["restore"] = True
        return out

    @staticmethod
    def from_json(data: Any) -> SyncPlan:
        """Decode strictly: unknown keys, wrong types and bad values raise
        ``ValidationError`` with the JSON path of the fault."""
        return _from_json(data)

    # --- preview and apply ---

    def preview(
        self,
        uow: UnitOfWork,
        actor: Actor,
        *,
        at: dt.datetime | None = None,
        today: dt.date | None = None,
        machine: StatusMachine | None = None,
        edit_policy: EditPolicy | None = None,
        schema: Schema | None = None,
    ) -> SyncPreview:
        """Every creation, change, end and removal the plan would make, and every
        rejection with its reasons; writes nothing. The overwrites are previewed as a
        bulk plan under :class:`SyncEditPolicy` (``edit_policy`` gives its roles)."""
        if self.is_empty:
            return SyncPreview(self.id, (), None, None, (), (), {})
        with uow:
            joined = _Joined(uow)
            work = _Work(self, uow, actor, schema, machine)
            over = _preview_part(
                self.overwrites, joined, actor, at, today, machine, sync_policy(edit_policy), schema
            )
            ends = _preview_part(self.ends, joined, actor, at, today, machine, edit_policy, schema)
            return work.preview(over, ends)

    def apply(
        self,
        uow: UnitOfWork,
        actor: Actor,
        preview: SyncPreview | None = None,
        on_rejection: OnRejection = "abort",
        *,
        at: dt.datetime | None = None,
        machine: StatusMachine | None = None,
        edit_policy: EditPolicy | None = None,
        schema: Schema | None = None,
    ) -> SyncReceipt:
        """Apply in one transaction: every creation, change, end and removal is
        committed, or none. A party changed since ``preview`` (or since the diff, for an
        overwrite) fails the whole apply with ``ConflictError``. Rejected items abort it
        (``on_rejection="abort"``, raising :class:`SyncRejected`) or are left out and
        reported (``"skip"``)."""
        if not isinstance(at, dt.datetime):
            raise ValidationError([Issue("sync.needs_at", "at")])
        if on_rejection not in ("abort", "skip"):
            raise _invalid("on_rejection", "'abort' or 'skip'")
        if preview is not None and preview.plan_id != self.id:
            raise ValidationError(
                [
                    Issue(
                        "sync.preview.other_plan",
                        "preview",
                        {"plan": self.id, "preview_plan": preview.plan_id},
                    )
                ]
            )
        if self.is_empty:
            return SyncReceipt(self.id, (), (), (), (), (), (), SyncPlan(id=f"undo-{self.id}"))
        policy = sync_policy(edit_policy)
        with uow:
            if preview is not None:
                check_versions(uow, preview.versions, "sync.conflict")
            joined = _Joined(uow)
            work = _Work(self, uow, actor, schema, machine)
            over = _preview_part(self.overwrites, joined, actor, at, None, machine, policy, schema)
            ends = _preview_part(self.ends, joined, actor, at, None, machine, edit_policy, schema)
            rejected = work.rejections(over, ends)
            if rejected and on_rejection == "abort":
                raise SyncRejected(rejected)
            events: list[Any] = []
            changed: tuple[str, ...] = ()
            undo_overwrites: BulkPlan | None = None
            if self.overwrites is not None and over is not None and over.changed_ids:
                written = _apply_part(
                    self.overwrites, over, joined, actor, at, machine, policy, schema
                )
                changed = written.applied
                undo_overwrites = _undo_of_overwrites(written.undo)
                events.extend(written.events)  # the bulk plan recorded them itself
            mine: list[Any] = []
            created, undo_removals = work.write_creations(at, mine)
            removed, undo_creations = work.write_removals(at, mine)
            uow.record(*mine)
            events.extend(mine)
            ended: tuple[str, ...] = ()
            undo_ends: BulkPlan | None = None
            if self.ends is not None and ends is not None and ends.changed_ids:
                written = _apply_part(
                    self.ends, ends, joined, actor, at, machine, edit_policy, schema
                )
                ended = written.applied
                undo_ends = written.undo if not written.undo.is_empty else None
                events.extend(written.events)
            uow.commit()
        undo = SyncPlan(
            creations=undo_creations,
            overwrites=undo_overwrites,
            ends=undo_ends,
            removals=undo_removals,
            id=f"undo-{self.id}",
        )
        return SyncReceipt(
            self.id, created, changed, ended, removed, tuple(rejected), tuple(events), undo
        )


def _apply_part(
    part: BulkPlan,
    preview: Preview,
    joined: _Joined,
    actor: Actor,
    at: dt.datetime,
    machine: StatusMachine | None,
    edit_policy: EditPolicy | None,
    schema: Schema | None,
) -> Receipt:
    """Apply one bulk part of a sync plan inside the caller's transaction; the parties it
    rejects were reported (or aborted on) by the caller already."""
    try:
        return part.apply(
            joined,
            actor,
            preview=preview,
            on_rejection="skip",
            at=at,
            machine=machine,
            edit_policy=edit_policy,
            schema=schema,
        )
    except BulkRejected as err:  # pragma: no cover - skip never raises it
        raise SyncRejected(err.rejections) from None


def _preview_part(
    part: BulkPlan | None,
    uow: _Joined,
    actor: Actor,
    at: dt.datetime | None,
    today: dt.date | None,
    machine: StatusMachine | None,
    edit_policy: EditPolicy | None,
    schema: Schema | None,
) -> Preview | None:
    """The bulk preview of one part of a sync plan (its overwrites or its ends), in the
    caller's open transaction."""
    if part is None or part.is_empty:
        return None
    found = part.preview(
        uow,
        actor,
        today,
        machine=machine,
        edit_policy=edit_policy,
        schema=schema,
        at=at,
    )
    if machine is None or not found.rejections:
        return found
    back_to = {
        op.party_id: dict(op.values)["status"]
        for op in part.operations
        if isinstance(op, Restore) and op.moves_status
    }
    explained = [_explained(r, uow, actor, machine, back_to) for r in found.rejections]
    return attrs.evolve(found, rejections=tuple(explained))


def _explained(
    rejection: Rejection,
    uow: _Joined,
    actor: Actor,
    machine: StatusMachine,
    back_to: Mapping[str, Any],
) -> Rejection:
    """A rejection as a sync plan reports it. A party whose status is hidden from the
    actor is "not found" to a bulk plan; the diff already showed it, so say why instead.
    An ended engagement an undo cannot take back (the way from former client to client
    is a new acceptance, with four eyes) says so before the machine's own reason."""
    issues = rejection.issues
    try:
        party: Party | None = uow.parties.get(rejection.party_id)
    except ClientCoreError:
        party = None
    if party is None:
        return rejection
    if any(i.code == "not_found.party" for i in issues):
        view = machine.policy.can_view(actor, party)
        if not view.allowed:
            issues = tuple(Issue(r.code, "status", dict(r.params)) for r in view.reasons)
    elif (
        back_to.get(party.id) is ClientStatus.CLIENT
        and party.status is ClientStatus.FORMER_CLIENT
        and any(i.path == "status" for i in issues)
    ):
        ended = Issue("sync.undo.ended_engagement", "status", {"party_id": party.id})
        issues = (ended, *issues)
    return Rejection(rejection.party_id, issues)


class _Joined:
    """The caller's open transaction, lent to a bulk plan: entering, leaving and
    committing are the caller's, so the plan's writes join the one transaction."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self.parties = uow.parties
        self.links = uow.links

    def __enter__(self) -> _Joined:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def commit(self) -> None:
        return None  # the caller commits everything at once

    def rollback(self) -> None:
        self._uow.rollback()

    def record(self, *events: Any) -> None:
        self._uow.record(*events)

    @property
    def events(self) -> Sequence[Any]:
        return self._uow.events


class _Work:
    """One evaluation of a plan's creations and removals inside an open transaction
    (private; preview and apply share it)."""

    def __init__(
        self,
        plan: SyncPlan,
        uow: UnitOfWork,
        actor: Actor,
        schema: Schema | None,
        machine: StatusMachine | None,
    ) -> None:
        self.plan = plan
        self.uow = uow
        self.actor = actor
        self.schema = schema
        self.machine = machine
        self.rejected: list[Rejection] = []
        self.versions: dict[str, int] = {}
        self.creations: list[Party] = []
        self.removals: list[Party] = []
        for party in plan.creations:
            self._creation(party)
        for removal in plan.removals:
            self._removal(removal)

    def _get(self, party_id: str) -> Party | None:
        try:
            return self.uow.parties.get(party_id)
        except ClientCoreError:
            return None

    def _creation(self, party: Party) -> None:
        if self._get(party.id) is not None:
            self._reject(party.id, Issue("sync.exists", "id", {"party_id": party.id}))
            return
        issues = list(validate_party(party, self.schema))
        if self.machine is not None:
            view = self.machine.policy.can_view(self.actor, party)
            if not view.allowed:
                issues.extend(Issue(r.code, "status", dict(r.params)) for r in view.reasons)
        if issues:
            self.rejected.append(Rejection(party.id, tuple(issues)))
            return
        self.creations.append(party)

    def _removal(self, removal: Removal) -> None:
        party = self._get(removal.party_id)
        if party is None:
            self._reject(removal.party_id, Issue("sync.gone", "", {"party_id": removal.party_id}))
            return
        self.versions[party.id] = party.version
        if party.version != removal.version:
            self._reject(
                party.id,
                Issue(
                    "sync.conflict",
                    "version",
                    {"party_id": party.id, "expected": removal.version, "actual": party.version},
                ),
            )
            return
        self.removals.append(party)

    def _reject(self, party_id: str, issue: Issue) -> None:
        self.rejected.append(Rejection(party_id, (issue,)))

    def rejections(self, *parts: Preview | None) -> list[Rejection]:
        out = list(self.rejected)
        for part in parts:
            if part is not None:
                out.extend(part.rejections)
        return out

    def preview(self, overwrites: Preview | None, ends: Preview | None) -> SyncPreview:
        versions = dict(self.versions)
        for part in (overwrites, ends):
            if part is not None:
                versions.update(part.versions)
        return SyncPreview(
            self.plan.id,
            tuple(self.creations),
            overwrites,
            ends,
            tuple(p.id for p in self.removals),
            tuple(self.rejections(overwrites, ends)),
            versions,
        )

    # --- writing (inside the caller's open transaction) ---

    def write_creations(
        self, at: dt.datetime, events: list[Any]
    ) -> tuple[tuple[str, ...], tuple[Removal, ...]]:
        created: list[str] = []
        undo: list[Removal] = []
        add = self.uow.parties.add
        for party in self.creations:
            stored = add(party)
            created.append(stored.id)
            events.append(SyncEvent(stored.id, self.plan.id, self.actor.id, at, "created"))
            undo.append(Removal(stored.id, stored.version))
        return tuple(created), tuple(undo)

    def write_removals(
        self, at: dt.datetime, events: list[Any]
    ) -> tuple[tuple[str, ...], tuple[Party, ...]]:
        removed: list[str] = []
        remove = self.uow.parties.remove
        for party in self.removals:
            remove(party.id)
            removed.append(party.id)
            events.append(SyncEvent(party.id, self.plan.id, self.actor.id, at, "removed"))
        return tuple(removed), tuple(self.removals)


# --- from a diff ---


def _paths(value: Iterable[str], where: str) -> frozenset[str]:
    if isinstance(value, str):
        value = value.split(",")
    out = frozenset(p.strip() for p in value if p.strip())
    bad = sorted(p for p in out if p not in _OVERWRITABLE_SET)
    if bad:
        raise ValidationError(
            [
                Issue(
                    "sync.field.not_overwritable",
                    where,
                    {"value": p, "choices": list(OVERWRITABLE)},
                )
                for p in bad
            ]
        )
    return out


def _with_defaults(party: Party, language: str | None, defaults: Mapping[str, Any]) -> Party:
    changes: dict[str, Any] = {}
    if party.language is None and language is not None:
        changes["language"] = language
    for path, value in defaults.items():
        if path == "labels":
            changes["labels"] = party.labels | frozenset(value)
        elif path == "status":
            changes["status"] = value
        elif getattr(party, path) is None and path not in changes:
            changes[path] = value
    if not changes:
        return party
    try:
        return attrs.evolve(party, **changes)
    except ValidationError as err:
        issue = err.issues[0]
        raise ValidationError(
            [
                Issue(
                    "sync.default.invalid",
                    f"defaults.{issue.path.split('.')[0] or 'status'}",
                    {"path": issue.path or "status", "reason": issue.message()},
                )
            ]
        ) from None


def _check_defaults(defaults: Mapping[str, Any] | None) -> dict[str, Any]:
    if defaults is None:
        return {}
    out: dict[str, Any] = {}
    issues: list[Issue] = []
    for path, value in defaults.items():
        if path not in DEFAULTABLE:
            issues.append(
                Issue(
                    "sync.default.invalid",
                    f"defaults.{path}",
                    {"path": path, "reason": f"one of {', '.join(sorted(DEFAULTABLE))}"},
                )
            )
            continue
        if path == "labels":
            if isinstance(value, str):
                value = {value}
            if not isinstance(value, (set, frozenset, list, tuple)) or not all(
                isinstance(v, str) and v.strip() for v in value
            ):
                issues.append(
                    Issue(
                        "sync.default.invalid",
                        "defaults.labels",
                        {"path": "labels", "reason": "a set of non-empty texts"},
                    )
                )
                continue
            value = frozenset(v.strip() for v in value)
        elif path == "status":
            try:
                value = ClientStatus(value)
            except ValueError:
                issues.append(
                    Issue(
                        "sync.default.invalid",
                        "defaults.status",
                        {"path": "status", "reason": f"'{value}' is not a status"},
                    )
                )
                continue
        elif not isinstance(value, str) or not value.strip():
            issues.append(
                Issue(
                    "sync.default.invalid",
                    f"defaults.{path}",
                    {"path": path, "reason": "a non-empty text"},
                )
            )
            continue
        out[path] = value
    if issues:
        raise ValidationError(issues)
    return out


def plan_from_diff(
    sync_diff: SyncDiff,
    *,
    overwrite: Iterable[str] = (),
    per_party: Mapping[str, Iterable[str]] | None = None,
    add: bool | Iterable[int] = False,
    end: bool | Iterable[str] = False,
    defaults: Mapping[str, Any] | None = None,
    empty_overwrites: bool = False,
    end_reason: str | None = None,
) -> SyncPlan:
    """The :class:`SyncPlan` of the user's choices on ``sync_diff``.

    ``overwrite``: the fields to overwrite on every duplicate; ``per_party``: party id ->
    the fields for that party instead (an exception to ``overwrite``). Only a field whose
    imported value differs is written, and an empty imported value never overwrites ours
    unless ``empty_overwrites=True``. ``add``: ``True`` for every new record, or the
    indexes of the chosen ones; ``defaults`` set on them (``portfolio``, ``language``,
    ``legal_form`` fill what the record leaves empty, ``labels`` are added, ``status``
    is set). ``end``: ``True`` for every party only in our registry, or the chosen ids:
    their engagement ends through the status machine (``end_engagement``).
    """
    chosen = _paths(overwrite, "overwrite")
    exceptions = {
        str(pid): _paths(paths, f"per_party.{pid}") for pid, paths in (per_party or {}).items()
    }
    by_party = {m.ours.id: m for m in sync_diff.duplicates}
    unknown = [pid for pid in exceptions if pid not in by_party]
    if unknown:
        raise ValidationError(
            [Issue("sync.unknown_party", "per_party", {"party_id": pid}) for pid in unknown]
        )
    writes = {FieldState.DIFFERS, FieldState.ONLY_IMPORT}
    if empty_overwrites:
        writes.add(FieldState.ONLY_OURS)
    overwrites: list[Overwrite] = []
    for match in sync_diff.duplicates:
        paths = exceptions.get(match.ours.id, chosen)
        if not paths:
            continue
        values = [
            (f.path, f.theirs) for f in match.differences if f.path in paths and f.state in writes
        ]
        if values:
            overwrites.append(Overwrite(match.ours.id, match.ours.version, values))

    fills = _check_defaults(defaults)
    new_by_index = {n.incoming.index: n for n in sync_diff.new}
    if add is True:
        picked = list(new_by_index)
    elif add is False:
        picked = []
    else:
        picked = list(dict.fromkeys(add))
        missing = [i for i in picked if i not in new_by_index]
        if missing:
            raise ValidationError([Issue("sync.not_new", "add", {"index": i}) for i in missing])
    creations = []
    for index in picked:
        entry = new_by_index[index]
        assert entry.incoming.party is not None
        creations.append(_with_defaults(entry.incoming.party, entry.language, fills))

    only = {p.id for p in sync_diff.only_ours}
    if end is True:
        ending = [p.id for p in sync_diff.only_ours]
    elif end is False:
        ending = []
    else:
        ending = list(dict.fromkeys(end))
        missing_ids = [pid for pid in ending if pid not in only]
        if missing_ids:
            raise ValidationError(
                [Issue("sync.not_only_ours", "end", {"party_id": pid}) for pid in missing_ids]
            )
    plan_id = new_id()
    ends = (
        BulkPlan(ending, [Transition("end_engagement", end_reason)], id=f"end-{plan_id}")
        if ending
        else None
    )
    return SyncPlan(
        creations, overwrites_plan(overwrites, f"overwrite-{plan_id}"), ends, (), plan_id
    )


# --- strict JSON ---

_KEYS: Final = frozenset(
    {"clientcore_sync_plan", "id", "creations", "overwrites", "ends", "removals"}
)


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise _invalid(f"$.{key}", "expected a list")
    return value


def _object(
    value: Any, where: str, keys: frozenset[str], optional: Iterable[str] = ()
) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _invalid(where, "expected an object")
    extra = set(value) - keys - set(optional)
    if extra:
        raise _invalid(where, f"unknown key {sorted(map(str, extra))[0]!r}")
    missing = keys - set(value)
    if missing:
        raise _invalid(where, f"missing key {sorted(missing)[0]!r}")
    return value


def _prefixed(err: ValidationError, where: str) -> ValidationError:
    return ValidationError(
        [attrs.evolve(i, path=f"{where}.{i.path}" if i.path else where) for i in err.issues]
    )


def _from_json(data: Any) -> SyncPlan:
    if not isinstance(data, Mapping):
        raise _invalid("$", "expected an object")
    extra = set(data) - _KEYS
    if extra:
        raise _invalid("$", f"unknown key {sorted(map(str, extra))[0]!r}")
    version = data.get("clientcore_sync_plan")
    if version != PLAN_VERSION or isinstance(version, bool):
        raise _invalid("$.clientcore_sync_plan", f"unsupported version (this is {PLAN_VERSION})")
    plan_id = data.get("id")
    if not isinstance(plan_id, str) or not plan_id:
        raise _invalid("$.id", "expected a non-empty text")
    creations = []
    for i, item in enumerate(_list(data, "creations")):
        where = f"$.creations[{i}]"
        try:
            creations.append(party_from_json(item))
        except ValidationError as err:
            raise ValidationError(
                [attrs.evolve(x, path=where + x.path.lstrip("$")) for x in err.issues]
            ) from None
    overwrites = None
    over_data = data.get("overwrites")
    if over_data is not None:
        over = _object(over_data, "$.overwrites", frozenset({"id", "items"}), {"restore"})
        restore = over.get("restore", False)
        if not isinstance(restore, bool):
            raise _invalid("$.overwrites.restore", "expected true or false")
        over_id = over["id"]
        if not isinstance(over_id, str) or not over_id:
            raise _invalid("$.overwrites.id", "expected a non-empty text")
        items = _overwrite_items(over)
        if not items:
            raise _invalid("$.overwrites.items", "at least one overwrite (or no overwrites)")
        overwrites = overwrites_plan(items, over_id, restore=restore)
    removals = []
    for i, item in enumerate(_list(data, "removals")):
        where = f"$.removals[{i}]"
        obj = _object(item, where, frozenset({"party_id", "version"}))
        try:
            removals.append(Removal(obj["party_id"], obj["version"]))
        except ValidationError as err:
            raise _prefixed(err, where) from None
    ends_data = data.get("ends")
    ends = None
    if ends_data is not None:
        try:
            ends = BulkPlan.from_json(ends_data)
        except ValidationError as err:
            raise ValidationError(
                [attrs.evolve(x, path="$.ends" + x.path.lstrip("$")) for x in err.issues]
            ) from None
    return SyncPlan(creations, overwrites, ends, removals, plan_id)


def _overwrite_items(data: Mapping[str, Any]) -> list[Overwrite]:
    items: list[Overwrite] = []
    for i, item in enumerate(_list(data, "items")):
        where = f"$.overwrites.items[{i}]"
        obj = _object(item, where, frozenset({"party_id", "version", "values"}))
        values = obj["values"]
        if not isinstance(values, list):
            raise _invalid(f"{where}.values", "expected a list")
        pairs = []
        for j, pair in enumerate(values):
            at = f"{where}.values[{j}]"
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
                raise _invalid(at, "expected [path, value]")
            pairs.append((pair[0], _value_from_json(pair[0], pair[1], at)))
        try:
            items.append(Overwrite(obj["party_id"], obj["version"], pairs))
        except ValidationError as err:
            raise _prefixed(err, where) from None
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item.party_id in seen:
            raise _invalid(f"$.overwrites.items[{i}].party_id", "one overwrite per party")
        seen.add(item.party_id)
    return items
