"""What ``polyfn serve`` writes to stderr: one readable line per uniform event the
handler receives, and one per request with its answer.

::

    12:00:01 message aws.sqs id=8b1c... queue=orders delivery_count=1
    12:00:01 POST /_polyfn/invoke -> 200 aws.sqs batchItemFailures=1 (3 ms)
    12:00:02 http GET /hello -> 200 (1 ms)

Lines name ids, names and paths, never payload data.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sdk import Event, Function
from sdk.adapter import dumps

__all__ = ["LOCAL_HTTP", "EventLog", "LoggedFunction", "describe"]

#: The trigger of plain HTTP requests served locally (logged as request lines).
LOCAL_HTTP = "local.http"
_LONGEST = 80  # characters of one field value in a line

#: kind -> the fields that say what an event is about
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "http": ("method", "path"),
    "message": ("queue", "topic", "delivery_count", "ordering_key"),
    "storage": ("operation", "bucket", "key", "size"),
    "schedule": ("schedule", "scheduled_time", "past_due"),
    "change": ("operation", "table", "keys"),
    "event": ("type", "source", "subject"),
}


def _shown(value: Any) -> str:
    if isinstance(value, datetime):
        text = value.isoformat()
    elif isinstance(value, (dict, list)):
        text = dumps(value)
    else:
        text = " ".join(str(value).split())
    return text if len(text) <= _LONGEST else text[:_LONGEST - 1] + "…"


def describe(event: Event[Any]) -> str:
    """``kind trigger id=... field=value ...`` for one event (fields that are set)."""
    parts = [event.kind, event.trigger]
    if event.id:
        parts.append(f"id={_shown(event.id)}")
    for name in KEY_FIELDS.get(event.kind, KEY_FIELDS["event"]):
        value = getattr(event, name, None)
        if value is not None and value != "":
            parts.append(f"{name}={_shown(value)}")
    return " ".join(parts)


class EventLog:
    """Writes timestamped lines to stderr (looked up at each write, so redirection
    in tests and embedding works)."""

    def __init__(self, write: Callable[[str], Any] | None = None) -> None:
        self._write = write

    def line(self, text: str) -> None:
        stamped = f"{time.strftime('%H:%M:%S')} {text}\n"
        if self._write is not None:
            self._write(stamped)
            return
        sys.stderr.write(stamped)
        sys.stderr.flush()

    def event(self, event: Event[Any]) -> None:
        if event.trigger != LOCAL_HTTP:  # a plain request is logged with its answer
            self.line(describe(event))

    def request(self, method: str, path: str, status: int, note: str, ms: float, *,
                plain: bool = False) -> None:
        """One request and its answer; ``plain``: a plain HTTP request, whose line is
        its event's (``http GET /path -> 200``)."""
        kind = "http " if plain else ""
        suffix = f" {note}" if note else ""
        self.line(f"{kind}{method} {path} -> {status}{suffix} ({ms:.0f} ms)")


class LoggedFunction(Function[Any]):
    """The handler, logging every event before it runs: each adapter path (one
    event, a batch, a ``list[...]`` handler, async) prepares every event first."""

    def __init__(self, fn: Function[Any], log: EventLog) -> None:
        super().__init__(fn)
        self.log = log

    def prepare(self, event: Event[Any]) -> Event[Any]:
        self.log.event(event)
        return super().prepare(event)
