"""Import diff speed: the exact-key diff against a plain dict hash join, the diff with
reading against reading alone, and the fuzzy pass per 10,000 unmatched records.

The registry is the sample registry of each size; the import holds 80% of it again
(10% of those with changed fields, 2% with an invalid e-mail, 1% whose keys point at
two parties) and 20% new parties. The sample itself holds some invalid values, so more
than 2% of the records are ``invalid``.

What each side does:

- "dict hash join, stored values": one dict per key on the values as stored, the same
  fields compared with ``!=`` (what a developer writes by hand, checking nothing).
- "dict hash join, checked keys" (the baseline of the target): the same join on the
  same checked compact keys the diff uses (``compact_key``: every key of both sides
  validated by its identifier type).
- "clientcore.sync.diff": the diff of the parties. It does more than the join: it
  validates every incoming record in full (every identifier, contacts' e-mails and
  phones included: the ``invalid`` bucket, with every issue), checks a key of ours
  only when a record points at it, normalises compared values and builds one
  ``FieldDiff`` per compared field.
- "read the import alone": ``read_csv(..., trusted=True)`` of the CSV text, every row
  result consumed: the reading a user runs before a diff (``docs/sync.md``; the command
  line's ``read_parties`` costs the same). ``trusted=True`` because the import is
  written from sample parties with their acceptance records, which an untrusted read
  refuses on their rows; read as trusted, its buckets are those of the parties above.
  Reading stores identifiers that are already compact as they are, without validating
  them, so it reports no identifier issue: the diff validates the records itself (and
  keeps whatever issues the reading gave a row).
- "read + validate + diff": ``diff(ours, read_csv(..., trusted=True))``: the same
  reading, handed to the diff, which reads every record, then validates and sorts them.
- "read + validate every record" (shown beside the target's figure, not instead of it):
  the same reading, then ``party_validator()`` on every party read. When the 1.3x target
  was set, reading validated every identifier itself; it now leaves that to whoever
  asks, so this is what "reading alone" cost then, and "read + validate + diff" against
  it is the diff's own share on top of reading and validating.
- The fuzzy pass compares 10,000 records that match no key (their names changed a
  little) by name within their postal code, against the whole registry; its cost is the
  fuzzy diff minus the exact diff of the same records.

Targets: the diff at most 2x the checked-key join, diff with reading at most 1.3x
reading alone, the fuzzy pass under 2 s per 10,000 unmatched records.

    python bench/bench_sync.py [--sizes 10000,100000] [--runs 5]
"""

from __future__ import annotations

import io
import sys
from functools import partial
from pathlib import Path
from typing import Any

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clientcore import Party
from clientcore.model import party_validator, read_csv, rows_to_csv_text
from clientcore.sync import DEFAULT_KEYS, compact_key, diff

from _common import arguments, growth, header, measure, row, sample_parties, verdict

DIFF_TARGET = 2.0
READ_TARGET = 1.3
FUZZY_TARGET = 2.0  # seconds per 10,000 unmatched records
FUZZY_RECORDS = 10_000


def make_import(ours: list[Party], count: int) -> list[Party]:
    """80% of ``ours`` again (10% changed, 2% invalid, 1% conflicting) and 20% new."""
    from clientcore.sample import generate

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


def make_unmatched(ours: list[Party], count: int) -> list[Party]:
    """``count`` records that match no key: our parties with their keys dropped and a
    letter added to their names (the fuzzy pass finds most of them again)."""
    return [
        attrs.evolve(p, id=f"f{i}", number=None, email=None, national_number=None,
                     enterprise_number=None, vat_number=None, name=p.name + "x")
        for i, p in enumerate(ours[:count])
    ]  # fmt: skip


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


def read_and_validate(text: str) -> int:
    """Read the import and validate every party read, as reading once did by itself."""
    validate = party_validator()
    issues = 0
    for result in read_csv(io.StringIO(text), trusted=True):
        issues += len(result.issues)
        if result.party is not None:
            issues += len(validate(result.party))
    return issues


