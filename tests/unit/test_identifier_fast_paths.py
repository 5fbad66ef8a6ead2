"""The quick ways of the e-mail, phone, IBAN and Belgian VAT checks agree with the libraries asked
in full."""

from __future__ import annotations

from collections.abc import Callable

import phonenumbers
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import iban as stdnum_iban
from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError

from clientcore.model._identifiers import (
    Email,
    IdentifierType,
    _e164_parts,
    _email_domain,
    _memoised_outcome,
    email,
    enterprise_number,
    iban,
    phone,
    vat_number,
)

# --- e-mail: the common address is judged by its domain, once per domain ---

_LOCAL_CHARS = "abcXYZ09._+-'!#$%&*/=?^`{|}~\"\\ @()<>,;:é"
_DOMAIN_CHARS = "abcXYZ09.-_ é"
_LABELS = st.sampled_from(
    [
        "example", "telenet", "peeters", "x", "xn--caf-dma", "xn--zz", "a--b", "-bad",
        "bad-", "123", "BE", "be", "nl", "com", "test", "local", "localhost", "invalid",
        "onion", "arpa", "a" * 63, "a" * 64, "",
    ]
)  # fmt: skip
_LOCALS = st.one_of(
    st.text(_LOCAL_CHARS, min_size=0, max_size=12),
    st.sampled_from(["info", "Postmaster", "ABUSE", "an.claes", "a..b", ".a", "a.", "x" * 250]),
)
_DOMAINS = st.one_of(
    st.lists(_LABELS, min_size=1, max_size=4).map(".".join),
    st.text(_DOMAIN_CHARS, min_size=0, max_size=15),
    st.lists(st.sampled_from(["a" * 60, "b" * 60, "be"]), min_size=3, max_size=5).map(".".join),
)
_ADDRESSES = st.builds(
    lambda space, local, at, domain: f"{space}{local}{at}{domain}{space}",
    st.sampled_from(["", " "]),
    _LOCALS,
    st.sampled_from(["@", "@", "@", "@@", ""]),
    _DOMAINS,
)


def _outcome(check: Callable[[], str]) -> tuple[str, str]:
    try:
        return "ok", check()
    except StdnumError as exc:
        return "error", type(exc).__name__


@settings(max_examples=600, deadline=None)
@given(_ADDRESSES)
def test_the_quick_email_check_agrees_with_email_validator_in_full(address: str) -> None:
    _email_domain.cache_clear()
    quick = _outcome(lambda: email._check(address, None))
    full = _outcome(lambda: Email._check_in_full(address.strip()))
    assert quick == full
    again = _outcome(lambda: email._check(address, None))  # the domain now memoised
    assert again == full
    assert email._is_valid(address, None) == (full[0] == "ok")


def test_the_quick_email_check_is_taken_for_a_common_address() -> None:
    _email_domain.cache_clear()
    assert email.validate("An.Claes@Telenet.BE") == "An.Claes@telenet.be"
    assert email.validate("jan@telenet.be") == "jan@telenet.be"
    assert email.validate("Info@Telenet.BE") == "info@telenet.be"  # a case-folded name
    assert _email_domain.cache_info().currsize == 2  # each domain asked once, as given


def test_a_case_folded_mailbox_name_and_an_international_domain_are_as_email_validator_says() -> (
    None
):
    assert email.validate("PostMaster@example.be") == "postmaster@example.be"
    assert email.validate("an@xn--caf-dma.be") == Email._check_in_full("an@xn--caf-dma.be")
    assert not email.is_valid("an@localhost")
    assert not email.is_valid("an@example.test")


# --- IBAN: the Belgian bank registry read once per bank code ---


def _belgian_iban(bank: int, account: int, national: int | None, check: int | None) -> str:
    body = f"{bank:03d}{account:07d}"
    national_digits = f"{int(body) % 97 or 97:02d}" if national is None else f"{national:02d}"
    bban = body + national_digits
    digits = stdnum_iban.calc_check_digits("BE00" + bban) if check is None else f"{check:02d}"
    return f"BE{digits}{bban}"


_IBANS = st.one_of(
    st.builds(
        _belgian_iban,
        st.integers(0, 999),
        st.integers(0, 9_999_999),
        st.one_of(st.none(), st.integers(0, 99)),
        st.one_of(st.none(), st.none(), st.integers(0, 99)),
    ),
    st.sampled_from(
        [
            "BE71 0961 2345 6769", "be71096123456769", "BE68539007547034", "BE6853900754703",
            "NL91ABNA0417164300", "NL91ABNA0417164301", "GR1601101050000010547023795",
            "BE", "", "XX00", "BE00 0000 0000 0000",
        ]
    ),
)  # fmt: skip


def _any_iban(country: str, check: int | None, bban: str, lower: bool, spaced: bool) -> str:
    digits = (
        stdnum_iban.calc_check_digits(country + "00" + bban) if check is None else f"{check:02d}"
    )
    number = country + digits + bban
    number = number.lower() if lower else number
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4)) if spaced else number


_OTHER_IBANS = st.builds(
    _any_iban,
    st.sampled_from(
        ["NL", "DE", "FR", "ES", "NO", "ME", "GB", "LU", "GR", "BE", "XX", "12", "ES", "NO", "ME"]
    ),
    st.one_of(st.none(), st.none(), st.integers(0, 99)),
    st.one_of(
        st.text("0123456789ABCXYZ", min_size=0, max_size=30),
        st.sampled_from(["ABNA0417164300", "21000418450200051332", "86011117947", "12345678"]),
        st.builds(
            str.__add__,
            st.text("ABNZ", min_size=4, max_size=4),
            st.text("0123456789", min_size=10, max_size=10),
        ),
        st.builds(
            str.__add__,
            st.text("0123456789", min_size=3, max_size=3),
            st.text("0123456789", min_size=9, max_size=9),
        ),
        # the lengths of Norway (11), Montenegro (18) and Spain (20), whose own modules
        # check national check digits after the generic checks
        st.sampled_from([11, 18, 20]).flatmap(
            lambda n: st.text("0123456789", min_size=n, max_size=n)
        ),
    ),
    st.booleans(),
    st.booleans(),
)


