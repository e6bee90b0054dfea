"""Reading a JSON payload from a file or stdin."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from .command import BadInput

__all__ = ["STDIN", "read_json"]

#: The FILE argument that means "read standard input".
STDIN = "-"


def _read_bytes(name: str) -> bytes:
    if name == STDIN:
        stream = getattr(sys.stdin, "buffer", None)
        return stream.read() if stream is not None else sys.stdin.read().encode("utf-8")
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise BadInput(f"cannot read {name}: {exc.strerror or type(exc).__name__}") from None


def read_json(name: str) -> Any:
    """The JSON document in file ``name`` (``-``: stdin); a UTF-8 BOM is tolerated.

    Errors say where the document is broken, never what it holds.
    """
    label = "stdin" if name == STDIN else name
    data = _read_bytes(name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(f"{label} is not UTF-8 text (invalid byte at offset {exc.start})") from None
    if not text.strip():
        raise BadInput(f"{label} is empty; expected a JSON document")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput(f"{label} is not valid JSON: {exc.msg} "
                       f"(line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise BadInput(f"{label} is nested too deeply to parse") from None
