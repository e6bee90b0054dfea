"""CloudEvents on Google Cloud: functions-framework's ``CloudEvent`` object and the
structured JSON form, taken apart into :class:`CloudEventParts` for the shared
type table (``adapters.cloudevents``), which decides the uniform kind.

Google's event types and their data: https://github.com/googleapis/google-cloudevents
(``google.cloud.pubsub.topic.v1.messagePublished``, ``google.cloud.storage.object.v1.*``,
``google.cloud.firestore.document.v1.*``, ``google.firebase.*``...). The attributes
are CloudEvents 1.0's: https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from adapters._trigger import Trigger
from adapters.cloudevents import decode_cloudevent
from adapters.cloudevents._structured import from_structured
from adapters.cloudevents._types import CloudEventParts, decode_parts
from sdk import Context, Event, Function
from sdk.adapter import FAIL, Record, run_batch, run_one

__all__ = ["TRIGGER", "CloudEvent", "EventTrigger", "StructuredCloudEvent",
           "cloudevent_object", "make_parts", "run_events"]

#: The trigger of a CloudEvent whose type has no decoder of its own (a registered
#: Google type names its own: ``gcp.pubsub``, ``gcp.storage``...): Eventarc custom
#: and third-party events, direct senders.
TRIGGER = "gcp.eventarc"


def make_parts(attributes: Mapping[str, Any], data: Any, *, raw: Any,
               native: Callable[[], Any], trigger: str = TRIGGER) -> CloudEventParts:
    """The parts of one CloudEvent from Google Cloud (time and extensions derived)."""
    return CloudEventParts(attributes=attributes, data=data, provider="gcp", trigger=trigger,
                           raw=raw, native=native)


def cloudevent_object(attributes: Mapping[str, Any], data: Any) -> Any:
    """A ``cloudevents.http.CloudEvent``, what functions-framework hands user code."""
    from cloudevents.http import CloudEvent as _CloudEvent

    return _CloudEvent({k: v for k, v in attributes.items() if v is not None}, data)


def run_events(fn: Function[Any], events: list[Event[Any]], context: Context,
               trigger: str) -> None:
    """Run ``fn`` on a delivery's events under the runner's ``FAIL`` policy: any
    failure propagates (a ``list[...]`` handler gets them as one batch, and a
    failure it reports raises too)."""
    if len(events) == 1:  # the line names what arrived: gcp.pubsub, not gcp.cloudevent
        event = events[0]
        run_one(fn, Record(event.id, events), context, trigger=event.trigger, policy=FAIL)
        return
    run_batch(fn, [Record(event.id, [event]) for event in events], context,
              trigger=trigger, policy=FAIL)


class EventTrigger(Trigger):
    """A trigger delivering events (not HTTP requests): a handler failure propagates,
    so functions-framework answers 500 and Pub/Sub or Eventarc redelivers."""

    semantics = ("The handler's result is ignored; an exception fails the delivery "
                 "(HTTP 500 from functions-framework), so the event is redelivered "
                 "per the trigger's retry policy.")

    def invoke(self, fn: Function[Any], raw: Any, context: Context, **options: Any) -> Any:
        run_events(fn, self.decoded(raw, context), context, self.name)
        return None


class CloudEvent(EventTrigger):
    """The ``cloudevents.http.CloudEvent`` functions-framework passes a
    ``--signature-type cloudevent`` function (binary or structured mode, or a
    1st-gen event it converted)."""

    name = "gcp.cloudevent"

    def matches(self, raw: Any) -> bool:
        return callable(getattr(raw, "get_attributes", None)) and hasattr(raw, "data")

    def decode(self, raw: Any, context: Context | None = None) -> list[Event[Any]]:
        return [decode_cloudevent(raw, provider="gcp", trigger=TRIGGER)]


class StructuredCloudEvent(EventTrigger):
    """A CloudEvent in the structured JSON format, as a dict (``specversion`` at the
    top): https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/formats/json-format.md"""

    name = "gcp.cloudevent.structured"

    def matches(self, raw: Any) -> bool:
        return isinstance(raw, dict) and "specversion" in raw

    def decode(self, raw: Any, context: Context | None = None) -> list[Event[Any]]:
        parts = from_structured(raw, provider="gcp", trigger=TRIGGER)
        return [decode_parts(parts.replace(native=lambda: _native(parts)))]


def _native(parts: CloudEventParts) -> Any:
    payload = parts.payload
    if payload is None:
        return cloudevent_object(parts.attributes, parts.data)
    return cloudevent_object(parts.attributes, payload() if callable(payload) else payload)
