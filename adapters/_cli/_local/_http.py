"""Plain HTTP requests to ``polyfn serve``: answered as on Google Cloud's HTTP path
(``adapters.gcp``), with ``provider`` ``local`` and trigger ``local.http``. As there,
a ``Schedule`` handler gets a Cloud Scheduler request (``X-CloudScheduler``
headers) as a Schedule and a ``Message`` handler a Pub/Sub push body as a Message;
any other handler gets the :class:`~sdk.HTTPRequest`. A handler of a kind no HTTP
request can be (a ``StorageEvent`` handler) answers 415, as a CloudEvent or raw
payload of a kind it does not take does."""

from __future__ import annotations

import uuid
from typing import Any

from adapters.gcp._http import HTTP
from sdk import Context, Function, HTTPRequest

from ._log import LOCAL_HTTP

__all__ = ["LocalHTTP", "serve_http"]


class LocalHTTP(HTTP):
    """A werkzeug request as an :class:`~sdk.HTTPRequest` from the local server."""

    name = LOCAL_HTTP

    def request(self, raw: Any) -> HTTPRequest[Any]:
        request = super().request(raw)
        request.provider = "local"
        return request


_TRIGGER = LocalHTTP()
def serve_http(fn: Function[Any], environ: dict[str, Any]) -> Any:
    """The werkzeug ``Response`` for one request: the handler's Response, or
    problem+json (400/422 bad input, 415 a handler of another kind, 500 handler error,
    as on every provider: ``HTTPTrigger.invoke``)."""
    from werkzeug.wrappers import Request

    request = Request(environ)
    context = Context(provider="local",
                      request_id=request.headers.get("X-Request-Id") or str(uuid.uuid4()),
                      function_name=fn.name, raw=request)
    return _TRIGGER.invoke(fn, request, context)
