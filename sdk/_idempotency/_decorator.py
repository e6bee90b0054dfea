"""``@sdk.idempotent``: at-least-once deliveries handled effectively once.

It wraps the handler itself, so it composes with ``@sdk.function`` in either
order and works wherever the handler is called: once per record inside a batch
(per-record semantics), once per invocation for a ``list[...]`` handler (the
whole delivery is one key). The wrapper is a plain ``(event, context=None)``
function carrying the handler's event annotation, so ``sdk.function`` learns
the handler's kind and model from it as from the handler.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar, overload

from .._fields import UNSET
from .._function import Function, _parameters, _resolve_hints, _split
from .._http import HTTPRequest
from ..errors import ConfigurationError
from ._cache import LocalCache
from ._idempotency import Idempotency
from ._keys import KeyFunction, selector
from ._record import Store
from ._stores import store as resolve_store

__all__ = ["idempotent"]

F = TypeVar("F", bound=Callable[..., Any])
Expiry = timedelta | float | int


@overload
def idempotent(fn: F, *, store: Store | str, key: str | KeyFunction | None = None,
               expires: Expiry = ..., validate_payload: bool | str | KeyFunction = True,
               local_cache: bool | int = False, in_progress_expires: Expiry | None = None,
               name: str | None = None) -> F: ...
@overload
def idempotent(fn: None = None, *, store: Store | str, key: str | KeyFunction | None = None,
               expires: Expiry = ..., validate_payload: bool | str | KeyFunction = True,
               local_cache: bool | int = False, in_progress_expires: Expiry | None = None,
               name: str | None = None) -> Callable[[F], F]: ...
def idempotent(fn: Any = None, *, store: Store | str, key: str | KeyFunction | None = None,
               expires: Expiry = timedelta(hours=1),
               validate_payload: bool | str | KeyFunction = True,
               local_cache: bool | int = False, in_progress_expires: Expiry | None = None,
               name: str | None = None) -> Any:
    """Run the handler at most once per key while its record lives (docs/idempotency.md).

    ``store``: a :class:`~sdk.idempotency.Store` or an address for :func:`sdk.store`.
    ``key``: a function of the event or a dotted selector (``"data.order_id"``,
    ``"headers.idempotency-key"``); default: the kind's natural key (message id and
    queue, event id and source, schedule and scheduled time); HTTP handlers must say.
    ``expires``: how long a COMPLETED record answers duplicates.
    ``validate_payload``: refuse a key seen with another payload (``True``: the whole
    payload; a selector or function: that part of it; ``False``: no check).
    ``local_cache``: also keep completed records in this process (``True``: 256 of
    them, or the number given). ``in_progress_expires``: the longest an IN_PROGRESS
    claim holds where the platform states no deadline (default ``expires``).
    ``name``: the key prefix (default ``module.qualname`` of the handler).
    """
    settings = _Settings(store, key, expires, validate_payload, local_cache,
                         in_progress_expires, name)

    def decorate(handler: F) -> F:
        wrapped: F = settings.wrap(handler)
        return wrapped

    return decorate(fn) if fn is not None else decorate


def _seconds(value: Expiry, what: str) -> float:
    seconds = value.total_seconds() if isinstance(value, timedelta) else value
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds <= 0:
        raise ConfigurationError(f"@sdk.idempotent {what} must be a positive timedelta or "
                                 f"number of seconds, not {value!r}")
    return float(seconds)


def _picker(value: str | KeyFunction | None, what: str) -> KeyFunction | None:
    if value is None or callable(value):
        return value
    if isinstance(value, str):
        return selector(value)
    raise ConfigurationError(f"@sdk.idempotent {what} must be a function of the event or a "
                             f"dotted selector string, not {type(value).__name__}")


class _Settings:
    """The decorator's arguments, checked once."""

    def __init__(self, store: Store | str, key: str | KeyFunction | None, expires: Expiry,
                 validate: bool | str | KeyFunction, local_cache: bool | int,
                 in_progress: Expiry | None, name: str | None) -> None:
        self.store = resolve_store(store) if isinstance(store, str) else store
        if not isinstance(self.store, Store):
            raise ConfigurationError("@sdk.idempotent store must be an address such as "
                                     "'dynamodb://table' or a Store, not "
                                     f"{type(store).__name__}")
        self.key_given = key is not None
        self.key = _picker(key, "key")
        self.per_event = key is None or isinstance(key, str)
        self.key_source = (f"key selector {key!r}" if isinstance(key, str) else
                           "the key function" if key is not None else "the default key")
        self.expires = _seconds(expires, "expires")
        self.lease = min(self.expires, _seconds(in_progress, "in_progress_expires")
                         if in_progress is not None else self.expires)
        self.validate: bool | KeyFunction = (validate if isinstance(validate, bool)
                                             else _picker(validate, "validate_payload") or True)
        if isinstance(local_cache, bool) or not isinstance(local_cache, int):
            self.cache_size = 256 if local_cache else 0
        elif local_cache < 0:
            raise ConfigurationError("@sdk.idempotent local_cache must be a bool or a size")
        else:
            self.cache_size = local_cache
        self.name = name

    def wrap(self, handler: Any) -> Any:
        if isinstance(handler, Function):
            return type(handler)(self.wrap(handler.fn))
        if not callable(handler):
            raise ConfigurationError(f"@sdk.idempotent needs a callable, not "
                                     f"{type(handler).__name__}")
        qualname = getattr(handler, "__qualname__", repr(handler))
        positional, is_async = _parameters(handler)
        if not positional or len(positional) > 2:
            raise ConfigurationError(f"{qualname} must take (event) or (event, context), "
                                     f"not {len(positional)} positional parameter(s)")
        annotation = _resolve_hints(handler).get(positional[0], UNSET)
        kind, _, batch = _split(annotation, qualname)
        if issubclass(kind, HTTPRequest) and not self.key_given:
            raise ConfigurationError(
                f"{qualname}: HTTP requests have no natural idempotency key; pass key= "
                "(a function of the request, or a selector such as "
                "'headers.idempotency-key' or 'data.order_id')")
        machinery = Idempotency(
            name=self.name or f"{getattr(handler, '__module__', '')}.{qualname}",
            store=self.store, key=self.key, per_event=self.per_event or not batch,
            key_source=self.key_source, expires=self.expires, lease=self.lease,
            validate=self.validate,
            cache=LocalCache(self.cache_size) if self.cache_size else None)
        wrapper = _async_wrapper if is_async else _sync_wrapper
        run = wrapper(handler, machinery, len(positional) == 2)
        run.__name__ = getattr(handler, "__name__", "handler")
        run.__qualname__ = qualname
        run.__module__ = getattr(handler, "__module__", run.__module__)
        run.__doc__ = getattr(handler, "__doc__", None)
        # The one annotation sdk.function reads (kind, model, list[...]). No
        # __wrapped__: a plain function is read from its code, without inspect.
        run.__annotations__ = {} if annotation is UNSET else {"event": annotation}
        return run


def _sync_wrapper(handler: Any, machinery: Idempotency, takes_context: bool
                  ) -> Callable[..., Any]:
    begin, finish, fail = machinery.begin, machinery.finish, machinery.fail

    def run(event: Any, context: Any = None) -> Any:
        claim, answer = begin(event, context)
        if claim is None:
            return answer
        try:
            result = handler(event, context) if takes_context else handler(event)
        except BaseException:
            fail(claim, context)
            raise
        return finish(claim, event, result, context)

    return run


def _async_wrapper(handler: Any, machinery: Idempotency, takes_context: bool
                   ) -> Callable[..., Any]:
    # The store is awaited (its async client, or its sync calls in a worker thread):
    # while one record waits for a round trip the loop runs the batch's others.
    begin, finish, fail = machinery.begin_async, machinery.finish_async, machinery.fail_async

    async def run(event: Any, context: Any = None) -> Any:
        claim, answer = await begin(event, context)
        if claim is None:
            return answer
        try:
            result = await (handler(event, context) if takes_context else handler(event))
        except BaseException:
            await fail(claim, context)
            raise
        return await finish(claim, event, result, context)

    return run
