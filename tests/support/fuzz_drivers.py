"""Driving one payload through one provider's public entry points, and judging it.

A driver takes a (mutated) payload, calls every entry point of its provider with
every handler of :mod:`tests.support.fuzz_handlers`, and returns the problems it
saw (an empty list: the contract held):

* an exception other than the documented ones left an entry point;
* a record or request failed with such an exception (seen through the handler's
  ``ESCAPES`` and through :meth:`sdk._log.Logger.exception`, where adapters log
  what a batch record or an HTTP request failed with);
* an HTTP answer was not 2xx / 400 / 415 / 422 (a 500 only for a handler whose
  kind does not match the trigger, a :class:`ConfigurationError`), or a 4xx was
  not ``application/problem+json``;
* the CLI exited other than 0 / 2 (1 only naming a polyfn error), or with more
  than one line on stderr;
* :data:`~tests.support.mutate.MARKER` appeared in an error's text or an answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import sys
from collections.abc import Callable, Iterator
from typing import Any

from sdk._log import Logger
from sdk.errors import (
    BatchFailedError,
    ConfigurationError,
    EventDecodeError,
    PolyfnError,
    UnsupportedEventError,
)

from . import fuzz_handlers
from .fuzz_handlers import ESCAPES, HANDLERS
from .mutate import MARKER

__all__ = ["ALLOWED", "Judge"]

#: What an entry point may raise for bad input.
ALLOWED = (UnsupportedEventError, EventDecodeError, ConfigurationError, BatchFailedError)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__


class Judge:
    """Collects the problems of one payload (see the module docstring)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.problems: list[str] = []
        self.logged: list[BaseException] = []

    def fail(self, where: str, text: str) -> None:
        self.problems.append(f"{where}: {text}")

    def check_error(self, where: str, exc: BaseException) -> None:
        for item in _chain(exc):
            if not isinstance(item, ALLOWED):
                self.fail(where, f"escaped {type(item).__name__}: {_safe_str(item)[:200]}")
                return
        if isinstance(exc, ConfigurationError) and " takes " not in str(exc):
            self.fail(where, f"unexpected ConfigurationError: {exc}")
        self.check_text(where, _safe_str(exc))

    def check_text(self, where: str, text: str) -> None:
        if MARKER in text:
            self.fail(where, f"the planted value is in the text: {text[:300]!r}")

    @contextlib.contextmanager
    def watch(self, where: str) -> Iterator[None]:
        """Around one call: what the handler and the adapters' logs saw."""
        del ESCAPES[:]
        self.logged = []
        try:
            yield
        except ALLOWED as exc:
            self.check_error(where, exc)
        except Exception as exc:
            self.check_error(where, exc)
        for exc in ESCAPES:
            self.fail(where, f"reading the event raised {type(exc).__name__}: "
                      f"{_safe_str(exc)[:200]}")
        for exc in self.logged:
            if isinstance(exc, ConfigurationError):
                continue  # a handler of another kind: logged, answered 500
            self.check_error(where + " (logged)", exc)

    def check_status(self, where: str, status: int, content_type: str | None, body: bytes
                     ) -> None:
        if 200 <= status < 300 or status == 405:
            pass
        elif status in (400, 413, 415, 422):
            if not (content_type or "").startswith("application/problem+json"):
                self.fail(where, f"{status} without problem+json ({content_type})")
        elif status == 500 and any(isinstance(e, ConfigurationError) for e in self.logged):
            pass
        else:
            self.fail(where, f"answered {status}")
        self.check_text(where, body.decode("utf-8", "replace"))


