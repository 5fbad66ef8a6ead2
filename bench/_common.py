"""Shared helpers of the bench scripts: sample data and median timing."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def median_seconds(action: Callable[[], Any], repeat: int = 7) -> float:
    """The median wall time of ``action`` over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def interleaved(actions: dict[str, Callable[[], Any]], repeat: int = 7) -> dict[str, float]:
    """Median times of several actions, run in turns so machine noise hits all alike."""
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            started = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}
