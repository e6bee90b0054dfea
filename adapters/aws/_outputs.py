"""Outputs to AWS: the SQS and SNS drivers for ``sdk.destination``, and what every
AWS driver shares (``_Driver``).

Each maps the uniform message onto the service's request, the inverse of the
decoder in the same package (docs/outputs.md has one table per service):

* SQS (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html),
  SNS (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html): text bodies; data
  that is bytes travels as base64 text marked by the ``content-transfer-encoding``
  attribute; the MIME type goes as ``content-type`` for bytes and for a declared
  type (JSON and text decode as sent without it; see ``_records.typed_payload``);
  the W3C trace context as ``traceparent``/``tracestate`` attributes.
* EventBridge and Kinesis: ``_outputs_streams.py``.
"""

from __future__ import annotations

import base64
from typing import Any, ClassVar
from urllib.parse import urlsplit

from sdk._outputs import Limits, Outcome, OutgoingMessage
from sdk._outputs._address import Address
from sdk.errors import PublishError

from ._clients import ERRORS, client, publish_error
from ._records import CONTENT_TYPE, TRANSFER_ENCODING

__all__ = ["SNS", "SQS", "KiB"]

KiB = 1024

#: ARN partition -> the DNS suffix of its endpoints (queue URLs).
_PARTITION_DOMAINS = {"aws": "amazonaws.com", "aws-us-gov": "amazonaws.com",
                      "aws-cn": "amazonaws.com.cn"}


class _Driver:
    """What the four share: the address, the client, errors and batch answers."""

    provider: ClassVar[str]
    service: ClassVar[str]
    limits: ClassVar[Limits]
    carries: frozenset[str]

    def __init__(self, address: Address) -> None:
        self.address = address
        self.text = address.text
        self.region: str | None = None
        if self.text.startswith("arn:"):
            self.region = self.text.split(":", 5)[3] or None

    def refuse(self, code: str, detail: str) -> PublishError:
        return PublishError(self.text, self.provider, code, detail)

    def call(self, method: str, **kwargs: Any) -> Any:
        return self.call_on(self.service, method, **kwargs)

    def call_on(self, service: str, method: str, **kwargs: Any) -> Any:
        try:
            return getattr(client(service, self.region), method)(**kwargs)
        except ERRORS as exc:
            raise publish_error(self.text, self.provider, exc) from None

    @staticmethod
    def outcomes(count: int, answer: dict[str, Any]) -> list[Outcome]:
        """SQS/SNS batch answers: ``Successful``/``Failed`` entries by ``Id``."""
        out = [Outcome(code="polyfn.NoResult")] * count
        for ok in answer.get("Successful", ()):
            out[int(ok["Id"])] = Outcome(id=ok["MessageId"])
        for bad in answer.get("Failed", ()):
            out[int(bad["Id"])] = Outcome(code=bad.get("Code") or "Failed",
                                          detail=str(bad.get("Message") or "")[:300])
        return out


def _text_body(message: OutgoingMessage) -> tuple[str, dict[str, str]]:
    """The text body and the attributes (user's, marker, trace) of SQS/SNS."""
    attributes = {**message.attributes, **message.trace}
    if message.needs_type:
        attributes[CONTENT_TYPE] = message.content_type
    if message.binary:
        attributes[TRANSFER_ENCODING] = "base64"
        return base64.b64encode(message.body).decode("ascii"), attributes
    return message.body.decode("utf-8"), attributes


def _attribute_size(attributes: dict[str, str]) -> int:
    # SQS/SNS count each attribute's name, type ("String") and value.
    return sum(len(k.encode()) + 6 + len(v.encode()) for k, v in attributes.items())


