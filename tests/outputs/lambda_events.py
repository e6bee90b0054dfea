"""Lambda event builders from what the emulator delivered, the way Lambda builds them
(SQS: ``tests/support/sqs.py``). Kinesis:
https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html (``data`` base64).
"""

from __future__ import annotations

import base64
from typing import Any

from tests.support.sqs import REGION


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
