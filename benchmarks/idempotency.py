"""``@sdk.idempotent`` on the in-memory store: what it adds to one event.

Both scenarios time ``Function.call`` (what the batch runner calls per record) on
an SQS-like :class:`sdk.Message` built per call, a handler that reads the JSON
body and returns a small dict:

* ``idempotency.first``: a new message id every call: key and payload hashed,
  the claim written, the handler run, its result stored as JSON.
* ``idempotency.duplicate``: the same message every call: key and payload
  hashed, the store answers with the COMPLETED record, its result decoded; the
  handler does not run.

The floor is the same handler without ``@sdk.idempotent``. The issue's target:
at most 10 us more per event. Round trips on the remote stores are counted on
the real servers by tests/idempotency/test_round_trips.py (docs/idempotency.md).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from ._core import Impl, Scenario, Target, need

__all__ = ["DUPLICATE", "FIRST", "SCENARIOS"]

_BODY = '{"order_id": 1042, "sku": "BK-1", "quantity": 2}'
_SOURCE = "arn:aws:sqs:us-east-1:123456789012:orders"


def _handler(sdk: Any) -> Callable[[Any], Any]:
    def handle(message: Any) -> dict[str, Any]:
        order = message.data
        return {"order": order["order_id"], "quantity": order["quantity"]}

    return handle


def _caller(idempotent: bool, fresh_ids: bool) -> Callable[[], Callable[[], Any]]:
    def setup() -> Callable[[], Any]:
        sdk = need("sdk")
        handle = _handler(sdk)
        if idempotent:
            need("sdk._idempotency", "sdk.idempotent")
            handle = sdk.idempotent(store=sdk.store("memory://"))(handle)
        fn = sdk.function(handle)
        context = sdk.Context(provider="aws", request_id="r-1")
        message, ids = sdk.Message, itertools.count()

        def run() -> Any:
            n = next(ids) if fresh_ids else 0
            event = message(provider="aws", trigger="aws.sqs", id=f"m-{n}", source=_SOURCE,
                            queue="orders", payload=_BODY)
            return fn.call(event, context)

        return run

    return setup


def _scenario(name: str, title: str, fresh_ids: bool) -> Scenario:
    return Scenario(
        name=name, title=title,
        polyfn=Impl("polyfn-idempotent", _caller(True, fresh_ids)),
        floor=Impl("no-idempotency", _caller(False, fresh_ids)),
        targets=(Target("floor", extra_us=10),),
    )


FIRST = _scenario("idempotency.first", "@sdk.idempotent, memory store: a new event", True)
DUPLICATE = _scenario("idempotency.duplicate",
                      "@sdk.idempotent, memory store: a duplicate", False)

SCENARIOS = (FIRST, DUPLICATE)
