"""split_and_route: a cover page starts a document; nothing is filed to the wrong client."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clientcore import ValidationError
from clientcore.actions import CoverPayload, RoutedDocument, split_and_route

KEY = b"a host secret of 32 bytes, here."
A = CoverPayload("acme", "C1", "invoices")
B = CoverPayload("acme", "C2", "payslips")


def test_a_cover_page_starts_a_document_of_the_pages_after_it() -> None:
    routing = split_and_route([A, None, None, B, None])
    assert (
        RoutedDocument("C1", "invoices", (1, 2), 0, "acme"),
        RoutedDocument("C2", "payslips", (4,), 3, "acme"),
    ) == routing.documents
    assert routing.ok


def test_pages_before_the_first_cover_are_reported_not_filed() -> None:
    routing = split_and_route([None, None, A, None])
    assert (0, 1) == routing.unrouted
    assert ((3,),) == tuple(d.pages for d in routing.documents)
    assert not routing.ok


def test_covers_can_be_kept_with_their_document() -> None:
    routing = split_and_route([A, None, B, None], keep_covers=True)
    assert ((0, 1), (2, 3)) == tuple(d.pages for d in routing.documents)


def test_a_cover_followed_by_a_cover_is_an_empty_document() -> None:
    routing = split_and_route([A, B, None, A])
    assert (0, 3) == routing.empty
    assert 1 == len(routing.documents)


def test_raw_payload_text_is_verified_and_other_qr_codes_are_ordinary_pages() -> None:
    epc = "BCD\n002\n1\nSCT\nGEBABEBB\nBakkerij\nBE71096123456769\nEUR12.5"
    routing = split_and_route([A.encode(), epc, None])
    assert ((1, 2),) == tuple(d.pages for d in routing.documents)


def test_a_damaged_cover_starts_unrouted_pages_until_the_next_good_one() -> None:
    damaged = A.encode()[:-2] + "00" if not A.encode().endswith("00") else A.encode()[:-2] + "01"
    routing = split_and_route([B, None, damaged, None, None, A, None])
    assert ((1,), (6,)) == tuple(d.pages for d in routing.documents)
    assert (3, 4) == routing.unrouted
    assert 2 == routing.refused[0].index
    assert "cover.payload.check" == routing.refused[0].issues[0].code


def test_with_a_key_an_unsigned_or_forged_cover_is_refused() -> None:
    forged = B.encode(KEY).replace("|C2|", "|C1|")
    routing = split_and_route([A.encode(KEY), None, A.encode(), None, forged, None], key=KEY)
    assert ((1,),) == tuple(d.pages for d in routing.documents)
    assert ["cover.payload.unsigned", "cover.payload.forged"] == [
        r.issues[0].code for r in routing.refused
    ]


def test_a_cover_of_another_tenant_is_refused() -> None:
    other = CoverPayload("other", "C1", "invoices")
    routing = split_and_route([other, None, other.encode(), None], tenant="acme")
    assert () == routing.documents
    assert (1, 3) == routing.unrouted
    assert 2 == len(routing.refused)


def test_a_page_that_is_no_decoded_value_is_an_error() -> None:
    with pytest.raises(ValidationError) as err:
        split_and_route([A, 42])  # type: ignore[list-item]
    assert "pages[1]" == err.value.issues[0].path


pages = st.lists(st.one_of(st.none(), st.sampled_from([A, B])), max_size=40)


@given(pages, st.booleans())
def test_every_page_is_accounted_for_exactly_once(
    batch: list[CoverPayload | None], keep: bool
) -> None:
    routing = split_and_route(batch, keep_covers=keep)
    seen = [p for d in routing.documents for p in d.pages]
    covers = [i for i, p in enumerate(batch) if p is not None]
    filed_covers = {d.cover for d in routing.documents}
    if keep:
        seen = [p for p in seen if p not in filed_covers]
    accounted = sorted(seen + list(routing.unrouted) + covers)
    assert list(range(len(batch))) == accounted
    assert len(seen) == len(set(seen))
    assert all(batch[d.cover] is not None for d in routing.documents)
    assert sorted(filed_covers | set(routing.empty)) == covers
