# The project's style for tests is ``assert expected == actual``.
from __future__ import annotations

import string
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.be import eid
from stdnum.exceptions import InvalidLength

from clientcore._errors import Issue, ValidationError
from clientcore._messages import templates
from clientcore.model._identifiers import (
    IDENTIFIERS,
    INVALID_CHECKSUM,
    INVALID_COMPONENT,
    INVALID_FORMAT,
    INVALID_LENGTH,
    INVALID_TYPE,
    MAX_LENGTH,
    TOO_LONG,
    Bsn,
    EidCardNumber,
    Email,
    EnterpriseNumber,
    Iban,
    IdentifierType,
    KvkNumber,
    NationalNumber,
    PaymentReference,
    Phone,
    PostalCode,
    VatNumber,
    _mod97_module,
    bsn,
    eid_card_number,
    email,
    enterprise_number,
    iban,
    identifier_for,
    kvk_number,
    national_number,
    payment_reference,
    phone,
    postal_code,
    vat_number,
)

ALL_TYPES: list[IdentifierType] = [
    national_number,
    enterprise_number,
    vat_number,
    bsn,
    kvk_number,
    iban,
    eid_card_number,
    payment_reference,
    email,
    phone,
    postal_code,
]
CODES = [
    INVALID_FORMAT,
    INVALID_LENGTH,
    INVALID_CHECKSUM,
    INVALID_COMPONENT,
    INVALID_TYPE,
    TOO_LONG,
]
VERBS = ["compact", "validate", "format", "explain"]


def by_name(ident: IdentifierType) -> str:
    return ident.name


def code_of(ident: IdentifierType, value: object, country: str | None = None) -> str:
    with pytest.raises(ValidationError) as err:
        ident.validate(value, country)
    assert 1 == len(err.value.issues)
    return err.value.issues[0].code


def outcome(call: Callable[..., Any], *args: Any) -> Any:
    """What ``call(*args)`` returns, or the ValidationError it raises."""
    try:
        return call(*args)
    except ValidationError as err:
        return err


# --- valid values, in several input formats -------------------------------------------------

VALID = [
    (enterprise_number, "0403.170.701", None, "0403170701", "0403.170.701"),
    (enterprise_number, "BE 0403 170 701", None, "0403170701", "0403.170.701"),
    (enterprise_number, "BE0403170701", None, "0403170701", "0403.170.701"),
    (enterprise_number, "be0403170701", None, "0403170701", "0403.170.701"),
    (enterprise_number, "403170701", None, "0403170701", "0403.170.701"),
    (national_number, "85.07.30-033.28", None, "85073003328", "85.07.30-033.28"),
    (national_number, "85073003328", None, "85073003328", "85.07.30-033.28"),
    (national_number, " 85 07 30 033 28 ", None, "85073003328", "85.07.30-033.28"),
    (national_number, "98.47.28-997.65", None, "98472899765", "98.47.28-997.65"),  # BIS
    (national_number, "01 49 07 001 85", None, "01490700185", "01.49.07-001.85"),  # BIS
    (vat_number, "BE0403170701", None, "BE0403170701", "BE0403170701"),
    (vat_number, "BE 0403.170.701", None, "BE0403170701", "BE0403170701"),
    (vat_number, "0403.170.701", "BE", "BE0403170701", "BE0403170701"),
    (vat_number, "NL004495445B01", None, "NL004495445B01", "NL004495445B01"),
    (vat_number, "004495445B01", "NL", "NL004495445B01", "NL004495445B01"),
    (vat_number, "NL004495445B01", "BE", "NL004495445B01", "NL004495445B01"),
    (bsn, "111222333", None, "111222333", "1112.22.333"),
    (bsn, "1112.22.333", None, "111222333", "1112.22.333"),
    (kvk_number, "12345678", None, "12345678", "12345678"),
    (kvk_number, "1234 5678", None, "12345678", "12345678"),
    (kvk_number, "01234567", None, "01234567", "01234567"),
    (kvk_number, "12.34.56.78", None, "12345678", "12345678"),
    (iban, "BE71 0961 2345 6769", None, "BE71096123456769", "BE71 0961 2345 6769"),
    (iban, "NL91ABNA0417164300", None, "NL91ABNA0417164300", "NL91 ABNA 0417 1643 00"),
    (iban, "nl91 abna 0417 1643 00", None, "NL91ABNA0417164300", "NL91 ABNA 0417 1643 00"),
    (eid_card_number, "591-1917064-58", None, "591191706458", "591-1917064-58"),
    (eid_card_number, "000001103271", None, "000001103271", "000-0011032-71"),
    (payment_reference, "+++010/8068/17183+++", None, "010806817183", "+++010/8068/17183+++"),
    (payment_reference, "***010/8068/17183***", None, "010806817183", "+++010/8068/17183+++"),
    (payment_reference, "010806817183", None, "010806817183", "+++010/8068/17183+++"),
    (email, "jan.peeters@example.be", None, "jan.peeters@example.be", "jan.peeters@example.be"),
    (email, " Jan.Peeters@Example.BE ", None, "Jan.Peeters@example.be", "Jan.Peeters@example.be"),
    (phone, "+32 2 123 45 67", None, "+3221234567", "+32 2 123 45 67"),
    (phone, "02 123 45 67", None, "+3221234567", "+32 2 123 45 67"),
    (phone, "02 123 45 67", "BE", "+3221234567", "+32 2 123 45 67"),
    (phone, "0470 12 34 56", None, "+32470123456", "+32 470 12 34 56"),
    (phone, "020 123 4567", "NL", "+31201234567", "+31 20 123 4567"),
    (phone, "020 123 4567", "nl", "+31201234567", "+31 20 123 4567"),
    (phone, "+31 20 123 4567", "BE", "+31201234567", "+31 20 123 4567"),
    (postal_code, "1000", None, "1000", "1000"),
    (postal_code, "1000", "BE", "1000", "1000"),
    (postal_code, "B-9000", "BE", "9000", "9000"),
    (postal_code, "1234 ab", None, "1234AB", "1234 AB"),
    (postal_code, "1234 ab", "NL", "1234AB", "1234 AB"),
    (postal_code, "75008", "FR", "75008", "75008"),
    (postal_code, " sw1a 1aa ", "GB", "SW1A 1AA", "SW1A 1AA"),
]


