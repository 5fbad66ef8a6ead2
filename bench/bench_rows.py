"""Rows to parties: what parsing costs.

1. ``from_row`` on 20,000 sample rows (made with ``to_row``) against a baseline that
   builds the same parties with ``Party(**kwargs)`` from pre-parsed, typed values (owned
   records already built): the ratio is the cost of parsing text cells (dates, booleans,
   JSON collections, identifiers) on top of constructing the party.
2. ``read_csv`` of a 20,000-row file against ``csv.DictReader`` alone: the ratio is the
   cost of turning CSV records into checked parties.

Each side makes one pass over the 20,000 rows, timed per chunk of 2,000 rows; the two
sides of a comparison take turns chunk by chunk, so that machine noise hits both alike.
Every figure is the median over the 10 chunks. Run: ``python bench/bench_rows.py``.
"""

from __future__ import annotations

import csv
import itertools
import statistics
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from clientcore.model import Party, from_row, read_csv, to_row, write_csv
from clientcore.sample import generate

ROWS = 20_000
CHUNK = 2_000


def chunk_medians(streams: dict[str, Iterable[object]]) -> dict[str, float]:
    """Median seconds per CHUNK items of each stream, consumed in turns, chunk by chunk."""
    iterators = {name: iter(stream) for name, stream in streams.items()}
    times: dict[str, list[float]] = {name: [] for name in streams}
    while iterators:
        for name, iterator in list(iterators.items()):
            start = time.perf_counter()
            taken = sum(1 for _ in itertools.islice(iterator, CHUNK))
            elapsed = time.perf_counter() - start
            if taken < CHUNK:
                del iterators[name]
                if taken == 0:
                    continue
            times[name].append(elapsed * CHUNK / taken)
    return {name: statistics.median(values) for name, values in times.items()}


def kwargs_of(party: Party) -> dict[str, Any]:
    """The party's fields as keyword arguments: typed values, owned records as objects."""
    return {f.name: getattr(party, f.name) for f in attrs.fields(Party) if f.init}


def show(label: str, seconds: float) -> None:
    print(f"  {label:<40} {CHUNK / seconds:>9,.0f} rows/s  ({seconds * 1e6 / CHUNK:,.0f} µs/row)")


def compare(title: str, sides: dict[str, tuple[str, float]]) -> None:
    """Print the rates of the two sides (name -> (label, median seconds)) and their ratio."""
    print(title)
    for label, seconds in sides.values():
        show(label, seconds)
    (slow, (_, slow_seconds)), (fast, (_, fast_seconds)) = sides.items()
    print(f"  ratio {slow} / {fast}: {slow_seconds / fast_seconds:.1f}x the time")


def main() -> None:
    parties = generate(ROWS, seed=0)
    rows = [to_row(p) for p in parties]
    kwargs = [kwargs_of(p) for p in parties]
    assert all(from_row(rows[i]) == parties[i] for i in range(0, ROWS, 499)), "round trip"
    assert all(Party(**kwargs[i]) == parties[i] for i in range(0, ROWS, 499))
    chunks = ROWS // CHUNK

    got = chunk_medians(
        {
            "from_row": (from_row(row) for row in rows),
            "baseline": (Party(**k) for k in kwargs),
        }
    )
    compare(
        f"from_row vs Party(**kwargs): {ROWS:,} sample rows, medians of {chunks} chunks",
        {
            "from_row": ("from_row(row)", got["from_row"]),
            "baseline": ("baseline: Party(**pre-parsed kwargs)", got["baseline"]),
        },
    )
    per_row = (got["from_row"] - got["baseline"]) / CHUNK * 1e6
    print(f"  parsing adds {per_row:,.0f} µs per row")

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sample.csv"
        write_csv(parties, path)
        size = path.stat().st_size / 1e6
        with open(path, encoding="utf-8", newline="") as handle:
            results = read_csv(path)
            got = chunk_medians(
                {
                    "read_csv": (result for result in results if result.ok),
                    "DictReader": csv.DictReader(handle),
                }
            )
        print()
        compare(
            f"read_csv vs csv.DictReader: a {ROWS:,}-row file of {size:.1f} MB, "
            f"medians of {chunks} chunks",
            {
                "read_csv": ("read_csv(path) -> parties", got["read_csv"]),
                "DictReader": ("baseline: csv.DictReader alone", got["DictReader"]),
            },
        )


if __name__ == "__main__":
    main()
