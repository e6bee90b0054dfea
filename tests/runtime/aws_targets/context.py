"""A Lambda handler for tests/runtime/test_aws_runtime.py: it answers with the uniform
Context the adapter built from the runtime's ``LambdaContext``, so the test can compare
it with what the Runtime API sent (``Lambda-Runtime-*`` headers, the environment)."""

from __future__ import annotations

import time
from typing import Any

import sdk
from adapters.aws import lambda_handler
from sdk import Context, Event


@sdk.function
def report(event: Event, context: Context) -> dict[str, Any]:
    return {
        **context.to_dict(),
        "deadline_ms": context.deadline.timestamp() * 1000 if context.deadline else None,
        "remaining_ms": context.remaining_ms(),
        "now_ms": time.time() * 1000,
        "function_arn": context.raw.invoked_function_arn,
    }


handler = lambda_handler(report)
