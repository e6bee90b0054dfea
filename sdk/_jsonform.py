"""Helpers for the JSON form of events (``event.to_dict()``) and JSON bodies.

Cold starts pay for every import, so ``decimal``, ``datetime`` and ``base64`` are
not imported here: a ``Decimal`` or a ``datetime`` can only exist once something
imported its module (it is then in ``sys.modules``), and ``base64`` is needed only
for a bytes value.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import datetime
    from decimal import Decimal

__all__ = ["dumps", "iso", "jsonable"]


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z`` suffix."""
    if value is None:
        return None
    from datetime import timezone  # loaded: ``value`` is a datetime

    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def _decimal_type() -> type[Decimal] | None:
    """``decimal.Decimal`` when ``decimal`` is loaded; ``None`` when no value can be one."""
    module = sys.modules.get("decimal")
    return module.Decimal if module is not None else None


def _datetime_type() -> type[datetime] | None:
    """``datetime.datetime`` when ``datetime`` is loaded; ``None`` when no value can be one."""
    module = sys.modules.get("datetime")
    return module.datetime if module is not None else None


def _b64(value: bytes | bytearray | memoryview) -> str:
    import base64  # bytes values only

    return base64.b64encode(bytes(value)).decode("ascii")


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
    decimal = _decimal_type()
    if decimal is not None and isinstance(value, decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    moment = _datetime_type()
    if moment is not None and isinstance(value, moment):
        return iso(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return _b64(value)
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(mode="json")
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return jsonable(to_dict())
    return str(value)


#: What ``_default`` turns into JSON besides pydantic models, Decimal and datetime.
_EXTRA_TYPES = (bytes, bytearray, memoryview, set, frozenset)


def _default(value: Any) -> Any:
    decimal = _decimal_type()
    moment = _datetime_type()
    if (isinstance(value, _EXTRA_TYPES)
            or (decimal is not None and isinstance(value, decimal))
            or (moment is not None and isinstance(value, moment))
            or hasattr(value, "model_dump")):
        return jsonable(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


#: ``json.dumps`` with options builds a JSONEncoder on every call; one, built once,
#: gives the same text.
_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=_default).encode


def dumps(value: Any) -> str:
    """Compact JSON, accepting Decimal, datetime, bytes, sets and pydantic models."""
    return _encode(value)
