"""CloudEvents for any engine: structured mode (one JSON object), batched mode (a
JSON array) and a binary-mode HTTP request as ``adapters.cloudevents`` receives it.

Spec: https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/http-protocol-binding.md
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from ._common import DEFAULT_TIME, as_bytes
from ._common import structured_event as _structured

__all__ = ["http_message", "structured", "structured_batch"]

_TYPE = "com.example.orders.placed"
# Header values: printable ASCII but space, '"' and '%' travel as they are (3.1.3.2).
_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '"%')
_SOURCE = "/polyfn/orders"


def structured(data: Any = None, *, type: str = _TYPE, source: str = _SOURCE,
               subject: str | None = None, event_id: str | None = None,
               time: datetime = DEFAULT_TIME) -> dict[str, Any]:
    """One structured-mode CloudEvent (``data`` default a small object; bytes travel
    as ``data_base64``)."""
    return _structured(type, source, {"message": "hello"} if data is None else data,
                       subject=subject, event_id=event_id, time=time)


def structured_batch(data: Any = None, *, size: int = 2, type: str = _TYPE,
                     source: str = _SOURCE, time: datetime = DEFAULT_TIME
                     ) -> list[dict[str, Any]]:
    """A batched-mode delivery: ``size`` structured events (fresh ids)."""
    return [structured(data, type=type, source=source, time=time) for _ in range(size)]


def http_message(data: Any = None, *, type: str = _TYPE, source: str = _SOURCE,
                 subject: str | None = None, event_id: str | None = None,
                 time: datetime = DEFAULT_TIME) -> Any:
    """A binary-mode request, as ``adapters.cloudevents.HTTPMessage``: the attributes
    in ``ce-*`` headers, the data as the body."""
    from adapters.cloudevents import HTTPMessage

    event = structured(data, type=type, source=source, subject=subject, event_id=event_id,
                       time=time)
    headers = [(f"ce-{name}", quote(str(value), safe=_SAFE)) for name, value in event.items()
               if name not in ("data", "data_base64", "datacontenttype")]
    if "data_base64" in event:
        body, content_type = as_bytes(data), "application/octet-stream"
    else:
        body, content_type = as_bytes(event["data"]), "application/json"
    return HTTPMessage([*headers, ("content-type", content_type)], body)
