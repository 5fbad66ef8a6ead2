"""Identifier value types: national and BIS numbers, enterprise and VAT numbers, IBAN, e-mail...

Each type works in python-stdnum's manner (``compact``, ``validate``, ``is_valid``, ``format``)
and adds ``explain``; every fault is a clientcore :class:`ValidationError` with one issue.

>>> enterprise_number.validate("BE 0403.170.701")
'0403170701'
>>> enterprise_number.format("0403170701")
'0403.170.701'
>>> phone.validate("020 123 4567", "NL")
'+31201234567'
>>> national_number.is_valid(None)
False
>>> issue = national_number.explain("85073003329")
>>> issue.code, issue.message("nl")
('identifier.invalid_checksum', "'85073003329' heeft een ongeldig controlegetal.")
"""

from __future__ import annotations

import abc
import functools
import importlib
import re
import reprlib
import string
import types
from collections.abc import Mapping
from typing import Any, Final

import email_validator
import email_validator.rfc_constants as _email_rfc
import phonenumbers
from stdnum import iban as _iban
from stdnum.be import bis as _bis
from stdnum.be import iban as _be_iban
from stdnum.be import nn as _nn
from stdnum.be import vat as _be_vat
from stdnum.eu import vat as _eu_vat
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.nl import bsn as _bsn
from stdnum.nl import postcode as _nl_postcode
from stdnum.util import clean as _clean
from stdnum.util import get_cc_module as _get_cc_module

from clientcore._errors import Issue, ValidationError
from clientcore._messages import define

__all__ = [
    "IDENTIFIERS",
    "INVALID_CHECKSUM",
    "INVALID_COMPONENT",
    "INVALID_FORMAT",
    "INVALID_LENGTH",
    "INVALID_TYPE",
    "MAX_LENGTH",
    "TOO_LONG",
    "Bsn",
    "EidCardNumber",
    "Email",
    "EnterpriseNumber",
    "Iban",
    "IdentifierType",
    "KvkNumber",
    "NationalNumber",
    "PaymentReference",
    "Phone",
    "PostalCode",
    "VatNumber",
    "bsn",
    "eid_card_number",
    "email",
    "enterprise_number",
    "iban",
    "identifier_for",
    "kvk_number",
    "national_number",
    "payment_reference",
    "phone",
    "postal_code",
    "vat_number",
]

INVALID_FORMAT: Final = "identifier.invalid_format"
INVALID_LENGTH: Final = "identifier.invalid_length"
INVALID_CHECKSUM: Final = "identifier.invalid_checksum"
INVALID_COMPONENT: Final = "identifier.invalid_component"
INVALID_TYPE: Final = "identifier.invalid_type"
TOO_LONG: Final = "identifier.too_long"

MAX_LENGTH: Final = 256
"""Longer input is refused before any parsing."""

define(
    {
        INVALID_FORMAT: (
            "'{value}' is not in a valid format.",
            "'{value}' heeft geen geldig formaat.",
            "'{value}' n'a pas un format valide.",
        ),
        INVALID_LENGTH: (
            "'{value}' has the wrong length.",
            "'{value}' heeft een ongeldige lengte.",
            "'{value}' n'a pas la bonne longueur.",
        ),
        INVALID_CHECKSUM: (
            "'{value}' has an invalid check digit.",
            "'{value}' heeft een ongeldig controlegetal.",
            "'{value}' a un chiffre de contrôle invalide.",
        ),
        INVALID_COMPONENT: (
            "'{value}' contains an invalid or unknown part, such as an impossible date or an "
            "unknown country code.",
            "'{value}' bevat een ongeldig of onbekend onderdeel, zoals een onmogelijke datum of "
            "een onbekende landcode.",
            "'{value}' contient une partie invalide ou inconnue, comme une date impossible ou un "
            "code pays inconnu.",
        ),
        INVALID_TYPE: (
            "Expected text, but got a value of type {type}.",
            "Tekst verwacht, maar een waarde van het type {type} gekregen.",
            "Texte attendu, mais une valeur de type {type} a été reçue.",
        ),
        TOO_LONG: (
            "The value is too long: {length} characters, at most {max} allowed.",
            "De waarde is te lang: {length} tekens, maximaal {max} toegestaan.",
            "La valeur est trop longue : {length} caractères, {max} au maximum.",
        ),
    }
)

_SHOWN: Final = 40
_repr = reprlib.Repr()
_repr.maxstring = _repr.maxother = _repr.maxlong = _SHOWN
_repr.maxlist = _repr.maxtuple = _repr.maxdict = _repr.maxset = 4


def _shown(value: object) -> str:
    """``value`` as safe, printable text of at most 40 characters."""
    try:
        if isinstance(value, str):
            text = str.__str__(value)[: _SHOWN + 1]
            if not text.isprintable():
                text = repr(text)[1:-1]
        else:
            text = _repr.repr(value)
    except Exception:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _code_of(exc: BaseException) -> str:
    """The issue code of a python-stdnum exception (anything else is a format fault)."""
    if isinstance(exc, InvalidLength):  # a subclass of InvalidFormat: test it first
        return INVALID_LENGTH
    if isinstance(exc, InvalidChecksum):
        return INVALID_CHECKSUM
    if isinstance(exc, InvalidComponent):
        return INVALID_COMPONENT
    return INVALID_FORMAT


