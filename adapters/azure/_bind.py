"""``bind(handle, arg_name)``: a polyfn handler as an Azure Functions (Python v2
programming model) function.

How the worker loads and calls it (azure-functions-python-worker /
azure-functions-runtime ``functions.py``, ``Registry.add_indexed_function``):

* ``inspect.signature(fn)``: every parameter but one literally named ``context``
  must be the ``arg_name`` of a binding, and every binding but ``$return`` a
  parameter; ``context`` receives ``func.Context``.
* ``typing.get_type_hints(fn)``: annotations are optional and, when present, are
  checked against the binding's converter (and a return annotation must be a
  class): the built function has none, so any trigger accepts it.
* ``inspect.getfile(fn)`` names the function's directory; ``fn.__name__`` is the
  function's name in the app unless ``@app.function_name`` says otherwise (names
  must be unique in an app).
* A function without a ``$return`` binding must return ``None``: the worker fails an
  invocation that returns anything else.
* Sync functions run in the worker's thread pool, so an async handler runs in its
  own event loop there.
"""

from __future__ import annotations

import inspect
import keyword
import re
from collections.abc import Callable
from typing import Any

from adapters._http import HTTPTrigger
from adapters._tracing import invoke
from adapters._trigger import Trigger
from adapters._trigger import detect as _detect
from sdk import as_function
from sdk.errors import ConfigurationError

from . import _table
from ._context import azure_context
from ._entity import Entity, binding_entity

__all__ = ["bind"]

#: Azure function names: a letter, then letters, digits, ``_`` or ``-`` (127 at most).
_FUNCTION_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,126}\Z")


def _signature(arg_name: str) -> inspect.Signature:
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    return inspect.Signature([inspect.Parameter(arg_name, kind),
                              inspect.Parameter("context", kind, default=None)])


def _check(arg_name: str, name: str) -> None:
    if not arg_name.isidentifier() or keyword.iskeyword(arg_name) or arg_name == "context":
        raise ConfigurationError(f"bind(): arg_name must be a Python identifier other than "
                                 f"'context' (the worker's own parameter), not {arg_name!r}")
    if not _FUNCTION_NAME.match(name):
        raise ConfigurationError(f"bind(): {name!r} is not a valid Azure function name (a "
                                 f"letter, then letters, digits, '_' or '-'); pass name=...")


#: The triggers whose instance a binding configures: trigger class -> what it takes.
_CONFIGURED = ("CosmosDB", "Queue", "ServiceBus")
#: The triggers that read their queue or topic name from the binding.
_ENTITY_TRIGGERS = frozenset({"azure.queue", "azure.servicebus"})


def _configured(name: str, partition_key: str | None, entity: Entity) -> Trigger:
    """The trigger class ``name`` as this binding configures it (the table's own
    instance when there is nothing to configure)."""
    queue, topic = entity
    if name == "CosmosDB" and partition_key is not None:
        return _table.trigger_class(name)(partition_key)  # type: ignore[call-arg]
    if name == "Queue" and queue is not None:
        return _table.trigger_class(name)(queue)  # type: ignore[call-arg]
    if name == "ServiceBus" and entity != (None, None):
        return _table.trigger_class(name)(queue, topic)  # type: ignore[call-arg]
    return _table.instance(name)


