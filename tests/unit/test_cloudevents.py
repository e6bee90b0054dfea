"""adapters.cloudevents: structured, batched and binary CloudEvents, the type table,
Firestore values (JSON and protobuf) and ``Event.to_cloudevent`` round trips."""

from __future__ import annotations

import base64
import json
import math
from datetime import datetime, timezone
from typing import Any

import pytest

import adapters.cloudevents as ce
from adapters.cloudevents._types import _PREFIXES, DECODERS
from adapters.gcp._changes import apply_delta
from sdk import (
    Change,
    Event,
    EventDecodeError,
    Message,
    StorageEvent,
    UnsupportedEventError,
)
from tests.unit.test_imports import PROVIDER_LIBS, loaded_after

SECRET = "s3cr3t-value"


def structured(**overrides: Any) -> dict[str, Any]:
    event = {"specversion": "1.0", "id": "e-1", "source": "/orders", "type": "com.example.created",
             "time": "2024-01-02T03:04:05.5Z", "datacontenttype": "application/json",
             "data": {"order": 7}}
    event.update(overrides)
    return {k: v for k, v in event.items() if v is not None}


def one(raw: Any) -> Event[Any]:
    [event] = ce.decode(raw)
    return event


# -- structured mode ------------------------------------------------------------

def test_structured_event_attributes_data_and_extensions() -> None:
    event = one(structured(subject="o/7", partitionKey="p1", sampled=True, priority=3,
                           dataschema="https://example.com/s.json"))
    assert (event.provider, event.trigger, event.kind) == ("cloudevents", "cloudevents", "event")
    assert (event.id, event.source, event.type, event.subject) == (
        "e-1", "/orders", "com.example.created", "o/7")
    assert event.time == datetime(2024, 1, 2, 3, 4, 5, 500000, tzinfo=timezone.utc)
    assert event.data == {"order": 7}
    assert event.data_content_type == "application/json"
    # Extension names are lower-cased, values in their canonical string form.
    assert event.attributes == {"partitionkey": "p1", "sampled": "true", "priority": "3",
                                "dataschema": "https://example.com/s.json"}


def test_data_base64_is_bytes_decoded_lazily() -> None:
    event = one(structured(data=None, data_base64=base64.b64encode(b"\x00\xff").decode(),
                           datacontenttype="application/octet-stream"))
    assert event.has_undecoded_payload
    assert event.data == b"\x00\xff"


def test_malformed_data_base64_fails_when_read_not_before() -> None:
    event = one(structured(data=None, data_base64="%%%"))
    with pytest.raises(EventDecodeError):
        _ = event.data


def test_json_string_data_stays_a_string_but_text_data_follows_the_data_rule() -> None:
    assert one(structured(data="[1, 2]")).data == "[1, 2]"  # a JSON string value
    assert one(structured(data="[1, 2]", datacontenttype=None)).data == "[1, 2]"
    text = one(structured(data="hello", datacontenttype="text/plain"))
    assert text.data == "hello"
    assert one(structured(data='{"a": 1}', datacontenttype="text/plain")).data == {"a": 1}


def test_cloudevents_0_3_base64_data() -> None:
    event = one(structured(specversion="0.3", datacontentencoding="base64",
                           datacontenttype="text/plain", data=base64.b64encode(b"hi").decode()))
    assert event.data == "hi"


@pytest.mark.parametrize(("overrides", "keys"), [
    ({"id": None}, ("id",)),
    ({"id": None, "source": "", "type": 5}, ("id", "source", "type")),
    ({"specversion": "2.0"}, ("specversion",)),
    ({"time": "not-a-time"}, ("time",)),
    ({"data_base64": "AA=="}, ("data", "data_base64")),
])
def test_invalid_events_name_the_keys_never_the_values(overrides: dict[str, Any],
                                                       keys: tuple[str, ...]) -> None:
    raw = structured(data={"password": SECRET}, **overrides)
    if overrides.get("time") == "not-a-time":
        raw["time"] = f"{SECRET}"
    with pytest.raises(EventDecodeError) as info:
        ce.decode(raw)
    assert info.value.keys == keys
    assert SECRET not in str(info.value)
    assert str(info.value).startswith("cloudevents.structured:")


