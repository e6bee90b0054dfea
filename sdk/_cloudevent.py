"""An event as a CloudEvents 1.0 structured-mode JSON document (``Event.to_cloudevent``).

Format: https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/formats/json-format.md
Attribute naming: https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md#naming-conventions

Attributes the event lacks get defaults, because ``id``, ``source`` and ``type``
are required:

* ``id``: a new UUID (the event had none to keep);
* ``source``: ``/polyfn/<provider>/<trigger>``;
* ``type``: ``polyfn.<kind>`` (``polyfn.message``, ``polyfn.storage``...).

``type`` is otherwise the provider's own (``google.cloud.storage.object.v1.finalized``).
For kinds whose ``data`` was taken out of an envelope (a Pub/Sub ``Message``, a
Cloud Scheduler ``Schedule``, a Firestore ``Change``), that type names the envelope,
not ``data``: give such an event a ``type`` of your own before sending it on.

``attributes`` become extension attributes: names lower-cased with everything but
``a-z0-9`` dropped; a name that then collides with a standard attribute gets an
``x`` prefix (``type`` -> ``xtype``); of two names that sanitise alike the first
wins. Values are strings. ``dataschema`` passes through as the standard attribute.
"""

from __future__ import annotations

import base64
import re
import uuid
from typing import TYPE_CHECKING, Any

from ._jsonform import iso, jsonable

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Protocol

    class Described(Protocol):
        """What the structured form reads of an :class:`~sdk.Event` (this module
        sits below the event, which imports it)."""

        @property
        def kind(self) -> str: ...
        @property
        def provider(self) -> str: ...
        @property
        def trigger(self) -> str: ...
        @property
        def id(self) -> str | None: ...
        @property
        def source(self) -> str | None: ...
        @property
        def type(self) -> str | None: ...
        @property
        def subject(self) -> str | None: ...
        @property
        def time(self) -> Any: ...
        @property
        def data(self) -> Any: ...
        @property
        def data_content_type(self) -> str | None: ...
        @property
        def attributes(self) -> Mapping[str, str]: ...

__all__ = ["extension_name", "to_cloudevent"]

_RESERVED = frozenset({"specversion", "id", "source", "type", "subject", "time",
                       "datacontenttype", "data", "data_base64"})
_NOT_NAME = re.compile(r"[^a-z0-9]+")


def extension_name(name: str) -> str | None:
    """``name`` as a valid extension attribute name, or ``None`` if nothing is left."""
    cleaned = _NOT_NAME.sub("", name.lower())
    if not cleaned:
        return None
    return f"x{cleaned}" if cleaned in _RESERVED else cleaned


def to_cloudevent(event: Described) -> dict[str, Any]:
    """The CloudEvents 1.0 structured JSON form of ``event`` (a plain dict)."""
    out: dict[str, Any] = {
        "specversion": "1.0",
        "id": event.id or str(uuid.uuid4()),
        "source": event.source or f"/polyfn/{event.provider}/{event.trigger}",
        "type": event.type or f"polyfn.{event.kind}",
    }
    if event.subject is not None:
        out["subject"] = event.subject
    if event.time is not None:
        out["time"] = iso(event.time)
    content_type = event.data_content_type
    data = event.data
    if isinstance(data, (bytes, bytearray, memoryview)):
        out["data_base64"] = base64.b64encode(bytes(data)).decode("ascii")
    elif data is not None:
        out["data"] = jsonable(data)
        if content_type is None and not isinstance(data, str):
            content_type = "application/json"
    if content_type is not None:
        out["datacontenttype"] = content_type
    for name, value in event.attributes.items():
        ext = extension_name(str(name))
        if ext is not None and ext not in out:
            out[ext] = str(value)
    return out
