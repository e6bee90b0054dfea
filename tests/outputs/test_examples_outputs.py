"""The examples' outputs on moto: orders forwards accepted orders to the
destination its configuration names; uploads reads the object it was told about."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from tests.support.sqs import Queue

pytestmark = pytest.mark.servers


def test_orders_forwards_accepted_orders(aws: Any, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    from examples.orders.aws import handler

    orders, accepted = Queue("orders"), Queue("accepted-orders")
    monkeypatch.setenv("ACCEPTED_ORDERS", "sqs://accepted-orders")
    orders.send({"id": "o-1", "sku": "BOOK-1", "qty": 2},
                {"id": "o-2", "sku": "RECALLED-1", "qty": 1})
    event = orders.lambda_event(orders.receive(2))
    failed = handler(event, None)["batchItemFailures"]
    assert len(failed) == 1  # the flagged SKU: it is not forwarded
    (forwarded,) = accepted.receive(1)
    assert json.loads(forwarded["Body"]) == {"id": "o-1", "sku": "BOOK-1", "qty": 2}
    assert forwarded["MessageAttributes"]["order_id"]["StringValue"] == "o-1"
    assert '"order forwarded"' in capsys.readouterr().out


def test_uploads_reads_the_object_it_was_told_about(aws: Any, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    import hashlib

    from examples.uploads.aws import handler

    monkeypatch.setenv("UPLOADS_CHECKSUMS", "1")
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="uploads")
    events = Queue("s3-events")
    s3.put_bucket_notification_configuration(Bucket="uploads", NotificationConfiguration={
        "QueueConfigurations": [{"QueueArn": events.arn, "Events": ["s3:ObjectCreated:*"]}]})
    body = b"x" * 200_000
    s3.put_object(Bucket="uploads", Key="in/a.bin", Body=body)
    s3.put_object(Bucket="uploads", Key="in/gone.bin", Body=b"y")
    notes = [n for n in events.bodies(3) if "Records" in n]  # not S3's test event
    s3.delete_object(Bucket="uploads", Key="in/gone.bin")
    for note in notes:
        handler(note, None)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    read = [line for line in lines if line.get("message") == "object read"]
    assert [(r["key"], r["bytes"], r["sha256"]) for r in read] == [
        ("in/a.bin", len(body), hashlib.sha256(body).hexdigest())]
    assert [line["key"] for line in lines if line.get("message") == "object already gone"] == [
        "in/gone.bin"]
