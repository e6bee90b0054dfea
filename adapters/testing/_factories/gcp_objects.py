"""What functions-framework hands a Google Cloud function: a ``flask.Request`` (HTTP
functions) and a ``cloudevents.http.CloudEvent`` (CloudEvent functions). Flask and
the cloudevents library are imported when a builder is called.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ._common import DEFAULT_TIME, Pairs, as_bytes, header_map, iso, new_id, query_string

__all__ = ["cloudevent", "http_request"]


def http_request(method: str = "GET", path: str = "/", body: Any = None, *,
                 headers: Pairs | None = None, query: Pairs | str | None = None) -> Any:
    """The ``flask.Request`` of an HTTP function (``body``: bytes as they are, str as
    UTF-8, any other value as JSON with ``Content-Type: application/json``)."""
    from flask import Request
    from werkzeug.test import EnvironBuilder

    defaults = {} if body is None or isinstance(body, (str, bytes, bytearray)) else {
        "content_type": "application/json"}
    sent = header_map(headers, **defaults)
    builder = EnvironBuilder(path=path, method=method.upper(), query_string=query_string(query),
                             headers=[(k, v) for k, vs in sent.items() for v in vs],
                             data=None if body is None else as_bytes(body))
    try:
        return Request(builder.get_environ())
    finally:
        builder.close()


def cloudevent(data: Any = None, *, type: str = "com.example.orders.placed",
               source: str = "//polyfn.example.com/orders", subject: str | None = None,
               event_id: str | None = None, time: datetime = DEFAULT_TIME) -> Any:
    """The ``cloudevents.http.CloudEvent`` of a CloudEvent function."""
    from cloudevents.http import CloudEvent

    attributes = {"specversion": "1.0", "id": event_id or new_id(), "source": source,
                  "type": type, "time": iso(time, digits=6)}
    if subject is not None:
        attributes["subject"] = subject
    if data is None:
        data = {"message": "hello"}
    if not isinstance(data, (bytes, bytearray)):
        attributes["datacontenttype"] = "application/json"
    return CloudEvent(attributes, data)
