"""polyfn's exceptions.

::

    PolyfnError
    ├─ ConfigurationError        bad decorator/adapter setup (raised at import time)
    │  └─ WrongKindError         an event of a kind the handler does not take (HTTP: 415)
    ├─ UnsupportedEventError     no trigger matched the payload (also a LookupError)
    ├─ EventDecodeError          a trigger matched, its payload is malformed (also a ValueError)
    │  ├─ DataValidationError    data failed the handler's model (HTTP: 422 problem+json)
    │  └─ IdempotencyKeyError    an @sdk.idempotent handler's event has no key (HTTP: 400)
    ├─ ResponseEncodeError       a result can't be rendered for this trigger (also a TypeError)
    ├─ BatchFailedError          records of a batch failed and the whole batch must be retried
    ├─ PublishError              a destination refused a message (or polyfn did, before sending)
    ├─ StorageError              a bucket operation failed
    │  └─ NotFound               the object does not exist (also a LookupError)
    ├─ LifespanError             a bridged ASGI app's lifespan startup failed (also a RuntimeError)
    └─ IdempotencyError          @sdk.idempotent refused or could not record an event
       ├─ IdempotencyInProgressError    a duplicate arrived while the first still runs:
       │                                retryable (HTTP: 409)
       ├─ IdempotencyKeyMismatchError   the key was used before with another payload
       │                                (also a ValueError; HTTP: 422)
       └─ IdempotencyStoreError         the store failed before the handler ran: retryable

Messages name the provider, the trigger and the *keys* involved, never payload
values: payloads carry personal data and secrets, and error messages end up in logs.
User exceptions raised by handlers are never wrapped: the provider must see them
to retry. The one exception is a batch of several records that must fail as a
whole: :class:`BatchFailedError` says how many failed, chained from the first cause.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

__all__ = [
    "MALFORMED",
    "BatchFailedError",
    "ConfigurationError",
    "DataValidationError",
    "EventDecodeError",
    "IdempotencyError",
    "IdempotencyInProgressError",
    "IdempotencyKeyError",
    "IdempotencyKeyMismatchError",
    "IdempotencyStoreError",
    "LifespanError",
    "NotFound",
    "PolyfnError",
    "PublishError",
    "ResponseEncodeError",
    "StorageError",
    "UnsupportedEventError",
    "WrongKindError",
    "describe_keys",
    "malformed",
]


def describe_keys(raw: object, limit: int = 12) -> str:
    """Describe a payload's shape by its top-level keys (never its values)."""
    if isinstance(raw, dict):
        keys = sorted(str(k) for k in raw)
        shown = ", ".join(keys[:limit])
        more = f", ... ({len(keys) - limit} more)" if len(keys) > limit else ""
        return f"top-level keys [{shown}{more}]" if keys else "an empty JSON object"
    if isinstance(raw, list):
        return f"a JSON array of {len(raw)} item(s)"
    return f"a {type(raw).__name__}"


class PolyfnError(Exception):
    """Base of every error polyfn raises itself."""


class ConfigurationError(PolyfnError):
    """The handler or adapter is set up wrongly (raised when the module is imported)."""


class WrongKindError(ConfigurationError):
    """The delivery's event is not the kind the handler takes (a CloudEvent or a
    plain HTTP request to a ``StorageEvent`` handler, a storage event to an
    ``HTTPRequest`` one): nothing runs. Every HTTP entry point answers it 415
    problem+json, the one status for it (docs/design.md). The message names the
    handler, the trigger and both kinds, never payload values."""


class UnsupportedEventError(PolyfnError, LookupError):
    """No trigger of ``provider`` recognises the payload."""

    def __init__(self, provider: str, raw: object = None, *, detail: str | None = None) -> None:
        self.provider = provider
        self.shape = describe_keys(raw)
        msg = f"{provider}: no trigger matches a payload with {self.shape}"
        if detail:
            msg = f"{msg} ({detail})"
        super().__init__(msg)


class EventDecodeError(PolyfnError, ValueError):
    """A trigger recognised the payload but it is malformed.

    ``keys`` names the fields that were missing or wrong, never their values.
    """

    def __init__(self, trigger: str, problem: str, *, keys: Iterable[str] = ()) -> None:
        self.trigger = trigger
        self.problem = problem
        self.keys = tuple(keys)
        where = f" (keys: {', '.join(self.keys)})" if self.keys else ""
        super().__init__(f"{trigger}: {problem}{where}")


class DataValidationError(EventDecodeError):
    """The event's data does not fit the handler's declared model.

    ``errors`` holds one entry per problem: ``{"loc": [...], "type": ..., "msg": ...}``,
    pydantic's own error fields without the offending input values.
    """

    def __init__(
        self,
        trigger: str,
        model: str,
        errors: Sequence[dict[str, Any]],
        *,
        unparseable: bool = False,
    ) -> None:
        self.model = model
        self.errors = list(errors)
        self.unparseable = unparseable
        problem = (
            f"data is not valid JSON for {model}"
            if unparseable
            else f"data does not match {model}: {len(self.errors)} error(s)"
        )
        keys = [".".join(str(p) for p in e.get("loc", ())) for e in self.errors]
        super().__init__(trigger, problem, keys=[k for k in keys if k])


class ResponseEncodeError(PolyfnError, TypeError):
    """The handler's result cannot be rendered for this trigger."""

    def __init__(self, trigger: str, problem: str) -> None:
        self.trigger = trigger
        super().__init__(f"{trigger}: {problem}")


