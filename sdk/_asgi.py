"""``sdk.asgi(app)``: an ASGI 3 application (FastAPI, Starlette, Django...) as a
polyfn HTTP handler, so it runs through every provider's HTTP entry point.

https://asgi.readthedocs.io/en/latest/specs/www.html — the scope is built from
the uniform :class:`~sdk.HTTPRequest` (``sdk._web`` says how), one per request;
headers, query and client straight from the provider's payload where the request's
view has them there as the scope wants them (``HTTPRequest._sent_scope``: HTTP API
and function URLs), by the same rules:

* ``path`` is the path the client requested (``root_path`` + the route path), as
  uvicorn gives it and Starlette and Django strip again; ``root_path`` is the
  API Gateway stage or Azure route prefix the platform put before the routes, so
  ``url_for`` builds URLs that work from outside.
* ``http.request`` messages carry the body in 64 KiB chunks (``more_body``); after
  the body, ``receive()`` waits until the response is complete, then says
  ``http.disconnect``.
* The response (status, headers, every ``Set-Cookie``, the body chunks joined) is
  returned when the app's coroutine returns, so background tasks (Starlette's run
  after the body is sent) are done before the invocation ends: Lambda freezes the
  environment the moment it returns.
* The app runs on one loop per process (``sdk._loop``); lifespan per
  ``sdk._lifespan``. An exception from the app, or an app that returns without a
  complete response, goes to polyfn's handler-error path: 500 problem+json, the
  traceback in the logs only.
"""

from __future__ import annotations

import asyncio
import re
from types import CoroutineType as _Coroutine
from typing import Any
from urllib.parse import quote

from . import _loop, _tracing
from ._context import Context
from ._http import HTTPRequest
from ._lifespan import Lifespan
from ._response import Rendered, textual
from ._web import AppBridge, _remember, asgi_headers, query_string, request_path, sent_fields
from .errors import ConfigurationError

__all__ = ["ASGIHandler", "asgi"]

_MODES = ("auto", "on", "off")
_CHUNK = 64 * 1024
#: spec 2.4: ``send`` would raise once the client is gone (it never is here), so
#: Starlette need not listen for a disconnect beside a streaming response.
_SPEC = "2.4"
#: Characters a path keeps unescaped in ``raw_path`` (RFC 3986 pchar and ``/``).
_SAFE = "/:@!$&'()*+,;=-._~"
_PLAIN_PATH = re.compile(r"[A-Za-z0-9/:@!$&'()*+,;=._~-]*\Z").match
_new = object.__new__


def http_scope(request: HTTPRequest[Any], state: dict[str, Any] | None, *,
               sent: bool = True) -> dict[str, Any]:
    """The ASGI HTTP connection scope for ``request``: headers, query and client
    read from the provider's payload where the request's view has them there
    (``HTTPRequest._sent_scope``, ``sdk._web.sent_fields``), else (or with
    ``sent=False``: the tests compare the two) from the request's fields."""
    root, path = request_path(request)
    full = root + path if root else path
    found = sent_fields(request) if sent else None
    if found is None:
        headers, proto, addressed = asgi_headers(request)
        query = query_string(request)
        address = request.source_ip
    else:
        headers, proto, addressed, query, address = found
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": _SPEC},
        "http_version": "1.1",
        "method": request.method,
        "scheme": proto,
        "path": full,
        "raw_path": _RAW.get(full) or _raw_path(full),
        "query_string": query.encode("ascii"),
        "root_path": root,
        "headers": headers,
        "client": (address, 0) if address else None,
        "server": addressed,
        "extensions": {},
    }
    if state is not None:
        scope["state"] = state.copy()
    return scope


#: Paths requested -> their ``raw_path``: a warm instance sees the same few
#: (bounded: cleared when full).
_RAW: dict[str, bytes] = {}


def _raw_path(path: str) -> bytes:
    raw = (path if _PLAIN_PATH(path) else quote(path, safe=_SAFE)).encode("ascii")
    return _remember(_RAW, path, raw)  # type: ignore[no-any-return]


