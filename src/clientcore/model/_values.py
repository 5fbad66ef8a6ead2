"""The one vocabulary for values: how a boolean, date, number, country, status, kind,
language or legal form is read from what users write, in English, Dutch or French.

Every reader of clientcore calls these parsers: the :class:`Party` converters, the row
codec, filters evaluated on plain mappings, bulk values and import profiles. Each takes
a value, returns it in the model's form (``None`` for a blank), and raises
:class:`~clientcore.ValidationError` with one coded issue (en/nl/fr) when it cannot.

>>> parse_bool("ja"), parse_bool("Non"), parse_bool("")
(True, False, None)
>>> parse_date("31/01/2020"), parse_date("2020-01-31") == parse_date("31.01.2020")
(datetime.date(2020, 1, 31), True)
>>> parse_country("België"), parse_country("pays-bas"), parse_country("be")
('BE', 'NL', 'BE')
>>> parse_status("Geen klant meer").value, parse_kind("Klant-Persoon").value
('former_client', 'client_person')
>>> parse_language("Frans"), parse_legal_form("besloten vennootschap"), parse_decimal("1.234,5")
('fr', 'BV', 1234.5)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any, Final, Literal

import phonenumbers

from clientcore._errors import Issue, ValidationError
from clientcore._messages import define
from clientcore._text import fold

define(
    {
        "value.invalid_bool": (
            "'{value}' is not a yes or no (true/false, yes/no, ja/nee, oui/non, 1/0).",
            "'{value}' is geen ja of nee (true/false, yes/no, ja/nee, oui/non, 1/0).",
            "'{value}' n'est ni oui ni non (true/false, yes/no, ja/nee, oui/non, 1/0).",
        ),
        "value.invalid_number": (
            "'{value}' is not a number.",
            "'{value}' is geen getal.",
            "'{value}' n'est pas un nombre.",
        ),
        "value.invalid_country": (
            "'{value}' is not a country (an ISO code such as BE, or a name such as België).",
            "'{value}' is geen land (een ISO-code zoals BE, of een naam zoals België).",
            "'{value}' n'est pas un pays (un code ISO comme BE, ou un nom comme Belgique).",
        ),
        "value.invalid_status": (
            "'{value}' is not a client status.",
            "'{value}' is geen klantstatus.",
            "'{value}' n'est pas un statut de client.",
        ),
        "value.invalid_language": (
            "'{value}' is not a language (nl, fr, en, de or their names).",
            "'{value}' is geen taal (nl, fr, en, de of hun naam).",
            "'{value}' n'est pas une langue (nl, fr, en, de ou leur nom).",
        ),
    }
)

#: The order of day, month and year in a date written with separators.
DateOrder = Literal["dmy", "mdy"]

_TRUE: Final = frozenset({"true", "yes", "y", "1", "ja", "j", "oui", "o", "waar", "vrai"})
_FALSE: Final = frozenset({"false", "no", "n", "0", "nee", "non", "onwaar", "faux"})


def _bad(code: str, value: object) -> ValidationError:
    shown = value if isinstance(value, str) else repr(value)
    return ValidationError([Issue(code, "", {"value": shown[:40]})])


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_bool(value: object) -> bool | None:
    """A yes or no: ``True``/``False``, 1/0, or true/false, yes/no, ja/nee, oui/non
    (any case, also y/n, j, o, waar/onwaar, vrai/faux); blank is ``None``."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if not word:
            return None
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise _bad("value.invalid_bool", value)


# --- dates ---

_SEPARATED: Final = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})")
_EXCEL_EPOCH: Final = dt.date(1899, 12, 30)  # Excel's day 0 (1900 leap-year bug absorbed)


def excel_date(serial: float) -> dt.date:
    """The date of an Excel serial day number (1900 date system): 43861 is 2020-01-31."""
    if not 1 <= serial < 2958466:
        raise _bad("value.invalid_date", serial)
    if serial < 61:  # Excel counts a 29 February 1900 that never was
        serial += 1
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


def parse_date(value: object, order: DateOrder = "dmy") -> dt.date | None:
    """A date: a ``date`` or ``datetime``, ISO ``YYYY-MM-DD`` (a time after it is
    dropped), or ``DD/MM/YYYY``, ``DD-MM-YYYY``, ``DD.MM.YYYY`` (day first; month first
    only when ``order="mdy"`` is asked for, never guessed). Blank is ``None``.

    A number is an Excel serial day (what an XLSX cell holds when not formatted as a
    date): see :func:`excel_date`.
    """
    if value.__class__ is str and len(value) == 10 and value[4] == "-":
        # an ISO date alone, the common cell: the first step of _parse_date_text,
        # without its memo (a file's dates are mostly distinct)
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return excel_date(value)
    if not isinstance(value, str):
        raise _bad("value.invalid_date", value)
    text = value.strip()
    if not text:
        return None
    return _parse_date_text(text, order)


