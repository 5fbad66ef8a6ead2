"""Refusal speed: how long each decoder takes to refuse an oversized input.

Each decoder of untrusted input gets a document holding a list of texts where a few are
expected: ``size`` elements more than the longest list any decoder accepts (100,000, a
bulk plan's ids), so 110,000 and 200,000 elements by default and 1,100,000 with
``make bench-large``. The size check must refuse it before any per-element work, so
the time should hardly grow with the size (growth per 10x of the element count). The baseline is
``json.loads`` of the same document's text (what a host pays anyway to parse the
request). Interleaved, order rotated, ``gc.collect()`` before each run and the
collector on, caches cleared, median and spread of ``--runs`` runs, growth per 10x.
Target: every refusal under 100 ms at every size.

    python bench/bench_decoders.py [--sizes 10000,100000] [--runs 5]
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clientcore.bulk import BulkPlan
from clientcore.completeness import RuleSet
from clientcore.errors import ClientCoreError
from clientcore.model import from_row, party_from_json
from clientcore.query import ColumnLayout, F, Filter, SavedFilter
from clientcore.status import RolePolicy

from _common import arguments, growth, header, measure, row, verdict

TARGET_MS = 100.0
LONGEST_ACCEPTED = 100_000  # a bulk plan's ids (the largest limit of any decoder)
AT = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
SAVED = SavedFilter("f1", "VAT", "star", "ann", False, F("vat_liable").eq(True), AT, AT)


def documents(big: list[str]) -> dict[str, tuple[Callable[[Any], object], Any]]:
    return {
        "RolePolicy.from_json": (
            RolePolicy.from_json,
            {"roles": {"clerk": {"transitions": big}}},
        ),
        "ColumnLayout.from_json": (
            ColumnLayout.from_json,
            {"clientcore_columns": 1, "visible": big},
        ),
        "RuleSet.from_json": (
            RuleSet.from_json,
            {"clientcore_rules": 1, "name": "x", "rules": big},
        ),
        "BulkPlan.from_json": (
            BulkPlan.from_json,
            {
                "clientcore_bulk_plan": 1,
                "id": "b1",
                "selection": {"filter": None, "ids": big},
                "operations": [],
            },
        ),
        "SavedFilter.from_json": (SavedFilter.from_json, {**SAVED.to_json(), "icon": big}),
        "Filter.from_json": (
            Filter.from_json,
            {"clientcore_filter": 1, "where": {"path": "name", "op": "in", "value": big}},
        ),
        "party_from_json": (
            party_from_json,
            {"kind": "client_company", "name": "x", "labels": big},
        ),
        "from_row": (from_row, {"kind": "client_company", "name": "x", "labels": big}),
    }


def refuse(decode: Callable[[Any], object], data: Any) -> None:
    try:
        decode(data)
    except ClientCoreError:
        return
    raise AssertionError("the decoder accepted an oversized list")


def main() -> None:
    args = arguments(__doc__)
    header("decoders refusing an oversized list, against json.loads of the same text", args.runs)
    costs: dict[str, dict[int, float]] = {}
    worst = 0.0
    for over in args.sizes:
        size = over + LONGEST_ACCEPTED
        big = [f"p{i}" for i in range(size)]
        text = json.dumps({"ids": big})
        sides: dict[str, Callable[[], object]] = {"json.loads": lambda t=text: json.loads(t)}
        for name, (decode, data) in documents(big).items():
            sides[name] = lambda d=decode, x=data: refuse(d, x)  # type: ignore[misc]
        times = measure(sides, args.runs)
        base = times["json.loads"]
        print(f"  {size:,} elements")
        print(row("json.loads (baseline)", base))
        for name in documents([]):
            timing = times[name]
            costs.setdefault(name, {})[size] = timing.median
            worst = max(worst, timing.median)
            print(row(f"{name} refuses", timing, base))
    for name, by_size in costs.items():
        print(f"  growth of {name}: {growth(by_size)}")
    ok = worst * 1000 < TARGET_MS
    print(
        f"  slowest refusal {worst * 1000:.3f} ms; target under {TARGET_MS:.0f} ms at every "
        f"size: {verdict(ok)}"
    )


if __name__ == "__main__":
    main()
