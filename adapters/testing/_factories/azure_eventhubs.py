"""Event Hubs trigger inputs, cardinality ``one`` and ``many``, as the worker builds them.

Metadata: "Azure Event Hubs trigger" reference (Event metadata) and
``EventHubTriggerBindingStrategy`` in azure-sdk-for-net: ``EnqueuedTimeUtc`` is a
``DateTime`` of kind Unspecified (a naive datetime comes back), ``Offset`` a long,
``SystemProperties`` the event's own plus the four promoted values; with
cardinality ``many`` every key gets an ``Array`` suffix.
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import azure.functions as func

from ._common import DEFAULT_TIME
from .azure_wire import (
    Metadata,
    body_datum,
    bytes_array,
    decode,
    json_datum,
    long_array,
    put,
    string_array,
    string_datum,
    sys_metadata,
    unspecified_text,
)

__all__ = ["eventhub_batch", "eventhub_event"]

_BODY = '{"message": "hello"}'
_NAMESPACE = "polyfn-ns.servicebus.windows.net"


def _partition_context(namespace: str, hub: str, group: str, partition_id: str
                       ) -> func.meta.Datum:
    return json_datum({"FullyQualifiedNamespace": namespace, "EventHubName": hub,
                       "ConsumerGroup": group, "PartitionId": partition_id})


def _system_properties(sequence_number: int, offset: int | str, partition_key: str | None,
                       enqueued_time: dt.datetime, extra: Mapping[str, Any] | None
                       ) -> dict[str, Any]:
    return {**(extra or {}), "SequenceNumber": sequence_number, "Offset": offset,
            "PartitionKey": partition_key, "EnqueuedTimeUtc": unspecified_text(enqueued_time)}


def eventhub_event(body: Any = _BODY, *, partition_key: str | None = None,
                   sequence_number: int = 1, offset: int | str = 0,
                   enqueued_time: dt.datetime = DEFAULT_TIME,
                   properties: Mapping[str, Any] | None = None,
                   system_properties: Mapping[str, Any] | None = None,
                   partition_id: str = "0", event_hub_name: str = "samples-workitems",
                   consumer_group: str = "$Default",
                   fully_qualified_namespace: str = _NAMESPACE) -> func.EventHubEvent:
    """The ``func.EventHubEvent`` of an Event Hubs trigger with cardinality ``one``;
    ``system_properties`` adds e.g. IoT Hub's ``iothub-connection-device-id``."""
    metadata: Metadata = {"PartitionContext": _partition_context(
        fully_qualified_namespace, event_hub_name, consumer_group, partition_id)}
    put(metadata, "PartitionKey", partition_key)
    metadata.update(
        Offset=string_datum(offset) if isinstance(offset, str) else json_datum(offset),
        SequenceNumber=json_datum(sequence_number),
        EnqueuedTimeUtc=json_datum(unspecified_text(enqueued_time)),
        Properties=json_datum(dict(properties or {})),
        SystemProperties=json_datum(_system_properties(
            sequence_number, offset, partition_key, enqueued_time, system_properties)),
        sys=sys_metadata("eventhub_trigger"))
    return decode("eventHubTrigger", body_datum(body), metadata, func.EventHubEvent)


def _bodies(bodies: Sequence[str] | Sequence[builtins.bytes],
            data_type: Literal["string", "binary"] | None) -> tuple[list[bytes], func.meta.Datum]:
    encoded = [b.encode("utf-8") if isinstance(b, str) else bytes(b) for b in bodies]
    if data_type is None:
        kinds = {isinstance(b, str) for b in bodies}
        if len(kinds) > 1:
            raise TypeError("bodies must be all str or all bytes (or pass data_type)")
        data_type = "string" if kinds != {False} else "binary"
    if data_type == "string":
        return encoded, string_array(b.decode("utf-8") for b in encoded)
    return encoded, bytes_array(encoded)


def eventhub_batch(bodies: Sequence[str] | Sequence[builtins.bytes] = (_BODY,), *,
                   partition_key: str | None = None, sequence_number: int = 1, offset: int = 0,
                   enqueued_time: dt.datetime = DEFAULT_TIME,
                   properties: Sequence[Mapping[str, Any]] | None = None,
                   system_properties: Mapping[str, Any] | None = None,
                   data_type: Literal["string", "binary"] | None = None,
                   partition_id: str = "0", event_hub_name: str = "samples-workitems",
                   consumer_group: str = "$Default",
                   fully_qualified_namespace: str = _NAMESPACE) -> list[func.EventHubEvent]:
    """The ``list[func.EventHubEvent]`` of an Event Hubs trigger with cardinality
    ``many``: sequence numbers count up from ``sequence_number``, offsets grow by each
    body's size; ``properties`` has one mapping per body. As in the worker, an empty
    ``str`` body is dropped from the collection and decoding then fails."""
    encoded, data = _bodies(bodies, data_type)
    if properties is not None and len(properties) != len(encoded):
        raise ValueError("properties must have one mapping per body")
    numbers = [sequence_number + i for i in range(len(encoded))]
    offsets: list[int] = []
    for payload in encoded:
        offsets.append(offset)
        offset += len(payload)
    metadata: Metadata = {
        "PartitionContext": _partition_context(fully_qualified_namespace, event_hub_name,
                                               consumer_group, partition_id),
        "PartitionKeyArray": string_array(partition_key for _ in encoded),
        "OffsetArray": string_array(str(o) for o in offsets),
        "SequenceNumberArray": long_array(numbers),
        "EnqueuedTimeUtcArray": json_datum([unspecified_text(enqueued_time) for _ in encoded]),
        "PropertiesArray": json_datum([dict(p) for p in properties] if properties
                                      else [{} for _ in encoded]),
        "SystemPropertiesArray": json_datum([
            _system_properties(n, o, partition_key, enqueued_time, system_properties)
            for n, o in zip(numbers, offsets, strict=True)]),
        "sys": sys_metadata("eventhub_batch_trigger"),
    }
    return decode("eventHubTrigger", data, metadata, list)
