"""Google clients for outputs: created on first use, once per process, shared.

Credentials, project and endpoints come from the libraries' own defaults
(google.auth's Application Default Credentials, ``GOOGLE_CLOUD_PROJECT``, the
metadata server on Cloud Run functions) and their emulator switches
(``PUBSUB_EMULATOR_HOST``, ``STORAGE_EMULATOR_HOST``). The cache key holds the
emulator variable, so a process that changes it gets a client that honours it.
The error code is google-api-core's class name for the status (``NotFound``,
``PermissionDenied``, ``PreconditionFailed``...), the same over gRPC and HTTP.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["cached", "code_of", "detail_of"]

T = TypeVar("T")

_lock = threading.Lock()
_clients: dict[tuple[str, str | None], Any] = {}


def cached(kind: str, emulator_variable: str, build: Callable[[], T]) -> T:
    key = (kind, os.environ.get(emulator_variable))
    found = _clients.get(key)
    if found is None:
        with _lock:
            found = _clients.get(key)
            if found is None:
                found = _clients[key] = build()
    return found


def code_of(exc: BaseException) -> str:
    return type(exc).__name__


def detail_of(exc: BaseException) -> str:
    """The service's message (never the payload), first line, bounded."""
    text = str(getattr(exc, "message", None) or exc).strip().splitlines()
    return text[0][:200] if text else ""
