"""Google Cloud invocations as spans: HTTP (traceparent or X-Cloud-Trace-Context),
Pub/Sub CloudEvents (2nd gen) and 1st-gen events, Cloud Storage; log lines' spanId."""

from __future__ import annotations

import json
from typing import Any

import flask
import pytest
from cloudevents.http import CloudEvent
from google.cloud.functions.context import Context as LegacyContext
from opentelemetry.trace import SpanKind, StatusCode

import adapters.gcp as gcp
from adapters.testing import gcp as samples

APP = flask.Flask(__name__)
TRACE = "105445aa7843bc8bf206b12000100000"
PRODUCER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def native(structured: dict[str, Any]) -> CloudEvent:
    return CloudEvent({k: v for k, v in structured.items() if k != "data"},
                      structured.get("data"))


def ignore(event: Any) -> dict[str, int]:
    return {"ok": 1}


def test_http_continues_x_cloud_trace_context(spans: Any) -> None:
    request = samples.http_request("DELETE", "/items/3",
                                   headers={"X-Cloud-Trace-Context": f"{TRACE}/1;o=1"})
    response = gcp.http_function(ignore)(request)
    assert response.status_code == 200
    (span,) = spans.all
    assert span.kind is SpanKind.SERVER
    assert span.attributes["cloud.provider"] == "gcp"
    assert span.attributes["http.request.method"] == "DELETE"
    assert span.attributes["http.response.status_code"] == 200
    assert f"{span.context.trace_id:032x}" == TRACE
    assert span.parent is not None and span.parent.span_id == 1


def test_http_500_is_an_error(spans: Any) -> None:
    def fail(request: Any) -> None:
        raise RuntimeError("x")

    gcp.http_function(fail)(samples.http_request())
    (span,) = spans.all
    assert span.status.status_code is StatusCode.ERROR


def test_pubsub_cloudevent_continues_googclient_traceparent(spans: Any) -> None:
    event = native(samples.pubsub("x", topic="orders", message_id="m-1",
                                  attributes={"googclient_traceparent": PRODUCER}))
    gcp.cloudevent_function(ignore)(event)
    root = spans.root()
    assert root.kind is SpanKind.CONSUMER
    assert root.name == "process orders"
    assert root.attributes["messaging.system"] == "gcp_pubsub"
    assert root.attributes["messaging.destination.name"] == "orders"
    assert f"{root.context.trace_id:032x}" == PRODUCER.split("-")[1]
    (record,) = spans.children(root)
    assert record.attributes["messaging.message.id"] == "m-1"
    assert len(record.links) == 1


def test_cloudevent_traceparent_extension_is_the_parent(spans: Any) -> None:
    event = native(samples.storage("a.txt"))
    event["traceparent"] = PRODUCER
    gcp.cloudevent_function(ignore)(event)
    root = spans.root()
    assert root.attributes["faas.trigger"] == "datasource"
    assert f"{root.context.trace_id:032x}" == PRODUCER.split("-")[1]


def test_failed_event_marks_both_spans(spans: Any) -> None:
    def fail(event: Any) -> None:
        raise RuntimeError("retry")

    with pytest.raises(RuntimeError):
        gcp.cloudevent_function(fail)(native(samples.pubsub("x")))
    root = spans.root()
    (record,) = spans.children(root)
    assert record.status.status_code is StatusCode.ERROR
    assert root.status.status_code is StatusCode.ERROR


def test_first_gen_background_event(spans: Any) -> None:
    raw = samples.background()
    context = LegacyContext(eventId=raw["context"]["eventId"],
                            timestamp=raw["context"]["timestamp"],
                            eventType=raw["context"]["eventType"],
                            resource=raw["context"]["resource"])
    gcp.background_function(ignore)(raw["data"], context)
    root = spans.root()
    assert root.attributes["faas.trigger"] == "datasource"
    assert root.attributes["faas.invocation_id"] == raw["context"]["eventId"]


def test_log_line_span_id_is_the_current_span(spans: Any, capsys: Any,
                                              monkeypatch: Any) -> None:
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "proj")
    from sdk import _log

    monkeypatch.setattr(_log, "_project", [])

    def handle(request: Any, context: Any) -> None:
        context.logger.info("hello")

    gcp.http_function(handle)(samples.http_request(
        headers={"traceparent": PRODUCER}))
    line = json.loads(capsys.readouterr().out.splitlines()[-1])
    (span,) = spans.all
    assert line["logging.googleapis.com/trace"] == f"projects/proj/traces/{PRODUCER.split('-')[1]}"
    assert line["logging.googleapis.com/spanId"] == f"{span.context.span_id:016x}"
