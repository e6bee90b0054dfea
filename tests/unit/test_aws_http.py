"""AWS HTTP responses in each documented format, and the failure paths."""

from __future__ import annotations

import base64
import copy
import json
from typing import Any

import pytest
from pydantic import BaseModel

import sdk
from adapters.aws import lambda_handler
from sdk import HTTPRequest, Response
from tests.support.samples import SAMPLES, requires_samples

pytestmark = requires_samples


def sample(rel: str) -> dict[str, Any]:
    return json.loads((SAMPLES / "aws" / rel).read_text(encoding="utf-8-sig"))


class FakeLambdaContext:
    aws_request_id = "req-123"
    function_name = "fn"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:fn"
    memory_limit_in_mb = "256"

    def get_remaining_time_in_millis(self) -> int:
        return 3000


class Greeting(BaseModel):
    name: str


@sdk.function
def rich(request: HTTPRequest) -> Response:
    return Response({"path": request.path}, status=201,
                    headers=[("X-Multi", "a"), ("X-Multi", "b"), ("X-One", "1")],
                    cookies=["a=1; Path=/", "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT"])


@sdk.function
def binary(request: HTTPRequest) -> Response:
    return Response(b"\x89PNG\x00", content_type="image/png")


@sdk.function
def greet(request: HTTPRequest[Greeting]) -> dict[str, str]:
    return {"hello": request.data.name}


@sdk.function
def boom(request: HTTPRequest) -> None:
    raise RuntimeError("secret detail")


def test_rest_v1_response() -> None:
    out = lambda_handler(rich)(sample("apigw-v1/apiGatewayProxyEvent.json"), FakeLambdaContext())
    assert out == {
        "statusCode": 201,
        "headers": {"X-One": "1", "Content-Type": "application/json"},
        "multiValueHeaders": {"X-Multi": ["a", "b"],
                              "Set-Cookie": ["a=1; Path=/",
                                             "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT"]},
        "body": '{"path":"/my/path"}',
        "isBase64Encoded": False,
    }


@pytest.mark.parametrize("rel", ["apigw-v2/apiGatewayProxyV2Event.json",
                                 "function-url/lambdaFunctionUrlIAMEvent.json"])
def test_payload_v2_response(rel: str) -> None:
    out = lambda_handler(rich)(sample(rel), FakeLambdaContext())
    assert out == {
        "statusCode": 201,
        "headers": {"X-Multi": "a, b", "X-One": "1", "Content-Type": "application/json"},
        "cookies": ["a=1; Path=/", "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT"],
        "body": '{"path":"/my/path"}',
        "isBase64Encoded": False,
    }


def test_alb_answers_in_the_mode_of_the_request() -> None:
    multi = lambda_handler(rich)(sample("alb/albMultiValueHeadersEvent.json"), None)
    assert multi["statusDescription"] == "201 Created"
    assert "headers" not in multi
    assert multi["multiValueHeaders"]["X-Multi"] == ["a", "b"]
    assert len(multi["multiValueHeaders"]["Set-Cookie"]) == 2

    @sdk.function
    def one_cookie(request: HTTPRequest) -> Response:
        return Response("ok", cookies=["a=1"])

    single = lambda_handler(one_cookie)(sample("alb/albEvent.json"), None)
    assert "multiValueHeaders" not in single
    assert single["headers"] == {"Content-Type": "text/plain; charset=utf-8", "Set-Cookie": "a=1"}


