"""Amazon SNS notifications, delivered to Lambda or wrapped in an SQS message.

Fields: https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html (Lambda's
``Records[].Sns``) and https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html
(the notification document, which is also the SQS body when raw message delivery
is off). SNS invokes Lambda asynchronously: a failure raises, Lambda retries
twice, then hands the event to the function's on-failure destination or DLQ.
``unwrap=True``: a ``Message`` that is an S3 event notification (S3 publishing to
the topic) becomes its storage events.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from adapters._batch import BatchTrigger, LazyRecord
from adapters._time import maybe_time
from sdk import Context, Event, Message
from sdk.adapter import UNSET, Record
from sdk.errors import EventDecodeError

from ._native import PayloadView, powertools
from ._records import (
    CONTENT_TYPE,
    TRANSFER_ENCODING,
    arn_name,
    first_record,
    record_list,
    remembered,
    typed_payload,
)

__all__ = ["SNS", "SNSMessage", "is_notification", "sns_message"]


def is_notification(doc: Any) -> bool:
    """True for an SNS notification document (an SQS body with the envelope on)."""
    return (isinstance(doc, dict) and doc.get("Type") == "Notification"
            and "TopicArn" in doc and "Message" in doc and "MessageId" in doc)


def sns_message(doc: dict[str, Any], *, trigger: str, raw: Any, native: Callable[[], Any],
                **fields: Any) -> Message[Any]:
    """The :class:`Message` of one notification document (``fields``: the delivery
    fields of the SQS message that carried it)."""
    message = SNSMessage(doc, trigger, raw, native)
    for name, value in fields.items():
        setattr(message, name, value)
    return message


class SNSMessage(Message[Any], PayloadView):
    """A notification as a :class:`Message`, set from the document with no keyword
    call (as :class:`~adapters.aws._sqs.SQSMessage`): SNS delivers one per
    invocation, which pays for little else. ``time`` is parsed from ``Timestamp``
    when first read (never raising); ``native`` is powertools' record class, or the
    callable given (the SQS record that carried it). A malformed document fails
    here, at decode. (The order of the reads decides which error it reports.)"""

    __slots__ = ("_doc",)
    _native_class = "sns_event.SNSEventRecord"

    def __init__(self, doc: dict[str, Any], trigger: str, raw: Any,
                 native: Callable[[], Any] | None = None) -> None:
        body = doc["Message"]
        if not isinstance(body, str):
            raise EventDecodeError(trigger, "the SNS Message must be a string", keys=["Message"])
        topic_arn = doc.get("TopicArn")
        attributes = _attributes(doc.get("MessageAttributes"), trigger)
        payload: str | Callable[[], bytes] = body
        content_type = None
        if CONTENT_TYPE in attributes or TRANSFER_ENCODING in attributes:
            payload, content_type = typed_payload(attributes, body)
        self.queue = None
        try:
            self.topic = _TOPICS[topic_arn]
        except (KeyError, TypeError):  # a topic not seen yet, or no text
            self.topic = remembered(_TOPICS, arn_name, topic_arn)
        self.delivery_count = None
        self.ordering_key = None
        self.partition = None
        self.sequence = None
        self.provider = "aws"
        self.trigger = trigger
        self.id = doc["MessageId"]
        self.source = topic_arn
        self.type = doc.get("Type")
        self.subject = doc.get("Subject")
        self._doc = doc
        self._time = UNSET
        self._data = UNSET if payload is not None else None
        self._payload = payload
        self.data_content_type = content_type
        self.attributes = attributes
        self.raw = raw
        self._native = UNSET if native is None else native

    def _read_time(self) -> datetime | None:
        return maybe_time(self._doc.get("Timestamp"))


#: TopicArn -> topic name (:func:`arn_name`), for the topics seen: a function is
#: subscribed to a handful.
_TOPICS: dict[Any, str | None] = {}


def _attributes(attributes: Any, trigger: str) -> dict[str, str]:
    """``{name: {"Type": ..., "Value": ...}}`` -> ``{name: Value}``. Binary values
    stay the base64 text SNS sends; String.Array values the JSON array text."""
    if not attributes:
        return {}
    if not isinstance(attributes, dict):
        raise EventDecodeError(trigger, "MessageAttributes must be an object",
                               keys=["MessageAttributes"])
    out: dict[str, str] = {}
    for name, attribute in attributes.items():
        value = attribute.get("Value") if isinstance(attribute, dict) else None
        if not isinstance(value, str):
            raise EventDecodeError(trigger, "a message attribute has no string Value",
                                   keys=[f"MessageAttributes.{name}"])
        out[name] = value
    return out


class SNS(BatchTrigger):
    """SNS topic subscription (``Records[].Sns``; one record per invocation)."""

    name = "aws.sns"
    kind = Message
    semantics = ("Asynchronous invocation: a failed message raises, Lambda retries it twice "
                 "and then sends it to the on-failure destination or dead-letter queue.")

    def matches(self, raw: Any) -> bool:
        record = first_record(raw)
        return record is not None and record.get("EventSource") == "aws:sns"

    def records(self, raw: Any, context: Context | None = None, *, unwrap: bool = False
                ) -> list[Record]:
        name = self.name
        build = self._unwrapped if unwrap else self._build
        return [LazyRecord(_message_id(item), name, build, item)
                for item in record_list(raw, self.name)]

    def _build(self, item: dict[str, Any]) -> list[Event[Any]]:
        return [SNSMessage(item["Sns"], self.name, item)]

    def _unwrapped(self, item: dict[str, Any]) -> list[Event[Any]]:
        from . import _s3

        doc = item.get("Sns")
        s3 = _s3.notification_in(doc.get("Message")) if isinstance(doc, dict) else None
        if s3 is None:
            return self._build(item)
        return _s3.storage_events(s3, trigger=self.name, raw=item, native=partial(_native, item))


def _native(item: dict[str, Any]) -> Any:
    """``event.native``: powertools' record class (powertools imported on first read)."""
    return powertools("sns_event.SNSEventRecord", item)()


def _message_id(item: Any) -> str | None:
    sns = item.get("Sns") if isinstance(item, dict) else None
    message_id = sns.get("MessageId") if isinstance(sns, dict) else None
    return message_id if isinstance(message_id, str) else None
