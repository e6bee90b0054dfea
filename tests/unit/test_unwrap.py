"""``unwrap=True``: S3 notifications that reach SQS through SNS (envelope on, or raw
message delivery) and S3 notifications published to SNS become StorageEvents, as
S3 -> SQS does; failures are still reported per SQS record."""

from __future__ import annotations

import json
from typing import Any

import pytest

import sdk
from adapters.aws import decode, lambda_handler
from adapters.testing import aws, batch, lambda_context
from sdk import ConfigurationError, Message, StorageEvent


def _s3_doc(*keys: str) -> dict[str, Any]:
    """An S3 notification document with one record per key (keys arrive form-encoded)."""
    doc = {"Records": [aws.s3(key, bucket="uploads")["Records"][0] for key in keys]}
    for record in doc["Records"]:
        record["s3"]["object"]["key"] = record["s3"]["object"]["key"].replace(" ", "+")
    return doc


def _envelope(message: str) -> str:
    """The SQS body SNS writes with raw message delivery off: the notification JSON."""
    sns = aws.sns(message, topic="uploads-topic")["Records"][0]["Sns"]
    return json.dumps(sns)


def _ids(delivery: dict[str, Any]) -> list[str]:
    return [record["messageId"] for record in delivery["Records"]]


def _failed(response: dict[str, Any]) -> list[str]:
    return [item["itemIdentifier"] for item in response["batchItemFailures"]]


@pytest.mark.parametrize("raw_delivery", [False, True])
def test_s3_through_sns_into_sqs(raw_delivery: bool) -> None:
    seen: list[tuple[str | None, str | None, str | None]] = []

    @sdk.function
    def handle(event: StorageEvent[Any]) -> None:
        seen.append((event.bucket, event.key, event.operation))
        if event.key == "bad.txt":
            raise RuntimeError("boom")

    bodies = [json.dumps(_s3_doc("a.txt", "bad.txt")), json.dumps(_s3_doc("c d.txt"))]
    if not raw_delivery:
        bodies = [_envelope(body) for body in bodies]
    delivery = batch(*(aws.sqs(body) for body in bodies))
    response = lambda_handler(handle, unwrap=True)(delivery, lambda_context())
    assert seen == [("uploads", "a.txt", "created"), ("uploads", "bad.txt", "created"),
                    ("uploads", "c d.txt", "created")]
    assert _failed(response) == _ids(delivery)[:1]  # per SQS record, by its messageId


def test_decoded_events_keep_the_sqs_record_as_raw() -> None:
    delivery = aws.sqs(_envelope(json.dumps(_s3_doc("a.txt"))))
    from adapters.aws import detect

    (event,) = detect(delivery).decode(delivery, unwrap=True)  # type: ignore[call-arg]
    assert isinstance(event, StorageEvent)
    assert (event.trigger, event.raw) == ("aws.sqs", delivery["Records"][0])
    (plain,) = decode(delivery)  # without unwrap: the SQS message, envelope as data
    assert isinstance(plain, Message) and plain.data["Type"] == "Notification"


def test_an_sns_message_that_is_not_s3_stays_the_sns_message() -> None:
    seen: list[Any] = []

    @sdk.function
    def handle(event: Message[Any]) -> None:
        seen.append((event.topic, event.data))

    test_event = json.dumps({"Service": "Amazon S3", "Event": "s3:TestEvent"})
    delivery = aws.sqs(_envelope(test_event))
    lambda_handler(handle, unwrap=True)(delivery, lambda_context())
    assert seen == [("uploads-topic", {"Service": "Amazon S3", "Event": "s3:TestEvent"})]


def test_s3_published_to_sns_unwraps() -> None:
    seen: list[str | None] = []

    @sdk.function
    def handle(event: StorageEvent[Any]) -> None:
        seen.append(event.key)

    delivery = aws.sns(json.dumps(_s3_doc("a.txt", "b.txt")))
    lambda_handler(handle, unwrap=True)(delivery, lambda_context())
    assert seen == ["a.txt", "b.txt"]
    with pytest.raises(ConfigurationError):  # without unwrap it is an SNS message
        lambda_handler(handle)(delivery, lambda_context())
