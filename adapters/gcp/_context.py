"""The uniform Context on Google Cloud: environment, request headers, event attributes.

Environment variables: https://cloud.google.com/functions/docs/configuring/env-var#runtime_environment_variables_set_automatically
(``K_SERVICE``, ``K_REVISION``, ``FUNCTION_TARGET`` everywhere; ``FUNCTION_NAME``,
``FUNCTION_REGION``, ``FUNCTION_MEMORY_MB`` only on the older 1st-gen runtimes). No
variable tells the deadline (``FUNCTION_TIMEOUT_SEC`` is a timeout, not a start
time), so ``deadline`` stays ``None`` rather than a guess.

Headers: ``Function-Execution-Id`` is set by the platform (and by functions-framework
when absent); trace context arrives as ``X-Cloud-Trace-Context``
(``TRACE_ID/SPAN_ID;o=1``) or W3C ``traceparent`` (``00-TRACE_ID-SPAN_ID-01``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from adapters._context import ColdStart, traceparent_id
from sdk import Context

__all__ = ["gcp_context", "trace_id"]

#: True until the process has served its first invocation.
COLD = ColdStart()


def trace_id(headers: Mapping[str, Any] | None, traceparent: Any = None) -> str | None:
    """The trace id from ``X-Cloud-Trace-Context`` or a W3C ``traceparent``."""
    cloud = headers.get("X-Cloud-Trace-Context") if headers is not None else None
    if cloud:
        return str(cloud).split("/", 1)[0].split(";", 1)[0] or None
    return traceparent_id(traceparent or (headers.get("traceparent")
                                          if headers is not None else None))


def _int_env(name: str) -> int | None:
    value = os.environ.get(name)
    try:
        return int(value) if value else None
    except ValueError:
        return None


def gcp_context(
    *,
    request_id: str | None = None,
    trace: str | None = None,
    attempt: int | None = None,
    raw: Any = None,
) -> Context:
    """A :class:`Context` for one invocation; ``cold_start`` is true for the first
    invocation a process serves. A value the platform does not give is ``None``."""
    cold = COLD.take()
    env = os.environ
    return Context(
        provider="gcp",
        request_id=request_id,
        function_name=env.get("K_SERVICE") or env.get("FUNCTION_TARGET")
        or env.get("FUNCTION_NAME"),
        function_version=env.get("K_REVISION") or env.get("X_GOOGLE_FUNCTION_VERSION"),
        region=env.get("FUNCTION_REGION"),
        memory_mb=_int_env("FUNCTION_MEMORY_MB"),
        cold_start=cold,
        trace_id=trace,
        attempt=attempt,
        raw=raw,
    )
