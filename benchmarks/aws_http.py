"""API Gateway REST API (payload 1.0) and Application Load Balancer requests.

The comparison of :mod:`benchmarks.http_v2` (same five reads, same ``201`` JSON
response, new event and context per call) over the other two HTTP payloads:
powertools' ``APIGatewayProxyEvent`` / ``ALBEvent``, mangum, and a floor that
looks the header up case-insensitively (REST API passes header names as sent).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote_plus

from .http_v2 import _reads, http_scenario

__all__ = ["ALB", "ALB_EVENT", "SCENARIOS", "V1", "V1_EVENT"]

_BODY = '{"name": "Ada", "quantity": 3}'

#: A REST API proxy request (shape from the API Gateway developer guide's example).
V1_EVENT: dict[str, Any] = {
    "resource": "/orders",
    "path": "/orders",
    "httpMethod": "POST",
    "headers": {
        "Accept": "application/json",
        "Content-Type": "application/json",
        "Host": "abc123.execute-api.eu-west-1.amazonaws.com",
        "User-Agent": "curl/8.5.0",
        "X-Amzn-Trace-Id": "Root=1-65f1c1d2-0c3b1c2d3e4f5a6b7c8d9e0f",
        "X-Forwarded-For": "203.0.113.7",
        "X-Forwarded-Port": "443",
        "X-Forwarded-Proto": "https",
    },
    "multiValueHeaders": {
        "Accept": ["application/json"],
        "Content-Type": ["application/json"],
        "Host": ["abc123.execute-api.eu-west-1.amazonaws.com"],
        "User-Agent": ["curl/8.5.0"],
        "X-Amzn-Trace-Id": ["Root=1-65f1c1d2-0c3b1c2d3e4f5a6b7c8d9e0f"],
        "X-Forwarded-For": ["203.0.113.7"],
        "X-Forwarded-Port": ["443"],
        "X-Forwarded-Proto": ["https"],
    },
    "queryStringParameters": {"page": "2", "sort": "desc"},
    "multiValueQueryStringParameters": {"page": ["2"], "sort": ["desc"]},
    "pathParameters": None,
    "stageVariables": None,
    "requestContext": {
        "accountId": "123456789012",
        "apiId": "abc123",
        "domainName": "abc123.execute-api.eu-west-1.amazonaws.com",
        "httpMethod": "POST",
        "identity": {"sourceIp": "203.0.113.7", "userAgent": "curl/8.5.0"},
        "path": "/prod/orders",
        "protocol": "HTTP/1.1",
        "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
        "requestTime": "13/Mar/2024:10:15:30 +0000",
        "requestTimeEpoch": 1710324930000,
        "resourceId": "123456",
        "resourcePath": "/orders",
        "stage": "prod",
    },
    "body": _BODY,
    "isBase64Encoded": False,
}

#: An ALB target group request, multi-value headers off (the ELB guide's example).
ALB_EVENT: dict[str, Any] = {
    "requestContext": {"elb": {"targetGroupArn": (
        "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/orders/6d0ecf831eec9f09")}},
    "httpMethod": "POST",
    "path": "/orders",
    "queryStringParameters": {"page": "2", "sort": "desc"},
    "headers": {
        "accept": "application/json",
        "content-type": "application/json",
        "host": "orders-123.eu-west-1.elb.amazonaws.com",
        "user-agent": "curl/8.5.0",
        "x-amzn-trace-id": "Root=1-65f1c1d2-0c3b1c2d3e4f5a6b7c8d9e0f",
        "x-forwarded-for": "203.0.113.7",
        "x-forwarded-port": "443",
        "x-forwarded-proto": "https",
    },
    "body": _BODY,
    "isBase64Encoded": False,
}


def _header(headers: dict[str, str], name: str) -> str | None:
    return next((v for k, v in headers.items() if k.lower() == name), None)


def _v1_powertools(event: Any) -> dict[str, Any]:
    return _reads(event.http_method, event.path, event.headers.get("user-agent"),
                  event.query_string_parameters.get("page"), event.json_body)


def _v1_floor(event: dict[str, Any]) -> dict[str, Any]:
    query = event.get("queryStringParameters") or {}
    return _reads(event["httpMethod"], event["path"],
                  _header(event.get("headers") or {}, "user-agent"),
                  query.get("page"), json.loads(event["body"]))


def _alb_floor(event: dict[str, Any]) -> dict[str, Any]:
    # ALB passes the query string undecoded.
    query = {unquote_plus(k): unquote_plus(v)
             for k, v in (event.get("queryStringParameters") or {}).items()}
    return _reads(event["httpMethod"], event["path"], event["headers"].get("user-agent"),
                  query.get("page"), json.loads(event["body"]))


V1 = http_scenario("http.apigw-v1", "REST API request -> handler (5 reads) -> response dict",
                   V1_EVENT, "APIGatewayProxyEvent", _v1_powertools, _v1_floor)
ALB = http_scenario("http.alb", "ALB request -> handler (5 reads) -> response dict",
                    ALB_EVENT, "ALBEvent", _v1_powertools, _alb_floor)
SCENARIOS = (V1, ALB)
