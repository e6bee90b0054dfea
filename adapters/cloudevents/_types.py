"""CloudEvent ``type`` -> uniform kind: the one table every CloudEvents path uses.

Whether a CloudEvent arrives through functions-framework (Google Cloud), Eventarc,
Knative, Dapr or Event Grid's CloudEvents schema, its ``type`` decides the kind: a
Cloud Storage event is a ``StorageEvent`` wherever it comes from. Provider modules
add decoders to :data:`DECODERS`; a type nobody claims is a generic ``Event``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sdk import Event

__all__ = ["DECODERS", "CloudEventParts", "TypeDecoder", "decode_parts", "register"]


@dataclass(frozen=True)
class CloudEventParts:
    """A CloudEvent taken apart: context attributes and data, as received.

    ``attributes`` holds every attribute by its CloudEvents name (``id``,
    ``source``, ``type``, ``subject``, ``time``, ``datacontenttype``, extensions),
    all as strings except ``time`` (parsed, aware UTC, or None).
    ``data`` is the payload: bytes/str when undecoded, or an already-parsed JSON
    value (structured mode). ``raw`` is what the adapter received; ``native`` a
    factory for the provider's typed view (e.g. the ``cloudevents`` CloudEvent).
    """

    attributes: Mapping[str, Any]
    data: Any
    provider: str
    trigger: str
    raw: Any = None
    native: Callable[[], Any] | None = None
    time: datetime | None = None
    extensions: Mapping[str, str] = field(default_factory=dict)


#: A decoder turns the parts of one CloudEvent into a uniform event.
TypeDecoder = Callable[[CloudEventParts], Event[Any]]

#: (type prefix, decoder), longest prefix wins. Filled by provider modules.
DECODERS: list[tuple[str, TypeDecoder]] = []


def register(prefix: str, decoder: TypeDecoder) -> None:
    """Claim every CloudEvent type starting with ``prefix``."""
    DECODERS.append((prefix, decoder))
    DECODERS.sort(key=lambda item: len(item[0]), reverse=True)


def decode_parts(parts: CloudEventParts) -> Event[Any]:
    """The uniform event for one CloudEvent: the registered kind, else generic."""
    ce_type = str(parts.attributes.get("type") or "")
    for prefix, decoder in DECODERS:
        if ce_type.startswith(prefix):
            return decoder(parts)
    return generic(parts)


def generic(parts: CloudEventParts) -> Event[Any]:
    """A generic ``Event`` carrying the CloudEvent's attributes and data."""
    attrs = parts.attributes
    data = parts.data
    payload = data if isinstance(data, (bytes, str)) else None
    kwargs: dict[str, Any] = {"payload": payload} if payload is not None else {"data": data}
    return Event(
        provider=parts.provider, trigger=parts.trigger,
        id=_str(attrs.get("id")), source=_str(attrs.get("source")),
        type=_str(attrs.get("type")), subject=_str(attrs.get("subject")), time=parts.time,
        data_content_type=_str(attrs.get("datacontenttype")),
        attributes=dict(parts.extensions), raw=parts.raw, native=parts.native, **kwargs,
    )


def _str(value: Any) -> str | None:
    return None if value is None else str(value)
