"""Running a handler on the CloudEvents of one HTTP delivery, and the one answer.

* One event: the handler's result is the answer. ``None`` -> 204; a returned
  ``Event`` -> that event as a binary-mode CloudEvent (200), which Knative
  forwards as a reply; a ``Response`` or plain value is rendered as on any HTTP
  trigger.
* A batch (or a ``list[...]`` handler): every event is handled; 204 when all
  succeeded, else problem+json with the ids of the failed events: 500 so the
  sender retries, or 400 when every failure is bad input a retry cannot fix.
  A ``list[...]`` handler returns ``None`` or the events (or ids) that failed.
* Failures answer as ``adapters._http.HTTPTrigger.invoke`` does: data not matching the model
  422 (400 unparseable), malformed event 400, handler exception 500 with the
  traceback logged under the request id and never in the body.
"""

from __future__ import annotations

from typing import Any

from adapters._http import failure_answer
from sdk import Context, Event, Function
from sdk.adapter import (
    REPORT,
    Record,
    Rendered,
    ReportedFailure,
    problem,
    render,
    reported,
    run_batch,
    tracing_event,
    tracing_handed_over,
    tracing_started,
)
from sdk.errors import EventDecodeError, ResponseEncodeError

from ._binding import binary_reply

__all__ = ["failure", "reply", "run", "run_async"]

Failures = list[tuple[Event[Any], BaseException]]


def reply(result: Any, trigger: str) -> Rendered:
    """The HTTP answer for a handler's result on one event."""
    if isinstance(result, Event):
        return binary_reply(result.to_cloudevent())
    return render(result, trigger)


def failure(exc: BaseException, context: Context, trigger: str) -> Rendered:
    """The HTTP answer for one failed event: the one HTTP failure answer."""
    return failure_answer(exc, context, trigger)


def batch_answer(failures: Failures, context: Context, trigger: str) -> Rendered:
    """204, or problem+json naming the failed events (already logged by the runner)."""
    if not failures:
        return Rendered(204, [], [], b"")
    bad_input = all(isinstance(exc, EventDecodeError) for _, exc in failures)
    status, title = (400, "Bad Request") if bad_input else (500, "Internal Server Error")
    return problem(status, title, f"{len(failures)} event(s) of the batch failed; see the "
                   f"logs for request id {context.request_id}.",
                   failed=[event.id for event, _ in failures])


def _log(failures: Failures, context: Context, trigger: str) -> None:
    for event, exc in failures:
        context.logger.exception("event failed", exc, trigger=trigger, event_id=event.id)


def _reported(result: Any, events: list[Event[Any]], trigger: str) -> Failures:
    """The runner's rule for reading a batch result; a result that is not a list of
    failures fails every event it was given."""
    try:
        return [(events[index], ReportedFailure()) for index in reported(result, events, trigger)]
    except ResponseEncodeError as exc:
        return [(event, exc) for event in events]


def _prepare_all(fn: Function[Any], events: list[Event[Any]]
                 ) -> tuple[list[Event[Any]], Failures]:
    ready: list[Event[Any]] = []
    failures: Failures = []
    for event in events:
        try:
            ready.append(fn.prepare(event))
        except Exception as exc:
            failures.append((event, exc))
    return ready, failures


def _trigger(events: list[Event[Any]]) -> str:
    return events[0].trigger if events else "cloudevents"


def run(fn: Function[Any], events: list[Event[Any]], context: Context) -> Rendered:
    """Handle the events of one delivery (sync handlers run here; async ones in a
    loop of their own) and give the answer. A batch runs through the batch runner
    (``REPORT``), one record per event."""
    trigger = _trigger(events)
    if len(events) == 1 and not fn.batch:
        try:
            return reply(fn.call(events[0], context), trigger)
        except Exception as exc:
            return failure(exc, context, trigger)
    records = [Record(event.id, [event]) for event in events]
    try:
        outcome = run_batch(fn, records, context, trigger=trigger, policy=REPORT)
    except ResponseEncodeError as exc:
        failures: Failures = [(event, exc) for event in events]
        _log(failures, context, trigger)
    else:
        failures = [(o.record.events()[0], o.error or ReportedFailure())
                    for o in outcome.failed]
        del outcome  # no reference cycle: see sdk._batch, "Reference cycles"
    return batch_answer(failures, context, trigger)


async def _call(fn: Function[Any], event: Event[Any], context: Context) -> Any:
    """Async handlers run on the server's loop; sync ones in a worker thread."""
    if not fn.is_async:
        import asyncio  # here, not at the top: the WSGI app never loads it

        return await asyncio.to_thread(fn.call, event, context)
    fn.prepare(event)
    return await (fn.fn(event, context) if fn.takes_context else fn.fn(event))


async def _call_batch(fn: Function[Any], events: list[Event[Any]], context: Context) -> Any:
    if not fn.is_async:
        import asyncio

        return await asyncio.to_thread(fn.call_batch, events, context)
    return await (fn.fn(events, context) if fn.takes_context else fn.fn(events))


async def run_async(fn: Function[Any], events: list[Event[Any]], context: Context
                    ) -> Rendered:
    """:func:`run` for an event loop (the ASGI app)."""
    trigger = _trigger(events)
    if len(events) == 1 and not fn.batch:
        try:
            return reply(await _call(fn, events[0], context), trigger)
        except Exception as exc:
            return failure(exc, context, trigger)
    if fn.batch:
        started = tracing_started()  # None unless traced: then a span per event
        ready, failures = _prepare_all(fn, events)
        if ready:
            try:
                failures += _reported(await _call_batch(fn, ready, context), ready, trigger)
            except Exception as exc:
                failures += [(event, exc) for event in ready]
        if started is not None:
            failed = {id(event): exc for event, exc in failures}
            tracing_handed_over(started, events, [failed.get(id(event)) for event in events])
        _log(failures, context, trigger)
        return batch_answer(failures, context, trigger)
    failures = []
    for event in events:
        try:
            with tracing_event(event):  # the event's span while traced
                await _call(fn, event, context)
        except Exception as exc:
            failures.append((event, exc))
    _log(failures, context, trigger)
    return batch_answer(failures, context, trigger)
