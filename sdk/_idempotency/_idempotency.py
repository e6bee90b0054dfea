"""The per-handler machinery behind ``@sdk.idempotent``: claim, run, complete or release.

:meth:`Idempotency.begin` claims the key (one store write) or answers a
duplicate; the wrapper runs the handler; :meth:`Idempotency.finish` stores the
result (a second write) or :meth:`Idempotency.fail` releases the claim so the
retry runs. docs/idempotency.md draws the states.
"""

from __future__ import annotations

import time
from hashlib import sha256
from typing import Any

from .._context import Context
from .._http import HTTPRequest
from .._jsonform import dumps
from .._log import Logger
from .._response import Rendered, problem
from ..errors import (
    IdempotencyError,
    IdempotencyInProgressError,
    IdempotencyKeyMismatchError,
    IdempotencyStoreError,
    ResponseEncodeError,
)
from . import _results
from ._cache import LocalCache
from ._keys import KeyFunction, default_key, digest, fingerprint
from ._keys import payload_hash as hash_payload
from ._record import COMPLETED, IN_PROGRESS, AsyncStore, IdempotencyRecord, Store

__all__ = ["Idempotency"]


class Idempotency:
    """One idempotent handler's settings and its calls to the store."""

    __slots__ = ("_astore", "_fingerprint", "_pick", "cache", "expires", "key", "key_source",
                 "lease", "name", "per_event", "store", "validate")

    def __init__(self, *, name: str, store: Store, key: KeyFunction | None, per_event: bool,
                 key_source: str, expires: float, lease: float, validate: bool | KeyFunction,
                 cache: LocalCache | None) -> None:
        self.name = name
        self.store = store
        self.key = key
        self.per_event = per_event  # a list[...] handler's key is made of each event's
        self.key_source = key_source
        self.expires = expires
        self.lease = lease  # the longest an IN_PROGRESS claim holds without a deadline
        self.validate = validate
        self.cache = cache
        self._astore: AsyncStore | None = None  # the store as async handlers call it
        # Worked out once: begin() runs for every event.
        self._pick: KeyFunction = key or default_key
        self._fingerprint: KeyFunction | None = (
            None if validate is False else hash_payload if validate is True
            else _part(validate))

    # -- keys ---------------------------------------------------------------------
    def key_of(self, event: Any) -> str:
        """``"<name>#<sha256>"`` of the event's key (IdempotencyKeyError without one)."""
        value: Any
        if event.__class__ is list:
            if not self.per_event:
                return digest(self.name, self._pick(event), _trigger(event), self.key_source)
            # A list[...] handler: the whole delivery is one key, made of every
            # event's own (default or selected) key.
            parts = tuple(self._pick(item) for item in event)
            value = None if any(_missing(part) for part in parts) else parts
            return digest(self.name, value, _trigger(event), self.key_source)
        value = self._pick(event)
        if value.__class__ is str and value:  # the common case, without digest's checks
            return f"{self.name}#{sha256(value.encode('utf-8', 'surrogatepass')).hexdigest()}"
        return digest(self.name, value, getattr(event, "trigger", "?"), self.key_source)

    def fingerprint(self, event: Any) -> str | None:
        check = self._fingerprint
        return None if check is None else check(event)

    # -- the three steps ----------------------------------------------------------
    def begin(self, event: Any, context: Context | None
              ) -> tuple[IdempotencyRecord | None, Any]:
        """``(claim, None)``: run the handler; ``(None, answer)``: a duplicate's answer
        (the stored result, or for HTTP a problem response). Raises what a duplicate
        that must be retried raises."""
        claim, now, answer = self._claim(event, context)
        if claim is None:  # answered by local_cache
            return None, answer
        try:
            found = self.store.put_if_absent(claim, now)
        except Exception as exc:
            raise self._claim_failed(claim, exc) from exc
        return (claim, None) if found is None else self._duplicate(claim, found, event, now)

    def finish(self, claim: IdempotencyRecord, event: Any, result: Any,
               context: Context | None) -> Any:
        """Store ``result`` as the key's COMPLETED record; return it as it is."""
        try:
            done = self._done(claim, event, result)
        except ResponseEncodeError:
            self.fail(claim, context)
            raise
        if done is None:  # a failure shaped as a result (HTTP 5xx, failed batch events)
            self.fail(claim, context)
            return result
        try:
            completed = self.store.update_if(done, claim)
        except Exception as exc:
            self._not_completed(claim, exc, context)
            return result
        if not completed or self.cache is not None:
            self._completed(done, completed, context)
        return result

    def fail(self, claim: IdempotencyRecord, context: Context | None) -> None:
        """Release the claim after the handler failed, so the retry runs it."""
        try:
            self.store.delete_if(claim)
        except Exception as exc:
            self._not_released(claim, exc, context)

    # -- the same three for async handlers: awaited store calls ---------------------
    async def begin_async(self, event: Any, context: Context | None
                          ) -> tuple[IdempotencyRecord | None, Any]:
        """:meth:`begin` with the store's call awaited (the loop keeps running)."""
        claim, now, answer = self._claim(event, context)
        if claim is None:  # answered by local_cache
            return None, answer
        try:
            found = await self._async_store().aput_if_absent(claim, now)
        except Exception as exc:
            raise self._claim_failed(claim, exc) from exc
        return (claim, None) if found is None else self._duplicate(claim, found, event, now)

    async def finish_async(self, claim: IdempotencyRecord, event: Any, result: Any,
                           context: Context | None) -> Any:
        """:meth:`finish`, awaited."""
        try:
            done = self._done(claim, event, result)
        except ResponseEncodeError:
            await self.fail_async(claim, context)
            raise
        if done is None:
            await self.fail_async(claim, context)
            return result
        try:
            completed = await self._async_store().aupdate_if(done, claim)
        except Exception as exc:
            self._not_completed(claim, exc, context)
            return result
        if not completed or self.cache is not None:
            self._completed(done, completed, context)
        return result

    async def fail_async(self, claim: IdempotencyRecord, context: Context | None) -> None:
        """:meth:`fail`, awaited."""
        try:
            await self._async_store().adelete_if(claim)
        except Exception as exc:
            self._not_released(claim, exc, context)

    def _async_store(self) -> AsyncStore:
        store = self._astore
        if store is None:
            from ._async import async_store  # asyncio: only async handlers load it

            store = self._astore = async_store(self.store)
        return store

    # -- helpers ------------------------------------------------------------------
    def _claim(self, event: Any, context: Context | None
               ) -> tuple[IdempotencyRecord | None, float, Any]:
        """``(claim, now, None)``: the IN_PROGRESS record to write for ``event``; or
        ``(None, now, answer)``: the answer of the COMPLETED record ``local_cache``
        holds for its key (nothing is written, the deadline is not read)."""
        if event.__class__ is not list:  # key_of's common case, inlined: once per event
            value = self._pick(event)
            if value.__class__ is str and value:
                try:  # strict UTF-8 first: cheaper, and the same bytes when it works
                    data = value.encode()
                except UnicodeEncodeError:  # a lone surrogate, kept as digest keeps it
                    data = value.encode("utf-8", "surrogatepass")
                key = f"{self.name}#{sha256(data).hexdigest()}"
            else:
                key = self.key_of(event)
        else:
            key = self.key_of(event)
        check = self._fingerprint
        fingerprint = None if check is None else check(event)
        now = time.time()
        cache = self.cache
        if cache is not None:
            cached = cache.get(key, now)
            if cached is not None:
                return None, now, self._answer(cached, fingerprint, event, now)
        # The lease: to the invocation's deadline when the platform says, never
        # longer than in_progress_expires / expires.
        expiry = now + self.lease
        deadline = None if context is None else context._deadline_at()
        if deadline is not None and deadline / 1000 < expiry:
            expiry = max(now, deadline / 1000)
        return IdempotencyRecord(key, IN_PROGRESS, expiry, fingerprint), now, None

    def _claim_failed(self, claim: IdempotencyRecord, exc: Exception) -> IdempotencyStoreError:
        return IdempotencyStoreError(claim.key, self.store.name, "claim the key", exc)

    def _duplicate(self, claim: IdempotencyRecord, found: IdempotencyRecord, event: Any,
                   now: float) -> tuple[None, Any]:
        """``begin``'s answer when the store refused the claim: ``found`` holds the key."""
        if self.cache is not None:
            self.cache.put(found)
        return None, self._answer(found, claim.payload_hash, event, now)

    def _done(self, claim: IdempotencyRecord, event: Any, result: Any
              ) -> IdempotencyRecord | None:
        """The COMPLETED record for ``result`` (None: a failure, not to be stored)."""
        text: str | None
        if result.__class__ is dict and event.__class__ is not list and not isinstance(
                event, HTTPRequest):
            try:  # the common case, without encode's checks
                text = dumps(result)
            except (TypeError, ValueError):  # no JSON form: encode's error says so
                text = _results.encode(result, event)
        else:
            text = _results.encode(result, event)
        if text is None:
            return None
        return IdempotencyRecord(claim.key, COMPLETED, time.time() + self.expires,
                                 claim.payload_hash, text)

    def _completed(self, done: IdempotencyRecord, completed: bool,
                   context: Context | None) -> None:
        if not completed:
            _logger(context).warning("idempotency claim was taken over before completion "
                                     "(the handler outlived its lease)", key=done.key)
        elif self.cache is not None:
            self.cache.put(done)

    def _not_completed(self, claim: IdempotencyRecord, exc: Exception,
                       context: Context | None) -> None:
        # The handler ran and succeeded: failing now would make the platform run it
        # again for certain; the claim's lease ends by itself.
        _logger(context).exception("idempotency record not completed", exc, key=claim.key,
                                   store=self.store.name)

    def _not_released(self, claim: IdempotencyRecord, exc: Exception,
                      context: Context | None) -> None:
        _logger(context).exception("idempotency claim not released; the retry waits for "
                                   "its lease to end", exc, key=claim.key,
                                   store=self.store.name)

    def _answer(self, record: IdempotencyRecord, payload_hash: str | None, event: Any,
                now: float) -> Any:
        error: IdempotencyError
        if (payload_hash is not None and record.payload_hash is not None
                and record.payload_hash != payload_hash):
            error = IdempotencyKeyMismatchError(record.key)
        elif record.status == COMPLETED:
            return _results.decode(record.result or "null", event)
        else:
            error = IdempotencyInProgressError(record.key, max(0.0, record.expiry - now))
        if isinstance(event, HTTPRequest):
            return _problem(error)
        raise error


def _part(select: KeyFunction) -> KeyFunction:
    def check(event: Any) -> str:
        return fingerprint(event, select)

    return check


def _missing(value: Any) -> bool:
    return value is None or value == "" or value == ()


def _trigger(event: Any) -> str:
    if isinstance(event, list):
        event = event[0] if event else None
    return getattr(event, "trigger", "?")


def _logger(context: Context | None) -> Logger:
    return context.logger if context is not None else Logger("local", None)


def _problem(error: IdempotencyError) -> Rendered:
    """The HTTP answer to a refused duplicate, as the IETF Idempotency-Key draft says
    (https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/):
    409 while the first request is in progress, 422 for a reused key."""
    if isinstance(error, IdempotencyInProgressError):
        rendered = problem(409, "Conflict", "A request with this idempotency key is still "
                           "being processed; retry later.")
        rendered.headers.append(("Retry-After", str(max(1, round(error.retry_after + 0.5)))))
        return rendered
    return problem(422, "Unprocessable Content", "This idempotency key was already used "
                   "with a different request payload.")
