"""The collector pause shared by the large builds (search index, import diff)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from clientcore._collector import collector_paused


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generations of the collections that run while the test runs; the collector
    is put back as the test found it."""
    started: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(info["generation"])

    was_enabled = gc.isenabled()
    gc.callbacks.append(count)
    try:
        yield started
    finally:
        gc.callbacks.remove(count)
        (gc.enable if was_enabled else gc.disable)()


def test_the_collector_is_paused_inside_and_on_again_after(collections: list[int]) -> None:
    gc.enable()
    with collector_paused():
        assert not gc.isenabled()
        kept = [[i] for i in range(50_000)]  # would set off young collections if on
        assert [] == collections
    assert gc.isenabled()
    # one young collection after the block, none during it (a Python that collects as soon
    # as the collector is back on may run its own young one just before)
    assert collections in ([1], [0, 1])
    assert len(kept) == 50_000


def test_what_the_block_kept_sits_in_the_old_generation_after_it() -> None:
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        with collector_paused():
            kept = [[i] for i in range(1_000)]
        young = {id(o) for o in gc.get_objects(generation=0) + gc.get_objects(generation=1)}
        assert not young & {id(kept), id(kept[0]), id(kept[-1])}
    finally:
        (gc.enable if was_enabled else gc.disable)()


def test_a_cycle_made_in_the_block_is_freed_by_the_collection_after_it() -> None:
    class Node:
        other: object = None

    was_enabled = gc.isenabled()
    gc.enable()
    try:
        gc.collect()
        with collector_paused():
            a, b = Node(), Node()
            a.other, b.other = b, a
            del a, b
        assert 0 == gc.collect()
    finally:
        (gc.enable if was_enabled else gc.disable)()


def test_no_collection_runs_when_the_host_switched_the_collector_off(
    collections: list[int],
) -> None:
    gc.disable()
    with collector_paused():
        kept = [[i] for i in range(50_000)]
    assert not gc.isenabled()
    assert [] == collections
    assert len(kept) == 50_000


@pytest.mark.parametrize("enabled", [True, False])
def test_an_error_in_the_block_leaves_the_collector_as_it_found_it(
    enabled: bool, collections: list[int]
) -> None:
    (gc.enable if enabled else gc.disable)()
    with pytest.raises(ValueError, match="boom"), collector_paused():
        raise ValueError("boom")
    assert enabled == gc.isenabled()
