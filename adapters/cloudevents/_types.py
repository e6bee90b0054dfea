"""CloudEvent ``type`` -> uniform kind: the one table every CloudEvents path uses.

Whether a CloudEvent arrives through functions-framework (Google Cloud), Eventarc,
Knative, Dapr or Event Grid's CloudEvents schema, its ``type`` decides the kind: a
Cloud Storage event is a ``StorageEvent`` wherever it comes from. Provider modules
:func:`register` decoders; this package stays engine-neutral: a provider's types
live in its own package, named in :data:`PROVIDER_TYPES` and imported on the first
event of such a type (``adapters.gcp`` for ``google.*``). A type nobody claims
becomes a generic ``Event`` whose trigger is the one the adapter named in the parts.

Attribute names: https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar

from adapters._time import decode_time
from sdk import Event
from sdk.adapter import Payload, decode_payload
from sdk.errors import EventDecodeError

__all__ = [
    "CORE_ATTRIBUTES", "DECODERS", "PRODUCES", "PROVIDER_TYPES", "CloudEventParts", "TypeDecoder",
    "attribute_text", "base_fields", "cloudevent_factory", "data_fields", "decode_parts",
    "decoder_for", "generic", "json_object", "load_provider_types", "payload_value", "produces",
    "register",
]

#: Context attributes that have a field of their own on ``Event``; every other
#: attribute (``dataschema`` and extensions) goes to ``Event.attributes``.
CORE_ATTRIBUTES = frozenset(
    {"id", "source", "specversion", "type", "subject", "time", "datacontenttype"}
)
_NOT_ATTRIBUTES = frozenset({"data", "data_base64"})
_NOT_EXTENSIONS = CORE_ATTRIBUTES | _NOT_ATTRIBUTES
_store = object.__setattr__

class CloudEventParts:
    """A CloudEvent taken apart: context attributes and data, as received.

    ``attributes`` holds every context attribute by its CloudEvents name (``id``,
    ``source``, ``type``, ``subject``, ``time``, ``datacontenttype``, extensions).
    ``data`` is the decoded data (a JSON value, text), used as it is, except that
    ``bytes`` are an undecoded payload. ``payload`` is an undecoded payload (bytes,
    text, or a callable producing them, e.g. a lazy base64 decoder): the common
    data rule decodes it on first read. Give one of ``data`` and ``payload``.

    ``provider`` and ``trigger`` name where it came from; a registered type
    replaces ``trigger`` by its own name (``gcp.storage``), a generic event keeps
    it. ``raw`` is what the adapter received; ``native`` a factory for the
    provider's typed view (replaced by Google's typed data for Google types).
    ``time`` (aware UTC) and ``extensions`` (lower-cased names, string values)
    are derived from ``attributes`` when not given.

    Immutable; :meth:`replace` makes a changed copy. (A slotted class rather than
    a frozen dataclass: ``dataclasses`` brings ``inspect`` to every cold start
    that decodes a CloudEvent, and a frozen field store costs per event.)
    """

    __slots__ = FIELDS = ("attributes", "data", "provider", "trigger", "raw", "native", "time",
                          "extensions", "payload")

    attributes: Mapping[str, Any]
    data: Any
    provider: str
    trigger: str
    raw: Any
    native: Callable[[], Any] | None
    time: datetime | None
    extensions: Mapping[str, str]
    payload: Payload | None

    def __init__(self, attributes: Mapping[str, Any], data: Any = None, *,
                 provider: str = "cloudevents", trigger: str = "cloudevents", raw: Any = None,
                 native: Callable[[], Any] | None = None, time: datetime | None = None,
                 extensions: Mapping[str, str] | None = None,
                 payload: Payload | None = None) -> None:
        if time is None and attributes.get("time") not in (None, ""):
            time = decode_time(attributes["time"], trigger, "time")
        # Most events carry no extension: checking that costs half of building none.
        if not extensions:
            extensions = {} if attributes.keys() <= _NOT_EXTENSIONS else {
                str(name).lower(): attribute_text(value)
                for name, value in attributes.items()
                if name not in _NOT_EXTENSIONS and value is not None
            }
        if payload is None and isinstance(data, (bytes, bytearray)):
            payload, data = bytes(data), None
        store = _store
        store(self, "attributes", attributes)
        store(self, "data", data)
        store(self, "provider", provider)
        store(self, "trigger", trigger)
        store(self, "raw", raw)
        store(self, "native", native)
        store(self, "time", time)
        store(self, "extensions", extensions)
        store(self, "payload", payload)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"CloudEventParts is immutable: use replace({name}=...)")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("CloudEventParts is immutable")

    def replace(self, **changes: Any) -> CloudEventParts:
        """A copy with ``changes`` (what ``dataclasses.replace`` did: built anew)."""
        fields = {name: getattr(self, name) for name in self.FIELDS}
        fields.update(changes)
        return CloudEventParts(fields.pop("attributes"), fields.pop("data"), **fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self.FIELDS)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.FIELDS)
        return f"CloudEventParts({shown})"

    def attribute(self, name: str) -> str | None:
        value = self.attributes.get(name)
        return None if value is None else str(value)


def attribute_text(value: Any) -> str:
    """An attribute value as its canonical string (CloudEvents type system)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        from sdk.adapter import iso

        return iso(value) or ""
    return str(value)


#: A decoder turns the parts of one CloudEvent into a uniform event.
TypeDecoder = Callable[[CloudEventParts], Event[Any]]

#: CloudEvent type -> decoder; a key ending in ``.`` claims every type it prefixes.
DECODERS: dict[str, TypeDecoder] = {}
_PREFIXES: list[str] = []  # prefix keys of DECODERS, longest first

