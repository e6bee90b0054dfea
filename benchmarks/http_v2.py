"""API Gateway HTTP API (payload 2.0): one request in, one response dict out.

Every side reads the same five things (method, path, the ``user-agent`` header, the
``page`` query value and the JSON body) and, except powertools' data class (reads
only, as its docs use it), answers ``201`` with the same JSON body.

* polyfn: ``lambda_handler(handle)(event, context)``: detect the trigger, build the
  Context, decode to :class:`sdk.HTTPRequest`, run the handler, render its
  :class:`sdk.Response`, encode the v2 response dict.
* ``powertools-dataclass``: ``APIGatewayProxyEventV2(event)`` and the five reads.
* ``mangum``: ``Mangum(app, lifespan="off")`` over a minimal ASGI app doing the
  same reads and the same response (lifespan off: its fastest setting).
* floor: plain dict access and ``json`` building the same response dict.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import sdk

from ._core import Impl, Scenario, Target, need

__all__ = ["EVENT", "SCENARIO", "LambdaContext", "response_canon"]

#: A request as HTTP API sends it (shape from the AWS developer guide's example).
EVENT: dict[str, Any] = {
    "version": "2.0",
    "routeKey": "POST /orders",
    "rawPath": "/orders",
    "rawQueryString": "page=2&sort=desc",
    "headers": {
        "accept": "application/json",
        "content-length": "31",
        "content-type": "application/json",
        "host": "abc123.execute-api.eu-west-1.amazonaws.com",
        "user-agent": "curl/8.5.0",
        "x-amzn-trace-id": "Root=1-65f1c1d2-0c3b1c2d3e4f5a6b7c8d9e0f",
        "x-forwarded-for": "203.0.113.7",
        "x-forwarded-port": "443",
        "x-forwarded-proto": "https",
    },
    "queryStringParameters": {"page": "2", "sort": "desc"},
    "requestContext": {
        "accountId": "123456789012",
        "apiId": "abc123",
        "domainName": "abc123.execute-api.eu-west-1.amazonaws.com",
        "domainPrefix": "abc123",
        "http": {
            "method": "POST",
            "path": "/orders",
            "protocol": "HTTP/1.1",
            "sourceIp": "203.0.113.7",
            "userAgent": "curl/8.5.0",
        },
        "requestId": "JKJaXmPLvHcESHA=",
        "routeKey": "POST /orders",
        "stage": "$default",
        "time": "13/Mar/2024:10:15:30 +0000",
        "timeEpoch": 1710324930000,
    },
    "body": '{"name": "Ada", "quantity": 3}',
    "isBase64Encoded": False,
}


class LambdaContext:
    """What the Lambda runtime passes as ``context`` (awslambdaric's attributes)."""

    aws_request_id = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
    function_name = "orders"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:orders"
    memory_limit_in_mb = "128"
    log_group_name = "/aws/lambda/orders"
    log_stream_name = "2024/03/13/[$LATEST]abcdef"

    def get_remaining_time_in_millis(self) -> int:
        return 3000


def _reads(method: str, path: str, agent: str | None, page: str | None, body: Any
           ) -> dict[str, Any]:
    return {"method": method, "path": path, "agent": agent, "page": page,
            "name": body["name"]}


def response_canon(response: dict[str, Any]) -> dict[str, Any]:
    """A v2 response dict, comparable across writers (header case, JSON spacing)."""
    headers = {k.lower(): v for k, v in (response.get("headers") or {}).items()}
    return {"status": response["statusCode"], "headers": headers,
            "cookies": list(response.get("cookies") or ()),
            "body": json.loads(response["body"]),
            "base64": response.get("isBase64Encoded", False)}


def _polyfn() -> Callable[[], Any]:
    aws = need("adapters.aws")

    def handle(request: sdk.HTTPRequest[Any]) -> sdk.Response:
        data = request.json()
        return sdk.Response(_reads(request.method, request.path,
                                   request.headers.get("user-agent"),
                                   request.query.get("page"), data), status=201)

    handler = aws.lambda_handler(handle)
    context = LambdaContext()
    return lambda: handler(EVENT, context)


def _powertools() -> Callable[[], Any]:
    module = need("aws_lambda_powertools.utilities.data_classes")
    cls = module.APIGatewayProxyEventV2

    def run() -> dict[str, Any]:
        event = cls(EVENT)
        return _reads(event.request_context.http.method, event.path,
                      event.headers.get("user-agent"),
                      event.query_string_parameters.get("page"), event.json_body)

    return run


def _mangum() -> Callable[[], Any]:
    mangum = need("mangum")

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        headers = dict(scope["headers"])
        agent = headers.get(b"user-agent")
        page = dict(parse_qsl(scope["query_string"].decode("latin-1"))).get("page")
        message = await receive()
        reads = _reads(scope["method"], scope["path"], agent.decode() if agent else None,
                       page, json.loads(message["body"]))
        await send({"type": "http.response.start", "status": 201,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": json.dumps(reads).encode()})

    handler = mangum.Mangum(app, lifespan="off")
    context = LambdaContext()
    return lambda: handler(EVENT, context)


def _floor() -> Callable[[], Any]:
    def run() -> dict[str, Any]:
        event = EVENT
        http = event["requestContext"]["http"]
        query = event.get("queryStringParameters") or {}
        reads = _reads(http["method"], event["rawPath"], event["headers"].get("user-agent"),
                       query.get("page"), json.loads(event["body"]))
        return {"statusCode": 201, "headers": {"Content-Type": "application/json"},
                "body": json.dumps(reads), "isBase64Encoded": False}

    return run


SCENARIO = Scenario(
    name="http.apigw-v2",
    title="HTTP API v2 request -> handler (5 reads) -> v2 response dict",
    polyfn=Impl("polyfn", _polyfn, canon=response_canon),
    peers=(
        Impl("powertools-dataclass", _powertools, project=lambda canon: canon["body"]),
        Impl("mangum", _mangum, canon=response_canon),
    ),
    floor=Impl("raw-dict", _floor, canon=response_canon),
    targets=(
        Target("powertools-dataclass", ratio=0.8),
        Target("mangum", ratio=0.35),
        Target("floor", ratio=2.0),
    ),
)
