"""The spans of a traced invocation's records: one ``CONSUMER`` child of the
invocation's span per record, linked to the record's producer context (the
messaging conventions' "Process" span per message:
https://opentelemetry.io/docs/specs/semconv/messaging/messaging-spans/#consumer-spans).

Two ways a record is handled, two entries (through ``sdk._tracing``, which
loads this module only while an invocation is traced):

* the batch runner's call site (``sdk._batch._attempt``): :func:`attempt`, the span
  current while the handler runs on the record;
* a ``list[...]`` handler, called once with every record by the runner:
  :func:`handed_over`, one span per record it was given, from the batch's start
  to its end (the handler's own spans are children of the invocation's: no record
  span is current in it).

A failed record's span records the exception and has the error status (a record
a ``list[...]`` handler reported failed: :class:`~sdk._records.ReportedFailure`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from opentelemetry.trace import SpanKind

from ._event import Event
from ._records import SKIPPED
from ._tracing_spans import BATCH, Batch, fail, link

__all__ = ["attempt", "attempt_async", "handed_over"]


def _described(batch: Batch, events: Sequence[Any]) -> tuple[dict[str, Any], list[Any]]:
    """A record's attributes and its producer link, from its first event."""
    attributes, carrier = batch.describe(events[0]) if events else ({}, None)
    found = link(carrier)
    return attributes, [found] if found is not None else []


def _events(record: Any) -> Sequence[Any]:
    """A record's events (an event outside the runner is its own record)."""
    if isinstance(record, Event):
        return [record]
    try:
        return record.events()  # type: ignore[no-any-return]
    except Exception:
        return ()  # handling raises the same error again, inside the span


def _start(batch: Batch, events: Sequence[Any]) -> Any:
    attributes, links = _described(batch, events)
    return batch.tracer.start_as_current_span(
        batch.name, kind=SpanKind.CONSUMER, attributes=attributes, links=links,
        record_exception=False, set_status_on_exception=False)


def _batch() -> Batch:
    batch = BATCH.get()
    assert batch is not None  # the callers checked
    return batch


def attempt(handle: Callable[[Any, Any, Any], BaseException | None], fn: Any, record: Any,
            context: Any) -> BaseException | None:
    """``handle(fn, record, context)`` in the record's span; a failure marks it."""
    with _start(_batch(), _events(record)) as span:
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
    with _start(_batch(), _events(record)) as span:
        error = await handle(fn, record, context)
        if error is not None:
            fail(span, error)
    try:
        return error
    finally:
        del error


def handed_over(started: int, records: Sequence[Any],
                errors: Sequence[BaseException | None]) -> None:
    """One span per record of a ``list[...]`` handler's batch, from ``started`` (ns)
    to now, failed with the record's error; a record not handed over (``SKIPPED``:
    an earlier record of its ordered group failed) gets none, as in the runner."""
    batch = BATCH.get()
    if batch is None:
        return
    for record, error in zip(records, errors, strict=True):
        if error is SKIPPED:
            continue
        attributes, links = _described(batch, _events(record))
        span = batch.tracer.start_span(batch.name, kind=SpanKind.CONSUMER,
                                       attributes=attributes, links=links, start_time=started)
        if error is not None:
            fail(span, error)
        span.end()
