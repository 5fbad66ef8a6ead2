"""Links between two parties: relation at client, person at company, structures.

A :class:`Link` refers to both parties by id. :func:`link_issues` checks that the kinds
of the two parties fit the link; :func:`find_cycle` finds a parent/subsidiary cycle,
which :func:`check_structure` refuses with an error naming it.

>>> a, b = Link.parent_of("A", "B"), Link.parent_of("B", "A")
>>> find_cycle([a, b])
['A', 'B', 'A']
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Final

import attrs

from clientcore._errors import Issue, ValidationError
from clientcore._messages import define
from clientcore.model._convert import (
    Checked,
    name_converters,
    opt_str,
    record_id,
    take_faults,
    to_bool,
)
from clientcore.model._identifiers import email, phone
from clientcore.model._party import (
    Party,
    PartyKind,
    new_id,
)

define(
    {
        "link.kind.mismatch": (
            "A {link} link cannot go from a {source} to a {target}.",
            "Een koppeling '{link}' kan niet van een {source} naar een {target} gaan.",
            "Un lien '{link}' ne peut pas aller d'un(e) {source} à un(e) {target}.",
        ),
        "link.self": (
            "A party cannot be linked to itself ({party_id}).",
            "Een partij kan niet aan zichzelf gekoppeld worden ({party_id}).",
            "Une partie ne peut pas être liée à elle-même ({party_id}).",
        ),
        "link.kind.unknown": (
            "Unknown link kind '{value}' (one of {choices}).",
            "Onbekend soort koppeling '{value}' (een van {choices}).",
            "Type de lien inconnu '{value}' (parmi {choices}).",
        ),
        "link.role.card": (
            "A card relation's role is mother or sister, not {value}.",
            "De rol van een kaartrelatie is mother of sister, niet {value}.",
            "Le rôle d'une relation de fiche est mother ou sister, pas {value}.",
        ),
        "link.cycle": (
            "Parent/subsidiary cycle: {cycle}.",
            "Cyclus in moeder/dochter-structuur: {cycle}.",
            "Cycle dans la structure mère/filiale : {cycle}.",
        ),
    }
)


class LinkKind(StrEnum):
    """What ties two parties together."""

    RELATION_AT_CLIENT = "relation_at_client"
    PERSON_AT_COMPANY = "person_at_company"
    PARENT_SUBSIDIARY = "parent_subsidiary"
    GROUP_MEMBERSHIP = "group_membership"
    CARD_RELATION = "card_relation"


#: The roles a card relation can have.
CARD_ROLES: Final = ("mother", "sister")


def _link_kind(value: object) -> LinkKind:
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return LinkKind(value)
    except ValueError:
        shown = value if isinstance(value, str) else repr(value)[:40]
        raise ValidationError(
            [
                Issue(
                    "link.kind.unknown",
                    "",
                    {"value": shown, "choices": [k.value for k in LinkKind]},
                )
            ]
        ) from None


@attrs.frozen(kw_only=True, field_transformer=name_converters)
class Link(Checked):
    """A link from ``from_id`` to ``to_id``.

    - relation at client: from a client to a relation; ``mail_to_third_party`` allows
      mail on the client's behalf to the relation;
    - person at company: from a person to a company, with direct ``email``/``phone``;
    - parent/subsidiary: from the parent to the subsidiary;
    - group membership: from the member to the group's head company;
    - card relation: ``role`` is ``mother`` or ``sister``.

    Ids are non-blank text; anything else is refused with a
    :class:`~clientcore.ValidationError` naming the field.
    """

    id: str = attrs.field(factory=new_id, converter=record_id)
    kind: LinkKind = attrs.field(converter=_link_kind)
    from_id: str = attrs.field(converter=record_id)
    to_id: str = attrs.field(converter=record_id)
    role: str | None = attrs.field(default=None, converter=opt_str)
    mail_to_third_party: bool = attrs.field(default=False, converter=to_bool)
    email: str | None = attrs.field(default=None, converter=opt_str)
    phone: str | None = attrs.field(default=None, converter=opt_str)

    def __attrs_post_init__(self) -> None:
        faults = take_faults(self)
        if faults:
            raise ValidationError(faults)
        self._check_normalised()

    def _check_normalised(self) -> None:
        # What normalised_constructor checks: no converter ran (so nothing was refused);
        # the rules across fields still hold.
        if self.from_id == self.to_id:
            raise ValidationError([Issue("link.self", "to_id", {"party_id": self.to_id})])
        if self.kind is LinkKind.CARD_RELATION and self.role not in CARD_ROLES:
            raise ValidationError([Issue("link.role.card", "role", {"value": repr(self.role)})])

    @classmethod
    def parent_of(cls, parent_id: str, subsidiary_id: str) -> Link:
        """A parent/subsidiary link."""
        return cls(kind=LinkKind.PARENT_SUBSIDIARY, from_id=parent_id, to_id=subsidiary_id)


def _fits(kind: LinkKind, source: PartyKind, target: PartyKind) -> bool:
    if kind is LinkKind.RELATION_AT_CLIENT:
        return source.is_client and target.is_relation
    if kind is LinkKind.PERSON_AT_COMPANY:
        return source.is_person and target.is_company
    return source.is_company and target.is_company


def link_issues(link: Link, source: Party, target: Party) -> list[Issue]:
    """What is wrong with ``link`` between these two parties; empty when it fits."""
    if _fits(link.kind, source.kind, target.kind):
        return []
    return [
        Issue(
            "link.kind.mismatch",
            "kind",
            {"link": link.kind.value, "source": source.kind.value, "target": target.kind.value},
        )
    ]


def validate_link(link: Link, country: str | None = None) -> list[Issue]:
    """The identifier issues of ``link``'s direct ``email`` and ``phone``; empty when fine.

    ``country`` is the default region for a phone number without a country code.

    >>> [i.code for i in validate_link(Link(kind="person_at_company", from_id="p", to_id="c",
    ...                                     email="an@", phone="+32 9 234 56 78"))]
    ['identifier.invalid_format']
    """
    issues: list[Issue] = []
    for name, ident in (("email", email), ("phone", phone)):
        value = getattr(link, name)
        if value is not None:
            issue = ident.explain(value, country)
            if issue is not None:
                issues.append(Issue(issue.code, name, issue.params))
    return issues


def find_cycle(links: Iterable[Link]) -> list[str] | None:
    """A parent/subsidiary cycle as a closed list of party ids, or ``None``."""
    children: dict[str, list[str]] = {}
    for link in links:
        if link.kind is LinkKind.PARENT_SUBSIDIARY:
            children.setdefault(link.from_id, []).append(link.to_id)
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for root in sorted(children):
        if state.get(root):
            continue
        path: list[str] = [root]
        stack: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            node, index = stack[-1]
            kids = children.get(node, [])
            if index < len(kids):
                stack[-1] = (node, index + 1)
                child = kids[index]
                seen = state.get(child)
                if seen == 1:
                    return [*path[path.index(child) :], child]
                if seen is None:
                    state[child] = 1
                    path.append(child)
                    stack.append((child, 0))
            else:
                state[node] = 2
                stack.pop()
                path.pop()
    return None


def check_structure(links: Iterable[Link]) -> None:
    """Raise :class:`~clientcore.ValidationError` naming a parent/subsidiary cycle."""
    cycle = find_cycle(links)
    if cycle is not None:
        raise ValidationError([Issue("link.cycle", "links", {"cycle": " → ".join(cycle)})])
