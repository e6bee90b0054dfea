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

from datetime import datetime
from functools import partial
from typing import Any

from adapters._base64 import b64_bytes
from sdk import Event, Message
from sdk.adapter import UNSET
from sdk.errors import EventDecodeError

from ._native import PayloadView
from ._records import (
    ShardTrigger,
    arn_resource_once,
    epoch_seconds,
)

__all__ = ["Kinesis", "KinesisMessage"]


class Kinesis(ShardTrigger):
    """Kinesis Data Streams event source mapping."""

    name = "aws.kinesis"
    kind = Message
    event_source = "aws:kinesis"
    sequence_at = ("kinesis", "sequenceNumber")

    def _build(self, item: dict[str, Any]) -> list[Event[Any]]:
        return [KinesisMessage(item, self.name)]


class KinesisMessage(Message[Any], PayloadView):
    """A Kinesis record as a :class:`Message`, set from the record with no keyword
    call (as :class:`~adapters.aws._sqs.SQSMessage`): a batch builds one per record.
    ``time`` (the approximate arrival) is converted when first read (never
    raising); base64 ``data`` is undone when the payload is first read, so bad
    base64 fails that record only. (The order of the reads decides which error a
    malformed record reports: keep it.)"""

    __slots__ = ()
    _native_class = "kinesis_stream_event.KinesisStreamRecord"

    def __init__(self, item: dict[str, Any], trigger: str) -> None:
        kinesis = item["kinesis"]
        data = kinesis["data"]
        if not isinstance(data, str):
            raise EventDecodeError(trigger, "data must be base64 text", keys=["kinesis.data"])
        arn = item.get("eventSourceARN")
        event_id = item.get("eventID")
        self.queue = None
        self.topic = arn_resource_once(arn, "stream")
        self.delivery_count = None
        # eventID is "<shard id>:<sequence number>".
        self.partition = event_id.split(":", 1)[0] if isinstance(event_id, str) else None
        self.ordering_key = kinesis.get("partitionKey")
        self.sequence = kinesis["sequenceNumber"]
        self.provider = "aws"
        self.trigger = trigger
        self.id = event_id
        self.source = arn
        self.type = item.get("eventName")
        self.subject = None
        self._time = UNSET
        self._data = UNSET
        self._payload = partial(b64_bytes, data)
        self.data_content_type = None
        self.attributes = {}
        self.raw = item
        self._native = UNSET

    def _read_time(self) -> datetime | None:
        return epoch_seconds(self.raw["kinesis"].get("approximateArrivalTimestamp"))
