"""Structured log lines out of a process's output (a runtime's stdout, where the
runtime's own text stands between the function's JSON lines)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any


def structured(lines: Iterable[str], key: str) -> list[dict[str, Any]]:
    """The JSON objects among ``lines`` that have ``key`` (``message`` for polyfn's
    Lambda lines, ``severity`` for Cloud Logging's), in order; other lines skipped."""
    found = []
    for line in lines:
        try:
            doc = json.loads(line)
        except ValueError:
            continue
        if isinstance(doc, dict) and key in doc:
            found.append(doc)
    return found
