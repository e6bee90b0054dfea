"""``local_cache=True``: COMPLETED records kept in the warm container.

A duplicate that this container already completed (or already saw completed in
the store) is answered without a round trip. Only COMPLETED records are kept: an
IN_PROGRESS one must be asked of the store, which may have been completed or
released since. Least recently used records go first beyond ``size``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from ._record import COMPLETED, IdempotencyRecord

__all__ = ["LocalCache"]


class LocalCache:
    __slots__ = ("_lock", "_records", "size")

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._records: OrderedDict[str, IdempotencyRecord] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, now: float) -> IdempotencyRecord | None:
        with self._lock:
            record = self._records.get(key)
            if record is None:
                return None
            if record.expiry <= now:
                del self._records[key]
                return None
            self._records.move_to_end(key)
            return record

    def put(self, record: IdempotencyRecord) -> None:
        if record.status != COMPLETED:
            return
        with self._lock:
            self._records[record.key] = record
            self._records.move_to_end(record.key)
            while len(self._records) > self.size:
                self._records.popitem(last=False)

    def discard(self, key: str) -> None:
        with self._lock:
            self._records.pop(key, None)

    def __len__(self) -> int:
        return len(self._records)
