"""polyfn's exceptions.

::

    PolyfnError
    ├─ ConfigurationError        bad decorator/adapter setup (raised at import time)
    ├─ UnsupportedEventError     no trigger matched the payload (also a LookupError)
    ├─ EventDecodeError          a trigger matched, its payload is malformed (also a ValueError)
    │  └─ DataValidationError    data failed the handler's model (HTTP: 422 problem+json)
    ├─ ResponseEncodeError       a result can't be rendered for this trigger (also a TypeError)
    ├─ BatchFailedError          records of a batch failed and the whole batch must be retried
    ├─ PublishError              a destination refused a message (or polyfn did, before sending)
    └─ StorageError              a bucket operation failed
       └─ NotFound               the object does not exist (also a LookupError)

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
    "BatchFailedError",
    "ConfigurationError",
    "DataValidationError",
    "EventDecodeError",
    "NotFound",
    "PolyfnError",
    "PublishError",
    "ResponseEncodeError",
    "StorageError",
    "UnsupportedEventError",
    "describe_keys",
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
