"""Saved filters: named shortcuts to a filter, private or shared with colleagues.

A :class:`FilterBook` enforces the grid's rules over a :class:`SavedFilterRepository`:
a user sees their own filters and the shared ones; saving a filter that user can already
see is refused and names the existing one (so a screen greys out its "+"); only the
creator renames, re-shares, changes or deletes a filter, shared or not.

>>> import datetime as dt
>>> from clientcore.query import F
>>> book = FilterBook(InMemorySavedFilterRepository(),
...                   clock=lambda: dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC))
>>> vat = book.save("ann", "VAT clients", "receipt", F("vat_liable").eq(True), shared=True)
>>> book.is_saved("bob", F("vat_liable").eq(True)).name
'VAT clients'
>>> try:
...     book.delete("bob", vat.id)
... except PermissionDenied as err:
...     print(err.reasons[0].message("nl"))
Enkel ann, die de bewaarde filter 'VAT clients' maakte, mag hem wijzigen of verwijderen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs

from clientcore._errors import (
    ConflictError,
    FilterError,
    Issue,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from clientcore._limits import check_input
from clientcore._messages import define
from clientcore._text import fold
from clientcore.model import Actor, Schema, identity_key, new_id
from clientcore.query._check import OpenMode, ensure
from clientcore.query._tree import Filter

if TYPE_CHECKING:
    from clientcore.ports import SavedFilterRepository

__all__ = [
    "DuplicateFilter",
    "DuplicateFilterName",
    "FilterBook",
    "InMemorySavedFilterRepository",
    "SavedFilter",
]

VERSION: Final = 1
MAX_NAME: Final = 100
MAX_ICON: Final = 64

define(
    {
        "saved_filter.name.blank": (
            "A saved filter needs a name.",
            "Een bewaarde filter heeft een naam nodig.",
            "Un filtre enregistré doit avoir un nom.",
        ),
        "saved_filter.name.too_long": (
            "The name is too long: {length} characters, at most {max}.",
            "De naam is te lang: {length} tekens, maximaal {max}.",
            "Le nom est trop long : {length} caractères, {max} au maximum.",
        ),
        "saved_filter.name.taken": (
            "You already have a saved filter named '{name}'.",
            "Je hebt al een bewaarde filter met de naam '{name}'.",
            "Vous avez déjà un filtre enregistré nommé '{name}'.",
        ),
        "saved_filter.icon.invalid": (
            "The icon must be a non-empty text of at most {max} characters.",
            "Het icoon moet een niet-lege tekst van hoogstens {max} tekens zijn.",
            "L'icône doit être un texte non vide d'au plus {max} caractères.",
        ),
        "saved_filter.owner.blank": (
            "A saved filter needs an owner (a user id).",
            "Een bewaarde filter heeft een eigenaar nodig (een gebruikers-id).",
            "Un filtre enregistré doit avoir un propriétaire (un id d'utilisateur).",
        ),
        "saved_filter.filter.invalid": (
            "The content of a saved filter must be a filter, not {type}.",
            "De inhoud van een bewaarde filter moet een filter zijn, geen {type}.",
            "Le contenu d'un filtre enregistré doit être un filtre, pas {type}.",
        ),
        "saved_filter.duplicate": (
            "This filter is already saved as '{name}'.",
            "Deze filter is al bewaard als '{name}'.",
            "Ce filtre est déjà enregistré sous '{name}'.",
        ),
        "saved_filter.not_owner": (
            "Only {owner}, who created saved filter '{name}', may change or delete it.",
            "Enkel {owner}, die de bewaarde filter '{name}' maakte, mag hem wijzigen of "
            "verwijderen.",
            "Seul {owner}, qui a créé le filtre enregistré '{name}', peut le modifier ou le "
            "supprimer.",
        ),
        "saved_filter.id.blank": (
            "A saved filter needs an id.",
            "Een bewaarde filter heeft een id nodig.",
            "Un filtre enregistré doit avoir un id.",
        ),
        "saved_filter.duplicate_id": (
            "A saved filter with id {id} already exists.",
            "Er bestaat al een bewaarde filter met id {id}.",
            "Un filtre enregistré avec l'id {id} existe déjà.",
        ),
        "stored.not_object": (
            "Expected a JSON object, not {type}.",
            "Een JSON-object verwacht, geen {type}.",
            "Un objet JSON est attendu, pas {type}.",
        ),
        "stored.version": (
            "Unsupported format version {value} (expected {expected}).",
            "Niet-ondersteunde formaatversie {value} (verwacht: {expected}).",
            "Version de format non prise en charge {value} (attendue : {expected}).",
        ),
        "stored.unknown_key": (
            "Unknown key '{key}'.",
            "Onbekende sleutel '{key}'.",
            "Clé inconnue '{key}'.",
        ),
        "stored.missing_key": (
            "The key '{key}' is missing.",
            "De sleutel '{key}' ontbreekt.",
            "La clé '{key}' manque.",
        ),
        "stored.expected_text": (
            "Expected text here, not {type}.",
            "Hier wordt tekst verwacht, geen {type}.",
            "Du texte est attendu ici, pas {type}.",
        ),
        "stored.expected_bool": (
            "Expected true or false here, not {type}.",
            "Hier wordt true of false verwacht, geen {type}.",
            "true ou false est attendu ici, pas {type}.",
        ),
        "stored.expected_list": (
            "Expected a list here, not {type}.",
            "Hier wordt een lijst verwacht, geen {type}.",
            "Une liste est attendue ici, pas {type}.",
        ),
        "stored.expected_object": (
            "Expected a JSON object here, not {type}.",
            "Hier wordt een JSON-object verwacht, geen {type}.",
            "Un objet JSON est attendu ici, pas {type}.",
        ),
        "stored.expected_datetime": (
            "Expected a date and time here, not {type}.",
            "Hier wordt een datum en tijd verwacht, geen {type}.",
            "Une date et heure est attendue ici, pas {type}.",
        ),
        "stored.invalid_datetime": (
            "'{value}' is not an ISO date and time (YYYY-MM-DDTHH:MM:SS).",
            "'{value}' is geen ISO-datum en -tijd (JJJJ-MM-DDTUU:MM:SS).",
            "'{value}' n'est pas une date et heure ISO (AAAA-MM-JJTHH:MM:SS).",
        ),
    }
)

_EXPECTED: Final[Mapping[type, str]] = {
    str: "stored.expected_text",
    bool: "stored.expected_bool",
    list: "stored.expected_list",
    dict: "stored.expected_object",
}


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


class StrictObject:
    """Reads one JSON object strictly and collects every fault as an :class:`Issue`.

    Shared by the stored forms of saved filters and column layouts: unknown keys,
    missing keys, wrong types and a wrong format version are reported with their
    JSON path (``$.name``), all at once.
    """

    def __init__(
        self,
        obj: Any,
        version_key: str,
        required: Mapping[str, type],
        optional: Mapping[str, type] | None = None,
    ) -> None:
        self.issues: list[Issue] = []
        self.values: dict[str, Any] = {}
        if not isinstance(obj, Mapping):
            self.issues.append(Issue("stored.not_object", "$", {"type": _type_name(obj)}))
            return
        optional = optional or {}
        known = {version_key, *required, *optional}
        for key in obj:
            if key not in known:
                shown = str(key)[:40]
                self.issues.append(Issue("stored.unknown_key", f"$.{shown}", {"key": shown}))
        version = obj.get(version_key)
        if type(version) is not int or version != VERSION:
            self.issues.append(
                Issue(
                    "stored.version",
                    f"$.{version_key}",
                    {"value": repr(version), "expected": VERSION},
                )
            )
        for key, kind in (*required.items(), *optional.items()):
            if key not in obj:
                if key in required:
                    self.issues.append(Issue("stored.missing_key", f"$.{key}", {"key": key}))
                continue
            value = obj[key]
            if type(value) is not kind:  # bool is no int, and a str subclass no str
                self.issues.append(Issue(_EXPECTED[kind], f"$.{key}", {"type": _type_name(value)}))
                continue
            self.values[key] = value

    def datetime(self, key: str) -> dt.datetime | None:
        """The ISO date-time at ``key`` (already read as text), or ``None`` with an issue."""
        text = self.values.get(key)
        if text is None:
            return None
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            self.issues.append(Issue("stored.invalid_datetime", f"$.{key}", {"value": text[:40]}))
            return None

    def text_list(self, key: str) -> list[str]:
        """The list of texts at ``key``; each item that is no text gets an issue."""
        items = self.values.get(key, [])
        out = []
        for index, item in enumerate(items):
            if type(item) is not str:
                self.issues.append(
                    Issue("stored.expected_text", f"$.{key}[{index}]", {"type": _type_name(item)})
                )
            else:
                out.append(item)
        return out


def _user_id(user: str | Actor) -> str:
    uid = user.id if isinstance(user, Actor) else user
    if not isinstance(uid, str) or not uid.strip():
        raise ValidationError([Issue("saved_filter.owner.blank", "owner")])
    return uid


def _folded_name(name: str) -> str:
    return fold(" ".join(name.split()))


def _name_issues(name: Any) -> list[Issue]:
    if not isinstance(name, str) or not name.strip():
        return [Issue("saved_filter.name.blank", "name")]
    if len(name.strip()) > MAX_NAME:
        return [Issue("saved_filter.name.too_long", "name", {"length": len(name), "max": MAX_NAME})]
    return []


def _icon_issues(icon: Any) -> list[Issue]:
    if not isinstance(icon, str) or not icon.strip() or len(icon) > MAX_ICON:
        return [Issue("saved_filter.icon.invalid", "icon", {"max": MAX_ICON})]
    return []


def _filter_issues(flt: Any) -> list[Issue]:
    if not isinstance(flt, Filter):
        return [Issue("saved_filter.filter.invalid", "filter", {"type": _type_name(flt)})]
    return []


@attrs.frozen
class SavedFilter:
    """A named shortcut to a filter: name, icon, owner, whether colleagues see it.

    Built by :class:`FilterBook`; a value that breaks a rule (blank name or owner, a
    filter that is no :class:`~clientcore.query.Filter`) raises :class:`ValidationError`.
    """

    id: str
    name: str
    icon: str
    owner: str
    shared: bool
    filter: Filter
    created_at: dt.datetime
    updated_at: dt.datetime
    fingerprint: str = attrs.field(init=False, eq=False, repr=False)
    """The filter's :meth:`~clientcore.query.Filter.fingerprint`: equal for equal meaning."""

    def __attrs_post_init__(self) -> None:
        issues = [*_name_issues(self.name), *_icon_issues(self.icon), *_filter_issues(self.filter)]
        if not isinstance(self.id, str) or not self.id:
            issues.append(Issue("saved_filter.id.blank", "id"))
        if not isinstance(self.owner, str) or not self.owner.strip():
            issues.append(Issue("saved_filter.owner.blank", "owner"))
        if type(self.shared) is not bool:
            issues.append(
                Issue("stored.expected_bool", "shared", {"type": _type_name(self.shared)})
            )
        for key in ("created_at", "updated_at"):
            moment = getattr(self, key)
            if not isinstance(moment, dt.datetime):
                issues.append(Issue("stored.expected_datetime", key, {"type": _type_name(moment)}))
        if issues:
            raise ValidationError(issues)
        object.__setattr__(self, "fingerprint", self.filter.fingerprint())

    def visible_to(self, user: str | Actor) -> bool:
        """Whether ``user`` sees this filter: it is theirs, or it is shared."""
        return self.shared or identity_key(self.owner) == identity_key(_user_id(user))

    def to_json(self) -> dict[str, Any]:
        """``{"clientcore_saved_filter": 1, ...}``: the filter as versioned filter JSON,
        date-times in ISO 8601."""
        return {
            "clientcore_saved_filter": VERSION,
            "id": self.id,
            "name": self.name,
            "icon": self.icon,
            "owner": self.owner,
            "shared": self.shared,
            "filter": self.filter.to_json(),
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }

    @classmethod
    def from_json(cls, obj: Any, schema: Schema | OpenMode | None = None) -> SavedFilter:
        """Decode untrusted JSON strictly: every fault is an issue with its JSON path.

        Unknown or missing keys, wrong types, a bad date-time and a filter that
        :meth:`Filter.from_json <clientcore.query.Filter.from_json>` refuses (paths
        under ``$.filter``) all raise one :class:`ValidationError`. The filter's fields
        are checked against ``schema`` too (the default catalogue unless given;
        :data:`~clientcore.query.OPEN` checks none). The input is bounded first
        (:data:`~clientcore.errors.DEFAULT_LIMITS`).
        """
        check_input(obj)
        reader = StrictObject(
            obj,
            "clientcore_saved_filter",
            {
                "id": str,
                "name": str,
                "icon": str,
                "owner": str,
                "shared": bool,
                "filter": dict,
                "created_at": str,
                "updated_at": str,
            },
        )
        created, updated = reader.datetime("created_at"), reader.datetime("updated_at")
        flt: Filter | None = None
        if "filter" in reader.values:
            try:
                flt = Filter.from_json(reader.values["filter"], schema)
            except FilterError as err:
                reader.issues.extend(_under("$.filter", i) for i in err.issues)
        values = reader.values
        for key, found in (
            ("name", _name_issues(values.get("name", "-"))),
            ("icon", _icon_issues(values.get("icon", "-"))),
        ):
            reader.issues.extend(attrs.evolve(i, path=f"$.{key}") for i in found)
        for key in ("id", "owner"):
            if key in values and not values[key].strip():
                reader.issues.append(Issue(f"saved_filter.{key}.blank", f"$.{key}"))
        if reader.issues or flt is None or created is None or updated is None:
            raise ValidationError(reader.issues)
        return cls(
            values["id"],
            values["name"],
            values["icon"],
            values["owner"],
            values["shared"],
            flt,
            created,
            updated,
        )


