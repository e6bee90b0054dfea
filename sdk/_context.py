"""What a handler knows about the invocation it runs in."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any

from ._log import Logger

__all__ = ["Context"]


class Context:
    """The invocation's context, the same on every provider.

    A field the provider does not tell is ``None``. ``raw`` is the provider's own
    context object (Lambda context, ``func.Context``, flask request).
    """

    __slots__ = ("_deadline_ms", "_logger", "attempt", "cold_start", "function_name",
                 "function_version", "memory_mb", "provider", "raw", "region", "request_id",
                 "span_id", "trace_id", "trace_sampled")

    def __init__(
        self,
        *,
        provider: str,
        request_id: str | None = None,
        function_name: str | None = None,
        function_version: str | None = None,
        region: str | None = None,
        memory_mb: int | None = None,
        deadline_ms: float | None = None,
        cold_start: bool = False,
        trace_id: str | None = None,
        attempt: int | None = None,
        raw: Any = None,
        span_id: str | None = None,
        trace_sampled: bool | None = None,
    ) -> None:
        self.provider = provider
        self.request_id = request_id
        self.function_name = function_name
        self.function_version = function_version
        self.region = region
        self.memory_mb = memory_mb
        self._deadline_ms = deadline_ms  # epoch milliseconds
        self.cold_start = cold_start
        self.trace_id = trace_id
        self.attempt = attempt
        self.raw = raw
        #: The caller's span and whether it sampled the trace (Google Cloud's
        #: ``X-Cloud-Trace-Context`` / ``traceparent``): Cloud Logging fields.
        self.span_id = span_id
        self.trace_sampled = trace_sampled
        self._logger: Logger | None = None

    @property
    def deadline(self) -> datetime | None:
        """When the platform stops this invocation (aware UTC), if it says."""
        deadline_ms = self._deadline_at()
        if deadline_ms is None:
            return None
        return datetime.fromtimestamp(deadline_ms / 1000, tz=timezone.utc)

    def remaining_ms(self) -> int | None:
        """Milliseconds left before the deadline (``None`` when there is none)."""
        deadline_ms = self._deadline_at()
        if deadline_ms is None:
            return None
        return max(0, int(deadline_ms - time.time() * 1000))

    def _deadline_at(self) -> float | None:
        """The deadline in epoch milliseconds: an adapter's lazily filled context
        answers it without filling its other fields."""
        return self._deadline_ms

    @property
    def logger(self) -> Logger:
        """A structured logger bound to this request id."""
        logger = self._logger
        if logger is None:
            logger = self._logger = Logger(self.provider, self.request_id, self.trace_id)
            logger._span_id, logger._sampled = self.span_id, self.trace_sampled
        return logger

    def to_dict(self) -> dict[str, Any]:
        from ._jsonform import iso

        return {
            "provider": self.provider, "request_id": self.request_id,
            "function_name": self.function_name, "function_version": self.function_version,
            "region": self.region, "memory_mb": self.memory_mb, "deadline": iso(self.deadline),
            "cold_start": self.cold_start, "trace_id": self.trace_id, "attempt": self.attempt,
        }

    def __repr__(self) -> str:
        return f"<Context {self.provider} request_id={self.request_id!r}>"
