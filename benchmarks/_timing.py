"""Timing: timeit's autorange with a settable floor, and medians over rounds."""

from __future__ import annotations

import statistics
import timeit
from collections.abc import Callable
from typing import Any

__all__ = ["median", "per_call_us"]


def per_call_us(fn: Callable[[], Any], min_time: float) -> float:
    """Microseconds per call: ``fn`` run in loops of 1, 2, 5, 10, 20, 50... calls until
    a loop takes at least ``min_time`` seconds (timeit's autorange, with the garbage
    collector left on: what a reference cycle costs in production is counted)."""
    timer = timeit.Timer(fn, setup="import gc; gc.enable()")
    number = 1
    while True:
        for step in (1, 2, 5):
            n = number * step
            elapsed = timer.timeit(n)
            if elapsed >= min_time:
                return elapsed / n * 1e6
        number *= 10


def median(values: list[float]) -> float:
    return statistics.median(values)
