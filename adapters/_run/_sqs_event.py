"""The Lambda SQS event, built from what ``ReceiveMessage`` returned.

The record fields Lambda sends (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#example-standard-queue-message-event):
``messageId``, ``receiptHandle``, ``body``, the system ``attributes`` (receive
count, timestamps, sender; FIFO's group, deduplication id and sequence number;
the X-Ray ``AWSTraceHeader``; ``DeadLetterQueueSourceArn`` on a DLQ), the message
attributes in camelCase with both list fields always present and binary values in
base64, ``md5OfBody``, ``md5OfMessageAttributes`` (when there are attributes),
``eventSource``, ``eventSourceARN`` and ``awsRegion``.
"""

from __future__ import annotations

import base64
from typing import Any

__all__ = ["lambda_event", "lambda_record"]

#: System attributes Lambda passes on, in its order.
SYSTEM_ATTRIBUTES = ("ApproximateReceiveCount", "SentTimestamp", "SenderId",
                     "ApproximateFirstReceiveTimestamp", "SequenceNumber", "MessageGroupId",
                     "MessageDeduplicationId", "AWSTraceHeader", "DeadLetterQueueSourceArn")


def _b64(value: bytes | str) -> str:
    raw = value.encode() if isinstance(value, str) else bytes(value)
    return base64.b64encode(raw).decode("ascii")


def _attribute(value: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "StringValue" in value:
        out["stringValue"] = value["StringValue"]
    if "BinaryValue" in value:
        out["binaryValue"] = _b64(value["BinaryValue"])
    out["stringListValues"] = list(value.get("StringListValues", ()))
    out["binaryListValues"] = [_b64(v) for v in value.get("BinaryListValues", ())]
    out["dataType"] = value["DataType"]
    return out


def lambda_record(message: dict[str, Any], arn: str, region: str) -> dict[str, Any]:
    system = message.get("Attributes", {})
    record: dict[str, Any] = {
        "messageId": message["MessageId"], "receiptHandle": message["ReceiptHandle"],
        "body": message.get("Body", ""),
        "attributes": {name: system[name] for name in SYSTEM_ATTRIBUTES if name in system},
        "messageAttributes": {name: _attribute(value) for name, value
                              in message.get("MessageAttributes", {}).items()},
        "md5OfBody": message.get("MD5OfBody", ""),
    }
    if message.get("MD5OfMessageAttributes"):
        record["md5OfMessageAttributes"] = message["MD5OfMessageAttributes"]
    record.update(eventSource="aws:sqs", eventSourceARN=arn, awsRegion=region)
    return record


def lambda_event(messages: list[dict[str, Any]], arn: str, region: str) -> dict[str, Any]:
    return {"Records": [lambda_record(m, arn, region) for m in messages]}
