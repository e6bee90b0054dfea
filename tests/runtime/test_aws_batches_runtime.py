"""Batches through the real Lambda runtime (``awslambdaric``): what Lambda receives
back is the partial batch response, or an invocation error it will retry."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.support.lambda_rapi import LambdaRuntime
from tests.support.samples import load, params

pytestmark = pytest.mark.runtime

APP = """
    import sdk
    from adapters.aws import lambda_handler

    @sdk.function
    def handle(message: sdk.Message) -> None:
        if "bad" in str(message.data):
            raise ValueError("rejected")

    handler = lambda_handler(handle)
    strict = lambda_handler(handle, partial_failures=False)
"""


def sqs_batch(*bodies: str) -> dict[str, Any]:
    return {"Records": [{
        "messageId": f"id-{n}", "receiptHandle": "rh", "body": body,
        "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1700000000000"},
        "messageAttributes": {}, "md5OfBody": "x", "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:q", "awsRegion": "us-east-1",
    } for n, body in enumerate(bodies)]}


@pytest.fixture
def app(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(textwrap.dedent(APP), encoding="utf-8")
    return tmp_path


def test_partial_failures_reach_lambda_and_total_failure_is_an_error(app: Path) -> None:
    with LambdaRuntime("app.handler", cwd=app) as runtime:
        partial = runtime.invoke(sqs_batch("ok", "bad", "ok"))
        assert partial.ok and partial.body == {
            "batchItemFailures": [{"itemIdentifier": "id-1"}]}

        total = runtime.invoke(sqs_batch("bad", "bad"))
        assert not total.ok and total.body["errorType"] == "BatchFailedError"
        assert total.body["errorMessage"] == (
            "aws.sqs: 2 of 2 record(s) failed (first: ValueError)")  # never the cause's text


def test_strict_mode_fails_the_invocation_for_one_bad_record(app: Path) -> None:
    with LambdaRuntime("app.strict", cwd=app) as runtime:
        result = runtime.invoke(sqs_batch("ok", "bad"))
        assert not result.ok and result.body["errorType"] == "BatchFailedError"
        assert runtime.invoke(sqs_batch("ok")).body == {"batchItemFailures": []}


@pytest.mark.parametrize("path", params("aws/kinesis/kinesisStreamEvent.json"))
def test_a_kinesis_sample_round_trips(app: Path, path: Path) -> None:
    with LambdaRuntime("app.handler", cwd=app) as runtime:
        assert runtime.invoke(load(path)).body == {"batchItemFailures": []}
