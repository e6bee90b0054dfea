"""Turning OpenTelemetry tracing on and off (docs/tracing.md).

Tracing is on, with nothing to call, when OpenTelemetry is imported before the
first invocation and a tracer provider is configured: every invocation is then a
span (and every batch record a child span). ``enable()`` also imports
OpenTelemetry itself (``POLYFN_OTEL=1`` does the same), optionally with a
provider of its own; ``disable()`` (or ``POLYFN_OTEL=0``) turns it off.
"""

from __future__ import annotations

from ._tracing import current_ids, disable, enable
from ._tracing import tracer as _tracer

__all__ = ["current_ids", "disable", "enable", "enabled"]


def enabled() -> bool:
    """Whether the next invocation is traced."""
    return _tracer() is not None
