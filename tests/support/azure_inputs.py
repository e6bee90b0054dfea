"""Azure Functions trigger inputs built the way the Python worker builds them.

Each builder assembles what the Functions host sends over gRPC for one invocation (the
trigger payload plus the trigger metadata), expresses it as ``azure.functions.meta.Datum``
objects exactly as the worker's ``Datum.from_typed_data`` would, then hands both to the
converter the worker picks for that binding type (looked up in the library's binding
registry, like the worker does) and returns whatever that converter's ``decode`` returns.
Nothing here calls an ``azure.functions`` constructor directly, so every accessor of the
returned object reads the metadata through the library's own parsing code.

How the host turns a value into protobuf ``TypedData`` (and so which ``Datum.type`` the
worker sees) follows ``GrpcMessageConversionExtensions.ToRpc`` in azure-functions-host
(https://github.com/Azure/azure-functions-host/blob/dev/src/WebJobs.Script.Grpc/MessageExtensions/GrpcMessageConversionExtensions.cs):

* ``string`` -> ``string``; ``byte[]`` -> ``bytes``; ``double`` -> ``double``;
* ``string[]`` -> ``collection_string`` (null *and empty* entries dropped, because the
  Python worker does not declare ``IncludeEmptyEntriesInMessagePayload``);
  ``byte[][]`` -> ``collection_bytes``; ``long[]`` -> ``collection_sint64``;
* everything else (int, long, DateTime, DateTimeOffset, Uri, dictionaries, POCOs, other
  arrays) -> ``json`` via ``JsonConvert.SerializeObject(value, Formatting.None)``.
  A ``DateTime``/``DateTimeOffset`` therefore arrives as a JSON *string literal*
  (``'"2024-05-01T12:00:00+00:00"'``), which the converters ``json.loads`` before parsing.
* Binding-data entries whose value is ``null`` are not sent at all.

The Python worker declares the ``RawHttpBodyBytes``, ``RpcHttpBodyOnly``,
``TypedDataCollection`` and ``RpcHttpTriggerMetadataRemoved`` capabilities
(azure-functions-python-worker ``dispatcher.py``), which fixes the HTTP body to ``bytes``
and lets collections arrive as ``collection_*`` data.

Datetime handling (Newtonsoft.Json defaults, ``DateTimeZoneHandling.RoundtripKind``):

* ``DateTimeOffset`` -> ``2024-05-01T12:00:00.5+00:00`` (fraction: up to 7 digits,
  trailing zeros trimmed) -> the library returns an *aware* UTC datetime;
* ``DateTime`` of kind ``Utc`` -> ``...Z`` -> aware UTC datetime;
* ``DateTime`` of kind ``Unspecified`` (what ``DateTimeOffset.DateTime`` yields, used by
  the Service Bus and Event Hubs extensions for ``EnqueuedTimeUtc``) -> no suffix -> the
  library returns a *naive* datetime that holds UTC wall-clock time.

Builders accept naive datetimes as UTC and convert aware ones to UTC first (the library
only understands the ``Z``/``+00:00``/``-00:00`` suffixes; any other offset raises).
"""

from __future__ import annotations

import builtins
import contextlib
import datetime as dt
import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar
from urllib.parse import parse_qsl, quote, urlsplit

import azure.functions as func
from azure.functions import meta
from azure.functions.blob import InputStream
from azure.functions.timer import TimerRequest

__all__ = [
    "DEFAULT_TIME",
    "HeaderInput",
    "blob_stream",
    "converter_for",
    "cosmos_documents",
    "eventgrid_event",
    "eventhub_batch",
    "eventhub_event",
    "http_request",
    "queue_message",
    "servicebus_message",
    "timer_request",
]

#: Fixed default timestamp so that builders are deterministic unless told otherwise.
DEFAULT_TIME = dt.datetime(2024, 5, 1, 12, 0, 0, tzinfo=dt.timezone.utc)

#: Headers for :func:`http_request`: a mapping, or ``(name, value)`` pairs (names may repeat).
HeaderInput = Mapping[str, str] | Iterable[tuple[str, str]]

Metadata = dict[str, meta.Datum]
_T = TypeVar("_T")


# --------------------------------------------------------------------------------------
# Stand-ins for the protobuf collection messages.
#
# ``Datum.from_typed_data`` stores ``td.collection_string`` / ``collection_bytes`` /
# ``collection_sint64`` (protobuf messages) as the Datum value; the converters and
# ``Datum.python_value`` only read their repeated field (``.string``, ``.bytes``,
# ``.sint64``).  FunctionRpc.proto: ``message CollectionString { repeated string string
# = 1; }`` etc.
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _CollectionString:
    string: list[str]


