"""Executed instructions per call, counted by valgrind's callgrind:
``python -m benchmarks.instructions [SCENARIO ...] [--calls N]``.

CPU time on a shared machine swings by more than the microseconds a bridge's
overhead differs by; an instruction count does not move with load. Each side of a
scenario (polyfn, its peers, its floor) runs in its own interpreter under
``valgrind --tool=callgrind``, twice: ``N`` calls and ``3N`` calls after the same
set-up and warm-up, with ``PYTHONHASHSEED=0`` so both runs hash alike. The
difference of the two totals over ``2N`` calls is the per-call count, with the
interpreter's start, the imports and the set-up cancelled out. The callables are
the ones the CPU-time benchmarks time (a fresh event per call, GC on).

Scenarios are named ``module:ATTRIBUTE`` of ``benchmarks``, or ``module:ATTRIBUTE[i]``
for the ``i``-th of a tuple of them (``azure_triggers:SCENARIOS[1]``; default: both
web-app scenarios, ``webapp:SCENARIO webapp:AZURE``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["count", "main", "scenario_at", "total"]

#: One side, run under callgrind: ``calls`` calls after set-up and a warm-up.
_RUN = """
import sys
from benchmarks.instructions import scenario_at
where, role, calls = sys.argv[1], sys.argv[2], int(sys.argv[3])
scenario = scenario_at(where)
impl = dict((impl.name, impl) for _, impl in scenario.impls())[role]
fn = impl.setup()
for _ in range(20):
    fn()
for _ in range(calls):
    fn()
"""


def _total(path: Path) -> int:
    for line in path.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise RuntimeError(f"no totals in {path}")


def total(args: Sequence[str]) -> int:
    """Instructions callgrind counts for ``python ARGS`` run from the repository
    root, with ``PYTHONHASHSEED=0`` so runs of the same command hash alike."""
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(root)}
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                        sys.executable, *args],
                       cwd=root, env=env, check=True, capture_output=True)
        return _total(out)


def scenario_at(where: str) -> Any:
    """The scenario ``module:ATTRIBUTE`` or ``module:ATTRIBUTE[i]`` names."""
    import importlib

    module, _, attr = where.partition(":")
    name, _, index = attr.partition("[")
    scenario = getattr(importlib.import_module(f"benchmarks.{module}"), name)
    return scenario[int(index.rstrip("]"))] if index else scenario


def _run(where: str, side: str, calls: int) -> int:
    return total(["-c", _RUN, where, side, str(calls)])


def count(where: str, side: str, calls: int = 100) -> float:
    """Instructions per call of ``side`` (an implementation's name) of the scenario
    at ``where`` (``webapp:SCENARIO``)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:  # the two runs side by side
        few, many = pool.map(lambda n: _run(where, side, n), (calls, 3 * calls))
    return (many - few) / (2 * calls)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.instructions",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenarios", nargs="*", default=["webapp:SCENARIO", "webapp:AZURE"])
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--only", action="append", default=None,
                        help="only these sides (implementation names; repeatable)")
    args = parser.parse_args(argv)

    for where in args.scenarios:
        scenario = scenario_at(where)
        counts: dict[str, float] = {}
        floor = None
        for role, impl in scenario.impls():
            if args.only and impl.name not in args.only and role != "floor":
                continue
            counts[impl.name] = count(where, impl.name, args.calls)
            if role == "floor":
                floor = counts[impl.name]
        print(f"{scenario.name} (instructions per call, k = thousands):")
        for name, value in counts.items():
            over = ("" if floor is None or value == floor
                    else f", overhead {(value - floor) / 1e3:.1f} k")
            print(f"  {name}: {value / 1e3:.1f} k{over}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
