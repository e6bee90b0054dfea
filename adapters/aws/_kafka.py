"""Amazon MSK and self-managed Apache Kafka (``records`` keyed by topic-partition).

Record fields: https://docs.aws.amazon.com/lambda/latest/dg/with-msk.html and
https://docs.aws.amazon.com/lambda/latest/dg/with-kafka.html. ``key`` and
``value`` are base64; headers are a list of ``{name: [byte, ...]}``. A partition
is an ordered sequence: its first failure stops that partition (others go on) and
is reported with every later record of it, as ``{"partition": "<topic>-<n>",
"offset": n}`` (https://docs.aws.amazon.com/lambda/latest/dg/kafka-retry-configurations.html).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from adapters._base64 import b64_bytes  # every record carries base64
from adapters._batch import lazy
from sdk import Context, Event, Message
from sdk.adapter import Record
from sdk.errors import EventDecodeError

from ._native import epoch_ms, powertools
from ._records import ALL_FAILED, PartialBatchTrigger, bytes_text

__all__ = ["Kafka"]

_SOURCES = frozenset({"aws:kafka", "aws:SelfManagedKafka"})


class Kafka(PartialBatchTrigger):
    """MSK or self-managed Kafka event source mapping."""

    name = "aws.kafka"
    kind = Message
    semantics = ("Partial batch response by topic-partition and offset: a partition's first "
                 "failed record and its later ones are reported. Needs "
                 "ReportBatchItemFailures: without it Lambda ignores the report and commits the "
                 "offsets, so use partial_failures=False there." + ALL_FAILED)

    def matches(self, raw: Any) -> bool:
        source = raw.get("eventSource") if isinstance(raw, dict) else None
        return isinstance(source, str) and source in _SOURCES and "records" in raw

    def records(self, raw: Any, context: Context | None = None, *, unwrap: bool = False
                ) -> list[Record]:
        partitions = raw.get("records")
        if not isinstance(partitions, dict):
            raise EventDecodeError(self.name, "records must map topic-partitions to lists",
                                   keys=["records"])
        source = raw.get("eventSourceArn")
        out: list[Record] = []
        for name, items in partitions.items():
            if not isinstance(items, list):
                raise EventDecodeError(self.name, "a topic-partition must hold a list",
                                       keys=["records"])
            out.extend(Record(_identifier(item), lazy(self.name, partial(self._build, source),
                                                      item),
                              group=name, label=_label(item))
                       for item in items)
        return out

    def _build(self, source: str | None, item: dict[str, Any]) -> list[Event[Any]]:
        topic, number, offset = item["topic"], item["partition"], item["offset"]
        value = item.get("value")
        return [Message(
            topic=topic, partition=str(number), sequence=str(offset),
            ordering_key=_key(item.get("key")),
            provider="aws", trigger=self.name, id=f"{topic}-{number}:{offset}", source=source,
            time=epoch_ms(item.get("timestamp")),
            # A null value is a tombstone: no data. Base64 is undone when data is read.
            payload=None if value is None else partial(b64_bytes, value),
            attributes=_headers(item.get("headers"), self.name),
            raw=item, native=powertools("kafka_event.KafkaEventRecord", item),
        )]


def _key(key: Any) -> str | None:
    """The record key as text; a key that is not UTF-8 stays base64 text."""
    return None if key is None else bytes_text(b64_bytes(key))


def _headers(headers: Any, trigger: str) -> dict[str, str]:
    """Headers as text (base64 text where not UTF-8); a repeated name keeps its first value."""
    if not headers:
        return {}
    if not isinstance(headers, list):
        raise EventDecodeError(trigger, "headers must be a list of objects", keys=["headers"])
    out: dict[str, str] = {}
    for chunk in headers:
        if not isinstance(chunk, dict):
            raise EventDecodeError(trigger, "a header must be an object", keys=["headers"])
        for name, value in chunk.items():
            out.setdefault(name, bytes_text(_header_bytes(value, trigger)))
    return out


def _header_bytes(value: Any, trigger: str) -> bytes:
    """A header value's bytes. Lambda writes them as Java does, signed (-128..127,
    a producer in Java sends ``[-61, -87]`` for "é"); unsigned (0..255) is read too:
    ``b & 0xFF`` is the byte either way."""
    if isinstance(value, list) and all(
            type(b) is int and -128 <= b <= 255 for b in value):
        return bytes(b & 0xFF for b in value)
    raise EventDecodeError(trigger, "a header value must be an array of bytes "
                           "(integers from -128 to 255)", keys=["headers"])


def _identifier(item: Any) -> dict[str, Any] | None:
    """What a failure is reported by: ``{"partition": "<topic>-<n>", "offset": n}``."""
    if not isinstance(item, dict):
        return None
    topic, number, offset = item.get("topic"), item.get("partition"), item.get("offset")
    if not isinstance(topic, str) or not isinstance(number, int) or not isinstance(offset, int):
        return None
    return {"partition": f"{topic}-{number}", "offset": offset}


def _label(item: Any) -> str | None:
    identifier = _identifier(item)
    return None if identifier is None else f"{identifier['partition']}:{identifier['offset']}"