@pytest.mark.parametrize(("ident", "value", "country", "compact", "shown"), VALID)
def test_a_valid_value_validates_to_its_compact_form(
    ident: IdentifierType, value: str, country: str | None, compact: str, shown: str
) -> None:
    assert compact == ident.validate(value, country)
    assert compact == ident.compact(value, country)
    assert ident.is_valid(value, country)
    assert ident.explain(value, country) is None


@pytest.mark.parametrize(("ident", "value", "country", "compact", "shown"), VALID)
def test_a_valid_value_formats_to_its_display_form(
    ident: IdentifierType, value: str, country: str | None, compact: str, shown: str
) -> None:
    assert shown == ident.format(value, country)
    assert compact == ident.compact(ident.format(value, country), country)


# --- invalid values and their issue codes ---------------------------------------------------

INVALID = [
    (national_number, "85073003329", None, INVALID_CHECKSUM),
    (national_number, "8507300332", None, INVALID_LENGTH),
    (national_number, "85.07.30-033.2X", None, INVALID_FORMAT),
    (national_number, "85.13.01-001.02", None, INVALID_COMPONENT),  # month 13, good checksum
    (national_number, "98.47.28-997.66", None, INVALID_CHECKSUM),  # a BIS number
    (enterprise_number, "0403170702", None, INVALID_CHECKSUM),
    (enterprise_number, "04031707011", None, INVALID_LENGTH),
    (enterprise_number, "2403170701", None, INVALID_COMPONENT),
    (enterprise_number, "BE04O3170701", None, INVALID_FORMAT),
    (vat_number, "0403170701", None, INVALID_COMPONENT),  # no country: unknown prefix
    (vat_number, "XX0403170701", None, INVALID_COMPONENT),
    (vat_number, "BE0403170702", None, INVALID_CHECKSUM),
    (vat_number, "004495445B01", "BE", INVALID_FORMAT),
    (bsn, "111222334", None, INVALID_CHECKSUM),
    (bsn, "1112223330", None, INVALID_LENGTH),
    (bsn, "11122233A", None, INVALID_FORMAT),
    (kvk_number, "1234567", None, INVALID_LENGTH),
    (kvk_number, "123456789", None, INVALID_LENGTH),
    (kvk_number, "1234567A", None, INVALID_FORMAT),
    (kvk_number, "00000000", None, INVALID_FORMAT),
    (iban, "BE00 1234", None, INVALID_CHECKSUM),
    (iban, "BE71 0961 2345 6768", None, INVALID_CHECKSUM),
    (iban, "XX57 WEST 1234 5698 7654 32", None, INVALID_COMPONENT),
    (eid_card_number, "591-1917064-59", None, INVALID_CHECKSUM),
    (eid_card_number, "591-1917064", None, INVALID_LENGTH),
    (payment_reference, "+++010/8068/17180+++", None, INVALID_CHECKSUM),
    (payment_reference, "+++010/8068/1718+++", None, INVALID_LENGTH),
    (email, "jan@", None, INVALID_FORMAT),
    (email, "jan.example.be", None, INVALID_FORMAT),
    (email, "jan@localhost", None, INVALID_FORMAT),
    (
        email,
        "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 60 + ".be",
        None,
        INVALID_LENGTH,
    ),
    (phone, "12", None, INVALID_LENGTH),
    (phone, "+32 2 123 45 67 89 01 23", None, INVALID_LENGTH),
    (phone, "not a phone", None, INVALID_FORMAT),
    (phone, "+999 123 456", None, INVALID_COMPONENT),
    (phone, "0000000000", None, INVALID_FORMAT),
    (postal_code, "12", "BE", INVALID_LENGTH),
    (postal_code, "12", None, INVALID_LENGTH),
    (postal_code, "0999", "BE", INVALID_COMPONENT),
    (postal_code, "1000 AB", "BE", INVALID_FORMAT),
    (postal_code, "1234 A", "NL", INVALID_FORMAT),
    (postal_code, "1234 SA", "NL", INVALID_COMPONENT),
    (postal_code, "Gent", None, INVALID_FORMAT),
    (postal_code, "1234567890123", "FR", INVALID_LENGTH),
]


