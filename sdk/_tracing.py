"""OpenTelemetry spans for invocations and batch records, at no cost when off.

Tracing is on when OpenTelemetry is loaded (``opentelemetry.trace`` in
``sys.modules``: an instrumented function imports it to configure a tracer
provider) or ``POLYFN_OTEL=1`` / :func:`enable` ask for it, *and* a real tracer
provider is configured (not the API's ``ProxyTracerProvider`` or
``NoOpTracerProvider``). ``POLYFN_OTEL=0`` turns it off whatever is loaded.
Otherwise nothing here imports anything: :func:`tracer` is a dictionary lookup.

What a trigger's span carries (attributes, parent, links) is the adapters'
knowledge (``adapters/_tracing``); this module makes the spans: the invocation
(:func:`invocation`) and one child per batch record at the runner's call site
(:func:`attempt`, from ``sdk._batch._attempt``). Semantic conventions:
https://opentelemetry.io/docs/specs/semconv/faas/ and
https://opentelemetry.io/docs/specs/semconv/messaging/messaging-spans/.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

__all__ = ["BATCH", "Batch", "attempt", "attempt_async", "current_ids", "disable", "enable",
           "exception", "extract", "fail", "invocation", "tracer"]

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

#: The batch being traced, for the runner's per-record spans (None: not traced).
BATCH: ContextVar[Batch | None] = ContextVar("polyfn_batch", default=None)


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


def extract(carrier: Mapping[str, str] | None) -> Any:
    """The OpenTelemetry context a carrier (W3C ``traceparent``/``tracestate``, or
    X-Ray ``X-Amzn-Trace-Id``) holds; ``None`` when it holds no valid span."""
    if not carrier:
        return None
    from opentelemetry import trace

    from . import _propagation

    context = _propagation.extract(carrier)
    if context is None or not trace.get_current_span(context).get_span_context().is_valid:
        return None
    return context


def _link(carrier: Mapping[str, str] | None) -> Any:
    from opentelemetry import trace

    context = extract(carrier)
    return None if context is None else trace.Link(
        trace.get_current_span(context).get_span_context())


class Batch:
    """How the records of the invocation being traced are described: ``describe(event)``
    gives a record's attributes and its producer's carrier (a link)."""

    __slots__ = ("describe", "name", "tracer")

    def __init__(self, tracer: Any, name: str,
                 describe: Callable[[Any], tuple[dict[str, Any], Mapping[str, str] | None]]
                 ) -> None:
        self.tracer = tracer
        self.name = name
        self.describe = describe


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
    found = [link for link in map(_link, links) if link is not None]
    token = BATCH.set(batch)
    try:
        with tracer.start_as_current_span(
                name, context=parent, kind=getattr(trace.SpanKind, _KINDS[kind]),
                attributes=attributes, links=found) as span:
            yield span
    finally:
        BATCH.reset(token)


def fail(span: Any, error: BaseException) -> None:
    """Mark ``span`` failed by ``error`` (an exception event and the error status)."""
    from opentelemetry.trace import Status, StatusCode

    span.record_exception(error)
    span.set_status(Status(StatusCode.ERROR, type(error).__name__))


def _record_span(record: Any) -> tuple[Batch, dict[str, Any], list[Any]]:
    """The batch, a record's attributes and its producer link, for its span."""
    batch = BATCH.get()
    assert batch is not None
    try:
        events = record.events()
    except Exception:
        events = ()  # handling raises the same error again, inside the span
    attributes, carrier = batch.describe(events[0]) if events else ({}, None)
    link = _link(carrier)
    return batch, attributes, [link] if link is not None else []


def attempt(handle: Callable[[Any, Any, Any], BaseException | None], fn: Any, record: Any,
            context: Any) -> BaseException | None:
    """``handle(fn, record, context)`` in a CONSUMER span of its own, a child of the
    invocation's, linked to the record's producer; a failure marks it failed."""
    from opentelemetry import trace

    batch, attributes, links = _record_span(record)
    with batch.tracer.start_as_current_span(
            batch.name, kind=trace.SpanKind.CONSUMER, attributes=attributes, links=links,
            record_exception=False, set_status_on_exception=False) as span:
        error = handle(fn, record, context)
        if error is not None:
            fail(span, error)
    try:
        return error
    finally:
        del error  # no reference cycle: see sdk._batch, "Reference cycles"


async def attempt_async(handle: Callable[[Any, Any, Any], Awaitable[BaseException | None]],
                        fn: Any, record: Any, context: Any) -> BaseException | None:
    """:func:`attempt` for an async handler."""
    from opentelemetry import trace

    batch, attributes, links = _record_span(record)
    with batch.tracer.start_as_current_span(
            batch.name, kind=trace.SpanKind.CONSUMER, attributes=attributes, links=links,
            record_exception=False, set_status_on_exception=False) as span:
        error = await handle(fn, record, context)
        if error is not None:
            fail(span, error)
    try:
        return error
    finally:
        del error
