"""The messages of bulk plans in English, Dutch and French: one catalogue for the package."""

from __future__ import annotations

from clientcore._messages import define

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
