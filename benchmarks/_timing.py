"""Timing: timeit's autorange with a settable floor, and medians over rounds."""

from __future__ import annotations

import statistics
import timeit
from collections.abc import Callable
from time import process_time
from typing import Any

from ._core import Fresh

__all__ = ["median", "per_call_us"]


def per_call_us(fn: Callable[[], Any], min_time: float) -> float:
    """Microseconds per call: ``fn`` run in loops of 1, 2, 5, 10, 20, 50... calls until
    a loop takes at least ``min_time`` seconds (timeit's autorange, with the garbage
    collector left on: what a reference cycle costs in production is counted). A
    :class:`Fresh` callable is timed over new events (``_fresh``)."""
    timeit_n: Callable[[int], float] = (
        (lambda n: _fresh(fn, n)) if isinstance(fn, Fresh)
        else timeit.Timer(fn, setup="import gc; gc.enable()").timeit)
    number = 1
    while True:
        for step in (1, 2, 5):
            n = number * step
            elapsed = timeit_n(n)
            if elapsed >= min_time:
                return elapsed / n * 1e6
        number *= 10


def _fresh(fn: Fresh, n: int) -> float:
    """CPU seconds ``fn.run`` takes over ``n`` new events, made ``fn.chunk`` at a time
    before each timed stretch (making them is not timed; gc stays on). CPU time
    (``time.process_time``), not wall time: on a machine shared with test suites,
    wall time counts every time slice another process got."""
    run, make, elapsed = fn.run, fn.make, 0.0
    while n > 0:
        events = [make() for _ in range(min(n, fn.chunk))]
        n -= len(events)
        start = process_time()
        for event in events:
            run(event)
        elapsed += process_time() - start
        del events
    return elapsed


def median(values: list[float]) -> float:
    return statistics.median(values)
