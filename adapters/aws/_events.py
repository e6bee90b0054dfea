"""EventBridge deliveries: S3 object events, schedules, and every other event.

All three share EventBridge's envelope
(https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html):
``version``, ``id``, ``detail-type``, ``source``, ``account``, ``time``, ``region``,
``resources``, ``detail``. ``detail-type`` + ``source`` mark the envelope (``version``
is not required: Powertools' own samples omit it). S3 events and schedules are
told apart by ``source`` and the shape of ``detail``; every other envelope is
``aws.eventbridge``, so the three predicates never overlap.

EventBridge *Scheduler* sends a Lambda target the ``Input`` the schedule was
given, with no envelope of its own
(https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html).
To receive it as a :class:`~sdk.Schedule`, give the schedule an envelope-shaped
input: ``{"detail-type": "Scheduled Event", "source": "aws.scheduler", "id":
"<aws.scheduler.execution-id>", "time": "<aws.scheduler.scheduled-time>",
"resources": ["<aws.scheduler.schedule-arn>"], "detail": {...}}``.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from adapters._http import form_decoded
from adapters._time import maybe_time
from adapters._trigger import Trigger
from sdk import Context, Event, Schedule, StorageEvent
from sdk.errors import EventDecodeError

from ._native import native_view

__all__ = ["S3_OPERATIONS", "EventBridge", "S3EventBridge", "Scheduled"]

_ASYNC = ("Invoked asynchronously: the return value is ignored; an exception makes "
          "Lambda retry the event, then send it to the on-failure destination/DLQ.")

#: S3 ``detail-type`` -> uniform operation; an unknown type gives ``None``
#: (https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html).
S3_OPERATIONS: dict[str, str] = {
    "Object Created": "created",
    "Object Deleted": "deleted",
    "Object Restore Initiated": "restore_started",
    "Object Restore Completed": "restored",
    # The temporary restored copy is gone: the object is in its archive class only.
    "Object Restore Expired": "archived",
    # Lifecycle transitions only move objects to colder classes, and
    # Intelligent-Tiering reports only moves into its archive access tiers.
    "Object Storage Class Changed": "archived",
    "Object Access Tier Changed": "archived",
    "Object Tags Added": "metadata_updated",
    "Object Tags Deleted": "metadata_updated",
    "Object ACL Updated": "metadata_updated",
}

#: ``detail`` fields of S3 events kept as attributes (spelling -> attribute name).
_S3_ATTRIBUTES = {
    "reason": "reason", "deletion-type": "deletion_type", "requester": "requester",
    "source-storage-class": "source_storage_class",
    "destination-storage-class": "destination_storage_class",
    "destination-access-tier": "destination_access_tier",
    "restore-expiry-time": "restore_expiry_time",
}

#: ``aws.events``: EventBridge/CloudWatch Events rules; ``aws.scheduler``: the
#: envelope-shaped Scheduler input described in the module docstring.
_SCHEDULE_SOURCES = frozenset({"aws.events", "aws.scheduler"})

def _is_envelope(raw: Any) -> bool:
    return isinstance(raw, dict) and "detail-type" in raw and "source" in raw


def _is_schedule(raw: Any) -> bool:
    return (_is_envelope(raw) and raw["detail-type"] == "Scheduled Event"
            and isinstance(raw["source"], str) and raw["source"] in _SCHEDULE_SOURCES)


def _is_s3(raw: Any) -> bool:
    if not _is_envelope(raw) or raw["source"] != "aws.s3":
        return False
    detail = raw.get("detail")
    # CloudTrail "AWS API Call" events also come from aws.s3, with another detail.
    return isinstance(detail, dict) and "bucket" in detail and "object" in detail


def _text(raw: dict[str, Any], key: str, trigger: str, *, where: str = "") -> str | None:
    value = raw.get(key)
    if value is None or isinstance(value, str):
        return value
    raise EventDecodeError(trigger, "field must be a string", keys=[f"{where}{key}"])


#: Envelope members that must be text when present, in the order they are checked
#: (after ``resources``: the order decides which error a malformed envelope reports).
_TEXTS = ("account", "region", "replay-name", "id", "source", "detail-type")


def _envelope(raw: dict[str, Any], trigger: str) -> dict[str, Any]:
    """The Event keyword arguments every EventBridge delivery shares. Every member
    is checked here (a wrong type fails at decode); ``time`` is parsed on first
    read (``maybe_time`` never raises)."""
    resources = raw.get("resources") or []
    if resources.__class__ is not list and not isinstance(resources, list):
        raise EventDecodeError(trigger, "resources must be a list of ARNs", keys=["resources"])
    for resource in resources:  # a loop, not all(<generator>): one event per invocation
        if resource.__class__ is not str and not isinstance(resource, str):
            raise EventDecodeError(trigger, "resources must be a list of ARNs",
                                   keys=["resources"])
    get = raw.get
    values = (get("account"), get("region"), get("replay-name"), get("id"), get("source"),
              get("detail-type"))  # _TEXTS
    for value in values:
        if value is not None and not isinstance(value, str):
            for key in _TEXTS:  # the first that is not text, as the checks are ordered
                _text(raw, key, trigger)
    account, region, replay, id_, source, type_ = values
    attributes = {}
    if account:
        attributes["account"] = account
    if region:
        attributes["region"] = region
    if replay:
        attributes["replay_name"] = replay
    if resources:
        attributes["resources"] = ",".join(resources)
    return {"provider": "aws", "trigger": trigger, "id": id_, "source": source,
            "type": type_, "time": partial(maybe_time, raw.get("time")),
            "attributes": attributes, "raw": raw}


class EventBridge(Trigger):
    """Any EventBridge event that is neither an S3 object event nor a schedule:
    ``data`` is ``detail``, ``type`` the ``detail-type``."""

    name = "aws.eventbridge"
    semantics = _ASYNC

    def matches(self, raw: Any) -> bool:
        return _is_envelope(raw) and not _is_schedule(raw) and not _is_s3(raw)

    def decode(self, raw: Any, context: Context | None = None) -> list[Event[Any]]:
        return [Event(data=raw.get("detail"), native=partial(native_view, "EventBridgeEvent", raw),
                      **_envelope(raw, self.name))]


class Scheduled(Trigger):
    """A scheduled rule firing: ``schedule`` is the rule name, ``scheduled_time``
    the event ``time``; ``past_due`` is ``None`` because AWS does not say."""

    name = "aws.scheduled"
    kind = Schedule
    semantics = _ASYNC

    def matches(self, raw: Any) -> bool:
        return _is_schedule(raw)

    def decode(self, raw: Any, context: Context | None = None) -> list[Event[Any]]:
        fields = _envelope(raw, self.name)
        fields["time"] = fields["time"]()  # also the scheduled time: parsed once, now
        return [Schedule(schedule=_rule_name(raw), scheduled_time=fields["time"],
                         data=raw.get("detail"),
                         native=partial(native_view, "EventBridgeEvent", raw), **fields)]


def _rule_name(raw: dict[str, Any]) -> str | None:
    """``arn:aws:events:r:a:rule/[bus/]name`` or ``arn:aws:scheduler:r:a:schedule/group/name``."""
    resources = raw.get("resources") or []
    if not resources:
        return None
    return resources[0].rpartition("/")[2] or None


class S3EventBridge(Trigger):
    """S3 object events through EventBridge
    (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html)."""

    name = "aws.s3.eventbridge"
    kind = StorageEvent
    semantics = _ASYNC

    def matches(self, raw: Any) -> bool:
        return _is_s3(raw)

    def decode(self, raw: Any, context: Context | None = None) -> list[Event[Any]]:
        detail = raw["detail"]
        bucket, obj = detail["bucket"], detail["object"]
        if not isinstance(bucket, dict) or not isinstance(obj, dict):
            raise EventDecodeError(self.name, "bucket and object must be JSON objects",
                                   keys=["detail.bucket", "detail.object"])
        name = _text(bucket, "name", self.name, where="detail.bucket.")
        key = _text(obj, "key", self.name, where="detail.object.")
        if not name or key is None:
            raise EventDecodeError(self.name, "bucket name and object key are required",
                                   keys=["detail.bucket.name", "detail.object.key"])
        size = obj.get("size")
        if size is not None and (not isinstance(size, int) or isinstance(size, bool)):
            raise EventDecodeError(self.name, "size must be an integer",
                                   keys=["detail.object.size"])
        fields = _envelope(raw, self.name)
        fields["attributes"].update(_s3_attributes(detail, obj))
        return [StorageEvent(
            bucket=name, key=_key(key), operation=S3_OPERATIONS.get(fields["type"] or ""),
            size=size, etag=_text(obj, "etag", self.name, where="detail.object.") or None,
            version=_text(obj, "version-id", self.name, where="detail.object."),
            subject=_key(key), data=detail,
            native=partial(native_view, "S3EventBridgeNotificationEvent", raw), **fields,
        )]


def _key(key: str) -> str:
    # S3 URL-encodes keys in its events, form-style ("red flower.jpg" ->
    # "red+flower.jpg"), as powertools' S3EventBridgeNotificationObject.key undoes.
    return form_decoded(key)


def _s3_attributes(detail: dict[str, Any], obj: dict[str, Any]) -> dict[str, str]:
    out = {name: detail[key] for key, name in _S3_ATTRIBUTES.items()
           if isinstance(detail.get(key), str)}
    if isinstance(obj.get("sequencer"), str):
        out["sequencer"] = obj["sequencer"]  # orders events for the same key
    return out
