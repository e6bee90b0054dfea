"""``firestore://COLLECTION``: idempotency records in Firestore, guarded by preconditions.

The claim is ``DocumentReference.create`` (a write with the precondition
``exists: false``, failing with ALREADY_EXISTS:
https://cloud.google.com/firestore/docs/manage-data/add-data#set_a_document).
When the document exists it is read, and an expired one is taken over with an
update conditioned on the update time just read (``last_update_time``
precondition: https://cloud.google.com/firestore/docs/reference/rpc/google.firestore.v1#precondition),
so two takers cannot both win. Completing and releasing are an update / delete
under the claim's update time. A duplicate costs two round trips (the failed
create does not return the document, and a transaction's read is an RPC of
its own: docs/idempotency.md); a new key two (claim, complete).

Documents carry ``expire_at`` (a timestamp) for a Firestore TTL policy
(https://cloud.google.com/firestore/docs/ttl); correctness never depends on it.
A document holds at most 1 MiB.

Async handlers use the library's ``AsyncClient`` (``grpc.aio``), one per event
loop (``adapters/_stores/_aio.py``), with the same calls.

Options: ``?project=``, ``?database=``; the client honours
``FIRESTORE_EMULATOR_HOST``. google-cloud-firestore is imported when the store is
first used (extra ``gcp``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from sdk.adapter import IN_PROGRESS, IdempotencyRecord, StoreAddress, option, public_name, require
from sdk.errors import ConfigurationError

__all__ = ["FirestoreStore"]

_ATTEMPTS = 3


class FirestoreStore:
    """Idempotency records as Firestore documents, one per key."""

    def __init__(self, collection: str, *, client: Any = None,
                 async_client: Callable[[], Any] | None = None, project: str | None = None,
                 database: str | None = None, name: str | None = None) -> None:
        """``client``: a ``firestore.Client`` to use; ``async_client``: makes the
        ``AsyncClient`` for each event loop (default: from project and database)."""
        if not collection:
            raise ConfigurationError("firestore:// idempotency store needs a collection")
        self.collection = collection
        self.name = name or f"firestore://{collection}"
        self._client = client
        self._project = project
        self._database = database
        self._lock = threading.Lock()
        self._api: tuple[Any, Any, Any, Any, Any] | None = None
        self._make_async = async_client
        self._aio: Any = None  # PerLoop, made by the first async call

    @classmethod
    def from_address(cls, address: StoreAddress) -> FirestoreStore:
        require("google.cloud.firestore", "gcp", address)
        return cls(address.name, project=option(address, "project"),
                   database=option(address, "database"), name=public_name(address))

    def _connect(self) -> tuple[Any, Any, Any, Any, Any]:
        """(client, collection, AlreadyExists, precondition failures, DELETE_FIELD)."""
        api = self._api
        if api is None:
            with self._lock:
                if self._api is None:
                    import google.cloud.firestore as firestore
                    from google.api_core.exceptions import (
                        AlreadyExists,
                        FailedPrecondition,
                        NotFound,
                    )

                    client = self._client
                    if client is None:
                        kwargs = {"database": self._database} if self._database else {}
                        client = self._client = firestore.Client(project=self._project,
                                                                 **kwargs)
                    self._api = (client, client.collection(self.collection), AlreadyExists,
                                 (FailedPrecondition, NotFound), firestore.DELETE_FIELD)
                api = self._api
        return api

    @staticmethod
    def _document_id(key: str) -> str:
        return key.replace("/", "_")

    def _fields(self, record: IdempotencyRecord, delete: Any = None) -> dict[str, Any]:
        fields = record.fields()
        fields["expire_at"] = datetime.fromtimestamp(record.expiry, tz=timezone.utc)
        if delete is None:
            return {k: v for k, v in fields.items() if v is not None}
        return {k: (delete if v is None else v) for k, v in fields.items()}

    def connect(self) -> FirestoreStore:
        """Import the library and build the client now (at import time), not on the
        first event."""
        self._connect()
        return self

    def put_if_absent(self, record: IdempotencyRecord, now: float) -> IdempotencyRecord | None:
        _, collection, exists, _, _ = self._connect()
        document = collection.document(self._document_id(record.key))
        for _ in range(_ATTEMPTS):
            try:
                record.version = document.create(self._fields(record)).update_time
                return None
            except exists:
                pass
            snapshot = document.get()
            if not snapshot.exists:
                continue  # released in between: claim again
            existing = IdempotencyRecord.from_fields(record.key, snapshot.to_dict(),
                                                     snapshot.update_time)
            if not existing.expired(now):
                return existing
            if self._update(document, record, existing.version):
                return None  # took over an expired record
        return IdempotencyRecord(record.key, IN_PROGRESS, now + 1)  # contended: busy

    def _update(self, document: Any, record: IdempotencyRecord, version: Any) -> bool:
        client, _, _, failed, delete = self._connect()
        try:
            result = document.update(self._fields(record, delete),
                                     option=client.write_option(last_update_time=version))
        except failed:
            return False
        record.version = result.update_time
        return True

    def update_if(self, record: IdempotencyRecord, claimed: IdempotencyRecord) -> bool:
        collection = self._connect()[1]
        document = collection.document(self._document_id(record.key))
        return self._update(document, record, claimed.version)

    def delete_if(self, claimed: IdempotencyRecord) -> bool:
        client, collection, _, failed, _ = self._connect()
        document = collection.document(self._document_id(claimed.key))
        try:
            document.delete(option=client.write_option(
                last_update_time=claimed.version))
        except failed:
            return False
        return True

    # -- async handlers: the same calls on this loop's AsyncClient -------------------
    async def _aconnect(self) -> tuple[Any, Any, Any, Any, Any]:
        """:meth:`_connect`'s tuple, with this loop's AsyncClient and its collection."""
        _, _, exists, failed, delete = self._connect()  # the library, imported once
        if self._aio is None:
            from ._aio import PerLoop

            with self._lock:
                if self._aio is None:
                    self._aio = PerLoop(self._async_client, _aclose)
        client = await self._aio.get()
        return client, client.collection(self.collection), exists, failed, delete

    def _async_client(self) -> Any:
        if self._make_async is not None:
            return self._make_async()
        import google.cloud.firestore as firestore

        kwargs = {"database": self._database} if self._database else {}
        return firestore.AsyncClient(project=self._project, **kwargs)

    async def aput_if_absent(self, record: IdempotencyRecord, now: float
                             ) -> IdempotencyRecord | None:
        client, collection, exists, _, _ = await self._aconnect()
        document = collection.document(self._document_id(record.key))
        for _ in range(_ATTEMPTS):
            try:
                record.version = (await document.create(self._fields(record))).update_time
                return None
            except exists:
                pass
            snapshot = await document.get()
            if not snapshot.exists:
                continue  # released in between: claim again
            existing = IdempotencyRecord.from_fields(record.key, snapshot.to_dict(),
                                                     snapshot.update_time)
            if not existing.expired(now):
                return existing
            if await self._aupdate(client, document, record, existing.version):
                return None  # took over an expired record
        return IdempotencyRecord(record.key, IN_PROGRESS, now + 1)  # contended: busy

    async def _aupdate(self, client: Any, document: Any, record: IdempotencyRecord,
                       version: Any) -> bool:
        _, _, _, failed, delete = self._connect()
        try:
            result = await document.update(self._fields(record, delete),
                                           option=client.write_option(last_update_time=version))
        except failed:
            return False
        record.version = result.update_time
        return True

    async def aupdate_if(self, record: IdempotencyRecord, claimed: IdempotencyRecord) -> bool:
        client, collection, _, _, _ = await self._aconnect()
        document = collection.document(self._document_id(record.key))
        return await self._aupdate(client, document, record, claimed.version)

    async def adelete_if(self, claimed: IdempotencyRecord) -> bool:
        client, collection, _, failed, _ = await self._aconnect()
        document = collection.document(self._document_id(claimed.key))
        try:
            await document.delete(option=client.write_option(last_update_time=claimed.version))
        except failed:
            return False
        return True

    def __repr__(self) -> str:
        return f"<FirestoreStore {self.name}>"


async def _aclose(client: Any) -> None:
    """Close the AsyncClient's gRPC channel, if it opened one (the library has no
    public close for it: the transport's ``close`` is the generated client's)."""
    api = getattr(client, "_firestore_api_internal", None)
    if api is not None:
        await api.transport.close()
