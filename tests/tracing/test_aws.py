"""AWS Lambda invocations as spans: HTTP, SQS batches with a failing record,
streams, SNS, EventBridge, S3; parents from W3C headers and X-Ray."""

from __future__ import annotations

from typing import Any

import pytest
from opentelemetry.trace import SpanKind, StatusCode

from adapters.aws import lambda_handler
from adapters.testing import aws
from sdk import Message

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = f"00-{TRACE}-00f067aa0ba902b7-01"


def batch(*events: dict[str, Any]) -> dict[str, Any]:
    return {"Records": [record for event in events for record in event["Records"]]}


def ok_and_bad(producer: str) -> dict[str, Any]:
    """An SQS batch of queue ``orders``: ``m1`` ("ok", sent under ``producer``'s
    trace context) and ``m2`` ("bad", no producer context)."""
    return batch(aws.sqs("ok", message_id="m1", queue="orders",
                         attributes={"traceparent": producer}),
                 aws.sqs("bad", message_id="m2", queue="orders"))


def trace_ids(span: Any) -> list[str]:
    """The trace ids (hex) of the span's links."""
    return [f"{link.context.trace_id:032x}" for link in span.links]


def test_http_request_is_a_server_span_continuing_the_callers_trace(spans: Any) -> None:
    handler = lambda_handler(lambda request: {"ok": True})
    handler(aws.apigw_v2("POST", "/items/7", headers={"traceparent": PARENT},
                         route_key="POST /items/{id}"), None)
    (span,) = spans.all
    assert span.kind is SpanKind.SERVER
    assert span.name == "POST /items/{id}"
    assert span.attributes["faas.trigger"] == "http"
    assert span.attributes["cloud.provider"] == "aws"
    assert span.attributes["http.request.method"] == "POST"
    assert span.attributes["http.route"] == "/items/{id}"
    assert span.attributes["http.response.status_code"] == 200
    assert f"{span.context.trace_id:032x}" == TRACE
    assert span.parent is not None and span.parent.span_id == 0x00f067aa0ba902b7
    assert span.status.status_code is StatusCode.UNSET


def test_http_500_is_an_error_with_the_exception(spans: Any) -> None:
    def fail(request: Any) -> None:
        raise RuntimeError("boom")

    lambda_handler(fail)(aws.apigw_v1("GET", "/"), None)
    (span,) = spans.all
    assert span.attributes["http.response.status_code"] == 500
    assert span.status.status_code is StatusCode.ERROR
    assert [e.attributes["exception.type"] for e in span.events] == ["RuntimeError"]


def test_sqs_batch_one_span_a_child_per_record_failed_record_marked(spans: Any,
                                                                   monkeypatch: Any) -> None:
    monkeypatch.setenv("_X_AMZN_TRACE_ID",
                       "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")

    def handle(message: Message) -> None:
        if message.data == "bad":
            raise ValueError("bad record")

    producer = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    event = ok_and_bad(producer)
    answer = lambda_handler(handle)(event, None)
    assert answer == {"batchItemFailures": [{"itemIdentifier": "m2"}]}
    root = spans.root()
    assert root.kind is SpanKind.CONSUMER
    assert root.name == "process orders"
    assert root.attributes["messaging.system"] == "aws_sqs"
    assert root.attributes["messaging.batch.message_count"] == 2
    assert root.attributes["messaging.operation.type"] == "process"
    assert f"{root.context.trace_id:032x}" == "5759e988bd862e3fe1be46a994272793"  # X-Ray parent
    first, second = spans.children(root)
    assert first.attributes["messaging.message.id"] == "m1"
    assert trace_ids(first) == [producer.split("-")[1]]
    assert first.status.status_code is StatusCode.UNSET
    assert second.attributes["messaging.message.id"] == "m2"
    assert second.status.status_code is StatusCode.ERROR
    assert second.events[0].attributes["exception.type"] == "ValueError"


