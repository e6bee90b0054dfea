"""AWS HTTP requests: API Gateway REST (1.0) and HTTP API (2.0), function URLs,
ALB and VPC Lattice, shaped as the services send them.

Formats: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html,
https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html,
https://docs.aws.amazon.com/vpc-lattice/latest/ug/lambda-functions.html.
``body``: ``str`` as sent, ``bytes`` base64-encoded (``isBase64Encoded``), any
other value as JSON (with ``content-type: application/json`` unless given).
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any
from urllib.parse import quote_plus

from ._common import (
    ACCOUNT,
    DEFAULT_TIME,
    REGION,
    Pairs,
    as_text,
    epoch_ms,
    header_map,
    new_id,
    query_pairs,
    query_string,
)

__all__ = ["alb", "apigw_v1", "apigw_v2", "function_url", "vpc_lattice"]

_AGENT = "polyfn-samples"
_REQUEST_TIME = "%d/%b/%Y:%H:%M:%S +0000"  # API Gateway's requestTime


def _body(body: Any, headers: Pairs | None) -> tuple[str | None, bool, dict[str, list[str]]]:
    """(body text or base64, is_base64, headers by name with defaults filled in)."""
    defaults = {"user_agent": _AGENT, "host": "localhost"}
    if body is None:
        return None, False, header_map(headers, **defaults)
    if isinstance(body, (bytes, bytearray)):
        encoded = base64.b64encode(bytes(body)).decode("ascii")
        return encoded, True, header_map(headers, content_type="application/octet-stream",
                                         **defaults)
    if isinstance(body, str):
        return body, False, header_map(headers, **defaults)
    return as_text(body), False, header_map(headers, content_type="application/json",
                                            **defaults)


def _single(values: dict[str, list[str]]) -> dict[str, str]:
    """One value per name, as HTTP APIs send repeated headers: comma-joined."""
    return {name: ",".join(vs) for name, vs in values.items()}


def _last(values: dict[str, list[str]]) -> dict[str, str]:
    """One value per name, as REST APIs fill the single-valued map: the last one."""
    return {name: vs[-1] for name, vs in values.items()}


def _grouped(query: Pairs | str | None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in query_pairs(query):
        out.setdefault(name, []).append(value)
    return out


def _v2(method: str, path: str, body: Any, headers: Pairs | None, query: Pairs | str | None,
        path_params: dict[str, str] | None, cookies: list[str] | None, source_ip: str,
        domain: str, stage: str, route_key: str, api_id: str, time: datetime
        ) -> dict[str, Any]:
    text, is_b64, sent = _body(body, headers)
    sent["host"] = [domain]
    raw_path = path if stage == "$default" else f"/{stage}{path}"
    event: dict[str, Any] = {
        "version": "2.0", "routeKey": route_key, "rawPath": raw_path,
        "rawQueryString": query_string(query), "headers": _single(sent),
    }
    if cookies:
        event["cookies"] = list(cookies)
    grouped = _grouped(query)
    if grouped:
        event["queryStringParameters"] = _single(grouped)
    event["requestContext"] = {
        "accountId": ACCOUNT, "apiId": api_id, "domainName": domain,
        "domainPrefix": domain.split(".", 1)[0],
        "http": {"method": method.upper(), "path": raw_path, "protocol": "HTTP/1.1",
                 "sourceIp": source_ip, "userAgent": sent["user-agent"][0]},
        "requestId": new_id(), "routeKey": route_key, "stage": stage,
        "time": time.strftime(_REQUEST_TIME), "timeEpoch": epoch_ms(time),
    }
    if path_params:
        event["pathParameters"] = dict(path_params)
    if text is not None:
        event["body"] = text
    event["isBase64Encoded"] = is_b64
    return event


def apigw_v2(method: str = "GET", path: str = "/", body: Any = None, *,
             headers: Pairs | None = None, query: Pairs | str | None = None,
             path_params: dict[str, str] | None = None, cookies: list[str] | None = None,
             stage: str = "$default", route_key: str = "$default",
             source_ip: str = "203.0.113.10", api_id: str = "a1b2c3d4e5",
             time: datetime = DEFAULT_TIME) -> dict[str, Any]:
    """An API Gateway HTTP API request (payload format 2.0)."""
    domain = f"{api_id}.execute-api.{REGION}.amazonaws.com"
    return _v2(method, path, body, headers, query, path_params, cookies, source_ip, domain,
               stage, route_key, api_id, time)


def function_url(method: str = "GET", path: str = "/", body: Any = None, *,
                 headers: Pairs | None = None, query: Pairs | str | None = None,
                 cookies: list[str] | None = None, source_ip: str = "203.0.113.10",
                 url_id: str = "abcdefghijklmnopqrstuvwxyz0123456",
                 time: datetime = DEFAULT_TIME) -> dict[str, Any]:
    """A Lambda function URL request (payload 2.0 on a ``*.lambda-url.*`` domain)."""
    domain = f"{url_id}.lambda-url.{REGION}.on.aws"
    return _v2(method, path, body, headers, query, None, cookies, source_ip, domain,
               "$default", "$default", url_id, time)


def apigw_v1(method: str = "GET", path: str = "/", body: Any = None, *,
             headers: Pairs | None = None, query: Pairs | str | None = None,
             path_params: dict[str, str] | None = None, resource: str | None = None,
             stage: str = "prod", source_ip: str = "203.0.113.10",
             api_id: str = "a1b2c3d4e5", time: datetime = DEFAULT_TIME) -> dict[str, Any]:
    """An API Gateway REST API request (Lambda proxy integration, payload 1.0)."""
    text, is_b64, sent = _body(body, headers)
    domain = f"{api_id}.execute-api.{REGION}.amazonaws.com"
    sent["host"] = [domain]
    grouped = _grouped(query)
    return {
        "resource": resource or path, "path": path, "httpMethod": method.upper(),
        "headers": _last(sent), "multiValueHeaders": sent,
        "queryStringParameters": _last(grouped) or None,
        "multiValueQueryStringParameters": grouped or None,
        "pathParameters": dict(path_params) if path_params else None,
        "stageVariables": None,
        "requestContext": {
            "accountId": ACCOUNT, "apiId": api_id, "domainName": domain,
            "domainPrefix": api_id, "httpMethod": method.upper(),
            "identity": {"sourceIp": source_ip, "userAgent": sent["user-agent"][0]},
            "path": f"/{stage}{path}", "protocol": "HTTP/1.1", "requestId": new_id(),
            "requestTime": time.strftime(_REQUEST_TIME), "requestTimeEpoch": epoch_ms(time),
            "resourceId": "abc123", "resourcePath": resource or path, "stage": stage,
        },
        "body": text, "isBase64Encoded": is_b64,
    }


def alb(method: str = "GET", path: str = "/", body: Any = None, *,
        headers: Pairs | None = None, query: Pairs | str | None = None,
        multi_value: bool = False, source_ip: str = "203.0.113.10",
        target_group: str = "polyfn-targets") -> dict[str, Any]:
    """An Application Load Balancer request; ``multi_value`` for a target group with
    multi-value headers on. ALB passes query strings through URL-encoded."""
    text, is_b64, sent = _body(body, headers)
    sent.setdefault("x-forwarded-for", [source_ip])
    encoded = [(quote_plus(k), quote_plus(v)) for k, v in query_pairs(query)]
    arn = (f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/{target_group}/"
           "6d0ecf831eec9f09")
    event: dict[str, Any] = {"requestContext": {"elb": {"targetGroupArn": arn}},
                             "httpMethod": method.upper(), "path": path}
    if multi_value:
        event["multiValueQueryStringParameters"] = _grouped(encoded)
        event["multiValueHeaders"] = sent
    else:
        event["queryStringParameters"] = dict(encoded)
        event["headers"] = _last(sent)
    event["body"] = text or ""
    event["isBase64Encoded"] = is_b64
    return event


def vpc_lattice(method: str = "GET", path: str = "/", body: Any = None, *,
                headers: Pairs | None = None, query: Pairs | str | None = None,
                source_ip: str = "10.0.0.10", service: str = "svc-0a40eebed65f8d69c",
                time: datetime = DEFAULT_TIME) -> dict[str, Any]:
    """A VPC Lattice request (event format 2.0)."""
    text, is_b64, sent = _body(body, headers)
    sent.setdefault("x-forwarded-for", [source_ip])
    qs = query_string(query)
    return {
        "version": "2.0", "path": f"{path}?{qs}" if qs else path, "method": method.upper(),
        "headers": _single(sent), "queryStringParameters": _single(_grouped(query)),
        "body": text or "", "isBase64Encoded": is_b64,
        "requestContext": {
            "serviceArn": f"arn:aws:vpc-lattice:{REGION}:{ACCOUNT}:service/{service}",
            "region": REGION, "timeEpoch": str(epoch_ms(time) * 1000),
        },
    }
