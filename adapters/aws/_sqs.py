"""Amazon SQS, standard and FIFO queues (``Records[]`` with ``eventSource: aws:sqs``).

Record fields: https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html; message
attributes: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html.
Failed records are reported by ``messageId`` in ``batchItemFailures``. On a FIFO
queue, AWS requires stopping at the first failure and reporting it with every
later record of the batch, so no message overtakes an earlier one.

``unwrap=True``: a body holding an SNS notification becomes that SNS message, and
one holding S3 notifications becomes their storage events, also when they came
through an SNS topic (S3 -> SNS -> SQS: the SNS envelope's ``Message`` is the S3
notification; with raw message delivery the body is the S3 notification itself).
A failure of any of them is still reported by the SQS ``messageId``. Other bodies
stay SQS messages.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from adapters._batch import LazyRecord
from sdk import Context, Event, Message
from sdk.adapter import UNSET, Record, field_group, lazy
from sdk.errors import EventDecodeError

from ._native import PayloadView, powertools
from ._records import (
    ALL_FAILED,
    CONTENT_TYPE,
    TRANSFER_ENCODING,
    PartialBatchTrigger,
    arn_name,
    first_record,
    record_list,
    typed_payload,
)

__all__ = ["SQS"]

#: Message attribute dataType (before any ``.custom`` suffix) -> the field holding
#: its value. Binary values stay the base64 text SQS sends: attributes are str.
_VALUE_FIELD = {"String": "stringValue", "Number": "stringValue", "Binary": "binaryValue"}

_FIFO = "fifo"  # the group of every record of a FIFO batch


class SQS(PartialBatchTrigger):
    """SQS event source mapping."""

    name = "aws.sqs"
    kind = Message
    semantics = ("Partial batch response: failed messages are reported by messageId and "
                 "return to the queue; on FIFO queues the first failure and every later "
                 "message of the batch are reported. Needs ReportBatchItemFailures." + ALL_FAILED)

    def matches(self, raw: Any) -> bool:
        record = first_record(raw)
        return record is not None and record.get("eventSource") == "aws:sqs"

    def records(self, raw: Any, context: Context | None = None, *, unwrap: bool = False
                ) -> list[Record]:
        items = record_list(raw, self.name)
        group = _FIFO if items and _is_fifo(items[0]) else None
        build = self._unwrapped if unwrap else self._build
        name = self.name
        return [LazyRecord(_message_id(item), name, build, item, group) for item in items]

    def _build(self, item: dict[str, Any]) -> list[Event[Any]]:
        return [SQSMessage(item, self.name)]

    def _unwrapped(self, item: dict[str, Any]) -> list[Event[Any]]:
        from . import _s3, _sns  # unwrap=True only: a cold start loads the SQS trigger alone

        doc = _json_body(item)
        native = partial(_native, item)
        if _sns.is_notification(doc):
            s3 = _s3.notification_in(doc["Message"])
            if s3 is not None:  # S3 -> SNS -> SQS
                return _s3.storage_events(s3, trigger=self.name, raw=item, native=native)
            fields = _delivery(item)
            fields["sequence"] = doc.get("SequenceNumber") or fields["sequence"]
            return [_sns.sns_message(doc, trigger=self.name, raw=item, native=native,
                                     **fields)]
        if _s3.is_notification(doc):
            return _s3.storage_events(doc, trigger=self.name, raw=item, native=native)
        return self._build(item)


def _system_values(item: dict[str, Any]) -> list[Any]:
    """What the queue's system attributes tell of a message: [receive count, FIFO
    group, sequence number]."""
    system = item.get("attributes") or {}
    count = system.get("ApproximateReceiveCount")
    return [int(count) if count.__class__ is str and count.isdecimal() else None,
            system.get("MessageGroupId"), system.get("SequenceNumber")]


# Read together on first use (handlers seldom read them); the queue name, which
# the default idempotency key reads with the source, is a field of its own.
_seldom = field_group(lambda message: _system_values(message.raw), "_less_read")


class SQSMessage(Message[Any], PayloadView):
    """An SQS record as a :class:`Message`, read from the record: a batch of ten
    builds ten of these before the handler runs, so the fields are set here with no
    keyword call or intermediate dict; the queue's name, the delivery fields
    (receive count, FIFO group, sequence: together), ``time`` and ``native`` are
    read when first needed. The record's shapes are checked here: a malformed record
    fails at decode. (The order of the checks decides which error a malformed
    record reports: keep it.)"""

    __slots__ = ("_less_read", "_queue_name")
    _native_class = "SQSRecord"

    delivery_count = _seldom(0)
    ordering_key = _seldom(1)
    sequence = _seldom(2)

    def _read_queue(self) -> str | None:
        """The queue's name (the last part of its ARN)."""
        arn = self.raw.get("eventSourceARN")
        if arn.__class__ is str and arn in _QUEUES:  # _queue's common case, inlined
            return _QUEUES[arn]
        return _queue(arn)

    queue = lazy("_queue_name", _read_queue, key="queue")

    def __init__(self, item: dict[str, Any], trigger: str) -> None:
        system = item.get("attributes")
        body = item["body"]
        if body.__class__ is not str:
            raise EventDecodeError(trigger, "body must be a string", keys=["body"])
        if system and system.__class__ is not dict and not isinstance(system, dict):
            raise AttributeError("attributes")  # reading its fields would fail: fail now
        self._less_read: Any = UNSET
        self._queue_name: Any = UNSET
        self.source = item.get("eventSourceARN")
        self.topic = None
        self.partition = None
        self.provider = "aws"
        self.trigger = trigger
        self.id = item["messageId"]
        self.type = None
        self.subject = None
        self._time = UNSET
        self._data = UNSET
        self._payload = body
        self.data_content_type = None
        # Checked here, not when read: a malformed attribute fails its record at
        # decode, so a ``list[...]`` handler is never handed it.
        attributes = item.get("messageAttributes")
        if attributes:
            self.attributes = _attributes(attributes, trigger)
            if CONTENT_TYPE in self.attributes or TRANSFER_ENCODING in self.attributes:
                self._payload, self.data_content_type = typed_payload(self.attributes, body)
        else:
            self.attributes = {}
        self.raw = item
        self._native = UNSET

    def _epoch_ms(self) -> Any:
        return (self.raw.get("attributes") or {}).get("SentTimestamp")