def test_only_cloudevent_shapes_are_detected() -> None:
    assert ce.detect(structured()).name == "cloudevents.structured"
    assert ce.detect([structured(), structured(id="e-2")]).name == "cloudevents.batch"
    assert ce.detect(ce.HTTPMessage({}, b"")).name == "cloudevents.http"
    for raw in ({"type": "x", "source": "y"}, [], [structured(), {"id": 1}], "text"):
        with pytest.raises(UnsupportedEventError, match="cloudevents"):
            ce.detect(raw)


def test_batch_decodes_every_event_in_order() -> None:
    events = ce.decode([structured(id="a"), structured(id="b", data=[1])])
    assert [(e.id, e.data) for e in events] == [("a", {"order": 7}), ("b", [1])]


# -- HTTP binding -----------------------------------------------------------------

def test_binary_mode_headers_are_attributes_and_body_is_data() -> None:
    message = ce.HTTPMessage(
        [("CE-SpecVersion", "1.0"), ("ce-id", "b-1"), ("ce-source", "/s"), ("ce-type", "t"),
         ("ce-subject", "caf%C3%A9%20au%20lait"), ("ce-time", "2024-01-02T03:04:05Z"),
         ("ce-traceparent", "00-abc-def-01"), ("Content-Type", "application/json")],
        b'{"n": 1}')
    event = one(message)
    assert (event.id, event.source, event.type) == ("b-1", "/s", "t")
    assert event.subject == "café au lait"  # percent-decoded (HTTP binding 3.1.3.2)
    assert event.attributes == {"traceparent": "00-abc-def-01"}
    assert event.data_content_type == "application/json"
    assert event.data == {"n": 1}
    assert event.raw is message


def test_binary_mode_without_body_has_no_data() -> None:
    event = one(ce.HTTPMessage({"ce-specversion": "1.0", "ce-id": "1", "ce-source": "/s",
                                "ce-type": "t"}))
    assert event.data is None


def test_structured_and_batched_requests() -> None:
    body = json.dumps(structured()).encode()
    event = one(ce.HTTPMessage({"content-type": "application/cloudevents+json; charset=utf-8"},
                               body))
    assert event.data == {"order": 7}
    batch = ce.HTTPMessage({"content-type": "application/cloudevents-batch+json"},
                           json.dumps([structured(id="1"), structured(id="2")]))
    assert [e.id for e in ce.decode(batch)] == ["1", "2"]


@pytest.mark.parametrize(("headers", "body", "keys"), [
    ({"content-type": "application/json"}, b"{}", ("ce-specversion", "content-type")),
    ({"content-type": "application/cloudevents+json"}, b"{nope", ("body",)),
    ({"content-type": "application/cloudevents-batch+json"}, b"{}", ()),
    ({"content-type": "application/cloudevents+json"}, b'{"id": "1", "source": "/", "type": "t"}',
     ("specversion",)),
    ({"ce-specversion": "1.0", "ce-id": SECRET}, b"", ("source", "type")),
])
def test_requests_that_are_not_cloudevents(headers: dict[str, str], body: bytes,
                                           keys: tuple[str, ...]) -> None:
    with pytest.raises(EventDecodeError) as info:
        ce.decode(ce.HTTPMessage(headers, body))
    assert info.value.trigger == "cloudevents.http"
    assert info.value.keys == keys
    assert SECRET not in str(info.value)


# -- the type table ---------------------------------------------------------------

def test_an_exact_type_beats_a_prefix_and_the_longer_prefix_wins() -> None:
    def named(label: str) -> Any:
        return lambda parts: Event(provider=parts.provider, trigger=label)

    saved, saved_prefixes = dict(DECODERS), list(_PREFIXES)
    try:
        ce.register("com.test.", named("short"))
        ce.register("com.test.orders.", named("long"))
        ce.register("com.test.orders.created", named("exact"))
        triggers = [one(structured(type=t)).trigger for t in
                    ("com.test.x", "com.test.orders.paid", "com.test.orders.created")]
        assert triggers == ["short", "long", "exact"]
    finally:
        DECODERS.clear()
        DECODERS.update(saved)
        _PREFIXES[:] = saved_prefixes
    assert one(structured(type="com.test.x")).trigger == "cloudevents"


