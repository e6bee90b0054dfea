"""Event Grid trigger, both delivery schemas, through the shared CloudEvent type
table: ``Microsoft.Storage.*`` blob events become StorageEvents, others generic Events.

* Event Grid schema (https://learn.microsoft.com/azure/event-grid/event-schema):
  ``id``, ``topic`` (-> source), ``subject``, ``eventType`` (-> type), ``eventTime``
  (-> time), ``data``, and ``dataVersion`` / ``metadataVersion``, kept as the
  ``data_version`` / ``metadata_version`` attributes when not empty.
* CloudEvents 1.0 schema (https://learn.microsoft.com/azure/event-grid/cloud-event-schema):
  read as any structured CloudEvent (``data_base64`` decoded lazily, extensions as
  attributes). As raw JSON only events with Azure's marks are claimed (see
  ``_is_ce``); ``func.CloudEvent`` objects always are.

The worker passes one event per invocation (``func.EventGridEvent`` or
``func.CloudEvent``); raw JSON as Event Grid POSTs it (one object or an array)
decodes too, for tests and the CLI. Either way ``native`` is the azure.functions
object, built from raw JSON only when first read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from adapters._time import decode_time
from adapters.cloudevents._structured import from_structured
from adapters.cloudevents._types import CloudEventParts, decode_parts
from sdk import Event

from . import _storage  # noqa: F401 - registers the blob event types this trigger decodes
from ._native import azure_functions, is_native, stringify
from ._records import RecordsTrigger

__all__ = ["EventGrid", "EventGridCloudEvents"]

#: Event Grid member -> attribute name, for the members with no Event field.
_EG_ATTRIBUTES = (("dataVersion", "data_version"), ("metadataVersion", "metadata_version"))
#: What marks a raw CloudEvent as Event Grid's: system event types, and the Azure
#: resource id Event Grid uses as the source of system topics.
_AZURE_TYPE = "Microsoft."
_AZURE_SOURCE = "/subscriptions/"
_SEMANTICS = ("A handler error fails the invocation and Event Grid retries the delivery with "
              "backoff (30 attempts / 24 h by default), then dead-letters it if configured.")


def _is_eg(item: Any) -> bool:
    return (isinstance(item, dict) and "eventType" in item and "id" in item
            and "specversion" not in item)


def _is_ce(item: Any) -> bool:
    """A structured CloudEvent bearing Azure's marks. Any engine may deliver a
    CloudEvent; raw JSON is claimed here only when Event Grid (a ``Microsoft.*``
    type, an Azure resource id as source) evidently sent it, so that detection
    across providers leaves other CloudEvents to their own adapters."""
    if not isinstance(item, dict) or "specversion" not in item:
        return False
    return (str(item.get("type", "")).startswith(_AZURE_TYPE)
            or str(item.get("source", "")).lower().startswith(_AZURE_SOURCE))


def _matches(raw: Any, is_item: Callable[[Any], bool], native: str) -> bool:
    if isinstance(raw, list):
        return bool(raw) and all(is_item(item) for item in raw)
    return is_item(raw) or is_native(raw, native)


def _native(item: dict[str, Any]) -> Callable[[], Any]:
    """The ``func.EventGridEvent`` / ``func.CloudEvent`` the worker's converter builds."""

    def build() -> Any:
        func = azure_functions()
        converter = func.get_binding_registry().get("eventGridTrigger")
        return converter.decode(func.meta.Datum(json.dumps(item), "json"), trigger_metadata={})

    return build


class EventGrid(RecordsTrigger):
    """Event Grid trigger (``app.event_grid_trigger``), Event Grid schema."""

    name = "azure.eventgrid"
    kind = Event
    semantics = _SEMANTICS

    def matches(self, raw: Any) -> bool:
        return _matches(raw, _is_eg, "EventGridEvent")

    def items(self, raw: Any) -> list[Any]:
        return raw if isinstance(raw, list) else [raw]

    def event(self, item: Any, index: int, shared: Any) -> Event[Any]:
        if isinstance(item, dict):
            members = item
            native = _native(item)
        else:  # func.EventGridEvent: the converter keeps no metadataVersion
            members = {"id": item.id, "topic": item.topic, "subject": item.subject,
                       "eventType": item.event_type, "eventTime": item.event_time,
                       "data": item.get_json(), "dataVersion": item.data_version}
            native = _always(item)
        return decode_parts(CloudEventParts(
            attributes={"id": members.get("id"), "source": members.get("topic"),
                        "type": members.get("eventType"), "subject": members.get("subject")},
            data=members.get("data"), provider="azure", trigger=self.name, raw=item,
            native=native, time=decode_time(members.get("eventTime"), self.name, "eventTime"),
            extensions={key: stringify(members[member]) for member, key in _EG_ATTRIBUTES
                        if members.get(member) not in (None, "")},
        ))


class EventGridCloudEvents(RecordsTrigger):
    """Event Grid trigger (``app.event_grid_trigger``), CloudEvents 1.0 schema."""

    name = "azure.eventgrid.cloudevents"
    kind = Event
    semantics = _SEMANTICS

    def matches(self, raw: Any) -> bool:
        return _matches(raw, _is_ce, "CloudEvent")

    def items(self, raw: Any) -> list[Any]:
        return raw if isinstance(raw, list) else [raw]

    def event(self, item: Any, index: int, shared: Any) -> Event[Any]:
        if isinstance(item, dict):
            parts = from_structured(item, provider="azure", trigger=self.name)
            return decode_parts(parts.replace(native=_native(item)))
        # func.CloudEvent keeps members it does not know (data_base64 too) as extensions.
        members = {key: value for key, value in item.extension_attrs.items()
                   if value is not None}
        members.update(id=item.id, source=item.source, type=item.type,
                       specversion=item.specversion, subject=item.subject, time=item.time,
                       datacontenttype=item.datacontenttype, dataschema=item.dataschema)
        if "data_base64" not in members:
            members["data"] = item.get_json()
        parts = from_structured({k: v for k, v in members.items() if v is not None},
                                provider="azure", trigger=self.name, raw=item)
        return decode_parts(parts.replace(native=_always(item)))


def _always(value: Any) -> Callable[[], Any]:
    return lambda: value
