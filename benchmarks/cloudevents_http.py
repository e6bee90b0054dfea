"""CloudEvents over HTTP (binary mode, as Eventarc delivers to Cloud Run): a WSGI
request in, 204 out, for a Pub/Sub message and a Cloud Storage object event.

Every side gets a fresh WSGI environ (its own ``wsgi.input``) per call, as a
server builds one per request, and does the same reads: the event id and type and
the message's decoded JSON data (Pub/Sub), or bucket, object name and size
(Cloud Storage).

* polyfn: ``adapters.cloudevents.wsgi_app(handle)(environ, start_response)``.
* ``werkzeug+from_http``: what a WSGI app without polyfn writes: werkzeug's
  ``Request``, ``cloudevents.http.from_http(request.headers, request.get_data())``,
  the reads (base64 and JSON for the Pub/Sub message), a werkzeug ``Response(status=204)``.
* floor: plain environ reads, ``json.loads``, ``start_response``.

Also the same Pub/Sub event in structured mode (one JSON document), and the
``cloudevents.http.CloudEvent`` functions-framework builds from the request
handed to ``adapters.gcp.cloudevent_function`` (peer: a ``cloud_event`` function
doing the same reads on it; the goal there is polyfn's own cost, +5 us).
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable
from typing import Any

from ._core import Impl, Scenario, Target, need

__all__ = ["BINARY", "FUNCTION", "GCS", "GCS_BODY", "PUBSUB_BODY", "SCENARIOS", "STRUCTURED",
           "STRUCTURED_BODY", "environ"]

_MESSAGE = {"order_id": 1042, "sku": "BK-1", "quantity": 3}
PUBSUB_BODY = json.dumps({
    "message": {
        "attributes": {"origin": "checkout"},
        "data": base64.b64encode(json.dumps(_MESSAGE).encode()).decode(),
        "messageId": "1215011316659232",
        "publishTime": "2024-03-13T10:15:30.123Z",
    },
    "subscription": "projects/sample-project/subscriptions/eventarc-orders-sub",
}).encode()
GCS_BODY = json.dumps({
    "kind": "storage#object", "id": "sample-bucket/invoices/0042.pdf/1710324930123456",
    "selfLink": "https://www.googleapis.com/storage/v1/b/sample-bucket/o/invoices%2F0042.pdf",
    "name": "invoices/0042.pdf", "bucket": "sample-bucket", "generation": "1710324930123456",
    "metageneration": "1", "contentType": "application/pdf",
    "timeCreated": "2024-03-13T10:15:30.123Z", "updated": "2024-03-13T10:15:30.123Z",
    "storageClass": "STANDARD", "timeStorageClassUpdated": "2024-03-13T10:15:30.123Z",
    "size": "48213", "md5Hash": "mI1b3Kz0tV0cXZy0f7E4Hw==", "crc32c": "u3KbZw==",
    "etag": "CMDj6bK8x4QDEAE=",
}).encode()

_COMMON = {
    "REQUEST_METHOD": "POST", "SCRIPT_NAME": "", "PATH_INFO": "/", "QUERY_STRING": "",
    "SERVER_NAME": "localhost", "SERVER_PORT": "8080", "SERVER_PROTOCOL": "HTTP/1.1",
    "REMOTE_ADDR": "169.254.1.1", "wsgi.version": (1, 0), "wsgi.url_scheme": "http",
    "wsgi.multithread": False, "wsgi.multiprocess": False, "wsgi.run_once": False,
    "CONTENT_TYPE": "application/json",
    "HTTP_HOST": "orders-abc123-ew.a.run.app", "HTTP_USER_AGENT": "APIs-Google",
    "HTTP_ACCEPT_ENCODING": "gzip, deflate, br",
    "HTTP_TRACEPARENT": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    "HTTP_X_CLOUD_TRACE_CONTEXT": "4bf92f3577b34da6a3ce929d0e0e4736/67667974448284343;o=1",
    "HTTP_FORWARDED": 'for="203.0.113.7";proto=https',
    "HTTP_X_FORWARDED_FOR": "203.0.113.7", "HTTP_X_FORWARDED_PROTO": "https",
    "HTTP_CE_SPECVERSION": "1.0", "HTTP_CE_TIME": "2024-03-13T10:15:30.123Z",
}
_PUBSUB = {
    **_COMMON,
    "HTTP_CE_ID": "1215011316659232",
    "HTTP_CE_SOURCE": "//pubsub.googleapis.com/projects/sample-project/topics/orders",
    "HTTP_CE_TYPE": "google.cloud.pubsub.topic.v1.messagePublished",
}
_GCS = {
    **_COMMON,
    "HTTP_CE_ID": "8175621812355633",
    "HTTP_CE_SOURCE": "//storage.googleapis.com/projects/_/buckets/sample-bucket",
    "HTTP_CE_TYPE": "google.cloud.storage.object.v1.finalized",
    "HTTP_CE_SUBJECT": "objects/invoices/0042.pdf", "HTTP_CE_BUCKET": "sample-bucket",
}


def environ(template: dict[str, Any], body: bytes) -> Callable[[], dict[str, Any]]:
    """A new environ per call: the template's keys, the length and a fresh input."""
    base = {**template, "CONTENT_LENGTH": str(len(body))}

    def make() -> dict[str, Any]:
        env = base.copy()
        env["wsgi.input"] = io.BytesIO(body)
        return env

    return make


