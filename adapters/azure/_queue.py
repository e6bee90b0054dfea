"""Queue Storage trigger: ``func.QueueMessage`` -> :class:`~sdk.Message`.

Message metadata: https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue-trigger#message-metadata
(``Id``, ``DequeueCount``, ``InsertionTime``, ``ExpirationTime``, ``NextVisibleTime``,
``PopReceipt``). The queue's name is not part of it: it comes from the binding
(``_entity.py``), ``None`` when it is not known.
"""

from __future__ import annotations

from typing import Any

from sdk import Message

from ._native import is_native, maybe_utc, stringify
from ._records import RecordsTrigger

__all__ = ["Queue"]

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
        attributes = {key: stringify(value) for name, key in _ATTRIBUTES
                      if (value := getattr(item, name, None)) is not None}
        return Message(
            queue=self.queue,
            delivery_count=item.dequeue_count,
            provider="azure", trigger=self.name, id=item.id,
            time=maybe_utc(item.insertion_time), payload=item.get_body(),
            attributes=attributes, raw=item, native=lambda: item,
        )

