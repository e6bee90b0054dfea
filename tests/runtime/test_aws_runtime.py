"""The examples under the REAL Lambda runtime (``awslambdaric``), from their deploy folders.

Each example's AWS deploy folder is staged as ``python -m examples._stage <name> aws``
makes it (without polyfn's wheel: the harness puts this checkout's ``sdk``/``adapters``
after the folder on ``PYTHONPATH``), and awslambdaric runs the handler setting of its
template, ``examples.<name>.aws.handler``, against a loopback Runtime API. One runtime
per example serves every test of this module. What the tests read is what Lambda
would get: the document posted to ``/invocation/{id}/response`` or ``/error``, and the
log lines the function wrote to stdout (CloudWatch's source).
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.lambda_rapi import API_PREFIX, REGION, Invocation, LambdaRuntime
from tests.support.logs import structured
from tests.support.samples import PROJECT_ROOT, SAMPLES, load, requires_samples

pytestmark = [pytest.mark.runtime, requires_samples]

TARGETS = Path(__file__).resolve().parent / "aws_targets"
ORDER = {"id": "o-1", "sku": "BOOK-1", "qty": 2}


def sample(path: str) -> Any:
    return load(SAMPLES / path)


def logs(runtime: LambdaRuntime) -> list[dict[str, Any]]:
    """The structured log lines the function wrote so far."""
    return structured(runtime.stdout.splitlines(), "message")


def logged(runtime: LambdaRuntime, request_id: str) -> list[dict[str, Any]]:
    """The log lines of one invocation (the logger binds them to its request id)."""
    return [line for line in logs(runtime) if line.get("requestId") == request_id]


def serve(name: str, tmp: Path) -> Iterator[LambdaRuntime]:
    from examples._stage import stage

    folder = stage(PROJECT_ROOT / "examples" / name, "aws", tmp / f"{name}-aws", wheel=False)
    with LambdaRuntime(f"examples.{name}.aws.handler", cwd=folder,
                       function_name=name) as runtime:
        yield runtime


@pytest.fixture(scope="module")
def quickstart(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LambdaRuntime]:
    yield from serve("quickstart", tmp_path_factory.mktemp("aws"))


@pytest.fixture(scope="module")
def orders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LambdaRuntime]:
    yield from serve("orders", tmp_path_factory.mktemp("aws"))


@pytest.fixture(scope="module")
def uploads(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LambdaRuntime]:
    yield from serve("uploads", tmp_path_factory.mktemp("aws"))


@pytest.fixture(scope="module")
def nightly(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LambdaRuntime]:
    yield from serve("nightly", tmp_path_factory.mktemp("aws"))


def test_the_runtime_loads_the_staged_folder(quickstart: LambdaRuntime) -> None:
    assert quickstart.invoke(sample("aws/apigw-v2/apiGatewayProxyV2Event_GET.json")).ok
    root = Path(quickstart.env["LAMBDA_TASK_ROOT"])
    assert (root / "examples" / "quickstart" / "aws.py").is_file()
    assert quickstart.env["PYTHONPATH"].split(":")[0] == str(root)


# -- quickstart: HTTP ------------------------------------------------------------------

def body(result: Invocation) -> Any:
    assert result.ok, result.body
    return json.loads(result.body["body"])


def test_http_api_request(quickstart: LambdaRuntime) -> None:
    event = sample("aws/apigw-v2/apiGatewayProxyV2Event_GET.json")
    event["rawQueryString"] = "name=Ada"
    event["cookies"] = ["visits=2"]
    result = quickstart.invoke(event)
    assert result.body["statusCode"] == 200
    assert result.body["headers"] == {"Content-Type": "application/json", "X-Greeter": "polyfn"}
    # HTTP API (payload 2.0): cookies in their own list, never in "headers".
    assert result.body["cookies"] == ["visits=3; Path=/; Max-Age=86400; HttpOnly"]
    assert body(result) == {"message": "Hello, Ada!", "provider": "aws", "visits": 3}
    (line,) = [x for x in logged(quickstart, result.request_id) if x["message"] == "greeted"]
    assert line["visits"] == 3


def test_rest_api_request(quickstart: LambdaRuntime) -> None:
    result = quickstart.invoke(sample("aws/apigw-v1/apiGatewayProxyEvent.json"))
    assert result.body["statusCode"] == 200
    assert result.body["headers"] == {"Content-Type": "application/json", "X-Greeter": "polyfn"}
    # REST API: every Set-Cookie in multiValueHeaders.
    assert result.body["multiValueHeaders"] == {
        "Set-Cookie": ["visits=1; Path=/; Max-Age=86400; HttpOnly"]}
    assert body(result) == {"message": "Hello, world!", "provider": "aws", "visits": 1}


def test_post_that_is_not_json_is_a_400_problem(quickstart: LambdaRuntime) -> None:
    event = sample("aws/apigw-v2/apiGatewayProxyV2Event.json")  # a POST
    event["headers"] = {"content-type": "application/json"}
    event["body"] = '{"name": '
    result = quickstart.invoke(event)
    assert result.body["statusCode"] == 400
    assert result.body["headers"] == {"Content-Type": "application/problem+json"}
    assert "cookies" not in result.body
    problem = body(result)
    assert problem["status"] == 400 and problem["title"] == "Bad Request"


def test_post_that_misfits_the_model_is_a_422_problem(quickstart: LambdaRuntime) -> None:
    # The sample's body is JSON without "name".
    result = quickstart.invoke(sample("aws/apigw-v2/apiGatewayProxyV2Event.json"))
    assert result.body["statusCode"] == 422
    assert [e["loc"] for e in body(result)["errors"]] == [["name"]]


# -- Context from the Runtime API -------------------------------------------------------

def test_context_comes_from_the_runtime_api(tmp_path: Path) -> None:
    trace = "Root=1-5e1b4151-5ac6c58f5b5daa6532e4f2aa;Parent=53995c3f42cd8ad8;Sampled=1"
    with LambdaRuntime("context.handler", cwd=TARGETS, function_name="ctx",
                       memory_mb=512, timeout_s=30) as runtime:
        event = sample("aws/eventbridge/eventBridgeEvent.json")
        before = time.time() * 1000
        first = runtime.invoke(event, request_id="req-1", deadline_ms_from_now=7_000,
                               trace_id=trace)
        after = time.time() * 1000
        second = runtime.invoke(event, request_id="req-2", deadline_ms_from_now=42_000)
    ctx = first.body
    assert first.ok and second.ok
    assert ctx["provider"] == "aws" and ctx["request_id"] == "req-1"
    assert ctx["function_name"] == "ctx" and ctx["function_version"] == "$LATEST"
    assert ctx["function_arn"] == runtime.function_arn
    assert ctx["region"] == REGION == runtime.function_arn.split(":")[3]
    assert ctx["memory_mb"] == 512
    assert ctx["trace_id"] == trace
    # Lambda-Runtime-Deadline-Ms (7 s here, not the 30 s function timeout).
    assert before + 7_000 - 50 <= ctx["deadline_ms"] <= after + 7_000 + 50
    assert 0 < ctx["remaining_ms"] <= 7_000
    assert abs(ctx["deadline_ms"] - (ctx["now_ms"] + ctx["remaining_ms"])) < 50
    assert second.body["request_id"] == "req-2"
    assert 7_000 < second.body["remaining_ms"] <= 42_000
    # The first invocation a process serves is the cold start, and only that one.
    assert (ctx["cold_start"], second.body["cold_start"]) == (True, False)


# -- orders: SQS batches ----------------------------------------------------------------

def sqs_batch(*orders: Any) -> dict[str, Any]:
    """The SQS sample batch with one record per order (message ids kept, then made up)."""
    template = sample("aws/sqs/sqsEvent.json")["Records"]
    records = []
    for n, order in enumerate(orders):
        record = copy.deepcopy(template[n % len(template)])
        if n >= len(template):
            record["messageId"] = f"{record['messageId'][:-4]}{n:04d}"
        record["body"] = json.dumps(order)
        records.append(record)
    return {"Records": records}


def test_one_bad_order_is_the_only_failure_reported(orders: LambdaRuntime) -> None:
    batch = sqs_batch(ORDER, {**ORDER, "id": "o-2", "qty": 0}, {**ORDER, "id": "o-3"})
    result = orders.invoke(batch)
    assert result.ok
    assert result.body == {"batchItemFailures": [
        {"itemIdentifier": batch["Records"][1]["messageId"]}]}
    accepted = [x["order_id"] for x in logged(orders, result.request_id)
                if x["message"] == "order accepted"]
    assert accepted == ["o-1", "o-3"]


def test_a_flagged_sku_fails_its_message_only(orders: LambdaRuntime) -> None:
    batch = sqs_batch({**ORDER, "sku": "RECALLED-1"}, ORDER)
    result = orders.invoke(batch)
    assert result.body == {"batchItemFailures": [
        {"itemIdentifier": batch["Records"][0]["messageId"]}]}
    (failure,) = [x for x in logged(orders, result.request_id) if x["level"] == "ERROR"]
    assert failure["error_type"] == "OrderRejected"
    assert failure["record"] == batch["Records"][0]["messageId"]


def test_a_batch_where_every_order_fails_is_an_invocation_error(orders: LambdaRuntime) -> None:
    result = orders.invoke(sqs_batch({**ORDER, "qty": -1}, {**ORDER, "sku": "RECALLED-1"}))
    assert result.status == "error"
    assert any(r.method == "POST" and r.path == f"{API_PREFIX}/invocation/{result.request_id}/error"
               for r in orders.requests)
    assert result.body["errorType"] == "BatchFailedError"
    assert result.body["errorMessage"] == (
        "aws.sqs: 2 of 2 record(s) failed (first: DataValidationError)")
    assert isinstance(result.body["stackTrace"], list) and result.body["stackTrace"]


def test_a_single_failed_order_fails_with_its_own_error(orders: LambdaRuntime) -> None:
    result = orders.invoke(sqs_batch({**ORDER, "sku": "RECALLED-1"}))
    assert result.status == "error"
    assert result.body["errorType"] == "OrderRejected"
    assert result.body["errorMessage"] == "order o-1: SKU RECALLED-1 is flagged"


# -- uploads: S3 notifications ------------------------------------------------------------

@pytest.mark.parametrize(("path", "message"), [
    ("aws/s3/s3Event.json", "object created"),
    ("aws/s3/s3EventDeleteObject.json", "object deleted"),
])
def test_s3_notification(uploads: LambdaRuntime, path: str, message: str) -> None:
    event = sample(path)
    result = uploads.invoke(event)
    assert result.ok and result.body is None  # S3 invokes asynchronously: nothing to answer
    (line,) = logged(uploads, result.request_id)
    s3 = event["Records"][0]["s3"]
    assert line["message"] == message
    assert (line["bucket"], line["key"]) == (s3["bucket"]["name"], s3["object"]["key"])
    if message == "object created":
        assert line["size"] == s3["object"]["size"]


# -- nightly: EventBridge schedule ----------------------------------------------------------

def test_scheduled_event(nightly: LambdaRuntime) -> None:
    result = nightly.invoke(sample("aws/scheduled/scheduled-event.json"))
    # The rule fired at 1970-01-01T00:00:00Z: the report is on the day before.
    assert result.ok and result.body == {"report": "1969-12-31", "schedule": "my-schedule"}
    (line,) = logged(nightly, result.request_id)
    assert line["message"] == "nightly report" and line["day"] == "1969-12-31"
    assert 0 < line["remaining_ms"] <= 30_000
