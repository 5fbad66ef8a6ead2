"""Bulk edit speed: a two-operation plan against the hand-written ``attrs.evolve`` loop.

The plan sets the language and activates the VAT task on every party of an in-memory
store of sample parties (100,000 unless a count is given); the baseline evolves each
party once with the same two changes, as a developer would write it without clientcore.
Everything is timed as a host runs it: the garbage collector on, medians of runs taken
in turns so machine noise hits every side alike.

Targets: preview + apply at most 1.5x the loop, the preview alone at most 1.2x.

    python bench/bench_bulk.py [count] [runs]
"""

from __future__ import annotations

import datetime as dt
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
from clientcore.bulk import BulkPlan, SetField, SetTask
from clientcore.query import Filter
from clientcore.sample import generate

AT = dt.datetime(2026, 1, 5, 9, 0)
TARGET_APPLY = 1.5
TARGET_PREVIEW = 1.2


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
        out.append(attrs.evolve(p, language="fr", tasks=tuple(tasks)))
    return out


def timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    parties = generate(count, seed=0)
    actor = Actor("ann", {"staff"})
    plan = BulkPlan(Filter.all(), [SetField("language", "fr"), SetTask("vat", True)])
    store = InMemoryStore(parties)

    def preview_only() -> None:
        uow = InMemoryUnitOfWork(InMemoryStore(store.parties.values()))
        assert plan.preview(uow, actor).selected == count

    def preview_and_apply() -> None:
        uow = InMemoryUnitOfWork(InMemoryStore(store.parties.values()))
        preview = plan.preview(uow, actor)
        receipt = plan.apply(uow, actor, preview=preview, at=AT)
        assert len(receipt.applied) == len(preview.changed_ids)

    sides: dict[str, Callable[[], Any]] = {
        "loop": lambda: hand(parties),
        "preview": preview_only,
        "apply": preview_and_apply,
    }
    times: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(runs):  # in turns, garbage collector on, as a host runs it
        for name, action in sides.items():
            times[name].append(timed(action))
    base, preview, both = (statistics.median(times[n]) for n in ("loop", "preview", "apply"))
    print(f"bulk plan (2 operations) over {count:,} parties, median of {runs} runs, GC on")
    print(f"  hand-written evolve loop  {base:7.2f} s")
    print(f"  preview                   {preview:7.2f} s")
    print(f"  preview + apply           {both:7.2f} s")
    for label, ratio, target in (
        ("preview ratio", preview / base, TARGET_PREVIEW),
        ("preview + apply ratio", both / base, TARGET_APPLY),
    ):
        verdict = "OK" if ratio <= target else "OVER TARGET"
        print(f"  {label:24}  {ratio:5.2f}x (target <= {target:g}x)  {verdict}")


if __name__ == "__main__":
    main()
