"""Google Cloud inputs for tests: structured CloudEvents of Google's types, 1st-gen
background events, Pub/Sub push bodies, and the ``flask.Request`` /
``cloudevents.http.CloudEvent`` objects functions-framework passes.

::

    import adapters.testing
    from adapters.gcp import cloudevent_function
    from adapters.testing import gcp

    on_event = cloudevent_function(handle)
    on_event(gcp.cloudevent({"id": 1}))
    assert adapters.testing.event("gcp.pubsub", data={"id": 1}).data == {"id": 1}
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._factories.gcp_events import (
    PROJECT,
    audit_log,
    background,
    eventarc,
    firestore,
    pubsub,
    pubsub_push,
    scheduler,
    storage,
    structured,
)
from ._factories.gcp_objects import cloudevent, http_request
from ._registry import Sample

__all__ = ["PROJECT", "SAMPLES", "audit_log", "background", "cloudevent", "eventarc",
           "firestore", "http_request", "pubsub", "pubsub_push", "scheduler", "storage",
           "structured"]

_STRUCTURED = "gcp.cloudevent.structured"


def _structured(name: str, build: Callable[..., Any], kind: str, summary: str) -> Sample:
    """A structured CloudEvent of the Google source ``name``: the structured-mode
    trigger detects it, and its events carry ``name`` as their trigger."""
    return Sample(name, build, kind, summary, trigger=_STRUCTURED, event_trigger=name)


#: Every Google Cloud sample. Source names (gcp.pubsub...) are structured CloudEvents.
SAMPLES: tuple[Sample, ...] = (
    Sample("gcp.http", http_request, "http", "flask.Request of an HTTP function", wire=False,
           note="functions-framework passes a flask.Request; send plain HTTP requests to "
                "`polyfn serve` instead"),
    Sample("gcp.cloudevent", cloudevent, "event", "cloudevents.http.CloudEvent object",
           event_trigger="gcp.eventarc", wire=False,
           note="functions-framework passes a CloudEvent object; `polyfn samples gcp "
                "eventarc` prints it in structured JSON"),
    _structured("gcp.pubsub", pubsub, "message", "Pub/Sub messagePublished CloudEvent"),
    _structured("gcp.storage", storage, "storage", "Cloud Storage object CloudEvent"),
    _structured("gcp.firestore", firestore, "change", "Firestore document CloudEvent (JSON)"),
    _structured("gcp.scheduler", scheduler, "schedule", "Cloud Scheduler job CloudEvent"),
    _structured("gcp.audit.log", audit_log, "event", "Cloud Audit Logs CloudEvent"),
    _structured("gcp.eventarc", eventarc, "event", "any other CloudEvent Eventarc delivers"),
    Sample("gcp.background", background, "storage", "1st-gen background event (Cloud Storage)",
           event_trigger="gcp.storage"),
    Sample("gcp.pubsub.push", pubsub_push, "message", "Pub/Sub push subscription body",
           event_trigger="gcp.pubsub"),
)
