"""Google Cloud events as JSON: structured CloudEvents of Google's types (Pub/Sub,
Cloud Storage, Firestore, Cloud Scheduler, audit logs, any Eventarc type), a
1st-gen background event and a Pub/Sub push body.

Types and data: https://github.com/googleapis/google-cloudevents; 1st gen:
https://cloud.google.com/functions/1stgendocs/writing/write-event-driven-functions;
push: https://cloud.google.com/pubsub/docs/push#receive_push.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ._common import DEFAULT_TIME, as_bytes, b64, iso, new_id
from ._common import structured_event as structured

__all__ = ["PROJECT", "audit_log", "background", "eventarc", "firestore", "pubsub",
           "pubsub_push", "scheduler", "storage", "structured"]

PROJECT = "polyfn-project"
_DATA = '{"message": "hello"}'


def _message(data: Any, attributes: Mapping[str, str] | None, message_id: str | None,
             ordering_key: str | None, time: datetime) -> dict[str, Any]:
    message_id = message_id or str(int(new_id().replace("-", ""), 16))[:16]
    message: dict[str, Any] = {"data": b64(data), "attributes": dict(attributes or {}),
                               "messageId": message_id, "message_id": message_id,
                               "publishTime": iso(time), "publish_time": iso(time)}
    if ordering_key:
        message["orderingKey"] = ordering_key
    return message


def pubsub(data: Any = _DATA, *, topic: str = "polyfn-topic",
           subscription: str = "polyfn-subscription", attributes: Mapping[str, str] | None = None,
           message_id: str | None = None, ordering_key: str | None = None,
           time: datetime = DEFAULT_TIME) -> dict[str, Any]:
    """A Pub/Sub ``messagePublished`` CloudEvent (Eventarc, 2nd gen)."""
    message = _message(data, attributes, message_id, ordering_key, time)
    body = {"message": message,
            "subscription": f"projects/{PROJECT}/subscriptions/{subscription}"}
    return structured("google.cloud.pubsub.topic.v1.messagePublished",
                      f"//pubsub.googleapis.com/projects/{PROJECT}/topics/{topic}", body,
                      event_id=message["messageId"], time=time)


def pubsub_push(data: Any = _DATA, *, subscription: str = "polyfn-subscription",
                attributes: Mapping[str, str] | None = None, message_id: str | None = None,
                delivery_attempt: int | None = None, time: datetime = DEFAULT_TIME
                ) -> dict[str, Any]:
    """The body a Pub/Sub push subscription POSTs to its endpoint."""
    body: dict[str, Any] = {"message": _message(data, attributes, message_id, None, time),
                            "subscription": f"projects/{PROJECT}/subscriptions/{subscription}"}
    if delivery_attempt is not None:
        body["deliveryAttempt"] = delivery_attempt
    return body


def _object(name: str, bucket: str, size: int, content_type: str, time: datetime
            ) -> dict[str, Any]:
    generation = "1714564800000000"
    return {"kind": "storage#object", "id": f"{bucket}/{name}/{generation}",
            "selfLink": f"https://www.googleapis.com/storage/v1/b/{bucket}/o/{name}",
            "name": name, "bucket": bucket, "generation": generation, "metageneration": "1",
            "contentType": content_type, "timeCreated": iso(time), "updated": iso(time),
            "storageClass": "STANDARD", "timeStorageClassUpdated": iso(time),
            "size": str(size), "md5Hash": "XrY7u+Ae7tCTyyK7j1rNww==",
            "mediaLink": f"https://storage.googleapis.com/download/storage/v1/b/{bucket}/o/{name}",
            "crc32c": "yZRlqg==", "etag": "CKih16GjycICEAE="}


def storage(name: str = "uploads/hello.txt", *, bucket: str = "polyfn-bucket",
            event: str = "finalized", size: int = 1024, content_type: str = "text/plain",
            time: datetime = DEFAULT_TIME) -> dict[str, Any]:
    """A Cloud Storage object CloudEvent (``event``: finalized, deleted, archived,
    metadataUpdated)."""
    return structured(f"google.cloud.storage.object.v1.{event}",
                      f"//storage.googleapis.com/projects/_/buckets/{bucket}",
                      _object(name, bucket, size, content_type, time),
                      subject=f"objects/{name}", time=time)


def background(name: str = "uploads/hello.txt", *, bucket: str = "polyfn-bucket",
               event_type: str = "google.storage.object.finalize", size: int = 1024,
               time: datetime = DEFAULT_TIME) -> dict[str, Any]:
    """A 1st-gen background event (``--signature-type event``): a Cloud Storage one."""
    return {"context": {"eventId": new_id(), "timestamp": iso(time), "eventType": event_type,
                        "resource": {"service": "storage.googleapis.com",
                                     "name": f"projects/_/buckets/{bucket}/objects/{name}",
                                     "type": "storage#object"}},
            "data": _object(name, bucket, size, "text/plain", time)}


def _value(value: Any) -> dict[str, Any]:
    """A Python value as a Firestore ``Value`` in JSON."""
    if value is None:
        return {"nullValue": None}
    if isinstance(value, bool):
        return {"booleanValue": value}
    if isinstance(value, int):
        return {"integerValue": str(value)}
    if isinstance(value, float):
        return {"doubleValue": value}
    if isinstance(value, (bytes, bytearray)):
        return {"bytesValue": b64(bytes(value))}
    if isinstance(value, datetime):
        return {"timestampValue": iso(value, digits=6)}
    if isinstance(value, Mapping):
        return {"mapValue": {"fields": {str(k): _value(v) for k, v in value.items()}}}
    if isinstance(value, (list, tuple)):
        return {"arrayValue": {"values": [_value(v) for v in value]}}
    return {"stringValue": str(value)}


def _document(path: str, database: str, fields: Mapping[str, Any] | None, time: datetime
              ) -> dict[str, Any]:
    if fields is None:
        return {}
    return {"name": f"projects/{PROJECT}/databases/{database}/documents/{path}",
            "fields": {str(k): _value(v) for k, v in fields.items()},
            "createTime": iso(time, digits=6), "updateTime": iso(time, digits=6)}


def firestore(value: Mapping[str, Any] | None = None, old: Mapping[str, Any] | None = None, *,
              document: str = "users/user-1", event: str = "written",
              database: str = "(default)", time: datetime = DEFAULT_TIME) -> dict[str, Any]:
    """A Firestore document CloudEvent in JSON (``event``: created, updated, deleted,
    written); ``value`` is the document after, ``old`` before. Neither: a new document."""
    if value is None and old is None:
        value = {"name": "Ada", "visits": 1}
    data = {"oldValue": _document(document, database, old, time),
            "value": _document(document, database, value, time),
            "updateMask": {"fieldPaths": sorted(value or {})} if old and value else {}}
    return structured(f"google.cloud.firestore.document.v1.{event}",
                      f"//firestore.googleapis.com/projects/{PROJECT}/databases/{database}",
                      data, subject=f"documents/{document}", time=time)


def scheduler(job: str = "polyfn-job", *, data: Any = None, location: str = "us-central1",
              time: datetime = DEFAULT_TIME) -> dict[str, Any]:
    """A Cloud Scheduler ``executed`` CloudEvent (``data`` is the job's custom data)."""
    body = {} if data is None else {"customData": base64.b64encode(as_bytes(data)).decode()}
    return structured("google.cloud.scheduler.job.v1.executed",
                      f"//cloudscheduler.googleapis.com/projects/{PROJECT}/locations/"
                      f"{location}/jobs/{job}", body, time=time)


def audit_log(method: str = "storage.buckets.create", *, service: str = "storage.googleapis.com",
              resource: str = "projects/_/buckets/polyfn-bucket",
              time: datetime = DEFAULT_TIME) -> dict[str, Any]:
    """A Cloud Audit Logs CloudEvent (an Eventarc audit log trigger)."""
    log = f"projects/{PROJECT}/logs/cloudaudit.googleapis.com%2Factivity"
    data = {"protoPayload": {"@type": "type.googleapis.com/google.cloud.audit.AuditLog",
                             "serviceName": service, "methodName": method,
                             "resourceName": resource,
                             "authenticationInfo": {"principalEmail": "user@example.com"}},
            "insertId": new_id()[:12], "resource": {"type": "audited_resource",
                                                   "labels": {"project_id": PROJECT}},
            "timestamp": iso(time, digits=6), "severity": "NOTICE", "logName": log}
    return structured("google.cloud.audit.log.v1.written",
                      f"//cloudaudit.googleapis.com/{log}", data,
                      subject=f"{service}/{resource}", time=time,
                      methodname=method, servicename=service, resourcename=resource)


def eventarc(data: Any = None, *, type: str = "com.example.orders.placed",
             source: str = "//polyfn.example.com/orders", subject: str | None = None,
             time: datetime = DEFAULT_TIME) -> dict[str, Any]:
    """Any other CloudEvent Eventarc delivers (custom or third-party types)."""
    return structured(type, source, {"message": "hello"} if data is None else data,
                      subject=subject, time=time)
