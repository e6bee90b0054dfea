"""The non-HTTP kinds: messages, storage changes, schedules and database changes.

Each ``__init__`` spells out :class:`~sdk.Event`'s attributes and hands them to
``Event._set`` positionally, as ``HTTPRequest`` does: forwarding ``**attributes``
through ``super().__init__`` builds and unpacks a dict per event, which doubled
the cost of every message of a batch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any, ClassVar

from ._data import Payload
from ._event import UNSET, Event, T

if TYPE_CHECKING:
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
    _fields: ClassVar[tuple[str, ...]] = (
        "queue", "topic", "delivery_count", "ordering_key", "partition", "sequence",
    )
    __slots__ = ("delivery_count", "ordering_key", "partition", "queue", "sequence", "topic")

    def __init__(
        self,
        *,
        queue: str | None = None,
        topic: str | None = None,
        delivery_count: int | None = None,
        ordering_key: str | None = None,
        partition: str | None = None,
        sequence: str | None = None,
        # Event's attributes (see the module docstring).
        provider: str,
        trigger: str,
        id: str | None = None,
        source: str | None = None,
        type: str | None = None,
        subject: str | None = None,
        time: datetime | Callable[[], datetime | None] | None = None,
        data: Any = UNSET,
        payload: Payload | None = None,
        data_content_type: str | None = None,
        attributes: Mapping[str, str] | None = None,
        raw: Any = None,
        native: Callable[[], Any] | None = None,
    ) -> None:
        self.queue = queue
        self.topic = topic
        self.delivery_count = delivery_count
        self.ordering_key = ordering_key
        self.partition = partition
        self.sequence = sequence
        self._set(provider, trigger, id, source, type, subject, time, data, payload,
                  data_content_type, attributes, raw, native)


class StorageEvent(Event[T]):
    """An object-storage change (kind ``storage``): S3, Blob Storage, Cloud Storage.

    ``operation`` is one of ``created``, ``deleted``, ``archived``,
    ``restore_started``, ``restored``, ``metadata_updated``; the provider's own
    name stays in ``type``.
    """

    kind: ClassVar[str] = "storage"
    _fields: ClassVar[tuple[str, ...]] = (
        "bucket", "key", "operation", "size", "etag", "content_type", "version",
    )
    __slots__ = ("bucket", "content_type", "etag", "key", "operation", "size", "version")

    OPERATIONS: ClassVar[frozenset[str]] = frozenset(
        {"created", "deleted", "archived", "restore_started", "restored", "metadata_updated"}
    )

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
        # Event's attributes (see the module docstring).
        provider: str,
        trigger: str,
        id: str | None = None,
        source: str | None = None,
        type: str | None = None,
        subject: str | None = None,
        time: datetime | Callable[[], datetime | None] | None = None,
        data: Any = UNSET,
        payload: Payload | None = None,
        data_content_type: str | None = None,
        attributes: Mapping[str, str] | None = None,
        raw: Any = None,
        native: Callable[[], Any] | None = None,
    ) -> None:
        self.bucket = bucket
        self.key = key
        self.operation = operation
        self.size = size
        self.etag = etag
        self.content_type = content_type
        self.version = version
        self._set(provider, trigger, id, source, type, subject, time, data, payload,
                  data_content_type, attributes, raw, native)

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
    _fields: ClassVar[tuple[str, ...]] = ("schedule", "scheduled_time", "past_due")
    __slots__ = ("past_due", "schedule", "scheduled_time")

    def __init__(
        self,
        *,
        schedule: str | None = None,
        scheduled_time: datetime | None = None,
        past_due: bool | None = None,
        # Event's attributes (see the module docstring).
        provider: str,
        trigger: str,
        id: str | None = None,
        source: str | None = None,
        type: str | None = None,
        subject: str | None = None,
        time: datetime | Callable[[], datetime | None] | None = None,
        data: Any = UNSET,
        payload: Payload | None = None,
        data_content_type: str | None = None,
        attributes: Mapping[str, str] | None = None,
        raw: Any = None,
        native: Callable[[], Any] | None = None,
    ) -> None:
        self.schedule = schedule
        self.scheduled_time = scheduled_time
        self.past_due = past_due
        self._set(provider, trigger, id, source, type, subject, time, data, payload,
                  data_content_type, attributes, raw, native)


class Change(Event[T]):
    """A database change (kind ``change``): DynamoDB Streams, Cosmos DB, Firestore.

    ``operation`` is ``insert``, ``update``, ``delete``, or ``upsert`` where the
    source cannot tell. ``keys``, ``old`` and ``new`` are plain Python values.
    ``data`` is ``new`` (``old`` for a delete) unless the adapter says otherwise.
    """

    kind: ClassVar[str] = "change"
    _fields: ClassVar[tuple[str, ...]] = ("operation", "table", "keys", "old", "new")
    __slots__ = ("keys", "new", "old", "operation", "table")

    def __init__(
        self,
        *,
        operation: str | None,
        table: str | None = None,
        keys: Mapping[str, Any] | None = None,
        old: Any = None,
        new: Any = None,
        # Event's attributes (see the module docstring).
        provider: str,
        trigger: str,
        id: str | None = None,
        source: str | None = None,
        type: str | None = None,
        subject: str | None = None,
        time: datetime | Callable[[], datetime | None] | None = None,
        data: Any = UNSET,
        payload: Payload | None = UNSET,
        data_content_type: str | None = None,
        attributes: Mapping[str, str] | None = None,
        raw: Any = None,
        native: Callable[[], Any] | None = None,
    ) -> None:
        self.operation = operation
        self.table = table
        self.keys = keys
        self.old = old
        self.new = new
        # ``data`` is new/old unless the caller gave data or a payload (even None).
        if payload is UNSET:
            payload = None
            if data is UNSET:
                data = new if new is not None else old
        self._set(provider, trigger, id, source, type, subject, time, data, payload,
                  data_content_type, attributes, raw, native)
