"""Amazon Data Firehose data transformation: one event per record, one answer each.

https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html: the
function receives ``records[]`` (``recordId``, base64 ``data``, and
``kinesisRecordMetadata`` when a Kinesis stream is the source) and must answer
``{"records": [{"recordId", "result", "data"}]}`` for every record it was given,
``result`` one of ``Ok``, ``Dropped``, ``ProcessingFailed``.

With an Amazon MSK cluster as the source (``sourceMSKArn``), a record carries its
base64 payload as ``kafkaRecordValue`` with ``mskRecordMetadata`` (``offset``,
``partitionId``, ``approximateArrivalTimestamp``), and the answer must carry the
new payload as ``kafkaRecordValue`` too
(https://docs.aws.amazon.com/firehose/latest/dev/data-transformation-status-model.html):
each record is answered in the spelling it came in.

What the handler returns for a record becomes its answer:

* ``None``: ``Ok``, the record unchanged;
* ``bytes`` / ``str`` / any JSON-able value: ``Ok`` with that as the new data
  (JSON compact, no newline added: add one if the destination wants lines);
* a dict of the answer's own keys, e.g. ``{"result": "Dropped"}`` or
  ``{"result": "Ok", "data": ..., "metadata": {"partitionKeys": {...}}}``
  (dynamic partitioning): used as it is, ``recordId`` filled in, ``data``
  (already base64) defaulting to the original.

A record whose handler raises is answered ``ProcessingFailed`` (Firehose writes it
to the error output, it is not lost). When every record fails, or any fails and
``partial_failures=False``, the invocation fails instead and Firehose retries it.
A ``list[Event]`` handler returns one such value per event, in order (or ``None``).
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from typing import Any

from adapters._http import b64_body
from adapters._trigger import Trigger
from sdk import Context, Event, Function
from sdk.adapter import dumps
from sdk.errors import EventDecodeError, ResponseEncodeError

from ._native import epoch_ms, powertools
from ._records import ALL_FAILED

__all__ = ["KinesisFirehose"]

_RESULTS = frozenset({"Ok", "Dropped", "ProcessingFailed"})
_ANSWER_KEYS = frozenset({"recordId", "result", "data", "kafkaRecordValue", "metadata"})
#: record metadata kept as attributes: (its key in the record, (attribute, key) pairs)
_METADATA = (
    ("kinesisRecordMetadata", (("partition_key", "partitionKey"), ("shard_id", "shardId"),
                               ("sequence_number", "sequenceNumber"))),
    ("mskRecordMetadata", (("offset", "offset"), ("partition", "partitionId"))),
)
#: where a record's base64 payload is: ``data``, or ``kafkaRecordValue`` from MSK
_VALUE_KEYS = ("data", "kafkaRecordValue")


def _value_key(record: Any) -> str | None:
    """The key holding the record's base64 payload (its answer uses the same one)."""
    if isinstance(record, dict):
        for key in _VALUE_KEYS:
            if isinstance(record.get(key), str):
                return key
    return None


