"""The uniform outgoing message: ``data`` encoded once, the optional fields checked.

Encoding is the inverse of the one decoding rule (sdk/_data.py): a dict or list
(or anything JSON-able: numbers, pydantic models, Decimal, datetime) becomes
compact JSON, ``application/json``; a ``str`` becomes UTF-8 text,
``text/plain; charset=utf-8``; ``bytes`` stay bytes, ``application/octet-stream``
unless a ``content_type`` is given. A driver whose transport carries only text
base64-encodes ``body`` when ``binary`` is set and marks it so the decoder on the
other side gives bytes back (docs/outputs.md, per provider).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._jsonform import dumps
from ._trace import trace_context
from ._value import Value

__all__ = ["FIELDS", "OutgoingMessage", "outgoing"]

JSON = "application/json"
TEXT = "text/plain; charset=utf-8"
BINARY = "application/octet-stream"

#: The optional fields of a message, as ``send`` takes them.
FIELDS = ("attributes", "key", "id", "type", "source", "subject")


class OutgoingMessage(Value):
    """One message ready for a driver. ``trace`` holds the W3C ``traceparent`` /
    ``tracestate`` of the current span (empty unless OpenTelemetry is in use);
    drivers that carry attributes add it to them. ``declared``: ``content_type``
    was given by the caller (not inferred from ``data``)."""

    __slots__ = (
        "attributes",
        "binary",
        "body",
        "content_type",
        "data",
        "declared",
        "id",
        "key",
        "source",
        "subject",
        "trace",
        "type",
    )

    def __init__(self, data: Any, body: bytes, content_type: str, binary: bool,
                 attributes: dict[str, str] | None = None, key: str | None = None,
                 id: str | None = None, type: str | None = None, source: str | None = None,
                 subject: str | None = None, trace: dict[str, str] | None = None,
                 declared: bool = False) -> None:
        self.data, self.body, self.content_type, self.binary = data, body, content_type, binary
        self.attributes = {} if attributes is None else attributes
        self.key, self.id, self.type, self.source, self.subject = key, id, type, source, subject
        self.trace = {} if trace is None else trace
        self.declared = declared

    @property
    def needs_type(self) -> bool:
        """Whether a receiver needs ``content_type`` sent to decode what was sent:
        always for bytes and for a declared type; never for inferred JSON or text,
        which the one decoding rule gets back by itself (so messages stay lean)."""
        return self.binary or self.declared

    def given(self) -> list[str]:
        """The optional fields this message sets."""
        return [name for name in FIELDS if getattr(self, name)]


def _encode(data: Any, content_type: str | None) -> tuple[bytes, str, bool]:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data), content_type or BINARY, True
    if isinstance(data, str):
        return data.encode("utf-8"), content_type or TEXT, False
    dump_json = getattr(data, "model_dump_json", None)
    text = dump_json() if callable(dump_json) else dumps(data)
    return text.encode("utf-8"), content_type or JSON, False


def _text_fields(fields: Mapping[str, Any]) -> list[str]:
    return [name for name, value in fields.items()
            if value is not None and not isinstance(value, str)]


def outgoing(data: Any, *, attributes: Mapping[str, str] | None = None, key: str | None = None,
             id: str | None = None, type: str | None = None, source: str | None = None,
             subject: str | None = None, content_type: str | None = None) -> OutgoingMessage:
    """Encode one message; ``TypeError``/``ValueError`` for data or fields that
    cannot be sent (the caller turns them into ``PublishError``)."""
    wrong = _text_fields({"key": key, "id": id, "type": type, "source": source,
                          "subject": subject, "content_type": content_type})
    attrs = dict(attributes or {})
    wrong += [f"attributes.{k}" for k, v in attrs.items()
              if not isinstance(k, str) or not isinstance(v, str)]
    if wrong:
        raise TypeError(f"must be str: {', '.join(wrong)}")
    body, mime, binary = _encode(data, content_type)
    return OutgoingMessage(data, body, mime, binary, attrs, key, id, type, source, subject,
                           trace_context(), content_type is not None)
