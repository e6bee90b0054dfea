"""Idempotency keys: what makes two deliveries "the same", per kind, and its hash.

A key is worked out from the event, then hashed (sha256) under the function's
name: ``"orders.handle#3b4f..."``, so two functions sharing a store never share
keys and no payload value is ever stored or logged as a key.

``key=`` is a function of the event (or of the list, for a ``list[...]``
handler) or a dotted selector string such as ``"data.order_id"`` or
``"headers.idempotency-key"`` (see :func:`selector`). Without ``key=``,
:data:`DEFAULT_KEYS` gives each kind its natural identity; HTTP requests have
none, so HTTP handlers must say.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from hashlib import sha256
from typing import Any

from .._event import Event
from .._http import HTTPRequest
from .._jsonform import dumps, jsonable
from .._kinds import Change, Message, Schedule
from ..errors import IdempotencyKeyError

__all__ = ["DEFAULT_KEYS", "KeyFunction", "default_key", "digest", "fingerprint", "payload_hash",
           "selector"]

KeyFunction = Callable[[Any], Any]
#: Separates the parts of a key before hashing (not a character ids contain).
_SEP = "\x1f"


def selector(path: str) -> KeyFunction:
    """A dotted path into the event: ``"data.order_id"``, ``"headers.Idempotency-Key"``,
    ``"query.token"``, ``"attributes.dedup"``, ``"id"``.

    The first name is an attribute of the event (a method such as ``json`` is
    called); each further name is looked up in what the previous one gave: a
    mapping or the headers/query by key (headers case-insensitively), a list by
    index, an object (a pydantic model) by attribute. ``None`` when any step
    finds nothing. Why not JMESPath: the core has no dependencies, and JMESPath
    works on JSON documents, so the event (headers, models) would first have to
    be turned into one on every call; a function covers anything a path cannot.
    """
    names = path.split(".")
    if not path or any(not name for name in names):
        from ..errors import ConfigurationError

        raise ConfigurationError(f"idempotency key selector {path!r} is not a dotted path")
    first, rest = names[0], names[1:]

    def select(event: Any) -> Any:
        value = getattr(event, first, None)
        if callable(value):
            value = value()
        for name in rest:
            if value is None:
                return None
            value = _step(value, name)
        return value

    select.__qualname__ = f"selector({path!r})"
    return select


def _step(value: Any, name: str) -> Any:
    getter = getattr(value, "get", None)
    if isinstance(value, Mapping) or (callable(getter) and not isinstance(value, Sequence)):
        return getter(name) if getter is not None else None
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        try:
            return value[int(name)]
        except (ValueError, IndexError):
            return None
    return getattr(value, name, None)


def _message(event: Message[Any]) -> str | None:
    if event.id is None:
        return None
    where = event.queue or event.topic or ""
    return f"message{_SEP}{event.id}{_SEP}{event.source or ''}{_SEP}{where}"


def _schedule(event: Schedule[Any]) -> str | None:
    # One run per schedule and scheduled time: a redelivered EventBridge schedule
    # event keeps both, as does a retried Cloud Scheduler job.
    if event.scheduled_time is not None:
        return f"schedule{_SEP}{event.schedule or ''}{_SEP}{event.scheduled_time.isoformat()}"
    return _generic(event)


def _change(event: Change[Any]) -> str | None:
    if event.id is not None:
        return _generic(event)
    # Cosmos DB change feed items carry no event id: the document's version does.
    version = event.attributes.get("etag") or event.attributes.get("lsn")
    if version is None:
        return None
    return f"change{_SEP}{event.table or ''}{_SEP}{dumps(jsonable(event.keys))}{_SEP}{version}"


def _generic(event: Event[Any]) -> str | None:
    if event.id is None:
        return None
    return f"event{_SEP}{event.id}{_SEP}{event.source or ''}"


#: The natural key of each kind, most specific first (HTTPRequest has none).
DEFAULT_KEYS: tuple[tuple[type[Event[Any]], Callable[[Any], str | None]], ...] = (
    (Message, _message),
    (Schedule, _schedule),
    (Change, _change),
    (Event, _generic),
)


#: Event class -> its default key function, learnt on first sight of the class.
_BY_CLASS: dict[type, Callable[[Any], str | None]] = {}


def _none(event: Any) -> None:
    return None


def default_key(event: Event[Any]) -> str | None:
    """The kind's natural key as text (its parts joined by a separator no id holds)."""
    pick = _BY_CLASS.get(event.__class__)
    if pick is None:
        pick = _none
        if not isinstance(event, HTTPRequest):
            pick = next((key for kind, key in DEFAULT_KEYS if isinstance(event, kind)), _none)
        _BY_CLASS[event.__class__] = pick
    return pick(event)


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, tuple):
        return _SEP.join("" if part is None else _text(part) for part in value)
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).hex()
    return dumps(jsonable(value))


def digest(prefix: str, value: Any, trigger: str, source: str) -> str:
    """``"<prefix>#<sha256 hex>"`` of a key value; :class:`IdempotencyKeyError` when
    the key is missing (``None`` or empty), naming the trigger and how it was sought."""
    if value.__class__ is not str:
        if value is None or value == ():
            raise IdempotencyKeyError(trigger, source)
        value = _text(value)
    if not value:
        raise IdempotencyKeyError(trigger, source)
    return f"{prefix}#{sha256(value.encode('utf-8', 'surrogatepass')).hexdigest()}"


def fingerprint(event: Any, select: KeyFunction | None) -> str:
    """The sha256 of what ``validate_payload`` compares: the undecoded payload (for
    HTTP also the method and path), or what ``select`` picks from the event."""
    if select is not None:
        return sha256(_text(select(event)).encode("utf-8", "surrogatepass")).hexdigest()
    return payload_hash(event)


def payload_hash(event: Any) -> str:
    """``fingerprint(event, None)``: the whole payload's sha256 (every event's check
    by default, so called directly)."""
    if event.__class__ is list:
        return sha256("".join(payload_hash(item) for item in event).encode()).hexdigest()
    payload = event.payload_bytes_or_text()
    if not payload and event.data is not None:
        payload = dumps(jsonable(event.data))  # a change's images, no payload
    if payload.__class__ is str:
        try:  # strict UTF-8 first: cheaper, and the same bytes when it works
            payload = payload.encode()
        except UnicodeEncodeError:  # lone surrogates, hashed as they always were
            payload = payload.encode("utf-8", "surrogatepass")
    if isinstance(event, HTTPRequest):
        route = f"{event.method} {event.path}{_SEP}".encode("utf-8", "surrogatepass")
        return sha256(route + payload).hexdigest()
    return sha256(payload).hexdigest()
