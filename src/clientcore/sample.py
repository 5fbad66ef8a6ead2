"""Realistic, deterministic sample registries of a Belgian/Dutch accounting firm.

:func:`generate_registry` builds ``n`` parties (client and relation companies and
persons, with contacts, locations, tasks, AML data and valid identifiers) and the links
between them, and injects a known share of defects: an invalid national number, a
VAT-liable client without an active VAT task, an expired eID card... Which party has
which defect comes with the data, so that validation, completeness checks and filters
can be tested against a known answer. The same ``seed`` always gives the same registry;
the wall clock is never read (``today`` is a parameter).

>>> from clientcore.model import national_number, validate_party
>>> registry = generate_registry(300, seed=7)
>>> len(registry.parties), registry == generate_registry(300, seed=7)
(300, True)
>>> bad = registry.defects["invalid_national_number"]
>>> len(bad), all(not national_number.is_valid(p.national_number)
...               for p in registry.parties if p.id in bad)
(9, True)
>>> clean = [p for p in registry.parties if p.id not in registry.defective_ids]
>>> sum(len(validate_party(p)) for p in clean)
0
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import itertools
import random
import re
import sys
import types
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, Generic, NamedTuple, TypeVar

import attrs

from clientcore._errors import Issue, ValidationError
from clientcore._messages import define
from clientcore.model import (
    Acceptance,
    Address,
    AmlProfile,
    Billing,
    ChecklistItem,
    ClientStatus,
    ContactPerson,
    DebtorCard,
    EidCard,
    GeneralCorrespondence,
    Link,
    LinkKind,
    Location,
    Party,
    PartyKind,
    Portal,
    StaffRoles,
    Task,
    TaskPreset,
    normalised_constructor,
)

_T = TypeVar("_T")

__all__ = [
    "DEFAULT_TODAY",
    "DEFECTS",
    "DEFECT_SHARES",
    "SampleRegistry",
    "generate",
    "generate_registry",
]

#: The ``today`` of every generator unless told otherwise (the wall clock is never read).
DEFAULT_TODAY: Final = dt.date(2026, 1, 1)

#: Every defect the generator injects, with what it means.
DEFECTS: Final[Mapping[str, str]] = types.MappingProxyType(
    {
        "invalid_national_number": "a Belgian national number with a wrong check number",
        "missing_email": "no e-mail address on the party",
        "vat_liable_without_vat_task": "an active client liable to VAT without an active vat task",
        "expired_eid": "an eID card whose valid_until lies before today",
        "invalid_enterprise_number": "a Belgian enterprise number with a wrong check number",
        "invalid_email": "an e-mail address that is not well formed",
        "portal_without_email": "client portal enabled on a party without an e-mail address",
        "missing_partner": "an active client without a responsible partner (staff.partner)",
        "aml_outdated": "an active client whose AML data is missing, has no risk class, "
        "or was verified more than five years ago",
        "client_until_while_client": "client_until filled in while the status is still client",
        "former_client_with_active_task": "a former client that still has an active task",
        "company_without_closing_task": "an active client company without an active closing task",
    }
)

#: The share of all parties given each defect, in the order they are given out (rounded
#: to whole parties and capped by how many parties the defect can apply to). A party gets
#: at most one defect; a ``portal_without_email`` party lacks an e-mail address too, so it
#: is listed under ``missing_email`` as well.
DEFECT_SHARES: Final[Mapping[str, float]] = types.MappingProxyType(
    {
        "former_client_with_active_task": 0.02,
        "invalid_national_number": 0.03,
        "expired_eid": 0.03,
        "invalid_enterprise_number": 0.025,
        "vat_liable_without_vat_task": 0.03,
        "company_without_closing_task": 0.03,
        "client_until_while_client": 0.02,
        "missing_partner": 0.03,
        "aml_outdated": 0.035,
        "portal_without_email": 0.02,
        "missing_email": 0.02,
        "invalid_email": 0.03,
    }
)


@attrs.frozen
class SampleRegistry:
    """A generated registry: the parties, the links between them, and the defects.

    ``defects`` maps every name of :data:`DEFECTS` to the ids of the parties that have
    that defect (an empty set when the registry is too small to have one).
    """

    parties: tuple[Party, ...]
    links: tuple[Link, ...]
    defects: Mapping[str, frozenset[str]] = attrs.field(hash=False)

    @property
    def defective_ids(self) -> frozenset[str]:
        """The ids of every party with at least one defect."""
        return frozenset().union(*self.defects.values())


define(
    {
        "sample.count.invalid": (
            "'{path}' must be a whole number of zero or more, not {value}.",
            "'{path}' moet een geheel getal van nul of meer zijn, niet {value}.",
            "'{path}' doit être un nombre entier positif ou nul, pas {value}.",
        ),
        "sample.seed.invalid": (
            "'{path}' must be a whole number, not {value}.",
            "'{path}' moet een geheel getal zijn, niet {value}.",
            "'{path}' doit être un nombre entier, pas {value}.",
        ),
    }
)


def _check_arguments(n: object, seed: object, today: object) -> None:
    issues: list[Issue] = []
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        issues.append(Issue("sample.count.invalid", "n", {"value": repr(n)[:40]}))
    if isinstance(seed, bool) or not isinstance(seed, int):
        issues.append(Issue("sample.seed.invalid", "seed", {"value": repr(seed)[:40]}))
    if not isinstance(today, dt.date) or isinstance(today, dt.datetime):
        issues.append(
            Issue("value.invalid_type", "today", {"expected": "a date", "value": repr(today)[:40]})
        )
    if issues:
        raise ValidationError(issues)


def generate(n: int, seed: int = 0, today: dt.date = DEFAULT_TODAY) -> list[Party]:
    """``n`` sample parties: ``list(generate_registry(n, seed, today).parties)``.

    >>> parties = generate(4, seed=3)
    >>> len(parties), parties == generate(4, seed=3), parties == generate(4, seed=4)
    (4, True, False)
    """
    return list(generate_registry(n, seed, today).parties)


def generate_registry(n: int, seed: int = 0, today: dt.date = DEFAULT_TODAY) -> SampleRegistry:
    """A deterministic sample registry of ``n`` parties, their links and injected defects.

    About 45% client companies, 35% client persons, 12% relation companies and 8%
    relation persons; 75% Belgian and 25% Dutch. Every identifier is valid (right check
    digits) unless a defect says otherwise. A negative or non-integer ``n`` (or seed, or
    a ``today`` that is not a date) raises :class:`~clientcore.ValidationError`.
    """
    _check_arguments(n, seed, today)
    builder = _Builder(_Rng(seed), today)
    collecting = gc.isenabled()
    gc.disable()  # hundreds of thousands of acyclic objects: collections would only cost time
    try:
        drafts = [builder.draft() for _ in range(n)]
        defects = builder.inject_defects(drafts)
        parties = tuple(draft.build() for draft in drafts)
        links = builder.links(drafts, parties)
    finally:
        if collecting:
            gc.enable()
    return SampleRegistry(parties=parties, links=tuple(links), defects=defects)


# --- random draws ---


class _Rng:
    """Fast draws from one seeded :class:`random.Random` (``choice`` and ``randint`` are
    several times slower than one ``random()`` call, and speed matters here)."""

    __slots__ = ("getrandbits", "random")

    def __init__(self, seed: int) -> None:
        rng = random.Random(seed)
        self.random = rng.random
        self.getrandbits = rng.getrandbits

    def below(self, n: int) -> int:
        """An integer in ``[0, n)``."""
        return int(self.random() * n)

    def between(self, low: int, high: int) -> int:
        """An integer in ``[low, high]``."""
        return low + int(self.random() * (high - low + 1))

    def pick(self, items: Sequence[_T]) -> _T:
        """One of ``items``."""
        return items[int(self.random() * len(items))]

    def sample(self, items: Sequence[_T], k: int) -> list[_T]:
        """``k`` distinct items: by rejection when few, else by a partial Fisher-Yates."""
        size = len(items)
        k = min(k, size)
        if size > 4 * k:
            if k == 1:  # what the loop below does for one item, without the dict
                return [items[int(self.random() * size)]]
            chosen: dict[int, None] = {}
            while len(chosen) < k:
                chosen.setdefault(int(self.random() * size))
            return [items[i] for i in chosen]
        order = list(range(size))
        for i in range(k):
            j = i + int(self.random() * (size - i))
            order[i], order[j] = order[j], order[i]
        return [items[i] for i in order[:k]]

    def uuid4(self) -> str:
        """A random (version 4) UUID in hex."""
        return hex(self.getrandbits(128) & _UUID_MASK | _UUID_V4)[2:].zfill(32)


_UUID_MASK: Final = ~((0xF << 76) | (0x3 << 62)) & ((1 << 128) - 1)
_UUID_V4: Final = (0x4 << 76) | (0x2 << 62)


# --- identifiers with their check digits (computed here: stdnum per party is too slow) ---
# Numbers are padded with str.zfill: a format spec ({n:06d}) costs twice as much, and
# the generator pads millions of them.


def _national_number(birth: dt.date, serial: int) -> str:
    """YYMMDD, a serial (odd for men), and 97 - (the first nine digits mod 97); for births
    from 2000 on, the check is computed on the digits with a ``2`` in front."""
    year, month, day = str(birth.year % 100), str(birth.month), str(birth.day)
    body = year.zfill(2) + month.zfill(2) + day.zfill(2) + str(serial).zfill(3)
    base = int("2" + body) if birth.year >= 2000 else int(body)
    return body + str(97 - base % 97).zfill(2)


def _national_number_checks(number: str) -> set[str]:
    """The check numbers that would make ``number`` valid, for either century."""
    body = number[:9]
    return {f"{97 - int(body) % 97:02d}", f"{97 - int('2' + body) % 97:02d}"}


_CHECKS: Final = tuple(f"{c:02d}" for c in range(100))


@functools.cache
def _wrong_checks(right: frozenset[str]) -> tuple[str, ...]:
    """Every two-digit check but the ``right`` ones, in order."""
    return tuple(c for c in _CHECKS if c not in right)


def _enterprise_number(body: int) -> str:
    """Eight digits (the first 0 or 1) and 97 - (those digits mod 97)."""
    return str(body).zfill(8) + str(97 - body % 97).zfill(2)


def _eleven_proof(rng: _Rng) -> str:
    """Nine digits passing the Dutch 11-proof of the BSN and RSIN."""
    random = rng.random
    while True:
        head = 10_000_000 + int(random() * 90_000_000)
        # the weighted sum of the eight digits (weights 9 to 2), three digits at a time
        total = (
            _BSN_HIGH[head // 1_000_000] + _BSN_MIDDLE[head // 1000 % 1000] + _BSN_LOW[head % 1000]
        ) % 11
        if total < 10:
            return f"{head}{total}"


# IBAN check digits (ISO 13616 mod 97-10): the BBAN, then the country's letters as
# digits (A=10 ... Z=35) and 00, as one number; 98 minus its remainder mod 97
_LETTER_DIGITS: Final = str.maketrans({chr(65 + i): str(10 + i) for i in range(26)})


def _be_iban(rng: _Rng) -> str:
    random = rng.random
    bank = _BE_BANK_NUMBERS[int(random() * len(_BE_BANK_NUMBERS))]
    account = bank * 10_000_000 + int(random() * 10_000_000)
    bban = account * 100 + (account % 97 or 97)
    # the BBAN's twelve digits, then B=11 E=14 and 00
    return "BE" + str(98 - (bban * 1_000_000 + 111_400) % 97).zfill(2) + str(bban).zfill(12)


def _nl_iban(rng: _Rng) -> str:
    random = rng.random
    while True:  # Dutch account numbers pass an 11-proof (weights 10..1)
        head = int(random() * 1_000_000_000)
        weighted = (
            _IBAN_HIGH[head // 1_000_000]
            + _IBAN_MIDDLE[head // 1000 % 1000]
            + _IBAN_LOW[head % 1000]
        )
        last = -weighted % 11
        if last < 10:
            bank = _NL_BANK_CODES[int(random() * len(_NL_BANK_CODES))]
            # the bank's letters (two digits each), the ten digits, N=23 L=21 and 00
            account = head * 10 + last
            check = 98 - (_NL_BANK_REMAINDERS[bank] + account * 1_000_000 + 232_100) % 97
            return f"NL{str(check).zfill(2)}{bank}{str(head).zfill(9)}{last}"


def _weighted_digits(weights: tuple[int, ...]) -> tuple[int, ...]:
    """For every number below 10 ** len(weights): its digits times ``weights``, summed."""
    size = len(weights)
    return tuple(
        sum(w * int(d) for w, d in zip(weights, f"{n:0{size}d}", strict=True))
        for n in range(10**size)
    )


# the weighted digit sums of the 11-proofs, by groups of digits: a BSN's first eight
# digits (weights 9 to 2) and a Dutch account's first nine (weights 10 to 2)
_BSN_HIGH: Final = _weighted_digits((9, 8))
_BSN_MIDDLE: Final = _weighted_digits((7, 6, 5))
_BSN_LOW: Final = _weighted_digits((4, 3, 2))
_IBAN_HIGH: Final = _weighted_digits((10, 9, 8))
_IBAN_MIDDLE: Final = _weighted_digits((7, 6, 5))
_IBAN_LOW: Final = _BSN_LOW


def _eid_card_number(rng: _Rng) -> str:
    """Ten digits and their remainder mod 97 (97 when it is 0), as stdnum.be.eid checks."""
    random = rng.random
    prefix = _EID_PREFIX_NUMBERS[int(random() * len(_EID_PREFIX_NUMBERS))]
    first = prefix * 10_000_000 + int(random() * 10_000_000)
    return str(first).zfill(10) + str(first % 97 or 97).zfill(2)


_SLUG_CACHE: dict[tuple[str, str], str] = {}


def _slug(text: str, sep: str = "-") -> str:
    """Lower-case ASCII letters and digits; other runs become ``sep``."""
    found = _SLUG_CACHE.get((text, sep))
    if found is None:
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        found = re.sub(r"[^a-z0-9]+", sep, ascii_text.replace("'", "").lower()).strip(sep)
        _SLUG_CACHE[text, sep] = found
    return found


# --- reference data ---


class _Weighted(Generic[_T]):
    """A weighted choice that costs one ``random()`` and one index.

    The weights are whole numbers, so ``table`` holds each item as many times as its
    weight, in order, and ``table[int(random() * len(table))]`` is the item whose share
    of the cumulative weights holds ``random() * total``: the item a bisection of the
    cumulative weights picks, for the same draw, without the bisection.
    """

    __slots__ = ("items", "table")

    def __init__(self, pairs: Sequence[tuple[_T, int]]) -> None:
        self.items = [item for item, _ in pairs]
        self.table = tuple(item for item, weight in pairs for _ in range(weight))

    def pick(self, random: Callable[[], float]) -> _T:
        """One item, drawn with one call of ``random``."""
        table = self.table
        return table[int(random() * len(table))]


class _City(NamedTuple):
    name: str  # the local name (Dutch in Flanders and Brussels, French in Wallonia)
    name_fr: str  # the French name where it differs (Brussels)
    postal_codes: tuple[str, ...]  # Belgian codes; for NL the range of the digit part
    area: str  # phone area code without the trunk 0
    region: str  # flanders, brussels, wallonia, east, nl
    portfolio: str
    country: str
    lead: str = "2345678"  # digits a fixed line may start with after the area code


_BE_CITIES: Final = _Weighted(
    [
        (_City("Gent", "Gand", ("9000", "9050"), "9", "flanders", "Gent", "BE", "234"), 10),
        (_City("Brugge", "Bruges", ("8000",), "50", "flanders", "Gent", "BE"), 5),
        (_City("Kortrijk", "Courtrai", ("8500",), "56", "flanders", "Gent", "BE"), 4),
        (_City("Aalst", "Alost", ("9300",), "53", "flanders", "Gent", "BE"), 3),
        (
            _City(
                "Antwerpen", "Anvers", ("2000", "2018", "2060"), "3", "flanders", "Antwerpen", "BE"
            ),
            12,
        ),
        (_City("Mechelen", "Malines", ("2800",), "15", "flanders", "Antwerpen", "BE"), 4),
        (_City("Hasselt", "Hasselt", ("3500",), "11", "flanders", "Antwerpen", "BE"), 4),
        (_City("Leuven", "Louvain", ("3000",), "16", "flanders", "Brussel", "BE"), 5),
        (_City("Brussel", "Bruxelles", ("1000",), "2", "brussels", "Brussel", "BE"), 14),
        (_City("Wavre", "Wavre", ("1300",), "10", "wallonia", "Brussel", "BE"), 2),
        (_City("Liège", "Liège", ("4000", "4020"), "4", "wallonia", "Wallonie", "BE", "23"), 8),
        (_City("Namur", "Namur", ("5000",), "81", "wallonia", "Wallonie", "BE"), 4),
        (_City("Mons", "Mons", ("7000",), "65", "wallonia", "Wallonie", "BE"), 3),
        (_City("Charleroi", "Charleroi", ("6000",), "71", "wallonia", "Wallonie", "BE"), 5),
        (_City("Tournai", "Tournai", ("7500",), "69", "wallonia", "Wallonie", "BE"), 2),
        (_City("Eupen", "Eupen", ("4700",), "87", "east", "Wallonie", "BE"), 1),
    ]
)
_NL_CITIES: Final = _Weighted(
    [
        (_City("Amsterdam", "Amsterdam", ("1011", "1109"), "20", "nl", "Nederland", "NL"), 10),
        (_City("Rotterdam", "Rotterdam", ("3011", "3089"), "10", "nl", "Nederland", "NL"), 7),
        (_City("Den Haag", "La Haye", ("2511", "2599"), "70", "nl", "Nederland", "NL"), 5),
        (_City("Utrecht", "Utrecht", ("3511", "3585"), "30", "nl", "Nederland", "NL"), 5),
        (_City("Eindhoven", "Eindhoven", ("5611", "5658"), "40", "nl", "Nederland", "NL"), 4),
        (_City("Breda", "Breda", ("4811", "4839"), "76", "nl", "Nederland", "NL"), 3),
        (_City("Maastricht", "Maastricht", ("6211", "6229"), "43", "nl", "Nederland", "NL"), 2),
    ]
)
_NL_POSTCODE_LETTERS: Final = "ABCDEGHJKLMNPRSTVWXZ"

_LANGUAGES: Final[Mapping[str, _Weighted[str]]] = {
    "flanders": _Weighted([("nl", 93), ("en", 4), ("fr", 3)]),
    "brussels": _Weighted([("fr", 55), ("nl", 33), ("en", 12)]),
    "wallonia": _Weighted([("fr", 96), ("en", 2), ("nl", 2)]),
    "east": _Weighted([("de", 85), ("fr", 15)]),
    "nl": _Weighted([("nl", 95), ("en", 5)]),
}


def _words(text: str) -> tuple[str, ...]:
    """A table written as comma-separated text (compact, and stable under formatting)."""
    return tuple(word.strip() for word in text.split(",") if word.strip())


class _Names(NamedTuple):
    male: tuple[str, ...]
    female: tuple[str, ...]
    last: tuple[str, ...]


_NAMES: Final[Mapping[str, _Names]] = {
    "nl-BE": _Names(
        _words(
            "Jan, Pieter, Koen, Bart, Tom, Wim, Luc, Marc, Dirk, Geert, Lucas, Noah, Arne, Jens"
        ),
        _words("An, Els, Sofie, Katrien, Lieve, Inge, Sarah, Lotte, Emma, Elien, Hanne, Griet"),
        _words(
            "Peeters, Janssens, Maes, Jacobs, Mertens, Willems, Claes, Goossens, Wouters, "
            "De Smet, Van den Bossche, Vermeulen, Van Damme, De Clercq, Verstraete, Hermans, "
            "Claeys, Desmet, Van Hecke, De Backer, Michiels, Vandenberghe, D'Hondt, Baert"
        ),
    ),
    "fr-BE": _Names(
        _words("Jean, Pierre, Luc, Philippe, Michel, Nicolas, Julien, François, Benoît, Cédric"),
        _words("Marie, Sophie, Isabelle, Nathalie, Camille, Chloé, Hélène, Amélie, Céline, Élise"),
        _words(
            "Dubois, Lambert, Dupont, Martin, Simon, Laurent, Leroy, Lejeune, Renard, Dumont, "
            "Lefèbvre, Collard, Gérard, Hubert, Fontaine, Mathieu, Denis, Lemaire, Delvaux, "
            "Marchal, Henrard, Goffin, Piette, Leclercq"
        ),
    ),
    "nl-NL": _Names(
        _words("Daan, Sem, Bram, Thijs, Jeroen, Joost, Maarten, Ruud, Kees, Sander, Niels, Rik"),
        _words("Sanne, Anouk, Femke, Lieke, Eva, Marloes, Ingrid, Esther, Fleur, Noor, Iris"),
        _words(
            "de Jong, Jansen, de Vries, van den Berg, van Dijk, Bakker, Visser, Smit, Meijer, "
            "de Boer, Mulder, Bos, Vos, Peters, Hendriks, van Leeuwen, Dekker, Brouwer, de Wit, "
            "Dijkstra, Smits, de Graaf, van der Meer, Kok"
        ),
    ),
    "de": _Names(
        _words("Jürgen, Klaus, Stefan, Thomas, Andreas, Markus"),
        _words("Anna, Lena, Sabine, Monika, Petra, Claudia"),
        _words("Müller, Schmitz, Kessler, Lentz, Krings, Heinen, Mertes, Fickers"),
    ),
    "en": _Names(
        _words("John, David, Michael, Thomas, James, Daniel, Marco, Piotr"),
        _words("Sarah, Emily, Laura, Anna, Emma, Olivia, Giulia, Agnieszka"),
        _words("Smith, Brown, Wilson, Taylor, O'Brien, Kowalski, Rossi, García, Murphy, Novak"),
    ),
}

_STREETS: Final[Mapping[str, tuple[str, ...]]] = {
    "nl-BE": _words(
        "Veldstraat, Kerkstraat, Stationsstraat, Molenstraat, Dorpsstraat, Nieuwstraat, Meir, "
        "Korenmarkt, Bondgenotenlaan, Grote Markt, Brusselsesteenweg, Kortrijksesteenweg, "
        "Zuidlaan, Lindenlaan, Kouter, Steenstraat, Diestsestraat, Koning Albertlaan, "
        "Industrieweg, Schoolstraat"
    ),
    "fr-BE": _words(
        "Rue de la Station, Rue de l'Église, Avenue Louise, Rue Neuve, Boulevard d'Avroy, "
        "Rue de Fer, Chaussée de Bruxelles, Place Saint-Lambert, Rue des Carmes, Rue du Moulin, "
        "Rue Haute, Avenue des Combattants, Rue de la Loi, Chaussée de Louvain, "
        "Rue du Commerce, Rue de Namur"
    ),
    "nl-NL": _words(
        "Kalverstraat, Damrak, Coolsingel, Oudegracht, Stratumseind, Vrijthof, Hoofdstraat, "
        "Dorpsstraat, Kerkstraat, Prinsengracht, Markt, Stationsweg, Lange Voorhout, "
        "Ginnekenweg, Wilhelminalaan, Julianastraat"
    ),
    "de": _words(
        "Hauptstraße, Kirchstraße, Bahnhofstraße, Aachener Straße, Klötzerbahn, Neustraße"
    ),
}

_TRADES: Final[Mapping[str, tuple[str, ...]]] = {
    "nl-BE": _words(
        "Bakkerij, Slagerij, Garage, Bouwbedrijf, Schrijnwerkerij, Apotheek, Tandartspraktijk, "
        "Immo, Transport, Architectenbureau, Brasserie, Drukkerij, Elektro, Kapsalon, Dakwerken, "
        "Tuinaanleg, Consultancy"
    ),
    "fr-BE": _words(
        "Boulangerie, Boucherie, Garage, Construction, Menuiserie, Pharmacie, Cabinet dentaire, "
        "Immo, Transports, Bureau d'architecture, Brasserie, Imprimerie, Électricité, "
        "Salon de coiffure, Toitures, Jardins, Consulting"
    ),
    "nl-NL": _words(
        "Bakkerij, Bouwbedrijf, Installatiebedrijf, Transport, Adviesbureau, Kapsalon, "
        "Hoveniersbedrijf, Autobedrijf, Tandartspraktijk, Architectenbureau, Makelaardij, "
        "Schildersbedrijf, Webdesign"
    ),
    "de": _words("Bäckerei, Metzgerei, Autohaus, Bauunternehmen, Schreinerei, Apotheke"),
}
_CLUBS: Final[Mapping[str, tuple[str, ...]]] = {
    "nl": _words("Sportclub, Jeugdhuis, Muziekschool, Toneelkring, Voetbalclub, Buurtwerking"),
    "fr": _words(
        "Club sportif, Maison de jeunes, Académie de musique, Cercle théâtral, Football club, "
        "Comité de quartier"
    ),
    "de": _words("Sportverein, Jugendheim, Musikschule"),
}

# legal forms per language group; nonprofits and sole traders are told apart below
_LEGAL_FORMS: Final[Mapping[str, _Weighted[str]]] = {
    "nl-BE": _Weighted(
        [("BV", 55), ("NV", 12), ("CommV", 5), ("VOF", 4), ("VZW", 8), ("eenmanszaak", 16)]
    ),
    "fr-BE": _Weighted(
        [("SRL", 55), ("SA", 12), ("SComm", 5), ("SNC", 3), ("ASBL", 9), ("eenmanszaak", 16)]
    ),
    "nl-NL": _Weighted([("BV", 58), ("NV", 4), ("VOF", 10), ("eenmanszaak", 20), ("stichting", 8)]),
}
_NONPROFIT: Final = frozenset({"VZW", "ASBL", "stichting"})
_SOLE: Final = frozenset({"eenmanszaak"})
_HOLDING_FORMS: Final = frozenset({"BV", "NV", "SRL", "SA"})

# bank codes (the first three BBAN digits) that stdnum's Belgian bank list knows
_BE_BANK_CODES: Final = _words("001, 068, 091, 310, 363, 734, 735, 523, 751, 103")
_NL_BANK_CODES: Final = _words("ABNA, INGB, RABO, TRIO, ASNB, KNAB, SNSB")
_BE_BANK_NUMBERS: Final = tuple(int(code) for code in _BE_BANK_CODES)
# each bank code's eight digits, placed before the sixteen that follow them, mod 97
_NL_BANK_REMAINDERS: Final = {
    code: int(code.translate(_LETTER_DIGITS)) * 10**16 % 97 for code in _NL_BANK_CODES
}
_BE_MOBILE: Final = _words(
    "470, 471, 472, 473, 474, 475, 476, 477, 478, 479, 484, 485, 486, 487, 488, 489, 491, 492, "
    "493, 494, 495, 496, 497, 498, 499"
)
_PROVIDERS: Final[Mapping[str, tuple[str, ...]]] = {
    "BE": _words("telenet.be, skynet.be, proximus.be, gmail.com, hotmail.com, outlook.com"),
    "NL": _words("ziggo.nl, kpnmail.nl, xs4all.nl, gmail.com, hotmail.com, outlook.com"),
}
_ROLES: Final[Mapping[str, tuple[str, ...]]] = {
    "nl-BE": _words("zaakvoerder, bestuurder, boekhouder, office manager, HR-verantwoordelijke"),
    "fr-BE": _words("gérant, administrateur, comptable, assistante de direction, responsable RH"),
    "nl-NL": _words("directeur, eigenaar, financieel manager, office manager, HR-adviseur"),
    "de": _words("Geschäftsführer, Buchhalter, Sekretariat"),
}
# general correspondence: (name, the local part of its e-mail address)
_CORRESPONDENCE: Final[Mapping[str, tuple[tuple[str, str], ...]]] = {
    "nl-BE": (
        ("Secretariaat", "secretariaat"),
        ("Raad van bestuur", "bestuur"),
        ("Boekhouding", "boekhouding"),
    ),
    "fr-BE": (
        ("Secrétariat", "secretariat"),
        ("Conseil d'administration", "direction"),
        ("Comptabilité", "comptabilite"),
    ),
    "nl-NL": (("Secretariaat", "secretariaat"), ("Directie", "directie")),
    "de": (("Sekretariat", "sekretariat"), ("Buchhaltung", "buchhaltung")),
}
_LOCATION_WORD: Final[Mapping[str, str]] = {
    "nl-BE": "Vestiging",
    "fr-BE": "Siège",
    "nl-NL": "Vestiging",
    "de": "Niederlassung",
}
# the professional e-mail domain of relation persons, per role and country
_PRO_DOMAINS: Final[Mapping[tuple[str, str], str]] = {
    ("notary", "BE"): "notaris.be",
    ("lawyer", "BE"): "advocaat.be",
    ("notary", "NL"): "notaris.nl",
    ("lawyer", "NL"): "advocatuur.nl",
}

_PARTNERS: Final = _words("AVH, KDS, MDB, PJ, SVD")
_DECLARANTS: Final = _words("EL, TV, NB, JDW, CM, LR, FG, HVA")
_OWNERS: Final = _words("AVH, KDS, MDB, PJ, SVD, BV, IW, TDM")

_CLIENT_STATUS: Final = _Weighted(
    [
        (ClientStatus.CLIENT, 70),
        (ClientStatus.FORMER_CLIENT, 8),
        (ClientStatus.PROSPECT, 7),
        (ClientStatus.SUSPECT, 5),
        (ClientStatus.ACCEPTANCE_DRAFT, 4),
        (ClientStatus.ACCEPTANCE_PENDING, 3),
        (ClientStatus.ACCEPTANCE_CENTRAL_ADMIN, 3),
    ]
)
_KINDS: Final = _Weighted(
    [
        (PartyKind.CLIENT_COMPANY, 45),
        (PartyKind.CLIENT_PERSON, 35),
        (PartyKind.RELATION_COMPANY, 12),
        (PartyKind.RELATION_PERSON, 8),
    ]
)
_RISK: Final = _Weighted([("low", 70), ("medium", 25), ("high", 5)])
_BILLING_MODES: Final = ("fixed_fee", "hourly", "subscription")
_LAYOUTS: Final = ("standard", "detailed", "summary")

# relation companies per language group: (role at its clients, name templates) by weight
_RELATION_COMPANIES: Final[Mapping[str, _Weighted[tuple[str, tuple[str, ...]]]]] = {
    "nl-BE": _Weighted(
        [
            (
                (
                    "bank",
                    _words(
                        "KBC Bank NV – kantoor {city}, BNP Paribas Fortis NV – kantoor {city}, "
                        "Belfius Bank NV – kantoor {city}, ING België NV – kantoor {city}, "
                        "Argenta Spaarbank NV – kantoor {city}"
                    ),
                ),
                30,
            ),
            (("notary", _words("Notariskantoor {last}, Notarissen {last} & {last2}")), 15),
            (("insurer", _words("AG Insurance – {city}, Ethias – {city}, Baloise – {city}")), 12),
            (("tax_office", ("FOD Financiën – Controlecentrum {city}",)), 10),
            (
                (
                    "social_secretariat",
                    _words("SD Worx – {city}, Securex – {city}, Liantis – {city}, Acerta – {city}"),
                ),
                15,
            ),
            (("lawyer", ("Advocatenkantoor {last}",)), 10),
            (("accountant", ("Accountantskantoor {last}",)), 8),
        ]
    ),
    "fr-BE": _Weighted(
        [
            (
                (
                    "bank",
                    _words(
                        "KBC Bank SA – agence {of_city}, BNP Paribas Fortis SA – agence {of_city}, "
                        "Belfius Banque SA – agence {of_city}, ING Belgique SA – agence {of_city}, "
                        "Crelan SA – agence {of_city}"
                    ),
                ),
                30,
            ),
            (("notary", _words("Étude du notaire {last}, Notaires {last} & {last2}")), 15),
            (
                (
                    "insurer",
                    _words("AG Insurance – {city}, Ethias – {city}, P&V Assurances – {city}"),
                ),
                12,
            ),
            (("tax_office", ("SPF Finances – Centre de contrôle {city}",)), 10),
            (
                (
                    "social_secretariat",
                    _words(
                        "SD Worx – {city}, Securex – {city}, Partena – {city}, Group S – {city}"
                    ),
                ),
                15,
            ),
            (("lawyer", ("Cabinet d'avocats {last}",)), 10),
            (("accountant", ("Fiduciaire {last}",)), 8),
        ]
    ),
    "nl-NL": _Weighted(
        [
            (
                (
                    "bank",
                    _words(
                        "ABN AMRO Bank N.V. – {city}, Rabobank – {city}, ING Bank N.V. – {city}, "
                        "Triodos Bank N.V. – {city}"
                    ),
                ),
                30,
            ),
            (("notary", ("Notariskantoor {last}",)), 15),
            (("insurer", _words("Achmea – {city}, Nationale-Nederlanden – {city}")), 12),
            (("tax_office", ("Belastingdienst {city}",)), 10),
            (("chamber_of_commerce", ("Kamer van Koophandel – {city}",)), 8),
            (("lawyer", ("Advocatenkantoor {last}",)), 10),
            (("accountant", ("Accountantskantoor {last}",)), 8),
        ]
    ),
}
_RELATION_PERSON_ROLES: Final = _Weighted(
    [("notary", 25), ("lawyer", 25), ("bank", 20), ("accountant", 15), ("insurance_broker", 15)]
)
_LEGAL_SUFFIX: Final = re.compile(r"\s+(NV|SA|N\.V\.)$")


_EID_PREFIXES: Final = _words("591, 592, 593, 594, 600, 601")
_EID_PREFIX_NUMBERS: Final = tuple(int(prefix) for prefix in _EID_PREFIXES)
_FIRST_CLIENT: Final = dt.date(1995, 1, 1).toordinal()
_FIRST_BIRTH: Final = dt.date(1935, 1, 1).toordinal()
# A national number has two year digits; its check tells 19xx from 20xx only for years
# that have begun. Births stay before today minus 19 years and never after this date.
_LAST_BIRTH: Final = dt.date(2007, 12, 31).toordinal()
_ATTENTION: Final = _words(
    "Betaalt laat, Paie en retard, Stukken altijd te laat, Liever telefonisch contact"
)
_CHECK_NOTES: Final = (None, "eID gelezen", "carte eID lue", "paspoort gecontroleerd")
_DISCIPLINES: Final = ("audit", "tax")
_ACTIVE_OR_FORMER: Final = (ClientStatus.CLIENT, ClientStatus.FORMER_CLIENT)
_ACCEPTANCE_FROM: Final = dt.date(2019, 1, 1)  # the firm's four-eyes acceptance procedure


# Worked out once from the tables above, for the draws of every party.
_NL_HOUSE_SUFFIXES: Final = ("A", "B", "-1", "-2")
# a Dutch city's lowest postal number and how many follow it
_NL_POSTAL_RANGES: Final = {
    city.name: (
        int(city.postal_codes[0]),
        int(city.postal_codes[1]) - int(city.postal_codes[0]) + 1,
    )
    for city in _NL_CITIES.items
}
# a city's fixed lines: "+32" or "+31" and the area code, the digits the subscriber
# number may start with, how many digits follow that one, and 10 to that power
_LANDLINES: Final = {
    city.name: (
        f"{'+31' if city.country == 'NL' else '+32'}{city.area}",
        city.lead,
        (8 if city.country == "NL" else 7) - len(city.area),
        10 ** ((8 if city.country == "NL" else 7) - len(city.area)),
    )
    for city in (*_BE_CITIES.items, *_NL_CITIES.items)
}
# every first and last name as an e-mail address writes it
_PLAIN: Final = {
    name: _slug(name, "")
    for names in _NAMES.values()
    for name in (*names.male, *names.female, *names.last)
}


def _group(language: str, country: str) -> str:
    """The language group of names, streets and trades: nl-BE, fr-BE, nl-NL or de."""
    if language == "de":
        return "de"
    if country == "NL":
        return "nl-NL"
    return "fr-BE" if language == "fr" else "nl-BE"


def _period_start(since: dt.date, period: str) -> dt.date:
    """The first day of the first period (month, quarter, year) starting on or after ``since``."""
    months = {"monthly": 1, "quarterly": 3}.get(period, 12)
    index = since.year * 12 + since.month - 1
    start = index - index % months
    if dt.date(start // 12, start % 12 + 1, 1) < since:
        start += months
    return dt.date(start // 12, start % 12 + 1, 1)


def _of(town: str) -> str:
    """French "of" before a town: ``de Namur``, ``d'Anvers``."""
    return f"d'{town}" if town[0] in "AEIOUYÉÈÂ" else f"de {town}"