def _start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
    _start_response.status = status  # type: ignore[attr-defined]
    return None


def _wsgi(app: Callable[..., Any], make: Callable[[], dict[str, Any]], seen: list[Any]
          ) -> Callable[[], Any]:
    def call() -> Any:
        seen.clear()
        body = b"".join(app(make(), _start_response))
        return _start_response.status, body, tuple(seen)  # type: ignore[attr-defined]

    return call


def _canon(result: Any) -> Any:
    status, body, seen = result
    return status.split(" ", 1)[0], body, seen


# -- Pub/Sub ---------------------------------------------------------------------------

def _polyfn(template: dict[str, Any], body: bytes,
            read: Callable[[Any, list[Any]], None]) -> Callable[[], Any]:
    """``adapters.cloudevents.wsgi_app`` running a handler doing ``read(event, seen)``."""
    ce = need("adapters.cloudevents")
    seen: list[Any] = []
    return _wsgi(ce.wsgi_app(lambda event: read(event, seen)), environ(template, body), seen)


def _floor(template: dict[str, Any], body: bytes,
           read: Callable[[dict[str, Any], Any, list[Any]], None]) -> Callable[[], Any]:
    """Plain environ reads: ``read(environ, parsed body, seen)``, then a 204."""
    seen: list[Any] = []

    def app(env: dict[str, Any], start_response: Any) -> Any:
        read(env, json.loads(env["wsgi.input"].read(int(env["CONTENT_LENGTH"]))), seen)
        start_response("204 No Content", [])
        return [b""]

    return _wsgi(app, environ(template, body), seen)


def _read_message(message: Any, seen: list[Any]) -> None:
    seen.extend((message.id, message.type, message.data))


def _floor_pubsub(message: Any, ce_type: str, seen: list[Any]) -> None:
    seen.extend((message["messageId"], ce_type, json.loads(base64.b64decode(message["data"]))))


def _pubsub_polyfn() -> Callable[[], Any]:
    return _polyfn(_PUBSUB, PUBSUB_BODY, _read_message)


def _pubsub_floor() -> Callable[[], Any]:
    return _floor(_PUBSUB, PUBSUB_BODY,
                  lambda env, body, seen: _floor_pubsub(body["message"], env["HTTP_CE_TYPE"],
                                                        seen))


def _werkzeug(template: dict[str, Any], body: bytes,
              read: Callable[[Any, list[Any]], None]) -> Callable[[], Any]:
    """What a WSGI app without polyfn writes: werkzeug's request, ``from_http``,
    ``read(event, seen)``, a werkzeug 204."""
    wrappers = need("werkzeug.wrappers")
    http = need("cloudevents.http")
    request_class, response_class, from_http = wrappers.Request, wrappers.Response, http.from_http
    seen: list[Any] = []

    def app(env: dict[str, Any], start_response: Any) -> Any:
        request = request_class(env)
        read(from_http(request.headers, request.get_data()), seen)
        return response_class(status=204)(env, start_response)

    return _wsgi(app, environ(template, body), seen)


def _read_pubsub(event: Any, seen: list[Any]) -> None:
    message = event.data["message"]
    seen.extend((message["messageId"], event["type"],
                 json.loads(base64.b64decode(message["data"]))))


def _pubsub_werkzeug() -> Callable[[], Any]:
    return _werkzeug(_PUBSUB, PUBSUB_BODY, _read_pubsub)


# -- Cloud Storage ------------------------------------------------------------------------

def _read_storage(event: Any, seen: list[Any]) -> None:
    seen.extend((event.id, event.type, event.bucket, event.key, event.size))


def _gcs_polyfn() -> Callable[[], Any]:
    return _polyfn(_GCS, GCS_BODY, _read_storage)


def _read_gcs(event: Any, seen: list[Any]) -> None:
    data = event.data
    seen.extend((event["id"], event["type"], data["bucket"], data["name"], int(data["size"])))


def _gcs_werkzeug() -> Callable[[], Any]:
    return _werkzeug(_GCS, GCS_BODY, _read_gcs)


