"""Stand-in contexts: a uniform :class:`~sdk.Context` for calling a handler directly,
and a Lambda context object for calling an ``adapters.aws.lambda_handler``."""

from __future__ import annotations

import time
import uuid
from datetime import datetime
from typing import Any

from sdk import Context

__all__ = ["context", "lambda_context"]


def context(*, provider: str = "local", request_id: str | None = None,
            function_name: str | None = "polyfn-test", function_version: str | None = None,
            region: str | None = None, memory_mb: int | None = None,
            timeout_s: float | None = 30.0, deadline: datetime | None = None,
            cold_start: bool = False, trace_id: str | None = None, attempt: int | None = None,
            raw: Any = None) -> Context:
    """A :class:`~sdk.Context` as an adapter would build it.

    ``request_id`` defaults to a fresh UUID; the deadline is ``deadline`` if given,
    else ``timeout_s`` from now (``None``: no deadline, ``remaining_ms()`` is None).
    """
    if deadline is not None:
        deadline_ms: float | None = deadline.timestamp() * 1000
    elif timeout_s is not None:
        deadline_ms = (time.time() + timeout_s) * 1000
    else:
        deadline_ms = None
    return Context(provider=provider, request_id=request_id or str(uuid.uuid4()),
                   function_name=function_name, function_version=function_version,
                   region=region, memory_mb=memory_mb, deadline_ms=deadline_ms,
                   cold_start=cold_start, trace_id=trace_id, attempt=attempt, raw=raw)


def lambda_context(*, function_name: str = "polyfn-test", timeout_s: float = 3.0,
                   memory_mb: int = 128, request_id: str | None = None,
                   function_version: str = "$LATEST") -> Any:
    """An object with the attributes of the Lambda runtime's context
    (``aws_request_id``, ``function_name``, ``invoked_function_arn``,
    ``get_remaining_time_in_millis()``...), for ``lambda_handler(handle)(event, ctx)``.
    It is the one ``polyfn invoke`` uses."""
    from ._lambda_context import FakeLambdaContext

    fake = FakeLambdaContext(function_name=function_name, timeout_s=timeout_s,
                             memory_limit_in_mb=str(memory_mb),
                             function_version=function_version)
    if request_id is not None:
        fake.aws_request_id = request_id
    return fake
