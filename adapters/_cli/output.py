"""What the CLI writes: the handler's logs kept off stdout, native responses as JSON.

stdout carries only the result (events or the provider's response), so it can be
piped into ``jq``. While a handler runs, whatever it (or ``context.logger``) writes
goes to stderr instead; the ``stack`` field of error log lines is dropped there,
since the CLI prints one ``error:`` line and the traceback only with ``--traceback``.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from sdk.adapter import body_fields, dumps, jsonable

__all__ = ["LogSink", "handler_output", "json_text", "one_line", "response_json"]


def json_text(text: str) -> str:
    """JSON text any UTF-8 stream can print: a lone surrogate (``"\ud800"`` in the
    payload, which JSON allows) becomes the six-character escape it was sent as,
    which is the same JSON; everything else is unchanged."""
    if text.isascii():
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def one_line(message: str) -> str:
    """``message`` with its line breaks folded, for a one-line error."""
    return " ".join(message.split())


class LogSink(io.TextIOBase):
    """A text stream forwarding whole lines to ``target``, minus log stacks."""

    def __init__(self, target: TextIO) -> None:
        self._target = target
        self._pending = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        *lines, self._pending = (self._pending + text).split("\n")
        for line in lines:
            self._target.write(_without_stack(line) + "\n")
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._target.write(_without_stack(self._pending) + "\n")
            self._pending = ""
        self._target.flush()


def _without_stack(line: str) -> str:
    if not line.startswith("{"):
        return line
    try:
        record = json.loads(line)
    except ValueError:
        return line
    if not isinstance(record, dict) or "stack" not in record:
        return line
    del record["stack"]
    return dumps(record)


@contextlib.contextmanager
def handler_output() -> Iterator[None]:
    """Send stdout and the ``polyfn`` logger (Azure's log path) to stderr meanwhile."""
    sink = LogSink(sys.stderr)
    log = logging.getLogger("polyfn")
    handler = logging.StreamHandler(sink)
    saved = (log.level, log.propagate)
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)  # sdk.Logger filters by POLYFN_LOG_LEVEL itself
    log.propagate = False
    try:
        with contextlib.redirect_stdout(sink):
            yield
    finally:
        sink.flush()
        log.removeHandler(handler)
        log.setLevel(saved[0])
        log.propagate = saved[1]


def response_json(value: Any) -> Any:
    """A provider's response as JSON: dicts as they are; ``func.HttpResponse`` and
    flask/werkzeug responses as ``{"status", "headers", "body"}``."""
    status = getattr(value, "status_code", None)
    read = getattr(value, "get_body", None) or getattr(value, "get_data", None)
    if isinstance(status, int) and callable(read):
        return {"status": status, "headers": _headers(getattr(value, "headers", {})),
                **body_fields(read())}
    return jsonable(value)


def _headers(headers: Any) -> dict[str, str | list[str]]:
    """Header pairs by name; a name sent more than once (Set-Cookie) keeps every value."""
    out: dict[str, str | list[str]] = {}
    for name, value in headers.items():
        if name not in out:
            out[name] = value
            continue
        current = out[name]
        out[name] = [*current, value] if isinstance(current, list) else [current, value]
    return out



