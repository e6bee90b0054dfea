"""Blob Storage: the blob trigger's ``func.InputStream``, and ``Microsoft.Storage.*``
Event Grid events (either schema) -> :class:`~sdk.StorageEvent`.

Blob trigger metadata: https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-blob-trigger#metadata
(``BlobTrigger`` = ``container/path``, ``Uri``, ``Properties``, ``Metadata``).
Event Grid blob events: https://learn.microsoft.com/azure/event-grid/event-schema-blob-storage
(subject ``/blobServices/default/containers/<container>/blobs/<path>``; data
``contentLength``, ``eTag``, ``contentType``, ``url``, ``accessTier``/``previousTier``).
The Event Grid decoders are registered in the shared CloudEvent type table, so a
blob event is a StorageEvent whichever schema or engine delivers it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from adapters._time import decode_time
from adapters.cloudevents import _types
from sdk import StorageEvent
from sdk.adapter import UNSET
from sdk.errors import EventDecodeError

from ._native import is_native
from ._records import RecordsTrigger

__all__ = ["BLOB_EVENTGRID", "OPERATIONS", "Blob", "BlobEvent", "blob_event"]

#: The trigger name of blob events delivered by Event Grid (sample folder blob-eventgrid).
BLOB_EVENTGRID = "azure.blob.eventgrid"

_SUBJECT_PREFIX = "/blobServices/default/containers/"

#: Event Grid data member -> attribute name (size, eTag and contentType have fields).
_DATA_ATTRIBUTES = (
    ("url", "url"), ("api", "api"), ("blobType", "blob_type"), ("sequencer", "sequencer"),
    ("accessTier", "access_tier"), ("previousTier", "previous_tier"),
)


def _tier_change(data: Mapping[str, Any]) -> str:
    """BlobTierChanged: into Archive is ``archived``, out of it ``restored``, any other
    move between online tiers only changes the blob's properties."""
    if data.get("accessTier") == "Archive":
        return "archived"
    if data.get("previousTier") == "Archive":
        return "restored"
    return "metadata_updated"


#: Event type -> operation, or a function of the event data deciding it.
OPERATIONS: dict[str, str | Callable[[Mapping[str, Any]], str]] = {
    "Microsoft.Storage.BlobCreated": "created",
    "Microsoft.Storage.BlobDeleted": "deleted",
    "Microsoft.Storage.BlobTierChanged": _tier_change,
    # Rehydration out of the Archive tier has started (Set Blob Tier / Copy Blob).
    "Microsoft.Storage.AsyncOperationInitiated": "restore_started",
}


def _blob_path(subject: Any, trigger: str) -> tuple[str, str]:
    text = subject if isinstance(subject, str) else ""
    if not text.startswith("/"):
        text = "/" + text  # the CloudEvents schema sample drops the leading slash
    container, sep, blob = text[len(_SUBJECT_PREFIX):].partition("/blobs/")
    if not text.startswith(_SUBJECT_PREFIX) or not sep or not container or not blob:
        raise EventDecodeError(trigger, "subject is not /blobServices/default/containers/"
                               "<container>/blobs/<path>", keys=["subject"])
    return container, blob


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


@_types.produces(BLOB_EVENTGRID, StorageEvent)
def blob_event(parts: _types.CloudEventParts) -> StorageEvent[Any]:
    """The StorageEvent for one ``Microsoft.Storage.*`` blob event (trigger
    ``azure.blob.eventgrid``, whichever schema or engine delivered it)."""
    fields = _types.base_fields(parts, BLOB_EVENTGRID)
    data = parts.data if isinstance(parts.data, Mapping) else {}
    rule = OPERATIONS[str(fields["type"])]
    container, blob = _blob_path(fields["subject"], fields["trigger"])
    fields["attributes"].update((key, str(data[member])) for member, key in _DATA_ATTRIBUTES
                                if data.get(member) is not None)
    return StorageEvent(
        bucket=container, key=blob, operation=rule if isinstance(rule, str) else rule(data),
        size=_int(data.get("contentLength")), etag=_str(data.get("eTag")),
        content_type=_str(data.get("contentType")), **fields, **_types.data_fields(parts),
    )


for _type in OPERATIONS:
    _types.register(_type, blob_event)


class Blob(RecordsTrigger):
    """Blob trigger (``app.blob_trigger``), polling or Event Grid based.

    It fires for new and updated blobs (never deletions), so ``operation`` is
    ``created``. ``data`` is the blob's content, read from the stream when first
    used: the stream cannot be read twice, so read either ``data`` or
    ``event.native``.
    """

    name = "azure.blob"
    kind = StorageEvent
    semantics = ("A handler error fails the invocation; the blob is retried up to 5 times "
                 "(maxDequeueCount) and then recorded in the webjobs-blobtrigger-poison "
                 "queue.")

    def matches(self, raw: Any) -> bool:
        return is_native(raw, "InputStream")

    def event(self, item: Any, index: int, shared: Any) -> StorageEvent[Any]:
        return BlobEvent(item, self.name)


class BlobEvent(StorageEvent[Any]):
    """A blob trigger's ``func.InputStream`` as a :class:`StorageEvent`, built
    positionally from it (no keyword call per invocation). ``time`` is the blob's
    ``LastModified``, parsed when first read: a malformed one raises
    :class:`EventDecodeError` naming ``Properties.LastModified`` then."""

    __slots__ = ()

    def __init__(self, item: Any, trigger: str) -> None:
        path = item.name or ""
        container, _, blob = path.partition("/")
        props = item.blob_properties
        if props.__class__ is not dict and not isinstance(props, Mapping):
            props = {}
        content_type = _str(props.get("ContentType"))
        etag = props.get("ETag")
        self.bucket = container or None
        self.key = blob or None
        self.operation = "created"
        self.size = item.length
        self.etag = etag if isinstance(etag, str) else None
        self.content_type = content_type
        self.version = _str(props.get("VersionId"))
        uri = item.uri
        self.provider = "azure"
        self.trigger = trigger
        self.id = self.source = self.type = None
        self.subject = path or None
        self._time = UNSET  # LastModified, on first read
        self._data = UNSET
        self._payload = item.read
        self.data_content_type = content_type
        self.attributes = {"url": uri} if uri else {}
        self.raw = item
        self._native = UNSET  # ``native`` is ``raw``

    def _read_time(self) -> datetime | None:
        props = self.raw.blob_properties
        value = props.get("LastModified") if isinstance(props, Mapping) else None
        return decode_time(value, self.trigger, "Properties.LastModified")
