"""Idempotency keys: the default per kind, selectors, hashing under the function name."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import Any

import pytest
from pydantic import BaseModel

import sdk
from adapters.aws import decode as aws_decode
from sdk import Change, Event, HTTPRequest, IdempotencyKeyError, Message, Schedule
from sdk._idempotency._keys import default_key, digest, fingerprint, selector
from sdk.idempotency import MemoryStore

from ._events import http_request, sqs_event, sqs_record

WHEN = datetime(2024, 3, 1, 12, 0, tzinfo=timezone.utc)


class Order(BaseModel):
    order_id: int


def test_a_message_is_its_id_source_and_queue() -> None:
    (event,) = aws_decode(sqs_event(sqs_record("m-1", {"a": 1})))
    assert default_key(event) == f"message\x1fm-1\x1f{event.source}\x1forders"
    other = Message(provider="gcp", trigger="gcp.pubsub", id="m-1", source="//pubsub/t",
                    topic="t")
    assert default_key(other) != default_key(event)


def test_a_schedule_is_its_name_and_scheduled_time_when_known() -> None:
    timed = Schedule(schedule="nightly", scheduled_time=WHEN, provider="aws",
                     trigger="aws.events.scheduled", id="e-1", source="aws.events")
    assert default_key(timed) == f"schedule\x1fnightly\x1f{WHEN.isoformat()}"
    # An Azure timer says no scheduled time: the event id is all there is.
    untimed = Schedule(provider="azure", trigger="azure.timer", id="t-1", source="timer")
    assert default_key(untimed) == "event\x1ft-1\x1ftimer"


def test_a_change_is_its_id_or_else_its_document_version() -> None:
    stream = Change(operation="insert", table="orders", keys={"id": 1}, provider="aws",
                    trigger="aws.dynamodb", id="ev-1", source="arn:stream")
    assert default_key(stream) == "event\x1fev-1\x1farn:stream"
    cosmos = Change(operation="upsert", keys={"id": "d1"}, provider="azure",
                    trigger="azure.cosmosdb", attributes={"etag": '"0a00"'})
    assert default_key(cosmos) == 'change\x1f\x1f{"id":"d1"}\x1f"0a00"'
    assert default_key(Change(operation="upsert", provider="azure",
                              trigger="azure.cosmosdb")) is None


def test_an_event_is_its_id_and_source_and_http_has_no_default() -> None:
    event = Event(provider="cloudevents", trigger="cloudevents", id="ce-1", source="/s")
    assert default_key(event) == "event\x1fce-1\x1f/s"
    (request,) = aws_decode(http_request({"a": 1}))
    assert default_key(request) is None


def test_selectors_walk_mappings_headers_lists_models_and_methods() -> None:
    (request,) = aws_decode(http_request({"items": [{"sku": "A"}, {"sku": "B"}]},
                                         {"Idempotency-Key": "abc"}))
    assert isinstance(request, HTTPRequest)
    assert selector("headers.idempotency-key")(request) == "abc"
    assert selector("headers.IDEMPOTENCY-KEY")(request) == "abc"
    assert selector("json.items.1.sku")(request) == "B"
    assert selector("data.items.0.sku")(request) == "A"
    assert selector("data.items.7.sku")(request) is None
    assert selector("data.missing.deeper")(request) is None
    assert selector("method")(request) == "POST"
    typed = Message(provider="local", trigger="t", data=Order(order_id=9))
    assert selector("data.order_id")(typed) == 9


def test_the_key_is_the_function_name_and_a_sha256_of_the_value() -> None:
    key = digest("orders.handle", ("message", "m-1", None, "q"), "t", "the default key")
    prefix, _, hashed = key.partition("#")
    assert prefix == "orders.handle"
    assert hashed == hashlib.sha256(b"message\x1fm-1\x1f\x1fq").hexdigest()
    assert digest("a", 7, "t", "s") != digest("b", 7, "t", "s")
    assert digest("a", 7, "t", "s") == digest("a", "7", "t", "s")  # JSON text of a number
    with pytest.raises(IdempotencyKeyError):
        digest("a", None, "t", "s")
    with pytest.raises(IdempotencyKeyError):
        digest("a", "", "t", "s")


def test_the_key_prefix_defaults_to_module_and_qualname() -> None:
    store = MemoryStore()

    @sdk.idempotent(store=store)
    def handle(event: Message[Any]) -> None: ...

    sdk.function(handle).call(Message(provider="local", trigger="t", id="1", payload="x"),
                              sdk.Context(provider="local"))
    (key,) = store._records
    assert key.startswith(f"{__name__}.test_the_key_prefix_defaults_to_module_and_qualname."
                          "<locals>.handle#")


def test_fingerprints_cover_the_payload_and_for_http_the_route() -> None:
    (a,) = aws_decode(http_request({"x": 1}))
    (b,) = aws_decode(http_request({"x": 1}, path="/other"))
    (c,) = aws_decode(http_request({"x": 2}))
    assert len({fingerprint(a, None), fingerprint(b, None), fingerprint(c, None)}) == 3
    stream = Change(operation="insert", new={"id": 1}, provider="aws", trigger="aws.dynamodb")
    changed = Change(operation="insert", new={"id": 2}, provider="aws", trigger="aws.dynamodb")
    assert fingerprint(stream, None) != fingerprint(changed, None)


@pytest.mark.parametrize("text", ["plain", "caf\u00e9 \u2603", "lone \ud800 surrogate"])
def test_keys_and_payload_hashes_are_the_sha256_of_the_utf8_text(text: str) -> None:
    # The bytes hashed are UTF-8 with lone surrogates passed through, so stored
    # keys and payload hashes stay what earlier versions wrote.
    utf8 = text.encode("utf-8", "surrogatepass")
    store = MemoryStore()

    @sdk.idempotent(store=store, name="orders.handle")
    def handle(event: Message[Any]) -> None: ...

    event = Message(provider="local", trigger="t", id=text, source="s", queue="q",
                    payload=text)
    sdk.function(handle).call(event, sdk.Context(provider="local"))
    ((key, record),) = store._records.items()
    expected = f"message\x1f{text}\x1fs\x1fq".encode("utf-8", "surrogatepass")
    assert key == f"orders.handle#{hashlib.sha256(expected).hexdigest()}"
    assert record.payload_hash == hashlib.sha256(utf8).hexdigest()