class BatchFailedError(PolyfnError):
    """Records of a batch failed and the provider must redeliver the whole batch.

    Raised when every record failed, or any record failed where failures cannot be
    reported one by one (``partial_failures=False``, triggers without partial
    batch responses). ``__cause__`` is the first record's exception; the message
    names its type only, never its text (which may quote the payload).
    """

    def __init__(self, trigger: str, failed: int, total: int,
                 first: BaseException | None = None) -> None:
        self.trigger = trigger
        self.failed = failed
        self.total = total
        self.first = first
        cause = f" (first: {type(first).__name__})" if first is not None else ""
        super().__init__(f"{trigger}: {failed} of {total} record(s) failed{cause}")


class PublishError(PolyfnError):
    """A destination did not take a message.

    ``destination`` is the address as configured, ``provider`` the driver's name
    (``aws.sqs``, ``cloudevents.http``...) and ``code`` the provider's error code
    (``AccessDenied``, ``InvalidParameterValue``, an HTTP status) or polyfn's own
    for a refusal before sending (``polyfn.TooLarge``, ``polyfn.UnsupportedField``,
    ``polyfn.InvalidData``). The message never quotes the payload.
    """

    def __init__(self, destination: str, provider: str, code: str, detail: str = "") -> None:
        self.destination = destination
        self.provider = provider
        self.code = code
        self.detail = detail
        tail = f": {detail}" if detail else ""
        super().__init__(f"{provider} {destination}: {code}{tail}")


class StorageError(PolyfnError):
    """A bucket operation failed: ``bucket`` (the address), ``provider``, ``key``
    (the object key, or ``None``) and the provider's error ``code``."""

    def __init__(self, bucket: str, provider: str, code: str, key: str | None = None,
                 detail: str = "") -> None:
        self.bucket = bucket
        self.provider = provider
        self.code = code
        self.key = key
        self.detail = detail
        where = f" key {key!r}" if key is not None else ""
        tail = f": {detail}" if detail else ""
        super().__init__(f"{provider} {bucket}{where}: {code}{tail}")


class NotFound(StorageError, LookupError):
    """The object (or the bucket) does not exist."""


class IdempotencyKeyError(EventDecodeError):
    """An ``@sdk.idempotent`` handler's event has no idempotency key: the selector or
    key function found nothing, or the kind has no natural key (no event id)."""

    def __init__(self, trigger: str, source: str) -> None:
        self.source = source
        super().__init__(trigger, f"no idempotency key: {source} found none")


class IdempotencyError(PolyfnError):
    """``@sdk.idempotent`` refused an event or could not record it. ``key`` is the
    hashed key (function name and sha256), which holds no payload value."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        super().__init__(message)


class IdempotencyInProgressError(IdempotencyError):
    """A duplicate arrived while the first delivery is still being handled (or its
    holder crashed and its lease has not expired yet). Raised so the platform
    redelivers later: a batch reports the record failed; HTTP answers 409."""

    def __init__(self, key: str, retry_after: float) -> None:
        self.retry_after = retry_after
        super().__init__(key, f"{key}: a delivery with this idempotency key is still in "
                         f"progress (its lease ends in {retry_after:.1f} s); retry later")


class IdempotencyKeyMismatchError(IdempotencyError, ValueError):
    """The idempotency key was recorded with a different payload (``validate_payload``).
    Retrying does not help: the second payload is refused until the record expires."""

    def __init__(self, key: str) -> None:
        super().__init__(key, f"{key}: this idempotency key was used with a different payload")


class IdempotencyStoreError(IdempotencyError):
    """The idempotency store failed before the handler ran (so retrying is safe).
    ``__cause__`` is the store library's error."""

    def __init__(self, key: str, store: str, operation: str, cause: BaseException) -> None:
        self.store = store
        self.operation = operation
        super().__init__(key, f"{key}: idempotency store {store} failed to {operation} "
                         f"({type(cause).__name__})")


class LifespanError(PolyfnError, RuntimeError):
    """An app bridged with ``sdk.asgi`` failed its lifespan startup (the app's own
    message, or what it raised, is in the text). The request answers 500; the next
    one tries the startup again."""


#: What Python raises while reading a payload of the wrong shape: a wrong type
#: (``TypeError``, ``AttributeError``), a missing key or item (``KeyError``,
#: ``IndexError``), a bad value (``ValueError``, which covers ``UnicodeError``), a
#: number too large (``OverflowError``) or nesting too deep (``RecursionError``).
#: Where polyfn reads a payload, these become :class:`EventDecodeError`.
MALFORMED: tuple[type[Exception], ...] = (TypeError, AttributeError, KeyError, IndexError,
                                          ValueError, OverflowError, RecursionError)


def malformed(trigger: str, exc: BaseException, raw: object = None, *,
              keys: Iterable[str] = ()) -> EventDecodeError:
    """The :class:`EventDecodeError` for ``exc`` (one of :data:`MALFORMED`) raised
    while reading a payload: an ``EventDecodeError`` as it is, anything else named
    by its type and ``keys`` (default: ``raw``'s top-level keys), never its text
    (which may quote the payload)."""
    if isinstance(exc, EventDecodeError):
        return exc
    what = "nested too deeply" if isinstance(exc, RecursionError) else "malformed"
    names = list(keys) or (sorted(str(k) for k in raw) if isinstance(raw, dict) else [])
    return EventDecodeError(trigger, f"payload is {what} ({type(exc).__name__})", keys=names)
