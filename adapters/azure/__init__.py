"""Azure Functions (Python v2 programming model): ``bind(handle, arg_name)`` under any
trigger decorator of ``func.FunctionApp``::

    app = func.FunctionApp()
    app.route(route="hello", auth_level=func.AuthLevel.ANONYMOUS)(bind(handle))
    app.queue_trigger(arg_name="msg", queue_name="orders", connection="Storage")(
        bind(handle, "msg", name="orders"))

The function dispatches on the azure.functions object the worker passes. ``decode``
also reads raw Event Grid JSON (either schema) and raw Cosmos DB document arrays.
``import adapters.azure`` loads neither azure.functions nor werkzeug: the worker
has azure.functions loaded already, and raw JSON never needs it. Nor does it load
the trigger modules: an invocation's object imports only its own trigger's
(``_table.py``); ``TRIGGERS`` and the trigger classes load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from adapters._trigger import Trigger
from adapters._trigger import detect as _detect
from sdk import Context, Event

from . import _table
from ._bind import bind
from ._context import azure_context

if TYPE_CHECKING:
    from ._cosmos import CosmosDB
    from ._eventgrid import EventGrid, EventGridCloudEvents
    from ._eventhub import EventHubs
    from ._http import HTTP
    from ._queue import Queue
    from ._servicebus import ServiceBus
    from ._storage import Blob
    from ._timer import Timer

    #: Every Azure trigger, in the order detection tries them (predicates do not overlap).
    TRIGGERS: tuple[Trigger, ...]

__all__ = [
    "HTTP", "PROVIDER", "TRIGGERS", "Blob", "CosmosDB", "EventGrid", "EventGridCloudEvents",
    "EventHubs", "Queue", "ServiceBus", "Timer", "azure_context", "bind", "decode", "detect",
]

PROVIDER = "azure"


def __getattr__(name: str) -> Any:
    # PEP 562: the trigger classes and the table import their modules on first use.
    if name == "TRIGGERS":
        value: Any = _table.triggers()
    elif name in _table.CLASSES:
        value = _table.trigger_class(name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def detect(raw: Any) -> Trigger:
    """The trigger that produced ``raw``; :class:`UnsupportedEventError` if none."""
    return _table.for_native(raw) or _detect(PROVIDER, _table.triggers(), raw)


def decode(raw: Any, context: Context | None = None) -> list[Event[Any]]:
    """The uniform events in an azure.functions object or raw Azure JSON."""
    trigger = _table.for_native(raw) or _detect(PROVIDER, _table.triggers(), raw)
    return trigger.decoded(raw, context)
