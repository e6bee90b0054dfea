"""An async handler over 100 I/O-bound SQS records (wall time per invocation).

Each record's handler parses the body and awaits 10 ms (``asyncio.sleep``, standing
for a network call); a fresh event (parsed from its JSON text) per invocation on
both sides, the same Lambda context object.

* polyfn: ``lambda_handler(handle)(event, context)`` with ``async def handle(message)``.
* ``powertools-async-batch``: ``async_process_partial_response`` with an
  ``AsyncBatchProcessor(EventType.SQS)`` and an async record handler.

Sleeping handlers do no CPU work, so the time is how many waits overlap and what
each invocation pays to run its loop.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from ._core import Impl, Scenario, Target, need
from .http_v2 import LambdaContext
from .sqs_batch import _record

__all__ = ["EVENT_TEXT", "RECORDS", "SCENARIO"]

RECORDS = 100
WAIT_S = 0.01
EVENT_TEXT = json.dumps({"Records": [
    {**_record(n % 10), "messageId": f"059f36b4-87a3-44ab-83d2-6619758{n:05d}"}
    for n in range(RECORDS)
]})


def _polyfn() -> Callable[[], Any]:
    aws = need("adapters.aws")
    need("adapters.aws._sqs", "the SQS trigger")

    async def handle(message: Any) -> None:
        message.data  # noqa: B018 - the read both sides do
        await asyncio.sleep(WAIT_S)

    handler, context = aws.lambda_handler(handle), LambdaContext()
    return lambda: handler(json.loads(EVENT_TEXT), context)


def _powertools() -> Callable[[], Any]:
    batch = need("aws_lambda_powertools.utilities.batch")
    processor = batch.AsyncBatchProcessor(event_type=batch.EventType.SQS)
    process, context = batch.async_process_partial_response, LambdaContext()

    async def record_handler(record: Any) -> None:
        json.loads(record.body)
        await asyncio.sleep(WAIT_S)

    # async_process_partial_response runs asyncio.run, which leaves the thread with
    # no event loop set; mangum (the HTTP scenarios, run in the same process) asks
    # for the thread's loop and fails without one. One loop, set back after each call.
    loop = asyncio.new_event_loop()

    def run() -> Any:
        try:
            return process(event=json.loads(EVENT_TEXT), record_handler=record_handler,
                           processor=processor, context=context)
        finally:
            asyncio.set_event_loop(loop)

    return run


SCENARIO = Scenario(
    name="async.sqs-100-io",
    title="async handler, 100 SQS records each awaiting 10 ms",
    polyfn=Impl("polyfn", _polyfn),
    peers=(Impl("powertools-async-batch", _powertools),),
    targets=(Target("powertools-async-batch", ratio=1.5),),
)
