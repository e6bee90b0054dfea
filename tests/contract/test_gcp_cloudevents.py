"""Every Google CloudEvent sample decodes to its uniform kind with fields from the payload.

Covered by glob: full CloudEvents (``*-cloudevent-input/output.json``,
``structured-*.json``) and every bare ``data-*.json`` payload, wrapped here in an
envelope of the type its folder stands for. Expectations are derived from each
payload by the rules Google documents, not by calling the adapter's helpers.
The ``*-legacy-*`` files are 1st-gen background events: adapters.gcp's samples.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

import adapters.cloudevents as ce
from sdk import Change, Event, Message, Schedule, StorageEvent, UnsupportedEventError
from tests.support.samples import load, params, sample_files

CLOUDEVENTS = params("gcp/*/*cloudevent-*.json") + params("gcp/*/structured-*.json")
DATA = params("gcp/*/data-*.json")

#: Folder -> (CloudEvent type, source, subject) of the envelope built for data-only samples.
ENVELOPES: dict[str, tuple[str, str, str | None]] = {
    "pubsub": ("google.cloud.pubsub.topic.v1.messagePublished",
               "//pubsub.googleapis.com/projects/my-project/topics/my-topic", None),
    "storage": ("google.cloud.storage.object.v1.finalized",
                "//storage.googleapis.com/projects/_/buckets/sample-bucket", None),
    "firestore": ("google.cloud.firestore.document.v1.written",
                  "//firestore.googleapis.com/projects/project-id/databases/(default)", None),
    "audit-log": ("google.cloud.audit.log.v1.written",
                  "//cloudaudit.googleapis.com/projects/test-project/logs/data_access", None),
    "cloudbuild": ("google.cloud.cloudbuild.build.v1.statusChanged",
                   "//cloudbuild.googleapis.com/projects/p/locations/global/builds/b1",
                   "builds/b1"),
    "scheduler": ("google.cloud.scheduler.job.v1.executed",
                  "//cloudscheduler.googleapis.com/projects/p/locations/us-central1/jobs/nightly",
                  None),
    "firebase-auth": ("google.firebase.auth.user.v1.created",
                      "//firebaseauth.googleapis.com/projects/my-project-id", "users/u1"),
    "firebase-rtdb": ("google.firebase.database.ref.v1.written",
                      "//firebasedatabase.googleapis.com/projects/_/locations/us-central1/"
                      "instances/my-instance", "refs/users/u1"),
    "firebase-remote-config": ("google.firebase.remoteconfig.remoteTemplate.v1.published",
                               "//firebaseremoteconfig.googleapis.com/projects/p", None),
    "firebase-analytics": ("google.firebase.analytics.log.v1.written",
                           "//firebaseanalytics.googleapis.com/projects/p/apps/a",
                           "events/session_start"),
    "firebase-testlab": ("google.firebase.testlab.testMatrix.v1.completed",
                         "//firebasetestlab.googleapis.com/projects/p", "testMatrices/m1"),
    "firebase-alerts": ("google.firebase.firebasealerts.alerts.v1.published",
                        "//firebasealerts.googleapis.com/projects/p", None),
}

#: Folder -> google-events class name ``event.native`` is an instance of.
NATIVE = {
    "pubsub": "MessagePublishedData", "storage": "StorageObjectData",
    "firestore": "DocumentEventData", "audit-log": "LogEntryData",
    "cloudbuild": "BuildEventData", "scheduler": "SchedulerJobData",
    "firebase-auth": "AuthEventData", "firebase-rtdb": "ReferenceEventData",
    "firebase-remote-config": "RemoteConfigEventData", "firebase-analytics": "AnalyticsLogData",
    "firebase-testlab": "TestMatrixEventData", "firebase-alerts": "AlertData",
}


def _time(text: str) -> datetime:
    """RFC 3339 -> aware UTC, microsecond precision (Google sends nanoseconds)."""
    head, _, rest = text.rstrip("Z").partition(".")
    micro = int(rest[:6].ljust(6, "0")) if rest else 0
    parsed = datetime.strptime(head, "%Y-%m-%dT%H:%M:%S")
    return parsed.replace(microsecond=micro, tzinfo=timezone.utc)


def _envelope(path: Path) -> dict[str, Any]:
    folder = path.parent.name
    ce_type, source, subject = ENVELOPES[folder]
    data = load(path)
    if folder == "firestore":
        name = (data.get("value") or data.get("oldValue"))["name"]
        subject = "documents/" + name.split("/documents/", 1)[1]
    envelope = {"specversion": "1.0", "id": f"id-{path.stem}", "source": source,
                "type": ce_type, "time": "2024-05-06T07:08:09.123456789Z",
                "datacontenttype": "application/json", "data": data}
    if subject:
        envelope["subject"] = subject
    return envelope


def _firestore_value(value: dict[str, Any]) -> Any:
    """A Firestore Value as the proto3 JSON mapping documents it."""
    (kind, inner), = value.items()
    if kind == "mapValue":
        return {k: _firestore_value(v) for k, v in inner.get("fields", {}).items()}
    if kind == "arrayValue":
        return [_firestore_value(v) for v in inner.get("values", [])]
    return {
        "nullValue": lambda: None, "integerValue": lambda: int(inner),
        "timestampValue": lambda: _time(inner), "bytesValue": lambda: base64.b64decode(inner),
        "geoPointValue": lambda: {"latitude": inner.get("latitude", 0.0),
                                  "longitude": inner.get("longitude", 0.0)},
    }.get(kind, lambda: inner)()


def _fields(document: dict[str, Any] | None) -> dict[str, Any] | None:
    if not document:
        return None
    return {k: _firestore_value(v) for k, v in document.get("fields", {}).items()}


def _check_pubsub(event: Event[Any], envelope: dict[str, Any]) -> None:
    data = envelope["data"]
    message = data["message"]
    assert isinstance(event, Message)
    assert event.id == message["messageId"]
    assert event.time == _time(message["publishTime"])
    payload = base64.b64decode(message["data"])
    assert event.payload_bytes_or_text() == payload
    assert event.data == payload.decode("utf-8")  # every sample's message is UTF-8 (text rule)
    for name, value in message.get("attributes", {}).items():
        assert event.attributes[name] == value
    assert event.topic == envelope["source"].rsplit("/topics/", 1)[1]
    if "subscription" in data:
        assert event.queue == data["subscription"].rsplit("/", 1)[1]
        assert event.attributes["subscription"] == data["subscription"]
    else:
        assert event.queue is None
    assert event.ordering_key == message.get("orderingKey")
    assert event.native.message.message_id == message["messageId"]


def _check_storage(event: Event[Any], envelope: dict[str, Any]) -> None:
    obj = envelope["data"]
    assert isinstance(event, StorageEvent)
    assert (event.bucket, event.key, event.operation) == (obj["bucket"], obj["name"], "created")
    assert event.size == int(obj["size"])  # a string in Google's JSON, a number in some samples
    assert event.etag == obj["etag"]
    assert event.content_type == obj["contentType"]
    assert event.version == str(obj["generation"])
    assert event.attributes["md5hash"] == obj["md5Hash"]
    assert event.attributes["crc32c"] == obj["crc32c"]
    assert event.data == obj
    assert event.native.name == obj["name"]


def _check_firestore(event: Event[Any], envelope: dict[str, Any]) -> None:
    data = envelope["data"]
    assert isinstance(event, Change)
    old, new = _fields(data.get("oldValue")), _fields(data.get("value"))
    assert (event.old, event.new) == (old, new)
    assert event.operation == ("update" if old and new else "insert" if new else "delete")
    path = envelope["subject"].removeprefix("documents/")
    assert event.table == path.rsplit("/", 1)[0]
    assert event.keys == {"id": path.rsplit("/", 1)[1], "path": path}
    assert event.data == (new if new is not None else old)


def _check_rtdb(event: Event[Any], envelope: dict[str, Any]) -> None:
    data, ce_type = envelope["data"], envelope["type"]
    assert isinstance(event, Change)
    assert event.table == envelope["subject"].removeprefix("refs/")
    source = envelope["source"]
    assert event.attributes["instance"] == source.rsplit("/instances/", 1)[1]
    assert event.attributes["location"] == source.split("/locations/")[1].split("/")[0]
    if ce_type.endswith(".deleted"):
        assert (event.operation, event.old, event.new) == ("delete", data["data"], None)
    elif data["data"] is None:
        assert (event.operation, event.old, event.new) == ("insert", None, data["delta"])
    else:
        assert event.operation == "update"
        assert event.old == data["data"]
        # After = data with delta merged in (firebase-functions applyChange).
        expected = json.loads(json.dumps(data["data"]))
        for key, value in data["delta"].items():
            if isinstance(value, dict) and isinstance(expected.get(key), dict):
                expected[key].update(value)
            else:
                expected[key] = value
        assert event.new == expected


def _check_audit(event: Event[Any], envelope: dict[str, Any]) -> None:
    proto = envelope["data"]["protoPayload"]
    assert type(event) is Event
    assert event.subject == proto["resourceName"]
    assert event.attributes["methodname"] == proto["methodName"]
    assert event.attributes["servicename"] == proto["serviceName"]
    assert event.data == envelope["data"]


def _check_scheduler(event: Event[Any], envelope: dict[str, Any]) -> None:
    assert isinstance(event, Schedule)
    assert event.schedule == envelope["source"].rsplit("/jobs/", 1)[1]
    custom = base64.b64decode(envelope["data"]["customData"])
    assert event.payload_bytes_or_text() == custom
    assert event.data == custom.decode("utf-8")
    assert event.scheduled_time is None  # not in the event: never a guess


def _check_generic(event: Event[Any], envelope: dict[str, Any]) -> None:
    assert type(event) is Event
    assert event.data == envelope["data"]
    assert event.subject == envelope.get("subject")


CHECKS = {
    "pubsub": _check_pubsub, "storage": _check_storage, "firestore": _check_firestore,
    "firebase-rtdb": _check_rtdb, "audit-log": _check_audit, "scheduler": _check_scheduler,
}


def _check(event: Event[Any], envelope: dict[str, Any], folder: str) -> None:
    assert event.provider == "cloudevents"
    assert event.trigger == "gcp." + folder.replace("-", ".")
    assert event.type == envelope["type"]
    assert event.source == envelope["source"]
    if folder != "pubsub":  # a message's own id and publish time win (checked there)
        assert event.id == envelope["id"]
        assert event.time == _time(envelope["time"])
    CHECKS.get(folder, _check_generic)(event, envelope)
    assert type(event.native).__name__ == NATIVE[folder]


@pytest.mark.parametrize("path", CLOUDEVENTS)
def test_cloudevent_sample(path: Path) -> None:
    envelope = load(path)
    [event] = ce.decode(envelope)
    _check(event, envelope, path.parent.name)


@pytest.mark.parametrize("path", DATA)
def test_data_sample_in_an_envelope(path: Path) -> None:
    envelope = _envelope(path)
    [event] = ce.decode(envelope)
    _check(event, envelope, path.parent.name)


def _binary(envelope: dict[str, Any]) -> ce.HTTPMessage:
    # HTTP binding 3.1.3.2: space, '"', '%' and non-printable ASCII are percent-encoded.
    safe = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '"%')
    headers = {f"ce-{k}": quote(str(v), safe=safe) for k, v in envelope.items()
               if k not in ("data", "datacontenttype")}
    headers["content-type"] = envelope.get("datacontenttype", "application/json")
    return ce.HTTPMessage(headers, json.dumps(envelope["data"]).encode())


@pytest.mark.parametrize("path", CLOUDEVENTS)
def test_every_http_mode_decodes_alike(path: Path) -> None:
    """A structured dict, a structured request, a batch and binary mode: one event."""
    envelope = load(path)
    expected = ce.decode(envelope)[0].to_dict()
    body = json.dumps(envelope).encode()
    structured = ce.HTTPMessage({"Content-Type": "application/cloudevents+json"}, body)
    batch = ce.HTTPMessage({"Content-Type": "application/cloudevents-batch+json"},
                           json.dumps([envelope, envelope]).encode())
    for message, count in ((structured, 1), (batch, 2), (_binary(envelope), 1)):
        events = ce.decode(message)
        assert [e.to_dict() for e in events] == [expected] * count


def test_legacy_samples_are_not_cloudevents() -> None:
    """1st-gen background events belong to adapters.gcp: no CloudEvents trigger matches."""
    legacy = sample_files("gcp/*/*-legacy-*.json")
    assert legacy
    for path in legacy:
        with pytest.raises(UnsupportedEventError, match="cloudevents"):
            ce.detect(load(path))


def test_every_gcp_sample_is_covered_here_or_by_the_gcp_adapter() -> None:
    covered = {p for pattern in ("gcp/*/*cloudevent-*.json", "gcp/*/structured-*.json",
                                 "gcp/*/data-*.json", "gcp/*/*-legacy-*.json")
               for p in sample_files(pattern)}
    assert set(sample_files("gcp/**/*.json")) == covered
    assert {p.parent.name for p in covered} == set(ENVELOPES) == set(NATIVE)


def test_other_providers_payloads_are_not_taken_for_cloudevents() -> None:
    for path in sample_files("aws/*/*.json")[:40] + sample_files("azure/eventgrid/*.json"):
        raw = load(path)
        assert not any(trigger.matches(raw) for trigger in ce.TRIGGERS), path
