"""Pub/Sub on the emulator, seen the way Google delivers it: topics and
subscriptions of the tests' own, pulls, and the CloudEvent Eventarc makes of a
pulled message, run through a polyfn ``cloudevent_function`` handler."""

from __future__ import annotations

import uuid
from typing import Any

from google.protobuf.json_format import MessageToDict

from adapters.gcp import cloudevent_function
from tests.support.servers.pubsub import PROJECT

PUBLISHED = "google.cloud.pubsub.topic.v1.messagePublished"


def unique_name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def topic_with(ordered: bool = False, **subscription: Any) -> tuple[str, str]:
    from google.cloud import pubsub_v1

    topic = pubsub_v1.PublisherClient().create_topic(
        name=f"projects/{PROJECT}/topics/{unique_name('t')}").name
    sub = pubsub_v1.SubscriberClient().create_subscription(request={
        "name": f"projects/{PROJECT}/subscriptions/{unique_name('s')}", "topic": topic,
        "enable_message_ordering": ordered, **subscription}).name
    return topic, sub


def pull(subscription: str, count: int) -> list[Any]:
    from google.cloud import pubsub_v1

    subscriber = pubsub_v1.SubscriberClient()
    received: list[Any] = []
    for _ in range(20):
        answer = subscriber.pull(subscription=subscription, max_messages=10, timeout=10)
        received += answer.received_messages
        if answer.received_messages:
            subscriber.acknowledge(subscription=subscription,
                                   ack_ids=[m.ack_id for m in answer.received_messages])
        if len(received) >= count:
            break
    return received


def eventarc(received: Any, topic: str, subscription: str) -> Any:
    """The CloudEvent Eventarc delivers for one pulled message
    (https://cloud.google.com/eventarc/docs/cloudevents#pubsub)."""
    from cloudevents.http import CloudEvent

    message = MessageToDict(received.message._pb)
    return CloudEvent({
        "type": PUBLISHED, "source": f"//pubsub.googleapis.com/{topic}",
        "id": message["messageId"], "time": message["publishTime"],
        "specversion": "1.0", "datacontenttype": "application/json",
    }, {"message": message, "subscription": subscription})


def handle(events: list[Any]) -> list[Any]:
    seen: list[Any] = []
    function = cloudevent_function(seen.append)
    for event in events:
        function(event)
    return seen