@lru_cache(maxsize=1024)  # small: a loaded registry keeps it (bench/bench_memory.py)
def _parse_date_text(text: str, order: DateOrder) -> dt.date:
    if len(text) >= 10 and text[4] == "-":
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            pass
    found = _SEPARATED.fullmatch(text) or _SEPARATED.fullmatch(text.split(" ", 1)[0])
    if found is not None:
        first, second, year = int(found[1]), int(found[3]), int(found[4])
        day, month = (first, second) if order == "dmy" else (second, first)
        try:
            return dt.date(year, month, day)
        except ValueError:
            pass
    raise _bad("value.invalid_date", text)


# --- numbers ---

_NUMBER: Final = re.compile(r"[+-]?(\d+|\d{1,3}([ .,\u00a0\u202f']\d{3})+)?([.,]\d+)?")


def parse_decimal(value: object, decimal: str | None = None) -> int | float | None:
    """A number: an int or float as is, or text with a decimal comma or point.

    With ``decimal=","`` (Belgian and Dutch habit) ``1.234,5`` is 1234.5; with ``"."``,
    ``1,234.5`` is; without, one separator is the decimal one unless it groups thousands
    in an unambiguous way (``1.234.567``). Blank is ``None``; NaN and infinity are refused.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise _bad("value.invalid_number", value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _bad("value.invalid_number", value)
        return value
    if not isinstance(value, str):
        raise _bad("value.invalid_number", value)
    text = value.strip()
    if not text:
        return None
    number = _parse_number_text(text, decimal)
    if number is None:
        raise _bad("value.invalid_number", text)
    return number


@lru_cache(maxsize=4096)
def _parse_number_text(text: str, decimal: str | None) -> int | float | None:
    try:
        return int(text)
    except ValueError:
        pass
    if not _NUMBER.fullmatch(text) or not any(c.isdigit() for c in text):
        return None
    for space in (" ", "\u00a0", "\u202f", "'"):
        text = text.replace(space, "")
    if decimal is None:
        commas, points = text.count(","), text.count(".")
        if commas and points:
            decimal = "," if text.rfind(",") > text.rfind(".") else "."
        elif commas == 1:
            decimal = ","
        elif points == 1:
            decimal = "."
        else:  # several of one kind: thousands, no decimals
            decimal = "." if commas else ","
    group = "." if decimal == "," else ","
    text = text.replace(group, "").replace(decimal, ".")
    try:
        return int(text) if "." not in text else float(text)
    except ValueError:
        return None


# --- countries ---

# ISO 3166-1 alpha-2 codes, as phonenumbers (a runtime dependency) knows the regions.
_ISO_CODES: Final = frozenset(r for r in phonenumbers.SUPPORTED_REGIONS if r.isalpha())

# code: names in en, nl, fr (and other common spellings), for the countries a Belgian or
# Dutch client file holds; any other country is read by its ISO code.
_COUNTRY_NAMES: Final[Mapping[str, tuple[str, ...]]] = {
    "BE": ("Belgium", "België", "Belgique", "Belgie", "Belgien", "BEL"),
    "NL": ("Netherlands", "The Netherlands", "Nederland", "Pays-Bas", "Holland", "NLD"),
    "LU": ("Luxembourg", "Luxemburg", "LUX"),
    "FR": ("France", "Frankrijk", "FRA"),
    "DE": ("Germany", "Duitsland", "Allemagne", "Deutschland", "DEU"),
    "GB": ("United Kingdom", "Verenigd Koninkrijk", "Royaume-Uni", "UK", "Great Britain"),
    "IE": ("Ireland", "Ierland", "Irlande"),
    "ES": ("Spain", "Spanje", "Espagne"),
    "PT": ("Portugal",),
    "IT": ("Italy", "Italië", "Italie"),
    "CH": ("Switzerland", "Zwitserland", "Suisse"),
    "AT": ("Austria", "Oostenrijk", "Autriche"),
    "DK": ("Denmark", "Denemarken", "Danemark"),
    "SE": ("Sweden", "Zweden", "Suède"),
    "NO": ("Norway", "Noorwegen", "Norvège"),
    "FI": ("Finland", "Finlande"),
    "PL": ("Poland", "Polen", "Pologne"),
    "CZ": ("Czechia", "Czech Republic", "Tsjechië", "Tchéquie"),
    "GR": ("Greece", "Griekenland", "Grèce"),
    "US": ("United States", "Verenigde Staten", "États-Unis", "USA"),
    "MA": ("Morocco", "Marokko", "Maroc"),
    "TR": ("Turkey", "Türkiye", "Turkije", "Turquie"),
}


def _key(text: str) -> str:
    """Folded, with every space and punctuation mark dropped: how names are matched."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


