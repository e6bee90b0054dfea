"""The Google Cloud entry points and detection (``adapters.gcp`` re-exports them;
see its docstring). Loaded on first use of any of them, not by ``import
adapters.gcp``: a Google CloudEvent decoded by another adapter needs only the
type tables (``_events``, ``_changes``)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import partial
from typing import Any

from adapters._http import refusal, wrong_kind
from adapters._tracing import Events
from adapters._tracing import invoke as _invoke
from adapters._trigger import Trigger
from adapters._trigger import detect as _detect
from sdk import Context, Event, as_function
from sdk.errors import WrongKindError

from ._cloudevent import CloudEvent, StructuredCloudEvent, run_events
from ._context import gcp_context
from ._context import trace_context as _trace_context
from ._http import HTTP, request_id
from ._legacy import Background, PubSubPush, attempt, push_event

__all__ = [
    "HTTP", "PROVIDER", "TRIGGERS", "Background", "CloudEvent", "PubSubPush",
    "StructuredCloudEvent", "background_function", "cloudevent_function", "decode", "detect",
    "gcp_context", "http_function",
]

from . import PROVIDER

#: Every Google Cloud trigger, in the order detection tries them (predicates do not
#: overlap): a flask request, a CloudEvent object, then the JSON payload shapes.
TRIGGERS: tuple[Trigger, ...] = (
    HTTP(),
    CloudEvent(),
    StructuredCloudEvent(),
    Background(),
    PubSubPush(),
)
_HTTP, _CLOUDEVENT, _STRUCTURED, _BACKGROUND, _PUSH = TRIGGERS
#: The triggers a plain dict can match: a flask request or a CloudEvent object is
#: never one, so a JSON payload skips their attribute probes. 1st-gen events, what
#: a deployed background function receives, are tried first (no two overlap).
_JSON_TRIGGERS = (_BACKGROUND, _STRUCTURED, _PUSH)
#: What the event functions run: the events they decoded, described for tracing by
#: the ``gcp.events`` row; a failure line names the trigger.
_CLOUDEVENT_EVENTS = Events("gcp.events", partial(run_events, trigger=_CLOUDEVENT.name))
_BACKGROUND_EVENTS = Events("gcp.events", partial(run_events, trigger=Background.name))


def detect(raw: Any) -> Trigger:
    """The trigger that produced ``raw``; :class:`UnsupportedEventError` if none."""
    return _detect(PROVIDER, _JSON_TRIGGERS if type(raw) is dict else TRIGGERS, raw)


def decode(raw: Any, context: Context | None = None) -> list[Event[Any]]:
    """The uniform events in a Google Cloud payload (the translation alone): a flask
    request, a CloudEvent object or structured JSON, a 1st-gen event, a push body."""
    return detect(raw).decoded(raw, context)


def _current_request() -> Any:
    """The flask request being served, if flask is loaded and serving one."""
    flask = sys.modules.get("flask")
    if flask is None or not flask.has_request_context():
        return None
    return flask.request


def http_function(handle: Callable[..., Any]) -> Callable[[Any], Any]:
    """A ``functions_framework.http`` target running ``handle``: it returns a werkzeug
    ``Response``; bad input answers 400/422 problem+json, a handler error 500."""
    fn = as_function(handle)

    def function(request: Any) -> Any:
        headers = request.headers
        context = gcp_context(request_id=request_id(headers), **_trace_context(headers),
                              raw=request)
        return _invoke(_HTTP, fn, request, context)

    function.__wrapped__ = fn  # type: ignore[attr-defined]
    return function


def cloudevent_function(handle: Callable[..., Any]) -> Callable[[Any], None]:
    """A ``functions_framework.cloud_event`` target running ``handle``. A handler
    exception propagates: functions-framework answers 500 and the event is retried.

    A CloudEvent of a kind the handler does not take (an ``HTTPRequest`` handler
    deployed with an Eventarc trigger) runs nothing: one ``event refused`` line, then,
    under functions-framework, the 415 problem+json every HTTP entry point answers
    (raised as a werkzeug ``HTTPException``, which flask renders as it is, as
    functions-framework's own ``abort(400)`` is); called directly, the
    :class:`~sdk.errors.WrongKindError`.
    """
    fn = as_function(handle)

    def function(cloud_event: Any) -> None:
        request = _current_request()
        context = _served_context(request, cloud_event.get("id"), cloud_event.data,
                                  cloud_event, cloud_event.get("traceparent"))
        events = _CLOUDEVENT.decoded(cloud_event, context)
        refused = refusal(fn, events)
        if refused is not None:
            context.logger.error("event refused", trigger=_CLOUDEVENT.name, reason=str(refused))
            raise _refusal_answer(refused, request)
        _invoke(_CLOUDEVENT_EVENTS, fn, events, context)

    function.__wrapped__ = fn  # type: ignore[attr-defined]
    return function


def _served_context(request: Any, event_id: Any, payload: Any, raw: Any,
                    traceparent: Any = None) -> Context:
    """The context of an event function's call: the request id from the request being
    served (functions-framework's flask request, when there is one), else the event's
    id; the trace from its headers (or the event's ``traceparent``); the delivery
    attempt ``payload`` carries."""
    headers = request.headers if request is not None else None
    return gcp_context(
        request_id=(request_id(headers) if headers is not None else None) or event_id,
        **_trace_context(headers, traceparent), attempt=attempt(payload), raw=raw)


def _refusal_answer(refused: WrongKindError, request: Any) -> Exception:
    """What ``cloudevent_function`` raises for ``refused``: inside a flask request an
    ``HTTPException`` carrying the 415 response (functions-framework lets it reach
    flask, which answers with it), else the error itself."""
    if request is None:
        return refused
    from werkzeug.exceptions import UnsupportedMediaType

    return UnsupportedMediaType(response=_HTTP.encode(wrong_kind(refused), request))


def background_function(handle: Callable[..., Any]) -> Callable[[Any, Any], None]:
    """A 1st-gen background function target, ``(data, context)``, running ``handle``
    on the uniform event its 2nd-gen twin would give. A handler exception
    propagates: functions-framework answers 500 and the event is retried."""
    fn = as_function(handle)

    def function(data: Any, context: Any) -> None:
        request = _current_request()
        raw, events = _background_events(data, context, request)
        ctx = _served_context(request, getattr(context, "event_id", None), raw, context)
        _invoke(_BACKGROUND_EVENTS, fn, events, ctx)

    function.__wrapped__ = fn  # type: ignore[attr-defined]
    return function


def _background_events(data: Any, context: Any, request: Any) -> tuple[Any, list[Event[Any]]]:
    """The payload of a background call and its events.

    functions-framework's ``BackgroundEvent`` keeps only ``eventId``, ``timestamp``,
    ``eventType`` and ``resource``: a Firebase RTDB event's ``domain`` (the
    CloudEvent source's location), a push body's ``subscription`` and
    ``deliveryAttempt`` and its endpoint path (the topic) are gone from
    ``(data, context)``. So the request being served is decoded as it arrived; a
    binary-mode CloudEvent sent to an ``event`` function is read as the CloudEvent
    it is, and so is a structured one (functions-framework would read its top-level
    keys as a flat 1st-gen event). Called directly, ``(data, context)`` is all there is.
    """
    if request is not None:
        if request.headers.get("ce-specversion"):
            from cloudevents.http import from_http

            event = from_http(request.headers, request.get_data())
            return event.data, _CLOUDEVENT.decoded(event)
        body = request.get_json(silent=True)
        if _PUSH.matches(body):
            return body, [push_event(body, request.path)]
        if _BACKGROUND.matches(body):
            return body, _BACKGROUND.decoded(body)
        if _STRUCTURED.matches(body):
            return body.get("data"), _STRUCTURED.decoded(body)
    legacy = {"context": {"eventId": getattr(context, "event_id", None),
                          "timestamp": getattr(context, "timestamp", None),
                          "eventType": getattr(context, "event_type", None),
                          "resource": getattr(context, "resource", None)},
              "data": data}
    return data, _BACKGROUND.decoded(legacy)