def _under(prefix: str, issue: Issue) -> Issue:
    path = issue.path
    nested = prefix + path[1:] if path.startswith("$") else f"{prefix}.{path}" if path else prefix
    return attrs.evolve(issue, path=nested)


class DuplicateFilter(ConflictError):
    """The filter is already saved and visible to this user; ``existing`` is that one."""

    def __init__(self, existing: SavedFilter) -> None:
        self.existing = existing
        super().__init__(
            [
                Issue(
                    "saved_filter.duplicate",
                    "filter",
                    {"name": existing.name, "id": existing.id, "owner": existing.owner},
                )
            ]
        )


class DuplicateFilterName(ConflictError):
    """The user already has a saved filter with this name; ``existing`` is that one."""

    def __init__(self, existing: SavedFilter) -> None:
        self.existing = existing
        super().__init__(
            [Issue("saved_filter.name.taken", "name", {"name": existing.name, "id": existing.id})]
        )


class InMemorySavedFilterRepository:
    """The reference :class:`SavedFilterRepository`: a dict, in insertion order."""

    def __init__(self, saved: Iterable[SavedFilter] = ()) -> None:
        self._items: dict[str, SavedFilter] = {}
        for item in saved:
            self.add(item)

    def add(self, saved: SavedFilter) -> SavedFilter:
        """Store a new saved filter; an existing id raises ``ConflictError``."""
        if saved.id in self._items:
            raise ConflictError([Issue("saved_filter.duplicate_id", "id", {"id": saved.id})])
        self._items[saved.id] = saved
        return saved

    def get(self, filter_id: str) -> SavedFilter:
        """The saved filter with this id; ``NotFound`` when there is none."""
        try:
            return self._items[filter_id]
        except KeyError:
            raise NotFound("saved filter", filter_id) from None

    def list(self) -> list[SavedFilter]:
        """Every saved filter, in the order they were added."""
        return list(self._items.values())

    def save(self, saved: SavedFilter) -> SavedFilter:
        """Replace the stored filter with this id; ``NotFound`` when there is none."""
        self.get(saved.id)
        self._items[saved.id] = saved
        return saved

    def delete(self, filter_id: str) -> None:
        """Remove the saved filter with this id; ``NotFound`` when there is none."""
        self.get(filter_id)
        del self._items[filter_id]


