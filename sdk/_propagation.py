"""Reading a producer's trace context: W3C Trace Context, or AWS X-Ray.

Loaded only while tracing (``sdk._tracing``). A carrier is a mapping with the
W3C header names (``traceparent``, ``tracestate``;
https://www.w3.org/TR/trace-context/) or X-Ray's ``X-Amzn-Trace-Id``
(``Root=1-...;Parent=...;Sampled=1``,
https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader),
read by the ``opentelemetry-propagator-aws-xray`` package when it is installed
(the ``otel`` extra installs it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

__all__ = ["XRAY", "extract"]

#: The X-Ray header's name, as a carrier key.
XRAY = "X-Amzn-Trace-Id"
_W3C = TraceContextTextMapPropagator()
_xray: list[Any] = []


def _xray_propagator() -> Any:
    if not _xray:
        try:
            from opentelemetry.propagators.aws import AwsXRayPropagator
        except ImportError:  # without the package, X-Ray carriers give no context
            _xray.append(None)
        else:
            _xray.append(AwsXRayPropagator())
    return _xray[0]


def extract(carrier: Mapping[str, str]) -> Any:
    """The context of ``carrier``'s W3C ``traceparent`` (preferred) or X-Ray header."""
    if carrier.get("traceparent"):
        return _W3C.extract(carrier)
    if carrier.get(XRAY):
        propagator = _xray_propagator()
        return None if propagator is None else propagator.extract(carrier)
    return None
