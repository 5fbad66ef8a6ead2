"""Issues and the one error hierarchy of clientcore.

Errors carry data: ``.issues`` (every fault, not the first), ``.path``, ``.reasons``.
Each :class:`Issue` renders in English, Dutch and French::

    ClientCoreError
    ├── ValidationError      bad input; .issues lists every fault
    │   └── UnknownField     a field path the catalogue does not know (suggests the nearest)
    ├── FilterError          a filter that cannot be decoded or checked; .path is a JSON path
    ├── PermissionDenied     the actor may not do this; .reasons
    ├── TransitionDenied     a status transition is refused; .reasons
    ├── ConflictError        stale version, duplicate id or saved filter; .party_ids
    └── NotFound             no such party, link or saved filter

>>> err = ValidationError([Issue("party.name.blank", "name")])
>>> err.issues[0].message("fr")
'Le nom est obligatoire.'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import attrs

from clientcore._messages import define, render, templates

define(
    {
        "party.name.blank": (
            "The name is required.",
            "De naam is verplicht.",
            "Le nom est obligatoire.",
        ),
        "field.unknown": (
            "Unknown field '{path}'{hint}.",
            "Onbekend veld '{path}'{hint}.",
            "Champ inconnu '{path}'{hint}.",
        ),
        "conflict.stale_version": (
            "Party {party_id} was changed by someone else (version {expected} expected, "
            "{actual} found).",
            "Partij {party_id} werd intussen door iemand anders gewijzigd (versie {expected} "
            "verwacht, {actual} gevonden).",
            "La partie {party_id} a été modifiée par quelqu'un d'autre (version {expected} "
            "attendue, {actual} trouvée).",
        ),
        "conflict.duplicate_id": (
            "A party with id {party_id} already exists.",
            "Er bestaat al een partij met id {party_id}.",
            "Une partie avec l'id {party_id} existe déjà.",
        ),
        "conflict.duplicate_link_id": (
            "A link with id {link_id} already exists.",
            "Er bestaat al een koppeling met id {link_id}.",
            "Un lien avec l'id {link_id} existe déjà.",
        ),
        "conflict.party_has_links": (
            "Party {party_id} still has links ({links}); remove them first.",
            "Partij {party_id} heeft nog koppelingen ({links}); verwijder die eerst.",
            "La partie {party_id} a encore des liens ({links}) ; supprimez-les d'abord.",
        ),
        "conflict.link_party_gone": (
            "Link {link_id} refers to party {party_id}, which no longer exists.",
            "Koppeling {link_id} verwijst naar partij {party_id}, die niet meer bestaat.",
            "Le lien {link_id} renvoie à la partie {party_id}, qui n'existe plus.",
        ),
        "uow.not_open": (
            "The unit of work is not open: use it as 'with uow: ...' before reading or writing.",
            "De unit of work is niet open: gebruik 'with uow: ...' voor u leest of schrijft.",
            "L'unité de travail n'est pas ouverte : utilisez 'with uow: ...' avant de lire "
            "ou d'écrire.",
        ),
        "uow.already_open": (
            "The unit of work is already open; a nested 'with' is not supported.",
            "De unit of work is al open; een geneste 'with' wordt niet ondersteund.",
            "L'unité de travail est déjà ouverte ; un 'with' imbriqué n'est pas pris en charge.",
        ),
        "not_found": (
            "No {what} with id {id}.",
            "Geen {what} met id {id}.",
            "Aucun(e) {what} avec l'id {id}.",
        ),
        "not_found.party": (
            "No party with id {id}.",
            "Geen partij met id {id}.",
            "Aucune partie avec l'id {id}.",
        ),
        "not_found.link": (
            "No link with id {id}.",
            "Geen koppeling met id {id}.",
            "Aucun lien avec l'id {id}.",
        ),
        "not_found.saved_filter": (
            "No saved filter with id {id}.",
            "Geen opgeslagen filter met id {id}.",
            "Aucun filtre enregistré avec l'id {id}.",
        ),
        "not_found.record": (
            "No record with id {id}.",
            "Geen record met id {id}.",
            "Aucun enregistrement avec l'id {id}.",
        ),
    }
)


_NO_PARAMS: Mapping[str, Any] = MappingProxyType({})


def _params(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    # Read-only, so an issue (and the error holding it) cannot be changed after the fact.
    if not value:
        return _NO_PARAMS
    if isinstance(value, MappingProxyType):
        return value
    return MappingProxyType(dict(value))


@attrs.frozen
class Issue:
    """One fault: a stable ``code``, the field ``path`` it concerns and ``params``.

    ``message(lang)`` renders it in ``en``, ``nl`` or ``fr`` (another language falls
    back to English). ``params`` is a read-only mapping.
    """

    code: str
    path: str = ""
    params: Mapping[str, Any] = attrs.field(default=_NO_PARAMS, converter=_params, hash=False)

    def message(self, lang: str = "en") -> str:
        """The human-readable message in ``lang``."""
        return render(self.code, {"path": self.path, **self.params}, lang)

    def at(self, prefix: str) -> Issue:
        """The same issue with ``prefix`` put in front of its path."""
        path = f"{prefix}.{self.path}" if self.path else prefix
        return attrs.evolve(self, path=path)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (code, path, params, message)."""
        return {
            "code": self.code,
            "path": self.path,
            "params": {k: _jsonable(v) for k, v in self.params.items()},
            "message": self.message(),
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    return str(value)


class ClientCoreError(Exception):
    """The root of every error clientcore raises on purpose.

    ``issues`` says what went wrong as data (empty when the error has none).
    """

    issues: tuple[Issue, ...] = ()


def stale_version(party_id: str, expected: int | None, actual: int | None) -> Issue:
    """The issue every store reports when a party's version is no longer the one a
    write expected (``actual`` is ``None`` when the party is gone)."""
    return Issue(
        "conflict.stale_version",
        "version",
        {"party_id": party_id, "expected": expected, "actual": actual},
    )


def usage_error(code: str, **params: Any) -> ClientCoreError:
    """A :class:`ClientCoreError` for a misused API, with one coded issue (en, nl, fr)."""
    issue = Issue(code, "", params)
    err = ClientCoreError(issue.message())
    err.issues = (issue,)
    return err


class ValidationError(ClientCoreError, ValueError):
    """Input that breaks one or more rules; ``issues`` holds every one of them."""

    def __init__(self, issues: Iterable[Issue]) -> None:
        self.issues: tuple[Issue, ...] = tuple(issues)
        super().__init__(self._summary())

    def _summary(self) -> str:
        if not self.issues:
            return "invalid input"
        shown = "; ".join(f"{i.path or '$'}: {i.message()}" for i in self.issues[:5])
        more = len(self.issues) - 5
        return shown + (f" (+{more} more)" if more > 0 else "")

    def messages(self, lang: str = "en") -> list[str]:
        """Every issue's message in ``lang``."""
        return [i.message(lang) for i in self.issues]


class UnknownField(ValidationError, KeyError):
    """A field path the catalogue does not know; ``suggestion`` is the nearest known path."""

    def __init__(self, path: str, suggestion: str | None = None) -> None:
        self.path = path
        self.suggestion = suggestion
        super().__init__([Issue("field.unknown", path, {"suggestion": suggestion or ""})])

    def __str__(self) -> str:
        return self._summary()


class FilterError(ClientCoreError, ValueError):
    """A filter that cannot be decoded, checked or translated.

    ``path`` is the JSON path of the fault (``$.where.and[2].value``), ``issues``
    lists every fault found.
    """

    def __init__(self, message: str, path: str = "$", issues: Sequence[Issue] = ()) -> None:
        self.path = path
        self.issues: tuple[Issue, ...] = tuple(issues) or (
            Issue("filter.invalid", path, {"reason": message}),
        )
        super().__init__(f"{message} @ {path}")


define(
    {
        "filter.invalid": (
            "Invalid filter at {path}: {reason}",
            "Ongeldige filter op {path}: {reason}",
            "Filtre invalide à {path} : {reason}",
        ),
    }
)


class PermissionDenied(ClientCoreError):
    """The actor may not do this; ``reasons`` say why."""

    def __init__(self, message: str, reasons: Sequence[Any] = ()) -> None:
        self.reasons: tuple[Any, ...] = tuple(reasons)
        super().__init__(message)


class TransitionDenied(ClientCoreError):
    """A status transition was refused; ``reasons`` lists every failing reason."""

    def __init__(self, reasons: Sequence[Any], transition: str = "") -> None:
        self.reasons: tuple[Any, ...] = tuple(reasons)
        self.transition = transition
        shown = "; ".join(getattr(r, "code", str(r)) for r in self.reasons)
        super().__init__(f"transition {transition!r} denied: {shown}")


class ConflictError(ClientCoreError):
    """A write that would lose someone else's change, or duplicate what exists.

    ``party_ids`` names the parties concerned; ``issues`` says what happened to each.
    """

    def __init__(self, issues: Sequence[Issue], party_ids: Sequence[str] = ()) -> None:
        self.issues: tuple[Issue, ...] = tuple(issues)
        ids = list(party_ids) or [str(i.params.get("party_id", "")) for i in self.issues]
        self.party_ids: tuple[str, ...] = tuple(dict.fromkeys(x for x in ids if x))
        super().__init__("; ".join(i.message() for i in self.issues) or "conflict")


class NotFound(ClientCoreError, KeyError):
    """No such party, link or saved filter."""

    def __init__(self, what: str, id: str) -> None:
        self.what = what
        self.id = id
        code = "not_found." + what.replace(" ", "_")
        self.issue = Issue(code if templates(code) else "not_found", "", {"what": what, "id": id})
        super().__init__(self.issue.message())

    def __str__(self) -> str:
        return self.issue.message()
