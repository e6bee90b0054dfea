"""One handler, three clouds: ``python -m examples.demo``.

Part one: HTTP (``examples/quickstart``); part two: messages (``examples/orders``,
``examples/demo_orders.py``).

Sends the same HTTP requests to ``examples/quickstart/handler.py`` through each
cloud's entry point, as deployed: an API Gateway HTTP API event into the Lambda
handler, a flask request into the functions-framework target, a
``func.HttpRequest`` into the function indexed from the Azure ``FunctionApp``.
Each request prints the uniform request the handler sees (``event.to_dict()``)
beside the response the cloud gets back, in that cloud's own shape.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import logging
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, cast
from urllib.parse import parse_qsl

WIDTH = 80  # an 80-column terminal (tests/unit/test_demo.py checks every line)
# The provider's answer gets the wider half: "application/problem+json" fits unbroken.
HALF = 36
RIGHT = WIDTH - HALF - 3
KEY = len("data_content_type")  # the longest key column inside a half

Lines = list[tuple[str, str]]


@dataclass(frozen=True)
class Request:
    title: str
    method: str
    query: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    path: str = "/hello"


_JSON = {"Content-Type": "application/json"}
REQUESTS = (
    Request("greet by query, returning visitor", "GET", "name=Ada", {"Cookie": "visits=2"}),
    Request("greet by JSON body", "POST", headers=_JSON, body=b'{"name": "Grace"}'),
    Request("bad request: body is not JSON", "POST", headers=_JSON, body=b'{"name": '),
)


# -- the three clouds ---------------------------------------------------------------

def aws(request: Request) -> tuple[dict[str, Any], Lines]:
    from adapters.aws import decode
    from examples.quickstart.aws import handler

    event = _api_gateway_v2(request)
    uniform = decode(event)[0].to_dict()
    response = handler(event, LAMBDA_CONTEXT)
    return uniform, _flatten(response)


#: What the Lambda runtime passes as ``context`` (the attributes polyfn reads).
LAMBDA_CONTEXT = SimpleNamespace(
    aws_request_id="demo-invocation", function_name="quickstart", function_version="$LATEST",
    invoked_function_arn="arn:aws:lambda:us-east-1:123456789012:function:quickstart",
    memory_limit_in_mb="256", get_remaining_time_in_millis=lambda: 3000)


def _api_gateway_v2(request: Request) -> dict[str, Any]:
    """An HTTP API (payload 2.0) event: cookies travel apart from the headers."""
    headers = {k.lower(): v for k, v in request.headers.items() if k.lower() != "cookie"}
    cookie = request.headers.get("Cookie")
    return {
        "version": "2.0", "routeKey": "ANY /hello", "rawPath": request.path,
        "rawQueryString": request.query, "headers": headers,
        **({"cookies": cookie.split("; ")} if cookie else {}),
        "requestContext": {
            "apiId": "demo", "domainName": "demo.execute-api.us-east-1.amazonaws.com",
            "http": {"method": request.method, "path": request.path, "protocol": "HTTP/1.1",
                     "sourceIp": "203.0.113.7", "userAgent": "demo"},
            "requestId": "demo-request", "routeKey": "ANY /hello", "stage": "$default",
            "timeEpoch": int(time.time() * 1000),
        },
        "body": request.body.decode(), "isBase64Encoded": False,
    }


def gcp(request: Request) -> tuple[dict[str, Any], Lines]:
    import flask
    from werkzeug import Response

    from adapters.gcp import decode
    from examples.quickstart.main import http

    app = flask.Flask("demo")
    with app.test_request_context(request.path, method=request.method, headers=request.headers,
                                  query_string=request.query, data=request.body):
        uniform = decode(flask.request)[0].to_dict()
        response = cast(Response, http(flask.request))
    lines = [("status", str(response.status_code)), *_headers(response.headers.items())]
    return uniform, [*lines, ("body", response.get_data(as_text=True))]


def azure(request: Request) -> tuple[dict[str, Any], Lines]:
    import azure.functions as func

    from adapters.azure import decode
    from examples.quickstart.function_app import app

    hello = azure_function(app, "hello")
    native = func.HttpRequest(
        request.method, f"https://demo.azurewebsites.net/api{request.path}?{request.query}",
        headers={k.lower(): v for k, v in request.headers.items()},
        params=dict(parse_qsl(request.query)), route_params={}, body=request.body)
    uniform = decode(native)[0].to_dict()
    response = hello(native, SimpleNamespace(invocation_id="demo-invocation",
                                             function_name="hello"))
    lines = [("status_code", str(response.status_code)), *_headers(response.headers.items())]
    return uniform, [*lines, ("get_body()", response.get_body().decode())]


@functools.cache
def azure_function(app: Any, name: str) -> Callable[..., Any]:
    """The user function the worker would index under ``name`` (indexing runs once)."""
    (function,) = (f.get_user_function() for f in app.get_functions()
                   if f.get_function_name() == name)
    return function  # type: ignore[no-any-return]


CLOUDS: tuple[tuple[str, str, Callable[[Request], tuple[dict[str, Any], Lines]]], ...] = (
    ("AWS Lambda", "examples.quickstart.aws.handler", aws),
    ("Google Cloud Functions", "examples/quickstart/main.py --entry-point http", gcp),
    ("Azure Functions", "examples/quickstart/function_app.py app", azure),
)


# -- printing -------------------------------------------------------------------

def _headers(items: Any) -> Lines:
    return [(f"  {name}", value) for name, value in items]


def _flatten(value: dict[str, Any], prefix: str = "") -> Lines:
    """``{"headers": {"a": 1}}`` -> ``[("headers", ""), ("  a", "1")]``, empties left out."""
    lines: Lines = []
    for key, item in value.items():
        if item is None or item in ("", {}, []):
            continue
        if isinstance(item, dict):
            lines += [(f"{prefix}{key}", ""), *_flatten(item, prefix + "  ")]
        elif isinstance(item, list):
            lines += [(f"{prefix}{key}", ""), *((f"{prefix}  [{i}]", _text(v))
                                                 for i, v in enumerate(item))]
        else:
            lines.append((f"{prefix}{key}", _text(item)))
    return lines


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


def _wrap(value: str, width: int) -> list[str]:
    """Wrapped for the terminal; a JSON document gets spaces after its separators
    (so it can wrap between members, never inside one)."""
    if value.startswith("{"):
        with contextlib.suppress(ValueError):
            # A no-break space keeps each "key": value together on one line.
            value = json.dumps(json.loads(value), ensure_ascii=False, separators=(", ", ":\xa0"))
    lines = textwrap.wrap(value, width, break_on_hyphens=False) or [""]
    return [line.replace("\xa0", " ") for line in lines]


def _column(lines: Lines, width: int) -> list[str]:
    out: list[str] = []
    keys = min(KEY, max((len(key) for key, _ in lines), default=0))
    for key, value in lines:
        wrapped = _wrap(value, width - keys - 1)
        out.append(f"{key[:keys]:<{keys}} {wrapped[0]}".rstrip())
        out += [f"{'':<{keys}} {more}" for more in wrapped[1:]]
    return out


def side_by_side(left: list[str], right: list[str]) -> str:
    rows = max(len(left), len(right))
    left, right = left + [""] * (rows - len(left)), right + [""] * (rows - len(right))
    return "\n".join(f"{x:<{HALF}} │ {y}".rstrip() for x, y in zip(left, right, strict=True))


def _clip(line: str) -> str:
    return line if len(line) <= WIDTH else line[:WIDTH - 1] + "…"


@contextlib.contextmanager
def captured_logs() -> Iterator[io.StringIO]:
    """The handler's log lines (stdout on AWS and Google, ``logging`` on Azure)."""
    buffer = io.StringIO()
    log = logging.getLogger("polyfn")
    handler = logging.StreamHandler(buffer)
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False  # not also to a root handler some library configured
    try:
        with contextlib.redirect_stdout(buffer):
            yield buffer
    finally:
        log.removeHandler(handler)
        log.propagate = True