def _country(country: object) -> str | None:
    """An upper-case country code, or ``None`` when none (or junk) is given."""
    if isinstance(country, str):
        if len(country) == 2 and country.isalpha() and country.isupper():
            return country  # already so (``BE``): nothing to strip or raise
        return country.strip().upper() or None
    return None


MEMO_SIZE: Final = 4096
"""How many outcomes (value, country, verdict) the validation memo keeps."""


# The memo of outcomes, bounded and short-lived by design. Reading stores identifiers in
# compact form without validating them (a value already compact is stored as it is,
# valid or not; see ``is_compact``); validation happens when something asks (a rule of a
# check, ``validate_party``, ``explain``), and the questions about one value come close
# together: the rule that judges it, the reason shown for a failure, the report. A small
# least-recently-used memo catches those repeats. A memo as large as the registry would
# keep about 1.8 kB per party alive after a check (measured by ``bench/bench_memory.py``)
# to save work nobody repeats: one validation per value and rule is the cost of a check.
@functools.lru_cache(maxsize=MEMO_SIZE)
def _memoised_outcome(ident: IdentifierType, text: str, country: str | None) -> str | Issue:
    # Issues and compact strings are immutable, so one result serves every caller.
    return ident._fresh_outcome(text, country)


class IdentifierType(abc.ABC):
    """One kind of identifier: how to compact, validate, check and format its values.

    Subclasses implement ``_check`` (validate text, return the compact form or raise a
    python-stdnum exception), ``_compact`` and ``_display``; they may override
    ``_is_valid`` with a direct call of the underlying library.
    """

    __slots__ = ()
    name: str
    """The identifier's name, also the ``path`` of the issues it reports."""
    label: tuple[str, str, str]
    """What it is called in English, Dutch and French."""

    # -- the public verbs ------------------------------------------------------------------

    def compact(self, value: object, country: str | None = None) -> str:
        """The normalised storage form of ``value``; does not verify check digits.

        Raises :class:`ValidationError` for input that cannot be normalised at all
        (not text, blank, too long, unparsable).
        """
        text = self._text(value)
        if isinstance(text, Issue):
            raise ValidationError([text])
        try:
            return self._compact(text, _country(country))
        except Exception as exc:
            raise ValidationError([self._issue(_code_of(exc), value)]) from None

    def validate(self, value: object, country: str | None = None) -> str:
        """The compact form of a valid ``value``; else raise :class:`ValidationError`."""
        outcome = self._outcome(value, country)
        if isinstance(outcome, Issue):
            raise ValidationError([outcome])
        return outcome

    def is_valid(self, value: object, country: str | None = None) -> bool:
        """Whether ``value`` is valid; never raises, whatever ``value`` is.

        Text is judged through the memo of outcomes, so the rules of a check and the
        reasons they give (:meth:`explain`) validate a value once."""
        if type(value) is str and len(value) <= MAX_LENGTH:
            return _memoised_outcome(self, value, country).__class__ is str
        if not isinstance(value, str):
            return False
        value = str.__str__(value)
        if len(value) > MAX_LENGTH:
            return False
        try:
            return self._is_valid(value, country)
        except Exception:
            return False

    def is_compact(self, text: str, country: str | None = None) -> bool:
        """Whether ``text`` is already in its compact storage form, checked cheaply
        (the check digits are not verified): such a value is stored as it is whether
        it is valid or not, so reading it needs no validation.

        >>> enterprise_number.is_compact("0403170701")
        True
        >>> enterprise_number.is_compact("BE 0403.170.701")
        False
        """
        if len(text) > MAX_LENGTH or not text or text.isspace():
            return False
        try:
            return self._compact(text, _country(country)) == text
        except Exception:
            return False

    def format(self, value: object, country: str | None = None) -> str:
        """The display form of ``value``; raises :class:`ValidationError` when invalid."""
        outcome = self._outcome(value, country)
        if isinstance(outcome, Issue):
            raise ValidationError([outcome])
        try:
            return self._display(outcome, _country(country))
        except Exception as exc:  # pragma: no cover - a valid compact form always displays
            raise ValidationError([self._issue(_code_of(exc), value)]) from None

    def explain(self, value: object, country: str | None = None) -> Issue | None:
        """``None`` when ``value`` is valid, else the issue :meth:`validate` would raise."""
        outcome = self._outcome(value, country)
        return outcome if isinstance(outcome, Issue) else None

    # -- helpers ---------------------------------------------------------------------------

    def _issue(self, code: str, value: object, **params: object) -> Issue:
        return Issue(code, self.name, {"value": _shown(value), **params})

    def _text(self, value: object) -> str | Issue:
        """``value`` as a plain, non-blank string of bounded length, or the issue why not."""
        if type(value) is not str:
            if not isinstance(value, str):
                shown_type = "None" if value is None else type(value).__name__
                return self._issue(INVALID_TYPE, value, type=shown_type)
            value = str.__str__(value)
        if len(value) > MAX_LENGTH:
            return self._issue(TOO_LONG, value, length=len(value), max=MAX_LENGTH)
        if not value or value.isspace():
            return self._issue(INVALID_FORMAT, value)
        return value

    def _outcome(self, value: object, country: str | None) -> str | Issue:
        """The compact form of a valid ``value``, else its :class:`Issue`; text is
        validated once per value and country (memoised: reading a file and the rules
        that check it afterwards share the result)."""
        if type(value) is str and len(value) <= MAX_LENGTH:
            return _memoised_outcome(self, value, country)
        return self._fresh_outcome(value, country)

    def _fresh_outcome(self, value: object, country: str | None) -> str | Issue:
        text = self._text(value)
        if isinstance(text, Issue):
            return text
        try:
            return self._check(text, _country(country))
        except Exception as exc:
            return self._issue(_code_of(exc), value)

    @abc.abstractmethod
    def _check(self, text: str, country: str | None) -> str:
        """Validate ``text``: return its compact form or raise (stdnum exceptions)."""

    @abc.abstractmethod
    def _compact(self, text: str, country: str | None) -> str:
        """Normalise ``text`` without verifying it."""

    def _display(self, compact: str, country: str | None) -> str:
        """The display form of a valid compact value."""
        return compact

    def _is_valid(self, text: str, country: str | None) -> bool:
        """Whether ``text`` (bounded) is valid; ``country`` comes as given, not normalised."""
        try:
            self._check(text, _country(country))
        except Exception:
            return False
        return True

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self))


