"""SQS as Lambda's event source mapping polls it.

https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html and
https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html:

* long-poll ``ReceiveMessage`` (every system and message attribute) until the
  batch is full (``--batch-size``, 10 by default) or the batching window ends
  (``--batching-window``, 0 by default: invoke with what one receive returned;
  above 10 messages Lambda requires a window of at least 1 s, and FIFO queues
  take at most 10 and no window);
* one invocation of ``adapters.aws.lambda_handler`` with the event Lambda builds
  (:mod:`._sqs_event`) and a Lambda-like context;
* with ``ReportBatchItemFailures``: delete the records not in
  ``batchItemFailures``; when the function raises, times out, or reports an
  identifier that is empty or not in the batch, delete none. A failed message
  comes back when its visibility timeout ends, and the queue's redrive policy (the
  broker, not the poller) moves it to the DLQ once it was received
  ``maxReceiveCount`` times;
* FIFO: SQS delivers no message of a group while an earlier one of it is in
  flight, and the adapter reports a failed record with every later one of its
  group, so a failure holds its group.
"""

from __future__ import annotations

import json
import time
from typing import Any

from adapters.testing._lambda_context import FakeLambdaContext
from sdk import Function
from sdk.errors import PublishError

from ._source import Batch, Options, SourceError, Tally, call_with_timeout, destination
from ._sqs_event import lambda_event

__all__ = ["SQSSource"]

_MAX_BATCH, _MAX_WINDOWED_BATCH = 10, 10_000


class SQSSource:
    provider = "aws"

    def __init__(self, address: str, options: Options) -> None:
        self.address = address
        self.options = options
        self.driver: Any = destination(address).driver
        if self.driver.provider != "aws.sqs":
            raise SourceError(f"{address}: polyfn run reads SQS queues, not {self.driver.provider}")
        self.batch_size = options.batch_size or _MAX_BATCH
        self.max_receive: int | None = None
        self.handler: Any = None
        self.function_name = "polyfn-local"

    def open(self, function: Function[Any]) -> None:
        self._check_options()
        attributes = self._call("get_queue_attributes", QueueUrl=self.url,
                                AttributeNames=["QueueArn", "RedrivePolicy"])["Attributes"]
        self.arn = attributes["QueueArn"]
        self.region = self.arn.split(":")[3]
        redrive = json.loads(attributes.get("RedrivePolicy") or "{}")
        self.max_receive = int(redrive["maxReceiveCount"]) if redrive else None
        from adapters.aws import lambda_handler

        self.handler = lambda_handler(function, unwrap=self.options.unwrap)
        self.function_name = function.name

    @property
    def url(self) -> str:
        try:
            return str(self.driver.url())
        except PublishError as exc:
            raise SourceError(f"{self.address}: {exc}") from None

    def _check_options(self) -> None:
        o = self.options
        if self.driver.fifo and (self.batch_size > _MAX_BATCH or o.batching_window):
            raise SourceError("a FIFO queue takes --batch-size up to 10 and no --batching-window")
        limit = _MAX_WINDOWED_BATCH if o.batching_window else _MAX_BATCH
        if self.batch_size > limit:
            raise SourceError(f"--batch-size above 10 needs --batching-window of at least 1 s "
                              f"(at most {_MAX_WINDOWED_BATCH})")
        if o.max_dequeue is not None:
            raise SourceError("--max-dequeue is Azure's: on SQS the queue's redrive policy "
                              "(maxReceiveCount) decides")

    def _call(self, method: str, **kwargs: Any) -> Any:
        try:
            return self.driver.call(method, **kwargs)
        except PublishError as exc:
            raise SourceError(f"{self.address}: {exc}") from None

    def receive(self, slots: int) -> list[Batch]:
        """One batch: what one receive returned or, with a batching window, what
        arrived within the window from the first record (up to ``--batch-size``)."""
        messages = self._receive(min(_MAX_BATCH, self.batch_size), self.options.poll_wait)
        deadline = time.monotonic() + self.options.batching_window
        while messages and len(messages) < self.batch_size:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            messages += self._receive(min(_MAX_BATCH, self.batch_size - len(messages)),
                                      min(20, max(1, int(left))))
            # a window longer than the visibility timeout receives a message again
            # (AWS: visibility >= 6 x timeout + window): keep its latest receipt once
            messages = list({m["MessageId"]: m for m in messages}.values())
        return [Batch(messages)] if messages else []

    def _receive(self, count: int, wait: int) -> list[dict[str, Any]]:
        kwargs: dict[str, Any] = {"QueueUrl": self.url, "MaxNumberOfMessages": count,
                                  "WaitTimeSeconds": wait, "MessageAttributeNames": ["All"],
                                  "MessageSystemAttributeNames": ["All"]}
        if self.options.visibility_timeout is not None:
            kwargs["VisibilityTimeout"] = self.options.visibility_timeout
        return list(self._call("receive_message", **kwargs).get("Messages", ()))

    def process(self, batch: Batch) -> Tally:
        event = lambda_event(batch.messages, self.arn, self.region)
        context = FakeLambdaContext(function_name=self.function_name,
                                    timeout_s=self.options.timeout)
        ok, result = call_with_timeout(lambda: self.handler(event, context), self.options.timeout)
        ids = [m["MessageId"] for m in batch.messages]
        failed = _failed_ids(result, ids) if ok else set(ids)
        done = [m for m in batch.messages if m["MessageId"] not in failed]
        self._delete(done)
        return self._tally(batch.messages, failed)

    def _delete(self, messages: list[dict[str, Any]]) -> None:
        for start in range(0, len(messages), _MAX_BATCH):
            chunk = messages[start:start + _MAX_BATCH]
            answer = self._call("delete_message_batch", QueueUrl=self.url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(chunk)])
            if answer.get("Failed"):  # the message comes back: at least once, never lost
                raise SourceError(f"{len(answer['Failed'])} deletes failed: "
                                  f"{answer['Failed'][0].get('Code')}")

    def _tally(self, messages: list[dict[str, Any]], failed: set[str]) -> Tally:
        tally = Tally()
        for m in messages:
            count = int(m.get("Attributes", {}).get("ApproximateReceiveCount", "1"))
            tally.redelivered += count > 1
            if m["MessageId"] not in failed:
                tally.processed += 1
                continue
            tally.failed += 1
            last = self.max_receive is not None and count >= self.max_receive
            tally.dead_lettered += last  # the queue moves it on its next receive
            tally.retried += not last
        return tally

    def release(self, batch: Batch) -> None:
        """Make unstarted messages visible again (their receive count stays counted)."""
        for start in range(0, len(batch.messages), _MAX_BATCH):
            chunk = batch.messages[start:start + _MAX_BATCH]
            self._call("change_message_visibility_batch", QueueUrl=self.url, Entries=[
                {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0}
                for i, m in enumerate(chunk)])


def _failed_ids(result: Any, ids: list[str]) -> set[str]:
    """The records Lambda keeps, from the function's answer: an empty or unknown
    ``itemIdentifier``, or an answer that is not a valid report, fails them all."""
    if result is None or result == {}:
        return set()
    if not isinstance(result, dict):
        return set(ids)
    failures = result.get("batchItemFailures")
    if failures is None or failures == []:
        return set()
    if not isinstance(failures, list):
        return set(ids)
    named = {f.get("itemIdentifier") if isinstance(f, dict) else None for f in failures}
    known = set(ids)
    return {i for i in named if i in known} if named <= known else known
