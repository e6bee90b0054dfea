"""polyfn's uniform model: write a handler once against these, run it anywhere.

``import sdk`` loads no provider library and no pydantic; a handler that declares a
data model loads pydantic when it is decorated. ``sdk.idempotent``, ``sdk.store``
and ``sdk.idempotency`` load on first use (they need hashing and threads).
"""

from __future__ import annotations

from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from . import errors
from ._context import Context
from ._event import Event
from ._function import Function, as_function, function
from ._http import HTTPRequest
from ._kinds import Change, Message, Schedule, StorageEvent
from ._log import Logger
from ._multidict import Headers, Query
from ._response import Response
from .errors import (
    BatchFailedError,
    ConfigurationError,
    DataValidationError,
    EventDecodeError,
    IdempotencyError,
    IdempotencyInProgressError,
    IdempotencyKeyError,
    IdempotencyKeyMismatchError,
    IdempotencyStoreError,
    NotFound,
    PolyfnError,
    PublishError,
    ResponseEncodeError,
    StorageError,
    UnsupportedEventError,
)

__version__ = "0.1.0"

#: Outputs (sdk/_outputs), imported on first use: a handler that only receives
#: pays nothing for them.
_OUTPUTS = frozenset({"Bucket", "Destination", "Outgoing", "SendResult", "bucket",
                      "destination"})


#: Idempotency (sdk/_idempotency), imported on first use: (module, attribute or
#: None for the module itself).
_IDEMPOTENCY = {
    "idempotent": ("sdk._idempotency", "idempotent"),
    "store": ("sdk._idempotency", "store"),
    "idempotency": ("sdk.idempotency", None),
}


def __getattr__(name: str) -> _Any:
    if name in _OUTPUTS:
        from . import _outputs

        return getattr(_outputs, name)
    found = _IDEMPOTENCY.get(name)
    if found is None:
        raise AttributeError(f"module 'sdk' has no attribute {name!r}")
    import importlib

    module = importlib.import_module(found[0])
    value = module if found[1] is None else getattr(module, found[1])
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_OUTPUTS, *_IDEMPOTENCY})


__all__ = [
    "BatchFailedError",
    "Bucket",
    "Change",
    "ConfigurationError",
    "Context",
    "DataValidationError",
    "Destination",
    "Event",
    "EventDecodeError",
    "Function",
    "HTTPRequest",
    "Headers",
    "IdempotencyError",
    "IdempotencyInProgressError",
    "IdempotencyKeyError",
    "IdempotencyKeyMismatchError",
    "IdempotencyStoreError",
    "Logger",
    "Message",
    "NotFound",
    "Outgoing",
    "PolyfnError",
    "PublishError",
    "Query",
    "Response",
    "ResponseEncodeError",
    "Schedule",
    "SendResult",
    "StorageError",
    "StorageEvent",
    "UnsupportedEventError",
    "__version__",
    "as_function",
    "bucket",
    "destination",
    "errors",
    "function",
    "idempotency",
    "idempotent",
    "store",
]

if _TYPE_CHECKING:
    from . import idempotency
    from ._idempotency import idempotent, store