class SQS(_Driver):
    """``sqs://NAME`` (its URL looked up once), a queue URL or ARN. FIFO queues:
    ``key`` -> MessageGroupId, ``id`` -> MessageDeduplicationId (else the queue's
    content-based deduplication)."""

    provider = "aws.sqs"
    service = "sqs"
    # 1 MiB per message and per batch (raised from 256 KiB in August 2025:
    # https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html);
    # a queue configured with a smaller MaximumMessageSize refuses with its code.
    limits = Limits(message_bytes=1024 * KiB, batch_items=10, batch_bytes=1024 * KiB)
    # SendMessageBatch refuses a whole batch when one message breaks the queue's own
    # MaximumMessageSize (or the batch its total): retry those one by one.
    split_codes = frozenset({"InvalidParameterValue", "BatchRequestTooLong"})

    def __init__(self, address: Address) -> None:
        super().__init__(address)
        self._url: str | None = None
        if address.kind == "sqs" and address.text.startswith("sqs://"):
            self.name, self.owner = address.name, None
        elif self.text.startswith("arn:"):
            # arn:PARTITION:sqs:REGION:ACCOUNT:NAME holds all of the queue URL: no lookup.
            parts = self.text.split(":", 5)
            self.name, self.owner = parts[5], parts[4] or None
            domain = _PARTITION_DOMAINS.get(parts[1])
            if domain and self.region and self.owner:
                self._url = f"https://sqs.{self.region}.{domain}/{self.owner}/{self.name}"
        else:  # https://sqs.REGION.amazonaws.com/ACCOUNT/NAME
            self._url = self.text
            host = urlsplit(self.text).hostname or ""
            self.region = host.split(".")[1] if host.startswith("sqs.") else None
            self.name, self.owner = self.text.rstrip("/").rsplit("/", 1)[-1], None
        self.fifo = self.name.endswith(".fifo")
        self.carries = frozenset({"attributes", "key", "id"} if self.fifo else {"attributes"})

    def url(self) -> str:
        """The queue URL, looked up once (GetQueueUrl) for a name or an ARN."""
        if self._url is None:
            kwargs = {"QueueName": self.name}
            if self.owner:
                kwargs["QueueOwnerAWSAccountId"] = self.owner
            self._url = self.call("get_queue_url", **kwargs)["QueueUrl"]
        return self._url

    def prepare(self, message: OutgoingMessage) -> tuple[dict[str, Any], int]:
        body, attributes = _text_body(message)
        if len(attributes) > 10:  # SQS takes at most 10 message attributes
            raise self.refuse("polyfn.TooManyAttributes",
                              f"{len(attributes)} attributes (with polyfn's) > 10")
        entry: dict[str, Any] = {"MessageBody": body, "MessageAttributes": {
            k: {"DataType": "String", "StringValue": v} for k, v in attributes.items()}}
        if self.fifo:
            if not message.key:
                raise self.refuse("polyfn.MissingKey", "a FIFO queue needs key (the group)")
            entry["MessageGroupId"] = message.key
            if message.id:
                entry["MessageDeduplicationId"] = message.id
        return entry, len(body.encode()) + _attribute_size(attributes)

    def send(self, entry: dict[str, Any]) -> str:
        return str(self.call("send_message", QueueUrl=self.url(), **entry)["MessageId"])

    def send_batch(self, entries: list[dict[str, Any]]) -> list[Outcome]:
        answer = self.call("send_message_batch", QueueUrl=self.url(), Entries=[
            {"Id": str(i), **entry} for i, entry in enumerate(entries)])
        return self.outcomes(len(entries), answer)


class SNS(_Driver):
    """A topic ARN or ``sns://NAME``. ``subject`` -> Subject; FIFO topics:
    ``key`` -> MessageGroupId, ``id`` -> MessageDeduplicationId."""

    provider = "aws.sns"
    service = "sns"
    # https://docs.aws.amazon.com/sns/latest/api/API_PublishBatch.html
    limits = Limits(message_bytes=256 * KiB, batch_items=10, batch_bytes=256 * KiB)

    def __init__(self, address: Address) -> None:
        super().__init__(address)
        self._arn = self.text if self.text.startswith("arn:") else None
        self.fifo = self.text.endswith(".fifo")
        fields = {"attributes", "subject"} | ({"key", "id"} if self.fifo else set())
        self.carries = frozenset(fields)

    def arn(self) -> str:
        """The topic ARN; for ``sns://NAME``, built once from the caller's account
        (``sts:GetCallerIdentity`` needs no permission) and the client's region."""
        if self._arn is None:
            identity = self.call_on("sts", "get_caller_identity")
            partition = str(identity["Arn"]).split(":", 2)[1]
            region = client(self.service, self.region).meta.region_name
            self._arn = (f"arn:{partition}:sns:{region}:{identity['Account']}:"
                         f"{self.address.name}")
        return self._arn

    def prepare(self, message: OutgoingMessage) -> tuple[dict[str, Any], int]:
        body, attributes = _text_body(message)
        if not body:
            raise self.refuse("polyfn.InvalidData", "SNS messages cannot be empty")
        entry: dict[str, Any] = {"Message": body, "MessageAttributes": {
            k: {"DataType": "String", "StringValue": v} for k, v in attributes.items()}}
        if message.subject:
            entry["Subject"] = message.subject
        if self.fifo:
            if not message.key:
                raise self.refuse("polyfn.MissingKey", "a FIFO topic needs key (the group)")
            entry["MessageGroupId"] = message.key
            if message.id:
                entry["MessageDeduplicationId"] = message.id
        return entry, len(body.encode()) + _attribute_size(attributes)

    def send(self, entry: dict[str, Any]) -> str:
        return str(self.call("publish", TopicArn=self.arn(), **entry)["MessageId"])

    def send_batch(self, entries: list[dict[str, Any]]) -> list[Outcome]:
        answer = self.call("publish_batch", TopicArn=self.arn(), PublishBatchRequestEntries=[
            {"Id": str(i), **entry} for i, entry in enumerate(entries)])
        return self.outcomes(len(entries), answer)
