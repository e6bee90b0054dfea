"""A real SQS queue on moto (the ``aws`` fixture), read as Lambda's SQS event source
mapping reads it: receive, hand the function the Lambda SQS event, delete what
succeeded (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html; the record is
the ReceiveMessage message with lower-camel keys).

The one queue helper of the server suites (tests/outputs, tests/tracing,
tests/idempotency)::

    queue = Queue("orders")                      # inside a test that takes ``aws``
    queue.send({"id": 1})
    handler(queue.lambda_event(queue.receive(1)), None)
"""

from __future__ import annotations

import base64
import json
from typing import Any

__all__ = ["REGION", "Queue", "sqs_event"]

REGION = "us-east-1"
#: ReceiveMessage rounds (each waits up to a second) before ``receive`` gives up.
_ROUNDS = 20


def _attribute(value: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"stringListValues": [], "binaryListValues": [],
                           "dataType": value["DataType"]}
    if "StringValue" in value:
        out["stringValue"] = value["StringValue"]
    if "BinaryValue" in value:
        out["binaryValue"] = base64.b64encode(value["BinaryValue"]).decode()
    return out


def sqs_event(messages: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    """``{"Records": [...]}`` for messages received with All attributes."""
    return {"Records": [{
        "messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
        "attributes": m.get("Attributes", {}),
        "messageAttributes": {k: _attribute(v) for k, v in m.get("MessageAttributes", {}).items()},
        "md5OfBody": m["MD5OfBody"], "eventSource": "aws:sqs", "eventSourceARN": queue_arn,
        "awsRegion": REGION,
    } for m in messages]}


class Queue:
    """A queue created on moto: ``url``, ``arn`` and the poller's calls."""

    def __init__(self, name: str, **attributes: str) -> None:
        import boto3

        self.sqs = boto3.client("sqs")
        self.url: str = self.sqs.create_queue(QueueName=name,
                                              Attributes=attributes)["QueueUrl"]
        self.arn: str = self.sqs.get_queue_attributes(
            QueueUrl=self.url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

    def send(self, *bodies: Any) -> None:
        for body in bodies:
            self.sqs.send_message(QueueUrl=self.url, MessageBody=json.dumps(body))

    def receive(self, count: int) -> list[dict[str, Any]]:
        """Exactly ``count`` messages, with their system and message attributes (moto
        may hand them over in several receives)."""
        got: list[dict[str, Any]] = []
        for _ in range(_ROUNDS):
            got += self.sqs.receive_message(
                QueueUrl=self.url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                MessageAttributeNames=["All"], MessageSystemAttributeNames=["All"],
            ).get("Messages", [])
            if len(got) >= count:
                break
        assert len(got) == count, f"{len(got)} messages, not {count}"
        return got

    def bodies(self, count: int) -> list[Any]:
        """The JSON bodies of :meth:`receive`'s messages."""
        return [json.loads(m["Body"]) for m in self.receive(count)]

    def lambda_event(self, messages: list[dict[str, Any]]) -> dict[str, Any]:
        """What Lambda hands the function for these messages."""
        return sqs_event(messages, self.arn)

    def delete(self, messages: list[dict[str, Any]]) -> None:
        """What the event source mapping does with the messages that succeeded."""
        if messages:
            self.sqs.delete_message_batch(QueueUrl=self.url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                for i, m in enumerate(messages)])

    def left(self) -> int:
        """Messages in the queue, visible or not."""
        attributes = self.sqs.get_queue_attributes(
            QueueUrl=self.url, AttributeNames=["ApproximateNumberOfMessages",
                                               "ApproximateNumberOfMessagesNotVisible"])
        return sum(int(v) for v in attributes["Attributes"].values())
