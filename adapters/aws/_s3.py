"""Amazon S3 event notifications (``Records[].s3``, eventVersion 2.0 to 2.3).

Record fields: https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html;
event names: https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html.
S3 invokes Lambda asynchronously (a failure raises: two retries, then the
on-failure destination or DLQ); the same records arrive in an SQS body when S3
notifies a queue, which ``unwrap=True`` turns into these events too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from adapters._batch import BatchTrigger, LazyRecord
from adapters._http import form_decoded
from adapters._time import maybe_time
from sdk import Context, Event, StorageEvent
from sdk.adapter import UNSET, Record

from ._native import PayloadView
from ._records import first_record, record_list, remembered

__all__ = ["S3", "S3Object", "is_notification", "notification_in", "operation",
           "storage_events"]

#: Event name (exact, else the part before ``:``) -> StorageEvent.operation. A
#: replication status or an unknown name has none; the name itself stays in ``type``.
_OPERATIONS: dict[str, str | None] = {
    "ObjectCreated": "created",
    "ObjectRemoved": "deleted",
    "LifecycleExpiration": "deleted",
    "ReducedRedundancyLostObject": "deleted",
    "ObjectRestore:Post": "restore_started",
    "ObjectRestore:Completed": "restored",
    # The temporary restored copy expired: the object is only archived again.
    "ObjectRestore:Delete": "archived",
    "LifecycleTransition": "archived",
    "IntelligentTiering": "archived",  # moved to an Archive Access tier
    "ObjectTagging": "metadata_updated",
    "ObjectAcl": "metadata_updated",
    "ObjectAnnotation": "metadata_updated",
    "Replication": None,
}


def operation(event_name: Any) -> str | None:
    """The uniform operation of an S3 event name (``ObjectCreated:Put`` -> ``created``)."""
    if not isinstance(event_name, str):
        return None
    name = event_name.removeprefix("s3:")
    if name in _OPERATIONS:
        return _OPERATIONS[name]
    return _OPERATIONS.get(name.split(":", 1)[0])


#: Event name -> :func:`operation`'s answer, for the names seen (a function's
#: notifications carry a handful): an event's operation in one lookup.
_OPERATION_OF: dict[Any, str | None] = {}


def is_notification(doc: Any) -> bool:
    """True for an S3 notification document (an SQS body S3 wrote)."""
    record = first_record(doc)
    return record is not None and record.get("eventSource") == "aws:s3"


def notification_in(text: Any) -> dict[str, Any] | None:
    """The S3 notification document a JSON text holds (an SNS ``Message`` S3
    published, or an SQS body), else ``None``."""
    if not isinstance(text, str) or text[:1] != "{":
        return None
    import json

    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return doc if is_notification(doc) else None


def storage_events(doc: dict[str, Any], *, trigger: str, raw: Any,
                   native: Callable[[], Any]) -> list[Event[Any]]:
    """The :class:`StorageEvent` of each record of a notification document."""
    return [S3Object(record, trigger, raw, native) for record in doc["Records"]]


class S3Object(StorageEvent[Any], PayloadView):
    """A notification record as a :class:`StorageEvent`, set from the record with no
    keyword call (as :class:`~adapters.aws._sqs.SQSMessage`): a one-record delivery
    pays for little else. ``time`` is parsed from ``eventTime`` when first read
    (never raising); ``native`` is powertools' record class, or the callable given
    (the SQS or SNS record that carried the notification). A malformed record fails
    here, at decode. (The order of the reads decides which error it reports.)"""

    __slots__ = ("_record",)
    _native_class = "s3_event.S3EventRecord"

    def __init__(self, record: dict[str, Any], trigger: str, raw: Any,
                 native: Callable[[], Any] | None = None) -> None:
        s3 = record["s3"]
        bucket, obj = s3["bucket"], s3["object"]
        # Keys arrive form-encoded: '+' is a space, then percent-escapes.
        key = form_decoded(obj["key"])
        size = obj.get("size")
        self.bucket = bucket.get("name")
        self.key = key
        name = record.get("eventName")
        try:
            self.operation = _OPERATION_OF[name]
        except (KeyError, TypeError):  # a name not seen yet, or not text
            self.operation = remembered(_OPERATION_OF, operation, name)
        self.size = size if isinstance(size, int) and not isinstance(size, bool) else None
        self.etag = obj.get("eTag")
        self.content_type = None
        self.version = obj.get("versionId")
        self.provider = "aws"
        self.trigger = trigger
        self.id = None
        self.source = bucket.get("arn")
        self.type = name
        self.subject = key
        self._record = record
        self._time = UNSET
        self._data = None
        self._payload = None
        self.data_content_type = None
        self.attributes = {}
        self.raw = raw
        self._native = UNSET if native is None else native

    def _read_time(self) -> datetime | None:
        return maybe_time(self._record.get("eventTime"))


class S3(BatchTrigger):
    """S3 event notification sent straight to the function."""

    name = "aws.s3"
    kind = StorageEvent
    semantics = ("Asynchronous invocation: a failure raises, Lambda retries twice and then "
                 "sends the event to the on-failure destination or dead-letter queue.")

    def matches(self, raw: Any) -> bool:
        return is_notification(raw)

    def records(self, raw: Any, context: Context | None = None, *, unwrap: bool = False
                ) -> list[Record]:
        name, build = self.name, self._build
        return [_S3Record(None, name, build, item) for item in record_list(raw, self.name)]

    def _build(self, item: dict[str, Any]) -> list[Event[Any]]:
        return [S3Object(item, self.name, item)]


class _S3Record(LazyRecord):
    """A notification record, named in log lines by :func:`_label`, worked out when a
    line needs it (not for every record of every delivery)."""

    __slots__ = ()

    def _labelled(self) -> str | None:
        if self._label is None:
            self._label = _label(self._item)
        return Record.label.fget(self)  # type: ignore[attr-defined,no-any-return]

    label = property(_labelled, Record.label.fset)  # type: ignore[attr-defined]


def _label(item: Any) -> str | None:
    """Names a record in logs: the request id and sequencer, never the key."""
    if not isinstance(item, dict):
        return None
    response = item.get("responseElements")
    request_id = response.get("x-amz-request-id") if isinstance(response, dict) else None
    s3 = item.get("s3")
    obj = s3.get("object") if isinstance(s3, dict) else None
    sequencer = obj.get("sequencer") if isinstance(obj, dict) else None
    # Only text goes into a label: any other value (an array 5,000 deep) is left out.
    request_id = request_id if isinstance(request_id, str) else None
    sequencer = sequencer if isinstance(sequencer, str) else None
    return f"{request_id}/{sequencer}" if request_id or sequencer else None
