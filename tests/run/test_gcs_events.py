"""Cloud Storage notifications through Pub/Sub (fake-gcs-server publishes object
finalize events to the Pub/Sub emulator), consumed by ``polyfn run`` as an Eventarc
Pub/Sub trigger delivers them: a message whose attributes name the event
(https://cloud.google.com/storage/docs/pubsub-notifications#attributes) and whose
data is the object's metadata."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.servers._base import serve
from tests.support.servers.gcs import GCS
from tests.support.servers.pubsub import PROJECT, PubSub

from .conftest import run_until_idle

TOPIC = "gcs-events"


class NotifyingGCS(GCS):
    """fake-gcs-server with its Pub/Sub notifications on (``-event.*``)."""

    name = "fake-gcs-server-events"
    emulator = ""

    def command(self) -> list[str]:
        return [*super().command(), "-event.pubsub-project-id", PROJECT,
                "-event.pubsub-topic", TOPIC]

    def env(self) -> dict[str, str]:
        return {**os.environ, "PUBSUB_EMULATOR_HOST": self.emulator}


@pytest.fixture(scope="module")
def notifying_gcs(pubsub_server: PubSub) -> Iterator[NotifyingGCS]:
    from google.api_core.exceptions import AlreadyExists
    from google.cloud import pubsub_v1

    with pytest.MonkeyPatch.context() as patch:  # the topic must exist before an event
        patch.setenv("PUBSUB_EMULATOR_HOST", pubsub_server.host_port)
        pub = pubsub_v1.PublisherClient()
        with contextlib.suppress(AlreadyExists):  # the session's emulator keeps topics
            pub.create_topic(name=pub.topic_path(PROJECT, TOPIC))
    NotifyingGCS.emulator = pubsub_server.host_port
    yield from serve(NotifyingGCS)


def test_an_upload_arrives_as_a_storage_notification(pubsub: PubSub,
                                                     notifying_gcs: NotifyingGCS,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import pubsub_v1, storage

    sub = pubsub_v1.SubscriberClient()
    path = sub.subscription_path(PROJECT, "gcs-events-fn")
    sub.create_subscription(name=path, topic=f"projects/{PROJECT}/topics/{TOPIC}")
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", notifying_gcs.url)
    client = storage.Client(project=PROJECT, credentials=AnonymousCredentials())
    client.create_bucket("inbox").blob("a/report.csv").upload_from_string(
        b"x,y\n", content_type="text/csv")
    seen: list[Any] = []
    run_until_idle(f"pubsub://{path}", seen.append, idle=2.0)

    (event,) = seen
    assert event.attributes["eventType"] == "OBJECT_FINALIZE"
    assert (event.attributes["bucketId"], event.attributes["objectId"]) == ("inbox",
                                                                            "a/report.csv")
    assert event.data["name"] == "a/report.csv" and event.data["contentType"] == "text/csv"