@dataclass(frozen=True)
class _CollectionBytes:
    bytes: list[builtins.bytes]


@dataclass(frozen=True)
class _CollectionSInt64:
    sint64: list[int]


# --------------------------------------------------------------------------------------
# Datum helpers: one per TypedData kind the host produces.
# --------------------------------------------------------------------------------------


def _string(value: str) -> meta.Datum:
    return meta.Datum(value, "string")


def _bytes(value: builtins.bytes) -> meta.Datum:
    return meta.Datum(value, "bytes")


def _json(value: Any) -> meta.Datum:
    """``TypedData.json`` as written by ``JsonConvert.SerializeObject(v, Formatting.None)``."""
    return meta.Datum(_json_text(value), "json")


def _json_text(value: Any) -> str:
    # Formatting.None is compact; Newtonsoft does not escape non-ASCII characters.
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _string_array(values: Iterable[str | None]) -> meta.Datum:
    """``string[]`` -> ``collection_string``; null/empty entries are dropped (see module doc)."""
    return meta.Datum(_CollectionString([v for v in values if v]), "collection_string")


def _bytes_array(values: Iterable[builtins.bytes | None]) -> meta.Datum:
    """``byte[][]`` -> ``collection_bytes``; only null entries are dropped."""
    return meta.Datum(_CollectionBytes([v for v in values if v is not None]), "collection_bytes")


def _long_array(values: Iterable[int]) -> meta.Datum:
    return meta.Datum(_CollectionSInt64(list(values)), "collection_sint64")


def _put(metadata: Metadata, key: str, datum: meta.Datum | None) -> None:
    """Add a binding-data entry unless its value is null (the host skips nulls)."""
    if datum is not None:
        metadata[key] = datum


def _opt_string(value: str | None) -> meta.Datum | None:
    return None if value is None else _string(value)


# --------------------------------------------------------------------------------------
# .NET datetime serialisation (Newtonsoft.Json IsoDateFormat, RoundtripKind).
# --------------------------------------------------------------------------------------


