"""Which module holds the trigger of a payload, read from one or two of its keys.

Detection proper tries every trigger's predicate in ``TRIGGERS``' order, which
means importing every trigger module: about 25 predicates, and ``dataclasses``,
``decimal``, ``zlib`` and a dozen modules at a cold start, for an SQS message.
The most common deliveries say who sent them in one field:

* ``Records[0].eventSource`` (SQS, Kinesis, DynamoDB Streams, S3) or
  ``Records[0].EventSource`` (SNS);
* ``detail-type`` and ``source`` at the top level (EventBridge: S3 object events,
  schedules, the rest).

:func:`route` names the trigger such a payload can only be, importing just its
module. It answers only where no trigger earlier in detection order could match
(the keys every earlier predicate needs are absent), and it asks the trigger's
own predicate unless what it read is that whole predicate (the ``Records``
triggers), so its answer is always the one full detection gives
(tests/unit/test_aws_routes.py); anything else (``None``) goes through full
detection.
"""

from __future__ import annotations

from typing import Any

from adapters._trigger import Trigger, TriggerModules

__all__ = ["ROUTED", "instance", "route"]

#: (module, class) of every trigger routed here, in detection order.
ROUTED: tuple[tuple[str, str], ...] = (
    ("._sqs", "SQS"),
    ("._sns", "SNS"),
    ("._kinesis", "Kinesis"),
    ("._dynamodb", "DynamoDBStream"),
    ("._s3", "S3"),
    ("._events", "S3EventBridge"),
    ("._events", "Scheduled"),
    ("._events", "EventBridge"),
)

#: ``Records[0].eventSource`` -> the one trigger that value can mean. SQS is the
#: first trigger after the HTTP ones; SNS (``EventSource``) is checked before the
#: others, as detection order has it.
_BY_SOURCE: dict[Any, tuple[str, str]] = {
    "aws:sqs": ROUTED[0], "aws:kinesis": ROUTED[2], "aws:dynamodb": ROUTED[3], "aws:s3": ROUTED[4]}
_SNS = ROUTED[1]
_S3_EVENTBRIDGE, _SCHEDULED, _EVENTBRIDGE = ROUTED[5:]

#: Keys some predicate before EventBridge's needs at the top level (HTTP payloads,
#: the ``Records`` triggers, Kafka and MQ's ``eventSource``): with none of them, an
#: envelope can only be one of the three EventBridge triggers.
_BEFORE_EVENTBRIDGE = ("Records", "eventSource", "rawPath", "httpMethod", "method")

#: The routed triggers' instances, shared with ``TRIGGERS``.
_TRIGGERS = TriggerModules(__package__)
#: ``Records[0].eventSource`` (SNS: its ``(module, class)``) -> the trigger's
#: instance, once made: a ``Records`` delivery costs one lookup, not ``instance``'s calls.
_BY_SENDER: dict[str | tuple[str, str], Trigger] = {}


def instance(where: tuple[str, str]) -> Trigger:
    """The trigger of ``(module, class)``, its module imported on first use."""
    return _TRIGGERS.get(*where)


def _sender(sender: str | tuple[str, str], where: tuple[str, str]) -> Trigger:
    trigger = _BY_SENDER[sender] = instance(where)
    return trigger


def route(raw: Any) -> Trigger | None:
    """The trigger ``raw`` can only be, if one field says so; else ``None``."""
    if raw.__class__ is not dict:
        return None
    records = raw.get("Records")
    if records is not None:
        first = records[0] if records.__class__ is list and records else None
        if first.__class__ is not dict:
            return None
        # What was just read is these triggers' whole predicate (``Records[0]`` a
        # dict whose eventSource, or SNS's EventSource, names the sender): not asked again.
        source = first.get("eventSource")
        if source != "aws:sqs" and first.get("EventSource") == "aws:sns":
            sender: str | tuple[str, str] = _SNS  # no eventSource text can be this key
        elif source.__class__ is str:
            sender = source
        else:
            return None
        made = _BY_SENDER.get(sender)
        if made is not None:
            return made
        where = _SNS if sender is _SNS else _BY_SOURCE.get(source)
        return None if where is None else _sender(sender, where)
    if "detail-type" in raw and "source" in raw and raw.keys().isdisjoint(_BEFORE_EVENTBRIDGE):
        # Only an S3 source can be an S3 object event and only a "Scheduled Event" a
        # schedule: any other envelope is tried against EventBridge's predicate alone.
        special = (_S3_EVENTBRIDGE if raw["source"] == "aws.s3" else
                   _SCHEDULED if raw["detail-type"] == "Scheduled Event" else None)
        # EventBridge's predicate (an envelope, not a schedule, not an S3 object
        # event) holds here once the special one, if any, did not match.
        trigger = _matching(special, raw)
        return trigger if trigger is not None else instance(_EVENTBRIDGE)
    return None


def _matching(where: tuple[str, str] | None, raw: Any) -> Trigger | None:
    if where is None:
        return None
    trigger = instance(where)
    return trigger if trigger.matches(raw) else None
