"""An idempotency record, its two states, and the protocol every store implements.

A record lives under one key (``"<function>#<sha256>"``) and is either
``IN_PROGRESS`` (a handler is running it; ``expiry`` is the lease, bounded by the
invocation's deadline) or ``COMPLETED`` (``result`` holds the handler's result as
JSON text; ``expiry`` is when the record stops counting). A record whose expiry
has passed counts as absent: a new claim replaces it.

Stores are small on purpose: three conditional operations, each one round trip
where the backend allows it (see docs/idempotency.md for each store's count).
Async handlers call the same three as coroutines (:class:`AsyncStore`): a store
with a native async client implements them, any other is run in a worker thread
(``sdk/_idempotency/_async.py``), so a store call never blocks the event loop.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

__all__ = ["COMPLETED", "IN_PROGRESS", "AsyncStore", "IdempotencyRecord", "Store"]

IN_PROGRESS = "IN_PROGRESS"
COMPLETED = "COMPLETED"


class IdempotencyRecord:
    """One key's state. ``version`` is the store's own token for conditional writes
    (a DynamoDB/Redis claim token, an Azure ETag, a Firestore update time), set by
    the store when it writes or reads the record."""

    __slots__ = ("expiry", "key", "payload_hash", "result", "status", "version")

    def __init__(self, key: str, status: str, expiry: float, payload_hash: str | None = None,
                 result: str | None = None, version: Any = None) -> None:
        self.key = key
        self.status = status
        self.expiry = expiry  # epoch seconds
        self.payload_hash = payload_hash
        self.result = result  # JSON text; None while IN_PROGRESS
        self.version = version

    def expired(self, now: float) -> bool:
        return self.expiry <= now

    def fields(self) -> dict[str, Any]:
        """The stored fields (not the key, not the version), as JSON-able values."""
        return {"status": self.status, "expiry": self.expiry, "hash": self.payload_hash,
                "result": self.result}

    @classmethod
    def from_fields(cls, key: str, fields: Any, version: Any = None) -> IdempotencyRecord:
        """A record from what :meth:`fields` wrote (a dict, an entity, a document)."""
        return cls(key, str(fields["status"]), float(fields["expiry"]), fields.get("hash"),
                   fields.get("result"), version)

    def __repr__(self) -> str:
        return f"<IdempotencyRecord {self.key} {self.status} expiry={self.expiry:.3f}>"


@runtime_checkable
class Store(Protocol):
    """Where records live. Every method is atomic on the backend.

    ``put_if_absent`` writes ``record`` (an IN_PROGRESS claim) unless a record that
    has not expired at ``now`` exists under its key; it returns ``None`` when it
    wrote (and sets ``record.version``), else the existing record. An expired
    record is replaced (the takeover of a claim whose holder crashed).

    ``update_if`` replaces the record ``claimed`` wrote with ``record`` (the
    COMPLETED one), only while the stored record is still that claim; ``delete_if``
    deletes it under the same condition. Both return whether they did.
    """

    #: the address it was built from, for error messages (never a secret)
    name: str

    def put_if_absent(self, record: IdempotencyRecord, now: float
                      ) -> IdempotencyRecord | None: ...

    def update_if(self, record: IdempotencyRecord, claimed: IdempotencyRecord) -> bool: ...

    def delete_if(self, claimed: IdempotencyRecord) -> bool: ...


@runtime_checkable
class AsyncStore(Protocol):
    """:class:`Store`'s three operations as coroutines, with the same contract, for
    async handlers (the ``a`` prefix as in Django's async cache API). Optional: a
    store without them is run in a worker thread (``asyncio.to_thread``)."""

    name: str

    async def aput_if_absent(self, record: IdempotencyRecord, now: float
                             ) -> IdempotencyRecord | None: ...

    async def aupdate_if(self, record: IdempotencyRecord, claimed: IdempotencyRecord
                         ) -> bool: ...

    async def adelete_if(self, claimed: IdempotencyRecord) -> bool: ...
