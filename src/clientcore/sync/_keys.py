"""Match keys in compact form, the language of a Belgian postal code, names for fuzzy matching.

>>> compact_key("enterprise_number", "BE 0403.170.701"), compact_key("email", "An@Example.BE")
('0403170701', 'an@example.be')
>>> compact_key("national_number", "85073003329") is None  # a bad check digit never matches
True
>>> [language_of_postal_code(code) for code in ("9000", "5000", "4700", "1000")]
['nl', 'fr', 'de', None]
>>> match_name("Bakkerij Peeters B.V.B.A."), match_name("Café Élan SRL")
('bakkerij peeters', 'cafe elan')
"""

from __future__ import annotations

import re
from typing import Final

from clientcore._errors import ValidationError
from clientcore._text import fold
from clientcore.model import IDENTIFIERS, Party

#: The keys :func:`clientcore.sync.diff` tries, in this order, unless told otherwise.
DEFAULT_KEYS: Final = ("national_number", "enterprise_number", "vat_number", "number", "email")

#: Every field a record can be matched on.
KEY_FIELDS: Final = frozenset(
    {"national_number", "bsn", "enterprise_number", "kvk_number", "vat_number", "number", "email"}
)


# A VAT number of a Belgian company is its enterprise number with "BE" in front: both keys
# compare on the ten digits, so "BE0403170701" (VAT) meets "0403170701" (enterprise).
def _vat_key(compact: str) -> str:
    """A compact VAT number as a key: a Belgian one (``BE`` and ten digits) without ``BE``."""
    if len(compact) == 12 and compact[:2] == "BE" and compact[2:].isdecimal():
        return compact[2:]
    return compact


_NUMBER_SPACES: Final = re.compile(r"\s+")


def compact_key(field: str, value: object, country: str | None = None) -> str | None:
    """The compact form ``value`` is matched on for ``field``, or ``None`` when it is blank
    or invalid (an invalid key never matches anything).

    Identifiers go through their identifier type (stdnum, email-validator): spaces, dots
    and prefixes go, the check digit must hold. A client ``number`` is the firm's own
    text, compared without surrounding or inner spaces and case-insensitively.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if field == "number":
        return _NUMBER_SPACES.sub("", text).casefold()
    ident = IDENTIFIERS.get(field)
    if ident is None:
        raise ValueError(f"{field!r} is not a key field (one of {sorted(KEY_FIELDS)})")
    try:
        compact = ident.validate(text, country)
    except ValidationError:
        return None
    if field == "email":
        return compact.casefold()
    if field == "vat_number":
        return _vat_key(compact)
    return compact


def trusted_key(field: str, value: object, country: str | None = None) -> str | None:
    """The compact form of ``value`` without checking it: what :func:`compact_key` gives
    for a valid value, cheaper (the check digit is not verified), and ``None`` when it is
    blank or cannot be compacted at all. The diff indexes on it and checks a value only
    where it matters (an invalid key never matches)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if field == "number":
        return _NUMBER_SPACES.sub("", text).casefold()
    if field == "email":
        return text.casefold()
    ident = IDENTIFIERS.get(field)
    if ident is None:
        raise ValueError(f"{field!r} is not a key field (one of {sorted(KEY_FIELDS)})")
    if ident.is_compact(text, country):  # stored compact, as read: told at a glance
        compact = text
    else:
        try:
            compact = ident.compact(text, country)
        except ValidationError:
            return None
    if field == "vat_number":
        return _vat_key(compact)
    return compact


def party_country(party: Party) -> str | None:
    """The country a party's identifiers are read in (its address's), or ``None``."""
    address = party.address
    return address.country if address is not None else None


# --- the language of a Belgian postal code ---

#: The postal codes of the nine communes of the German-speaking Community (Eupen, Kelmis,
#: Lontzen, Raeren, Amel, Büllingen, Burg-Reuland, Bütgenbach, Sankt Vith) and their parts.
GERMAN_POSTAL_CODES: Final = frozenset(
    {
        "4700", "4701", "4710", "4711", "4720", "4721", "4728", "4730", "4731",
        "4750", "4760", "4761", "4770", "4771", "4780", "4782", "4783", "4784",
        "4790", "4791",
    }
)  # fmt: skip

