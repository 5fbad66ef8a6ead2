"""Reading a client export and checking it: what :mod:`clientcore.io` costs.

1. ``clientcore.io.read`` of a sample CSV file into parties, against a baseline that
   reads the same file with ``csv.DictReader`` and builds the same parties by hand
   (``Party(**kwargs)`` from values typed beforehand, no validation). Target: at most 3x.
2. ``clientcore.completeness.check`` of the file (reading included) against reading it
   alone. Target: at most 1.5x.
3. Mapping a header of 1,000 and of 10,000 unknown columns: the time per column must
   not grow with the width (linear), shown as the ratio of the two per-column times.

Every figure is the median of five runs in this process, garbage collector on; the
sides of a comparison alternate run by run. Run: ``python bench/bench_reading.py
[rows]`` (default 20,000; the issue's figure is for 100,000).
"""

from __future__ import annotations

import csv
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from clientcore.completeness import check
from clientcore.io import map_header, read
from clientcore.model import Party, _identifiers, write_csv
from clientcore.sample import generate

RUNS = 5
TODAY = dt.date(2026, 1, 1)


def fresh() -> None:
    """Forget the identifiers validated by an earlier run, so that every run reads the
    file as a new process would (within a run, a value seen twice is validated once)."""
    _identifiers._memoised_outcome.cache_clear()


def median_seconds(sides: dict[str, Callable[[], object]]) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(RUNS):
        for name, run in sides.items():
            fresh()
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def kwargs_of(party: Party) -> dict[str, Any]:
    return {f.name: getattr(party, f.name) for f in attrs.fields(Party) if f.init}


def main(rows: int) -> None:
    parties = generate(rows, seed=0, today=TODAY)
    folder = Path(tempfile.mkdtemp())
    path = folder / "sample.csv"
    write_csv(parties, path)
    typed = [kwargs_of(p) for p in parties]

    def baseline() -> None:
        with open(path, encoding="utf-8", newline="") as handle:
            for _record, kwargs in zip(csv.DictReader(handle), typed):
                Party(**kwargs)

    def reading() -> None:
        for _ in read(path, trusted=True):
            pass

    def checking() -> None:
        check(path, today=TODAY)

    found = median_seconds({"baseline": baseline, "read": reading, "check": checking})
    print(f"{rows:,} sample rows ({path.stat().st_size / 1e6:.1f} MB), median of {RUNS} runs")
    for name, seconds in found.items():
        print(f"  {name:<10} {seconds:8.3f} s  {seconds * 1e6 / rows:8.1f} µs/row")
    read_ratio = found["read"] / found["baseline"]
    check_ratio = found["check"] / found["read"]
    print(f"read / (DictReader + Party by hand): {read_ratio:.2f}x  (target <= 3x)")
    print(f"check / read:                        {check_ratio:.2f}x  (target <= 1.5x)")

    narrow = [f"extra column {i}" for i in range(1_000)]
    wide = [f"extra column {i}" for i in range(10_000)]
    widths = median_seconds({"1k": lambda: map_header(narrow), "10k": lambda: map_header(wide)})
    per_narrow, per_wide = widths["1k"] / 1_000, widths["10k"] / 10_000
    print(
        f"header of 1,000 / 10,000 unknown columns: {per_narrow * 1e6:.1f} / "
        f"{per_wide * 1e6:.1f} µs per column, ratio {per_wide / per_narrow:.2f} (linear: ~1)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
