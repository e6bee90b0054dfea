"""Session-wide fixtures: the real servers of tests/support/servers (started on demand)."""

from typing import Any

import pytest

pytest_plugins = [
    "tests.support.servers.moto",
    "tests.support.servers.azurite",
    "tests.support.servers.pubsub",
    "tests.support.servers.gcs",
    "tests.support.servers.firestore",
    "tests.support.servers.redis",
]


#: Test folders whose tests talk to the real servers: run on one worker under xdist.
_SERVER_FOLDERS = ("tests/outputs/", "tests/run/", "tests/idempotency/", "tests/tracing/")


def test_group(nodeid: str) -> str:
    """What runs together on one pytest-xdist worker: every test of the server folders
    (each server starts once per run, on that worker), else one test file (the fuzz
    suite counts its payloads across its tests)."""
    path = nodeid.split("::", 1)[0]
    return "servers" if path.startswith(_SERVER_FOLDERS) else path


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``make test`` runs two workers: the groups of :func:`test_group` go to whichever
    worker is free (so the fuzz suite runs beside the server tests)."""
    from xdist.scheduler import LoadScopeScheduling

    class Groups(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            return test_group(nodeid)

    return Groups(config, log)
