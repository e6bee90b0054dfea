"""Environment variables read per event, without the exception a missing one costs.

``os.environ.get(name)`` for a variable that is not set goes through
``Mapping.get``, which calls ``os.environ[name]`` and catches the ``KeyError`` it
raises: about 8k instructions, more than all the other fields of a log line. An
invocation reads a few such variables (the trace id when Lambda sends none,
``POLYFN_LOG_REDACT`` per line), so :func:`getenv` answers the same from the
mapping ``os.environ`` keeps its values in, its own ``__getitem__``'s source
(CPython's ``os._Environ``: names as it encodes them -> encoded values). It reads
``os.environ`` as it is at the call, so a test or a debugger changing it (or
replacing ``os.environ``) is seen at once; where ``os.environ`` is not such a
mapping, it is ``os.environ.get``.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["getenv"]

_ENVIRON = os.environ
#: What ``os.environ[name]`` reads: ``_data[encodekey(name)]``, decoded (None: not
#: CPython's mapping, then ``os.environ.get``).
_DATA: dict[Any, Any] | None = getattr(_ENVIRON, "_data", None)
_ENCODE: Any = getattr(_ENVIRON, "encodekey", None)
_DECODE: Any = getattr(_ENVIRON, "decodevalue", None)
#: The encoded names asked for (names written in polyfn's code: a handful).
_NAMES: dict[str, Any] = {}


def getenv(name: str) -> str | None:
    """``os.environ.get(name)``."""
    environ = os.environ
    data = _DATA
    if environ is not _ENVIRON or data is None or _ENCODE is None or _DECODE is None:
        return environ.get(name)
    key = _NAMES.get(name)
    if key is None:
        key = _NAMES[name] = _ENCODE(name)
    value = data.get(key)
    return None if value is None else _DECODE(value)
