"""Results: per-scenario medians, the printed table and the ``--json`` form; and
the one summary table of docs/performance.md, made from the JSON files of a run:

    python -m benchmarks --json bench.json
    python -m benchmarks.scaling --json scaling.json
    python -m benchmarks.coldstart --json coldstart.json
    python -m benchmarks.coldstart_families --json families.json
    python -m benchmarks._report bench.json [--scaling scaling.json]
        [--coldstart coldstart.json] [--families families.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from ._core import Scenario, Target

__all__ = ["Result", "main", "summary", "table", "to_json", "verdicts"]


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
    is listed with its verdict under ``"targets"``. ``"_meta"``: when the run ended,
    the load averages then (1, 5, 15 minutes) and the machine.
    """
    out: dict[str, Any] = {"_meta": _meta()}
    for result in results:
        entry: dict[str, Any] = {"polyfn": result.polyfn, "peers": dict(result.peers),
                                 "floor": result.floor}
        entry["targets"] = [
            {"target": t.describe(), "against": t.against, "ratio_goal": t.ratio,
             "extra_us_goal": t.extra_us, "ratio": None if r is None else round(r, 3),
             "verdict": v}
            for t, r, v in verdicts(result)
        ]
        if result.missing:
            entry["n/a"] = dict(result.missing)
        out[result.scenario.name] = entry
    return out


def _meta() -> dict[str, Any]:
    return {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "load": [round(x, 1) for x in os.getloadavg()], "nproc": os.cpu_count(),
            "python": platform.python_version()}


# -- the summary table (docs/performance.md) ---------------------------------------

#: Scenario -> the family its row stands for; scenarios not listed keep their name.
FAMILY_NAMES = {
    "http.apigw-v2": "AWS HTTP API (v2)",
    "http.apigw-v1": "AWS REST API (v1)",
    "http.alb": "AWS ALB",
    "sqs.batch-10": "SQS x10, one failure (log line included)",
    "s3.put": "S3 put",
    "sns.notification": "SNS",
    "eventbridge.event": "EventBridge",
    "dynamodb.batch-10": "DynamoDB Streams x10",
    "kinesis.batch-10": "Kinesis x10",
    "gcp.pubsub-1st-gen": "Pub/Sub, 1st gen",
    "cloudevents.pubsub-binary": "Pub/Sub CloudEvent (binary)",
    "cloudevents.gcs-binary": "GCS CloudEvent (binary)",
    "azure.http": "Azure HTTP (HttpRequest)",
    "azure.http-bind": "Azure HTTP (bind)",
    "azure.queue-bind": "Azure Queue (bind)",
    "azure.blob-bind": "Azure Blob (bind)",
    "async.sqs-100-io": "async, SQS x100 I/O-bound (wall)",
    "message.typed": "typed message (pydantic)",
}


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def _per_event_rows(bench: dict[str, Any]) -> list[list[str]]:
    rows = []
    for name, entry in bench.items():
        if name.startswith("_"):
            continue
        polyfn, peers, floor = entry["polyfn"], entry["peers"], entry["floor"]
        targets = entry.get("targets", [])
        peer_goals = [t for t in targets if t.get("against") not in (None, "floor")]
        against = [t["against"] for t in peer_goals] or list(peers)[:1]
        extra = {t["against"] for t in targets if t.get("extra_us_goal") is not None}
        shown = []
        for peer in against:
            if polyfn is None or not peers.get(peer):
                shown.append(f"n/a ({peer})")
            elif peer in extra:
                shown.append(f"{polyfn - peers[peer]:+.2f} us over {peer}")
            else:
                shown.append(f"{polyfn / peers[peer]:.2f}x {peer}")
        vs_peer = ", ".join(shown) or "n/a"
        vs_floor = ""
        if polyfn is not None and floor:
            vs_floor = (f"{polyfn - floor:+.2f} us" if "floor" in extra
                        else _ratio(polyfn / floor))
        goal = ", ".join(t["target"] for t in targets)
        verdicts_ = [t["verdict"] for t in targets]
        verdict = ("MISSED" if "MISSED" in verdicts_ else "met" if verdicts_ and all(
            v == "met" for v in verdicts_) else "; ".join(v for v in verdicts_ if v != "met"))
        rows.append([FAMILY_NAMES.get(name, name), vs_peer, vs_floor, goal, verdict])
    return rows


