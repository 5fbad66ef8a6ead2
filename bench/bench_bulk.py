"""Bulk edit speed: a two-operation plan against the hand-written ``attrs.evolve`` loop.

The plan sets the language and activates the VAT task on every sample party of an
in-memory store; the baseline evolves each party once with the same two changes, as a
developer would write it without clientcore (``attrs.evolve`` runs every converter and
rule of ``Party``, so the loop validates the changed values as a careful host would).
Both sides start from the same parties as a registry holds them (stored, at version 1:
made once, outside the timed runs, as the sample itself is) and build what they need
inside the timed run (a fresh store and unit of work for the plan), with the garbage
collector on, as in a host.

Targets: preview + apply at most 1.5x the loop, the preview alone at most 1.2x.

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
from clientcore.bulk import BulkPlan, SetField, SetTask
from clientcore.query import Filter

from _common import arguments, growth, header, measure, row, sample_parties, verdict

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


def main() -> None:
    args = arguments(__doc__)
    header(
        "bulk plan (2 operations): preview, and preview + apply, against an evolve loop", args.runs
    )
    actor = Actor("ann", {"staff"})
    plan = BulkPlan(Filter.all(), [SetField("language", "fr"), SetTask("vat", True)])
    costs: dict[int, float] = {}
    base: dict[int, float] = {}
    worst = {"preview": 0.0, "apply": 0.0}
    for count in args.sizes:
        # the registry's parties as stored (version 1), not unsaved ones the store would
        # first have to copy at version 1: saving new parties is not part of a plan
        parties = list(InMemoryStore(sample_parties(count)).parties.values())

        def preview_only(parties: list[Party] = parties, count: int = count) -> None:
            uow = InMemoryUnitOfWork(InMemoryStore(parties))
            assert plan.preview(uow, actor).selected == count

        def preview_and_apply(parties: list[Party] = parties) -> None:
            uow = InMemoryUnitOfWork(InMemoryStore(parties))
            preview = plan.preview(uow, actor)
            receipt = plan.apply(uow, actor, preview=preview, at=AT)
            assert len(receipt.applied) == len(preview.changed_ids)

        times = measure(
            {
                "hand": lambda parties=parties: hand(parties),
                "preview": preview_only,
                "apply": preview_and_apply,
            },
            args.runs,
        )
        costs[count], base[count] = times["apply"].median, times["hand"].median
        for side in worst:
            worst[side] = max(worst[side], times[side].median / times["hand"].median)
        print(f"  {count:,} parties")
        print(row("hand-written evolve loop", times["hand"], unit="s"))
        print(row("preview", times["preview"], times["hand"], unit="s"))
        print(row("preview + apply", times["apply"], times["hand"], unit="s"))
    print(f"  growth of preview + apply: {growth(costs)}")
    print(f"  growth of the hand loop:   {growth(base)}")
    for side, target in (("preview", TARGET_PREVIEW), ("apply", TARGET_APPLY)):
        label = "preview" if side == "preview" else "preview + apply"
        ok = verdict(worst[side] <= target)
        print(f"  verdict {label}: worst ratio {worst[side]:.2f}x, target <= {target:g}x: {ok}")


if __name__ == "__main__":
    main()