@pytest.mark.parametrize(("ident", "value", "country", "code"), INVALID)
def test_an_invalid_value_is_refused_with_the_right_code(
    ident: IdentifierType, value: str, country: str | None, code: str
) -> None:
    assert code == code_of(ident, value, country)
    assert not ident.is_valid(value, country)
    explained = ident.explain(value, country)
    assert explained is not None
    assert code == explained.code


@pytest.mark.parametrize(("ident", "value", "country", "code"), INVALID)
def test_an_invalid_value_cannot_be_formatted(
    ident: IdentifierType, value: str, country: str | None, code: str
) -> None:
    with pytest.raises(ValidationError) as err:
        ident.format(value, country)
    assert [code] == [i.code for i in err.value.issues]


def test_the_issue_names_the_identifier_and_shows_the_value() -> None:
    issue = national_number.explain("85073003329")
    assert Issue("identifier.invalid_checksum", "national_number", {"value": "85073003329"}) == (
        issue
    )
    assert "'85073003329' has an invalid check digit." == issue.message("en")
    assert "'85073003329' heeft een ongeldig controlegetal." == issue.message("nl")
    assert "'85073003329' a un chiffre de contrôle invalide." == issue.message("fr")


def test_a_value_that_is_not_text_is_of_the_wrong_type() -> None:
    issue = bsn.explain(12.5)
    assert issue is not None
    assert (INVALID_TYPE, "bsn", "12.5", "float") == (
        issue.code,
        issue.path,
        issue.params["value"],
        issue.params["type"],
    )
    assert "Expected text, but got a value of type float." == issue.message()


def test_a_value_over_the_limit_is_refused_before_any_work() -> None:
    value = "0" * (MAX_LENGTH + 1)
    issue = iban.explain(value)
    assert issue is not None
    assert (TOO_LONG, MAX_LENGTH + 1, MAX_LENGTH) == (
        issue.code,
        issue.params["length"],
        issue.params["max"],
    )
    assert 40 == len(issue.params["value"])
    assert issue.params["value"].endswith("…")


def test_the_shown_value_is_printable_and_short() -> None:
    issue = email.explain("\x00\n" + "x" * 100)
    assert issue is not None
    shown = issue.params["value"]
    assert shown.isprintable()
    assert len(shown) <= 40


def test_a_blank_value_is_refused_by_every_verb_but_is_valid() -> None:
    for ident in ALL_TYPES:
        assert INVALID_FORMAT == code_of(ident, "   ")
        with pytest.raises(ValidationError):
            ident.compact("")
        assert not ident.is_valid("")


def test_a_national_number_is_explained_as_a_bis_number_when_its_month_says_so() -> None:
    # a valid national number turned into a BIS number with a wrong checksum and vice versa
    assert INVALID_CHECKSUM == code_of(national_number, "85.27.30-033.28")
    assert INVALID_COMPONENT == code_of(national_number, "85.33.01-001.45")  # BIS month 13
    assert INVALID_COMPONENT == code_of(national_number, "85.53.01-001.88")  # no such month


