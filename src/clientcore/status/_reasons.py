"""Why a transition is refused: reasons with messages in three languages, and decisions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from clientcore._errors import Issue
from clientcore._messages import LANGS, define, render
from clientcore.model import ClientStatus
from clientcore.status._labels import status_label

define(
    {
        "status.unknown_transition": (
            "There is no status transition called '{transition}'.",
            "Er bestaat geen statusovergang '{transition}'.",
            "Il n'existe pas de transition de statut '{transition}'.",
        ),
        "status.wrong_source": (
            "'{transition}' is only possible from {sources}, not from {status}.",
            "'{transition}' kan enkel vanuit {sources}, niet vanuit {status}.",
            "'{transition}' n'est possible qu'à partir de {sources}, pas de {status}.",
        ),
        "status.no_field_transition": (
            "The status field cannot go from '{source}' to '{target}'.",
            "Het statusveld kan niet van '{source}' naar '{target}' gaan.",
            "Le champ statut ne peut pas passer de « {source} » à « {target} ».",
        ),
        "status.approval_role": (
            "'{transition}' needs the '{role}' role.",
            "Voor '{transition}' is de rol '{role}' nodig.",
            "'{transition}' exige le rôle '{role}'.",
        ),
        "status.four_eyes": (
            "{actor} submitted this acceptance and may not also decide on it "
            "('{transition}', four-eyes rule).",
            "{actor} heeft deze acceptatie ingediend en mag er niet ook zelf over beslissen "
            "('{transition}', vier-ogenprincipe).",
            "{actor} a soumis cette acceptation et ne peut pas aussi en décider "
            "('{transition}', principe des quatre yeux).",
        ),
        "status.submitter_unknown": (
            "Nobody is recorded as having submitted this acceptance, so the four-eyes rule "
            "cannot be checked for '{transition}'.",
            "Er is niet vastgelegd wie deze acceptatie heeft ingediend; het vier-ogenprincipe "
            "kan voor '{transition}' niet worden gecontroleerd.",
            "Personne n'est enregistré comme ayant soumis cette acceptation ; le principe des "
            "quatre yeux ne peut pas être vérifié pour '{transition}'.",
        ),
        "status.submitter_unverified": (
            "The audit trail does not show who submitted this acceptance as the party "
            "records it, so '{transition}' is refused (the record was written around the "
            "status machine).",
            "Het auditspoor bevestigt niet wie deze acceptatie volgens de partij heeft "
            "ingediend; '{transition}' wordt geweigerd (het record werd buiten de "
            "statusmachine om geschreven).",
            "La piste d'audit ne confirme pas qui a soumis cette acceptation selon la partie ; "
            "'{transition}' est refusé (l'enregistrement a été écrit en dehors de la machine "
            "d'états).",
        ),
        "status.running_projects": (
            "'{transition}' needs a party without running projects; {count} still running.",
            "'{transition}' kan enkel zonder lopende projecten; er lopen er nog {count}.",
            "'{transition}' exige une partie sans projets en cours ; il en reste {count}.",
        ),
        "facts.unavailable": (
            "'{transition}' needs to know the {fact} of this party, and no facts provider "
            "is configured.",
            "Voor '{transition}' moeten de {fact} van deze partij gekend zijn, en er is geen "
            "bron voor die gegevens ingesteld.",
            "'{transition}' doit connaître les {fact} de cette partie, et aucune source de "
            "ces données n'est configurée.",
        ),
        "status.reason_required": (
            "'{transition}' needs a reason.",
            "Voor '{transition}' is een motivering verplicht.",
            "'{transition}' exige une justification.",
        ),
        "policy.transition_not_allowed": (
            "None of your roles ({roles}) allows '{transition}'.",
            "Geen van uw rollen ({roles}) laat '{transition}' toe.",
            "Aucun de vos rôles ({roles}) ne permet '{transition}'.",
        ),
        "policy.status_hidden": (
            "You may not see the status of this party.",
            "U mag de status van deze partij niet zien.",
            "Vous ne pouvez pas voir le statut de cette partie.",
        ),
    }
)

# The words a fact is called by in a message, per language (en, nl, fr).
FACT_WORDS: dict[str, tuple[str, str, str]] = {
    "running_projects": ("running projects", "lopende projecten", "projets en cours"),
}


def _params(value: Mapping[str, Any] | None) -> dict[str, Any]:
    return dict(value) if value else {}


@attrs.frozen
class Reason:
    """Why something is refused: a stable ``code`` and the ``params`` of its message.

    :meth:`message` renders it in en, nl or fr; statuses among the params are shown by
    their label in that language.

    >>> Reason("status.running_projects", {"transition": "revert_to_prospect", "count": 2}
    ...        ).message("nl")
    "'revert_to_prospect' kan enkel zonder lopende projecten; er lopen er nog 2."
    """

    code: str
    params: dict[str, Any] = attrs.field(factory=dict, converter=_params, hash=False)

    def message(self, lang: str = "en") -> str:
        """The human-readable message in ``lang`` (en, nl or fr)."""
        return render(self.code, {k: _shown(k, v, lang) for k, v in self.params.items()}, lang)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (code, params, English message)."""
        return {
            "code": self.code,
            "params": {k: _jsonable(v) for k, v in self.params.items()},
            "message": self.message(),
        }

    @classmethod
    def from_issue(cls, issue: Issue) -> Reason:
        """The reason for a model rule the result would break (same code and messages)."""
        return cls(issue.code, {"path": issue.path, **issue.params})


