"""The action catalogue: what the grid's "Actions" button offers for a selection, and why not.

Each :class:`Action` carries its selection rules: whether a selection is needed, a
maximum size (time entries: 20 clients), the fields each party needs, and who may use
it. :func:`available_actions` answers for one selection and actor; every refusal is an
:class:`~clientcore.Issue` with a message in en, nl and fr.

>>> from clientcore import Actor, Party
>>> many = [Party(kind="client_company", name=f"Client {i}", number=f"C{i}") for i in range(21)]
>>> offer = {o.action.id: o for o in available_actions(many, Actor("ann", {"staff"}))}
>>> offer["export"].offered, offer["add_time_entries"].offered
(True, False)
>>> print(offer["add_time_entries"].why("nl")[0])
Deze actie is beperkt tot 20 klanten; er zijn er 21 geselecteerd.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final, Literal

import attrs

from clientcore._errors import Issue
from clientcore._messages import define
from clientcore.model import Actor, Party, Schema, default_schema, identifier_for
from clientcore.status import StatusMachine

define(
    {
        "action.needs_selection": (
            "Select one or more clients first.",
            "Selecteer eerst een of meer klanten.",
            "Sélectionnez d'abord un ou plusieurs clients.",
        ),
        "action.too_many": (
            "This action is limited to {limit} clients; {count} are selected.",
            "Deze actie is beperkt tot {limit} klanten; er zijn er {count} geselecteerd.",
            "Cette action est limitée à {limit} clients ; {count} sont sélectionnés.",
        ),
        "action.role": (
            "{actor} may not use this action (it needs one of the roles {roles}).",
            "{actor} mag deze actie niet gebruiken (ze vraagt een van de rollen {roles}).",
            "{actor} ne peut pas utiliser cette action (elle demande un des rôles {roles}).",
        ),
        "action.field.missing": (
            "'{path}' is missing.",
            "'{path}' ontbreekt.",
            "'{path}' est manquant.",
        ),
        "action.field.invalid": (
            "'{path}' is not valid ({value}).",
            "'{path}' is niet geldig ({value}).",
            "'{path}' n'est pas valide ({value}).",
        ),
        "action.none_qualifies": (
            "None of the {count} selected clients has what this action needs ({paths}).",
            "Geen van de {count} geselecteerde klanten heeft wat deze actie vraagt ({paths}).",
            "Aucun des {count} clients sélectionnés n'a ce que demande cette action ({paths}).",
        ),
        "action.unknown": (
            "Unknown action '{action}'.",
            "Onbekende actie '{action}'.",
            "Action inconnue '{action}'.",
        ),
    }
)

Executor = Literal["library", "host"]


def _roles(value: Iterable[str] | None) -> frozenset[str] | None:
    return None if value is None else frozenset(value)


@attrs.frozen
class Action:
    """One action on a selection and the rules that decide whether it is offered.

    ``requires`` lists field paths each party needs (not blank and, for an identifier,
    valid); a party that lacks one is skipped and reported, not the whole selection
    refused. ``roles`` (``None``: everyone) are the roles of which the actor needs one.
    ``executed_by`` says who carries it out: the library, or the host from an
    :class:`ActionRequest <clientcore.actions.ActionRequest>`.
    """

    id: str
    labels: tuple[str, str, str]
    needs_selection: bool = True
    max_parties: int | None = None
    requires: tuple[str, ...] = ()
    roles: frozenset[str] | None = attrs.field(default=None, converter=_roles)
    executed_by: Executor = "host"

    def label(self, lang: str = "en") -> str:
        """The action's name in ``lang`` (en, nl or fr)."""
        en, nl, fr = self.labels
        return {"nl": nl, "fr": fr}.get(lang, en)


