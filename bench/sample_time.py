"""The sample generator: time per party at growing sizes. Target: 1,000,000 in under 60 s.

``generate(count, seed=0)`` in a fresh process per run (so no run inherits the memory
another left behind), sizes interleaved, order rotated; wall and CPU time of the call
alone, median and spread of ``--runs`` runs, and the growth per 10x (10.0x means
linear). Baseline: a loop that draws the same number of random numbers the generator
draws per party (about 50) and builds one dict per party: the floor of any generator
written in Python.

    python bench/sample_time.py [--sizes 10000,100000] [--runs 5]
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Timing, arguments, growth, machine, rotations, verdict

TARGET_PER_MILLION = 60.0
PROGRAM = """
import gc, json, random, time
from clientcore.sample import generate
generate(10, seed=1)
gc.collect()
count = {count}
if {baseline}:
    def make():
        rnd = random.Random(0).random
        return [{{"draws": [rnd() for _ in range(50)]}} for _ in range(count)]
else:
    def make():
        return generate(count, seed=0)
wall, cpu = time.perf_counter(), time.process_time()
made = make()
print(json.dumps([time.perf_counter() - wall, time.process_time() - cpu, len(made)]))
"""


def once(count: int, baseline: bool) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", PROGRAM.format(count=count, baseline=baseline)],
        check=True,
        capture_output=True,
        text=True,
    )
    wall, cpu, made = json.loads(out.stdout)
    assert made == count
    return wall, cpu


def main() -> None:
    args = arguments(__doc__)
    print("the sample generator, one fresh process per run")
    print(f"  {machine()}")
    print(f"  median of {args.runs} interleaved runs (order rotated)")
    sides = [(count, baseline) for count in args.sizes for baseline in (False, True)]
    walls: dict[tuple[int, bool], list[float]] = {side: [] for side in sides}
    cpus: dict[tuple[int, bool], list[float]] = {side: [] for side in sides}
    names = [f"{count}:{baseline}" for count, baseline in sides]
    for order in rotations(names, args.runs):
        for name in order:
            count, baseline = name.split(":")
            side = (int(count), baseline == "True")
            wall, cpu = once(*side)
            walls[side].append(wall)
            cpus[side].append(cpu)
    costs: dict[int, float] = {}
    cpu_costs: dict[int, float] = {}
    for count in args.sizes:
        wall, cpu = Timing(walls[(count, False)]), Timing(cpus[(count, False)])
        base = Timing(walls[(count, True)])
        costs[count], cpu_costs[count] = wall.median, cpu.median
        print(
            f"    {count:>9,} parties  {wall.median:8.2f} s wall (spread {wall.spread}), "
            f"{cpu.median:8.2f} s cpu, {wall.median / count * 1e6:6.1f} us per party; "
            f"baseline {base.median:6.2f} s ({wall.median / base.median:.1f}x)"
        )
    print(f"  growth (wall): {growth(costs)}")
    print(f"  growth (cpu):  {growth(cpu_costs)}")
    largest = max(costs)
    per_million = costs[largest] / largest * 1_000_000
    print(
        f"  verdict: {per_million:.0f} s per 1,000,000 parties at {largest:,} (wall), "
        f"target < {TARGET_PER_MILLION:.0f} s: {verdict(per_million < TARGET_PER_MILLION)}"
    )


if __name__ == "__main__":
    main()
