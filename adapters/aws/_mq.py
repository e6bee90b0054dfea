"""Amazon MQ: ActiveMQ (``messages``) and RabbitMQ (``rmqMessagesByQueue``).

Record fields: https://docs.aws.amazon.com/lambda/latest/dg/with-mq.html. ``data``
is base64. Amazon MQ takes no partial batch response: any failed message fails
the invocation and the broker redelivers the whole batch (up to its redelivery
policy, then its dead-letter queue).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from typing import Any

from adapters._base64 import b64_bytes  # every record carries base64
from adapters._batch import BatchTrigger, lazy
from sdk import Context, Event, Message
from sdk.adapter import Record
from sdk.errors import EventDecodeError

from ._native import epoch_ms, powertools
from ._records import bytes_text

__all__ = ["MQ"]


def _text(value: Any) -> str:
    """A property or header value as text: RabbitMQ sends strings as ``{"bytes": [...]}``."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("bytes"), list):
        return bytes_text(bytes(value["bytes"]))
    return json.dumps(value, separators=(",", ":"))


def _text_map(values: Any, trigger: str, key: str) -> dict[str, str]:
    if not values:
        return {}
    if not isinstance(values, dict):
        raise EventDecodeError(trigger, f"{key} must be an object", keys=[key])
    return {str(name): _text(value) for name, value in values.items()}


def _payload(item: dict[str, Any]) -> Callable[[], bytes]:
    data = item["data"]
    if not isinstance(data, str):
        raise TypeError("data")
    return partial(b64_bytes, data)  # undone when data is read: a bad one fails alone


def _activemq(trigger: str, source: Any, queue: str | None, item: dict[str, Any]
              ) -> Message[Any]:
    destination = item.get("destination")
    return Message(
        queue=destination.get("physicalName") if isinstance(destination, dict) else None,
        provider="aws", trigger=trigger, id=item["messageID"], source=source,
        type=item.get("messageType"), time=epoch_ms(item.get("timestamp")),
        payload=_payload(item),
        attributes=_text_map(item.get("properties"), trigger, "properties"),
        raw=item, native=powertools("active_mq_event.ActiveMQMessage", item),
    )


def _rabbitmq(trigger: str, source: Any, queue: str | None, item: dict[str, Any]
              ) -> Message[Any]:
    props = item.get("basicProperties") or {}
    # basicProperties.timestamp is a locale-formatted date with no zone: left in raw.
    return Message(
        queue=queue, provider="aws", trigger=trigger, id=props.get("messageId"),
        source=source, type=props.get("type"), data_content_type=props.get("contentType"),
        payload=_payload(item),
        attributes=_text_map(props.get("headers"), trigger, "basicProperties.headers"),
        raw=item, native=powertools("rabbit_mq_event.RabbitMessage", item),
    )


def _activemq_items(messages: Any) -> list[tuple[str | None, Any]]:
    # A list, never iterated otherwise: a string would be a "message" per character.
    if not isinstance(messages, list):
        raise TypeError("messages must be a list")
    return [(None, item) for item in messages]


def _rabbitmq_items(by_queue: Any) -> list[tuple[str | None, Any]]:
    # Keys are "<queue>::<virtual host>"; each holds a list of messages.
    if not isinstance(by_queue, dict) or not all(
            isinstance(items, list) for items in by_queue.values()):
        raise TypeError("rmqMessagesByQueue must map queues to lists")
    return [(str(name).split("::", 1)[0], item)
            for name, items in by_queue.items() for item in items]


_Build = Callable[[str, Any, "str | None", dict[str, Any]], Message[Any]]
_Walk = Callable[[Any], list[tuple["str | None", Any]]]

#: eventSource -> (the key holding the messages, how to list them, how to build one).
_SHAPES: dict[str, tuple[str, _Walk, _Build]] = {
    "aws:amq": ("messages", _activemq_items, _activemq),
    "aws:rmq": ("rmqMessagesByQueue", _rabbitmq_items, _rabbitmq),
}


class MQ(BatchTrigger):
    """Amazon MQ event source mapping (ActiveMQ or RabbitMQ)."""

    name = "aws.mq"
    kind = Message
    semantics = ("No partial batch response: any failed message fails the invocation and "
                 "the broker redelivers the whole batch, then dead-letters it.")

    def matches(self, raw: Any) -> bool:
        if not isinstance(raw, dict):
            return False
        shape = _SHAPES.get(str(raw.get("eventSource")))
        return shape is not None and shape[0] in raw

    def records(self, raw: Any, context: Context | None = None, *, unwrap: bool = False
                ) -> list[Record]:
        key, walk, build = _SHAPES[raw["eventSource"]]
        try:
            pairs = walk(raw[key])
        except (AttributeError, TypeError):
            what = "a list" if key == "messages" else "an object of lists"
            raise EventDecodeError(self.name, f"{key} must be {what} of messages",
                                   keys=[key]) from None
        source = raw.get("eventSourceArn")

        def decode(queue: str | None, item: dict[str, Any]) -> list[Event[Any]]:
            return [build(self.name, source, queue, item)]

        return [Record(None, lazy(self.name, partial(decode, queue), item), label=_label(item))
                for queue, item in pairs]


def _label(item: Any) -> str | None:
    if not isinstance(item, dict):
        return None
    props = item.get("basicProperties")
    message_id = item.get("messageID") or (props.get("messageId") if isinstance(props, dict)
                                            else None)
    return message_id if isinstance(message_id, str) else None
