"""How every non-HTTP Azure trigger runs a handler.

The worker passes one native object (a queue message, a blob, an Event Grid event)
or, with ``cardinality="many"``, a list of them. Azure has no per-record failure
report: a function either succeeds or raises, and the platform then retries the
whole invocation its own way (queue dequeue count, Service Bus abandon, the
function's retry policy). So:

the batch runner's :data:`~sdk.adapter.FAIL` policy: every record is attempted (or
the whole list handed to a ``list[...]`` handler), and the first failure raised
once all were: untouched for one record; for several, after every failure was
logged. Records that succeeded run again on the retry: Azure batches are
at-least-once. One record's result is the function's return value (an output
binding's value).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, ClassVar

from adapters._batch import malformed_record
from adapters._trigger import Trigger
from sdk import Context, Event, Function
from sdk.adapter import FAIL, Record, run_batch, run_one
from sdk.errors import MALFORMED, EventDecodeError, malformed

__all__ = ["RecordsTrigger"]


class RecordsTrigger(Trigger):
    """A trigger whose payload is a sequence of native records.

    Subclasses say how to split the payload (:meth:`items`), what is shared by the
    records of one delivery and worth working out once (:meth:`shared`), and how one
    record becomes an event (:meth:`event`).
    """

    #: Whether the payload is always one record (``items`` not overridden: no list
    #: to split), whether records share anything (``shared`` overridden) and whether
    #: they have groups (``group`` overridden).
    _single: ClassVar[bool] = True
    _shares: ClassVar[bool] = False
    _grouped: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._single = cls.items is RecordsTrigger.items
        cls._shares = cls.shared is not RecordsTrigger.shared
        cls._grouped = cls.group is not RecordsTrigger.group

    def items(self, raw: Any) -> Sequence[Any]:
        return [raw]

    def shared(self, raw: Any) -> Any:
        return None

    def event(self, item: Any, index: int, shared: Any) -> Event[Any]:
        raise NotImplementedError

    def group(self, item: Any) -> Hashable | None:
        """Records of one group must be handled in order (a Service Bus session)."""
        return None

    def decode(self, raw: Any, context: Context | None = None) -> list[Event[Any]]:
        shared = self.shared(raw)
        return [self.event(item, index, shared) for index, item in enumerate(self.items(raw))]

    def invoke(self, fn: Function[Any], raw: Any, context: Context, **options: Any) -> Any:
        try:
            if self._single:  # one object, what the worker passes without cardinality many
                record: Record = _Item(self, raw, 0, self.shared(raw) if self._shares else None)
            else:
                items = self.items(raw)
                shared = self.shared(raw)
                records = [_Item(self, item, index, shared) for index, item in enumerate(items)]
        except MALFORMED as exc:  # a malformed object: EventDecodeError, never a TypeError
            raise malformed(self.name, exc, raw) from None
        if self._single:
            return run_one(fn, record, context, trigger=self.name, policy=FAIL)
        if len(records) == 1:
            return run_one(fn, records[0], context, trigger=self.name, policy=FAIL)
        run_batch(fn, records, context, trigger=self.name, policy=FAIL)
        return None


class _Item(Record):
    """One native record of a delivery, made an event by its trigger when the runner
    reaches it (a malformed one then fails alone, naming the trigger and, for a JSON
    object, its keys). It has no key (nothing reads it: a failure raises): a failure
    line names the event's id once it decoded (message id, sequence number), else
    the position."""

    __slots__ = ("_decoded", "_index", "_item", "_shared", "_trigger")

    def __init__(self, trigger: RecordsTrigger, item: Any, index: int, shared: Any) -> None:
        self.key = None
        self.result = None
        self.group = trigger.group(item) if trigger._grouped else None
        self._label = None
        self._trigger = trigger
        self._item = item
        self._index = index
        self._shared = shared
        self._decoded: list[Event[Any]] | None = None

    @property
    def position(self) -> str:  # type: ignore[override]
        """``azure.queue[0]``: made when a failure line needs it, not per record."""
        return f"{self._trigger.name}[{self._index}]"

    def decoded(self) -> list[Event[Any]] | None:
        return self._decoded

    def events(self) -> list[Event[Any]]:
        events = self._decoded
        if events is None:
            item = self._item
            try:
                events = [self._trigger.event(item, self._index, self._shared)]
            except EventDecodeError:
                raise
            except MALFORMED as exc:
                raise malformed_record(self._trigger.name, item, exc) from None
            self._decoded = events
        return events
