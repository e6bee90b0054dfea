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

This is the one runner of the project: every trigger that runs a handler over
more than one event names a :class:`Policy` instead of writing its own loop.

* :data:`REPORT`: failures come back in the :class:`BatchOutcome`, for the
  trigger's partial failure report (SQS ``batchItemFailures``, a CloudEvents batch
  answer); :func:`batch_failure` is what it raises when it cannot report them.
* :data:`REPORT_RESULTS`: the same, and a ``list[...]`` handler returns one
  result per event (Firehose transformations), not the failed ones.
* :data:`FAIL`: any failure fails the invocation: every record is attempted, the
  first failure raised (Azure records, Google CloudEvents).
* :data:`FAIL_FAST`: the records are one ordered sequence: the first failure
  stops it and is raised; a ``list[...]`` handler's return value is the answer
  (AppSync batch resolvers, CloudWatch Logs).
* :data:`ANSWER`: the one event of a request/response delivery (the CloudEvents
  apps' one-event path): its failure is raised for the caller to answer, and the
  caller logs what it answers with and its invocation's span is the event's, so
  the runner neither logs the failure nor opens a record span
  (:func:`run_one`, :func:`run_one_async`).

Every record is handled at one call site, :func:`_attempt` (``_attempt_async``
for async handlers, ``_call_batch`` for a ``list[...]`` handler): per-record work
that every trigger should get (a tracing span, an idempotency check) goes there.
The result of a record's last event is kept on the record (``BatchOutcome.results``),
a ``list[...]`` handler's answer on the outcome (``BatchOutcome.answer``).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from typing import Any, NoReturn

from . import _tracing
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
from .errors import BatchFailedError, ResponseEncodeError

__all__ = [
    "ANSWER", "DEFAULT_CONCURRENCY", "FAIL", "FAIL_FAST", "REPORT", "REPORT_RESULTS",
    "BatchOutcome", "Policy", "Record", "RecordOutcome", "ReportedFailure", "batch_failure",
    "reported", "run_batch", "run_batch_async", "run_one", "run_one_async",
]


class Policy:
    """What a trigger does with failed records (see the module docstring)."""

    __slots__ = ("answered", "name", "ordered", "report", "results")

    def __init__(self, name: str, *, report: bool, ordered: bool = False,
                 results: bool = False, answered: bool = False) -> None:
        self.name = name
        #: the caller answers for the one record: it logs the failure, and its
        #: invocation's span is the record's (no log line, no record span here)
        self.answered = answered
        #: failures are returned in the outcome, not raised
        self.report = report
        #: every record is one ordered sequence: the first failure stops it
        self.ordered = ordered
        #: a ``list[...]`` handler returns the answer, not the failed events
        self.results = results

    def __repr__(self) -> str:
        return f"<Policy {self.name}>"


REPORT = Policy("report", report=True)
REPORT_RESULTS = Policy("report-results", report=True, results=True)
FAIL = Policy("fail", report=False)
FAIL_FAST = Policy("fail-fast", report=False, ordered=True, results=True)
ANSWER = Policy("answer", report=False, answered=True)


def run_batch(fn: Function[Any], records: Sequence[Record], context: Context, *,
              trigger: str, concurrency: int = DEFAULT_CONCURRENCY,
              policy: Policy = REPORT) -> BatchOutcome:
    """Run ``fn`` over ``records`` as the module docstring describes.

    Under a reporting policy only exceptions the handler's own result makes
    unusable escape (a batch handler returning something that is not a list of
    failures: :class:`ResponseEncodeError`); the adapter then fails the whole
    invocation. Under :data:`FAIL` and :data:`FAIL_FAST` the first failure is
    raised once the records ran.
    """
    answer: list[Any] = []
    if fn.batch:
        errors = _run_whole(fn, records, context, trigger, policy, answer)
    elif fn.is_async:
        running = _run_concurrently(fn, records, context, max(1, concurrency), policy.ordered)
        try:
            errors = _run(running)
        finally:
            running.close()  # never started when called from a running loop
    else:
        errors = _run_one_by_one(fn, records, context, policy.ordered)
    try:
        return _finish(records, errors, answer, context, trigger, policy)
    finally:
        del errors  # no reference cycle: see _attempt


async def run_batch_async(fn: Function[Any], records: Sequence[Record], context: Context, *,
                          trigger: str, concurrency: int = DEFAULT_CONCURRENCY,
                          policy: Policy = REPORT) -> BatchOutcome:
    """:func:`run_batch` from a running event loop (an ASGI app): an async handler
    runs on that loop, a sync one (the whole batch) in a worker thread, so the loop
    is never blocked by it. The same records, policies and outcome."""
    import asyncio  # only async entry points pay for it

    if not fn.is_async:
        done: list[BatchOutcome] = []
        await asyncio.to_thread(_run_into, done, fn, records, context, trigger, concurrency,
                                policy)
        return done.pop()  # the worker's frames keep ``done``: emptied, no reference cycle
    answer: list[Any] = []
    if fn.batch:
        errors = await _run_whole_async(fn, records, context, trigger, policy, answer)
    else:
        errors = await _run_concurrently(fn, records, context, max(1, concurrency),
                                         policy.ordered)
    try:
        return _finish(records, errors, answer, context, trigger, policy)
    finally:
        del errors  # no reference cycle: see _attempt


def run_one(fn: Function[Any], record: Record, context: Context, *, trigger: str,
            policy: Policy = FAIL) -> Any:
    """:func:`run_batch` over the one record of a delivery (an Azure binding, a
    Google CloudEvent, a CloudEvents app's one event), for a policy that raises
    (:data:`FAIL`, :data:`FAIL_FAST`, :data:`ANSWER`): the record's result, or its
    failure raised (logged first, as :func:`run_batch` does, unless the policy is
    :data:`ANSWER`), without the lists and the outcome a batch needs. A ``list[...]``
    handler goes through :func:`run_batch` itself."""
    if policy.report or fn.batch:  # one test on the common path; _batch_handler says why
        _batch_handler(fn, policy)
        run_batch(fn, (record,), context, trigger=trigger, policy=policy)
        return None
    spanned = not policy.answered
    if fn.is_async:
        running = _attempt_async(fn, record, context, spanned)
        try:
            error = _run(running)
        finally:
            running.close()  # never started when called from a running loop
    else:
        error = _attempt(fn, record, context, spanned)  # the one call site, as in run_batch
    try:
        return _result(record, error, context, trigger, policy)
    finally:
        del error  # no reference cycle: see _attempt


async def run_one_async(fn: Function[Any], record: Record, context: Context, *, trigger: str,
                        policy: Policy = FAIL) -> Any:
    """:func:`run_one` from a running event loop (the CloudEvents ASGI app): an async
    handler runs on that loop, a sync one in a worker thread; the same policies."""
    if policy.report or fn.batch:
        _batch_handler(fn, policy)
        await run_batch_async(fn, (record,), context, trigger=trigger, policy=policy)
        return None
    spanned = not policy.answered
    if fn.is_async:
        error = await _attempt_async(fn, record, context, spanned)
    else:
        import asyncio  # only async entry points pay for it

        error = await asyncio.to_thread(_attempt, fn, record, context, spanned)
    try:
        return _result(record, error, context, trigger, policy)
    finally:
        del error  # no reference cycle: see _attempt


def _batch_handler(fn: Function[Any], policy: Policy) -> None:
    """Before :func:`run_one` hands a ``list[...]`` handler to the batch runner:
    :class:`ValueError` for a policy :func:`run_one` does not run."""
    if policy.report:
        raise ValueError(f"run_one runs a policy that raises, not {policy.name!r}")
    if policy.answered:
        raise ValueError("the answer policy runs one event of a per-event handler")


def _result(record: Record, error: BaseException | None, context: Context, trigger: str,
            policy: Policy) -> Any:
    """The one record's result, or its failure raised: as :func:`_fail` does, or
    (:data:`ANSWER`) unlogged, for the caller to answer."""
    if error is None:
        return record.result
    if policy.answered:
        raise error
    _fail(BatchOutcome.of((record,), (error,)), context, trigger, policy)


def _run_into(done: list[BatchOutcome], fn: Function[Any], records: Sequence[Record],
              context: Context, trigger: str, concurrency: int, policy: Policy) -> None:
    """:func:`run_batch` in a worker thread; the outcome put in ``done``, not returned
    (the executor's frames would keep it, with the errors' tracebacks that reach
    them: see _attempt)."""
    done.append(run_batch(fn, records, context, trigger=trigger, concurrency=concurrency,
                          policy=policy))


def _finish(records: Sequence[Record], errors: list[BaseException | None], answer: list[Any],
            context: Context, trigger: str, policy: Policy) -> BatchOutcome:
    """The outcome of the records' ``errors``: logged, or (not reporting) raised."""
    outcome = BatchOutcome.of(records, errors)
    del errors  # no reference cycle: see _attempt
    if answer:
        outcome.answer = answer[0]
    if policy.report:
        _log(outcome, context, trigger)
    elif outcome._failed:
        _fail(outcome, context, trigger, policy)
    try:
        return outcome
    finally:
        del outcome  # no reference cycle: see _attempt


def _fail(outcome: BatchOutcome, context: Context, trigger: str, policy: Policy) -> NoReturn:
    """Raise the first failure, after one line per failed record (what the
    provider logs of the exception raised has no record id and, on Google Cloud,
    is not structured); an ordered sequence stops at its one failure, which the
    exception raised stands for."""
    if not policy.ordered:
        _log(outcome, context, trigger)
    error = outcome.first_error or batch_failure(trigger, len(outcome.failed), len(outcome))
    del outcome
    raise error


def batch_failure(trigger: str, failed: int, total: int,
                  first: BaseException | None = None) -> BaseException:
    """What a reporting trigger raises when the provider must redeliver the whole
    batch (``failed`` of ``total`` records failed, ``first`` the first error): a
    one-record batch's own exception, else :class:`BatchFailedError` chained from
    the first record's exception."""
    if total == 1 and first is not None and not isinstance(first, ReportedFailure):
        return first  # one record: its own exception, untouched
    error = BatchFailedError(trigger, failed, total, first)
    error.__cause__ = first
    return error


def _run_one_by_one(fn: Function[Any], records: Sequence[Record], context: Context,
                    ordered: bool) -> list[BaseException | None]:
    if len(records) == 1:  # a one-record batch: no order to keep, no group to skip
        return [_attempt(fn, records[0], context)]
    errors: list[BaseException | None] = [None] * len(records)
    for index in _in_order(records, errors, ordered):
        errors[index] = _attempt(fn, records[index], context)
    try:
        return errors
    finally:
        del errors  # no reference cycle: see _attempt


def _in_order(records: Sequence[Record], errors: list[BaseException | None], ordered: bool,
              indexes: Iterable[int] | None = None) -> Iterator[int]:
    """Skipping a failed ordered group, the one rule: the indexes of the records to
    attempt (of ``indexes``, by default all), in order. Once the caller has set a
    yielded record's error, the later records of its group are not yielded but
    marked :data:`SKIPPED` (``ordered``: the records are one group; ``group=None``:
    a record is no sequence)."""
    failed: set[Hashable] = set()
    for index in range(len(records)) if indexes is None else indexes:
        group = 0 if ordered else records[index].group
        if group is not None and group in failed:
            if errors[index] is None:
                errors[index] = SKIPPED
            continue
        yield index
        if group is not None and errors[index] is not None:
            failed.add(group)


# Reference cycles. A caught exception's traceback keeps the frames it went
# through, and through them (``f_back``) every frame that was running below them,
# with the local variables those hold when they return. A runner frame returning
# with a local that holds the exception (the list of errors, the outcome) would
# close a cycle (frame -> errors -> exception -> traceback -> frame) keeping the
# whole batch, every event and record, alive until the garbage collector runs;
# with it disabled (timeit, or a process that turns it off), never freed. So the
# functions below catch in a frame of their own, and the frames above them drop
# such locals before they return (``del`` in a ``finally`` after ``return x``).

def _attempt(fn: Function[Any], record: Record, context: Context, spanned: bool = True
             ) -> BaseException | None:
    """THE per-record call site: handle a record's events one by one, keep the last
    result on the record; the exception that stopped it, if any. While the
    invocation is traced, in a span of its own (:mod:`sdk._tracing`), unless not
    ``spanned`` (:data:`ANSWER`: the invocation's span is the record's)."""
    if spanned and _tracing.BATCH.get() is not None:
        return _tracing.attempt(_handle, fn, record, context)
    return _handle(fn, record, context)


def _handle(fn: Function[Any], record: Record, context: Context) -> BaseException | None:
    try:
        result = None
        for event in record.events():
            result = fn.call(event, context)
    except Exception as exc:
        return exc
    record.result = result
    return None


async def _run_concurrently(fn: Function[Any], records: Sequence[Record], context: Context,
                            concurrency: int, ordered: bool = False
                            ) -> list[BaseException | None]:
    """Ordered groups run one record after another; groups and ungrouped records
    run side by side, never more than ``concurrency`` handler calls at once
    (``ordered``: all the records are one group)."""
    import asyncio  # only async handlers pay for it

    errors: list[BaseException | None] = [None] * len(records)
    limit = asyncio.Semaphore(concurrency)

    async def run_unit(indexes: list[int]) -> None:
        for index in _in_order(records, errors, ordered, indexes):
            async with limit:
                errors[index] = await _attempt_async(fn, records[index], context)

    units = [list(range(len(records)))] if ordered else _units(records)
    await asyncio.gather(*(run_unit(unit) for unit in units))
    return errors


async def _attempt_async(fn: Function[Any], record: Record, context: Context,
                         spanned: bool = True) -> BaseException | None:
    """:func:`_attempt` for an async handler."""
    if spanned and _tracing.BATCH.get() is not None:
        return await _tracing.attempt_async(_handle_async, fn, record, context)
    return await _handle_async(fn, record, context)


async def _handle_async(fn: Function[Any], record: Record, context: Context
                        ) -> BaseException | None:
    try:
        result = None
        for event in record.events():
            result = await fn.call_async(event, context)
    except Exception as exc:
        return exc
    record.result = result
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


def _run_whole(fn: Function[Any], records: Sequence[Record], context: Context, trigger: str,
               policy: Policy, answer: list[Any]) -> list[BaseException | None]:
    """A ``list[...]`` handler: one call with every event that decoded and validated
    (in an ordered group, only those before the group's first failure). Its result
    is the failed events, or (``policy.results``) the answer, appended to ``answer``."""
    whole = _Whole(fn, records, policy)
    if whole.events:
        whole.settle(*_call_batch(fn, whole.events, context), trigger, answer)
    return whole.errors_after()


async def _run_whole_async(fn: Function[Any], records: Sequence[Record], context: Context,
                           trigger: str, policy: Policy, answer: list[Any]
                           ) -> list[BaseException | None]:
    """:func:`_run_whole` for an async ``list[...]`` handler, on the running loop."""
    whole = _Whole(fn, records, policy)
    if whole.events:
        whole.settle(*await _call_batch_async(fn, whole.events, context), trigger, answer)
    return whole.errors_after()


class _Whole:
    """A ``list[...]`` handler's one call over ``records``, either mode: the events
    it is given, then what its result (or exception) means for each record."""

    __slots__ = ("errors", "events", "owner", "policy", "records", "started")

    def __init__(self, fn: Function[Any], records: Sequence[Record], policy: Policy) -> None:
        self.started = _tracing.started()  # None unless traced: then a span per record
        self.records = records
        self.policy = policy
        self.errors: list[BaseException | None] = [None] * len(records)
        self.events, self.owner = _gather(fn, records, self.errors, policy)

    def settle(self, result: Any, error: BaseException | None, trigger: str,
               answer: list[Any]) -> None:
        _settle(result, error, self.events, self.owner, self.errors, trigger, self.policy,
                answer)

    def errors_after(self) -> list[BaseException | None]:
        """The records' errors, spans handed over and later records of a failed
        group skipped; the errors leave this object (no reference cycle: see _attempt)."""
        errors, self.errors = self.errors, []
        if self.started is not None:
            _tracing.handed_over(self.started, self.records, errors)
        try:
            return _skip_after_failures(self.records, errors, self.policy.ordered)
        finally:
            del errors


def _gather(fn: Function[Any], records: Sequence[Record], errors: list[BaseException | None],
            policy: Policy) -> tuple[list[Event[Any]], dict[int, int]]:
    """The events a ``list[...]`` handler is given, and ``id(event)`` -> record index;
    a record that did not decode or validate gets its error in ``errors``."""
    owner: dict[int, int] = {}
    events: list[Event[Any]] = []
    decoded: list[Event[Any]] | BaseException | None = None
    for index in _in_order(records, errors, policy.ordered):  # none handed over out of order
        decoded = _prepared(fn, records[index])
        if isinstance(decoded, BaseException):
            errors[index] = decoded
            continue
        for event in decoded:
            owner[id(event)] = index
            events.append(event)
    decoded = None  # no reference cycle: see _attempt (errors holds the exceptions)
    del errors
    return events, owner


def _settle(result: Any, error: BaseException | None, events: list[Event[Any]],
            owner: dict[int, int], errors: list[BaseException | None], trigger: str,
            policy: Policy, answer: list[Any]) -> None:
    """What a ``list[...]`` handler's call means for its records' ``errors``."""
    if error is not None:
        for index in set(owner.values()):
            errors[index] = error
    elif policy.results:
        answer.append(result)
    else:
        for index in _reported(result, events, owner, trigger):
            if errors[index] is None:
                errors[index] = ReportedFailure()


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


async def _call_batch_async(fn: Function[Any], events: list[Event[Any]], context: Context
                            ) -> tuple[Any, BaseException | None]:
    """:func:`_call_batch` for an async handler."""
    try:
        return await fn.call_batch_async(events, context), None
    except Exception as exc:
        return None, exc


def reported(result: Any, events: list[Event[Any]], trigger: str) -> list[int]:
    """Reading a batch result, the one rule: the indexes of ``events`` that a
    ``list[...]`` handler's ``result`` names as failed (the events themselves or
    their ids). :class:`ResponseEncodeError` when it is not such a list."""
    owner = {id(event): index for index, event in enumerate(events)}
    return sorted(_reported(result, events, owner, trigger))


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


def _skip_after_failures(records: Sequence[Record], errors: list[BaseException | None],
                         ordered: bool = False) -> list[BaseException | None]:
    """After a ``list[...]`` handler reported some records failed: the later records
    of their groups are marked skipped, by the one rule (:func:`_in_order`)."""
    for _ in _in_order(records, errors, ordered):
        pass
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
