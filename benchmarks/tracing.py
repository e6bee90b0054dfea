"""What tracing costs per event, side by side: in ``python -m benchmarks`` (the
``tracing.*`` scenarios); ``python -m benchmarks.tracing --paired N`` (each
tracing-off mode against the floor in N short alternating runs: the ratio a noisy
machine can still resolve); ``python -m benchmarks.tracing [--rounds N]`` (each
mode in a fresh interpreter of its own).

Two scenarios' polyfn sides (``http.v2``: one API Gateway request; ``sqs.batch-10``:
ten messages, one failing), each in the modes a function can be in:

* ``off``: OpenTelemetry not loaded (every function without the extra);
* ``no-provider``: ``opentelemetry.trace`` loaded, no tracer provider configured
  (the API's proxy): tracing stays off, one provider check per invocation;
* ``sdk``: ``opentelemetry-sdk``'s ``TracerProvider``, a ``SimpleSpanProcessor``
  into an ``InMemorySpanExporter`` (cleared after every call): a span per
  invocation and one per record;
* ``no-hooks`` (the floor, in-process only): the same handler with polyfn's two
  tracing checks taken out (the invocation's, ``adapters._tracing.invoke``, and the
  batch record's, ``sdk._batch._attempt``): what the code cost before tracing.

In one process the modes take turns around each call: around it, a mode sets what
decides it (``opentelemetry.trace`` out of ``sys.modules`` or in it; the two hooks'
module globals; the tracer) and restores it after. That costs every mode a few
dictionary operations (about 0.1 µs, against 20 µs for the lightest call), so the
ratios compare the checks. The target: tracing off, either way, within 3 % of the
floor.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from ._core import Impl, Scenario, Target
from ._timing import median, per_call_us

__all__ = ["MODES", "SCENARIOS", "measure"]

MODES = ("off", "no-provider", "sdk")
_SCENARIOS = ("http.v2", "sqs.batch-10")
_TRACE = "opentelemetry.trace"


def _scenario(name: str) -> Callable[[], Any]:
    """The scenario's polyfn side: a callable making a new event per call (``Fresh``)."""
    if name == "http.v2":
        from .http_v2 import EVENT as REQUEST
        from .http_v2 import _polyfn as http
        return http(REQUEST)()
    from .sqs_batch import EVENT as BATCH
    from .sqs_batch import polyfn_sqs
    return polyfn_sqs(BATCH)


# -- in-process: each mode entered and left around every call ------------------------

class _Mode:
    """What differs from the process as it is (tracing automatic, no provider):
    module globals set on enter and restored on exit, whether ``opentelemetry.trace``
    is in ``sys.modules`` meanwhile, and what to clear after a call."""

    def __init__(self, values: dict[tuple[Any, str], Any], loaded: bool,
                 clear: Callable[[], None] | None = None) -> None:
        self.values = values
        self.loaded = loaded
        self.clear = clear

    def wrap(self, run: Callable[[], Any]) -> Callable[[], Any]:
        import opentelemetry.trace as otel  # the dev install has it

        import sdk._tracing

        assert not sdk._tracing._forced, "POLYFN_OTEL is set: the modes need it unset"
        assert getattr(otel, "_TRACER_PROVIDER", None) is None, "a global provider is set"
        values, loaded, clear, modules = list(self.values.items()), self.loaded, self.clear, \
            sys.modules

        def call() -> Any:
            saved = [getattr(module, name) for (module, name), _ in values]
            for (module, name), value in values:
                setattr(module, name, value)
            was = modules.pop(_TRACE, None) if not loaded else modules.setdefault(_TRACE, otel)
            try:
                return run()
            finally:
                for ((module, name), _), value in zip(values, saved, strict=True):
                    setattr(module, name, value)
                if was is not None and not loaded:
                    modules[_TRACE] = was
                if clear is not None:
                    clear()

        return call


def _bare_invoke(trigger: Any, fn: Any, raw: Any, context: Any, **options: Any) -> Any:
    return trigger.invoke(fn, raw, context, **options)


def _mode(name: str) -> _Mode:
    import adapters.aws
    import sdk._batch
    import sdk._tracing

    # Every mode sets the two hooks (the floor to bare ones), so all pay the same.
    hooks: dict[tuple[Any, str], Any] = {(adapters.aws, "_invoke"): adapters.aws._invoke,
                                         (sdk._batch, "_attempt"): sdk._batch._attempt}
    if name == "no-hooks":
        return _Mode({(adapters.aws, "_invoke"): _bare_invoke,
                      (sdk._batch, "_attempt"): sdk._batch._handle}, loaded=False)
    if name != "sdk":
        return _Mode(hooks, loaded=name == "no-provider")
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("polyfn", sdk._tracing._VERSION, schema_url=sdk._tracing._SCHEMA)
    return _Mode({**hooks, (sdk._tracing, "_tracer"): [tracer]}, loaded=True,
                 clear=exporter.clear)


