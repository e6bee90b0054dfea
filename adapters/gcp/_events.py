"""Google's CloudEvent types -> uniform kinds (registered when this module is imported).

Types and data schemas: https://github.com/googleapis/google-cloudevents (``proto/``
and ``jsonschema/``); Eventarc's list: https://cloud.google.com/eventarc/docs/reference/supported-events.

A Google type decodes to the same kind and trigger name whichever engine
delivered it (``provider`` stays the adapter's). ``event.native`` is Google's typed
data object from the ``google-events`` package, built on first access.
Database changes (Firestore, Realtime Database) live in ``_changes.py``.
``adapters.gcp`` imports both; ``adapters.cloudevents`` imports them on the first
event of a ``google.`` type (``_types.PROVIDER_TYPES``), so every engine decodes them.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from typing import Any

from adapters._http import b64_body
from adapters._time import parse_time
from adapters.cloudevents._types import (
    CloudEventParts,
    base_fields,
    data_fields,
    json_object,
    payload_value,
    produces,
    register,
)
from sdk import Event, Message, Schedule, StorageEvent
from sdk.adapter import UNSET, jsonable
from sdk.errors import EventDecodeError

__all__ = ["NATIVE", "PUBSUB", "PubSubMessage", "google_fields", "is_protobuf", "last_segment",
           "native_data", "pubsub_message", "register_google"]

#: Trigger -> google-events data class ("module:Class"), for ``event.native``.
NATIVE: dict[str, str] = {
    "gcp.pubsub": "google.events.cloud.pubsub_v1:MessagePublishedData",
    "gcp.storage": "google.events.cloud.storage_v1:StorageObjectData",
    "gcp.firestore": "google.events.cloud.firestore_v1:DocumentEventData",
    "gcp.audit.log": "google.events.cloud.audit_v1:LogEntryData",
    "gcp.cloudbuild": "google.events.cloud.cloudbuild_v1:BuildEventData",
    "gcp.scheduler": "google.events.cloud.scheduler_v1:SchedulerJobData",
    "gcp.firebase.auth": "google.events.firebase.auth_v1:AuthEventData",
    "gcp.firebase.rtdb": "google.events.firebase.database_v1:ReferenceEventData",
    "gcp.firebase.remote.config": "google.events.firebase.remoteconfig_v1:RemoteConfigEventData",
    "gcp.firebase.analytics": "google.events.firebase.analytics_v1:AnalyticsLogData",
    "gcp.firebase.testlab": "google.events.firebase.testlab_v1:TestMatrixEventData",
    "gcp.firebase.alerts": "google.events.firebase.firebasealerts_v1:AlertData",
}

#: Type prefix -> trigger, for types that stay generic events (data as sent).
GENERIC: dict[str, str] = {
    "google.firebase.auth.user.v1.": "gcp.firebase.auth",
    "google.firebase.remoteconfig.remoteTemplate.v1.": "gcp.firebase.remote.config",
    "google.firebase.analytics.log.v1.": "gcp.firebase.analytics",
    "google.firebase.testlab.testMatrix.v1.": "gcp.firebase.testlab",
    "google.firebase.firebasealerts.alerts.v1.": "gcp.firebase.alerts",
    "google.cloud.cloudbuild.build.v1.": "gcp.cloudbuild",
}

STORAGE = "google.cloud.storage.object.v1."
#: https://cloud.google.com/storage/docs/pubsub-notifications#events (CloudEvent names)
STORAGE_OPERATIONS: dict[str, str] = {
    "finalized": "created", "deleted": "deleted", "archived": "archived",
    "metadataUpdated": "metadata_updated",
}
#: StorageObjectData fields kept in ``attributes`` (CloudEvents-style names), all strings.
STORAGE_ATTRIBUTES: dict[str, str] = {
    "md5Hash": "md5hash", "crc32c": "crc32c", "metageneration": "metageneration",
    "storageClass": "storageclass",
}


def is_protobuf(parts: CloudEventParts) -> bool:
    """Eventarc sends some types (Firestore) as ``application/protobuf``."""
    return "protobuf" in (parts.attribute("datacontenttype") or "").lower()


def last_segment(path: str | None, marker: str) -> str | None:
    """What follows the last ``marker`` in a resource path (``/topics/`` -> topic)."""
    if not path:
        return None
    _, found, segment = path.rpartition(marker)
    return (segment or None) if found else None


def google_fields(parts: CloudEventParts, trigger: str) -> dict[str, Any]:
    """``base_fields`` with the trigger's name and Google's typed data as ``native``."""
    fields = base_fields(parts, trigger)
    if trigger in NATIVE:
        fields["native"] = _native(NATIVE[trigger], parts, trigger)
    return fields


def _native(spec: str, parts: CloudEventParts, trigger: str) -> Callable[[], Any]:
    def build() -> Any:
        cls = _native_class(spec)
        payload = payload_value(parts, trigger)
        if isinstance(payload, bytes) and is_protobuf(parts):
            return cls.deserialize(payload)
        return _from_json(cls, json_object(parts, trigger))

    return build


def native_data(trigger: str, data: dict[str, Any]) -> Any:
    """Google's typed data object (``event.native``) of a trigger's JSON data."""
    return _from_json(_native_class(NATIVE[trigger]), data)


def _native_class(spec: str) -> Any:
    module_name, _, class_name = spec.partition(":")
    try:
        return getattr(importlib.import_module(module_name), class_name)
    except ImportError:
        raise ImportError("event.native of a Google event needs google-events: "
                          "pip install google-events googleapis-common-protos") from None


def _from_json(cls: Any, data: dict[str, Any]) -> Any:
    return cls.from_json(json.dumps(jsonable(data)), ignore_unknown_fields=True)


def _int(value: Any, trigger: str, key: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise EventDecodeError(trigger, f"{key} is not an integer", keys=[key]) from None


PUBSUB = "gcp.pubsub"


@produces(PUBSUB, Message)
def pubsub(parts: CloudEventParts) -> Event[Any]:
    """MessagePublishedData -> ``Message``: the message's own data, id and time;
    ``queue`` the subscription's short name (full path in ``attributes``)."""
    body = json_object(parts, PUBSUB)
    message = body.get("message")
    if not isinstance(message, dict):
        raise EventDecodeError(PUBSUB, "data.message must be a JSON object", keys=["message"])
    return pubsub_message(message, google_fields(parts, PUBSUB),
                          message_id=message.get("messageId"),
                          published=message.get("publishTime"),
                          time_text=parts.attributes.get("time"),
                          subscription=body.get("subscription"),
                          attempt=body.get("deliveryAttempt"))


