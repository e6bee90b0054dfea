"""Google Cloud event entry points called as functions-framework calls them."""

from __future__ import annotations

import asyncio
import base64
import copy
from typing import Any

import flask
import pytest
from cloudevents.http import CloudEvent
from google.cloud.functions.context import Context as LegacyContext
from pydantic import BaseModel

import adapters.gcp as gcp
from adapters.gcp import _context
from sdk import Context, DataValidationError, Event, EventDecodeError, Message

APP = flask.Flask(__name__)
TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def pubsub_event(data: bytes, **extra: Any) -> CloudEvent:
    message = {"data": base64.b64encode(data).decode(), "messageId": "m-1",
               "publishTime": "2024-01-02T03:04:05Z", "attributes": {"a": "1"}}
    return CloudEvent({"id": "ce-1", "source": "//pubsub.googleapis.com/projects/p/topics/t",
                       "type": "google.cloud.pubsub.topic.v1.messagePublished",
                       "traceparent": f"00-{TRACE}-00f067aa0ba902b7-01"},
                      {"message": message, "subscription": "projects/p/subscriptions/s",
                       **extra})


def test_cloudevent_function_context_without_a_request() -> None:
    seen: list[tuple[Event[Any], Context]] = []
    cloud_event = pubsub_event(b'{"n": 1}', deliveryAttempt=5)
    gcp.cloudevent_function(lambda e, c: seen.append((e, c)))(cloud_event)
    ((event, context),) = seen
    assert isinstance(event, Message)
    assert (event.id, event.data, event.raw) == ("m-1", {"n": 1}, cloud_event)
    assert (context.request_id, context.trace_id, context.attempt) == ("ce-1", TRACE, 5)
    assert context.raw is cloud_event


def test_cloudevent_function_context_in_a_request() -> None:
    seen: list[Context] = []
    headers = {"Function-Execution-Id": "exec-3",
               "X-Cloud-Trace-Context": "105445aa7843bc8bf206b12000100000/1;o=1"}
    with APP.test_request_context("/", method="POST", headers=headers):
        gcp.cloudevent_function(lambda e, c: seen.append(c))(pubsub_event(b"x"))
    assert (seen[0].request_id, seen[0].trace_id) == ("exec-3", "105445aa7843bc8bf206b12000100000")
    assert seen[0].attempt is None


def test_generic_cloudevent_native_is_the_cloudevent() -> None:
    cloud_event = CloudEvent({"id": "1", "source": "//x", "type": "com.example.thing",
                              "myext": "v"}, b"\xff\x00")
    (event,) = gcp.decode(cloud_event)
    assert (event.kind, event.trigger, event.provider) == ("event", "gcp.eventarc", "gcp")
    assert (event.data, dict(event.attributes)) == (b"\xff\x00", {"myext": "v"})
    assert event.native is cloud_event


def test_handler_exception_propagates() -> None:
    def fail(message: Message) -> None:
        raise RuntimeError("retry me")

    with pytest.raises(RuntimeError, match="retry me"):
        gcp.cloudevent_function(fail)(pubsub_event(b"x"))


class Order(BaseModel):
    id: int


def test_invalid_data_propagates_for_a_retry() -> None:
    def take(message: Message[Order]) -> None:
        raise AssertionError("not called")

    with pytest.raises(DataValidationError) as excinfo:
        gcp.cloudevent_function(take)(pubsub_event(b'{"id": "x"}'))
    assert excinfo.value.trigger == "gcp.pubsub"


def test_batch_and_async_handlers() -> None:
    batches: list[list[Message]] = []

    def whole(messages: list[Message]) -> Any:
        batches.append(messages)
        return [messages[0]]  # reported failed: the delivery must fail

    with pytest.raises(Exception, match="reported failed"):
        gcp.cloudevent_function(whole)(pubsub_event(b"x"))
    assert [m.data for m in batches[0]] == ["x"]

    seen: list[str] = []

    async def later(message: Message) -> None:
        await asyncio.sleep(0)
        seen.append(message.data)

    gcp.cloudevent_function(later)(pubsub_event(b"y"))
    assert seen == ["y"]


def test_structured_data_base64_is_decoded_when_read() -> None:
    good = {"specversion": "1.0", "id": "1", "source": "//s", "type": "t.x",
            "data_base64": base64.b64encode(b"\xff\x00").decode()}
    (event,) = gcp.decode(good)
    assert event.data == b"\xff\x00"
    (bad,) = gcp.decode({**good, "data_base64": "not base64!"})  # no error yet
    with pytest.raises(EventDecodeError):
        _ = bad.data
    with pytest.raises(EventDecodeError) as excinfo:
        gcp.decode({"specversion": "1.0", "source": "//s", "data": {"secret": 1}})
    assert "id" in str(excinfo.value) and "secret" not in str(excinfo.value)


def test_unknown_legacy_type_is_a_generic_event() -> None:
    raw = {"context": {"eventId": "e-1", "timestamp": "2024-01-02T03:04:05Z",
                       "eventType": "providers/example/eventTypes/thing.happen",
                       "resource": "projects/p/things/t"}, "data": {"k": 1}}
    (event,) = gcp.decode(raw)
    assert (event.kind, event.trigger, event.id) == ("event", "gcp.background", "e-1")
    assert (event.type, event.source, event.data) == (
        "providers/example/eventTypes/thing.happen", "projects/p/things/t", {"k": 1})


def test_legacy_decode_leaves_the_payload_untouched() -> None:
    raw = {"context": {"eventId": "e-2", "timestamp": "2024-01-02T03:04:05Z",
                       "eventType": "google.pubsub.topic.publish",
                       "resource": {"service": "pubsub.googleapis.com",
                                    "name": "projects/p/topics/t"}},
           "data": {"data": base64.b64encode(b"hi").decode(), "attributes": {}}}
    before = copy.deepcopy(raw)
    (first,) = gcp.decode(raw)
    (second,) = gcp.decode(raw)
    assert raw == before
    assert (first.data, second.data, first.id) == ("hi", "hi", "e-2")


def test_background_function_called_directly() -> None:
    seen: list[tuple[Event[Any], Context]] = []
    context = LegacyContext(eventId="e-3", timestamp="2024-01-02T03:04:05Z",
                            eventType="providers/cloud.pubsub/eventTypes/topic.publish",
                            resource="projects/p/topics/t")
    data = {"data": base64.b64encode(b"legacy").decode(), "attributes": {"a": "b"}}
    gcp.background_function(lambda e, c: seen.append((e, c)))(data, context)
    ((event, ctx),) = seen
    assert (event.kind, event.id, event.data, dict(event.attributes)) == (
        "message", "e-3", "legacy", {"a": "b"})
    assert (ctx.request_id, ctx.raw) == ("e-3", context)


def test_cold_start_is_the_first_invocation_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_context.COLD, "cold", True)
    seen: list[bool] = []
    function = gcp.cloudevent_function(lambda e, c: seen.append(c.cold_start))
    function(pubsub_event(b"1"))
    function(pubsub_event(b"2"))
    assert seen == [True, False]
