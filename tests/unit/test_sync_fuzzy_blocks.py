"""The fuzzy pass scores a postal-code block as one matrix: the same candidates, in the
same order, with the same scores as RapidFuzz's ``process.extract`` per record (the
reference below), with or without numpy and however the block is cut."""

from __future__ import annotations

import sys
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clientcore.model import Party
from clientcore.sample import generate
from clientcore.sync import _diff as sync_diff
from clientcore.sync import diff, match_name
from clientcore.sync._keys import postal_block, sorted_match_name

fuzz = pytest.importorskip("rapidfuzz.fuzz")
process = pytest.importorskip("rapidfuzz.process")


def _sorted_words(name: str) -> str:
    return " ".join(sorted(name.split()))


def _reference(ours: list[Party], incoming: list[Party], threshold: float) -> Any:
    """The probable matches, what stays new and only ours, one ``extract`` per record."""
    exact = diff(ours, incoming)
    records = [n.incoming for n in exact.new]
    blocks: dict[str, list[Party]] = {}
    names: dict[str, list[str]] = {}
    for party in exact.only_ours:
        block = postal_block(party)
        name = _sorted_words(match_name(party.name)) if block is not None else ""
        if block is not None and name:
            blocks.setdefault(block, []).append(party)
            names.setdefault(block, []).append(name)
    probable, left, taken = [], [], set()
    for record in records:
        assert record.party is not None
        block = postal_block(record.party)
        pool = blocks.get(block) if block is not None else None
        if not pool:
            left.append(record.index)
            continue
        wanted = match_name(record.party.name)
        found = process.extract(
            _sorted_words(wanted),
            names[block],  # type: ignore[index]
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=threshold,
            limit=5,
        )
        if not found or not wanted:
            left.append(record.index)
            continue
        candidates = [(pool[i].id, round(float(score), 1)) for _name, score, i in found]
        taken.update(pid for pid, _ in candidates)
        probable.append((record.index, candidates))
    only = [p.id for p in exact.only_ours if p.id not in taken]
    return probable, left, only


def _found(ours: list[Party], incoming: list[Party], threshold: float) -> Any:
    d = diff(ours, incoming, fuzzy=True, threshold=threshold)
    probable = [
        (p.incoming.index, [(party.id, score) for party, score in p.candidates]) for p in d.probable
    ]
    return probable, [n.incoming.index for n in d.new], [p.id for p in d.only_ours]


def _unmatched(ours: list[Party], step: int) -> list[Party]:
    """Every ``step``-th party of ours without its keys and with its name changed a little."""
    return [
        attrs.evolve(
            p,
            id=f"f{i}",
            number=None,
            email=None,
            national_number=None,
            enterprise_number=None,
            vat_number=None,
            name=p.name + ("x" if i % 3 else " BV"),
        )
        for i, p in enumerate(ours[::step])
    ]


@pytest.fixture(scope="module")
def sample() -> tuple[list[Party], list[Party]]:
    ours = generate(3000, seed=11)
    return ours, _unmatched(ours, 4)


@pytest.mark.parametrize("threshold", [90.0, 75.5, 50.0])
def test_the_matrix_gives_what_extract_per_record_gives(
    sample: tuple[list[Party], list[Party]], threshold: float
) -> None:
    ours, incoming = sample
    expected = _reference(ours, incoming, threshold)
    assert expected[0], "the sample must give probable matches"
    assert _found(ours, incoming, threshold) == expected


def test_without_numpy_each_record_is_scored_alone_with_the_same_result(
    sample: tuple[list[Party], list[Party]], monkeypatch: pytest.MonkeyPatch
) -> None:
    ours, incoming = sample
    expected = _found(ours, incoming, 80.0)
    monkeypatch.setitem(sys.modules, "numpy", None)  # import numpy fails
    assert _found(ours, incoming, 80.0) == expected == _reference(ours, incoming, 80.0)


def test_a_block_cut_into_many_matrices_gives_the_same_result(
    sample: tuple[list[Party], list[Party]], monkeypatch: pytest.MonkeyPatch
) -> None:
    ours, incoming = sample
    expected = _found(ours, incoming, 80.0)
    monkeypatch.setattr(sync_diff, "_MATRIX_CELLS", 7)
    assert _found(ours, incoming, 80.0) == expected


_WORDS = st.sampled_from(["bakkerij", "peeters", "peters", "de", "vos", "an", "nv", "vo"])
_NAMES = st.lists(_WORDS, min_size=1, max_size=3).map(" ".join)
_CODES = st.sampled_from(["9000", "9050", "1000", None])


def _party(pid: str, name: str, code: str | None) -> Party:
    address = {"postal_code": code} if code is not None else None
    return Party(id=pid, kind="client_company", name=name, address=address)  # type: ignore[arg-type]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(_NAMES, _CODES), max_size=14),
    st.lists(st.tuples(_NAMES, _CODES), max_size=6),
    st.sampled_from([0.0, 40.0, 66.7, 90.0, 100.0]),
    st.booleans(),
)
def test_ties_and_more_than_five_candidates_come_in_extracts_order(
    ours_names: list[tuple[str, str | None]],
    their_names: list[tuple[str, str | None]],
    threshold: float,
    numpy: bool,
) -> None:
    ours = [_party(f"p{i}", n, c) for i, (n, c) in enumerate(ours_names)]
    incoming = [_party(f"x{i}", n, c) for i, (n, c) in enumerate(their_names)]
    expected = _reference(ours, incoming, threshold)
    if numpy:
        assert _found(ours, incoming, threshold) == expected
    else:
        with pytest.MonkeyPatch.context() as patch:
            patch.setitem(sys.modules, "numpy", None)
            assert _found(ours, incoming, threshold) == expected


@settings(max_examples=400)
@given(
    st.text(max_size=40)
    | st.lists(
        st.sampled_from(["B.V.B.A.", "Café", "ÉLAN", "nv", "De", "s.a.", "  ", "-", "Ⅻ", "ß"]),
        max_size=6,
    ).map(" ".join)
)
def test_a_name_with_its_words_sorted_is_match_name_with_its_words_sorted(name: str) -> None:
    assert sorted_match_name(name) == " ".join(sorted(match_name(name).split()))
