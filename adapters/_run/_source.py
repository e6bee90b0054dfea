"""What every event source of ``polyfn run`` is: options, batches, tallies.

A :class:`Source` stands in for one platform's poller (Lambda's event source
mapping, Eventarc's push subscription, the Functions host's queue listener): it
receives from the broker, invokes the handler through the provider's own entry
point, and settles each message the way that platform does. The shared loop
(:mod:`._loop`) only decides when to receive, how many invocations run at once,
and when to stop.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import sdk
from sdk import Function

__all__ = ["Batch", "Options", "Source", "SourceError", "Tally", "call_with_timeout",
           "destination"]


class SourceError(Exception):
    """The source cannot be used: unknown address, an option it does not take, an
    unreachable broker. One line, naming the address and never a message body."""


@dataclass(frozen=True)
class Options:
    """The ``polyfn run`` options a source reads (``None``: the platform's default)."""

    batch_size: int | None = None
    batching_window: float = 0.0
    visibility_timeout: int | None = None
    max_dequeue: int | None = None
    timeout: float = 30.0
    unwrap: bool = False
    poll_wait: int = 2  # seconds a receive waits for messages (bounds shutdown latency)


@dataclass
class Batch:
    """One invocation's worth of messages, as the broker returned them."""

    messages: list[Any]


@dataclass
class Tally:
    """What settling one batch did, per message."""

    processed: int = 0  # handled, acknowledged/deleted
    failed: int = 0  # the handler failed (or timed out) on it
    retried: int = 0  # failed, and the broker will deliver it again
    dead_lettered: int = 0  # failed for the last allowed time: moved to the DLQ/poison queue
    redelivered: int = 0  # received with a delivery count above 1

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


class Source(Protocol):
    """One broker subscription, polled as its platform polls it."""

    provider: str
    address: str

    def open(self, function: Function[Any]) -> None:
        """Connect, read the queue's settings, check the options: :class:`SourceError`."""

    def receive(self, slots: int) -> list[Batch]:
        """Wait up to ``poll_wait`` for messages: at most ``slots`` batches."""

    def process(self, batch: Batch) -> Tally:
        """Invoke the handler on ``batch`` and settle every message of it."""

    def release(self, batch: Batch) -> None:
        """Hand an unstarted batch back to the broker now (shutting down)."""


def destination(address: str) -> Any:
    """``sdk.destination(address)``: its parsed address and driver (the driver's
    lazily built client) serve the source too. ``sdk`` loads it on first use."""
    factory: Any = sdk.destination
    return factory(address)


@dataclass
class _Call:
    result: Any = None
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)


def call_with_timeout(fn: Callable[[], Any], timeout: float) -> tuple[bool, Any]:
    """``(True, result)``, or ``(False, exception)`` when ``fn`` raised, or
    ``(False, TimeoutError)`` after ``timeout`` seconds: the platform gives up on a
    function at its timeout (the thread cannot be killed; its late result is ignored)."""
    call = _Call()

    def target() -> None:
        try:
            call.result = fn()
        except BaseException as exc:  # reported as the invocation's failure
            call.error = exc
        finally:
            call.done.set()

    threading.Thread(target=target, name="polyfn-run-invocation", daemon=True).start()
    if not call.done.wait(timeout):
        return False, TimeoutError(f"the function timed out after {timeout:g} s")
    return (False, call.error) if call.error is not None else (True, call.result)
