"""Azure Functions inputs for tests: the azure.functions objects a Python function
receives, built with azure.functions' own converters, and the JSON Event Grid and
Cosmos DB deliveries.

::

    from adapters.azure import bind
    from adapters.testing import azure

    function = bind(handle, "msg")
    function(msg=azure.queue_message({"id": 1}))

Triggers delivered as objects (HTTP, Storage queue, Service Bus, Event Hubs, blob,
timer) have no JSON form: ``polyfn samples`` says so and points here. Importing
this module imports azure.functions (``pip install 'polyfn[azure]'``).
"""

from __future__ import annotations

from ._factories.azure_eventhubs import eventhub_batch, eventhub_event
from ._factories.azure_json import blob_eventgrid, cosmosdb, eventgrid, eventgrid_cloudevents
from ._factories.azure_objects import (
    blob_stream,
    cosmos_documents,
    eventgrid_event,
    http_request,
    queue_message,
    servicebus_message,
    timer_request,
)
from ._registry import Sample

__all__ = [
    "SAMPLES", "blob_eventgrid", "blob_stream", "cosmos_documents", "cosmosdb", "eventgrid",
    "eventgrid_cloudevents", "eventgrid_event", "eventhub_batch", "eventhub_event",
    "http_request", "queue_message", "servicebus_message", "timer_request",
]

_OBJECT = "the Functions worker passes an azure.functions object"
_HTTP = "send plain HTTP requests to `polyfn serve` instead"

#: Every Azure sample: name, factory, kind, summary; objects are not wire payloads.
SAMPLES: tuple[Sample, ...] = (
    Sample("azure.http", http_request, "http", "func.HttpRequest", wire=False,
           note=f"{_OBJECT}; {_HTTP}"),
    Sample("azure.queue", queue_message, "message", "func.QueueMessage (Storage queue)",
           wire=False, note=_OBJECT),
    Sample("azure.servicebus", servicebus_message, "message", "func.ServiceBusMessage",
           wire=False, note=_OBJECT),
    Sample("azure.event.hubs", eventhub_event, "message", "func.EventHubEvent", wire=False,
           note=_OBJECT),
    Sample("azure.blob", blob_stream, "storage", "func.InputStream (blob trigger)", wire=False,
           note=_OBJECT),
    Sample("azure.timer", timer_request, "schedule", "func.TimerRequest", wire=False,
           note=_OBJECT),
    Sample("azure.cosmosdb", cosmosdb, "change", "Cosmos DB change feed documents (JSON)"),
    Sample("azure.eventgrid", eventgrid, "event", "Event Grid delivery (Event Grid schema)"),
    Sample("azure.blob.eventgrid", blob_eventgrid, "storage", "Blob Storage event via Event Grid",
           trigger="azure.eventgrid", event_trigger="azure.blob.eventgrid"),
    Sample("azure.eventgrid.cloudevents", eventgrid_cloudevents, "storage",
           "Event Grid delivery (CloudEvents schema; a blob event by default)",
           event_trigger="azure.blob.eventgrid"),
)
