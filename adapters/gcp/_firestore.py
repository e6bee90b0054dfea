"""Firestore ``Value``s -> plain Python, and ``DocumentEventData`` protobuf -> JSON.

Value: https://github.com/googleapis/google-cloudevents/blob/main/proto/google/events/cloud/firestore/v1/data.proto
(one of the ``*Value`` fields is set). In JSON, ``integerValue`` is a string (int64),
``bytesValue`` base64, ``timestampValue`` RFC 3339, ``doubleValue`` a number or
``"NaN"``/``"Infinity"``. The protobuf is turned into that same JSON form, so one
decoder serves both.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

from adapters._base64 import b64_bytes
from adapters._time import parse_time
from sdk.errors import EventDecodeError

__all__ = [
    "VALUE_DECODERS", "decode_fields", "decode_value", "document_event_json", "document_fields",
]


class _BadValue(ValueError):
    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


def _geo_point(value: Any) -> dict[str, float]:
    # Proto3 JSON leaves out zero coordinates.
    return {"latitude": float(value.get("latitude", 0.0)),
            "longitude": float(value.get("longitude", 0.0))}


def _bytes(value: Any) -> bytes:
    return b64_bytes(value)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("booleanValue is not a boolean")
    return value


#: Value field -> how its JSON form becomes a Python value (arrays and maps recurse).
VALUE_DECODERS: dict[str, Callable[[Any], Any]] = {
    "nullValue": lambda value: None,
    "booleanValue": _boolean,
    "integerValue": int,
    "doubleValue": float,
    "timestampValue": parse_time,
    "stringValue": str,
    "bytesValue": _bytes,
    "referenceValue": str,
    "geoPointValue": _geo_point,
}


def decode_value(value: Mapping[str, Any], path: str = "value") -> Any:
    """One Firestore ``Value`` (JSON form) as plain Python."""
    if not isinstance(value, Mapping):
        raise _BadValue(path)
    for kind, inner in value.items():
        if kind == "mapValue":
            return decode_fields((inner or {}).get("fields") or {}, path)
        if kind == "arrayValue":
            items = (inner or {}).get("values") or []
            return [decode_value(item, f"{path}.{index}") for index, item in enumerate(items)]
        decoder = VALUE_DECODERS.get(kind)
        if decoder is not None:
            try:
                return decoder(inner)
            except (TypeError, ValueError, AttributeError):
                raise _BadValue(f"{path}.{kind}") from None
    if value:
        raise _BadValue(path)
    return None  # an empty Value: nothing set


def decode_fields(fields: Mapping[str, Any], path: str = "fields") -> dict[str, Any]:
    """A document's (or map's) ``fields`` as a plain dict."""
    if not isinstance(fields, Mapping):
        raise _BadValue(path)
    return {name: decode_value(value, f"{path}.{name}") for name, value in fields.items()}


def document_fields(document: Mapping[str, Any] | None, trigger: str, key: str
                    ) -> dict[str, Any] | None:
    """A ``Document``'s fields decoded; ``None`` when there is no document."""
    if not document:
        return None
    try:
        return decode_fields(document.get("fields") or {}, f"{key}.fields")
    except _BadValue as exc:
        # The path names document fields (keys), never their values.
        raise EventDecodeError(trigger, "a Firestore value cannot be decoded",
                               keys=[exc.path]) from None


def document_event_json(payload: bytes, trigger: str) -> dict[str, Any]:
    """A serialised ``DocumentEventData`` as its proto3 JSON form (google-events)."""
    try:
        types: Any = importlib.import_module("google.events.cloud.firestore_v1")
        json_format: Any = importlib.import_module("google.protobuf.json_format")
        message_module: Any = importlib.import_module("google.protobuf.message")
    except ImportError:
        raise ImportError("Firestore events delivered as protobuf need google-events: "
                          "pip install google-events googleapis-common-protos") from None
    try:
        message = types.DocumentEventData.pb().FromString(payload)
    except message_module.DecodeError:
        raise EventDecodeError(trigger, "data is not a valid DocumentEventData protobuf",
                               keys=["data"]) from None
    result: dict[str, Any] = json_format.MessageToDict(message)
    return result
