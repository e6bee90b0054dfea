"""OpenTelemetry spans for invocations and batch records, at no cost when off.

Tracing is on when OpenTelemetry is loaded (``opentelemetry.trace`` in
``sys.modules``: an instrumented function imports it to configure a tracer
provider) or ``POLYFN_OTEL=1`` / :func:`enable` ask for it, *and* a real tracer
provider is configured (not the API's ``ProxyTracerProvider`` or
``NoOpTracerProvider``). ``POLYFN_OTEL=0`` turns it off whatever is loaded.
Otherwise nothing here imports anything: :func:`tracer` is a dictionary lookup.

What a trigger's span carries (attributes, parent, links) is the adapters'
knowledge (``adapters/_tracing``); this module makes the invocation's span
(:func:`invocation`) and is the entry to the records' spans (``sdk._tracing_records``,
loaded only while tracing): one child per batch record at the runner's call site
(:func:`attempt`, from ``sdk._batch._attempt``), per record a ``list[...]``
handler was given (:func:`started`, :func:`handed_over`). Semantic conventions:
https://opentelemetry.io/docs/specs/semconv/faas/ and
https://opentelemetry.io/docs/specs/semconv/messaging/messaging-spans/.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from ._tracing_spans import BATCH, Batch, extract, fail, link

__all__ = ["BATCH", "Batch", "attempt", "attempt_async", "current_ids", "disable", "enable",
           "exception", "extract", "fail", "handed_over", "invocation", "link",
           "started", "tracer"]

#: ``POLYFN_OTEL``: ``1`` imports OpenTelemetry and traces, ``0`` never traces.
_SWITCH = "POLYFN_OTEL"
_VERSION = "0.1.0"
#: A provider named by the variable the API loads one from on first use.
_named = bool(os.environ.get("OTEL_PYTHON_TRACER_PROVIDER"))
_SCHEMA = "https://opentelemetry.io/schemas/1.44.0"  # the version docs/tracing.md cites

#: [the tracer] once a configured provider gave one; [] while tracing is off.
_tracer: list[Any] = []
#: [provider] given to :func:`enable`; else the global one is used.
_provider: list[Any] = []
#: [True] forced on, [False] forced off, [] automatic.
_forced: list[bool] = []
_env = os.environ.get(_SWITCH)
if _env in ("0", "1"):
    _forced.append(_env == "1")




def enable(provider: Any = None) -> None:
    """Trace every invocation: with ``provider`` (a ``TracerProvider``), else the
    global one (``opentelemetry.trace.set_tracer_provider``). Imports OpenTelemetry."""
    _forced[:] = [True]
    _provider[:] = [provider] if provider is not None else []
    _tracer.clear()


def disable() -> None:
    """Never trace, even with OpenTelemetry loaded and a provider configured."""
    _forced[:] = [False]
    _provider.clear()
    _tracer.clear()


def tracer() -> Any:
    """The tracer for this invocation, or ``None`` when tracing is off."""
    if _tracer:
        return _tracer[0]
    if _forced and not _forced[0]:
        return None
    trace: Any = sys.modules.get("opentelemetry.trace")
    if trace is None:
        if not _forced:
            return None
        try:
            import opentelemetry.trace as imported
        except ImportError:  # the otel extra is not installed
            return None
        trace = imported
    if _provider:
        provider = _provider[0]
    elif getattr(trace, "_TRACER_PROVIDER", True) is None and not _named:
        # None set (the API's own global, there since 1.0; public call if it goes):
        # get_tracer_provider() would read os.environ, microseconds per invocation.
        return None
    else:
        provider = trace.get_tracer_provider()
    if isinstance(provider, (trace.ProxyTracerProvider, trace.NoOpTracerProvider)):
        return None  # asked again next time: a provider may be set later
    found = provider.get_tracer("polyfn", _VERSION, schema_url=_SCHEMA)
    _tracer.append(found)
    return found


def current_ids() -> tuple[str, str] | None:
    """(trace id, span id) in hex of the span being recorded, for log lines;
    ``None`` when tracing is off or no span is recording."""
    if not _tracer:
        return None
    from opentelemetry import trace

    span = trace.get_current_span().get_span_context()
    if not span.is_valid:
        return None
    return f"{span.trace_id:032x}", f"{span.span_id:016x}"


def exception(error: BaseException) -> None:
    """Add ``error`` to the span being recorded (a handler failure an HTTP
    trigger answers with 500 is logged, not raised)."""
    from opentelemetry import trace

    span = trace.get_current_span()
    if span.is_recording():
        span.record_exception(error)


_KINDS = {"server": "SERVER", "consumer": "CONSUMER", "internal": "INTERNAL"}


@contextmanager
def invocation(tracer: Any, name: str, kind: str, attributes: dict[str, Any],
               parents: Sequence[Mapping[str, str] | None],
               links: Sequence[Mapping[str, str] | None] = (),
               batch: Batch | None = None) -> Iterator[Any]:
    """The invocation's span, current while the handler runs. Its parent is the
    first of ``parents`` holding a valid context; ``links`` are producer contexts.
    An exception escaping records itself and sets the error status."""
    from opentelemetry import trace

    parent = next((c for c in map(extract, parents) if c is not None), None)
    linked = [item for item in map(link, links) if item is not None]
    token = BATCH.set(batch)
    try:
        with tracer.start_as_current_span(
                name, context=parent, kind=getattr(trace.SpanKind, _KINDS[kind]),
                attributes=attributes, links=linked) as span:
            yield span
    finally:
        BATCH.reset(token)


def started() -> int | None:
    """The time (ns) a ``list[...]`` handler's batch began, for its records' spans
    (:func:`handed_over`); ``None`` while the invocation is not traced."""
    if BATCH.get() is None:
        return None
    import time

    return time.time_ns()


def handed_over(started: int, records: Sequence[Any],
                errors: Sequence[BaseException | None]) -> None:
    """A span per record a ``list[...]`` handler ran on (``sdk._tracing_records``)."""
    from ._tracing_records import handed_over as spans

    spans(started, records, errors)


def attempt(handle: Callable[[Any, Any, Any], BaseException | None], fn: Any, record: Any,
            context: Any) -> BaseException | None:
    """``handle(fn, record, context)`` in the record's span (``sdk._tracing_records``)."""
    from ._tracing_records import attempt as run

    return run(handle, fn, record, context)


async def attempt_async(handle: Callable[[Any, Any, Any], Awaitable[BaseException | None]],
                        fn: Any, record: Any, context: Any) -> BaseException | None:
    """:func:`attempt` for an async handler."""
    from ._tracing_records import attempt_async as run

    return await run(handle, fn, record, context)
