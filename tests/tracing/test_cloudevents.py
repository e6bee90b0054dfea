"""The CloudEvents apps (WSGI and ASGI) as spans: the request's traceparent header
or the event's distributed-tracing extension; a batch with one failing event."""

from __future__ import annotations

import json
from typing import Any

import pytest
from opentelemetry.trace import StatusCode

from adapters.testing import cloudevents as samples
from tests.unit.test_cloudevents_apps import via_asgi, via_wsgi

PRODUCER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def ignore(event: Any) -> None:
    return None


def test_binary_event_continues_the_traceparent_header(spans: Any) -> None:
    message = samples.http_message({"a": 1})
    headers = {**dict(message.headers.items()), "traceparent": PRODUCER}
    status, _, _ = via_wsgi(ignore, headers, message.body)
    assert status in (200, 204)
    (span,) = spans.all
    assert f"{span.context.trace_id:032x}" == PRODUCER.split("-")[1]
    assert span.attributes["faas.trigger"] == "other"


def test_structured_extension_is_the_parent_over_asgi(spans: Any) -> None:
    event = samples.structured({"a": 1})
    event["traceparent"] = PRODUCER
    via_asgi(ignore, {"content-type": "application/cloudevents+json"},
             json.dumps(event).encode())
    (span,) = spans.all
    assert f"{span.context.trace_id:032x}" == PRODUCER.split("-")[1]


def test_batch_a_child_per_event_the_failed_one_marked(spans: Any) -> None:
    events = samples.structured_batch({"a": 1}, size=2)
    events[0]["traceparent"] = PRODUCER

    def handle(event: Any) -> None:
        if event.id == events[1]["id"]:
            raise ValueError("bad")

    via_wsgi(handle, {"content-type": "application/cloudevents-batch+json"},
             json.dumps(events).encode())
    root = spans.root()
    assert root.attributes["messaging.batch.message_count"] == 2
    first, second = spans.children(root)
    assert len(first.links) == 1 and not second.links
    assert second.status.status_code is StatusCode.ERROR
    assert first.status.status_code is StatusCode.UNSET


def _raise(event: Any) -> None:
    raise RuntimeError("retry")


async def _raise_async(event: Any) -> None:
    raise RuntimeError("retry")


@pytest.mark.parametrize("handle", [_raise, _raise_async], ids=["sync", "async"])
@pytest.mark.parametrize("serve", [via_wsgi, via_asgi], ids=["wsgi", "asgi"])
def test_a_failed_event_is_one_span_marked(serve: Any, handle: Any, spans: Any) -> None:
    message = samples.http_message({"a": 1})
    status, _, _ = serve(handle, dict(message.headers.items()), message.body)
    assert status == 500
    (span,) = spans.all  # the invocation's span is the event's: no record span
    assert span.status.status_code is StatusCode.ERROR
