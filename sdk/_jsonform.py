"""Helpers for the JSON form of events (``event.to_dict()``) and JSON bodies."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

__all__ = ["dumps", "iso", "jsonable"]


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z`` suffix."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def jsonable(value: Any) -> Any:
    """Turn decoded values (Decimal, sets, bytes, datetimes, models) into JSON values."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        items = [jsonable(v) for v in value]
        try:
            return sorted(items)
        except TypeError:
            return items
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(mode="json")
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return jsonable(to_dict())
    return str(value)


def _default(value: Any) -> Any:
    if isinstance(value, _EXTRA_TYPES) or hasattr(value, "model_dump"):
        return jsonable(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


_EXTRA_TYPES = (Decimal, datetime, bytes, bytearray, memoryview, set, frozenset)


def dumps(value: Any) -> str:
    """Compact JSON, accepting Decimal, datetime, bytes, sets and pydantic models."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=_default)
