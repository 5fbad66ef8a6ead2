"""Register links (the grid's magnifier): the public pages for a party's identifiers.

A link is offered only for a valid identifier, and every URL comes from a template a
host can override (:data:`REGISTER_TEMPLATES` lists the defaults).

>>> from clientcore import Party
>>> bakery = Party(kind="client_company", name="Bakkerij Peeters BV",
...                enterprise_number="0403.170.701")
>>> [link.register for link in register_links(bakery)]
['kbo', 'nbb']
>>> register_links(bakery)[0].url
'https://kbopub.economie.fgov.be/kbopub/zoeknummerform.html?nummer=0403170701&actionLu=Zoek'
"""

from __future__ import annotations

import string
import urllib.parse
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import attrs

from clientcore._errors import Issue, ValidationError
from clientcore._messages import define
from clientcore.model import Party, enterprise_number, kvk_number, vat_number

define(
    {
        "register.template.unknown": (
            "Unknown register '{register}' (known: {known}).",
            "Onbekend register '{register}' (gekend: {known}).",
            "Registre inconnu '{register}' (connus : {known}).",
        ),
        "register.template.invalid": (
            "The template of register '{register}' uses '{{{name}}}'; it may use only {allowed}.",
            "Het sjabloon van register '{register}' gebruikt '{{{name}}}'; enkel {allowed} mag.",
            "Le modèle du registre '{register}' utilise '{{{name}}}' ; seuls {allowed} sont "
            "permis.",
        ),
    }
)

#: The default URL template of each register. ``{number}`` is the identifier in compact
#: form without country prefix, ``{country}`` its two-letter country (VIES only),
#: ``{formatted}`` the identifier as printed (``0403.170.701``).
REGISTER_TEMPLATES: Final[Mapping[str, str]] = MappingProxyType(
    {
        # KBO/BCE public search (Crossroads Bank for Enterprises), by enterprise number.
        "kbo": "https://kbopub.economie.fgov.be/kbopub/zoeknummerform.html"
        "?nummer={number}&actionLu=Zoek",
        # NBB Central Balance Sheet Office: the filed annual accounts of a company.
        "nbb": "https://consult.cbso.nbb.be/consult-enterprise/{number}",
        # VIES (European Commission): the VAT validation page for a member state and number.
        "vies": "https://ec.europa.eu/taxation_customs/vies/#/vat-validation"
        "?memberStateCode={country}&number={number}",
        # KvK (Dutch Chamber of Commerce) search, by KvK number.
        "kvk": "https://www.kvk.nl/zoeken/?source=all&q={number}",
    }
)

_LABELS: Final[Mapping[str, tuple[str, str, str]]] = {
    "kbo": ("KBO/BCE public search", "KBO Public Search", "BCE Public Search"),
    "nbb": (
        "NBB filed accounts",
        "NBB neergelegde jaarrekeningen",
        "BNB comptes annuels déposés",
    ),
    "vies": ("VIES VAT check", "VIES btw-controle", "VIES contrôle TVA"),
    "kvk": ("KvK trade register", "KvK Handelsregister", "Registre du commerce KvK"),
}
_FIELDS: Final = frozenset({"number", "country", "formatted"})


@attrs.frozen
class RegisterLink:
    """One public page about a party: which register, for which identifier, and where."""

    register: str
    field: str
    identifier: str
    url: str

    def label(self, lang: str = "en") -> str:
        """The register's name in ``lang`` (en, nl or fr)."""
        en, nl, fr = _LABELS.get(self.register, (self.register,) * 3)
        return {"nl": nl, "fr": fr}.get(lang, en)


def _check_templates(templates: Mapping[str, str]) -> None:
    issues: list[Issue] = []
    for register, template in templates.items():
        if register not in REGISTER_TEMPLATES:
            issues.append(
                Issue(
                    "register.template.unknown",
                    f"templates.{register}",
                    {"register": register, "known": ", ".join(REGISTER_TEMPLATES)},
                )
            )
            continue
        for _, name, _, _ in string.Formatter().parse(template):
            if name is not None and name not in _FIELDS:
                issues.append(
                    Issue(
                        "register.template.invalid",
                        f"templates.{register}",
                        {
                            "register": register,
                            "name": name,
                            "allowed": "{number}, {country}, {formatted}",
                        },
                    )
                )
    if issues:
        raise ValidationError(issues)


def _fill(template: str, number: str, country: str, formatted: str) -> str:
    quote = urllib.parse.quote
    return template.format(
        number=quote(number, safe=""),
        country=quote(country, safe=""),
        formatted=quote(formatted, safe=""),
    )


def register_links(
    party: Party, templates: Mapping[str, str] | None = None
) -> tuple[RegisterLink, ...]:
    """The public register pages for ``party``'s valid identifiers, in a fixed order.

    KBO/BCE and the NBB's filed accounts for a valid Belgian enterprise number (the NBB
    only for a company), VIES for a valid EU VAT number, KvK for a valid Dutch KvK
    number. An invalid or missing identifier gives no link. ``templates`` overrides
    some of :data:`REGISTER_TEMPLATES`; an unknown register or placeholder is refused.
    """
    chosen = dict(REGISTER_TEMPLATES)
    if templates:
        _check_templates(templates)
        chosen.update(templates)
    links: list[RegisterLink] = []
    if party.enterprise_number is not None and enterprise_number.is_valid(party.enterprise_number):
        number = enterprise_number.compact(party.enterprise_number)
        formatted = enterprise_number.format(number)
        links.append(
            RegisterLink(
                "kbo", "enterprise_number", number, _fill(chosen["kbo"], number, "BE", formatted)
            )
        )
        if party.kind.is_company:
            links.append(
                RegisterLink(
                    "nbb",
                    "enterprise_number",
                    number,
                    _fill(chosen["nbb"], number, "BE", formatted),
                )
            )
    if party.vat_number is not None and vat_number.is_valid(party.vat_number):
        compact = vat_number.compact(party.vat_number)
        country, number = compact[:2], compact[2:]
        links.append(
            RegisterLink(
                "vies",
                "vat_number",
                compact,
                _fill(chosen["vies"], number, country, vat_number.format(compact)),
            )
        )
    if party.kvk_number is not None and kvk_number.is_valid(party.kvk_number):
        number = kvk_number.compact(party.kvk_number)
        links.append(
            RegisterLink("kvk", "kvk_number", number, _fill(chosen["kvk"], number, "NL", number))
        )
    return tuple(links)
