"""The server-launcher base (tests/support/servers/_base.py) itself."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.support.servers._base import Server, ServerUnavailable, serve, unavailable


class Shell(Server):
    """A launcher that leaves a child behind, as the gcloud scripts do with java."""

    name = "shell"
    startup_timeout = 5.0

    def command(self) -> list[str]:
        return ["sh", "-c", f"sleep 60 & echo $! > {self.workdir}/child; sleep 60"]

    def ready(self) -> bool:
        return (self.workdir / "child").exists() and bool((self.workdir / "child").read_text())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A reaped-later zombie still answers kill(0): look at its state.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


def test_stop_ends_the_whole_process_group() -> None:
    server = Shell().start()
    assert server.process is not None
    leader = server.process.pid
    child = int((server.workdir / "child").read_text())
    assert _alive(child)
    server.stop()
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child) and not _alive(leader)


class Missing(Server):
    name = "missing"
    hint = "install it"

    def command(self) -> list[str]:
        return [self.executable("no-such-server-binary")]


def test_a_server_that_cannot_start_skips_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POLYFN_REQUIRE_SERVERS", raising=False)
    with pytest.raises(ServerUnavailable, match="install it"):
        Missing().start()
    with pytest.raises(pytest.skip.Exception, match="no-such-server-binary"):
        next(serve(Missing))


def test_a_required_server_that_cannot_start_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLYFN_REQUIRE_SERVERS", "1")
    with pytest.raises(pytest.fail.Exception, match="required server unavailable: x"):
        unavailable("x")


class Exits(Server):
    name = "exits"

    def command(self) -> list[str]:
        return ["sh", "-c", "echo bad flag >&2; exit 3"]

    def ready(self) -> bool:
        return False


def test_a_server_that_exits_reports_its_log() -> None:
    with pytest.raises(ServerUnavailable, match="exited with 3: bad flag"):
        Exits().start()
