"""A key stored compact is taken as it is: the same compact form the identifier type
gives (the reference below), whatever the text and the country."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from clientcore import ValidationError
from clientcore.model import IDENTIFIERS
from clientcore.sync._keys import compact_key, trusted_key

_FIELDS = ("national_number", "enterprise_number", "vat_number", "bsn", "kvk_number")
_TEXT = st.one_of(
    st.text(alphabet="0123456789 .-BENLbe", max_size=16),
    st.sampled_from(
        [
            "0403170701",
            "403170701",
            "BE0403170701",
            "BE 0403.170.701",
            "NL123456789B01",
            "85073003328",
            "12345678",
            "123456789",
            "be0403170701",
            "FR40303265045",
        ]
    ),
    st.text(max_size=14),
)


def _reference(field: str, value: str, country: str | None) -> str | None:
    text = value.strip()
    if not text:
        return None
    try:
        compact = IDENTIFIERS[field].compact(text, country)
    except ValidationError:
        return None
    if field == "vat_number" and re.fullmatch(r"BE\d{10}", compact):
        return compact[2:]  # a Belgian VAT number meets the enterprise number it holds
    return compact


@settings(max_examples=600)
@given(st.sampled_from(_FIELDS), _TEXT, st.sampled_from([None, "BE", "NL", "FR", "xx"]))
def test_a_compact_key_taken_at_a_glance_is_the_identifiers_compact_form(
    field: str, value: str, country: str | None
) -> None:
    assert trusted_key(field, value, country) == _reference(field, value, country)


def test_a_stored_enterprise_number_is_its_key_and_a_formatted_one_is_compacted() -> None:
    assert trusted_key("enterprise_number", "0403170701") == "0403170701"
    assert trusted_key("enterprise_number", "BE 0403.170.701") == "0403170701"
    assert trusted_key("vat_number", "BE0403170701") == "0403170701"
    assert trusted_key("national_number", "85.07.30-033.28") == "85073003328"


@settings(max_examples=300)
@given(st.text("0123456789", min_size=10, max_size=10), st.sampled_from(["BE", "BE ", "be"]))
def test_a_belgian_vat_key_meets_the_enterprise_number_it_holds(digits: str, prefix: str) -> None:
    vat = compact_key("vat_number", prefix + digits, "BE")
    assert vat == compact_key("enterprise_number", digits, "BE")  # both None when invalid
    assert trusted_key("vat_number", "BE" + digits, "BE") == digits
