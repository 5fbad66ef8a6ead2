"""Refusal speed: how long each decoder takes to refuse a 10^6-element input.

Each decoder of untrusted input gets a document holding a list of a million texts
where a few are expected; the size check must refuse it before any per-element work.
The baseline is ``json.loads`` of the same document's text (what a host pays anyway to
parse the request), measured in the same run. Medians, garbage collector on.
Target: every refusal under 100 ms.

    python bench/bench_decoders.py [runs]
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

from _common import median_seconds

TARGET_MS = 100.0
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
    raise AssertionError("the decoder accepted a million elements")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    big = [f"p{i}" for i in range(1_000_000)]
    text = json.dumps({"ids": big})
    baseline = median_seconds(lambda: json.loads(text), runs)
    print(f"baseline json.loads of the 10^6-element document: {baseline * 1000:.1f} ms")
    worst = 0.0
    for name, (decode, data) in documents(big).items():
        seconds = median_seconds(lambda d=decode, x=data: refuse(d, x), runs)  # type: ignore[misc]
        worst = max(worst, seconds)
        print(
            f"{name:24} refuses 10^6 elements in {seconds * 1000:8.3f} ms "
            f"({seconds / baseline:.5f}x json.loads)"
        )
    verdict = "met" if worst * 1000 < TARGET_MS else "MISSED"
    print(f"slowest refusal {worst * 1000:.3f} ms; target under {TARGET_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
