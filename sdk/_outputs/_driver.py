"""What a provider driver implements (adapters/<provider>/_outputs.py).

A destination driver is built once per :class:`~sdk.Destination` as
``Driver(address)`` (cheap: no client, no I/O) and then:

* ``provider``: the name errors carry (``aws.sqs``); ``limits``: :class:`Limits`.
* ``carries``: the optional fields it can carry (``attributes``, ``key``, ``id``,
  ``type``, ``source``, ``subject``); a message setting another raises
  ``PublishError(code="polyfn.UnsupportedField")`` before sending, never a silent drop.
* ``prepare(message) -> (entry, size)``: the provider's request entry for one
  :class:`~sdk._outputs._message.OutgoingMessage` and its size as the provider
  counts it; raises ``PublishError`` for what the provider would refuse.
* ``send(entry) -> str``: sends one, returns the provider's message id.
* ``send_batch(entries) -> list[Outcome]``: sends at most ``limits.batch_items``
  entries of at most ``limits.batch_bytes`` in total, returns one :class:`Outcome`
  per entry, in order. A call that fails as a whole raises ``PublishError``.
* optional ``split_codes``: error codes for which a batch refused as a whole is
  sent again one entry at a time (a queue's smaller size limit, say), so only
  the entry at fault fails.

Clients are the driver module's business: created on first send, once per
process, shared by threads (boto3 clients are thread-safe; sessions are not).

A bucket driver (``Driver(address)``) has ``provider`` and ``write(key, data,
content_type, metadata)``, ``read(key) -> bytes``, ``open(key) -> BinaryIO``,
``exists(key) -> bool``, ``delete(key)``, ``list(prefix) -> Iterator[str]``,
raising ``NotFound`` / ``StorageError`` with the provider's code.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any, Protocol

from ._message import OutgoingMessage
from ._value import Value

__all__ = ["BucketDriver", "DestinationDriver", "Limits", "Outcome"]


class Limits(Value):
    """A provider's documented limits: bytes per message, entries and bytes per batch
    (``batch_bytes`` 0: ``batch_items * message_bytes``)."""

    __slots__ = ("batch_bytes", "batch_items", "message_bytes")

    def __init__(self, message_bytes: int, batch_items: int = 1, batch_bytes: int = 0) -> None:
        self.message_bytes, self.batch_items, self.batch_bytes = (message_bytes, batch_items,
                                                                  batch_bytes)


class Outcome(Value):
    """One batch entry's result: the provider's message ``id``, or its error ``code``."""

    __slots__ = ("code", "detail", "id")

    def __init__(self, id: str | None = None, code: str | None = None,
                 detail: str = "") -> None:
        self.id, self.code, self.detail = id, code, detail


class DestinationDriver(Protocol):
    provider: str
    limits: Limits
    carries: frozenset[str]

    def prepare(self, message: OutgoingMessage) -> tuple[Any, int]: ...

    def send(self, entry: Any) -> str: ...

    def send_batch(self, entries: list[Any]) -> list[Outcome]: ...


class BucketDriver(Protocol):
    provider: str

    def write(self, key: str, data: bytes, content_type: str | None,
              metadata: dict[str, str] | None) -> None: ...

    def read(self, key: str) -> bytes: ...

    def open(self, key: str) -> IO[bytes]: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...

    def list(self, prefix: str) -> Iterator[str]: ...
