"""Cosmos DB trigger: ``func.DocumentList`` (or a raw JSON array of documents) ->
one :class:`~sdk.Change` per document.

The trigger reads the container's change feed in latest-version mode
(https://learn.microsoft.com/azure/cosmos-db/nosql/change-feed-modes#latest-version-change-feed-mode):
each document arrives as it now is, without saying whether it was inserted or
updated, and deletions are not delivered at all. Documents carry the system
properties ``_ts`` (epoch seconds of the last write), ``_etag`` and, in the change
feed, ``_lsn`` (https://learn.microsoft.com/azure/cosmos-db/resource-model#properties-of-an-item).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from adapters._time import epoch_seconds
from sdk import Change
from sdk.errors import EventDecodeError

from ._native import is_native, native_type
from ._records import RecordsTrigger

__all__ = ["CosmosDB", "is_document_array"]

#: Keys of an Event Grid or CloudEvents envelope: an object with one is not a document.
_ENVELOPE = frozenset({"eventType", "specversion"})
#: System properties every stored item carries.
_SYSTEM = frozenset({"_rid", "_self", "_etag", "_ts", "_lsn"})
#: System property -> attribute name.
_ATTRIBUTES = (("_etag", "etag"), ("_lsn", "lsn"))


def _is_document(item: Any) -> bool:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        return False
    keys = item.keys()
    if keys & _ENVELOPE:
        return False
    # A bare {"id", "data", ...} object is as likely an Event Grid custom-schema event.
    return bool(keys & _SYSTEM) or "data" not in keys


def is_document_array(raw: Any) -> bool:
    """A non-empty JSON array of Cosmos DB items (each an object with a string ``id``)."""
    return isinstance(raw, list) and bool(raw) and all(_is_document(item) for item in raw)


def _lookup(document: Mapping[str, Any], path: str) -> Any:
    value: Any = document
    for part in path.strip("/").split("/"):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


class CosmosDB(RecordsTrigger):
    """Cosmos DB trigger (``app.cosmos_db_trigger``).

    ``operation`` is always ``upsert``: the latest-version change feed cannot tell an
    insert from an update, and it never delivers deletes (use soft deletes with a TTL
    to see them). ``keys`` holds ``id`` and, when ``partition_key`` (the container's
    partition key path, e.g. ``/customerId``) is given, that value too.
    """

    name = "azure.cosmosdb"
    kind = Change
    semantics = ("Every document is attempted; any failure fails the invocation after the "
                 "batch. The lease advances regardless unless the function has a retry "
                 "policy (then the whole batch runs again: at-least-once).")

    def __init__(self, partition_key: str | None = None) -> None:
        self.partition_key = partition_key
        self._key_name = partition_key.strip("/").replace("/", ".") if partition_key else None

    def matches(self, raw: Any) -> bool:
        return is_native(raw, "DocumentList") or is_document_array(raw)

    def items(self, raw: Any) -> Sequence[Any]:
        return raw  # type: ignore[no-any-return]

    def event(self, item: Any, index: int, shared: Any) -> Change[Any]:
        if not isinstance(item, Mapping):
            raise EventDecodeError(self.name, f"change feed item {index} is not a document")
        document = dict(item)
        keys: dict[str, Any] = {"id": document.get("id")}
        if self.partition_key and self._key_name:
            keys[self._key_name] = _lookup(document, self.partition_key)
        stamp = document.get("_ts")
        attributes = {key: str(document[member]) for member, key in _ATTRIBUTES
                      if document.get(member) is not None}
        return Change(
            operation="upsert", keys=keys, new=document,
            provider="azure", trigger=self.name, subject=_str(document.get("id")),
            time=epoch_seconds(stamp) if isinstance(stamp, (int, float)) else None,
            attributes=attributes, raw=item, native=_native(item),
        )


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _native(item: Any) -> Any:
    """The ``func.Document`` for the item (built from raw JSON on first access)."""
    document = native_type("Document")
    if document is not None and isinstance(item, document):
        return lambda: item

    def build() -> Any:
        from ._native import azure_functions

        return azure_functions().Document.from_dict(item)

    return build