def test_a_vat_number_without_prefix_takes_the_country_given() -> None:
    assert "EL094259216" == vat_number.validate("094259216", "GR")
    assert "BE0403170701" == vat_number.compact("0403170701", "be")
    assert not vat_number.is_valid("0403170701")
    assert vat_number.is_valid("0403170701", "BE")


def test_compact_normalises_without_checking_the_check_digit() -> None:
    assert "85073003329" == national_number.compact("85.07.30-033.29")
    assert "0403170702" == enterprise_number.compact("BE 0403.170.702")
    assert "jan@example.be" == email.compact("jan@EXAMPLE.BE")
    assert "not-an-address" == email.compact(" not-an-address ")
    assert "+3202123" == phone.compact("02 123")  # phonenumbers keeps the 0 of short numbers
    assert "12" == postal_code.compact("12", "BE")


def test_compact_refuses_what_cannot_be_normalised() -> None:
    with pytest.raises(ValidationError) as err:
        phone.compact("not a phone")
    assert INVALID_FORMAT == err.value.issues[0].code
    with pytest.raises(ValidationError) as err:
        vat_number.compact("0403170701")
    assert INVALID_COMPONENT == err.value.issues[0].code


def test_an_unknown_phone_region_falls_back_to_belgium() -> None:
    assert "+3221234567" == phone.validate("02 123 45 67", "XX")
    assert "+3221234567" == phone.validate("02 123 45 67", "")


def test_unicode_digits_are_read_as_the_underlying_library_reads_them() -> None:
    assert "+3212345678" == phone.validate("١٢٣٤٥٦٧٨")  # phonenumbers reads Arabic-Indic digits
    assert "12345678" == kvk_number.validate("12\u2013345678")  # a typographic dash
    assert not kvk_number.is_valid("１２３４５６７８")  # full-width digits are not KvK digits
    assert not national_number.is_valid("٨٥٠٧٣٠٠٣٣٢٨")


def test_a_postal_code_without_country_may_be_belgian_or_dutch() -> None:
    assert "9000" == postal_code.validate("9000")
    assert "1234AB" == postal_code.validate("1234AB")
    assert "1234 AB" == postal_code.format("1234AB")
    assert not postal_code.is_valid("75008")
    assert postal_code.is_valid("75008", "FR")


def test_the_stand_in_mod97_check_agrees_with_stdnum() -> None:
    fallback = _mod97_module(" -./")
    for value in ("000-0011032-71", "591-1917064-58", "591-2010999-97", "000-0011032-25", "x"):
        assert eid.is_valid(value) == fallback.is_valid(value)
    assert "591191706458" == fallback.validate("591-1917064-58")
    with pytest.raises(InvalidLength):
        fallback.validate("591-1917064")


# --- the catalogue --------------------------------------------------------------------------


def test_the_catalogue_maps_every_identifier_field() -> None:
    assert {
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
    } == dict(IDENTIFIERS)


def test_the_catalogue_is_read_only() -> None:
    with pytest.raises(TypeError):
        IDENTIFIERS["name"] = email  # type: ignore[index]


def test_identifier_for_finds_a_field_also_with_an_index() -> None:
    assert national_number is identifier_for("national_number")
    assert phone is identifier_for("contacts[3].phone")
    assert identifier_for("name") is None
    assert identifier_for("contacts[0].name") is None


def test_every_type_has_a_name_and_three_labels() -> None:
    classes = [
        NationalNumber,
        EnterpriseNumber,
        VatNumber,
        Bsn,
        KvkNumber,
        Iban,
        EidCardNumber,
        PaymentReference,
        Email,
        Phone,
        PostalCode,
    ]
    assert [type(i) for i in ALL_TYPES] == classes
    assert len(ALL_TYPES) == len({i.name for i in ALL_TYPES})
    for ident in ALL_TYPES:
        assert 3 == len(ident.label)
        assert all(ident.label)
        assert ident == type(ident)()
        assert f"{type(ident).__name__}()" == repr(ident)


# --- messages -------------------------------------------------------------------------------


@pytest.mark.parametrize("code", CODES)
def test_every_code_has_a_message_in_english_dutch_and_french(code: str) -> None:
    found = templates(code)
    assert found is not None
    assert 3 == len(set(found))
    issue = Issue(code, "iban", {"value": "BE00", "type": "int", "length": 300, "max": 256})
    for lang in ("en", "nl", "fr"):
        message = issue.message(lang)
        assert message
        assert code != message
        assert "{" not in message


