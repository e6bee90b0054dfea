"""The azure.functions objects a Python function receives, per trigger, built the
way the worker builds them (see ``azure_wire``). Metadata names and types are the
extensions' ("Message metadata" in each trigger's reference on learn.microsoft.com).
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import azure.functions as func
from azure.functions.blob import InputStream
from azure.functions.timer import TimerRequest

from ._common import DEFAULT_TIME, Pairs, as_bytes, as_text, header_map
from .azure_wire import (
    Metadata,
    body_datum,
    bytes_datum,
    decode,
    dto_text,
    json_datum,
    put,
    string_datum,
    sys_metadata,
    unspecified_text,
)

__all__ = ["blob_stream", "cosmos_documents", "eventgrid_event", "http_request",
           "queue_message", "servicebus_message", "timer_request"]

_BODY = '{"message": "hello"}'


def _joined(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Query parameters as ASP.NET groups them: names compared case-insensitively
    (the first spelling kept), repeated values joined with "," and empties skipped
    in the join (``StringValues.ToString``)."""
    grouped: dict[str, tuple[str, list[str]]] = {}
    for name, value in pairs:
        grouped.setdefault(name.lower(), (name, []))[1].append(value)
    return {key: vs[0] if len(vs) == 1 else ",".join(v for v in vs if v)
            for key, vs in grouped.values()}


def http_request(method: str = "GET", url: str = "https://app.azurewebsites.net/api/items/42?x=1",
                 *, headers: Pairs | None = None, body: Any = None,
                 route_params: Mapping[str, object] | None = None) -> func.HttpRequest:
    """The ``func.HttpRequest`` of an HTTP trigger. The host lower-cases header names
    and joins repeated ones with ","; query parameters come from ``url`` (empty
    values left out); ``body``: str UTF-8 encoded, bytes as they are, else JSON."""
    header_values = {name: ",".join(v for v in values if v) if len(values) > 1 else values[0]
                     for name, values in header_map(headers).items()}
    query = {k: v for k, v in _joined(parse_qsl(urlsplit(url).query,
                                                keep_blank_values=True)).items() if v}
    route = {str(k): str(v) for k, v in (route_params or {}).items() if v is not None}
    data = b"" if body is None else as_bytes(body)
    datum = func.meta.Datum({
        "method": string_datum(method.upper()), "url": string_datum(url),
        "headers": {k: string_datum(v) for k, v in header_values.items()},
        "body": bytes_datum(data),
        "params": {k: string_datum(v) for k, v in route.items()},
        "query": {k: string_datum(v) for k, v in query.items()},
    }, "http")
    metadata: Metadata = {k: string_datum(v) for k, v in {**query, **route}.items()}
    metadata.update(Query=json_datum(query), Headers=json_datum(header_values),
                    sys=sys_metadata("http_trigger"))
    return decode("httpTrigger", datum, metadata, func.HttpRequest)


def queue_message(body: Any = _BODY, *,
                  id: str = "3f9c2b1e-6a4d-4c8e-9b7f-2d1e0a5c4b3a", dequeue_count: int = 1,
                  insertion_time: dt.datetime = DEFAULT_TIME,
                  expiration_time: dt.datetime | None = None,
                  next_visible_time: dt.datetime | None = None,
                  pop_receipt: str = "AgAAAAMAAAAAAAAAwFY7aNmc2gE=") -> func.QueueMessage:
    """The ``func.QueueMessage`` of a Storage queue trigger (times in whole seconds,
    as Storage reports them; expiry +7 days and next visibility +10 minutes by default)."""
    def storage_time(value: dt.datetime) -> func.meta.Datum:
        return json_datum(dto_text(value.replace(microsecond=0)))

    metadata: Metadata = {}
    text = _utf8(body) if isinstance(body, (builtins.bytes, bytearray)) else as_text(body)
    put(metadata, "QueueTrigger", text)  # only for a payload that is valid text
    metadata.update(
        DequeueCount=json_datum(dequeue_count),
        ExpirationTime=storage_time(expiration_time or insertion_time + dt.timedelta(days=7)),
        Id=string_datum(id), InsertionTime=storage_time(insertion_time),
        NextVisibleTime=storage_time(next_visible_time
                                     or insertion_time + dt.timedelta(minutes=10)),
        PopReceipt=string_datum(pop_receipt), sys=sys_metadata("queue_trigger"))
    return decode("queueTrigger", body_datum(body), metadata, func.QueueMessage)


def _utf8(body: builtins.bytes | bytearray) -> str | None:
    try:
        return bytes(body).decode("utf-8")
    except UnicodeDecodeError:
        return None


