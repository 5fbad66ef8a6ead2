"""Memory per loaded party: whole parties, as users get them. Target: at most 2 kB.

The sample parties of each size (with their contacts, locations and general
correspondence) are written to a CSV file; each figure is the memory a fresh process
keeps alive after loading that file one way, divided by the number of parties:

- **read_csv**: ``[r.party for r in read_csv(path, trusted=True)]``, the parties as the reader gives
  them (the figure the 2 kB target is about);
- **generate**: ``generate(count)``, the parties as the sample generator gives them;
- baseline **csv.DictReader**: the rows of the same file, kept as the dicts it returns;
- floor **bare attrs objects**: the ``sys.getsizeof`` of every attrs instance a loaded
  party holds (the party, its contacts, locations, addresses, tasks...), without the
  values in their slots: what a party costs if every value were shared.

Each load runs in its own process (the kinds interleaved, order rotated, run after run)
and is measured twice: with ``tracemalloc`` (what Python allocated and still holds,
after ``gc.collect()``), and in another process by the growth of the resident set
(RSS, from ``/proc/self/statm``; Linux only). Medians and spreads of ``--runs`` runs.

    python bench/bench_memory.py [--sizes 10000,100000] [--runs 5]
"""

from __future__ import annotations

import csv
import gc
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Timing, arguments, growth, header, rotations, sample_parties, verdict

TARGET = 2_000  # bytes per loaded party
KINDS = ("read_csv", "generate", "csv.DictReader")


def _load(kind: str, path: str, count: int) -> Callable[[], list[Any]]:
    if kind == "read_csv":
        from clientcore.model import read_csv

        return lambda: [r.party for r in read_csv(path, trusted=True)]
    if kind == "generate":
        from clientcore.sample import generate

        return lambda: generate(count, seed=0)

    def rows() -> list[Any]:
        with open(path, encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))

    return rows


def _resident() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def child(kind: str, path: str, count: int, mode: str) -> None:
    """In a fresh process: load once, print the bytes per party kept alive."""
    load = _load(kind, path, count)
    if kind == "read_csv":  # warm what every load pays once: imports, the field catalogue
        from clientcore.model import read_csv

        with open(path, encoding="utf-8", newline="") as handle:
            head = "".join(handle.readline() for _ in range(3))
        with tempfile.TemporaryDirectory() as tmp:
            small = Path(tmp) / "head.csv"
            small.write_text(head, encoding="utf-8")
            list(read_csv(small, trusted=True))
    elif kind == "generate":
        from clientcore.sample import generate

        generate(3, seed=1)
    gc.collect()
    if mode == "trace":
        import tracemalloc

        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        kept = load()
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
    else:
        before = _resident()
        kept = load()
        gc.collect()
        after = _resident()
    assert len(kept) == count, "every party loaded"
    assert all(p is not None for p in kept), "every row gave a party"
    print((after - before) / count)


def measure_once(kind: str, path: Path, count: int, mode: str) -> float:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path), str(count), mode],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout.strip())


def bare_attrs_bytes(parties: list[Any]) -> float:
    """Bytes per party of the attrs instances alone (each counted once)."""
    seen: set[int] = set()
    total = 0
    stack: list[Any] = list(parties)
    while stack:
        value = stack.pop()
        if id(value) in seen:
            continue
        if attrs.has(type(value)):
            seen.add(id(value))
            total += sys.getsizeof(value)
            stack.extend(getattr(value, f.name) for f in attrs.fields(type(value)))
        elif isinstance(value, (tuple, list, frozenset, set)):
            seen.add(id(value))
            stack.extend(value)
        elif isinstance(value, dict):
            seen.add(id(value))
            stack.extend(value.values())
    return total / len(parties)


def main() -> None:
    args = arguments(__doc__)
    header(
        "memory per loaded party (whole parties: contacts, locations, correspondence)", args.runs
    )
    print("  (memory, not time: each run is a fresh process; figures are bytes per party)")
    from clientcore.model import read_csv, write_csv

    results: dict[str, dict[str, dict[int, Timing]]] = {"trace": {}, "rss": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for count in args.sizes:
            path = Path(tmp) / f"sample-{count}.csv"
            write_csv(sample_parties(count), path)
            gc.collect()
            values: dict[tuple[str, str], list[float]] = {}
            for order in rotations(list(KINDS), args.runs):
                for kind in order:
                    for mode in ("trace", "rss"):
                        values.setdefault((kind, mode), []).append(
                            measure_once(kind, path, count, mode)
                        )
            loaded = [r.party for r in read_csv(path, trusted=True)]
            floor = bare_attrs_bytes(loaded)
            contacts = sum(len(p.contacts) for p in loaded) / count
            locations = sum(len(p.locations) for p in loaded) / count
            del loaded
            print(
                f"  {count:,} parties ({path.stat().st_size / count:,.0f} bytes of CSV each; "
                f"{contacts:.2f} contacts, {locations:.2f} locations per party)"
            )
            print(f"    {'bytes per party':<36} {'tracemalloc':>22} {'RSS growth':>22}")
            for kind in KINDS:
                for mode in ("trace", "rss"):
                    results[mode].setdefault(kind, {})[count] = Timing(values[(kind, mode)])
                t, r = results["trace"][kind][count], results["rss"][kind][count]
                print(
                    f"    {kind:<36} {t.median:9,.0f} ({t.spread:>11}) {r.median:9,.0f} "
                    f"({r.spread:>11})"
                )
            print(f"    {'floor: bare attrs objects':<36} {floor:9,.0f}")
            base = results["trace"]["csv.DictReader"][count].median
            mine = results["trace"]["read_csv"][count].median
            print(
                f"    read_csv / csv.DictReader: {mine / base:.2f}x; read_csv / floor: "
                f"{mine / floor:.2f}x"
            )
    for kind in KINDS:
        per_party = {n: t.median * n for n, t in results["trace"][kind].items()}
        print(f"  growth of the total, {kind}: {growth(per_party)}")
    worst = max(
        max(t.median for t in results[mode]["read_csv"].values()) for mode in ("trace", "rss")
    )
    print(
        f"  verdict: a party loaded through read_csv takes at most {worst:,.0f} bytes, "
        f"target <= {TARGET:,}: {verdict(worst <= TARGET)}"
    )


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
    else:
        main()
