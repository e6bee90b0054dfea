"""W3C trace context for outgoing messages.

Injected through ``opentelemetry.propagate.inject`` only when OpenTelemetry is
already imported (an instrumented function has it loaded): otherwise this costs
a dict lookup and loads nothing. The carrier keys are the W3C header names,
``traceparent`` and ``tracestate`` (https://www.w3.org/TR/trace-context/).
"""

from __future__ import annotations

import importlib
import sys

__all__ = ["trace_context"]


def trace_context() -> dict[str, str]:
    """The current span's ``traceparent``/``tracestate``, or ``{}``."""
    if "opentelemetry" not in sys.modules:
        return {}
    try:  # through importlib: opentelemetry is optional (no stubs needed to type this)
        propagate = importlib.import_module("opentelemetry.propagate")
    except ImportError:  # a partial install: no context to give
        return {}
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return {k: v for k, v in carrier.items() if k in ("traceparent", "tracestate")}
