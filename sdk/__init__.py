"""polyfn's uniform model: write a handler once against these, run it anywhere.

``import sdk`` loads no provider library and no pydantic; a handler that declares a
data model loads pydantic when it is decorated. Outputs (``sdk.destination``,
``sdk.bucket``), web apps (``sdk.asgi``, ``sdk.wsgi``) and idempotency
(``sdk.idempotent``, ``sdk.store``, ``sdk.idempotency``) load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
    LifespanError,
    NotFound,
    PolyfnError,
    PublishError,
    ResponseEncodeError,
    StorageError,
    UnsupportedEventError,
)

__version__ = "0.1.0"

#: Loaded on first use: outputs (sdk/_outputs), the web-app bridges (the ASGI
#: bridge brings asyncio and threading) and idempotency (hashing, threads); a
#: handler that only receives pays nothing for them.
_LAZY = {
    "idempotent": "._idempotency", "store": "._idempotency", "idempotency": ".idempotency",
    "Bucket": "._outputs", "Destination": "._outputs", "Outgoing": "._outputs",
    "SendResult": "._outputs", "bucket": "._outputs", "destination": "._outputs",
    "asgi": "._asgi", "wsgi": "._wsgi", "ASGIHandler": "._asgi", "WSGIHandler": "._wsgi",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sdk' has no attribute {name!r}")
    from importlib import import_module

    loaded = import_module(module, __name__)
    value = loaded if name == "idempotency" else getattr(loaded, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "ASGIHandler",
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
    "LifespanError",
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
    "WSGIHandler",
    "__version__",
    "as_function",
    "asgi",
    "bucket",
    "destination",
    "errors",
    "function",
    "idempotency",
    "idempotent",
    "store",
    "wsgi",
]

if TYPE_CHECKING:
    from . import idempotency
    from ._asgi import ASGIHandler, asgi
    from ._idempotency import idempotent, store
    from ._outputs import Bucket, Destination, Outgoing, SendResult, bucket, destination
    from ._wsgi import WSGIHandler, wsgi
