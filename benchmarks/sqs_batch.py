"""SQS: a batch of 10 messages, one of which fails, to ``batchItemFailures``.

Every side parses each JSON body and fails the message whose ``fail`` is true,
over a new event and a new awslambdaric ``LambdaContext`` per call
(``benchmarks._aws``).

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

from ._aws import fresh, powertools
from ._core import Fresh, Impl, Scenario, Target, need

__all__ = ["EVENT", "FAILING_ID", "SCENARIO", "floor_sqs", "polyfn_sqs", "powertools_sqs",
           "sqs_event"]

_ARN = "arn:aws:sqs:eu-west-1:123456789012:orders"


def _record(n: int, failing: int = 6) -> dict[str, Any]:
    return {
        "messageId": f"059f36b4-87a3-44ab-83d2-66197583{n:04d}",
        "receiptHandle": f"AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a{n}...",
        "body": json.dumps({"order_id": 1000 + n, "sku": f"SKU-{n}", "quantity": n + 1,
                            "fail": n == failing}),
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


def sqs_event(count: int, failing: int = 6) -> dict[str, Any]:
    """``count`` messages, the one at ``failing`` failing (none when out of range)."""
    return {"Records": [_record(n, failing) for n in range(count)]}


EVENT: dict[str, Any] = sqs_event(10)
FAILING_ID = EVENT["Records"][6]["messageId"]


class OrderRejected(Exception):
    pass


def _check(order: dict[str, Any]) -> None:
    if order["fail"]:
        raise OrderRejected(order["order_id"])


def _silenced(run: Callable[[], Any]) -> Callable[[], Any]:
    """``run`` with stdout (where polyfn writes its log lines) going to os.devnull."""
    sink = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as `run`

    def silenced(*args: Any) -> Any:
        stdout, sys.stdout = sys.stdout, sink
        try:
            return run(*args)
        finally:
            sys.stdout = stdout

    return silenced


def polyfn_sqs(event: dict[str, Any], chunk: int = 100) -> Fresh:
    """polyfn's side over ``event``: ``handle(message)`` checks ``message.data``."""
    aws = need("adapters.aws")

    def handle(message: Any) -> None:
        _check(message.data)

    return fresh(_silenced(aws.lambda_handler(handle)), event, [None], chunk)


def powertools_sqs(event: dict[str, Any], chunk: int = 100) -> Fresh:
    batch = powertools("batch")
    processor = batch.BatchProcessor(event_type=batch.EventType.SQS)

    def record_handler(record: Any) -> None:
        _check(json.loads(record.body))

    def handler(raw: dict[str, Any], context: Any) -> Any:
        return batch.process_partial_response(
            event=raw, record_handler=record_handler, processor=processor, context=context)

    return fresh(handler, event, [None], chunk)


def floor_sqs(event: dict[str, Any], chunk: int = 100) -> Fresh:
    def handler(raw: dict[str, Any], context: Any) -> dict[str, Any]:
        failures = []
        for record in raw["Records"]:
            try:
                _check(json.loads(record["body"]))
            except Exception:
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}

    return fresh(handler, event, [None], chunk)


SCENARIO = Scenario(
    name="sqs.batch-10",
    title="SQS x10, one failure -> batchItemFailures",
    polyfn=Impl("polyfn", lambda: polyfn_sqs(EVENT)),
    peers=(Impl("powertools-batch", lambda: powertools_sqs(EVENT)),),
    floor=Impl("raw-loop", lambda: floor_sqs(EVENT)),
    targets=(Target("powertools-batch", ratio=0.7), Target("floor", ratio=2.0)),
)
