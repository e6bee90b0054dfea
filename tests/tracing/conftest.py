"""Spans recorded by the real OpenTelemetry SDK into its in-memory exporter."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip("opentelemetry.sdk.trace", reason="the otel extra (dev) is not installed")

from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)

import sdk._tracing
import sdk.tracing


class Spans:
    """The spans finished during a test, by name and by relation."""

    def __init__(self, exporter: InMemorySpanExporter) -> None:
        self._exporter = exporter

    @property
    def all(self) -> list[ReadableSpan]:
        return list(self._exporter.get_finished_spans())

    def root(self) -> ReadableSpan:
        """The invocation's span: the last to end."""
        return self.all[-1]

    def children(self, parent: ReadableSpan) -> list[ReadableSpan]:
        span_id = parent.context.span_id
        return [s for s in self.all if s.parent is not None and s.parent.span_id == span_id]


@pytest.fixture
def spans() -> Iterator[Spans]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    sdk.tracing.enable(provider)
    try:
        yield Spans(exporter)
    finally:
        sdk.tracing.disable()
        sdk._tracing._forced.clear()  # back to automatic for the other tests
