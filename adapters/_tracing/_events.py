"""The row for deliveries traced from their decoded events (Google Cloud's
CloudEvents and 1st-gen events, the CloudEvents apps): what arrived is read from
the uniform events, the same for every engine.

Messages' producer contexts: the CloudEvents distributed-tracing extension
(``traceparent``/``tracestate`` attributes,
https://github.com/cloudevents/spec/blob/main/cloudevents/extensions/distributed-tracing.md),
Pub/Sub's ``googclient_traceparent`` attribute (Google's client libraries,
https://cloud.google.com/pubsub/docs/open-telemetry-tracing) or a plain ``traceparent``.
"""

from __future__ import annotations

from typing import Any

from sdk import Change, HTTPRequest, Message, Schedule, StorageEvent

from ._carrier import Carrier, Headers, from_attributes

__all__ = ["EVENTS"]

#: Event kind -> faas.trigger (first match, in order).
_FAAS = ((HTTPRequest, "http"), (Message, "pubsub"), (StorageEvent, "datasource"),
         (Change, "datasource"), (Schedule, "timer"))
#: A message's trigger (its first two name parts) -> messaging.system.
_SYSTEMS = {"gcp.pubsub": "gcp_pubsub", "azure.servicebus": "servicebus",
            "azure.event": "eventhubs", "aws.sqs": "aws_sqs", "aws.sns": "aws.sns",
            "aws.kafka": "kafka"}


def _describe(events: Any) -> dict[str, Any]:
    first = events[0]
    faas = next((name for kind, name in _FAAS if isinstance(first, kind)), "other")
    found: dict[str, Any] = {"faas.trigger": faas}
    if len(events) > 1:
        found["messaging.batch.message_count"] = len(events)
    if isinstance(first, Message):
        trigger = str(first.trigger or "")
        found["messaging.system"] = _SYSTEMS.get(".".join(trigger.split(".")[:2]))
        found["messaging.destination.name"] = first.topic or first.queue
    return found


def _single(events: Any) -> Headers | None:
    return from_attributes(events[0].attributes) if len(events) == 1 else None


def _status(result: Any) -> int | None:
    status = getattr(result, "status", None)
    return status if isinstance(status, int) else None


#: raw: the delivery's list of events.
EVENTS = Carrier("other", describe=_describe, single=_single, status=_status)