def test_parts_from_another_adapter() -> None:
    """What adapters.gcp hands over: attributes and data as functions-framework has them."""
    parts = ce.CloudEventParts(
        {"id": "1", "source": "//storage.googleapis.com/projects/_/buckets/b", "specversion": "1.0",
         "type": "google.cloud.storage.object.v1.deleted", "time": "2024-01-02T03:04:05Z",
         "Foo": "bar"},
        {"bucket": "b", "name": "k", "size": "3"}, provider="gcp", trigger="gcp.cloudevent")
    event = ce.decode_parts(parts)
    assert isinstance(event, StorageEvent)
    assert (event.provider, event.trigger, event.operation) == ("gcp", "gcp.storage", "deleted")
    assert event.time == datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    assert event.attributes["foo"] == "bar"
    unknown = ce.decode_parts(ce.CloudEventParts({"id": "1", "source": "s", "type": "x.y"},
                                                 b'{"a": 1}', provider="gcp", trigger="gcp.ce"))
    assert (type(unknown), unknown.trigger, unknown.data) == (Event, "gcp.ce", {"a": 1})


def test_decode_cloudevent_from_the_cloudevents_library() -> None:
    from cloudevents.http import CloudEvent

    source = CloudEvent({"type": "google.cloud.pubsub.topic.v1.messagePublished",
                         "source": "//pubsub.googleapis.com/projects/p/topics/t"},
                        {"message": {"data": base64.b64encode(b"hi").decode(),
                                     "messageId": "m-1", "attributes": {"k": "v"}},
                         "subscription": "projects/p/subscriptions/s", "deliveryAttempt": 3})
    event = ce.decode_cloudevent(source, provider="gcp")
    assert isinstance(event, Message)
    assert (event.provider, event.trigger, event.id, event.data) == ("gcp", "gcp.pubsub", "m-1",
                                                                     "hi")
    assert (event.queue, event.topic, event.delivery_count) == ("s", "t", 3)
    assert event.attributes == {"k": "v", "subscription": "projects/p/subscriptions/s"}
    generic = ce.decode_cloudevent(CloudEvent({"type": "x", "source": "/s"}, None),
                                   provider="gcp", trigger="gcp.cloudevent")
    assert generic.native["type"] == "x"  # the library's own event


def test_native_of_a_generic_event_is_the_librarys_cloudevent() -> None:
    native = one(structured(traceparent="00-a-b-01")).native
    assert type(native).__name__ == "CloudEvent"
    assert (native["id"], native.data, native["traceparent"]) == ("e-1", {"order": 7}, "00-a-b-01")


def test_google_decoders_reject_malformed_data_by_key() -> None:
    bad = [
        ("google.cloud.pubsub.topic.v1.messagePublished", {"message": SECRET}, ["message"]),
        ("google.cloud.pubsub.topic.v1.messagePublished",
         {"message": {"data": "aGk=", "publishTime": SECRET}}, ["message.publishTime"]),
        ("google.cloud.storage.object.v1.finalized", {"size": SECRET}, ["size"]),
        ("google.cloud.storage.object.v1.finalized", [SECRET], ["data"]),
        ("google.cloud.firestore.document.v1.written",
         {"value": {"fields": {"n": {"integerValue": SECRET}}}},
         ["value.fields.n.integerValue"]),
    ]
    for ce_type, data, keys in bad:
        with pytest.raises(EventDecodeError) as info:
            ce.decode(structured(type=ce_type, data=data))
        assert list(info.value.keys) == keys
        assert SECRET not in str(info.value)


def test_pubsub_message_with_bad_base64_fails_when_read() -> None:
    event = one(structured(type="google.cloud.pubsub.topic.v1.messagePublished",
                           source="//pubsub.googleapis.com/projects/p/topics/t",
                           data={"message": {"data": "not base64!", "messageId": "1"}}))
    with pytest.raises(EventDecodeError):
        _ = event.data


