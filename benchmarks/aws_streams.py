"""Stream batches: ten DynamoDB Streams records and ten Kinesis records, none failing.

Every side handles each record through its batch machinery and reads the same
fields, over a new event and a new awslambdaric ``LambdaContext`` per call
(``benchmarks._aws``):

* DynamoDB: the operation, the keys and the new image as plain values (a
  ``MODIFY`` record carries the old image too; nobody reads it).
* Kinesis: the partition key and the base64 data parsed as JSON.

polyfn runs ``lambda_handler(handle)(event, context)``; the peer is powertools'
``BatchProcessor`` (``process_partial_response``) with the event type's record
class; the floor is a loop with plain dict access (a small AttributeValue reader
for DynamoDB, ``base64`` + ``json`` for Kinesis).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ._aws import Box, fresh, powertools
from ._core import Fresh, Impl, Scenario, Target, need

__all__ = ["DYNAMODB_EVENT", "KINESIS_EVENT", "SCENARIOS", "dynamodb_event", "kinesis_event",
           "plain"]

_TABLE_ARN = ("arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/"
              "2024-03-13T10:15:30.000")
_STREAM_ARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/orders"


def _image(n: int, quantity: int) -> dict[str, Any]:
    return {"pk": {"S": f"order#{1000 + n}"}, "sku": {"S": f"SKU-{n}"},
            "quantity": {"N": str(quantity)}, "paid": {"BOOL": True},
            "lines": {"L": [{"M": {"sku": {"S": f"SKU-{n}"}, "price": {"N": "12.5"}}}]}}


def _dynamodb_record(n: int) -> dict[str, Any]:
    """A MODIFY record with both images (stream view NEW_AND_OLD_IMAGES)."""
    return {
        "eventID": f"c4ca4238a0b923820dcc509a6f75{n:04d}",
        "eventName": "MODIFY",
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "eu-west-1",
        "dynamodb": {
            "ApproximateCreationDateTime": 1710324930,
            "Keys": {"pk": {"S": f"order#{1000 + n}"}},
            "NewImage": _image(n, n + 2),
            "OldImage": _image(n, n + 1),
            "SequenceNumber": f"{111 + n}00000000000000000000",
            "SizeBytes": 59,
            "StreamViewType": "NEW_AND_OLD_IMAGES",
        },
        "eventSourceARN": _TABLE_ARN,
    }


def _kinesis_record(n: int) -> dict[str, Any]:
    data = json.dumps({"order_id": 1000 + n, "sku": f"SKU-{n}", "quantity": n + 1})
    return {
        "kinesis": {
            "kinesisSchemaVersion": "1.0",
            "partitionKey": f"order-{n % 3}",
            "sequenceNumber": f"4959033154798630002339004016{n:04d}",
            "data": base64.b64encode(data.encode()).decode("ascii"),
            "approximateArrivalTimestamp": 1710324930.123,
        },
        "eventSource": "aws:kinesis",
        "eventVersion": "1.0",
        "eventID": f"shardId-000000000006:4959033154798630002339004016{n:04d}",
        "eventName": "aws:kinesis:record",
        "invokeIdentityArn": "arn:aws:iam::123456789012:role/orders",
        "awsRegion": "eu-west-1",
        "eventSourceARN": _STREAM_ARN,
    }


def dynamodb_event(count: int) -> dict[str, Any]:
    return {"Records": [_dynamodb_record(n) for n in range(count)]}


def kinesis_event(count: int) -> dict[str, Any]:
    return {"Records": [_kinesis_record(n) for n in range(count)]}


DYNAMODB_EVENT = dynamodb_event(10)
KINESIS_EVENT = kinesis_event(10)


def plain(value: Any) -> Any:
    """Values comparable across readers: powertools reads every number as Decimal."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


# -- polyfn ---------------------------------------------------------------------

