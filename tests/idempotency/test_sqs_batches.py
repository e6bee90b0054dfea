"""Duplicates inside one SQS batch, on moto's SQS, with every remote store.

The test is Lambda's SQS poller (the event source mapping with
``ReportBatchItemFailures``, https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html):
it receives up to 10 messages, hands them to the function as the Lambda SQS
event, deletes the messages not named in ``batchItemFailures`` and leaves the
others to reappear after the visibility timeout.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

import sdk
from adapters.aws import lambda_handler
from sdk import Message

from ._events import LambdaContext

pytestmark = pytest.mark.servers

VISIBILITY = 2  # seconds a received message stays hidden


class Queue:
    def __init__(self, name: str) -> None:
        import boto3

        self.sqs = boto3.client("sqs")
        self.url = self.sqs.create_queue(
            QueueName=name, Attributes={"VisibilityTimeout": str(VISIBILITY)})["QueueUrl"]
        self.arn = self.sqs.get_queue_attributes(
            QueueUrl=self.url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

    def send(self, *bodies: dict[str, Any]) -> None:
        for body in bodies:
            self.sqs.send_message(QueueUrl=self.url, MessageBody=json.dumps(body))

    def receive(self, count: int) -> list[dict[str, Any]]:
        """Exactly ``count`` messages (moto may hand them over in several receives)."""
        got: list[dict[str, Any]] = []
        for _ in range(20):
            got += self.sqs.receive_message(QueueUrl=self.url, MaxNumberOfMessages=10,
                                            AttributeNames=["All"],
                                            WaitTimeSeconds=1).get("Messages", [])
            if len(got) >= count:
                break
        assert len(got) == count
        return got

    def lambda_event(self, messages: list[dict[str, Any]]) -> dict[str, Any]:
        """What Lambda hands the function for these messages."""
        return {"Records": [{
            "messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
            "attributes": m["Attributes"], "messageAttributes": {}, "md5OfBody": m["MD5OfBody"],
            "eventSource": "aws:sqs", "eventSourceARN": self.arn, "awsRegion": "us-east-1",
        } for m in messages]}

    def poll(self, function: Any, count: int) -> list[str]:
        """One poller cycle: invoke, delete what succeeded; the failed message ids."""
        messages = self.receive(count)
        response = function(self.lambda_event(messages), LambdaContext())
        failed = {item["itemIdentifier"] for item in response["batchItemFailures"]}
        done = [m for m in messages if m["MessageId"] not in failed]
        if done:
            self.sqs.delete_message_batch(QueueUrl=self.url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)])
        return sorted(failed)

    def left(self) -> int:
        attributes = self.sqs.get_queue_attributes(
            QueueUrl=self.url, AttributeNames=["ApproximateNumberOfMessages",
                                               "ApproximateNumberOfMessagesNotVisible"])
        return sum(int(v) for v in attributes["Attributes"].values())


@pytest.fixture
def queue(aws: object) -> Queue:
    return Queue("orders")


def test_a_sync_handler_runs_a_batch_duplicate_once_and_succeeds_it(shared_address: str,
                                                                     queue: Queue) -> None:
    runs: list[int] = []

    @sdk.idempotent(store=shared_address, key="data.order")
    def handle(event: Message[Any]) -> dict[str, int]:
        runs.append(event.data["order"])
        return {"charged": event.data["order"]}

    queue.send({"order": 1}, {"order": 2}, {"order": 1})
    # Records run in order: the third finds order 1 COMPLETED, gets its stored result.
    assert queue.poll(lambda_handler(handle), 3) == []
    assert sorted(runs) == [1, 2]
    assert queue.left() == 0


def test_an_in_progress_batch_duplicate_is_reported_and_redelivered(shared_address: str,
                                                                     queue: Queue) -> None:
    runs: list[int] = []

    @sdk.idempotent(store=shared_address, key="data.order")
    async def handle(event: Message[Any]) -> None:
        runs.append(event.data["order"])
        await asyncio.sleep(0.3)  # the duplicate arrives while this one runs

    function = lambda_handler(handle)
    queue.send({"order": 1}, {"order": 2}, {"order": 1})
    failed = queue.poll(function, 3)
    assert len(failed) == 1  # one of the two order-1 messages: in progress
    assert sorted(runs) == [1, 2]
    # Lambda leaves it in the queue; after the visibility timeout it is delivered
    # again, finds order 1 COMPLETED and succeeds without running.
    assert queue.poll(function, 1) == []
    assert sorted(runs) == [1, 2]
    assert queue.left() == 0


def test_a_whole_batch_redelivered_after_a_failure_runs_only_the_failed_record(
        shared_address: str, queue: Queue) -> None:
    runs: list[int] = []
    down = {2}

    @sdk.idempotent(store=shared_address)  # the default key: message id and queue
    def handle(event: Message[Any]) -> None:
        runs.append(event.data["order"])
        if event.data["order"] in down:
            raise RuntimeError("payment service down")

    # Without partial batch responses a failed record fails the invocation, and
    # Lambda returns the whole batch to the queue.
    function = lambda_handler(handle, partial_failures=False)
    queue.send({"order": 1}, {"order": 2}, {"order": 3})
    messages = queue.receive(3)
    with pytest.raises(sdk.BatchFailedError):
        function(queue.lambda_event(messages), LambdaContext())
    down.clear()
    assert queue.poll(function, 3) == []  # the same three messages, redelivered
    assert sorted(runs) == [1, 2, 2, 3]  # 1 and 3 answered from the store
    assert queue.left() == 0
