"""The uniform Context from the worker's ``func.Context``.

``func.Context`` (https://learn.microsoft.com/azure/azure-functions/functions-reference-python#context):
``invocation_id``, ``function_name``, ``trace_context.trace_parent`` (W3C
``traceparent``: ``00-TRACE_ID-SPAN_ID-FLAGS``) and ``retry_context.retry_count``
(0 on the first execution; counts only the function's own retry policy, a queue's
redeliveries show in the message's ``dequeue_count``). The region comes from
``REGION_NAME`` (https://learn.microsoft.com/azure/azure-functions/functions-app-settings#region_name).
Azure tells neither a deadline nor the memory size: both stay ``None``.
"""

from __future__ import annotations

from typing import Any

from adapters._context import ColdStart, PendingContext, traceparent_id
from sdk import Context
from sdk.adapter import getenv

__all__ = ["azure_context", "trace_id"]

#: True until the worker process has served its first invocation.
COLD = ColdStart()


def trace_id(traceparent: Any) -> str | None:
    """The 32-hex trace id of a W3C ``traceparent`` (Application Insights' operation id)."""
    return traceparent_id(traceparent) if isinstance(traceparent, str) else None


def _attempt(raw: Any) -> int | None:
    count = getattr(getattr(raw, "retry_context", None), "retry_count", None)
    return count + 1 if isinstance(count, int) and not isinstance(count, bool) else None


def azure_context(raw: Any = None) -> Context:
    """A :class:`Context` for one invocation from ``func.Context`` (or ``None`` when a
    test calls the function directly). ``cold_start`` is true for the first
    invocation a worker process serves. The fields are read from ``func.Context``
    when first used (a handler that neither takes the context nor fails never pays
    for them)."""
    cold = COLD.take()
    if raw is None:
        return Context(provider="azure", region=getenv("REGION_NAME"), cold_start=cold)
    context = _new(_AzureContext)  # no __init__ frame: once per invocation
    context._pending = (raw, cold)
    return context


class _AzureContext(PendingContext):
    """Filled in from ``func.Context`` on first read (Azure tells no deadline)."""

    __slots__ = ()

    def _fill(self, raw: Any, cold: bool) -> None:
        trace = getattr(raw, "trace_context", None)
        Context.__init__(
            self,
            provider="azure",
            request_id=getattr(raw, "invocation_id", None),
            function_name=getattr(raw, "function_name", None),
            region=getenv("REGION_NAME"),
            cold_start=cold,
            trace_id=trace_id(getattr(trace, "trace_parent", None)),
            attempt=_attempt(raw),
            raw=raw,
        )


_new = object.__new__