def _polyfn(event: dict[str, Any], reads: Callable[[Any], Any]) -> Callable[[], Fresh]:
    def setup() -> Fresh:
        aws = need("adapters.aws")
        box: Box = [None]

        def handle(uniform: Any) -> None:
            box[0] = reads(uniform)

        handler = aws.lambda_handler(handle)
        return fresh(handler, event, box, reads=True)

    return setup


# -- powertools -----------------------------------------------------------------

def _powertools(event: dict[str, Any], event_type: str, reads: Callable[[Any], Any]
                ) -> Callable[[], Fresh]:
    def setup() -> Fresh:
        batch = powertools("batch")
        processor = batch.BatchProcessor(event_type=getattr(batch.EventType, event_type))
        box: Box = [None]

        def record_handler(record: Any) -> None:
            box[0] = reads(record)

        def handler(raw: dict[str, Any], context: Any) -> None:
            batch.process_partial_response(event=raw, record_handler=record_handler,
                                           processor=processor, context=context)

        return fresh(handler, event, box)

    return setup


# -- floor ----------------------------------------------------------------------

def _attribute(value: dict[str, Any]) -> Any:
    ((tag, inner),) = value.items()
    if tag == "N":
        return int(inner) if inner.lstrip("-").isdigit() else Decimal(inner)
    if tag == "M":
        return {k: _attribute(v) for k, v in inner.items()}
    if tag == "L":
        return [_attribute(v) for v in inner]
    return inner  # S, BOOL (the tags these records use)


def _floor(event: dict[str, Any], per_record: Callable[[dict[str, Any]], Any]
           ) -> Callable[[], Fresh]:
    def setup() -> Fresh:
        box: Box = [None]

        def handler(raw: dict[str, Any], context: Any) -> dict[str, Any]:
            failures: list[dict[str, str]] = []
            for record in raw["Records"]:
                box[0] = per_record(record)
            return {"batchItemFailures": failures}

        return fresh(handler, event, box, reads=True)

    return setup


def _ddb_floor(record: dict[str, Any]) -> Any:
    stream = record["dynamodb"]
    return (record["eventName"], {k: _attribute(v) for k, v in stream["Keys"].items()},
            {k: _attribute(v) for k, v in stream["NewImage"].items()})


def _kinesis_floor(record: dict[str, Any]) -> Any:
    kinesis = record["kinesis"]
    return kinesis["partitionKey"], json.loads(base64.b64decode(kinesis["data"]))


_OPERATION = {"insert": "INSERT", "update": "MODIFY", "delete": "REMOVE"}


def _scenario(name: str, title: str, event: dict[str, Any], event_type: str,
              polyfn_reads: Callable[[Any], Any], peer_reads: Callable[[Any], Any],
              floor: Callable[[dict[str, Any]], Any]) -> Scenario:
    return Scenario(
        name=name, title=title,
        polyfn=Impl("polyfn", _polyfn(event, polyfn_reads), canon=plain),
        peers=(Impl("powertools-batch", _powertools(event, event_type, peer_reads),
                    canon=plain),),
        floor=Impl("raw-loop", _floor(event, floor), canon=plain),
        targets=(Target("powertools-batch", ratio=0.8), Target("floor", ratio=2.0)),
    )


SCENARIOS = (
    _scenario("dynamodb.batch-10", "DynamoDB Streams x10 (keys, new image)", DYNAMODB_EVENT,
              "DynamoDBStreams",
              lambda c: (_OPERATION[c.operation], dict(c.keys), dict(c.new)),
              lambda r: (r.event_name.name, r.dynamodb.keys, r.dynamodb.new_image),
              _ddb_floor),
    _scenario("kinesis.batch-10", "Kinesis x10 (partition key, JSON data)", KINESIS_EVENT,
              "KinesisDataStreams",
              lambda m: (m.ordering_key, m.data),
              lambda r: (r.kinesis.partition_key, r.kinesis.data_as_json()),
              _kinesis_floor),
)
