"""QR cover pages: payload, check and signature, pages, PDF, and the real-decoder round trip."""

from __future__ import annotations

import io
import string

import pytest
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from clientcore import Party, ValidationError
from clientcore.actions import (
    CoverPayload,
    cover_page,
    cover_pages,
    cover_pages_pdf,
    is_cover_payload,
    mod97_check,
    parse_payload,
)

KEY = b"a host secret of 32 bytes, here."
SAFE = string.ascii_letters + string.digits + "._/-"
fields = {
    "tenant": st.text(alphabet=SAFE, min_size=1, max_size=16),
    "client_number": st.text(alphabet=SAFE, min_size=1, max_size=24),
    "document_kind": st.text(alphabet=SAFE, min_size=1, max_size=24),
}
payloads = st.builds(CoverPayload, **fields)


def client(number: str | None = "C000042", name: str = "Bakkerij Peeters BV") -> Party:
    return Party(kind="client_company", name=name, number=number, national_number=None)


def decode(png: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def codes(err: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [i.code for i in err.value.issues]


def test_a_real_qr_decoder_reads_the_payload_back_from_the_png() -> None:
    page = cover_page(client(), "invoices", tenant="acme")
    assert [page.payload] == decode(page.png())
    assert CoverPayload("acme", "C000042", "invoices") == parse_payload(decode(page.png())[0])


def test_a_signed_page_survives_a_real_decoder_and_verifies_with_the_key() -> None:
    page = cover_page(client(), "purchase-invoices", tenant="acme", key=KEY)
    (scanned,) = decode(page.png(lang="fr"))
    assert "C000042" == parse_payload(scanned, key=KEY).client_number


def test_the_payload_holds_no_name_and_no_national_number() -> None:
    person = Party(
        kind="client_person", name="Jan Peeters", number="P7", national_number="85073003328"
    )
    payload = cover_page(person, "payslips", tenant="acme").payload
    assert "Peeters" not in payload
    assert "85073003328" not in payload
    assert payload.isascii()
    assert payload.startswith("CC1|")


def test_the_check_is_iso_7064_mod_97_10_over_the_ascii_codes() -> None:
    body = "CC1|acme|C42|invoices"
    digits = "".join(f"{b:03d}" for b in body.encode())
    assert 1 == int(digits + mod97_check(body)) % 97


@given(payloads)
def test_every_valid_payload_round_trips_with_check_or_signature(payload: CoverPayload) -> None:
    assert payload == parse_payload(payload.encode())
    assert payload == parse_payload(payload.encode(KEY), key=KEY)


@given(payloads, st.data())
def test_a_single_changed_character_is_refused(payload: CoverPayload, data: st.DataObject) -> None:
    text = payload.encode()
    i = data.draw(st.integers(min_value=4, max_value=len(text) - 1))
    new = data.draw(st.sampled_from(SAFE).filter(lambda c: c != text[i]))
    damaged = text[:i] + new + text[i + 1 :]
    with pytest.raises(ValidationError):
        parse_payload(damaged)


@given(payloads, st.data())
def test_a_forged_signed_page_is_refused(payload: CoverPayload, data: st.DataObject) -> None:
    other = data.draw(
        st.sampled_from(["C1", "X-9", "other"]).filter(lambda n: n != payload.client_number)
    )
    signed = payload.encode(KEY)
    forged = signed.replace(f"|{payload.client_number}|", f"|{other}|", 1)
    if forged.split("|")[2] == payload.client_number:  # the number also was the tenant
        return
    with pytest.raises(ValidationError) as err:
        parse_payload(forged, key=KEY)
    assert {"cover.payload.forged"} == set(codes(err))


@settings(max_examples=300)
@given(
    st.one_of(
        st.text(max_size=250),
        st.binary(max_size=50),
        st.none(),
        st.integers(),
        st.text(alphabet=SAFE + "|", max_size=80).map(lambda t: "CC1|" + t),
    )
)
def test_junk_never_parses_and_never_raises_anything_but_validation_error(junk: object) -> None:
    issues: tuple[object, ...] = ()
    try:
        parse_payload(junk)
    except ValidationError as err:
        issues = err.issues
    if not issues:  # a 1 in 97 chance per well-formed text is a MOD 97 check's limit
        assert isinstance(junk, str)
        assert 4 == junk.count("|")
    else:
        assert all(i.code.startswith("cover.") for i in issues)  # type: ignore[attr-defined]


def test_a_page_signed_with_another_key_is_refused_as_forged() -> None:
    signed = CoverPayload("acme", "C1", "invoices").encode(b"another key of 16+ bytes")
    with pytest.raises(ValidationError) as err:
        parse_payload(signed, key=KEY)
    assert ["cover.payload.forged"] == codes(err)


def test_an_unsigned_page_is_refused_when_a_key_is_expected() -> None:
    with pytest.raises(ValidationError) as err:
        parse_payload(CoverPayload("acme", "C1", "invoices").encode(), key=KEY)
    assert ["cover.payload.unsigned"] == codes(err)


def test_a_signed_page_without_the_key_asks_for_it() -> None:
    with pytest.raises(ValidationError) as err:
        parse_payload(CoverPayload("acme", "C1", "invoices").encode(KEY))
    assert ["cover.payload.needs_key"] == codes(err)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("CC2|acme|C1|invoices|12", "cover.payload.version"),
        ("EPC\n002\n1\nSCT", "cover.payload.not_ours"),
        ("CC1|acme|C1|12", "cover.payload.format"),
        ("CC1|acme|C 1|invoices|12", "cover.field.invalid"),
        ("CC1|acme|C1|invoices|xx", "cover.payload.check"),
        ("CC1|acme|Cé|invoices|12", "cover.payload.format"),
        ("CC1|" + "a" * 200, "cover.payload.format"),
    ],
)
def test_a_bad_payload_says_what_is_wrong(text: str, code: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_payload(text)
    assert code == codes(err)[0]


def test_a_page_of_another_tenant_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        parse_payload(CoverPayload("other", "C1", "invoices").encode(), tenant="acme")
    assert ["cover.payload.other_tenant"] == codes(err)
    assert "'other'" in err.value.issues[0].message("nl")


def test_errors_speak_three_languages() -> None:
    with pytest.raises(ValidationError) as err:
        parse_payload("CC1|acme|C1|invoices|00")
    issue = err.value.issues[0]
    assert len({issue.message("en"), issue.message("nl"), issue.message("fr")}) == 3


def test_a_short_key_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        cover_page(client(), "invoices", tenant="acme", key=b"short")
    assert ["cover.key.invalid"] == codes(err)


def test_a_selection_with_faults_reports_every_party_and_makes_no_page() -> None:
    parties = [client("C1"), client(None, "No Number BV"), client("C 3", "Spaced BV")]
    with pytest.raises(ValidationError) as err:
        cover_pages(parties, "invoices", tenant="acme")
    assert ["parties[1].number", "parties[2].number"] == [i.path for i in err.value.issues]
    assert "No Number BV" in err.value.issues[0].message()


def test_a_bad_document_kind_names_field_and_value() -> None:
    with pytest.raises(ValidationError) as err:
        cover_pages([client()], "in|voices", tenant="acme")
    assert "document_kind" == err.value.issues[0].path
    assert "in|voices" in err.value.issues[0].message()


def test_the_svg_shows_name_number_and_kind_in_plain_text_escaped() -> None:
    page = cover_page(client(name="Peeters & Zonen <BV>"), "invoices", tenant="acme")
    svg = page.svg(lang="nl")
    assert "Peeters &amp; Zonen &lt;BV&gt;" in svg
    assert "Klantnummer: C000042" in svg
    assert svg.startswith("<svg")
    assert svg.endswith("</svg>")


def test_the_pdf_has_one_page_per_cover_page() -> None:
    pages = cover_pages([client("C1"), client("C2", "Café Ökonomie")], "invoices", tenant="acme")
    pdf = cover_pages_pdf(pages, lang="fr")
    assert pdf.startswith(b"%PDF-")
    assert 2 == pdf.count(b"/Type /Page\n") or 2 == pdf.count(b"/Type /Page ")


def test_only_clientcore_payloads_count_as_cover_pages() -> None:
    assert is_cover_payload("CC1|a|b|c|12")
    assert is_cover_payload(" CC7|x ")
    assert not is_cover_payload("BCD\n002\n1\nSCT")
    assert not is_cover_payload(None)


def test_the_cover_page_image_in_the_docs_is_a_real_readable_page() -> None:
    from pathlib import Path

    image = Path(__file__).resolve().parents[2] / "docs" / "images" / "cover-page.png"
    (scanned,) = decode(image.read_bytes())
    assert CoverPayload("acme", "C000042", "invoices") == parse_payload(scanned)
    assert "'CC1|acme|C000042|invoices|67'" in (image.parents[1] / "actions.md").read_text("utf-8")


def test_importing_the_actions_pulls_in_no_optional_dependency() -> None:
    import subprocess
    import sys

    code = (
        "import sys, clientcore.actions;"
        "heavy = {'PIL', 'fpdf', 'openpyxl', 'zeep', 'qrcode', 'click'} & set(sys.modules);"
        "print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "[]" == out.stdout.strip()
