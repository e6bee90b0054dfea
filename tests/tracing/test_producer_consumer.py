"""Producer -> SQS (the moto server) -> consumer, traced: the span of the handler
that sends and the span of the handler that receives are in one trace.

The producer is an HTTP handler behind ``adapters.aws.lambda_handler`` calling
``sdk.destination("sqs://...").send``, which injects the current span's context as
the ``traceparent`` message attribute. The messages are received from moto as
Lambda's event source mapping does and given to a second ``lambda_handler``: a
one-message delivery continues the producer's trace (its parent), and every
record's span links its producer's span (docs/tracing.md, "One message, one trace").
"""

from __future__ import annotations

from typing import Any

import pytest
from opentelemetry.trace import StatusCode

import sdk
from adapters.aws import lambda_handler
from adapters.testing import aws as samples
from tests.support.sqs import Queue

pytestmark = pytest.mark.servers


def _producer(count: int) -> Any:
    def produce(request: Any) -> dict[str, int]:
        for n in range(count):
            sdk.destination("sqs://traced").send({"n": n})
        return {"sent": count}

    return lambda_handler(produce)


def test_one_message_is_one_trace_from_producer_to_consumer(aws: Any, spans: Any) -> None:
    queue = Queue("traced")
    _producer(1)(samples.apigw_v2("POST", "/orders"), None)
    (produced,) = spans.all
    seen: list[Any] = []
    lambda_handler(seen.append)(queue.lambda_event(queue.receive(1)), None)
    consumed = spans.all[-1]
    (record,) = spans.children(consumed)
    assert consumed.context.trace_id == produced.context.trace_id
    assert consumed.parent is not None and consumed.parent.span_id == produced.context.span_id
    assert [link.context.span_id for link in record.links] == [produced.context.span_id]
    assert record.attributes["messaging.message.id"] == seen[0].id
    assert consumed.attributes["messaging.destination.name"] == "traced"


def test_a_batch_links_each_record_to_its_producer(aws: Any, spans: Any) -> None:
    queue = Queue("traced")
    _producer(2)(samples.apigw_v2("POST", "/orders"), None)
    (produced,) = spans.all
    lambda_handler(lambda message: None)(queue.lambda_event(queue.receive(2)), None)
    consumed = spans.all[-1]
    records = spans.children(consumed)
    assert consumed.attributes["messaging.batch.message_count"] == 2
    assert len(records) == 2
    for record in records:
        (link,) = record.links
        assert link.context.trace_id == produced.context.trace_id
        assert link.context.span_id == produced.context.span_id


def test_a_list_handler_links_each_record_and_marks_the_reported_one(aws: Any,
                                                                    spans: Any) -> None:
    """A ``list[Message]`` consumer: a span per record it was given, each linking
    the producer's span; the one it reports failed has the error status, and the
    queue keeps that message for redelivery."""
    queue = Queue("traced-batch")

    def produce(request: Any) -> None:
        for n in range(2):
            sdk.destination("sqs://traced-batch").send({"n": n})

    lambda_handler(produce)(samples.apigw_v2("POST", "/orders"), None)
    (produced,) = spans.all

    def consume(messages: list[sdk.Message]) -> list[sdk.Message]:
        return [m for m in messages if m.data == {"n": 1}]

    received = queue.receive(2)
    answer = lambda_handler(consume)(queue.lambda_event(received), None)
    (failed,) = answer["batchItemFailures"]
    records = spans.children(spans.all[-1])
    assert len(records) == 2
    for record in records:
        (link,) = record.links
        assert link.context.span_id == produced.context.span_id
    (marked,) = [r for r in records if r.status.status_code is StatusCode.ERROR]
    assert marked.attributes["messaging.message.id"] == failed["itemIdentifier"]
    done = [m for m in received if m["MessageId"] != failed["itemIdentifier"]]
    queue.delete(done)  # as the event source mapping does; the failed one comes back
    queue.sqs.change_message_visibility(QueueUrl=queue.url, ReceiptHandle=next(
        m["ReceiptHandle"] for m in received if m not in done), VisibilityTimeout=0)
    (again,) = queue.receive(1)
    assert again["MessageId"] == failed["itemIdentifier"]