_COUNTRY_INDEX: Final[Mapping[str, str]] = {
    _key(name): code for code, names in _COUNTRY_NAMES.items() for name in names
}


def country_names() -> Mapping[str, tuple[str, ...]]:
    """The country names read besides ISO codes, by code."""
    return _COUNTRY_NAMES


def parse_country(value: object) -> str | None:
    """An ISO 3166-1 alpha-2 code from a code (any case) or an en/nl/fr name
    (``België``, ``Belgique``, ``Pays-Bas``); blank is ``None``; anything else is refused:
    an unknown country is an issue, never free text."""
    if _blank(value):
        return None
    if not isinstance(value, str):
        raise _bad("value.invalid_country", value)
    return _parse_country_text(value.strip())


@lru_cache(maxsize=1024)
def _parse_country_text(text: str) -> str:
    if len(text) == 2 and text.upper() in _ISO_CODES:
        return text.upper()
    code = _COUNTRY_INDEX.get(_key(text))
    if code is None:
        raise _bad("value.invalid_country", text)
    return code


# --- statuses, kinds, languages, legal forms ---


def _index(words: Mapping[str, Iterable[str]]) -> dict[str, str]:
    return {_key(word): value for value, many in words.items() for word in (value, *many)}


_STATUS_WORDS: Final = _index(
    {
        "suspect": ("Suspect",),
        "prospect": ("Prospect", "Prospect klant", "Potentiële klant", "Client potentiel"),
        "acceptance_draft": (
            "Client acceptance: draft",
            "Klantacceptatie: concept",
            "Acceptation du client : brouillon",
        ),
        "acceptance_pending": (
            "Client acceptance: awaiting approval",
            "Klantacceptatie: wacht op goedkeuring",
            "Acceptation du client : en attente d'approbation",
        ),
        "acceptance_central_admin": (
            "Client acceptance: central administration",
            "Klantacceptatie: centrale administratie",
            "Acceptation du client : administration centrale",
        ),
        "client": ("Client", "Klant", "Customer", "Cliënt"),
        "former_client": (
            "Former client",
            "Geen klant meer",
            "Ex-klant",
            "Oud-klant",
            "Voormalige klant",
            "Ancien client",
            "Ex-client",
        ),
        "relation": ("Relation", "Relatie"),
        "service_provider": (
            "Service provider",
            "Own-organisation service provider",
            "Dienstverlener",
            "Dienstverlener eigen organisatie",
            "Prestataire de services",
            "Prestataire",
        ),
    }
)

_KIND_WORDS: Final = _index(
    {
        "client_company": (
            "Client company",
            "Klant-Bedrijf",
            "Klant bedrijf",
            "Klant-rechtspersoon",
            "Client entreprise",
            "Client personne morale",
        ),
        "client_person": (
            "Client person",
            "Klant-Persoon",
            "Klant persoon",
            "Klant-natuurlijk persoon",
            "Client personne",
            "Client personne physique",
        ),
        "relation_company": (
            "Relation company",
            "Relatie-Bedrijf",
            "Relatie bedrijf",
            "Relation entreprise",
        ),
        "relation_person": (
            "Relation person",
            "Relatie-Persoon",
            "Relatie persoon",
            "Relation personne",
        ),
    }
)

_LANGUAGE_WORDS: Final = _index(
    {
        "nl": ("Dutch", "Nederlands", "Néerlandais", "Vlaams", "nl-BE", "nl-NL", "NLD"),
        "fr": ("French", "Frans", "Français", "fr-BE", "fr-FR", "FRA"),
        "en": ("English", "Engels", "Anglais", "en-GB", "ENG"),
        "de": ("German", "Duits", "Allemand", "Deutsch", "de-BE", "de-DE", "DEU"),
    }
)

_LEGAL_FORM_WORDS: Final = _index(
    {
        "BV": ("Besloten vennootschap", "B.V.", "BV"),
        "SRL": ("Société à responsabilité limitée", "S.R.L.", "SRL"),
        "NV": ("Naamloze vennootschap", "N.V.", "NV"),
        "SA": ("Société anonyme", "S.A.", "SA"),
        "CommV": ("Commanditaire vennootschap", "Comm.V."),
        "SComm": ("Société en commandite", "SCS"),
        "VOF": ("Vennootschap onder firma", "V.O.F."),
        "SNC": ("Société en nom collectif", "S.N.C."),
        "CV": ("Coöperatieve vennootschap", "CVBA"),
        "SC": ("Société coopérative", "SCRL"),
        "VZW": ("Vereniging zonder winstoogmerk", "V.Z.W."),
        "ASBL": ("Association sans but lucratif", "A.S.B.L."),
        "BVBA": ("Besloten vennootschap met beperkte aansprakelijkheid", "B.V.B.A."),
        "SPRL": ("Société privée à responsabilité limitée", "S.P.R.L."),
        "eenmanszaak": ("Eenmanszaak", "Sole proprietorship", "Entreprise individuelle"),
        "stichting": ("Stichting", "Foundation", "Fondation"),
        "maatschap": ("Maatschap", "Société simple"),
    }
)


