"""``azure-table://TABLE``: idempotency records in Azure Table Storage, guarded by ETags.

The claim is ``create_entity`` (Insert Entity fails with 409 when the row exists:
https://learn.microsoft.com/rest/api/storageservices/insert-entity); when it
exists, the row is read, and an expired one is taken over with a replace
conditioned on the ETag just read (``If-Match``,
https://learn.microsoft.com/rest/api/storageservices/update-entity2), so two
takers cannot both win. Completing and releasing are a replace / delete
conditioned on the claim's ETag. A duplicate costs two round trips (the failed
insert does not return the row, and no request both inserts and reads:
docs/idempotency.md); a new key two (claim, complete).

The row is PartitionKey = the function's name, RowKey = the key's sha256.
Table Storage has no TTL: expired rows stay until taken over (a scheduled
cleanup may delete rows whose ``expiry`` passed). ``result`` is a string
property, at most 64 KiB.

Where it connects is the Functions convention for bindings, the resolver the
Azure outputs use (``adapters/_outputs/azure/_connection.py``):

* ``azure-table://TABLE?connection=SETTING``: the app setting (environment
  variable) ``SETTING`` (default ``AzureWebJobsStorage``) holds a connection
  string, a Storage account's or a Cosmos DB for Table account's
  (``...;TableEndpoint=https://ACCOUNT.table.cosmos.azure.com:443/;``): the
  client library parses it and finds the endpoint (it knows a Cosmos DB host);
* or an identity-based setting collection: ``SETTING__tableServiceUri``
  (``https://ACCOUNT.table.core.windows.net`` or
  ``https://ACCOUNT.table.cosmos.azure.com``), ``SETTING__serviceUri``, or
  ``SETTING__accountName`` (a Storage account), with azure-identity's
  ``DefaultAzureCredential``;
* ``azure-table://HOST/TABLE``: that account address
  (``azure-table://ACCOUNT.table.cosmos.azure.com/idempotency``), with
  ``DefaultAzureCredential``.

azure-data-tables is imported when the store is first used (extra ``azure``).
"""

from __future__ import annotations

import threading
from typing import Any

from adapters._outputs.azure._connection import Service, credential, resolve
from sdk.adapter import IN_PROGRESS, IdempotencyRecord, StoreAddress, public_name, require
from sdk.errors import ConfigurationError

__all__ = ["TableStore"]

#: Characters Table Storage refuses in PartitionKey/RowKey, and control characters
#: (https://learn.microsoft.com/rest/api/storageservices/understanding-the-table-service-data-model#characters-disallowed-in-key-fields).
_DISALLOWED = {ord(c): "_" for c in "/\\#?"} | {c: "_" for c in range(0x20)}
#: How a table store finds its connection (the Functions convention, as for the
#: Azure outputs): the default setting, the identity-based members, an account name's URL.
_TABLES = Service("AzureWebJobsStorage", ("tableServiceUri", "serviceUri", "accountName"),
                  "https://{}.table.core.windows.net")
#: How often a claim re-reads a row that changed under it before calling it busy.
_ATTEMPTS = 3


class TableStore:
    """Idempotency records as Table Storage entities."""

    def __init__(self, table: str, *, client: Any = None, connection: str | None = None,
                 endpoint: str | None = None, name: str | None = None) -> None:
        """``client``: a ``TableClient`` to use; else one from ``connection`` (a
        connection string) or, without one, ``endpoint`` (the table service's URL)
        with ``DefaultAzureCredential``."""
        if not table:
            raise ConfigurationError("azure-table:// idempotency store needs a table name")
        self.table = table
        self.name = name or f"azure-table://{table}"
        #: the table service's URL for an identity-based connection (else None)
        self.endpoint = None if connection else endpoint
        self._client = client
        self._connection = connection
        self._lock = threading.Lock()
        self._api: tuple[Any, Any, Any, Any] | None = None

    @classmethod
    def from_address(cls, address: StoreAddress) -> TableStore:
        require("azure.data.tables", "azure", address)
        found = resolve(address, _TABLES)
        return cls(found.entity, connection=found.connection_string, endpoint=found.endpoint,
                   name=public_name(address))

    def _connect(self) -> tuple[Any, Any, Any, Any]:
        """(TableClient, ResourceExistsError, ResourceModifiedError, ResourceNotFoundError),
        imported and built on first use."""
        api = self._api
        if api is None:
            with self._lock:
                if self._api is None:
                    from azure.core.exceptions import (
                        ResourceExistsError,
                        ResourceModifiedError,
                        ResourceNotFoundError,
                    )
                    from azure.data.tables import TableClient

                    client = self._client
                    if client is None:
                        client = self._client = self._build(TableClient)
                    self._api = (client, ResourceExistsError, ResourceModifiedError,
                                 ResourceNotFoundError)
                api = self._api
        return api

    def _build(self, table_client: Any) -> Any:
        if self._connection or not self.endpoint:
            return table_client.from_connection_string(self._connection or "",
                                                       table_name=self.table)
        return table_client(self.endpoint, table_name=self.table, credential=credential())

    @property
    def client(self) -> Any:
        return self._connect()[0]

    def _entity(self, record: IdempotencyRecord) -> dict[str, Any]:
        partition, _, row = record.key.rpartition("#")
        entity = {"PartitionKey": partition.translate(_DISALLOWED) or "_",
                  "RowKey": row.translate(_DISALLOWED)}
        entity.update({k: v for k, v in record.fields().items() if v is not None})
        return entity

    def connect(self) -> TableStore:
        """Import the library and build the client now (at import time), not on the
        first event."""
        self._connect()
        return self

    def put_if_absent(self, record: IdempotencyRecord, now: float) -> IdempotencyRecord | None:
        client, exists, _, missing = self._connect()
        entity = self._entity(record)
        for _ in range(_ATTEMPTS):
            try:
                record.version = client.create_entity(entity)["etag"]
                return None
            except exists:
                pass
            try:
                found = client.get_entity(entity["PartitionKey"], entity["RowKey"])
            except missing:
                continue  # released in between: claim again
            existing = IdempotencyRecord.from_fields(record.key, found, found.metadata["etag"])
            if not existing.expired(now):
                return existing
            if self._replace(entity, existing.version, record):
                return None  # took over an expired record
        return IdempotencyRecord(record.key, IN_PROGRESS, now + 1)  # contended: busy

    def _replace(self, entity: dict[str, Any], etag: str, record: IdempotencyRecord) -> bool:
        from azure.core import MatchConditions
        from azure.data.tables import UpdateMode

        client, _, modified, missing = self._connect()
        try:
            meta = client.update_entity(entity, mode=UpdateMode.REPLACE, etag=etag,
                                        match_condition=MatchConditions.IfNotModified)
        except (modified, missing):
            return False
        record.version = meta["etag"]
        return True

    def update_if(self, record: IdempotencyRecord, claimed: IdempotencyRecord) -> bool:
        return self._replace(self._entity(record), claimed.version, record)

    def delete_if(self, claimed: IdempotencyRecord) -> bool:
        """True also when the row is already gone (the client treats 404 as done)."""
        from azure.core import MatchConditions

        client, _, modified, missing = self._connect()
        entity = self._entity(claimed)
        try:
            client.delete_entity(entity["PartitionKey"], entity["RowKey"], etag=claimed.version,
                                 match_condition=MatchConditions.IfNotModified)
        except (modified, missing):
            return False
        return True

    def __repr__(self) -> str:
        return f"<TableStore {self.name}>"
