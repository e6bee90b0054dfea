"""The ASGI lifespan protocol, once per process.

https://asgi.readthedocs.io/en/latest/specs/lifespan.html

* Startup runs on the first request a process serves, not when the module is
  imported: importing happens where no app should open connections (the Azure
  worker indexing functions, ``polyfn samples``, a test collecting modules), and a
  failure at import would fail the whole cold start with no HTTP answer. The
  first request pays for it once; every later one finds it done. Call
  ``handler.startup()`` at import time to move it into Lambda's init phase
  (provisioned concurrency, SnapStart) on purpose.
* ``lifespan.startup.failed``, or (``lifespan="on"``) an app that raises or
  returns instead of completing startup, is a :class:`~sdk.errors.LifespanError`:
  that request answers 500 with the reason logged, and the next request tries the
  startup again (a database that was down may be up). With ``"auto"`` an app
  that raises before completing startup does not speak lifespan (Django, Flask
  through an adapter): it is served without.
* The state the app put in ``scope["state"]`` during startup is shared by every
  request of the process, each request getting a shallow copy (the spec's rule).
* Shutdown runs when the process is told to end: at interpreter exit
  (``atexit``), and on ``SIGTERM`` when nothing else handles it, which is how
  Lambda ends an environment that has an extension registered (without one, Lambda
  sends no signal and shutdown cannot run). Gunicorn (functions-framework) and the
  Azure worker handle SIGTERM themselves and exit normally: ``atexit`` runs there.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import signal
import sys
import threading
from typing import Any

from . import _loop
from .errors import LifespanError

__all__ = ["Lifespan"]

#: How long shutdown may take at exit (Lambda allows 500 ms to 2 s after SIGTERM).
SHUTDOWN_TIMEOUT = 5.0
_LIFESPAN_SCOPE = {"version": "3.0", "spec_version": "2.0"}


class Lifespan:
    """One app's lifespan in this process: ``ensure()`` before each request."""

    def __init__(self, app: Any, mode: str) -> None:
        self.app = app
        self.mode = mode  # "auto" or "on"
        self.state: dict[str, Any] = {}
        self.ready = False  # startup done (or the app has no lifespan): no more work
        self.supported = False
        self._lock = threading.Lock()
        self._queue: asyncio.Queue[dict[str, Any]] | None = None
        self._startup: asyncio.Future[str | None] | None = None
        self._shutdown: asyncio.Future[str | None] | None = None

    def ensure(self) -> None:
        """Start the app's lifespan unless this process has already."""
        if self.ready:  # a forked child starts again (``_Hooks.forked``)
            return
        with self._lock:
            if not self.ready:
                self.state = {}
                _loop.run(self._start())
                self.ready = True
                _hooks.add(self)

    async def _start(self) -> None:
        running = asyncio.get_running_loop()
        self._queue = asyncio.Queue()
        self._startup, self._shutdown = running.create_future(), running.create_future()
        task: asyncio.Future[Any] = running.create_task(self._main())
        task.add_done_callback(_retrieve)
        await self._queue.put({"type": "lifespan.startup"})
        await asyncio.wait([self._startup, task], return_when=asyncio.FIRST_COMPLETED)
        if self._startup.done() and not self._startup.cancelled():
            failure = self._startup.result()
            if failure is not None:
                raise LifespanError(f"the app's lifespan startup failed: {failure}")
            self.supported = True
            return
        # The app raised or returned without completing startup.
        exc = task.exception()
        if self.mode == "on":
            raise LifespanError("the app did not complete lifespan startup"
                                + (f" ({type(exc).__name__}: {exc})" if exc else "")) from exc
        self.supported = False

    async def _main(self) -> None:
        scope = {"type": "lifespan", "asgi": dict(_LIFESPAN_SCOPE), "state": self.state}
        try:
            await self.app(scope, self._receive, self._send)
        finally:
            for future in (self._startup, self._shutdown):
                if future is not None and not future.done():
                    future.cancel()

    async def _receive(self) -> dict[str, Any]:
        assert self._queue is not None
        return await self._queue.get()

    async def _send(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        future = self._startup if kind in _STARTUP else self._shutdown
        if future is not None and not future.done() and kind in _OUTCOME:
            future.set_result(None if _OUTCOME[kind] else str(message.get("message") or ""))

    def shutdown(self) -> None:
        """Run the app's shutdown once (atexit, SIGTERM); a failure is reported on
        stderr, as there is no request left to answer."""
        if not (self.ready and self.supported):
            return
        self.ready = False
        try:
            failure = _loop.run(self._stop(), SHUTDOWN_TIMEOUT)
        except Exception as exc:  # a timeout, an app that raised
            failure = f"{type(exc).__name__}: {exc}"
        if failure:
            print(f"polyfn: the app's lifespan shutdown failed: {failure}", file=sys.stderr)

    async def _stop(self) -> str | None:
        assert self._queue is not None and self._shutdown is not None
        await self._queue.put({"type": "lifespan.shutdown"})
        try:
            return await self._shutdown
        except asyncio.CancelledError:  # the app returned: shut down all the same
            return None


def _retrieve(task: asyncio.Future[Any]) -> None:
    """Mark what the lifespan task raised as seen: ``_start`` reports it."""
    if not task.cancelled():
        task.exception()


_STARTUP = {"lifespan.startup.complete", "lifespan.startup.failed"}
#: Message type -> whether it reports success.
_OUTCOME = {"lifespan.startup.complete": True, "lifespan.startup.failed": False,
            "lifespan.shutdown.complete": True, "lifespan.shutdown.failed": False}


class _Hooks:
    """atexit and SIGTERM, installed once for every started lifespan."""

    def __init__(self) -> None:
        self.started: list[Lifespan] = []
        self.installed = False

    def add(self, lifespan: Lifespan) -> None:
        if lifespan not in self.started:
            self.started.append(lifespan)
        if not self.installed:
            self.installed = True
            atexit.register(self.shutdown)
            # Only the main thread may set handlers; a handler someone else set
            # (gunicorn, the Azure worker) is theirs to run.
            if (threading.current_thread() is threading.main_thread()
                    and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL):
                signal.signal(signal.SIGTERM, self._on_sigterm)

    def shutdown(self) -> None:
        for lifespan in reversed(self.started):
            lifespan.shutdown()

    def forked(self) -> None:
        """In a forked child (gunicorn ``--preload``): the parent's lifespans are
        the parent's to shut down; each starts again here on its first request."""
        for lifespan in self.started:
            lifespan.ready = False
            lifespan._lock = threading.Lock()
        self.started.clear()

    def _on_sigterm(self, signum: int, frame: Any) -> None:
        self.shutdown()
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)  # and end as the default handler would


_hooks = _Hooks()
if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork
    os.register_at_fork(after_in_child=_hooks.forked)