@settings(max_examples=1500, deadline=None)
@given(st.one_of(_IBANS, _OTHER_IBANS))
def test_the_iban_check_agrees_with_stdnum_in_full(value: str) -> None:
    ours = _outcome(lambda: iban._check(value, None))
    full = _outcome(lambda: stdnum_iban.validate(value))
    assert ours == full
    assert iban.is_valid(value) == stdnum_iban.is_valid(value)


# --- Belgian VAT: the enterprise number's outcome, memoised once for both fields ---

_BELGIAN_VAT = st.one_of(
    st.text("0123456789", min_size=10, max_size=10).map("BE".__add__),
    st.sampled_from(["0", "1", "2", "9"]).flatmap(
        lambda first: st.integers(0, 10**9 - 1).map(lambda n: f"BE{first}{n:09d}")
    ),
    st.sampled_from(["BE0403170701", "BE0403170702", "BE0000000000", "BE2403170701"]),
    st.sampled_from(["BE403170701", "be0403170701", "BE 0403.170.701", "BE04031707O1"]),
    st.sampled_from(["NL004495445B01", "0403170701", "BE\u0660403170701"]),
)


@settings(max_examples=500, deadline=None)
@given(_BELGIAN_VAT, st.sampled_from([None, "BE", "NL", "be"]))
def test_a_belgian_vat_number_is_judged_as_python_stdnum_judges_it(
    value: str, country: str | None
) -> None:
    _memoised_outcome.cache_clear()
    reference = IdentifierType._fresh_outcome(vat_number, value, country)  # stdnum's eu.vat
    assert reference == vat_number._fresh_outcome(value, country)
    assert reference == _memoised_outcome(vat_number, value, country)  # the memo, filled
    assert isinstance(reference, str) == vat_number.is_valid(value, country)


def test_a_companys_vat_number_reuses_the_outcome_of_its_enterprise_number() -> None:
    _memoised_outcome.cache_clear()
    assert enterprise_number.is_valid("0403170701", "BE")
    before = _memoised_outcome.cache_info()
    assert "BE0403170701" == vat_number.validate("BE0403170701", "BE")
    after = _memoised_outcome.cache_info()
    assert (before.hits + 1, before.misses + 1) == (after.hits, after.misses)
    issue = vat_number.explain("BE0403170702", "BE")
    assert issue is not None
    assert ("vat_number", {"value": "BE0403170702"}) == (issue.path, issue.params)


# --- phone: a number in E.164 form is built without parsing when the outcome is plain ---

_CALLING_CODES = sorted(str(code) for code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
_E164_TEXTS = st.one_of(
    st.builds(
        lambda code, rest: f"+{code}{rest}",
        st.sampled_from(_CALLING_CODES),
        st.text("0123456789", min_size=0, max_size=18),
    ),
    st.text("0123456789", min_size=2, max_size=20).map("+".__add__),
    st.sampled_from(["+32470123456", "+3225551234", "+320470123456", "+11234567890",
                     "+12025550123", "+390612345678", "+80012345678", "+999123", "+32"]),
)  # fmt: skip


def _built(text: str) -> phonenumbers.PhoneNumber | None:
    """The number made of the parts read off ``text`` without parsing, if any."""
    parts = _e164_parts(text)
    if parts is None:
        return None
    return phonenumbers.PhoneNumber(country_code=parts[0], national_number=int(parts[1]))


@settings(max_examples=1500, deadline=None)
@given(_E164_TEXTS, st.sampled_from([None, "BE", "NL", "US"]))
def test_a_number_in_e164_form_is_what_phonenumbers_parses(text: str, country: str | None) -> None:
    built = _built(text)
    try:
        parsed = phonenumbers.parse(text, country or "BE")
    except phonenumbers.NumberParseException:
        assert built is None
    else:
        assert built is None or built == parsed
        e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        assert phone._compact(text, country) == e164
    full = _outcome(lambda: _phone_in_full(text, country))
    assert _outcome(lambda: phone._check(text, country)) == full
    assert phone.is_valid(text, country) == (full[0] == "ok")


def _phone_in_full(text: str, country: str | None) -> str:
    """The phone check with phonenumbers asked in full: parse, then the possible length."""
    try:
        number = phonenumbers.parse(text, country or "BE")
    except phonenumbers.NumberParseException as exc:
        codes = phonenumbers.NumberParseException
        if exc.error_type == codes.INVALID_COUNTRY_CODE:
            raise InvalidComponent() from None
        raise (
            InvalidFormat() if exc.error_type == codes.NOT_A_NUMBER else InvalidLength()
        ) from None
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        bad_country = reason == phonenumbers.ValidationResult.INVALID_COUNTRY_CODE
        raise InvalidComponent() if bad_country else InvalidLength()
    if not number.national_number:
        raise InvalidFormat()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def test_common_belgian_and_dutch_numbers_are_built_without_parsing() -> None:
    for text in ("+32470123456", "+3225551234", "+31201234567", "+33123456789"):
        number = _built(text)
        assert number is not None
        assert phone.validate(text) == text
    for text in ("+320470123456", "+12025550123", "+390612345678"):  # a prefix, 1, a zero
        assert _built(text) is None
    assert phone.validate("+320470123456") == "+32470123456"  # parsed: the 0 stripped