def _instant(moment: dt.datetime) -> float:
    """Seconds since the epoch; a naive date-time is read as UTC, so all compare."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


class FilterBook:
    """The rules of saved filters over a repository; time comes from ``clock``.

    ``user`` arguments take a user id or an :class:`~clientcore.model.Actor`.
    A filter is checked against ``schema`` before it is saved (the default catalogue
    unless given; :data:`~clientcore.query.OPEN` for filters over records of another
    shape, checked against none).
    """

    def __init__(
        self,
        repository: SavedFilterRepository,
        clock: Callable[[], dt.datetime],
        *,
        new_id: Callable[[], str] = new_id,
        schema: Schema | OpenMode | None = None,
    ) -> None:
        self._repository = repository
        self._clock = clock
        self._new_id = new_id
        self._schema = schema

    # --- reading ---

    def visible_to(self, user: str | Actor) -> list[SavedFilter]:
        """The user's own filters and the shared ones, sorted by name (then owner, id).

        A filter the user sees never appears twice: a shared filter whose meaning equals
        one already listed (the user's own, or an earlier shared one) is left out, so a
        colleague who shares a filter you saved privately does not double your list.
        """
        me = identity_key(_user_id(user))
        stored = self._repository.list()
        own = [s for s in stored if identity_key(s.owner) == me]
        seen = {s.fingerprint for s in own}
        out = list(own)
        shared = [s for s in stored if s.shared and identity_key(s.owner) != me]
        for item in sorted(shared, key=lambda s: (_instant(s.created_at), s.id)):
            if item.fingerprint not in seen:
                seen.add(item.fingerprint)
                out.append(item)
        return sorted(out, key=lambda s: (_folded_name(s.name), s.name, s.owner, s.id))

    def is_saved(self, user: str | Actor, flt: Filter) -> SavedFilter | None:
        """The saved filter the user sees that means the same as ``flt``, or ``None``.

        A screen greys out its "+" (save) when this is not ``None``.
        """
        fingerprint = flt.fingerprint()
        for item in self.visible_to(user):
            if item.fingerprint == fingerprint:
                return item
        return None

    def get(self, user: str | Actor, filter_id: str) -> SavedFilter:
        """The saved filter with this id, if the user sees it; else ``NotFound``."""
        item = self._repository.get(filter_id)
        if not item.visible_to(user):
            raise NotFound("saved filter", filter_id)
        return item

    # --- writing ---

    def save(
        self,
        user: str | Actor,
        name: str,
        icon: str,
        flt: Filter,
        shared: bool = False,
    ) -> SavedFilter:
        """Save ``flt`` under ``name`` for ``user``.

        Refused with :class:`ValidationError` for a blank or too long name, a bad icon or
        a value that is no filter; with :class:`DuplicateFilter` when the user already
        sees a saved filter meaning the same; with :class:`DuplicateFilterName` when the
        user already has a filter of that name (case and accents ignored).
        """
        uid = _user_id(user)
        issues = [*_name_issues(name), *_icon_issues(icon), *_filter_issues(flt)]
        if issues:
            raise ValidationError(issues)
        ensure(flt, self._schema)
        self._refuse_duplicate(uid, flt, None)
        self._refuse_name(uid, name, None)
        now = self._clock()
        item = SavedFilter(
            self._new_id(), name.strip(), icon.strip(), uid, bool(shared), flt, now, now
        )
        return self._repository.add(item)

    def rename(self, user: str | Actor, filter_id: str, name: str) -> SavedFilter:
        """Give the user's own saved filter a new name (unique among their filters)."""
        item = self._owned(user, filter_id)
        issues = _name_issues(name)
        if issues:
            raise ValidationError(issues)
        self._refuse_name(item.owner, name, item.id)
        return self._update(item, name=name.strip())

    def change_icon(self, user: str | Actor, filter_id: str, icon: str) -> SavedFilter:
        """Give the user's own saved filter another icon."""
        item = self._owned(user, filter_id)
        issues = _icon_issues(icon)
        if issues:
            raise ValidationError(issues)
        return self._update(item, icon=icon.strip())

    def set_shared(self, user: str | Actor, filter_id: str, shared: bool) -> SavedFilter:
        """Share the user's own saved filter with colleagues, or stop sharing it."""
        item = self._owned(user, filter_id)
        return self._update(item, shared=bool(shared))

    def replace_filter(self, user: str | Actor, filter_id: str, flt: Filter) -> SavedFilter:
        """Put another filter behind the user's own shortcut.

        Refused with :class:`DuplicateFilter` when the user already sees another saved
        filter meaning the same as ``flt``.
        """
        item = self._owned(user, filter_id)
        issues = _filter_issues(flt)
        if issues:
            raise ValidationError(issues)
        ensure(flt, self._schema)
        self._refuse_duplicate(item.owner, flt, item.id)
        return self._update(item, filter=flt)

    def delete(self, user: str | Actor, filter_id: str) -> None:
        """Delete the user's own saved filter (colleagues lose it too if it was shared)."""
        item = self._owned(user, filter_id)
        self._repository.delete(item.id)

    # --- rules ---

    def _owned(self, user: str | Actor, filter_id: str) -> SavedFilter:
        """The saved filter, if ``user`` owns it: ``NotFound`` when there is no such
        filter *or the user may not see it* (the answer :meth:`get` gives: a colleague's
        private filter is not revealed), ``PermissionDenied`` when the user sees it (it is
        shared) but someone else created it: only the owner changes a filter."""
        uid = _user_id(user)
        item = self._repository.get(filter_id)
        if not item.visible_to(uid):
            raise NotFound("saved filter", filter_id)
        if identity_key(item.owner) != identity_key(uid):
            reason = Issue(
                "saved_filter.not_owner",
                "owner",
                {"owner": item.owner, "name": item.name, "id": item.id},
            )
            raise PermissionDenied(reason.message(), [reason])
        return item

    def _refuse_duplicate(self, uid: str, flt: Filter, ignore: str | None) -> None:
        # The list the user sees, so the filter named is always one they can find.
        fingerprint = flt.fingerprint()
        for item in self.visible_to(uid):
            if item.id != ignore and item.fingerprint == fingerprint:
                raise DuplicateFilter(item)

    def _refuse_name(self, uid: str, name: str, ignore: str | None) -> None:
        wanted = _folded_name(name)
        for item in self._repository.list():
            mine = identity_key(item.owner) == identity_key(uid)
            if mine and item.id != ignore and _folded_name(item.name) == wanted:
                raise DuplicateFilterName(item)

    def _update(self, item: SavedFilter, **changes: Any) -> SavedFilter:
        changed = attrs.evolve(item, **changes, updated_at=self._clock())
        return self._repository.save(changed)
