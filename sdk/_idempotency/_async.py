"""The store as async handlers call it: its own coroutines, or its calls in a thread.

A store with a native async client (``redis.asyncio``, Firestore's
``AsyncClient``; the memory store, which does no I/O) implements
:class:`~sdk.idempotency.AsyncStore` itself. Any other store (boto3 has no
async client; azure-data-tables' needs aiohttp, which polyfn does not install)
has each call run by ``asyncio.to_thread``: the loop keeps serving the other
records of the batch while one waits for its round trip.
This module is imported only when an async handler is decorated.
"""

from __future__ import annotations

import asyncio

from ._record import AsyncStore, IdempotencyRecord, Store

__all__ = ["InThreads", "async_store"]


class InThreads:
    """A synchronous store's operations, each run in the loop's default executor."""

    __slots__ = ("name", "store")

    def __init__(self, store: Store) -> None:
        self.store = store
        self.name = store.name

    async def aput_if_absent(self, record: IdempotencyRecord, now: float
                             ) -> IdempotencyRecord | None:
        return await asyncio.to_thread(self.store.put_if_absent, record, now)

    async def aupdate_if(self, record: IdempotencyRecord, claimed: IdempotencyRecord) -> bool:
        return await asyncio.to_thread(self.store.update_if, record, claimed)

    async def adelete_if(self, claimed: IdempotencyRecord) -> bool:
        return await asyncio.to_thread(self.store.delete_if, claimed)

    def __repr__(self) -> str:
        return f"<InThreads {self.store!r}>"


def async_store(store: Store) -> AsyncStore:
    """``store`` itself when it has the async operations, else :class:`InThreads`."""
    if isinstance(store, AsyncStore):
        return store
    return InThreads(store)
