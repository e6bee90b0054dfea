"""The dev server's WSGI application: three routes, chosen by path and headers only
(never by sniffing the body), so what happens to a request is predictable:

1. ``POST /_polyfn/invoke`` and ``/_polyfn/invoke/{aws|azure|gcp|cloudevents}``: a
   raw provider payload (``_raw.py``). Other ``/_polyfn/`` paths are reserved (404).
2. A CloudEvent: a ``ce-specversion`` header (binary mode), or a Content-Type of
   ``application/cloudevents+json`` / ``application/cloudevents-batch+json``, or the
   ``OPTIONS`` webhook handshake (``WebHook-Request-Origin``): served by
   ``adapters.cloudevents.wsgi_app``.
3. Anything else: a plain HTTP request to the handler (``_http.py``).
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from typing import Any

from adapters._cli.handlers import WatchedHandler
from adapters._cli.output import one_line
from sdk.adapter import Rendered, problem

from ._http import serve_http
from ._log import EventLog, LoggedFunction
from ._raw import INVOKE, invoke_raw

__all__ = ["RESERVED", "DevApp", "dev_app", "route_of"]

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
#: The path prefix the server keeps for itself.
RESERVED = "/_polyfn/"
_CLOUDEVENT_TYPES = ("application/cloudevents+json", "application/cloudevents-batch+json")


def route_of(environ: dict[str, Any]) -> str:
    """``invoke``, ``reserved``, ``cloudevents`` or ``http`` for one request."""
    path = environ.get("PATH_INFO") or "/"
    if path == INVOKE or path.startswith(INVOKE + "/"):
        return "invoke"
    if path.startswith(RESERVED):
        return "reserved"
    media = (environ.get("CONTENT_TYPE") or "").split(";", 1)[0].strip().lower()
    if ("HTTP_CE_SPECVERSION" in environ or media in _CLOUDEVENT_TYPES
            or (environ.get("REQUEST_METHOD") == "OPTIONS"
                and "HTTP_WEBHOOK_REQUEST_ORIGIN" in environ)):
        return "cloudevents"
    return "http"


class _Captured:
    """A WSGI response collected in memory (status line, headers, body)."""

    def __init__(self) -> None:
        self.status = "500 Internal Server Error"
        self.headers: list[tuple[str, str]] = []

    def start_response(self, status: str, headers: list[tuple[str, str]],
                       exc_info: Any = None) -> Callable[[bytes], object]:
        self.status, self.headers = status, list(headers)
        return lambda data: None

    @property
    def code(self) -> int:
        return int(self.status.split(" ", 1)[0])


def _problem_detail(captured: _Captured, body: bytes) -> str:
    """The ``detail`` of a problem+json answer, for the log line."""
    kind = next((v for k, v in captured.headers if k.lower() == "content-type"), "")
    if captured.code < 400 or "problem+json" not in kind:
        return ""
    try:
        return one_line(str(json.loads(body).get("detail") or ""))
    except (ValueError, AttributeError):
        return ""


def _rendered_app(rendered: Rendered) -> WSGIApp:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        from werkzeug.http import HTTP_STATUS_CODES

        start_response(f"{rendered.status} {HTTP_STATUS_CODES.get(rendered.status, '')}",
                       [*rendered.headers, ("Content-Length", str(len(rendered.body)))])
        return [rendered.body]

    return app


class DevApp:
    """The WSGI application ``polyfn serve`` runs for one handler."""

    def __init__(self, handler: WatchedHandler, log: EventLog) -> None:
        from adapters.cloudevents import wsgi_app

        self.handler = handler
        self.log = log
        self.fn = LoggedFunction(handler.function, log)
        self.cloudevents = wsgi_app(self.fn)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        started = time.perf_counter()
        self.handler.errors.clear()  # what the handler raised, for this request only
        route = route_of(environ)
        captured = _Captured()
        try:
            target, note = self._pick(route, environ)
            body = b"".join(target(environ, captured.start_response))
        except Exception as exc:  # a bug in polyfn itself: answer, and show it
            traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
            target, note = _rendered_app(problem(500, "Internal Server Error",
                                                 "polyfn serve failed; see its output")), ""
            body = b"".join(target(environ, captured.start_response))
        note = " ".join(filter(None, (note, _problem_detail(captured, body))))
        self.log.request(environ.get("REQUEST_METHOD") or "GET", _path(environ),
                         captured.code, note, (time.perf_counter() - started) * 1000,
                         plain=route == "http")
        start_response(captured.status, captured.headers)
        return [body]

    def _pick(self, route: str, environ: dict[str, Any]) -> tuple[WSGIApp, str]:
        """The app answering this request, and the note for its log line."""
        if route == "invoke":
            return self._invoke(environ)
        if route == "reserved":
            return _rendered_app(problem(404, "Not Found", f"{RESERVED} is reserved for "
                                         f"polyfn; POST provider payloads to {INVOKE}")), ""
        if route == "cloudevents":
            return self.cloudevents, "cloudevents"
        return lambda env, start: serve_http(self.fn, env)(env, start), ""

    def _invoke(self, environ: dict[str, Any]) -> tuple[WSGIApp, str]:
        from werkzeug.wrappers import Request

        if environ.get("REQUEST_METHOD") != "POST":
            return _rendered_app(problem(405, "Method Not Allowed",
                                         f"POST provider payloads to {INVOKE}")), ""
        provider = (environ.get("PATH_INFO") or "")[len(INVOKE):].strip("/")
        rendered, note = invoke_raw(self.handler, self.fn, provider, Request(environ).get_data())
        return _rendered_app(rendered), note


def dev_app(handler: WatchedHandler, log: EventLog) -> WSGIApp:
    """The WSGI application ``polyfn serve`` runs for ``handler``."""
    return DevApp(handler, log)


def _path(environ: dict[str, Any]) -> str:
    """The request line's target: the query's names only, its values redacted
    (``POLYFN_LOG_REDACT=0`` logs them, for local debugging)."""
    from sdk.adapter import redact_query
    from sdk.adapter import redaction_enabled as enabled

    query = environ.get("QUERY_STRING")
    path = environ.get("PATH_INFO") or "/"
    if not query:
        return path
    return f"{path}?{redact_query(query) if enabled() else query}"
