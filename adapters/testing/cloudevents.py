"""CloudEvents for tests of handlers served by ``adapters.cloudevents`` (Knative,
Dapr, Eventarc...): structured, batched, and binary-mode requests.

::

    from adapters.cloudevents import decode
    from adapters.testing import cloudevents

    [event] = decode(cloudevents.structured({"id": 1}, type="com.example.created"))
"""

from __future__ import annotations

from ._factories.cloudevents import http_message, structured, structured_batch
from ._registry import Sample

__all__ = ["SAMPLES", "http_message", "structured", "structured_batch"]

_GENERIC = "cloudevents"  # the trigger of a type no decoder claims

#: Every CloudEvents sample: the three shapes an event arrives in.
SAMPLES: tuple[Sample, ...] = (
    Sample("cloudevents.structured", structured, "event", "structured-mode CloudEvent",
           event_trigger=_GENERIC),
    Sample("cloudevents.batch", structured_batch, "event", "batched-mode CloudEvents (array)",
           event_trigger=_GENERIC),
    Sample("cloudevents.http", http_message, "event", "binary-mode HTTP request (HTTPMessage)",
           event_trigger=_GENERIC, wire=False,
           note="binary mode travels in HTTP headers; POST it to `polyfn serve` with ce-* "
                "headers, or print the structured form with `polyfn samples cloudevents "
                "structured`"),
)