def pubsub_message(message: dict[str, Any], fields: dict[str, Any], *, message_id: Any,
                   published: Any, time_text: Any, subscription: Any = None,
                   attempt: Any = None) -> Message[Any]:
    """The ``Message`` for one PubsubMessage of a messagePublished CloudEvent whose
    ``Event`` keyword arguments are ``fields`` (``google_fields``); see
    :class:`PubSubMessage`."""
    return PubSubMessage(message, fields["provider"], fields["id"], fields["source"],
                         fields["type"], fields["subject"], fields["time"], time_text,
                         fields["attributes"], fields["raw"], fields["native"], message_id,
                         published, subscription, attempt)


class PubSubMessage(Message[Any]):
    """One PubsubMessage as a :class:`Message`, for both generations: the
    messagePublished CloudEvent's envelope (``pubsub_message``) or what a 1st-gen
    event converts to (``adapters/gcp/_legacy.py``), built positionally (no keyword
    dict per message).

    ``time`` is the envelope's, parsed from ``time_text`` (or ``UNSET``, for a
    subclass that converts it in ``_read_time`` on first read); ``message_id`` and
    ``published`` are the message's ``messageId`` and ``publishTime`` (which the
    1st-gen conversion fills in from the event).
    ``attributes`` (the envelope's extensions) receives the subscription and the
    message's own attributes.
    """

    __slots__ = ("_encoded",)

    def __init__(self, message: dict[str, Any], provider: str, envelope_id: Any, source: Any,
                 type: Any, subject: Any,
                 time: Any, time_text: Any,
                 attributes: dict[str, str], raw: Any, native: Callable[[], Any] | None,
                 message_id: Any, published: Any, subscription: Any = None,
                 attempt: Any = None) -> None:
        encoded = message.get("data")
        if encoded is not None and encoded.__class__ is not str:
            raise EventDecodeError(PUBSUB, "message.data must be a base64 string",
                                   keys=["message.data"])
        message_id = message_id or message.get("message_id")
        if message_id is not None and message_id.__class__ is not str:
            # PubsubMessage.messageId is a string: the id names the message in logs,
            # retries and idempotency keys.
            raise EventDecodeError(PUBSUB, "message.messageId must be a string",
                                   keys=["message.messageId"])
        published = published or message.get("publish_time")
        # Senders mostly stamp the envelope with the publish time: that text is parsed once.
        if published and published != time_text:
            try:
                time = parse_time(published)
            except ValueError:
                raise EventDecodeError(PUBSUB, "message.publishTime is not an RFC 3339 "
                                       "timestamp", keys=["message.publishTime"]) from None
        queue = None
        if subscription.__class__ is str and subscription:
            attributes["subscription"] = subscription
            queue = last_segment(subscription, "/subscriptions/")
        own = message.get("attributes")
        content_type = None
        if own:  # they win a clash: they are what the publisher sent
            for name, value in own.items():
                attributes[name if name.__class__ is str else str(name)] = (
                    value if value.__class__ is str else str(value))
            # Pub/Sub has no content type: polyfn's outputs (and the knative-gcp
            # CloudEvents binding) send it as the content-type attribute.
            content_type = attributes.pop("content-type", None)
        self.queue = queue
        self.topic = last_segment(source, "/topics/")
        self.delivery_count = None if attempt is None else _int(attempt, PUBSUB,
                                                                "deliveryAttempt")
        self.ordering_key = message.get("orderingKey") or message.get("ordering_key") or None
        self.partition = None
        self.sequence = None
        self.provider = provider
        self.trigger = PUBSUB
        self.id = message_id or envelope_id
        self.source = source
        self.type = type
        self.subject = subject
        self._time = time
        self._data = UNSET
        self._payload = UNSET if encoded else None  # UNSET: message.data, still base64
        self._encoded = encoded
        # the envelope's JSON type says nothing of the message's own
        self.data_content_type = content_type
        self.attributes = attributes
        self.raw = raw
        self._native = UNSET if native is None else native

    def payload_bytes_or_text(self) -> bytes | str:
        if self._payload is UNSET:  # message.data, decoded on first read
            self._payload = b64_body(self._encoded or "")
        return super().payload_bytes_or_text()