class KinesisFirehose(Trigger):
    """Firehose transformation records (see the module docstring for the answer)."""

    name = "aws.kinesis.firehose"
    batch = True
    semantics = ("Each record is answered Ok (the handler's return value as new data), "
                 "Dropped, or ProcessingFailed when the handler raised (Firehose sends it to its "
                 "error output)." + ALL_FAILED)

    def matches(self, raw: Any) -> bool:
        return isinstance(raw, dict) and "deliveryStreamArn" in raw and "records" in raw

    def decode(self, raw: Any, context: Context | None = None) -> list[Event[Any]]:
        records = raw.get("records")
        if not isinstance(records, list):
            raise EventDecodeError(self.name, "records must be a list", keys=["records"])
        return [self._event(raw, record, index) for index, record in enumerate(records)]

    def _event(self, raw: dict[str, Any], record: Any, index: int) -> Event[Any]:
        key = _value_key(record)
        if key is None or not isinstance(record.get("recordId"), str):
            raise EventDecodeError(self.name, "a record needs a recordId and base64 data "
                                   "(or kafkaRecordValue)",
                                   keys=[f"records[{index}].recordId", f"records[{index}].data"])
        attributes = {name: value for name, value in (
            ("invocation_id", raw.get("invocationId")), ("region", raw.get("region")),
            ("source_stream_arn", raw.get("sourceKinesisStreamArn")),
            ("source_msk_arn", raw.get("sourceMSKArn")),
            *_metadata(record),
        ) if isinstance(value, str) and value}
        return Event(
            provider="aws", trigger=self.name, id=record["recordId"],
            source=_str(raw.get("deliveryStreamArn")),
            time=epoch_ms(record.get("approximateArrivalTimestamp")),
            payload=b64_body(record[key]), attributes=attributes, raw=raw,
            native=powertools("KinesisFirehoseEvent", raw),
        )

    def invoke(self, fn: Function[Any], raw: Any, context: Context, *,
               partial_failures: bool = True, **options: Any) -> Any:
        from sdk.adapter import REPORT_RESULTS, Record, batch_failure, run_batch

        events = self.decoded(raw, context)
        originals = [_Original(record) for record in raw["records"]]
        records = [Record(event.id, [event]) for event in events]
        outcome = run_batch(fn, records, context, trigger=self.name, policy=REPORT_RESULTS)
        failed = {id(o.record) for o in outcome.failed}
        handled = len(events) - len(failed)
        results = iter(self._batch_results(outcome.answer, handled) if fn.batch
                       else outcome.results)
        answers: list[dict[str, Any]] = []
        errors = [o.error for o in outcome.failed if o.error is not None]
        for record, event, original in zip(records, events, originals, strict=True):
            result = None if id(record) in failed and fn.batch else next(results)
            if id(record) not in failed:
                try:
                    answers.append(self.answer(event, result, original))
                    continue
                except Exception as exc:  # an answer that cannot be encoded fails its record
                    context.logger.exception("record failed", exc, trigger=self.name,
                                             record=event.id)
                    errors.append(exc)
            answers.append({"recordId": event.id, "result": "ProcessingFailed",
                            original.key: original.value})
        del outcome, failed  # no reference cycle: see sdk._batch, "Reference cycles"
        if errors and (len(errors) == len(events) or not partial_failures):
            raise batch_failure(self.name, len(errors), len(events), errors[0])
        return {"records": answers}

    def _batch_results(self, results: Any, count: int) -> list[Any]:
        """A ``list[...]`` handler's answer: one result per event it was given."""
        if results is None:
            return [None] * count
        if not isinstance(results, (str, bytes, Mapping)) and isinstance(results, Iterable):
            answer = list(results)
            if len(answer) == count:
                return answer
        raise ResponseEncodeError(self.name, "a list handler returns None or one result per "
                                  "event, in order")

    def answer(self, event: Event[Any], result: Any, original: _Original) -> dict[str, Any]:
        """The transformation answer for one record (see the module docstring)."""
        key = original.key
        if isinstance(result, dict) and result.get("result") in _RESULTS \
                and set(result) <= _ANSWER_KEYS:
            answer = {key: original.value, **result, "recordId": event.id}
            if key != "data" and "data" in result:  # the handler wrote the usual key
                answer[key] = answer.pop("data")
            return answer
        if result is None:
            return {"recordId": event.id, "result": "Ok", key: original.value}
        if isinstance(result, str):
            result = result.encode("utf-8")
        elif not isinstance(result, (bytes, bytearray)):
            result = dumps(result).encode("utf-8")
        return {"recordId": event.id, "result": "Ok",
                key: base64.b64encode(result).decode("ascii")}


class _Original:
    """A record's base64 payload as it came, and the key it came under."""

    __slots__ = ("key", "value")

    def __init__(self, record: dict[str, Any]) -> None:
        self.key = _value_key(record) or "data"
        self.value = record[self.key]


def _metadata(record: dict[str, Any]) -> list[tuple[str, Any]]:
    """(attribute, value) from the source's record metadata (Kinesis or MSK)."""
    out: list[tuple[str, Any]] = []
    for member, names in _METADATA:
        meta = record.get(member)
        if isinstance(meta, dict):
            out += [(name, _text(meta.get(key))) for name, key in names]
    return out


def _text(value: Any) -> Any:
    """MSK sends offsets and partitions as strings; a number is written as one."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
