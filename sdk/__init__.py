"""polyfn's uniform model: write a handler once against these, run it anywhere.

``import sdk`` loads no provider library and no pydantic; a handler that declares a
data model loads pydantic when it is decorated.
"""

from __future__ import annotations

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


def __getattr__(name: str) -> object:
    if name in _OUTPUTS:
        from . import _outputs

        return getattr(_outputs, name)
    raise AttributeError(f"module 'sdk' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_OUTPUTS})


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
]
