"""The provider-neutral batch runner: every record handled or reported failed.

An adapter splits a delivery into :class:`Record` objects (the identifier the
provider takes back, and the record's events, decoded when the runner reaches
it) and calls :func:`run_batch`. The runner returns one outcome per record, in
batch order; the adapter turns the failed ones into the provider's answer.

How the handler is called:

* ``def handle(message)``: once per event, in batch order.
* ``async def handle(message)``: records run concurrently, at most
  ``concurrency`` handler calls at a time; the outcome is the same as running
  them one by one.
* ``def handle(messages: list[Message])`` (sync or async): once, with every event
  that decoded and validated. It returns ``None`` when all succeeded, or an
  iterable of the events that failed (the event objects, or their ``id``
  strings). Raising fails every record it was given.

A record fails when decoding it, validating any of its events into the handler's
model, or handling any of its events raises. Records of the same ``group`` form
an ordered sequence (FIFO queue, stream shard, Kafka partition): once one fails,
the later records of that group are not attempted and are reported failed too,
so the provider redelivers them in order. Failures are logged with the error
type and the record's identifier, never its payload.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

from ._context import Context
from ._event import Event
from ._function import Function, _run
from ._records import (
    DEFAULT_CONCURRENCY,
    SKIPPED,
    BatchOutcome,
    Record,
    RecordOutcome,
    ReportedFailure,
)
from .errors import ResponseEncodeError

__all__ = [
    "DEFAULT_CONCURRENCY", "BatchOutcome", "Record", "RecordOutcome", "ReportedFailure",
    "run_batch",
]

def run_batch(fn: Function[Any], records: Sequence[Record], context: Context, *,
              trigger: str, concurrency: int = DEFAULT_CONCURRENCY) -> BatchOutcome:
    """Run ``fn`` over ``records`` as the module docstring describes.

    Only exceptions the handler's own result makes unusable escape (a batch
    handler returning something that is not a list of failures:
    :class:`ResponseEncodeError`); the adapter then fails the whole invocation.
    """
    if fn.batch:
        errors = _run_whole(fn, records, context, trigger)
    elif fn.is_async:
        running = _run_concurrently(fn, records, context, max(1, concurrency))
        try:
            errors = _run(running)
        finally:
            running.close()  # never started when called from a running loop
    else:
        errors = _run_one_by_one(fn, records, context)
    outcome = BatchOutcome.of(records, errors)
    del errors  # no reference cycle: see _attempt
    _log(outcome, context, trigger)
    try:
        return outcome
    finally:
        del outcome  # no reference cycle: see _attempt


def _run_one_by_one(fn: Function[Any], records: Sequence[Record], context: Context
                    ) -> list[BaseException | None]:
    errors: list[BaseException | None] = []
    failed_groups: set[Hashable] = set()
    for record in records:
        group = record.group
        if group is not None and group in failed_groups:
            errors.append(SKIPPED)
            continue
        errors.append(_attempt(fn, record, context))
        if errors[-1] is not None:
            failed_groups.add(group)
    try:
        return errors
    finally:
        del errors  # no reference cycle: see _attempt


# Reference cycles. A caught exception's traceback keeps the frames it went
# through, and through them (``f_back``) every frame that was running below them,
# with the local variables those hold when they return. A runner frame returning
# with a local that holds the exception (the list of errors, the outcome) would
# close a cycle (frame -> errors -> exception -> traceback -> frame) keeping the
# whole batch, every event and record, alive until the garbage collector runs;
# with it disabled (timeit, or a process that turns it off), never freed. So the
# functions below catch in a frame of their own, and the frames above them drop
# such locals before they return (``del`` in a ``finally`` after ``return x``).

def _attempt(fn: Function[Any], record: Record, context: Context) -> BaseException | None:
    """Handle a record's events one by one; the exception that stopped it, if any."""
    try:
        for event in record.events():
            fn.call(event, context)
    except Exception as exc:
        return exc
    return None


async def _run_concurrently(fn: Function[Any], records: Sequence[Record], context: Context,
                            concurrency: int) -> list[BaseException | None]:
    """Ordered groups run one record after another; groups and ungrouped records
    run side by side, never more than ``concurrency`` handler calls at once."""
    import asyncio  # only async handlers pay for it

    errors: list[BaseException | None] = [None] * len(records)
    limit = asyncio.Semaphore(concurrency)

    async def run_unit(indexes: list[int]) -> None:
        for position, index in enumerate(indexes):
            async with limit:
                errors[index] = await _attempt_async(fn, records[index], context)
            if errors[index] is not None:
                for later in indexes[position + 1:]:
                    errors[later] = SKIPPED
                return

    await asyncio.gather(*(run_unit(unit) for unit in _units(records)))
    return errors


async def _attempt_async(fn: Function[Any], record: Record, context: Context
                         ) -> BaseException | None:
    try:
        for event in record.events():
            fn.prepare(event)
            await (fn.fn(event, context) if fn.takes_context else fn.fn(event))
    except Exception as exc:
        return exc
    return None