@produces("gcp.storage", StorageEvent)
def storage(parts: CloudEventParts) -> Event[Any]:
    """StorageObjectData -> ``StorageEvent`` (``size`` and ``generation`` arrive as
    strings in Google's JSON, numbers in some samples)."""
    trigger = "gcp.storage"
    obj = json_object(parts, trigger)
    ce_type = parts.attribute("type") or ""
    fields = google_fields(parts, trigger)
    fields["attributes"].update({name: str(obj[key]) for key, name in STORAGE_ATTRIBUTES.items()
                                 if obj.get(key) is not None})
    generation = obj.get("generation")
    return StorageEvent(
        bucket=obj.get("bucket") or last_segment(parts.attribute("source"), "/buckets/"),
        key=obj.get("name") or last_segment(parts.attribute("subject"), "objects/"),
        operation=STORAGE_OPERATIONS.get(ce_type[len(STORAGE):]),
        size=_int(obj.get("size"), trigger, "size"),
        etag=obj.get("etag"),
        content_type=obj.get("contentType"),
        version=None if generation is None else str(generation),
        data=obj,
        **fields,
    )


@produces("gcp.scheduler", Schedule)
def scheduler(parts: CloudEventParts) -> Event[Any]:
    """SchedulerJobData -> ``Schedule``: data is ``customData`` (base64) decoded by the
    common rule; ``schedule`` the job's short name. Eventarc does not say when the
    run was scheduled, so ``scheduled_time`` stays ``None``."""
    trigger = "gcp.scheduler"
    has_data = parts.data is not None or parts.payload is not None
    obj = json_object(parts, trigger) if has_data else {}
    custom = obj.get("customData")
    if custom is not None and not isinstance(custom, str):
        raise EventDecodeError(trigger, "customData must be a base64 string", keys=["customData"])
    fields = google_fields(parts, trigger)
    fields["data_content_type"] = None
    return Schedule(schedule=last_segment(parts.attribute("source"), "/jobs/"),
                    payload=b64_body(custom) if custom else None, **fields)


@produces("gcp.audit.log", Event)
def audit_log(parts: CloudEventParts) -> Event[Any]:
    """LogEntryData -> generic ``Event``; ``subject`` the audited resource name,
    ``methodname``/``servicename`` in attributes (Eventarc sends them as extensions)."""
    trigger = "gcp.audit.log"
    obj = json_object(parts, trigger)
    proto = obj.get("protoPayload")
    proto = proto if isinstance(proto, dict) else {}
    fields = google_fields(parts, trigger)
    attributes = fields["attributes"]
    for name, key in (("methodname", "methodName"), ("servicename", "serviceName"),
                      ("resourcename", "resourceName")):
        if name not in attributes and isinstance(proto.get(key), str):
            attributes[name] = proto[key]
    fields["subject"] = attributes.get("resourcename") or fields["subject"]
    return Event(data=obj, **fields)


def _generic(trigger: str) -> Callable[[CloudEventParts], Event[Any]]:
    def decode(parts: CloudEventParts) -> Event[Any]:
        return Event(**google_fields(parts, trigger), **data_fields(parts))

    decode.__qualname__ = f"generic[{trigger}]"
    return produces(trigger, Event)(decode)


def register_google() -> None:
    """Register every Google type decoder (done once, at import)."""
    register("google.cloud.pubsub.topic.v1.messagePublished", pubsub)
    register(STORAGE, storage)
    register("google.cloud.scheduler.job.v1.executed", scheduler)
    register("google.cloud.audit.log.v1.", audit_log)
    for prefix, trigger in GENERIC.items():
        register(prefix, _generic(trigger))


register_google()