# --- robustness -----------------------------------------------------------------------------

JUNK: list[Any] = [
    None,
    "",
    "   ",
    "€",
    "\x00",
    "\u200b",
    "١٢٣",  # Arabic-Indic digits
    "+",
    "@",
    "BE",
    "+++",
    "9" * 300,
    "x" * 10_000,
    12.5,
    float("nan"),
    0,
    403170701,
    10**50,
    True,
    object(),
    b"0403170701",
    bytearray(b"12"),
    ["0403170701"],
    ("BE",),
    {"iban": "x"},
    {"x"},
    Exception("x"),
]


@pytest.mark.parametrize("value", JUNK, ids=repr)
@pytest.mark.parametrize("ident", ALL_TYPES, ids=by_name)
def test_junk_is_never_valid(ident: IdentifierType, value: Any) -> None:
    assert ident.is_valid(value) is False
    assert ident.is_valid(value, "NL") is False


@pytest.mark.parametrize("verb", VERBS)
@pytest.mark.parametrize("value", JUNK, ids=repr)
@pytest.mark.parametrize("ident", ALL_TYPES, ids=by_name)
def test_junk_raises_nothing_but_a_validation_error(
    ident: IdentifierType, value: Any, verb: str
) -> None:
    result = outcome(getattr(ident, verb), value)
    if isinstance(result, ValidationError):
        assert 1 == len(result.issues)
    elif verb == "explain":
        assert isinstance(result, Issue)
    else:
        assert isinstance(result, str)  # compact may normalise junk text


class _Hostile(str):
    def __iter__(self) -> Any:
        raise RuntimeError("no")

    def strip(self, chars: str | None = None) -> str:
        raise RuntimeError("no")


class _BadRepr:
    def __repr__(self) -> str:
        raise RuntimeError("no")


@pytest.mark.parametrize("ident", ALL_TYPES, ids=by_name)
def test_hostile_objects_raise_nothing_but_a_validation_error(ident: IdentifierType) -> None:
    assert ident.explain(_BadRepr()) is not None
    assert ident.is_valid(_BadRepr()) is False
    hostile = _Hostile("0403170701")
    assert ident.is_valid(hostile) == ident.is_valid("0403170701")
    assert ident.explain(hostile) == ident.explain("0403170701")


ANYTHING = st.one_of(
    st.text(),
    st.text(alphabet="0123456789 .-+/BENL", max_size=20),
    st.binary(),
    st.integers(),
    st.floats(),
    st.none(),
    st.lists(st.text()),
)
COUNTRIES = st.sampled_from([None, "BE", "NL", "FR", "GR", "", "xx", "be"])


@pytest.mark.parametrize("ident", ALL_TYPES, ids=by_name)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=ANYTHING, country=COUNTRIES)
def test_any_input_gives_a_bool_or_a_validation_error(
    ident: IdentifierType, value: Any, country: str | None
) -> None:
    valid = ident.is_valid(value, country)
    assert isinstance(valid, bool)
    explained = ident.explain(value, country)
    assert valid == (explained is None)
    for verb in ("compact", "validate", "format"):
        result = outcome(getattr(ident, verb), value, country)
        if isinstance(result, ValidationError):
            assert [ident.name] == [i.path for i in result.issues]
        else:
            assert isinstance(result, str)


# --- properties of valid values -------------------------------------------------------------


@st.composite
def bsns(draw: st.DrawFn) -> str:
    body = draw(st.lists(st.integers(0, 9), min_size=8, max_size=8))
    check = sum((9 - i) * d for i, d in enumerate(body)) % 11
    if check == 10 or (not any(body) and check == 0):
        body, check = [1, 1, 1, 2, 2, 2, 3, 3], 3
    return "".join(map(str, body)) + str(check)


@st.composite
def enterprise_numbers(draw: st.DrawFn) -> str:
    base = draw(st.sampled_from("01")) + draw(st.text(string.digits, min_size=7, max_size=7))
    number = f"{base}{97 - int(base) % 97:02d}"
    dotted = f"{number[:4]}.{number[4:7]}.{number[7:]}"
    old = number[1:] if number[0] == "0" else number  # 9 digits: the old form
    return draw(st.sampled_from([number, f"BE{number}", f"BE {dotted}", dotted, old]))


