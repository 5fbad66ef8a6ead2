"""Import time: ``import clientcore`` and the first use of its main names, in fresh processes.

Each figure is the wall time of one statement in a new interpreter (measured inside it,
so interpreter start-up is not counted), interleaved with the others, order rotated,
median and spread of ``--runs`` runs. Baseline: importing clientcore's six runtime
dependencies together (attrs, cattrs, python-stdnum, phonenumbers, email-validator,
qrcode), which clientcore cannot be faster than once it uses all of them.

Target: ``import clientcore`` at most 100 ms. What a user pays on first use of a name
(the model, filters, bulk plans, completeness checks) is printed beside it: those
subpackages load when first read, not at ``import clientcore``.

    python bench/import_time.py [--runs 11]
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Timing, arguments, machine, rotations, verdict

TARGET = 0.100
STATEMENTS = {
    "import clientcore": "import clientcore",
    "... then clientcore.Party": "import clientcore; clientcore.Party",
    "... then clientcore.F": "import clientcore; clientcore.F",
    "... then Party, F, BulkPlan, check": (
        "import clientcore as cc; cc.Party, cc.F, cc.BulkPlan, cc.check"
    ),
    "baseline: the six runtime dependencies": (
        "import attrs, cattrs, stdnum.be.vat, phonenumbers, email_validator, qrcode"
    ),
}
PROGRAM = "import time\n_t = time.perf_counter()\n{statement}\nprint(time.perf_counter() - _t)\n"


def once(statement: str) -> float:
    out = subprocess.run(
        [sys.executable, "-c", PROGRAM.format(statement=statement)],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(out.stdout.strip())


def main() -> None:
    args = arguments(__doc__, runs=11)
    print("import time, each statement in a fresh interpreter")
    print(f"  {machine()}")
    print(f"  median of {args.runs} interleaved runs (order rotated)")
    times: dict[str, list[float]] = {label: [] for label in STATEMENTS}
    for label in STATEMENTS:  # warm the disk cache and the .pyc files first
        once(STATEMENTS[label])
    for order in rotations(list(STATEMENTS), args.runs):
        for label in order:
            times[label].append(once(STATEMENTS[label]))
    base = Timing(times["baseline: the six runtime dependencies"])
    for label, values in times.items():
        timing = Timing(values)
        print(
            f"    {label:<40} {timing.median * 1000:8.1f} ms  spread {timing.spread:>11}"
            f"  {timing.median / base.median:5.2f}x the baseline"
        )
    first = Timing(times["import clientcore"]).median
    print(
        f"  verdict: import clientcore {first * 1000:.1f} ms, target <= {TARGET * 1000:.0f} ms: "
        f"{verdict(first <= TARGET)}"
    )


if __name__ == "__main__":
    main()
