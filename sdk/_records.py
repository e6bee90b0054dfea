"""A batch's records and what became of them (see :mod:`sdk._batch`)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

from ._event import Event

#: How many records of a batch an async handler runs at once, by default. Async
#: handlers wait on I/O: 100 lets a batch's waits overlap (what aiohttp's and
#: httpx's connection pools allow by default) while staying well under Lambda's
#: 1,024 file descriptors for a 10,000-record batch.
DEFAULT_CONCURRENCY = 100

__all__ = ["DEFAULT_CONCURRENCY", "SKIPPED", "BatchOutcome", "Record", "RecordOutcome",
           "ReportedFailure"]

Events = list[Event[Any]] | Callable[[], list[Event[Any]]]


class Record:
    """One provider record: ``key`` is what its failure is reported by (SQS message
    id, stream sequence number...; ``None`` when the record lacks one), ``events``
    the events it holds or a callable decoding them on first use. ``position``
    (``azure.servicebus[0]``) names a record with neither label nor key only until
    it decoded: then its events' ids do (a Service Bus message id, an Event Hubs
    sequence number), what an operator looks the message up by."""

    __slots__ = ("_events", "_label", "group", "key", "position", "result")

    def __init__(self, key: Any, events: Events, *, group: Hashable | None = None,
                 label: str | None = None, position: str | None = None) -> None:
        self.key = key
        #: the handler's result for the record's last event, once it was handled
        self.result: Any = None
        self._events = events
        self.group = group
        self._label = label
        self.position = position

    @property
    def label(self) -> str | None:
        """How log lines name the record: the label given, else the key as text,
        else the decoded events' ids, else the position (worked out when a line
        needs it, not for every record of every batch)."""
        label = self._label
        key = self.key
        if label is None and isinstance(key, (str, int)):  # a text id, or a position
            label = self._label = str(key)
        return label if label is not None else self._decoded_ids() or self.position

    @label.setter
    def label(self, value: str | None) -> None:
        self._label = value

    def decoded(self) -> list[Event[Any]] | None:
        """The record's events if they were decoded (``None``: never decoded, or
        decoding failed)."""
        events = self._events
        return None if callable(events) else events

    def _decoded_ids(self) -> str | None:
        """The ids of the record's events, when they were decoded and have ids."""
        events = self.decoded()
        # Text ids only: a payload whose id is not a string says nothing a reader can use.
        ids = [event.id for event in events if isinstance(event.id, str) and event.id] \
            if events else []
        return ",".join(ids) if ids else None

    def events(self) -> list[Event[Any]]:
        """The record's events (decoded once; a malformed record raises here)."""
        events = self._events
        if callable(events):
            events = self._events = events()
        return events

    def __repr__(self) -> str:
        return f"<Record {self.label}>"


class RecordOutcome:
    """What became of one record. ``skipped``: reported failed without an error of
    its own, because an earlier record of its ordered group failed."""

    __slots__ = ("error", "record", "skipped")

    def __init__(self, record: Record, error: BaseException | None = None,
                 skipped: bool = False) -> None:
        self.record = record
        self.error = error
        self.skipped = skipped

    @property
    def ok(self) -> bool:
        return self.error is None and not self.skipped

    def __repr__(self) -> str:
        state = "ok" if self.ok else "skipped" if self.skipped else type(self.error).__name__
        return f"<RecordOutcome {self.record.label} {state}>"


class BatchOutcome:
    """One outcome per record, in batch order."""

    __slots__ = ("_errors", "_failed", "_outcomes", "_records", "_total", "answer")

    #: what a ``list[...]`` handler returned under a results policy (else ``None``)
    answer: Any

    def __init__(self, outcomes: list[RecordOutcome]) -> None:
        self.answer = None
        self._outcomes: list[RecordOutcome] | None = outcomes
        self._failed = [o for o in outcomes if not o.ok]
        self._total = len(outcomes)
        self._records: Sequence[Record] = ()
        self._errors: Sequence[BaseException | None] = ()

    @classmethod
    def of(cls, records: Sequence[Record], errors: Sequence[BaseException | None]
           ) -> BatchOutcome:
        """The runner's result: ``errors[i]`` is ``None`` when ``records[i]`` was
        handled, :data:`SKIPPED` when it was not attempted, else its exception.

        Only failed records get their :class:`RecordOutcome` now: what the adapter
        reads (failures, counts) needs no object per handled record.
        """
        outcome = cls.__new__(cls)
        outcome._outcomes = None
        outcome.answer = None
        outcome._records = records
        outcome._errors = errors
        outcome._total = len(records)
        outcome._failed = [
            RecordOutcome(record, None, True) if error is SKIPPED else RecordOutcome(record, error)
            for record, error in zip(records, errors, strict=True) if error is not None
        ]
        return outcome

    @property
    def outcomes(self) -> list[RecordOutcome]:
        outcomes = self._outcomes
        if outcomes is None:
            failed = iter(self._failed)
            outcomes = self._outcomes = [
                RecordOutcome(record) if error is None else next(failed)
                for record, error in zip(self._records, self._errors, strict=True)
            ]
        return outcomes

    @property
    def results(self) -> list[Any]:
        """Per record, in batch order: the handler's result for its last event
        (``None`` when it failed or was not attempted)."""
        records = self._records if self._outcomes is None else [
            o.record for o in self._outcomes]
        # getattr: a subclass's __init__ (LazyRecord) need not set it for every record
        return [getattr(record, "result", None) for record in records]

    @property
    def failed(self) -> list[RecordOutcome]:
        return list(self._failed)

    @property
    def all_failed(self) -> bool:
        return bool(self._failed) and len(self._failed) == self._total

    @property
    def first_error(self) -> BaseException | None:
        return next((o.error for o in self._failed if o.error is not None), None)

    def __len__(self) -> int:
        return self._total


class ReportedFailure(Exception):
    """The record's error when a batch handler returned its event as failed."""

    def __init__(self) -> None:
        super().__init__("reported failed by the batch handler")


class _Skipped(Exception):
    """Marks a record not attempted after an earlier failure in its group."""


SKIPPED: BaseException = _Skipped()
