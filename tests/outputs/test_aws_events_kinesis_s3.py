"""EventBridge, Kinesis and S3 against moto, decoded by the polyfn Lambda adapter."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest

import sdk
from tests.outputs.lambda_events import capture, kinesis_event
from tests.support.sqs import Queue

pytestmark = pytest.mark.servers


@pytest.mark.parametrize("bus", ["default", "orders-bus"])
def test_eventbridge_rule_to_sqs_then_the_lambda_target(aws: Any, bus: str) -> None:
    events = boto3.client("events")
    if bus != "default":
        events.create_event_bus(Name=bus)
    sink = Queue("eb-sink")
    events.put_rule(Name="r", EventBusName=bus, EventPattern=json.dumps({"source": ["shop"]}))
    events.put_targets(Rule="r", EventBusName=bus, Targets=[{"Id": "t", "Arn": sink.arn}])
    sent = sdk.destination(f"eventbridge://{bus}").send(
        {"id": "7", "total": 12.5}, type="OrderPlaced", source="shop")
    (envelope,) = sink.bodies(1)  # the event as EventBridge hands it to a target
    seen, handler = capture()
    handler(envelope, None)
    (event,) = seen
    assert (event.id, event.type, event.source) == (sent, "OrderPlaced", "shop")
    assert event.data == {"id": "7", "total": 12.5}


def test_eventbridge_refuses_what_it_cannot_carry(aws: Any) -> None:
    bus = sdk.destination("eventbridge://default")
    with pytest.raises(sdk.PublishError, match=r"polyfn\.InvalidData"):
        bus.send("text", type="T", source="s")
    with pytest.raises(sdk.PublishError, match=r"polyfn\.MissingField"):
        bus.send({"a": 1}, type="T")
    with pytest.raises(sdk.PublishError, match="cannot carry attributes"):
        bus.send({"a": 1}, type="T", source="s", attributes={"x": "y"})
    result = bus.send_many([sdk.Outgoing({"n": i}, type="T", source="s") for i in range(12)])
    assert result.ok and len(set(result.ids)) == 12
    # EventBridge answers per entry: the one it refuses fails with its own code.
    items = [sdk.Outgoing(d, type="T", source="s") for d in ({"a": 1}, "{not json", {"b": 2})]
    result = bus.send_many(items)
    assert [(f.index, f.error.code if f.error else None) for f in result.failed] == [
        (1, "MalformedDetail")]


def _kinesis_records(name: str, count: int) -> tuple[list[Any], str, str]:
    kinesis = boto3.client("kinesis")
    stream = kinesis.describe_stream(StreamName=name)["StreamDescription"]
    shard = stream["Shards"][0]["ShardId"]
    iterator = kinesis.get_shard_iterator(StreamName=name, ShardId=shard,
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    records: list[Any] = []
    for _ in range(10):
        answer = kinesis.get_records(ShardIterator=iterator)
        records += answer["Records"]
        iterator = answer["NextShardIterator"]
        if len(records) >= count:
            break
        time.sleep(0.2)
    return records, stream["StreamARN"], shard


def test_kinesis_round_trip(aws: Any) -> None:
    boto3.client("kinesis").create_stream(StreamName="clicks", ShardCount=1)
    clicks = sdk.destination("kinesis://clicks")
    ids = [clicks.send({"page": "/a"}, key="user-1"), clicks.send("hello", key="user-2"),
           clicks.send(b"\xff\x00raw")]
    records, arn, shard = _kinesis_records("clicks", 3)
    seen, handler = capture()
    assert handler(kinesis_event(records, arn, shard), None) == {"batchItemFailures": []}
    assert [e.id for e in seen] == ids
    assert [e.data for e in seen] == [{"page": "/a"}, "hello", b"\xff\x00raw"]
    assert [e.ordering_key for e in seen][:2] == ["user-1", "user-2"]
    result = clicks.send_many([{"n": i} for i in range(501)])  # two PutRecords calls
    assert result.ok and len(set(result.ids)) == 501
    with pytest.raises(sdk.PublishError, match="cannot carry attributes"):
        clicks.send({"a": 1}, attributes={"x": "y"})


def test_s3_bucket_operations(aws: Any) -> None:
    boto3.client("s3").create_bucket(Bucket="uploads")
    files = sdk.bucket("s3://uploads")
    files.write("a/b.json", {"x": 1}, metadata={"owner": "me"})
    files.write("a/c.txt", "text")
    files.write("z.bin", b"\x00" * (3 * 1024 * 1024))
    assert files.read("a/b.json") == b'{"x":1}'
    head = boto3.client("s3").head_object(Bucket="uploads", Key="a/b.json")
    assert head["ContentType"] == "application/json" and head["Metadata"] == {"owner": "me"}
    with files.open("z.bin") as stream:
        first = stream.read(1024)
        assert first == b"\x00" * 1024
        assert len(first) + len(stream.read()) == 3 * 1024 * 1024
    assert list(files.list("a/")) == ["a/b.json", "a/c.txt"]
    assert files.exists("a/c.txt") and not files.exists("nope")
    files.delete("a/c.txt")
    assert not files.exists("a/c.txt")
    with pytest.raises(sdk.NotFound) as info:
        files.read("a/c.txt")
    assert isinstance(info.value, LookupError) and info.value.key == "a/c.txt"


def test_s3_list_pages_past_a_thousand_keys(aws: Any) -> None:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="many")
    with ThreadPoolExecutor(8) as pool:  # boto3 clients are thread-safe
        list(pool.map(lambda i: s3.put_object(Bucket="many", Key=f"k/{i:04d}", Body=b""),
                      range(1005)))
    assert len(list(sdk.bucket("s3://many").list("k/"))) == 1005


def test_storage_event_reads_the_object_it_names(aws: Any) -> None:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="inbox")
    queue = Queue("s3-events")
    s3.put_bucket_notification_configuration(Bucket="inbox", NotificationConfiguration={
        "QueueConfigurations": [{"QueueArn": queue.arn, "Events": ["s3:ObjectCreated:*"]}]})
    s3.put_object(Bucket="inbox", Key="reports/day one.csv", Body=b"a,b\n1,2\n")
    notifications = [b for b in queue.bodies(2) if "Records" in b]  # not S3's test event
    seen, handler = capture()
    handler(notifications[0], None)  # the S3 event as Lambda receives it
    (event,) = seen
    assert isinstance(event, sdk.StorageEvent) and event.key == "reports/day one.csv"
    assert event.read() == b"a,b\n1,2\n"
    with event.open() as stream:
        assert stream.read() == b"a,b\n1,2\n"
