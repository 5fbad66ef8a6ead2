"""Actions: export rows per second and peak memory, cover pages per second.

Each figure is a median over several runs with the garbage collector on, printed with
a baseline measured in the same run:

- **export rows/s**: ``export(parties, DEFAULT_COLUMNS, out)`` to CSV against a
  hand-written ``csv.writer`` loop that reads the same attributes with ``getattr`` and
  formats them the plain way (no labels, no Excel safety): the ratio is the price of
  the codec's text forms and ``excel_safe``.
- **peak memory**: ``tracemalloc``'s peak while exporting a generator of the parties to
  a file, against the size of the same rows held in a list (what a writer that first
  builds every row would hold). The parties themselves are not counted: the generator
  repeats 10,000 sample parties, so the figure is the export's own memory.
- **cover pages/s**: ``cover_page`` + ``.svg()``, + ``.png()`` and
  ``cover_pages_pdf`` per page, against ``qrcode.make(payload)`` saved as PNG
  (qrcode's own image, no text).

Usage: ``python bench/bench_actions.py [PARTIES]`` (default 100,000).
"""

from __future__ import annotations

import csv
import gc
import io
import itertools
import os
import sys
import tempfile
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import qrcode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clientcore.actions import cover_page, cover_pages_pdf, export
from clientcore.model import Party
from clientcore.query import DEFAULT_COLUMNS
from clientcore.sample import generate

from _common import interleaved

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
DISTINCT = 10_000


def stream(parties: list[Party], count: int) -> Iterator[Party]:
    return itertools.islice(itertools.cycle(parties), count)


def plain(value: object) -> str:
    return "" if value is None else str(value)


def baseline_export(parties: list[Party], count: int, path: str) -> int:
    getters = []
    for column in DEFAULT_COLUMNS:
        parts = column.split(".")

        def get(p: Party, parts: list[str] = parts) -> object:
            value: object = p
            for part in parts:
                value = getattr(value, part, None)
            return value

        getters.append(get)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(DEFAULT_COLUMNS)
        rows = 0
        for party in stream(parties, count):
            writer.writerow([plain(g(party)) for g in getters])
            rows += 1
    return rows


def peak_bytes(action: object) -> int:
    gc.collect()
    tracemalloc.start()
    action()  # type: ignore[operator]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    assert gc.isenabled()
    parties = generate(DISTINCT, seed=1)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.csv")
        base = os.path.join(tmp, "base.csv")
        times = interleaved(
            {
                "export": lambda: export(stream(parties, N), DEFAULT_COLUMNS, out),
                "baseline": lambda: baseline_export(parties, N, base),
            },
            repeat=3,
        )
        print(f"export of {N:,} parties, {len(DEFAULT_COLUMNS)} columns, CSV (median of 3)")
        for name, seconds in times.items():
            print(f"  {name:<9} {seconds:7.2f} s  {N / seconds:>10,.0f} rows/s")
        print(f"  ratio export / baseline: {times['export'] / times['baseline']:.2f}x")

        peak = peak_bytes(lambda: export(stream(parties, N), DEFAULT_COLUMNS, out))
        held = peak_bytes(
            lambda: list(export(stream(parties, N), DEFAULT_COLUMNS, fmt="rows", header="path"))
        )
        print(f"peak memory exporting {N:,} parties to a file: {peak / 1e6:.2f} MB")
        print(f"  baseline, the same rows held in a list:   {held / 1e6:.2f} MB")
        print(f"  ratio: {peak / held:.4f}")

    sample = parties[:200]
    numbered = [p for p in sample if p.number][:100]
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

    page_times = interleaved(
        {"qrcode.make png": qrcode_png, "svg": pages_svg, "png": pages_png, "pdf": pages_pdf},
        repeat=5,
    )
    count = len(numbered)
    print(f"cover pages, {count} per run (median of 5)")
    for name, seconds in page_times.items():
        print(f"  {name:<16} {count / seconds:8.0f} pages/s")
    for name in ("svg", "png", "pdf"):
        ratio = page_times[name] / page_times["qrcode.make png"]
        print(f"  ratio {name} / qrcode.make png: {ratio:.2f}x")


if __name__ == "__main__":
    main()
