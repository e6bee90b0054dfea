"""Amazon DynamoDB Streams (``Records[].dynamodb``) as :class:`~sdk.Change` events.

Record fields: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_StreamRecord.html;
AttributeValue: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_AttributeValue.html.
Values become plain Python: numbers ``int`` when integral text, else ``Decimal``
(DynamoDB keeps 38 digits, a float would not); ``B`` bytes; ``SS``/``NS``/``BS``
sets; ``M`` dicts; ``L`` lists; ``NULL`` None; ``BOOL`` bool. A batch comes from
one shard, in order: the first failure stops it and is reported with every later
record by sequence number; Lambda resumes from the lowest one reported
(https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from sdk import Change, Event
from sdk.adapter import UNSET, lazy
from sdk.errors import EventDecodeError

from ._native import PayloadView
from ._records import (
    ShardTrigger,
    arn_resource_once,
    b64_bytes,
    epoch_seconds,
)

if TYPE_CHECKING:
    from decimal import Decimal

__all__ = ["DynamoDBStream", "StreamChange", "attribute_value", "image"]

_OPERATIONS = {"INSERT": "insert", "MODIFY": "update", "REMOVE": "delete"}


def _number(text: Any) -> int | Decimal:
    if not isinstance(text, str):
        raise TypeError("a number is sent as text")
    if text.lstrip("-").isdigit():
        return int(text)
    Decimal, InvalidOperation = _decimal()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not number.is_finite():
        raise ValueError("not a finite number")
    return number


@cache
def _decimal() -> tuple[type[Decimal], type[ArithmeticError]]:
    """``decimal.Decimal`` and ``InvalidOperation``, imported on the first fraction
    (cold starts skip decimal) and not again for every one after it."""
    from decimal import Decimal, InvalidOperation

    return Decimal, InvalidOperation


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("S must be a string")
    return value


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("BOOL must be a boolean")
    return value


def _null(value: Any) -> None:
    if value is not True:
        raise ValueError("NULL must be true")


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError("L must be a list")
    return [attribute_value(item) for item in value]


def _map(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError("M must be an object")
    return {name: attribute_value(item) for name, item in value.items()}


def _set(element: Callable[[Any], Any]) -> Callable[[Any], set[Any]]:
    def decode(value: Any) -> set[Any]:
        if not isinstance(value, list):
            raise TypeError("a set must be a list")
        return {element(item) for item in value}

    return decode


#: AttributeValue type tag -> decoder of its value.
_DECODERS: dict[str, Callable[[Any], Any]] = {
    "S": _string, "N": _number, "B": b64_bytes, "BOOL": _bool, "NULL": _null,
    "SS": _set(_string), "NS": _set(_number), "BS": _set(b64_bytes), "L": _list, "M": _map,
}


def attribute_value(value: Any) -> Any:
    """One AttributeValue (``{"N": "101"}``) as a plain Python value."""
    if not isinstance(value, dict) or len(value) != 1:
        raise ValueError("an AttributeValue has exactly one type tag")
    ((tag, inner),) = value.items()
    # The common tags answered here, as their decoders would, without a call and
    # its checks per value: text; whole numbers ("007" is 7; "-0", "1e5", fractions
    # take _number's own path, and int() raises as there past its limit); booleans;
    # maps and lists. Anything else, or a value of the wrong type, is the decoder's.
    if inner.__class__ is str:
        if tag == "S":
            return inner
        if tag == "N" and inner.isdigit():
            return int(inner)
    elif tag == "M":
        if inner.__class__ is dict:
            return {name: attribute_value(item) for name, item in inner.items()}
    elif tag == "L":
        if inner.__class__ is list:
            return [attribute_value(item) for item in inner]
    elif tag == "BOOL" and inner.__class__ is bool:
        return inner
    return _DECODERS[tag](inner)


def image(item: Any, field: str, trigger: str) -> dict[str, Any] | None:
    """``Keys``/``OldImage``/``NewImage`` decoded; ``None`` when the record has none.

    A malformed value raises :class:`EventDecodeError` naming the attribute.
    """
    if item is None:
        return None
    if not isinstance(item, dict):
        raise EventDecodeError(trigger, f"{field} must be an object", keys=[f"dynamodb.{field}"])
    out: dict[str, Any] = {}
    for name, value in item.items():
        try:
            out[name] = attribute_value(value)
        except (KeyError, TypeError, ValueError):
            raise EventDecodeError(trigger, "malformed AttributeValue",
                                   keys=[f"dynamodb.{field}.{name}"]) from None
    return out


class DynamoDBStream(ShardTrigger):
    """DynamoDB Streams event source mapping."""

    name = "aws.dynamodb.stream"
    kind = Change
    event_source = "aws:dynamodb"
    sequence_at = ("dynamodb", "SequenceNumber")

    def _build(self, item: dict[str, Any]) -> list[Event[Any]]:
        return [StreamChange(item, self.name)]


class StreamChange(Change[Any], PayloadView):
    """A DynamoDB Streams record as a :class:`Change`, set from the record with no
    keyword call (as :class:`~adapters.aws._sqs.SQSMessage`): a batch builds one per
    record. ``keys`` and the image that is ``data`` (``new``; ``old`` for a
    delete) are decoded here, so a malformed one fails its record at decode; the
    old image beside a new one, which few handlers read, is decoded on first read of
    ``old`` (a malformed one raises the same :class:`EventDecodeError` there).
    ``time`` is converted when first read (never raising). (The order of the reads
    decides which error a malformed record reports: keep it.)"""

    __slots__ = ("_old",)
    _native_class = "dynamo_db_stream_event.DynamoDBRecord"

    def __init__(self, item: dict[str, Any], trigger: str) -> None:
        stream = item["dynamodb"]
        arn = item.get("eventSourceARN")
        event_name = item.get("eventName")
        self.operation = _OPERATIONS.get(event_name) if isinstance(event_name, str) else None
        self.table = arn_resource_once(arn, "table")
        self.keys = image(stream.get("Keys"), "Keys", trigger)
        old_image = stream.get("OldImage")
        if stream.get("NewImage") is None:  # a delete: the old image is the data
            self._old = old = image(old_image, "OldImage", trigger)
            new = None
        else:
            # Checked here as image() would first (an image that is not an object);
            # its values when ``old`` is first read.
            if old_image is not None and not isinstance(old_image, dict):
                raise EventDecodeError(trigger, "OldImage must be an object",
                                       keys=["dynamodb.OldImage"])
            self._old = UNSET if old_image is not None else None
            old = None
            new = image(stream.get("NewImage"), "NewImage", trigger)
        self.new = new
        self.provider = "aws"
        self.trigger = trigger
        self.id = item.get("eventID")
        self.source = arn
        self.type = event_name
        self.subject = None
        self._time = UNSET
        self._data = new if new is not None else old
        self._payload = None
        self.data_content_type = None
        self.attributes = {}
        self.raw = item
        self._native = UNSET

    def _read_old(self) -> dict[str, Any] | None:
        """The image before the change (``None`` for an insert, or a stream view
        without old images)."""
        return image(self.raw["dynamodb"].get("OldImage"), "OldImage", self.trigger)

    old = lazy("_old", _read_old)

    def _read_time(self) -> datetime | None:
        return epoch_seconds(self.raw["dynamodb"].get("ApproximateCreationDateTime"))
