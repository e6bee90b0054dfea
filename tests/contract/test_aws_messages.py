"""Every AWS message, stream, storage and change sample decodes right.

Expectations are read from each payload by the rules AWS documents (ids, data,
attributes, ordering fields), not through the adapter's helpers; DynamoDB values
are checked against powertools' own deserializer via ``event.native``.
"""

from __future__ import annotations

import base64
import gzip
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

import pytest

import adapters.aws as aws
import sdk
from sdk import Change, Message, StorageEvent
from tests.support.samples import load, params

FOLDERS = ("sqs", "sns", "kinesis", "kafka", "mq", "s3", "dynamodb-stream")
SAMPLES = [p for folder in FOLDERS for p in params(f"aws/{folder}/*.json")]


def folder(path: Path) -> str:
    return path.parent.name


def expected_data(payload: bytes | str) -> Any:
    """The common rule, restated: JSON object/array, else UTF-8 text, else bytes."""
    text = payload.decode("utf-8") if isinstance(payload, bytes) and _utf8(payload) else payload
    if isinstance(text, str) and text.lstrip()[:1] in ("{", "["):
        try:
            return json.loads(text)
        except ValueError:
            pass
    return text


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def ms(value: Any) -> datetime:
    return datetime.fromtimestamp(int(value) / 1000, tz=timezone.utc)


# -- one check per folder: (events, payload) -------------------------------------------
def check_sqs(events: list[Any], raw: dict[str, Any]) -> None:
    assert len(events) == len(raw["Records"])
    for event, record in zip(events, raw["Records"], strict=True):
        system = record["attributes"]
        assert isinstance(event, Message)
        assert (event.id, event.source) == (record["messageId"], record["eventSourceARN"])
        assert event.queue == record["eventSourceARN"].split(":")[-1]
        assert event.delivery_count == int(system["ApproximateReceiveCount"])
        assert event.ordering_key == system.get("MessageGroupId")
        assert event.sequence == system.get("SequenceNumber")
        assert event.time == ms(system["SentTimestamp"])
        assert event.data == expected_data(record["body"])
        assert dict(event.attributes) == {
            name: a.get("stringValue") or a.get("binaryValue")
            for name, a in record["messageAttributes"].items()}
        assert event.native.message_id == record["messageId"]


def check_sns(events: list[Any], raw: dict[str, Any]) -> None:
    assert len(events) == len(raw["Records"])
    for event, record in zip(events, raw["Records"], strict=True):
        sns = record["Sns"]
        assert isinstance(event, Message)
        assert (event.id, event.source, event.subject, event.type) == (
            sns["MessageId"], sns["TopicArn"], sns["Subject"], sns["Type"])
        assert event.topic == sns["TopicArn"].split(":")[-1]
        assert event.data == expected_data(sns["Message"])
        assert dict(event.attributes) == {k: v["Value"] for k, v in
                                          sns["MessageAttributes"].items()}
        assert event.native.sns.message_id == sns["MessageId"]


def check_kinesis(events: list[Any], raw: dict[str, Any]) -> None:
    assert len(events) == len(raw["Records"])
    for event, record in zip(events, raw["Records"], strict=True):
        kinesis = record["kinesis"]
        data = base64.b64decode(kinesis["data"])
        assert isinstance(event, Message)
        assert (event.id, event.sequence, event.ordering_key) == (
            record["eventID"], kinesis["sequenceNumber"], kinesis["partitionKey"])
        assert event.partition == record["eventID"].split(":")[0]
        assert event.topic == record["eventSourceARN"].split("stream/")[1]
        assert event.data == expected_data(data)
        if data[:2] == b"\x1f\x8b":  # CloudWatch Logs through Kinesis: gzip stays bytes
            assert isinstance(event.data, bytes) and json.loads(gzip.decompress(event.data))
        assert event.native.kinesis.sequence_number == kinesis["sequenceNumber"]


def check_kafka(events: list[Any], raw: dict[str, Any]) -> None:
    records = [r for items in raw["records"].values() for r in items]
    assert len(events) == len(records)
    for event, record in zip(events, records, strict=True):
        assert isinstance(event, Message)
        assert (event.topic, event.partition, event.sequence) == (
            record["topic"], str(record["partition"]), str(record["offset"]))
        assert event.ordering_key == base64.b64decode(record["key"]).decode()
        assert event.data == expected_data(base64.b64decode(record["value"]))
        assert event.time == ms(record["timestamp"])
        assert event.source == raw.get("eventSourceArn")
        assert dict(event.attributes) == {name: bytes(value).decode()
                                          for h in record["headers"] for name, value in h.items()}
        assert event.native.offset == record["offset"]


def check_mq(events: list[Any], raw: dict[str, Any]) -> None:
    if raw["eventSource"] == "aws:amq":
        pairs = [(m, m["destination"]["physicalName"], m["messageID"], m["properties"])
                 for m in raw["messages"]]
    else:
        pairs = [(m, name.split("::")[0], m["basicProperties"]["messageId"],
                  {k: bytes(v["bytes"]).decode() if isinstance(v, dict) else str(v)
                   for k, v in m["basicProperties"]["headers"].items()})
                 for name, items in raw["rmqMessagesByQueue"].items() for m in items]
    assert len(events) == len(pairs)
    for event, (message, queue, message_id, attributes) in zip(events, pairs, strict=True):
        assert isinstance(event, Message)
        assert (event.queue, event.id, dict(event.attributes)) == (queue, message_id, attributes)
        assert event.data == expected_data(base64.b64decode(message["data"]))
        assert event.native.data == message["data"]


