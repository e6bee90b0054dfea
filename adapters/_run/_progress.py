"""The live progress line of ``polyfn run`` and its summary, on stderr.

On a terminal one line is redrawn in place (carriage return) every
``TTY_EVERY`` seconds; otherwise (a log file, CI) a plain line is written every
``PLAIN_EVERY`` seconds, and only when something changed. The handler's own logs
go to stdout as JSON lines, so the two never interleave in one stream.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

from ._source import Tally

__all__ = ["Progress"]

TTY_EVERY = 0.5
PLAIN_EVERY = 10.0


class Progress:
    """Totals over every settled batch, shown while running and at the end."""

    def __init__(self, address: str, stream: TextIO | None = None) -> None:
        self.address = address
        self.total = Tally()
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._shown = ""
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._tick, name="polyfn-run-progress",
                                        daemon=True)

    def start(self) -> None:
        self._thread.start()

    def add(self, tally: Tally) -> None:
        with self._lock:
            self.total.add(tally)

    def line(self) -> str:
        t = self.total
        return (f"{t.processed} processed, {t.failed} failed, {t.retried} retried, "
                f"{t.dead_lettered} dead-lettered")

    def _tick(self) -> None:
        every = TTY_EVERY if self.tty else PLAIN_EVERY
        while not self._stop.wait(every):
            with self._lock:
                text = self.line()
            if self.tty:
                self._write(f"\r\x1b[K{self.address}: {text}")
            elif text != self._shown:
                self._write(f"{self.address}: {text}\n")
            self._shown = text

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # stderr closed: the summary is not worth a crash
            pass

    def finish(self, reason: str) -> str:
        """Stop the ticker and write the summary line (returned too)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)
        seconds = time.monotonic() - self._started
        summary = f"polyfn run: {reason} after {seconds:.1f} s: {self.line()}"
        self._write(("\r\x1b[K" if self.tty else "") + summary + "\n")
        return summary
