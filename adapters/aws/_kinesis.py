"""Amazon Kinesis Data Streams (``Records[].kinesis``, base64 ``data``).

Record fields: https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html.
``data`` follows the common rule once base64 is undone: a CloudWatch Logs
subscription's gzip stays bytes, DynamoDB changes sent through Kinesis are JSON
objects; all of them are Kinesis messages. A batch comes from one shard, in
sequence order: the first failure stops the batch, and it is reported with every
later record by sequence number. Lambda resumes the shard from the lowest
sequence number reported (https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from adapters._base64 import b64_bytes
from sdk import Event, Message
from sdk.errors import EventDecodeError

from ._native import powertools
from ._records import (
    ShardTrigger,
    arn_resource,
    epoch_seconds,
)

__all__ = ["Kinesis"]


class Kinesis(ShardTrigger):
    """Kinesis Data Streams event source mapping."""

    name = "aws.kinesis"
    kind = Message
    event_source = "aws:kinesis"
    sequence_at = ("kinesis", "sequenceNumber")

    def _build(self, item: dict[str, Any]) -> list[Event[Any]]:
        kinesis = item["kinesis"]
        data = kinesis["data"]
        if not isinstance(data, str):
            raise EventDecodeError(self.name, "data must be base64 text", keys=["kinesis.data"])
        arn = item.get("eventSourceARN")
        event_id = item.get("eventID")
        return [Message(
            topic=arn_resource(arn, "stream"),
            # eventID is "<shard id>:<sequence number>".
            partition=event_id.split(":", 1)[0] if isinstance(event_id, str) else None,
            ordering_key=kinesis.get("partitionKey"), sequence=kinesis["sequenceNumber"],
            provider="aws", trigger=self.name, id=event_id, source=arn,
            type=item.get("eventName"),
            # Converted when first read (epoch_seconds never raises).
            time=partial(epoch_seconds, kinesis.get("approximateArrivalTimestamp")),
            # Undone when data is first read: bad base64 fails this record only.
            payload=partial(b64_bytes, data), raw=item, native=partial(_native, item),
        )]


def _native(item: dict[str, Any]) -> Any:
    """``event.native``: powertools' record class (powertools imported on first read)."""
    return powertools("kinesis_stream_event.KinesisStreamRecord", item)()

