"""A real redis-server (Debian's ``redis-server`` package; ``.ci/servers`` installs it).

``redis_server`` (session) starts it once, without persistence, on loopback;
``redis_url`` (per test) empties it (``FLUSHALL``) and gives its URL.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from ._base import Server, serve

__all__ = ["Redis", "redis_server", "redis_url"]


class Redis(Server):
    name = "redis"
    hint = "apt-get install -y redis-server (see .ci/servers)"
    startup_timeout = 15.0

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"

    def command(self) -> list[str]:
        return [self.executable("redis-server"), "--bind", self.host, "--port", str(self.port),
                "--save", "", "--appendonly", "no", "--dir", str(self.workdir)]

    def send(self, *words: str) -> bytes:
        """One command in Redis's inline form, its raw reply."""
        with socket.create_connection((self.host, self.port), timeout=2) as conn:
            conn.sendall((" ".join(words) + "\r\n").encode())
            return conn.recv(1024)

    def ready(self) -> bool:
        try:
            return self.send("PING").startswith(b"+PONG")
        except OSError:
            return False


@pytest.fixture(scope="session")
def redis_server() -> Iterator[Redis]:
    yield from serve(Redis)


@pytest.fixture
def redis_url(redis_server: Redis) -> str:
    """The server's URL, emptied for this test."""
    assert redis_server.send("FLUSHALL").startswith(b"+OK")
    return redis_server.url
