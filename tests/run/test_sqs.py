"""``polyfn run`` on SQS (moto server): Lambda's event source mapping semantics.

Every record is processed successfully exactly once, or reaches the DLQ (the
queue's redrive policy, applied by the broker) after exactly ``maxReceiveCount``
failed deliveries; FIFO order holds per group; SIGTERM mid-batch loses nothing.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import boto3
import pytest

from adapters._run import Options, open_source
from sdk import Function
from tests.support.servers.moto import Moto

from .conftest import polyfn_run, run_until_idle, terminated_after_one


def sqs() -> Any:
    return boto3.client("sqs")


def queue(name: str, *, max_receive: int | None = None, fifo: bool = False,
          visibility: int = 1) -> tuple[str, str | None]:
    """A queue (and its DLQ when ``max_receive``): (url, dlq url)."""
    client, dlq = sqs(), None
    attributes = {"VisibilityTimeout": str(visibility)}
    suffix = ".fifo" if fifo else ""
    if fifo:
        attributes |= {"FifoQueue": "true", "ContentBasedDeduplication": "true"}
    if max_receive is not None:
        dlq = client.create_queue(QueueName=f"{name}-dlq{suffix}", Attributes={
            k: v for k, v in attributes.items() if k != "VisibilityTimeout"})["QueueUrl"]
        arn = client.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])
        attributes["RedrivePolicy"] = json.dumps({
            "deadLetterTargetArn": arn["Attributes"]["QueueArn"],
            "maxReceiveCount": str(max_receive)})
    url = client.create_queue(QueueName=name + suffix, Attributes=attributes)["QueueUrl"]
    return url, dlq


def drain(url: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    while True:
        got = sqs().receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                    MessageSystemAttributeNames=["All"]).get("Messages", [])
        if not got:
            return out
        out += got
        sqs().delete_message_batch(QueueUrl=url, Entries=[  # a FIFO group frees once deleted
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)])


class Flaky:
    """Fails record ``n`` its first ``plan[n]`` deliveries; records every attempt."""

    def __init__(self, plan: dict[int, int]) -> None:
        self.plan = plan
        self.attempts: Counter[int] = Counter()
        self.succeeded: list[int] = []
        self.counts: dict[int, list[int]] = defaultdict(list)
        self.lock = threading.Lock()

    def __call__(self, event: Any) -> None:
        n = event.data["n"]
        with self.lock:
            self.attempts[n] += 1
            self.counts[n].append(event.delivery_count)
            if self.attempts[n] <= self.plan[n]:
                raise RuntimeError(f"planned failure of {n}")
            self.succeeded.append(n)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_each_record_once_or_in_the_dlq_after_max_receive(aws: Moto, seed: int) -> None:
    rng = random.Random(seed)
    max_receive = rng.randint(1, 3)
    url, dlq = queue(f"orders-{seed}", max_receive=max_receive)
    plan = {n: rng.choice([0, 0, 1, max_receive - 1, max_receive, max_receive + 1])
            for n in range(rng.randint(5, 14))}
    for n in plan:
        sqs().send_message(QueueUrl=url, MessageBody=json.dumps({"n": n}))
    flaky = Flaky(plan)

    tally = run_until_idle(f"sqs://orders-{seed}", flaky, batch_size=rng.randint(1, 10),
                           concurrency=rng.randint(1, 3))

    doomed = {n for n, fails in plan.items() if fails >= max_receive}
    assert sorted(flaky.succeeded) == sorted(set(plan) - doomed)  # each exactly once
    for n in plan:  # every delivery counted by the broker, one after another
        assert flaky.counts[n] == list(range(1, flaky.attempts[n] + 1))
        assert flaky.attempts[n] == (max_receive if n in doomed else plan[n] + 1)
    assert dlq is not None
    dead = drain(dlq)
    assert sorted(json.loads(m["Body"])["n"] for m in dead) == sorted(doomed)
    assert drain(url) == []
    assert (tally.processed, tally.dead_lettered) == (len(plan) - len(doomed), len(doomed))
    assert tally.failed == sum(min(f, max_receive) for f in plan.values())


def test_fifo_order_holds_per_group_over_redeliveries(aws: Moto) -> None:
    """One message of a group in flight at a time (batch size 1): moto 5.2 returns
    a group's messages out of order when several of them become visible together
    (it frees the group while iterating), which real SQS does not; the hold within
    a batch is the next test's."""
    url, _ = queue("fifo-orders", fifo=True)
    rng = random.Random(7)
    sent: dict[str, list[int]] = defaultdict(list)
    for n in range(12):
        group = f"g{rng.randint(0, 2)}"
        sent[group].append(n)
        sqs().send_message(QueueUrl=url, MessageBody=json.dumps({"n": n, "g": group}),
                           MessageGroupId=group)
    flaky = Flaky({n: rng.choice([0, 0, 0, 1, 2]) for n in range(12)})
    seen: dict[str, list[int]] = defaultdict(list)

    def handler(event: Any) -> None:
        flaky(event)
        seen[event.data["g"]].append(event.data["n"])  # only after success

    run_until_idle("sqs://fifo-orders.fifo", handler, batch_size=1, concurrency=3)

    # Each group in send order. A record handled twice in a row is SQS's at-least-once
    # delivery, not a broken order: on a loaded machine the handling can outlive the
    # 1 s visibility timeout, and the record comes back before its delete.
    assert {group: _collapsed(ns) for group, ns in seen.items()} == dict(sent)
    assert drain(url) == []


