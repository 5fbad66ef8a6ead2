"""Bulk edit speed: preview + apply of a 3-operation plan against a hand-written loop.

The plan sets the language, adds a label and activates a task on every sample party
of an in-memory store; the baseline evolves each party once with the same three
changes. Both sides build what they need inside the timed run (a fresh store and unit
of work for the plan), with the garbage collector on, as in a host. Target: at most 2x.

    python bench/bench_bulk.py [--sizes 10000,100000] [--runs 5]
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clientcore import Actor, InMemoryUnitOfWork, Party, Task
from clientcore.adapters.memory import InMemoryStore
from clientcore.bulk import BulkPlan, Labels, SetField, SetTask
from clientcore.query import Filter

from _common import arguments, growth, header, measure, row, sample_parties, verdict

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


def main() -> None:
    args = arguments(__doc__)
    header(
        "bulk plan (3 operations): preview + apply against a hand-written evolve loop", args.runs
    )
    actor = Actor("ann", {"staff"})
    plan = BulkPlan(
        Filter.all(), [SetField("language", "fr"), Labels(add={"bulk"}), SetTask("vat", True)]
    )
    costs: dict[int, float] = {}
    base: dict[int, float] = {}
    ratios: dict[int, float] = {}
    for count in args.sizes:
        parties = sample_parties(count)

        def ours(parties: list[Party] = parties, count: int = count) -> None:
            uow = InMemoryUnitOfWork(InMemoryStore(parties))
            receipt = plan.apply(uow, actor, preview=plan.preview(uow, actor), at=AT)
            assert len(receipt.applied) == count

        times = measure({"hand": lambda parties=parties: hand(parties), "ours": ours}, args.runs)
        ratio = times["ours"].median / times["hand"].median
        costs[count], base[count], ratios[count] = times["ours"].median, times["hand"].median, ratio
        print(f"  {count:,} parties")
        print(row("hand-written evolve loop", times["hand"], unit="s"))
        print(row("preview + apply", times["ours"], times["hand"], unit="s"))
    print(f"  growth of preview + apply: {growth(costs)}")
    print(f"  growth of the hand loop:   {growth(base)}")
    worst = max(ratios.values())
    print(f"  verdict: worst ratio {worst:.2f}x, target <= {TARGET:g}x: {verdict(worst <= TARGET)}")


if __name__ == "__main__":
    main()
