"""``memory://``: records in this process, for tests and local runs.

Thread-safe, so concurrent duplicates in threads of one process are
run once; its async operations are the same calls (it does no I/O). It is no
guard across processes or containers: use a remote store there.
Each write numbers the record (its version): conditions compare the numbers.
"""

from __future__ import annotations

import itertools
import threading
from typing import TYPE_CHECKING

from ._record import IdempotencyRecord

if TYPE_CHECKING:
    from ._stores import StoreAddress

__all__ = ["MemoryStore"]

#: ``memory://NAME`` stores, shared by name within the process.
_NAMED: dict[str, MemoryStore] = {}
_NAMED_LOCK = threading.Lock()


class MemoryStore:
    """Idempotency records in a dict guarded by a lock."""

    __slots__ = ("_lock", "_next", "_records", "name")

    def __init__(self, name: str = "memory://") -> None:
        self.name = name
        self._records: dict[str, IdempotencyRecord] = {}
        self._lock = threading.Lock()
        self._next = itertools.count(1).__next__

    @classmethod
    def from_address(cls, address: StoreAddress) -> MemoryStore:
        """``memory://`` is a new store; ``memory://NAME`` the process's store of that name."""
        if not address.netloc:
            return cls(address.text)
        with _NAMED_LOCK:
            store = _NAMED.get(address.netloc)
            if store is None:
                store = _NAMED[address.netloc] = cls(address.text)
            return store

    def connect(self) -> MemoryStore:
        """Nothing to connect to: here for symmetry with the remote stores."""
        return self

    def put_if_absent(self, record: IdempotencyRecord, now: float) -> IdempotencyRecord | None:
        # dict.setdefault is one atomic step (str keys: no Python code runs inside it),
        # so a new key needs no lock; replacing an expired record takes it.
        record.version = self._next()
        found = self._records.setdefault(record.key, record)
        if found is record:
            return None
        if found.expiry > now:
            return found
        with self._lock:
            current = self._records.get(record.key)
            if current is not None and current is not found and current.expiry > now:
                return current  # another claim replaced it first
            self._records[record.key] = record
        return None

    def update_if(self, record: IdempotencyRecord, claimed: IdempotencyRecord) -> bool:
        with self._lock:
            found = self._records.get(claimed.key)
            if found is None or found.version != claimed.version:
                return False
            record.version = self._next()
            self._records[record.key] = record
        return True

    def delete_if(self, claimed: IdempotencyRecord) -> bool:
        with self._lock:
            if not self._holds(claimed):
                return False
            del self._records[claimed.key]
        return True

    # Async handlers: the same calls, which do no I/O (no thread needed).
    async def aput_if_absent(self, record: IdempotencyRecord, now: float
                             ) -> IdempotencyRecord | None:
        return self.put_if_absent(record, now)

    async def aupdate_if(self, record: IdempotencyRecord, claimed: IdempotencyRecord) -> bool:
        return self.update_if(record, claimed)

    async def adelete_if(self, claimed: IdempotencyRecord) -> bool:
        return self.delete_if(claimed)

    def _holds(self, claimed: IdempotencyRecord) -> bool:
        found = self._records.get(claimed.key)
        return found is not None and found.version == claimed.version

    def __len__(self) -> int:
        return len(self._records)

    def __repr__(self) -> str:
        return f"<MemoryStore {self.name} records={len(self._records)}>"
