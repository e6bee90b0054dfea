"""The gcloud Firestore emulator (for idempotency stores).

Its launcher is a bash script that runs Java as a *child*: the base starts it in
its own session, so stopping the process group stops the JVM too.
``firestore`` (per test) sets ``FIRESTORE_EMULATOR_HOST`` and ``GOOGLE_CLOUD_PROJECT``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterator

import pytest

from ._base import Server, serve
from ._gcloud import component

__all__ = ["Firestore", "firestore", "firestore_server"]


class Firestore(Server):
    name = "firestore-emulator"
    hint = "gcloud components install cloud-firestore-emulator"
    startup_timeout = 60.0

    def command(self) -> list[str]:
        launcher = component("cloud-firestore-emulator/cloud_firestore_emulator",
                             "cloud-firestore-emulator")
        return [launcher, "start", f"--host={self.host}", f"--port={self.port}"]

    @property
    def host_port(self) -> str:
        return f"{self.host}:{self.port}"

    def stop(self) -> None:
        """Also wait for the JVM: the launcher (the group leader) exits at once on
        SIGTERM while its Java child is still shutting down."""
        group = self.process.pid if self.process is not None else None
        super().stop()
        if group is None:
            return
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)


@pytest.fixture(scope="session")
def firestore_server() -> Iterator[Firestore]:
    yield from serve(Firestore)


@pytest.fixture
def firestore(firestore_server: Firestore, monkeypatch: pytest.MonkeyPatch) -> Firestore:
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", firestore_server.host_port)
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "test-proj")
    return firestore_server
