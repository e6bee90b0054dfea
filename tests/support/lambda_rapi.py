"""Run the real AWS Lambda runtime interface client against a local Runtime API.

`LambdaRuntime` starts a loopback test double of the Lambda Runtime API
(version 2018-06-01) and then ``python -m awslambdaric MODULE.HANDLER`` as a
subprocess, with the environment variables the Lambda service sets. Tests
enqueue invocations with `LambdaRuntime.invoke` and get back what the runtime
posted to ``/invocation/{id}/response`` or ``/invocation/{id}/error``.

How awslambdaric talks to the endpoint (awslambdaric 4.x):

* ``/invocation/next``, ``/response`` and ``/error`` go through the native
  ``runtime_client`` extension (aws-lambda-cpp over a statically linked
  libcurl) on one HTTP/1.1 keep-alive connection, so the endpoint speaks
  HTTP/1.1 and always sends ``Content-Length``.
* ``/invocation/{id}/error`` carries the error type only in the JSON body and
  in ``Lambda-Runtime-Function-XRay-Error-Cause``: the native client sends no
  ``Lambda-Runtime-Function-Error-Type`` header, so `Invocation.error_type`
  is ``None`` there.
* ``/init/error`` goes through ``http.client`` on a fresh connection, with the
  ``Lambda-Runtime-Function-Error-Type`` header; after it is accepted the
  runtime exits with status 1 without ever polling ``/invocation/next``.
* The event is JSON-decoded only when ``Content-Type`` is exactly
  ``application/json``; any other value hands the handler the raw bytes.

Every wait in this module is bounded; `LambdaRuntime.close` terminates (then
kills) the runtime's process group and shuts the server down.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

__all__ = [
    "API_PREFIX",
    "ERROR_TYPE_HEADER",
    "InitError",
    "Invocation",
    "InvocationTimeoutError",
    "LambdaRuntime",
    "LambdaRuntimeHarnessError",
    "RecordedRequest",
    "RuntimeExitedError",
]

API_PREFIX = "/2018-06-01/runtime"
ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type"
REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
"""Appended to the runtime's ``PYTHONPATH`` so handlers can import ``sdk``/``adapters``."""

_POSIX = os.name == "posix"
_POLL_S = 0.02
_TERMINATE_GRACE_S = 3.0
_OUTPUT_TAIL_CHARS = 4000

# Environment variables of the host that must not leak into the "Lambda" process:
# credentials, profiles and anything that changes how awslambdaric runs.
_SCRUBBED_PREFIXES = ("AWS_", "_AWS_", "LAMBDA_", "_LAMBDA_", "_X_AMZN_")
_SCRUBBED_NAMES = frozenset({"_HANDLER", "PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME"})


class LambdaRuntimeHarnessError(RuntimeError):
    """The runtime did not behave as the test expected (no answer, crash...)."""


class InvocationTimeoutError(LambdaRuntimeHarnessError):
    """No response or error was posted for an invocation in time."""


class RuntimeExitedError(LambdaRuntimeHarnessError):
    """The runtime process exited while an invocation was outstanding."""

    def __init__(self, message: str, returncode: int | None) -> None:
        super().__init__(message)
        self.returncode = returncode


@dataclass(frozen=True)
class RecordedRequest:
    """One HTTP request the runtime made to the endpoint, in arrival order."""

    method: str
    path: str
    headers: Mapping[str, str]
    body: bytes
    client_port: int
    """Source port of the connection (equal ports: a kept-alive connection)."""


@dataclass(frozen=True)
class Invocation:
    """What the runtime posted back for one invocation."""

    request_id: str
    status: Literal["response", "error"]
    body: Any
    """The posted document, JSON-decoded when possible, else the raw bytes."""
    raw_body: bytes
    error_type: str | None
    """The ``Lambda-Runtime-Function-Error-Type`` header, if sent."""
    headers: Mapping[str, str]
    """Headers of the POST; names as sent by the runtime (use `header`)."""

    @property
    def ok(self) -> bool:
        return self.status == "response"

    def header(self, name: str) -> str | None:
        """Case-insensitive header lookup."""
        return _get_header(self.headers, name)


