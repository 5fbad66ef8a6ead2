"""Quick search: index build time, query time, and a linear scan as baseline.

For every size, each run builds a fresh :class:`SearchIndex` (timed) and sends it
about 200 distinct mixed queries (names, prefixes, identifiers in several formats),
each once, so no answer comes from a cache a previous run filled; the baseline folds
every name (timed) and scans the folded names for each query. Index and scan runs are
interleaved, order rotated, gc on. Printed per size: the build (wall clock, and
processor time, which leaves out what other processes take), the median, p90 and p99
of all queries, p50 and p99 per kind of query, and the cold figure (the first query a
fresh index answers). Targets: build under 2 s at 100,000 parties and under 10 s at
1,000,000, growing linearly; p99 of every kind of query under 5 ms at every size.

A size above 100,000 that is a multiple of it (1,000,000) is made of copies of the
100,000 sample, because generating it takes minutes: copy ``k`` gets the id, client
number and e-mail address of its original with ``k`` added (so those stay unique) and
keeps the other identifiers (so each of them is shared by the copies, the hard case).

    python bench/bench_search.py [--sizes 10000,100000] [--runs 5]
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Sequence
from operator import attrgetter
from pathlib import Path

import attrs
import phonenumbers

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clientcore import Party
from clientcore._text import fold
from clientcore.query import SearchIndex

from _common import (
    Timing,
    arguments,
    growth,
    header,
    rotations,
    row,
    run_once,
    sample_parties,
    verdict,
)

BUILD_TARGET = 2.0
LARGE_BUILD_TARGET = 10.0
QUERY_TARGET = 0.005
NAME_KINDS = frozenset({"name", "prefix", "words"})
GENERATED = 100_000


def parties(count: int) -> list[Party]:
    """``count`` sample parties; above :data:`GENERATED`, copies of that many."""
    if count <= GENERATED or count % GENERATED:
        return list(sample_parties(count))
    base = sample_parties(GENERATED)
    names = [f.name for f in attrs.fields(Party)]
    read = attrgetter(*names)
    # Copied field by field through the slots: an ``attrs.evolve`` per copy would
    # validate every field again and take minutes.
    set_field = {n: getattr(Party, n).__set__ for n in names}
    setters = [set_field[n] for n in names]
    out = list(base)
    for k in range(1, count // GENERATED):
        for p in base:
            copy = object.__new__(Party)
            for put, value in zip(setters, read(p)):
                put(copy, value)
            set_field["id"](copy, f"{p.id}.{k}")
            if p.number:
                set_field["number"](copy, f"{p.number}K{k}")
            if p.email:
                set_field["email"](copy, f"{k}.{p.email}")
            out.append(copy)
    return out


def queries(sample: Sequence[Party], rng: random.Random) -> list[tuple[str, str, str | None]]:
    """(kind, text, id expected first) for about 200 mixed queries."""
    out: list[tuple[str, str, str | None]] = []
    picks = rng.sample(list(sample), min(400, len(sample)))
    for p in picks[:40]:
        words = p.name.split()
        out.append(("name", p.name, None))
        out.append(("prefix", p.name[:3], None))
        if len(words) > 1:
            out.append(("words", f"{words[1][:3]} {words[0][:2]}", None))
    for p in picks[40:]:
        if len(out) >= 200:
            break
        if p.enterprise_number:
            e = p.enterprise_number
            out.append(("enterprise", f"{e[:4]}.{e[4:7]}.{e[7:]}", p.id))
            out.append(("enterprise", f"BE {e[:4]} {e[4:7]} {e[7:]}", p.id))
        if p.national_number:
            n = p.national_number
            out.append(("national", f"{n[:2]}.{n[2:4]}.{n[4:6]}-{n[6:9]}.{n[9:]}", p.id))
        if p.phone:
            national = phonenumbers.format_number(
                phonenumbers.parse(p.phone), phonenumbers.PhoneNumberFormat.NATIONAL
            )
            out.append(("phone", national, p.id))
        if p.iban:
            out.append(
                ("iban", " ".join(p.iban[i : i + 4] for i in range(0, len(p.iban), 4)), p.id)
            )
        if p.number:
            out.append(("number", p.number.lower(), p.id))
    return out[:200]


def main() -> None:
    args = arguments(__doc__)
    header("quick search: index build and queries against a linear scan of folded names", args.runs)
    build_costs: dict[int, float] = {}
    query_costs: dict[int, float] = {}
    scan_costs: dict[int, float] = {}
    worst_identifier = 0.0
    worst_median = 0.0
    worst_p99 = 0.0
    worst_cpu_p99 = 0.0  # processor time: without what other processes add
    for count in args.sizes:
        sample = parties(count)
        mixed = list(
            {
                text: (kind, text, expected)
                for kind, text, expected in queries(sample, random.Random(1))
            }.values()
        )  # each text once
        index = SearchIndex(sample)
        misses = [
            (kind, text)
            for kind, text, expected in mixed
            if expected is not None and expected not in [h.record.id for h in index.search(text)]
        ]
        del index
        builds: dict[str, list[float]] = {"index": [], "scan": []}
        latencies: dict[str, list[float]] = {"index": [], "scan": []}
        by_kind: dict[str, list[float]] = {}
        cold: list[float] = []
        cpu_by_kind: dict[str, list[float]] = {}  # processor time: what a loaded machine adds
        cpu_builds: list[float] = []
        for order in rotations(["index", "scan"], args.runs):
            for side in order:
                if side == "index":  # a fresh index every run: no query is served warm
                    spent, index = run_once(lambda s=sample, c=cpu_builds: _build(s, c))
                    builds["index"].append(spent)
                    for n, (kind, text, _) in enumerate(mixed):
                        started, cpu = time.perf_counter(), time.process_time()
                        index.search(text)
                        spent = time.perf_counter() - started
                        cpu_by_kind.setdefault(kind, []).append(time.process_time() - cpu)
                        latencies["index"].append(spent)
                        by_kind.setdefault(kind, []).append(spent)
                        if n == 0:
                            cold.append(spent)
                    del index
                else:
                    spent, folded = run_once(lambda sample=sample: [fold(p.name) for p in sample])
                    builds["scan"].append(spent)
                    for _, text, _ in mixed:
                        started = time.perf_counter()
                        needle = fold(text)
                        [i for i, name in enumerate(folded) if needle in name][:50]
                        latencies["scan"].append(time.perf_counter() - started)
                    del folded
        build, fold_all = Timing(builds["index"]), Timing(builds["scan"])
        ours, scan = latencies["index"], latencies["scan"]
        median, scan_median = statistics.median(ours), statistics.median(scan)
        p99 = _p99(ours)
        build_costs[count], query_costs[count], scan_costs[count] = (
            build.median,
            median,
            scan_median,
        )
        identifier = [
            t for kind, values in by_kind.items() if kind not in NAME_KINDS for t in values
        ]
        worst_identifier = max(worst_identifier, statistics.median(identifier))
        worst_median = max(worst_median, median)
        print(
            f"  {count:,} parties; {len(mixed)} distinct queries, each once per fresh index;"
            f" identifier queries that missed their party: {misses or 'none'}"
        )
        print(row("build the index", build, unit="s"))
        print(row("  processor time of the build", Timing(cpu_builds), unit="s"))
        print(row("baseline: fold every name", fold_all, unit="s"))
        print(
            f"    query: median {median * 1000:.3f} ms, p90 "
            f"{statistics.quantiles(ours, n=10)[-1] * 1000:.3f} ms, p99 {p99 * 1000:.3f} ms, "
            f"max {max(ours) * 1000:.1f} ms"
        )
        print(
            f"    cold (first query of a fresh index): median "
            f"{statistics.median(cold) * 1e3:.3f} ms"
        )
        print("    by kind (ms):      p50      p99  cpu p50  cpu p99   queries")
        for kind, values in by_kind.items():
            kind_p99 = _p99(values)
            worst_p99 = max(worst_p99, kind_p99)
            cpu = cpu_by_kind[kind]
            worst_cpu_p99 = max(worst_cpu_p99, _p99(cpu))
            print(
                f"      {kind:<12} {statistics.median(values) * 1e3:8.3f} {kind_p99 * 1e3:8.3f}"
                f" {statistics.median(cpu) * 1e3:8.3f} {_p99(cpu) * 1e3:8.3f}"
                f"   {len(values) // args.runs}"
            )
        print(
            f"    baseline (linear scan over folded names): median {scan_median * 1000:.2f} ms; "
            f"the index takes {median / scan_median:.3f}x its time"
        )
    print(f"  growth of the build:        {growth(build_costs)}")
    print(f"  growth of a query (median): {growth(query_costs)}")
    print(f"  growth of the linear scan:  {growth(scan_costs)}")
    slowest_build = max(build_costs.values())
    at_100k = (
        verdict(build_costs[100_000] < BUILD_TARGET) if 100_000 in build_costs else "not measured"
    )
    at_1m = (
        verdict(build_costs[1_000_000] < LARGE_BUILD_TARGET)
        if 1_000_000 in build_costs
        else "not measured"
    )
    print(
        f"  verdict: build at most {slowest_build:.2f} s (target < {BUILD_TARGET:g} s at "
        f"100,000: {at_100k}; < {LARGE_BUILD_TARGET:g} s at 1,000,000: {at_1m}); query median "
        f"at most {worst_median * 1000:.3f} ms, identifier queries "
        f"{worst_identifier * 1000:.3f} ms; p99 of the slowest kind {worst_p99 * 1000:.3f} ms "
        f"(processor time {worst_cpu_p99 * 1000:.3f} ms) "
        f"(target < {QUERY_TARGET * 1000:.0f} ms: {verdict(worst_p99 < QUERY_TARGET)})"
    )


def _build(sample: Sequence[Party], cpu: list[float]) -> SearchIndex[Party]:
    """A fresh index, its processor time (without what other processes take) added to
    ``cpu``."""
    started = time.process_time()
    index = SearchIndex(sample)
    cpu.append(time.process_time() - started)
    return index


def _p99(values: Sequence[float]) -> float:
    """The 99th percentile (the highest value for fewer than 100 of them)."""
    if len(values) < 100:
        return max(values)
    return statistics.quantiles(values, n=100)[-1]


if __name__ == "__main__":
    main()
