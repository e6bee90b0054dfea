"""Every AWS HTTP sample decodes with method, path, headers, query and body right.

Expectations are derived from each payload by the rules AWS documents, not by
calling the adapter's helpers.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

import pytest

import adapters.aws as aws
from sdk import EventDecodeError, HTTPRequest
from tests.support.samples import load, params

HTTP_SAMPLES = (
    params("aws/apigw-v1/*.json") + params("aws/apigw-v2/*.json")
    + params("aws/function-url/*.json") + params("aws/alb/*.json")
    + params("aws/vpc-lattice/*.json")
)

TRIGGER_BY_FOLDER = {
    "apigw-v1": "aws.apigw.v1", "apigw-v2": "aws.apigw.v2", "function-url": "aws.function.url",
    "alb": "aws.alb", "vpc-lattice": "aws.vpc.lattice",
}


def _expected_body(raw: dict[str, Any]) -> bytes | None:
    """None when the body is marked base64 but is not: reading it must fail."""
    body = raw.get("body") or ""
    if raw.get("isBase64Encoded") or raw.get("is_base64_encoded"):
        try:
            return base64.b64decode(body, validate=True)
        except ValueError:
            return None
    return body.encode()


def _expected_method_path(raw: dict[str, Any], folder: str) -> tuple[str, str]:
    if folder in ("apigw-v2", "function-url"):
        rc = raw["requestContext"]
        stage = rc.get("stage", "$default")
        path = raw["rawPath"]
        if stage != "$default":
            path = path.removeprefix(f"/{stage}") or "/"
        return rc["http"]["method"], path
    if folder == "vpc-lattice":
        return raw["method"], (raw.get("raw_path") or raw.get("path") or "").split("?")[0]
    return raw["httpMethod"], raw["path"]


def _check_headers(request: HTTPRequest[Any], raw: dict[str, Any]) -> None:
    multi = raw.get("multiValueHeaders") or {}
    for name, values in multi.items():
        assert request.headers.get_all(name) == values
    for name, value in (raw.get("headers") or {}).items():
        if name in multi:
            continue  # REST/ALB: the single map holds the last value only
        expected = value if isinstance(value, list) else [value]
        assert request.headers.get_all(name.upper()) == expected


def _check_query(request: HTTPRequest[Any], raw: dict[str, Any], folder: str) -> None:
    decode = unquote_plus if folder == "alb" else (lambda s: s)
    multi = raw.get("multiValueQueryStringParameters") or {}
    single = raw.get("queryStringParameters") or raw.get("query_string_parameters") or {}
    if multi:
        for name, values in multi.items():
            assert request.query.get_all(decode(name)) == [decode(v) for v in values]
    elif folder in ("apigw-v2", "function-url"):
        # HTTP API joins repeats with commas in this map; rawQueryString keeps them apart.
        for name, value in single.items():
            assert ",".join(request.query.get_all(name)) == value
    else:
        for name, value in single.items():
            expected = value if isinstance(value, list) else [value]
            assert request.query.get_all(decode(name)) == [decode(v) for v in expected]


@pytest.mark.parametrize("path", HTTP_SAMPLES)
def test_http_sample(path: Path) -> None:
    raw = load(path)
    folder = path.parent.name
    trigger = aws.detect(raw)
    assert trigger.name == TRIGGER_BY_FOLDER[folder]
    (request,) = aws.decode(raw)
    assert isinstance(request, HTTPRequest)
    assert (request.provider, request.trigger, request.kind) == ("aws", trigger.name, "http")
    assert (request.method, request.path) == _expected_method_path(raw, folder)
    _check_headers(request, raw)
    _check_query(request, raw, folder)
    assert request.path_params == (raw.get("pathParameters") or {})
    body = _expected_body(raw)
    if body is None:
        with pytest.raises(EventDecodeError, match="base64"):
            _ = request.body
    else:
        assert request.body == body
        request.to_dict()  # the JSON form renders
    rc = raw.get("requestContext") or {}
    if "requestId" in rc:
        assert request.id == rc["requestId"]
    for name in raw.get("cookies") or []:
        assert name.partition("=")[0] in request.cookies
    assert request.raw is raw


@pytest.mark.parametrize("path", HTTP_SAMPLES)
def test_native_view_is_the_powertools_data_class(path: Path) -> None:
    raw = load(path)
    (request,) = aws.decode(raw)
    native = request.native
    assert type(native).__module__.startswith("aws_lambda_powertools.utilities.data_classes")
    assert native.raw_event is raw


@pytest.mark.parametrize("path", params("aws/**/*.json"))
def test_http_predicates_exclude_one_another(path: Path) -> None:
    """lambda_handler tries the last request's HTTP trigger first: that is right only
    because no payload matches two HTTP triggers, and an HTTP trigger that matches
    is what detection answers."""
    raw = load(path)
    matching = [t for t in aws._HTTP if t.matches(raw)]
    assert len(matching) <= 1, [t.name for t in matching]
    if matching:
        assert aws.detect(raw) is matching[0]


def test_a_handler_serving_several_http_triggers_answers_each_in_its_format() -> None:
    from adapters.testing import aws as events

    def handle(event):  # type: ignore[no-untyped-def]  # any kind: HTTP and SQS
        return event.trigger if isinstance(event, HTTPRequest) else None

    handler = aws.lambda_handler(handle)
    for _ in range(2):
        for make, trigger in ((events.apigw_v2, "aws.apigw.v2"),
                              (events.function_url, "aws.function.url"),
                              (events.apigw_v1, "aws.apigw.v1"), (events.alb, "aws.alb")):
            response = handler(make("GET", "/x"), None)
            assert response["statusCode"] == 200 and response["body"] == trigger
            assert ("statusDescription" in response) == (trigger == "aws.alb")
        assert handler(events.sqs([{"n": 1}]), None) == {"batchItemFailures": []}
