"""The one decoding rule for event data, shared by every adapter.

``data`` is a JSON object or array when the payload parses as one (or its content
type says JSON), else text when it is valid UTF-8, else bytes. A content type that
declares binary data (``application/octet-stream``, protobuf, images, archives...)
keeps bytes that are not a JSON object or array as bytes, even when they happen to
be valid UTF-8 (Cloud Scheduler sends JSON bodies as octet-stream).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

from ._jsonform import loads

__all__ = ["Payload", "decode_payload", "is_binary_type", "is_json_type"]

#: What an adapter hands to an event: the payload itself, or a zero-argument
#: callable that produces it (base64 bodies are decoded only when read).
Payload: TypeAlias = "bytes | str | Callable[[], bytes | str]"

_JSON_START = frozenset(b"{[")
_BINARY_TYPES = ("application/octet-stream", "application/protobuf", "application/x-protobuf",
                 "application/zip", "application/gzip", "application/pdf")
_BINARY_FAMILIES = ("image/", "audio/", "video/")


#: content type -> (declares JSON, declares binary): a delivery's few distinct
#: types, each parsed once (bounded, so hostile variety cannot grow it).
_KNOWN: dict[str, tuple[bool, bool]] = {}
_KNOWN_MAX = 256


def _declares(content_type: str) -> tuple[bool, bool]:
    known = _KNOWN.get(content_type)
    if known is None:
        mime = content_type.split(";", 1)[0].strip().lower()
        known = (mime.endswith(("/json", "+json")),
                 mime in _BINARY_TYPES or mime.startswith(_BINARY_FAMILIES))
        if len(_KNOWN) < _KNOWN_MAX:
            _KNOWN[content_type] = known
    return known


def is_binary_type(content_type: str | None) -> bool:
    """Content types that declare bytes, never text."""
    return _declares(content_type)[1] if content_type else False


def is_json_type(content_type: str | None) -> bool:
    """``application/json``, ``text/json`` and any ``+json`` suffix type."""
    return _declares(content_type)[0] if content_type else False


def decode_payload(payload: bytes | str, content_type: str | None = None) -> Any:
    """Apply the decoding rule to a payload.

    A payload that is declared JSON but does not parse is returned as text (or
    bytes): the declaration is a hint, and losing the payload would be worse.
    """
    declared, binary = _declares(content_type) if content_type else (False, False)
    first = payload[:1]
    if first.isspace():  # only then copy the payload to find its first character
        first = payload.lstrip()[:1]
    if isinstance(payload, bytes):
        if declared or first == b"{" or first == b"[":
            try:
                return loads(payload)
            except ValueError:
                pass
        if binary:
            return payload
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            return payload
    if declared or first == "{" or first == "[":
        try:
            return loads(payload)
        except ValueError:
            pass
    return payload