def main() -> int:
    # Library warnings (azure.functions' indexing notes) would otherwise configure the
    # root logger and interleave with the tables.
    logging.getLogger().addHandler(logging.NullHandler())
    for cloud, entry, call in CLOUDS:
        print(f"\n{'═' * 3} {cloud} · {entry} ".ljust(WIDTH, "═"))
        for request in REQUESTS:
            with captured_logs() as logs:
                uniform, native = call(request)
            target = request.path + (f"?{request.query}" if request.query else "")
            print(f"── {request.method} {target}: {request.title} ".ljust(WIDTH, "─"))
            print(side_by_side(["what the handler gets (to_dict)"],
                               [f"what {cloud} gets back"]))
            print(side_by_side(_column(_flatten(uniform), HALF), _column(native, RIGHT)))
            for line in logs.getvalue().splitlines()[:1]:
                print(_clip(f"log: {line}"))
    _orders()
    return 0


def _orders() -> None:
    from examples import demo_orders

    print(f"\n{'═' * 3} Messages: examples/orders/handler.py, one order per message "
          .ljust(WIDTH, "═"))
    for cloud, entry, call in demo_orders.CLOUDS:
        with captured_logs():
            lines = call()
        print(f"── {cloud} · {entry} ".ljust(WIDTH, "─"))
        for line in lines:
            print(_clip(line))


if __name__ == "__main__":
    sys.exit(main())