class _Cycle:
    """One request/response exchange: ``receive`` and ``send`` for the app. The
    response's header pairs are kept as the app sent them and read once, when the
    response is complete (:meth:`rendered`)."""

    __slots__ = ("body", "chunks", "done", "finished", "headers", "offset", "status")

    body: bytes
    offset: int | None  # None once the whole body was received
    status: int | None
    headers: Any  # the app's (name, value) byte pairs
    chunks: list[bytes]
    done: Any  # an asyncio.Event, made only if the app waits on it
    finished: bool  # the response is complete

    async def receive(self) -> dict[str, Any]:
        offset = self.offset
        if offset is not None:
            body = self.body
            if offset == 0 and len(body) <= _CHUNK:  # the common case: one message
                self.offset = None
                return {"type": "http.request", "body": body, "more_body": False}
            end = offset + _CHUNK
            more = end < len(body)
            self.offset = end if more else None
            return {"type": "http.request", "body": body[offset:end], "more_body": more}
        if not self.finished:
            if self.done is None:
                import asyncio

                self.done = asyncio.Event()
            await self.done.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == "http.response.body":
            if self.status is None:
                raise RuntimeError("the app sent a body before http.response.start")
            body = message.get("body")
            if body:
                self.chunks.append(body if body.__class__ is bytes else bytes(body))
            if not message.get("more_body", False):  # complete
                self.offset = None
                self.finished = True
                if self.done is not None:
                    self.done.set()
        elif kind == "http.response.start":
            if self.status is not None:
                raise RuntimeError("the app sent http.response.start twice")
            self.status = int(message["status"])
            self.headers = message.get("headers") or ()

    def rendered(self) -> Rendered:
        """The response, read from the messages in one pass: every ``Set-Cookie``
        apart, and its Content-Type kept (:class:`_Sent`), so an adapter reading
        it or the text (``sdk._response.textual``) looks for nothing."""
        if not self.finished or self.status is None:
            raise RuntimeError("the ASGI app returned without completing its response")
        headers: list[tuple[str, str]] = []
        cookies: list[str] = []
        ctype = None
        for name, value in self.headers:
            key = name.decode("latin-1")
            lower = key.lower()
            if lower == "set-cookie":
                cookies.append(value.decode("latin-1"))
                continue
            text = value.decode("latin-1")
            if lower == "content-type" and ctype is None:
                ctype = text
            headers.append((key, text))
        chunks = self.chunks
        sent = _new(_Sent)  # Rendered's fields set here: no __init__ frame, every request
        sent.status = self.status
        sent.headers = headers
        sent.cookies = cookies
        sent._body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        sent._text = None
        sent._ctype = ctype
        return sent


class _Sent(Rendered):
    """A response read from an app's messages: its Content-Type found in that one
    pass, so neither :attr:`content_type` nor :meth:`text` looks for it again, and
    the text decoded only for an adapter that sends text (not Azure's bytes)."""

    __slots__ = ("_ctype",)

    _ctype: str | None

    @property
    def content_type(self) -> str | None:
        return self._ctype

    def text(self) -> str | None:
        text = self._text
        if text is None and textual(self._ctype):
            try:
                text = self._text = self.body.decode("utf-8")
            except UnicodeDecodeError:
                return None
        return text


class ASGIHandler(AppBridge):
    """A polyfn HTTP handler that serves requests with an ASGI app (``sdk.asgi``)."""

    def __init__(self, app: Any, *, lifespan: str = "auto") -> None:
        if callable(app) and lifespan not in _MODES:
            raise ConfigurationError(f"sdk.asgi: lifespan must be one of {', '.join(_MODES)}, "
                                     f"not {lifespan!r}")
        super().__init__(app, "sdk.asgi needs an ASGI application")
        self.lifespan = Lifespan(app, lifespan) if lifespan != "off" else None

    def startup(self) -> None:
        """Run the app's lifespan startup now (it runs on the first request otherwise)."""
        if self.lifespan is not None:
            self.lifespan.ensure()

    def handle(self, request: HTTPRequest[Any], context: Context) -> Rendered:
        if not isinstance(request, HTTPRequest):
            self.check(request)  # raises WrongKindError: a 415
        body = request.body  # a malformed body answers 400 before the app runs
        lifespan = self.lifespan
        if lifespan is not None:
            lifespan.ensure()  # at once when started (and not forked since)
            scope = http_scope(request, lifespan.state if lifespan.supported else None)
        else:
            scope = http_scope(request, None)
        scope["polyfn.request"] = request
        scope["polyfn.context"] = context
        cycle = _new(_Cycle)  # its fields set here: no __init__ frame, every request
        cycle.body = body
        cycle.offset = 0
        cycle.status = None
        cycle.headers = ()
        cycle.chunks = []
        cycle.done = None
        cycle.finished = False
        app = self.app(scope, cycle.receive, cycle.send)
        try:  # the app's coroutine is the task: no frame around it at each resumption
            _loop.run(app if app.__class__ is _Coroutine else _awaited(app))
        finally:
            done = cycle.done
            if done is not None and not done.is_set():  # the response is not complete
                done.set()  # a listener still waiting learns the client is gone,
                _loop.run(asyncio.sleep(0))  # and gets one turn of the loop before the end
        rendered = cycle.rendered()
        if _tracing._tracer:  # traced: the framework's matched route (sdk._tracing_web)
            from ._tracing_web import asgi_route

            asgi_route(scope)
        return rendered

    #: What adapters run (``AppBridge.call``, its kind check in ``handle``): one frame less.
    call = handle  # type: ignore[assignment]


async def _awaited(app: Any) -> None:
    """An app's awaitable that is not a coroutine, as a coroutine (a task needs one)."""
    await app


def asgi(app: Any, *, lifespan: str = "auto") -> ASGIHandler:
    """A polyfn HTTP handler serving ``app`` (ASGI 3): ``handler =
    lambda_handler(sdk.asgi(app))``, ``bind(sdk.asgi(app), "req")``...

    ``lifespan``: ``"auto"`` runs the app's lifespan when it speaks it, ``"on"``
    requires it, ``"off"`` never sends it.
    """
    return ASGIHandler(app, lifespan=lifespan)
