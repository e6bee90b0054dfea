"""Duplicates inside one SQS batch, on moto's SQS, with every remote store.

The test is Lambda's SQS poller (the event source mapping with
``ReportBatchItemFailures``, https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html):
it receives up to 10 messages, hands them to the function as the Lambda SQS
event, deletes the messages not named in ``batchItemFailures`` and leaves the
others to reappear after the visibility timeout.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import sdk
from adapters.aws import lambda_handler
from sdk import Message
from tests.support.sqs import Queue

from ._events import LambdaContext

pytestmark = pytest.mark.servers

VISIBILITY = 2  # seconds a received message stays hidden


class Poller(Queue):
    def poll(self, function: Any, count: int) -> list[str]:
        """One poller cycle: invoke, delete what succeeded; the failed message ids."""
        messages = self.receive(count)
        response = function(self.lambda_event(messages), LambdaContext())
        failed = {item["itemIdentifier"] for item in response["batchItemFailures"]}
        self.delete([m for m in messages if m["MessageId"] not in failed])
        return sorted(failed)


@pytest.fixture
def queue(aws: object) -> Poller:
    return Poller("orders", VisibilityTimeout=str(VISIBILITY))


def test_a_sync_handler_runs_a_batch_duplicate_once_and_succeeds_it(shared_address: str,
                                                                     queue: Poller) -> None:
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
                                                                     queue: Poller) -> None:
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
        shared_address: str, queue: Poller) -> None:
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
