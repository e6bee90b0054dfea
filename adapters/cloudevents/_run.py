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
    ANSWER,
    REPORT,
    BatchOutcome,
    Record,
    Rendered,
    ReportedFailure,
    problem,
    render,
    run_batch,
    run_batch_async,
    run_one,
    run_one_async,
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


def _trigger(events: list[Event[Any]]) -> str:
    return events[0].trigger if events else "cloudevents"


def _one(fn: Function[Any], events: list[Event[Any]]) -> bool:
    """One event to a per-event handler: a request/response, its result the answer."""
    return len(events) == 1 and not fn.batch


def _records(events: list[Event[Any]]) -> list[Record]:
    return [Record(event.id, [event]) for event in events]


def _batch_answer(outcome: BatchOutcome, context: Context, trigger: str) -> Rendered:
    failures = [(o.record.events()[0], o.error or ReportedFailure()) for o in outcome.failed]
    del outcome  # no reference cycle: see sdk._batch, "Reference cycles"
    try:
        return batch_answer(failures, context, trigger)
    finally:
        del failures


def _unusable(exc: ResponseEncodeError, events: list[Event[Any]], context: Context,
              trigger: str) -> Rendered:
    """A batch handler's result that is not a list of failures fails every event."""
    failures: Failures = [(event, exc) for event in events]
    for event, error in failures:
        context.logger.exception("event failed", error, trigger=trigger, event_id=event.id)
    return batch_answer(failures, context, trigger)


def run(fn: Function[Any], events: list[Event[Any]], context: Context) -> Rendered:
    """Handle the events of one delivery (sync handlers run here; async ones in a
    loop of their own) and give the answer. A batch runs through the batch runner
    (``REPORT``), one record per event."""
    trigger = _trigger(events)
    if _one(fn, events):
        return _reply(*_called(fn, events[0], context), context, trigger)
    return _answer(_outcome(fn, events, context, trigger), events, context, trigger)


async def run_async(fn: Function[Any], events: list[Event[Any]], context: Context
                    ) -> Rendered:
    """:func:`run` for an event loop (the ASGI app): async handlers run on it, sync
    ones in a worker thread; a batch through the runner's async mode."""
    trigger = _trigger(events)
    if _one(fn, events):
        return _reply(*await _called_async(fn, events[0], context), context, trigger)
    return _answer(await _outcome_async(fn, events, context, trigger), events, context,
                   trigger)


# The steps below return an exception rather than raise it from the frames above
# them, so no frame of run / run_async holds one (see sdk._batch, "Reference cycles").

def _called(fn: Function[Any], event: Event[Any], context: Context
            ) -> tuple[Any, Exception | None]:
    """(the handler's result, None), or (None, the exception it raised): the runner's
    ``ANSWER`` policy, which leaves the log line to the failure answer and the span
    to the invocation's."""
    try:
        return run_one(fn, Record(event.id, [event]), context, trigger=event.trigger,
                       policy=ANSWER), None
    except Exception as exc:
        return None, exc


async def _called_async(fn: Function[Any], event: Event[Any], context: Context
                        ) -> tuple[Any, Exception | None]:
    """:func:`_called` from a loop: async handlers run on it, sync ones in a worker
    thread."""
    try:
        return await run_one_async(fn, Record(event.id, [event]), context,
                                   trigger=event.trigger, policy=ANSWER), None
    except Exception as exc:
        return None, exc


def _reply(result: Any, error: Exception | None, context: Context, trigger: str) -> Rendered:
    """The answer to one event: its result as a reply, or the failure answer."""
    if error is None:
        try:
            return reply(result, trigger)
        except Exception as exc:
            error = exc
    return failure(error, context, trigger)


def _outcome(fn: Function[Any], events: list[Event[Any]], context: Context, trigger: str
             ) -> BatchOutcome | ResponseEncodeError:
    """The batch runner's outcome, or the error of a batch handler's unusable result."""
    try:
        return run_batch(fn, _records(events), context, trigger=trigger, policy=REPORT)
    except ResponseEncodeError as exc:
        return exc


async def _outcome_async(fn: Function[Any], events: list[Event[Any]], context: Context,
                         trigger: str) -> BatchOutcome | ResponseEncodeError:
    """:func:`_outcome` from a loop."""
    try:
        return await run_batch_async(fn, _records(events), context, trigger=trigger,
                                     policy=REPORT)
    except ResponseEncodeError as exc:
        return exc


def _answer(outcome: BatchOutcome | ResponseEncodeError, events: list[Event[Any]],
            context: Context, trigger: str) -> Rendered:
    if isinstance(outcome, ResponseEncodeError):
        return _unusable(outcome, events, context, trigger)
    try:
        return _batch_answer(outcome, context, trigger)
    finally:
        del outcome  # no reference cycle: see sdk._batch, "Reference cycles"

