"""Azure Functions HTTP trigger: ``func.HttpRequest`` to :class:`sdk.HTTPRequest`.

The Python worker builds a ``func.HttpRequest`` for every request whatever runs
next, so polyfn's cost is what it adds on top of that:

* polyfn: build the ``func.HttpRequest`` (as the worker does), then
  ``adapters.azure.decode(request)``: detection and translation.
* ``azure-functions``: building the ``func.HttpRequest`` alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from ._core import Impl, Scenario, Target, need

__all__ = ["SCENARIO", "request_args"]

URL = "https://orders-app.azurewebsites.net/api/orders?page=2&sort=desc"
HEADERS = {
    "accept": "application/json",
    "content-length": "31",
    "content-type": "application/json",
    "host": "orders-app.azurewebsites.net",
    "user-agent": "curl/8.5.0",
    "x-forwarded-for": "203.0.113.7:52014",
    "x-forwarded-proto": "https",
    "x-original-url": "/api/orders?page=2&sort=desc",
    "x-arr-log-id": "3f6c7b7e-1d2a-4b8e-9f0a-1c2d3e4f5a6b",
}
BODY = b'{"name": "Ada", "quantity": 3}'


def request_args() -> dict[str, Any]:
    """What the worker passes to ``func.HttpRequest`` for this request."""
    return {"method": "POST", "url": URL, "headers": HEADERS,
            "params": {"page": "2", "sort": "desc"}, "route_params": {}, "body": BODY}


def _route(path: str) -> str:
    """The path without the Functions host's default ``/api`` route prefix (polyfn
    drops it, as the route a function is declared with does not have it)."""
    return path.removeprefix("/api") or "/"


def _polyfn_canon(request: Any) -> dict[str, Any]:
    return {"method": request.method, "path": _route(request.path),
            "agent": request.headers.get("user-agent"), "page": request.query.get("page"),
            "body": request.body}


def _native_canon(request: Any) -> dict[str, Any]:
    return {"method": request.method, "path": _route(urlsplit(request.url).path),
            "agent": request.headers.get("user-agent"), "page": request.params.get("page"),
            "body": request.get_body()}


def _polyfn() -> Callable[[], Any]:
    func = need("azure.functions")
    azure = need("adapters.azure", "adapters.azure.decode", attr="decode")
    http_request, decode, args = func.HttpRequest, azure.decode, request_args()
    return lambda: decode(http_request(**args))[0]


def _native() -> Callable[[], Any]:
    func = need("azure.functions")
    http_request, args = func.HttpRequest, request_args()
    return lambda: http_request(**args)


SCENARIO = Scenario(
    name="azure.http",
    title="func.HttpRequest -> HTTPRequest",
    polyfn=Impl("polyfn", _polyfn, canon=_polyfn_canon),
    peers=(Impl("azure-functions", _native, canon=_native_canon),),
    targets=(Target("azure-functions", extra_us=2.0),),
)
