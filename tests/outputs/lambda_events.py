"""Lambda event builders from what the emulator delivered, the way Lambda builds them.

SQS: https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html (the record is the
ReceiveMessage message with lower-camel keys); Kinesis:
https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html (``data`` base64).
"""

from __future__ import annotations

import base64
from typing import Any

REGION = "us-east-1"


def _attribute(value: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"stringListValues": [], "binaryListValues": [],
                           "dataType": value["DataType"]}
    if "StringValue" in value:
        out["stringValue"] = value["StringValue"]
    if "BinaryValue" in value:
        out["binaryValue"] = base64.b64encode(value["BinaryValue"]).decode()
    return out


def sqs_event(messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    """``{"Records": [...]}`` for messages received with All attributes."""
    return {"Records": [{
        "messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
        "attributes": m.get("Attributes", {}),
        "messageAttributes": {k: _attribute(v) for k, v in m.get("MessageAttributes", {}).items()},
        "md5OfBody": m["MD5OfBody"], "eventSource": "aws:sqs", "eventSourceARN": queue_arn,
        "awsRegion": REGION,
    } for m in messages]}


def kinesis_event(records: list[dict[str, Any]], stream_arn: str, shard: str
                  ) -> dict[str, Any]:
    return {"Records": [{
        "kinesis": {"kinesisSchemaVersion": "1.0", "partitionKey": r["PartitionKey"],
                    "sequenceNumber": r["SequenceNumber"],
                    "data": base64.b64encode(r["Data"]).decode(),
                    "approximateArrivalTimestamp": r["ApproximateArrivalTimestamp"].timestamp()},
        "eventSource": "aws:kinesis", "eventVersion": "1.0",
        "eventID": f"{shard}:{r['SequenceNumber']}", "eventName": "aws:kinesis:record",
        "invokeIdentityArn": "arn:aws:iam::123456789012:role/x", "awsRegion": REGION,
        "eventSourceARN": stream_arn,
    } for r in records]}


def capture() -> tuple[list[Any], Any]:
    """A polyfn Lambda handler that records the events it is given."""
    from adapters.aws import lambda_handler

    seen: list[Any] = []
    return seen, lambda_handler(seen.append)
