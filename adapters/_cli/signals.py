"""How a long-running command (``polyfn serve``, ``polyfn run``) takes SIGINT and
SIGTERM: its own handler while it runs, the previous handlers back after.

SIGTERM is taken too because a parent shell ignores SIGINT for background jobs,
and a container runtime stops with SIGTERM. Off the main thread (a test calling
the command's ``run``) signals cannot be handled, and are left alone.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

__all__ = ["STOPPING", "handling_signals"]

#: The signals a command stops on, and the word its messages use for each.
STOPPING: dict[int, str] = {signal.SIGINT: "interrupted", signal.SIGTERM: "terminated"}


@contextmanager
def handling_signals(stop: Callable[[int, FrameType | None], Any]) -> Iterator[None]:
    """``stop`` handles each signal of :data:`STOPPING` inside the ``with`` block."""
    try:
        previous = {sig: signal.signal(sig, stop) for sig in STOPPING}
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
