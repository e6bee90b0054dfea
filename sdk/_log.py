"""Structured JSON logging bound to the current request, in each cloud's format.

AWS (CloudWatch, Lambda JSON log format) and Google Cloud (Cloud Logging's
structured-logging fields) read one JSON object per line from stdout. On Azure the
worker ships Python ``logging`` records to the host, so lines go through the
``polyfn`` logger there.
"""

from __future__ import annotations

import logging
import os
import sys
import time
import traceback
from typing import Any, ClassVar

from ._jsonform import dumps

__all__ = ["Logger"]

_LEVELS = {"debug": 10, "info": 20, "warning": 30, "error": 40, "critical": 50}
_GCP_SEVERITY = {"debug": "DEBUG", "info": "INFO", "warning": "WARNING", "error": "ERROR",
                 "critical": "CRITICAL"}


class Logger:
    """``context.logger.info("charged", order_id=7)`` writes one JSON line."""

    __slots__ = ("_bound", "_provider", "_request_id", "_trace_id")
    #: Lines below this level are dropped (``POLYFN_LOG_LEVEL``, default ``info``).
    level: ClassVar[int] = _LEVELS.get((os.environ.get("POLYFN_LOG_LEVEL") or "info").lower(), 20)

    def __init__(self, provider: str, request_id: str | None, trace_id: str | None = None,
                 **bound: Any) -> None:
        self._provider = provider
        self._request_id = request_id
        self._trace_id = trace_id
        self._bound = bound

    def bind(self, **fields: Any) -> Logger:
        """A logger that adds ``fields`` to every line."""
        return Logger(self._provider, self._request_id, self._trace_id,
                      **{**self._bound, **fields})

    def _emit(self, level: str, message: str, fields: dict[str, Any]) -> None:
        if _LEVELS[level] < self.level:
            return
        record: dict[str, Any]
        if self._provider == "gcp":
            record = {"severity": _GCP_SEVERITY[level], "message": message}
            if self._trace_id:
                record["logging.googleapis.com/trace"] = self._trace_id
            if self._request_id:
                record["execution_id"] = self._request_id
        else:
            record = {"timestamp": _now(), "level": level.upper(), "message": message}
            if self._request_id:
                record["requestId"] = self._request_id
            if self._trace_id:
                record["traceId"] = self._trace_id
        record.update(self._bound)
        record.update(fields)
        line = dumps(record)
        if self._provider == "azure":
            logging.getLogger("polyfn").log(_LEVELS[level], line)
        else:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()

    def debug(self, message: str, **fields: Any) -> None:
        self._emit("debug", message, fields)

    def info(self, message: str, **fields: Any) -> None:
        self._emit("info", message, fields)

    def warning(self, message: str, **fields: Any) -> None:
        self._emit("warning", message, fields)

    def error(self, message: str, **fields: Any) -> None:
        self._emit("error", message, fields)

    def exception(self, message: str, exc: BaseException, **fields: Any) -> None:
        """An error line with the exception's type and stack (logs only, never a response)."""
        fields.setdefault("error_type", type(exc).__qualname__)
        fields.setdefault("error_message", str(exc))
        fields.setdefault("stack", traceback.format_exception(type(exc), exc, exc.__traceback__))
        self._emit("error", message, fields)


def _now() -> str:
    t = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t % 1 * 1000):03d}Z"