def _safe_str(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception as inner:  # pragma: no cover - a str() that fails is itself a bug
        return f"<str() raised {type(inner).__name__}>"


#: Log fields that name a record or event by its id: ids are meant to be logged.
_ID_FIELDS = frozenset({"record", "records", "event_id", "requestId", "execution_id"})


@contextlib.contextmanager
def recording(judge_of: Callable[[], Judge | None]) -> Iterator[None]:
    """Route the adapters' log lines to the current judge instead of stdout: every
    exception they log is judged like a raised one, and no line may hold the
    planted value (ids aside: naming the failed record is what the line is for)."""
    original_exception, original_emit = Logger.exception, Logger._emit

    def exception(self: Logger, message: str, exc: BaseException, **fields: Any) -> None:
        judge = judge_of()
        if judge is not None:
            judge.logged.append(exc)
        original_exception(self, message, exc, **fields)

    def emit(self: Logger, level: str, message: str, fields: dict[str, Any],
             stack: list[str] | None = None) -> None:
        judge = judge_of()
        if judge is not None:
            shown = {k: v for k, v in fields.items() if k not in _ID_FIELDS}
            if stack is not None:  # polyfn's own stack, put on the line beside the fields
                shown["stack"] = stack
            judge.check_text(f"log line {message!r}", repr(shown))

    Logger.exception = exception  # type: ignore[method-assign]
    Logger._emit = emit  # type: ignore[method-assign]
    try:
        yield
    finally:
        Logger.exception = original_exception  # type: ignore[method-assign]
        Logger._emit = original_emit  # type: ignore[method-assign]


# -- AWS ------------------------------------------------------------------------------

_LAMBDA: dict[str, Any] = {}


def aws(judge: Judge, raw: Any) -> None:
    import adapters.aws as aws_adapter

    if not _LAMBDA:
        _LAMBDA.update({name: aws_adapter.lambda_handler(fn) for name, fn in HANDLERS.items()})
    with judge.watch("aws.decode"):
        for event in aws_adapter.decode(raw):
            fuzz_handlers.touch(event)
    for name, handler in _LAMBDA.items():
        with judge.watch(f"aws.lambda_handler[{name}]"):
            answer = handler(raw, None)
            if isinstance(answer, dict) and "statusCode" in answer:
                headers = {k.lower(): v for k, v in (answer.get("headers") or {}).items()}
                multi = {k.lower(): v for k, v in
                         (answer.get("multiValueHeaders") or {}).items()}
                content_type = headers.get("content-type") or (multi.get("content-type")
                                                               or [None])[0]
                judge.check_status(f"aws.lambda_handler[{name}]", answer["statusCode"],
                                   content_type, str(answer.get("body", "")).encode())


# -- Azure ------------------------------------------------------------------------------

_BOUND: dict[str, Any] = {}


def azure_object(judge: Judge, native: Any) -> None:
    """An azure.functions object (or raw Event Grid / Cosmos JSON) through
    ``decode`` and ``bind``."""
    import adapters.azure as azure_adapter

    if not _BOUND:
        _BOUND.update({name: azure_adapter.bind(fn, "req", name=name, returns=True)
                       for name, fn in HANDLERS.items()})
    with judge.watch("azure.decode"):
        for event in azure_adapter.decode(native):
            fuzz_handlers.touch(event)
    for name, function in _BOUND.items():
        with judge.watch(f"azure.bind[{name}]"):
            answer = function(native)
            status = getattr(answer, "status_code", None)
            if isinstance(status, int) and hasattr(answer, "get_body"):
                judge.check_status(f"azure.bind[{name}]", status, answer.mimetype,
                                   answer.get_body())


# -- Google Cloud -------------------------------------------------------------------------

_GCP: dict[str, dict[str, Any]] = {}


def _gcp_functions() -> dict[str, dict[str, Any]]:
    if not _GCP:
        import adapters.gcp as gcp_adapter

        for kind in ("http", "cloudevent", "background"):
            factory = getattr(gcp_adapter, f"{kind}_function")
            _GCP[kind] = {name: factory(fn) for name, fn in HANDLERS.items()}
    return _GCP


def gcp_json(judge: Judge, raw: Any) -> None:
    """A JSON payload through ``decode``; a 1st-gen event also through
    ``background_function`` as functions-framework calls it, ``(data, context)``."""
    import adapters.gcp as gcp_adapter

    with judge.watch("gcp.decode"):
        for event in gcp_adapter.decode(raw):
            fuzz_handlers.touch(event)
    context = raw.get("context") if isinstance(raw, dict) else None
    if not isinstance(context, dict):
        return
    from types import SimpleNamespace

    legacy = SimpleNamespace(event_id=context.get("eventId"),
                             timestamp=context.get("timestamp"),
                             event_type=context.get("eventType"),
                             resource=context.get("resource"))
    for name, function in _gcp_functions()["background"].items():
        with judge.watch(f"gcp.background_function[{name}]"):
            function(raw.get("data"), legacy)


def gcp_request(judge: Judge, request: Any) -> None:
    """A flask request through ``decode`` and ``http_function``."""
    import adapters.gcp as gcp_adapter

    with judge.watch("gcp.decode(request)"):
        for event in gcp_adapter.decode(request):
            fuzz_handlers.touch(event)
    for name, function in _gcp_functions()["http"].items():
        with judge.watch(f"gcp.http_function[{name}]"):
            response = function(request)
            judge.check_status(f"gcp.http_function[{name}]", response.status_code,
                               response.mimetype, response.get_data())


def gcp_cloudevent(judge: Judge, cloudevent: Any) -> None:
    import adapters.gcp as gcp_adapter

    with judge.watch("gcp.decode(CloudEvent)"):
        for event in gcp_adapter.decode(cloudevent):
            fuzz_handlers.touch(event)
    for name, function in _gcp_functions()["cloudevent"].items():
        with judge.watch(f"gcp.cloudevent_function[{name}]"):
            function(cloudevent)


# -- CloudEvents ---------------------------------------------------------------------------

_APPS: dict[str, tuple[Any, Any]] = {}
_LOOP: list[asyncio.AbstractEventLoop] = []


def cloudevents_json(judge: Judge, raw: Any) -> None:
    import adapters.cloudevents as ce

    with judge.watch("cloudevents.decode"):
        for event in ce.decode(raw):
            fuzz_handlers.touch(event)


def cloudevents_http(judge: Judge, headers: list[tuple[str, str]], body: bytes) -> None:
    """A request through ``decode(HTTPMessage)``, the WSGI app and the ASGI app."""
    import adapters.cloudevents as ce

    if not _APPS:
        _APPS.update({name: (ce.wsgi_app(fn), ce.asgi_app(fn)) for name, fn in HANDLERS.items()})
    with judge.watch("cloudevents.decode(HTTPMessage)"):
        for event in ce.decode(ce.HTTPMessage(headers, body)):
            fuzz_handlers.touch(event)
    for name, (wsgi, asgi) in _APPS.items():
        where = f"cloudevents.wsgi_app[{name}]"
        with judge.watch(where):
            status, content_type, answer = _call_wsgi(wsgi, headers, body)
            judge.check_status(where, status, content_type, answer)
        where = f"cloudevents.asgi_app[{name}]"
        with judge.watch(where):
            status, content_type, answer = _call_asgi(asgi, headers, body)
            judge.check_status(where, status, content_type, answer)


def _call_wsgi(app: Any, headers: list[tuple[str, str]], body: bytes
               ) -> tuple[int, str | None, bytes]:
    environ: dict[str, Any] = {"REQUEST_METHOD": "POST", "wsgi.input": io.BytesIO(body),
                               "CONTENT_LENGTH": str(len(body)), "PATH_INFO": "/"}
    for name, value in headers:
        key = name.upper().replace("-", "_")
        environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else "HTTP_" + key] = value
    seen: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]]) -> None:
        seen["status"] = int(status.split(" ", 1)[0])
        seen["type"] = dict((k.lower(), v) for k, v in response_headers).get("content-type")

    answer = b"".join(app(environ, start_response))
    return seen["status"], seen["type"], answer


