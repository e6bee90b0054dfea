"""Turning tracing on and off: the API alone (no provider) traces nothing; the
switch; an explicit provider; a handler's own span is a child of the invocation's."""

from __future__ import annotations

from typing import Any

import opentelemetry.trace
from opentelemetry.sdk.trace import TracerProvider

import sdk._tracing
import sdk.tracing
from adapters.aws import lambda_handler
from adapters.testing import aws


def test_api_loaded_without_a_provider_is_off() -> None:
    assert "opentelemetry.trace" in __import__("sys").modules
    assert isinstance(opentelemetry.trace.get_tracer_provider(),
                      opentelemetry.trace.ProxyTracerProvider)
    assert not sdk.tracing.enabled()
    assert lambda_handler(lambda e: {"ok": 1})(aws.apigw_v2(), None)["statusCode"] == 200


def test_disable_wins_over_a_provider() -> None:
    try:
        sdk.tracing.enable(TracerProvider())
        assert sdk.tracing.enabled()
        sdk.tracing.disable()
        assert not sdk.tracing.enabled()
    finally:
        sdk._tracing._forced.clear()


def test_handler_spans_are_children_of_the_invocation(spans: Any) -> None:
    tracer = opentelemetry.trace.get_tracer("user")

    def handle(request: Any) -> dict[str, int]:
        with sdk._tracing.tracer().start_as_current_span("charge"):
            ids = sdk.tracing.current_ids()
        assert ids is not None
        assert tracer is not None
        return {"ok": 1}

    lambda_handler(handle)(aws.apigw_v2(), None)
    charge, invocation = spans.all
    assert charge.parent is not None and charge.parent.span_id == invocation.context.span_id