# -- Firestore ----------------------------------------------------------------------

FIRESTORE_TYPE = "google.cloud.firestore.document.v1"
DOC = "projects/p/databases/(default)/documents/users/u1/orders/o1"


def test_firestore_values_decode_to_plain_python() -> None:
    fields = {
        "i": {"integerValue": "-9007199254740993"}, "d": {"doubleValue": 2.5},
        "nan": {"doubleValue": "NaN"}, "b": {"booleanValue": False}, "s": {"stringValue": "x"},
        "n": {"nullValue": None}, "t": {"timestampValue": "2020-04-23T14:23:53.241123456Z"},
        "bytes": {"bytesValue": base64.b64encode(b"\x00\x01").decode()},
        "ref": {"referenceValue": "projects/p/databases/(default)/documents/a/b"},
        "geo": {"geoPointValue": {"latitude": 1.5}},
        "map": {"mapValue": {"fields": {"inner": {"arrayValue": {"values": [
            {"integerValue": "1"}, {"mapValue": {}}]}}}}},
        "empty": {"arrayValue": {}},
    }
    event = one(structured(type=f"{FIRESTORE_TYPE}.created",
                           data={"value": {"name": DOC, "fields": fields}}))
    assert isinstance(event, Change)
    new = event.new
    assert new["i"] == -9007199254740993 and new["d"] == 2.5 and math.isnan(new["nan"])
    assert (new["b"], new["s"], new["n"]) == (False, "x", None)
    assert new["t"] == datetime(2020, 4, 23, 14, 23, 53, 241123, tzinfo=timezone.utc)
    assert new["bytes"] == b"\x00\x01"
    assert new["ref"] == "projects/p/databases/(default)/documents/a/b"
    assert new["geo"] == {"latitude": 1.5, "longitude": 0.0}
    assert new["map"] == {"inner": [1, {}]} and new["empty"] == []
    # No document extension or subject here: the path comes from the document's name.
    assert (event.operation, event.table, event.keys) == (
        "insert", "users/u1/orders", {"id": "o1", "path": "users/u1/orders/o1"})


@pytest.mark.parametrize(("suffix", "data", "operation"), [
    ("updated", {"value": {"name": DOC}, "oldValue": {"name": DOC}}, "update"),
    ("deleted.withAuthContext", {"oldValue": {"name": DOC}}, "delete"),
    ("written", {"oldValue": {"name": DOC}}, "delete"),
    ("written", {"value": {"name": DOC}, "oldValue": {}}, "insert"),
])
def test_firestore_operation_from_type_or_presence(suffix: str, data: dict[str, Any],
                                                   operation: str) -> None:
    event = one(structured(type=f"{FIRESTORE_TYPE}.{suffix}", authtype="service_account",
                           data=data))
    assert event.operation == operation
    assert event.attributes["authtype"] == "service_account"


def _document_event_protobuf() -> bytes:
    from google.events.cloud.firestore_v1 import (
        ArrayValue,
        Document,
        DocumentEventData,
        MapValue,
        Value,
    )
    from google.protobuf import struct_pb2
    from google.type import latlng_pb2

    old = Document(name=DOC, fields={"qty": Value(integer_value=1)})
    new = Document(name=DOC, fields={
        "qty": Value(integer_value=2), "price": Value(double_value=9.5),
        "paid": Value(boolean_value=True), "note": Value(null_value=struct_pb2.NULL_VALUE),
        "at": Value(timestamp_value=datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=timezone.utc)),
        "blob": Value(bytes_value=b"\x00\xfe"),
        "where": Value(geo_point_value=latlng_pb2.LatLng(latitude=51.5, longitude=-0.1)),
        "tags": Value(array_value=ArrayValue(values=[Value(string_value="a")])),
        "meta": Value(map_value=MapValue(fields={"by": Value(reference_value=DOC)})),
    })
    message = DocumentEventData(value=new, old_value=old)
    return bytes(DocumentEventData.serialize(message))


