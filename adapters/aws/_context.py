"""The uniform Context from a Lambda context object."""

from __future__ import annotations

import os
import time
from typing import Any

from adapters._context import ColdStart
from sdk import Context, Logger

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
                       region=os.environ.get("AWS_REGION"), cold_start=cold,
                       trace_id=os.environ.get("_X_AMZN_TRACE_ID"))
    context = _new(_LambdaContext)  # no __init__ frame: once per invocation
    context._pending = (raw, cold, event_request_id)
    return context


class _LambdaContext(Context):
    """A :class:`Context` whose fields are filled in on first use: a handler that
    neither takes the context nor fails never pays for building it."""

    __slots__ = ("_pending",)

    _pending: tuple[Any, bool, str | None] | None  # set by lambda_context

    def __getattr__(self, name: str) -> Any:
        # Python calls this only for an attribute that is not set: before the
        # fill, Context's slots (a copy, made without __init__, has nothing pending).
        pending = self._pending if name in _SLOTS and hasattr(self, "_pending") else None
        if pending is None:
            raise AttributeError(f"'Context' object has no attribute {name!r}")
        self._pending = None
        _fill(self, *pending)
        return getattr(self, name)

    @property
    def logger(self) -> Logger:
        # A failure log line needs only the request and trace ids: not a fill.
        pending = self._pending
        if pending is None:
            return Context.logger.fget(self)  # type: ignore[attr-defined,no-any-return]
        raw, _, event_request_id = pending
        return Logger("aws", getattr(raw, "aws_request_id", None) or event_request_id,
                      os.environ.get("_X_AMZN_TRACE_ID"))


_SLOTS = frozenset(Context.__slots__)
_new = object.__new__


def _fill(context: Context, raw: Any, cold: bool, event_request_id: str | None) -> None:
    arn = getattr(raw, "invoked_function_arn", None) or ""
    parts = arn.split(":")
    memory = getattr(raw, "memory_limit_in_mb", None)
    remaining = getattr(raw, "get_remaining_time_in_millis", None)
    Context.__init__(
        context,
        provider="aws",
        request_id=getattr(raw, "aws_request_id", None) or event_request_id,
        function_name=getattr(raw, "function_name", None),
        function_version=getattr(raw, "function_version", None),
        region=parts[3] if len(parts) > 4 and parts[3] else os.environ.get("AWS_REGION"),
        memory_mb=int(memory) if memory else None,
        deadline_ms=time.time() * 1000 + remaining() if callable(remaining) else None,
        cold_start=cold,
        trace_id=os.environ.get("_X_AMZN_TRACE_ID"),
        raw=raw,
    )