def _units(records: Sequence[Record]) -> list[list[int]]:
    """Record indexes grouped into sequences that must run in order."""
    units: list[list[int]] = []
    by_group: dict[Hashable, list[int]] = {}
    for index, record in enumerate(records):
        if record.group is None:
            units.append([index])
        elif record.group in by_group:
            by_group[record.group].append(index)
        else:
            units.append(by_group.setdefault(record.group, [index]))
    return units


def _run_whole(fn: Function[Any], records: Sequence[Record], context: Context, trigger: str
               ) -> list[BaseException | None]:
    """A ``list[...]`` handler: one call with every event that decoded and validated
    (in an ordered group, only those before the group's first failure)."""
    errors: list[BaseException | None] = [None] * len(records)
    decoded: list[Event[Any]] | BaseException | None = None
    error: BaseException | None = None
    owner: dict[int, int] = {}  # id(event) -> record index
    events: list[Event[Any]] = []
    failed_groups: set[Hashable] = set()
    for index, record in enumerate(records):
        if record.group is not None and record.group in failed_groups:
            continue  # reported failed below, never handed over out of order
        decoded = _prepared(fn, record)
        if isinstance(decoded, BaseException):
            errors[index] = decoded
            failed_groups.add(record.group)
            continue
        for event in decoded:
            owner[id(event)] = index
            events.append(event)
    if events:
        result, error = _call_batch(fn, events, context)
        if error is not None:
            for index in set(owner.values()):
                errors[index] = error
        else:
            for index in _reported(result, events, owner, trigger):
                if errors[index] is None:
                    errors[index] = ReportedFailure()
    decoded = error = None  # no reference cycle: see _attempt
    try:
        return _skip_after_failures(records, errors)
    finally:
        del errors


def _prepared(fn: Function[Any], record: Record) -> list[Event[Any]] | BaseException:
    """A record's events, validated for ``fn``; or the exception that stopped it.

    A payload decoded lazily (base64 in Kinesis, Kafka, MQ records) is decoded
    here: a malformed record then fails alone, as it does for a per-record
    handler, instead of raising inside the batch handler and failing every record.
    """
    try:
        decoded = record.events()
        for event in decoded:
            if callable(event._payload):
                event.payload_bytes_or_text()
            fn.prepare(event)
    except Exception as exc:
        return exc
    return decoded


def _call_batch(fn: Function[Any], events: list[Event[Any]], context: Context
                ) -> tuple[Any, BaseException | None]:
    """(a batch handler's result, None), or (None, the exception it raised)."""
    try:
        return fn.call_batch(events, context), None
    except Exception as exc:
        return None, exc


def _reported(result: Any, events: list[Event[Any]], owner: dict[int, int], trigger: str
              ) -> set[int]:
    """Record indexes a batch handler's result names as failed."""
    if result is None:
        return set()
    if isinstance(result, (str, bytes, Mapping)) or not isinstance(result, Iterable):
        raise ResponseEncodeError(trigger, "a batch handler returns None or an iterable of the "
                                  f"events (or event ids) that failed, not {type(result).__name__}")
    by_id: dict[str, list[int]] = {}
    for event in events:
        if event.id is not None:
            by_id.setdefault(event.id, []).append(owner[id(event)])
    failed: set[int] = set()
    for item in result:
        if isinstance(item, Event) and id(item) in owner:
            failed.add(owner[id(item)])
        elif isinstance(item, str) and item in by_id:
            failed.update(by_id[item])
        else:
            raise ResponseEncodeError(trigger, "the batch handler reported a failure that is "
                                      "not an event of this batch (nor its id)")
    return failed


def _skip_after_failures(records: Sequence[Record], errors: list[BaseException | None]
                         ) -> list[BaseException | None]:
    failed_groups: set[Hashable] = set()
    for index, record in enumerate(records):
        if record.group is None:
            continue
        if record.group in failed_groups and errors[index] is None:
            errors[index] = SKIPPED
        elif errors[index] is not None:
            failed_groups.add(record.group)
    return errors


def _log(outcome: BatchOutcome, context: Context, trigger: str) -> None:
    """One line per distinct error (a batch handler's error is shared by its records)."""
    failed = outcome.failed
    if not failed:
        return  # the context (and its logger) is not even built
    by_error: dict[int, tuple[BaseException, list[str | None]]] = {}
    skipped = 0
    for item in failed:
        if item.skipped:
            skipped += 1
        elif item.error is not None:
            by_error.setdefault(id(item.error), (item.error, []))[1].append(item.record.label)
    for error, labels in by_error.values():
        if len(labels) == 1:
            context.logger.exception("record failed", error, trigger=trigger, record=labels[0])
        else:
            context.logger.exception("records failed", error, trigger=trigger, records=labels)
    if skipped:
        context.logger.warning("records not attempted: an earlier record of their ordered "
                               "sequence failed", trigger=trigger, count=skipped)
