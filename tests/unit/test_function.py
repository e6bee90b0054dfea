"""@sdk.function: what a handler takes is learnt once, at decoration time."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import pytest
from pydantic import BaseModel

import sdk
from sdk import (
    Change,
    ConfigurationError,
    Context,
    DataValidationError,
    Event,
    HTTPRequest,
    Message,
)


class Order(BaseModel):
    id: int
    qty: int = 1


CTX = Context(provider="local", request_id="r-1")


def _msg(payload: str | bytes = '{"id": 7}', trigger: str = "aws.sqs") -> Message[Any]:
    return Message(provider="aws", trigger=trigger, id="m-1", payload=payload)


def test_untyped_handler_takes_any_event() -> None:
    @sdk.function
    def handle(event):  # type: ignore[no-untyped-def]
        return event.kind

    assert handle.kind is Event and handle.validator is None and not handle.takes_context
    assert handle.call(_msg(), CTX) == "message"
    assert handle(_msg()) == "message"  # still callable as the plain function


def test_kind_and_context_are_read_from_the_signature() -> None:
    @sdk.function
    def handle(event: Message, context: Context) -> str:
        return context.request_id or ""

    assert handle.kind is Message and handle.takes_context
    assert handle.call(_msg(), CTX) == "r-1"


def test_model_validates_from_the_raw_json_payload() -> None:
    @sdk.function
    def handle(event: Message[Order]) -> Order:
        return event.data

    assert handle.validator is not None
    assert handle.call(_msg(b'{"id": 7, "qty": 3}'), CTX) == Order(id=7, qty=3)


def test_model_validates_already_decoded_data() -> None:
    @sdk.function
    def handle(event: Event[Order]) -> Order:
        return event.data

    event: Event[Any] = Event(provider="gcp", trigger="gcp.x", data={"id": 1})
    assert handle.call(event, CTX) == Order(id=1)


def test_validation_error_lists_locations_not_values() -> None:
    @sdk.function
    def handle(event: Message[Order]) -> None:
        raise AssertionError("not reached")

    with pytest.raises(DataValidationError) as info:
        handle.call(_msg('{"id": "secret-value"}'), CTX)
    err = info.value
    assert not err.unparseable
    assert err.keys == ("id",)
    assert "secret-value" not in str(err) and "secret-value" not in repr(err.errors)
    assert err.errors[0]["type"] == "int_parsing"


def test_unparseable_json_is_flagged() -> None:
    @sdk.function
    def handle(event: Message[Order]) -> None:
        raise AssertionError("not reached")

    with pytest.raises(DataValidationError) as info:
        handle.call(_msg("{oops"), CTX)
    assert info.value.unparseable


def test_str_model_takes_text_payload_as_text() -> None:
    @sdk.function
    def handle(event: Message[str]) -> str:
        return event.data

    assert handle.call(_msg("plain words"), CTX) == "plain words"


def test_non_basemodel_models_use_a_type_adapter() -> None:
    @sdk.function
    def handle(event: Message[list[int]]) -> list[int]:
        return event.data

    assert handle.call(_msg("[1, 2]"), CTX) == [1, 2]


def test_change_validates_old_and_new() -> None:
    @sdk.function
    def handle(event: Change[Order]) -> tuple[Any, Any, Any]:
        return event.old, event.new, event.data

    change: Change[Any] = Change(provider="aws", trigger="aws.dynamodb.stream",
                                 operation="update", old={"id": 1}, new={"id": 1, "qty": 2})
    old, new, data = handle.call(change, CTX)
    assert old == Order(id=1) and new == Order(id=1, qty=2) and data == new


def test_batch_annotation() -> None:
    @sdk.function
    def handle(events: list[Message[Order]]) -> None:
        return None

    assert handle.batch and handle.kind is Message and handle.validator is not None


def test_wrong_kind_is_a_configuration_error() -> None:
    @sdk.function
    def handle(request: HTTPRequest) -> None:
        return None

    with pytest.raises(ConfigurationError, match=r"takes http events, but aws\.sqs delivers "
                                                 r"message events"):
        handle.call(_msg(), CTX)


def test_async_handler_runs() -> None:
    @sdk.function
    async def handle(event: Message) -> Any:
        await asyncio.sleep(0)
        return event.data

    assert handle.is_async
    assert handle.call(_msg(), CTX) == {"id": 7}


@pytest.mark.parametrize(
    "source",
    [
        "def h(): pass",
        "def h(a, b, c): pass",
        "def h(event: int): pass",
        "def h(event: 'Nope'): pass",
    ],
)
def test_bad_signatures_fail_at_decoration(source: str) -> None:
    namespace: dict[str, Any] = {}
    exec(source, namespace)
    with pytest.raises(ConfigurationError):
        sdk.function(namespace["h"])


def test_decorating_twice_is_harmless() -> None:
    @sdk.function
    def handle(event: Message) -> None:
        return None

    again = sdk.function(handle)
    assert again.fn is handle.fn


def test_a_model_completed_after_decoration_validates() -> None:
    """A model with an unresolved forward reference keeps pydantic's methods, which
    complete it on first use; a complete one is validated by its schema directly,
    with the same result and the same errors."""
    from sdk._validator import Validator

    class Later(BaseModel):
        item: Item  # defined below, after the validator is built

    assert not Later.__pydantic_complete__
    late = Validator(Later)

    class Item(BaseModel):
        n: int

    Later.model_rebuild(_types_namespace={"Item": Item})
    event = sdk.Message(provider="p", trigger="t", payload=b'{"item": {"n": 2}}')
    assert late.validate(event) == Later(item=Item(n=2))
    direct = Validator(Item)
    assert direct._json.__self__ is Item.__pydantic_validator__  # type: ignore[attr-defined]
    three = sdk.Message(provider="p", trigger="t", payload='{"n": "3"}')
    assert direct.validate(three) == Item(n=3)
    with pytest.raises(DataValidationError) as info:
        direct.validate(sdk.Message(provider="p", trigger="t", payload='{"n": "x"}'))
    assert info.value.errors[0]["loc"] == ("n",)


def test_handlers_of_one_model_share_its_validator() -> None:
    @sdk.function
    def first(event: Message[Order]) -> Order:
        return event.data

    @sdk.function
    def second(event: Event[Order]) -> Order:
        return event.data

    assert first.validator is not None and first.validator is second.validator
    assert first.call(_msg(b'{"id": 2}'), CTX) == second.call(_msg(b'{"id": 2}'), CTX)


Unhashable = Annotated[int, {"note": "a dict is no dict key"}]


def test_a_model_that_is_no_dict_key_gets_its_own_validator() -> None:
    with pytest.raises(TypeError):
        hash(Unhashable)

    @sdk.function
    def handle(event: Message[Unhashable]) -> int:
        return event.data  # type: ignore[no-any-return]

    assert handle.call(_msg(b"41"), CTX) == 41
