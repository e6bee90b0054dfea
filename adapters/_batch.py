"""Batch triggers: queues and streams whose deliveries hold many records.

A :class:`BatchTrigger` splits a delivery into :class:`~sdk.adapter.Record` objects
whose events are decoded only when the runner reaches them, so one malformed
record fails alone. :meth:`BatchTrigger.invoke` runs the handler through
:func:`~sdk.adapter.run_batch` and then either answers with the provider's partial
failure report (``encode``) or raises, so that the provider redelivers the batch:

* when every record failed (the provider must count the invocation as failed);
* when any record failed and failures cannot be reported one by one: the trigger
  has no partial responses (``partial = False``), the caller said
  ``partial_failures=False``, or a failed record lacks the identifier to report.

The exception raised is the record's own for a one-record delivery, else (or
when a batch handler reported the record) :class:`~sdk.BatchFailedError`,
chained from the first record's exception.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, ClassVar, TypeVar

from sdk import Context, Event, Function
from sdk.adapter import FAIL, BatchOutcome, Record, batch_failure, run_batch, run_one
from sdk.errors import MALFORMED, EventDecodeError, malformed

from ._trigger import DEFAULT_CONCURRENCY, Trigger, check_concurrency

__all__ = ["BatchTrigger", "LazyRecord", "check_concurrency", "lazy", "malformed_record"]

R = TypeVar("R")

#: What a malformed record raises while it is built into events.
_MALFORMED = MALFORMED


def lazy(trigger: str, build: Callable[[R], list[Event[Any]]], item: R
         ) -> Callable[[], list[Event[Any]]]:
    """``build(item)`` deferred; a malformed item raises :class:`EventDecodeError`
    naming the trigger and the item's keys (never its values)."""

    def decode() -> list[Event[Any]]:
        return _decode(trigger, build, item)

    return decode


def _decode(trigger: str, build: Callable[[R], list[Event[Any]]], item: R) -> list[Event[Any]]:
    try:
        return build(item)
    except EventDecodeError:
        raise
    except _MALFORMED as exc:
        raise malformed_record(trigger, item, exc) from None


def malformed_record(trigger: str, item: Any, exc: Exception) -> EventDecodeError:
    """The error of a record that cannot be built: the trigger, the exception's type
    and the item's keys, never its values."""
    keys = sorted(str(k) for k in item) if isinstance(item, dict) else ()
    return EventDecodeError(trigger, f"malformed record ({type(exc).__name__})", keys=keys)


class LazyRecord(Record):
    """A :class:`Record` whose events are ``build(item)``, built when the runner
    reaches it, as ``Record(key, lazy(trigger, build, item))`` but one object built
    from positional arguments: a delivery makes one per record before any runs."""

    __slots__ = ("_build", "_decoded", "_item", "_trigger")

    def __init__(self, key: Any, trigger: str, build: Callable[[Any], list[Event[Any]]],
                 item: Any, group: Hashable | None = None, label: str | None = None) -> None:
        self.key = key
        self.group = group
        self._label = label
        self._trigger = trigger
        self._build = build
        self._item = item
        self._decoded: list[Event[Any]] | None = None
        self.position = None

    def decoded(self) -> list[Event[Any]] | None:
        return self._decoded

    def events(self) -> list[Event[Any]]:
        events = self._decoded
        if events is None:
            try:  # _decode, inlined: this runs once per record of every batch
                events = self._build(self._item)
            except EventDecodeError:
                raise
            except _MALFORMED as exc:
                raise malformed_record(self._trigger, self._item, exc) from None
            self._decoded = events
        return events


class BatchTrigger(Trigger):
    """A trigger delivering records in batches. Subclasses implement ``records``
    and, when ``partial`` is true, ``encode`` (the provider's partial response)."""

    batch = True
    #: the provider accepts a per-record failure report from the function
    partial: ClassVar[bool] = False

    def records(self, raw: Any, context: Context | None = None, *, unwrap: bool = False
                ) -> list[Record]:
        raise NotImplementedError

    def split(self, raw: Any, context: Context | None = None, *, unwrap: bool = False
              ) -> list[Record]:
        """``records``, where a delivery that cannot be split (a wrong shape at any
        level) raises :class:`EventDecodeError` naming the trigger and its keys."""
        try:
            return self.records(raw, context, unwrap=unwrap)
        except MALFORMED as exc:
            raise malformed(self.name, exc, raw) from None

    def decode(self, raw: Any, context: Context | None = None, *, unwrap: bool = False
               ) -> list[Event[Any]]:
        return [event for record in self.split(raw, context, unwrap=unwrap)
                for event in record.events()]

    def encode(self, result: BatchOutcome, raw: Any) -> Any:
        """The answer for a batch that did not fail as a whole (default: nothing)."""
        return None

    def invoke(self, fn: Function[Any], raw: Any, context: Context, *,
               partial_failures: bool = True, unwrap: bool = False,
               concurrency: int = DEFAULT_CONCURRENCY, **options: Any) -> Any:
        records = self.split(raw, context, unwrap=unwrap)
        if (len(records) == 1 and not self.partial and not fn.batch and not fn.is_async
                and type(self).encode is BatchTrigger.encode):
            # One record of a trigger with no partial answer (S3, SNS, EventBridge):
            # the runner's one-record path, the same call, failure line and raised
            # error (a lone record's own exception), without a batch outcome.
            run_one(fn, records[0], context, trigger=self.name, policy=FAIL)
            return None
        outcome = run_batch(fn, records, context, trigger=self.name, concurrency=concurrency)
        failed = outcome.failed
        if failed and (outcome.all_failed or not (self.partial and partial_failures)
                       or any(o.record.key is None for o in failed)):
            raise self.failure(outcome)
        answer = self.encode(outcome, raw)
        # The outcome holds the records' exceptions: returning with it in a local
        # would make a reference cycle (see sdk._batch, "Reference cycles").
        del outcome, failed
        return answer

    def failure(self, outcome: BatchOutcome) -> BaseException:
        """What to raise so the provider redelivers the whole batch."""
        return batch_failure(self.name, len(outcome.failed), len(outcome), outcome.first_error)
