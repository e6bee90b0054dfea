"""From a sample name to the payload, and to the uniform events the adapter makes
of it; several single-record payloads to one batch."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from sdk import Event

from ._registry import find

__all__ = ["batch", "event", "events", "payload"]

#: Where a payload keeps its records: SQS/SNS/Kinesis/DynamoDB/S3/SES (``Records``),
#: Kafka and Firehose (``records``), ActiveMQ (``messages``), RabbitMQ
#: (``rmqMessagesByQueue``), S3 Batch (``tasks``), Connect campaigns (``Items``).
_RECORD_KEYS = ("Records", "records", "messages", "rmqMessagesByQueue", "tasks", "Items")


def payload(name: str, /, **fields: Any) -> Any:
    """The raw payload of sample ``name`` (``"aws.sqs"``) built with ``fields``."""
    return find(name).build(**fields)


def events(name: str, /, **fields: Any) -> list[Event[Any]]:
    """The uniform events the provider's adapter decodes sample ``name`` to."""
    sample = find(name)
    raw = sample.build(**fields)
    adapter = importlib.import_module(f"adapters.{sample.provider}")
    return list(adapter.decode(raw))


def event(name: str, /, **fields: Any) -> Event[Any]:
    """The one uniform event of sample ``name``: ``event("aws.sqs", body={"id": 1})``
    is a :class:`~sdk.Message` whose ``data`` is ``{"id": 1}``."""
    found = events(name, **fields)
    if len(found) != 1:
        raise ValueError(f"{name} decodes to {len(found)} events; use adapters.testing.events()")
    return found[0]


def _merge(key: str, parts: list[Any]) -> Any:
    if all(isinstance(part, list) for part in parts):
        return [item for part in parts for item in part]
    if all(isinstance(part, Mapping) for part in parts):  # Kafka, RabbitMQ: lists by name
        merged: dict[str, list[Any]] = {}
        for part in parts:
            for name, items in part.items():
                merged.setdefault(name, []).extend(items)
        return merged
    raise TypeError(f"the payloads' {key} are not all of one shape")


def batch(*payloads: Any) -> Any:
    """One delivery holding the records of several single-record ``payloads`` of one
    trigger: ``batch(aws.sqs("a"), aws.sqs("b"))``. Lists (Event Grid, CloudEvents
    batches, Cosmos DB documents) are concatenated; azure.functions objects become a
    list (a trigger with cardinality ``many``)."""
    if not payloads:
        raise ValueError("batch() needs at least one payload")
    first = payloads[0]
    if isinstance(first, list):
        return [item for part in payloads for item in part]
    if not isinstance(first, Mapping):
        return list(payloads)
    for key in _RECORD_KEYS:
        if key in first and isinstance(first[key], (list, Mapping)):
            if not all(isinstance(p, Mapping) and key in p for p in payloads):
                raise TypeError(f"every payload must have {key} to be batched with the first")
            return {**first, key: _merge(key, [p[key] for p in payloads])}
    raise TypeError(f"cannot batch this payload: it has none of {', '.join(_RECORD_KEYS)}")
