"""The CloudEvents HTTP binding: binary, structured and batched modes, and replies.

Spec: https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/http-protocol-binding.md
An incoming request is an :class:`HTTPMessage` (headers and body, nothing
framework-specific), so WSGI, ASGI and other adapters share one parser.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from adapters._base64 import b64_bytes
from sdk import Headers
from sdk.adapter import Rendered, dumps
from sdk.errors import EventDecodeError

from ._structured import check_attributes, from_structured
from ._types import CloudEventParts

__all__ = ["BATCH", "STRUCTURED", "HTTPMessage", "binary_reply", "parse_http"]

STRUCTURED = "application/cloudevents+json"
BATCH = "application/cloudevents-batch+json"

HeaderInput = Headers | Mapping[str, str] | Iterable[tuple[str, str]]

# Header values: printable ASCII except space, '"' and '%' travel as they are (3.1.3.2).
_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '"%')


@dataclass(frozen=True, init=False)
class HTTPMessage:
    """An HTTP request as received: case-insensitive ``headers``, ``body`` bytes."""

    headers: Headers
    body: bytes = field(repr=False)  # payloads stay out of logs
    method: str = "POST"

    def __init__(self, headers: HeaderInput, body: bytes | str = b"",
                 method: str = "POST") -> None:
        if not isinstance(headers, Headers):
            headers = (Headers(headers) if isinstance(headers, Mapping)
                       else Headers(pairs=list(headers)))
        object.__setattr__(self, "headers", headers)
        object.__setattr__(self, "body", body.encode("utf-8") if isinstance(body, str) else body)
        object.__setattr__(self, "method", method.upper())

    @property
    def media_type(self) -> str:
        """The Content-Type without parameters, lower-case (``""`` when absent)."""
        return (self.headers.get("content-type") or "").split(";", 1)[0].strip().lower()


def parse_http(message: HTTPMessage, *, provider: str, trigger: str, where: str
               ) -> list[CloudEventParts]:
    """The CloudEvents in a request: one (binary or structured mode) or a batch."""
    media = message.media_type
    if media == STRUCTURED:
        return [from_structured(_json(message.body, where), provider=provider,
                                trigger=trigger, where=where)]
    if media == BATCH:
        batch = _json(message.body, where)
        if not isinstance(batch, list):
            raise EventDecodeError(where, "a CloudEvents batch is a JSON array")
        return [from_structured(item, provider=provider, trigger=trigger, where=where)
                for item in batch]
    if "ce-specversion" in message.headers:
        return [from_binary(message, provider=provider, trigger=trigger, where=where)]
    raise EventDecodeError(where, f"not a CloudEvent: no ce-specversion header and the "
                           f"content type is neither {STRUCTURED} nor {BATCH}",
                           keys=["ce-specversion", "content-type"])


def from_binary(message: HTTPMessage, *, provider: str, trigger: str, where: str
                ) -> CloudEventParts:
    """Binary mode: ``ce-*`` headers are the attributes, the body is the data
    (header values percent-decoded, 3.1.3.2)."""
    from urllib.parse import unquote

    attributes: dict[str, Any] = {
        name[3:]: unquote(value) for name, value in message.headers.items()
        if name.startswith("ce-") and len(name) > 3
    }
    content_type = message.headers.get("content-type")
    if content_type:
        attributes["datacontenttype"] = content_type
    time = check_attributes(attributes, where)
    return CloudEventParts(attributes, provider=provider, trigger=trigger, raw=message,
                           time=time, payload=message.body if message.body else None)


def _json(body: bytes, where: str) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        raise EventDecodeError(where, "the body is not valid JSON", keys=["body"]) from None


def binary_reply(cloudevent: Mapping[str, Any], status: int = 200) -> Rendered:
    """A CloudEvent (structured JSON dict) as a binary-mode HTTP response."""
    from urllib.parse import quote

    headers: list[tuple[str, str]] = []
    for name, value in cloudevent.items():
        if name not in ("data", "data_base64", "datacontenttype"):
            headers.append((f"ce-{name}", quote(str(value), safe=_SAFE)))
    content_type = cloudevent.get("datacontenttype")
    if "data_base64" in cloudevent:
        body = b64_bytes(cloudevent["data_base64"])
        content_type = content_type or "application/octet-stream"
    elif "data" in cloudevent:
        data = cloudevent["data"]
        if isinstance(data, str) and not (content_type and "json" in content_type):
            body = data.encode("utf-8")
            content_type = content_type or "text/plain; charset=utf-8"
        else:
            body = dumps(data).encode("utf-8")
            content_type = content_type or "application/json"
    else:
        body = b""
    if content_type:
        headers.append(("Content-Type", content_type))
    return Rendered(status, headers, [], body)
