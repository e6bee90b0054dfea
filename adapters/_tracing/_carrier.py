"""A row of a provider's tracing table: what one trigger's span carries.

Semantic conventions: FaaS (https://opentelemetry.io/docs/specs/semconv/faas/faas-spans/),
messaging (https://opentelemetry.io/docs/specs/semconv/messaging/messaging-spans/),
HTTP server (https://opentelemetry.io/docs/specs/semconv/http/http-spans/).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import suppress
from typing import Any

from sdk import Context

__all__ = ["Carrier", "Headers", "from_attributes", "traceparent"]

Headers = Mapping[str, str]
#: (raw payload) -> a delivery's own attributes (HTTP method and route, destination...)
Describe = Callable[[Any], dict[str, Any]]

#: faas.trigger -> span kind (FaaS spans: SERVER for requests, CONSUMER for messages)
_KIND = {"http": "server", "pubsub": "consumer", "datasource": "consumer", "timer": "server",
         "other": "server"}
#: Where producers put their context in a message's attributes (W3C; Pub/Sub's
#: client libraries: ``googclient_``; Azure SDKs: ``Diagnostic-Id``, a traceparent).
_ATTRIBUTE_KEYS = ("traceparent", "googclient_traceparent", "Diagnostic-Id")


def traceparent(value: Any, state: Any = None) -> Headers | None:
    """A W3C carrier holding ``value`` (``None`` when it is no traceparent: the old
    hierarchical ``Request-Id`` form of a ``Diagnostic-Id`` is not one)."""
    if not isinstance(value, str) or value.count("-") != 3:
        return None
    carrier = {"traceparent": value}
    if isinstance(state, str) and state:
        carrier["tracestate"] = state
    return carrier


def from_attributes(attributes: Mapping[str, Any] | None) -> Headers | None:
    """A message's producer context, from its attributes (the keys above)."""
    if not attributes:
        return None
    for key in _ATTRIBUTE_KEYS:
        found = traceparent(attributes.get(key),
                            attributes.get("googclient_tracestate" if key.startswith("goog")
                                           else "tracestate"))
        if found is not None:
            return found
    return None


def _no_status(result: Any) -> int | None:
    return None


def _event_carrier(event: Any) -> Headers | None:
    return from_attributes(getattr(event, "attributes", None))


class Carrier:
    """One trigger's span: ``faas`` its ``faas.trigger`` (http, pubsub, datasource,
    timer, other); ``system`` its ``messaging.system``; ``describe(raw)`` the
    delivery's attributes; ``record(event)`` a record's producer carrier;
    ``single(raw)`` the producer carrier of a one-message delivery (its parent when
    the transport brings none); ``status(result)`` an HTTP answer's status code."""

    __slots__ = ("describe", "faas", "record", "single", "status", "system")

    def __init__(self, faas: str = "other", *, system: str | None = None,
                 describe: Describe | None = None,
                 record: Callable[[Any], Headers | None] = _event_carrier,
                 single: Callable[[Any], Headers | None] | None = None,
                 status: Callable[[Any], int | None] = _no_status) -> None:
        self.faas = faas
        self.system = system
        self.describe = describe
        self.record = record
        self.single = single
        self.status = status

    @staticmethod
    def kind(attributes: Mapping[str, Any]) -> str:
        """The span kind for the ``faas.trigger`` ``describe`` may have refined."""
        return _KIND[attributes["faas.trigger"]]

    def attributes(self, raw: Any, context: Context, trigger: str,
                   route: Callable[[Context], str | None] | None = None) -> dict[str, Any]:
        """The invocation span's attributes (``None`` values left out); ``route``
        gives ``http.route`` where ``describe`` found none in the payload."""
        found: dict[str, Any] = {
            "faas.trigger": self.faas, "faas.invocation_id": context.request_id,
            "faas.coldstart": context.cold_start, "faas.name": context.function_name,
            "faas.version": context.function_version, "polyfn.trigger": trigger,
        }
        if context.provider in ("aws", "azure", "gcp"):
            found["cloud.provider"] = context.provider
        found["cloud.region"] = context.region
        if self.system is not None:
            found["messaging.system"] = self.system
        if self.describe is not None:
            # a malformed payload fails in the trigger, with its own error
            with suppress(AttributeError, KeyError, TypeError, ValueError, IndexError):
                found.update(self.describe(raw))
        if route is not None and found.get("http.route") is None:
            found["http.route"] = route(context)
        if found["faas.trigger"] in ("pubsub", "datasource"):
            found["messaging.operation.type"] = "process"
            found["messaging.operation.name"] = "process"
        return {key: value for key, value in found.items() if value is not None}

    def span_name(self, attributes: Mapping[str, Any], context: Context, trigger: str) -> str:
        """``GET /items/{id}``, ``process orders``, else the function's name."""
        if attributes["faas.trigger"] == "http" and "http.request.method" in attributes:
            route = attributes.get("http.route")
            method = attributes["http.request.method"]
            return f"{method} {route}" if route else str(method)
        if self.kind(attributes) == "consumer":
            return self.record_span_name(attributes)
        return context.function_name or trigger

    def record_span_name(self, attributes: Mapping[str, Any]) -> str:
        destination = attributes.get("messaging.destination.name")
        return f"process {destination}" if destination else "process"

    def describer(self, attributes: Mapping[str, Any]
                  ) -> Callable[[Any], tuple[dict[str, Any], Headers | None]]:
        """A record's span attributes and producer carrier, from its first event."""
        shared = {key: value for key, value in attributes.items()
                  if key.startswith("messaging.") and key != "messaging.batch.message_count"}
        record = self.record

        def describe(event: Any) -> tuple[dict[str, Any], Headers | None]:
            own = dict(shared)
            if getattr(event, "id", None) is not None:
                own["messaging.message.id"] = event.id
            return own, record(event)

        return describe

    def producer(self, raw: Any) -> list[Headers | None]:
        """The one message's producer carrier, as a last parent candidate."""
        if self.single is None:
            return []
        try:
            return [self.single(raw)]
        except (AttributeError, KeyError, TypeError, ValueError, IndexError):
            return []
