"""Outputs to AWS event buses and streams: EventBridge and Kinesis drivers.

* EventBridge (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html):
  ``data`` (a JSON object) -> ``Detail``, ``type`` -> ``DetailType``, ``source`` -> ``Source``.
* Kinesis (https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecord.html):
  the body's bytes -> ``Data``, ``key`` -> ``PartitionKey``.
"""

from __future__ import annotations

import uuid
from typing import Any

from sdk._outputs import Limits, Outcome, OutgoingMessage
from sdk._outputs._address import Address

from ._outputs import KiB, _Driver

__all__ = ["EventBridge", "Kinesis"]


class EventBridge(_Driver):
    """``eventbridge://BUS`` or a bus ARN: ``data`` (a JSON object) -> Detail,
    ``type`` -> DetailType, ``source`` -> Source (both required)."""

    provider = "aws.eventbridge"
    service = "events"
    # https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html
    limits = Limits(message_bytes=256 * KiB, batch_items=10, batch_bytes=256 * KiB)
    carries = frozenset({"type", "source"})

    def __init__(self, address: Address) -> None:
        super().__init__(address)
        self.bus = self.text if self.text.startswith("arn:") else (address.name or "default")

    def prepare(self, message: OutgoingMessage) -> tuple[dict[str, Any], int]:
        if message.binary or not message.body.lstrip().startswith(b"{"):
            raise self.refuse("polyfn.InvalidData", "EventBridge detail must be a JSON object")
        if not message.type or not message.source:
            raise self.refuse("polyfn.MissingField", "EventBridge needs type and source")
        detail = message.body.decode("utf-8")
        entry = {"EventBusName": self.bus, "Source": message.source,
                 "DetailType": message.type, "Detail": detail}
        size = len(message.source.encode()) + len(message.type.encode()) + len(message.body)
        return entry, size

    def send(self, entry: dict[str, Any]) -> str:
        (outcome,) = self.send_batch([entry])
        if outcome.code is not None:
            raise self.refuse(outcome.code, outcome.detail)
        return str(outcome.id)

    def send_batch(self, entries: list[dict[str, Any]]) -> list[Outcome]:
        answer = self.call("put_events", Entries=entries)
        return [Outcome(id=e["EventId"]) if e.get("EventId") else
                Outcome(code=e.get("ErrorCode") or "Failed",
                        detail=str(e.get("ErrorMessage") or "")[:300])
                for e in answer.get("Entries", ())]


class Kinesis(_Driver):
    """``kinesis://STREAM`` or a stream ARN: the body's bytes -> Data, ``key`` ->
    PartitionKey (a random one when absent: records spread over the shards).
    Returns ``SHARD:SEQUENCE``, the ``id`` the Lambda consumer sees."""

    provider = "aws.kinesis"
    service = "kinesis"
    # https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html
    limits = Limits(message_bytes=1024 * KiB, batch_items=500, batch_bytes=5 * 1024 * KiB)
    carries = frozenset({"key"})

    def __init__(self, address: Address) -> None:
        super().__init__(address)
        self.stream = ({"StreamARN": self.text} if self.text.startswith("arn:")
                       else {"StreamName": address.name})

    def prepare(self, message: OutgoingMessage) -> tuple[dict[str, Any], int]:
        key = message.key or uuid.uuid4().hex
        if len(key) > 256:
            raise self.refuse("polyfn.InvalidKey", "a partition key has at most 256 characters")
        return {"Data": message.body, "PartitionKey": key}, len(message.body) + len(key.encode())

    def send(self, entry: dict[str, Any]) -> str:
        answer = self.call("put_record", **self.stream, **entry)
        return f"{answer['ShardId']}:{answer['SequenceNumber']}"

    def send_batch(self, entries: list[dict[str, Any]]) -> list[Outcome]:
        answer = self.call("put_records", **self.stream, Records=entries)
        return [Outcome(id=f"{r['ShardId']}:{r['SequenceNumber']}") if r.get("SequenceNumber")
                else Outcome(code=r.get("ErrorCode") or "Failed",
                             detail=str(r.get("ErrorMessage") or "")[:300])
                for r in answer.get("Records", ())]
