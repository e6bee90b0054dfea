"""Random batches, random failures: no record is ever lost, and the AWS answer is
the one powertools' batch utility (the oracle, tests only) gives for the same failures.

* Every record is either handled or reported failed, never both, never neither
  (a raised invocation reports every record: Lambda redelivers the whole batch).
* SQS standard and FIFO: the response equals ``process_partial_response`` with
  ``BatchProcessor(EventType.SQS)`` / ``SqsFifoPartialProcessor``, or both raise.
* Kinesis and DynamoDB Streams: polyfn stops at the first failure and reports it
  with every later record, where powertools reports only the records that raised;
  Lambda resumes from the lowest sequence number reported, so both answers make
  Lambda redeliver exactly the same records. That is what is compared, plus the
  stronger polyfn contract (reported = the first failure and everything after).
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    SqsFifoPartialProcessor,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sdk
from adapters.aws import lambda_handler
from sdk import Change, Event

ORDERED = {"fifo", "kinesis", "dynamodb"}


class Boom(Exception):
    pass


# -- payloads ---------------------------------------------------------------------
def sqs(ids: list[str], fifo: bool) -> dict[str, Any]:
    arn = "arn:aws:sqs:us-east-1:123456789012:q" + (".fifo" if fifo else "")
    return {"Records": [{
        "messageId": mid, "receiptHandle": "rh", "body": json.dumps({"i": i}),
        "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1700000000000",
                       **({"MessageGroupId": "g", "SequenceNumber": str(i)} if fifo else {})},
        "messageAttributes": {}, "md5OfBody": "x", "eventSource": "aws:sqs",
        "eventSourceARN": arn, "awsRegion": "us-east-1"} for i, mid in enumerate(ids)]}


def kinesis(seqs: list[str]) -> dict[str, Any]:
    return {"Records": [{
        "kinesis": {"kinesisSchemaVersion": "1.0", "partitionKey": "p", "sequenceNumber": seq,
                    "data": base64.b64encode(json.dumps({"i": i}).encode()).decode(),
                    "approximateArrivalTimestamp": 1700000000.0},
        "eventSource": "aws:kinesis", "eventVersion": "1.0", "eventID": f"shardId-0:{seq}",
        "eventName": "aws:kinesis:record", "awsRegion": "us-east-1",
        "eventSourceARN": "arn:aws:kinesis:us-east-1:123456789012:stream/s"}
        for i, seq in enumerate(seqs)]}


def dynamodb(seqs: list[str]) -> dict[str, Any]:
    return {"Records": [{
        "eventID": str(i), "eventName": "INSERT", "eventVersion": "1.1",
        "eventSource": "aws:dynamodb", "awsRegion": "us-east-1",
        "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/T/stream/x",
        "dynamodb": {"Keys": {"i": {"N": str(i)}}, "NewImage": {"i": {"N": str(i)}},
                     "SequenceNumber": seq, "StreamViewType": "NEW_IMAGE"}}
        for i, seq in enumerate(seqs)]}


# -- what each side knows about a record ------------------------------------------------
def index_of(event: Event[Any]) -> int:
    return int(event.new["i"]) if isinstance(event, Change) else int(event.data["i"])


ORACLE: dict[str, tuple[Any, Any]] = {  # source -> (processor factory, record -> index)
    "sqs": (lambda: BatchProcessor(EventType.SQS), lambda r: json.loads(r.body)["i"]),
    "fifo": (SqsFifoPartialProcessor, lambda r: json.loads(r.body)["i"]),
    "kinesis": (lambda: BatchProcessor(EventType.KinesisDataStreams),
                lambda r: r.kinesis.data_as_json()["i"]),
    "dynamodb": (lambda: BatchProcessor(EventType.DynamoDBStreams),
                 lambda r: int(r.dynamodb.new_image["i"])),
}


def oracle(source: str, raw: dict[str, Any], failing: set[int]) -> dict[str, Any] | None:
    """powertools' answer for the same failures (None: it raised, the batch is retried)."""
    make, index = ORACLE[source]

    def record_handler(record: Any) -> None:
        if index(record) in failing:
            raise Boom()

    try:
        return process_partial_response(event=raw, record_handler=record_handler,
                                        processor=make())
    except BatchProcessingError:
        return None


