"""Google Cloud Pub/Sub, 1st gen: a background event to the uniform event.

* polyfn: ``adapters.gcp.decode(payload)``: detection and translation into the
  event a Pub/Sub handler gets (its data stays undecoded until read).
* ``functions-framework``: ``event_conversion.background_event_to_cloud_event``,
  the conversion functions-framework runs to serve a 1st-gen event to a
  CloudEvent function (``get_json``/``path`` are all it reads of the request).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from ._core import Impl, Scenario, Target, need

__all__ = ["PAYLOAD", "SCENARIO"]

#: The body functions-framework receives for a 1st-gen Pub/Sub function.
PAYLOAD: dict[str, Any] = {
    "context": {
        "eventId": "1215011316659232",
        "timestamp": "2024-03-13T10:15:30.123Z",
        "eventType": "google.pubsub.topic.publish",
        "resource": {
            "service": "pubsub.googleapis.com",
            "name": "projects/sample-project/topics/orders",
            "type": "type.googleapis.com/google.pubsub.v1.PubsubMessage",
        },
    },
    "data": {
        "@type": "type.googleapis.com/google.pubsub.v1.PubsubMessage",
        "attributes": {"origin": "checkout"},
        "data": "eyJvcmRlcl9pZCI6IDEwNDIsICJza3UiOiAiQkstMSJ9",
    },
}


def _time(value: Any) -> datetime | None:
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value.astimezone(timezone.utc) if value is not None else None


def _polyfn_canon(event: Any) -> dict[str, Any]:
    return {"id": event.id, "source": event.source, "type": event.type,
            "time": _time(event.time)}


def _ce_canon(event: Any) -> dict[str, Any]:
    return {"id": event["id"], "source": event["source"], "type": event["type"],
            "time": _time(event["time"])}


def _polyfn() -> Callable[[], Any]:
    gcp = need("adapters.gcp")
    payload = copy.deepcopy(PAYLOAD)
    decode = gcp.decode
    return lambda: decode(payload)[0]


class _Request:
    """What ``background_event_to_cloud_event`` reads of a flask request."""

    __slots__ = ("_body", "path")

    def __init__(self, body: Any) -> None:
        self._body = body
        self.path = "/"

    def get_json(self) -> Any:
        return self._body


def _functions_framework() -> Callable[[], Any]:
    conversion = need("functions_framework.event_conversion")
    # The conversion edits the data it is given (adds messageId/publishTime), as
    # it does in functions-framework where each request parses a fresh body.
    request = _Request(copy.deepcopy(PAYLOAD))
    convert = conversion.background_event_to_cloud_event
    return lambda: convert(request)


SCENARIO = Scenario(
    name="gcp.pubsub-1st-gen",
    title="Pub/Sub 1st-gen background event -> uniform event",
    polyfn=Impl("polyfn", _polyfn, canon=_polyfn_canon),
    peers=(Impl("functions-framework", _functions_framework, canon=_ce_canon),),
    targets=(Target("functions-framework", ratio=1.0),),
)
