from __future__ import annotations

import contextlib
import datetime as dt

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientcore import (
    Address,
    ClientCoreError,
    ClientStatus,
    ContactPerson,
    GeneralCorrespondence,
    Location,
    Party,
    PartyKind,
    ValidationError,
)
from clientcore.model import Actor, Task, party_to_json, to_row, validate_party
from tests.strategies import junk


def codes(err: pytest.ExceptionInfo[ValidationError]) -> list[tuple[str, str]]:
    return [(i.path, i.code) for i in err.value.issues]


def test_a_client_starts_as_suspect_and_a_relation_as_relation() -> None:
    assert Party(kind="client_company", name="A").status == ClientStatus.SUSPECT
    assert Party(kind="relation_person", name="B").status == ClientStatus.RELATION


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        (PartyKind.CLIENT_COMPANY, ClientStatus.RELATION),
        (PartyKind.CLIENT_PERSON, ClientStatus.SERVICE_PROVIDER),
        (PartyKind.RELATION_COMPANY, ClientStatus.CLIENT),
        (PartyKind.RELATION_PERSON, ClientStatus.PROSPECT),
    ],
)
def test_a_status_of_the_other_family_is_refused(kind: PartyKind, status: ClientStatus) -> None:
    with pytest.raises(ValidationError) as err:
        Party(kind=kind, name="A", status=status)
    assert codes(err) == [("status", "party.status.wrong_kind")]


def test_an_unknown_kind_or_status_is_refused_with_its_value() -> None:
    with pytest.raises(ValidationError) as err:
        Party(kind="client", name="A")
    assert err.value.issues[0].params["value"] == "client"
    with pytest.raises(ValidationError) as err2:
        Party(kind="client_company", name="A", status="klantje")
    assert (
        err2.value.issues[0].path,
        err2.value.issues[0].code,
    ) == ("status", "value.invalid_choice")


def test_general_correspondence_on_a_person_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        Party(kind="client_person", name="Jan", correspondence=[GeneralCorrespondence(name="x")])
    assert codes(err) == [("correspondence", "party.correspondence.person")]


def test_general_correspondence_on_a_company_is_kept() -> None:
    p = Party(kind="relation_company", name="Bank", correspondence=[{"name": "Secretariat"}])
    assert p.correspondence[0].name == "Secretariat"


def test_person_fields_on_a_company_and_company_fields_on_a_person_are_refused() -> None:
    with pytest.raises(ValidationError) as err:
        Party(kind="client_company", name="A", national_number="85073003328", first_name="An")
    assert codes(err) == [
        ("first_name", "party.field.person_only"),
        ("national_number", "party.field.person_only"),
    ]
    with pytest.raises(ValidationError) as err2:
        Party(kind="client_person", name="B", enterprise_number="0403170701", legal_form="BV")
    assert codes(err2) == [
        ("legal_form", "party.field.company_only"),
        ("enterprise_number", "party.field.company_only"),
    ]


def test_every_broken_rule_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as err:
        Party(
            kind="client_person",
            name="B",
            status="relation",
            legal_form="BV",
            client_since="2024-01-01",
            client_until="2023-01-01",
        )
    assert {"party.status.wrong_kind", "party.field.company_only", "party.dates.order"} == {
        i.code for i in err.value.issues
    }


def test_a_contact_on_a_location_uses_the_location_address() -> None:
    office = Location(id="l1", name="Gent", address=Address("Veldstraat 1", "9000", "Gent", "be"))
    p = Party(
        kind="client_company",
        name="A",
        address=Address(city="Brussel"),
        locations=[office],
        contacts=[ContactPerson(id="c1", location_id="l1"), ContactPerson(id="c2")],
    )
    assert p.effective_address(p.contacts[0]).city == "Gent"  # type: ignore[union-attr]
    assert p.effective_address(p.contacts[1]).city == "Brussel"  # type: ignore[union-attr]
    assert office.address.country == "BE"  # type: ignore[union-attr]


def test_a_contact_on_an_unknown_location_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        Party(kind="client_company", name="A", contacts=[ContactPerson(id="c1", location_id="x")])
    assert codes(err) == [("contacts[0].location_id", "party.location.unknown")]


def test_duplicate_contact_ids_are_refused() -> None:
    with pytest.raises(ValidationError) as err:
        Party(
            kind="client_company", name="A", contacts=[ContactPerson(id="c"), ContactPerson(id="c")]
        )
    assert codes(err) == [("contacts", "party.duplicate_id")]


