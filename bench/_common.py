"""The one way every bench script measures, so its figures are what users will see.

- Baseline and candidate run **interleaved**, and the order is **rotated** from one
  round to the next, so machine noise and warm-up hit every side alike.
- ``gc.collect()`` runs before each timed run and the collector stays **on** during it,
  as it is in a host application.
- **No cache is carried** from one run to the next: :func:`clear_caches` empties every
  ``functools`` cache of clientcore before each run (and a script builds fresh indexes
  and stores inside the timed action). A script that measures a warm cache says so and
  prints the cold figure too.
- Every figure is the **median** of at least 5 runs, printed with its **spread**
  (lowest and highest run, as a share of the median), and the machine's **load** is
  printed with the header.
- Each script takes ``--sizes`` (default 10,000 and 100,000; ``make bench-large`` adds
  1,000,000) and prints the ratio at every size and **how the cost grows per 10x**.

The sample parties of a size are generated once per process (:func:`sample_parties`),
outside any timed run.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import math
import os
import statistics
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

DEFAULT_SIZES = (10_000, 100_000)
LARGE_SIZES = (10_000, 100_000, 1_000_000)
MIN_RUNS = 5


class Timing:
    """The seconds of every run of one side, with median and spread."""

    def __init__(self, runs: Sequence[float]) -> None:
        self.runs = list(runs)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def spread(self) -> str:
        """Lowest and highest run against the median, e.g. ``-3%/+8%``."""
        m = self.median
        low, high = min(self.runs) / m - 1, max(self.runs) / m - 1
        return f"{low * 100:+.0f}%/{high * 100:+.0f}%"


def arguments(doc: str | None, *, runs: int = MIN_RUNS) -> argparse.Namespace:
    """``--sizes`` and ``--runs`` (at least 5), with the script's docstring as help."""
    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes",
        default=",".join(str(n) for n in DEFAULT_SIZES),
        help="comma-separated party counts (default 10000,100000)",
    )
    parser.add_argument("--runs", type=int, default=runs, help=f"runs per side (>= {MIN_RUNS})")
    args = parser.parse_args()
    args.sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    if args.runs < MIN_RUNS:
        parser.error(f"--runs must be at least {MIN_RUNS}")
    return args


def machine() -> str:
    """Python version, cores and load averages, printed with every header."""
    try:
        load = "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    except OSError:  # not on every platform
        load = "load unknown"
    return f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, {load} (1/5/15 min)"


def header(title: str, runs: int) -> None:
    print(title)
    print(f"  {machine()}")
    print(
        f"  median of {runs} interleaved runs (order rotated), gc.collect() before each run, "
        "gc on during it, caches cleared between runs"
    )


def clear_caches() -> None:
    """Empty every ``functools`` cache in clientcore's modules: each run starts cold."""
    for name, module in list(sys.modules.items()):
        if not name.startswith("clientcore") or module is None:
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and getattr(value, "__module__", None) == name:
                clear()


def measure(
    sides: Mapping[str, Callable[[], Any]],
    runs: int = MIN_RUNS,
    *,
    reset: Callable[[], None] = clear_caches,
) -> dict[str, Timing]:
    """Time every side ``runs`` times: interleaved, order rotated, gc on, cold caches.

    Before each run (untimed): ``reset()`` (by default :func:`clear_caches`) and
    ``gc.collect()``. The collector is switched on for the run if it was off.
    """
    if runs < MIN_RUNS:
        raise ValueError(f"at least {MIN_RUNS} runs, got {runs}")
    names = list(sides)
    times: dict[str, list[float]] = {name: [] for name in names}
    for order in rotations(names, runs):
        for name in order:
            times[name].append(run_once(sides[name], reset=reset)[0])
    return {name: Timing(values) for name, values in times.items()}


def rotations(names: Sequence[str], runs: int) -> list[list[str]]:
    """The order of the sides in each round: rotated by one every round."""
    names = list(names)
    return [names[r % len(names) :] + names[: r % len(names)] for r in range(runs)]


def run_once(
    action: Callable[[], Any], *, reset: Callable[[], None] = clear_caches
) -> tuple[float, Any]:
    """One timed run: ``reset()`` and ``gc.collect()`` first, the collector on during it."""
    reset()
    gc.collect()
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        started = time.perf_counter()
        result = action()
        return time.perf_counter() - started, result
    finally:
        if not was_enabled:
            gc.disable()


def growth(costs: Mapping[int, float]) -> str:
    """How a cost grows per 10x more parties, between each pair of sizes measured.

    1.0x per 10x means constant; 10.0x per 10x means linear; more than that is
    super-linear.
    """
    sizes = sorted(costs)
    parts = []
    for small, large in itertools.pairwise(sizes):
        if costs[small] <= 0 or costs[large] <= 0:
            continue
        factor = (costs[large] / costs[small]) ** (1 / math.log10(large / small))
        parts.append(f"{small:,}->{large:,}: {factor:.1f}x per 10x")
    return "; ".join(parts) if parts else "(one size only)"


def row(label: str, timing: Timing, baseline: Timing | None = None, unit: str = "ms") -> str:
    scale = {"s": 1.0, "ms": 1e3, "us": 1e6}[unit]
    text = f"    {label:<34} {timing.median * scale:10.2f} {unit}  spread {timing.spread:>11}"
    if baseline is not None:
        text += f"  {timing.median / baseline.median:6.2f}x"
    return text


_SAMPLES: dict[int, list[Any]] = {}


def sample_parties(count: int) -> list[Any]:
    """``generate(count, seed=0)``, made once per process and reported with its time."""
    if count not in _SAMPLES:
        from clientcore.sample import generate

        started = time.perf_counter()
        _SAMPLES.clear()  # one size in memory at a time: 1,000,000 parties are large
        gc.collect()
        _SAMPLES[count] = generate(count, seed=0)
        print(f"  ({count:,} sample parties generated in {time.perf_counter() - started:.1f} s)")
    return _SAMPLES[count]


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"
