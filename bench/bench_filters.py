"""Filter speed: a compiled 6-condition filter against a hand-written lambda, same run.

Run: ``.venv/bin/python bench/bench_filters.py [count]`` (default 100,000 parties).
Target: ``flt.select`` at most 1.3x the lambda; compiling under 1 ms. Prints the medians
of interleaved runs and a verdict. The lambda does the same work as the filter: it folds
case and accents of the texts it compares (with the library's own ``fold``, the
cheapest correct way), and reads the party's pre-folded label set.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clientcore._text import fold
from clientcore.query import F
from clientcore.query._compile import compile_both
from clientcore.sample import generate

from _common import interleaved, median_seconds

N = 100_000
TARGET = 1.3
LEGAL_FORMS = frozenset({"bv", "nv", "srl"})


def main(count: int = N) -> None:
    rnd = random.Random(1)
    parties = [
        attrs.evolve(p, custom={"finance": {"revenue": rnd.randrange(0, 500_000)}})
        for p in generate(count, seed=0)
    ]
    flt = (
        F("legal_form").in_(["BV", "NV", "SRL"])
        & F("vat_liable").eq(True)
        & F("name").starts_with("b")
        & (F("custom.finance.revenue") > 100_000)
        & ~F("labels").has("vip")
        & F("status").eq("client")
    )
    predicate = flt.compile()

    def hand(p):  # the same question, by hand: case- and accent-insensitive like the filter
        return (
            p.legal_form is not None
            and fold(p.legal_form) in LEGAL_FORMS
            and p.vat_liable is True
            and p.name is not None
            and fold(p.name).startswith("b")
            and p.custom.get("finance", {}).get("revenue", 0) > 100_000
            and "vip" not in p.folded_labels
            and p.status == "client"
        )

    matched = sum(map(predicate, parties))
    assert matched == sum(map(hand, parties)), "the lambda and the filter disagree"
    times = interleaved(
        {
            "lambda": lambda: [p for p in parties if hand(p)],
            "clientcore": lambda: flt.select(parties),
            "predicate": lambda: [p for p in parties if predicate(p)],
        },
        repeat=9,
    )
    compile_time = median_seconds(lambda: compile_both.__wrapped__(flt, None, None), 51)
    ratio = times["clientcore"] / times["lambda"]
    pred_ratio = times["predicate"] / times["lambda"]
    print(f"filter over {count:,} parties ({matched:,} match), median of 9 interleaved runs")
    print(f"  hand-written lambda  {times['lambda'] * 1000:8.1f} ms")
    print(f"  flt.select           {times['clientcore'] * 1000:8.1f} ms  {ratio:5.2f}x")
    print(f"  compile() predicate  {times['predicate'] * 1000:8.1f} ms  {pred_ratio:5.2f}x")
    print(f"  compile              {compile_time * 1e6:8.0f} us (target < 1000 us)")
    verdict = "OK" if ratio <= TARGET and compile_time < 0.001 else "MISSED"
    print(f"  verdict              {verdict}: select {ratio:.2f}x against the {TARGET}x target")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else N)