def main() -> None:
    args = arguments(__doc__)
    header("import diff: exact keys against a dict hash join, with reading, fuzzy", args.runs)
    costs: dict[int, float] = {}
    base: dict[int, float] = {}
    worst = {"diff": 0.0, "read": 0.0, "fuzzy": 0.0}
    for count in args.sizes:
        ours = sample_parties(count)
        incoming = make_import(ours, count)
        result = diff(ours, incoming)
        fields = result.fields
        print(f"  {count:,} ours vs {len(incoming):,} incoming")
        print("    buckets: " + " · ".join(f"{k} {v:,}" for k, v in result.counts().items()))

        times = measure(
            {
                "join": partial(hash_join, ours, incoming, fields),
                "checked": partial(hash_join, ours, incoming, fields, checked),
                "diff": lambda ours=ours, incoming=incoming: diff(ours, incoming),
            },
            args.runs,
        )
        costs[count], base[count] = times["diff"].median, times["checked"].median
        worst["diff"] = max(worst["diff"], times["diff"].median / times["checked"].median)
        print(row("dict hash join, stored values", times["join"], unit="s"))
        print(row("dict hash join, checked keys", times["checked"], unit="s"))
        print(row("clientcore.sync.diff", times["diff"], times["checked"], unit="s"))

        # the import is written from sample parties, acceptance records included: it is
        # read as trusted, so its buckets are those of the parties above
        text = rows_to_csv_text(incoming)
        reading = measure(
            {
                "read": lambda text=text: sum(1 for _ in read_csv(io.StringIO(text), trusted=True)),
                "read+diff": lambda ours=ours, text=text: diff(
                    ours, read_csv(io.StringIO(text), trusted=True)
                ),
                "read+validate": partial(read_and_validate, text),
            },
            args.runs,
        )
        worst["read"] = max(worst["read"], reading["read+diff"].median / reading["read"].median)
        print(row("read the import alone", reading["read"], unit="s"))
        print(row("read + validate + diff", reading["read+diff"], reading["read"], unit="s"))
        print(row("read + validate every record", reading["read+validate"], unit="s"))
        print(
            "    read + validate + diff against read + validate every record: "
            f"{reading['read+diff'].median / reading['read+validate'].median:.2f}x"
        )

        unmatched = make_unmatched(ours, min(FUZZY_RECORDS, count))
        fuzzy = measure(
            {
                "exact": lambda ours=ours, unmatched=unmatched: diff(ours, unmatched),
                "fuzzy": lambda ours=ours, unmatched=unmatched: diff(ours, unmatched, fuzzy=True),
            },
            args.runs,
        )
        probable = len(diff(ours, unmatched, fuzzy=True).probable)
        per = (fuzzy["fuzzy"].median - fuzzy["exact"].median) * FUZZY_RECORDS / len(unmatched)
        worst["fuzzy"] = max(worst["fuzzy"], per)
        print(row(f"exact diff of {len(unmatched):,} unmatched", fuzzy["exact"], unit="s"))
        print(row("the same with fuzzy=True", fuzzy["fuzzy"], fuzzy["exact"], unit="s"))
        print(f"    fuzzy pass: {per:.2f} s per 10,000 unmatched records ({probable:,} probable)")
    print(f"  growth of the diff:             {growth(costs)}")
    print(f"  growth of the checked-key join: {growth(base)}")
    print(
        f"  verdict diff: worst ratio {worst['diff']:.2f}x, target <= {DIFF_TARGET:g}x: "
        + verdict(worst["diff"] <= DIFF_TARGET)
    )
    print(
        f"  verdict read + diff: worst ratio {worst['read']:.2f}x, target <= {READ_TARGET:g}x: "
        + verdict(worst["read"] <= READ_TARGET)
    )
    print(
        f"  verdict fuzzy: worst {worst['fuzzy']:.2f} s per 10,000, target < {FUZZY_TARGET:g} s: "
        + verdict(worst["fuzzy"] < FUZZY_TARGET)
    )


if __name__ == "__main__":
    main()
