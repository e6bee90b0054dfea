"""A real ``polyfn serve`` subprocess on loopback, and the lines it writes to stderr.

Used by ``tests/runtime/test_serve*.py``: each test module starts the servers it
needs (``Serve(handler, *options)``, then :meth:`Serve.wait_ready`) and stops them
by their process (SIGINT, then SIGKILL after a bounded wait).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from typing import Any

from sdk.adapter import redact_url
from tests.support.ff_server import HTTPResponse, free_port, http_request
from tests.support.samples import PROJECT_ROOT

__all__ = ["HANDLER", "STARTUP_S", "Serve"]

HANDLER = "tests.runtime.serve_handlers:handler"
STARTUP_S = 15.0


class Serve:
    """A running ``polyfn serve`` and the lines it has written to stderr."""

    def __init__(self, handler: str = HANDLER, *options: str, host: str = "127.0.0.1") -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "adapters.cli", "serve", handler, "--port", str(self.port),
             "--host", host, *options],
            cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self.output: list[str] = []
        self._readers = [threading.Thread(target=self._read, args=(stream, sink), daemon=True)
                         for stream, sink in ((self.proc.stderr, self.lines),
                                              (self.proc.stdout, self.output))]
        for reader in self._readers:
            reader.start()

    def _read(self, stream: Any, sink: list[str]) -> None:
        for line in stream:
            sink.append(line.rstrip("\n"))

    def wait_ready(self) -> None:
        deadline = time.monotonic() + STARTUP_S
        while not any("polyfn serve:" in line for line in self.lines):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"polyfn serve did not start: {self.lines}")
            time.sleep(0.05)

    def log_since(self, start: int, expected: str, timeout: float = 5.0) -> list[str]:
        """The stderr lines from index ``start`` once one of them contains ``expected``."""
        deadline = time.monotonic() + timeout
        while not any(expected in line for line in self.lines[start:]):
            assert time.monotonic() < deadline, f"{expected!r} not logged: {self.lines[start:]}"
            time.sleep(0.02)
        return self.lines[start:]

    def request(self, method: str, path: str, body: Any = None,
                headers: dict[str, str] | None = None) -> HTTPResponse:
        """Send one request; return once the server has logged its answer, so the
        lines of one request never spill into the next test's."""
        before = len(self.lines)
        response = http_request(method, self.url + path, body, headers, timeout=10)
        logged = redact_url(path)  # the request line keeps query names only
        self.log_since(before, f"{method} {logged} -> {response.status}")
        return response

    def stop(self, sig: int = signal.SIGINT) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait(timeout=5)
        for reader in self._readers:
            reader.join(timeout=5)
        return code
