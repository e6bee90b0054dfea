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

from adapters._batch import lazy
from sdk import Context, Event, Message
from sdk._batch import Record
from sdk.errors import EventDecodeError

from ._native import powertools
from ._records import (
    ALL_FAILED,
    PartialBatchTrigger,
    arn_resource,
    b64_bytes,
    epoch_seconds,
    first_record,
    record_list,
)

__all__ = ["Kinesis"]

_SHARD = "shard"  # the group of every record of a batch: one shard, in order


class Kinesis(PartialBatchTrigger):
    """Kinesis Data Streams event source mapping."""

    name = "aws.kinesis"
    kind = Message
    semantics = ("Partial batch response by sequence number: the first failed record and "
                 "every later one are reported; Lambda resumes the shard from the lowest "
                 "reported sequence number. Needs ReportBatchItemFailures." + ALL_FAILED)

    def matches(self, raw: Any) -> bool:
        record = first_record(raw)
        return record is not None and record.get("eventSource") == "aws:kinesis"

    def records(self, raw: Any, context: Context | None = None, *, unwrap: bool = False
                ) -> list[Record]:
        return [Record(_sequence_number(item), lazy(self.name, self._build, item), group=_SHARD)
                for item in record_list(raw, self.name)]

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
            time=epoch_seconds(kinesis.get("approximateArrivalTimestamp")),
            # Undone when data is first read: bad base64 fails this record only.
            payload=partial(b64_bytes, data), raw=item,
            native=powertools("kinesis_stream_event.KinesisStreamRecord", item),
        )]


def _sequence_number(item: Any) -> str | None:
    kinesis = item.get("kinesis") if isinstance(item, dict) else None
    number = kinesis.get("sequenceNumber") if isinstance(kinesis, dict) else None
    return number if isinstance(number, str) and number else None
