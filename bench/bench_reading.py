"""Reading a client export and checking it: what :mod:`clientcore.io` costs.

1. ``clientcore.io.read`` of a sample CSV file into parties (``trusted=True``: the
   registry's own file, acceptance records included), against a baseline that reads the
   same file with ``csv.DictReader`` and builds the same parties by hand
   (``Party(**kwargs)`` from values typed beforehand, no validation). Target: at most 3x.
2. ``clientcore.completeness.check`` of the file (reading included) against reading it
   alone. Target: at most 1.5x.
3. Mapping a header of 1,000 and of 10,000 unknown columns: the time per column must
   not grow with the width (linear), shown as the ratio of the two per-column times.

The common method of ``bench/_common.py``: the sides run interleaved, their order
rotated run by run, ``gc.collect()`` before each run and the collector on during it,
every clientcore cache emptied before each run (the identifier memo and the reader's
memos of parsed values and column plans included, so each run reads the file as a new
process would), medians of at least 5 runs with their spread, and the growth per 10x
between the sizes.

    python bench/bench_reading.py [--sizes 10000,100000] [--runs 5]
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
import tempfile
from pathlib import Path
from typing import Any

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clientcore.completeness import check
from clientcore.io import map_header, read
from clientcore.model import Party, _codec, write_csv

from _common import (
    Timing,
    arguments,
    clear_caches,
    growth,
    header,
    measure,
    row,
    sample_parties,
    verdict,
)

READ_TARGET = 3.0
CHECK_TARGET = 1.5
TODAY = dt.date(2026, 1, 1)


def fresh() -> None:
    """Every cache a read fills, emptied: functools caches (the identifier memo, the
    catalogue) and the reader's own memos (parsed values, column plans)."""
    clear_caches()
    _codec._PARSED.clear()
    _codec._PLANS.clear()


def kwargs_of(party: Party) -> dict[str, Any]:
    return {f.name: getattr(party, f.name) for f in attrs.fields(Party) if f.init}


def main() -> None:
    args = arguments(__doc__)
    header("reading a sample export (clientcore.io.read) and checking it", args.runs)
    reads: dict[int, float] = {}
    checks: dict[int, float] = {}
    bases: dict[int, float] = {}
    ratios: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for count in args.sizes:
            parties = sample_parties(count)
            path = Path(tmp) / f"sample-{count}.csv"
            write_csv(parties, path)
            typed = [kwargs_of(p) for p in parties]

            def baseline(path: Path = path, typed: list[dict[str, Any]] = typed) -> None:
                with open(path, encoding="utf-8", newline="") as handle:
                    for _record, kwargs in zip(csv.DictReader(handle), typed, strict=True):
                        Party(**kwargs)

            def reading(path: Path = path) -> None:
                for _ in read(path, trusted=True):
                    pass

            def checking(path: Path = path) -> None:
                check(path, today=TODAY)

            found = measure(
                {"baseline": baseline, "read": reading, "check": checking},
                args.runs,
                reset=fresh,
            )
            del typed
            base, got, checked = found["baseline"], found["read"], found["check"]
            print(f"  {count:,} sample rows ({path.stat().st_size / 1e6:.1f} MB)")
            print(row("DictReader + Party by hand", base, unit="s"))
            print(row("io.read", got, base, unit="s"))
            print(row("completeness.check (reading incl.)", checked, got, unit="s"))
            per_row = {n: t.median * 1e6 / count for n, t in found.items()}
            print(
                "    per row: "
                + ", ".join(f"{n} {us:,.1f} µs" for n, us in per_row.items())
                + f"; read/baseline {got.median / base.median:.2f}x, "
                f"check/read {checked.median / got.median:.2f}x"
            )
            reads[count], checks[count], bases[count] = got.median, checked.median, base.median
            ratios.append((got.median / base.median, checked.median / got.median))
    print(f"  growth of io.read: {growth(reads)}")
    print(f"  growth of check:   {growth(checks)}")
    print(f"  growth of baseline: {growth(bases)}")
    worst_read = max(r for r, _ in ratios)
    worst_check = max(c for _, c in ratios)
    print(
        f"  verdict: read/baseline at most {worst_read:.2f}x, target <= {READ_TARGET}x: "
        f"{verdict(worst_read <= READ_TARGET)}"
    )
    print(
        f"  verdict: check/read at most {worst_check:.2f}x, target <= {CHECK_TARGET}x: "
        f"{verdict(worst_check <= CHECK_TARGET)}"
    )

    narrow = [f"extra column {i}" for i in range(1_000)]
    wide = [f"extra column {i}" for i in range(10_000)]
    widths: dict[str, Timing] = measure(
        {"1k": lambda: map_header(narrow), "10k": lambda: map_header(wide)}, args.runs
    )
    per_narrow, per_wide = widths["1k"].median / 1_000, widths["10k"].median / 10_000
    print(
        f"  header of 1,000 / 10,000 unknown columns: {per_narrow * 1e6:.1f} / "
        f"{per_wide * 1e6:.1f} µs per column, ratio {per_wide / per_narrow:.2f} (linear: ~1)"
    )


if __name__ == "__main__":
    main()
