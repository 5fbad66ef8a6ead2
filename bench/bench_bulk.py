"""Bulk edit speed: preview + apply of a 3-operation plan against a hand-written loop.

The plan sets the language, adds a label and activates a task on every party of an
in-memory store of 100,000 sample parties; the baseline evolves each party once with
the same three changes. Target: at most 2x.
"""

from __future__ import annotations

import datetime as dt
import gc
import statistics
import sys
import time
from pathlib import Path

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clientcore import Actor, InMemoryUnitOfWork, Task
from clientcore.adapters.memory import InMemoryStore
from clientcore.bulk import BulkPlan, Labels, SetField, SetTask
from clientcore.query import Filter
from clientcore.sample import generate

N = 100_000
AT = dt.datetime(2026, 1, 5, 9, 0)


def hand(parties):  # what a developer would write without clientcore
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
    parties = generate(N, seed=0)
    actor = Actor("ann", {"staff"})
    plan = BulkPlan(
        Filter.all(), [SetField("language", "fr"), Labels(add={"bulk"}), SetTask("vat", True)]
    )
    ours, theirs = [], []
    for _ in range(3):
        gc.collect()
        started = time.perf_counter()
        hand(parties)
        theirs.append(time.perf_counter() - started)
        uow = InMemoryUnitOfWork(InMemoryStore(parties))
        gc.collect()
        started = time.perf_counter()
        preview = plan.preview(uow, actor)
        receipt = plan.apply(uow, actor, preview=preview, at=AT)
        ours.append(time.perf_counter() - started)
        assert len(receipt.applied) == N
    del uow, preview, receipt
    gc.collect()
    gc.disable()  # the same loop once more with the collector off for both
    started = time.perf_counter()
    hand(parties)
    base_nogc = time.perf_counter() - started
    uow = InMemoryUnitOfWork(InMemoryStore(parties))
    started = time.perf_counter()
    plan.apply(uow, actor, preview=plan.preview(uow, actor), at=AT)
    mine_nogc = time.perf_counter() - started
    gc.enable()
    mine, base = statistics.median(ours), statistics.median(theirs)
    print(f"bulk plan (3 operations) over {N:,} parties, median of 3 runs")
    print(f"  hand-written evolve loop  {base:7.2f} s")
    print(f"  preview + apply           {mine:7.2f} s")
    print(f"  ratio                     {mine / base:7.2f}x (target <= 2x)")
    print(
        f"  with the garbage collector off for both (clientcore pauses it during a plan): "
        f"{base_nogc:.2f} s vs {mine_nogc:.2f} s, {mine_nogc / base_nogc:.2f}x"
    )


if __name__ == "__main__":
    main()
