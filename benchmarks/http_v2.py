"""API Gateway HTTP API (payload 2.0): one request in, one response dict out.

Every side reads the same five things (method, path, the ``user-agent`` header, the
``page`` query value and the JSON body) and answers ``201`` with them as JSON, over
a new event and a new awslambdaric ``LambdaContext`` per call (``benchmarks._aws``).

* polyfn: ``lambda_handler(handle)(event, context)``: detect the trigger, build the
  Context, decode to :class:`sdk.HTTPRequest`, run the handler, render its
  :class:`sdk.Response`, encode the v2 response dict.
* ``powertools-dataclass``: ``APIGatewayProxyEventV2(event)``, the five reads and
  the response dict built with ``json.dumps``, as its docs write a handler.
* ``mangum``: ``Mangum(app, lifespan="off")`` over a minimal ASGI app doing the
  same reads and the same response (lifespan off: its fastest setting).
* floor: plain dict access and ``json`` building the same response dict.

:func:`http_scenario` builds the same comparison for the other HTTP payloads
(``benchmarks.aws_http``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

import sdk

from ._aws import fresh, powertools
from ._core import Impl, Scenario, Target, need

__all__ = ["EVENT", "SCENARIO", "LambdaContext", "http_scenario", "response_canon"]

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
    """A response dict, comparable across writers (header case and map, JSON spacing)."""
    headers = {k.lower(): v for k, v in (response.get("headers") or {}).items()}
    for name, values in (response.get("multiValueHeaders") or {}).items():
        if name.lower() != "set-cookie":
            headers[name.lower()] = ",".join(values)
    return {"status": response["statusCode"], "headers": headers,
            "cookies": list(response.get("cookies") or ()),
            "body": json.loads(response["body"]),
            "base64": response.get("isBase64Encoded", False)}


def _response(reads: dict[str, Any]) -> dict[str, Any]:
    """The response every hand-written side builds (what powertools' docs write)."""
    return {"statusCode": 201, "headers": {"Content-Type": "application/json"},
            "body": json.dumps(reads), "isBase64Encoded": False}


Reads = Callable[[Any], dict[str, Any]]


def _polyfn(event: dict[str, Any]) -> Callable[[], Callable[[], Any]]:
    def setup() -> Callable[[], Any]:
        aws = need("adapters.aws")

        def handle(request: sdk.HTTPRequest[Any]) -> sdk.Response:
            data = request.json()
            return sdk.Response(_reads(request.method, request.path,
                                       request.headers.get("user-agent"),
                                       request.query.get("page"), data), status=201)

        return fresh(aws.lambda_handler(handle), event, [None])

    return setup


def _powertools(event: dict[str, Any], class_name: str, reads: Reads
                ) -> Callable[[], Callable[[], Any]]:
    def setup() -> Callable[[], Any]:
        cls = getattr(powertools("data_classes"), class_name)

        def handler(raw: dict[str, Any], context: Any) -> dict[str, Any]:
            return _response(reads(cls(raw)))

        return fresh(handler, event, [None])

    return setup


def _mangum(event: dict[str, Any]) -> Callable[[], Callable[[], Any]]:
    def setup() -> Callable[[], Any]:
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

        return fresh(mangum.Mangum(app, lifespan="off"), event, [None])

    return setup


def _floor(event: dict[str, Any], reads: Reads) -> Callable[[], Callable[[], Any]]:
    def setup() -> Callable[[], Any]:
        def handler(raw: dict[str, Any], context: Any) -> dict[str, Any]:
            return _response(reads(raw))

        return fresh(handler, event, [None])

    return setup


def http_scenario(name: str, title: str, event: dict[str, Any], powertools_class: str,
                  powertools_reads: Reads, floor_reads: Reads) -> Scenario:
    """polyfn, the powertools data class, mangum and a floor over one HTTP payload,
    with issue 18's targets."""
    return Scenario(
        name=name, title=title,
        polyfn=Impl("polyfn", _polyfn(event), canon=response_canon),
        peers=(
            Impl("powertools-dataclass", _powertools(event, powertools_class, powertools_reads),
                 canon=response_canon),
            Impl("mangum", _mangum(event), canon=response_canon),
        ),
        floor=Impl("raw-dict", _floor(event, floor_reads), canon=response_canon),
        targets=(
            Target("powertools-dataclass", ratio=0.8),
            Target("mangum", ratio=0.35),
            Target("floor", ratio=2.0),
        ),
    )


def _v2_powertools(event: Any) -> dict[str, Any]:
    return _reads(event.request_context.http.method, event.path,
                  event.headers.get("user-agent"),
                  event.query_string_parameters.get("page"), event.json_body)


def _v2_floor(event: dict[str, Any]) -> dict[str, Any]:
    http = event["requestContext"]["http"]
    query = event.get("queryStringParameters") or {}
    return _reads(http["method"], event["rawPath"], event["headers"].get("user-agent"),
                  query.get("page"), json.loads(event["body"]))


SCENARIO = http_scenario(
    "http.apigw-v2", "HTTP API v2 request -> handler (5 reads) -> v2 response dict",
    EVENT, "APIGatewayProxyEventV2", _v2_powertools, _v2_floor)
