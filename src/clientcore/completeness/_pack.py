"""The built-in rule pack for Belgian and Dutch accounting firms: :func:`default_rules`.

Each rule is scoped to the parties for which the requirement makes sense: "active
clients" are clients and parties in client acceptance (draft, awaiting approval, central
administration); tasks are checked on clients only (tasks start when a party becomes a
client); Belgian identifiers on parties with a Belgian address, Dutch ones on parties
with a Dutch address, and the firm's home country's on parties without a country.

>>> rules = default_rules()
>>> len(rules) >= 12, rules.get("aml").params
(True, {'max_age_years': 5})
>>> default_rules(home_country="NL").get("bsn").params
{'home_country': 'NL'}
"""

from __future__ import annotations

from typing import Final

from clientcore._errors import Issue, ValidationError
from clientcore._messages import define
from clientcore.completeness._references import LOCATION_UNKNOWN
from clientcore.completeness._rules import NoIssue, Rule, RuleSet, Severity
from clientcore.query import And, F, Filter, Today

define(
    {
        "rules.aml_age.invalid": (
            "The AML check age must be a whole number of years from 1 to 100, not {value}.",
            "De ouderdom van de antiwitwascontrole moet een geheel aantal jaren van 1 tot 100 "
            "zijn, niet {value}.",
            "L'âge du contrôle anti-blanchiment doit être un nombre entier d'années de 1 à 100, "
            "pas {value}.",
        ),
        "rules.home_country.invalid": (
            "The home country must be one of {countries}, not {value}.",
            "Het thuisland moet een van {countries} zijn, niet {value}.",
            "Le pays d'origine doit être l'un de {countries}, pas {value}.",
        ),
    }
)

#: The name of the built-in rule set.
DEFAULT_RULESET_NAME: Final = "clientcore-be-nl"

#: Statuses of an active client: a client, or a party in client acceptance.
ACTIVE_STATUSES: Final = (
    "acceptance_draft",
    "acceptance_pending",
    "acceptance_central_admin",
    "client",
)

ACTIVE: Final[Filter] = F("status").in_(ACTIVE_STATUSES)
CLIENT: Final[Filter] = F("status").eq("client")
FORMER_CLIENT: Final[Filter] = F("status").eq("former_client")
COMPANY: Final[Filter] = F("kind").eq("client_company")
PERSON: Final[Filter] = F("kind").eq("client_person")
IN_BELGIUM: Final[Filter] = F("address.country").eq("BE")
IN_NETHERLANDS: Final[Filter] = F("address.country").eq("NL")
NO_COUNTRY: Final[Filter] = F("address.country").blank()
# Every party: a rule whose scope is the whole registry (an empty "and" always holds).
EVERY_PARTY: Final[Filter] = And(())

#: The countries whose identifiers the pack checks, which a firm may call home.
HOME_COUNTRIES: Final = ("BE", "NL")


def _active_task(code: str) -> Filter:
    return F("tasks").any(F("code").eq(code) & F("active").eq(True))


