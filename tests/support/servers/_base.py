"""Launch a real server (an emulator) once per test session, on loopback.

The pattern every server module here follows:

* a :class:`Server` subclass names the server, says how to install it
  (``hint``), builds its ``command(port)`` and answers ``ready()``;
* the module defines a **session fixture** with :func:`serve`::

      @pytest.fixture(scope="session")
      def moto_server() -> Iterator[Moto]:
          yield from serve(Moto)

* the module is listed in ``pytest_plugins`` in ``tests/conftest.py``, so its
  fixture is known everywhere and the server starts only when a test asks.

:meth:`Server.start` picks a free port, starts the command in its own session
(``setsid``: a launcher script and its children, a JVM say, form one process
group), polls ``ready()`` until ``startup_timeout``, and at session end
:meth:`Server.stop` ends the whole group by its id (SIGTERM, then SIGKILL).
A server that cannot start skips its tests with the reason (and the end of its
log); with ``POLYFN_REQUIRE_SERVERS=1`` (``.ci/run`` sets it) it fails them.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar, NoReturn, TypeVar

import pytest

__all__ = ["Server", "ServerUnavailable", "free_port", "http_ok", "serve", "unavailable"]

S = TypeVar("S", bound="Server")


class ServerUnavailable(RuntimeError):
    """The server is not installed or did not become ready."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http_ok(url: str, timeout: float = 0.5) -> bool:
    """True when ``url`` answers at all (any HTTP status)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def unavailable(reason: str) -> NoReturn:
    """Skip (locally) or fail (``POLYFN_REQUIRE_SERVERS=1``) with ``reason``."""
    if os.environ.get("POLYFN_REQUIRE_SERVERS") == "1":
        pytest.fail(f"required server unavailable: {reason}", pytrace=False)
    pytest.skip(f"server unavailable: {reason}")


class Server:
    """One server process. Subclasses set ``name``, ``hint`` and ``command``."""

    name: ClassVar[str] = "server"
    hint: ClassVar[str] = ""
    startup_timeout: ClassVar[float] = 30.0

    def __init__(self) -> None:
        self.port = free_port()
        self.host = "127.0.0.1"
        self.workdir = Path(tempfile.mkdtemp(prefix=f"polyfn-{self.name}-"))
        self.log_path = self.workdir / "server.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def command(self) -> list[str]:
        raise NotImplementedError

    def env(self) -> dict[str, str]:
        return dict(os.environ)

    def ready(self) -> bool:
        return http_ok(self.url)

    def executable(self, name: str) -> str:
        """``name`` on PATH or beside the running Python (a venv's bin)."""
        import sys

        beside = Path(sys.executable).parent / name
        found = str(beside) if beside.exists() else shutil.which(name)
        if not found:
            raise ServerUnavailable(f"{name} not found ({self.hint})")
        return found

    def start(self: S) -> S:
        command = self.command()
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env=self.env(), cwd=self.workdir, start_new_session=True)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerUnavailable(f"{self.name} exited with {self.process.returncode}: "
                                        f"{self.log_tail()}")
            if self.ready():
                return self
            time.sleep(0.1)
        self.stop()
        raise ServerUnavailable(f"{self.name} not ready after {self.startup_timeout:.0f} s: "
                                f"{self.log_tail()}")

    def log_tail(self, lines: int = 8) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return " | ".join(text.strip().splitlines()[-lines:]) or "(empty log)"

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        group = process.pid  # start_new_session: the group id is the leader's pid
        try:
            os.killpg(group, signal.SIGTERM)
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(group, signal.SIGKILL)
            process.wait(timeout=5)
        except ProcessLookupError:
            pass


def serve(cls: type[S]) -> Iterator[S]:
    """Body of a session fixture: start ``cls``, yield it, stop it at the end."""
    try:
        server = cls().start()
    except ServerUnavailable as exc:
        unavailable(str(exc))
    try:
        yield server
    finally:
        server.stop()
