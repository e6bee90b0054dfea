"""W3C trace context on Azure messages.

Service Bus and Event Hubs consumers read ``Diagnostic-Id`` (the application
property the Azure SDKs and the Functions host use for the parent span:
https://learn.microsoft.com/azure/service-bus-messaging/service-bus-end-to-end-tracing)
and, newer ones, ``traceparent``; both carry the W3C ``traceparent`` value.
``message.trace`` is empty unless OpenTelemetry is in use (sdk/_outputs/_trace.py).
"""

from __future__ import annotations

__all__ = ["amqp_trace"]


def amqp_trace(trace: dict[str, str]) -> dict[str, str]:
    """The application properties that carry ``trace`` (``{}`` when none)."""
    if "traceparent" not in trace:
        return {}
    return {"Diagnostic-Id": trace["traceparent"], **trace}
