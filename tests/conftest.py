"""Session-wide fixtures: the real servers of tests/support/servers (started on demand)."""

pytest_plugins = [
    "tests.support.servers.moto",
]