#: Belgian postal code ranges (first, last, language); ``None`` is Brussels, bilingual,
#: where the language is left for the user to choose.
POSTAL_REGIONS: Final[tuple[tuple[int, int, str | None], ...]] = (
    (1000, 1299, None),  # Brussels-Capital Region
    (1300, 1499, "fr"),  # Walloon Brabant
    (1500, 1999, "nl"),  # Flemish Brabant (Halle-Vilvoorde)
    (2000, 2999, "nl"),  # Antwerp
    (3000, 3499, "nl"),  # Flemish Brabant (Leuven)
    (3500, 3999, "nl"),  # Limburg
    (4000, 4999, "fr"),  # Liège (the German-speaking communes excepted)
    (5000, 5999, "fr"),  # Namur
    (6000, 6599, "fr"),  # Hainaut (Charleroi)
    (6600, 6999, "fr"),  # Luxembourg
    (7000, 7999, "fr"),  # Hainaut (Mons, Tournai)
    (8000, 8999, "nl"),  # West Flanders
    (9000, 9999, "nl"),  # East Flanders
)

_BE_CODE: Final = re.compile(r"^(?:BE?[-\s]*)?([1-9]\d{3})$")


def language_of_postal_code(postal_code: str | None) -> str | None:
    """The language of the Belgian region a postal code lies in: ``nl`` in Flanders, ``fr``
    in Wallonia, ``de`` in the German-speaking communes, ``None`` in Brussels and for
    anything that is not a Belgian postal code."""
    if not postal_code:
        return None
    found = _BE_CODE.match(postal_code.strip().upper())
    if found is None:
        return None
    code = found.group(1)
    if code in GERMAN_POSTAL_CODES:
        return "de"
    number = int(code)
    for first, last, language in POSTAL_REGIONS:
        if first <= number <= last:
            return language
    return None  # pragma: no cover - the ranges cover 1000-9999


def language_of(party: Party) -> str | None:
    """The language a new client gets: its own, else its Belgian postal code's, else none."""
    if party.language:
        return party.language
    address = party.address
    if address is None or address.country not in (None, "BE"):
        return None
    return language_of_postal_code(address.postal_code)


# --- names for the fuzzy pass ---

#: Legal-form words left out when names are compared (Belgian and Dutch forms, with and
#: without dots, in Dutch and French).
LEGAL_FORM_WORDS: Final = frozenset(
    {
        "bv", "nv", "srl", "bvba", "sprl", "vof", "snc", "sa", "cv", "cvba", "scrl", "sc",
        "comm", "commv", "scomm", "vzw", "asbl", "ebvba", "sprlu", "eenmanszaak",
    }
)  # fmt: skip
_WORDS: Final = re.compile(r"[^\w]+")
_DOTTED: Final = re.compile(r"\b(?:\w\.){2,}(?!\w)")


def match_name(name: str) -> str:
    """``name`` as the fuzzy pass compares it: accents and case folded, punctuation and
    legal-form words (BV, NV, SRL, BVBA, VOF, ...) removed, spaces collapsed."""
    return " ".join(_name_words(name))


def sorted_match_name(name: str) -> str:
    """:func:`match_name` with its words in sorted order: what RapidFuzz's
    ``token_sort_ratio`` compares, made once per name.

    >>> sorted_match_name("Peeters Bakkerij BV")
    'bakkerij peeters'
    """
    return " ".join(sorted(_name_words(name)))


def _name_words(name: str) -> list[str]:
    folded = fold(name)
    if "." in folded:  # dotted initials (B.V.B.A.) lose their dots
        folded = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), folded)
    return [w for w in _WORDS.split(folded) if w and w not in LEGAL_FORM_WORDS]


def postal_block(party: Party) -> str | None:
    """The postal code a party is blocked by in the fuzzy pass (spaces and case folded)."""
    address = party.address
    if address is None or not address.postal_code:
        return None
    return address.postal_code.replace(" ", "").upper()
