"""Per-record spans where the runner's per-record call site does not run: a
``list[...]`` handler on every provider (one span per record it was given, its
reported failures and its exception marked, producers linked) and the events of
a batch the ASGI CloudEvents app runs itself."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cloudevents.http import CloudEvent
from opentelemetry.trace import SpanKind, StatusCode
from pydantic import BaseModel

import adapters.gcp as gcp
from adapters.aws import lambda_handler
from adapters.azure import bind
from adapters.testing import aws, azure
from adapters.testing import cloudevents as ce
from adapters.testing import gcp as gcp_samples
from sdk import Event, Message
from sdk.adapter import ReportedFailure
from sdk.errors import BatchFailedError
from tests.tracing.test_aws import batch, ok_and_bad, trace_ids
from tests.unit.test_azure_http import WorkerContext
from tests.unit.test_cloudevents_apps import via_asgi, via_wsgi

PRODUCER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
BATCH_JSON = {"content-type": "application/cloudevents-batch+json"}


class Order(BaseModel):
    id: int


def exception_types(span: Any) -> list[str]:
    return [str(e.attributes["exception.type"]).rsplit(".", 1)[-1] for e in span.events
            if e.name == "exception"]


def test_sqs_list_handler_a_span_per_record_its_reported_failure_marked(spans: Any) -> None:
    def handle(messages: list[Message]) -> list[Message]:
        return [m for m in messages if m.data == "bad"]

    event = ok_and_bad(PRODUCER)
    answer = lambda_handler(handle)(event, None)
    assert answer == {"batchItemFailures": [{"itemIdentifier": "m2"}]}
    root = spans.root()
    ok, bad = spans.children(root)
    assert ok.kind is bad.kind is SpanKind.CONSUMER
    assert ok.name == "process orders"
    assert ok.attributes["messaging.message.id"] == "m1"
    assert ok.attributes["messaging.system"] == "aws_sqs"
    assert trace_ids(ok) == [PRODUCER.split("-")[1]] and not bad.links
    assert ok.status.status_code is StatusCode.UNSET
    assert bad.status.status_code is StatusCode.ERROR
    assert exception_types(bad) == ["ReportedFailure"]
    # the batch's span covers its records' spans
    assert root.start_time <= ok.start_time <= ok.end_time <= root.end_time


def test_list_handler_exception_fails_every_record_given(spans: Any) -> None:
    def handle(messages: list[Message]) -> None:
        raise RuntimeError("down")

    with pytest.raises(BatchFailedError):  # every record failed: the invocation fails
        lambda_handler(handle)(batch(aws.sqs("a"), aws.sqs("b")), None)
    records = spans.children(spans.root())
    assert len(records) == 2
    for record in records:
        assert record.status.status_code is StatusCode.ERROR
        assert exception_types(record) == ["RuntimeError"]


def test_a_record_not_handed_over_gets_no_span(spans: Any) -> None:
    """FIFO (one ordered sequence): the second record fails validation; the third
    is never given to the handler (reported failed, not attempted): no span."""
    seen: list[list[Any]] = []

    def handle(orders: list[Message[Order]]) -> None:
        seen.append(orders)

    event = batch(aws.sqs({"id": 1}, message_id="m1", group_id="g"),
                  aws.sqs({"id": "x"}, message_id="m2", group_id="g"),
                  aws.sqs({"id": 3}, message_id="m3", group_id="g"))
    answer = lambda_handler(handle)(event, None)
    assert [f["itemIdentifier"] for f in answer["batchItemFailures"]] == ["m2", "m3"]
    assert [m.id for m in seen[0]] == ["m1"]
    records = spans.children(spans.root())
    assert [r.attributes["messaging.message.id"] for r in records] == ["m1", "m2"]
    assert records[0].status.status_code is StatusCode.UNSET
    assert records[1].status.status_code is StatusCode.ERROR
    assert exception_types(records[1]) == ["DataValidationError"]


def test_azure_eventhubs_list_handler(spans: Any) -> None:
    def handle(messages: list[Message]) -> list[Message]:
        return [m for m in messages if m.data == "bad"]

    with pytest.raises(ReportedFailure):  # Azure: a failed record fails the run
        bind(handle, "events")(
            azure.eventhub_batch(["ok", "bad"], properties=[{"traceparent": PRODUCER}, {}]),
            WorkerContext())
    root = spans.root()
    ok, bad = spans.children(root)
    assert ok.attributes["messaging.system"] == "eventhubs"
    assert trace_ids(ok) == [PRODUCER.split("-")[1]]
    assert bad.status.status_code is StatusCode.ERROR
    assert root.status.status_code is StatusCode.ERROR


def test_gcp_pubsub_list_handler_one_record(spans: Any) -> None:
    structured = gcp_samples.pubsub("x", topic="orders", message_id="m-1",
                                    attributes={"googclient_traceparent": PRODUCER})
    event = CloudEvent({k: v for k, v in structured.items() if k != "data"},
                       structured["data"])
    got: list[Any] = []

    def handle(messages: list[Message]) -> None:
        got.extend(messages)

    gcp.cloudevent_function(handle)(event)
    (record,) = spans.children(spans.root())
    assert [m.id for m in got] == ["m-1"]
    assert record.attributes["messaging.message.id"] == "m-1"
    assert record.attributes["messaging.system"] == "gcp_pubsub"
    assert trace_ids(record) == [PRODUCER.split("-")[1]]


def _batch_body() -> tuple[list[dict[str, Any]], bytes]:
    events = ce.structured_batch({"a": 1}, size=3)
    events[0]["traceparent"] = PRODUCER
    return events, json.dumps(events).encode()


def test_cloudevents_wsgi_list_handler(spans: Any) -> None:
    events, body = _batch_body()

    def handle(batch: list[Event]) -> list[str]:
        return [batch[1].id]

    status, _, answer = via_wsgi(handle, BATCH_JSON, body)
    assert status == 500 and json.loads(answer)["failed"] == [events[1]["id"]]
    first, second, third = spans.children(spans.root())
    assert trace_ids(first) == [PRODUCER.split("-")[1]]
    assert [s.status.status_code for s in (first, second, third)] == [
        StatusCode.UNSET, StatusCode.ERROR, StatusCode.UNSET]


@pytest.mark.parametrize("asynchronous", [False, True])
def test_cloudevents_asgi_batch_a_span_per_event(spans: Any, asynchronous: bool) -> None:
    events, body = _batch_body()
    ids: list[tuple[str, str] | None] = []

    def work(event: Event) -> None:
        import sdk.tracing

        ids.append(sdk.tracing.current_ids())  # the event's span is current
        if event.id == events[1]["id"]:
            raise ValueError("bad")

    async def handle_async(event: Event) -> None:
        work(event)

    status, _, _ = via_asgi(handle_async if asynchronous else work, BATCH_JSON, body)
    assert status == 500
    root = spans.root()
    assert root.attributes["messaging.batch.message_count"] == 3
    first, second, third = spans.children(root)
    assert [s.attributes["messaging.message.id"] for s in (first, second, third)] == [
        e["id"] for e in events]
    assert trace_ids(first) == [PRODUCER.split("-")[1]] and not second.links
    assert second.status.status_code is StatusCode.ERROR
    assert exception_types(second) == ["ValueError"]
    assert third.status.status_code is StatusCode.UNSET
    assert [i[1] if i else None for i in ids] == [
        f"{s.context.span_id:016x}" for s in (first, second, third)]


@pytest.mark.parametrize("asynchronous", [False, True])
def test_cloudevents_asgi_list_handler(spans: Any, asynchronous: bool) -> None:
    _, body = _batch_body()

    def work(batch: list[Event]) -> list[str]:
        return [batch[2].id]

    async def handle_async(batch: list[Event]) -> list[str]:
        return work(batch)

    status, _, _ = via_asgi(handle_async if asynchronous else work, BATCH_JSON, body)
    assert status == 500
    first, second, third = spans.children(spans.root())
    assert trace_ids(first) == [PRODUCER.split("-")[1]]
    assert [s.status.status_code for s in (first, second, third)] == [
        StatusCode.UNSET, StatusCode.UNSET, StatusCode.ERROR]
    assert exception_types(third) == ["ReportedFailure"]


def test_untraced_asgi_batch_runs_as_before() -> None:
    events, body = _batch_body()
    seen: list[str] = []
    status, _, _ = via_asgi(lambda event: seen.append(event.id), BATCH_JSON, body)
    assert status == 204 and seen == [e["id"] for e in events]
