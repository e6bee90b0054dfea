"""``@sdk.function``: learn once, at decoration time, what a handler takes.

The first parameter's annotation names the kind (``HTTPRequest``, ``Message``...,
or ``Event`` / none for any), optionally a data model (``Message[Order]``), and a
``list[...]`` around it asks for the whole batch. A second parameter receives the
:class:`~sdk.Context`. The model's validator (``sdk/_validator.py``) is built here,
once.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable, Sequence
from types import FunctionType
from typing import Any, Generic, TypeVar, cast, overload

from ._context import Context
from ._event import Event
from ._fields import UNSET
from ._kinds import Change
from ._validator import validator
from .errors import ConfigurationError, WrongKindError

__all__ = ["Function", "as_function", "function"]

F = TypeVar("F", bound=Callable[..., Any])
#: No annotation on the event parameter: the model's one sentinel.
_EMPTY: Any = UNSET
_CO_COROUTINE = 0x80  # inspect.CO_COROUTINE


def _parameters(fn: Callable[..., Any]) -> tuple[list[str], bool]:
    """(positional parameter names, is a coroutine function), as ``inspect`` says.

    A plain function (no ``__wrapped__``/``__signature__`` or other attributes that
    ``inspect`` would follow) is read from its code object: ``inspect`` costs a
    cold start several milliseconds of imports (ast, dis, tokenize).
    """
    if type(fn) is FunctionType and not fn.__dict__:
        code = fn.__code__
        return list(code.co_varnames[:code.co_argcount]), bool(code.co_flags & _CO_COROUTINE)
    import inspect

    params = inspect.signature(fn).parameters.values()
    positional = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return positional, inspect.iscoroutinefunction(fn)


def _resolve_hints(fn: Callable[..., Any]) -> dict[str, Any]:
    try:
        return typing.get_type_hints(fn)
    except Exception as exc:  # NameError for a name the module cannot see, ...
        raise ConfigurationError(
            f"cannot resolve the annotations of {fn.__qualname__}: {exc}"
        ) from None


def _split(annotation: Any, where: str) -> tuple[type[Event[Any]], Any, bool]:
    """``Message[Order]`` -> (Message, Order, False); ``list[Message]`` -> (Message, None, True)."""
    batch = False
    origin = typing.get_origin(annotation)
    if origin in (list, Sequence, typing.List):  # noqa: UP006 - typing.List spelled by users
        (annotation,) = typing.get_args(annotation) or (Event,)
        batch = True
        origin = typing.get_origin(annotation)
    if annotation is _EMPTY or annotation is Any:
        return Event, None, batch
    if isinstance(annotation, type) and issubclass(annotation, Event):
        return annotation, None, batch
    if isinstance(origin, type) and issubclass(origin, Event):
        (model,) = typing.get_args(annotation)
        return origin, (None if model is Any else model), batch
    raise ConfigurationError(
        f"{where}: the first parameter must be annotated with an event kind "
        f"(Event, HTTPRequest, Message, StorageEvent, Schedule, Change, optionally "
        f"with a model: Message[Order], or list[...] for a batch), "
        f"not {annotation!r}"
    )


class Function(Generic[F]):
    """A handler with what it takes worked out. Calling it calls the handler."""

    __slots__ = ("__dict__", "_changes", "_plain", "batch", "fn", "is_async", "kind", "name",
                 "takes_context", "validator")

    def __init__(self, fn: F) -> None:
        if isinstance(fn, Function):
            fn = cast(F, fn.fn)
        if not callable(fn):
            raise ConfigurationError(f"@sdk.function needs a callable, not {type(fn).__name__}")
        self.fn: F = fn
        self.name: str = getattr(fn, "__qualname__", repr(fn))
        functools.update_wrapper(self, fn)
        positional, self.is_async = _parameters(fn)
        if not positional or len(positional) > 2:
            raise ConfigurationError(
                f"{self.name} must take (event) or (event, context), "
                f"not {len(positional)} positional parameter(s)"
            )
        self.takes_context = len(positional) == 2
        hints = _resolve_hints(fn)
        annotation = hints.get(positional[0], _EMPTY)
        self.kind, model, self.batch = _split(annotation, self.name)
        self.validator = validator(model) if model is not None else None
        # Nothing to prepare but the kind check (no model, prepare not overridden).
        self._plain = self.validator is None and type(self).prepare is Function.prepare
        # Whether a Change (whose new/old images are validated too) can reach it.
        self._changes = issubclass(Change, self.kind)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.fn(*args, **kwargs)

    def accepts(self, event: Event[Any]) -> bool:
        return isinstance(event, self.kind)

    def check(self, event: Event[Any]) -> None:
        if not isinstance(event, self.kind):
            raise WrongKindError(
                f"{self.name} takes {self.kind.kind} events, but {event.trigger} "
                f"delivers {event.kind} events"
            )

    def prepare(self, event: Event[Any]) -> Event[Any]:
        """Check the kind and validate ``data`` into the model (DataValidationError)."""
        if not isinstance(event, self.kind):
            self.check(event)
        validator = self.validator
        if validator is not None:
            if self._changes and isinstance(event, Change):
                if event.new is not None:
                    event.new = validator.validate_image(event, "new", event.new)
                if event.old is not None:
                    event.old = validator.validate_image(event, "old", event.old)
            event._data = validator.validate(event)  # the ``data`` setter's work
        return event

    def call(self, event: Event[Any], context: Context) -> Any:
        """Prepare one event and run the handler on it (async handlers too)."""
        if not self._plain:
            self.prepare(event)
        elif not isinstance(event, self.kind):
            self.check(event)
        result = self.fn(event, context) if self.takes_context else self.fn(event)
        if self.is_async:
            return _run(result)
        return result

    def call_batch(self, events: list[Event[Any]], context: Context) -> Any:
        """Run a ``list[...]`` handler on prepared events."""
        result = self.fn(events, context) if self.takes_context else self.fn(events)
        if self.is_async:
            return _run(result)
        return result

    async def call_async(self, event: Event[Any], context: Context) -> Any:
        """:meth:`call` from a running event loop: an async handler is awaited on it
        (a sync one is called here; entry points hand those to a thread)."""
        if not self._plain:
            self.prepare(event)
        elif not isinstance(event, self.kind):
            self.check(event)
        result = self.fn(event, context) if self.takes_context else self.fn(event)
        return await result if self.is_async else result

    async def call_batch_async(self, events: list[Event[Any]], context: Context) -> Any:
        """:meth:`call_batch` from a running event loop."""
        result = self.fn(events, context) if self.takes_context else self.fn(events)
        return await result if self.is_async else result


def _run(coro: Any) -> Any:
    import asyncio  # ~30 ms of cold start that sync handlers never pay

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        running = False
    else:
        running = True
    if not running:
        # Outside the except block, so a handler's error is not chained to this RuntimeError.
        # The process's loop (sdk._loop), not asyncio.run: no loop made and closed per
        # invocation (~0.8 ms), and clients an async handler keeps across warm
        # invocations stay bound to a loop that is still open.
        from ._loop import run

        return run(coro)
    raise ConfigurationError(
        "an async handler was called from a running event loop; use the adapter's "
        "async entry point there"
    )


@overload
def function(fn: F) -> Function[F]: ...
@overload
def function(fn: None = None) -> Callable[[F], Function[F]]: ...
def function(fn: F | None = None) -> Function[F] | Callable[[F], Function[F]]:
    """Declare a polyfn handler: ``@sdk.function`` above ``def handle(event, context)``."""
    if fn is None:
        return Function
    return Function(fn)


def as_function(handle: Any) -> Function[Any]:
    """The :class:`Function` for ``handle``, decorating it if it is not one yet."""
    return handle if isinstance(handle, Function) else Function(handle)
