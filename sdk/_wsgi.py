"""``sdk.wsgi(app)``: a WSGI application (Flask, Django...) as a polyfn HTTP handler.

PEP 3333 (https://peps.python.org/pep-3333/). The environ comes from the uniform
:class:`~sdk.HTTPRequest` by the rules ``sdk._web`` shares with ``sdk.asgi``:

* ``SCRIPT_NAME`` is the request's root path (API Gateway stage, Azure route
  prefix) and ``PATH_INFO`` the route path, both "native strings" (the UTF-8
  bytes of the decoded path, read as latin-1, as the PEP requires).
* A header sent several times is one ``HTTP_*`` value joined with ``", "``
  (RFC 9110 5.3), except ``Cookie``, joined with ``"; "`` (RFC 6265 5.4). A
  header whose name holds ``_`` is left out: CGI's ``HTTP_X_USER`` cannot tell
  ``x_user`` from ``X-User``, so a client could pass one for the other (gunicorn,
  nginx and Django's runserver drop them too).
* ``wsgi.multithread`` is true (the Azure worker and functions-framework call
  from several threads), ``wsgi.multiprocess`` true (many instances), and
  ``wsgi.run_once`` false: a warm instance serves many requests.

The response is collected whole: ``start_response`` may be called again with
``exc_info`` until a body byte exists (then the exception is re-raised); the
iterable's ``close()`` is always called. Errors take polyfn's handler-error path.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from io import BytesIO
from typing import Any

from ._context import Context
from ._http import HTTPRequest
from ._response import Rendered
from ._web import AppBridge, header_pairs, origin, query_string, request_path

__all__ = ["WSGIHandler", "environ", "wsgi"]

#: Headers CGI puts under their own keys, not ``HTTP_*``.
_OWN_KEYS = {"content-type": "CONTENT_TYPE", "content-length": "CONTENT_LENGTH"}


def _native(text: str) -> str:
    """A PEP 3333 native string: bytes as latin-1 characters."""
    return text if text.isascii() else text.encode("utf-8").decode("latin-1")


def environ(request: HTTPRequest[Any], body: bytes) -> dict[str, Any]:
    """The WSGI environ for ``request`` (``body`` is its decoded body)."""
    root, path = request_path(request)
    proto, addressed = origin(request)
    host, port = addressed or ("localhost", 443 if proto == "https" else 80)
    env: dict[str, Any] = {
        "REQUEST_METHOD": request.method,
        "SCRIPT_NAME": _native(root),
        "PATH_INFO": _native(path),
        "QUERY_STRING": query_string(request),
        "SERVER_NAME": host.strip("[]"),
        "SERVER_PORT": str(port),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": proto,
        "wsgi.input": BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if request.source_ip:
        env["REMOTE_ADDR"] = request.source_ip
    for name, value in header_pairs(request):
        if "_" in name:
            continue  # ``x_user`` would pass for ``X-User`` (see module docstring)
        key = _OWN_KEYS.get(name) or "HTTP_" + name.upper().replace("-", "_")
        value = _native(value)
        if key in env:
            value = env[key] + ("; " if name == "cookie" else ", ") + value
        env[key] = value
    if body or "CONTENT_LENGTH" in env:
        env["CONTENT_LENGTH"] = str(len(body))  # of the body the app reads, decoded
    return env


class _StartResponse:
    """``start_response`` and the ``write`` callable it returns, for one request."""

    __slots__ = ("chunks", "cookies", "headers", "status")

    def __init__(self) -> None:
        self.status: int | None = None
        self.headers: list[tuple[str, str]] = []
        self.cookies: list[str] = []
        self.chunks: list[bytes] = []

    def __call__(self, status: str, headers: list[tuple[str, str]],
                 exc_info: Any = None) -> Callable[[bytes], None]:
        if exc_info is not None:
            try:
                if self.chunks:  # the headers are as good as sent: PEP 3333 says re-raise
                    raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None  # no frame <-> traceback cycle
        elif self.status is not None:
            raise RuntimeError("start_response called twice without exc_info")
        self.status = int(status.split(" ", 1)[0])
        self.headers, self.cookies = [], []
        for name, value in headers:
            if name.lower() == "set-cookie":
                self.cookies.append(value)
            else:
                self.headers.append((name, value))
        return self.write

    def write(self, data: bytes) -> None:
        if self.status is None:
            raise RuntimeError("write() called before start_response")
        if data:
            self.chunks.append(bytes(data))

    def rendered(self) -> Rendered:
        if self.status is None:
            raise RuntimeError("the WSGI app returned without calling start_response")
        return Rendered(self.status, self.headers, self.cookies, b"".join(self.chunks))


class WSGIHandler(AppBridge):
    """A polyfn HTTP handler that serves requests with a WSGI app (``sdk.wsgi``)."""

    def __init__(self, app: Any) -> None:
        super().__init__(app, "sdk.wsgi needs a WSGI application")

    def handle(self, request: HTTPRequest[Any], context: Context) -> Rendered:
        env = environ(request, request.body)  # a malformed body: 400 before the app
        env["polyfn.request"] = request
        env["polyfn.context"] = context
        response = _StartResponse()
        result: Iterable[bytes] = self.app(env, response)
        try:
            for chunk in result:
                if chunk:
                    response.write(chunk)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return response.rendered()


def wsgi(app: Any) -> WSGIHandler:
    """A polyfn HTTP handler serving ``app`` (PEP 3333): ``handler =
    lambda_handler(sdk.wsgi(app))``, ``bind(sdk.wsgi(app), "req")``..."""
    return WSGIHandler(app)
