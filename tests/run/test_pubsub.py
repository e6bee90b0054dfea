"""``polyfn run`` on a Pub/Sub subscription (the gcloud emulator): an Eventarc trigger.

Acked on success, nacked on failure; with a dead-letter policy the service
forwards a message after ``max_delivery_attempts`` (5 at least) and the handler
sees ``deliveryAttempt`` as ``delivery_count``; an ordering key is held by a failure.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from adapters._run import Options, open_source
from adapters._run._source import Tally
from sdk import Function
from tests.support.servers.pubsub import PROJECT, PubSub

from .conftest import run_until_idle, terminated_after_one
from .test_sqs import Flaky


def clients() -> tuple[Any, Any]:
    from google.cloud import pubsub_v1

    options = pubsub_v1.types.PublisherOptions(enable_message_ordering=True)
    return pubsub_v1.PublisherClient(publisher_options=options), pubsub_v1.SubscriberClient()


def topic_and_subscription(*, dead_letter: int | None = None, ordering: bool = False
                           ) -> tuple[str, str, str | None]:
    """(topic, subscription, dead-letter subscription) with names of their own."""
    pub, sub = clients()
    name = uuid.uuid4().hex[:10]
    topic = pub.create_topic(name=pub.topic_path(PROJECT, f"t-{name}")).name
    request: dict[str, Any] = {"name": sub.subscription_path(PROJECT, f"s-{name}"),
                               "topic": topic, "ack_deadline_seconds": 10,
                               "enable_message_ordering": ordering}
    dead = None
    if dead_letter is not None:
        dlt = pub.create_topic(name=pub.topic_path(PROJECT, f"dl-{name}")).name
        dead = sub.create_subscription(name=sub.subscription_path(PROJECT, f"dls-{name}"),
                                       topic=dlt).name
        request["dead_letter_policy"] = {"dead_letter_topic": dlt,
                                         "max_delivery_attempts": dead_letter}
    return topic, sub.create_subscription(request=request).name, dead


def publish(topic: str, body: dict[str, Any], key: str = "") -> None:
    pub, _ = clients()
    pub.publish(topic, json.dumps(body).encode(), ordering_key=key).result(timeout=30)


def pulled(subscription: str) -> list[dict[str, Any]]:
    _, sub = clients()
    out = []
    while True:
        try:
            got = sub.pull(subscription=subscription, max_messages=50, timeout=3)
        except Exception:  # DeadlineExceeded: nothing left
            return out
        if not got.received_messages:
            return out
        out += [json.loads(r.message.data) for r in got.received_messages]
        sub.acknowledge(subscription=subscription,
                        ack_ids=[r.ack_id for r in got.received_messages])


@pytest.mark.parametrize("seed", [1, 2])
def test_each_message_once_or_dead_lettered_after_max_attempts(pubsub: PubSub, seed: int
                                                               ) -> None:
    rng = random.Random(seed)
    topic, subscription, dead = topic_and_subscription(dead_letter=5)
    plan = {n: rng.choice([0, 0, 1, 4, 5, 7]) for n in range(rng.randint(4, 9))}
    for n in plan:
        publish(topic, {"n": n})
    flaky = Flaky(plan)

    tally = run_until_idle(f"pubsub://{subscription}", flaky, concurrency=rng.randint(1, 3),
                           idle=3.0)

    doomed = {n for n, fails in plan.items() if fails >= 5}
    assert sorted(flaky.succeeded) == sorted(set(plan) - doomed)
    for n in plan:  # deliveryAttempt as delivery_count
        assert flaky.counts[n] == list(range(1, flaky.attempts[n] + 1))
        assert flaky.attempts[n] == (5 if n in doomed else plan[n] + 1)
    assert dead is not None
    assert sorted(m["n"] for m in pulled(dead)) == sorted(doomed)
    assert pulled(subscription) == []
    assert (tally.processed, tally.dead_lettered) == (len(plan) - len(doomed), len(doomed))


def test_the_handler_gets_the_eventarc_cloudevent(pubsub: PubSub) -> None:
    topic, subscription, _ = topic_and_subscription()
    pub, _ = clients()
    pub.publish(topic, b'{"n": 1}', color="red").result(timeout=30)
    seen: list[Any] = []
    run_until_idle(f"pubsub://{subscription}", seen.append, idle=1.0)

    (event,) = seen
    assert event.provider == "gcp" and event.trigger == "gcp.pubsub"
    assert event.type == "google.cloud.pubsub.topic.v1.messagePublished"
    assert event.source == f"//pubsub.googleapis.com/{topic}"
    assert event.data == {"n": 1} and event.attributes["color"] == "red"
    assert event.queue == subscription.rsplit("/", 1)[1]
    assert event.delivery_count is None  # no dead-letter policy: no deliveryAttempt


def test_a_failure_holds_the_rest_of_its_ordering_key(pubsub: PubSub) -> None:
    """Within a pull, a key's messages run in order and a failure nacks the rest of
    that key unrun. (The emulator then redelivers the later messages before the
    failed one, which Pub/Sub does not: the order of redeliveries is not asserted.)"""
    topic, subscription, _ = topic_and_subscription(ordering=True)
    for n in range(6):
        publish(topic, {"n": n}, f"k{n % 2}")
    flaky = Flaky({n: 1 if n == 2 else 0 for n in range(6)})
    source = open_source(f"pubsub://{subscription}", Options())
    source.open(Function(flaky.__call__))
    batches = []
    deadline = time.monotonic() + 20
    while sum(len(b.messages) for b in batches) < 6 and time.monotonic() < deadline:
        batches += source.receive(10)
    tally = Tally()
    for batch in batches:
        tally.add(source.process(batch))

    assert sorted(flaky.attempts) == [0, 1, 2, 3, 5]  # 4 (after 2 in k0) did not run
    assert (tally.processed, tally.failed) == (4, 1)
    assert sorted(m["n"] for m in pulled(subscription)) == [2, 4]  # nacked: back at once


def test_sigterm_loses_nothing(pubsub: PubSub, tmp_path: Path) -> None:
    topic, subscription, _ = topic_and_subscription()
    for n in range(8):
        publish(topic, {"n": n})
    code, err, done = terminated_after_one(tmp_path, f"pubsub://{subscription}",
                                           "--concurrency", "2", seconds=0.5)

    assert code == 0, err
    assert sorted(done + [m["n"] for m in pulled(subscription)]) == list(range(8))


@pytest.mark.parametrize("options", [{"batch_size": 5}, {"batching_window": 2.0},
                                     {"max_dequeue": 3}])
def test_options_of_other_platforms_are_refused(options: dict[str, Any]) -> None:
    from adapters._run import SourceError

    source = open_source("pubsub://projects/test-proj/subscriptions/s", Options(**options))
    with pytest.raises(SourceError, match="do not apply to Pub/Sub"):
        source.open(Function(lambda event: None))


def test_a_topic_address_is_not_a_subscription() -> None:
    from adapters._run import SourceError

    with pytest.raises(SourceError, match="reads a subscription"):
        open_source("pubsub://projects/test-proj/topics/orders", Options())