#: The actions of the "all clients" grid, in the order the seed products list them.
ACTIONS: Final[tuple[Action, ...]] = (
    Action(
        "export",
        ("Download", "Downloaden", "Télécharger"),
        needs_selection=False,
        executed_by="library",
    ),
    Action(
        "send_email",
        ("Send e-mails", "E-mails verzenden", "Envoyer des courriels"),
        requires=("email",),
    ),
    Action(
        "qr_cover_pages",
        ("Generate QR cover pages", "QR-voorbladen maken", "Générer des codes QR"),
        requires=("number",),
        executed_by="library",
    ),
    Action(
        "activate_task",
        (
            "Activate a non-recurring task",
            "Niet-terugkerende taak activeren",
            "Activer une tâche non récurrente",
        ),
    ),
    Action("email_settings", ("E-mail settings", "E-mails instellen", "Configurer les e-mails")),
    Action(
        "billing_project",
        ("Create a billing project", "Facturatieproject maken", "Projet de facturation"),
    ),
    Action(
        "add_cost",
        ("Add a cost or expense", "Kost of uitgave toevoegen", "Ajouter des frais / des débours"),
    ),
    Action(
        "add_time_entries",
        ("Add time entries", "Prestaties toevoegen", "Ajouter une feuille de temps"),
        max_parties=20,
    ),
    Action(
        "update_addresses",
        (
            "Update postal addresses",
            "Postadressen bijwerken",
            "Mettre les adresses postales à jour",
        ),
        executed_by="library",
    ),
)

#: The ids of :data:`ACTIONS`.
ACTION_IDS: Final = tuple(a.id for a in ACTIONS)


@attrs.frozen
class Skipped:
    """A selected party the action leaves out, and why."""

    party_id: str
    issues: tuple[Issue, ...]


@attrs.frozen
class Offer:
    """Whether ``action`` is offered for the selection; if not, ``reasons`` say why.

    ``parties`` are the ids the action would run on; ``skipped`` the selected parties
    it leaves out because they lack a required field.
    """

    action: Action
    offered: bool
    reasons: tuple[Issue, ...]
    parties: tuple[str, ...]
    skipped: tuple[Skipped, ...]

    def why(self, lang: str = "en") -> list[str]:
        """The reasons it is not offered, in ``lang``."""
        return [r.message(lang) for r in self.reasons]


def missing_fields(party: Party, paths: Sequence[str], schema: Schema | None = None) -> list[Issue]:
    """What ``party`` lacks of ``paths``: a blank field, or an identifier that is invalid."""
    catalogue = schema or default_schema()
    issues: list[Issue] = []
    for path in paths:
        value = catalogue.field(path).getter()(party)
        if value is None or (isinstance(value, str) and not value.strip()):
            issues.append(Issue("action.field.missing", path))
            continue
        kind = identifier_for(path)
        if kind is not None and not kind.is_valid(value):
            issues.append(Issue("action.field.invalid", path, {"value": value}))
    return issues


def available_actions(
    selection: Iterable[Party],
    actor: Actor,
    *,
    actions: Sequence[Action] = ACTIONS,
    machine: StatusMachine | None = None,
    schema: Schema | None = None,
) -> tuple[Offer, ...]:
    """Every action of ``actions`` with whether it is offered for ``selection``.

    With ``machine``, parties whose status ``actor`` may not see are left out first, as
    a bulk selection leaves them out. An empty selection is "nothing selected": only the
    actions that need no selection are offered.
    """
    parties = list(selection)
    if machine is not None:
        parties = machine.visible(actor, parties)
    offers: list[Offer] = []
    for action in actions:
        reasons: list[Issue] = []
        if action.roles is not None and not (action.roles & actor.roles):
            reasons.append(
                Issue(
                    "action.role",
                    action.id,
                    {"actor": actor.id, "roles": ", ".join(sorted(action.roles))},
                )
            )
        if action.needs_selection and not parties:
            reasons.append(Issue("action.needs_selection", action.id))
        if action.max_parties is not None and len(parties) > action.max_parties:
            reasons.append(
                Issue(
                    "action.too_many",
                    action.id,
                    {"limit": action.max_parties, "count": len(parties)},
                )
            )
        kept: list[str] = []
        skipped: list[Skipped] = []
        for party in parties:
            lacking = missing_fields(party, action.requires, schema) if action.requires else []
            if lacking:
                skipped.append(Skipped(party.id, tuple(lacking)))
            else:
                kept.append(party.id)
        if parties and not kept:
            reasons.append(
                Issue(
                    "action.none_qualifies",
                    action.id,
                    {"count": len(parties), "paths": ", ".join(action.requires)},
                )
            )
        offers.append(Offer(action, not reasons, tuple(reasons), tuple(kept), tuple(skipped)))
    return tuple(offers)
