"""Actions: export rows per second and peak memory (CSV and XLSX), cover pages per second.

- **export rows/s**, at every size: ``export(parties, DEFAULT_COLUMNS, out)`` to CSV
  against a hand-written ``csv.writer`` loop that reads the same attributes with
  ``getattr`` and formats them the plain way (no labels, no formula guard): the ratio
  is the price of the codec's text forms and the guard. ``fmt="xlsx"`` against the
  same plain values appended to an openpyxl write-only sheet (what any streaming XLSX
  writer pays): the ratio is the price of clientcore's cells (typed text, quote
  prefix).
- **peak memory**, at every size: how much the peak RSS of a fresh process grows while
  it exports a generator of the parties to a file (CSV, XLSX), against the same rows
  held in a list (what a writer that first builds every row holds). The parties repeat
  200 sample parties, loaded before the measure, so the figure is the export's own.
  Target: the export's growth under a quarter of the rows held (it streams).
- **cover pages/s** (one size: 100 pages a run): ``cover_page`` + ``.svg()``,
  + ``.png()`` and ``cover_pages_pdf`` per page, against ``qrcode.make(payload)`` saved
  as PNG (qrcode's own image, no text).

Interleaved, order rotated, ``gc.collect()`` before each run and the collector on,
caches cleared, median and spread of ``--runs`` runs, growth per 10x.

    python bench/bench_actions.py [--sizes 10000,100000] [--runs 5]
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import qrcode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clientcore.actions import cover_page, cover_pages_pdf, export
from clientcore.model import Party
from clientcore.query import DEFAULT_COLUMNS

from _common import arguments, growth, header, measure, row, sample_parties, verdict

DISTINCT = 10_000
MEMORY_DISTINCT = 200  # few parties in the memory runs: their own peak stays out of the figure
MEMORY_TARGET = 0.25  # the export's peak growth against the rows held in a list

MEMORY_PROGRAM = """
import gc, itertools, json, resource, sys
from clientcore.actions import export
from clientcore.query import DEFAULT_COLUMNS
from clientcore.sample import generate
parties = generate({distinct}, seed=0)
stream = lambda: itertools.islice(itertools.cycle(parties), {count})
# every module the export needs imported first (openpyxl alone is tens of MB)
export(parties[:2], DEFAULT_COLUMNS, fmt="xlsx")
list(export(parties[:2], DEFAULT_COLUMNS, fmt="rows"))
gc.collect()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if {side!r} == "held":
    kept = list(export(stream(), DEFAULT_COLUMNS, fmt="rows", header="path"))