# --- Belgium --------------------------------------------------------------------------------


def _bis_month(text: str) -> bool:
    """Whether the month digits of a national-number-like value mark a BIS number."""
    month = _nn.compact(text)[2:4]
    return len(month) == 2 and month.isascii() and month.isdigit() and int(month) >= 20


class NationalNumber(IdentifierType):
    """Belgian national register number (rijksregisternummer) or BIS number.

    >>> national_number.format("85073003328")
    '85.07.30-033.28'
    """

    __slots__ = ()
    name = "national_number"
    label = ("National register number", "Rijksregisternummer", "Numéro de registre national")

    def _check(self, text: str, country: str | None) -> str:
        try:
            return _nn.validate(text)
        except InvalidFormat:  # and InvalidLength: a BIS number has the same format and length
            raise
        except (InvalidChecksum, InvalidComponent) as nn_error:
            try:
                return _bis.validate(text)
            except (InvalidFormat, InvalidChecksum, InvalidComponent) as bis_error:
                raise (bis_error if _bis_month(text) else nn_error) from None

    def _is_valid(self, text: str, country: str | None) -> bool:
        return _nn.is_valid(text) or _bis.is_valid(text)

    def is_compact(self, text: str, country: str | None = None) -> bool:
        """Digits only are compact."""
        if text.isdigit() and text.isascii():
            return True
        return super().is_compact(text, country)

    def _compact(self, text: str, country: str | None) -> str:
        return _nn.compact(text)

    def _display(self, compact: str, country: str | None) -> str:
        return _nn.format(compact)


class EnterpriseNumber(IdentifierType):
    """Belgian enterprise number (KBO/BCE), with or without ``BE``; 9-digit old numbers too.

    >>> enterprise_number.compact("BE 403.170.701")
    '0403170701'
    """

    __slots__ = ()
    name = "enterprise_number"
    label = ("Enterprise number", "Ondernemingsnummer", "Numéro d'entreprise")

    def _check(self, text: str, country: str | None) -> str:
        return _be_vat.validate(text)

    def _is_valid(self, text: str, country: str | None) -> bool:
        return _be_vat.is_valid(text)

    def is_compact(self, text: str, country: str | None = None) -> bool:
        """Ten digits are compact."""
        if len(text) == 10 and text.isdigit() and text.isascii():
            return True
        return super().is_compact(text, country)

    def _compact(self, text: str, country: str | None) -> str:
        return _be_vat.compact(text)

    def _display(self, compact: str, country: str | None) -> str:
        return f"{compact[:4]}.{compact[4:7]}.{compact[7:]}"


def _optional(module: str) -> Any:
    """A python-stdnum module that older releases lack, or ``None``."""
    try:
        return importlib.import_module(module)
    except ImportError:  # pragma: no cover - python-stdnum < 2.0
        return None


def _mod97_module(deletechars: str) -> Any:
    """A stand-in for stdnum.be.eid / stdnum.be.ogm_vcs: 10 digits and a mod 97 check."""

    def compact(number: str) -> str:
        return _clean(number, deletechars).upper().strip()

    def validate(number: str) -> str:
        number = compact(number)
        if not (number.isascii() and number.isdigit()) or int(number) <= 0:
            raise InvalidFormat()
        if len(number) != 12:
            raise InvalidLength()
        if f"{int(number[:10]) % 97 or 97:02d}" != number[-2:]:
            raise InvalidChecksum()
        return number

    def is_valid(number: str) -> bool:
        try:
            return bool(validate(number))
        except (InvalidFormat, InvalidChecksum):
            return False

    return types.SimpleNamespace(compact=compact, validate=validate, is_valid=is_valid)


