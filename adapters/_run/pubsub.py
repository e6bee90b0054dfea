"""A Pub/Sub subscription delivered as an Eventarc Pub/Sub trigger delivers it.

Eventarc pushes each message as the ``google.cloud.pubsub.topic.v1.messagePublished``
CloudEvent (https://cloud.google.com/eventarc/docs/cloudevents#pubsub, data:
``{"message": {data (base64), attributes, messageId, publishTime, orderingKey},
"subscription"}``); here the messages are pulled, built into that CloudEvent and run
through ``adapters.gcp.cloudevent_function``:

* success acks the message; a failure (or the timeout) nacks it
  (``modify_ack_deadline`` 0), and the subscription's retry policy says when it
  comes back (https://cloud.google.com/pubsub/docs/handling-failures);
* with a dead-letter policy the service counts deliveries (``deliveryAttempt``,
  the event's ``delivery_count``) and forwards a message to the dead-letter topic
  after ``max_delivery_attempts``: the service does it, not this poller;
* messages of one ordering key run one after another, and after a failure the
  rest of that key in the pull is nacked unrun (the service redelivers them after
  the failed one, https://cloud.google.com/pubsub/docs/ordering).
"""

from __future__ import annotations

from collections import defaultdict
from functools import partial
from importlib import import_module
from typing import Any

from sdk import Function

from ._source import Batch, Options, SourceError, Tally, call_with_timeout, destination

__all__ = ["PubSubSource"]

TYPE = "google.cloud.pubsub.topic.v1.messagePublished"


def _subscription_path(address: str) -> str:
    name: str = destination(address).parsed.name
    parts = name.split("/")
    if len(parts) == 4 and parts[0] == "projects" and parts[2] == "subscriptions" and all(parts):
        return name
    if name and "/" not in name:
        from adapters._outputs.gcp._pubsub import _project

        return f"projects/{_project()}/subscriptions/{name}"
    raise SourceError(f"{address}: polyfn run reads a subscription: "
                      "pubsub://projects/PROJECT/subscriptions/NAME or pubsub://NAME")


class PubSubSource:
    provider = "gcp"

    def __init__(self, address: str, options: Options) -> None:
        self.address = address
        self.options = options
        self.path = _subscription_path(address)
        self.max_attempts: int | None = None
        self.function: Any = None

    def open(self, function: Function[Any]) -> None:
        o = self.options
        if o.batching_window or o.max_dequeue or o.batch_size:
            raise SourceError("--batch-size, --batching-window and --max-dequeue do not apply "
                              "to Pub/Sub: Eventarc delivers one message per invocation "
                              "(--concurrency sets how many at once) and the dead-letter "
                              "policy counts deliveries")
        from google.api_core.exceptions import GoogleAPIError

        from adapters._outputs.gcp._clients import cached
        from adapters.gcp import cloudevent_function

        pubsub_v1: Any = import_module("google.cloud.pubsub_v1")  # untyped
        self.client = cached("pubsub-subscriber", "PUBSUB_EMULATOR_HOST",
                             pubsub_v1.SubscriberClient)
        try:
            subscription = self.client.get_subscription(subscription=self.path, timeout=15)
        except GoogleAPIError as exc:
            raise SourceError(f"{self.address}: {type(exc).__name__}: "
                              f"{str(exc).splitlines()[0][:200]}") from None
        self.topic = subscription.topic
        policy = subscription.dead_letter_policy
        self.max_attempts = (policy.max_delivery_attempts or 5) if policy.dead_letter_topic \
            else None
        self.function = cloudevent_function(function)

    def receive(self, slots: int) -> list[Batch]:
        """At most ``slots`` messages; one batch per ordering key, one per unkeyed message."""
        from google.api_core.exceptions import DeadlineExceeded, GoogleAPIError

        try:
            answer = self.client.pull(subscription=self.path, max_messages=slots,
                                      timeout=self.options.poll_wait + 1)
        except DeadlineExceeded:
            return []
        except GoogleAPIError as exc:
            raise SourceError(f"{self.address}: {type(exc).__name__}") from None
        received = list(answer.received_messages)
        if received and self.options.visibility_timeout is not None:
            self.client.modify_ack_deadline(subscription=self.path,
                                            ack_ids=[r.ack_id for r in received],
                                            ack_deadline_seconds=self.options.visibility_timeout)
        keyed: dict[str, list[Any]] = defaultdict(list)
        batches: list[Batch] = []
        for item in received:
            key = item.message.ordering_key
            if key:
                keyed[key].append(item)
            else:
                batches.append(Batch([item]))
        return batches + [Batch(items) for items in keyed.values()]

    def process(self, batch: Batch) -> Tally:
        tally = Tally()
        held = False  # a failure holds the rest of its ordering key
        for item in batch.messages:
            tally.redelivered += item.delivery_attempt > 1
            if held:
                self._nack([item])
                continue
            ok, _ = call_with_timeout(partial(self.function, self._event(item)),
                                      self.options.timeout)
            if ok:
                self.client.acknowledge(subscription=self.path, ack_ids=[item.ack_id])
                tally.processed += 1
                continue
            held = True
            self._nack([item])
            tally.failed += 1
            last = self.max_attempts is not None and item.delivery_attempt >= self.max_attempts
            tally.dead_lettered += last
            tally.retried += not last
        return tally

    def _nack(self, items: list[Any]) -> None:
        self.client.modify_ack_deadline(subscription=self.path,
                                        ack_ids=[i.ack_id for i in items],
                                        ack_deadline_seconds=0)

    def release(self, batch: Batch) -> None:
        self._nack(batch.messages)

    def _event(self, item: Any) -> Any:
        from cloudevents.http import CloudEvent

        m = item.message
        published = _rfc3339(m.publish_time)
        message: dict[str, Any] = {
            "data": _b64(m.data), "attributes": dict(m.attributes), "messageId": m.message_id,
            "message_id": m.message_id, "publishTime": published, "publish_time": published}
        if m.ordering_key:
            message["orderingKey"] = m.ordering_key
        data: dict[str, Any] = {"message": message, "subscription": self.path}
        if item.delivery_attempt:  # set only with a dead-letter policy, as on push
            data["deliveryAttempt"] = item.delivery_attempt
        return CloudEvent({"specversion": "1.0", "id": m.message_id, "type": TYPE,
                           "source": f"//pubsub.googleapis.com/{self.topic}",
                           "time": published, "datacontenttype": "application/json"}, data)


def _b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode("ascii")


def _rfc3339(value: Any) -> str:
    """proto-plus gives a ``DatetimeWithNanoseconds``: its own RFC 3339 text."""
    text = getattr(value, "rfc3339", None)
    return str(text()) if callable(text) else str(value.isoformat().replace("+00:00", "Z"))
