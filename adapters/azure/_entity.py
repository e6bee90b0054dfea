"""The queue or topic a function's trigger binding reads, for ``Message.queue``/``topic``.

Neither a ``func.ServiceBusMessage`` nor a ``func.QueueMessage`` names its entity
(the message metadata has no such field:
https://learn.microsoft.com/azure/azure-functions/functions-bindings-service-bus-trigger#message-metadata),
but the binding does: ``bind(..., queue=..., topic=...)`` says it, else it is read
once, at the first invocation, from the trigger the ``func.FunctionApp`` decorators
attached (``service_bus_queue_trigger(queue_name=...)``,
``service_bus_topic_trigger(topic_name=...)``, ``queue_trigger(queue_name=...)``).
A ``%SETTING%`` name is resolved from the app setting, as the host resolves it
(https://learn.microsoft.com/azure/azure-functions/functions-bindings-expressions-patterns#binding-expressions---app-settings).
What cannot be found stays ``None``, never guessed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["Entity", "binding_entity", "trigger_named"]

#: (queue, topic)
Entity = tuple[str | None, str | None]


def _setting(name: Any) -> str | None:
    if not isinstance(name, str) or not name:
        return None
    if len(name) > 2 and name.startswith("%") and name.endswith("%"):
        return os.environ.get(name[1:-1])
    return name


def _apps() -> Iterator[Any]:
    """The loaded ``FunctionApp``/``Blueprint`` objects (module globals)."""
    register = sys.modules.get("azure.functions.decorators.function_app")
    kinds = tuple(getattr(register, n) for n in ("FunctionRegister", "Blueprint")
                  if hasattr(register, n)) if register is not None else ()
    if not kinds:
        return
    for module in list(sys.modules.values()):
        for value in list(getattr(module, "__dict__", {}).values()):
            if isinstance(value, kinds):
                yield value


def _trigger_of(function: Callable[..., Any]) -> Any:
    for app in _apps():
        for builder in getattr(app, "_function_builders", ()):
            built = getattr(builder, "_function", None)
            if built is not None and built.get_user_function() is function:
                return built.get_trigger()
    return None


def trigger_named(name: str) -> Any:
    """The trigger binding of the app's function called ``name`` (``None``: none)."""
    try:
        for app in _apps():
            for builder in getattr(app, "_function_builders", ()):
                built = getattr(builder, "_function", None)
                if built is not None and built.get_function_name() == name:
                    return built.get_trigger()
    except Exception:  # an app object we cannot read: no trigger known
        return None
    return None


def binding_entity(function: Callable[..., Any]) -> Entity:
    """(queue, topic) of the trigger binding ``function`` is registered with."""
    try:
        trigger = _trigger_of(function)
    except Exception:  # an app object we cannot read: the names stay unknown
        return None, None
    return (_setting(getattr(trigger, "queue_name", None)),
            _setting(getattr(trigger, "topic_name", None)))
