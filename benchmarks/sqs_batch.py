"""SQS: a batch of 10 messages, one of which fails, to ``batchItemFailures``.

Every side parses each JSON body and fails the message whose ``fail`` is true.

* polyfn: ``lambda_handler(handle)(event, context)`` with ``handle(message)`` reading
  ``message.data``: detection, the batch runner, the failure log line polyfn writes
  for the failed record (to ``os.devnull`` here), the partial batch response.
* ``powertools-batch``: ``process_partial_response`` with a ``BatchProcessor(SQS)``
  and a record handler calling ``json.loads(record.body)``.
* floor: a loop over ``Records`` with ``json.loads`` and a try/except.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import Any

from ._core import Impl, Scenario, Target, need
from .http_v2 import LambdaContext

__all__ = ["EVENT", "FAILING_ID", "SCENARIO"]

_ARN = "arn:aws:sqs:eu-west-1:123456789012:orders"


def _record(n: int) -> dict[str, Any]:
    return {
        "messageId": f"059f36b4-87a3-44ab-83d2-66197583{n:04d}",
        "receiptHandle": f"AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a{n}...",
        "body": json.dumps({"order_id": 1000 + n, "sku": f"SKU-{n}", "quantity": n + 1,
                            "fail": n == 6}),
        "attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": "1710324930000",
            "SenderId": "AIDAIENQZJOLO23YVJ4VO",
            "ApproximateFirstReceiveTimestamp": "1710324930013",
        },
        "messageAttributes": {},
        "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3",
        "eventSource": "aws:sqs",
        "eventSourceARN": _ARN,
        "awsRegion": "eu-west-1",
    }


EVENT: dict[str, Any] = {"Records": [_record(n) for n in range(10)]}
FAILING_ID = EVENT["Records"][6]["messageId"]


class OrderRejected(Exception):
    pass


def _check(order: dict[str, Any]) -> None:
    if order["fail"]:
        raise OrderRejected(order["order_id"])


def _silenced(run: Callable[[], Any]) -> Callable[[], Any]:
    """``run`` with stdout (where polyfn writes its log lines) going to os.devnull."""
    sink = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as `run`

    def silenced() -> Any:
        stdout, sys.stdout = sys.stdout, sink
        try:
            return run()
        finally:
            sys.stdout = stdout

    return silenced


def _polyfn() -> Callable[[], Any]:
    aws = need("adapters.aws")
    need("adapters.aws._sqs", "the SQS trigger")

    def handle(message: Any) -> None:
        _check(message.data)

    handler = aws.lambda_handler(handle)
    context = LambdaContext()
    return _silenced(lambda: handler(EVENT, context))


def _powertools() -> Callable[[], Any]:
    batch = need("aws_lambda_powertools.utilities.batch")
    processor = batch.BatchProcessor(event_type=batch.EventType.SQS)

    def record_handler(record: Any) -> None:
        _check(json.loads(record.body))

    context = LambdaContext()
    return lambda: batch.process_partial_response(
        event=EVENT, record_handler=record_handler, processor=processor, context=context)


def _floor() -> Callable[[], Any]:
    def run() -> dict[str, Any]:
        failures = []
        for record in EVENT["Records"]:
            try:
                _check(json.loads(record["body"]))
            except Exception:
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}

    return run


SCENARIO = Scenario(
    name="sqs.batch-10",
    title="SQS x10, one failure -> batchItemFailures",
    polyfn=Impl("polyfn", _polyfn),
    peers=(Impl("powertools-batch", _powertools),),
    floor=Impl("raw-loop", _floor),
    targets=(Target("powertools-batch", ratio=0.7),),
)
