"""What tracing costs per event: ``python -m benchmarks.tracing [--rounds N] [--min-time S]``.

The polyfn sides of two scenarios (``http.v2``: one API Gateway request;
``sqs.batch-10``: ten messages, one failing) timed in three modes, each in a
fresh interpreter of its own, rounds alternating between them:

* ``off``: OpenTelemetry never imported (what every function without the extra runs);
* ``no-provider``: ``opentelemetry.trace`` imported, no tracer provider configured
  (the API's proxy): tracing stays off, one provider check per invocation;
* ``sdk``: ``opentelemetry-sdk``'s ``TracerProvider`` with a ``SimpleSpanProcessor``
  into an ``InMemorySpanExporter`` (cleared after every call): a span per
  invocation and one per record.

The tracing-off cost against the code before tracing existed is the regular
benchmark (``python -m benchmarks --only http.v2 --only sqs``) run on both commits.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from ._timing import median, per_call_us

__all__ = ["MODES", "measure"]

MODES = ("off", "no-provider", "sdk")
_SCENARIOS = ("http.v2", "sqs.batch-10")


def _setup(mode: str) -> Callable[[], None]:
    """Put this interpreter in ``mode``; the callable clears what a call recorded."""
    if mode == "off":
        return lambda: None
    import opentelemetry.trace  # noqa: F401 - loaded, and no provider configured

    if mode == "no-provider":
        return lambda: None
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    import sdk.tracing

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    sdk.tracing.enable(provider)
    return exporter.clear


def _scenario(name: str) -> Callable[[], Any]:
    if name == "http.v2":
        from .http_v2 import _polyfn as http
        return http()
    from .sqs_batch import _polyfn as sqs
    return sqs()


def measure(mode: str, min_time: float) -> dict[str, float]:
    """Microseconds per call of each scenario in ``mode`` (this process)."""
    clear = _setup(mode)
    found: dict[str, float] = {}
    for name in _SCENARIOS:
        run = _scenario(name)

        def call(run: Callable[[], Any] = run) -> None:
            run()
            clear()

        call()  # warm: first-call imports are cold start, not per event
        found[name] = per_call_us(call, min_time)
    if mode == "off":
        assert "opentelemetry" not in sys.modules, "the off mode loaded OpenTelemetry"
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.tracing")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--min-time", type=float, default=0.2)
    parser.add_argument("--mode", choices=MODES, help=argparse.SUPPRESS)  # one child run
    args = parser.parse_args(argv)
    if args.mode:
        print(json.dumps(measure(args.mode, args.min_time)))
        return
    samples: dict[tuple[str, str], list[float]] = {}
    for index in range(args.rounds):
        for mode in MODES[index % 3:] + MODES[:index % 3]:  # rotate: noise spreads
            answer = subprocess.run(
                [sys.executable, "-m", "benchmarks.tracing", "--mode", mode,
                 "--min-time", str(args.min_time)], check=True, capture_output=True, text=True)
            for name, value in json.loads(answer.stdout).items():
                samples.setdefault((name, mode), []).append(value)
    print(f"{'scenario':<14}" + "".join(f"{mode:>14}" for mode in MODES) + "  (µs per call)")
    for name in _SCENARIOS:
        off = median(samples[(name, "off")])
        cells = [f"{median(samples[(name, mode)]):>9.2f}"
                 + (f" {median(samples[(name, mode)]) / off:4.2f}x" if mode != "off" else "     ")
                 for mode in MODES]
        print(f"{name:<14}" + "".join(cells))


if __name__ == "__main__":
    main()
