"""The Azure trigger table, its modules imported only when needed.

An invocation's azure.functions object names its trigger by its class
(``func.QueueMessage`` is a Storage queue message): :func:`for_native` imports
that one trigger's module and keeps its answer only when the trigger's own
predicate matches, so a worker serving one function loads one trigger module.
Anything else (raw JSON, a class this table does not name) goes through the whole
table, :func:`triggers`, built on first use in detection order.
"""

from __future__ import annotations

from typing import Any

from adapters._trigger import Trigger, TriggerModules

__all__ = ["CLASSES", "NAMES", "for_native", "instance", "native_name", "trigger_class",
           "triggers"]

#: (trigger class, its module, the azure.functions class its objects are), in the
#: order detection tries them (predicates do not overlap). A list of objects
#: (``cardinality="many"``) is named by its first item.
_ROWS = (
    ("HTTP", "._http", "HttpRequest"),
    ("Queue", "._queue", "QueueMessage"),
    ("ServiceBus", "._servicebus", "ServiceBusMessage"),
    ("EventHubs", "._eventhub", "EventHubEvent"),
    ("Blob", "._storage", "InputStream"),
    ("Timer", "._timer", "TimerRequest"),
    ("CosmosDB", "._cosmos", "DocumentList"),
    ("EventGrid", "._eventgrid", "EventGridEvent"),
    ("EventGridCloudEvents", "._eventgrid", "CloudEvent"),
)
#: Trigger class -> its module, in detection order.
CLASSES = {name: module for name, module, _ in _ROWS}
#: azure.functions class name -> the trigger class.
NAMES = {native: name for name, _, native in _ROWS}

_TRIGGERS = TriggerModules(__package__)
_table: list[tuple[Trigger, ...]] = []
#: azure.functions class -> the trigger that claimed its object (a class always maps
#: to the same trigger; a list is named by its first item, so never kept).
_KNOWN: dict[type, Trigger] = {}


def trigger_class(name: str) -> type[Trigger]:
    """The trigger class ``name`` (``Queue``), its module imported."""
    return _TRIGGERS.cls(CLASSES[name], name)


def instance(name: str) -> Trigger:
    """The table's own instance of the trigger class ``name`` (one per process)."""
    return _TRIGGERS.get(CLASSES[name], name)


def triggers() -> tuple[Trigger, ...]:
    """Every Azure trigger, in detection order (every trigger module imported)."""
    if not _table:
        _table.append(tuple(instance(name) for name in CLASSES))
    return _table[0]


def native_name(native: Any) -> str | None:
    """The trigger class an azure.functions object (or a list of them) names."""
    item = native[0] if type(native) is list and native else native
    for cls in type(item).__mro__:
        name = NAMES.get(cls.__name__)
        if name is not None and cls.__module__.startswith("azure.functions"):
            return name
    return None


def for_native(native: Any) -> Trigger | None:
    """The trigger of an azure.functions object, importing only its module; ``None``
    when its class names none, or that trigger does not claim it."""
    cls = type(native)
    trigger = _KNOWN.get(cls)
    if trigger is not None:
        return trigger
    name = native_name(native)
    if name is None:
        return None
    trigger = instance(name)
    if not trigger.matches(native):
        return None
    if cls.__module__.startswith("azure.functions"):
        _KNOWN[cls] = trigger
    return trigger
