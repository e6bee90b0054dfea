"""Helpers for the JSON form of events (``event.to_dict()``) and JSON bodies.

Cold starts pay for every import, so ``decimal``, ``datetime`` and ``base64`` are
not imported here: a ``Decimal`` or a ``datetime`` can only exist once something
imported its module (it is then in ``sys.modules``), and ``base64`` is needed only
for a bytes value.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ._fields import UNSET

if TYPE_CHECKING:
    from datetime import datetime
    from decimal import Decimal

__all__ = ["body_fields", "dumps", "iso", "jsonable", "loads"]


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


def body_fields(body: bytes, text: str | None = UNSET) -> dict[str, str]:
    """A body in a JSON document, the one rule: ``{"body": text}`` when it travels as
    text, else ``{"body_base64": ...}``. ``text`` is the body's text when the caller
    has decided it (``Rendered.text()``: ``None`` for a binary content type); not
    given, the body is text when it is valid UTF-8."""
    if text is UNSET:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = None
    if text is not None:
        return {"body": text}
    return {"body_base64": _b64(body)}


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
#: What that encoder's ``encode`` ends up calling for a dict or list: the C encoder
#: built with its options. Called directly it skips ``encode``/``iterencode``'s
#: Python layers, a third of the time for a small body.
_c_encoder = getattr(json.encoder, "c_make_encoder", None)
_c_string = json.encoder.encode_basestring


#: C encoders ready for reuse (building one is a sixth of a small body's time). One
#: is taken per call, so threads never share one; an encoder whose call raised is
#: dropped: json leaves the containers it was inside in its circular-reference
#: record, which would keep them alive and make the next call see them.
_free: list[Any] = []


def dumps(value: Any) -> str:
    """Compact JSON, accepting Decimal, datetime, bytes, sets and pydantic models."""
    if _c_encoder is not None and (value.__class__ is dict or value.__class__ is list):
        try:
            encode = _free.pop()
        except IndexError:
            encode = _c_encoder({}, _default, _c_string, None, ":", ",", False, False, True)
        text = "".join(encode(value, 0))
        _free.append(encode)  # not reached when encoding raised
        return text
    return _encode(value)


#: json's scanner (the C one when there is one), as ``json.loads`` uses it.
_scan: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def loads(text: str | bytes | bytearray) -> Any:
    """``json.loads``, calling json's scanner directly for text that starts with a
    value: ``loads`` would match whitespace around it with a regular expression
    first, which costs more than scanning a small document. Anything else
    (whitespace around, bytes in another encoding, nothing at all) goes through
    ``json.loads``, so results and errors are json's own."""
    if text.__class__ is not str and not isinstance(text, str):
        # json's own encoding detection says UTF-8 when the first two bytes are not
        # NUL and there is no BOM: true of any bytes starting with { or [.
        if text.__class__ is not bytes or text[:1] not in (b"{", b"[") or text[1:2] in (
                b"", b"\x00"):
            return json.loads(text)
        text = text.decode("utf-8", "surrogatepass")
    try:
        value, end = _scan(text, 0)
    except StopIteration:  # no value at 0 (whitespace, empty): json's error or result
        return json.loads(text)
    if end != len(text):  # trailing whitespace or extra data: json says which
        return json.loads(text)
    return value