def test_evolve_keeps_the_rules() -> None:
    p = Party(kind="client_person", name="Jan")
    with pytest.raises(ValidationError):
        attrs.evolve(p, legal_form="BV")
    assert attrs.evolve(p, name="Piet").name == "Piet"


def test_parties_are_frozen() -> None:
    p = Party(kind="client_person", name="Jan")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        p.name = "x"  # type: ignore[misc]


def test_text_is_stripped_and_blank_text_is_absent() -> None:
    p = Party(kind="client_company", name="  Peeters  ", website="  ", labels=" vip ; ;audit")
    assert ("Peeters", None, frozenset({"vip", "audit"})) == (p.name, p.website, p.labels)


def test_dates_accept_iso_and_day_first_text_and_refuse_other_text() -> None:
    p = Party(kind="client_company", name="A", client_since="2024-02-29")
    assert dt.date(2024, 2, 29) == p.client_since
    assert p == Party(id=p.id, kind="client_company", name="A", client_since="29/02/2024")
    with pytest.raises(ValidationError) as err:
        Party(kind="client_company", name="A", client_since="02/29/2024")
    assert err.value.issues[0].code == "value.invalid_date"


def test_management_fields_have_defaults() -> None:
    p = Party(kind="client_company", name="A")
    assert (
        p.version,
        p.archived,
        p.marked_for_deletion,
        p.last_verified_on,
    ) == (0, False, False, None)


def test_a_negative_version_is_refused() -> None:
    with pytest.raises(ValidationError):
        Party(kind="client_company", name="A", version=-1)


def test_reading_helpers_find_tasks_and_custom_values() -> None:
    p = Party(
        kind="client_company",
        name="A",
        tasks=[{"code": "vat", "active": "false"}],
        custom={"kyc": {"source": "salary"}},
    )
    assert p.task("vat") is not None
    assert p.task("vat").active is False  # type: ignore[union-attr]
    assert p.task("closing") is None
    assert p.custom_value("kyc", "source") == "salary"
    assert p.custom_value("kyc", "nope") is None


def test_a_party_hashes_and_compares_by_value() -> None:
    a = Party(id="x", kind="client_company", name="A", custom={"k": {"v": "1"}})
    b = Party(id="x", kind="client_company", name="A", custom={"k": {"v": "1"}})
    assert a == b
    assert hash(a) == hash(b)


def test_an_actor_holds_roles() -> None:
    actor = Actor("ann", ["staff", "approver"])
    assert actor.has("approver")
    assert not actor.has("administration")


# --- bad input is refused with a ValidationError naming the field and the value ---


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"labels": 5}, "labels"),
        ({"labels": [1]}, "labels"),
        ({"custom": 5}, "custom"),
        ({"custom": {"kyc": 5}}, "custom.kyc"),
        ({"custom": {"kyc": {"seen": object()}}}, "custom.kyc.seen"),
        ({"external_keys": [1]}, "external_keys"),
        ({"external_keys": {"crm": 1.5}}, "external_keys.crm"),
        ({"contacts": ["x"]}, "contacts[0]"),
        ({"contacts": [{"foo": 1}]}, "contacts[0].foo"),
        ({"tasks": [5]}, "tasks[0]"),
        ({"tasks": [{"code": "vat", "start": "soon"}]}, "tasks[0].start"),
        ({"billing": 5}, "billing"),
        ({"staff": "x"}, "staff"),
        ({"address": "Main st 1"}, "address"),
        ({"address": {"city": 9000}}, "address.city"),
        ({"version": "3"}, "version"),
        ({"version": 1.5}, "version"),
        ({"version": True}, "version"),
        ({"version": -1}, "version"),
        ({"client_since": 5}, "client_since"),
        ({"vat_liable": "maybe"}, "vat_liable"),
        ({"name": 5}, "name"),
        ({"id": ""}, "id"),
        ({"acceptance": {"submitted_at": 5}}, "acceptance.submitted_at"),
    ],
)
def test_a_value_of_the_wrong_shape_is_refused_naming_its_path(
    fields: dict[str, object], path: str
) -> None:
    with pytest.raises(ValidationError) as err:
        Party(kind="client_company", **{"name": "A", **fields})  # type: ignore[arg-type]
    assert [path] == [i.path for i in err.value.issues]


def test_a_wrong_type_message_names_the_field_and_shows_the_value() -> None:
    with pytest.raises(ValidationError) as err:
        Party(kind="client_company", name="A", client_since=5)  # type: ignore[arg-type]
    assert "'client_since' expects a date, not 5." == err.value.issues[0].message()
    assert "client_since" in err.value.issues[0].message("nl")