_eid: Any = _optional("stdnum.be.eid") or _mod97_module(" -./")
_ogm: Any = _optional("stdnum.be.ogm_vcs") or _mod97_module(" +/")


class EidCardNumber(IdentifierType):
    """Belgian eID card number: 12 digits, the last two a mod 97 check.

    >>> eid_card_number.format("591191706458")
    '591-1917064-58'
    """

    __slots__ = ()
    name = "eid_card_number"
    label = ("eID card number", "Kaartnummer eID", "Numéro de carte eID")

    def _check(self, text: str, country: str | None) -> str:
        return str(_eid.validate(text))

    def _is_valid(self, text: str, country: str | None) -> bool:
        return bool(_eid.is_valid(text))

    def is_compact(self, text: str, country: str | None = None) -> bool:
        """Digits only are compact."""
        if text.isdigit() and text.isascii():
            return True
        return super().is_compact(text, country)

    def _compact(self, text: str, country: str | None) -> str:
        return str(_eid.compact(text))

    def _display(self, compact: str, country: str | None) -> str:
        return f"{compact[:3]}-{compact[3:10]}-{compact[10:]}"


class PaymentReference(IdentifierType):
    """Belgian structured payment reference (OGM/VCS), ``+++`` or ``***`` delimited or bare.

    >>> payment_reference.format("010806817183")
    '+++010/8068/17183+++'
    """

    __slots__ = ()
    name = "payment_reference"
    label = (
        "Structured payment reference",
        "Gestructureerde mededeling",
        "Communication structurée",
    )

    def _check(self, text: str, country: str | None) -> str:
        return str(_ogm.validate(text.replace("*", "")))

    def _is_valid(self, text: str, country: str | None) -> bool:
        return bool(_ogm.is_valid(text.replace("*", "")))

    def _compact(self, text: str, country: str | None) -> str:
        return str(_ogm.compact(text.replace("*", "")))

    def _display(self, compact: str, country: str | None) -> str:
        return f"+++{compact[:3]}/{compact[3:7]}/{compact[7:]}+++"


# --- Europe ---------------------------------------------------------------------------------

_VAT_PREFIXES: Final = frozenset({cc.upper() for cc in _eu_vat.MEMBER_STATES} | {"EL", "EU", "IM"})
_VAT_PREFIX_OF: Final = {
    **{cc.upper(): cc.upper() for cc in _eu_vat.MEMBER_STATES},
    "GR": "EL",
    "EL": "EL",
}


def _with_vat_prefix(text: str, country: str | None) -> str:
    """``text`` with the VAT prefix of ``country`` put in front when it has none."""
    if country is None or text.lstrip()[:2].upper() in _VAT_PREFIXES:
        return text
    prefix = _VAT_PREFIX_OF.get(country)
    return prefix + text if prefix else text


class VatNumber(IdentifierType):
    """EU VAT number of any member state, checked offline (never VIES).

    The compact form keeps the country prefix; without one, ``country`` supplies it.

    >>> vat_number.validate("0403.170.701", "BE")
    'BE0403170701'
    """

    __slots__ = ()
    name = "vat_number"
    label = ("VAT number", "Btw-nummer", "Numéro de TVA")

    def is_compact(self, text: str, country: str | None = None) -> bool:
        """A Belgian (``BE`` and ten digits) or Dutch (``NL``, nine digits, ``B``, two
        digits) number is told compact without python-stdnum; others ask it."""
        if text.isascii() and (
            (len(text) == 12 and text[:2] == "BE" and text[2:].isdigit())
            or (
                len(text) == 14
                and text[:2] == "NL"
                and text[2:11].isdigit()
                and text[11] == "B"
                and text[12:].isdigit()
            )
        ):
            return True
        return super().is_compact(text, country)

    def _fresh_outcome(self, value: object, country: str | None) -> str | Issue:
        """A Belgian number in compact form (``BE`` and ten digits) is the enterprise
        number it holds with ``BE`` in front, and python-stdnum checks it by that number's
        rule: its outcome is the enterprise number's, memoised once for both fields of a
        company that fills them (the issue names the VAT number)."""
        if (
            type(value) is str
            and len(value) == 12
            and value[:2] == "BE"
            and value[2:].isdigit()
            and value.isascii()
        ):
            held = enterprise_number._outcome(value[2:], country)
            if isinstance(held, Issue):
                return self._issue(held.code, value)
            return "BE" + held
        return super()._fresh_outcome(value, country)

    def _check(self, text: str, country: str | None) -> str:
        return _eu_vat.validate(_with_vat_prefix(text, country))

    def _is_valid(self, text: str, country: str | None) -> bool:
        if country is not None:
            text = _with_vat_prefix(text, _country(country))
        return _eu_vat.is_valid(text)

    def _compact(self, text: str, country: str | None) -> str:
        return _eu_vat.compact(_with_vat_prefix(text, country))


