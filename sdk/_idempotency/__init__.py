"""Idempotency: ``@sdk.idempotent`` and the stores behind it (docs/idempotency.md).

``sdk.idempotent`` and ``sdk.store`` are the public names; :class:`Store` and
:class:`IdempotencyRecord` are for writing a store of your own
(``sdk.idempotency.register_store``).
"""

from __future__ import annotations

from ._decorator import idempotent
from ._memory import MemoryStore
from ._record import COMPLETED, IN_PROGRESS, AsyncStore, IdempotencyRecord, Store
from ._stores import SCHEMES, register_store, store

__all__ = ["COMPLETED", "IN_PROGRESS", "SCHEMES", "AsyncStore", "IdempotencyRecord",
           "MemoryStore", "Store", "idempotent", "register_store", "store"]
