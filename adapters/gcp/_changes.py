"""Database changes from Google: Firestore documents and Firebase Realtime Database refs.

Firestore: https://cloud.google.com/firestore/docs/extend-with-functions-2nd-gen#event_types
(``created``/``updated``/``deleted``/``written``, each also ``.withAuthContext``;
Eventarc sends ``DocumentEventData`` as ``application/protobuf``, JSON elsewhere).
Realtime Database: https://firebase.google.com/docs/functions/database-events
(``ReferenceEventData``: ``data`` is the ref before the change, ``delta`` the change;
the value after is ``delta`` merged into ``data`` as firebase-functions' ``applyChange``
does: nested objects merge, ``null`` deletes a key, anything else replaces).
"""

from __future__ import annotations

from typing import Any

from adapters.cloudevents._types import (
    CloudEventParts,
    json_object,
    payload_value,
    produces,
    register,
)
from sdk import Change, Event
from sdk.errors import EventDecodeError

from ._events import google_fields, is_protobuf, last_segment
from ._firestore import document_event_json, document_fields

__all__ = ["FIRESTORE", "OPERATIONS", "RTDB", "apply_delta", "register_changes"]

FIRESTORE = "google.cloud.firestore.document.v1."
RTDB = "google.firebase.database.ref.v1."
_AUTH_SUFFIX = ".withAuthContext"

#: The type's last word -> operation; ``written`` says neither, the data does.
OPERATIONS: dict[str, str] = {"created": "insert", "updated": "update", "deleted": "delete"}


def _action(parts: CloudEventParts, prefix: str) -> str:
    action = (parts.attribute("type") or "")[len(prefix):]
    return action[:-len(_AUTH_SUFFIX)] if action.endswith(_AUTH_SUFFIX) else action


def _by_presence(old: Any, new: Any) -> str | None:
    if old is not None and new is not None:
        return "update"
    if new is not None:
        return "insert"
    return "delete" if old is not None else None


def _document_event(parts: CloudEventParts, trigger: str) -> dict[str, Any]:
    if is_protobuf(parts):
        payload = payload_value(parts, trigger)
        if not isinstance(payload, bytes):
            raise EventDecodeError(trigger, "protobuf data must arrive as bytes (binary mode "
                                   "or data_base64)", keys=["data"])
        return document_event_json(payload, trigger)
    return json_object(parts, trigger)


def _document_path(parts: CloudEventParts, *documents: Any) -> str | None:
    """The document's path in its database: the ``document`` extension, the
    subject (``documents/...``), or the document's resource name."""
    path = parts.extensions.get("document") or last_segment(parts.attribute("subject"),
                                                            "documents/")
    for document in documents:
        if not path and isinstance(document, dict):
            path = last_segment(document.get("name"), "/documents/")
    return path


@produces("gcp.firestore", Change)
def firestore(parts: CloudEventParts) -> Event[Any]:
    """DocumentEventData -> ``Change``: ``table`` the collection path, ``keys`` the
    document ``id`` and ``path``, ``old``/``new`` the fields as plain Python."""
    trigger = "gcp.firestore"
    body = _document_event(parts, trigger)
    old_doc, new_doc = body.get("oldValue"), body.get("value")
    old = document_fields(old_doc, trigger, "oldValue")
    new = document_fields(new_doc, trigger, "value")
    path = _document_path(parts, new_doc, old_doc)
    table, _, doc_id = (path or "").rpartition("/")
    return Change(
        operation=OPERATIONS.get(_action(parts, FIRESTORE)) or _by_presence(old, new),
        table=table or None, keys={"id": doc_id, "path": path} if path else None,
        old=old, new=new, **google_fields(parts, trigger),
    )


def apply_delta(data: Any, delta: Any) -> Any:
    """The value of a Realtime Database ref after ``delta`` is applied to ``data``."""
    if not isinstance(data, dict) or not isinstance(delta, dict):
        return _pruned(delta)
    merged = dict(data)
    for key, change in delta.items():
        if change is None:
            merged.pop(key, None)
        else:
            merged[key] = apply_delta(merged.get(key), change)
    return merged


def _pruned(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _pruned(v) for k, v in value.items() if v is not None}
    return value


@produces("gcp.firebase.rtdb", Change)
def rtdb(parts: CloudEventParts) -> Event[Any]:
    """ReferenceEventData -> ``Change``: ``table`` the ref path, ``old`` the data
    before, ``new`` after; ``instance``/``location`` from the source in attributes."""
    trigger = "gcp.firebase.rtdb"
    body = json_object(parts, trigger)
    before, delta = body.get("data"), body.get("delta")
    action = _action(parts, RTDB)
    old = None if action == "created" else before
    new = None if action == "deleted" else (delta if action == "created"
                                             else apply_delta(before, delta))
    fields = google_fields(parts, trigger)
    source = parts.attribute("source")
    attributes = fields["attributes"]
    for name, marker in (("instance", "/instances/"), ("location", "/locations/")):
        found = last_segment(source, marker)
        if name not in attributes and found:
            attributes[name] = found.split("/", 1)[0]
    ref = parts.extensions.get("ref") or last_segment(parts.attribute("subject"), "refs/")
    return Change(operation=OPERATIONS.get(action) or _by_presence(old, new),
                  table=ref.strip("/") if ref else None, old=old, new=new, **fields)


def register_changes() -> None:
    """Register the Firestore and Realtime Database decoders (done once, at import)."""
    register(FIRESTORE, firestore)
    register(RTDB, rtdb)


register_changes()