def _gcs_floor() -> Callable[[], Any]:
    return _floor(_GCS, GCS_BODY, lambda env, data, seen: seen.extend((
        env["HTTP_CE_ID"], env["HTTP_CE_TYPE"], data["bucket"], data["name"],
        int(data["size"]))))

# -- Pub/Sub, structured mode -------------------------------------------------------------

#: The same Pub/Sub event as one JSON document (application/cloudevents+json).
_STRUCTURED = {key: value for key, value in _PUBSUB.items() if not key.startswith("HTTP_CE_")}
_STRUCTURED["CONTENT_TYPE"] = "application/cloudevents+json"
STRUCTURED_BODY = json.dumps({
    "specversion": "1.0", "id": _PUBSUB["HTTP_CE_ID"], "source": _PUBSUB["HTTP_CE_SOURCE"],
    "type": _PUBSUB["HTTP_CE_TYPE"], "time": _PUBSUB["HTTP_CE_TIME"],
    "datacontenttype": "application/json", "data": json.loads(PUBSUB_BODY),
}).encode()


def _structured_polyfn() -> Callable[[], Any]:
    return _polyfn(_STRUCTURED, STRUCTURED_BODY, _read_message)


def _structured_werkzeug() -> Callable[[], Any]:
    return _werkzeug(_STRUCTURED, STRUCTURED_BODY, _read_pubsub)


def _structured_floor() -> Callable[[], Any]:
    return _floor(_STRUCTURED, STRUCTURED_BODY,
                  lambda env, event, seen: _floor_pubsub(event["data"]["message"],
                                                         event["type"], seen))

# -- Pub/Sub, the CloudEvent functions-framework hands a cloud_event function -----------

def _ff_event() -> Callable[[], Any]:
    """A new ``cloudevents.http.CloudEvent`` per call, as functions-framework builds
    it from the request (``from_http``) before calling the function."""
    http = need("cloudevents.http")
    headers = {key[5:].replace("_", "-").lower(): value for key, value in _PUBSUB.items()
               if key.startswith("HTTP_CE_")}
    headers["content-type"] = "application/json"
    from_http = http.from_http
    return lambda: from_http(headers, PUBSUB_BODY)


def _ff_canon(result: Any) -> Any:
    return result


def _ff_polyfn() -> Callable[[], Any]:
    gcp = need("adapters.gcp")
    seen: list[Any] = []

    def handle(message: Any) -> None:
        seen.extend((message.id, message.type, message.data))

    function, make = gcp.cloudevent_function(handle), _ff_event()

    def call() -> Any:
        seen.clear()
        function(make())
        return tuple(seen)

    return call


def _ff_native() -> Callable[[], Any]:
    seen: list[Any] = []
    make = _ff_event()

    def function(event: Any) -> None:
        _read_pubsub(event, seen)

    def call() -> Any:
        seen.clear()
        function(make())
        return tuple(seen)

    return call


_PEER = "werkzeug+from_http"
_TARGETS = (Target(_PEER, ratio=0.8), Target("floor", ratio=2.0))

def _through_wsgi(name: str, title: str, *sides: Callable[[], Callable[[], Any]]) -> Scenario:
    """A WSGI row: polyfn, werkzeug+from_http and the floor, all compared by ``_canon``."""
    polyfn, peer, floor = sides
    return Scenario(name=name, title=title, polyfn=Impl("polyfn", polyfn, canon=_canon),
                    peers=(Impl(_PEER, peer, canon=_canon),),
                    floor=Impl("raw-environ", floor, canon=_canon), targets=_TARGETS)


SCENARIOS = (
    _through_wsgi("cloudevents.pubsub-binary",
                  "Pub/Sub messagePublished, binary-mode CloudEvent through WSGI",
                  _pubsub_polyfn, _pubsub_werkzeug, _pubsub_floor),
    _through_wsgi("cloudevents.pubsub-structured",
                  "Pub/Sub messagePublished, structured-mode CloudEvent through WSGI",
                  _structured_polyfn, _structured_werkzeug, _structured_floor),
    Scenario(
        name="gcp.pubsub-cloudevent-function",
        title="Pub/Sub CloudEvent object (as functions-framework builds it) through "
              "cloudevent_function",
        polyfn=Impl("polyfn", _ff_polyfn, canon=_ff_canon),
        peers=(Impl("functions-framework", _ff_native, canon=_ff_canon),),
        targets=(Target("functions-framework", extra_us=5.0),),
    ),
    _through_wsgi("cloudevents.gcs-binary",
                  "Cloud Storage object finalized, binary-mode CloudEvent through WSGI",
                  _gcs_polyfn, _gcs_werkzeug, _gcs_floor),
)
#: The scenarios by name, for ``python -m benchmarks.instructions cloudevents_http:BINARY``.
BINARY, STRUCTURED, FUNCTION, GCS = SCENARIOS
