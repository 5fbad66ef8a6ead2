"""``Filter.mask(frame)``: a boolean Series equal to ``matches`` row by row."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientcore.query import F, Filter

pd = pytest.importorskip("pandas")

CITIES = st.sampled_from(["Gent", "gent", "Brugge", "", None])
NUMBERS = st.one_of(st.none(), st.integers(-5, 5), st.floats(allow_nan=True, width=32))
FILTERS = st.sampled_from(
    [
        F("address.city").eq("Gent"),
        F("address.city").blank(),
        F("address.city").not_in(["Brugge"]),
        F("version").gt(0),
        F("version").blank() | F("address.city").starts_with("br"),
        Filter.all(),
    ]
)


@settings(max_examples=60, deadline=None)
@given(FILTERS, st.lists(st.tuples(CITIES, NUMBERS), max_size=6))
def test_mask_is_matches_row_by_row(flt: Filter, rows: list[tuple[object, object]]) -> None:
    frame = pd.DataFrame(rows, columns=["address.city", "version"])
    expected = [flt.matches({"address.city": c, "version": None if n != n else n}) for c, n in rows]
    assert expected == flt.mask(frame).tolist()


def test_mask_keeps_the_frame_index() -> None:
    frame = pd.DataFrame({"address.city": ["Gent", "Brugge"]}, index=[10, 20])
    assert {10: True, 20: False} == F("address.city").eq("gent").mask(frame).to_dict()
