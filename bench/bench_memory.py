"""Memory per sample party without contacts: target under 2 kB.

Sample parties are stripped of contacts, locations and general correspondence with
``attrs.evolve``. ``tracemalloc`` counts what stays allocated as the parties are built,
chunk by chunk (the intermediate data of a chunk is dropped before it is measured):

- *as generated*: ``generate`` then the stripping evolve; equal values (tasks, staff,
  labels...) are shared between parties, as the generator makes them;
- *loaded from rows*: CSV text read with ``csv.DictReader`` and built with ``from_row``,
  as loading a registry from storage does: every value is a fresh object;
- baseline: a plain dict of the non-empty text cells of each CSV row.

10,000 parties in 10 chunks of 1,000; every figure is the median over the chunks.
Run: ``python bench/bench_memory.py``.
"""

from __future__ import annotations

import csv
import gc
import io
import itertools
import statistics
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs

from clientcore.model import Party, from_row, rows_to_csv_text
from clientcore.sample import generate

PARTIES = 10_000
CHUNK = 1_000
TARGET = 2_000  # bytes per party


def without_contacts(parties: Sequence[Party]) -> list[Party]:
    return [attrs.evolve(p, contacts=(), locations=(), correspondence=()) for p in parties]


def bytes_per_item(chunks: Iterable[Callable[[], list[Any]]]) -> tuple[float, list[Any]]:
    """Median bytes per item that the built chunks keep alive; every item built."""
    kept: list[Any] = []
    sizes: list[float] = []
    gc.collect()
    tracemalloc.start()
    try:
        for build in chunks:
            before = tracemalloc.get_traced_memory()[0]
            items = build()
            kept.extend(items)
            del items
            gc.collect()
            sizes.append((tracemalloc.get_traced_memory()[0] - before) / CHUNK)
    finally:
        tracemalloc.stop()
    return statistics.median(sizes), kept


def main() -> None:
    generate(200, seed=99)  # warm the module-level caches (schema, slugs, messages)
    seeds = range(PARTIES // CHUNK)
    parties = [p for seed in seeds for p in without_contacts(generate(CHUNK, seed=seed))]
    text = rows_to_csv_text(parties)
    from_row(next(csv.DictReader(io.StringIO(text))))

    def generated() -> Iterable[Callable[[], list[Any]]]:
        for seed in seeds:
            yield lambda seed=seed: without_contacts(generate(CHUNK, seed=seed))

    def rows_in_chunks(build: Callable[[dict[str, str]], Any]) -> Iterable[Callable[[], list[Any]]]:
        reader = csv.DictReader(io.StringIO(text))
        for _ in seeds:
            yield lambda: [build(row) for row in itertools.islice(reader, CHUNK)]

    def plain(row: dict[str, str]) -> dict[str, str]:
        return {key: value for key, value in row.items() if value}

    as_generated, built = bytes_per_item(generated())
    assert built == parties
    loaded, built = bytes_per_item(rows_in_chunks(from_row))
    assert built == parties, "the measured step must build the same parties"
    baseline, built = bytes_per_item(rows_in_chunks(plain))
    assert len(built) == PARTIES
    del built

    chunks = PARTIES // CHUNK
    print(f"memory per party without contacts: {PARTIES:,} sample parties, medians of {chunks}")
    for label, size in (
        ("Party, as generated (generate + evolve)", as_generated),
        ("Party, loaded from rows (csv + from_row)", loaded),
    ):
        verdict = "met" if size < TARGET else "NOT MET"
        print(f"  {label:<43} {size:7,.0f} bytes   target < {TARGET:,}: {verdict}")
    print(f"  {'baseline: dict of the non-empty text cells':<43} {baseline:7,.0f} bytes")
    print(f"  ratio generated / baseline: {as_generated / baseline:.2f}x")
    print(f"  ratio loaded / baseline: {loaded / baseline:.2f}x")


if __name__ == "__main__":
    main()
