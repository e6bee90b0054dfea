"""Run the real Google ``functions-framework`` server as a subprocess for runtime tests.

Usage::

    with FunctionsFramework(source, "handler") as ff:
        status, headers, body = ff.post("/", {"hello": "world"})
        assert status == 200
        assert "something" in ff.stderr

The server is started with ``python -m functions_framework`` bound to ``127.0.0.1`` on a
free port, in its own process group, with the project root on ``PYTHONPATH`` and output
captured to temporary files.  Leaving the ``with`` block (or calling :meth:`stop`) ends
the whole process group: SIGTERM, a bounded wait, then SIGKILL.

The request helpers use only :mod:`urllib.request` (no proxies, no redirect following)
and never raise on 4xx/5xx: they return an :class:`HTTPResponse` named tuple
``(status, headers, body)``, where ``headers`` has lower-cased names.

Module-level builders (:func:`binary_cloudevent`, :func:`structured_cloudevent`,
:func:`background_event`, :func:`pubsub_message`, :func:`pubsub_push`) return
``(headers, body)`` pairs / JSON bodies for the input shapes Google Cloud sends, so they
can also be reused against other runtimes.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from email.message import Message
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, NamedTuple, TypeAlias

__all__ = [
    "DEFAULT_SUBSCRIPTION",
    "DEFAULT_TOPIC",
    "PROJECT_ROOT",
    "PUBSUB_MESSAGE_TYPE",
    "FunctionsFramework",
    "FunctionsFrameworkError",
    "HTTPResponse",
    "background_event",
    "binary_cloudevent",
    "free_port",
    "http_request",
    "pubsub_background_event",
    "pubsub_message",
    "pubsub_push",
    "structured_cloudevent",
]

#: Root of the polyfn checkout (the directory holding ``sdk/`` and ``adapters/``).
PROJECT_ROOT = Path(__file__).resolve().parents[2]

LOOPBACK = "127.0.0.1"
DEFAULT_TOPIC = "projects/p/topics/t"
DEFAULT_SUBSCRIPTION = "projects/p/subscriptions/s"
PUBSUB_MESSAGE_TYPE = "type.googleapis.com/google.pubsub.v1.PubsubMessage"
PUBSUB_PUBLISH_EVENT_TYPE = "google.pubsub.topic.publish"

SignatureType = Literal["http", "event", "cloudevent", "typed"]
Stream = Literal["stdout", "stderr", "any"]

# Environment variables read by functions-framework's CLI / create_app that would
# silently change how the server runs if inherited from the outer environment
# (e.g. DEBUG switches to the Flask reloader, ENTRY_POINT to legacy GCF 3.7 mode).
# They are dropped unless passed explicitly through ``env=``.
_FF_CONTROL_VARS = (
    "FUNCTION_TARGET",
    "FUNCTION_SOURCE",
    "FUNCTION_SIGNATURE_TYPE",
    "HOST",
    "PORT",
    "DEBUG",
    "FUNCTION_USE_ASGI",
    "ENTRY_POINT",
)


class FunctionsFrameworkError(RuntimeError):
    """The server could not be started (exited early or never opened its port)."""


class HTTPResponse(NamedTuple):
    """An HTTP response; unpacks as ``status, headers, body``."""

    status: int
    headers: dict[str, str]  # lower-cased header names; repeated headers joined by ", "
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.body)


# --------------------------------------------------------------------------- HTTP client


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Surface 3xx responses to the caller instead of following them."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


# No proxies: HTTP(S)_PROXY in the environment must never capture loopback traffic.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())

Body: TypeAlias = bytes | str | Mapping[str, Any] | Sequence[Any] | None


def _encode_body(body: Body, headers: dict[str, str]) -> bytes | None:
    """Encode ``body`` and set a matching Content-Type unless the caller gave one.

    bytes -> as is (application/octet-stream); str -> UTF-8 (text/plain);
    mapping / list -> JSON (application/json).  ``None`` / empty -> no body, and no
    Content-Type (urllib would otherwise add application/x-www-form-urlencoded).
    """
    if body is None:
        return None
    if isinstance(body, bytes):
        data, ctype = body, "application/octet-stream"
    elif isinstance(body, str):
        data, ctype = body.encode("utf-8"), "text/plain; charset=utf-8"
    else:
        data, ctype = json.dumps(body).encode("utf-8"), "application/json"
    if not data:
        return None
    if not any(name.lower() == "content-type" for name in headers):
        headers["Content-Type"] = ctype
    return data


def _header_dict(message: Message) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in message.items():
        key = name.lower()
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out


def http_request(
    method: str,
    url: str,
    body: Body = None,
    headers: Mapping[str, str] | None = None,
    *,
    timeout: float = 10.0,
) -> HTTPResponse:
    """Send one HTTP request with urllib; 4xx/5xx (and 3xx) are returned, not raised."""
    hdrs = dict(headers or {})
    data = _encode_body(body, hdrs)
    req = urllib.request.Request(url, data=data, headers=hdrs, method=method.upper())
    try:
        with _OPENER.open(req, timeout=timeout) as resp:
            return HTTPResponse(resp.status, _header_dict(resp.headers), resp.read())
    except urllib.error.HTTPError as err:
        with err:
            return HTTPResponse(err.code, _header_dict(err.headers), err.read())


# ------------------------------------------------------------------------ event builders


def _cloudevents_converters() -> tuple[Callable[..., Any], Callable[..., Any]]:
    try:  # cloudevents >= 1.6
        from cloudevents.conversion import to_binary, to_structured
    except ImportError:  # pragma: no cover - older 1.x releases
        from cloudevents.http import to_binary, to_structured
    return to_binary, to_structured


def _make_cloudevent(attributes: Mapping[str, Any], data: Any) -> Any:
    from cloudevents.http import CloudEvent

    attrs = dict(attributes)
    attrs.setdefault("source", "//polyfn.test/harness")
    attrs.setdefault("type", "dev.polyfn.test")
    return CloudEvent(attrs, data)


def _binary_marshaller(data: Any) -> bytes | None:
    # The cloudevents default JSON-encodes everything but bytes (so "hi" -> b'"hi"').
    # Send str as raw text, which is what a real binary-mode producer does.
    if data is None or isinstance(data, bytes):
        return data
    if isinstance(data, str):
        return data.encode("utf-8")
    return json.dumps(data).encode("utf-8")


def _as_bytes(body: bytes | str | None) -> bytes:
    if body is None:
        return b""
    return body.encode("utf-8") if isinstance(body, str) else body


def binary_cloudevent(
    attributes: Mapping[str, Any], data: Any = None
) -> tuple[dict[str, str], bytes]:
    """Binary content mode: attributes as ``ce-*`` headers, data as the raw body.

    ``type``/``source`` default to test values; ``id``/``time``/``specversion`` are filled
    in by the cloudevents library.  Without a ``datacontenttype`` attribute the
    Content-Type is derived from ``data``: bytes -> application/octet-stream,
    str -> text/plain; charset=utf-8, anything else -> application/json (JSON body).
    """
    to_binary, _ = _cloudevents_converters()
    event = _make_cloudevent(attributes, data)
    headers, body = to_binary(event, data_marshaller=_binary_marshaller)
    headers = {str(k): str(v) for k, v in headers.items()}
    if data is not None and not any(k.lower() == "content-type" for k in headers):
        if isinstance(data, bytes):
            headers["content-type"] = "application/octet-stream"
        elif isinstance(data, str):
            headers["content-type"] = "text/plain; charset=utf-8"
        else:
            headers["content-type"] = "application/json"
    return headers, _as_bytes(body)


def structured_cloudevent(
    attributes: Mapping[str, Any], data: Any = None
) -> tuple[dict[str, str], bytes]:
    """Structured content mode: one ``application/cloudevents+json`` document.

    bytes data is carried as ``data_base64``; anything else as JSON ``data``.
    """
    _, to_structured = _cloudevents_converters()
    headers, body = to_structured(_make_cloudevent(attributes, data))
    return {str(k): str(v) for k, v in headers.items()}, _as_bytes(body)


def pubsub_message(
    data: bytes | str | Mapping[str, Any] = b"",
    attributes: Mapping[str, str] | None = None,
    *,
    message_id: str = "1234567890",
    publish_time: str | None = "2024-01-02T03:04:05.678Z",
) -> dict[str, Any]:
    """A Pub/Sub ``PubsubMessage`` as JSON: ``data`` is base64-encoded (mappings as JSON).

    ``publish_time=None`` omits ``publishTime``.
    """
    if isinstance(data, Mapping):
        raw = json.dumps(data).encode("utf-8")
    elif isinstance(data, str):
        raw = data.encode("utf-8")
    else:
        raw = data
    message: dict[str, Any] = {
        "data": base64.b64encode(raw).decode("ascii"),
        "attributes": dict(attributes or {}),
        "messageId": message_id,
    }
    if publish_time is not None:
        message["publishTime"] = publish_time
    return message


def pubsub_push(
    message: Mapping[str, Any], subscription: str = DEFAULT_SUBSCRIPTION
) -> dict[str, Any]:
    """The body of a Pub/Sub *push* subscription request."""
    return {"message": dict(message), "subscription": subscription}


def background_event(
    event_type: str,
    resource: str | Mapping[str, Any],
    data: Any,
    *,
    event_id: str = "1234567890",
    timestamp: str = "2024-01-02T03:04:05.678Z",
) -> dict[str, Any]:
    """A GCF 1st-gen background event body: ``{"context": {...}, "data": ...}``."""
    return {
        "context": {
            "eventId": event_id,
            "timestamp": timestamp,
            "eventType": event_type,
            "resource": resource if isinstance(resource, str) else dict(resource),
        },
        "data": data,
    }


def pubsub_background_event(
    message: Mapping[str, Any],
    topic: str = DEFAULT_TOPIC,
    *,
    event_id: str | None = None,
    timestamp: str | None = None,
) -> dict[str, Any]:
    """A 1st-gen Pub/Sub background event as GCF sends it.

    ``data`` is the PubsubMessage with an ``@type`` and without ``messageId`` /
    ``publishTime``: those travel in the context as ``eventId`` / ``timestamp``
    (defaulting to the message's own values).
    """
    data = {k: v for k, v in message.items() if k not in ("messageId", "publishTime")}
    data = {"@type": PUBSUB_MESSAGE_TYPE, **data}
    resource = {"service": "pubsub.googleapis.com", "name": topic, "type": PUBSUB_MESSAGE_TYPE}
    return background_event(
        PUBSUB_PUBLISH_EVENT_TYPE,
        resource,
        data,
        event_id=event_id or str(message.get("messageId", "1234567890")),
        timestamp=timestamp or str(message.get("publishTime", "2024-01-02T03:04:05.678Z")),
    )


# ---------------------------------------------------------------------------- the server


def free_port(host: str = LOOPBACK) -> int:
    """A TCP port that was free on ``host`` a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class FunctionsFramework:
    """Context manager running ``python -m functions_framework`` on loopback.

    :param source: the Python file defining the function (``--source``).
    :param target: the function name (``--target``).
    :param signature_type: ``http`` | ``event`` | ``cloudevent`` | ``typed``.
    :param cwd: working directory of the server (default: the project root).
    :param env: extra environment variables (override the inherited ones).
    :param extra_args: extra CLI arguments (e.g. ``["--debug"]``).
    :param startup_timeout: seconds to wait for the port to accept connections.
    :param request_timeout: default timeout of each request helper.
    """

    def __init__(
        self,
        source: Path | str,
        target: str,
        *,
        signature_type: SignatureType | str = "http",
        cwd: Path | str | None = None,
        env: Mapping[str, str] | None = None,
        extra_args: Sequence[str] = (),
        startup_timeout: float = 20.0,
        request_timeout: float = 10.0,
    ) -> None:
        self.source = Path(source).resolve()
        self.target = target
        self.signature_type = signature_type
        self.cwd = Path(cwd) if cwd is not None else PROJECT_ROOT
        self.extra_env = dict(env or {})
        self.extra_args = list(extra_args)
        self.startup_timeout = startup_timeout
        self.request_timeout = request_timeout
        self.host = LOOPBACK
        self.port = 0
        self.returncode: int | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._logdir: Path | None = None
        self._captured: dict[str, str] = {"stdout": "", "stderr": ""}

    # -- lifecycle ---------------------------------------------------------------------

    def __enter__(self) -> FunctionsFramework:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321`` (no trailing slash)."""
        if not self.port:
            raise FunctionsFrameworkError("server not started")
        return f"http://{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def command(self, port: int) -> list[str]:
        return [
            sys.executable,
            "-m",
            "functions_framework",
            "--source",
            str(self.source),
            "--target",
            self.target,
            "--signature-type",
            self.signature_type,
            "--host",
            self.host,
            "--port",
            str(port),
            *self.extra_args,
        ]

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _FF_CONTROL_VARS}
        pythonpath = [str(PROJECT_ROOT)]
        if env.get("PYTHONPATH"):
            pythonpath.append(env["PYTHONPATH"])
        env["PYTHONPATH"] = os.pathsep.join(pythonpath)
        env["PYTHONUNBUFFERED"] = "1"  # so prints show up in .stdout without delay
        env.update(self.extra_env)
        return env

    def start(self) -> None:
        if self._proc is not None:
            raise FunctionsFrameworkError("server already started")
        # A port picked by free_port() can be taken before gunicorn binds it; retry then.
        for attempt in range(3):
            try:
                self._launch(free_port(self.host))
                return
            except FunctionsFrameworkError:
                if attempt < 2 and "Address already in use" in self._captured["stderr"]:
                    continue
                raise

    def _launch(self, port: int) -> None:
        self._logdir = Path(tempfile.mkdtemp(prefix="ff-server-"))
        out = (self._logdir / "stdout").open("wb")
        err = (self._logdir / "stderr").open("wb")
        try:
            self._proc = subprocess.Popen(
                self.command(port),
                cwd=self.cwd,
                env=self.environment(),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                # Own process group, so stop() also reaches gunicorn's worker processes.
                start_new_session=(os.name == "posix"),
            )
        finally:
            out.close()
            err.close()
        self.port = port
        self.returncode = None
        try:
            self._wait_until_listening()
        except BaseException:
            self.stop()
            raise

    def _wait_until_listening(self) -> None:
        assert self._proc is not None
        deadline = time.monotonic() + self.startup_timeout
        while True:
            code = self._proc.poll()
            if code is not None:
                raise FunctionsFrameworkError(
                    f"functions-framework exited with code {code} before listening on "
                    f"port {self.port}\n--- command\n{' '.join(self.command(self.port))}"
                    f"\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"
                )
            try:
                with socket.create_connection((self.host, self.port), timeout=0.25):
                    return
            except OSError:
                pass
            if time.monotonic() >= deadline:
                raise FunctionsFrameworkError(
                    f"functions-framework did not listen on port {self.port} within "
                    f"{self.startup_timeout}s\n--- stdout\n{self.stdout}"
                    f"\n--- stderr\n{self.stderr}"
                )
            time.sleep(0.05)

    def stop(self, timeout: float = 10.0) -> int | None:
        """Terminate the server (process group): SIGTERM, wait, SIGKILL.  Idempotent.

        Returns the exit code of the main process.  Captured output stays readable.
        """
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                self._signal(proc, kill=False)
                try:
                    proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    self._signal(proc, kill=True)
                    proc.wait(timeout=timeout)
            # Reap stragglers of the group (e.g. a gunicorn worker orphaned by a crash).
            self._signal(proc, kill=True)
            self.returncode = proc.returncode
        self._capture_and_cleanup()
        return self.returncode

    @staticmethod
    def _signal(proc: subprocess.Popen[bytes], *, kill: bool) -> None:
        try:
            if os.name == "posix":
                # pgid == pid thanks to start_new_session: reaches gunicorn's workers too.
                os.killpg(proc.pid, signal.SIGKILL if kill else signal.SIGTERM)
            elif proc.poll() is None:
                if kill:
                    proc.kill()
                else:
                    proc.terminate()
        except (ProcessLookupError, PermissionError):
            pass

    def _capture_and_cleanup(self) -> None:
        if self._logdir is None:
            return
        self._captured = {name: self._read(name) for name in ("stdout", "stderr")}
        shutil.rmtree(self._logdir, ignore_errors=True)
        self._logdir = None

    # -- captured output ---------------------------------------------------------------

    def _read(self, name: str) -> str:
        if self._logdir is None:
            return self._captured[name]
        try:
            return (self._logdir / name).read_bytes().decode("utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    @property
    def stdout(self) -> str:
        """Everything the server wrote to stdout so far (kept after stop())."""
        return self._read("stdout")

    @property
    def stderr(self) -> str:
        """Everything the server wrote to stderr so far (kept after stop())."""
        return self._read("stderr")

    def wait_for_output(self, text: str, stream: Stream = "any", timeout: float = 5.0) -> str:
        """Wait until ``text`` appears in the captured output; return that output."""
        deadline = time.monotonic() + timeout
        while True:
            parts = [self.stdout, self.stderr]
            output = {"stdout": parts[0], "stderr": parts[1]}.get(stream, "\n".join(parts))
            if text in output:
                return output
            if time.monotonic() >= deadline:
                raise AssertionError(f"{text!r} not found in {stream} within {timeout}s:\n{output}")
            time.sleep(0.05)

    # -- requests ----------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str = "/",
        body: Body = None,
        headers: Mapping[str, str] | None = None,
        *,
        timeout: float | None = None,
    ) -> HTTPResponse:
        if not path.startswith("/"):
            path = "/" + path
        return http_request(
            method,
            self.url + path,
            body,
            headers,
            timeout=self.request_timeout if timeout is None else timeout,
        )

    def get(self, path: str = "/", headers: Mapping[str, str] | None = None) -> HTTPResponse:
        return self.request("GET", path, None, headers)

    def post(
        self, path: str = "/", body: Body = None, headers: Mapping[str, str] | None = None
    ) -> HTTPResponse:
        """POST ``body`` (bytes, str, or a JSON-able mapping/list); see :func:`http_request`."""
        return self.request("POST", path, body, headers)

    def send_binary_cloudevent(
        self, attributes: Mapping[str, Any], data: Any = None, path: str = "/"
    ) -> HTTPResponse:
        headers, body = binary_cloudevent(attributes, data)
        return self.request("POST", path, body, headers)

    def send_structured_cloudevent(
        self, attributes: Mapping[str, Any], data: Any = None, path: str = "/"
    ) -> HTTPResponse:
        headers, body = structured_cloudevent(attributes, data)
        return self.request("POST", path, body, headers)

    def send_background_event(self, event: Mapping[str, Any], path: str = "/") -> HTTPResponse:
        """POST a 1st-gen background event body (see :func:`background_event`) as JSON."""
        return self.request("POST", path, dict(event))

    def send_pubsub_push(
        self,
        message: Mapping[str, Any],
        subscription: str = DEFAULT_SUBSCRIPTION,
        path: str = "/",
    ) -> HTTPResponse:
        """POST a raw Pub/Sub push body.  functions-framework takes the topic from the
        URL path (``.../projects/P/topics/T``), if present."""
        return self.request("POST", path, pubsub_push(message, subscription))
