"""``python -m benchmarks [--quick] [--rounds N] [--only NAME] [--json FILE]``.

Every implementation of every scenario runs in this one process. Each round times
each implementation once (timeit autorange: loops grow until one takes at least
``--min-time`` seconds), the order rotating from round to round so that noise from
a shared machine spreads over all sides; the table shows the median per call.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from collections.abc import Callable
from typing import Any

from . import scenarios
from ._core import Impl, Scenario, Unavailable
from ._report import Result, table, to_json
from ._timing import median, per_call_us

Job = tuple[Result, str, str, Callable[[], Any]]  # result, role, impl name, callable


def _prepare(scenario: Scenario, result: Result) -> list[Job]:
    jobs: list[Job] = []
    for role, impl in scenario.impls():
        fn = _setup(impl, result)
        if fn is not None:
            jobs.append((result, role, impl.name, fn))
    return jobs


def _setup(impl: Impl, result: Result) -> Callable[[], Any] | None:
    try:
        fn = impl.setup()
        fn()  # warm: first-call imports and caches are cold start, not per event
        return fn
    except Unavailable as exc:
        result.missing[impl.name] = str(exc)
    return None


def _record(samples: dict[tuple[str, str], list[float]], results: list[Result]) -> None:
    for result in results:
        scenario = result.scenario
        for role, impl in scenario.impls():
            values = samples.get((scenario.name, impl.name))
            value = median(values) if values else None
            if role == "polyfn":
                result.polyfn = value
            elif role == "floor":
                result.floor = value
            else:
                result.peers[impl.name] = value


def run(selected: list[Scenario], rounds: int, min_time: float,
        progress: Callable[[str], None] | None = None) -> list[Result]:
    """Time every implementation of ``selected``, interleaved over ``rounds``."""
    results = [Result(s) for s in selected]
    jobs = [job for r in results for job in _prepare(r.scenario, r)]
    samples: dict[tuple[str, str], list[float]] = {}
    for round_no in range(rounds):
        shift = round_no % max(1, len(jobs))
        for result, _, name, fn in jobs[shift:] + jobs[:shift]:
            key = (result.scenario.name, name)
            samples.setdefault(key, []).append(per_call_us(fn, min_time))
        if progress:
            progress(f"round {round_no + 1}/{rounds} done")
    _record(samples, results)
    return results


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f
                        if line.startswith("model name")), cpu)
    except OSError:
        pass
    return {"python": platform.python_version(), "implementation": platform.python_implementation(),
            "cpu": cpu, "nproc": os.cpu_count(), "platform": platform.platform()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 2 rounds of short loops (numbers are rough)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 7)")
    parser.add_argument("--min-time", type=float,
                        help="seconds per timing loop (default 0.2, timeit's)")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="run scenarios whose name contains NAME (repeatable)")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args(argv)
    rounds = args.rounds or (2 if args.quick else 7)
    min_time = args.min_time or (0.01 if args.quick else 0.2)
    selected = [s for s in scenarios() if not args.only or any(o in s.name for o in args.only)]
    if not selected:
        parser.error(f"no scenario matches {args.only}")

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    results = run(selected, rounds, min_time, progress)
    info = machine()
    print(table(results, rounds, f"{info['nproc']} x {info['cpu']}, Python {info['python']}."))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(to_json(results), f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
