"""Azure payloads that are JSON on the wire: Event Grid deliveries (both schemas)
and Cosmos DB change feed documents, as ``adapters.azure.decode`` reads them raw.

Schemas: https://learn.microsoft.com/azure/event-grid/event-schema,
https://learn.microsoft.com/azure/event-grid/cloud-event-schema,
https://learn.microsoft.com/azure/event-grid/event-schema-blob-storage,
https://learn.microsoft.com/azure/cosmos-db/resource-model#properties-of-an-item.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ._common import DEFAULT_TIME, as_bytes, iso, new_id, utc

__all__ = ["blob_eventgrid", "cosmosdb", "eventgrid", "eventgrid_cloudevents"]

_SUBSCRIPTION = "/subscriptions/00000000-0000-0000-0000-000000000000"
_ACCOUNT = (f"{_SUBSCRIPTION}/resourceGroups/polyfn/providers/Microsoft.Storage/"
            "storageAccounts/polyfnstorage")


def eventgrid(data: Any = None, *, event_type: str = "Polyfn.Orders.OrderPlaced",
              subject: str = "orders/1",
              topic: str = f"{_SUBSCRIPTION}/resourceGroups/polyfn/providers/"
                           "Microsoft.EventGrid/topics/polyfn-topic",
              event_id: str | None = None, time: datetime = DEFAULT_TIME) -> list[dict[str, Any]]:
    """An Event Grid delivery (Event Grid schema) of one custom event."""
    return [{"id": event_id or new_id(), "topic": topic, "subject": subject,
             "eventType": event_type, "eventTime": iso(time, digits=6),
             "data": data if data is not None else {"message": "hello"},
             "dataVersion": "1.0", "metadataVersion": "1"}]


def blob_eventgrid(blob: str = "hello.txt", *, container: str = "samples-workitems",
                   event_type: str = "Microsoft.Storage.BlobCreated", size: int = 1024,
                   content_type: str = "text/plain", time: datetime = DEFAULT_TIME
                   ) -> list[dict[str, Any]]:
    """A Blob Storage event delivered by Event Grid (``BlobCreated``, ``BlobDeleted``...)."""
    url = f"https://polyfnstorage.blob.core.windows.net/{container}/{blob}"
    data: dict[str, Any] = {"api": "PutBlob" if event_type.endswith("Created") else "DeleteBlob",
                            "clientRequestId": new_id(), "requestId": new_id(),
                            "eTag": "0x8D4BCC2E4835CD0", "contentType": content_type,
                            "blobType": "BlockBlob", "url": url,
                            "sequencer": "00000000000004420000000000028963",
                            "storageDiagnostics": {"batchId": new_id()}}
    if event_type.endswith("Created"):
        data["contentLength"] = size
    return [{"topic": _ACCOUNT, "subject": f"/blobServices/default/containers/{container}/"
             f"blobs/{blob}", "eventType": event_type, "id": new_id(), "data": data,
             "dataVersion": "", "metadataVersion": "1", "eventTime": iso(time, digits=6)}]


def eventgrid_cloudevents(data: Any = None, *, type: str = "Microsoft.Storage.BlobCreated",
                          source: str = _ACCOUNT,
                          subject: str = "/blobServices/default/containers/samples-workitems/"
                                         "blobs/hello.txt",
                          event_id: str | None = None, time: datetime = DEFAULT_TIME
                          ) -> list[dict[str, Any]]:
    """An Event Grid delivery in the CloudEvents 1.0 schema (Azure marks it by a
    ``Microsoft.*`` type or a ``/subscriptions/...`` source)."""
    if data is None:
        data = {"api": "PutBlob", "contentType": "text/plain", "contentLength": 1024,
                "blobType": "BlockBlob",
                "url": "https://polyfnstorage.blob.core.windows.net/samples-workitems/hello.txt"}
    event: dict[str, Any] = {"specversion": "1.0", "id": event_id or new_id(), "source": source,
                             "type": type, "subject": subject, "time": iso(time, digits=6)}
    if isinstance(data, (bytes, bytearray)):
        import base64

        event["data_base64"] = base64.b64encode(as_bytes(data)).decode("ascii")
    else:
        event.update(datacontenttype="application/json", data=data)
    return [event]


def cosmosdb(document: Mapping[str, Any] | None = None, *, id: str | None = None,
             time: datetime = DEFAULT_TIME) -> list[dict[str, Any]]:
    """A Cosmos DB change feed batch of one document, with its system properties."""
    doc: dict[str, Any] = (dict(document) if document is not None
                           else {"customerId": "c-1", "status": "placed"})
    doc.setdefault("id", id or new_id())
    rid = uuid.uuid4().hex[:12]
    doc.update(_rid=rid, _self=f"dbs/polyfn/colls/orders/docs/{rid}/",
               _etag=f'"{uuid.uuid4()}"', _attachments="attachments/",
               _ts=int(utc(time).timestamp()), _lsn=1)
    return [doc]
