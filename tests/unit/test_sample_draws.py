"""The generator's fast draws agree with the plain ones they replace, draw for draw."""

from __future__ import annotations

import bisect
import itertools

from hypothesis import given
from hypothesis import strategies as st

from clientcore.sample import _KINDS, _Rng, _Weighted

weights = st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=12).filter(
    lambda ws: sum(ws) > 0
)
draws = st.floats(min_value=0.0, max_value=1.0, exclude_max=True)


def by_bisection(pairs: list[tuple[int, int]], draw: float) -> int:
    # the weighted choice as it was written first: bisect the cumulative weights
    cumulative = list(itertools.accumulate(weight for _, weight in pairs))
    return pairs[bisect.bisect_right(cumulative, draw * cumulative[-1])][0]


@given(weights, draws)
def test_a_weighted_pick_is_the_item_the_bisection_picks(ws: list[int], draw: float) -> None:
    pairs = list(enumerate(ws))
    assert by_bisection(pairs, draw) == _Weighted(pairs).pick(lambda: draw)


@given(draws)
def test_the_kinds_table_picks_as_the_bisection_does(draw: float) -> None:
    pairs = [(item, _KINDS.table.count(item)) for item in _KINDS.items]
    assert by_bisection(pairs, draw) == _KINDS.pick(lambda: draw)


def test_a_weighted_pick_draws_once() -> None:
    calls: list[float] = []

    def random() -> float:
        calls.append(0.5)
        return 0.5

    _Weighted([("a", 1), ("b", 3)]).pick(random)
    assert [0.5] == calls


def sample_by_rejection(rng: _Rng, items: list[int], k: int) -> list[int]:
    # the rejection loop _Rng.sample runs for few items out of many, k == 1 included
    chosen: dict[int, None] = {}
    while len(chosen) < k:
        chosen.setdefault(int(rng.random() * len(items)))
    return [items[i] for i in chosen]


@given(st.integers(min_value=5, max_value=500), st.integers(min_value=0, max_value=2**32))
def test_sampling_one_item_draws_as_the_rejection_loop_does(size: int, seed: int) -> None:
    items = list(range(size))
    fast, plain = _Rng(seed), _Rng(seed)
    assert (sample_by_rejection(plain, items, 1), plain.random()) == (
        fast.sample(items, 1),
        fast.random(),
    )
