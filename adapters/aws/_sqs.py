"""Amazon SQS, standard and FIFO queues (``Records[]`` with ``eventSource: aws:sqs``).

Record fields: https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html; message
attributes: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html.
Failed records are reported by ``messageId`` in ``batchItemFailures``. On a FIFO
queue, AWS requires stopping at the first failure and reporting it with every
later record of the batch, so no message overtakes an earlier one.

``unwrap=True``: a body holding an SNS notification becomes that SNS message, and
one holding S3 notifications becomes their storage events; a failure of any of
them is still reported by the SQS ``messageId``. Other bodies stay SQS messages.
"""

from __future__ import annotations

import json
from typing import Any

from adapters._batch import lazy
from sdk import Context, Event, Message
from sdk._batch import Record
from sdk.errors import EventDecodeError

from . import _s3, _sns
from ._native import epoch_ms, powertools
from ._records import ALL_FAILED, PartialBatchTrigger, arn_name, first_record, record_list

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
        return [Record(_message_id(item), lazy(self.name, build, item), group=group)
                for item in items]

    def _build(self, item: dict[str, Any]) -> list[Event[Any]]:
        return [self._message(item)]

    def _message(self, item: dict[str, Any]) -> Message[Any]:
        system = item.get("attributes") or {}
        body = item["body"]
        if not isinstance(body, str):
            raise EventDecodeError(self.name, "body must be a string", keys=["body"])
        return Message(
            **_delivery(item), provider="aws", trigger=self.name,
            id=item["messageId"], source=item.get("eventSourceARN"),
            time=epoch_ms(system.get("SentTimestamp")), payload=body,
            attributes=_attributes(item.get("messageAttributes"), self.name),
            raw=item, native=powertools("SQSRecord", item),
        )

    def _unwrapped(self, item: dict[str, Any]) -> list[Event[Any]]:
        doc = _json_body(item)
        native = powertools("SQSRecord", item)
        if _sns.is_notification(doc):
            fields = _delivery(item)
            fields["sequence"] = doc.get("SequenceNumber") or fields["sequence"]
            return [_sns.sns_message(doc, trigger=self.name, raw=item, native=native,
                                     **fields)]
        if _s3.is_notification(doc):
            return [_s3.storage_event(record, trigger=self.name, raw=item, native=native)
                    for record in doc["Records"]]
        return self._build(item)


def _delivery(item: dict[str, Any]) -> dict[str, Any]:
    """The queue's view of a message: name, receive count, FIFO group and sequence."""
    system = item.get("attributes") or {}
    count = system.get("ApproximateReceiveCount")
    return {
        "queue": arn_name(item.get("eventSourceARN")),
        "delivery_count": int(count) if isinstance(count, str) and count.isdigit() else None,
        "ordering_key": system.get("MessageGroupId"),
        "sequence": system.get("SequenceNumber"),
    }


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
    except ValueError:
        return None


def _is_fifo(item: Any) -> bool:
    # FIFO queue names must end in ".fifo".
    return isinstance(item, dict) and str(item.get("eventSourceARN") or "").endswith(".fifo")


def _message_id(item: Any) -> str | None:
    message_id = item.get("messageId") if isinstance(item, dict) else None
    return message_id if isinstance(message_id, str) and message_id else None