def test_alb_single_mode_refuses_to_mangle_several_cookies(capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    out = lambda_handler(rich)(sample("alb/albEvent.json"), FakeLambdaContext())
    assert out["statusCode"] == 500
    log = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert log["requestId"] == "req-123"
    assert "multi-value headers" in log["error_message"]


def test_vpc_lattice_response() -> None:
    @sdk.function
    def plain(request: HTTPRequest) -> str:
        return request.json()["test"]

    out = lambda_handler(plain)(sample("vpc-lattice/vpcLatticeEvent.json"), None)
    assert out == {"isBase64Encoded": False, "statusCode": 200, "statusDescription": "200 OK",
                   "headers": {"Content-Type": "text/plain; charset=utf-8"}, "body": "event"}


def test_binary_body_is_base64_encoded() -> None:
    out = lambda_handler(binary)(sample("apigw-v2/apiGatewayProxyV2Event.json"), None)
    assert out["isBase64Encoded"] is True
    assert base64.b64decode(out["body"]) == b"\x89PNG\x00"
    assert out["headers"]["Content-Type"] == "image/png"


def test_base64_request_body_is_decoded() -> None:
    raw = sample("apigw-v2/apiGatewayProxyV2Event.json")
    raw["body"] = base64.b64encode(b'{"name": "Ada"}').decode()
    raw["isBase64Encoded"] = True
    out = lambda_handler(greet)(raw, None)
    assert (out["statusCode"], json.loads(out["body"])) == (200, {"hello": "Ada"})


def _with_body(rel: str, body: str) -> dict[str, Any]:
    raw = copy.deepcopy(sample(rel))
    raw["body"] = body
    raw["isBase64Encoded"] = False
    return raw


def test_model_failure_is_422_problem() -> None:
    out = lambda_handler(greet)(_with_body("apigw-v1/apiGatewayProxyEvent.json",
                                           '{"name": 5}'), None)
    assert out["statusCode"] == 422
    assert out["headers"]["Content-Type"] == "application/problem+json"
    doc = json.loads(out["body"])
    assert doc["status"] == 422 and doc["errors"][0]["loc"] == ["name"]
    assert "5" not in json.dumps(doc["errors"])


def test_unparseable_json_is_400_problem() -> None:
    out = lambda_handler(greet)(_with_body("apigw-v2/apiGatewayProxyV2Event.json", "{nope"), None)
    assert out["statusCode"] == 400
    assert json.loads(out["body"])["title"] == "Bad Request"


def test_malformed_base64_body_is_400_not_500() -> None:
    out = lambda_handler(greet)(sample("apigw-v1/apiGatewayProxyEvent_noVersionAuth.json"), None)
    assert out["statusCode"] == 400
    assert "base64" in json.loads(out["body"])["detail"]


def test_handler_error_is_500_without_traceback_and_logged(capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    out = lambda_handler(boom)(sample("apigw-v2/apiGatewayProxyV2Event.json"),
                               FakeLambdaContext())
    assert out["statusCode"] == 500
    assert "secret detail" not in out["body"] and "Traceback" not in out["body"]
    assert "req-123" in json.loads(out["body"])["detail"]
    log = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (log["level"], log["requestId"], log["error_type"]) == ("ERROR", "req-123",
                                                                   "RuntimeError")


def test_named_stage_prefix_is_dropped() -> None:
    raw = sample("apigw-v2/apiGatewayProxyV2Event.json")
    raw["requestContext"]["stage"] = "prod"
    raw["rawPath"] = "/prod/my/path"

    @sdk.function
    def path_of(request: HTTPRequest) -> str:
        return request.path

    assert lambda_handler(path_of)(raw, None)["body"] == "/my/path"


def test_context_comes_from_the_lambda_context() -> None:
    seen: dict[str, Any] = {}

    @sdk.function
    def handle(request: HTTPRequest, context: sdk.Context) -> None:
        seen.update(request_id=context.request_id, region=context.region,
                    memory=context.memory_mb, remaining=context.remaining_ms())

    out = lambda_handler(handle)(sample("apigw-v2/apiGatewayProxyV2Event.json"),
                                 FakeLambdaContext())
    assert out["statusCode"] == 204
    assert seen["request_id"] == "req-123" and seen["region"] == "eu-west-1"
    assert seen["memory"] == 256 and 0 < seen["remaining"] <= 3000


def test_unknown_payload_names_keys_never_values() -> None:
    with pytest.raises(sdk.UnsupportedEventError) as info:
        lambda_handler(rich)({"password": "hunter2", "zzz": 1}, None)
    assert "password" in str(info.value) and "hunter2" not in str(info.value)
    assert str(info.value).startswith("aws: ")
