"""Reading: what turning rows and CSV files into parties costs.

1. ``from_row`` on every sample row (made with ``to_row``) against a baseline that
   builds the same parties with ``Party(**kwargs)`` from pre-parsed, typed values (owned
   records already built): the ratio is the cost of parsing text cells (dates, booleans,
   JSON collections, identifiers) on top of constructing the party.
2. ``read_csv`` of a CSV file of the sample parties, keeping every party, against
   ``csv.DictReader`` reading the same file and keeping every row: the ratio is the
   cost of turning CSV records into checked parties.

Whole passes, interleaved, order rotated, gc on, caches cleared before each run.

    python bench/bench_rows.py [--sizes 10000,100000] [--runs 5]
"""

from __future__ import annotations

import csv
import sys
import tempfile
from pathlib import Path
from typing import Any

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clientcore.model import Party, from_row, read_csv, to_row, write_csv

from _common import arguments, growth, header, measure, row, sample_parties


def kwargs_of(party: Party) -> dict[str, Any]:
    """The party's fields as keyword arguments: typed values, owned records as objects."""
    return {f.name: getattr(party, f.name) for f in attrs.fields(Party) if f.init}


def dict_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def parties_read(path: Path) -> list[Party]:
    out = [result.party for result in read_csv(path, trusted=True) if result.ok]
    return [p for p in out if p is not None]


def main() -> None:
    args = arguments(__doc__)
    header("reading: from_row and read_csv against their baselines", args.runs)
    costs: dict[str, dict[int, float]] = {"from_row": {}, "kwargs": {}, "read_csv": {}, "csv": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for count in args.sizes:
            parties = sample_parties(count)
            rows = [to_row(p) for p in parties]
            kwargs = [kwargs_of(p) for p in parties]
            step = max(1, count // 40)
            assert all(from_row(rows[i], trusted=True) == parties[i] for i in range(0, count, step))
            assert all(Party(**kwargs[i]) == parties[i] for i in range(0, count, step))
            path = Path(tmp) / f"sample-{count}.csv"
            write_csv(parties, path)
            assert len(parties_read(path)) == count, "read_csv must load every sample party"
            size = path.stat().st_size / 1e6
            times = measure(
                {
                    "kwargs": lambda kwargs=kwargs: [Party(**k) for k in kwargs],
                    "from_row": lambda rows=rows: [from_row(r, trusted=True) for r in rows],
                    "csv": lambda path=path: dict_rows(path),
                    "read_csv": lambda path=path: parties_read(path),
                },
                args.runs,
            )
            del rows, kwargs
            for name in costs:
                costs[name][count] = times[name].median
            print(f"  {count:,} parties (a CSV file of {size:.1f} MB)")
            print(row("baseline: Party(**pre-parsed kwargs)", times["kwargs"]))
            print(row("from_row(row)", times["from_row"], times["kwargs"]))
            extra = (times["from_row"].median - times["kwargs"].median) / count * 1e6
            print(f"    parsing adds {extra:,.0f} us per row")
            print(row("baseline: csv.DictReader, kept", times["csv"]))
            print(row("read_csv(path) -> parties", times["read_csv"], times["csv"]))
            rate = count / times["read_csv"].median
            print(f"    read_csv: {rate:,.0f} parties/s")
    for name, label in (
        ("from_row", "from_row"),
        ("kwargs", "Party(**kwargs)"),
        ("read_csv", "read_csv"),
        ("csv", "csv.DictReader"),
    ):
        print(f"  growth of {label}: {growth(costs[name])}")


if __name__ == "__main__":
    main()