_D = TypeVar("_D", bound=TypeDecoder)

#: Decoder -> the trigger name and kind of the events it makes, as declared with
#: :func:`produces`: read by docs/triggers.md (``adapters._registry``), never by decoding.
PRODUCES: dict[TypeDecoder, tuple[str, type[Event[Any]]]] = {}


def produces(trigger: str, kind: type[Event[Any]]) -> Callable[[_D], _D]:
    """Declare what a decoder makes (``@produces("gcp.storage", StorageEvent)``), so the
    type table can be documented without decoding anything; the decoder is unchanged."""

    def declare(decoder: _D) -> _D:
        PRODUCES[decoder] = (trigger, kind)
        return decoder

    return declare


def register(type_or_prefix: str, decoder: TypeDecoder) -> None:
    """Decode CloudEvents of this ``type`` (or, for a key ending in ``.``, of every
    type it prefixes) with ``decoder``. An exact type beats a prefix; of two
    prefixes the longer wins. Registering a key again replaces its decoder."""
    DECODERS[type_or_prefix] = decoder
    if type_or_prefix.endswith(".") and type_or_prefix not in _PREFIXES:
        _PREFIXES.append(type_or_prefix)
        _PREFIXES.sort(key=len, reverse=True)


#: CloudEvent type prefix -> the modules that register that producer's types,
#: imported the first time an event of such a type is decoded (then dropped from
#: here): ``import adapters.cloudevents`` pays for no provider's table.
PROVIDER_TYPES: dict[str, tuple[str, ...]] = {
    # Database changes need their own module (and, for Firestore, protobuf's tables):
    # a Pub/Sub or Cloud Storage event loads only the first one.
    "google.cloud.firestore.": ("adapters.gcp._changes",),
    "google.firebase.database.": ("adapters.gcp._changes",),
    "google.": ("adapters.gcp._events",),
}


def decoder_for(ce_type: str) -> TypeDecoder | None:
    """The registered decoder for a CloudEvent type, if any."""
    decoder = DECODERS.get(ce_type)
    if decoder is None:
        for prefix in _PREFIXES:
            if ce_type.startswith(prefix):
                return DECODERS[prefix]
        if PROVIDER_TYPES and load_provider_types(ce_type):
            return decoder_for(ce_type)
    return decoder


def load_provider_types(ce_type: str = "") -> bool:
    """Import the type tables :data:`PROVIDER_TYPES` names for ``ce_type`` (every
    table for ``""``); whether any was imported."""
    import importlib

    loaded = False
    for prefix in [p for p in PROVIDER_TYPES if not ce_type or ce_type.startswith(p)]:
        for module in PROVIDER_TYPES.pop(prefix):
            importlib.import_module(module)
        loaded = True
    return loaded


def decode_parts(parts: CloudEventParts) -> Event[Any]:
    """The uniform event for one CloudEvent: the registered kind, else generic."""
    decoder = decoder_for(parts.attribute("type") or "")
    return (decoder or generic)(parts)


def base_fields(parts: CloudEventParts, trigger: str | None = None) -> dict[str, Any]:
    """The ``Event`` keyword arguments every kind shares, from the attributes."""
    return {
        "provider": parts.provider, "trigger": trigger or parts.trigger,
        "id": parts.attribute("id"), "source": parts.attribute("source"),
        "type": parts.attribute("type"), "subject": parts.attribute("subject"),
        "time": parts.time, "data_content_type": parts.attribute("datacontenttype"),
        "attributes": dict(parts.extensions), "raw": parts.raw,
        "native": parts.native or cloudevent_factory(parts),
    }


def cloudevent_factory(parts: CloudEventParts) -> Callable[[], Any]:
    """Builds the ``cloudevents`` library's ``CloudEvent`` for the parts on first use
    (the library is imported only then)."""

    def build() -> Any:
        try:
            from cloudevents.http import CloudEvent
        except ImportError:  # pragma: no cover - depends on the install
            raise ImportError("event.native of a CloudEvent needs the cloudevents library: "
                              "pip install 'polyfn[cloudevents]'") from None
        payload = payload_value(parts, parts.trigger)
        data = (parts.data if payload is None
                else decode_payload(payload, parts.attribute("datacontenttype")))
        return CloudEvent(dict(parts.attributes), data)

    return build


def data_fields(parts: CloudEventParts) -> dict[str, Any]:
    """``payload=`` for undecoded data (decoded lazily by the common rule), else ``data=``."""
    if parts.payload is not None:
        return {"payload": parts.payload}
    return {"data": parts.data}


def generic(parts: CloudEventParts) -> Event[Any]:
    """A generic ``Event`` carrying the CloudEvent's attributes and data."""
    return Event(**base_fields(parts), **data_fields(parts))


def payload_value(parts: CloudEventParts, trigger: str) -> bytes | str | None:
    """The undecoded payload, its base64 undone now (``None`` for decoded data)."""
    payload = parts.payload
    try:
        return payload() if callable(payload) else payload
    except (ValueError, TypeError):
        raise EventDecodeError(trigger, "data cannot be decoded (bad base64)",
                               keys=["data_base64"]) from None


def json_object(parts: CloudEventParts, trigger: str) -> dict[str, Any]:
    """The data as a JSON object, for types whose data is one (payloads decoded now)."""
    data = parts.data
    payload = payload_value(parts, trigger)
    if payload is not None:
        data = decode_payload(payload, parts.attribute("datacontenttype"))
    if not isinstance(data, dict):
        raise EventDecodeError(trigger, f"data must be a JSON object, not "
                               f"{'no data' if data is None else type(data).__name__}",
                               keys=["data"])
    return data
