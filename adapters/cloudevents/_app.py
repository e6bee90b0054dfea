"""``wsgi_app(handle)`` and ``asgi_app(handle)``: serve any CloudEvents sender.

Plain WSGI (PEP 3333) and ASGI 3 callables, no framework: run them under gunicorn,
uvicorn, or mount them in an existing app for Knative, Dapr, Eventarc or Event
Grid. ``POST`` carries events (binary, structured or batched mode; answers in
``_run.py``); ``OPTIONS`` answers the CloudEvents webhook validation handshake
(https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/http-webhook.md#4-abuse-protection);
any other method is 405.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from http import HTTPStatus
from typing import Any

from adapters._context import ColdStart, PendingContext, traceparent_id
from adapters._http import refusal, wrong_kind
from adapters._tracing import Events, invoke, invoke_async
from sdk import Context, Event, Function, as_function
from sdk.adapter import Rendered, getenv, problem

from ._binding import HTTPMessage
from ._run import failure, run, run_async
from ._triggers import HTTP, PROVIDER

__all__ = ["asgi_app", "request_context", "wsgi_app"]

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]],
                   Awaitable[None]]

_TRIGGER = HTTP()
#: A delivery's events, run (in the invocation's span, when traced) to its answer.
_EVENTS = Events("cloudevents.events", run, run_async)
#: True until the process has served its first delivery.
COLD = ColdStart()


def request_context(message: HTTPMessage, events: list[Event[Any]]) -> Context:
    """The Context of one delivery: the event id (a new id for a batch), the W3C
    trace id, and the Knative service/revision (or Dapr app id) as the function,
    read from the environment when a field is first read."""
    cold = COLD.take()
    first = events[0] if events else None
    parent = message.header("traceparent") or (first.attributes.get("traceparent")
                                                    if first is not None else None)
    context = _new(_DeliveryContext)  # no __init__ frame: once per delivery
    context._pending = (
        message, cold, first.provider if first is not None else PROVIDER,
        (first.id if len(events) == 1 and first is not None else None) or _new_id(),
        traceparent_id(parent))
    return context


class _DeliveryContext(PendingContext):
    """Filled in on first read (the environment is read then)."""

    __slots__ = ()

    def _fill(self, message: HTTPMessage, cold: bool, provider: str, request_id: str,
              trace: str | None) -> None:
        Context.__init__(
            self, provider=provider, request_id=request_id,
            function_name=getenv("K_SERVICE") or getenv("APP_ID"),
            function_version=getenv("K_REVISION"),
            cold_start=cold, trace_id=trace, raw=message,
        )


_new = object.__new__


def _new_id() -> str:
    import uuid  # a batch or a malformed request only: not at cold start

    return str(uuid.uuid4())


def _early(message: HTTPMessage) -> Rendered | list[Event[Any]]:
    """The answer when there is nothing to run, else the delivery's events."""
    if message.method == "OPTIONS":
        origin = message.header("webhook-request-origin")
        headers = [("Allow", "POST, OPTIONS")]
        if origin:
            headers += [("WebHook-Allowed-Origin", origin), ("WebHook-Allowed-Rate", "*")]
        return Rendered(200, headers, [], b"")
    if message.method != "POST":
        answer = problem(405, "Method Not Allowed", "CloudEvents are delivered with POST.")
        answer.headers.append(("Allow", "POST, OPTIONS"))
        return answer
    try:
        return _TRIGGER.decoded(message)
    except Exception as exc:  # malformed: 400; e.g. google-events missing: 500, logged
        context = Context(provider=PROVIDER, request_id=_new_id(), raw=message)
        return failure(exc, context, _TRIGGER.name)


def _before_run(fn: Function[Any], message: HTTPMessage) -> Rendered | list[Event[Any]]:
    """The answer a delivery gets without running the handler (malformed, or of a
    kind it does not take), else the delivery's events."""
    events = _early(message)
    if isinstance(events, Rendered):
        return events
    refused = _refused(fn, events)
    return events if refused is None else refused


def _delivery(fn: Function[Any], message: HTTPMessage
              ) -> Rendered | tuple[list[Event[Any]], Context]:
    """The answer a delivery gets without running the handler, else its events and
    their Context, for :data:`_EVENTS`."""
    events = _before_run(fn, message)
    if isinstance(events, Rendered):
        return events
    return events, request_context(message, events)


def _refused(fn: Function[Any], events: list[Event[Any]]) -> Rendered | None:
    """415 when the handler does not take the kind of an event of the delivery (a
    CloudEvent to an ``HTTPRequest`` handler): nothing runs, and a 4xx tells the
    sender a retry cannot help (``polyfn serve`` answers the same)."""
    refused = refusal(fn, events)
    return None if refused is None else wrong_kind(refused)


def _response_headers(rendered: Rendered) -> list[tuple[str, str]]:
    headers = rendered.header_pairs()
    headers.append(("Content-Length", str(len(rendered.body))))
    return headers


_STATUS_LINES: dict[int, str] = {}


def _status_line(status: int) -> str:
    line = _STATUS_LINES.get(status)
    if line is None:  # HTTPStatus(...) is an enum lookup: once per status
        try:
            line = f"{status} {HTTPStatus(status).phrase}"
        except ValueError:
            line = f"{status} Unknown"
        if len(_STATUS_LINES) < 1000:
            _STATUS_LINES[status] = line
    return line


def wsgi_app(handle: Callable[..., Any]) -> WSGIApp:
    """A WSGI application running ``handle`` for every CloudEvent POSTed to it."""
    fn = as_function(handle)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        delivery = _delivery(fn, HTTPMessage.from_environ(environ, _read_body(environ)))
        rendered: Rendered = (delivery if isinstance(delivery, Rendered)
                              else invoke(_EVENTS, fn, *delivery))
        start_response(_status_line(rendered.status), _response_headers(rendered))
        return [rendered.body]

    app.__wrapped__ = fn  # type: ignore[attr-defined]
    return app


def _read_body(environ: dict[str, Any]) -> bytes:
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    try:
        length = int(environ.get("CONTENT_LENGTH") or -1)
    except ValueError:
        length = -1
    if length >= 0:
        return bytes(stream.read(length))
    # No length: a chunked body the server de-chunked, else none at all.
    return bytes(stream.read()) if environ.get("wsgi.input_terminated") else b""


def asgi_app(handle: Callable[..., Any]) -> ASGIApp:
    """An ASGI 3 application running ``handle`` for every CloudEvent POSTed to it.

    Async handlers run on the server's event loop, sync ones in a worker thread.
    """
    fn = as_function(handle)

    async def app(scope: Scope, receive: Callable[[], Awaitable[Any]],
                  send: Callable[[Any], Awaitable[None]]) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            raise RuntimeError(f"the CloudEvents app serves HTTP, not {scope['type']}")
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]]
        message = HTTPMessage(headers, await _receive_body(receive), scope.get("method", "GET"))
        delivery = _delivery(fn, message)
        rendered: Rendered = (delivery if isinstance(delivery, Rendered)
                              else await invoke_async(_EVENTS, fn, *delivery))
        await send({"type": "http.response.start", "status": rendered.status,
                    "headers": [(n.lower().encode("latin-1"), v.encode("latin-1"))
                                for n, v in _response_headers(rendered)]})
        await send({"type": "http.response.body", "body": rendered.body})

    app.__wrapped__ = fn  # type: ignore[attr-defined]
    return app


async def _receive_body(receive: Callable[[], Awaitable[Any]]) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _lifespan(receive: Callable[[], Awaitable[Any]],
                    send: Callable[[Any], Awaitable[None]]) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
