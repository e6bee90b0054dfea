"""The gcloud Pub/Sub emulator.

Run through its own launcher script, which ``exec``s the JVM, so the process group
the base starts (``setsid``) is the JVM's: stopping it stops Java (running
``gcloud beta emulators pubsub start`` instead orphans it; ../shared/EMULATORS.md).

``pubsub`` (per test) sets ``PUBSUB_EMULATOR_HOST``, the client library's own
switch, and ``GOOGLE_CLOUD_PROJECT``. Topics and subscriptions persist for the
session: tests use names of their own.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._base import Server, serve
from ._gcloud import component

__all__ = ["PROJECT", "PubSub", "pubsub", "pubsub_server"]

PROJECT = "test-proj"


class PubSub(Server):
    name = "pubsub-emulator"
    hint = "gcloud components install pubsub-emulator"
    startup_timeout = 60.0  # a JVM on a busy 2-core machine

    def command(self) -> list[str]:
        launcher = component("pubsub-emulator/bin/cloud-pubsub-emulator", "pubsub-emulator")
        return [launcher, f"--host={self.host}", f"--port={self.port}"]

    @property
    def host_port(self) -> str:
        return f"{self.host}:{self.port}"


@pytest.fixture(scope="session")
def pubsub_server() -> Iterator[PubSub]:
    yield from serve(PubSub)


@pytest.fixture
def pubsub(pubsub_server: PubSub, monkeypatch: pytest.MonkeyPatch) -> PubSub:
    monkeypatch.setenv("PUBSUB_EMULATOR_HOST", pubsub_server.host_port)
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", PROJECT)
    return pubsub_server
