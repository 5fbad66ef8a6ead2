"""The action catalogue: what is offered for a selection, and why not, in three languages."""

from __future__ import annotations

import pytest

from clientcore import Actor, Party, RolePolicy, StatusMachine
from clientcore.actions import ACTION_IDS, ACTIONS, Action, Offer, available_actions

ANN = Actor("ann", {"staff"})


def client(i: int, **fields: object) -> Party:
    return Party(kind="client_company", name=f"Client {i}", number=f"C{i}", **fields)  # type: ignore[arg-type]


def offers(
    selection: list[Party], actor: Actor = ANN, machine: StatusMachine | None = None
) -> dict[str, Offer]:
    return {o.action.id: o for o in available_actions(selection, actor, machine=machine)}


def test_the_catalogue_has_the_nine_actions_of_the_issue_in_order() -> None:
    assert (
        "export",
        "send_email",
        "qr_cover_pages",
        "activate_task",
        "email_settings",
        "billing_project",
        "add_cost",
        "add_time_entries",
        "update_addresses",
    ) == ACTION_IDS


def test_without_a_selection_only_the_export_is_offered() -> None:
    found = available_actions([], ANN)
    assert ["export"] == [o.action.id for o in found if o.offered]
    refused = next(o for o in found if o.action.id == "add_cost")
    assert ["Selecteer eerst een of meer klanten."] == refused.why("nl")


def test_time_entries_are_offered_for_twenty_clients_not_for_twenty_one() -> None:
    twenty = [client(i) for i in range(20)]
    assert offers(twenty)["add_time_entries"].offered
    over = offers([*twenty, client(20)])["add_time_entries"]
    assert not over.offered
    assert [
        "This action is limited to 20 clients; 21 are selected.",
    ] == over.why("en")
    assert "Cette action est limitée à 20 clients ; 21 sont sélectionnés." == over.why("fr")[0]


def test_parties_lacking_a_required_field_are_skipped_and_reported() -> None:
    selection = [client(1, email="an@peeters.be"), client(2), client(3, email="not an address")]
    mail = offers(selection)["send_email"]
    assert mail.offered
    assert (selection[0].id,) == mail.parties
    assert [
        (selection[1].id, "action.field.missing"),
        (selection[2].id, "action.field.invalid"),
    ] == [(s.party_id, s.issues[0].code) for s in mail.skipped]


def test_when_no_party_qualifies_the_action_is_not_offered_and_says_why() -> None:
    mail = offers([client(1), client(2)])["send_email"]
    assert not mail.offered
    assert ["Geen van de 2 geselecteerde klanten heeft wat deze actie vraagt (email)."] == mail.why(
        "nl"
    )


def test_cover_pages_need_a_client_number() -> None:
    nameless = Party(kind="client_company", name="No number")
    qr = offers([client(1), nameless])["qr_cover_pages"]
    assert (nameless.id,) == tuple(s.party_id for s in qr.skipped)


def test_an_action_limited_to_roles_is_refused_to_others_in_three_languages() -> None:
    billing = Action("billing_project", ("Billing", "Facturatie", "Facturation"), roles={"billing"})
    (offer,) = available_actions([client(1)], ANN, actions=[billing])
    assert not offer.offered
    assert 3 == len({offer.why(lang)[0] for lang in ("en", "nl", "fr")})
    assert "billing" in offer.why("fr")[0]
    (granted,) = available_actions([client(1)], Actor("bo", {"billing"}), actions=[billing])
    assert granted.offered


def test_hidden_statuses_are_left_out_as_everywhere_else() -> None:
    machine = StatusMachine(RolePolicy.default())
    assistant = Actor("as", {"assistant"})
    prospect = client(1, status="prospect")
    found = offers([prospect, client(2, status="client")], assistant, machine=machine)
    assert 1 == len(found["add_cost"].parties)
    assert prospect.id not in found["add_cost"].parties
    only_hidden = offers([prospect], assistant, machine=machine)
    assert not only_hidden["add_cost"].offered


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.id)
def test_every_action_has_a_label_in_three_languages(action: Action) -> None:
    assert all(action.label(lang) for lang in ("en", "nl", "fr"))
    assert action.executed_by in ("library", "host")