def _location_name(group: str, town: str) -> str:
    """``Vestiging Brugge``, ``Siège d'Anvers``, ``Niederlassung Eupen``."""
    word = _LOCATION_WORD[group]
    return f"{word} {_of(town)}" if group == "fr-BE" else f"{word} {town}"


def _domain(name: str, country: str) -> str:
    """An e-mail domain made from a name: ``Bakkerij Peeters`` -> ``bakkerij-peeters.be``."""
    head = _LEGAL_SUFFIX.sub("", name.split(" – ")[0])
    return _slug(head) + (".nl" if country == "NL" else ".be")


@attrs.define
class _Draft:
    """A party under construction: its fields, then the party, and what links need."""

    fields: dict[str, Any]
    country: str
    group: str
    city: _City
    domain: str = ""
    role: str | None = None  # a relation's role at its clients
    holding: bool = False
    party: Party | None = None

    def build(self) -> Party:
        """Construct the party (once) and let go of the fields."""
        self.party = _make_party(**self.fields)
        self.fields = {}
        return self.party

    @property
    def built(self) -> Party:
        assert self.party is not None, "build() first"
        return self.party


_Fields = dict[str, Any]
_from_ordinal: Final = dt.date.fromordinal
_intern: Final = sys.intern

# Every value below is made here in the form the model's converters return (stripped
# text, compact identifiers, shared dates and records), so the records are built without
# running the converters again; the rules across fields are still checked. The tests
# check that the ordinary constructors give equal records.
_make_party: Final = normalised_constructor(Party)
_make_address: Final = normalised_constructor(Address)
_make_location: Final = normalised_constructor(Location)
_make_contact: Final = normalised_constructor(ContactPerson)
_make_correspondence: Final = normalised_constructor(GeneralCorrespondence)
_make_eid: Final = normalised_constructor(EidCard)
_make_acceptance: Final = normalised_constructor(Acceptance)
_make_debtor_card: Final = normalised_constructor(DebtorCard)
_make_link: Final = normalised_constructor(Link)
_make_staff: Final = normalised_constructor(StaffRoles)
_make_aml: Final = normalised_constructor(AmlProfile)
_make_checklist_item: Final = normalised_constructor(ChecklistItem)
_make_task: Final = normalised_constructor(Task)


