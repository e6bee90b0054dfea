"""Structured JSON logging bound to the current request, in each cloud's format.

AWS (CloudWatch, Lambda JSON log format) and Google Cloud (Cloud Logging's
structured-logging fields) read one JSON object per line from stdout. On Azure the
worker ships Python ``logging`` records to the host, so lines go through the
``polyfn`` logger there.

``import sdk`` pays for every import here at cold start: ``logging`` is imported
only on Azure, and ``traceback`` not at all (see :func:`stack`).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, ClassVar

from . import _tracing
from ._jsonform import dumps
from ._redact import enabled as redacting
from ._redact import redact_fields

__all__ = ["Logger"]

_LEVELS = {"debug": 10, "info": 20, "warning": 30, "error": 40, "critical": 50}
_GCP_SEVERITY = {"debug": "DEBUG", "info": "INFO", "warning": "WARNING", "error": "ERROR",
                 "critical": "CRITICAL"}
_ERROR = _LEVELS["error"]
#: Chained exceptions followed at most (``raise ... from`` loops are cut off too).
_MAX_CHAIN = 10
#: Between two chained exceptions in a stack, as Python's own traceback says it.
_CAUSE = "The above exception was the direct cause of the following exception:"
_CONTEXT = "During handling of the above exception, another exception occurred:"


class Logger:
    """``context.logger.info("charged", order_id=7)`` writes one JSON line.

    Credentials in logged headers and the values of logged query strings are
    redacted (:mod:`sdk._redact`; ``POLYFN_LOG_REDACT=0`` turns it off).
    """

    __slots__ = ("_bound", "_provider", "_request_id", "_sampled", "_span_id", "_trace_id")
    #: Lines below this level are dropped (``POLYFN_LOG_LEVEL``, default ``info``).
    level: ClassVar[int] = _LEVELS.get((os.environ.get("POLYFN_LOG_LEVEL") or "info").lower(), 20)

    def __init__(self, provider: str, request_id: str | None, trace_id: str | None = None,
                 **bound: Any) -> None:
        self._provider = provider
        self._request_id = request_id
        self._trace_id = trace_id
        self._bound = bound
        #: Google Cloud's span id and sampling decision (``Context.span_id``...).
        self._span_id: str | None = None
        self._sampled: bool | None = None

    def bind(self, **fields: Any) -> Logger:
        """A logger that adds ``fields`` to every line."""
        bound = Logger(self._provider, self._request_id, self._trace_id,
                       **{**self._bound, **fields})
        bound._span_id, bound._sampled = self._span_id, self._sampled
        return bound

    def _emit(self, level: str, message: str, fields: dict[str, Any],
              stack: list[str] | None = None) -> None:
        """Write one line: ``fields`` redacted, then ``stack`` (a stack polyfn
        made from frame names, which nothing redacts: not walked)."""
        if _LEVELS[level] < self.level:
            return
        record: dict[str, Any]
        span = _tracing.current_ids() if _tracing._tracer else None  # tracing on: a lookup
        if self._provider == "gcp":
            record = {"severity": _GCP_SEVERITY[level], "message": message}
            if span is not None:
                self._gcp_trace(record, *span)
            elif self._trace_id:
                self._gcp_trace(record, self._trace_id, self._span_id)
            if self._request_id:
                record["execution_id"] = self._request_id
        else:
            record = {"timestamp": _now(), "level": level.upper(), "message": message}
            if self._request_id:
                record["requestId"] = self._request_id
            if self._trace_id:
                record["traceId"] = self._trace_id
                _CORRELATION.get(self._provider, _nothing)(record, self._trace_id)
            if span is not None:
                record["trace_id"], record["span_id"] = span
        if self._bound or fields:  # polyfn's own fields above need no redaction
            on = redacting()
            if self._bound:
                record.update(redact_fields(dict(self._bound), on))
            if fields:
                record.update(redact_fields(fields, on))  # the call's own dict
        if stack is not None:
            record["stack"] = stack
        line = dumps(record)
        if self._provider == "azure":
            import logging  # the Azure worker's channel; nowhere else worth its import

            logging.getLogger("polyfn").log(_LEVELS[level], line)
        else:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()

    def _gcp_trace(self, record: dict[str, Any], trace: str, span: str | None) -> None:
        """Cloud Logging's trace fields (https://cloud.google.com/logging/docs/structured-logging#special-payload-fields):
        the trace as ``projects/PROJECT/traces/TRACE_ID``, which links the line to
        Cloud Trace; without a known project, the bare id under ``trace_id``."""
        project = gcp_project()
        if project is None:
            record["trace_id"] = trace
            return
        record["logging.googleapis.com/trace"] = f"projects/{project}/traces/{trace}"
        if span:
            record["logging.googleapis.com/spanId"] = span
        if self._sampled is not None:
            record["logging.googleapis.com/trace_sampled"] = self._sampled

    def debug(self, message: str, **fields: Any) -> None:
        self._emit("debug", message, fields)

    def info(self, message: str, **fields: Any) -> None:
        self._emit("info", message, fields)

    def warning(self, message: str, **fields: Any) -> None:
        self._emit("warning", message, fields)

    def error(self, message: str, **fields: Any) -> None:
        self._emit("error", message, fields)

    def exception(self, message: str, exc: BaseException, **fields: Any) -> None:
        """An error line with the exception's type and stack (logs only, never a response).

        ``stack`` is one string per frame, ``"path:line in function"``, outermost
        first, then ``"module.Type: message"``; chained exceptions (``raise ... from``,
        or raised while handling another) come first, as Python prints them.
        """
        if self.level > _ERROR:  # nothing below is worth computing for a dropped line
            return
        if _tracing._tracer and _tracing.BATCH.get() is None:
            _tracing.exception(exc)  # a failure answered, not raised (HTTP 500): on the span
        fields.setdefault("error_type", type(exc).__qualname__)
        fields.setdefault("error_message", str(exc))
        # The stack polyfn makes goes in last, as a given one would, unredacted: its
        # strings are frame names, logged under no key redaction looks at.
        self._emit("error", message, fields, None if "stack" in fields else stack(exc))


def _xray(record: dict[str, Any], trace: str) -> None:
    """Lambda: the X-Ray trace id alone (``Root=1-...`` of ``_X_AMZN_TRACE_ID``), as
    ``xray_trace_id``, the field powertools' logger writes."""
    root = trace.partition("Root=")[2].partition(";")[0]
    if root:
        record["xray_trace_id"] = root


