"""A batch's records and what became of them (see :mod:`sdk._batch`)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from ._event import Event

__all__ = ["SKIPPED", "BatchOutcome", "Record", "RecordOutcome", "ReportedFailure"]

Events = list[Event[Any]] | Callable[[], list[Event[Any]]]


class Record:
    """One provider record: ``key`` is what its failure is reported by (SQS message
    id, stream sequence number...; ``None`` when the record lacks one), ``events``
    the events it holds or a callable decoding them on first use."""

    __slots__ = ("_events", "group", "key", "label")

    def __init__(self, key: Any, events: Events, *, group: Hashable | None = None,
                 label: str | None = None) -> None:
        self.key = key
        self._events = events
        self.group = group
        self.label = label if label is not None else (None if key is None else str(key))

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

    __slots__ = ("outcomes",)

    def __init__(self, outcomes: list[RecordOutcome]) -> None:
        self.outcomes = outcomes

    @property
    def failed(self) -> list[RecordOutcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def all_failed(self) -> bool:
        return bool(self.outcomes) and not any(o.ok for o in self.outcomes)

    @property
    def first_error(self) -> BaseException | None:
        return next((o.error for o in self.outcomes if o.error is not None), None)

    def __len__(self) -> int:
        return len(self.outcomes)


class ReportedFailure(Exception):
    """The record's error when a batch handler returned its event as failed."""

    def __init__(self) -> None:
        super().__init__("reported failed by the batch handler")


class _Skipped(Exception):
    """Marks a record not attempted after an earlier failure in its group."""


SKIPPED: BaseException = _Skipped()
