"""Status labels in English, Dutch and French, and the sentinel for a hidden status."""

from __future__ import annotations

import enum
from typing import Final

from clientcore._errors import Issue, ValidationError
from clientcore._messages import define, render
from clientcore.model import ClientStatus

define(
    {
        "status.label.suspect": ("Suspect", "Suspect", "Suspect"),
        "status.label.prospect": ("Prospect", "Prospect", "Prospect"),
        "status.label.acceptance_draft": (
            "Client acceptance: draft",
            "Klantacceptatie-concept",
            "Acceptation client : brouillon",
        ),
        "status.label.acceptance_pending": (
            "Client acceptance: awaiting approval",
            "Klantacceptatie-ter goedkeuring",
            "Acceptation client : en attente d'approbation",
        ),
        "status.label.acceptance_central_admin": (
            "Client acceptance: central administration",
            "Klantacceptatie-centrale administratie",
            "Acceptation client : administration centrale",
        ),
        "status.label.client": ("Client", "Klant", "Client"),
        "status.label.former_client": ("Former client", "Geen klant meer", "Ancien client"),
        "status.label.relation": ("Relation", "Relatie", "Relation"),
        "status.label.service_provider": (
            "Own-organisation service provider",
            "Dienstverlener eigen organisatie",
            "Prestataire de services du cabinet",
        ),
        "status.label.restricted": ("Restricted", "Afgeschermd", "Confidentiel"),
    }
)


class Restricted(enum.Enum):
    """The type of :data:`RESTRICTED`: what an actor sees instead of a hidden status."""

    RESTRICTED = "restricted"

    def __repr__(self) -> str:
        return "RESTRICTED"


RESTRICTED: Final = Restricted.RESTRICTED
"""Shown instead of a status the actor may not see (``repr`` is ``RESTRICTED``)."""


def status_label(status: ClientStatus | Restricted | str, lang: str = "en") -> str:
    """The label of ``status`` (or of :data:`RESTRICTED`) in ``lang`` (en, nl or fr).

    >>> status_label("acceptance_pending", "nl")
    'Klantacceptatie-ter goedkeuring'
    """
    if isinstance(status, Restricted):
        return render("status.label.restricted", {}, lang)
    return render(f"status.label.{as_status(status).value}", {}, lang)


def as_status(value: object, path: str = "status") -> ClientStatus:
    """``value`` as a :class:`ClientStatus`; a :class:`ValidationError` names a bad one."""
    try:
        return ClientStatus(value if isinstance(value, ClientStatus) else str(value))
    except ValueError:
        choices = [s.value for s in ClientStatus]
        issue = Issue("value.invalid_choice", path, {"value": value, "choices": choices})
        raise ValidationError([issue]) from None
