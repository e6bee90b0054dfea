"""The loop every ``polyfn run`` source shares: receive, invoke, settle, stop.

At most ``concurrency`` invocations run at once (Lambda's maximum concurrency of
an event source mapping, the Functions host's ``batchSize``, Eventarc's
instances): the loop asks the source for no more batches than there are free
slots. On shutdown (SIGINT/SIGTERM: :meth:`Loop.stop`) it stops receiving, hands
back what it received but had not started (the source's ``release``: visibility
0, nack) and lets every running invocation finish and settle, so no message is
lost or settled twice. A message whose invocation cannot finish stays with the
broker, invisible until its timeout: it is delivered again, never dropped.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from sdk import Logger

from ._progress import Progress
from ._source import Batch, Source, SourceError

__all__ = ["Loop"]

T = TypeVar("T")

_BACKOFF = (1.0, 2.0, 5.0, 10.0)  # seconds between receives after a broker error


class Loop:
    """Runs ``source`` until :meth:`stop` (or ``idle`` seconds without a message)."""

    def __init__(self, source: Source, progress: Progress, *, concurrency: int = 1,
                 idle: float | None = None) -> None:
        self.source = source
        self.progress = progress
        self.concurrency = concurrency
        self.idle = idle
        self.stopping = threading.Event()
        self.reason = "stopped"
        self.log = Logger(source.provider, None).bind(source=source.address)
        self._running = 0
        self._slots = threading.Condition()
        self._last_message = time.monotonic()

    def stop(self, reason: str = "stopped") -> None:
        if not self.stopping.is_set():
            self.reason = reason
            self.stopping.set()
            with self._slots:
                self._slots.notify_all()

    def run(self) -> None:
        errors = 0
        with ThreadPoolExecutor(self.concurrency, thread_name_prefix="polyfn-run") as pool:
            while not self.stopping.is_set():
                slots = self._free_slots()
                if not slots:
                    break
                try:
                    batches = self.source.receive(slots)
                except SourceError as exc:
                    self.log.warning("receive failed; retrying", error=str(exc))
                    self.stopping.wait(_BACKOFF[min(errors, len(_BACKOFF) - 1)])
                    errors += 1
                    continue
                errors = 0
                self._dispatch(pool, batches)
            # leaving the with-block waits for the running invocations to settle

    def _dispatch(self, pool: ThreadPoolExecutor, batches: list[Batch]) -> None:
        if batches:
            self._last_message = time.monotonic()
        elif self.idle is not None and self._idle_for() >= self.idle:
            self.stop(f"idle for {self.idle:g} s")
        for batch in batches:
            if self.stopping.is_set():  # received during the last poll: hand it back
                self._safely(self.source.release, batch, "release")
                continue
            with self._slots:
                self._running += 1
            pool.submit(self._process, batch)

    def _idle_for(self) -> float:
        with self._slots:
            busy = self._running > 0
        if busy:  # a running invocation may fail and bring its messages back
            self._last_message = time.monotonic()
        return time.monotonic() - self._last_message

    def _free_slots(self) -> int:
        with self._slots:
            while self._running >= self.concurrency and not self.stopping.is_set():
                self._slots.wait()
            return 0 if self.stopping.is_set() else self.concurrency - self._running

    def _process(self, batch: Batch) -> None:
        try:
            tally = self._safely(self.source.process, batch, "settle")
            if tally is not None:
                self.progress.add(tally)
        finally:
            with self._slots:
                self._running -= 1
                self._slots.notify_all()

    def _safely(self, step: Callable[[Batch], T], batch: Batch, what: str) -> T | None:
        """A broker error while settling leaves the messages with the broker: they
        come back after their timeout (at least once), and the loop goes on."""
        try:
            return step(batch)
        except Exception as exc:  # logged; the broker still holds the messages
            self.log.error(f"{what} failed; the messages return after their timeout",
                           error=f"{type(exc).__name__}: {exc}"[:300],
                           messages=len(batch.messages))
            return None