@functools.lru_cache(maxsize=1000)
def _belgian_bank_known(code: str) -> bool:
    """Whether python-stdnum's registry of Belgian banks knows the bank ``code`` (the
    three digits after the check digits of a Belgian IBAN)."""
    return bool(_be_iban.info("BE00" + code))


# An IBAN's letters and digits, each as the class python-stdnum's structures name
# (``n`` digits, ``a`` letters): two numbers of one country with the same shape have the
# same structure verdict.
_IBAN_SHAPE: Final = str.maketrans(string.digits + string.ascii_uppercase, "0" * 10 + "A" * 26)


# ISO 7064 mod 97-10 as python-stdnum computes it (stdnum.iso7064.mod_97_10.checksum:
# each character's value in base 36, written in decimal), for digits and upper-case
# ASCII letters: the letters' values put in by one translation.
_BASE_10: Final = str.maketrans({c: str(10 + i) for i, c in enumerate(string.ascii_uppercase)})


@functools.lru_cache(maxsize=MEMO_SIZE)
def _iban_structure(country: str, shape: str) -> type[Exception] | None:
    """What python-stdnum's generic IBAN check says, once its checksum has passed, of a
    number of ``country`` whose account part (BBAN) has ``shape``: ``None`` (known
    country, right structure) or the exception it raises. Asked once per country and
    shape of a number made up to that shape, with its own check digits."""
    digits = _iban.calc_check_digits(country + "00" + shape)
    try:
        _iban.validate(country + digits + shape, check_country=False)
    except (InvalidComponent, InvalidFormat) as exc:
        return type(exc)
    return None


@functools.cache  # one entry per country code met, about 90 exist
def _iban_country_module(country: str) -> Any:
    """python-stdnum's own IBAN module of ``country`` (Spain, Norway, ...), or ``None``."""
    return _get_cc_module(country, "iban")


class Iban(IdentifierType):
    """International bank account number, with the country-specific checks of python-stdnum.

    >>> iban.format("be71096123456769")
    'BE71 0961 2345 6769'
    """

    __slots__ = ()
    name = "iban"
    label = ("IBAN", "IBAN", "IBAN")

    def _check(self, text: str, country: str | None) -> str:
        # what _iban.compact makes of ASCII letters and digits is their upper case
        number = text.upper() if text.isascii() and text.isalnum() else _iban.compact(text)
        if not (len(number) > 4 and number.isascii() and number.isalnum()):
            return _iban.validate(number)
        # python-stdnum's checks (stdnum.iban.validate, and stdnum.be.iban.validate for
        # Belgium) in their order, with what depends on the country alone asked once:
        # the checksum, the country's structure (per country and shape), then the
        # country's own module, whose Belgian checks are done here with the bank
        # registry read once per bank code (the registry scan is most of the cost of a
        # Belgian IBAN, and an import repeats a few banks).
        if int((number[4:] + number[:4]).translate(_BASE_10)) % 97 != 1:
            raise InvalidChecksum()  # as mod_97_10.validate, for letters and digits
        problem = _iban_structure(number[:2], number[4:].translate(_IBAN_SHAPE))
        if problem is not None:
            raise problem()
        if number[:2] != "BE":
            module = _iban_country_module(number[:2])
            if module is not None:
                module.validate(number)
            return number
        if number[-2:] != f"{int(number[4:-2]) % 97 or 97:02d}":
            raise InvalidChecksum()
        if not _belgian_bank_known(number[4:7]):
            raise InvalidComponent()
        return number

    def is_compact(self, text: str, country: str | None = None) -> bool:
        """Upper-case letters and digits are compact."""
        if text.isalnum() and text.isascii() and text.isupper():
            return True
        return super().is_compact(text, country)

    def _compact(self, text: str, country: str | None) -> str:
        return _iban.compact(text)

    def _display(self, compact: str, country: str | None) -> str:
        return _iban.format(compact)


# --- The Netherlands ------------------------------------------------------------------------


class Bsn(IdentifierType):
    """Dutch citizen service number (burgerservicenummer), 9 digits with an 11-test.

    >>> bsn.format("111222333")
    '1112.22.333'
    """

    __slots__ = ()
    name = "bsn"
    label = ("Citizen service number (BSN)", "Burgerservicenummer (BSN)", "Numéro BSN")

    def _check(self, text: str, country: str | None) -> str:
        return _bsn.validate(text)

    def _is_valid(self, text: str, country: str | None) -> bool:
        return _bsn.is_valid(text)

    def is_compact(self, text: str, country: str | None = None) -> bool:
        """Nine digits are compact."""
        if len(text) == 9 and text.isdigit() and text.isascii():
            return True
        return super().is_compact(text, country)

    def _compact(self, text: str, country: str | None) -> str:
        return _bsn.compact(text)

    def _display(self, compact: str, country: str | None) -> str:
        return _bsn.format(compact)


_KVK_SEPARATORS: Final = str.maketrans("", "", " .-\u00a0\u2010\u2011\u2012\u2013")


