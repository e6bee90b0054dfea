"""Pub/Sub and Cloud Storage outputs against the gcloud Pub/Sub emulator and
fake-gcs-server: what one polyfn handler sends or writes, the polyfn handler on
the other side receives (through a real push to functions-framework, or a pull
turned into the CloudEvent Eventarc delivers)."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any

import pytest

import sdk
from tests.outputs.buckets import missing_is_not_found, round_trip
from tests.outputs.gcp_events import PUBLISHED, eventarc, handle, pull, topic_with, unique_name
from tests.support.ff_server import FunctionsFramework
from tests.support.servers.gcs import GCS
from tests.support.servers.pubsub import PROJECT, PubSub

pytestmark = pytest.mark.servers

PAYLOADS = [
    ({"id": "7", "items": [1, 2]}, "application/json"),
    (["a", 1], "application/json"),
    ("plain text, ünïcode", "text/plain; charset=utf-8"),
    (b"\x00\x01\xffbinary", "application/octet-stream"),
    (b"utf-8 bytes stay bytes", "application/octet-stream"),
]
IDS = ["dict", "list", "text", "bytes", "utf8-bytes"]


@pytest.mark.parametrize(("data", "content_type"), PAYLOADS, ids=IDS)
def test_pubsub_round_trip(pubsub: PubSub, data: Any, content_type: str) -> None:
    topic, sub = topic_with(ordered=True)
    sent = sdk.destination(f"pubsub://{topic}").send(
        data, attributes={"tenant": "a"}, key="customer-7")
    (received,) = pull(sub, 1)
    (event,) = handle([eventarc(received, topic, sub)])
    assert event.trigger == "gcp.pubsub"
    assert event.id == sent
    assert event.data == data and type(event.data) is type(data)
    assert event.data_content_type == content_type
    assert event.ordering_key == "customer-7"
    assert {k: v for k, v in event.attributes.items() if k != "subscription"} == {
        "tenant": "a"}
    assert event.topic == topic.rsplit("/", 1)[1]


def test_pubsub_short_address_and_ordering(pubsub: PubSub) -> None:
    topic, sub = topic_with(ordered=True)
    orders = sdk.destination(f"pubsub://{topic.rsplit('/', 1)[1]}")  # project from env
    result = orders.send_many([sdk.Outgoing({"n": n}, key="customer-7") for n in range(12)])
    assert result.ok and len(set(result.ids)) == 12
    events = handle([eventarc(m, topic, sub) for m in pull(sub, 12)])
    assert [e.data["n"] for e in events] == list(range(12))  # one key: in order


def test_pubsub_errors_and_per_item_results(pubsub: PubSub) -> None:
    missing = sdk.destination(f"pubsub://projects/{PROJECT}/topics/no-such-topic")
    with pytest.raises(sdk.PublishError) as caught:
        missing.send({"card": "4111-1111"})
    assert (caught.value.provider, caught.value.code) == ("gcp.pubsub", "NotFound")
    assert "4111" not in str(caught.value)
    topic, sub = topic_with()
    result = sdk.destination(f"pubsub://{topic}").send_many([
        {"n": 1}, sdk.Outgoing({"n": 2}, attributes={"googthing": "x"}),
        sdk.Outgoing({"n": 3}, attributes={"v": "x" * 1025}), {"n": 4}])
    assert [item.ok for item in result] == [True, False, False, True]
    assert {item.error.code for item in result.failed if item.error} == {
        "polyfn.InvalidAttribute"}
    assert sorted(json.loads(m.message.data)["n"] for m in pull(sub, 2)) == [1, 4]
    with pytest.raises(sdk.PublishError, match=r"polyfn\.UnsupportedField"):
        sdk.destination(f"pubsub://{topic}").send("x", id="mine")


def test_pubsub_trace_context_is_an_attribute(pubsub: PubSub) -> None:
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider

    topic, sub = topic_with()
    with TracerProvider().get_tracer("test").start_as_current_span("produce") as span:
        sdk.destination(f"pubsub://{topic}").send({"n": 1})
        trace_id = trace.format_trace_id(span.get_span_context().trace_id)
    (event,) = handle([eventarc(m, topic, sub) for m in pull(sub, 1)])
    assert event.attributes["traceparent"].split("-")[1] == trace_id


def test_pubsub_push_to_functions_framework(pubsub: PubSub, tmp_path: Path) -> None:
    """The emulator pushes to the real functions-framework server, which turns the
    push into the messagePublished CloudEvent for a polyfn handler."""
    record = tmp_path / "events.jsonl"
    source = Path(__file__).parent / "gcp_targets" / "record.py"
    with FunctionsFramework(source, "on_message", signature_type="cloudevent",
                            env={"POLYFN_RECORD": str(record)}) as ff:
        topic, _ = topic_with(ordered=True, push_config={"push_endpoint": ff.url + "/"})
        orders = sdk.destination(f"pubsub://{topic}")
        sent = [orders.send({"id": "7"}, attributes={"tenant": "a"}),
                orders.send(b"\x00\xff", key="k-1")]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (
                not record.exists() or len(record.read_text().splitlines()) < 2):
            time.sleep(0.2)
    events = sorted((json.loads(line) for line in record.read_text().splitlines()),
                    key=lambda e: sent.index(e["id"]))
    assert [e["id"] for e in events] == sent
    first, second = events
    assert (first["trigger"], first["type"]) == ("gcp.pubsub", PUBLISHED)
    assert first["data"] == {"id": "7"} and first["attributes"]["tenant"] == "a"
    assert first["data_content_type"] == "application/json"
    assert base64.b64decode(second["data_base64"]) == b"\x00\xff"
    # The emulator's push body has no orderingKey (real Pub/Sub sends it); the
    # ordering key is checked on the pull path above.


# -- Cloud Storage ----------------------------------------------------------------


def _bucket() -> str:
    from google.cloud import storage

    return str(storage.Client().create_bucket(unique_name("b")).name)


def test_gcs_write_read_exists_list_delete(gcs: GCS) -> None:
    from google.cloud import storage

    name = _bucket()
    round_trip(sdk.bucket(f"gs://{name}"))
    blob = storage.Client().bucket(name).get_blob("a/b.json")
    assert (blob.content_type, blob.metadata) == ("application/json", {"tenant": "a"})


def test_gcs_missing_is_not_found(gcs: GCS) -> None:
    missing_is_not_found(sdk.bucket(f"gs://{_bucket()}"), "NotFound")


def test_gcs_open_streams_in_ranges(gcs: GCS) -> None:
    """``open`` reads range by range. (It also pins the generation it found with
    ifGenerationMatch; fake-gcs-server ignores preconditions on reads, so that
    part holds on Cloud Storage only and is not asserted here.)"""
    files = sdk.bucket(f"gs://{_bucket()}")
    content = bytes(range(256)) * (40 * 1024)  # 10 MiB: three 4 MiB ranges
    files.write("big.bin", content)
    with files.open("big.bin") as stream:
        assert stream.read(10) == content[:10]
        assert stream.read() == content[10:]


def test_storage_event_reads_its_object(gcs: GCS) -> None:
    """The object a storage CloudEvent names, read from Cloud Storage."""
    from cloudevents.http import CloudEvent
    from google.cloud import storage

    name = _bucket()
    sdk.bucket(f"gs://{name}").write("in/report.csv", "a,b\n1,2\n")
    blob = storage.Client().bucket(name).get_blob("in/report.csv")
    event = CloudEvent({
        "type": "google.cloud.storage.object.v1.finalized", "specversion": "1.0",
        "source": f"//storage.googleapis.com/projects/_/buckets/{name}",
        "subject": "objects/in/report.csv", "id": "1", "time": "2024-05-15T12:00:00Z",
        "datacontenttype": "application/json"}, blob._properties)
    (seen,) = handle([event])
    assert (seen.bucket, seen.key, seen.operation) == (name, "in/report.csv", "created")
    assert seen.read() == b"a,b\n1,2\n"
    with seen.open() as stream:
        assert stream.read() == b"a,b\n1,2\n"
