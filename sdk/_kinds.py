"""The non-HTTP kinds: messages, storage changes, schedules and database changes.

A kind is declared once: its ``@declared`` ``__init__`` lists its fields (names,
types, defaults, in the JSON form's order) beside :class:`~sdk.Event`'s
attributes (``**event``); ``Event`` generates the constructor from it, one frame
that sets each field and each of Event's attributes (declared once, in
``sdk._event.EventAttributes``). ``to_dict``, ``repr`` and ``native`` are Event's, over
``_fields``; the kinds add only behaviour.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any, ClassVar

from ._event import UNSET, Event, T, declared

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ._event import EventAttributes
    from ._outputs import Bucket

__all__ = ["Change", "Message", "Schedule", "StorageEvent"]


class Message(Event[T]):
    """A queue or topic message (kind ``message``): SQS, SNS, Kinesis, Kafka, MQ,
    Queue Storage, Service Bus, Event Hubs, Pub/Sub.

    ``queue``/``topic`` name where it came from; ``partition`` and ``sequence`` place
    it in an ordered stream (Kinesis shard/sequence number, Kafka partition/offset,
    Event Hubs partition/sequence number); ``ordering_key`` is the FIFO group,
    partition key or Pub/Sub ordering key.
    """

    kind: ClassVar[str] = "message"
    __slots__ = ("delivery_count", "ordering_key", "partition", "queue", "sequence", "topic")
    queue: str | None
    topic: str | None
    delivery_count: int | None
    ordering_key: str | None
    partition: str | None
    sequence: str | None

    @declared
    def __init__(
        self,
        *,
        queue: str | None = None,
        topic: str | None = None,
        delivery_count: int | None = None,
        ordering_key: str | None = None,
        partition: str | None = None,
        sequence: str | None = None,
        **event: Unpack[EventAttributes],
    ) -> None:
        """The body is generated (see the module docstring)."""


class StorageEvent(Event[T]):
    """An object-storage change (kind ``storage``): S3, Blob Storage, Cloud Storage.

    ``operation`` is one of ``created``, ``deleted``, ``archived``,
    ``restore_started``, ``restored``, ``metadata_updated``; the provider's own
    name stays in ``type``.
    """

    kind: ClassVar[str] = "storage"
    __slots__ = ("bucket", "content_type", "etag", "key", "operation", "size", "version")
    bucket: str | None
    key: str | None
    operation: str | None
    size: int | None
    etag: str | None
    content_type: str | None
    version: str | None

    OPERATIONS: ClassVar[frozenset[str]] = frozenset(
        {"created", "deleted", "archived", "restore_started", "restored", "metadata_updated"}
    )

    @declared
    def __init__(
        self,
        *,
        bucket: str | None,
        key: str | None,
        operation: str | None,
        size: int | None = None,
        etag: str | None = None,
        content_type: str | None = None,
        version: str | None = None,
        **event: Unpack[EventAttributes],
    ) -> None:
        """The body is generated (see the module docstring)."""

    def read(self) -> bytes:
        """The bytes of the object this event names, read from the cloud it came
        from (``sdk.bucket``'s driver for that provider; ``NotFound`` if it is gone)."""
        return self._bucket().read(self._object_key())

    def open(self) -> IO[bytes]:
        """The object this event names as a binary stream (read as it goes)."""
        return self._bucket().open(self._object_key())

    def _bucket(self) -> Bucket:
        from ._outputs import event_bucket

        return event_bucket(self.trigger, self.bucket)

    def _object_key(self) -> str:
        if not self.key:
            from .errors import ConfigurationError

            raise ConfigurationError(f"{self.trigger}: the event names no object key")
        return self.key


class Schedule(Event[T]):
    """A timer firing (kind ``schedule``): EventBridge schedules, Azure Timer,
    Cloud Scheduler. A field the provider does not send is ``None``."""

    kind: ClassVar[str] = "schedule"
    __slots__ = ("past_due", "schedule", "scheduled_time")
    schedule: str | None
    scheduled_time: datetime | None
    past_due: bool | None

    @declared
    def __init__(
        self,
        *,
        schedule: str | None = None,
        scheduled_time: datetime | None = None,
        past_due: bool | None = None,
        **event: Unpack[EventAttributes],
    ) -> None:
        """The body is generated (see the module docstring)."""


class Change(Event[T]):
    """A database change (kind ``change``): DynamoDB Streams, Cosmos DB, Firestore.

    ``operation`` is ``insert``, ``update``, ``delete``, or ``upsert`` where the
    source cannot tell. ``keys``, ``old`` and ``new`` are plain Python values.
    ``data`` is ``new`` (``old`` for a delete) unless the adapter says otherwise.
    """

    kind: ClassVar[str] = "change"
    __slots__ = ("keys", "new", "old", "operation", "table")
    operation: str | None
    table: str | None
    keys: Mapping[str, Any] | None
    old: Any
    new: Any

    @declared
    def __init__(
        self,
        *,
        operation: str | None,
        table: str | None = None,
        keys: Mapping[str, Any] | None = None,
        old: Any = None,
        new: Any = None,
        **event: Unpack[EventAttributes],
    ) -> None:
        """The body is generated (see the module docstring)."""

    #: ``payload`` not given is told apart from ``payload=None`` (see ``_post_init``).
    _attribute_defaults: ClassVar[dict[str, Any]] = {"payload": UNSET}

    def _post_init(self) -> None:
        # ``data`` is new/old unless the caller gave data or a payload (even None).
        if self._payload is UNSET:
            self._payload = None
            if self._data is UNSET:
                self._data = self.new if self.new is not None else self.old
