"""Azure Functions (Python v2 programming model) entry point: the Service Bus queue
``orders``, through the connection in the app setting ``ServiceBusConnection``.

A failed order raises: the message is abandoned and delivered again, then moved to the
queue's dead-letter subqueue after its max delivery count (10 by default).
"""

from __future__ import annotations

import azure.functions as func

from adapters.azure import bind
from examples.orders.handler import handle

app = func.FunctionApp()
app.service_bus_queue_trigger(arg_name="msg", queue_name="orders",
                              connection="ServiceBusConnection")(
    bind(handle, "msg", name="orders"))
