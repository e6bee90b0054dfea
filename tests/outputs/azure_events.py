"""Azure Functions inputs from what a real server delivered, built the way the
worker builds them (tests/support/azure_inputs: azure.functions' own converters), and a
polyfn handler under ``adapters.azure.bind`` that records what it is given."""

from __future__ import annotations

import json
from typing import Any

from azure.storage.queue import QueueMessage

from tests.support import azure_inputs as inputs


def capture(arg_name: str = "msg") -> tuple[list[Any], Any]:
    from adapters.azure import bind

    seen: list[Any] = []
    return seen, bind(seen.append, arg_name)


def _text_or_bytes(body: bytes) -> str | bytes:
    """The host passes a UTF-8 body as a string, anything else as bytes."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body


def queue_trigger_input(message: QueueMessage) -> Any:
    """The ``func.QueueMessage`` for one message received from Queue Storage with
    Base64 decoding (what the queue trigger does with ``messageEncoding: base64``)."""
    return inputs.queue_message(
        _text_or_bytes(message.content), id=message.id, dequeue_count=message.dequeue_count,
        insertion_time=message.inserted_on, expiration_time=message.expires_on,
        next_visible_time=message.next_visible_on, pop_receipt=message.pop_receipt)


def eventgrid_trigger_inputs(body: bytes) -> list[Any]:
    """What the worker hands an Event Grid function for a POSTed array: one
    ``func.EventGridEvent`` / ``func.CloudEvent`` per element (the trigger
    converter's output for each event's JSON)."""
    import azure.functions as func

    converter = inputs.converter_for("eventGridTrigger")
    return [converter.decode(func.meta.Datum(json.dumps(item), "json"), trigger_metadata={})
            for item in json.loads(body)]
