"""Batch scaling: ``python -m benchmarks.scaling [--quick] [--rounds N] [--json FILE]``.

The SQS scenario of :mod:`benchmarks.sqs_batch` (one failing message, its log
line included) at 10 and at 10,000 messages, over new events and contexts, gc on,
CPU time (``benchmarks._core.Fresh``):

* per-record cost at each size for polyfn, powertools' ``BatchProcessor`` and the
  floor, and the ratio 10,000 / 10 (issue 18: polyfn <= 1.2x);
* polyfn's peak memory during one 10,000-message invocation (``tracemalloc``,
  over what was allocated before the call, the event included), against the
  event's JSON size (target <= 2x);
* what the invocation left allocated once it returned, the event still held
  (target: nothing), and what a ``gc.collect()`` then found unreachable (a
  reference cycle left to the collector).

What "left allocated" measures: the traced bytes after a full ``gc.collect()``
over those before the call, tracing started before a warm-up invocation of its
own (a new event). Warm-container state (the log clock's current second, the
pool of JSON encoders, per-name tables) is then already there, and its values
replaced during the call net out. The collection matters too: before it, about
20 KB of blocks sit in CPython's free lists (floats, tuples, lists, dicts the
call freed, kept for reuse; a full collection empties them), which is the
interpreter's memory, not polyfn's. Anything that grows per invocation or holds
a record after return shows here; a cycle shows as ``unreachable_objects``.
The figure can still move by a few hundred bytes from one call to the next
(bounded state replaced during the call, such as the log clock's second), over many
calls without growing.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tracemalloc

from ._aws import lambda_context
from ._core import Fresh
from ._timing import per_call_us
from .sqs_batch import floor_sqs, polyfn_sqs, powertools_sqs, sqs_event

__all__ = ["main", "memory", "run"]

SIZES = (10, 10_000)
SIDES = {"polyfn": polyfn_sqs, "powertools-batch": powertools_sqs, "raw-loop": floor_sqs}
RATIO_TARGET = 1.2
MEMORY_TARGET = 2.0


def run(rounds: int, min_time: float, sizes: tuple[int, ...] = SIZES,
        progress: bool = True) -> dict[str, dict[int, float]]:
    """Per-record microseconds, side -> size -> median over ``rounds``."""
    jobs: list[tuple[str, int, Fresh]] = []
    for size in sizes:
        event = sqs_event(size, failing=6)
        for side, build in SIDES.items():
            fn = build(event, chunk=max(1, 1000 // size))
            fn()  # warm
            jobs.append((side, size, fn))
    samples: dict[tuple[str, int], list[float]] = {}
    for round_no in range(rounds):
        shift = round_no % len(jobs)
        for side, size, fn in jobs[shift:] + jobs[:shift]:
            samples.setdefault((side, size), []).append(per_call_us(fn, min_time) / size)
        if progress:
            print(f"round {round_no + 1}/{rounds} done", file=sys.stderr, flush=True)
    out: dict[str, dict[int, float]] = {}
    for (side, size), values in samples.items():
        out.setdefault(side, {})[size] = statistics.median(values)
    return out


def memory(size: int = SIZES[-1]) -> dict[str, float]:
    """polyfn's peak and retained memory over one invocation of ``size`` messages."""
    event = sqs_event(size, failing=6)
    text = json.dumps(event)
    fn = polyfn_sqs(event)
    fn()  # warm: first-call imports are not the batch's memory
    tracemalloc.start()
    try:
        fn()  # traced warm-up: the state it leaves is replaced, not added, by the next
        raw, context = json.loads(text), lambda_context()
        gc.collect()
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        fn.run((raw, context))
        _, peak = tracemalloc.get_traced_memory()
        unreachable = gc.collect()  # also empties CPython's free lists
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return {"json_bytes": len(text), "peak_bytes": peak - before,
            "retained_bytes": after - before, "unreachable_objects": unreachable}


def table(times: dict[str, dict[int, float]], mem: dict[str, float], rounds: int) -> str:
    small, big = SIZES
    lines = [f"SQS, one failing message; CPU microseconds per record, medians of {rounds} "
             "rounds:", "",
             f"| implementation | per record at {small} | per record at {big:,} | ratio "
             "| target | verdict |", "|---|---:|---:|---:|---|---|"]
    for side, row in times.items():
        ratio = row[big] / row[small]
        goal, verdict = "", ""
        if side == "polyfn":
            goal = f"<= {RATIO_TARGET:g}x"
            verdict = "met" if ratio <= RATIO_TARGET else "MISSED"
        lines.append(f"| {side} | {row[small]:.2f} | {row[big]:.2f} | {ratio:.2f}x | {goal} "
                     f"| {verdict} |")
    peak = mem["peak_bytes"] / mem["json_bytes"]
    lines += ["", f"polyfn, one {big:,}-message invocation: event JSON "
              f"{mem['json_bytes'] / 2**20:.1f} MiB; peak over the start "
              f"{mem['peak_bytes'] / 2**20:.1f} MiB = {peak:.2f}x the JSON "
              f"(target <= {MEMORY_TARGET:g}x: {'met' if peak <= MEMORY_TARGET else 'MISSED'}); "
              f"left allocated after it returned {mem['retained_bytes']:,} bytes, "
              f"unreachable objects found by gc.collect() {mem['unreachable_objects']}."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scaling", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1 round of short loops")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 5)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args(argv)
    rounds = args.rounds or (1 if args.quick else 5)
    times = run(rounds, 0.02 if args.quick else 0.2)
    mem = memory()
    print(table(times, mem, rounds))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"per_record_us": times, "memory": mem}, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
