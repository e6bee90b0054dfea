"""1st-gen background events and raw Pub/Sub push bodies, as CloudEvents.

A 1st-gen event is converted by functions-framework's own
``event_conversion.background_event_to_cloud_event`` (the code that serves a 1st-gen
event to a CloudEvent function), so it reaches the same uniform kind, id, type,
source and subject as its 2nd-gen twin. The mapping is the conformance suite's:
https://github.com/GoogleCloudPlatform/functions-framework-conformance/blob/main/docs/mapping.md

Pub/Sub, the busiest 1st-gen trigger, skips that conversion (a deep copy of the
payload, a ``CloudEvent``, then taking it apart again cost 13x the conversion
alone): :func:`_pubsub` applies the same mapping to the payload and builds the
``Message`` with the decoder the 2nd-gen type uses. It takes only payloads the
conversion certainly accepts; anything unusual still goes through functions-framework.

Shapes: ``{"context": {"eventId", "timestamp", "eventType", "resource"}, "data"}``
and the older flat one with those keys at the top
(https://cloud.google.com/functions/1stgendocs/writing/write-event-driven-functions);
a push body is ``{"message": PubsubMessage, "subscription", "deliveryAttempt"?}``
(https://cloud.google.com/pubsub/docs/push#receive_push).
"""

from __future__ import annotations

import copy
import re
from datetime import datetime
from typing import Any

from adapters._time import common_time, decode_time
from adapters.cloudevents import decode_cloudevent
from adapters.cloudevents._types import DECODERS, CloudEventParts, decode_parts
from sdk import Context, Event, Message
from sdk.adapter import UNSET
from sdk.errors import MALFORMED, EventDecodeError, malformed

from ._cloudevent import TRIGGER, EventTrigger, cloudevent_object, make_parts
from ._events import PUBSUB, PubSubMessage, native_data, pubsub

__all__ = ["MESSAGE_PUBLISHED", "Background", "PubSubPush", "attempt", "push_event"]

MESSAGE_PUBLISHED = "google.cloud.pubsub.topic.v1.messagePublished"
#: The 1st-gen Pub/Sub types (functions-framework maps both to MESSAGE_PUBLISHED).
_PUBSUB_TYPES = frozenset({"google.pubsub.topic.publish",
                           "providers/cloud.pubsub/eventTypes/topic.publish"})
_PUBSUB_SERVICE = "pubsub.googleapis.com"
# What functions-framework's ``BackgroundEvent(**body)`` and ``Context(**context)``
# take without a TypeError: the fast path reads only payloads made of these keys.
_NESTED_KEYS = frozenset({"context", "data"})
_CONTEXT_KEYS = frozenset({"eventId", "timestamp", "eventType", "resource"})
_FLAT_KEYS = _CONTEXT_KEYS | {"data"}
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


#: The legacy Cloud Storage notification, one type for every change
#: (https://cloud.google.com/functions/1stgendocs/calling/storage#legacy_cloud_storage_triggers):
#: functions-framework maps it to ``finalized`` whatever happened; the object's
#: ``resourceState`` and ``metageneration`` say what did.
_OBJECT_CHANGE = frozenset({"providers/cloud.storage/eventTypes/object.change",
                            "google.storage.object.change"})
_DELETE, _FINALIZE, _METADATA = ("google.storage.object.delete", "google.storage.object.finalize",
                                 "google.storage.object.metadataUpdate")


def _object_change(data: Any) -> str:
    """The 1st-gen type of what an ``object.change`` notification reports:
    ``not_exists`` -> deleted; ``exists`` -> created when the metadata is the new
    generation's first (``metageneration`` 1), else its metadata was updated."""
    obj = data if isinstance(data, dict) else {}
    if obj.get("resourceState") == "not_exists":
        return _DELETE
    metageneration = obj.get("metageneration")
    return _FINALIZE if metageneration in (None, "", "1", 1) else _METADATA


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
        ctx = _context(raw)
        event_type = ctx.get("eventType")
        if not isinstance(event_type, str):
            raise EventDecodeError(self.name, "eventType must be a string", keys=["eventType"])
        if event_type in _PUBSUB_TYPES:
            message = _pubsub(raw, ctx)
            if message is not None:
                return [message]
        # Imported here, not per Pub/Sub event: an import statement costs a microsecond.
        from functions_framework.event_conversion import background_event_to_cloud_event
        from functions_framework.exceptions import EventConversionException

        try:
            body = copy.deepcopy(raw)  # the conversion edits the data (Pub/Sub, Firebase Auth)
            if event_type in _OBJECT_CHANGE:
                _context(body)["eventType"] = _object_change(body.get("data"))
            event = background_event_to_cloud_event(_Body(body, ""))
        except MALFORMED as exc:  # RecursionError: nested too deeply to copy or convert
            raise malformed(self.name, exc, raw) from None
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


