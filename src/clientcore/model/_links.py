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

import attrs

from clientcore._errors import Issue, ValidationError
from clientcore._messages import define
from clientcore.model._party import Party, PartyKind, new_id, opt_str, to_bool

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


@attrs.frozen(kw_only=True)
class Link:
    """A link from ``from_id`` to ``to_id``.

    - relation at client: from a client to a relation; ``mail_to_third_party`` allows
      mail on the client's behalf to the relation;
    - person at company: from a person to a company, with direct ``email``/``phone``;
    - parent/subsidiary: from the parent to the subsidiary;
    - group membership: from the member to the group's head company;
    - card relation: ``role`` is ``mother`` or ``sister``.
    """

    id: str = attrs.field(factory=new_id)
    kind: LinkKind = attrs.field(converter=LinkKind)
    from_id: str
    to_id: str
    role: str | None = attrs.field(default=None, converter=opt_str)
    mail_to_third_party: bool = attrs.field(default=False, converter=to_bool)
    email: str | None = attrs.field(default=None, converter=opt_str)
    phone: str | None = attrs.field(default=None, converter=opt_str)

    def __attrs_post_init__(self) -> None:
        if self.from_id == self.to_id:
            raise ValidationError([Issue("link.self", "to_id", {"party_id": self.to_id})])

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