def polyfn_handler(style: str, failing: set[int], ordered: bool, handled: list[int]) -> Any:
    def one(event: Event[Any]) -> None:
        i = index_of(event)
        if i in failing:
            raise Boom()
        handled.append(i)

    if style == "sync":
        return sdk.function(lambda event: one(event))

    if style == "async":
        async def handle_async(event: Event[Any]) -> None:
            one(event)
        return sdk.function(handle_async)

    def handle_list(events: list[Event[Any]]) -> list[Event[Any]]:
        # The documented list convention; on ordered sources, stop at the first failure.
        failed: list[Event[Any]] = []
        for event in events:
            if failed and ordered:
                failed.append(event)
                continue
            try:
                one(event)
            except Boom:
                failed.append(event)
        return failed
    return sdk.function(handle_list)


def run_polyfn(raw: dict[str, Any], handler: Any, partial: bool) -> dict[str, Any] | None:
    try:
        result: dict[str, Any] = lambda_handler(handler, partial_failures=partial,
                                                concurrency=3)(raw, None)
    except (Boom, sdk.BatchFailedError):
        return None
    return result


def reported(response: dict[str, Any] | None, keys: list[str]) -> list[str]:
    if response is None:
        return list(keys)  # a raised invocation: Lambda redelivers every record
    return [item["itemIdentifier"] for item in response["batchItemFailures"]]


def redelivered(source: str, response: dict[str, Any] | None, keys: list[str]) -> set[str]:
    """What Lambda redelivers: the listed ids, or on streams everything from the lowest."""
    listed = reported(response, keys)
    if source in ("kinesis", "dynamodb") and listed:
        lowest = min(int(k) for k in listed)
        return {k for k in keys if int(k) >= lowest}
    return set(listed)


@st.composite
def batches(draw: st.DrawFn) -> tuple[str, list[str], set[int], str, bool]:
    source = draw(st.sampled_from(sorted(ORACLE)))
    size = draw(st.integers(1, 12))
    if source in ("sqs", "fifo"):
        keys = draw(st.lists(st.uuids().map(str), min_size=size, max_size=size, unique=True))
    else:  # increasing sequence numbers, as a shard delivers them
        numbers = draw(st.lists(st.integers(10**20, 10**30), min_size=size, max_size=size,
                                unique=True))
        keys = [str(n) for n in sorted(numbers)]
    failing = draw(st.sets(st.integers(0, size - 1)))
    return source, keys, failing, draw(st.sampled_from(["sync", "async", "list"])), \
        draw(st.booleans())


BUILD = {"sqs": lambda k: sqs(k, False), "fifo": lambda k: sqs(k, True),
         "kinesis": kinesis, "dynamodb": dynamodb}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches())
def test_no_record_lost_and_the_answer_is_the_oracles(
        batch: tuple[str, list[str], set[int], str, bool]) -> None:
    source, keys, failing, style, partial = batch
    raw = BUILD[source](keys)
    handled: list[int] = []
    response = run_polyfn(raw, polyfn_handler(style, failing, source in ORDERED, handled),
                          partial)

    if not partial:  # any failure fails the invocation; none: an empty report
        assert (response is None) == bool(failing)
        assert response is None or response == {"batchItemFailures": []}
        return

    got = reported(response, keys)
    assert len(got) == len(set(got))
    assert not {keys[i] for i in handled} & set(got)  # never both
    assert {keys[i] for i in handled} | set(got) == set(keys)  # never neither

    expected = oracle(source, raw, failing)
    if source in ("sqs", "fifo"):
        assert response == expected
    else:
        assert redelivered(source, response, keys) == redelivered(source, expected, keys)
        first = min(failing, default=len(keys))
        assert got == keys[first:]


@pytest.mark.parametrize("source", sorted(ORACLE))
def test_the_oracle_comparison_can_fail(source: str) -> None:
    """A wrong answer (one failure dropped) is told apart from the oracle's."""
    keys = [str(10**20 + n) for n in range(4)]
    raw = BUILD[source](keys)
    expected = oracle(source, raw, {1, 2})
    dropped = {"batchItemFailures": [{"itemIdentifier": keys[2]}]}
    if source in ("sqs", "fifo"):
        assert dropped != expected
    else:
        assert redelivered(source, dropped, keys) != redelivered(source, expected, keys)
