"""HTTP functions on Google Cloud: the ``flask.Request`` functions-framework passes in,
a werkzeug ``Response`` back.

The request is wrapped, not copied: headers are read from werkzeug's
``EnvironHeaders`` and the query from ``request.args`` when first used, the body
with ``get_data(cache=True)`` when first read. A WSGI server joins a header sent
several times into one comma-separated value; it is kept as it arrived.

Two senders call HTTP functions with events of their own, and a handler that takes
that kind gets it (any other handler gets the :class:`HTTPRequest`):

* Cloud Scheduler HTTP targets send ``X-CloudScheduler: true``,
  ``X-CloudScheduler-JobName`` and, for unix-cron jobs,
  ``X-CloudScheduler-ScheduleTime`` (https://cloud.google.com/scheduler/docs/reference/rest/v1/projects.locations.jobs#HttpTarget):
  a ``Schedule`` handler gets a :class:`Schedule` (``schedule`` = job name,
  ``scheduled_time`` parsed, ``data`` the job's body).
* Pub/Sub push subscriptions POST ``{"message", "subscription"}``
  (https://cloud.google.com/pubsub/docs/push): a ``Message`` handler gets the
  :class:`Message`. A 2xx answer acknowledges it; a failure answers 500 (bad data
  400/422), which Pub/Sub retries up to the subscription's dead-letter policy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

from adapters._http import HTTPTrigger, forwarded_client
from adapters._time import decode_time
from sdk import Context, Event, Function, Headers, HTTPRequest, Message, Query, Schedule
from sdk.adapter import Rendered
from sdk.errors import EventDecodeError

from ._legacy import PubSubPush, attempt, push_event

__all__ = ["HTTP", "request_id"]

_SCHEDULER = "gcp.scheduler"
_PUSH = PubSubPush()


class _Later(Iterable[tuple[str, str]]):
    """Pairs produced by ``factory`` when first iterated (``request.args`` parses
    the query string on first access)."""

    __slots__ = ("_factory",)

    def __init__(self, factory: Callable[[], Iterable[tuple[str, str]]]) -> None:
        self._factory = factory

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._factory())


def request_id(headers: Any) -> str | None:
    """``Function-Execution-Id`` (set by the platform, or by functions-framework when
    absent), else the trace id of ``X-Cloud-Trace-Context``."""
    execution = headers.get("Function-Execution-Id")
    if execution:
        return str(execution)
    trace = headers.get("X-Cloud-Trace-Context") or ""
    return trace.split("/", 1)[0] or None


def _client(raw: Any) -> str | None:
    """Google's front end appends the client it saw to ``X-Forwarded-For``: its
    right-most entry (:func:`~adapters._http.forwarded_client`); ``remote_addr`` is
    then the last proxy, never the client. Without the header (functions-framework
    run locally) nothing stands between, and ``remote_addr`` is the client."""
    headers = raw.headers
    getlist = getattr(headers, "getlist", None)
    sent = getlist("X-Forwarded-For") if getlist is not None else headers.get("X-Forwarded-For")
    return forwarded_client(sent) or raw.remote_addr


class HTTP(HTTPTrigger):
    """An HTTP function (``--signature-type http``): a ``flask.Request``."""

    name = "gcp.http"
    semantics = ("Returns the handler's Response (or plain value) as the HTTP response; "
                 "bad input answers 400/422 problem+json, a handler error 500 problem+json.")

    def matches(self, raw: Any) -> bool:
        return hasattr(raw, "environ") and callable(getattr(raw, "get_data", None))

    def request(self, raw: Any) -> HTTPRequest[Any]:
        unproxy = getattr(raw, "_get_current_object", None)  # ``flask.request`` itself
        if unproxy is not None:
            raw = unproxy()
        headers = raw.headers
        path = raw.path
        return HTTPRequest(
            method=raw.method,
            path=path,
            headers=Headers(pairs=headers),  # EnvironHeaders iterates (name, value) pairs
            query=Query(pairs=_Later(lambda: raw.args.items(multi=True))),
            body=lambda: raw.get_data(cache=True),
            source_ip=_client(raw),
            provider="gcp", trigger=self.name, id=request_id(headers), source=raw.host,
            subject=path, data_content_type=raw.content_type, raw=raw, native=lambda: raw,
        )

    def event_for(self, fn: Function[Any], raw: Any, context: Context) -> Event[Any]:
        request = self.request(raw)
        if issubclass(fn.kind, Schedule):
            return self._schedule(request)
        if issubclass(fn.kind, Message):
            return self._message(request, context)
        return request

    def _schedule(self, request: HTTPRequest[Any]) -> Schedule[Any]:
        headers = request.headers
        if (headers.get("X-CloudScheduler") or "").lower() != "true":
            raise EventDecodeError(_SCHEDULER, "the handler takes schedule events, but the "
                                   "request is not from Cloud Scheduler",
                                   keys=["X-CloudScheduler"])
        return Schedule(
            schedule=headers.get("X-CloudScheduler-JobName"),
            scheduled_time=_schedule_time(headers.get("X-CloudScheduler-ScheduleTime")),
            provider="gcp", trigger=_SCHEDULER, id=request.id, subject=request.path,
            payload=lambda: request.body, data_content_type=headers.get("content-type"),
            raw=request.raw, native=lambda: request.raw,
        )

    def _message(self, request: HTTPRequest[Any], context: Context) -> Event[Any]:
        body = request.json()
        if not _PUSH.matches(body):
            keys = sorted(str(k) for k in body) if isinstance(body, dict) else ()
            raise EventDecodeError(PubSubPush.name, "the handler takes messages, but the "
                                   "request body is not a Pub/Sub push body", keys=keys)
        context.attempt = attempt(body)
        return push_event(body, request.path)

    def encode(self, result: Rendered, raw: Any) -> Any:
        from werkzeug.wrappers import Response

        response = Response(result.body, status=result.status, headers=result.header_pairs())
        if result.content_type is None:  # werkzeug adds text/plain by default
            del response.headers["Content-Type"]
        return response


def _schedule_time(value: str | None) -> datetime | None:
    """Sent for unix-cron jobs only; ``None`` otherwise (never the time of receipt)."""
    return decode_time(value, _SCHEDULER, "X-CloudScheduler-ScheduleTime")
