"""Quick search on 100,000 parties: build time, query time, and a naive scan as baseline.

Run: ``.venv/bin/python bench/bench_search.py [count]``. Prints the build time (target
under 2 s), the median time of about 200 mixed queries (names, prefixes, identifiers in
several formats; target under 5 ms), and the ratio against a linear scan over the
folded names for the same queries, measured in the same run.
"""

from __future__ import annotations

import gc
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import phonenumbers

from clientcore import Party
from clientcore._text import fold
from clientcore.query._search import SearchIndex

BUILD_TARGET = 2.0
QUERY_TARGET = 0.005


def parties(count: int) -> list[Party]:
    """The sample registry when it exists, else simple parties with valid numbers."""
    try:
        from clientcore.sample import generate
    except ImportError:
        return simple_parties(count)
    return generate(count, seed=0)


def simple_parties(count: int) -> list[Party]:
    rng = random.Random(0)
    trades = ["Bakkerij", "Garage", "Apotheek", "Brouwerij", "Immo", "Transport", "Café"]
    last = ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Dubois", "Lambert"]
    out = []
    for i in range(count):
        base = rng.randrange(2_000_000, 19_999_999)
        number = f"{base:08d}{97 - base % 97:02d}"
        out.append(
            Party(
                id=f"p{i}",
                kind="client_company",
                name=f"{rng.choice(trades)} {rng.choice(last)} BV",
                number=f"C{i:06d}",
                enterprise_number=number,
                vat_number="BE" + number,
                phone=f"+32{rng.randrange(10**8, 10**9)}",
            )
        )
    return out


def queries(sample: Sequence[Party], rng: random.Random) -> list[tuple[str, str, str | None]]:
    """(kind, text, id expected first) for about 200 mixed queries."""
    out: list[tuple[str, str, str | None]] = []
    picks = rng.sample(list(sample), 400)
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


def timed(run: Callable[[str], Any], texts: Sequence[str], rounds: int = 3) -> list[float]:
    times = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            run(text)
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    start = time.perf_counter()
    sample = parties(count)
    print(f"{count:,} parties generated in {time.perf_counter() - start:.1f} s")
    # The generator leaves millions of young objects behind; collect them now so their
    # first full garbage collection is not billed to the index build.
    gc.collect()

    wall, cpu = time.perf_counter(), time.process_time()
    index = SearchIndex(sample)
    build, build_cpu = time.perf_counter() - wall, time.process_time() - cpu
    verdict = "ok" if build < BUILD_TARGET else "SLOW"
    print(
        f"build: {build:.2f} s wall, {build_cpu:.2f} s cpu (target < {BUILD_TARGET} s: {verdict})"
    )

    mixed = queries(sample, random.Random(1))
    texts = [text for _, text, _ in mixed]
    misses = [
        (kind, text)
        for kind, text, expected in mixed
        if expected is not None and expected not in [h.record.id for h in index.search(text)]
    ]
    print(f"{len(mixed)} queries; identifier queries that missed their party: {misses or 'none'}")

    folded = [fold(p.name) for p in sample]

    def naive(text: str) -> list[int]:
        needle = fold(text)
        return [i for i, name in enumerate(folded) if needle in name][:50]

    ours = timed(index.search, texts)
    baseline = timed(naive, texts, rounds=1)
    median, base_median = statistics.median(ours), statistics.median(baseline)
    p90 = statistics.quantiles(ours, n=10)[-1]
    verdict = "ok" if median < QUERY_TARGET else "SLOW"
    print(
        f"query: median {median * 1000:.3f} ms, p90 {p90 * 1000:.3f} ms, "
        f"max {max(ours) * 1000:.1f} ms (target median < {QUERY_TARGET * 1000:.0f} ms: {verdict})"
    )
    by_kind: dict[str, list[float]] = {}
    for (kind, _, _), spent in zip(mixed * 3, ours):
        by_kind.setdefault(kind, []).append(spent)
    print(
        "  by kind (median ms): "
        + ", ".join(f"{kind} {statistics.median(v) * 1000:.3f}" for kind, v in by_kind.items())
    )
    print(
        f"baseline (linear scan over folded names): median {base_median * 1000:.2f} ms; "
        f"index is {base_median / median:.0f}x faster"
    )


if __name__ == "__main__":
    main()