def default_rules(aml_max_age_years: int = 5, home_country: str = "BE") -> RuleSet:
    """The built-in completeness rules (see ``docs/completeness.md`` for the list).

    ``aml_max_age_years`` is how old an AML check may be. It becomes the relative date
    ``Today(-365 * years)``: a year counts 365 days, so five years are 1,825 days, one
    or two days short of five calendar years when leap days fall in between (a check is
    flagged a day or two early, never late).

    ``home_country`` (``BE`` or ``NL``) is the firm's own country: a party whose address
    has no country is taken to live there, so its identifiers are checked as that
    country's (a client without an address does not escape the identifier rules).
    """
    if (
        isinstance(aml_max_age_years, bool)
        or not isinstance(aml_max_age_years, int)
        or not 1 <= aml_max_age_years <= 100
    ):
        raise ValidationError(
            [
                Issue(
                    "rules.aml_age.invalid",
                    "aml_max_age_years",
                    {"value": repr(aml_max_age_years)[:40]},
                )
            ]
        )
    if home_country not in HOME_COUNTRIES:
        raise ValidationError(
            [
                Issue(
                    "rules.home_country.invalid",
                    "home_country",
                    {"value": repr(home_country)[:40], "countries": ", ".join(HOME_COUNTRIES)},
                )
            ]
        )
    home = {"home_country": home_country}
    in_belgium = IN_BELGIUM | NO_COUNTRY if home_country == "BE" else IN_BELGIUM
    in_netherlands = IN_NETHERLANDS | NO_COUNTRY if home_country == "NL" else IN_NETHERLANDS
    error, warning = Severity.ERROR, Severity.WARNING
    rules = [
        Rule(
            "closing",
            (
                "Company client without an active year-end closing task",
                "Klant-rechtspersoon zonder actieve jaarafsluitingstaak",
                "Client personne morale sans tâche de clôture annuelle active",
            ),
            scope=COMPANY & CLIENT,
            require=_active_task("closing"),
            severity=error,
        ),
        Rule(
            "vat",
            (
                "VAT-liable client without an active VAT task",
                "Btw-plichtige klant zonder actieve btw-taak",
                "Client assujetti à la TVA sans tâche TVA active",
            ),
            scope=CLIENT & F("vat_liable").eq(True),
            require=_active_task("vat"),
            severity=error,
        ),
        Rule(
            "vat_task_not_liable",
            (
                "Active VAT task on a client that is not VAT-liable",
                "Actieve btw-taak bij een klant die niet btw-plichtig is",
                "Tâche TVA active pour un client non assujetti à la TVA",
            ),
            scope=CLIENT & _active_task("vat"),
            require=F("vat_liable").eq(True),
            severity=warning,
        ),
        Rule(
            "national_number",
            (
                "Person client without a valid national number",
                "Klant-natuurlijk persoon zonder geldig rijksregisternummer",
                "Client personne physique sans numéro de registre national valide",
            ),
            scope=PERSON & ACTIVE & in_belgium,
            require=F("national_number").valid(),
            severity=error,
            params=home,
        ),
        Rule(
            "bsn",
            (
                "Dutch person client without a valid BSN",
                "Nederlandse klant-natuurlijk persoon zonder geldig BSN",
                "Client personne physique néerlandais sans BSN valide",
            ),
            scope=PERSON & ACTIVE & in_netherlands,
            require=F("bsn").valid(),
            severity=error,
            params=home,
        ),
        Rule(
            "eid",
            (
                "eID card missing or expired",
                "eID-kaart ontbreekt of is vervallen",
                "Carte eID manquante ou expirée",
            ),
            scope=PERSON & ACTIVE & in_belgium,
            require=F("eid.card_number").valid() & (F("eid.valid_until") >= Today(0)),
            severity=warning,
            params=home,
        ),
        Rule(
            "enterprise_number",
            (
                "Company client without a valid enterprise number",
                "Klant-rechtspersoon zonder geldig ondernemingsnummer",
                "Client personne morale sans numéro d'entreprise valide",
            ),
            scope=COMPANY & ACTIVE & in_belgium,
            require=F("enterprise_number").valid(),
            severity=error,
            params=home,
        ),
        Rule(
            "kvk_number",
            (
                "Dutch company client without a valid KvK number",
                "Nederlandse klant-rechtspersoon zonder geldig KvK-nummer",
                "Client personne morale néerlandais sans numéro KvK valide",
            ),
            scope=COMPANY & ACTIVE & in_netherlands,
            require=F("kvk_number").valid(),
            severity=error,
            params=home,
        ),
        Rule(
            "email",
            (
                "No e-mail address: cannot be invited to the client portal",
                "Geen e-mailadres: kan niet uitgenodigd worden voor het klantenportaal",
                "Pas d'adresse e-mail : ne peut pas être invité au portail client",
            ),
            scope=ACTIVE,
            require=F("email").not_blank(),
            severity=warning,
        ),
        Rule(
            "email_valid",
            (
                "E-mail address not valid",
                "E-mailadres ongeldig",
                "Adresse e-mail invalide",
            ),
            scope=ACTIVE & F("email").not_blank(),
            require=F("email").valid(),
            severity=error,
        ),
        Rule(
            "portal_email",
            (
                "Client portal enabled without an e-mail address",
                "Klantenportaal actief zonder e-mailadres",
                "Portail client activé sans adresse e-mail",
            ),
            scope=F("portal.enabled").eq(True),
            require=F("email").not_blank(),
            severity=error,
        ),
        Rule(
            "aml",
            (
                f"AML risk missing or AML check older than {aml_max_age_years} years",
                f"Antiwitwasrisico ontbreekt of antiwitwascontrole ouder dan "
                f"{aml_max_age_years} jaar",
                f"Risque anti-blanchiment manquant ou contrôle anti-blanchiment de plus de "
                f"{aml_max_age_years} ans",
            ),
            scope=ACTIVE,
            require=F("aml.risk").not_blank()
            & (F("aml.verified_on") >= Today(-365 * aml_max_age_years)),
            severity=error,
            params={"max_age_years": aml_max_age_years},
        ),
        Rule(
            "partner",
            (
                "Client without a responsible partner",
                "Klant zonder verantwoordelijk vennoot",
                "Client sans associé responsable",
            ),
            scope=ACTIVE,
            require=F("staff.partner").not_blank(),
            severity=warning,
        ),
        Rule(
            "client_until",
            (
                "Client-until date filled in while the status is client",
                "Datum klant-tot ingevuld terwijl de status klant is",
                "Date client jusqu'au remplie alors que le statut est client",
            ),
            scope=CLIENT,
            require=F("client_until").blank(),
            severity=warning,
        ),
        Rule(
            "former_client_tasks",
            (
                "Former client with active tasks",
                "Gewezen klant met actieve taken",
                "Ancien client avec des tâches actives",
            ),
            scope=FORMER_CLIENT,
            require=~F("tasks").any(F("active").eq(True)),
            severity=warning,
        ),
        Rule(
            "contact_location",
            (
                "Contact attached to a location that does not exist",
                "Contactpersoon gekoppeld aan een locatie die niet bestaat",
                "Personne de contact rattachée à un établissement qui n'existe pas",
            ),
            scope=EVERY_PARTY,
            require=NoIssue(LOCATION_UNKNOWN),
            severity=error,
        ),
    ]
    return RuleSet(DEFAULT_RULESET_NAME, rules)


__all__ = ["ACTIVE_STATUSES", "DEFAULT_RULESET_NAME", "HOME_COUNTRIES", "default_rules"]
