"""Service Bus trigger (queues and topic subscriptions): ``func.ServiceBusMessage``, or a
list of them with ``cardinality="many"`` -> :class:`~sdk.Message`.

Message metadata: https://learn.microsoft.com/azure/azure-functions/functions-bindings-service-bus-trigger#message-metadata
The entity's name is not part of it, and a queue message looks like a topic
message: ``queue`` and ``topic`` come from the binding (``_entity.py``), ``None``
when it is not known.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from sdk import Message

from ._native import is_native, is_native_list, maybe_utc, properties, stringify
from ._records import RecordsTrigger

__all__ = ["ServiceBus"]

#: ServiceBusMessage property -> attribute name, for the system properties that have
#: no Message field. They are written after the application properties and win a clash.
_SYSTEM_ATTRIBUTES = (
    ("correlation_id", "correlation_id"),
    ("reply_to", "reply_to"),
    ("reply_to_session_id", "reply_to_session_id"),
    ("to", "to"),
    ("partition_key", "partition_key"),
    ("expires_at_utc", "expires_at"),
    ("scheduled_enqueue_time_utc", "scheduled_enqueue_time"),
    ("dead_letter_source", "dead_letter_source"),
    ("dead_letter_reason", "dead_letter_reason"),
)


class ServiceBus(RecordsTrigger):
    """Service Bus queue and topic triggers (``app.service_bus_queue_trigger``,
    ``app.service_bus_topic_trigger``), cardinality one or many."""

    name = "azure.servicebus"
    kind = Message
    semantics = ("A handler error fails the invocation and the message (the whole batch "
                 "with cardinality many) is abandoned and redelivered until MaxDeliveryCount, "
                 "then dead-lettered. Messages of one session are handled in order.")

    def __init__(self, queue: str | None = None, topic: str | None = None) -> None:
        self.queue = queue
        self.topic = topic

    def matches(self, raw: Any) -> bool:
        return is_native(raw, "ServiceBusMessage") or is_native_list(raw, "ServiceBusMessage")

    def items(self, raw: Any) -> list[Any]:
        return raw if isinstance(raw, list) else [raw]

    def group(self, item: Any) -> Hashable | None:
        return item.session_id  # type: ignore[no-any-return]

    def event(self, item: Any, index: int, shared: Any) -> Message[Any]:
        attributes = properties(item.application_properties or item.user_properties)
        for name, key in _SYSTEM_ATTRIBUTES:
            value = getattr(item, name, None)
            if value is not None:
                attributes[key] = stringify(maybe_utc(value) or value)
        sequence = item.sequence_number
        return Message(
            queue=self.queue, topic=self.topic,
            delivery_count=item.delivery_count,
            ordering_key=item.session_id,
            sequence=None if sequence is None else str(sequence),
            provider="azure", trigger=self.name, id=item.message_id,
            subject=item.subject or item.label, time=maybe_utc(item.enqueued_time_utc),
            payload=item.get_body(), data_content_type=item.content_type,
            attributes=attributes, raw=item, native=lambda: item,
        )
