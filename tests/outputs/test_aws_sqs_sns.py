"""SQS and SNS destinations against moto: what one polyfn handler sends, the
polyfn handler behind the queue receives unchanged."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

import sdk
from tests.outputs.lambda_events import capture
from tests.support.sqs import Queue

pytestmark = pytest.mark.servers


def _deliver(queue: Queue, count: int = 1) -> list[Any]:
    """Poll the queue as Lambda's event source mapping does, then run the handler."""
    seen, handler = capture()
    assert handler(queue.lambda_event(queue.receive(count)), None) == {"batchItemFailures": []}
    return seen


# (data, declared content type, the type the receiver sees): JSON and text decode
# as sent without a type on the wire; bytes and declared types carry theirs.
PAYLOADS = [
    ({"id": "7", "items": [1, 2]}, None, None),
    (["a", 1], None, None),
    ("plain text, ünïcode", None, None),
    (b"\x00\x01\xffbinary", None, "application/octet-stream"),
    (b"\x89PNG", "image/png", "image/png"),
    ({"id": "7"}, "application/vnd.shop+json", "application/vnd.shop+json"),
]


@pytest.mark.parametrize(("data", "declared", "received"), PAYLOADS)
def test_sqs_round_trip(aws: Any, data: Any, declared: str | None, received: str | None
                        ) -> None:
    queue = Queue("orders")
    sent = sdk.destination("sqs://orders").send(data, attributes={"tenant": "a"},
                                                content_type=declared)
    (event,) = _deliver(queue)
    assert event.id == sent
    assert event.data == data and type(event.data) is type(data)
    assert event.attributes == {"tenant": "a"}
    assert event.data_content_type == received
    assert event.queue == "orders"


def test_sqs_addresses_by_url_and_arn(aws: Any) -> None:
    queue = Queue("byaddr")
    ids = [sdk.destination(queue.arn).send({"n": 1}),
           sdk.destination("sqs://byaddr").send({"n": 2})]
    events = _deliver(queue, 2)
    assert sorted(e.id for e in events) == sorted(ids)
    assert sorted(e.data["n"] for e in events) == [1, 2]


def test_sqs_fifo_key_is_the_group_and_id_the_dedup_id(aws: Any) -> None:
    queue = Queue("orders.fifo", FifoQueue="true")
    orders = sdk.destination("sqs://orders.fifo")
    orders.send({"n": 1}, key="customer-7", id="order-1")
    orders.send({"n": 1}, key="customer-7", id="order-1")  # deduplicated by its id
    orders.send({"n": 2}, key="customer-7", id="order-2")
    events = _deliver(queue, 2)
    assert [e.data for e in events] == [{"n": 1}, {"n": 2}]
    assert {e.ordering_key for e in events} == {"customer-7"}
    with pytest.raises(sdk.PublishError, match=r"polyfn\.MissingKey"):
        orders.send({"n": 3})


def test_sqs_send_many_reports_exactly_the_failed_items(aws: Any) -> None:
    queue = Queue("many")
    items = [{"n": i} for i in range(25)]
    items[3] = "x" * (1024 * 1024 + 1)  # over SQS's 1 MiB: refused before sending
    items[17] = sdk.Outgoing({"n": 17}, type="Order")  # SQS cannot carry `type`
    result = sdk.destination("sqs://many").send_many(items)
    assert len(result) == 25
    assert [f.index for f in result.failed] == [3, 17]
    assert [f.error.code for f in result.failed if f.error] == [
        "polyfn.TooLarge", "polyfn.UnsupportedField"]
    events = _deliver(queue, 23)
    assert sorted(e.id for e in events) == sorted(i for i in result.ids if i)
    with pytest.raises(sdk.PublishError, match="2 of 25 failed"):
        result.raise_for_failures()


def test_a_batch_the_queue_refuses_whole_is_resent_one_by_one(aws: Any) -> None:
    queue = Queue("small", MaximumMessageSize="1024")  # the queue's own limit
    items: list[Any] = [{"n": i} for i in range(12)]
    items[11] = "x" * 2000
    result = sdk.destination("sqs://small").send_many(items)
    assert [f.index for f in result.failed] == [11]
    assert result.failed[0].error and result.failed[0].error.code == "InvalidParameterValue"
    assert len(_deliver(queue, 11)) == 11