class KvkNumber(IdentifierType):
    """Dutch Chamber of Commerce (KvK) number: 8 digits, leading zeros kept, no checksum.

    >>> kvk_number.validate("1234 5678")
    '12345678'
    """

    __slots__ = ()
    name = "kvk_number"
    label = ("Chamber of Commerce number (KvK)", "KvK-nummer", "Numéro KvK (Chambre de commerce)")

    def is_compact(self, text: str, country: str | None = None) -> bool:
        """Digits only are compact."""
        if text.isdigit() and text.isascii():
            return True
        return super().is_compact(text, country)

    def _compact(self, text: str, country: str | None) -> str:
        return text.translate(_KVK_SEPARATORS).strip()

    def _check(self, text: str, country: str | None) -> str:
        number = text.translate(_KVK_SEPARATORS).strip()
        if not (number.isascii() and number.isdigit()):
            raise InvalidFormat()
        if len(number) != 8:
            raise InvalidLength()
        if number == "00000000":
            raise InvalidFormat()
        return number

    def is_valid(self, value: object, country: str | None = None) -> bool:
        """Whether ``value`` is valid; never raises, whatever ``value`` is."""
        if type(value) is not str or len(value) > MAX_LENGTH:  # no library call to wrap:
            return super().is_valid(value, country)  # the check is inlined for speed
        number = value.translate(_KVK_SEPARATORS).strip()
        return len(number) == 8 and number.isascii() and number.isdigit() and number != "00000000"


_BE_POSTAL_PREFIX: Final = re.compile(r"^BE?[-\s]*(?=\d)")
_BE_POSTAL: Final = re.compile(r"(?:BE?[-\s]*(?=\d))?[1-9][0-9]{3}")  # after strip().upper()


def _be_postal(text: str) -> str:
    """Check a Belgian postal code (1000-9999, an optional ``B-`` or ``BE-`` in front)."""
    number = _BE_POSTAL_PREFIX.sub("", text.strip().upper())
    if not (number.isascii() and number.isdigit()):
        raise InvalidFormat()
    if len(number) != 4:
        raise InvalidLength()
    if number[0] == "0":
        raise InvalidComponent()
    return number


def _nl_postal(text: str) -> str:
    return _nl_postcode.validate(text).replace(" ", "")


class PostalCode(IdentifierType):
    """A postal code: Belgian (4 digits), Dutch (``1234 AB``) or any other country's.

    ``country`` selects the rules; without it a Belgian or a Dutch code is accepted.
    Other countries' codes only need to be non-blank and at most 12 characters.

    >>> postal_code.format("1234ab", "NL")
    '1234 AB'
    """

    __slots__ = ()
    name = "postal_code"
    label = ("Postal code", "Postcode", "Code postal")

    def is_compact(self, text: str, country: str | None = None) -> bool:
        """A Belgian (``9000``) or Dutch (``1234AB``) code is told compact at a glance."""
        code = _country(country)
        if text.isascii() and (
            (code in (None, "BE") and len(text) == 4 and text.isdigit() and text[0] != "0")
            or (
                code in (None, "NL")
                and len(text) == 6
                and text[:4].isdigit()
                and text[4:].isalpha()
                and text[4:].isupper()
            )
        ):
            return True
        return super().is_compact(text, country)

    def _check(self, text: str, country: str | None) -> str:
        if country == "BE":
            return _be_postal(text)
        if country == "NL":
            return _nl_postal(text)
        if country is None:
            try:
                return _be_postal(text)
            except InvalidLength:  # digits only, but not four of them
                raise
            except InvalidFormat:  # not digits only: the Dutch form then
                return _nl_postal(text)
        code = text.strip().upper()
        if not code:
            raise InvalidFormat()
        if len(code) > 12:
            raise InvalidLength()
        return code

    def _is_valid(self, text: str, country: str | None) -> bool:
        code = _country(country) if country is not None else None
        if code is None or code == "BE":
            if _BE_POSTAL.fullmatch(text.strip().upper()) is not None:
                return True
            if code == "BE":
                return False
        if code is None or code == "NL":
            return _nl_postcode.is_valid(text)
        return 0 < len(text.strip().upper()) <= 12

    def _compact(self, text: str, country: str | None) -> str:
        if country == "NL":
            return _nl_postcode.compact(text)
        if country is None:
            try:
                return self._check(text, None)
            except Exception:
                return text.strip().upper()
        if country == "BE":
            return _BE_POSTAL_PREFIX.sub("", text.strip().upper())
        return text.strip().upper()

    def _display(self, compact: str, country: str | None) -> str:
        if country in ("NL", None) and len(compact) == 6 and compact[4:].isalpha():
            return f"{compact[:4]} {compact[4:]}"
        return compact


# --- Contact details ------------------------------------------------------------------------

_EmailNotValid = email_validator.EmailNotValidError
_validate_email = email_validator.validate_email
# email-validator's own rules, read from it: a dot-atom local part (plain ASCII, no
# quotes) is valid as it is, and one of these names is case-folded.
_DOT_ATOM: Final = _email_rfc.DOT_ATOM_TEXT
_CASE_FOLDED_NAMES: Final = frozenset(_email_rfc.CASE_INSENSITIVE_MAILBOX_NAMES)
_EMAIL_MAX_BYTES: Final = _email_rfc.EMAIL_MAX_LENGTH
_ASCII_DOMAIN: Final = re.compile(r"[A-Za-z0-9.-]+\Z")


