"""``adapters.testing`` (and its old name ``sdk.testing``): payload factories,
uniform events, stand-in contexts and the end-to-end path users take
(``lambda_handler(handle)(aws.sqs(...), lambda_context())``)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from typing import Any

import azure.functions as func
import pytest

import adapters.testing
import sdk
from adapters import azure as azure_adapter
from adapters.aws import lambda_handler
from adapters.cloudevents import decode as decode_cloudevents
from adapters.gcp import cloudevent_function, http_function
from adapters.testing import aws, azure, cloudevents, gcp
from sdk import Change, Context, HTTPRequest, Message, Schedule, StorageEvent
from tests.support.samples import PROJECT_ROOT

UTC = dt.timezone.utc


# -- the package -------------------------------------------------------------------

def test_import_sdk_does_not_import_the_testing_helpers() -> None:
    code = ("import sys, sdk; print(sorted({'adapters.testing', 'sdk.testing'} "
            "& set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, check=True,
                         capture_output=True, text=True, timeout=60).stdout
    assert out.strip() == "[]"


def test_import_adapters_testing_loads_no_provider_library() -> None:
    code = ("import sys, adapters.testing\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'azure', 'flask', "
            "'werkzeug', 'functions_framework', 'aws_lambda_powertools', 'cloudevents', "
            "'pydantic'}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, check=True,
                         capture_output=True, text=True, timeout=60).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("module", [adapters.testing, aws, azure, gcp, cloudevents],
                         ids=lambda m: m.__name__)
def test_exported_names_exist(module: Any) -> None:
    assert module.__all__ == sorted(module.__all__, key=lambda n: (not n.isupper(), n))
    for name in module.__all__:
        assert getattr(module, name) is not None


def test_sdk_testing_is_the_same_helpers_under_the_old_name() -> None:
    import sdk.testing

    assert sdk.testing.aws is aws and sdk.testing.batch is adapters.testing.batch
    assert set(sdk.testing.__all__) == set(adapters.testing.__all__)
    assert sdk.testing.event("aws.sqs", body={"id": 1}).data == {"id": 1}
    with pytest.raises(AttributeError):
        sdk.testing.nothing  # noqa: B018


def test_provider_modules_are_attributes_of_the_package() -> None:
    assert adapters.testing.aws is aws and adapters.testing.gcp is gcp
    with pytest.raises(AttributeError):
        adapters.testing.nothing  # noqa: B018


# -- events ------------------------------------------------------------------------

def test_event_builds_the_uniform_event_of_a_sample() -> None:
    message = adapters.testing.event("aws.sqs", body={"id": 1}, queue="orders")
    assert isinstance(message, Message)
    assert (message.data, message.queue, message.trigger) == ({"id": 1}, "orders", "aws.sqs")


@pytest.mark.parametrize(("name", "fields", "kind", "expected"), [
    ("aws.s3", {"key": "a b.txt", "bucket": "in"}, StorageEvent,
     {"key": "a b.txt", "bucket": "in", "operation": "created"}),
    ("aws.apigw.v2", {"method": "PUT", "path": "/x", "body": {"a": 1}}, HTTPRequest,
     {"method": "PUT", "path": "/x", "data": {"a": 1}}),
    ("aws.alb", {"path": "/y", "query": {"q": ["a b", "c"]}, "multi_value": True}, HTTPRequest,
     {"path": "/y"}),
    ("aws.scheduled", {"schedule": "hourly"}, Schedule, {"schedule": "hourly"}),
    ("aws.dynamodb.stream", {"old": {"id": "1", "n": 1}, "new": {"id": "1", "n": 2},
                             "keys": {"id": "1"}}, Change,
     {"operation": "update", "old": {"id": "1", "n": 1}, "new": {"id": "1", "n": 2}}),
    ("gcp.pubsub", {"data": b"\xff\x00", "ordering_key": "k"}, Message,
     {"data": b"\xff\x00", "ordering_key": "k"}),
    ("gcp.firestore", {"old": {"n": 1}, "value": None, "document": "c/d"}, Change,
     {"operation": "delete", "old": {"n": 1}, "new": None, "table": "c"}),
    ("azure.eventgrid.cloudevents", {"data": {"api": "DeleteBlob", "url": "https://a.blob.core."
                                     "windows.net/c/k.txt"}, "type":
                                     "Microsoft.Storage.BlobDeleted"}, StorageEvent,
     {"operation": "deleted"}),
], ids=lambda v: v if isinstance(v, str) else "")
def test_factory_fields_land_in_the_event(name: str, fields: dict[str, Any], kind: type,
                                          expected: dict[str, Any]) -> None:
    event = adapters.testing.event(name, **fields)
    assert isinstance(event, kind)
    assert {field: getattr(event, field) for field in expected} == expected


def test_alb_query_values_are_url_encoded_as_alb_sends_them() -> None:
    raw = aws.alb(query={"q": "a b"})
    assert raw["queryStringParameters"] == {"q": "a+b"}
    assert adapters.testing.event("aws.alb", query={"q": "a b"}).query.get("q") == "a b"


def test_event_refuses_a_payload_of_several_events() -> None:
    assert len(adapters.testing.events("aws.appsync.batch", size=3)) == 3
    with pytest.raises(ValueError, match="decodes to 3 events"):
        adapters.testing.event("aws.appsync.batch", size=3)


def test_payload_is_the_factory_output() -> None:
    raw = adapters.testing.payload("gcp.storage", name="x.txt")
    assert raw["subject"] == "objects/x.txt" and raw["specversion"] == "1.0"


def test_records_built_separately_never_share_an_id() -> None:
    ids = {aws.sqs()["Records"][0]["messageId"] for _ in range(5)}
    assert len(ids) == 5


# -- batch -------------------------------------------------------------------------

def test_batch_concatenates_records() -> None:
    delivery = adapters.testing.batch(aws.sqs("a"), aws.sqs("b"), aws.sqs("c"))
    assert [r["body"] for r in delivery["Records"]] == ["a", "b", "c"]


def test_batch_merges_kafka_partitions() -> None:
    delivery = adapters.testing.batch(aws.kafka("a", partition=0), aws.kafka("b", partition=0),
                                 aws.kafka("c", partition=1))
    assert {k: len(v) for k, v in delivery["records"].items()} == {
        "polyfn-topic-0": 2, "polyfn-topic-1": 1}


def test_batch_of_lists_and_of_azure_objects() -> None:
    assert len(adapters.testing.batch(azure.eventgrid(), azure.eventgrid())) == 2
    messages = adapters.testing.batch(azure.servicebus_message("a"), azure.servicebus_message("b"))
    assert isinstance(messages, list)
    assert [event.data for event in azure_adapter.decode(messages)] == ["a", "b"]


@pytest.mark.parametrize(("payloads", "error"), [
    ((), ValueError), ((aws.eventbridge(), aws.eventbridge()), TypeError),
    ((aws.sqs(), aws.eventbridge()), TypeError)])
def test_batch_refuses_what_it_cannot_merge(payloads: tuple[Any, ...], error: type) -> None:
    with pytest.raises(error):
        adapters.testing.batch(*payloads)


# -- end to end through the adapters -----------------------------------------------

@sdk.function
def picky(message: Message[Any]) -> None:
    if message.data.get("fail"):
        raise ValueError("refused")


def test_lambda_handler_end_to_end_with_a_lambda_context() -> None:
    handler = lambda_handler(picky)
    answer = handler(aws.sqs({"id": 1}), adapters.testing.lambda_context())
    assert answer == {"batchItemFailures": []}
    bad = aws.sqs({"fail": True})
    delivery = adapters.testing.batch(aws.sqs({"id": 2}), bad)
    answer = handler(delivery, adapters.testing.lambda_context())
    assert answer == {"batchItemFailures": [{"itemIdentifier": bad["Records"][0]["messageId"]}]}


def test_the_lambda_context_reaches_the_uniform_context() -> None:
    seen: list[Context] = []

    def handle(event: sdk.Event[Any], context: Context) -> None:
        seen.append(context)

    fake = adapters.testing.lambda_context(function_name="orders", request_id="req-1",
                                           memory_mb=256, timeout_s=5)
    lambda_handler(handle)(aws.eventbridge(), fake)
    [context] = seen
    assert (context.provider, context.request_id, context.function_name) == (
        "aws", "req-1", "orders")
    assert context.memory_mb == 256
    remaining = context.remaining_ms()
    assert remaining is not None and 0 < remaining <= 5000
    assert fake.invoked_function_arn.endswith(":function:orders")


def test_gcp_objects_run_through_the_functions_framework_targets() -> None:
    @sdk.function
    def echo(request: HTTPRequest[Any]) -> dict[str, Any]:
        return {"path": request.path, "q": request.query.get("q"), "data": request.data}

    response = http_function(echo)(gcp.http_request("POST", "/p", {"a": 1}, query="q=2"))
    assert response.status_code == 200
    assert json.loads(response.get_data()) == {"path": "/p", "q": "2", "data": {"a": 1}}

    got: list[sdk.Event[Any]] = []
    cloudevent_function(got.append)(gcp.cloudevent({"id": 5}, type="com.example.x"))
    assert (got[0].type, got[0].data, got[0].provider) == ("com.example.x", {"id": 5}, "gcp")


def test_a_binary_mode_http_message_decodes() -> None:
    message = cloudevents.http_message({"id": 6}, type="t.x", source="/a b", subject="s")
    assert message.headers.get("ce-source") == "/a%20b"
    [event] = decode_cloudevents(message)
    assert (event.type, event.source, event.subject, event.data) == ("t.x", "/a b", "s",
                                                                     {"id": 6})


# -- contexts ----------------------------------------------------------------------

def test_context_has_a_fresh_request_id_and_a_deadline() -> None:
    first, second = adapters.testing.context(timeout_s=2), adapters.testing.context()
    assert first.request_id != second.request_id
    assert first.provider == "local"
    remaining = first.remaining_ms()
    assert remaining is not None and 1000 < remaining <= 2000
    assert first.deadline is not None and first.deadline > dt.datetime.now(UTC)


def test_context_deadline_and_fields_can_be_given() -> None:
    deadline = dt.datetime.now(UTC) + dt.timedelta(seconds=60)
    context = adapters.testing.context(provider="gcp", request_id="r", deadline=deadline, attempt=2,
                                  trace_id="t", region="europe-west1", memory_mb=512)
    assert context.deadline is not None
    assert abs((context.deadline - deadline).total_seconds()) < 0.01
    assert (context.provider, context.request_id, context.attempt, context.trace_id,
            context.region, context.memory_mb) == ("gcp", "r", 2, "t", "europe-west1", 512)
    assert adapters.testing.context(timeout_s=None).remaining_ms() is None


def test_lambda_context_counts_down() -> None:
    fake = adapters.testing.lambda_context(timeout_s=0.2)
    assert 0 < fake.get_remaining_time_in_millis() <= 200
    time.sleep(0.25)
    assert fake.get_remaining_time_in_millis() == 0
    assert fake.memory_limit_in_mb == "128" and fake.aws_request_id


# -- Azure objects, built as the worker builds them --------------------------------

def test_azure_objects_decode_to_their_kinds() -> None:
    message = azure_adapter.decode(azure.queue_message({"id": 1}, dequeue_count=3))[0]
    assert isinstance(message, Message)
    assert (message.data, message.delivery_count) == ({"id": 1}, 3)
    assert isinstance(azure.queue_message(), func.QueueMessage)
    request = azure_adapter.decode(azure.http_request("PUT", "https://h/api/a?q=1",
                                                      body={"b": 2}))[0]
    assert isinstance(request, HTTPRequest)
    assert (request.method, request.path, request.query.get("q"), request.data) == (
        "PUT", "/a", "1", {"b": 2})
    timer = azure_adapter.decode(azure.timer_request(past_due=True))[0]
    assert isinstance(timer, Schedule) and timer.past_due is True
    blob = azure_adapter.decode(azure.blob_stream(b"x", name="inbox/a/b.txt"))[0]
    assert isinstance(blob, StorageEvent) and (blob.bucket, blob.key) == ("inbox", "a/b.txt")