PROTOBUF_NEW = {
    "qty": 2, "price": 9.5, "paid": True, "note": None,
    "at": datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=timezone.utc), "blob": b"\x00\xfe",
    "where": {"latitude": 51.5, "longitude": -0.1}, "tags": ["a"], "meta": {"by": DOC},
}


def test_firestore_protobuf_from_eventarc_in_binary_mode() -> None:
    message = ce.HTTPMessage(
        {"ce-specversion": "1.0", "ce-id": "1", "ce-type": f"{FIRESTORE_TYPE}.written",
         "ce-source": "//firestore.googleapis.com/projects/p/databases/(default)",
         "ce-subject": "documents/users/u1/orders/o1", "ce-document": "users/u1/orders/o1",
         "ce-database": "(default)", "content-type": "application/protobuf"},
        _document_event_protobuf())
    event = one(message)
    assert isinstance(event, Change)
    assert (event.operation, event.old, event.new) == ("update", {"qty": 1}, PROTOBUF_NEW)
    assert event.attributes["database"] == "(default)"
    assert event.native.value.fields["qty"].integer_value == 2  # google-events' own object


def test_firestore_protobuf_in_structured_mode_and_garbage() -> None:
    encoded = base64.b64encode(_document_event_protobuf()).decode()
    event = one(structured(type=f"{FIRESTORE_TYPE}.updated", data=None, data_base64=encoded,
                           datacontenttype="application/protobuf",
                           subject="documents/users/u1/orders/o1"))
    assert event.new == PROTOBUF_NEW
    with pytest.raises(EventDecodeError, match="DocumentEventData") as info:
        ce.decode(structured(type=f"{FIRESTORE_TYPE}.updated", data=None,
                             data_base64=base64.b64encode(b"\xff\xff\xff").decode(),
                             datacontenttype="application/protobuf"))
    assert info.value.trigger == "gcp.firestore"


# -- Realtime Database --------------------------------------------------------------

def test_rtdb_delta_merges_deeply_and_null_deletes() -> None:
    before = {"a": {"b": 1, "c": 2}, "d": 3, "e": [1]}
    assert apply_delta(before, {"a": {"c": None, "x": 9}, "d": None, "e": [2]}) == {
        "a": {"b": 1, "x": 9}, "e": [2]}
    assert apply_delta(None, {"a": {"b": None, "c": 1}}) == {"a": {"c": 1}}
    assert apply_delta({"a": 1}, "scalar") == "scalar"
    assert before == {"a": {"b": 1, "c": 2}, "d": 3, "e": [1]}  # not mutated


def test_rtdb_created_takes_the_delta_as_the_new_value() -> None:
    event = one(structured(
        type="google.firebase.database.ref.v1.created",
        source="//firebasedatabase.googleapis.com/projects/_/locations/europe-west1/instances/i",
        ref="/users/u1", data={"data": None, "delta": {"name": "Ada"}}))
    assert (event.operation, event.table, event.old, event.new) == (
        "insert", "users/u1", None, {"name": "Ada"})
    assert (event.attributes["instance"], event.attributes["location"]) == ("i", "europe-west1")


# -- to_cloudevent ------------------------------------------------------------------

def test_to_cloudevent_round_trip_keeps_attributes_and_data() -> None:
    for data, ctype in (({"a": [1, 2]}, "application/json"), (b"\x00\xff", None),
                        ("plain text", "text/plain"), ("json string", None)):
        event = Event(provider="aws", trigger="aws.sqs", id="i-1", source="/q", type="t.x",
                      subject="s", time=datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=timezone.utc),
                      data=data, data_content_type=ctype,
                      attributes={"traceparent": "00-a-b-01", "partitionkey": "p"})
        document = event.to_cloudevent()
        assert document["specversion"] == "1.0"
        back = one(json.loads(json.dumps(document)))  # it is plain JSON
        assert (back.id, back.source, back.type, back.subject, back.time) == (
            "i-1", "/q", "t.x", "s", event.time)
        assert back.data == data
        assert back.attributes == event.attributes


def test_binary_data_that_is_valid_utf8_comes_back_as_text_by_the_data_rule() -> None:
    back = one(Event(provider="local", trigger="t", data=b"\x00\x01").to_cloudevent())
    assert back.payload_bytes_or_text() == b"\x00\x01"
    assert back.data == "\x00\x01"


