"""A handler's result as stored JSON text, and back.

* HTTP: the response as rendered (status, headers, cookies, body: text, or
  base64 when binary), replayed as the same rendered response. A 5xx response
  is a failure: it is not stored, so the retry runs.
* ``list[...]`` handlers: ``None`` (every event handled) is stored; a result
  naming failed events is a failure, not stored, so their redelivery runs.
* Everything else: the result's JSON form (pydantic models dumped, datetimes as
  ISO text, Decimals as numbers), replayed as that JSON value. A result with no
  JSON form raises :class:`~sdk.errors.ResponseEncodeError`.
"""

from __future__ import annotations

from typing import Any

from .._http import HTTPRequest
from .._jsonform import body_fields, dumps, loads
from .._response import Rendered, render
from ..errors import ResponseEncodeError

__all__ = ["NOT_STORED", "decode", "encode"]

#: ``encode``'s answer for a result that means failure.
NOT_STORED: None = None


def encode(result: Any, event: Any) -> str | None:
    """The JSON text to store for ``result``, or ``None`` when it must not be stored."""
    if isinstance(event, HTTPRequest):
        return _encode_http(render(result, event.trigger))
    if isinstance(event, list):
        return "null" if result is None else NOT_STORED
    try:
        text: str = dumps(result)
    except (TypeError, ValueError) as exc:
        trigger = getattr(event, "trigger", "?")
        raise ResponseEncodeError(trigger, "an idempotent handler's result is stored as "
                                  f"JSON, and a {type(result).__name__} has no JSON form: "
                                  f"{exc}") from None
    return text


def _encode_http(rendered: Rendered) -> str | None:
    if rendered.status >= 500:
        return NOT_STORED
    doc: dict[str, Any] = {"status": rendered.status, "headers": rendered.headers,
                           "cookies": rendered.cookies}
    doc.update(body_fields(rendered.body, rendered.text()))
    return dumps(doc)


def decode(text: str, event: Any) -> Any:
    """The stored result, as the handler's caller gets it on a replay."""
    value = loads(text)
    if not isinstance(event, HTTPRequest):
        return value
    headers = [(str(name), str(item)) for name, item in value["headers"]]
    if "body" in value:
        return Rendered(value["status"], headers, list(value["cookies"]), None, value["body"])
    import base64

    return Rendered(value["status"], headers, list(value["cookies"]),
                    base64.b64decode(value["body_base64"]))