def _utc(value: dt.datetime) -> dt.datetime:
    """Naive -> assumed UTC; aware -> converted to UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)


def _net_text(value: dt.datetime, suffix: str) -> str:
    # "yyyy-MM-ddTHH:mm:ss.FFFFFFF" + suffix: the fraction has no trailing zeros and
    # disappears entirely when it is zero.
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += "." + f"{value.microsecond:06d}".rstrip("0")
    return text + suffix


def _dto_text(value: dt.datetime) -> str:
    """A UTC ``DateTimeOffset`` as Newtonsoft writes it (``+00:00`` suffix)."""
    return _net_text(_utc(value), "+00:00")


def _utc_kind_text(value: dt.datetime) -> str:
    """A ``DateTime`` of kind ``Utc`` (``Z`` suffix)."""
    return _net_text(_utc(value), "Z")


def _unspecified_kind_text(value: dt.datetime) -> str:
    """A ``DateTime`` of kind ``Unspecified``, e.g. ``DateTimeOffset.DateTime`` (no suffix)."""
    return _net_text(_utc(value), "")


def _sys_metadata(method_name: str) -> meta.Datum:
    # Every invocation carries the host's ``sys`` binding data (SystemBindingData:
    # MethodName, UtcNow, RandGuid); see
    # https://learn.microsoft.com/azure/azure-functions/functions-bindings-expressions-patterns
    return _json(
        {
            "MethodName": method_name,
            "UtcNow": _utc_kind_text(dt.datetime.now(dt.timezone.utc)),
            "RandGuid": str(uuid.uuid4()),
        }
    )


# --------------------------------------------------------------------------------------
# Converter lookup and decode, as the worker does it.
# --------------------------------------------------------------------------------------


def converter_for(binding_type: str) -> type[meta.InConverter]:
    """Return the converter the worker uses for ``binding_type`` (e.g. ``"queueTrigger"``).

    The worker resolves converters through ``azure.functions``' binding registry, keyed by
    the ``type`` of the binding in function.json / the decorator.
    """
    registry = meta.get_binding_registry()  # type: ignore[no-untyped-call]
    converter: object = registry.get(binding_type)
    if not (isinstance(converter, type) and issubclass(converter, meta.InConverter)):
        raise LookupError(f"azure.functions registers no input converter for {binding_type!r}")
    return converter


def _decode(binding_type: str, data: meta.Datum, metadata: Metadata, expected: type[_T]) -> _T:
    result = converter_for(binding_type).decode(data, trigger_metadata=metadata)
    if not isinstance(result, expected):
        raise TypeError(
            f"{binding_type} converter returned {type(result).__name__}, "
            f"expected {expected.__name__}"
        )
    return result


def _body_datum(body: str | builtins.bytes) -> meta.Datum:
    if isinstance(body, str):
        return _string(body)
    if isinstance(body, builtins.bytes):
        return _bytes(body)
    raise TypeError(f"body must be str or bytes, not {type(body).__name__}")


# ======================================================================================
# HTTP
# ======================================================================================


def _combine(pairs: Iterable[tuple[str, str]], *, fold_case_to_lower: bool) -> dict[str, str]:
    """Group repeated names like ASP.NET Core and flatten them like ``StringValues.ToString``.

    Names are compared case-insensitively; several values are joined with ``","`` (no
    space) and empty values are skipped in the join (dotnet/runtime StringValues.cs,
    ``GetJoinedStringValueFromArray``).  A name with a single value keeps it verbatim,
    even when it is empty.
    """
    grouped: dict[str, tuple[str, list[str]]] = {}
    for name, value in pairs:
        folded = name.lower()
        if folded not in grouped:
            grouped[folded] = (folded if fold_case_to_lower else name, [])
        grouped[folded][1].append(value)
    combined: dict[str, str] = {}
    for key, values in grouped.values():
        combined[key] = values[0] if len(values) == 1 else ",".join(v for v in values if v)
    return combined


def _header_pairs(headers: HeaderInput | None) -> list[tuple[str, str]]:
    if headers is None:
        return []
    if isinstance(headers, Mapping):
        return [(str(k), str(v)) for k, v in headers.items()]
    return [(str(k), str(v)) for k, v in headers]


def http_request(
    method: str = "GET",
    url: str = "https://app.azurewebsites.net/api/items/42?x=1",
    *,
    headers: HeaderInput | None = None,
    body: builtins.bytes | str | None = None,
    route_params: Mapping[str, object] | None = None,
) -> func.HttpRequest:
    """Build the ``func.HttpRequest`` an HTTP-triggered Python function receives.

    The request goes through ``HttpRequestConverter.decode`` with an ``http`` Datum shaped
    like the worker's ``Datum.from_typed_data`` output for ``RpcHttp``:
    ``{method, url, headers, params, query, body}`` where ``params`` are the *route*
    parameters and ``query`` the query string.

    * ``headers``: a mapping or ``(name, value)`` pairs. ``RpcHttp.headers`` is a
      ``map<string,string>``, so one name can carry only one value: the host lower-cases
      every name and joins repeated headers (``Cookie``, ``X-Forwarded-For``, ...) with
      ``","``. Multi-valued headers cannot be represented, and ``HttpRequest.headers``
      (a case-insensitive read-only mapping) has no ``getlist``.
    * ``body``: ``str`` is UTF-8 encoded; ``None`` means no body. The body Datum is always
      ``bytes`` (``RawHttpBodyBytes``), empty when absent. No header (``Content-Length``,
      ``Content-Type``) is added for you.
    * query parameters come from ``url``: decoded like ASP.NET's query collection,
      repeated keys joined with ``","``, keys whose value is empty left out.
    * ``route_params``: values are converted with ``str()`` (``ToString()`` on the host);
      ``None`` values are left out.
    """
    # Host side: GrpcMessageConversionExtensions.ToRpcHttp (azure-functions-host),
    #   Url    = "{scheme}://{host}{path}{querystring}"   (the request URL as received)
    #   Query  : request.Query, value = StringValues.ToString(), empty values skipped
    #   Headers: request.Headers, key = name.ToLowerInvariant(), value = StringValues.ToString()
    #   Params : route data values, ToString(), nulls skipped
    #   Body   : PopulateBody -> bytes when RawHttpBodyBytes is requested (Python worker does)
    # Worker side: datumdef.Datum.from_typed_data, ``tt == 'http'`` branch
    # (https://github.com/Azure/azure-functions-python-worker/blob/dev/azure_functions_worker/bindings/datumdef.py).
    header_map = _combine(_header_pairs(headers), fold_case_to_lower=True)
    query_pairs = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    query_map = {k: v for k, v in _combine(query_pairs, fold_case_to_lower=False).items() if v}
    route_map = {str(k): str(v) for k, v in (route_params or {}).items() if v is not None}
    if body is None:
        body_bytes = b""
    elif isinstance(body, str):
        body_bytes = body.encode("utf-8")
    else:
        body_bytes = bytes(body)

    data = meta.Datum(
        {
            "method": _string(method),
            "url": _string(url),
            "headers": {k: _string(v) for k, v in header_map.items()},
            "body": _bytes(body_bytes),
            "params": {k: _string(v) for k, v in route_map.items()},
            "query": {k: _string(v) for k, v in query_map.items()},
        },
        "http",
    )

    # Trigger metadata. The HttpRequestConverter ignores it; it is filled in for
    # fidelity: HttpTriggerAttributeBindingProvider.GetRequestBindingData adds each query
    # parameter, "Query" and "Headers" dictionaries and the route values, while the
    # "$request" HttpRequest entry is withheld because the worker declares
    # RpcHttpTriggerMetadataRemoved. (JSON body properties, also added by the host for
    # JSON bodies, are not reproduced.)
    metadata: Metadata = {}
    for key, value in query_map.items():
        metadata[key] = _string(value)
    metadata["Query"] = _json(query_map)
    metadata["Headers"] = _json(header_map)
    for key, value in route_map.items():
        metadata[key] = _string(value)
    metadata["sys"] = _sys_metadata("http_trigger")
    return _decode("httpTrigger", data, metadata, func.HttpRequest)


# ======================================================================================
# Storage queue
# ======================================================================================


def queue_message(
    body: str | builtins.bytes,
    *,
    id: str = "3f9c2b1e-6a4d-4c8e-9b7f-2d1e0a5c4b3a",
    dequeue_count: int = 1,
    insertion_time: dt.datetime = DEFAULT_TIME,
    expiration_time: dt.datetime | None = None,
    next_visible_time: dt.datetime | None = None,
    pop_receipt: str = "AgAAAAMAAAAAAAAAwFY7aNmc2gE=",
) -> func.QueueMessage:
    """Build the ``func.QueueMessage`` a queue-triggered function receives.

    ``body`` as ``str`` travels as a ``string`` Datum, as ``bytes`` (``dataType: binary``)
    as a ``bytes`` Datum. ``expiration_time`` defaults to ``insertion_time`` + 7 days (the
    default time-to-live), ``next_visible_time`` to ``insertion_time`` + 10 minutes.

    Storage reports these times with whole-second precision (RFC 1123), so fractions of a
    second are dropped; the converter returns them as aware UTC datetimes
    (``DateTimeOffset`` -> ``+00:00``).
    """

    def storage_time(value: dt.datetime) -> meta.Datum:
        return _json(_dto_text(_utc(value).replace(microsecond=0)))

    if expiration_time is None:
        expiration_time = insertion_time + dt.timedelta(days=7)
    if next_visible_time is None:
        next_visible_time = insertion_time + dt.timedelta(minutes=10)

    # Message metadata, "Storage queue trigger" reference:
    # https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue-trigger#message-metadata
    #   QueueTrigger string (payload if a valid string), DequeueCount long (int before
    #   extension 5.x), ExpirationTime DateTimeOffset, Id string, InsertionTime
    #   DateTimeOffset, NextVisibleTime DateTimeOffset, PopReceipt string.
    metadata: Metadata = {}
    if isinstance(body, str):
        metadata["QueueTrigger"] = _string(body)
    else:
        with contextlib.suppress(UnicodeDecodeError):  # QueueTrigger only for valid text
            metadata["QueueTrigger"] = _string(body.decode("utf-8"))
    metadata["DequeueCount"] = _json(dequeue_count)
    metadata["ExpirationTime"] = storage_time(expiration_time)
    metadata["Id"] = _string(id)
    metadata["InsertionTime"] = storage_time(insertion_time)
    metadata["NextVisibleTime"] = storage_time(next_visible_time)
    metadata["PopReceipt"] = _string(pop_receipt)
    metadata["sys"] = _sys_metadata("queue_trigger")
    return _decode("queueTrigger", _body_datum(body), metadata, func.QueueMessage)


# ======================================================================================
# Service Bus
# ======================================================================================


def servicebus_message(
    body: str | builtins.bytes,
    *,
    message_id: str = "87c66eaf88e84119b66a26278a7b4149",
    delivery_count: int = 1,
    session_id: str | None = None,
    correlation_id: str | None = None,
    content_type: str | None = None,
    application_properties: Mapping[str, Any] | None = None,
    subject: str | None = None,
    reply_to: str | None = None,
    reply_to_session_id: str | None = None,
    to: str | None = None,
    partition_key: str | None = None,
    transaction_partition_key: str | None = None,
    dead_letter_source: str | None = None,
    sequence_number: int = 1,
    enqueued_time: dt.datetime = DEFAULT_TIME,
    expires_at: dt.datetime | None = None,
    lock_token: str = "5a0c6f1e-2b7d-4e3a-9c8f-1d2e3f4a5b6c",
) -> func.ServiceBusMessage:
    """Build the ``func.ServiceBusMessage`` a Service Bus-triggered function receives.

    Metadata mirrors Service Bus extension 5.x (``ServiceBusReceivedMessage``), which
    sends ``ApplicationProperties`` *and* the back-compat ``UserProperties`` with the same
    content; the converter treats the presence of ``UserProperties`` as "cardinality one",
    so both are always sent (an empty dict when ``application_properties`` is None).
    ``expires_at`` defaults to ``enqueued_time`` + 14 days.

    Quirk kept on purpose: the extension binds ``EnqueuedTimeUtc``/``ExpiresAtUtc`` to
    ``DateTimeOffset.DateTime`` (kind Unspecified), so ``enqueued_time_utc`` and
    ``expires_at_utc`` come back as *naive* datetimes holding UTC wall-clock time.
    """
    if expires_at is None:
        expires_at = enqueued_time + dt.timedelta(days=14)
    properties = dict(application_properties or {})

    # Message metadata, "Azure Service Bus trigger" reference, extension v5.x:
    # https://learn.microsoft.com/azure/azure-functions/functions-bindings-service-bus-trigger#message-metadata
    #   ApplicationProperties, ContentType, CorrelationId, DeliveryCount (Int32),
    #   EnqueuedTime, ScheduledEnqueueTimeUtc, ExpiresAt, MessageId, ReplyTo, Subject, To;
    #   UserProperties / Label kept for back-compat.
    # Exact keys and values: ServiceBusTriggerBindingStrategy.AddBindingData in
    # azure-sdk-for-net (sdk/servicebus/Microsoft.Azure.WebJobs.Extensions.ServiceBus):
    #   "ExpiresAtUtc" = ExpiresAt.DateTime, "EnqueuedTimeUtc" = EnqueuedTime.DateTime,
    #   "Label" = Subject, "UserProperties" = ApplicationProperties.
    # The host also forwards MessageReceiver/MessageSession/MessageActions/SessionActions/
    # ReceiveActions/Client objects; the converter ignores them and they are left out.
    metadata: Metadata = {}
    metadata["DeliveryCount"] = _json(delivery_count)
    _put(metadata, "DeadLetterSource", _opt_string(dead_letter_source))
    metadata["LockToken"] = _string(lock_token)
    metadata["ExpiresAtUtc"] = _json(_unspecified_kind_text(expires_at))
    metadata["ExpiresAt"] = _json(_dto_text(expires_at))
    metadata["EnqueuedTimeUtc"] = _json(_unspecified_kind_text(enqueued_time))
    metadata["EnqueuedTime"] = _json(_dto_text(enqueued_time))
    metadata["MessageId"] = _string(message_id)
    _put(metadata, "ContentType", _opt_string(content_type))
    _put(metadata, "ReplyTo", _opt_string(reply_to))
    metadata["SequenceNumber"] = _json(sequence_number)
    _put(metadata, "To", _opt_string(to))
    _put(metadata, "Subject", _opt_string(subject))
    _put(metadata, "Label", _opt_string(subject))
    _put(metadata, "CorrelationId", _opt_string(correlation_id))
    metadata["ApplicationProperties"] = _json(properties)
    metadata["UserProperties"] = _json(properties)
    _put(metadata, "SessionId", _opt_string(session_id))
    _put(metadata, "ReplyToSessionId", _opt_string(reply_to_session_id))
    _put(metadata, "PartitionKey", _opt_string(partition_key))
    _put(metadata, "TransactionPartitionKey", _opt_string(transaction_partition_key))
    metadata["sys"] = _sys_metadata("servicebus_trigger")
    return _decode("serviceBusTrigger", _body_datum(body), metadata, func.ServiceBusMessage)


# ======================================================================================
# Event Hubs
# ======================================================================================

# Event metadata, "Azure Event Hubs trigger" reference:
# https://learn.microsoft.com/azure/azure-functions/functions-bindings-event-hubs-trigger#event-metadata
#   PartitionContext, EnqueuedTimeUtc (DateTime), Offset, PartitionKey (string),
#   Properties (IDictionary<String,Object>), SequenceNumber (Int64), SystemProperties.
# With cardinality "many" every key gets an "Array" suffix (PartitionKeyArray, OffsetArray,
# SequenceNumberArray, EnqueuedTimeUtcArray, PropertiesArray, SystemPropertiesArray).
# Values: EventHubTriggerBindingStrategy in azure-sdk-for-net
# (sdk/eventhub/Microsoft.Azure.WebJobs.Extensions.EventHubs/src/Triggers):
#   EnqueuedTimeUtc = EventData.EnqueuedTime.DateTime (kind Unspecified -> naive datetime),
#   Offset = EventData.Offset (long; OffsetArray holds strings), SystemProperties =
#   EventData.SystemProperties + SequenceNumber/Offset/PartitionKey/EnqueuedTimeUtc.


def _partition_context(
    namespace: str, event_hub_name: str, consumer_group: str, partition_id: str
) -> meta.Datum:
    # Azure.Messaging.EventHubs.Consumer.PartitionContext serialised by Newtonsoft.
    return _json(
        {
            "FullyQualifiedNamespace": namespace,
            "EventHubName": event_hub_name,
            "ConsumerGroup": consumer_group,
            "PartitionId": partition_id,
        }
    )


def _system_properties(
    *,
    sequence_number: int,
    offset: int | str,
    partition_key: str | None,
    enqueued_time: dt.datetime,
    extra: Mapping[str, Any] | None,
) -> dict[str, Any]:
    # GetSystemPropertiesForBinding: the event's own system properties (AMQP annotations,
    # IoT Hub "iothub-*" keys...) overlaid with the four promoted values; PartitionKey is
    # present even when null.  Real payloads also carry "x-opt-*" annotations, not
    # reproduced here (pass them in ``extra`` if a test needs them).
    props: dict[str, Any] = dict(extra or {})
    props["SequenceNumber"] = sequence_number
    props["Offset"] = offset
    props["PartitionKey"] = partition_key
    props["EnqueuedTimeUtc"] = _unspecified_kind_text(enqueued_time)
    return props


def eventhub_event(
    body: str | builtins.bytes,
    *,
    partition_key: str | None = None,
    sequence_number: int = 1,
    offset: int | str = 0,
    enqueued_time: dt.datetime = DEFAULT_TIME,
    properties: Mapping[str, Any] | None = None,
    system_properties: Mapping[str, Any] | None = None,
    partition_id: str = "0",
    event_hub_name: str = "samples-workitems",
    consumer_group: str = "$Default",
    fully_qualified_namespace: str = "polyfn-ns.servicebus.windows.net",
) -> func.EventHubEvent:
    """Build the ``func.EventHubEvent`` of an Event Hubs trigger with cardinality ``one``.

    ``offset`` is a ``long`` in the Event Hubs SDK (sent as a JSON number); the converter
    reads ``Offset`` as ``str``, so ``event.offset`` is ``"0"``-style text.
    ``enqueued_time`` comes back naive (UTC wall clock), see the module docstring.
    ``system_properties`` adds extra system properties, e.g. IoT Hub's
    ``iothub-connection-device-id`` (surfaced by ``event.iothub_metadata``).
    """
    metadata: Metadata = {}
    metadata["PartitionContext"] = _partition_context(
        fully_qualified_namespace, event_hub_name, consumer_group, partition_id
    )
    _put(metadata, "PartitionKey", _opt_string(partition_key))
    metadata["Offset"] = _string(offset) if isinstance(offset, str) else _json(offset)
    metadata["SequenceNumber"] = _json(sequence_number)
    metadata["EnqueuedTimeUtc"] = _json(_unspecified_kind_text(enqueued_time))
    metadata["Properties"] = _json(dict(properties or {}))
    metadata["SystemProperties"] = _json(
        _system_properties(
            sequence_number=sequence_number,
            offset=offset,
            partition_key=partition_key,
            enqueued_time=enqueued_time,
            extra=system_properties,
        )
    )
    metadata["sys"] = _sys_metadata("eventhub_trigger")
    return _decode("eventHubTrigger", _body_datum(body), metadata, func.EventHubEvent)


def eventhub_batch(
    bodies: Sequence[str] | Sequence[builtins.bytes],
    *,
    partition_key: str | None = None,
    sequence_number: int = 1,
    offset: int = 0,
    enqueued_time: dt.datetime = DEFAULT_TIME,
    properties: Sequence[Mapping[str, Any]] | None = None,
    system_properties: Mapping[str, Any] | None = None,
    data_type: Literal["string", "binary"] | None = None,
    partition_id: str = "0",
    event_hub_name: str = "samples-workitems",
    consumer_group: str = "$Default",
    fully_qualified_namespace: str = "polyfn-ns.servicebus.windows.net",
) -> list[func.EventHubEvent]:
    """Build the ``list[func.EventHubEvent]`` of an Event Hubs trigger with cardinality ``many``.

    The bodies travel as ``collection_string`` (``str`` bodies or ``data_type="string"``)
    or ``collection_bytes`` (``bytes`` bodies or ``data_type="binary"``); per-event
    metadata travels in ``SystemPropertiesArray`` (JSON), which is what the converter
    reads. ``sequence_number``/``offset`` are those of the first event: sequence numbers
    then grow by one and offsets by each body's UTF-8 size. All events share
    ``partition_key`` and ``enqueued_time``; ``properties`` gives each event's user
    properties. Here ``event.offset`` is an ``int`` (unlike the single-event case).

    Worker quirk reproduced: an empty ``str`` body is dropped from ``collection_string``
    (the Python worker does not ask for empty entries), after which ``decode`` raises
    ``AssertionError('Number of bodies and metadata mismatched')``.
    """
    encoded = [b.encode("utf-8") if isinstance(b, str) else bytes(b) for b in bodies]
    if data_type is None:
        kinds = {isinstance(b, str) for b in bodies}
        if len(kinds) > 1:
            raise TypeError("bodies must be all str or all bytes (or pass data_type)")
        data_type = "string" if kinds != {False} else "binary"
    if data_type == "string":
        data = _string_array(b.decode("utf-8") for b in encoded)
    else:
        data = _bytes_array(encoded)
    if properties is not None and len(properties) != len(encoded):
        raise ValueError("properties must have one mapping per body")

    sequence_numbers: list[int] = []
    offsets: list[int] = []
    next_offset = offset
    for index, payload in enumerate(encoded):
        sequence_numbers.append(sequence_number + index)
        offsets.append(next_offset)
        next_offset += len(payload)
    user_properties = [dict(p) for p in properties] if properties else [{} for _ in encoded]

    metadata: Metadata = {}
    metadata["PartitionContext"] = _partition_context(
        fully_qualified_namespace, event_hub_name, consumer_group, partition_id
    )
    metadata["PartitionKeyArray"] = _string_array(partition_key for _ in encoded)
    metadata["OffsetArray"] = _string_array(str(o) for o in offsets)
    metadata["SequenceNumberArray"] = _long_array(sequence_numbers)
    metadata["EnqueuedTimeUtcArray"] = _json(
        [_unspecified_kind_text(enqueued_time) for _ in encoded]
    )
    metadata["PropertiesArray"] = _json(user_properties)
    metadata["SystemPropertiesArray"] = _json(
        [
            _system_properties(
                sequence_number=seq,
                offset=off,
                partition_key=partition_key,
                enqueued_time=enqueued_time,
                extra=system_properties,
            )
            for seq, off in zip(sequence_numbers, offsets, strict=True)
        ]
    )
    metadata["sys"] = _sys_metadata("eventhub_batch_trigger")
    result = converter_for("eventHubTrigger").decode(data, trigger_metadata=metadata)
    if not isinstance(result, list) or not all(isinstance(e, func.EventHubEvent) for e in result):
        raise TypeError("eventHubTrigger converter did not return a list of EventHubEvent")
    return result


# ======================================================================================
# Timer
# ======================================================================================


def timer_request(
    *,
    past_due: bool = False,
    last: dt.datetime | None = DEFAULT_TIME - dt.timedelta(minutes=5),
    next: dt.datetime | None = DEFAULT_TIME + dt.timedelta(minutes=5),
    last_updated: dt.datetime | None = DEFAULT_TIME - dt.timedelta(minutes=5),
    adjust_for_dst: bool = True,
) -> TimerRequest:
    """Build the ``func.TimerRequest`` of a timer trigger.

    The result is the library's concrete ``azure.functions.timer.TimerRequest`` (the
    abstract ``func.TimerRequest`` does not declare ``schedule_status``/``schedule``).

    The payload is the host's ``TimerInfo`` serialised to JSON. The library does not parse
    ``ScheduleStatus``: ``schedule_status`` holds the raw strings (``Last``, ``Next``,
    ``LastUpdated``, ``+00:00`` suffix). When ``last``, ``next`` and ``last_updated`` are
    all None the status is ``null`` (schedule monitoring off) and ``schedule_status`` is
    ``{}``.
    """
    # Timer object JSON, "Timer trigger" reference (Usage section):
    # https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#usage
    #   {"Schedule":{"AdjustForDST":true},
    #    "ScheduleStatus":{"Last":"2016-10-04T10:15:00+00:00",
    #                      "LastUpdated":"2016-10-04T10:16:00+00:00",
    #                      "Next":"2016-10-04T10:20:00+00:00"},
    #    "IsPastDue":false}
    status: dict[str, str] | None = None
    if last is not None or next is not None or last_updated is not None:
        status = {}
        if last is not None:
            status["Last"] = _dto_text(last)
        if next is not None:
            status["Next"] = _dto_text(next)
        if last_updated is not None:
            status["LastUpdated"] = _dto_text(last_updated)
    payload = {
        "Schedule": {"AdjustForDST": adjust_for_dst},
        "ScheduleStatus": status,
        "IsPastDue": past_due,
    }
    metadata: Metadata = {"sys": _sys_metadata("timer_trigger")}
    return _decode("timerTrigger", _json(payload), metadata, TimerRequest)


# ======================================================================================
# Blob
# ======================================================================================


def blob_stream(
    content: builtins.bytes,
    *,
    name: str = "samples-workitems/a.txt",
    uri: str | None = None,
    length: int | None = None,
    content_type: str = "application/octet-stream",
    metadata: Mapping[str, str] | None = None,
    properties: Mapping[str, Any] | None = None,
    last_modified: dt.datetime = DEFAULT_TIME,
) -> InputStream:
    """Build the ``func.InputStream`` of a blob trigger.

    The result is the library's concrete ``azure.functions.blob.InputStream`` (the
    abstract ``func.InputStream`` does not declare ``metadata``/``blob_properties``).

    ``name`` is the ``BlobTrigger`` path (``container/blob``); ``uri`` defaults to the
    blob's primary URI in a storage account named ``polyfnstorage``; ``length`` (default:
    ``len(content)``) travels as ``Properties.ContentLength``, which is where the converter
    reads it. ``metadata`` is the blob's user metadata, ``properties`` extra
    ``BlobProperties`` members merged into the serialised properties.
    """
    if uri is None:
        uri = "https://polyfnstorage.blob.core.windows.net/" + quote(name)
    if length is None:
        length = len(content)
    blob_properties: dict[str, Any] = {
        "LastModified": _dto_text(last_modified),
        "CreatedOn": _dto_text(last_modified),
        "ContentLength": length,
        "ContentType": content_type,
        "Metadata": dict(metadata or {}),
    }
    blob_properties.update(properties or {})

    # Blob trigger metadata, "Azure Blob storage trigger" reference (Metadata section):
    # https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-blob-trigger#metadata
    #   BlobTrigger string (path of the triggering blob), Uri System.Uri (primary
    #   location), Properties BlobProperties (system properties), Metadata
    #   IDictionary<string,string> (user-defined metadata).
    # The converter reads Properties.ContentLength (extension 5.x) or Properties.Length
    # (older CloudBlob); System.Uri is serialised as a JSON string.
    trigger_metadata: Metadata = {
        "BlobTrigger": _string(name),
        "Uri": _json(uri),
        "Properties": _json(blob_properties),
        "Metadata": _json(dict(metadata or {})),
        "sys": _sys_metadata("blob_trigger"),
    }
    return _decode("blobTrigger", _bytes(content), trigger_metadata, InputStream)


# ======================================================================================
# Event Grid
# ======================================================================================


def eventgrid_event(payload: Mapping[str, Any]) -> func.EventGridEvent:
    """Build the ``func.EventGridEvent`` for one Event Grid-schema event.

    Event Grid delivers arrays, but the runtime invokes the function once per element:
    pass a single event object, not the array. A CloudEvents payload (one with
    ``specversion``) decodes to ``func.CloudEvent`` instead and is rejected here.
    """
    # Event Grid event schema (topic, subject, id, eventType, eventTime, data,
    # dataVersion, metadataVersion):
    # https://learn.microsoft.com/azure/event-grid/event-schema
    # The trigger value is the event as a JObject -> ``json`` Datum.
    if not isinstance(payload, Mapping):
        raise TypeError("payload must be one Event Grid event (a mapping), not an array")
    if "specversion" in payload:
        raise ValueError("payload is a CloudEvent (has 'specversion'), not an Event Grid event")
    metadata: Metadata = {"sys": _sys_metadata("eventgrid_trigger")}
    return _decode("eventGridTrigger", _json(dict(payload)), metadata, func.EventGridEvent)


# ======================================================================================
# Cosmos DB
# ======================================================================================


def cosmos_documents(docs: Sequence[Mapping[str, Any]]) -> func.DocumentList:
    """Build the ``func.DocumentList`` a Cosmos DB trigger (change feed batch) delivers."""
    # "Azure Cosmos DB trigger" reference: the function receives the batch of changed
    # documents; the host serialises the list to a JSON array (``json`` Datum):
    # https://learn.microsoft.com/azure/azure-functions/functions-bindings-cosmosdb-v2-trigger
    metadata: Metadata = {"sys": _sys_metadata("cosmosdb_trigger")}
    data = _json([dict(d) for d in docs])
    return _decode("cosmosDBTrigger", data, metadata, func.DocumentList)