def _operation(record: dict[str, Any], trace: str) -> None:
    """Azure: the trace id is Application Insights' operation id (``operation_Id``)."""
    record["operation_Id"] = trace


def _nothing(record: dict[str, Any], trace: str) -> None:
    return None


#: Provider -> the cloud's own correlation field for the invocation's trace id.
_CORRELATION: dict[str, Callable[[dict[str, Any], str], None]] = {
    "aws": _xray, "azure": _operation}


#: Variables naming the Google Cloud project, in the order read (the first two are
#: set by older Cloud Functions runtimes and by users; newer runtimes set none:
#: adapters.gcp asks the metadata server then, see :func:`use_gcp_project`).
_PROJECT_VARIABLES = ("GOOGLE_CLOUD_PROJECT", "GCP_PROJECT", "GCLOUD_PROJECT")
_project: list[str | None] = []
#: Asked once when no variable names the project (adapters.gcp: the metadata server).
_resolver: list[Callable[[], str | None]] = []


def gcp_project() -> str | None:
    """The project Google Cloud log lines name their trace in, found once."""
    if not _project:
        env = os.environ
        found = next((env[n] for n in _PROJECT_VARIABLES if env.get(n)), None)
        if found is None and _resolver:
            found = _resolver[0]()
        _project.append(found)
    return _project[0]


def use_gcp_project(resolver: Callable[[], str | None] | None) -> None:
    """Find the project with ``resolver`` when no variable names it; forget the
    project found so far (the next line looks again)."""
    _resolver[:] = [resolver] if resolver is not None else []
    _project.clear()


def stack(exc: BaseException) -> list[str]:
    """``exc``'s stack as :meth:`Logger.exception` logs it.

    Not ``traceback.format_exception``: on Python 3.11+ it re-parses every frame's
    source to draw ``^^^`` markers and ``stat``s every file, which made a failure
    line cost more than handling a whole SQS batch. Source lines are left out too
    (reading them through ``linecache`` was a third of this function's time, and
    opens every file of the stack at the first failure): file and line find them.
    """
    chain: list[tuple[BaseException, str | None]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    note: str | None = None
    while current is not None and id(current) not in seen and len(chain) < _MAX_CHAIN:
        seen.add(id(current))
        chain.append((current, note))
        if current.__cause__ is not None:
            current, note = current.__cause__, _CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            current, note = current.__context__, _CONTEXT
        else:
            current = None
    lines: list[str] = []
    for error, link in reversed(chain):
        lines.extend(_frames(error.__traceback__))
        lines.append(_describe(error))
        if link is not None:
            lines.append(link)
    return lines


def _frames(tb: TracebackType | None) -> list[str]:
    out: list[str] = []
    while tb is not None:
        code = tb.tb_frame.f_code
        out.append(f"{code.co_filename}:{tb.tb_lineno} in {code.co_name}")
        tb = tb.tb_next
    return out


def _describe(exc: BaseException) -> str:
    kind = type(exc)
    name = kind.__qualname__
    if kind.__module__ not in ("builtins", "__main__"):
        name = f"{kind.__module__}.{name}"
    try:
        text = str(exc)
    except Exception:
        text = "<exception str() failed>"
    return f"{name}: {text}" if text else name


#: (epoch second, its "YYYY-MM-DDTHH:MM:SS" text): lines in the same second share it.
_clock: list[tuple[int, str]] = [(-1, "")]


def _now() -> str:
    t = time.time()
    second, text = _clock[0]
    if int(t) != second:  # strftime + gmtime cost more than the rest of the line's fields
        second = int(t)
        text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        _clock[0] = (second, text)
    # printf-style: an f-string parsing "03d" per line costs twice as much
    return "%s.%03dZ" % (text, t % 1 * 1000)  # noqa: UP031
