"""The one decoding rule for event data, shared by every adapter.

``data`` is a JSON object or array when the payload parses as one (or its content
type says JSON), else text when it is valid UTF-8, else bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeAlias

__all__ = ["Payload", "decode_payload", "is_json_type"]

#: What an adapter hands to an event: the payload itself, or a zero-argument
#: callable that produces it (base64 bodies are decoded only when read).
Payload: TypeAlias = "bytes | str | Callable[[], bytes | str]"

_JSON_START = frozenset(b"{[")


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
                return json.loads(payload)
            except ValueError:
                pass
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            return payload
    stripped_s = payload.lstrip()
    if declared or stripped_s[:1] in ("{", "["):
        try:
            return json.loads(payload)
        except ValueError:
            pass
    return payload
