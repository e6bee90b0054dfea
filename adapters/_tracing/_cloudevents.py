"""The CloudEvents apps' tracing table: deliveries are described from their events
(``_events``); the parent is the request's W3C ``traceparent`` header, else the
one event's ``traceparent`` extension."""

from __future__ import annotations

from typing import Any

from sdk import Context

from ._carrier import Carrier, Headers, traceparent
from ._events import EVENTS

__all__ = ["CARRIERS", "DEFAULT", "parents"]


def parents(raw: Any, context: Context, row: Carrier) -> list[Headers | None]:
    headers = getattr(context.raw, "headers", None)
    if headers is None:
        return []
    return [traceparent(headers.get("traceparent"), headers.get("tracestate"))]


CARRIERS: dict[str, Carrier] = {"cloudevents.events": EVENTS}
DEFAULT = EVENTS
