"""Side-by-side benchmarks: polyfn against the libraries people use instead.

``python -m benchmarks`` times every scenario, interleaved over several rounds, and
prints medians and ratios; ``python -m benchmarks.coldstart`` measures whole-process
cold starts. docs/performance.md has the numbers and how to read them.
"""

from __future__ import annotations

import importlib

from ._core import Fresh, Impl, Scenario, Target, Unavailable

__all__ = ["MODULES", "Fresh", "Impl", "Scenario", "Target", "Unavailable", "scenarios"]

#: One module per scenario, each defining ``SCENARIO`` (or several: ``SCENARIOS``).
MODULES: tuple[str, ...] = (
    "benchmarks.http_v2",
    "benchmarks.aws_http",
    "benchmarks.sqs_batch",
    "benchmarks.aws_records",
    "benchmarks.aws_streams",
    "benchmarks.typed_message",
    "benchmarks.pubsub_legacy",
    "benchmarks.azure_http",
    "benchmarks.outputs",
    "benchmarks.webapp",
    "benchmarks.idempotency",
    "benchmarks.tracing",
    "benchmarks.cloudevents_http",
    "benchmarks.async_batch",
    "benchmarks.azure_triggers",
)


def scenarios() -> list[Scenario]:
    """Every scenario, in table order."""
    out: list[Scenario] = []
    for name in MODULES:
        module = importlib.import_module(name)
        out.extend(getattr(module, "SCENARIOS", None) or (module.SCENARIO,))
    return out