def _collapsed(values: list[int]) -> list[int]:
    """``values`` without immediate repeats."""
    return [v for i, v in enumerate(values) if i == 0 or values[i - 1] != v]


def test_a_fifo_failure_holds_the_rest_of_the_batch(aws: Moto) -> None:
    url, _ = queue("fifo-hold", fifo=True)
    for n in range(6):
        sqs().send_message(QueueUrl=url, MessageBody=json.dumps({"n": n}), MessageGroupId="g")
    flaky = Flaky({0: 0, 1: 0, 2: 1, 3: 0, 4: 0, 5: 0})
    source = open_source("sqs://fifo-hold.fifo", Options(batch_size=10))
    source.open(Function(flaky.__call__))
    (batch,) = source.receive(1)
    tally = source.process(batch)

    assert [m for m in flaky.attempts] == [0, 1, 2]  # nothing after the failure ran
    assert (tally.processed, tally.failed) == (2, 4)
    time.sleep(1.2)  # the visibility timeout: the held records come back (their
    # order on redelivery is the previous test's: moto reorders several at once)
    assert sorted(json.loads(m["Body"])["n"] for m in drain(url)) == [2, 3, 4, 5]


def test_the_event_has_the_fields_lambda_sends(aws: Moto) -> None:
    url, _ = queue("shape")
    sqs().send_message(QueueUrl=url, MessageBody='{"n": 1}', MessageAttributes={
        "s": {"DataType": "String", "StringValue": "v"},
        "num": {"DataType": "Number", "StringValue": "42"},
        "b": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}})
    raw: list[dict[str, Any]] = []
    run_until_idle("sqs://shape", lambda event: raw.append(event.raw), idle=1.0)

    (record,) = raw
    arn = sqs().get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"] == arn["Attributes"]["QueueArn"]
    assert record["awsRegion"] == "us-east-1"
    assert record["body"] == '{"n": 1}'
    assert record["md5OfBody"] == hashlib.md5(b'{"n": 1}').hexdigest()
    assert len(record["md5OfMessageAttributes"]) == 32
    assert {"ApproximateReceiveCount", "SentTimestamp", "SenderId",
            "ApproximateFirstReceiveTimestamp"} <= set(record["attributes"])
    assert record["messageAttributes"] == {
        "s": {"stringValue": "v", "stringListValues": [], "binaryListValues": [],
              "dataType": "String"},
        "num": {"stringValue": "42", "stringListValues": [], "binaryListValues": [],
                "dataType": "Number"},
        "b": {"binaryValue": base64.b64encode(b"\x00\x01").decode(), "stringListValues": [],
              "binaryListValues": [], "dataType": "Binary"}}
    assert drain(url) == []


