"""Azure HTTP trigger: func.HttpRequest (built by the worker's converter) -> HTTPRequest,
and the handler's result -> func.HttpResponse as the worker then encodes it for the host."""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any

import azure.functions as func
import pytest
from azure.functions.http import HttpResponseConverter
from pydantic import BaseModel

import sdk
from adapters.azure import HTTP, bind, decode, detect
from sdk import HTTPRequest, Response
from tests.support import azure_inputs as ai

URL = "https://app.azurewebsites.net/api/items/42?tag=a&tag=b&empty=&q=x%20y"


class TraceContext(func._abc.TraceContext):
    def __init__(self, parent: str) -> None:
        self._parent = parent

    trace_parent = property(lambda self: self._parent)
    trace_state = property(lambda self: "")
    attributes = property(lambda self: {})


class RetryContext(func._abc.RetryContext):
    retry_count = property(lambda self: 0)
    max_retry_count = property(lambda self: 0)
    exception = property(lambda self: None)


class WorkerContext(func.Context):
    """What the worker passes as ``context`` (azure_functions_worker bindings/context.py)."""

    def __init__(self, invocation_id: str = "inv-1", function_name: str = "hello") -> None:
        self._id = invocation_id
        self._name = function_name

    invocation_id = property(lambda self: self._id)
    function_name = property(lambda self: self._name)
    function_directory = property(lambda self: "/home/site/wwwroot")
    thread_local_storage = property(lambda self: threading.local())
    trace_context = property(
        lambda self: TraceContext("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))
    retry_context = property(lambda self: RetryContext())


def request(**kwargs: Any) -> func.HttpRequest:
    kwargs.setdefault("url", URL)
    return ai.http_request(**kwargs)


def wire(response: func.HttpResponse) -> dict[str, Any]:
    """What the worker sends to the host for a returned response (RpcHttp)."""
    datum = HttpResponseConverter.encode(response, expected_type=None)
    value = datum.value
    cookies = [(name, morsel.value, {k: v for k, v in morsel.items() if v})
               for jar in value["cookies"] or [] for name, morsel in jar.items()]
    return {"status": int(value["status_code"].value),
            "headers": {k: v.value for k, v in value["headers"].items()},
            "cookies": cookies, "body": value["body"].value}


# ------------------------------------------------------------------------ request


def test_request_fields() -> None:
    req = request(method="post", headers=[("Content-Type", "application/json"),
                                          ("X-Forwarded-For", "10.0.0.1, 203.0.113.7:51234"),
                                          ("Cookie", "session=abc; theme=dark"),
                                          ("Accept", "text/html"), ("Accept", "application/json")],
                  body=b'{"name": "Ada"}', route_params={"id": 42})
    assert detect(req) is next(t for t in __import__("adapters.azure").azure.TRIGGERS
                               if isinstance(t, HTTP))
    (event,) = decode(req)
    assert isinstance(event, HTTPRequest)
    assert (event.kind, event.provider, event.trigger) == ("http", "azure", "azure.http")
    assert event.method == "POST"
    assert event.path == "/items/42"  # the host's route prefix dropped
    assert event.source == "app.azurewebsites.net"
    assert event.path_params == {"id": "42"}
    assert event.source_ip == "203.0.113.7"
    assert event.cookies == {"session": "abc", "theme": "dark"}
    # The host joins repeated headers with "," (RpcHttp headers are a string map): kept.
    assert event.headers.get_all("accept") == ["text/html,application/json"]
    assert event.body == b'{"name": "Ada"}'
    assert event.data == {"name": "Ada"}
    assert event.data_content_type == "application/json"
    assert event.native is req and event.raw is req


def test_query_keeps_repeats_that_params_loses() -> None:
    req = request()
    assert req.params["tag"] == "a,b"  # the converter's view: joined, "empty" left out
    (event,) = decode(req)
    assert event.query.get_all("tag") == ["a", "b"]
    assert event.query.get("empty") == ""
    assert event.query.get("q") == "x y"


@pytest.mark.parametrize(("headers", "expected"), [
    ({"X-Forwarded-For": "[2001:db8::1]:443"}, "2001:db8::1"),
    ({"X-Forwarded-For": "2001:db8::1"}, "2001:db8::1"),
    # The right-most entry is the one App Service's front end appended; the rest
    # (and X-Azure-ClientIP) the client can write itself.
    ({"X-Forwarded-For": "198.51.100.66, 203.0.113.7:51234"}, "203.0.113.7"),
    ({"X-Azure-ClientIP": "198.51.100.2"}, None),
    ({}, None),
])
def test_source_ip(headers: dict[str, str], expected: str | None) -> None:
    (event,) = decode(request(headers=headers))
    assert event.source_ip == expected


def test_percent_encoded_path_is_decoded_and_no_query_is_empty() -> None:
    (event,) = decode(request(url="https://h.example/api/a%20b/c"))
    assert event.path == "/a b/c"
    assert dict(event.query) == {}


@pytest.mark.parametrize(
    ("url", "fields"),
    [("https://h.net/api/a?x=1#top", ("/a", "h.net", "x=1", "/api")),
     ("https://h.net/api", ("/", "h.net", "", "/api")),
     ("https://h.net/apis/x", ("/apis/x", "h.net", "", "")),
     ("https://h.net", ("/", "h.net", "", "")),
     (":///api/x", ("/x", None, "", "/api")),
     ("/api/x?y", ("/x", None, "y", "/api"))],
)
def test_url_fields_are_read_together_from_the_url(url: str, fields: tuple[Any, ...]) -> None:
    """path, source (the host), the query string and root path (the route prefix
    when the path has it); setting one keeps the others."""
    (event,) = decode(request(url=url))
    assert (event.path, event.source, event.query_string(), event.root_path) == fields
    assert event.subject == fields[0]
    (event,) = decode(request(url=url))
    event.path = "/set"
    assert (event.path, event.source, event.query_string(), event.root_path,
            event.subject) == ("/set", *fields[1:], "/set")


def test_binary_body_and_json_form() -> None:
    (event,) = decode(request(method="PUT", body=b"\xff\x00"))
    assert event.body == b"\xff\x00"
    form = event.to_dict()
    assert form["body_base64"] == "/wA="
    assert form["method"] == "PUT"


# ----------------------------------------------------------------------- response


@sdk.function
def rich(request: HTTPRequest) -> Response:
    return Response({"path": request.path, "tag": request.query.get_all("tag")}, status=201,
                    headers=[("X-Multi", "a"), ("X-Multi", "b"), ("X-One", "1")],
                    cookies=["a=1; Path=/; HttpOnly",
                             "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Secure; SameSite=Lax"])


def test_response_headers_cookies_and_body() -> None:
    response = bind(rich)(request(), WorkerContext())
    assert isinstance(response, func.HttpResponse)
    assert response.status_code == 201
    assert response.mimetype == "application/json"
    assert response.headers.get_all("Set-Cookie") == [
        "a=1; Path=/; HttpOnly",
        "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Secure; SameSite=Lax"]
    assert json.loads(response.get_body()) == {"path": "/items/42", "tag": ["a", "b"]}
    sent = wire(response)
    assert sent["status"] == 201
    # One value per name on the wire: repeats arrive comma-joined, not last-one-wins.
    assert sent["headers"] == {"X-Multi": "a, b", "X-One": "1",
                               "Content-Type": "application/json"}
    assert sent["cookies"] == [
        ("a", "1", {"path": "/", "httponly": True}),
        ("b", "2", {"expires": "Wed, 21 Oct 2026 07:28:00 GMT", "secure": True,
                    "samesite": "Lax"}),
    ]


def test_binary_text_and_empty_responses() -> None:
    png = bind(lambda r: Response(b"\x89PNG\x00", content_type="image/png"), name="png")(request())
    assert (png.get_body(), png.mimetype) == (b"\x89PNG\x00", "image/png")
    assert wire(png)["headers"] == {"Content-Type": "image/png"}
    text = bind(lambda r: Response("héllo", content_type="text/plain; charset=utf-8"),
                name="text")(request())
    assert (text.get_body(), text.mimetype, text.charset) == ("héllo".encode(), "text/plain",
                                                              "utf-8")
    empty = bind(lambda r: None, name="empty")(request())
    assert (empty.status_code, empty.get_body()) == (204, b"")


class Greeting(BaseModel):
    name: str


@sdk.function
def greet(request: HTTPRequest[Greeting]) -> dict[str, str]:
    return {"hello": request.data.name}


@pytest.mark.parametrize(("body", "status"), [
    (b'{"name": "Ada"}', 200), (b'{"nom": "Ada"}', 422), (b"not json", 400),
])
def test_model_validation_statuses(body: bytes, status: int) -> None:
    response = bind(greet)(request(method="POST", body=body))
    assert response.status_code == status
    if status != 200:
        assert response.mimetype == "application/problem+json"
        assert json.loads(response.get_body())["status"] == status


def test_handler_error_is_a_500_problem_without_details(caplog: pytest.LogCaptureFixture
                                                        ) -> None:
    def boom(request: HTTPRequest) -> None:
        raise RuntimeError("secret detail")

    with caplog.at_level(logging.ERROR):
        response = bind(boom)(request(), WorkerContext(invocation_id="inv-9"))
    assert response.status_code == 500
    problem = json.loads(response.get_body())
    assert "secret" not in json.dumps(problem) and "inv-9" in problem["detail"]


@pytest.mark.parametrize("cookie", [
    "a=1; Path=/; Partitioned",             # http.cookies drops the whole cookie
    "a=1; Priority=High",                   # ... or reads a second, bogus cookie
    "a=1; Expires=2026-10-21",              # the worker fails on this Expires
    "a=1; Max-Age=soon",                    # ... and on this Max-Age
])
def test_cookies_the_worker_cannot_carry_answer_500(cookie: str) -> None:
    response = bind(lambda r: Response("ok", cookies=[cookie]), name="cookie")(request())
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    assert wire(response)["cookies"] == []


def test_conversion_costs_microseconds() -> None:
    req = request(headers={"Content-Type": "application/json", "X-Forwarded-For": "1.2.3.4"},
                  body=b"{}")
    trigger = HTTP()
    trigger.request(req)
    rounds = 2000
    start = time.perf_counter()
    for _ in range(rounds):
        trigger.request(req)
    per_request = (time.perf_counter() - start) / rounds
    assert per_request < 100e-6, f"{per_request * 1e6:.1f} µs per request"


@pytest.mark.parametrize(
    ("prefix", "path", "expected"),
    [("/api", "/api/hello", "/hello"), ("/api", "/api", "/"), ("/api", "/apis/x", "/apis/x"),
     ("/api", "/other", "/other"), ("", "/api/hello", "/api/hello"),
     ("/v1/fn", "/v1/fn/x", "/x")],
)
def test_route_prefix_is_dropped(prefix: str, path: str, expected: str) -> None:
    from adapters.azure._http import strip_prefix

    assert strip_prefix(path, prefix) == expected


def test_route_prefix_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from adapters.azure._http import HTTP

    monkeypatch.setenv("POLYFN_AZURE_ROUTE_PREFIX", "")
    trigger = HTTP()
    (event,) = trigger.decode(ai.http_request("GET", "https://h.net/api/x"))
    assert event.path == "/api/x"
    monkeypatch.setenv("POLYFN_AZURE_ROUTE_PREFIX", "/fn/")
    (event,) = HTTP().decode(ai.http_request("GET", "https://h.net/fn/x"))
    assert event.path == "/x"
