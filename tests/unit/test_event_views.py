"""Events that are views over the provider payload read like the eager events.

``V2Request`` (HTTP API 2.0, function URLs), ``AzureRequest`` and ``SQSMessage``
set their cheap fields at decode and build the rest on first read. These tests
check, for the same payloads, that every field and the JSON form equal what the
eager constructors build from the same values, that a malformed shape still fails
at decode (a 400 for HTTP, not an error inside the handler), and that the faster
paths they use (the query map, JSON text kept by ``render``, ``Event.data`` for
JSON-looking text) answer as the paths they bypass.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sdk
from adapters import aws
from adapters._http import QueryPairs, parse_query
from adapters.aws._http import V2Request
from adapters.aws._sqs import SQSMessage
from adapters.testing import aws as aws_events
from sdk import Headers, HTTPRequest, Message, Query
from sdk._data import decode_payload
from sdk._response import render
from sdk.errors import EventDecodeError

FIELDS = ("method", "path", "source_ip", "id", "source", "type", "subject", "time",
          "data_content_type", "provider", "trigger", "body", "cookies")


def _v2(**overrides: Any) -> dict[str, Any]:
    event = aws_events.apigw_v2(method="POST", path="/orders", body='{"a": 1}',
                                headers={"Content-Type": "application/json",
                                         "Cookie": "a=1; b=2", "User-Agent": "t/1"},
                                query={"page": "2"})
    event.update(overrides)
    return event


def _eager_v2(raw: dict[str, Any]) -> HTTPRequest[Any]:
    """What the eager constructor builds from the same payload values."""
    rc, http = raw["requestContext"], raw["requestContext"]["http"]
    cookies = {c.partition("=")[0]: c.partition("=")[2] for c in raw.get("cookies") or ()}
    return HTTPRequest(method=http["method"], path=raw["rawPath"],
                       headers=Headers(raw.get("headers")),
                       query=Query(pairs=parse_query(raw.get("rawQueryString") or "")),
                       body=raw.get("body"), cookies=cookies or None,
                       path_params=raw.get("pathParameters") or {},
                       source_ip=http.get("sourceIp"), provider="aws", trigger="aws.apigw.v2",
                       id=rc.get("requestId"), source=rc.get("domainName"),
                       type=raw.get("routeKey"), subject=raw["rawPath"],
                       time=aws.decode(raw)[0].time, attributes={"stage": rc["stage"]}
                       if rc.get("stage") else {}, raw=raw)


def test_v2_view_reads_like_the_eager_request() -> None:
    raw = _v2()
    view = aws.decode(raw)[0]
    assert type(view) is V2Request
    eager = _eager_v2(raw)
    for name in FIELDS:
        assert getattr(view, name) == getattr(eager, name), name
    assert dict(view.headers) == dict(eager.headers)
    assert view.query.multi_items() == eager.query.multi_items()
    assert view.json() == eager.json() == view.data
    assert view.to_dict() == eager.to_dict()


def test_v2_view_fields_can_still_be_set() -> None:
    view = aws.decode(_v2())[0]
    view.data_content_type = "text/plain"
    view.time = None
    view.method = "PUT"
    assert (view.data_content_type, view.time, view.method) == ("text/plain", None, "PUT")


@pytest.mark.parametrize("key,value,at_decode", [
    ("headers", ["x"], True), ("rawQueryString", 5, True), ("body", 7, True),
    ("cookies", "a=1", False), ("queryStringParameters", "p", False)])
def test_v2_malformed_shapes_answer_400(key: str, value: Any, at_decode: bool) -> None:
    """Shapes read at decode fail there; the cookies and the query map fail when the
    handler first reads them, with the same EventDecodeError, so the same 400."""
    raw = _v2(**{key: value})
    if at_decode:
        with pytest.raises(EventDecodeError):
            aws.decode(raw)
    else:
        request = aws.decode(raw)[0]
        with pytest.raises(EventDecodeError) as info:
            request.cookies if key == "cookies" else request.query  # noqa: B018
        assert list(info.value.keys) == [key]

    def handle(request: sdk.HTTPRequest[Any]) -> str:
        return f"{request.headers} {request.query} {request.cookies}"

    response = aws.lambda_handler(handle)(raw, None)
    assert response["statusCode"] == 400
    assert response["headers"]["Content-Type"] == "application/problem+json"
    assert repr(value) not in response["body"]  # keys, never values


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "page", "x y", "é"]),
                          st.sampled_from(["", "1", "2", "a,b", "x y", "%41", "+"])),
                max_size=4))
def test_v2_query_is_the_raw_string_whatever_the_map(pairs: list[tuple[str, str]]) -> None:
    """The map (API Gateway joins repeats with commas and decodes escapes) is used
    only when it cannot differ from the raw string."""
    from urllib.parse import parse_qsl, urlencode

    text = urlencode(pairs)
    joined: dict[str, str] = {}
    for name, value in parse_qsl(text, keep_blank_values=True):
        joined[name] = f"{joined[name]},{value}" if name in joined else value
    raw = _v2(rawQueryString=text, queryStringParameters=joined or None)
    query = aws.decode(raw)[0].query
    expected: dict[str, list[str]] = {}
    for name, value in parse_qsl(text, keep_blank_values=True):
        expected.setdefault(name, []).append(value)
    assert {name: query.get_all(name) for name in query} == expected


def test_render_keeps_json_text_and_agrees_with_the_bytes() -> None:
    for result in ({"a": "é"}, [1, 2], sdk.Response({"b": 1}, status=201)):
        rendered = render(result)
        assert rendered.text() == rendered.body.decode("utf-8")
        assert json.loads(rendered.body) == (result.body if isinstance(result, sdk.Response)
                                             else result)
        assert rendered.content_type == "application/json"
    binary = render(sdk.Response({"a": 1}, content_type="image/png"))
    assert binary.text() is None and binary.body == b'{"a":1}'


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=10), st.sampled_from(['{"a": 1}', "[1, 2]", "{bad", "[",
                                                          '{"a": 1} x', "{} ", "[]"])))
def test_event_data_of_text_is_the_decoding_rule(text: str) -> None:
    assert _same(Message(provider="p", trigger="t", payload=text).data,
                 decode_payload(text, None))
    typed = Message(provider="p", trigger="t", payload=text, data_content_type="text/plain")
    assert _same(typed.data, decode_payload(text, "text/plain"))


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and (a == b or (a != a and b != b))


def test_sqs_view_reads_like_the_eager_message() -> None:
    raw = aws_events.sqs([{"n": 1}], attributes={"k": "v"})
    item = raw["Records"][0]
    view = SQSMessage(item, "aws.sqs")
    eager = Message(queue=view.queue, delivery_count=1, provider="aws", trigger="aws.sqs",
                    id=item["messageId"], source=item["eventSourceARN"],
                    time=view.time, payload=item["body"], attributes={"k": "v"}, raw=item)
    assert view.queue and view.time is not None
    assert view.to_dict() == eager.to_dict()
    assert aws.decode(raw)[0].to_dict() == eager.to_dict()


def test_query_pairs_are_parsed_once_and_only_when_read() -> None:
    pairs = QueryPairs("a=1&a=2")
    assert pairs._pairs is None
    assert Query(pairs=pairs).get_all("a") == ["1", "2"]
    assert pairs._pairs == [("a", "1"), ("a", "2")]


# -- Pub/Sub 1st gen: the direct path against functions-framework's conversion ----------
_LEGACY = {
    "context": {
        "eventId": "1215011316659232", "timestamp": "2024-03-13T10:15:30.123Z",
        "eventType": "google.pubsub.topic.publish",
        "resource": {"service": "pubsub.googleapis.com",
                     "name": "projects/sample-project/topics/orders",
                     "type": "type.googleapis.com/google.pubsub.v1.PubsubMessage"},
    },
    "data": {"@type": "type.googleapis.com/google.pubsub.v1.PubsubMessage",
             "attributes": {"origin": "checkout"}, "data": "eyJvcmRlcl9pZCI6IDEwNDJ9"},
}


@pytest.mark.parametrize("timestamp", ["2024-03-13T10:15:30.123Z", "2024-03-13T10:15:30+01:00",
                                       "2024-03-13T10:15:30.123456789Z"])
def test_first_gen_pubsub_direct_path_is_the_conversion(timestamp: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import copy

    from adapters import gcp
    from adapters.gcp import _legacy

    raw = copy.deepcopy(_LEGACY)
    raw["context"]["timestamp"] = timestamp
    direct = gcp.decode(raw)[0]
    assert type(direct).__name__ == "_FirstGenPubSub"
    monkeypatch.setattr(_legacy, "_pubsub", lambda raw, ctx: None)
    converted = gcp.decode(copy.deepcopy(raw))[0]
    assert type(converted) is not type(direct)
    assert direct.to_dict() == converted.to_dict()
    assert direct.time == converted.time and direct.time is not None
    assert type(direct.native) is type(converted.native)
    assert type(direct.native).to_json(direct.native) == type(converted.native).to_json(
        converted.native)


def test_first_gen_pubsub_impossible_date_fails_when_time_is_read() -> None:
    import copy

    from adapters import gcp

    raw = copy.deepcopy(_LEGACY)
    raw["context"]["timestamp"] = "2024-02-30T10:15:30Z"  # the common shape, no such day
    event = gcp.decode(raw)[0]
    with pytest.raises(EventDecodeError) as info:
        event.time  # noqa: B018
    assert list(info.value.keys) == ["time"]
    raw["context"]["timestamp"] = "yesterday"  # not a timestamp at all: at decode
    with pytest.raises(EventDecodeError):
        gcp.decode(raw)


def test_azure_view_reads_like_the_eager_request_and_its_url_fields_can_be_set() -> None:
    func = pytest.importorskip("azure.functions")
    from adapters import azure

    raw = func.HttpRequest(method="post", url="https://app.azurewebsites.net/api/orders/7?a=1&a=2",
                           headers={"Content-Type": "application/json",
                                    "X-Forwarded-For": "203.0.113.9:5000"},
                           params={"a": "2"}, route_params={"id": "7"}, body=b'{"n": 1}')
    view = azure.decode(raw)[0]
    assert type(view).__name__ == "AzureRequest"
    eager = HTTPRequest(method="POST", path="/orders/7",
                        headers=Headers({"content-type": "application/json",
                                         "x-forwarded-for": "203.0.113.9:5000"}),
                        query=Query(pairs=[("a", "1"), ("a", "2")]), body=b'{"n": 1}',
                        path_params={"id": "7"}, source_ip="203.0.113.9", provider="azure",
                        trigger="azure.http", source="app.azurewebsites.net",
                        subject="/orders/7", raw=raw)
    for name in FIELDS:
        assert getattr(view, name) == getattr(eager, name), name
    assert view.query.get_all("a") == ["1", "2"]
    assert view.to_dict() == eager.to_dict()
    fresh = azure.decode(raw)[0]
    fresh.subject = "orders"
    fresh.source = "elsewhere"
    assert (fresh.path, fresh.subject, fresh.source) == ("/orders/7", "orders", "elsewhere")
    fresh.path = "/x"
    assert (fresh.path, fresh.query.get("a")) == ("/x", "1")


def test_http_fields_stay_settable_on_views_and_eager_requests() -> None:
    func = pytest.importorskip("azure.functions")
    from adapters import azure

    azure_request = func.HttpRequest(method="GET", url="https://h/api/x", headers={},
                                     params={}, route_params={}, body=b"")
    for request in (aws.decode(_v2())[0], azure.decode(azure_request)[0],
                    HTTPRequest(method="GET", path="/", provider="p", trigger="t")):
        request.headers = Headers({"X-A": "1"})
        request.query = Query({"q": "2"})
        request.source_ip = "192.0.2.1"
        assert (request.headers.get("x-a"), request.query.get("q"), request.source_ip) == (
            "1", "2", "192.0.2.1")