#: S3 event name prefix -> operation, as the S3 event-type page describes them.
S3_PREFIX_OPERATION = {"ObjectCreated": "created", "ObjectRemoved": "deleted",
                       "LifecycleExpiration": "deleted"}


def check_s3(events: list[Any], raw: dict[str, Any]) -> None:
    assert len(events) == len(raw["Records"])
    for event, record in zip(events, raw["Records"], strict=True):
        obj = record["s3"]["object"]
        assert isinstance(event, StorageEvent)
        assert event.bucket == record["s3"]["bucket"]["name"]
        assert event.key == unquote_plus(obj["key"])
        assert event.key == obj.get("urlDecodedKey", event.key)
        assert (event.size, event.etag, event.version) == (
            obj.get("size"), obj.get("eTag"), obj.get("versionId"))
        assert event.type == record["eventName"]
        assert event.operation == S3_PREFIX_OPERATION[record["eventName"].split(":")[0]]
        assert event.time == datetime.fromisoformat(record["eventTime"].replace("Z", "+00:00"))
        assert event.native.s3.get_object.key == obj["key"]


def check_dynamodb(events: list[Any], raw: dict[str, Any]) -> None:
    operations = {"INSERT": "insert", "MODIFY": "update", "REMOVE": "delete"}
    assert len(events) == len(raw["Records"])
    for event, record in zip(events, raw["Records"], strict=True):
        stream = record["dynamodb"]
        native = event.native.dynamodb  # powertools' deserializer is the reference
        assert isinstance(event, Change)
        assert (event.id, event.operation) == (record["eventID"], operations[record["eventName"]])
        assert event.keys == native.keys
        assert event.new == (native.new_image if "NewImage" in stream else None)
        assert event.old == (native.old_image if "OldImage" in stream else None)
        assert all(not isinstance(v, float) for v in (event.new or {}).values())


CHECKS = {"sqs": check_sqs, "sns": check_sns, "kinesis": check_kinesis, "kafka": check_kafka,
          "mq": check_mq, "s3": check_s3, "dynamodb-stream": check_dynamodb}


@pytest.mark.parametrize("path", SAMPLES)
def test_exactly_one_trigger_named_after_the_folder_matches(path: Path) -> None:
    raw = load(path)
    matching = [t.name for t in aws.TRIGGERS if t.matches(raw)]
    assert matching == [f"aws.{folder(path).replace('-', '.')}"]


@pytest.mark.parametrize("path", SAMPLES)
def test_fields_match_the_payload(path: Path) -> None:
    raw = load(path)
    events = aws.decode(raw)
    CHECKS[folder(path)](events, raw)
    for event in events:
        json.dumps(event.to_dict())  # the JSON form is JSON


@pytest.mark.parametrize("path", SAMPLES)
def test_invocation_answers_the_provider_way(path: Path) -> None:
    raw = load(path)
    trigger = aws.detect(raw)
    handled: list[Any] = []
    answer = aws.lambda_handler(lambda event: handled.append(event))(raw, None)
    assert len(handled) == len(aws.decode(raw))
    assert answer == ({"batchItemFailures": []} if trigger.partial else None)  # type: ignore[attr-defined]

    def fail(event: Any) -> None:
        raise RuntimeError("handler failed")

    with pytest.raises((RuntimeError, sdk.BatchFailedError)):
        aws.lambda_handler(fail)(raw, None)


@pytest.mark.parametrize("path", params("aws/sqs/*.json"))
def test_sqs_samples_unwrap_to_what_their_body_holds(path: Path) -> None:
    raw = load(path)
    events = aws.detect(raw).decode(raw, unwrap=True)  # type: ignore[call-arg]
    bodies = [json.loads(r["body"]) if r["body"].startswith("{") else None
              for r in raw["Records"]]
    expected: list[tuple[str, Any]] = []
    for record, body in zip(raw["Records"], bodies, strict=True):
        if isinstance(body, dict) and body.get("Type") == "Notification":
            expected.append(("sns", (body["MessageId"], body["TopicArn"],
                                     expected_data(body["Message"]))))
        elif isinstance(body, dict) and "Records" in body:
            expected += [("s3", (r["s3"]["bucket"]["name"], unquote_plus(r["s3"]["object"]["key"])))
                         for r in body["Records"]]
        else:
            expected.append(("sqs", record["messageId"]))
    got: list[tuple[str, Any]] = []
    for event in events:
        if isinstance(event, StorageEvent):
            got.append(("s3", (event.bucket, event.key)))
        elif event.source and event.source.startswith("arn:aws:sns:"):
            got.append(("sns", (event.id, event.source, event.data)))
        else:
            got.append(("sqs", event.id))
    assert got == expected
