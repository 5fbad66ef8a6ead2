"""Filter speed: a compiled 6-condition filter against a hand-written lambda, same run.

Target: at most 1.3x the lambda over 100,000 sample parties; compiling under 1 ms.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clientcore.query import F
from clientcore.query._compile import compile_both
from clientcore.sample import generate

from _common import interleaved, median_seconds

N = 100_000


def main() -> None:
    rnd = random.Random(1)
    parties = [
        attrs.evolve(p, custom={"finance": {"revenue": rnd.randrange(0, 500_000)}})
        for p in generate(N, seed=0)
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

    def hand(p):  # what a developer would write by hand for the same question
        return (
            p.legal_form in {"BV", "NV", "SRL"}
            and p.vat_liable is True
            and p.name.lower().startswith("b")
            and p.custom.get("finance", {}).get("revenue", 0) > 100_000
            and "vip" not in p.labels
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
    print(f"filter over {N:,} parties ({matched:,} match), median of 9 interleaved runs")
    print(f"  hand-written lambda  {times['lambda'] * 1000:8.1f} ms")
    print(f"  flt.select           {times['clientcore'] * 1000:8.1f} ms")
    print(f"  ratio                {ratio:8.2f}x (target <= 1.3x)")
    print(
        f"  predicate in a list comprehension {times['predicate'] * 1000:.1f} ms "
        f"({times['predicate'] / times['lambda']:.2f}x)"
    )
    print(f"  compile              {compile_time * 1e6:8.0f} us (target < 1000 us)")


if __name__ == "__main__":
    main()
