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


def is_binary_type(content_type: str | None) -> bool:
    """Content types that declare bytes, never text."""
    if not content_type:
        return False
    mime = content_type.split(";", 1)[0].strip().lower()
    return mime in _BINARY_TYPES or mime.startswith(_BINARY_FAMILIES)


def is_json_type(content_type: str | None) -> bool:
    """``application/json``, ``text/json`` and any ``+json`` suffix type."""
    if not content_type:
        return False
    mime = content_type.split(";", 1)[0].strip().lower()
    return mime.endswith("/json") or mime.endswith("+json")


def decode_payload(payload: bytes | str, content_type: str | None = None) -> Any:
    """Apply the decoding rule to a payload.

    A payload that is declared JSON but does not parse is returned as text (or
    bytes): the declaration is a hint, and losing the payload would be worse.
    """
    declared = is_json_type(content_type)
    if isinstance(payload, bytes):
        stripped = payload.lstrip()
        if declared or (stripped[:1] and stripped[0] in _JSON_START):
            try:
                return loads(payload)
            except ValueError:
                pass
        if is_binary_type(content_type):
            return payload
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            return payload
    stripped_s = payload.lstrip()
    if declared or stripped_s[:1] in ("{", "["):
        try:
            return loads(payload)
        except ValueError:
            pass
    return payload
