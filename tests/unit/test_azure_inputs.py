"""Tests of the Azure trigger inputs (adapters.testing.azure, named for the tests by
tests/support/azure_inputs.py): the objects azure.functions' converters build expose,
via their public accessors, exactly what was put in."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

import azure.functions as func
import pytest
from azure.functions.blob import BlobConverter
from azure.functions.cosmosdb import CosmosDBTriggerConverter
from azure.functions.eventgrid import EventGridEventInConverter
from azure.functions.eventhub import EventHubTriggerConverter
from azure.functions.http import HttpRequestConverter
from azure.functions.queue import QueueMessageInConverter
from azure.functions.servicebus import ServiceBusMessageInConverter
from azure.functions.timer import TimerRequestConverter

try:
    from tests.support import azure_inputs as ai
except ModuleNotFoundError:  # project root not on sys.path
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from tests.support import azure_inputs as ai

UTC = dt.timezone.utc
T0 = dt.datetime(2024, 3, 10, 8, 30, 15, tzinfo=UTC)


# ---------------------------------------------------------------------------- samples


def _samples_root() -> Path:
    return Path(os.environ.get("POLYFN_SAMPLES", "/work/shared/samples")) / "azure"


def _sample_dir(name: str) -> Path:
    folder = _samples_root() / name
    if not folder.is_dir() or not any(folder.glob("*.json")):
        pytest.skip(f"Azure sample folder {folder} is absent (set POLYFN_SAMPLES)")
    return folder


def _eventgrid_samples() -> list[tuple[str, dict[str, Any]]]:
    folder = _samples_root() / "eventgrid"
    events: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        loaded = json.loads(path.read_text(encoding="utf-8"))
        items = loaded if isinstance(loaded, list) else [loaded]
        events.extend((f"{path.name}[{i}]", item) for i, item in enumerate(items))
    return events


_EVENTGRID = _eventgrid_samples()


# --------------------------------------------------------------------------- registry


@pytest.mark.parametrize(
    ("binding_type", "converter"),
    [
        ("httpTrigger", HttpRequestConverter),
        ("queueTrigger", QueueMessageInConverter),
        ("serviceBusTrigger", ServiceBusMessageInConverter),
        ("eventHubTrigger", EventHubTriggerConverter),
        ("timerTrigger", TimerRequestConverter),
        ("blobTrigger", BlobConverter),
        ("eventGridTrigger", EventGridEventInConverter),
        ("cosmosDBTrigger", CosmosDBTriggerConverter),
    ],
)
def test_builders_use_the_converter_the_worker_would_pick(
    binding_type: str, converter: type
) -> None:
    assert ai.converter_for(binding_type) is converter


def test_unknown_binding_type_is_an_error() -> None:
    with pytest.raises(LookupError):
        ai.converter_for("noSuchTrigger")


# ------------------------------------------------------------------------------- HTTP


def test_http_request_defaults() -> None:
    req = ai.http_request()
    assert isinstance(req, func.HttpRequest)
    assert req.method == "GET"
    assert req.url == "https://app.azurewebsites.net/api/items/42?x=1"
    assert dict(req.params) == {"x": "1"}
    assert dict(req.route_params) == {}
    assert dict(req.headers) == {}
    assert req.get_body() == b""


def test_http_request_fields() -> None:
    req = ai.http_request(
        "post",
        "https://app.azurewebsites.net/api/orders/7?page=2&q=red+shoes&tag=a&Tag=b&empty=",
        headers={"Content-Type": "application/json", "X-Request-Id": "r-1"},
        body='{"qty": 3}',
        route_params={"id": "7", "n": 5, "skip": None},
    )
    assert req.method == "POST"  # HttpRequest upper-cases the method
    assert req.url.endswith("/api/orders/7?page=2&q=red+shoes&tag=a&Tag=b&empty=")
    # query: decoded, repeated keys joined with ",", empty values left out
    assert dict(req.params) == {"page": "2", "q": "red shoes", "tag": "a,b"}
    assert dict(req.route_params) == {"id": "7", "n": "5"}
    assert req.headers["content-type"] == "application/json"
    assert req.headers["X-REQUEST-ID"] == "r-1"  # case-insensitive lookup
    assert sorted(req.headers) == ["content-type", "x-request-id"]  # names lower-cased
    assert req.get_body() == b'{"qty": 3}'
    assert req.get_json() == {"qty": 3}


def test_http_request_bytes_body() -> None:
    payload = bytes(range(256))
    req = ai.http_request("PUT", body=payload)
    assert req.get_body() == payload


def test_http_repeated_headers_are_comma_joined() -> None:
    req = ai.http_request(
        headers=[
            ("Cookie", "a=1"),
            ("cookie", "b=2"),
            ("X-Forwarded-For", "203.0.113.7"),
            ("X-Forwarded-For", ""),
            ("X-Forwarded-For", "10.0.0.1"),
            ("X-Empty", ""),
        ]
    )
    assert req.headers["cookie"] == "a=1,b=2"
    assert req.headers["x-forwarded-for"] == "203.0.113.7,10.0.0.1"
    assert req.headers["x-empty"] == ""
    assert len(req.headers) == 3
    assert not hasattr(req.headers, "getlist")  # one string per name, nothing more


# ------------------------------------------------------------------------------ queue


def test_queue_message_fields() -> None:
    msg = ai.queue_message(
        '{"order": 7}',
        id="0f2b8a1c-1111-2222-3333-444455556666",
        dequeue_count=3,
        insertion_time=T0,
        expiration_time=T0 + dt.timedelta(days=2),
        next_visible_time=T0 + dt.timedelta(seconds=30),
        pop_receipt="pop-1",
    )
    assert isinstance(msg, func.QueueMessage)
    assert msg.get_body() == b'{"order": 7}'
    assert msg.get_json() == {"order": 7}
    assert msg.id == "0f2b8a1c-1111-2222-3333-444455556666"
    assert msg.dequeue_count == 3
    assert msg.insertion_time == T0
    assert msg.insertion_time.tzinfo is not None  # aware (DateTimeOffset)
    assert msg.insertion_time.utcoffset() == dt.timedelta(0)
    assert msg.expiration_time == T0 + dt.timedelta(days=2)
    assert msg.time_next_visible == T0 + dt.timedelta(seconds=30)
    assert msg.pop_receipt == "pop-1"


def test_queue_message_defaults_and_time_normalisation() -> None:
    msg = ai.queue_message(b"\x00\x01raw", insertion_time=dt.datetime(2024, 1, 2, 3, 4, 5, 678))
    assert msg.get_body() == b"\x00\x01raw"
    assert msg.dequeue_count == 1
    # naive input = UTC; storage times have whole-second precision
    assert msg.insertion_time == dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert msg.expiration_time == msg.insertion_time + dt.timedelta(days=7)
    assert msg.time_next_visible == msg.insertion_time + dt.timedelta(minutes=10)


def test_queue_message_non_utc_input_is_converted_to_utc() -> None:
    cet = dt.timezone(dt.timedelta(hours=1))
    msg = ai.queue_message("x", insertion_time=dt.datetime(2024, 3, 10, 9, 30, 15, tzinfo=cet))
    assert msg.insertion_time == T0
    assert msg.insertion_time.utcoffset() == dt.timedelta(0)


# -------------------------------------------------------------------------- Service Bus


def test_servicebus_message_fields() -> None:
    enqueued = dt.datetime(2024, 3, 10, 8, 30, 15, 123456, tzinfo=UTC)
    msg = ai.servicebus_message(
        '{"id": 1}',
        message_id="m-1",
        delivery_count=2,
        session_id="s-1",
        correlation_id="c-1",
        content_type="application/json",
        application_properties={"tenant": "t1", "attempt": 2, "flag": True},
        subject="order.created",
        reply_to="replies",
        to="orders",
        partition_key="pk-1",
        sequence_number=987654321012,
        enqueued_time=enqueued,
        expires_at=enqueued + dt.timedelta(hours=1),
        lock_token="lock-1",
    )
    assert isinstance(msg, func.ServiceBusMessage)
    assert msg.get_body() == b'{"id": 1}'
    assert msg.message_id == "m-1"
    assert msg.delivery_count == 2
    assert msg.session_id == "s-1"
    assert msg.correlation_id == "c-1"
    assert msg.content_type == "application/json"
    assert msg.application_properties == {"tenant": "t1", "attempt": 2, "flag": True}
    assert msg.user_properties == msg.application_properties  # back-compat twin
    assert msg.subject == "order.created"
    assert msg.label == "order.created"
    assert msg.reply_to == "replies"
    assert msg.to == "orders"
    assert msg.partition_key == "pk-1"
    assert msg.sequence_number == 987654321012
    assert msg.lock_token == "lock-1"
    # EnqueuedTimeUtc = DateTimeOffset.DateTime (kind Unspecified): naive UTC wall clock
    assert msg.enqueued_time_utc == enqueued.replace(tzinfo=None)
    assert msg.enqueued_time_utc is not None and msg.enqueued_time_utc.tzinfo is None
    assert msg.expires_at_utc == (enqueued + dt.timedelta(hours=1)).replace(tzinfo=None)
    metadata = msg.metadata
    assert metadata is not None
    assert metadata["ApplicationProperties"] == {"tenant": "t1", "attempt": 2, "flag": True}
    assert metadata["EnqueuedTime"] == "2024-03-10T08:30:15.123456+00:00"


def test_servicebus_message_absent_optionals_are_none() -> None:
    msg = ai.servicebus_message(b"\xff\x00")
    assert msg.get_body() == b"\xff\x00"
    assert msg.delivery_count == 1
    assert msg.application_properties == {}
    for attr in ("session_id", "correlation_id", "content_type", "subject", "reply_to", "to"):
        assert getattr(msg, attr) is None, attr
    assert msg.enqueued_time_utc == ai.DEFAULT_TIME.replace(tzinfo=None)
    assert msg.expires_at_utc == (ai.DEFAULT_TIME + dt.timedelta(days=14)).replace(tzinfo=None)


# --------------------------------------------------------------------------- Event Hubs


def test_eventhub_event_fields() -> None:
    event = ai.eventhub_event(
        '{"temp": 21.5}',
        partition_key="device-7",
        sequence_number=4242,
        offset=8589934592,
        enqueued_time=T0,
        properties={"source": "sensor"},
        system_properties={"iothub-connection-device-id": "device-7"},
    )
    assert isinstance(event, func.EventHubEvent)
    assert event.get_body() == b'{"temp": 21.5}'
    assert event.partition_key == "device-7"
    assert event.sequence_number == 4242
    assert event.offset == "8589934592"  # cardinality one: read as str
    assert event.enqueued_time == T0.replace(tzinfo=None)  # naive UTC wall clock
    assert event.iothub_metadata == {"connection-device-id": "device-7"}
    metadata = event.metadata
    assert metadata is not None
    assert metadata["Properties"] == {"source": "sensor"}
    assert metadata["PartitionContext"]["ConsumerGroup"] == "$Default"


def test_eventhub_event_without_partition_key() -> None:
    event = ai.eventhub_event(b"\x01\x02")
    assert event.get_body() == b"\x01\x02"
    assert event.partition_key is None
    assert event.sequence_number == 1
    assert event.offset == "0"


def test_eventhub_event_sample_body() -> None:
    for path in sorted(_sample_dir("event-hubs").glob("*.json")):
        raw = path.read_bytes()
        event = ai.eventhub_event(raw, sequence_number=5)
        assert event.get_body() == raw, path.name
        assert json.loads(event.get_body()) == json.loads(raw)


def test_eventhub_batch_fields() -> None:
    events = ai.eventhub_batch(
        ["one", "two", "three"],
        partition_key="pk",
        sequence_number=100,
        offset=4096,
        enqueued_time=T0,
        properties=[{"i": 0}, {"i": 1}, {"i": 2}],
    )
    assert [e.get_body() for e in events] == [b"one", b"two", b"three"]
    assert [e.sequence_number for e in events] == [100, 101, 102]
    offsets: list[object] = [e.offset for e in events]  # typed Optional[str] by the library,
    assert offsets == [4096, 4099, 4102]  # but ints with cardinality many
    assert {e.partition_key for e in events} == {"pk"}
    assert {e.enqueued_time for e in events} == {T0.replace(tzinfo=None)}
    metadata = events[0].metadata
    assert metadata is not None
    assert metadata["SequenceNumberArray"] == [100, 101, 102]
    assert metadata["OffsetArray"] == ["4096", "4099", "4102"]
    assert metadata["PropertiesArray"] == [{"i": 0}, {"i": 1}, {"i": 2}]
    assert events[1].metadata == metadata  # one metadata map shared by the batch


def test_eventhub_batch_binary_and_sample_body() -> None:
    raw = b"\x00\xffbinary"
    bodies = [raw]
    for path in sorted(_sample_dir("event-hubs").glob("*.json")):
        bodies.append(path.read_bytes())
    events = ai.eventhub_batch(bodies)
    assert [e.get_body() for e in events] == bodies
    assert [e.partition_key for e in events] == [None] * len(bodies)


def test_eventhub_batch_rejects_mixed_and_mismatched_input() -> None:
    with pytest.raises(TypeError):
        ai.eventhub_batch(["a", b"b"])  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        ai.eventhub_batch(["a", "b"], properties=[{}])


def test_eventhub_batch_empty_string_body_breaks_decode_like_the_worker() -> None:
    # string[] -> collection_string drops empty entries for the Python worker, so the
    # converter sees fewer bodies than SystemPropertiesArray entries.
    with pytest.raises(AssertionError, match="mismatched"):
        ai.eventhub_batch(["a", "", "c"])
    events = ai.eventhub_batch([b"a", b"", b"c"])  # collection_bytes keeps them
    assert [e.get_body() for e in events] == [b"a", b"", b"c"]


# ------------------------------------------------------------------------------ timer


def test_timer_request_fields() -> None:
    timer = ai.timer_request(
        past_due=True,
        last=T0,
        next=T0 + dt.timedelta(minutes=5),
        last_updated=T0 + dt.timedelta(seconds=1, microseconds=500000),
    )
    assert isinstance(timer, func.TimerRequest)
    assert timer.past_due is True
    assert timer.schedule_status == {
        "Last": "2024-03-10T08:30:15+00:00",
        "Next": "2024-03-10T08:35:15+00:00",
        "LastUpdated": "2024-03-10T08:30:16.5+00:00",
    }
    assert timer.schedule == {"AdjustForDST": True}


def test_timer_request_without_schedule_status() -> None:
    timer = ai.timer_request(last=None, next=None, last_updated=None)
    assert timer.past_due is False
    assert timer.schedule_status == {}


# ------------------------------------------------------------------------------- blob


def test_blob_stream_fields() -> None:
    blob = ai.blob_stream(
        b"hello blob",
        name="uploads/2024/report.csv",
        uri="https://acct.blob.core.windows.net/uploads/2024/report.csv",
        metadata={"owner": "ops"},
        content_type="text/csv",
    )
    assert isinstance(blob, func.InputStream)
    assert blob.name == "uploads/2024/report.csv"
    assert blob.uri == "https://acct.blob.core.windows.net/uploads/2024/report.csv"
    assert blob.length == len(b"hello blob")
    assert blob.read() == b"hello blob"
    assert blob.metadata == {"owner": "ops"}
    assert blob.blob_properties["ContentType"] == "text/csv"


def test_blob_stream_defaults_and_length_override() -> None:
    blob = ai.blob_stream(b"abc", length=1024)
    assert blob.name == "samples-workitems/a.txt"
    assert blob.uri == "https://polyfnstorage.blob.core.windows.net/samples-workitems/a.txt"
    assert blob.length == 1024
    assert blob.read(2) == b"ab"


# ------------------------------------------------------------------------- Event Grid


def test_eventgrid_event_fields() -> None:
    event = ai.eventgrid_event(
        {
            "id": "e-1",
            "topic": "/subscriptions/x/resourceGroups/rg",
            "subject": "/items/1",
            "eventType": "Contoso.Items.ItemReceived",
            "eventTime": "2018-01-25T22:12:19.4556811Z",
            "data": {"sku": "A1"},
            "dataVersion": "2",
            "metadataVersion": "1",
        }
    )
    assert isinstance(event, func.EventGridEvent)
    assert event.id == "e-1"
    assert event.topic == "/subscriptions/x/resourceGroups/rg"
    assert event.subject == "/items/1"
    assert event.event_type == "Contoso.Items.ItemReceived"
    # seven fractional digits are cut to six; "Z" -> aware UTC
    assert event.event_time == dt.datetime(2018, 1, 25, 22, 12, 19, 455681, tzinfo=UTC)
    assert event.get_json() == {"sku": "A1"}
    assert event.data_version == "2"


@pytest.mark.parametrize(
    "payload",
    [pytest.param(payload, id=label) for label, payload in _EVENTGRID]
    or [pytest.param({}, id="absent", marks=pytest.mark.skip(reason="no Event Grid samples"))],
)
def test_eventgrid_event_samples(payload: dict[str, Any]) -> None:
    event = ai.eventgrid_event(payload)
    assert event.id == payload["id"]
    assert event.topic == payload["topic"]
    assert event.subject == payload["subject"]
    assert event.event_type == payload["eventType"]
    assert event.data_version == payload.get("dataVersion")
    assert event.get_json() == payload.get("data")
    assert event.event_time is not None
    assert event.event_time.utcoffset() == dt.timedelta(0)
    assert event.event_time.isoformat()[:19] == payload["eventTime"][:19]


def test_eventgrid_samples_present() -> None:
    if not _EVENTGRID:
        pytest.skip(f"Azure sample folder {_samples_root() / 'eventgrid'} is absent")
    assert len(_EVENTGRID) >= 3


def test_eventgrid_rejects_arrays_and_cloudevents() -> None:
    with pytest.raises(TypeError):
        ai.eventgrid_event([{"id": "1"}])  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        ai.eventgrid_event({"specversion": "1.0", "id": "1", "source": "s", "type": "t"})


# -------------------------------------------------------------------------- Cosmos DB


def test_cosmos_documents_fields() -> None:
    docs = [{"id": "a", "n": 1, "nested": {"x": [1, 2]}}, {"id": "b", "_ts": 1700000000}]
    result = ai.cosmos_documents(docs)
    assert isinstance(result, func.DocumentList)
    assert [d.to_dict() for d in result] == docs
    assert result[0]["nested"] == {"x": [1, 2]}
    assert json.loads(result[1].to_json()) == docs[1]


def test_cosmos_documents_sample() -> None:
    for path in sorted(_sample_dir("cosmosdb").glob("*.json")):
        docs = json.loads(path.read_text(encoding="utf-8"))
        result = ai.cosmos_documents(docs)
        assert len(result) == len(docs), path.name
        assert [d.to_dict() for d in result] == docs
        assert all(isinstance(d, func.Document) for d in result)