def test_a_raising_batch_deletes_nothing(aws: Moto) -> None:
    """A failure outside the records (the function itself fails) keeps every record."""
    url, dlq = queue("whole", max_receive=1)
    for n in range(3):
        sqs().send_message(QueueUrl=url, MessageBody=json.dumps({"n": n}))

    def timeout(event: Any) -> None:
        time.sleep(2)

    tally = run_until_idle("sqs://whole", timeout, timeout=0.5, batch_size=10, idle=2.5)
    assert tally.processed == 0
    assert dlq is not None
    assert sorted(json.loads(m["Body"])["n"] for m in drain(dlq)) == [0, 1, 2]


def test_sigterm_mid_batch_loses_nothing(aws: Moto, tmp_path: Path) -> None:
    url, _ = queue("term", visibility=30)
    for n in range(12):
        sqs().send_message(QueueUrl=url, MessageBody=json.dumps({"n": n}))
    # terminated with one record of the batch done, three to go
    code, err, done = terminated_after_one(tmp_path, "sqs://term", "--batch-size", "4",
                                           seconds=0.4)

    assert code == 0, err
    assert "terminated" in err and "processed" in err
    left = sorted(json.loads(m["Body"])["n"] for m in drain(url))
    assert len(done) % 4 == 0 and len(done) >= 4  # the running batch finished
    assert sorted(done + left) == list(range(12))  # nothing lost, nothing twice


def test_bad_addresses_and_options_are_one_line(aws: Moto) -> None:
    for args, words in [(["--source", "ftp://x"], "unknown address scheme"),
                        (["--source", "sqs://missing"], "NonExistentQueue"),
                        (["--source", "sqs://x", "--batch-size", "50"], "batching-window"),
                        (["--source", "sqs://x", "--concurrency", "0"], "at least 1"),
                        (["--source", "sqs://x", "--max-dequeue", "3"], "redrive policy"),
                        (["--source", "sns://topic"], "cannot read sns addresses"),
                        (["--source", "sqs://x", "--timeout", "soon"], "expected seconds")]:
        process = polyfn_run("tests.run.handlers:ok", *args)
        _, err = process.communicate(timeout=60)
        assert process.returncode == 2, (args, err)
        assert err.count("\n") == 1 and words in err, (args, err)


def test_s3_notifications_through_sqs_arrive_as_storage_events(aws: Moto) -> None:
    """moto delivers S3 event notifications to SQS (the bucket's notification
    configuration); ``unwrap`` turns each into the storage event Lambda's adapter gives."""
    url, _ = queue("uploads")
    arn = sqs().get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="inbox")
    s3.put_bucket_notification_configuration(Bucket="inbox", NotificationConfiguration={
        "QueueConfigurations": [{"QueueArn": arn["Attributes"]["QueueArn"],
                                 "Events": ["s3:ObjectCreated:*"]}]})
    s3.put_object(Bucket="inbox", Key="a/report.csv", Body=b"x,y\n")
    seen: list[Any] = []
    run_until_idle("sqs://uploads", seen.append, unwrap=True, idle=1.0)

    stored = [e for e in seen if e.kind == "storage"]
    assert [(e.bucket, e.key, e.trigger) for e in stored] == [("inbox", "a/report.csv",
                                                               "aws.sqs")]
    assert drain(url) == []


def test_an_unreachable_broker_is_one_line(tmp_path: Path) -> None:
    from tests.support.servers._base import free_port

    process = polyfn_run("tests.run.handlers:ok", "--source", "sqs://orders", env={
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}", "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_MAX_ATTEMPTS": "1"})
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert err.count("\n") == 1 and "sqs://orders" in err and "Traceback" not in err


def test_a_batching_window_gathers_records_into_one_invocation(aws: Moto) -> None:
    url, _ = queue("window", visibility=10)
    for n in range(3):
        sqs().send_message(QueueUrl=url, MessageBody=json.dumps({"n": n}))
    source = open_source("sqs://window", Options(batch_size=20, batching_window=3))
    source.open(Function(lambda event: None))
    late = threading.Timer(1.0, lambda: [sqs().send_message(
        QueueUrl=url, MessageBody=json.dumps({"n": n})) for n in range(3, 6)])
    late.start()
    started = time.monotonic()
    (batch,) = source.receive(1)
    late.join()

    assert sorted(json.loads(m["Body"])["n"] for m in batch.messages) == list(range(6))
    assert time.monotonic() - started >= 1.0
    assert source.process(batch).processed == 6
