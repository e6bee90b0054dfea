"""Azure Functions inputs for the tests: the azure.functions objects a function
receives, built the way the Python worker builds them (``meta.Datum`` payloads and
trigger metadata through each binding's converter ``decode``).

The builders live in the library (``adapters.testing.azure``, for users' tests too);
this module names them for the project's tests. tests/unit/test_azure_inputs.py
checks each builder's objects against the metadata Microsoft documents.
"""

from __future__ import annotations

from adapters.testing._factories._common import DEFAULT_TIME
from adapters.testing._factories.azure_wire import converter_for
from adapters.testing.azure import (
    blob_stream,
    cosmos_documents,
    eventgrid_event,
    eventhub_batch,
    eventhub_event,
    http_request,
    queue_message,
    servicebus_message,
    timer_request,
)

__all__ = [
    "DEFAULT_TIME", "blob_stream", "converter_for", "cosmos_documents", "eventgrid_event",
    "eventhub_batch", "eventhub_event", "http_request", "queue_message", "servicebus_message",
    "timer_request",
]