def _pubsub(raw: dict[str, Any], ctx: dict[str, Any]) -> Message[Any] | None:
    """What functions-framework's conversion followed by the ``messagePublished``
    decoder gives for a 1st-gen Pub/Sub event, built from the payload directly (and
    without editing it, so no copy); ``None`` for a payload the conversion might
    refuse or read differently, which then takes the conversion itself.

    The conversion: ``source`` is ``//pubsub.googleapis.com/`` + the resource name
    (the resource's ``service`` when it names one, else the type's); the data,
    with the event's id and timestamp as ``messageId``/``publishTime`` unless it
    has them, becomes ``{"message": data}``; ``id``/``time`` are the event's.
    """
    if ctx is raw:
        known = raw.keys() <= _FLAT_KEYS
    else:
        known = raw.keys() <= _NESTED_KEYS and ctx.keys() <= _CONTEXT_KEYS
    if not known:
        return None  # an unexpected key: functions-framework may reject it
    data = raw.get("data")
    event_id = ctx.get("eventId", "")
    timestamp = ctx.get("timestamp", "")
    resource = ctx.get("resource", "")
    if isinstance(resource, dict):
        service = resource.get("service") or _PUBSUB_SERVICE
        name = resource.get("name")
    else:
        service, name = _PUBSUB_SERVICE, resource
    if (service != _PUBSUB_SERVICE or not isinstance(data, dict) or type(name) is not str
            or type(event_id) is not str or type(timestamp) is not str
            or DECODERS.get(MESSAGE_PUBLISHED) is not pubsub):  # a decoder registered over it
        return None
    # The common shape is checked now and converted on first read; anything else is
    # parsed now. Either way a malformed timestamp is an EventDecodeError (a date the
    # calendar lacks, 2024-02-30, in the common shape: when ``time`` is first read).
    time: Any = None  # UNSET in the common shape: converted on first read
    if timestamp:
        time = UNSET if common_time(timestamp) else _event_time(timestamp)
    return _FirstGenPubSub(data, "gcp", event_id, f"//{_PUBSUB_SERVICE}/{name}",
                           MESSAGE_PUBLISHED, None, time, timestamp, {}, raw, None,
                           data.get("messageId", event_id), data.get("publishTime", timestamp))


class _FirstGenPubSub(PubSubMessage):
    """A 1st-gen Pub/Sub event's message: ``time`` is the event's timestamp, checked
    at decode to be in the common shape and converted on first read; ``native`` is
    Google's MessagePublishedData as the conversion makes it, built from ``raw`` on
    first read."""

    __slots__ = ()

    def _read_time(self) -> datetime | None:
        return _event_time(_context(self.raw)["timestamp"])

    def _read_native(self) -> Any:
        raw = self.raw
        ctx = _context(raw)
        message = _converted(raw["data"], ctx.get("eventId", ""), ctx.get("timestamp", ""))
        return native_data(PUBSUB, {"message": message})


def _event_time(text: str) -> datetime | None:
    # required: a 1st-gen event always has a timestamp; the error the CloudEvent's parts raise
    return decode_time(text, TRIGGER, "time", required=True)


def _converted(data: dict[str, Any], event_id: str, timestamp: str) -> dict[str, Any]:
    """The message as functions-framework's conversion leaves it (a copy here): the
    event's id and timestamp added when missing, after the message's own keys (the
    order decides which of ``messageId``/``message_id`` protobuf's JSON reader keeps)."""
    message = dict(data)
    message.setdefault("messageId", event_id)
    message.setdefault("publishTime", timestamp)
    return message


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