@dataclass(frozen=True)
class InitError:
    """What the runtime posted to ``/runtime/init/error``."""

    body: Any
    raw_body: bytes
    error_type: str | None
    headers: Mapping[str, str]

    def header(self, name: str) -> str | None:
        return _get_header(self.headers, name)


@dataclass
class _Pending:
    request_id: str
    body: bytes
    headers: dict[str, str]
    content_type: str
    done: threading.Event = field(default_factory=threading.Event)
    result: Invocation | None = None
    delivered: bool = False
    abandoned: bool = False


def _get_header(headers: Mapping[str, str], name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


def _decode(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return body


class _RuntimeAPIState:
    """Shared state of the fake endpoint; all methods are thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: queue.Queue[_Pending] = queue.Queue()
        self._by_id: dict[str, _Pending] = {}
        self._stopping = threading.Event()
        self.first_poll = threading.Event()
        self.init_error_posted = threading.Event()
        self.init_error: InitError | None = None
        self.requests: list[RecordedRequest] = []

    def stop(self) -> None:
        self._stopping.set()

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def enqueue(self, pending: _Pending) -> None:
        with self._lock:
            if pending.request_id in self._by_id:
                raise ValueError(f"request id {pending.request_id!r} already used")
            self._by_id[pending.request_id] = pending
        self._queue.put(pending)

    def abandon(self, pending: _Pending) -> None:
        with self._lock:
            pending.abandoned = True

    def next_invocation(self) -> _Pending | None:
        """Block until an invocation is enqueued; ``None`` once stopping."""
        self.first_poll.set()
        while not self._stopping.is_set():
            try:
                pending = self._queue.get(timeout=_POLL_S * 5)
            except queue.Empty:
                continue
            with self._lock:
                if pending.abandoned:
                    continue
                pending.delivered = True
            return pending
        return None

    def complete(
        self,
        request_id: str,
        status: Literal["response", "error"],
        body: bytes,
        headers: Mapping[str, str],
    ) -> bool:
        """Record the outcome of an in-flight invocation; False if not in flight."""
        with self._lock:
            pending = self._by_id.get(request_id)
            if pending is None or not pending.delivered or pending.result is not None:
                return False
            pending.result = Invocation(
                request_id=request_id,
                status=status,
                body=_decode(body),
                raw_body=body,
                error_type=_get_header(headers, ERROR_TYPE_HEADER),
                headers=dict(headers),
            )
        pending.done.set()
        return True

    def set_init_error(self, body: bytes, headers: Mapping[str, str]) -> None:
        with self._lock:
            self.init_error = InitError(
                body=_decode(body),
                raw_body=body,
                error_type=_get_header(headers, ERROR_TYPE_HEADER),
                headers=dict(headers),
            )
        self.init_error_posted.set()


class _RuntimeAPIServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, state: _RuntimeAPIState) -> None:
        super().__init__(("127.0.0.1", 0), _RuntimeAPIHandler)
        self.state = state

    def handle_error(self, request: Any, client_address: Any) -> None:
        # The runtime is killed mid-connection on teardown; that is not an error.
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class _RuntimeAPIHandler(BaseHTTPRequestHandler):
    # awslambdaric's native client (libcurl) keeps one HTTP/1.1 connection alive.
    protocol_version = "HTTP/1.1"
    server: _RuntimeAPIServer

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default per-request logging to stderr."""

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    # -- plumbing ---------------------------------------------------------------

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline(65537).split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(
        self,
        status: int,
        body: bytes = b"",
        *,
        headers: Mapping[str, str] | None = None,
        content_type: str = "application/json",
    ) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def _send_json(self, status: int, document: Mapping[str, Any]) -> None:
        self._send(status, json.dumps(document).encode())

    # -- routing ----------------------------------------------------------------

    def _dispatch(self) -> None:
        state = self.server.state
        body = self._read_body()
        headers = {name: value for name, value in self.headers.items()}
        state.record(
            RecordedRequest(self.command, self.path, headers, body, self.client_address[1])
        )

        path = self.path.split("?", 1)[0]
        if not path.startswith(API_PREFIX + "/"):
            self._not_found()
            return
        parts = path[len(API_PREFIX) + 1 :].split("/")

        if self.command == "GET" and parts == ["invocation", "next"]:
            self._next(state)
        elif self.command == "POST" and parts == ["init", "error"]:
            state.set_init_error(body, headers)
            self._send_json(202, {"status": "OK"})
        elif (
            self.command == "POST"
            and len(parts) == 3
            and parts[0] == "invocation"
            and parts[2] in ("response", "error")
        ):
            status: Literal["response", "error"] = "response" if parts[2] == "response" else "error"
            if state.complete(parts[1], status, body, headers):
                self._send_json(202, {"status": "OK"})
            else:
                self._send_json(
                    400,
                    {
                        "errorMessage": f"Invalid request ID: {parts[1]!r}",
                        "errorType": "InvalidRequestID",
                    },
                )
        else:
            self._not_found()

    def _next(self, state: _RuntimeAPIState) -> None:
        pending = state.next_invocation()
        if pending is None:  # harness shutting down
            self.close_connection = True
            self._send_json(500, {"errorMessage": "shutting down", "errorType": "Shutdown"})
            return
        self._send(200, pending.body, headers=pending.headers, content_type=pending.content_type)

    def _not_found(self) -> None:
        self._send_json(
            404,
            {"errorMessage": f"no route for {self.command} {self.path}", "errorType": "NotFound"},
        )


def _signal_group(proc: subprocess.Popen[bytes], *, kill: bool) -> None:
    """SIGTERM/SIGKILL the runtime's process group (just the process off POSIX)."""
    if _POSIX:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL if kill else signal.SIGTERM)
    elif proc.poll() is None:
        if kill:
            proc.kill()
        else:
            proc.terminate()


def _trace_id() -> str:
    root = f"1-{int(time.time()):08x}-{secrets.token_hex(12)}"
    return f"Root={root};Parent={secrets.token_hex(8)};Sampled=0"


def _tail(text: str) -> str:
    return text if len(text) <= _OUTPUT_TAIL_CHARS else "..." + text[-_OUTPUT_TAIL_CHARS:]


class LambdaRuntime:
    """The real ``awslambdaric`` in a subprocess, wired to a loopback Runtime API.

    Use as a context manager::

        with LambdaRuntime("app.handler", cwd=tmp_path) as runtime:
            result = runtime.invoke({"x": 1})
            assert result.status == "response"

    ``env`` entries override the Lambda environment built by the harness
    (host ``AWS_*``/``LAMBDA_*`` variables and ``PYTHONPATH`` are not
    inherited). ``PYTHONPATH`` is ``cwd``, then ``pythonpath``, then the
    project root (so handlers can import ``sdk`` and ``adapters``).
    ``timeout_s`` is the function timeout: the default invocation deadline.
    """

    def __init__(
        self,
        handler: str,
        *,
        cwd: str | Path,
        env: Mapping[str, str] | None = None,
        memory_mb: int = 128,
        function_name: str = "polyfn-test",
        timeout_s: float = 30.0,
        pythonpath: Sequence[str | Path] = (),
    ) -> None:
        self.handler = handler
        self.cwd = Path(cwd).resolve()
        self.memory_mb = memory_mb
        self.function_name = function_name
        self.timeout_s = timeout_s
        self.function_arn = f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{function_name}"
        self._extra_env = dict(env or {})
        self._pythonpath = [str(Path(p).resolve()) for p in pythonpath]
        self._state = _RuntimeAPIState()
        self._server: _RuntimeAPIServer | None = None
        self._server_thread: threading.Thread | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._output_dir: tempfile.TemporaryDirectory[str] | None = None
        self._final_stdout: str | None = None
        self._final_stderr: str | None = None
        self._exited_returncode: int | None = None
        self.env: dict[str, str] = {}

    # -- lifecycle --------------------------------------------------------------

    def __enter__(self) -> LambdaRuntime:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def start(self) -> LambdaRuntime:
        """Start the endpoint, then the runtime process. Returns ``self``."""
        if self._server is not None:
            raise LambdaRuntimeHarnessError("already started")
        try:
            self._server = _RuntimeAPIServer(self._state)
            self._server_thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="lambda-rapi",
                daemon=True,
            )
            self._server_thread.start()
            self.env = self._build_env()
            self._output_dir = tempfile.TemporaryDirectory(prefix="lambda-rapi-")
            out_dir = Path(self._output_dir.name)
            with (
                (out_dir / "stdout").open("wb") as stdout,
                (out_dir / "stderr").open("wb") as stderr,
            ):
                self._proc = subprocess.Popen(
                    [sys.executable, "-m", "awslambdaric", self.handler],
                    cwd=self.cwd,
                    env=self.env,
                    stdin=subprocess.DEVNULL,
                    stdout=stdout,
                    stderr=stderr,
                    # Own process group, so close() also ends anything the handler spawned.
                    start_new_session=_POSIX,
                )
        except BaseException:
            self.close()
            raise
        return self

    def close(self) -> None:
        """Kill the runtime and stop the endpoint. Idempotent, bounded."""
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                _signal_group(proc, kill=False)
                try:
                    proc.wait(timeout=_TERMINATE_GRACE_S)
                except subprocess.TimeoutExpired:
                    _signal_group(proc, kill=True)
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        proc.wait(timeout=_TERMINATE_GRACE_S)
            _signal_group(proc, kill=True)  # stragglers the handler may have spawned
            self._exited_returncode = proc.returncode
        self._state.stop()
        server, self._server = self._server, None
        thread, self._server_thread = self._server_thread, None
        if server is not None:
            if thread is not None and thread.is_alive():
                server.shutdown()  # only safe while serve_forever runs
                thread.join(timeout=_TERMINATE_GRACE_S)
            server.server_close()
        if self._output_dir is not None:
            self._final_stdout = self._read_output("stdout")
            self._final_stderr = self._read_output("stderr")
            self._output_dir.cleanup()
            self._output_dir = None

    # -- introspection ----------------------------------------------------------

    @property
    def address(self) -> str:
        """``host:port`` of the endpoint (the ``AWS_LAMBDA_RUNTIME_API`` value)."""
        if self._server is None:
            raise LambdaRuntimeHarnessError("not started")
        host, port = self._server.server_address[:2]
        return f"{host!s}:{port}"

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    @property
    def returncode(self) -> int | None:
        """Exit status of the runtime, ``None`` while it runs."""
        if self._proc is not None:
            return self._proc.poll()
        return self._exited_returncode

    @property
    def init_error(self) -> InitError | None:
        """What the runtime posted to ``/runtime/init/error``, if anything."""
        return self._state.init_error

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request the runtime made, in order (a snapshot copy)."""
        return list(self._state.requests)

    @property
    def stdout(self) -> str:
        """Everything the runtime wrote to stdout so far (its log sink)."""
        if self._output_dir is None:
            return self._final_stdout or ""
        return self._read_output("stdout")

    @property
    def stderr(self) -> str:
        if self._output_dir is None:
            return self._final_stderr or ""
        return self._read_output("stderr")

    def _read_output(self, name: str) -> str:
        assert self._output_dir is not None
        return (Path(self._output_dir.name) / name).read_bytes().decode("utf-8", "replace")

    # -- waiting ----------------------------------------------------------------

    def wait_ready(self, timeout: float = 10.0) -> None:
        """Wait until init is done: the runtime's first ``GET /invocation/next``."""
        self._wait_for(self._state.first_poll, timeout, "the first /invocation/next poll")

    def wait_for_init_error(self, timeout: float = 10.0) -> InitError:
        """Wait for a POST to ``/runtime/init/error`` and return it."""
        self._wait_for(self._state.init_error_posted, timeout, "a POST to /runtime/init/error")
        assert self._state.init_error is not None
        return self._state.init_error

    def wait_exit(self, timeout: float = 10.0) -> int:
        """Wait for the runtime process to exit on its own; return its status."""
        proc = self._require_proc()
        try:
            return proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise LambdaRuntimeHarnessError(
                f"runtime still running after {timeout}s{self._diagnostics()}"
            ) from None

    def _wait_for(self, event: threading.Event, timeout: float, what: str) -> None:
        proc = self._require_proc()
        deadline = time.monotonic() + timeout
        while not event.wait(_POLL_S):
            if proc.poll() is not None and not event.is_set():
                raise RuntimeExitedError(
                    f"runtime exited ({proc.returncode}) before {what}{self._diagnostics()}",
                    proc.returncode,
                )
            if time.monotonic() >= deadline:
                raise LambdaRuntimeHarnessError(
                    f"timed out after {timeout}s waiting for {what}{self._diagnostics()}"
                )

    # -- invoking ---------------------------------------------------------------

    def invoke(
        self,
        event: Any,
        *,
        deadline_ms_from_now: int | None = None,
        request_id: str | None = None,
        client_context: Mapping[str, Any] | None = None,
        cognito_identity: Mapping[str, Any] | None = None,
        trace_id: str | None = None,
        content_type: str = "application/json",
        timeout: float = 15.0,
    ) -> Invocation:
        """Hand ``event`` to the runtime and wait for its response or error.

        ``event`` is sent JSON-encoded unless it is ``bytes``. The deadline
        defaults to ``timeout_s`` from now. ``timeout`` bounds the wait; if it
        expires, or the runtime exits first, a `LambdaRuntimeHarnessError`
        subclass is raised (with the runtime's output in the message). Unlike
        Lambda, a timeout does not reset the runtime: a late answer is accepted
        and dropped, and the runtime then polls for the next invocation.
        """
        proc = self._require_proc()
        rid = request_id or str(uuid.uuid4())
        if deadline_ms_from_now is None:
            deadline_ms_from_now = int(self.timeout_s * 1000)
        body = event if isinstance(event, bytes) else json.dumps(event).encode()
        headers = {
            "Lambda-Runtime-Aws-Request-Id": rid,
            "Lambda-Runtime-Deadline-Ms": str(int(time.time() * 1000) + deadline_ms_from_now),
            "Lambda-Runtime-Invoked-Function-Arn": self.function_arn,
            "Lambda-Runtime-Trace-Id": trace_id or _trace_id(),
        }
        if client_context is not None:
            headers["Lambda-Runtime-Client-Context"] = json.dumps(client_context)
        if cognito_identity is not None:
            headers["Lambda-Runtime-Cognito-Identity"] = json.dumps(cognito_identity)
        pending = _Pending(request_id=rid, body=body, headers=headers, content_type=content_type)
        self._state.enqueue(pending)

        deadline = time.monotonic() + timeout
        while not pending.done.wait(_POLL_S):
            if proc.poll() is not None and not pending.done.is_set():
                self._state.abandon(pending)
                raise RuntimeExitedError(
                    f"runtime exited ({proc.returncode}) before answering invocation "
                    f"{rid}{self._diagnostics()}",
                    proc.returncode,
                )
            if time.monotonic() >= deadline:
                self._state.abandon(pending)
                raise InvocationTimeoutError(
                    f"no response for invocation {rid} after {timeout}s{self._diagnostics()}"
                )
        assert pending.result is not None
        return pending.result

    # -- helpers ----------------------------------------------------------------

    def _require_proc(self) -> subprocess.Popen[bytes]:
        if self._proc is None:
            raise LambdaRuntimeHarnessError("runtime not running (use start() or `with`)")
        return self._proc

    def _diagnostics(self) -> str:
        return (
            f"\ninit_error: {self.init_error!r}"
            f"\n--- runtime stdout ---\n{_tail(self.stdout)}"
            f"\n--- runtime stderr ---\n{_tail(self.stderr)}"
        )

    def _build_env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(_SCRUBBED_PREFIXES) and key not in _SCRUBBED_NAMES
        }
        version = f"{sys.version_info.major}.{sys.version_info.minor}"
        log_stream = f"{time.strftime('%Y/%m/%d')}/[$LATEST]{secrets.token_hex(16)}"
        env.update(
            {
                "AWS_LAMBDA_RUNTIME_API": self.address,
                "_HANDLER": self.handler,
                "LAMBDA_TASK_ROOT": str(self.cwd),
                "AWS_EXECUTION_ENV": f"AWS_Lambda_python{version}",
                "AWS_LAMBDA_FUNCTION_NAME": self.function_name,
                "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(self.memory_mb),
                "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{self.function_name}",
                "AWS_LAMBDA_LOG_STREAM_NAME": log_stream,
                "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
                "AWS_REGION": REGION,
                "AWS_DEFAULT_REGION": REGION,
                "PYTHONPATH": os.pathsep.join(
                    dict.fromkeys([str(self.cwd), *self._pythonpath, str(PROJECT_ROOT)])
                ),
                "PYTHONUNBUFFERED": "1",
                "PYTHONDONTWRITEBYTECODE": "1",
                "TZ": ":UTC",
            }
        )
        env.update(self._extra_env)
        return env
