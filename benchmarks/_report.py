"""Results: per-scenario medians, the printed table and the ``--json`` form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._core import Scenario, Target

__all__ = ["Result", "table", "to_json", "verdicts"]


@dataclass
class Result:
    """One scenario's medians (microseconds per call); ``None`` where n/a."""

    scenario: Scenario
    polyfn: float | None = None
    peers: dict[str, float | None] = field(default_factory=dict)
    floor: float | None = None
    #: implementation name -> why it did not run
    missing: dict[str, str] = field(default_factory=dict)

    def time_of(self, name: str) -> float | None:
        if name == "floor":
            return self.floor
        return self.peers.get(name)


def verdicts(result: Result) -> list[tuple[Target, float | None, str]]:
    """(target, polyfn/other ratio, "met" | "MISSED" | "n/a (reason)") per target."""
    out: list[tuple[Target, float | None, str]] = []
    for target in result.scenario.targets:
        other = result.time_of(target.against)
        if result.polyfn is None or other is None:
            name = "polyfn" if result.polyfn is None else target.against
            if name == "floor" and result.scenario.floor is not None:
                name = result.scenario.floor.name
            reason = result.missing.get(name, "not measured")
            out.append((target, None, f"n/a ({reason})"))
            continue
        ratio = result.polyfn / other
        out.append((target, ratio, "met" if target.check(result.polyfn, other) else "MISSED"))
    return out


def _us(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.2f}"


def table(results: list[Result], rounds: int, machine: str = "") -> str:
    """The results as a Markdown table (it reads fine in a terminal too)."""
    lines = [
        f"Medians of {rounds} interleaved rounds, microseconds per call; "
        f"ratio = polyfn / that row.{f' {machine}' if machine else ''}",
        "",
        "| scenario | implementation | median us | ratio | target | verdict |",
        "|---|---|---:|---:|---|---|",
    ]
    for result in results:
        scenario = result.scenario
        goals = {t.against: (t, r, v) for t, r, v in verdicts(result)}
        rows: list[tuple[str, str, float | None]] = [("polyfn", "polyfn", result.polyfn)]
        rows += [(p.name, p.name, result.peers.get(p.name)) for p in scenario.peers]
        if scenario.floor is not None:
            rows.append(("floor", f"{scenario.floor.name} (floor)", result.floor))
        for i, (key, label, value) in enumerate(rows):
            if value is None:
                label = f"{label}: n/a ({result.missing.get(label.split(' ')[0], 'not run')})"
            ratio = ""
            if key != "polyfn" and value and result.polyfn is not None:
                ratio = f"{result.polyfn / value:.2f}x"
            goal, verdict = "", ""
            if key in goals:
                target, _, verdict = goals[key]
                goal = target.describe().replace(f" {target.against}", "")
                if target.extra_us is not None and value and result.polyfn is not None:
                    ratio = f"+{result.polyfn - value:.2f} us"
            name = scenario.name if i == 0 else ""
            lines.append(f"| {name} | {label} | {_us(value)} | {ratio} | {goal} | {verdict} |")
    return "\n".join(lines)


def to_json(results: list[Result]) -> dict[str, Any]:
    """``{scenario: {"polyfn": us, "peers": {name: us}, "floor": us}}``.

    A side that could not run is ``null``, its reason under ``"n/a"``; each target
    is listed with its verdict under ``"targets"``.
    """
    out: dict[str, Any] = {}
    for result in results:
        entry: dict[str, Any] = {"polyfn": result.polyfn, "peers": dict(result.peers),
                                 "floor": result.floor}
        entry["targets"] = [
            {"target": t.describe(), "ratio": None if r is None else round(r, 3), "verdict": v}
            for t, r, v in verdicts(result)
        ]
        if result.missing:
            entry["n/a"] = dict(result.missing)
        out[result.scenario.name] = entry
    return out