def servicebus_message(body: Any = _BODY, *,
                       message_id: str = "87c66eaf88e84119b66a26278a7b4149",
                       delivery_count: int = 1, session_id: str | None = None,
                       correlation_id: str | None = None, content_type: str | None = None,
                       application_properties: Mapping[str, Any] | None = None,
                       subject: str | None = None, to: str | None = None,
                       reply_to: str | None = None, partition_key: str | None = None,
                       reply_to_session_id: str | None = None,
                       transaction_partition_key: str | None = None,
                       dead_letter_source: str | None = None,
                       sequence_number: int = 1, enqueued_time: dt.datetime = DEFAULT_TIME,
                       expires_at: dt.datetime | None = None,
                       lock_token: str = "5a0c6f1e-2b7d-4e3a-9c8f-1d2e3f4a5b6c"
                       ) -> func.ServiceBusMessage:
    """The ``func.ServiceBusMessage`` of a Service Bus trigger (extension 5.x metadata,
    ``UserProperties`` sent beside ``ApplicationProperties`` as the extension does;
    ``enqueued_time_utc`` comes back naive, UTC wall-clock)."""
    expires = expires_at or enqueued_time + dt.timedelta(days=14)
    properties = dict(application_properties or {})
    metadata: Metadata = {
        "DeliveryCount": json_datum(delivery_count), "LockToken": string_datum(lock_token),
        "ExpiresAtUtc": json_datum(unspecified_text(expires)),
        "ExpiresAt": json_datum(dto_text(expires)),
        "EnqueuedTimeUtc": json_datum(unspecified_text(enqueued_time)),
        "EnqueuedTime": json_datum(dto_text(enqueued_time)),
        "MessageId": string_datum(message_id), "SequenceNumber": json_datum(sequence_number),
        "ApplicationProperties": json_datum(properties),
        "UserProperties": json_datum(properties), "sys": sys_metadata("servicebus_trigger"),
    }
    for key, value in (("ContentType", content_type), ("ReplyTo", reply_to), ("To", to),
                       ("Subject", subject), ("Label", subject),
                       ("CorrelationId", correlation_id), ("SessionId", session_id),
                       ("ReplyToSessionId", reply_to_session_id),
                       ("PartitionKey", partition_key),
                       ("TransactionPartitionKey", transaction_partition_key),
                       ("DeadLetterSource", dead_letter_source)):
        put(metadata, key, value)
    return decode("serviceBusTrigger", body_datum(body), metadata, func.ServiceBusMessage)


def timer_request(*, past_due: bool = False,
                  last: dt.datetime | None = DEFAULT_TIME - dt.timedelta(minutes=5),
                  next: dt.datetime | None = DEFAULT_TIME + dt.timedelta(minutes=5),
                  last_updated: dt.datetime | None = DEFAULT_TIME - dt.timedelta(minutes=5),
                  adjust_for_dst: bool = True) -> TimerRequest:
    """The ``TimerRequest`` of a timer trigger (the host's ``TimerInfo`` as JSON)."""
    status = {key: dto_text(value) for key, value in
              (("Last", last), ("Next", next), ("LastUpdated", last_updated))
              if value is not None}
    payload = {"Schedule": {"AdjustForDST": adjust_for_dst},
               "ScheduleStatus": status or None, "IsPastDue": past_due}
    return decode("timerTrigger", json_datum(payload), {"sys": sys_metadata("timer_trigger")},
                  TimerRequest)


def blob_stream(content: builtins.bytes | str = b"hello", *,
                name: str = "samples-workitems/a.txt", uri: str | None = None,
                content_type: str = "application/octet-stream",
                metadata: Mapping[str, str] | None = None,
                properties: Mapping[str, Any] | None = None, length: int | None = None,
                last_modified: dt.datetime = DEFAULT_TIME) -> InputStream:
    """The ``InputStream`` of a blob trigger; ``name`` is ``container/blob``,
    ``length`` (default: the content's) travels as ``Properties.ContentLength`` and
    ``properties`` adds ``BlobProperties`` members."""
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    blob_properties = {"LastModified": dto_text(last_modified),
                       "CreatedOn": dto_text(last_modified),
                       "ContentLength": len(data) if length is None else length,
                       "ContentType": content_type, "Metadata": dict(metadata or {}),
                       **(properties or {})}
    trigger_metadata: Metadata = {
        "BlobTrigger": string_datum(name),
        "Uri": json_datum(uri or "https://polyfnstorage.blob.core.windows.net/" + quote(name)),
        "Properties": json_datum(blob_properties),
        "Metadata": json_datum(dict(metadata or {})),
        "sys": sys_metadata("blob_trigger"),
    }
    return decode("blobTrigger", bytes_datum(data), trigger_metadata, InputStream)


def eventgrid_event(payload: Mapping[str, Any]) -> func.EventGridEvent:
    """The ``func.EventGridEvent`` for one Event Grid-schema event (not the array:
    the runtime invokes the function once per element)."""
    if not isinstance(payload, Mapping):
        raise TypeError("one Event Grid event (a mapping), not an array: the runtime "
                        "invokes the function once per element")
    if "specversion" in payload:
        raise ValueError("payload is a CloudEvent (has 'specversion'), not an Event Grid event")
    return decode("eventGridTrigger", json_datum(dict(payload)),
                  {"sys": sys_metadata("eventgrid_trigger")}, func.EventGridEvent)


def cosmos_documents(docs: Sequence[Mapping[str, Any]]) -> func.DocumentList:
    """The ``func.DocumentList`` a Cosmos DB trigger delivers (a change feed batch)."""
    return decode("cosmosDBTrigger", json_datum([dict(d) for d in docs]),
                  {"sys": sys_metadata("cosmosdb_trigger")}, func.DocumentList)
