"""The uniform Context from a Lambda context object."""

from __future__ import annotations

import time
from typing import Any

from adapters._context import ColdStart, PendingContext
from sdk import Context, Logger
from sdk.adapter import getenv

__all__ = ["lambda_context"]

#: True until the process has served its first invocation.
COLD = ColdStart()


def lambda_context(raw: Any, event_request_id: str | None = None) -> Context:
    """Build a :class:`Context` from the runtime's ``LambdaContext`` (or ``None``).

    ``cold_start`` is true for the first invocation a process serves. The fields
    are read when the handler (or a failure log line) first reads the context,
    during the invocation: the runtime sets the trace id per invocation and its
    ``get_remaining_time_in_millis`` counts down to a fixed deadline.
    """
    cold = COLD.take()
    if raw is None:
        return Context(provider="aws", request_id=event_request_id,
                       region=getenv("AWS_REGION"), cold_start=cold,
                       trace_id=getenv("_X_AMZN_TRACE_ID"))
    context = _new(_LambdaContext)  # no __init__ frame: once per invocation
    context._pending = (raw, cold, event_request_id)
    return context


class _LambdaContext(PendingContext):
    """Filled in from the runtime's ``LambdaContext`` on first read."""

    __slots__ = ()

    @property
    def logger(self) -> Logger:
        # A failure log line needs only the request and trace ids: not a fill.
        pending = self._pending
        if pending is None:
            return Context.logger.fget(self)  # type: ignore[attr-defined,no-any-return]
        raw, _, event_request_id = pending
        return Logger("aws", getattr(raw, "aws_request_id", None) or event_request_id,
                      getenv("_X_AMZN_TRACE_ID"))

    @staticmethod
    def _deadline_of(raw: Any) -> float | None:
        # The runtime client (awslambdaric) keeps the invocation's fixed deadline, the
        # Lambda-Runtime-Deadline-Ms it was sent, which get_remaining_time_in_millis
        # counts down to: read as it is, without two clock reads and a call (the
        # idempotency lease reads it per event). Any other context: the countdown.
        deadline = getattr(raw, "_epoch_deadline_time_in_ms", None)
        if deadline.__class__ is int:
            return float(deadline)
        remaining = getattr(raw, "get_remaining_time_in_millis", None)
        return time.time() * 1000 + remaining() if callable(remaining) else None

    def _fill(self, raw: Any, cold: bool, event_request_id: str | None) -> None:
        arn = getattr(raw, "invoked_function_arn", None) or ""
        parts = arn.split(":")
        memory = getattr(raw, "memory_limit_in_mb", None)
        Context.__init__(
            self,
            provider="aws",
            request_id=getattr(raw, "aws_request_id", None) or event_request_id,
            function_name=getattr(raw, "function_name", None),
            function_version=getattr(raw, "function_version", None),
            region=parts[3] if len(parts) > 4 and parts[3] else getenv("AWS_REGION"),
            memory_mb=int(memory) if memory else None,
            deadline_ms=self._deadline_of(raw),
            cold_start=cold,
            trace_id=getenv("_X_AMZN_TRACE_ID"),
            raw=raw,
        )


_new = object.__new__
