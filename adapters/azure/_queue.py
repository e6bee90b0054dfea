"""Queue Storage trigger: ``func.QueueMessage`` -> :class:`~sdk.Message`.

Message metadata: https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue-trigger#message-metadata
(``Id``, ``DequeueCount``, ``InsertionTime``, ``ExpirationTime``, ``NextVisibleTime``,
``PopReceipt``). The queue's name is not part of it: it comes from the binding
(``_entity.py``), ``None`` when it is not known.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sdk import Message
from sdk.adapter import UNSET, lazy

from ._native import is_native, maybe_utc, stringify
from ._records import RecordsTrigger

__all__ = ["Queue", "QueueMessage"]

#: QueueMessage property -> attribute name (the rest map onto Message fields).
_ATTRIBUTES = (
    ("expiration_time", "expiration_time"),
    ("time_next_visible", "next_visible_time"),
    ("pop_receipt", "pop_receipt"),
)


class Queue(RecordsTrigger):
    """Queue Storage trigger (``app.queue_trigger``)."""

    name = "azure.queue"
    kind = Message
    semantics = ("A handler error fails the invocation; the message becomes visible again "
                 "and is retried until its dequeue count reaches maxDequeueCount (host.json, "
                 "default 5), then moves to the <queue>-poison queue.")

    def __init__(self, queue: str | None = None) -> None:
        self.queue = queue

    def matches(self, raw: Any) -> bool:
        return is_native(raw, "QueueMessage")

    def event(self, item: Any, index: int, shared: Any) -> Message[Any]:
        return QueueMessage(item, self.name, self.queue)


class QueueMessage(Message[Any]):
    """A ``func.QueueMessage`` as a :class:`Message`, built positionally from it;
    ``time`` (the insertion time) and ``attributes`` (the other times as text, the
    pop receipt) are read from it on first use. ``native`` is the object itself."""

    __slots__ = ("_attributes",)

    def __init__(self, item: Any, trigger: str, queue: str | None) -> None:
        self.queue = queue
        self.topic = None
        self.delivery_count = item.dequeue_count
        self.ordering_key = None
        self.partition = None
        self.sequence = None
        self.provider = "azure"
        self.trigger = trigger
        self.id = item.id
        self.source = None
        self.type = None
        self.subject = None
        self._time = UNSET
        payload = item.get_body()
        self._data = UNSET if payload is not None else None
        self._payload = payload
        self.data_content_type = None
        self._attributes = UNSET
        self.raw = item
        self._native = UNSET  # ``native`` is ``raw``

    def _read_time(self) -> datetime | None:
        return maybe_utc(self.raw.insertion_time)

    def _read_attributes(self) -> dict[str, str]:
        """The message's expiry and next visibility (RFC 3339) and pop receipt."""
        item = self.raw
        return {key: stringify(value) for name, key in _ATTRIBUTES
                if (value := getattr(item, name, None)) is not None}

    attributes = lazy("_attributes", _read_attributes)
