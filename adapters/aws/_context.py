"""The uniform Context from a Lambda context object."""

from __future__ import annotations

import os
import time
from typing import Any

from sdk import Context

__all__ = ["lambda_context"]

_state = {"cold": True}


def lambda_context(raw: Any, event_request_id: str | None = None) -> Context:
    """Build a :class:`Context` from the runtime's ``LambdaContext`` (or ``None``).

    ``cold_start`` is true for the first invocation a process serves.
    """
    cold = _state["cold"]
    _state["cold"] = False
    if raw is None:
        return Context(provider="aws", request_id=event_request_id,
                       region=os.environ.get("AWS_REGION"), cold_start=cold)
    arn = getattr(raw, "invoked_function_arn", None) or ""
    parts = arn.split(":")
    remaining = getattr(raw, "get_remaining_time_in_millis", None)
    deadline = time.time() * 1000 + remaining() if callable(remaining) else None
    memory = getattr(raw, "memory_limit_in_mb", None)
    return Context(
        provider="aws",
        request_id=getattr(raw, "aws_request_id", None) or event_request_id,
        function_name=getattr(raw, "function_name", None),
        function_version=getattr(raw, "function_version", None),
        region=parts[3] if len(parts) > 4 and parts[3] else os.environ.get("AWS_REGION"),
        memory_mb=int(memory) if memory else None,
        deadline_ms=deadline,
        cold_start=cold,
        trace_id=os.environ.get("_X_AMZN_TRACE_ID"),
        raw=raw,
    )
