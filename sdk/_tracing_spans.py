"""The pieces of a span both the invocation (``sdk._tracing``) and the records'
spans (``sdk._tracing_records``) use: below both, so neither imports the other back.
OpenTelemetry is imported only inside the functions (they run only while traced)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import Any

__all__ = ["BATCH", "Batch", "extract", "fail", "link"]


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


def link(carrier: Mapping[str, str] | None) -> Any:
    """A span link to the producer context ``carrier`` holds; ``None`` when none."""
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


def fail(span: Any, error: BaseException) -> None:
    """Mark ``span`` failed by ``error`` (an exception event and the error status)."""
    from opentelemetry.trace import Status, StatusCode

    span.record_exception(error)
    span.set_status(Status(StatusCode.ERROR, type(error).__name__))


#: The batch being traced, for the runner's per-record spans (None: not traced).
BATCH: ContextVar[Batch | None] = ContextVar("polyfn_batch", default=None)
