"""Bulk edit speed: preview + apply of a 3-operation plan against a hand-written loop.

The plan sets the language, adds a label and activates a task on every party of an
in-memory store of sample parties (100,000 unless a count is given); the baseline
evolves each party once with the same three changes. Both sides are timed the same
way: in turns, with the cyclic garbage collector off while the clock runs (collected
before each run), so neither pays for the other's garbage. Target: at most 2x.

    python bench/bench_bulk.py [count] [runs]
"""

from __future__ import annotations

import datetime as dt
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clientcore import Actor, InMemoryUnitOfWork, Party, Task
from clientcore.adapters.memory import InMemoryStore
from clientcore.bulk import BulkPlan, Labels, SetField, SetTask
from clientcore.query import Filter
from clientcore.sample import generate

AT = dt.datetime(2026, 1, 5, 9, 0)
TARGET = 2.0


def hand(parties: list[Party]) -> list[Party]:  # what a developer would write without clientcore
    out = []
    for p in parties:
        tasks = list(p.tasks)
        for i, t in enumerate(tasks):
            if t.code == "vat":
                tasks[i] = attrs.evolve(t, active=True)
                break
        else:
            tasks.append(Task("vat", True))
        out.append(attrs.evolve(p, language="fr", labels=p.labels | {"bulk"}, tasks=tuple(tasks)))
    return out


def timed(action: Callable[[], Any]) -> float:
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        action()
        return time.perf_counter() - started
    finally:
        gc.enable()


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    parties = generate(count, seed=0)
    actor = Actor("ann", {"staff"})
    plan = BulkPlan(
        Filter.all(), [SetField("language", "fr"), Labels(add={"bulk"}), SetTask("vat", True)]
    )

    def ours() -> None:
        uow = InMemoryUnitOfWork(InMemoryStore(parties))
        receipt = plan.apply(uow, actor, preview=plan.preview(uow, actor), at=AT)
        assert len(receipt.applied) == count

    theirs_t, ours_t = [], []
    for _ in range(runs):  # in turns, so machine noise hits both alike
        theirs_t.append(timed(lambda: hand(parties)))
        ours_t.append(timed(ours))
    base, mine = statistics.median(theirs_t), statistics.median(ours_t)
    ratio = mine / base
    print(
        f"bulk plan (3 operations) over {count:,} parties, median of {runs} runs, GC off for both"
    )
    print(f"  hand-written evolve loop  {base:7.2f} s")
    print(f"  preview + apply           {mine:7.2f} s")
    print(f"  ratio                     {ratio:7.2f}x (target <= {TARGET:g}x)")
    print(f"  verdict                   {'OK' if ratio <= TARGET else 'OVER TARGET'}")


if __name__ == "__main__":
    main()