class _Builder:
    """Draws every value from one :class:`_Rng`, always in the same order."""

    def __init__(self, rng: _Rng, today: dt.date) -> None:
        self.rng = rng
        self.random = rng.random  # the draw of almost every value: looked up once
        self.today = today.toordinal()
        self.client_numbers = itertools.count(1)
        self.relation_numbers = itertools.count(1)
        # equal values are shared: fewer objects to build, a smaller registry
        self._tasks: dict[tuple[str, bool, str, dt.date], Task] = {}
        self._staff: dict[tuple[str | None, str | None, str | None], StaffRoles] = {}
        self._aml: dict[tuple[str | None, dt.date | None], AmlProfile] = {}
        self._labels: dict[tuple[str, ...], frozenset[str]] = {}
        self._dates: dict[int, dt.date] = {}
        self._starts: dict[dt.date, tuple[dt.date, dt.date, dt.date]] = {}
        self._addresses: dict[tuple[str, str, str, str], Address] = {}
        self._moments: dict[tuple[int, int], dt.datetime] = {}
        self._domains: dict[str, dict[str, str]] = {"BE": {}, "NL": {}}
        self._personal_tasks: dict[tuple[bool, dt.date], tuple[Task, ...]] = {}
        self._company_tasks: dict[tuple[Any, ...], tuple[Task, ...]] = {}
        # the same bounds for every party: worked out once
        self._three_years_ago = self.years_ago(3)
        self._aml_from = self.years_ago(4.5)
        self._last_birth = min(self.years_ago(19), _LAST_BIRTH)
        self._checklists: dict[tuple[dt.date, str | None], tuple[ChecklistItem, ...]] = {}
        self._billing = {
            (mode, layout): Billing(mode=mode, invoice_layout=layout)
            for mode in _BILLING_MODES
            for layout in _LAYOUTS
        }
        self._portal = {
            (on, forms): Portal(enabled=on, forms_allowed=forms)
            for on in (False, True)
            for forms in (False, True)
        }

    # --- small draws ---
    # The draws of _Rng written out (``items[int(random() * len(items))]`` is
    # ``rng.pick(items)``): the same numbers in the same order, without a call for each.

    def date_between(self, first: int, last: int) -> dt.date:
        """A date whose ordinal lies in ``[first, last]`` (``first`` when ``last`` < ``first``)."""
        span = last - first + 1
        ordinal = first + int(self.random() * span) if span > 1 else first
        found = self._dates.get(ordinal)
        if found is None:  # one object per day, as the model keeps them
            found = self._dates[ordinal] = _from_ordinal(ordinal)
        return found

    def years_ago(self, years: float) -> int:
        """The ordinal of the day ``years`` before today."""
        return self.today - round(years * 365.25)

    def city(self, country: str) -> _City:
        return (_NL_CITIES if country == "NL" else _BE_CITIES).pick(self.random)

    def address(self, city: _City, group: str, language: str) -> Address:
        random = self.random
        number = str(1 + int(random() * 240))
        country = city.country
        if country == "NL":
            letters = (
                _NL_POSTCODE_LETTERS[int(random() * 20)] + _NL_POSTCODE_LETTERS[int(random() * 20)]
            )
            if letters in ("SA", "SD", "SS"):  # never issued
                letters = "AB"
            low, span = _NL_POSTAL_RANGES[city.name]
            postal = f"{low + int(random() * span)}{letters}"
            if random() < 0.1:
                number += _NL_HOUSE_SUFFIXES[int(random() * 4)]
        else:
            codes = city.postal_codes
            postal = codes[int(random() * len(codes))]
            if random() < 0.1:
                box = 1 + int(random() * 12)
                number += f" boîte {box}" if group == "fr-BE" else f" bus {box}"
        town = city.name_fr if language == "fr" else city.name
        streets = _STREETS[group]
        street = f"{streets[int(random() * len(streets))]} {number}"
        key = (street, postal, town, country)
        found = self._addresses.get(key)
        if found is None:  # equal addresses are one object
            found = self._addresses[key] = _make_address(
                street=street, postal_code=_intern(postal), city=town, country=country
            )
        return found

    def po_box(self, city: _City) -> Address:
        """A correspondence address at a post-office box in ``city``."""
        rng = self.rng
        if city.country == "NL":
            low, high = city.postal_codes
            box = f"Postbus {rng.between(100, 9999)}"
            postal = _intern(f"{rng.between(int(low), int(high))}AA")
            return _make_address(street=box, postal_code=postal, city=city.name, country="NL")
        box = f"Postbus {rng.between(1, 999)}"
        return _make_address(
            street=box, postal_code=rng.pick(city.postal_codes), city=city.name, country="BE"
        )

    def landline(self, city: _City) -> str:
        """A fixed line in the city's zone, in E.164: the area code, then a subscriber
        number whose first digit is one of the city's ``lead``."""
        random = self.random
        prefix, lead, width, top = _LANDLINES[city.name]
        return prefix + lead[int(random() * len(lead))] + str(int(random() * top)).zfill(width)

    def mobile(self, country: str) -> str:
        """A mobile number, in E.164."""
        random = self.random
        if country == "NL":
            return f"+316{1 + int(random() * 5)}{str(int(random() * 10_000_000)).zfill(7)}"
        return f"+32{_BE_MOBILE[int(random() * 25)]}{str(int(random() * 1_000_000)).zfill(6)}"

    def person_name(self, group: str, language: str) -> tuple[str, str, bool]:
        """First name, last name, and whether the first name is a man's."""
        random = self.random
        names = _NAMES["en" if language == "en" else group]
        male = random() < 0.5
        firsts = names.male if male else names.female
        first = firsts[int(random() * len(firsts))]
        lasts = names.last
        return first, lasts[int(random() * len(lasts))], male

    def personal_email(self, first: str, last: str, country: str) -> str:
        random = self.random
        given, family = _PLAIN[first], _PLAIN[last]
        style = int(random() * 3)
        if style == 0:
            local = f"{given}.{family}"
        elif style == 1:
            local = f"{given}{family}"
        else:
            local = f"{given[0]}.{family}"
        if random() < 0.15:
            local += str(1 + int(random() * 99))
        providers = _PROVIDERS[country]
        return f"{local}@{providers[int(random() * len(providers))]}"

    def iban(self, country: str) -> str:
        return _nl_iban(self.rng) if country == "NL" else _be_iban(self.rng)

    # --- shared value objects ---

    def labels(self, names: list[str]) -> frozenset[str]:
        key = tuple(sorted(names))
        found = self._labels.get(key)
        if found is None:
            found = self._labels[key] = frozenset(key)
        return found

    def staff(self, partner: str | None, declarant: str | None, owner: str | None) -> StaffRoles:
        key = (partner, declarant, owner)
        found = self._staff.get(key)
        if found is None:
            found = self._staff[key] = _make_staff(
                partner=partner, declarant=declarant, owner=owner
            )
        return found

    def aml(self, risk: str | None, verified: dt.date | None) -> AmlProfile:
        key = (risk, verified)
        found = self._aml.get(key)
        if found is None:
            found = self._aml[key] = _make_aml(risk=risk, verified_on=verified)
        return found

    def checklist(self, done: dt.date, note: str | None) -> tuple[ChecklistItem, ...]:
        """The checklist with the AML identification done on ``done``."""
        key = (done, note)
        found = self._checklists.get(key)
        if found is None:
            item = _make_checklist_item(action="aml_identification", done_on=done, note=note)
            found = self._checklists[key] = (item,)
        return found

    def task(self, code: str, active: bool, period: str | None, start: dt.date | None) -> Task:
        key = (code, active, period or "", start or dt.date.min)
        found = self._tasks.get(key)
        if found is None:
            found = self._tasks[key] = _make_task(
                code=code, active=active, period=period, start=start
            )
        return found

    def starts(self, since: dt.date) -> tuple[dt.date, dt.date, dt.date]:
        """The first year, quarter and month starting on or after ``since``."""
        found = self._starts.get(since)
        if found is None:
            found = self._starts[since] = (
                _period_start(since, "yearly"),
                _period_start(since, "quarterly"),
                _period_start(since, "monthly"),
            )
        return found

    # --- one party ---

    def draft(self) -> _Draft:
        """The fields of the next party, free of defects."""
        rng = self.rng
        random = self.random
        kind = _KINDS.pick(random)
        country = "NL" if random() < 0.25 else "BE"
        city = (_NL_CITIES if country == "NL" else _BE_CITIES).pick(random)
        language = _LANGUAGES[city.region].pick(random)
        group = _group(language, country)
        fields: _Fields = {
            "id": hex(rng.getrandbits(128) & _UUID_MASK | _UUID_V4)[2:].zfill(32),  # rng.uuid4()
            "kind": kind,
            "language": language,
            "address": self.address(city, group, language),
        }
        draft = _Draft(fields, country, group, city)
        if kind is PartyKind.CLIENT_COMPANY:
            fields["number"] = "C" + str(next(self.client_numbers)).zfill(6)
            self.client_fields(fields, _CLIENT_STATUS.pick(random), city)
            self.client_company_fields(fields, draft)
        elif kind is PartyKind.CLIENT_PERSON:
            fields["number"] = "C" + str(next(self.client_numbers)).zfill(6)
            self.client_fields(fields, _CLIENT_STATUS.pick(random), city)
            self.person_fields(fields, draft)
        else:
            fields["number"] = "R" + str(next(self.relation_numbers)).zfill(6)
            provider = random() < 0.12
            fields["status"] = ClientStatus.SERVICE_PROVIDER if provider else ClientStatus.RELATION
            if kind is PartyKind.RELATION_COMPANY:
                self.relation_company_fields(fields, draft)
            else:
                self.person_fields(fields, draft)
        return draft

    def client_fields(self, fields: _Fields, status: ClientStatus, city: _City) -> None:
        """Status, dates, staff, AML, billing, portal: what every client kind has."""
        random = self.random
        today = self.today
        fields["status"] = status
        fields["portfolio"] = city.portfolio
        if status is ClientStatus.SUSPECT:
            return
        declarant = _DECLARANTS[int(random() * len(_DECLARANTS))] if random() < 0.8 else None
        partner = _PARTNERS[int(random() * len(_PARTNERS))]
        fields["staff"] = self.staff(partner, declarant, _OWNERS[int(random() * len(_OWNERS))])
        if status is ClientStatus.PROSPECT:
            return
        date_between = self.date_between
        if status is ClientStatus.CLIENT or status is ClientStatus.FORMER_CLIENT:
            former = status is ClientStatus.FORMER_CLIENT
            since = date_between(_FIRST_CLIENT, today - (730 if former else 14))
            fields["client_since"] = since
            if former:
                fields["client_until"] = date_between(since.toordinal() + 365, today - 1)
            mode = _BILLING_MODES[int(random() * len(_BILLING_MODES))]
            fields["billing"] = self._billing[mode, _LAYOUTS[int(random() * len(_LAYOUTS))]]
            fields["last_verified_on"] = date_between(self._three_years_ago, today - 1)
            if not former and random() < 0.55:
                fields["portal"] = self._portal[True, random() < 0.6]
            if random() < 0.2:
                fields["external_keys"] = {"adminpulse": f"AP{int(random() * 10**6):06d}"}
            if random() < 0.05:
                number = f"D{int(random() * 10**5):05d}"
                discipline = _DISCIPLINES[int(random() * len(_DISCIPLINES))]
                fields["debtor_cards"] = (_make_debtor_card(number=number, discipline=discipline),)
            if random() < 0.03:
                fields["attention"] = _ATTENTION[int(random() * len(_ATTENTION))]
            if former and random() < 0.05:
                fields["marked_for_deletion"] = True
        verified = date_between(self._aml_from, today - 1)
        fields["aml"] = self.aml(_RISK.pick(random), verified)
        note = _CHECK_NOTES[int(random() * len(_CHECK_NOTES))]
        fields["checklist"] = self.checklist(verified, note)
        began: dt.date | None = fields.get("client_since")
        if began is not None:  # accepted before becoming a client, if after the 2019 procedure
            accepted = (
                began.toordinal() - 5 - int(random() * 36) if began >= _ACCEPTANCE_FROM else 0
            )
        else:  # in acceptance now: submitted when the AML check was done
            accepted = verified.toordinal() if status is not ClientStatus.ACCEPTANCE_DRAFT else 0
        if accepted and random() < 0.6:
            submitted = self.moment(accepted, 8 + int(random() * 10))
            submitted_by = _DECLARANTS[int(random() * len(_DECLARANTS))]
            if status is ClientStatus.ACCEPTANCE_PENDING:
                fields["acceptance"] = _make_acceptance(
                    submitted_by=submitted_by, submitted_at=submitted
                )
            else:
                approved_by = _PARTNERS[int(random() * len(_PARTNERS))]
                fields["acceptance"] = _make_acceptance(
                    submitted_by=submitted_by,
                    submitted_at=submitted,
                    approved_by=approved_by,
                    approved_at=self.moment(accepted + 1 + int(random() * 4), submitted.hour),
                )

    def moment(self, ordinal: int, hour: int) -> dt.datetime:
        """The day ``ordinal`` at ``hour``: one object per moment, as dates are shared."""
        key = (ordinal, hour)
        found = self._moments.get(key)
        if found is None:
            found = self._moments[key] = dt.datetime.combine(_from_ordinal(ordinal), dt.time(hour))
        return found

    def company_identifiers(self, fields: _Fields, draft: _Draft, vat: bool) -> None:
        """Enterprise or KvK number, VAT number, e-mail, phone, website, IBAN."""
        random = self.random
        fields["vat_liable"] = vat
        country = draft.country
        domain = draft.domain
        if country == "BE":
            enterprise = _enterprise_number(2_000_000 + int(random() * 18_000_000))
            fields["enterprise_number"] = enterprise
            if vat:
                fields["vat_number"] = "BE" + enterprise
        else:
            fields["kvk_number"] = str(10_000_000 + int(random() * 90_000_000))
            if vat:
                fields["vat_number"] = f"NL{_eleven_proof(self.rng)}B0{1 + int(random() * 3)}"
        fields["email"] = f"{_MAILBOXES[int(random() * len(_MAILBOXES))]}@{domain}"
        fields["phone"] = self.landline(draft.city)
        if random() < 0.6:
            fields["website"] = f"https://www.{domain}"
        if random() < 0.85:
            fields["iban"] = _nl_iban(self.rng) if country == "NL" else _be_iban(self.rng)

    def domain(self, name: str, country: str) -> str:
        """:func:`_domain`, once per name and country."""
        domains = self._domains[country]
        found = domains.get(name)
        if found is None:
            found = domains[name] = _domain(name, country)
        return found

    def relation_company_fields(self, fields: _Fields, draft: _Draft) -> None:
        """A bank branch, notary, insurer, tax office, social secretariat, lawyer..."""
        random = self.random
        language: str = fields["language"]
        lasts = _NAMES["en" if language == "en" else draft.group].last
        table = _RELATION_COMPANIES["fr-BE" if draft.group == "de" else draft.group]
        role, templates = table.pick(random)
        town = draft.city.name_fr if language == "fr" else draft.city.name
        last = lasts[int(random() * len(lasts))]
        last2 = lasts[int(random() * len(lasts))]
        template = templates[int(random() * len(templates))]
        fields["name"] = name = template.format(
            city=town, of_city=_of(town), last=last, last2=last2
        )
        draft.role = role
        draft.domain = self.domain(name, draft.country)
        vat = role not in ("tax_office", "chamber_of_commerce")
        self.company_identifiers(fields, draft, vat=vat)
        contacts = self.contacts(draft, (), language)  # the account manager, the notary...
        if contacts:
            fields["contacts"] = contacts

    def client_company_fields(self, fields: _Fields, draft: _Draft) -> None:
        """Name and legal form, identifiers, locations, contacts, correspondence, tasks."""
        random = self.random
        group, city, country = draft.group, draft.city, draft.country
        language: str = fields["language"]
        lasts = _NAMES["en" if language == "en" else group].last
        last = lasts[int(random() * len(lasts))]
        form = _LEGAL_FORMS["fr-BE" if group == "de" else group].pick(random)
        nonprofit = form in _NONPROFIT
        sole = form in _SOLE
        if nonprofit:
            clubs = _CLUBS["nl" if language in ("nl", "en") else language]
            club = clubs[int(random() * len(clubs))]
            base = f"{club} {city.name_fr if language == 'fr' else city.name}"
            name = f"Stichting {base}" if form == "stichting" else f"{form} {base}"
        elif sole:
            trades = _TRADES[group]
            name = base = f"{trades[int(random() * len(trades))]} {last}"
        elif form in _HOLDING_FORMS and random() < 0.08:
            draft.holding = True
            base = f"{last} Holding" if random() < 0.6 else f"Patrimonium {last}"
            name = f"{base} {form}"
        else:
            trades = _TRADES[group]
            base = f"{trades[int(random() * len(trades))]} {last}"
            if random() < 0.15:
                base = f"{last} & {'Fils' if group == 'fr-BE' else 'Zonen'}"
            name = f"{base} {form}"
        draft.domain = domain = self.domain(base, country)
        vat = random() < (0.2 if nonprofit else 0.95)
        fields["name"] = name
        fields["legal_form"] = form
        self.company_identifiers(fields, draft, vat=vat)
        locations = self.locations(country, group, language)
        if locations:
            fields["locations"] = locations
        contacts = self.contacts(draft, locations, language)
        if contacts:
            fields["contacts"] = contacts
        if random() < 0.2:
            entries = _CORRESPONDENCE[group]
            label, mailbox = entries[int(random() * len(entries))]
            phone = self.landline(city) if random() < 0.5 else None
            at = (
                locations[int(random() * len(locations))].id
                if locations and random() < 0.5
                else None
            )
            fields["correspondence"] = (
                _make_correspondence(
                    id="gc-1", name=label, email=f"{mailbox}@{domain}", phone=phone, location_id=at
                ),
            )
        if random() < 0.08:
            fields["correspondence_address"] = self.po_box(city)
        tags = ["holding"] if draft.holding else []
        if random() < 0.1:
            tags.append("audit")
        if random() < 0.05:
            tags.append("vip")
        status: ClientStatus = fields["status"]
        if status is ClientStatus.CLIENT or status is ClientStatus.FORMER_CLIENT:
            active = status is ClientStatus.CLIENT
            since: dt.date = fields["client_since"]
            period = ("monthly" if random() < 0.25 else "quarterly") if vat else None
            payroll = random() < 0.3
            if payroll:
                tags.append("payroll")
            filing = country == "BE" and not sole
            if filing:
                if random() < 0.3:
                    tags.append("nbb")
                if nonprofit:  # "the payment confirmation is never needed for VZWs"
                    fields["task_presets"] = _NO_PAYMENT_CONFIRMATION
            corporate = not nonprofit and not sole
            fields["tasks"] = self.company_tasks(active, since, corporate, period, payroll, filing)
            if active and since.toordinal() > self.today - 365:
                tags.append("new")
        if tags:
            fields["labels"] = self.labels(tags)

    def company_tasks(
        self,
        active: bool,
        since: dt.date,
        corporate: bool,
        vat_period: str | None,
        payroll: bool,
        filing: bool,
    ) -> tuple[Task, ...]:
        """A client company's tasks: closing, corporate tax, VAT, payroll, NBB filing, each
        from the first period after ``since``."""
        yearly, quarterly, monthly = self.starts(since)
        vat = None if vat_period is None else monthly if vat_period == "monthly" else quarterly
        key = (active, corporate, vat_period, filing, yearly, vat, monthly if payroll else None)
        found = self._company_tasks.get(key)
        if found is None:
            task = self.task
            tasks = [task("closing", active, "yearly", yearly)]
            if corporate:
                tasks.append(task("corporate_tax", active, "yearly", yearly))
            if vat_period is not None:
                tasks.append(task("vat", active, vat_period, vat))
            if payroll:
                tasks.append(task("payroll", active, "monthly", monthly))
            if filing:
                tasks.append(task("nbb_filing", active, "yearly", yearly))
            found = self._company_tasks[key] = tuple(tasks)
        return found

    def locations(self, country: str, group: str, language: str) -> tuple[Location, ...]:
        """Zero to two branches in cities of the same country."""
        count = _LOCATION_COUNTS[int(self.random() * len(_LOCATION_COUNTS))]
        if not count:
            return ()
        out = []
        cities = _NL_CITIES if country == "NL" else _BE_CITIES
        for index in range(count):
            city = cities.pick(self.random)
            town = city.name_fr if language == "fr" else city.name
            out.append(
                _make_location(
                    id=_LOCATION_IDS[index],
                    name=_location_name(group, town),
                    address=self.address(city, group, language),
                )
            )
        return tuple(out)

    def contacts(
        self, draft: _Draft, locations: tuple[Location, ...], language: str
    ) -> tuple[ContactPerson, ...]:
        """Zero to three contact persons, some at a location, some archived."""
        random = self.random
        count = _CONTACT_COUNTS[int(random() * len(_CONTACT_COUNTS))]
        if not count:
            return ()
        out = []
        group = draft.group
        names = _NAMES["en" if language == "en" else group]
        roles = _ROLES[group]
        domain = draft.domain
        country = draft.country
        for index in range(count):
            # self.person_name(group, language), written out
            firsts = names.male if random() < 0.5 else names.female
            first = firsts[int(random() * len(firsts))]
            last = names.last[int(random() * len(names.last))]
            role = roles[int(random() * len(roles))]
            phone = self.mobile(country) if random() < 0.7 else None
            at = (
                locations[int(random() * len(locations))].id
                if locations and random() < 0.5
                else None
            )
            out.append(
                _make_contact(
                    id=_CONTACT_IDS[index],
                    first_name=first,
                    last_name=last,
                    role=role,
                    email=f"{_PLAIN[first]}.{_PLAIN[last]}@{domain}",
                    phone=phone,
                    location_id=at,
                    archived=random() < 0.1,
                )
            )
        return tuple(out)

    def person_fields(self, fields: _Fields, draft: _Draft) -> None:
        """Name parts, birth date, national number or BSN, eID card, personal tax."""
        rng = self.rng
        random = self.random
        country = draft.country
        first, last, male = self.person_name(draft.group, fields["language"])
        fields["first_name"] = first
        fields["last_name"] = last
        fields["name"] = f"{first} {last}"
        birth = self.date_between(_FIRST_BIRTH, self._last_birth)
        fields["birth_date"] = birth
        fields["phone"] = self.mobile(country) if random() < 0.8 else self.landline(draft.city)
        if fields["kind"] is PartyKind.RELATION_PERSON:
            draft.role = role = _RELATION_PERSON_ROLES.pick(random)
            domain = _PRO_DOMAINS.get((role, country))
            if domain is None:
                fields["email"] = self.personal_email(first, last, country)
            else:
                fields["email"] = f"{_PLAIN[first]}.{_PLAIN[last]}@{domain}"
            return
        fields["email"] = self.personal_email(first, last, country)
        fields["vat_liable"] = False
        if random() < 0.6:
            fields["iban"] = _nl_iban(rng) if country == "NL" else _be_iban(rng)
        if country == "BE":
            serial = 1 + int(random() * 997)
            if serial % 2 != male:  # odd for men, even for women
                serial = serial + 1 if serial < 997 else serial - 1
            fields["national_number"] = _national_number(birth, serial)
            until = self.date_between(self.today + 30, self.today + 3650)
            fields["eid"] = _make_eid(card_number=_eid_card_number(rng), valid_until=until)
        else:
            fields["bsn"] = _eleven_proof(rng)
        vip = random() < 0.04
        status: ClientStatus = fields["status"]
        new = False
        if status is ClientStatus.CLIENT or status is ClientStatus.FORMER_CLIENT:
            active = status is ClientStatus.CLIENT
            since: dt.date = fields["client_since"]
            fields["tasks"] = self.personal_tasks(active, since)
            new = active and since.toordinal() > self.today - 365
        if vip or new:
            fields["labels"] = _PERSON_LABELS[vip, new]

    def personal_tasks(self, active: bool, since: dt.date) -> tuple[Task, ...]:
        """A client person's tasks: personal tax, yearly, from the year after ``since``."""
        key = (active, self.starts(since)[0])
        found = self._personal_tasks.get(key)
        if found is None:
            found = self._personal_tasks[key] = (
                self.task("personal_tax", active, "yearly", key[1]),
            )
        return found

    # --- defects ---

    def inject_defects(self, drafts: list[_Draft]) -> Mapping[str, frozenset[str]]:
        """Give a share of the parties one defect each; the party ids per defect name."""
        n = len(drafts)
        taken: set[int] = set()
        found: dict[str, set[str]] = {name: set() for name in DEFECTS}
        # A defect changes only the party that receives it, so whether a rule applies to a
        # party not yet taken never changes: the pools are listed once, before any defect.
        pools = _defect_pools(drafts)
        for name, share in DEFECT_SHARES.items():
            pool_name, inject = _DEFECT_RULES[name]
            listed = pools[pool_name]
            pool = list(itertools.filterfalse(taken.__contains__, listed)) if taken else listed
            for i in sorted(self.rng.sample(pool, round(share * n))):
                inject(self, drafts[i].fields)
                taken.add(i)
                found[name].add(drafts[i].fields["id"])
        found["missing_email"] |= found["portal_without_email"]
        return types.MappingProxyType({name: frozenset(ids) for name, ids in found.items()})

    def bad_national_number(self, fields: _Fields) -> None:
        number: str = fields["national_number"]
        wrong = self.rng.pick(_wrong_checks(frozenset(_national_number_checks(number))))
        fields["national_number"] = number[:9] + wrong

    def bad_enterprise_number(self, fields: _Fields) -> None:
        number: str = fields["enterprise_number"]
        wrong = self.rng.pick(_wrong_checks(frozenset((number[8:],))))
        fields["enterprise_number"] = number[:8] + wrong

    def bad_email(self, fields: _Fields) -> None:
        local, _, domain = fields["email"].partition("@")
        fields["email"] = self.rng.pick(
            (
                f"{local}@{domain.rsplit('.', 1)[0]}",  # no top-level domain
                f"{local}.{domain}",  # no @
                f"{local}@@{domain}",
                f"{local} {domain}",
                f"{local}@{domain},",
            )
        )

    def without_task(self, fields: _Fields, code: str) -> None:
        """The task removed, or kept but inactive."""
        tasks: tuple[Task, ...] = fields.get("tasks", ())
        if self.rng.random() < 0.5:
            fields["tasks"] = tuple(t for t in tasks if t.code != code)
        else:
            fields["tasks"] = tuple(
                self.task(t.code, False, t.period, t.start) if t.code == code else t for t in tasks
            )

    def active_again(self, fields: _Fields) -> None:
        tasks: tuple[Task, ...] = fields["tasks"]
        index = self.rng.below(len(tasks))
        fields["tasks"] = tuple(
            self.task(t.code, True, t.period, t.start) if i == index else t
            for i, t in enumerate(tasks)
        )

    def outdated_aml(self, fields: _Fields) -> None:
        """No AML data, no risk class, or a check older than five years."""
        roll = self.rng.random()
        aml: AmlProfile = fields["aml"]
        if roll < 0.2:
            del fields["aml"]
        elif roll < 0.4:
            fields["aml"] = self.aml(None, aml.verified_on)
        else:
            old = self.date_between(self.years_ago(12), self.years_ago(5) - 30)
            fields["aml"] = self.aml(aml.risk, old)

    def until_while_client(self, fields: _Fields) -> None:
        since: dt.date = fields["client_since"]
        fields["client_until"] = self.date_between(since.toordinal(), self.today - 1)

    def no_partner(self, fields: _Fields) -> None:
        staff: StaffRoles = fields["staff"]
        fields["staff"] = self.staff(None, staff.declarant, staff.owner)

    def expired_eid(self, fields: _Fields) -> None:
        eid: EidCard = fields["eid"]
        until = self.date_between(self.today - 1500, self.today - 1)
        fields["eid"] = _make_eid(card_number=eid.card_number, valid_until=until)

    def portal_without_email(self, fields: _Fields) -> None:
        portal: Portal = fields.get("portal", self._portal[False, False])
        fields["portal"] = self._portal[True, portal.forms_allowed]
        del fields["email"]

    def no_email(self, fields: _Fields) -> None:
        fields.pop("portal", None)
        del fields["email"]

    # --- links ---

    def links(self, drafts: list[_Draft], parties: Sequence[Party]) -> list[Link]:
        """Relations at clients, persons at companies, structures and card relations."""
        rng = self.rng
        random = self.random
        getrandbits = rng.getrandbits
        out: list[Link] = []
        # a relation's id and its role at its clients
        relations: dict[str, list[tuple[str, str | None]]] = {"BE": [], "NL": []}
        companies: dict[str, list[_Draft]] = {"BE": [], "NL": []}
        for d, party in zip(drafts, parties, strict=True):
            kind = party.kind
            if kind is PartyKind.CLIENT_COMPANY:
                companies[d.country].append(d)
            elif kind is PartyKind.RELATION_COMPANY or kind is PartyKind.RELATION_PERSON:
                relations[d.country].append((party.id, d.role))
        for d, party in zip(drafts, parties, strict=True):
            kind = party.kind
            if (
                kind is PartyKind.RELATION_COMPANY
                or kind is PartyKind.RELATION_PERSON
                or party.status is ClientStatus.SUSPECT
            ):
                continue
            pool = relations[d.country] or relations["BE"] or relations["NL"]
            if pool and random() < 0.6:
                for relation_id, role in rng.sample(pool, 1 + int(random() * 2)):
                    out.append(
                        _make_link(
                            id=hex(getrandbits(128) & _UUID_MASK | _UUID_V4)[2:].zfill(
                                32
                            ),  # uuid4()
                            kind=LinkKind.RELATION_AT_CLIENT,
                            from_id=party.id,
                            to_id=relation_id,
                            role=role,
                            mail_to_third_party=random() < 0.2,
                        )
                    )
            if kind is not PartyKind.CLIENT_PERSON:
                continue
            employers = companies[d.country]
            if employers and random() < 0.2:
                company = employers[int(random() * len(employers))]
                given, family = _PLAIN[party.first_name or ""], _PLAIN[party.last_name or ""]
                out.append(
                    _make_link(
                        id=rng.uuid4(),
                        kind=LinkKind.PERSON_AT_COMPANY,
                        from_id=party.id,
                        to_id=company.built.id,
                        role=rng.pick(_ROLES[company.group]),
                        email=f"{given}.{family}@{company.domain}",
                        phone=self.mobile(company.country) if random() < 0.6 else None,
                    )
                )
        for country in ("BE", "NL"):
            out.extend(self.structures(companies[country]))
        return out

    def structures(self, companies: list[_Draft]) -> list[Link]:
        """Holdings over subsidiaries: parent/subsidiary, group, mother and sister cards.

        A parent is always a holding, a subsidiary never is and has one parent: the
        structure is a forest of depth one, so no cycle can form.
        """
        rng = self.rng
        out: list[Link] = []
        free = [d for d in companies if not d.holding]
        free = rng.sample(free, len(free))  # shuffled
        taken = 0  # an index, not a shrinking list: slicing off the rest is quadratic
        for holding in (d for d in companies if d.holding):
            count = rng.between(1, 3)
            subsidiaries = free[taken : taken + count]
            taken += len(subsidiaries)
            parent = holding.built.id
            for sub in subsidiaries:
                child = sub.built.id
                out.append(
                    _make_link(
                        id=rng.uuid4(), kind=LinkKind.PARENT_SUBSIDIARY, from_id=parent, to_id=child
                    )
                )
                if rng.random() < 0.6:
                    out.append(
                        _make_link(
                            id=rng.uuid4(),
                            kind=LinkKind.GROUP_MEMBERSHIP,
                            from_id=child,
                            to_id=parent,
                        )
                    )
                if rng.random() < 0.5:
                    out.append(
                        _make_link(
                            id=rng.uuid4(),
                            kind=LinkKind.CARD_RELATION,
                            from_id=child,
                            to_id=parent,
                            role="mother",
                        )
                    )
            for first, second in itertools.combinations(subsidiaries, 2):
                out.append(
                    _make_link(
                        id=rng.uuid4(),
                        kind=LinkKind.CARD_RELATION,
                        from_id=first.built.id,
                        to_id=second.built.id,
                        role="sister",
                    )
                )
        return out


