"""Event Hubs trigger: ``func.EventHubEvent``, or a list of them with
``cardinality="many"`` -> :class:`~sdk.Message`.

Event metadata: https://learn.microsoft.com/azure/azure-functions/functions-bindings-event-hubs-trigger#event-metadata
(``PartitionContext`` with ``EventHubName``/``ConsumerGroup``/``PartitionId``;
``Properties`` per event, ``PropertiesArray`` with cardinality many; the converter
puts partition key, sequence number, offset and enqueued time on the event). Every
event of a batch shares one metadata object, so it is read once per delivery.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from sdk import Message

from ._native import is_native, is_native_list, maybe_utc, properties
from ._records import RecordsTrigger

__all__ = ["EventHubs"]


class _Shared(NamedTuple):
    """What one delivery's metadata says about all of its events."""

    hub: str | None
    namespace: str | None
    partition: str | None
    consumer_group: str | None
    properties: list[Any]  # per-event user properties (index-aligned), or [single]


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


class EventHubs(RecordsTrigger):
    """Event Hubs trigger (``app.event_hub_message_trigger``), cardinality one or many.

    Event Hubs has no per-event failure report, and the host checkpoints a
    partition after the function returns *or fails*: a failed batch is retried only
    under a retry policy (``@app.retry``, see
    https://learn.microsoft.com/azure/azure-functions/functions-bindings-error-pages#retries).
    Every event of a batch is attempted, failures are logged, and the first is raised
    afterwards so the retry policy sees it; on retry the whole batch runs again
    (at-least-once). A handler that must not lose an event should raise, and the app
    should set a retry policy.
    """

    name = "azure.event.hubs"
    kind = Message
    semantics = ("Every event is attempted; any failure fails the invocation after the "
                 "batch. The host checkpoints regardless, so failed batches are retried "
                 "only under a function retry policy (then whole: at-least-once).")

    def matches(self, raw: Any) -> bool:
        return is_native(raw, "EventHubEvent") or is_native_list(raw, "EventHubEvent")

    def items(self, raw: Any) -> list[Any]:
        return raw if isinstance(raw, list) else [raw]

    def shared(self, raw: Any) -> _Shared:
        first = raw[0] if isinstance(raw, list) else raw
        metadata = _mapping(getattr(first, "metadata", None))
        context = _mapping(metadata.get("PartitionContext"))
        per_event = metadata.get("PropertiesArray")
        if not isinstance(per_event, list):
            per_event = [metadata.get("Properties")]
        return _Shared(hub=context.get("EventHubName"),
                       namespace=context.get("FullyQualifiedNamespace"),
                       partition=context.get("PartitionId"),
                       consumer_group=context.get("ConsumerGroup"),
                       properties=per_event)

    def event(self, item: Any, index: int, shared: _Shared) -> Message[Any]:
        props = shared.properties[index] if index < len(shared.properties) else None
        attributes = properties(_mapping(props))
        if item.offset is not None:
            attributes["offset"] = str(item.offset)
        if shared.consumer_group:
            attributes["consumer_group"] = shared.consumer_group
        sequence = item.sequence_number
        return Message(
            topic=shared.hub, ordering_key=item.partition_key, partition=shared.partition,
            sequence=None if sequence is None else str(sequence),
            provider="azure", trigger=self.name, source=shared.namespace,
            time=maybe_utc(item.enqueued_time), payload=item.get_body(),
            attributes=attributes, raw=item, native=lambda: item,
        )
