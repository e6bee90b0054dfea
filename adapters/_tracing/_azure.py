"""Azure Functions' tracing table: one row per trigger family.

The parent is the invocation's trace context, which the host continues from the
caller (``func.Context.trace_context.trace_parent`` / ``trace_state``,
https://learn.microsoft.com/azure/azure-functions/functions-reference-python#context).
A Service Bus or Event Hubs message's producer: its ``Diagnostic-Id`` (or
``traceparent``) application property, which the Azure SDKs write
(https://learn.microsoft.com/azure/service-bus-messaging/service-bus-end-to-end-tracing).
An HTTP span's ``http.route`` is the function's route template, which the trigger
reads from its binding (``adapters.azure.HTTP.route``).
"""

from __future__ import annotations

from typing import Any

from sdk import Context

from ._carrier import Carrier, Headers, traceparent

__all__ = ["CARRIERS", "DEFAULT", "parents"]


def parents(raw: Any, context: Context, row: Carrier) -> list[Headers | None]:
    trace = getattr(context.raw, "trace_context", None)
    return [traceparent(getattr(trace, "trace_parent", None),
                        getattr(trace, "trace_state", None))]


def _http(raw: Any) -> dict[str, Any]:
    from urllib.parse import urlsplit

    return {"http.request.method": raw.method, "url.path": urlsplit(raw.url).path or None}


def _status(result: Any) -> int | None:
    status = getattr(result, "status_code", None)
    return status if isinstance(status, int) else None


def _count(raw: Any) -> dict[str, Any]:
    return {"messaging.batch.message_count": len(raw)
            if isinstance(raw, list) and len(raw) > 1 else None}


#: Trigger name -> its row (every other trigger: ``DEFAULT``).
CARRIERS: dict[str, Carrier] = {
    "azure.http": Carrier("http", describe=_http, status=_status),
    "azure.queue": Carrier("pubsub", describe=_count),
    "azure.servicebus": Carrier("pubsub", system="servicebus", describe=_count),
    "azure.event.hubs": Carrier("pubsub", system="eventhubs", describe=_count),
    "azure.blob": Carrier("datasource"),
    "azure.cosmosdb": Carrier("datasource", describe=_count),
    "azure.timer": Carrier("timer"),
    "azure.eventgrid": Carrier("pubsub", system="eventgrid", describe=_count),
    "azure.eventgrid.cloudevents": Carrier("pubsub", system="eventgrid", describe=_count),
}
DEFAULT = Carrier("other")
