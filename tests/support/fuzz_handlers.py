"""Handlers the fuzz suite runs through every entry point (and `polyfn invoke`).

Each reads everything an event exposes (its JSON form: data, time, the kind's
fields; an HTTP request's headers, query, cookies and body) and fails nowhere
else. What reading raises is either a polyfn error (a malformed field: the
provider answers it as bad input) or an *escape*: any other exception, recorded
in :data:`ESCAPES` before it propagates, so the suite sees it even where a batch
runner turns it into a record failure.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

import sdk
from sdk import Event, HTTPRequest, Message
from sdk.errors import PolyfnError

__all__ = ["ESCAPES", "Order", "batch", "http", "model", "touch", "untyped"]

#: Exceptions that reading an event raised and that are not polyfn errors.
ESCAPES: list[BaseException] = []


class Order(BaseModel):
    id: int
    note: str | None = None


def touch(event: Event[Any]) -> None:
    """Read every lazily decoded field; record anything but a polyfn error."""
    try:
        event.to_dict()
        if isinstance(event, HTTPRequest):
            event.headers.get_all("content-type")
            event.query.get_all("x")
            _ = event.cookies, event.body, event.text()
    except PolyfnError:
        raise
    except Exception as exc:
        ESCAPES.append(exc)
        raise


@sdk.function
def untyped(event: Any) -> None:
    touch(event)


@sdk.function
def model(message: Message[Order]) -> None:
    touch(message)


@sdk.function
def batch(messages: list[Message]) -> None:
    for message in messages:
        touch(message)


@sdk.function
def http(request: HTTPRequest) -> dict[str, Any]:
    touch(request)
    return {"ok": True}


HANDLERS = {"untyped": untyped, "model": model, "batch": batch, "http": http}
