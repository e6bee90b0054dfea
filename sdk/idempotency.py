"""``sdk.idempotency``: what writing a store of your own needs (docs/idempotency.md).

``@sdk.idempotent`` and ``sdk.store`` are the names most code uses; this module
adds the record, its states, the :class:`Store` protocol (and :class:`AsyncStore`,
its optional async form), the in-memory store and
``register_store`` for new address schemes.
"""

from __future__ import annotations

from ._idempotency import (
    COMPLETED,
    IN_PROGRESS,
    SCHEMES,
    AsyncStore,
    IdempotencyRecord,
    MemoryStore,
    Store,
    idempotent,
    register_store,
    store,
)

__all__ = ["COMPLETED", "IN_PROGRESS", "SCHEMES", "AsyncStore", "IdempotencyRecord",
           "MemoryStore", "Store", "idempotent", "register_store", "store"]
