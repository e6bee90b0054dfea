"""Azure Functions (Python v2 programming model) entry point: ``GET|POST /api/hello``.

The worker indexes ``app``. ``bind`` gives the handler the signature the worker
checks (``req`` is ``app.route``'s trigger argument) and the name ``hello``.
"""

from __future__ import annotations

import azure.functions as func

from adapters.azure import bind
from examples.quickstart.handler import handle

app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)
app.route(route="hello", methods=["GET", "POST"])(bind(handle, name="hello"))