def test_sqs_provider_error_names_destination_and_code_not_payload(aws: Any) -> None:
    with pytest.raises(sdk.PublishError) as info:
        sdk.destination("sqs://missing").send({"secret": "s3cr3t"})
    assert info.value.code.endswith("NonExistentQueue")
    assert "sqs://missing" in str(info.value) and "s3cr3t" not in str(info.value)


def test_sns_to_sqs_round_trip(aws: Any) -> None:
    queue = Queue("sns-sink")
    sns = boto3.client("sns")
    topic = sns.create_topic(Name="events")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue.arn)
    events = sdk.destination(topic)
    ids = [events.send({"id": 7}, attributes={"tenant": "a"}, subject="Order placed"),
           sdk.destination("sns://events").send(b"\x89PNG\r\n")]  # by name: same topic
    seen: list[Any] = []
    _unwrap_handler(seen)(queue.lambda_event(queue.receive(2)), None)
    by_id = {e.id: e for e in seen}
    assert set(by_id) == set(ids)
    first, second = by_id[ids[0]], by_id[ids[1]]
    assert first.data == {"id": 7} and first.attributes == {"tenant": "a"}
    assert first.subject == "Order placed" and first.data_content_type is None
    assert second.data == b"\x89PNG\r\n" and second.attributes == {}
    assert first.topic == "events"


def _unwrap_handler(seen: list[Any]) -> Any:
    from adapters.aws import lambda_handler

    return lambda_handler(seen.append, unwrap=True)


def test_sns_send_many_batches_by_ten(aws: Any) -> None:
    queue = Queue("sns-many")
    sns = boto3.client("sns")
    topic = sns.create_topic(Name="many")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue.arn)
    result = sdk.destination(topic).send_many([{"n": i} for i in range(23)])
    assert result.ok and len(set(result.ids)) == 23
    bodies = queue.bodies(23)
    assert sorted(json.loads(b["Message"])["n"] for b in bodies) == list(range(23))


def test_trace_context_travels_as_message_attributes(aws: Any) -> None:
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider

    queue = Queue("traced")
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("produce") as span:
        sdk.destination("sqs://traced").send({"n": 1}, attributes={"tenant": "a"})
        trace_id = trace.format_trace_id(span.get_span_context().trace_id)
    sdk.destination("sqs://traced").send({"n": 2})  # no current span: nothing injected
    events = sorted(_deliver(queue, 2), key=lambda e: e.data["n"])
    assert events[0].attributes["tenant"] == "a"
    assert events[0].attributes["traceparent"].split("-")[1] == trace_id
    assert events[1].attributes == {}


def test_threads_share_one_client(aws: Any) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from adapters.aws import _clients

    queue = Queue("threads")
    destination = sdk.destination(queue.arn)
    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(lambda n: destination.send({"n": n}), range(40)))
    assert len(set(ids)) == 40
    sqs_clients = [key for key in _clients._clients if key[0] == "sqs"
                   and key[2] == aws.url]
    assert len(sqs_clients) == 1
    assert len(_deliver(queue, 40)) == 40


def test_sns_fifo_topic_to_fifo_queue_keeps_the_group(aws: Any) -> None:
    queue = Queue("fifo-sink.fifo", FifoQueue="true", ContentBasedDeduplication="true")
    sns = boto3.client("sns")
    topic = sns.create_topic(Name="orders.fifo", Attributes={
        "FifoTopic": "true", "ContentBasedDeduplication": "true"})["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue.arn)
    orders = sdk.destination(topic)
    orders.send({"n": 1}, key="customer-7", id="o-1")
    with pytest.raises(sdk.PublishError, match=r"polyfn\.MissingKey"):
        orders.send({"n": 2})
    seen: list[Any] = []
    _unwrap_handler(seen)(queue.lambda_event(queue.receive(1)), None)
    (event,) = seen
    assert event.data == {"n": 1} and event.ordering_key == "customer-7"
