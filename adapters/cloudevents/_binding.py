"""The CloudEvents HTTP binding: binary, structured and batched modes, and replies.

Spec: https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/http-protocol-binding.md
An incoming request is an :class:`HTTPMessage` (headers and body, nothing
framework-specific), so WSGI, ASGI and other adapters share one parser.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
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


class HTTPMessage:
    """An HTTP request as received: case-insensitive ``headers``, ``body`` bytes.

    Read-only by convention. :meth:`from_environ` reads a WSGI environ where it
    is: the few headers decoding needs are looked up in it, and ``headers`` is
    built only when something reads it (the handler, through ``event.raw``).
    """

    __slots__ = ("_environ", "_headers", "body", "method")

    def __init__(self, headers: HeaderInput, body: bytes | str = b"",
                 method: str = "POST") -> None:
        if not isinstance(headers, Headers):
            headers = (Headers(headers) if isinstance(headers, Mapping)
                       else Headers(pairs=list(headers)))
        self._headers: Headers | None = headers
        self._environ: Mapping[str, Any] | None = None
        self.body: bytes = body.encode("utf-8") if isinstance(body, str) else body
        self.method: str = method.upper()

    @classmethod
    def from_environ(cls, environ: Mapping[str, Any], body: bytes) -> HTTPMessage:
        """The request a WSGI environ (PEP 3333) describes, with its body read."""
        message = cls.__new__(cls)
        message._headers = None
        message._environ = environ
        message.body = body
        message.method = (environ.get("REQUEST_METHOD") or "GET").upper()
        return message

    @property
    def headers(self) -> Headers:
        headers = self._headers
        if headers is None:
            headers = self._headers = Headers(pairs=_environ_pairs(self._environ or {}))
        return headers

    def header(self, name: str) -> str | None:
        """The first value of the header ``name`` (lower case), ``None`` if absent."""
        environ = self._environ
        if environ is None or self._headers is not None:
            return self.headers.get(name)
        key = _ENVIRON_KEYS.get(name)
        value = environ.get(key or "HTTP_" + name.upper().replace("-", "_"))
        if value is None or (key is not None and not value):  # an empty CONTENT_TYPE: none
            return None
        return str(value)

    def ce_headers(self) -> dict[str, str]:
        """The ``ce-*`` headers by attribute name (``ce-id`` -> ``id``), as sent."""
        return self._ce_headers(decode=False)

    def ce_attributes(self) -> dict[str, str]:
        """:meth:`ce_headers` percent-decoded (3.1.3.2): binary mode's attributes, in
        one pass over the headers (the environ's keys when from a WSGI environ)."""
        return self._ce_headers(decode=True)

    def _ce_headers(self, decode: bool) -> dict[str, str]:
        environ = self._environ
        found: dict[str, str] = {}
        if environ is None or self._headers is not None:
            headers = self.headers
            for name in headers:
                if name.startswith("ce-") and len(name) > 3:
                    found[name[3:]] = _unquoted(headers[name]) if decode else headers[name]
            return found
        # What ``headers`` would hold: HTTP_CE_ID is ce-id (the server upper-cases the
        # name and turns "-" into "_", PEP 3333 after CGI; some keep the "-").
        for key, value in environ.items():
            if key.startswith(_CE_KEYS) and len(key) > 8:
                text = str(value)
                found[key[8:].replace("_", "-").lower()] = (
                    _unquoted(text) if decode and "%" in text else text)
        return found

    @property
    def media_type(self) -> str:
        """The Content-Type without parameters, lower-case (``""`` when absent)."""
        return (self.header("content-type") or "").split(";", 1)[0].strip().lower()

    def __repr__(self) -> str:  # the body stays out of logs
        return f"HTTPMessage(method={self.method!r}, headers={dict(self.headers.items())!r})"


_CE_KEYS = ("HTTP_CE_", "HTTP_CE-")
#: Headers a WSGI environ holds without the ``HTTP_`` prefix (PEP 3333).
_ENVIRON_KEYS = {"content-type": "CONTENT_TYPE", "content-length": "CONTENT_LENGTH"}


def _unquoted(value: str) -> str:
    """A header value percent-decoded (3.1.3.2)."""
    if "%" not in value:
        return value
    from urllib.parse import unquote

    return unquote(value)


def _environ_pairs(environ: Mapping[str, Any]) -> list[tuple[str, str]]:
    headers = [(key[5:].replace("_", "-").lower(), str(value))
               for key, value in environ.items() if key.startswith("HTTP_")]
    for name, key in _ENVIRON_KEYS.items():
        if environ.get(key):
            headers.append((name, str(environ[key])))
    return headers


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
    if message.header("ce-specversion") is not None:
        return [from_binary(message, provider=provider, trigger=trigger, where=where)]
    raise EventDecodeError(where, f"not a CloudEvent: no ce-specversion header and the "
                           f"content type is neither {STRUCTURED} nor {BATCH}",
                           keys=["ce-specversion", "content-type"])


def from_binary(message: HTTPMessage, *, provider: str, trigger: str, where: str
                ) -> CloudEventParts:
    """Binary mode: ``ce-*`` headers are the attributes, the body is the data
    (header values percent-decoded, 3.1.3.2)."""
    attributes: dict[str, Any] = message.ce_attributes()
    content_type = message.header("content-type")
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
