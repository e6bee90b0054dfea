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
    PolyfnError,
    ResponseEncodeError,
    UnsupportedEventError,
)

__version__ = "0.1.0"

__all__ = [
    "BatchFailedError",
    "Change",
    "ConfigurationError",
    "Context",
    "DataValidationError",
    "Event",
    "EventDecodeError",
    "Function",
    "HTTPRequest",
    "Headers",
    "Logger",
    "Message",
    "PolyfnError",
    "Query",
    "Response",
    "ResponseEncodeError",
    "Schedule",
    "StorageEvent",
    "UnsupportedEventError",
    "__version__",
    "as_function",
    "errors",
    "function",
]
