"""Dapr pub/sub: messages Dapr delivers to subscribers as CloudEvents.

Dapr wraps every published message in a CloudEvent of type ``com.dapr.event.sent``
with the ``topic`` and ``pubsubname`` extensions and the publisher's app id as
``source`` (https://docs.dapr.io/developing-applications/building-blocks/pubsub/pubsub-cloudevents/).
It is a topic message, so it decodes to a :class:`~sdk.Message` wherever it arrives.
"""

from __future__ import annotations

from typing import Any

from sdk import Message

from ._types import CloudEventParts, base_fields, data_fields, produces, register

__all__ = ["DAPR_PUBSUB", "dapr_message"]

#: The trigger name of a Dapr pub/sub message.
DAPR_PUBSUB = "cloudevents.dapr.pubsub"


@produces(DAPR_PUBSUB, Message)
def dapr_message(parts: CloudEventParts) -> Message[Any]:
    """``topic`` from the extension; ``pubsubname`` (the Dapr component) and the trace
    extensions stay in ``attributes``."""
    return Message(topic=parts.extensions.get("topic"), **base_fields(parts, DAPR_PUBSUB),
                   **data_fields(parts))


register("com.dapr.event.sent", dapr_message)
