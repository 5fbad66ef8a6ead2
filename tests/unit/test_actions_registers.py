"""Register links: only for valid identifiers, from templates a host can override."""

from __future__ import annotations

import pytest

from clientcore import Party, ValidationError
from clientcore.actions import REGISTER_TEMPLATES, register_links

# Real, published identifiers: the KBO's own enterprise number (FOD Economie), a Dutch
# VAT number and a KvK number from python-stdnum's and the KvK's documented examples.
KBO_NUMBER = "0314.595.348"


def company(**fields: object) -> Party:
    return Party(kind="client_company", name="Test BV", **fields)  # type: ignore[arg-type]


def test_a_belgian_company_gets_kbo_and_the_nbb_filed_accounts() -> None:
    links = register_links(company(enterprise_number="BE 0403.170.701"))
    assert ["kbo", "nbb"] == [link.register for link in links]
    assert (
        "https://kbopub.economie.fgov.be/kbopub/zoeknummerform.html?nummer=0403170701&actionLu=Zoek"
        == links[0].url
    )
    assert "https://consult.cbso.nbb.be/consult-enterprise/0403170701" == links[1].url


def test_a_relation_company_gets_the_same_links_and_a_person_only_vies() -> None:
    bank = Party(kind="relation_company", name="Bank", enterprise_number=KBO_NUMBER)
    assert ["kbo", "nbb"] == [link.register for link in register_links(bank)]
    person = Party(kind="client_person", name="Jan", vat_number="BE0314595348")
    assert ["vies"] == [link.register for link in register_links(person)]


def test_vies_gets_the_member_state_and_the_number_apart() -> None:
    (link,) = register_links(company(vat_number="NL004495445B01"))
    assert "vies" == link.register
    assert "memberStateCode=NL&number=004495445B01" in link.url
    assert "NL004495445B01" == link.identifier


def test_a_dutch_kvk_number_links_to_the_kvk_search() -> None:
    (link,) = register_links(company(kvk_number="6908 2734"))
    assert "https://www.kvk.nl/zoeken/?source=all&q=69082734" == link.url


@pytest.mark.parametrize(
    "fields",
    [
        {"enterprise_number": "0403.170.702"},  # bad check digits
        {"vat_number": "BE0403170702"},
        {"kvk_number": "1234567"},  # seven digits
        {"kvk_number": "00000000"},
        {},
    ],
)
def test_no_link_for_an_invalid_or_missing_identifier(fields: dict[str, str]) -> None:
    assert () == register_links(company(**fields))


def test_a_host_overrides_a_template_and_values_are_url_quoted() -> None:
    links = register_links(
        company(enterprise_number=KBO_NUMBER),
        {"kbo": "https://intranet.example/kbo/{formatted}?n={number}"},
    )
    assert "https://intranet.example/kbo/0314.595.348?n=0314595348" == links[0].url
    assert REGISTER_TEMPLATES["nbb"].replace("{number}", "0314595348") == links[1].url


@pytest.mark.parametrize(
    ("templates", "code"),
    [
        ({"opencorporates": "https://x/{number}"}, "register.template.unknown"),
        ({"kbo": "https://x/{name}"}, "register.template.invalid"),
    ],
)
def test_a_bad_template_is_refused_naming_register_and_placeholder(
    templates: dict[str, str], code: str
) -> None:
    with pytest.raises(ValidationError) as err:
        register_links(company(enterprise_number=KBO_NUMBER), templates)
    assert code == err.value.issues[0].code
    assert next(iter(templates)) in err.value.issues[0].message("fr")


def test_links_have_labels_in_three_languages() -> None:
    (kbo, nbb) = register_links(company(enterprise_number=KBO_NUMBER))
    assert ("KBO/BCE public search", "NBB neergelegde jaarrekeningen", "BCE Public Search") == (
        kbo.label("en"),
        nbb.label("nl"),
        kbo.label("fr"),
    )