def _email_refusal(exc: Exception) -> type[InvalidFormat]:
    """The python-stdnum exception an email-validator refusal is reported as."""
    return InvalidLength if "too long" in str(exc) else InvalidFormat


@functools.lru_cache(maxsize=MEMO_SIZE)
def _email_domain(domain: str) -> tuple[str, int] | type[InvalidFormat]:
    """What email-validator makes of the part after the ``@`` of an address: its
    normalised form and the most UTF-8 bytes any form of it takes, or the exception its
    refusal is reported as. email-validator judges the domain on its own, whatever the
    local part, so it is asked once per domain (an import repeats a firm's domain on
    every contact)."""
    try:
        found = _validate_email("a@" + domain, check_deliverability=False)
    except _EmailNotValid as exc:
        return _email_refusal(exc)
    forms = (domain, found.domain, found.ascii_domain or found.domain)
    return found.domain, max(len(form.encode("utf-8")) for form in forms)


class Email(IdentifierType):
    """An e-mail address, checked by email-validator without any network access.

    The compact form is email-validator's normalised address (the domain in lower case).

    >>> email.validate(" Jan.Peeters@Example.BE ")
    'Jan.Peeters@example.be'
    """

    __slots__ = ()
    name = "email"
    label = ("E-mail address", "E-mailadres", "Adresse e-mail")

    def _check(self, text: str, country: str | None) -> str:
        address = text.strip()
        # The common address (a dot-atom local part, an ASCII domain) is what
        # email-validator makes of it without asking it again for a domain it has seen:
        # the local part as it is (in lower case when it is one of the mailbox names
        # email-validator case-folds, such as ``Info``), the domain as email-validator
        # normalised it, within the length limit. Anything else is asked in full.
        # A refused domain is the address's refusal: email-validator passes a dot-atom
        # local part of any length (outside its strict mode) before it judges the domain.
        local, at, domain = address.rpartition("@")
        if at and _DOT_ATOM.match(local) and _ASCII_DOMAIN.match(domain):
            judged = _email_domain(domain)
            if not isinstance(judged, tuple):
                raise judged()
            if len(local) + 1 + judged[1] <= _EMAIL_MAX_BYTES:
                folded = local.lower()
                return (folded if folded in _CASE_FOLDED_NAMES else local) + "@" + judged[0]
        return self._check_in_full(address)

    @staticmethod
    def _check_in_full(address: str) -> str:
        """email-validator asked about the whole (stripped) address."""
        try:
            return _validate_email(address, check_deliverability=False).normalized
        except _EmailNotValid as exc:
            raise _email_refusal(exc)() from None

    def _is_valid(self, text: str, country: str | None) -> bool:
        try:
            self._check(text, country)
        except (InvalidFormat, InvalidLength):
            return False
        return True

    def _compact(self, text: str, country: str | None) -> str:
        if text.isascii():  # what email-validator normalises in ASCII: the domain's case
            local, at, domain = text.strip().rpartition("@")
            return f"{local}@{domain.lower()}" if at else text.strip()
        try:
            return self._check(text, country)
        except (InvalidFormat, InvalidLength):
            local, at, domain = text.strip().rpartition("@")
            return f"{local}@{domain.lower()}" if at else text.strip()


_REGIONS: Final = frozenset(phonenumbers.SUPPORTED_REGIONS)
_E164: Final = phonenumbers.PhoneNumberFormat.E164
_INTERNATIONAL: Final = phonenumbers.PhoneNumberFormat.INTERNATIONAL
_POSSIBLE: Final = phonenumbers.ValidationResult.IS_POSSIBLE
_parse_phone = phonenumbers.parse
_possible_reason = phonenumbers.is_possible_number_with_reason
_COUNTRY_CODES: Final = phonenumbers.COUNTRY_CODE_TO_REGION_CODE


@functools.cache  # one entry per country calling code, about 250
def _no_prefix_but_zero(country_code: int) -> bool:
    """Whether phonenumbers, parsing ``+`` and ``country_code``, can strip no national
    prefix but ``0`` from the digits that follow (true of BE, NL, FR, DE and most
    countries; not of those whose metadata has another prefix, such as 1 for the US)."""
    region = phonenumbers.region_code_for_country_code(country_code)
    found = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)
    return found is not None and found.national_prefix_for_parsing in (None, "", "0")


def _e164_parts(text: str) -> tuple[int, str] | None:
    """The country calling code and national number ``phonenumbers.parse`` reads in
    ``text`` in E.164 form (``+`` and ASCII digits), found without parsing when the
    outcome is plain: the calling code is the first 1 to 3 digits phonenumbers knows
    (calling codes are prefix-free, so at most one fits), and the rest, 2 to 17 digits
    not starting with 0, is the national number as it is, since no national prefix can
    be stripped from it. ``None`` for anything else, which is parsed in full
    (``tests/unit/test_identifier_fast_paths.py`` checks both ways agree)."""
    digits = text[1:]
    if digits[0] == "0":
        return None
    for size in (1, 2, 3):
        code = int(digits[:size])
        if code in _COUNTRY_CODES:
            national = digits[size:]
            if 2 <= len(national) <= 17 and national[0] != "0" and _no_prefix_but_zero(code):
                return code, national
            return None
    return None