def test_sqs_aws_trace_header_is_the_records_link(spans: Any) -> None:
    event = aws.sqs("x", message_id="m1")
    event["Records"][0]["attributes"]["AWSTraceHeader"] = (
        "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
    lambda_handler(lambda message: None)(batch(event, aws.sqs("y")), None)
    record = spans.children(spans.root())[0]
    assert f"{record.links[0].context.trace_id:032x}" == "5759e988bd862e3fe1be46a994272793"


def test_one_message_without_upstream_context_continues_the_producers_trace(spans: Any) -> None:
    producer = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    lambda_handler(lambda message: None)(aws.sqs("x", attributes={"traceparent": producer}),
                                         None)
    root = spans.root()
    assert f"{root.context.trace_id:032x}" == "0af7651916cd43dd8448eb211c80319c"


@pytest.mark.parametrize(("event", "faas", "system"), [
    (aws.sns("x", topic="alerts"), "pubsub", "aws.sns"),
    (aws.kinesis("x", stream="clicks"), "pubsub", None),
    (aws.dynamodb_stream({"id": {"S": "1"}}, table="Orders"), "datasource", None),
    (aws.s3("a.txt"), "datasource", None),
])
def test_record_triggers(spans: Any, event: dict[str, Any], faas: str,
                         system: str | None) -> None:
    lambda_handler(lambda e: None)(event, None)
    root = spans.root()
    assert root.attributes["faas.trigger"] == faas
    assert root.attributes.get("messaging.system") == system
    assert root.kind is SpanKind.CONSUMER
    assert len(spans.children(root)) == 1


def test_destination_names(spans: Any) -> None:
    lambda_handler(lambda e: None)(aws.dynamodb_stream({"id": {"S": "1"}}, table="Orders"), None)
    assert spans.root().attributes["messaging.destination.name"] == "Orders"


def test_eventbridge_and_schedule(spans: Any) -> None:
    lambda_handler(lambda e: None)(aws.eventbridge({"a": 1}), None)
    lambda_handler(lambda e: None)(aws.scheduled(), None)
    bridge, timer = spans.all
    assert bridge.attributes["faas.trigger"] == "pubsub"
    assert timer.attributes["faas.trigger"] == "timer"
    assert timer.kind is SpanKind.SERVER


def test_unsampled_xray_context_is_not_a_parent(spans: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("_X_AMZN_TRACE_ID",
                       "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0")
    lambda_handler(lambda e: None)(aws.scheduled(), None)
    (span,) = spans.all
    assert span.parent is None


def test_log_lines_carry_xray_and_span_ids(spans: Any, monkeypatch: Any, capsys: Any) -> None:
    monkeypatch.setenv("_X_AMZN_TRACE_ID",
                       "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")

    def handle(event: Any, context: Any) -> None:
        context.logger.info("hello")

    lambda_handler(handle)(aws.scheduled(), None)
    import json

    line = json.loads(capsys.readouterr().out.splitlines()[-1])
    (span,) = spans.all
    assert line["xray_trace_id"] == "1-5759e988-bd862e3fe1be46a994272793"
    assert line["trace_id"] == f"{span.context.trace_id:032x}"
    assert line["span_id"] == f"{span.context.span_id:016x}"


def test_reported_record_failure_is_not_repeated_on_the_invocation_span(spans: Any) -> None:
    def fail(message: Message) -> None:
        if message.data == "b":
            raise ValueError("x")

    lambda_handler(fail)(batch(aws.sqs("a"), aws.sqs("b")), None)
    root = spans.root()
    assert root.events == ()
    assert root.status.status_code is StatusCode.UNSET  # reported: the invocation succeeded
    assert [c.status.status_code for c in spans.children(root)] == [StatusCode.UNSET,
                                                                    StatusCode.ERROR]


def test_async_handler_records_have_spans_too(spans: Any) -> None:
    async def handle(message: Message) -> None:
        if message.data == "bad":
            raise ValueError("bad")

    answer = lambda_handler(handle)(batch(aws.sqs("ok", message_id="m1"),
                                          aws.sqs("bad", message_id="m2")), None)
    assert answer == {"batchItemFailures": [{"itemIdentifier": "m2"}]}
    children = sorted(spans.children(spans.root()),
                      key=lambda s: s.attributes["messaging.message.id"])
    assert [c.status.status_code for c in children] == [StatusCode.UNSET, StatusCode.ERROR]


def test_kafka_records(spans: Any) -> None:
    lambda_handler(lambda e: None)(aws.kafka(), None)
    root = spans.root()
    assert root.attributes["messaging.system"] == "kafka"
    assert spans.children(root)


def test_faas_and_cloud_attributes_from_the_lambda_context(spans: Any, monkeypatch: Any) -> None:
    from adapters.aws import _context
    from adapters.testing import lambda_context

    monkeypatch.setattr(_context.COLD, "cold", True)
    handler = lambda_handler(lambda request: {"ok": 1})
    handler(aws.apigw_v2(), lambda_context(function_name="orders", request_id="req-1"))
    handler(aws.apigw_v2(), lambda_context(function_name="orders", request_id="req-2"))
    first, second = spans.all
    assert first.attributes["faas.name"] == "orders"
    assert first.attributes["faas.invocation_id"] == "req-1"
    assert first.attributes["faas.version"] == "$LATEST"
    assert first.attributes["cloud.region"]
    assert (first.attributes["faas.coldstart"], second.attributes["faas.coldstart"]) == (
        True, False)