def _native(item: dict[str, Any]) -> Any:
    """``event.native``: powertools' ``SQSRecord`` (powertools imported on first read)."""
    return powertools("SQSRecord", item)()


#: eventSourceARN -> queue name: every record of a batch comes from the same queue.
_QUEUES: dict[str, str | None] = {}


def _queue(arn: Any) -> str | None:
    """``arn_name(arn)``, worked out once per queue."""
    if not isinstance(arn, str):
        return arn_name(arn)
    if arn in _QUEUES:
        return _QUEUES[arn]
    if len(_QUEUES) >= 64:  # a function reads a handful of queues: stay small
        _QUEUES.clear()
    name = _QUEUES[arn] = arn_name(arn)
    return name


def _delivery(item: dict[str, Any]) -> dict[str, Any]:
    """The delivery fields as keyword arguments (for an SNS message carried in it)."""
    count, group, sequence = _system_values(item)
    return {"queue": _queue(item.get("eventSourceARN")), "delivery_count": count,
            "ordering_key": group,
            "sequence": sequence}


def _attributes(attributes: Any, trigger: str) -> dict[str, str]:
    if not attributes:
        return {}
    out: dict[str, str] = {}
    for name, attribute in attributes.items():
        if not isinstance(attribute, dict):
            raise EventDecodeError(trigger, "a message attribute must be an object",
                                   keys=[f"messageAttributes.{name}"])
        kind = str(attribute.get("dataType") or "").split(".", 1)[0]
        field = _VALUE_FIELD.get(kind)
        value = attribute.get(field) if field else None
        if value is None:  # an unknown type: whichever value it carries
            value = attribute.get("stringValue") or attribute.get("binaryValue")
        if not isinstance(value, str):
            raise EventDecodeError(trigger, "a message attribute has no value",
                                   keys=[f"messageAttributes.{name}"])
        out[name] = value
    return out


def _json_body(item: dict[str, Any]) -> Any:
    body = item["body"]
    if not isinstance(body, str) or body[:1] != "{":
        return None
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


def _is_fifo(item: Any) -> bool:
    # FIFO queue names must end in ".fifo".
    return isinstance(item, dict) and str(item.get("eventSourceARN") or "").endswith(".fifo")


def _message_id(item: Any) -> str | None:
    message_id = item.get("messageId") if isinstance(item, dict) else None
    return message_id if isinstance(message_id, str) and message_id else None
