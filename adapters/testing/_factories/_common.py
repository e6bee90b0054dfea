"""What every factory shares: fixed defaults, ids, times, body encodings, and the
structured-mode CloudEvent (Google's events and any engine's).

Defaults are fixed (one account, one region, one timestamp) so a sample reads the
same every time; ids are fresh UUIDs so records built separately never collide in
a batch.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlencode

from adapters._time import utc

__all__ = [
    "ACCOUNT", "DEFAULT_TIME", "REGION", "Pairs", "as_bytes", "as_text", "b64", "epoch_ms",
    "header_map", "iso", "new_id", "query_pairs", "query_string", "structured_event", "utc",
]

ACCOUNT = "123456789012"  # AWS's documentation account: never a real one
REGION = "us-east-1"
#: Every sample's timestamp unless told otherwise.
DEFAULT_TIME = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)

#: Headers or query parameters: a mapping (a value may be a list: sent several
#: times) or ``(name, value)`` pairs.
Pairs = Mapping[str, str | Sequence[str]] | Sequence[tuple[str, str]]


def new_id() -> str:
    return str(uuid.uuid4())


def iso(value: datetime, *, digits: int = 3) -> str:
    """RFC 3339 with a ``Z``: ``2024-05-01T12:00:00.000Z`` (``digits`` of fraction)."""
    moment = utc(value)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if digits:
        text += "." + f"{moment.microsecond:06d}"[:digits]
    return text + "Z"


def epoch_ms(value: datetime) -> int:
    return int(utc(value).timestamp() * 1000)


def as_text(body: Any) -> str:
    """A text body: ``str`` as is, ``bytes`` as UTF-8, anything else as compact JSON."""
    if isinstance(body, str):
        return body
    if isinstance(body, (bytes, bytearray)):
        return bytes(body).decode("utf-8")
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def as_bytes(body: Any) -> bytes:
    """A binary payload: ``bytes`` as is, anything else :func:`as_text` in UTF-8."""
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    return as_text(body).encode("utf-8")


def b64(body: Any) -> str:
    """:func:`as_bytes` in base64 text."""
    return base64.b64encode(as_bytes(body)).decode("ascii")


def _pairs(values: Pairs | None) -> list[tuple[str, str]]:
    if not values:
        return []
    if isinstance(values, Mapping):
        out: list[tuple[str, str]] = []
        for name, value in values.items():
            many = [value] if isinstance(value, str) else list(value)
            out += [(str(name), str(v)) for v in many]
        return out
    return [(str(name), str(value)) for name, value in values]


def header_map(headers: Pairs | None, **defaults: str) -> dict[str, list[str]]:
    """Headers by lower-case name, every value kept; ``defaults`` (underscores for
    dashes) fill names the caller did not send."""
    out: dict[str, list[str]] = {}
    for name, value in _pairs(headers):
        out.setdefault(name.lower(), []).append(value)
    for name, value in defaults.items():
        out.setdefault(name.replace("_", "-"), [value])
    return out


def query_pairs(query: Pairs | str | None) -> list[tuple[str, str]]:
    """Query parameters as pairs; a string is a query string (``a=1&b=2``)."""
    if isinstance(query, str):
        from urllib.parse import parse_qsl

        return parse_qsl(query.lstrip("?"), keep_blank_values=True)
    return _pairs(query)


def query_string(query: Pairs | str | None) -> str:
    return urlencode(query_pairs(query))


def structured_event(type: str, source: str, data: Any, *, subject: str | None = None,
                     event_id: str | None = None, time: datetime = DEFAULT_TIME,
                     **extensions: str) -> dict[str, Any]:
    """A structured-mode CloudEvent: ``bytes`` data travels as ``data_base64``, text
    as ``text/plain``, anything else as JSON."""
    event: dict[str, Any] = {"specversion": "1.0", "id": event_id or new_id(), "source": source,
                             "type": type}
    if subject is not None:
        event["subject"] = subject
    event["time"] = iso(time, digits=6)
    event.update(extensions)
    if isinstance(data, (bytes, bytearray)):
        event["data_base64"] = base64.b64encode(bytes(data)).decode("ascii")
    elif isinstance(data, str):
        event.update(datacontenttype="text/plain", data=data)
    elif data is not None:
        event.update(datacontenttype="application/json", data=data)
    return event
