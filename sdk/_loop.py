"""The event loop ASGI apps run on: one per process, run by the threads that call.

An app's lifespan state (database pools, HTTP clients) is bound to the loop it was
made on, so every invocation runs on that same loop, never ``asyncio.run`` per
request. Callers differ by platform: Lambda calls from its main thread, one
request at a time; the Azure worker runs sync functions in a thread pool and
functions-framework serves several requests at once on threads. So:

* a thread that finds the loop idle runs it itself (``run_until_complete``): on
  Lambda every invocation, with no thread hand-off (waking another thread costs
  tens of microseconds to milliseconds on a busy machine);
* a thread that finds it running hands its coroutine to it
  (``run_coroutine_threadsafe``) and waits; the running thread keeps the loop
  going until every such guest is done, so concurrent requests overlap on the
  one loop (an ``await`` in one lets another run).

Between invocations nothing runs the loop: tasks an app left running (a periodic
refresh) wait for the next request, as the environment itself is frozen on
Lambda. Called from a thread whose own loop is running (async code calling the
sync handler), the coroutine runs on a helper thread instead. After a ``fork``
(gunicorn ``--preload``) the child makes a loop of its own: ``os.register_at_fork``
forgets the parent's, so no request pays for a ``getpid`` check.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

__all__ = ["loop", "run"]

T = TypeVar("T")

_ident = threading.get_ident
#: The name of the task each request runs in.
_NAME = "polyfn"
_running_loop = asyncio._get_running_loop


class _Runner:
    """The process's loop and who is running it."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.mutex = threading.Lock()
        self.running = False  # a thread is inside run_until_complete
        self.host = 0  # which one
        self.guests = 0  # coroutines of other threads not finished yet
        self.drained = asyncio.Event()

    async def _guest(self, coro: Coroutine[Any, Any, T]) -> T:
        try:
            return await coro
        finally:
            with self.mutex:
                self.guests -= 1
                if not self.guests:
                    self.drained.set()

    def _serve_guests(self) -> None:
        """Run the loop until no guest waits, then leave it (with none, as on Lambda's
        one request at a time, at once). The mutex is taken and released directly:
        ``with`` costs more, every request."""
        mutex = self.mutex
        while True:
            mutex.acquire()
            if not self.guests:
                self.running = False
                mutex.release()
                return
            self.drained.clear()
            mutex.release()
            self.loop.run_until_complete(self.drained.wait())


_lock = threading.Lock()
_runner: list[_Runner] = []
#: The parent's runner in a forked child, kept: closing its loop would unregister
#: the parent's wake-up socket from the epoll instance both processes share.
_inherited: list[_Runner] = []


def _current() -> _Runner:
    if _runner:
        return _runner[0]
    with _lock:
        if not _runner:
            _runner.append(_Runner())
        return _runner[0]


def _forget() -> None:
    """In a forked child: the parent's loop (and its threads) are not this process's."""
    _inherited.extend(_runner)
    _runner.clear()
    global _lock
    _lock = threading.Lock()  # held by a thread that does not exist here, maybe


if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork
    os.register_at_fork(after_in_child=_forget)


def loop() -> asyncio.AbstractEventLoop:
    """The process's loop (made on first use, and again after a fork)."""
    return _current().loop


def run(coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
    """Run ``coro`` on the process's loop and return its result (or raise): as the
    loop's host when it is idle, else as a guest of the thread running it (module
    docstring). One frame between the caller and the loop, every request."""
    if _running_loop() is not None:  # async code calling the sync handler
        return _on_helper_thread(coro, timeout)
    runner = _runner[0] if _runner else _current()
    mutex = runner.mutex
    mutex.acquire()  # and release in ``finally``: ``with`` costs more, every request
    try:
        host = not runner.running
        if host:
            runner.running, runner.host = True, _ident()
        elif runner.host == _ident():  # a signal handler inside the loop
            coro.close()
            raise RuntimeError("the event loop is running in this very thread")
        else:  # scheduled while the host cannot leave (it needs the mutex to)
            runner.guests += 1
            future = asyncio.run_coroutine_threadsafe(runner._guest(coro), runner.loop)
    finally:
        mutex.release()
    if not host:
        return future.result(timeout)
    loop = runner.loop
    try:
        # A task made here, named: unnamed, each one formats a "Task-N" name. Not
        # logged as destroyed pending if the loop is interrupted (as
        # run_until_complete does for the tasks it makes).
        task = loop.create_task(asyncio.wait_for(coro, timeout) if timeout is not None
                                else coro, name=_NAME)
        task._log_destroy_pending = False  # type: ignore[attr-defined]
        return loop.run_until_complete(task)
    finally:
        runner._serve_guests()


def _on_helper_thread(coro: Coroutine[Any, Any, T], timeout: float | None) -> T:
    """:func:`run` from a thread whose own loop is running: on a thread of its own."""
    out: list[Any] = []

    def helper() -> None:
        try:
            out.append((True, run(coro, timeout)))
        except BaseException as exc:
            out.append((False, exc))

    thread = threading.Thread(target=helper, name="polyfn-asgi")
    thread.start()
    thread.join()
    ok, value = out[0]
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]
