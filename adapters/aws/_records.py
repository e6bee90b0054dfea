"""Helpers shared by the AWS record triggers (SQS, SNS, Kinesis, Kafka, MQ, S3,
DynamoDB Streams): record lists, ARNs, times, and the partial batch response.

Partial batch responses: https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting
(SQS), https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html
(Kinesis; DynamoDB Streams is the same), https://docs.aws.amazon.com/lambda/latest/dg/kafka-retry-configurations.html
(Kafka).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar, TypeVar

from adapters._batch import BatchTrigger, LazyRecord
from adapters._time import epoch_seconds
from sdk import Context, Event
from sdk.adapter import BatchOutcome, Record
from sdk.errors import EventDecodeError

R = TypeVar("R")

__all__ = ["ALL_FAILED", "CONTENT_TYPE", "TRANSFER_ENCODING", "PartialBatchTrigger",
           "ShardTrigger", "arn_name", "arn_resource", "arn_resource_once", "b64_bytes",
           "bytes_text", "epoch_seconds", "first_record", "record_list", "remembered",
           "typed_payload"]


def first_record(raw: Any, key: str = "Records") -> dict[str, Any] | None:
    """``raw[key][0]`` when it is a dict: what the ``matches`` predicates look at."""
    if not isinstance(raw, dict):
        return None
    records = raw.get(key)
    if isinstance(records, list) and records and isinstance(records[0], dict):
        return records[0]
    return None


def record_list(raw: Any, trigger: str, key: str = "Records") -> list[Any]:
    """The delivery's records; a payload without a list there cannot be split."""
    records = raw.get(key) if isinstance(raw, dict) else None
    if not isinstance(records, list):
        raise EventDecodeError(trigger, f"{key} must be a list of records", keys=[key])
    return records


def arn_name(arn: Any) -> str | None:
    """The last ``:``-separated part of an ARN (an SQS queue or SNS topic name)."""
    if not isinstance(arn, str) or not arn.startswith("arn:"):
        return None
    return arn.rsplit(":", 1)[-1] or None


def arn_resource(arn: Any, kind: str) -> str | None:
    """The name after ``kind/`` in an ARN's resource part: ``stream/NAME`` (Kinesis),
    ``table/NAME/stream/...`` (DynamoDB)."""
    if not isinstance(arn, str) or not arn.startswith("arn:"):
        return None
    parts = arn.split(":", 5)[-1].split("/")
    return parts[1] if len(parts) > 1 and parts[0] == kind and parts[1] else None


#: (ARN, kind) -> :func:`arn_resource`'s answer: a batch's records all come from
#: one stream or table, and a function reads a handful.
_RESOURCES: dict[tuple[str, str], str | None] = {}


def arn_resource_once(arn: Any, kind: str) -> str | None:
    """:func:`arn_resource`, worked out once per ARN."""
    if not isinstance(arn, str):
        return arn_resource(arn, kind)
    key = (arn, kind)
    if key in _RESOURCES:
        return _RESOURCES[key]
    if len(_RESOURCES) >= 64:  # stay small
        _RESOURCES.clear()
    name = _RESOURCES[key] = arn_resource(arn, kind)
    return name


def remembered(table: dict[Any, R], work: Callable[[Any], R], key: Any) -> R:
    """``work(key)``, kept in ``table`` for a text key (a few dozen at most): what an
    event reads of a value its deliveries repeat (an event name, a topic ARN)."""
    value = work(key)
    if isinstance(key, str) and len(table) < 64:
        table[key] = value
    return value


def bytes_text(value: bytes) -> str:
    """UTF-8 text, or the base64 text of bytes that are not UTF-8 (attributes are str)."""
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        import base64

        return base64.b64encode(value).decode("ascii")


def b64_bytes(value: Any) -> bytes:
    """:func:`adapters._base64.b64_bytes`, imported on first use: SQS and S3 records
    seldom carry base64 (Kinesis, which always does, imports it itself)."""
    from adapters._base64 import b64_bytes as decode

    return decode(value)


#: The rule every AWS batch trigger shares, for their ``semantics``.
ALL_FAILED = (" When every record fails, or any fails with partial_failures=False, the "
              "invocation fails and Lambda retries the batch.")


class PartialBatchTrigger(BatchTrigger):
    """An event source mapping that takes ``batchItemFailures`` back (SQS, Kinesis,
    DynamoDB Streams, Kafka): each failed record's key is its ``itemIdentifier``."""

    partial = True

    def encode(self, result: BatchOutcome, raw: Any) -> dict[str, Any]:
        return {"batchItemFailures": [{"itemIdentifier": o.record.key} for o in result.failed]}


class ShardTrigger(PartialBatchTrigger):
    """A stream read one shard at a time (Kinesis, DynamoDB Streams): records are
    reported by sequence number, and the first failure stops the batch.

    Subclasses name their ``event_source`` and the record member holding the
    sequence number (``sequence_at``), and build events in ``_build``.
    """

    event_source: ClassVar[str]
    sequence_at: ClassVar[tuple[str, str]]
    semantics = ("Partial batch response by sequence number: the first failed record and "
                 "every later one are reported; Lambda resumes the shard from the lowest "
                 "reported sequence number. Needs ReportBatchItemFailures." + ALL_FAILED)

    def matches(self, raw: Any) -> bool:
        record = first_record(raw)
        return record is not None and record.get("eventSource") == self.event_source

    def records(self, raw: Any, context: Context | None = None, *, unwrap: bool = False
                ) -> list[Record]:
        # Every record of a batch is in one group: one shard, in sequence order.
        name, build = self.name, self._build
        return [LazyRecord(self._sequence_number(item), name, build, item, "shard")
                for item in record_list(raw, self.name)]

    def _sequence_number(self, item: Any) -> str | None:
        member, key = self.sequence_at
        inner = item.get(member) if isinstance(item, dict) else None
        number = inner.get(key) if isinstance(inner, dict) else None
        return number if isinstance(number, str) and number else None

    def _build(self, item: dict[str, Any]) -> list[Event[Any]]:
        raise NotImplementedError


#: Message attributes polyfn's outputs set on SQS and SNS messages (whose bodies
#: are text) so the receiving side decodes what was sent: the MIME type of the
#: body, and ``base64`` when the body is the base64 text of bytes. The decoders
#: take them out of ``attributes`` into ``data_content_type`` and ``data``.
CONTENT_TYPE = "content-type"
TRANSFER_ENCODING = "content-transfer-encoding"


def typed_payload(attributes: dict[str, str], body: str
                  ) -> tuple[str | Callable[[], bytes], str | None]:
    """``(payload, content type)`` of a body, popping polyfn's two attributes."""
    content_type = attributes.pop(CONTENT_TYPE, None)
    if attributes.pop(TRANSFER_ENCODING, None) == "base64":
        return partial(b64_bytes, body), content_type
    return body, content_type
