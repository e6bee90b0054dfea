"""1st-gen background events and raw Pub/Sub push bodies, as CloudEvents.

A 1st-gen event is converted by functions-framework's own
``event_conversion.background_event_to_cloud_event`` (the code that serves a 1st-gen
event to a CloudEvent function), so it reaches the same uniform kind, id, type,
source and subject as its 2nd-gen twin. The mapping is the conformance suite's:
https://github.com/GoogleCloudPlatform/functions-framework-conformance/blob/main/docs/mapping.md

Shapes: ``{"context": {"eventId", "timestamp", "eventType", "resource"}, "data"}``
and the older flat one with those keys at the top
(https://cloud.google.com/functions/1stgendocs/writing/write-event-driven-functions);
a push body is ``{"message": PubsubMessage, "subscription", "deliveryAttempt"?}``
(https://cloud.google.com/pubsub/docs/push#receive_push).
"""

from __future__ import annotations

import copy
import re
from typing import Any

from adapters.cloudevents import decode_cloudevent
from adapters.cloudevents._types import CloudEventParts, decode_parts
from sdk import Context, Event, Message
from sdk.errors import EventDecodeError

from ._cloudevent import TRIGGER, EventTrigger, cloudevent_object, make_parts

__all__ = ["MESSAGE_PUBLISHED", "Background", "PubSubPush", "attempt", "push_event"]

MESSAGE_PUBLISHED = "google.cloud.pubsub.topic.v1.messagePublished"
# functions-framework reads the topic from a push endpoint's URL path the same way.
_TOPIC_IN_PATH = re.compile(r"projects/[^/?]+/topics/[^/?]+")


class _Body:
    """The two things ``background_event_to_cloud_event`` reads from a request."""

    __slots__ = ("_body", "path")

    def __init__(self, body: Any, path: str) -> None:
        self._body = body
        self.path = path

    def get_json(self) -> Any:
        return self._body


def _context(raw: dict[str, Any]) -> dict[str, Any]:
    nested = raw.get("context")
    return nested if isinstance(nested, dict) else raw


class Background(EventTrigger):
    """A 1st-gen background event (``--signature-type event``), nested or flat."""

    name = "gcp.background"

    def matches(self, raw: Any) -> bool:
        if not isinstance(raw, dict) or "specversion" in raw:
            return False
        nested = raw.get("context")
        if isinstance(nested, dict):
            return "eventType" in nested
        return "eventType" in raw and "resource" in raw

    def decode(self, raw: Any, context: Context | None = None) -> list[Event[Any]]:
        from functions_framework.event_conversion import background_event_to_cloud_event
        from functions_framework.exceptions import EventConversionException

        ctx = _context(raw)
        if not isinstance(ctx.get("eventType"), str):
            raise EventDecodeError(self.name, "eventType must be a string", keys=["eventType"])
        try:
            # The conversion edits the data it is given (Pub/Sub, Firebase Auth).
            event = background_event_to_cloud_event(_Body(copy.deepcopy(raw), ""))
        except (TypeError, KeyError, AttributeError, ValueError):
            raise EventDecodeError(self.name, "malformed 1st-gen event",
                                   keys=sorted(str(k) for k in raw)) from None
        except EventConversionException:
            # A type or resource the conversion table does not know (a named
            # Firestore database, Firebase RTDB without ``domain``...): a generic
            # event under the 1st-gen names, never a dropped delivery.
            return [decode_parts(self._unconverted(raw))]
        return [decode_cloudevent(event, provider="gcp", trigger=TRIGGER, raw=raw)]

    def _unconverted(self, raw: dict[str, Any]) -> CloudEventParts:
        ctx = _context(raw)
        resource = ctx.get("resource")
        source = resource.get("name") if isinstance(resource, dict) else resource
        attributes = {"specversion": "1.0", "id": ctx.get("eventId"), "source": source,
                      "type": ctx.get("eventType"), "time": ctx.get("timestamp")}
        attributes.update(_rtdb_without_domain(ctx.get("eventType"), source))
        data = raw.get("data")
        return make_parts(attributes, data, raw=raw, trigger=self.name,
                          native=lambda: cloudevent_object(attributes, data))


# 1st-gen Realtime Database types -> their CloudEvent types. functions-framework
# needs ``domain`` to name the location and refuses without it; what a 1st-gen
# function is handed (``*-legacy-output``) has none. The location stays unknown
# (no guess); the instance, ref and kind are still known.
_RTDB_TYPES = {
    f"providers/google.firebase.database/eventTypes/ref.{old}":
        f"google.firebase.database.ref.v1.{new}"
    for old, new in (("write", "written"), ("create", "created"), ("update", "updated"),
                     ("delete", "deleted"))
}


def _rtdb_without_domain(event_type: Any, resource: Any) -> dict[str, Any]:
    ce_type = _RTDB_TYPES.get(event_type) if isinstance(event_type, str) else None
    if ce_type is None or not isinstance(resource, str) or "/refs/" not in resource:
        return {}
    instance, _, ref = resource.partition("/refs/")
    return {"type": ce_type, "subject": f"refs/{ref}",
            "source": f"//firebasedatabase.googleapis.com/{instance}"}


class PubSubPush(EventTrigger):
    """The body of a Pub/Sub push subscription request, as a ``messagePublished``
    CloudEvent (whose data has the same ``message`` + ``subscription`` shape)."""

    name = "gcp.pubsub.push"
    kind = Message

    def matches(self, raw: Any) -> bool:
        return (isinstance(raw, dict) and isinstance(raw.get("message"), dict)
                and "subscription" in raw and "specversion" not in raw and "context" not in raw
                and "eventType" not in raw)

    def decode(self, raw: Any, context: Context | None = None) -> list[Event[Any]]:
        return [push_event(raw)]


def push_event(raw: dict[str, Any], path: str = "") -> Event[Any]:
    """The event for a push body; ``path`` is the push endpoint's URL path, which
    names the topic when it ends in ``projects/P/topics/T`` (nothing else does)."""
    message = raw["message"]
    match = _TOPIC_IN_PATH.search(path)
    attributes = {
        "specversion": "1.0", "id": message.get("messageId") or message.get("message_id"),
        "source": f"//pubsub.googleapis.com/{match.group(0)}" if match else None,
        "type": MESSAGE_PUBLISHED, "datacontenttype": "application/json",
        "time": message.get("publishTime") or message.get("publish_time"),
    }
    # functions-framework's CloudEvent for a push names no topic: "//pubsub.googleapis.com/".
    native = {**attributes, "source": attributes["source"] or "//pubsub.googleapis.com/"}
    return decode_parts(make_parts(attributes, raw, raw=raw, trigger="gcp.pubsub",
                                   native=lambda: cloudevent_object(native, raw)))


def attempt(data: Any) -> int | None:
    """Pub/Sub's ``deliveryAttempt`` (sent only with a dead-letter policy)."""
    value = data.get("deliveryAttempt") if isinstance(data, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None
