"""Azure Functions (Python v2 programming model) entry point: every route under ``/api``.

One HTTP function takes every path (``{*path}``) and method; the app sees the
host's ``/api`` route prefix as its ``root_path``. With another
``extensions.http.routePrefix`` in host.json, set ``POLYFN_AZURE_ROUTE_PREFIX`` to
the same value.
"""

from __future__ import annotations

import azure.functions as func

from adapters.azure import bind
from examples.webapp.handler import handle

app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)
app.route(route="{*path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])(
    bind(handle, name="webapp"))