_MAILBOXES: Final = ("info", "info", "contact", "admin")
_LOCATION_COUNTS: Final = (0,) * 7 + (1,) * 2 + (2,)
_CONTACT_COUNTS: Final = (0,) * 2 + (1,) * 4 + (2,) * 3 + (3,)
_LOCATION_IDS: Final = tuple(f"loc-{i + 1}" for i in range(max(_LOCATION_COUNTS)))
_CONTACT_IDS: Final = tuple(f"con-{i + 1}" for i in range(max(_CONTACT_COUNTS)))
_PERSON_LABELS: Final = {
    (True, False): frozenset({"vip"}),
    (False, True): frozenset({"new"}),
    (True, True): frozenset({"new", "vip"}),
}
_NO_PAYMENT_CONFIRMATION: Final = (TaskPreset("nbb_filing", "payment_confirmation", "not_needed"),)

_Inject = Callable[[_Builder, _Fields], None]


def _defect_pools(drafts: list[_Draft]) -> dict[str, list[int]]:
    """The positions of the parties each kind of defect can apply to, by pool name.

    One pass over the drafts (each read once, not once per rule): ``clients`` are active
    clients, ``vat_clients`` those liable to VAT, ``client_companies`` those that are
    companies, ``former_with_tasks`` former clients with a task, and the rest the
    parties that have that field.
    """
    client, former = ClientStatus.CLIENT, ClientStatus.FORMER_CLIENT
    company = PartyKind.CLIENT_COMPANY
    clients: list[int] = []
    vat_clients: list[int] = []
    client_companies: list[int] = []
    former_with_tasks: list[int] = []
    national_number: list[int] = []
    eid: list[int] = []
    enterprise_number: list[int] = []
    email: list[int] = []
    for i, draft in enumerate(drafts):
        f = draft.fields
        status = f["status"]
        if status is client:
            clients.append(i)
            if f.get("vat_liable") is True:
                vat_clients.append(i)
            if f["kind"] is company:
                client_companies.append(i)
        elif status is former and f.get("tasks"):
            former_with_tasks.append(i)
        if "national_number" in f:
            national_number.append(i)
        if "eid" in f:
            eid.append(i)
        if "enterprise_number" in f:
            enterprise_number.append(i)
        if "email" in f:
            email.append(i)
    return {
        "clients": clients,
        "vat_clients": vat_clients,
        "client_companies": client_companies,
        "former_with_tasks": former_with_tasks,
        "national_number": national_number,
        "eid": eid,
        "enterprise_number": enterprise_number,
        "email": email,
    }


# defect name -> (the pool of parties it can apply to, see _defect_pools; give it to a party)
_DEFECT_RULES: Final[Mapping[str, tuple[str, _Inject]]] = {
    "former_client_with_active_task": ("former_with_tasks", _Builder.active_again),
    "invalid_national_number": ("national_number", _Builder.bad_national_number),
    "expired_eid": ("eid", _Builder.expired_eid),
    "invalid_enterprise_number": ("enterprise_number", _Builder.bad_enterprise_number),
    "vat_liable_without_vat_task": ("vat_clients", lambda b, f: b.without_task(f, "vat")),
    "company_without_closing_task": (
        "client_companies",
        lambda b, f: b.without_task(f, "closing"),
    ),
    "client_until_while_client": ("clients", _Builder.until_while_client),
    "missing_partner": ("clients", _Builder.no_partner),
    "aml_outdated": ("clients", _Builder.outdated_aml),
    "portal_without_email": ("clients", _Builder.portal_without_email),
    "missing_email": ("email", _Builder.no_email),
    "invalid_email": ("email", _Builder.bad_email),
}