def _call_asgi(app: Any, headers: list[tuple[str, str]], body: bytes
               ) -> tuple[int, str | None, bytes]:
    if not _LOOP:
        _LOOP.append(asyncio.new_event_loop())
    sent: list[dict[str, Any]] = []
    scope = {"type": "http", "method": "POST", "path": "/",
             "headers": [(k.lower().encode("latin-1"), v.encode("latin-1"))
                         for k, v in headers]}
    incoming = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict[str, Any]:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    _LOOP[0].run_until_complete(app(scope, receive, send))
    start = sent[0]
    content_type = dict(start["headers"]).get(b"content-type", b"").decode("latin-1")
    return start["status"], content_type, sent[1]["body"]


# -- the CLI --------------------------------------------------------------------------------

def cli(judge: Judge, text: bytes, provider: str) -> None:
    """``polyfn event -`` and ``polyfn invoke`` with the document on stdin."""
    from adapters.cli import main

    runs = [["event", "-", "--provider", provider]]
    runs.append(["invoke", "tests.support.fuzz_handlers:untyped", "--event", "-",
                 "--provider", provider])
    for argv in runs:
        where = f"polyfn {' '.join(argv[:2])}"
        # Real streams: stdout strict UTF-8, stderr backslashreplace, as Python's own.
        out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
        err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace")
        stdin = sys.stdin
        sys.stdin = io.TextIOWrapper(io.BytesIO(text), encoding="utf-8")
        code = -1
        try:
            with judge.watch(where), contextlib.redirect_stdout(out), \
                    contextlib.redirect_stderr(err):
                code = main(argv)
                out.flush()
        finally:
            sys.stdin = stdin
        err.flush()
        errors = err.buffer.getvalue().decode("utf-8")  # type: ignore[attr-defined]
        message = [line for line in errors.splitlines() if line.startswith("error: ")]
        judge.check_text(where, errors)
        if code == 0:
            continue
        if code not in (1, 2) or len(message) != 1:
            judge.fail(where, f"exit {code} with stderr {errors[-400:]!r}")
        elif code == 1 and not _names_polyfn_error(message[0]):
            judge.fail(where, f"exit 1: {message[0][:200]}")


def _names_polyfn_error(line: str) -> bool:
    names = {cls.__name__ for cls in (*ALLOWED, PolyfnError)} | {"DataValidationError"}
    return any(line.startswith(f"error: {name}:") for name in names)