def _impl(label: str, mode: str, scenario: str) -> Impl:
    def setup() -> Callable[[], Any]:
        return _mode(mode).wrap(_scenario(scenario))

    return Impl(label, setup)


def _scenarios() -> tuple[Scenario, ...]:
    found: list[Scenario] = []
    for base in _SCENARIOS:
        floor = _impl("no tracing hooks", "no-hooks", base)
        found.append(Scenario(
            name=f"tracing.{base}.off", title=f"{base}, tracing off: OpenTelemetry not loaded",
            polyfn=_impl("polyfn, otel not loaded", "off", base), floor=floor,
            targets=(Target("floor", ratio=1.03),)))
        found.append(Scenario(
            name=f"tracing.{base}.no-provider",
            title=f"{base}, tracing off: OpenTelemetry API loaded, no provider",
            polyfn=_impl("polyfn, no provider", "no-provider", base),
            peers=(_impl("spans (opentelemetry-sdk)", "sdk", base),), floor=floor,
            targets=(Target("floor", ratio=1.03),)))
    return tuple(found)


SCENARIOS = _scenarios()


# -- paired: two modes alternating every few milliseconds, in this process ------------

def paired(mode: str, base: str, pairs: int, seconds: float) -> tuple[float, float, float]:
    """(median of ``mode``/floor ratios, ``mode`` µs, floor µs): the two alternate in
    short runs (``seconds`` each, order swapped every pair), so a load change on
    a shared machine hits both sides of a pair alike."""
    import timeit

    ours = timeit.Timer(_mode(mode).wrap(_scenario(base)))
    floor = timeit.Timer(_mode("no-hooks").wrap(_scenario(base)))
    ours.timeit(1)
    floor.timeit(1)
    calls = max(1, int(seconds / (floor.timeit(20) / 20)))
    ratios, mine, theirs = [], [], []
    for index in range(pairs):
        if index % 2:
            b, a = floor.timeit(calls), ours.timeit(calls)
        else:
            a, b = ours.timeit(calls), floor.timeit(calls)
        ratios.append(a / b)
        mine.append(a / calls * 1e6)
        theirs.append(b / calls * 1e6)
    return median(ratios), median(mine), median(theirs)


def _print_paired(pairs: int, seconds: float) -> None:
    print(f"{'scenario':<14}{'mode':>13}{'µs':>10}{'floor µs':>10}{'ratio':>8}"
          f"  (median of {pairs} alternating pairs)")
    for base in _SCENARIOS:
        for mode in ("off", "no-provider"):
            ratio, mine, floor = paired(mode, base, pairs, seconds)
            print(f"{base:<14}{mode:>13}{mine:>10.2f}{floor:>10.2f}{ratio:>7.3f}x")


# -- the checks alone: each hook against a direct call, in this process --------------

class _Trigger:
    """The least a trigger does: call the handler."""

    def invoke(self, fn: Any, raw: Any, context: Any, **options: Any) -> Any:
        return fn(raw)


class _Record:
    def events(self) -> list[Any]:
        return [None]


def checks(pairs: int) -> dict[str, float]:
    """Nanoseconds each tracing check adds, tracing off (OpenTelemetry not loaded):
    the invocation's (``adapters._tracing.invoke`` over ``trigger.invoke``) and a
    batch record's (``sdk._batch._attempt`` over ``_handle``), medians of ``pairs``
    alternating runs of 10,000 calls."""
    import timeit

    from adapters._tracing import invoke
    from sdk import as_function
    from sdk._batch import _attempt, _handle

    trigger, fn, record = _Trigger(), as_function(lambda event: None), _Record()
    sides = {"invocation": (lambda: invoke(trigger, fn.fn, None, None),  # type: ignore[arg-type]
                            lambda: trigger.invoke(fn.fn, None, None)),
             "record": (lambda: _attempt(fn, record, None),  # type: ignore[arg-type]
                        lambda: _handle(fn, record, None))}  # type: ignore[arg-type]
    found: dict[str, float] = {}
    for name, (hooked, direct) in sides.items():
        extra = [timeit.timeit(hooked, number=10_000) - timeit.timeit(direct, number=10_000)
                 for _ in range(pairs)]
        found[name] = median(extra) / 10_000 * 1e9
    return found


# -- fresh interpreters: each mode as a process starts in it -------------------------

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
    parser.add_argument("--paired", type=int, metavar="PAIRS",
                        help="in-process: each tracing-off mode against the floor, PAIRS "
                             "alternating runs of about 5 ms each")
    parser.add_argument("--checks", type=int, metavar="PAIRS",
                        help="the nanoseconds each tracing check adds, tracing off")
    parser.add_argument("--mode", choices=MODES, help=argparse.SUPPRESS)  # one child run
    args = parser.parse_args(argv)
    if args.checks:
        for name, ns in checks(args.checks).items():
            print(f"{name:<11} check: {ns:6.1f} ns  (median of {args.checks} pairs)")
        return
    if args.paired:
        _print_paired(args.paired, 0.005)
        return
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
