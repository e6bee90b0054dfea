"""Google Cloud's tracing table.

The parent is what ``adapters.gcp`` read into the Context: the request's
``traceparent`` or ``X-Cloud-Trace-Context``, or a CloudEvent's ``traceparent``
extension (https://cloud.google.com/trace/docs/trace-context). Events (CloudEvents,
1st-gen events) are described from the decoded events (``_events``).
"""

from __future__ import annotations

from typing import Any

from sdk import Context

from ._carrier import Carrier, Headers, traceparent
from ._events import EVENTS

__all__ = ["CARRIERS", "DEFAULT", "parents"]


def parents(raw: Any, context: Context, row: Carrier) -> list[Headers | None]:
    if not (context.trace_id and context.span_id):
        return []
    flags = "00" if context.trace_sampled is False else "01"
    return [traceparent(f"00-{context.trace_id}-{context.span_id}-{flags}")]


def _http(raw: Any) -> dict[str, Any]:
    # No http.route: functions-framework's catch-all rule says nothing of the app's
    # routes (an ASGI app through sdk.asgi sets its own: sdk._tracing_web).
    return {"http.request.method": raw.method, "url.path": raw.path}


def _status(result: Any) -> int | None:
    status = getattr(result, "status_code", None)
    return status if isinstance(status, int) else None


#: Trigger name -> its row; events are traced as ``gcp.events`` (their list).
CARRIERS: dict[str, Carrier] = {
    "gcp.http": Carrier("http", describe=_http, status=_status),
    "gcp.events": EVENTS,
}
DEFAULT = EVENTS