@st.composite
def national_numbers(draw: st.DrawFn) -> str:
    year = draw(st.integers(1930, 2020))
    month = draw(st.integers(1, 12)) + draw(st.sampled_from([0, 0, 20, 40]))  # BIS: +20, +40
    day = draw(st.integers(1, 28))
    serial = draw(st.integers(1, 997))
    base = f"{year % 100:02d}{month:02d}{day:02d}{serial:03d}"
    check = 97 - int(("2" if year >= 2000 else "") + base) % 97
    return f"{base}{check:02d}"


@st.composite
def mod97_numbers(draw: st.DrawFn) -> str:
    base = draw(st.text(string.digits, min_size=10, max_size=10))
    return f"{base}{int(base) % 97 or 97:02d}"


@st.composite
def nl_ibans(draw: st.DrawFn) -> str:
    bank = draw(st.text(string.ascii_uppercase, min_size=4, max_size=4))
    account = draw(st.text(string.digits, min_size=10, max_size=10))
    bban = bank + account
    numeric = "".join(str(int(c, 36)) for c in bban + "NL00")
    return f"NL{98 - int(numeric) % 97:02d}{bban}"


kvk_numbers = st.text(string.digits, min_size=8, max_size=8).filter(lambda s: s != "00000000")
emails = st.from_regex(
    r"[a-z0-9]{1,20}(\.[a-z0-9]{1,10})?@[a-z]{1,15}\.(be|nl|com)", fullmatch=True
)
phones = st.one_of(
    st.text(string.digits, min_size=7, max_size=7).map(lambda s: f"+32 2 {s}"),
    st.text(string.digits, min_size=7, max_size=7).map(lambda s: f"02 {s}"),
    st.text(string.digits, min_size=6, max_size=6).map(lambda s: f"0470 {s}"),
)
nl_postcodes = st.tuples(
    st.integers(1000, 9999), st.text(string.ascii_letters, min_size=2, max_size=2)
).filter(lambda t: t[1].upper() not in ("SA", "SD", "SS"))

VALID_VALUES: list[tuple[IdentifierType, st.SearchStrategy[tuple[str, str | None]]]] = [
    (national_number, national_numbers().map(lambda s: (s, None))),
    (enterprise_number, enterprise_numbers().map(lambda s: (s, None))),
    (vat_number, enterprise_numbers().map(lambda s: (s, "BE"))),
    (bsn, bsns().map(lambda s: (s, None))),
    (kvk_number, kvk_numbers.map(lambda s: (s, None))),
    (iban, nl_ibans().map(lambda s: (s, None))),
    (eid_card_number, mod97_numbers().map(lambda s: (s, None))),
    (payment_reference, mod97_numbers().map(lambda s: (f"+++{s}+++", None))),
    (email, emails.map(lambda s: (s, None))),
    (phone, phones.map(lambda s: (s, None))),
    (postal_code, st.integers(1000, 9999).map(lambda n: (str(n), "BE"))),
    (postal_code, nl_postcodes.map(lambda t: (f"{t[0]} {t[1]}", "NL"))),
    (postal_code, nl_postcodes.map(lambda t: (f"{t[0]}{t[1]}", None))),
]


@pytest.mark.parametrize(("ident", "values"), VALID_VALUES, ids=[i.name for i, _ in VALID_VALUES])
@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_a_valid_value_survives_format_and_compact(
    ident: IdentifierType, values: st.SearchStrategy[tuple[str, str | None]], data: st.DataObject
) -> None:
    value, country = data.draw(values)
    assert ident.is_valid(value, country), value
    compact = ident.compact(value, country)
    assert compact == ident.validate(value, country)
    assert compact == ident.compact(ident.format(value, country), country)
    assert compact == ident.validate(compact, country)
    assert ident.explain(compact, country) is None


def test_a_national_number_with_a_day_the_calendar_lacks_is_accepted_as_stdnum_does() -> None:
    base = "850230033"  # 30 February 1985: issued when the birth day was not known
    number = f"{base}{97 - int(base) % 97:02d}"
    assert number == national_number.validate(number)


def test_the_example_in_the_docs_runs(capsys: pytest.CaptureFixture[str]) -> None:
    doc = (Path(__file__).parents[2] / "docs" / "identifiers.md").read_text(encoding="utf-8")
    example = doc.split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(example, "docs/identifiers.md", "exec"), {})
    assert [
        "'85.07.30-033.29' a un chiffre de contrôle invalide.",
        "identifier.invalid_format | 'jan@' heeft geen geldig formaat.",
    ] == capsys.readouterr().out.splitlines()
