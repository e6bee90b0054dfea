"""Session-wide fixtures: the real servers of tests/support/servers (started on demand)."""

pytest_plugins = [
    "tests.support.servers.moto",
    "tests.support.servers.azurite",
    "tests.support.servers.pubsub",
    "tests.support.servers.gcs",
    "tests.support.servers.firestore",
]
