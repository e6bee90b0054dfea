"""Azure Functions through ``bind``: HTTP, Storage queue and blob triggers.

The worker turns every invocation into an azure.functions object (its converter,
from the host's payload and trigger metadata) and a ``Context``, whatever runs
next; polyfn starts from those. So every side here gets objects the worker's own
converters build afresh per call (``azure.functions`` ``decode``, as
``adapters.testing.azure`` builds them) and the worker's ``Context`` class
(``azure_functions_runtime.bindings.context``), and the difference is polyfn's cost:

* polyfn: ``bind(handle, arg)(native, context)``, the handler doing the reads below.
* ``azure-functions``: a v2-model function doing the same reads on the object itself.

Reads: HTTP method, path, a header, a query value and the JSON body, answered as a
JSON ``func.HttpResponse``; queue message id, JSON body and dequeue count; blob
name, length and content.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from ._core import Impl, Scenario, Target, Unavailable, need

__all__ = ["SCENARIOS", "worker_input"]

_TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def worker_input(factory: str, *args: Any, **kwargs: Any) -> Callable[[], Any]:
    """A callable building, each call, the object ``adapters.testing.azure.<factory>``
    builds, through the same converter call (payload and metadata prepared once)."""
    need("azure.functions")
    objects = need("adapters.testing._factories.azure_objects")
    captured: list[tuple[Any, ...]] = []
    real = objects.decode

    def capture(binding: str, data: Any, metadata: Any, expected: type) -> Any:
        captured.append((binding, data, metadata))
        return real(binding, data, metadata, expected)

    objects.decode = capture
    try:
        getattr(objects, factory)(*args, **kwargs)
    finally:
        objects.decode = real
    binding, data, metadata = captured[0]
    converter = need("adapters.testing._factories.azure_wire").converter_for(binding)
    return lambda: converter.decode(data, trigger_metadata=metadata)


def _context() -> Callable[[], Any]:
    """The worker's ``Context`` for one invocation, built afresh per call."""
    try:
        from azure_functions_runtime.bindings.context import Context
        from azure_functions_runtime.bindings.retrycontext import RetryContext
        from azure_functions_runtime.bindings.tracecontext import TraceContext
    except ImportError:
        raise Unavailable("azure_functions_runtime is not installed") from None
    local = threading.local()
    return lambda: Context("orders", "/home/site/wwwroot", "5f1a6b2c-3d4e-4f50-8a9b-0c1d2e3f4a5b",
                           local, TraceContext(_TRACEPARENT, "", {}), RetryContext(0, 0, None))


def _call(function: Callable[..., Any], native: Callable[[], Any],
          context: Callable[[], Any], seen: list[Any], arg: str) -> Callable[[], Any]:
    """Each call as the worker makes it: the trigger's argument and ``context`` by
    keyword (``azure_functions_runtime`` ``handle_event``: ``fi.func(**args)``)."""
    def call() -> Any:
        seen.clear()
        result = function(**{arg: native(), "context": context()})
        return tuple(seen), result

    return call


# -- HTTP ----------------------------------------------------------------------------------

_HTTP_ARGS = ("POST", "https://orders-app.azurewebsites.net/api/orders?page=2&sort=desc")
_HTTP_KW = {"headers": [("content-type", "application/json"), ("user-agent", "curl/8.5.0"),
                        ("x-forwarded-for", "203.0.113.7:52014"), ("accept", "*/*"),
                        ("host", "orders-app.azurewebsites.net")],
            "body": b'{"name": "Ada", "quantity": 3}'}


def _http_canon(result: Any) -> Any:
    seen, response = result
    return seen, response.status_code, json.loads(response.get_body())


def _http_polyfn() -> Callable[[], Any]:
    azure = need("adapters.azure", attr="bind")
    seen: list[Any] = []

    def handle(request: Any) -> Any:
        data = request.json()
        seen.extend((request.method, request.path, request.headers.get("user-agent"),
                     request.query.get("page")))
        return {"name": data["name"], "quantity": data["quantity"]}

    return _call(azure.bind(handle, name="orders"), worker_input("http_request", *_HTTP_ARGS,
                                                                 **_HTTP_KW), _context(), seen,
                 "req")


def _http_native() -> Callable[[], Any]:
    func = need("azure.functions")
    response, seen = func.HttpResponse, []

    def main(req: Any, context: Any) -> Any:
        data = req.get_json()
        # polyfn drops the host's default /api route prefix
        seen.extend((req.method, urlsplit(req.url).path.removeprefix("/api"),
                     req.headers.get("user-agent"), req.params.get("page")))
        return response(json.dumps({"name": data["name"], "quantity": data["quantity"]}),
                        mimetype="application/json")

    return _call(main, worker_input("http_request", *_HTTP_ARGS, **_HTTP_KW), _context(), seen,
                 "req")


# -- Storage queue ---------------------------------------------------------------------------

_QUEUE_BODY = {"order_id": 1042, "sku": "BK-1", "quantity": 3}


def _queue_polyfn() -> Callable[[], Any]:
    azure = need("adapters.azure", attr="bind")
    seen: list[Any] = []

    def handle(message: Any) -> None:
        seen.extend((message.id, message.data, message.delivery_count))

    function = azure.bind(handle, "msg", name="orders", queue="orders")
    return _call(function, worker_input("queue_message", _QUEUE_BODY), _context(), seen, "msg")


def _queue_native() -> Callable[[], Any]:
    seen: list[Any] = []

    def main(msg: Any, context: Any) -> None:
        seen.extend((msg.id, json.loads(msg.get_body()), msg.dequeue_count))

    return _call(main, worker_input("queue_message", _QUEUE_BODY), _context(), seen, "msg")


# -- Blob ----------------------------------------------------------------------------------

_BLOB = (b"%PDF-1.7 invoice 0042 " * 40,)
_BLOB_KW = {"name": "invoices/0042.pdf", "content_type": "application/pdf"}


def _blob_polyfn() -> Callable[[], Any]:
    azure = need("adapters.azure", attr="bind")
    seen: list[Any] = []

    def handle(event: Any) -> None:
        seen.extend((event.key, event.size, event.data))

    function = azure.bind(handle, "blob", name="invoices")
    return _call(function, worker_input("blob_stream", *_BLOB, **_BLOB_KW), _context(), seen,
                 "blob")


def _blob_native() -> Callable[[], Any]:
    seen: list[Any] = []

    def main(blob: Any, context: Any) -> None:
        seen.extend((blob.name.partition("/")[2], blob.length, blob.read()))

    return _call(main, worker_input("blob_stream", *_BLOB, **_BLOB_KW), _context(), seen,
                 "blob")


_PEER = "azure-functions"
_TARGETS = (Target(_PEER, extra_us=5.0),)

SCENARIOS = (
    Scenario(name="azure.http-bind", title="HTTP trigger through bind, JSON answer",
             polyfn=Impl("polyfn", _http_polyfn, canon=_http_canon),
             peers=(Impl(_PEER, _http_native, canon=_http_canon),), targets=_TARGETS),
    Scenario(name="azure.queue-bind", title="Storage queue message through bind",
             polyfn=Impl("polyfn", _queue_polyfn, canon=lambda r: r[0]),
             peers=(Impl(_PEER, _queue_native, canon=lambda r: r[0]),), targets=_TARGETS),
    Scenario(name="azure.blob-bind", title="Blob trigger stream through bind",
             polyfn=Impl("polyfn", _blob_polyfn, canon=lambda r: r[0]),
             peers=(Impl(_PEER, _blob_native, canon=lambda r: r[0]),), targets=_TARGETS),
)
