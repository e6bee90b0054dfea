"""Azure Functions (Python v2 programming model) entry point: ``uploads``, an Event Grid
trigger receiving the storage account's ``BlobCreated`` and ``BlobDeleted`` events.

The Event Grid subscription that sends them is created once with the Azure CLI
(README.md). A handler error fails the delivery and Event Grid retries it.
"""

from __future__ import annotations

import azure.functions as func

from adapters.azure import bind
from examples.uploads.handler import handle

app = func.FunctionApp()
app.event_grid_trigger(arg_name="event")(bind(handle, "event", name="uploads"))
