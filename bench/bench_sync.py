"""Import diff speed: the exact-key diff against a plain dict hash join, the diff with
reading against reading alone, and the fuzzy pass per 10,000 unmatched records.

The registry is the sample registry (100,000 parties unless a count is given); the
import holds 80% of them again (10% of those with changed fields, 2% with an invalid
e-mail, 1% whose keys point at two parties) and 20% new parties. The baseline joins with
one dict per key and compares the same fields with ``!=``, once on the stored key values
(what a developer writes by hand, checking nothing) and once on the same checked compact
keys the diff uses (the baseline of the target). The diff does more: it validates every
incoming record in full (the ``invalid`` bucket) and normalises compared values. All are
timed in turns (medians, garbage collector on). Targets: the diff at most 2x
the join, diff with reading at most 1.3x reading alone, the fuzzy pass under 2 s per
10,000 unmatched records.

    python bench/bench_sync.py [count] [runs]
"""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clientcore import Party
from clientcore.model import read_csv, rows_to_csv_text
from clientcore.sample import generate
from clientcore.sync import DEFAULT_KEYS, SyncDiff, compact_key, diff

from _common import interleaved, median_seconds

DIFF_TARGET = 2.0
READ_TARGET = 1.3
FUZZY_TARGET = 2.0  # seconds per 10,000 unmatched records


def make_import(ours: list[Party], count: int) -> list[Party]:
    overlap = int(count * 0.8)
    out: list[Party] = []
    for i, party in enumerate(ours[:overlap]):
        copy = attrs.evolve(party, id=f"in{i}", version=0)
        if i % 100 < 10:  # 10% with changed fields
            copy = attrs.evolve(copy, name=party.name + " (new)", portfolio="Import")
        elif i % 100 < 12:  # 2% invalid
            copy = attrs.evolve(copy, email="not-an-email@")
        elif i % 100 < 13 and i + 1 < overlap:  # 1% conflicts: the e-mail is another party's
            copy = attrs.evolve(copy, email=ours[i + 1].email, number=None)
        out.append(copy)
    fresh = generate(count - overlap, seed=7)
    out.extend(
        attrs.evolve(p, id=f"new{i}", number=None, email=f"new{i}@example.be")
        for i, p in enumerate(fresh)
    )
    return out


def stored(key: str, party: Party) -> Any:
    return getattr(party, key)


def checked(key: str, party: Party) -> Any:
    country = party.address.country if party.address is not None else None
    return compact_key(key, getattr(party, key), country)


def hash_join(
    ours: list[Party], incoming: list[Party], fields: tuple[str, ...], key_of: Any = stored
) -> int:
    """The baseline: one dict per key, the same fields compared with ``!=``; the key is
    the stored value (``stored``) or the same checked compact form the diff uses."""
    index: dict[str, dict[Any, list[Party]]] = {k: {} for k in DEFAULT_KEYS}
    for party in ours:
        for key in DEFAULT_KEYS:
            value = key_of(key, party)
            if value is not None:
                index[key].setdefault(value, []).append(party)
    taken: dict[str, list[Party]] = {}
    differences = 0
    for record in incoming:
        found: dict[str, Party] = {}
        for key in DEFAULT_KEYS:
            value = key_of(key, record)
            if value is not None:
                for party in index[key].get(value, ()):
                    found[party.id] = party
        if len(found) == 1:
            (party,) = found.values()
            taken.setdefault(party.id, []).append(record)
    by_id = {p.id: p for p in ours}
    for pid, records in taken.items():
        if len(records) == 1:
            a, b = by_id[pid], records[0]
            for path in fields:
                if path.startswith("address."):
                    x = getattr(a.address, path[8:], None) if a.address else None
                    y = getattr(b.address, path[8:], None) if b.address else None
                else:
                    x, y = getattr(a, path), getattr(b, path)
                if x != y:
                    differences += 1
    return differences


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    ours = generate(count, seed=0)
    incoming = make_import(ours, count)
    result: SyncDiff = diff(ours, incoming)
    fields = result.fields
    print(f"import diff: {count:,} ours vs {len(incoming):,} incoming, median of {runs} runs")
    print("  buckets   " + " · ".join(f"{k} {v:,}" for k, v in result.counts().items()))

    times = interleaved(
        {
            "join": lambda: hash_join(ours, incoming, fields),
            "checked": lambda: hash_join(ours, incoming, fields, checked),
            "diff": lambda: diff(ours, incoming),
        },
        repeat=runs,
    )
    ratio = times["diff"] / times["checked"]
    print(f"  dict hash join, stored values   {times['join']:7.2f} s")
    print(f"  dict hash join, checked keys    {times['checked']:7.2f} s")
    print(f"  clientcore.sync.diff            {times['diff']:7.2f} s")
    print(f"  ratio to the stored-value join  {times['diff'] / times['join']:7.2f}x")
    print(f"  ratio to the checked-key join   {ratio:7.2f}x (target <= {DIFF_TARGET:g}x)")
    print(f"  verdict                         {'OK' if ratio <= DIFF_TARGET else 'OVER TARGET'}")

    text = rows_to_csv_text(incoming)
    reading = interleaved(
        {
            "read": lambda: sum(1 for _ in read_csv(io.StringIO(text))),
            "read+diff": lambda: diff(ours, read_csv(io.StringIO(text))),
        },
        repeat=max(3, runs // 2),
    )
    ratio2 = reading["read+diff"] / reading["read"]
    print(f"  read the import alone           {reading['read']:7.2f} s")
    print(f"  read + validate + diff          {reading['read+diff']:7.2f} s")
    print(f"  ratio                           {ratio2:7.2f}x (target <= {READ_TARGET:g}x)")
    print(f"  verdict                         {'OK' if ratio2 <= READ_TARGET else 'OVER TARGET'}")

    # the fuzzy pass: 10,000 unmatched records against the registry, blocked by postal code
    unmatched = [
        attrs.evolve(p, id=f"f{i}", number=None, email=None, national_number=None,
                     enterprise_number=None, vat_number=None, name=p.name + "x")
        for i, p in enumerate(ours[:10_000])
    ]  # fmt: skip
    exact = median_seconds(lambda: diff(ours, unmatched), repeat=3)
    fuzzy = median_seconds(lambda: diff(ours, unmatched, fuzzy=True), repeat=3)
    probable = len(diff(ours, unmatched, fuzzy=True).probable)
    per = (fuzzy - exact) * 10_000 / len(unmatched)
    print(f"  fuzzy pass, {len(unmatched):,} unmatched records ({probable:,} probable)")
    print(f"  time per 10,000 unmatched       {per:7.2f} s (target < {FUZZY_TARGET:g} s)")
    print(f"  verdict                         {'OK' if per < FUZZY_TARGET else 'OVER TARGET'}")


if __name__ == "__main__":
    main()
