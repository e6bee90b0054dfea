"""Azurite (Azure Storage's emulator, from npm): Blob, Queue and Table on three ports.

``.ci/servers`` installs the pinned version into the git-ignored ``.tools/``
(``npm install --prefix .tools azurite@3.35.0``: 3.36+ declare a newer Node).
``--skipApiVersionCheck`` is required: current azure-storage-* clients send an API
version newer than any Azurite release knows (../shared/EMULATORS.md).

``azurite_server`` (session) starts it once; ``azurite`` (per test) points the
Functions storage setting ``AzureWebJobsStorage`` (what ``azure-queue://`` and
``azure-blob://`` read by default) at it. Azurite has no reset call: tests use
names of their own (:func:`unique`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from ._base import Server, ServerUnavailable, free_port, http_ok, serve

__all__ = ["ACCOUNT", "KEY", "Azurite", "azurite", "azurite_server", "unique"]

#: Azurite's well-known development account (the same in every install).
ACCOUNT = "devstoreaccount1"
KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
_TOOLS = Path(__file__).resolve().parents[3] / ".tools" / "node_modules" / ".bin"


def unique(prefix: str) -> str:
    """A queue/container name no other test uses (lower case, 3-63 characters)."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


class Azurite(Server):
    name = "azurite"
    hint = "run .ci/servers (npm install --prefix .tools azurite@3.35.0)"

    def __init__(self) -> None:
        super().__init__()
        self.queue_port = free_port()
        self.table_port = free_port()

    def command(self) -> list[str]:
        binary = _TOOLS / "azurite"
        if not binary.exists():
            raise ServerUnavailable(f"{binary} not found ({self.hint})")
        host = self.host
        return [str(binary), "--silent", "--inMemoryPersistence", "--disableTelemetry",
                "--skipApiVersionCheck", "--blobHost", host, "--blobPort", str(self.port),
                "--queueHost", host, "--queuePort", str(self.queue_port),
                "--tableHost", host, "--tablePort", str(self.table_port)]

    def ready(self) -> bool:
        return all(http_ok(f"http://{self.host}:{port}/")
                   for port in (self.port, self.queue_port, self.table_port))

    def endpoint(self, port: int) -> str:
        return f"http://{self.host}:{port}/{ACCOUNT}"

    @property
    def connection_string(self) -> str:
        """A full connection string (``UseDevelopmentStorage=true`` means the fixed
        default ports, and these are free ones)."""
        return (f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={KEY};"
                f"BlobEndpoint={self.endpoint(self.port)};"
                f"QueueEndpoint={self.endpoint(self.queue_port)};"
                f"TableEndpoint={self.endpoint(self.table_port)};")


@pytest.fixture(scope="session")
def azurite_server() -> Iterator[Azurite]:
    yield from serve(Azurite)


@pytest.fixture
def azurite(azurite_server: Azurite, monkeypatch: pytest.MonkeyPatch) -> Azurite:
    """Azurite, with the Functions storage setting pointing at it."""
    monkeypatch.setenv("AzureWebJobsStorage", azurite_server.connection_string)
    return azurite_server