def _scaling_rows(scaling: dict[str, Any]) -> list[list[str]]:
    per = scaling["per_record_us"]["polyfn"]
    small, big = sorted(per, key=int)
    ratio = per[big] / per[small]
    mem = scaling["memory"]
    peak = mem["peak_bytes"] / mem["json_bytes"]
    return [
        [f"scaling: per record at {int(big):,} / at {small}", _ratio(ratio), "",
         "<= 1.2x", "met" if ratio <= 1.2 else "MISSED"],
        [f"memory: peak of one {int(big):,}-record batch / its JSON", _ratio(peak), "",
         "<= 2x", "met" if peak <= 2 else "MISSED"],
        ["memory: left allocated after the invocation", f"{mem['retained_bytes']:,} bytes",
         "", "nothing", "met" if mem["retained_bytes"] <= 0 else "MISSED"],
    ]


def _cold_row(family: str, ours: dict[str, Any], base: dict[str, Any]) -> list[str]:
    over_ms = ours["cpu_ms"] - base["cpu_ms"]
    over_mib = ours["peak_rss_mib"] - base["peak_rss_mib"]
    met = over_ms <= 25 and over_mib <= 3
    return [f"cold start: {family}", f"{over_ms:+.1f} ms CPU, {over_mib:+.1f} MiB", "",
            "<= +25 ms, <= +3 MiB", "met" if met else "MISSED"]


def _cold_rows(coldstart: dict[str, Any] | None, families: dict[str, Any] | None
               ) -> list[list[str]]:
    rows = []
    if coldstart:
        whole = coldstart["whole_process"]
        names = sorted({n.rsplit(" ", 1)[0] for n in whole if n.endswith(" raw")})
        rows += [_cold_row(n, whole[f"{n} polyfn"], whole[f"{n} raw"]) for n in names
                 if f"{n} polyfn" in whole]
    if families:
        rows += [_cold_row(n, row["polyfn"], row["baseline"])
                 for n, row in families["families"].items()]
    return rows


def summary(bench: dict[str, Any], scaling: dict[str, Any] | None = None,
            coldstart: dict[str, Any] | None = None,
            families: dict[str, Any] | None = None) -> str:
    """The one table of docs/performance.md: a row per scenario of the per-event run,
    then batch scaling and memory, then cold start per family; misses included."""
    meta = bench.get("_meta", {})
    load = meta.get("load")
    head = (f"Run of {meta.get('date', 'unknown date')}, load average "
            f"{'/'.join(map(str, load)) if load else 'unknown'} (1/5/15 min), "
            f"{meta.get('nproc', '?')} cores, Python {meta.get('python', '?')}. "
            "Per event: CPU-time medians, ratio = polyfn / that side.")
    rows = _per_event_rows(bench)
    if scaling:
        rows += _scaling_rows(scaling)
    rows += _cold_rows(coldstart, families)
    lines = [head, "", "| family | vs peer | vs floor | goal | verdict |", "|---|---|---|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    missed = sum(row[-1] == "MISSED" for row in rows)
    lines += ["", f"{len(rows) - missed} of {len(rows)} rows met, {missed} MISSED."]
    return "\n".join(lines)


def _load(path: str | None) -> Any:
    if path is None:
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks._report",
                                     description="The summary table of docs/performance.md.")
    parser.add_argument("bench", help="python -m benchmarks --json FILE")
    parser.add_argument("--scaling", help="python -m benchmarks.scaling --json FILE")
    parser.add_argument("--coldstart", help="python -m benchmarks.coldstart --json FILE")
    parser.add_argument("--families", help="python -m benchmarks.coldstart_families --json FILE")
    args = parser.parse_args(argv)
    print(summary(_load(args.bench), _load(args.scaling), _load(args.coldstart),
                  _load(args.families)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
