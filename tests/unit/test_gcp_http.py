"""Google Cloud HTTP functions: real flask requests in, werkzeug responses out."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import flask
import pytest
from pydantic import BaseModel
from werkzeug.wrappers import Response as WerkzeugResponse

import adapters.gcp as gcp
import sdk
from sdk import Context, HTTPRequest, Message, Response, Schedule, UnsupportedEventError
from tests.unit.test_imports import PROVIDER_LIBS, loaded_after

APP = flask.Flask(__name__)


@pytest.fixture
def seen() -> Iterator[list[tuple[Any, Context]]]:
    yield []


def call(handle: Any, *args: Any, **kwargs: Any) -> WerkzeugResponse:
    """Run ``http_function(handle)`` on a real flask request built from the arguments."""
    with APP.test_request_context(*args, **kwargs):
        # functions-framework passes the request object itself, not flask's proxy.
        request = flask.request._get_current_object()  # type: ignore[attr-defined]
        response = gcp.http_function(handle)(request)
        assert isinstance(response, WerkzeugResponse)
        # functions-framework reads the whole body again after the function returns.
        assert len(request.get_data()) == (request.content_length or 0)
        return response


def recorder(seen: list[tuple[Any, Context]], result: Any = None) -> Any:
    def handle(event: Any, context: Context) -> Any:
        seen.append((event, context))
        return result

    return handle


# ------------------------------------------------------------------------- request


def test_request_fields(seen: list[tuple[Any, Context]], monkeypatch: pytest.MonkeyPatch
                        ) -> None:
    monkeypatch.setenv("K_SERVICE", "orders")
    monkeypatch.setenv("K_REVISION", "orders-00007-abc")
    monkeypatch.setenv("FUNCTION_REGION", "europe-west1")
    monkeypatch.setenv("FUNCTION_MEMORY_MB", "512")
    response = call(
        recorder(seen, {"ok": True}), "/orders/7?tag=a&tag=b&empty=&x=%20y", method="PUT",
        headers=[("X-Forwarded-For", "10.0.0.1, 203.0.113.9"), ("Cookie", 'sid=abc; q="a b"'),
                 ("Function-Execution-Id", "exec-1"),
                 ("X-Cloud-Trace-Context", "0af7651916cd43dd8448eb211c80319c/42;o=1"),
                 ("X-Custom", "Wed, 21 Oct 2015 07:28:00 GMT")],
        data=b'{"n": 1}', content_type="application/json")
    assert response.status_code == 200
    assert json.loads(response.get_data()) == {"ok": True}
    ((request, context),) = seen
    assert isinstance(request, HTTPRequest)
    assert (request.provider, request.trigger, request.kind) == ("gcp", "gcp.http", "http")
    assert (request.method, request.path, request.id) == ("PUT", "/orders/7", "exec-1")
    assert request.query.get_all("tag") == ["a", "b"]
    assert (request.query.get("empty"), request.query.get("x")) == ("", " y")
    assert request.headers.get("x-custom") == "Wed, 21 Oct 2015 07:28:00 GMT"  # never split
    assert request.headers.get("CONTENT-TYPE") == "application/json"
    assert request.cookies == {"sid": "abc", "q": "a b"}
    assert request.source_ip == "203.0.113.9"
    assert (request.body, request.data, request.json()) == (b'{"n": 1}', {"n": 1}, {"n": 1})
    assert request.native is request.raw
    assert isinstance(request.raw, flask.Request)
    assert (context.provider, context.request_id) == ("gcp", "exec-1")
    assert context.trace_id == "0af7651916cd43dd8448eb211c80319c"
    assert (context.function_name, context.function_version) == ("orders", "orders-00007-abc")
    assert (context.region, context.memory_mb, context.deadline) == ("europe-west1", 512, None)
    assert context.raw is request.raw


def test_request_defaults(seen: list[tuple[Any, Context]], monkeypatch: pytest.MonkeyPatch
                          ) -> None:
    for name in ("K_SERVICE", "K_REVISION", "FUNCTION_REGION", "FUNCTION_MEMORY_MB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FUNCTION_TARGET", "api")
    call(recorder(seen), "/", environ_base={"REMOTE_ADDR": "198.51.100.4"},
         headers={"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"})
    call(recorder(seen), "/")
    (request, context), (_, second) = seen
    assert (request.method, request.path, request.body, request.data) == ("GET", "/", b"", "")
    assert request.source_ip == "198.51.100.4"
    assert request.id is None and context.request_id is None
    assert context.trace_id == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert (context.function_name, context.function_version, context.region) == ("api", None, None)
    assert second.cold_start is False


def test_binary_body_and_repeated_query(seen: list[tuple[Any, Context]]) -> None:
    payload = b"\x89PNG\r\n\x1a\n\x00\xff"
    call(recorder(seen), "/up?k=1&k=2&k=3", method="POST", data=payload,
         content_type="application/octet-stream")
    ((request, _),) = seen
    assert request.body == payload
    assert request.data == payload  # not UTF-8: bytes, by the common rule
    assert request.query.to_dict() == {"k": ["1", "2", "3"]}
    assert request.to_dict()["body_base64"] == base64.b64encode(payload).decode()


def test_decode_and_detect_a_flask_request() -> None:
    with APP.test_request_context("/p?a=1", method="DELETE"):
        assert gcp.detect(flask.request).name == "gcp.http"
        (request,) = gcp.decode(flask.request)
    assert isinstance(request, HTTPRequest)
    # Wrapped, not copied: nothing is indexed or read until the handler asks.
    assert request.headers._index is None and request.query._index is None
    assert request._body is not None and callable(request._body)
    assert (request.method, request.path, request.query.get("a")) == ("DELETE", "/p", "1")


# ------------------------------------------------------------------------ response


@sdk.function
def rich(request: HTTPRequest) -> Response:
    return Response({"path": request.path}, status=201,
                    headers=[("X-Multi", "a"), ("X-Multi", "b")],
                    cookies=["a=1; Path=/", "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT"])


def test_status_repeated_headers_and_several_cookies() -> None:
    response = call(rich, "/r")
    assert response.status_code == 201
    assert response.headers.getlist("X-Multi") == ["a", "b"]
    assert response.headers.getlist("Set-Cookie") == [
        "a=1; Path=/", "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT"]
    assert response.headers["Content-Type"] == "application/json"
    assert json.loads(response.get_data()) == {"path": "/r"}


def test_binary_response_body() -> None:
    body = bytes(range(256))
    response = call(lambda request: Response(body, content_type="image/png"), "/")
    assert (response.status_code, response.get_data()) == (200, body)
    assert response.headers.getlist("Content-Type") == ["image/png"]


def test_none_is_204_without_content_type() -> None:
    response = call(lambda request: None, "/")
    assert response.status_code == 204
    assert "Content-Type" not in response.headers
    assert response.get_data() == b""


def test_text_response() -> None:
    response = call(lambda request: "héllo", "/")
    assert response.get_data() == "héllo".encode()
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"


# ------------------------------------------------------------------------ problems


class Order(BaseModel):
    id: int
    item: str


@sdk.function
def create(request: HTTPRequest[Order]) -> Response:
    return Response({"id": request.data.id}, status=201)


def problem(response: WerkzeugResponse, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/problem+json"
    doc: dict[str, Any] = json.loads(response.get_data())
    assert doc["status"] == status
    return doc


def test_model_validates_the_body() -> None:
    ok = call(create, "/", method="POST", json={"id": 3, "item": "pen"})
    assert (ok.status_code, json.loads(ok.get_data())) == (201, {"id": 3})
    doc = problem(call(create, "/", method="POST", json={"id": "x", "secret": "s3cr3t"}), 422)
    assert {tuple(e["loc"]) for e in doc["errors"]} == {("id",), ("item",)}
    assert "s3cr3t" not in json.dumps(doc)
    problem(call(create, "/", method="POST", data=b"{not json",
                 content_type="application/json"), 400)


def test_handler_error_is_500_without_detail(capsys: pytest.CaptureFixture[str]) -> None:
    def boom(request: HTTPRequest) -> None:
        raise RuntimeError("secret detail")

    doc = problem(call(boom, "/", headers={"Function-Execution-Id": "exec-9"}), 500)
    assert "secret" not in json.dumps(doc)
    assert "exec-9" in doc["detail"]
    log = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (log["severity"], log["execution_id"]) == ("ERROR", "exec-9")
    assert log["error_message"] == "secret detail"


def test_unreadable_json_is_400() -> None:
    def strict(request: HTTPRequest) -> Any:
        return request.json()

    doc = problem(call(strict, "/", method="POST", data=b"\xff", content_type="text/plain"), 400)
    assert "gcp.http" in doc["detail"]


# ------------------------------------------------------------- Cloud Scheduler


SCHEDULER = {"X-CloudScheduler": "true", "X-CloudScheduler-JobName": "nightly",
             "X-CloudScheduler-ScheduleTime": "2024-05-06T07:08:09.123456789Z",
             "User-Agent": "Google-Cloud-Scheduler", "Function-Execution-Id": "exec-s"}


def test_scheduler_request_to_a_schedule_handler(seen: list[tuple[Any, Context]]) -> None:
    def tick(schedule: Schedule, context: Context) -> None:
        seen.append((schedule, context))

    response = call(tick, "/", method="POST", headers=SCHEDULER, data=b'{"batch": 5}',
                    content_type="application/octet-stream")
    assert response.status_code == 204
    ((event, context),) = seen
    assert isinstance(event, Schedule)
    assert (event.provider, event.trigger, event.kind) == ("gcp", "gcp.scheduler", "schedule")
    assert (event.schedule, event.id, event.past_due) == ("nightly", "exec-s", None)
    assert event.scheduled_time == datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=timezone.utc)
    assert event.data == {"batch": 5}
    assert isinstance(event.native, flask.Request)
    assert context.request_id == "exec-s"


def test_scheduler_without_schedule_time(seen: list[tuple[Any, Context]]) -> None:
    headers = {k: v for k, v in SCHEDULER.items() if k != "X-CloudScheduler-ScheduleTime"}

    def tick(schedule: Schedule, context: Context) -> None:
        seen.append((schedule, context))

    assert call(tick, "/", headers=headers).status_code == 204
    assert seen[0][0].scheduled_time is None  # an every-N job: never the time of receipt


def test_schedule_handler_rejects_other_requests() -> None:
    def tick(schedule: Schedule) -> None:
        raise AssertionError("not called")

    doc = problem(call(tick, "/", method="POST", json={"a": 1}), 400)
    assert "X-CloudScheduler" in doc["detail"]
    bad = {**SCHEDULER, "X-CloudScheduler-ScheduleTime": "yesterday"}
    doc = problem(call(tick, "/", headers=bad), 400)
    assert "X-CloudScheduler-ScheduleTime" in doc["detail"]
    assert "yesterday" not in doc["detail"]


def test_http_handler_gets_the_scheduler_request_as_http(seen: list[tuple[Any, Context]]
                                                         ) -> None:
    call(recorder(seen), "/", headers=SCHEDULER)
    assert isinstance(seen[0][0], HTTPRequest)


# ---------------------------------------------------------------- Pub/Sub push


def push_body(data: bytes, **extra: Any) -> dict[str, Any]:
    return {"message": {"data": base64.b64encode(data).decode(), "attributes": {"k": "v"},
                        "messageId": "m-1", "publishTime": "2024-01-02T03:04:05.678Z"},
            "subscription": "projects/p/subscriptions/s", **extra}


def test_push_to_a_message_handler(seen: list[tuple[Any, Context]]) -> None:
    def consume(message: Message, context: Context) -> None:
        seen.append((message, context))

    response = call(consume, "/projects/p/topics/orders", method="POST",
                    json=push_body(b'{"n": 1}', deliveryAttempt=3))
    assert 200 <= response.status_code < 300  # acknowledged
    ((message, context),) = seen
    assert isinstance(message, Message)
    assert (message.provider, message.kind, message.id) == ("gcp", "message", "m-1")
    assert message.type == "google.cloud.pubsub.topic.v1.messagePublished"
    assert message.source == "//pubsub.googleapis.com/projects/p/topics/orders"
    assert message.data == {"n": 1}
    assert dict(message.attributes) == {"k": "v", "subscription": "projects/p/subscriptions/s"}
    assert (message.topic, message.queue, message.delivery_count) == ("orders", "s", 3)
    assert message.time == datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=timezone.utc)
    assert context.attempt == 3


def test_failed_push_is_not_acknowledged(seen: list[tuple[Any, Context]]) -> None:
    def consume(message: Message, context: Context) -> None:
        seen.append((message, context))
        raise RuntimeError("try again")

    problem(call(consume, "/", method="POST", json=push_body(b"x")), 500)
    assert seen[0][0].data == "x"  # the handler ran and failed: Pub/Sub redelivers


def test_message_handler_rejects_other_bodies() -> None:
    def consume(message: Message) -> None:
        raise AssertionError("not called")

    doc = problem(call(consume, "/", method="POST", json={"password": "hunter2"}), 400)
    assert "password" in doc["detail"] and "hunter2" not in doc["detail"]
    problem(call(consume, "/", method="POST", data=b"nope", content_type="text/plain"), 400)


def test_http_handler_gets_a_push_as_http(seen: list[tuple[Any, Context]]) -> None:
    call(recorder(seen), "/", method="POST", json=push_body(b"x"))
    assert isinstance(seen[0][0], HTTPRequest)


# ----------------------------------------------------------------------- module


def test_unsupported_payload_names_keys_not_values() -> None:
    with pytest.raises(UnsupportedEventError) as excinfo:
        gcp.detect({"password": "hunter2", "user": "u"})
    assert "gcp" in str(excinfo.value) and "password" in str(excinfo.value)
    assert "hunter2" not in str(excinfo.value)


def test_every_trigger_has_a_unique_dotted_name() -> None:
    names = [trigger.name for trigger in gcp.TRIGGERS]
    assert len(set(names)) == len(names)
    assert all(name.startswith("gcp.") and name == name.lower() for name in names)


def test_exported_members() -> None:
    assert {"TRIGGERS", "background_function", "cloudevent_function", "decode", "detect",
            "http_function"} <= set(gcp.__all__)
    for name in gcp.__all__:
        assert getattr(gcp, name) is not None


@pytest.mark.parametrize("call_code", [
    "", "adapters.gcp.http_function(lambda request: None)",
    "adapters.gcp.cloudevent_function(lambda event: None)",
    "adapters.gcp.background_function(lambda event: None)",
])
def test_import_adapters_gcp_stays_light(call_code: str) -> None:
    loaded = loaded_after(f"import adapters.gcp\n{call_code}")
    assert not loaded & (PROVIDER_LIBS | {"pydantic", "pydantic_core"})
