"""What every AWS scenario shares: a real Lambda context, fresh events, equal reads.

Each call gets what the Lambda runtime hands a function: an event ``json.loads``-ed
from its text (a new dict, as the runtime decodes each invocation's payload) and a
new ``awslambdaric.lambda_context.LambdaContext`` (the runtime's own class). Both
are made by :class:`~benchmarks._core.Fresh` before the timed stretch, so no side
is timed making them and none reads a payload another call warmed.

Every side of a scenario does the same reads and stores them in a one-slot box
(``box[0] = reads``): the smoke test compares the boxes, the timed loop pays one
store per call on every side.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from ._core import Fresh, Unavailable, need

__all__ = ["ARN", "Box", "fresh", "lambda_context", "powertools"]

ARN = "arn:aws:lambda:eu-west-1:123456789012:function:orders"

Box = list[Any]


def lambda_context() -> Any:
    """A new context, as the runtime builds one per invocation (awslambdaric's class)."""
    try:
        from awslambdaric.lambda_context import LambdaContext
    except ImportError:
        raise Unavailable("awslambdaric is not installed") from None
    deadline = int(time.time() * 1000) + 30_000
    return LambdaContext("c6af9ac6-7b61-11e6-9a41-93e8deadbeef", None, None, deadline, ARN)


def fresh(handler: Callable[[Any, Any], Any], event: dict[str, Any], box: Box,
          chunk: int = 100, *, reads: bool = False) -> Fresh:
    """``handler(event, context)`` over a new event and context per call. The call
    answers the handler's answer, or (when it has none, or ``reads``) what the
    handler read (``box[0]``), for the smoke test."""
    lambda_context()  # n/a now rather than at the first call
    text = json.dumps(event)
    loads = json.loads

    def make() -> tuple[Any, Any]:
        return loads(text), lambda_context()

    def run(pair: tuple[Any, Any]) -> Any:
        answer = handler(*pair)
        return box[0] if reads or answer is None else answer

    return Fresh(run, make, chunk)


def powertools(module: str) -> Any:
    return need(f"aws_lambda_powertools.utilities.{module}")