def _shown(key: str, value: Any, lang: str) -> Any:
    if isinstance(value, ClientStatus):
        return status_label(value, lang)
    if isinstance(value, (frozenset, set, tuple, list)) and value:
        if all(isinstance(v, ClientStatus) for v in value):
            ordered = [s for s in ClientStatus if s in value]
            return ", ".join(status_label(s, lang) for s in ordered)
        return ", ".join(sorted(map(str, value)))
    if key == "fact" and value in FACT_WORDS:
        return FACT_WORDS[value][LANGS.index(lang)] if lang in LANGS else value
    if key == "roles" and not value:
        return "-"
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(map(str, value)) if isinstance(value, (set, frozenset)) else value
        return [_jsonable(v) for v in items]
    return str(value)


def _reasons(value: Iterable[Reason]) -> tuple[Reason, ...]:
    return tuple(value)


@attrs.frozen
class Decision:
    """Whether something is allowed and, when it is not, every reason why.

    ``allowed`` is true exactly when ``reasons`` is empty: a refusal always says why.

    >>> Decision.deny(Reason("policy.status_hidden")).allowed
    False
    """

    allowed: bool
    reasons: tuple[Reason, ...] = attrs.field(default=(), converter=_reasons)

    def __attrs_post_init__(self) -> None:
        if self.allowed == bool(self.reasons):
            raise ValueError(
                "a Decision is allowed exactly when it has no reasons "
                f"(allowed={self.allowed}, {len(self.reasons)} reasons)"
            )

    @classmethod
    def allow(cls) -> Decision:
        """An allowing decision."""
        return cls(True)

    @classmethod
    def deny(cls, *reasons: Reason) -> Decision:
        """A refusal for ``reasons`` (at least one)."""
        return cls(False, reasons)

    @classmethod
    def of(cls, reasons: Iterable[Reason]) -> Decision:
        """Allowed when ``reasons`` is empty, refused with them otherwise."""
        found = tuple(reasons)
        return cls(not found, found)

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of the reasons, in order."""
        return tuple(r.code for r in self.reasons)

    def messages(self, lang: str = "en") -> list[str]:
        """Every reason's message in ``lang``."""
        return [r.message(lang) for r in self.reasons]