class _Dispatch:
    """The trigger for a native object, and whether the function returns its result,
    cached by class in ``known``: an azure.functions class always maps to the same
    trigger, found importing only its module (raw JSON and lists are detected every
    time, over the whole table)."""

    __slots__ = ("_entity", "_partition_key", "_returns", "_triggers", "known")

    def __init__(self, partition_key: str | None, entity: Entity = (None, None),
                 returns: bool = False) -> None:
        self._partition_key = partition_key
        self._entity = entity
        self._returns = returns
        #: native class -> (its trigger, whether the function returns the result)
        self.known: dict[type, tuple[Trigger, bool]] = {}
        self._triggers: tuple[Trigger, ...] | None = None

    def __call__(self, native: Any) -> Trigger:
        return self.entry(native)[0]

    def entry(self, native: Any) -> tuple[Trigger, bool]:
        """(trigger, returns) for ``native``: HTTP functions return the response."""
        cls = type(native)
        entry = self.known.get(cls)
        if entry is None:
            trigger = self._detect(native)
            entry = (trigger, self._returns or isinstance(trigger, HTTPTrigger))
            if cls.__module__.startswith("azure.functions"):
                self.known[cls] = entry
        return entry

    def _detect(self, native: Any) -> Trigger:
        name = _table.native_name(native)
        if name is not None:
            trigger = self._trigger(name)
            if trigger.matches(native):
                return trigger
        if self._triggers is None:
            self._triggers = tuple(self._trigger(name) for name in _table.CLASSES)
        return _detect("azure", self._triggers, native)

    def _trigger(self, name: str) -> Trigger:
        if name in _CONFIGURED:
            return _configured(name, self._partition_key, self._entity)
        return _table.instance(name)


def bind(handle: Callable[..., Any], arg_name: str = "req", *, name: str | None = None,
         returns: bool = False, partition_key: str | None = None, queue: str | None = None,
         topic: str | None = None) -> Callable[..., Any]:
    """A function to decorate with any ``func.FunctionApp`` trigger decorator.

    ``arg_name`` must equal the decorator's (``app.route``'s ``trigger_arg_name``
    defaults to ``req``; the others require ``arg_name=``). ``name`` is the function's
    name in the app (default: the handler's). HTTP functions return the
    ``func.HttpResponse``; other triggers return ``None`` unless ``returns=True``
    (for a ``$return`` output binding), which returns a single record's result.
    ``partition_key`` is the Cosmos DB container's partition key path, added to
    ``Change.keys``. ``queue``/``topic`` name the Service Bus or Storage queue (or
    topic) in ``Message.queue``/``topic``; by default they are read from the trigger
    binding the app's decorator attached, at the first invocation (``_entity.py``).
    """
    fn = as_function(handle)
    function_name = name or getattr(fn, "__name__", "") or "handler"
    _check(arg_name, function_name)
    given: Entity = (queue, topic)
    detect = [_Dispatch(partition_key, given, returns)]
    look_up = [given == (None, None)]  # the binding's names, once, for queue triggers

    def function(*args: Any, **kwargs: Any) -> Any:
        if not args and len(kwargs) == 2 and "context" in kwargs and arg_name in kwargs:
            native, raw_context = kwargs[arg_name], kwargs["context"]  # as the worker calls
        else:
            native, raw_context = _arguments(arg_name, args, kwargs)
        dispatch = detect[0]
        entry = dispatch.known.get(type(native))  # the native class seen before
        if entry is None:
            entry = dispatch.entry(native)
            if look_up[0] and entry[0].name in _ENTITY_TRIGGERS:
                look_up[0] = False  # the app's decorators have run by the first call
                detect[0] = dispatch = _Dispatch(partition_key, binding_entity(function),
                                                 returns)
                entry = dispatch.entry(native)
        trigger, answers = entry
        result = invoke(trigger, fn, native, azure_context(raw_context))
        return result if answers else None

    function.__signature__ = _signature(arg_name)  # type: ignore[attr-defined]
    function.__annotations__ = {}  # see the module docstring
    function.__name__ = function.__qualname__ = function_name
    function.__doc__ = fn.__doc__
    function.__module__ = getattr(fn, "__module__", __name__)
    function.__wrapped__ = fn  # type: ignore[attr-defined]
    return function


def _arguments(arg_name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
               ) -> tuple[Any, Any]:
    """(trigger value, func.Context) from a call shaped like the signature above."""
    if len(args) + len(kwargs) > 2 or (args and arg_name in kwargs):
        raise TypeError(f"expected ({arg_name}, context=None)")
    if args:
        native = args[0]
    elif arg_name in kwargs:
        native = kwargs[arg_name]
    else:
        raise TypeError(f"missing the {arg_name!r} argument")
    context = args[1] if len(args) > 1 else kwargs.get("context")
    unexpected = set(kwargs) - {arg_name, "context"}
    if unexpected:
        raise TypeError(f"unexpected argument(s): {sorted(unexpected)}")
    return native, context