def _word(value: object, words: Mapping[str, str], code: str) -> str | None:
    if _blank(value):
        return None
    if not isinstance(value, str):
        raise _bad(code, value)
    found = words.get(value) or words.get(_key(value))
    if found is None:
        raise _bad(code, value.strip())
    return found


def parse_status(value: object) -> Any:
    """A :class:`~clientcore.model.ClientStatus` from its value (``former_client``) or
    an en/nl/fr label (``Klant``, ``Geen klant meer``, ``Ancien client``); blank is ``None``."""
    from clientcore.model._party import ClientStatus

    if isinstance(value, ClientStatus):
        return value
    found = _word(value, _STATUS_WORDS, "value.invalid_status")
    return None if found is None else ClientStatus(found)


def parse_kind(value: object) -> Any:
    """A :class:`~clientcore.model.PartyKind` from its value or an en/nl/fr label,
    AuditCase's words included (``Klant-Bedrijf``, ``Relatie-Persoon``); blank is ``None``."""
    from clientcore.model._party import PartyKind

    if isinstance(value, PartyKind):
        return value
    if _blank(value):
        return None
    choices = [kind.value for kind in PartyKind]
    if not isinstance(value, str):
        raise ValidationError(
            [Issue("party.kind.unknown", "", {"value": repr(value)[:40], "choices": choices})]
        )
    found = _KIND_WORDS.get(value) or _KIND_WORDS.get(_key(value))
    if found is None:
        raise ValidationError(
            [Issue("party.kind.unknown", "", {"value": value.strip()[:40], "choices": choices})]
        )
    return PartyKind(found)


def parse_language(value: object) -> str | None:
    """A language code (``nl``, ``fr``, ``en``, ``de``) from a code in any case or a
    name in en/nl/fr (``Nederlands``, ``Frans``, ``français``); blank is ``None``."""
    return _word(value, _LANGUAGE_WORDS, "value.invalid_language")


def parse_legal_form(value: object) -> str | None:
    """A legal form in its usual short form (``BV``, ``SRL``, ``VZW``, ``eenmanszaak``)
    from that form in any case or its full name in nl/fr/en; a form not in the list is
    kept as written (the field is open: a firm may use forms of other countries)."""
    if _blank(value):
        return None
    if not isinstance(value, str):
        raise _bad("value.invalid_type", value)
    text = value.strip()
    key = fold(text)
    for mark in (".", " ", "-"):  # B.V., b v, Comm-V are written forms; other marks are not
        key = key.replace(mark, "")
    return _LEGAL_FORM_WORDS.get(key, text) if key.isalnum() else text


def parse_value(field: Any, value: object) -> Any:
    """``value`` for the catalogue ``field``: text is read with this vocabulary (a yes/no
    field takes ``ja``, a date field ``31/01/2020``, ``language`` takes ``Frans``...);
    any other value, and text for a text field, is returned as it is. A fault raises
    :class:`~clientcore.ValidationError` with the field's path."""
    if not isinstance(value, str):
        return value
    from clientcore.model._schema import FieldType

    parse: Any = _BY_PATH.get(field.path)
    if parse is None:
        parse = {
            FieldType.BOOL: parse_bool,
            FieldType.DATE: parse_date,
            FieldType.NUMBER: parse_decimal,
        }.get(field.type)
    if parse is None:
        return value
    try:
        return parse(value)
    except ValidationError as exc:
        raise ValidationError([i.at(field.path) for i in exc.issues]) from None


def _status_value(value: object) -> str | None:
    status = parse_status(value)
    return None if status is None else str(status.value)


def _kind_value(value: object) -> str | None:
    kind = parse_kind(value)
    return None if kind is None else str(kind.value)


_BY_PATH: Final[Mapping[str, Any]] = {
    "kind": _kind_value,
    "status": _status_value,
    "language": parse_language,
    "legal_form": parse_legal_form,
    "address.country": parse_country,
    "correspondence_address.country": parse_country,
}


def header_key(text: str) -> str:
    """The form a column heading or a word is matched by: case, accents, spaces and
    punctuation ignored (``N° TVA`` and ``n-tva`` are both ``ntva``)."""
    return _key(text)


__all__ = [
    "DateOrder",
    "country_names",
    "excel_date",
    "header_key",
    "parse_bool",
    "parse_country",
    "parse_date",
    "parse_decimal",
    "parse_kind",
    "parse_language",
    "parse_legal_form",
    "parse_status",
    "parse_value",
]
