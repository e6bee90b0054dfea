"""Things at the same time, in tests: calls in threads released together
(:func:`at_once`), and proof that awaiting something did not block the event loop
(:class:`Ticker`, a task counting the loop's turns meanwhile).

::

    outcomes = at_once(6, lambda: handle.call(message, context))

    async with Ticker() as ticker:
        await destination.send_async(...)
    assert ticker.ticks > 1  # the loop ran while the send was in flight
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["Ticker", "at_once"]


def at_once(count: int, call: Callable[[], Any],
            refused: type[BaseException] | tuple[type[BaseException], ...] = ()) -> list[Any]:
    """``call()`` in ``count`` threads released together by a barrier: what each
    returned, or the ``refused`` exception it raised, in the order they finished. Any
    other exception is the thread's own (reported by ``threading``), and its outcome
    is missing from the list."""
    gate = threading.Barrier(count)
    outcomes: list[Any] = []

    def attempt() -> None:
        gate.wait()
        try:
            outcomes.append(call())
        except refused as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=attempt) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


class Ticker:
    """Counts the loop's turns inside ``async with`` (one per ``pause`` seconds:
    ``0``, every turn the loop takes)."""

    def __init__(self, pause: float = 0) -> None:
        self.pause = pause
        self.ticks = 0
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        while True:
            self.ticks += 1
            await asyncio.sleep(self.pause)

    async def __aenter__(self) -> Ticker:
        self._task = asyncio.create_task(self._tick())
        return self

    async def __aexit__(self, *exc: Any) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