def test_to_cloudevent_defaults_and_attribute_names() -> None:
    event = Message(provider="aws", trigger="aws.sqs", data={"n": 1},
                    attributes={"Content-Language": "en", "type": "x", "ÄÖ": "dropped",
                                "content_language": "second"})
    document = event.to_cloudevent()
    assert document["source"] == "/polyfn/aws/aws.sqs"
    assert document["type"] == "polyfn.message"
    assert len(document["id"]) == 36  # a UUID
    assert document["datacontenttype"] == "application/json"
    assert (document["contentlanguage"], document["xtype"]) == ("en", "x")
    assert "ÄÖ" not in document and "" not in document
    assert "time" not in document and "subject" not in document


def test_a_google_storage_event_survives_the_round_trip() -> None:
    raw = structured(type="google.cloud.storage.object.v1.metadataUpdated",
                     source="//storage.googleapis.com/projects/_/buckets/b",
                     data={"bucket": "b", "name": "k/v.txt", "size": "12", "generation": "7"})
    event = one(raw)
    back = one(event.to_cloudevent())
    assert isinstance(back, StorageEvent)
    assert (back.bucket, back.key, back.size, back.version, back.operation) == (
        "b", "k/v.txt", 12, "7", "metadata_updated")


# -- import cost ----------------------------------------------------------------------

def test_import_and_decode_stay_light() -> None:
    code = (
        "import adapters.cloudevents as ce, sys\n"
        "ce.decode({'specversion': '1.0', 'id': '1', 'source': '/s', 'type': "
        "'google.cloud.storage.object.v1.finalized', 'data': {'bucket': 'b', 'name': 'k'}})\n"
        "assert 'adapters.cloudevents._app' not in sys.modules\n"
    )
    loaded = loaded_after(code)
    assert not loaded & (PROVIDER_LIBS | {"pydantic", "pydantic_core", "proto"})


def test_apps_load_no_provider_library() -> None:
    loaded = loaded_after("from adapters.cloudevents import asgi_app, wsgi_app\n"
                          "wsgi_app(lambda e: None); asgi_app(lambda e: None)")
    assert not loaded & (PROVIDER_LIBS | {"pydantic", "pydantic_core"})


def test_exported_members() -> None:
    for name in ce.__all__:
        assert getattr(ce, name) is not None, name
    with pytest.raises(AttributeError):
        _ = ce.not_a_member  # type: ignore[attr-defined]


# -- Dapr pub/sub -----------------------------------------------------------------------
# The envelope Dapr's docs show for a published message
# (docs.dapr.io: pubsub-cloudevents, "Dapr CloudEvents").
DAPR = {
    "specversion": "1.0", "type": "com.dapr.event.sent", "source": "checkout",
    "id": "5929aaac-a5e2-4ca1-859c-edfe73f11565", "datacontenttype": "application/json",
    "topic": "orders", "pubsubname": "order-pub-sub",
    "traceparent": "00-113ad9c4e42b27583ae98ba698d54255-e3743e35ff56f219-01",
    "data": {"orderId": 1},
}


def test_a_dapr_pubsub_event_is_a_message() -> None:
    event = one(DAPR)
    assert isinstance(event, Message)
    assert (event.kind, event.provider, event.trigger) == (
        "message", "cloudevents", "cloudevents.dapr.pubsub")
    assert (event.id, event.source, event.topic) == (DAPR["id"], "checkout", "orders")
    assert event.data == {"orderId": 1}
    assert event.attributes["pubsubname"] == "order-pub-sub"
    assert event.attributes["traceparent"] == DAPR["traceparent"]


def test_a_dapr_event_in_binary_mode_is_the_same_message() -> None:
    headers = {f"ce-{k}": v for k, v in DAPR.items() if k not in ("data", "datacontenttype")}
    headers["content-type"] = "application/json"
    binary = one(ce.HTTPMessage(headers, json.dumps(DAPR["data"]).encode()))
    structured = one(DAPR)
    assert binary.to_dict() == structured.to_dict()
