"""The event loop ASGI apps run on: one per process, on its own daemon thread.

Why a thread of its own rather than ``asyncio.run`` per request or the caller's
thread: an app's lifespan state (database pools, HTTP clients) is bound to the loop
it was made on, so every invocation must run on that same loop; and the callers
differ by platform — Lambda calls from its main thread, one request at a time, but
the Azure worker runs sync functions in a thread pool and functions-framework
serves requests on several threads at once. Handing each request to one loop that
never stops keeps the state valid and lets concurrent requests overlap on it (an
``await`` in one lets another run). On Lambda the thread sleeps while the
environment is frozen between invocations.

After a ``fork`` (gunicorn with ``--preload``) the thread is gone: a new loop is
started in the child, and the app's lifespan starts again there.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from .errors import ConfigurationError

__all__ = ["loop", "run"]

T = TypeVar("T")

_lock = threading.Lock()
_state: dict[str, Any] = {"loop": None, "pid": None, "thread": None}


def loop() -> asyncio.AbstractEventLoop:
    """The process's loop, started on first use (and again after a fork)."""
    found = _state["loop"]
    if found is not None and _state["pid"] == os.getpid():
        return found  # type: ignore[no-any-return]
    with _lock:
        if _state["loop"] is None or _state["pid"] != os.getpid():
            new = asyncio.new_event_loop()
            thread = threading.Thread(target=new.run_forever, name="polyfn-asgi", daemon=True)
            thread.start()
            _state.update(loop=new, pid=os.getpid(), thread=thread)
        return _state["loop"]  # type: ignore[no-any-return]


def run(coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
    """Run ``coro`` on the process's loop and wait for its result (or exception)."""
    target = loop()
    if threading.current_thread() is _state["thread"]:
        coro.close()
        raise ConfigurationError("a bridged ASGI app was called from its own event loop; "
                                 "call the ASGI app directly there")
    return asyncio.run_coroutine_threadsafe(coro, target).result(timeout)