@functools.lru_cache(maxsize=MEMO_SIZE)
def _possible_length(country_code: int, length: int) -> Any:
    """phonenumbers' verdict on a number of ``country_code`` whose national number (no
    leading zero) has ``length`` digits: it looks at these two only (the possible
    lengths of the country's main region), so it is asked once for each pair."""
    number = phonenumbers.PhoneNumber(country_code=country_code, national_number=int("1" * length))
    return _possible_reason(number)


def _refuse_impossible(reason: Any) -> None:
    """Raise what a number phonenumbers finds impossible (``reason``) is refused with."""
    if reason != _POSSIBLE:
        bad_country = reason == phonenumbers.ValidationResult.INVALID_COUNTRY_CODE
        raise InvalidComponent() if bad_country else InvalidLength()


def _phone_region(country: object) -> str:
    """The region numbers without ``+`` are read in: ``country`` when known, else ``BE``."""
    if country is None:
        return "BE"
    code = _country(country)
    return code if code is not None and code in _REGIONS else "BE"


class Phone(IdentifierType):
    """A phone number, stored in E.164 (``+3221234567``) and shown in international format.

    Numbers without ``+`` are read in ``country`` (ISO code, ``BE`` by default). The check
    is lenient: a number of a possible length for its country is accepted even when
    phonenumbers' metadata does not know its range (wrongly refusing a real number costs more
    than accepting a mistyped one).

    >>> phone.format("02 123 45 67")
    '+32 2 123 45 67'
    """

    __slots__ = ()
    name = "phone"
    label = ("Phone number", "Telefoonnummer", "Numéro de téléphone")

    def _parse(self, text: str, country: str | None) -> phonenumbers.PhoneNumber:
        try:
            return _parse_phone(text, _phone_region(country))
        except phonenumbers.NumberParseException as exc:
            if exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
                raise InvalidComponent() from None
            if exc.error_type == phonenumbers.NumberParseException.NOT_A_NUMBER:
                raise InvalidFormat() from None
            raise InvalidLength() from None

    def _check(self, text: str, country: str | None) -> str:
        parts = _e164_parts(text) if self.is_compact(text) else None
        if parts is not None:  # E.164 as phonenumbers writes it: the text is the outcome
            _refuse_impossible(_possible_length(parts[0], len(parts[1])))
            return text
        number = self._parse(text, country)
        _refuse_impossible(_possible_reason(number))
        if not number.national_number:
            raise InvalidFormat()
        return phonenumbers.format_number(number, _E164)

    def _compact(self, text: str, country: str | None) -> str:
        if self.is_compact(text) and _e164_parts(text) is not None:
            return text  # E.164 as phonenumbers writes it
        return phonenumbers.format_number(self._parse(text, country), _E164)

    def is_compact(self, text: str, country: str | None = None) -> bool:
        """E.164 (``+`` and digits) is the compact form; no parsing needed to tell."""
        return 2 < len(text) <= 16 and text[0] == "+" and text[1:].isdigit() and text.isascii()

    def _display(self, compact: str, country: str | None) -> str:
        return phonenumbers.format_number(_parse_phone(compact, None), _INTERNATIONAL)


# --- The singletons and the field catalogue -------------------------------------------------

national_number: Final = NationalNumber()
enterprise_number: Final = EnterpriseNumber()
vat_number: Final = VatNumber()
bsn: Final = Bsn()
kvk_number: Final = KvkNumber()
iban: Final = Iban()
eid_card_number: Final = EidCardNumber()
payment_reference: Final = PaymentReference()
email: Final = Email()
phone: Final = Phone()
postal_code: Final = PostalCode()

IDENTIFIERS: Final[Mapping[str, IdentifierType]] = types.MappingProxyType(
    {
        "national_number": national_number,
        "enterprise_number": enterprise_number,
        "vat_number": vat_number,
        "bsn": bsn,
        "kvk_number": kvk_number,
        "iban": iban,
        "email": email,
        "phone": phone,
        "address.postal_code": postal_code,
        "correspondence_address.postal_code": postal_code,
        "eid.card_number": eid_card_number,
        "contacts.email": email,
        "contacts.phone": phone,
    }
)
"""The identifier type of each field path that holds an identifier."""

_INDEX: Final = re.compile(r"\[\d+\]")


def identifier_for(path: str) -> IdentifierType | None:
    """The identifier type of the field at ``path`` (``contacts[2].email`` works too).

    >>> identifier_for("contacts[0].phone") is phone
    True
    >>> identifier_for("name") is None
    True
    """
    found = IDENTIFIERS.get(path)
    if found is None and isinstance(path, str) and "[" in path:
        found = IDENTIFIERS.get(_INDEX.sub("", path))
    return found