def test_a_party_without_a_kind_is_refused_naming_the_kind() -> None:
    with pytest.raises(ValidationError) as err:
        Party(name="x")  # type: ignore[call-arg]
    assert codes(err) == [("kind", "field.required")]


def test_an_unknown_keyword_is_refused_with_the_nearest_field() -> None:
    with pytest.raises(ValidationError) as err:
        Party(kind="client_company", name="A", adress={"city": "Gent"})  # type: ignore[call-arg]
    assert codes(err) == [("adress", "field.unknown")]
    assert "address" in err.value.issues[0].message()


def test_every_faulty_argument_is_reported_not_the_first() -> None:
    with pytest.raises(ValidationError) as err:
        Party(kind="nope", name="A", client_since="bad", labels=5)  # type: ignore[arg-type]
    assert sorted(codes(err)) == [
        ("client_since", "value.invalid_date"),
        ("kind", "party.kind.unknown"),
        ("labels", "value.invalid_type"),
    ]


def test_faulty_arguments_are_reported_with_the_rules_across_fields() -> None:
    with pytest.raises(ValidationError) as err:
        Party(kind="client_company", name="A", first_name="An", client_since=5)  # type: ignore[arg-type]
    assert sorted(codes(err)) == [
        ("client_since", "value.invalid_type"),
        ("first_name", "party.field.person_only"),
    ]
    assert "'An'" in err.value.issues[1].message()


_FIELD_NAMES = [f.name for f in attrs.fields(Party) if f.init]


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([*_FIELD_NAMES, "zzz"]), junk, max_size=6))
def test_party_of_junk_keywords_raises_only_clientcore_errors(fields: dict[str, object]) -> None:
    with contextlib.suppress(ClientCoreError):
        party = Party(**fields)  # type: ignore[arg-type]
        party_to_json(party)
        validate_party(party)
        to_row(party)


# --- owned mappings are read-only ---


def test_custom_values_and_external_keys_cannot_be_changed_in_place() -> None:
    p = Party(
        kind="client_company", name="A", custom={"kyc": {"risk": "low"}}, external_keys={"crm": "7"}
    )
    with pytest.raises(TypeError):
        p.custom["kyc"] = {}  # type: ignore[index]
    with pytest.raises(TypeError):
        p.custom["kyc"]["risk"] = "high"  # type: ignore[index]
    with pytest.raises(TypeError):
        p.external_keys["crm"] = "8"  # type: ignore[index]
    assert p == Party(
        kind="client_company",
        name="A",
        id=p.id,
        custom={"kyc": {"risk": "low"}},
        external_keys={"crm": "7"},
    )


def test_a_blank_custom_value_or_external_key_is_absent() -> None:
    p = Party(
        kind="client_company", name="A", custom={"kyc": {"risk": None}}, external_keys={"crm": " "}
    )
    assert ({}, {}) == (dict(p.custom), dict(p.external_keys))


def test_actor_roles_must_be_texts() -> None:
    with pytest.raises(ValidationError) as err:
        Actor("ann", 5)  # type: ignore[arg-type]
    assert ["roles"] == [i.path for i in err.value.issues]


# --- faults are named by the fields' own converters, not by a wrapped __init__ ---


@pytest.mark.parametrize(
    "cls",
    [Party, Address, ContactPerson, Task, Actor],
)
def test_the_init_of_a_record_is_attrs_own(cls: type) -> None:
    init = cls.__init__  # type: ignore[misc]
    assert init.__code__.co_filename.startswith("<attrs generated")
    assert not hasattr(init, "__wrapped__")


def test_a_refused_nested_value_leaves_no_fault_pending() -> None:
    from clientcore.model import _convert

    with pytest.raises(ValidationError) as err:
        Party(kind="client_company", name="A", contacts=[{"id": "c", "email": 5}], version=-1)
    assert sorted(codes(err)) == [
        ("contacts[0].email", "value.invalid_type"),
        ("version", "party.version.negative"),
    ]
    assert _convert._PENDING.count == 0
    assert Party(kind="client_company", name="B").version == 0


def test_a_refused_status_is_reported_once_with_the_other_faults() -> None:
    with pytest.raises(ValidationError) as err:
        Party(kind="client_company", name="A", status="nope", client_since=5)  # type: ignore[arg-type]
    assert sorted(codes(err)) == [
        ("client_since", "value.invalid_type"),
        ("status", "value.invalid_choice"),
    ]
