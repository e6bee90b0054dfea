"""Native async clients, one per event loop, closed when their loop shuts down.

An asyncio client (``redis.asyncio``, Firestore's ``AsyncClient`` over
``grpc.aio``) is bound to the loop it first ran on: its connections cannot be
used from another. A long-lived loop (the Azure Functions worker's, an ASGI
server's) keeps one client for its life; a loop made for one invocation
(``asyncio.run``) gets its own, and ``asyncio.run``'s ``shutdown_asyncgens``
closes it before the loop closes (an async generator parked on the client is
its finaliser), so no connection outlives its loop.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Generic, TypeVar

__all__ = ["PerLoop"]

T = TypeVar("T")


class PerLoop(Generic[T]):
    """``await clients.get()``: this loop's client, made by ``make()`` on first use."""

    def __init__(self, make: Callable[[], T], close: Callable[[T], Awaitable[Any]]) -> None:
        self._make = make
        self._close = close
        self._lock = threading.Lock()  # loops in several threads
        #: id(loop) -> (loop, client, the generator that closes it)
        self._clients: dict[int, tuple[asyncio.AbstractEventLoop, T, Any]] = {}

    async def get(self) -> T:
        loop = asyncio.get_running_loop()
        entry = self._clients.get(id(loop))
        if entry is not None and entry[0] is loop:
            return entry[1]
        client = self._make()  # no I/O: the client connects on its first command
        closer = self._closer(client)
        await closer.__anext__()  # parked: finalised when the loop shuts down
        with self._lock:
            # Loops that closed since are dropped (their clients were closed then).
            live = {key: value for key, value in self._clients.items()
                    if not value[0].is_closed()}
            live[id(loop)] = (loop, client, closer)
            self._clients = live
        return client

    async def _closer(self, client: T) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await self._close(client)
