"""The uniform Context on Google Cloud: environment, request headers, event attributes.

Environment variables: https://cloud.google.com/functions/docs/configuring/env-var#runtime_environment_variables_set_automatically
(``K_SERVICE``, ``K_REVISION``, ``FUNCTION_TARGET`` everywhere; ``FUNCTION_NAME``,
``FUNCTION_REGION``, ``FUNCTION_MEMORY_MB`` only on the older 1st-gen runtimes). No
variable tells the deadline (``FUNCTION_TIMEOUT_SEC`` is a timeout, not a start
time), so ``deadline`` stays ``None`` rather than a guess.

Headers: ``Function-Execution-Id`` is set by the platform (and by functions-framework
when absent); trace context arrives as ``X-Cloud-Trace-Context``
(``TRACE_ID/SPAN_ID;o=1``, the span id in decimal) or W3C ``traceparent``
(``00-TRACE_ID-SPAN_ID-01``, in hex; the last field's low bit is "sampled").

Log lines name their trace ``projects/PROJECT/traces/TRACE_ID``
(https://cloud.google.com/logging/docs/structured-logging#special-payload-fields).
Cloud Run and current Cloud Run functions runtimes set no project variable, so
when ``GOOGLE_CLOUD_PROJECT``/``GCP_PROJECT``/``GCLOUD_PROJECT`` are unset and
``K_SERVICE`` says the process runs there, the metadata server is asked once,
on the first traced log line (https://cloud.google.com/compute/docs/metadata/predefined-metadata-keys;
``GCE_METADATA_HOST`` overrides its address, as in Google's client libraries).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from adapters._context import ColdStart, PendingContext
from sdk import Context
from sdk.adapter import getenv, use_gcp_project

__all__ = ["gcp_context", "trace_context", "trace_id"]

#: True until the process has served its first invocation.
COLD = ColdStart()
_METADATA = "http://{host}/computeMetadata/v1/project/project-id"
_METADATA_TIMEOUT = 0.5  # seconds: once per process, and never off Google Cloud


def metadata_project() -> str | None:
    """The project id from the metadata server, on Google Cloud only (``None`` if
    it does not answer in time)."""
    if not os.environ.get("K_SERVICE"):
        return None
    import urllib.request  # first traced log line on Cloud Run only

    host = os.environ.get("GCE_METADATA_HOST") or "169.254.169.254"
    request = urllib.request.Request(_METADATA.format(host=host),
                                     headers={"Metadata-Flavor": "Google"})
    try:
        with urllib.request.urlopen(request, timeout=_METADATA_TIMEOUT) as answer:
            text = answer.read(256).decode("ascii").strip()
    except (OSError, ValueError):
        return None
    return text or None


use_gcp_project(metadata_project)


def trace_context(headers: Mapping[str, Any] | None, traceparent: Any = None
                  ) -> dict[str, Any]:
    """``trace``, ``span`` (16 hex digits) and ``sampled`` for :func:`gcp_context`,
    from ``X-Cloud-Trace-Context`` or a W3C ``traceparent``; ``None`` where unknown."""
    cloud = headers.get("X-Cloud-Trace-Context") if headers is not None else None
    if cloud:
        ids, _, options = str(cloud).partition(";")
        trace, _, span = ids.partition("/")
        flag = options.strip().partition("o=")[2][:1]
        return {"trace": trace or None,
                "span": f"{int(span):016x}" if span.isdigit() and int(span) < 2**64 else None,
                "sampled": {"1": True, "0": False}.get(flag)}
    parent = traceparent or (headers.get("traceparent") if headers is not None else None)
    parts = str(parent).split("-") if parent else []
    if len(parts) >= 4 and len(parts[1]) == 32 and len(parts[2]) == 16:
        try:
            sampled: bool | None = bool(int(parts[3][:2], 16) & 1)
        except ValueError:
            sampled = None
        return {"trace": parts[1], "span": parts[2], "sampled": sampled}
    return {"trace": None, "span": None, "sampled": None}


def trace_id(headers: Mapping[str, Any] | None, traceparent: Any = None) -> str | None:
    """The trace id from ``X-Cloud-Trace-Context`` or a W3C ``traceparent``."""
    return trace_context(headers, traceparent)["trace"]  # type: ignore[no-any-return]


def _int_env(name: str) -> int | None:
    value = getenv(name)
    try:
        return int(value) if value else None
    except ValueError:
        return None


def gcp_context(
    *,
    request_id: str | None = None,
    trace: str | None = None,
    span: str | None = None,
    sampled: bool | None = None,
    attempt: int | None = None,
    raw: Any = None,
) -> Context:
    """A :class:`Context` for one invocation; ``cold_start`` is true for the first
    invocation a process serves. A value the platform does not give is ``None``.
    The environment is read when a field is first read (a handler that neither
    takes the context nor fails never pays for it)."""
    context = _new(_GCPContext)  # no __init__ frame: once per invocation
    context._pending = (raw, COLD.take(), request_id, trace, span, sampled, attempt)
    return context


class _GCPContext(PendingContext):
    """Filled in from the environment and the request's values on first read."""

    __slots__ = ()

    def _fill(self, raw: Any, cold: bool, request_id: str | None, trace: str | None,
              span: str | None, sampled: bool | None, attempt: int | None) -> None:
        env = os.environ
        Context.__init__(
            self,
            provider="gcp",
            request_id=request_id,
            function_name=env.get("K_SERVICE") or env.get("FUNCTION_TARGET")
            or env.get("FUNCTION_NAME"),
            function_version=env.get("K_REVISION") or env.get("X_GOOGLE_FUNCTION_VERSION"),
            region=env.get("FUNCTION_REGION"),
            memory_mb=_int_env("FUNCTION_MEMORY_MB"),
            cold_start=cold,
            trace_id=trace,
            span_id=span,
            trace_sampled=sampled,
            attempt=attempt,
            raw=raw,
        )


_new = object.__new__
