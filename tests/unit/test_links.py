from __future__ import annotations

import itertools

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientcore import Link, LinkKind, Party, ValidationError
from clientcore.model import check_structure, find_cycle, link_issues, validate_link

client = Party(id="c", kind="client_company", name="Client")
person = Party(id="p", kind="client_person", name="Person")
bank = Party(id="b", kind="relation_company", name="Bank")


def test_a_relation_at_client_goes_from_a_client_to_a_relation() -> None:
    good = Link(kind=LinkKind.RELATION_AT_CLIENT, from_id="c", to_id="b", mail_to_third_party=True)
    assert link_issues(good, client, bank) == []
    bad = Link(kind=LinkKind.RELATION_AT_CLIENT, from_id="b", to_id="c")
    assert [i.code for i in link_issues(bad, bank, client)] == ["link.kind.mismatch"]


def test_a_person_at_company_keeps_direct_contact_details() -> None:
    link = Link(kind="person_at_company", from_id="p", to_id="c", email="jan@peeters.be")
    assert link_issues(link, person, client) == []
    assert link.email == "jan@peeters.be"
    assert link_issues(link, client, person)


def test_structures_link_companies_only() -> None:
    assert link_issues(Link.parent_of("c", "p"), client, person)
    assert link_issues(Link.parent_of("c", "b"), client, bank) == []


def test_a_party_cannot_be_linked_to_itself() -> None:
    with pytest.raises(ValidationError):
        Link.parent_of("c", "c")


def test_a_parent_subsidiary_cycle_is_refused_naming_the_cycle() -> None:
    links = [Link.parent_of("A", "B"), Link.parent_of("B", "C"), Link.parent_of("C", "A")]
    with pytest.raises(ValidationError) as err:
        check_structure(links)
    assert err.value.issues[0].params["cycle"] == "A → B → C → A"
    assert "A → B → C → A" in err.value.issues[0].message("nl")


def test_other_link_kinds_do_not_make_a_cycle() -> None:
    links = [Link.parent_of("A", "B"), Link(kind="group_membership", from_id="B", to_id="A")]
    assert find_cycle(links) is None


@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=15))
def test_find_cycle_agrees_with_a_reachability_check(edges: list[tuple[int, int]]) -> None:
    edges = [(a, b) for a, b in edges if a != b]
    links = [Link.parent_of(str(a), str(b)) for a, b in edges]
    reach = {n: {b for a, b in edges if a == n} for n in range(7)}
    for _ in range(7):
        for n in reach:
            reach[n] = reach[n] | {y for x in reach[n] for y in reach[x]}
    has_cycle = any(n in reach[n] for n in reach)
    cycle = find_cycle(links)
    assert has_cycle == (cycle is not None)
    if cycle is not None:
        assert cycle[0] == cycle[-1]
        pairs = set(itertools.pairwise(cycle))
        assert pairs <= {(str(a), str(b)) for a, b in edges}


def test_an_unknown_link_kind_is_refused_naming_the_kind() -> None:
    with pytest.raises(ValidationError) as err:
        Link(kind="nope", from_id="a", to_id="b")
    assert [("kind", "link.kind.unknown")] == [(i.path, i.code) for i in err.value.issues]
    assert "'nope'" in err.value.issues[0].message()


@pytest.mark.parametrize("bad", [None, "", "  ", 5])
def test_a_link_needs_non_blank_text_ids(bad: object) -> None:
    with pytest.raises(ValidationError) as err:
        Link(kind=LinkKind.PARENT_SUBSIDIARY, from_id=bad, to_id="b")  # type: ignore[arg-type]
    assert ["from_id"] == [i.path for i in err.value.issues]


def test_a_link_without_ids_is_refused_naming_both() -> None:
    with pytest.raises(ValidationError) as err:
        Link(kind=LinkKind.PARENT_SUBSIDIARY)  # type: ignore[call-arg]
    assert [("from_id", "field.required"), ("to_id", "field.required")] == [
        (i.path, i.code) for i in err.value.issues
    ]


@pytest.mark.parametrize("role", ["mother", "sister"])
def test_a_card_relation_is_a_mother_or_a_sister(role: str) -> None:
    assert role == Link(kind=LinkKind.CARD_RELATION, from_id="a", to_id="b", role=role).role


@pytest.mark.parametrize("role", [None, "aunt"])
def test_a_card_relation_with_another_role_is_refused(role: str | None) -> None:
    with pytest.raises(ValidationError) as err:
        Link(kind=LinkKind.CARD_RELATION, from_id="a", to_id="b", role=role)
    assert [("role", "link.role.card")] == [(i.path, i.code) for i in err.value.issues]


def test_the_direct_email_and_phone_of_a_link_are_validated() -> None:
    link = Link(kind=LinkKind.PERSON_AT_COMPANY, from_id="p", to_id="c", email="an@", phone="12")
    assert ["email", "phone"] == [i.path for i in validate_link(link, "BE")]
    good = attrs.evolve(link, email="an@example.be", phone="09 234 56 78")
    assert [] == validate_link(good, "BE")