else:
    export(stream(), DEFAULT_COLUMNS, {out!r}, fmt={side!r})
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps((after - before) * 1024))
"""


def stream(parties: list[Party], count: int) -> Iterator[Party]:
    return itertools.islice(itertools.cycle(parties), count)


def plain(value: object) -> str:
    return "" if value is None else str(value)


def getters() -> list[object]:
    out = []
    for column in DEFAULT_COLUMNS:
        parts = column.split(".")

        def get(p: Party, parts: list[str] = parts) -> object:
            value: object = p
            for part in parts:
                value = getattr(value, part, None)
            return value

        out.append(get)
    return out


def baseline_csv(parties: list[Party], count: int, path: str) -> int:
    gets = getters()
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(DEFAULT_COLUMNS)
        rows = 0
        for party in stream(parties, count):
            writer.writerow([plain(g(party)) for g in gets])  # type: ignore[operator]
            rows += 1
    return rows


def baseline_xlsx(parties: list[Party], count: int, path: str) -> int:
    from openpyxl import Workbook

    gets = getters()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("clients")
    sheet.append(list(DEFAULT_COLUMNS))
    rows = 0
    for party in stream(parties, count):
        sheet.append([plain(g(party)) or None for g in gets])  # type: ignore[operator]
        rows += 1
    book.save(path)
    return rows


def peak_growth(side: str, count: int, out: str) -> int:
    program = MEMORY_PROGRAM.format(
        distinct=MEMORY_DISTINCT,
        count=count,
        side=side,
        out=out,
    )
    done = subprocess.run(
        [sys.executable, "-c", program], check=True, capture_output=True, text=True
    )
    return int(json.loads(done.stdout))


def main() -> None:
    args = arguments(__doc__)
    header(
        f"actions: export of {len(DEFAULT_COLUMNS)} columns (CSV, XLSX) against plain "
        "writers; cover pages against qrcode.make",
        args.runs,
    )
    parties = sample_parties(DISTINCT)
    costs: dict[str, dict[int, float]] = {"csv": {}, "xlsx": {}}
    memory_ok = True
    with tempfile.TemporaryDirectory() as tmp:
        paths = {
            name: os.path.join(tmp, f"{name}") for name in ("a.csv", "b.csv", "a.xlsx", "b.xlsx")
        }
        for count in args.sizes:
            times = measure(
                {
                    "export csv": lambda n=count: export(
                        stream(parties, n), DEFAULT_COLUMNS, paths["a.csv"]
                    ),
                    "csv.writer loop": lambda n=count: baseline_csv(parties, n, paths["b.csv"]),
                    "export xlsx": lambda n=count: export(
                        stream(parties, n), DEFAULT_COLUMNS, paths["a.xlsx"], fmt="xlsx"
                    ),
                    "openpyxl write-only loop": lambda n=count: baseline_xlsx(
                        parties, n, paths["b.xlsx"]
                    ),
                },
                args.runs,
            )
            print(f"  {count:,} parties")
            for name, base in (("csv", "csv.writer loop"), ("xlsx", "openpyxl write-only loop")):
                ours = times[f"export {name}"]
                costs[name][count] = ours.median
                print(row(f"export {name}", ours, times[base], unit="s"))
                print(row(base, times[base], unit="s"))
                print(
                    f"      export {name}: {count / ours.median:,.0f} rows/s; "
                    f"baseline {count / times[base].median:,.0f} rows/s"
                )
            held = peak_growth("held", count, "")
            for name in ("csv", "xlsx"):
                grown = peak_growth(name, count, paths[f"a.{name}"])
                if held < 1_000_000:  # below what the resident set shows reliably
                    print(f"      peak memory, export {name}: too small a size to measure")
                    continue
                share = grown / held
                ok = share < MEMORY_TARGET
                memory_ok = memory_ok and ok
                print(
                    f"      peak memory, export {name} to a file: +{grown / 1e6:.1f} MB; "
                    f"the rows held in a list: +{held / 1e6:.1f} MB ({share:.2f}x; "
                    f"target < {MEMORY_TARGET:.2f}x: {verdict(ok)})"
                )
    for name in ("csv", "xlsx"):
        print(f"  growth of export {name}: {growth(costs[name])}")
    print(f"  memory verdict (streams at every size): {verdict(memory_ok)}")

    numbered = [p for p in parties[:400] if p.number][:100]
    buffer = io.BytesIO()

    def qrcode_png() -> None:
        for p in numbered:
            buffer.seek(0)
            qrcode.make(f"CC1|acme|{p.number}|invoices|00").save(buffer)

    def pages_svg() -> None:
        for p in numbered:
            cover_page(p, "invoices", tenant="acme").svg()

    def pages_png() -> None:
        for p in numbered:
            cover_page(p, "invoices", tenant="acme").png()

    def pages_pdf() -> None:
        cover_pages_pdf([cover_page(p, "invoices", tenant="acme") for p in numbered])

    pages = measure(
        {"qrcode.make png": qrcode_png, "svg": pages_svg, "png": pages_png, "pdf": pages_pdf},
        args.runs,
    )
    count = len(numbered)
    print(f"  cover pages, {count} per run (one size: the rate does not depend on the registry)")
    base = pages["qrcode.make png"]
    for name, timing in pages.items():
        print(row(name, timing, base, unit="ms") + f"  {count / timing.median:8.0f} pages/s")


if __name__ == "__main__":
    main()
