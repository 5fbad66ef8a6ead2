"""The one vocabulary for values, and that every reader of clientcore uses it alike."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientcore import Party, ValidationError
from clientcore.bulk.ops import SetField
from clientcore.io import read
from clientcore.model import (
    default_schema,
    excel_date,
    from_row,
    parse_bool,
    parse_country,
    parse_date,
    parse_decimal,
    parse_kind,
    parse_language,
    parse_legal_form,
    parse_status,
    parse_value,
)
from clientcore.query import F

YES = ["true", "TRUE", "yes", "Ja", "j", "oui", "1", "y", "waar", "vrai"]
NO = ["false", "no", "Nee", "non", "0", "n", "onwaar", "faux"]


@pytest.mark.parametrize("word", YES)
def test_every_yes_word_is_true(word: str) -> None:
    assert parse_bool(word) is True


@pytest.mark.parametrize("word", NO)
def test_every_no_word_is_false(word: str) -> None:
    assert parse_bool(word) is False


@pytest.mark.parametrize("word", ["maybe", "2", "x", "ok"])
def test_other_words_are_refused_with_the_value(word: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_bool(word)
    assert ("value.invalid_bool", word) == (
        caught.value.issues[0].code,
        caught.value.issues[0].params["value"],
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-01-31", dt.date(2020, 1, 31)),
        ("2020-01-31T10:00:00", dt.date(2020, 1, 31)),
        ("31/01/2020", dt.date(2020, 1, 31)),
        ("31-01-2020", dt.date(2020, 1, 31)),
        ("31.01.2020", dt.date(2020, 1, 31)),
        ("1/2/2020", dt.date(2020, 2, 1)),
        ("31/01/2020 14:30", dt.date(2020, 1, 31)),
    ],
)
def test_dates_are_iso_or_day_first(text: str, expected: dt.date) -> None:
    assert expected == parse_date(text)


@pytest.mark.parametrize(
    "text", ["01/31/2020", "31/02/2020", "2020/01/31", "yesterday", "31/01/20"]
)
def test_a_us_order_or_an_impossible_date_is_never_guessed(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_date(text)
    assert "value.invalid_date" == caught.value.issues[0].code


def test_month_first_is_read_only_when_asked_for() -> None:
    assert dt.date(2020, 1, 31) == parse_date("01/31/2020", "mdy")


def test_excel_serial_days_are_dates() -> None:
    assert (dt.date(2020, 1, 31), dt.date(1900, 1, 1)) == (excel_date(43861), parse_date(1))
    assert dt.date(2020, 1, 31) == parse_date(43861.0)


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("12", None, 12),
        ("-12,5", None, -12.5),
        ("1.234,56", None, 1234.56),
        ("1,234.56", None, 1234.56),
        ("1.234.567", None, 1234567),
        ("1 234,5", None, 1234.5),
        ("1.250", ",", 1250),
        ("1.250", ".", 1.25),
    ],
)
def test_numbers_take_a_decimal_comma_or_point(
    text: str, decimal: str | None, expected: float
) -> None:
    assert expected == parse_decimal(text, decimal)


@pytest.mark.parametrize("text", ["12a", "1,2,3.4.5", "nan", "--1"])
def test_text_that_is_no_number_is_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_decimal(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("België", "BE"),
        ("Belgique", "BE"),
        ("belgium", "BE"),
        ("be", "BE"),
        ("Nederland", "NL"),
        ("Pays-Bas", "NL"),
        ("The Netherlands", "NL"),
        ("Frankrijk", "FR"),
        ("DE", "DE"),
        ("jp", "JP"),
    ],
)
def test_countries_by_iso_code_or_their_names(text: str, code: str) -> None:
    assert code == parse_country(text)


@pytest.mark.parametrize("text", ["Atlantis", "XX", "Belgiëland"])
def test_an_unknown_country_is_an_issue_never_free_text(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_country(text)
    assert "value.invalid_country" == caught.value.issues[0].code
    with pytest.raises(ValidationError):
        Party(kind="client_company", name="A", address={"country": text})


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Klant", "client"),
        ("Client", "client"),
        ("Geen klant meer", "former_client"),
        ("Ancien client", "former_client"),
        ("prospect", "prospect"),
        ("Relatie", "relation"),
        ("acceptance_pending", "acceptance_pending"),
    ],
)
def test_statuses_by_their_en_nl_fr_labels(text: str, status: str) -> None:
    assert status == parse_status(text).value


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Klant-Bedrijf", "client_company"),
        ("Klant-Persoon", "client_person"),
        ("Relatie-Bedrijf", "relation_company"),
        ("Relatie-Persoon", "relation_person"),
        ("client_company", "client_company"),
        ("Client personne", "client_person"),
    ],
)
def test_kinds_by_their_labels_and_auditcase_words(text: str, kind: str) -> None:
    assert kind == parse_kind(text).value


@pytest.mark.parametrize(
    ("text", "code"),
    [("Nederlands", "nl"), ("Frans", "fr"), ("français", "fr"), ("NL", "nl"), ("FR", "fr")],
)
def test_languages_by_code_or_name(text: str, code: str) -> None:
    assert code == parse_language(text)


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("besloten vennootschap", "BV"),
        ("B.V.", "BV"),
        ("Société à responsabilité limitée", "SRL"),
        ("vzw", "VZW"),
        ("Eenmanszaak", "eenmanszaak"),
        ("GmbH", "GmbH"),
    ],
)
def test_legal_forms_by_short_or_full_name_others_kept(text: str, form: str) -> None:
    assert form == parse_legal_form(text)


# --- one vocabulary, wherever a value is read ---


def _yes_no_cases() -> st.SearchStrategy[str]:
    words = st.sampled_from([*YES, *NO, "maybe", "x", "2"])
    return st.builds(lambda w, pad: f"{pad}{w}{pad}", words, st.sampled_from(["", " "]))


@given(_yes_no_cases())
def test_yes_no_text_means_the_same_to_the_codec_party_filters_and_bulk(text: str) -> None:
    try:
        expected: bool | None = parse_bool(text)
    except ValidationError:
        expected = None
    party = {"kind": "client_company", "name": "A", "vat_liable": text}
    if expected is None:
        with pytest.raises(ValidationError):
            from_row(party)
        with pytest.raises(ValidationError):
            Party(kind="client_company", name="A", vat_liable=text)
        with pytest.raises(ValidationError):
            SetField("vat_liable", text)
        assert not F("vat_liable").eq(True).matches({"vat_liable": text})
        assert not F("vat_liable").eq(False).matches({"vat_liable": text})
        return
    assert expected == from_row(party).vat_liable
    assert expected == Party(kind="client_company", name="A", vat_liable=text).vat_liable
    assert expected == SetField("vat_liable", text).value
    assert F("vat_liable").eq(expected).matches({"vat_liable": text})
    row = read(f"kind,name,Btw-plichtig\nclient_company,A,{text.strip()}\n")
    assert expected == next(iter(row)).party.vat_liable  # type: ignore[union-attr]


@given(
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 12, 31)),
    st.sampled_from(["{d:%Y-%m-%d}", "{d:%d/%m/%Y}", "{d:%d-%m-%Y}", "{d:%d.%m.%Y}"]),
)
def test_a_date_written_any_way_is_the_same_date_everywhere(day: dt.date, shape: str) -> None:
    text = shape.format(d=day)
    assert day == parse_date(text)
    assert (
        day == from_row({"kind": "client_company", "name": "A", "client_since": text}).client_since
    )
    assert day == Party(kind="client_company", name="A", client_since=text).client_since
    assert day == SetField("client_since", text).value
    assert day == parse_value(default_schema().field("client_since"), text)
    assert F("client_since").eq(day).matches({"client_since": day.isoformat()})


@given(
    st.sampled_from(
        [
            "BE",
            "be",
            "België",
            "Belgique",
            "Belgium",
            "NL",
            "Nederland",
            "Pays-Bas",
            "FR",
            "Atlantis",
        ]
    )
)
def test_a_country_is_the_same_code_to_the_codec_the_party_and_the_reader(text: str) -> None:
    try:
        expected: str | None = parse_country(text)
    except ValidationError:
        expected = None
    row = {"kind": "client_company", "name": "A", "address.country": text}
    if expected is None:
        with pytest.raises(ValidationError):
            from_row(row)
        return
    party = from_row(row)
    assert expected == (party.address.country if party.address else None)
    assert (
        expected
        == Party(kind="client_company", name="A", address={"country": text}).address.country
    )  # type: ignore[union-attr]
    (result,) = read(f"Soort;Naam;Land\nKlant-Bedrijf;A;{text}\n")
    assert expected == result.party.address.country  # type: ignore[union-attr]
