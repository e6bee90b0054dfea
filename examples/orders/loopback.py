"""The orders example on loopback: an SQS queue with a DLQ on moto, sample orders.

Run from the repository root, with moto's server on port 5000 (README, "Run it on
a real queue, on loopback")::

    python -m examples.orders.loopback setup   # 3 queues, 4 orders
    python -m examples.orders.loopback show    # what is in each queue now

Nothing here is needed on a cloud: the SAM template builds the same queues there.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

#: moto's server, unless AWS_ENDPOINT_URL says otherwise; any credentials work.
DEFAULTS = {"AWS_ENDPOINT_URL": "http://127.0.0.1:5000", "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
MAX_RECEIVE = 3  # the template says 5; fewer retries make a quicker demo
ORDERS = [{"id": "o-1", "sku": "BOOK-1", "qty": 2}, {"id": "o-2", "sku": "BOOK-1", "qty": 0},
          {"id": "o-3", "sku": "RECALLED-1", "qty": 1}, {"id": "o-4", "sku": "PEN-7", "qty": 5}]


def client() -> Any:
    for name, value in DEFAULTS.items():
        os.environ.setdefault(name, value)
    import boto3

    return boto3.client("sqs")


def setup() -> None:
    sqs = client()
    dlq = sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])
    redrive = {"deadLetterTargetArn": arn["Attributes"]["QueueArn"],
               "maxReceiveCount": str(MAX_RECEIVE)}
    queue = sqs.create_queue(QueueName="orders", Attributes={
        "VisibilityTimeout": "2", "RedrivePolicy": json.dumps(redrive)})["QueueUrl"]
    sqs.create_queue(QueueName="accepted-orders")
    for order in ORDERS:
        sqs.send_message(QueueUrl=queue, MessageBody=json.dumps(order))
    print(f"sent {len(ORDERS)} orders to sqs://orders (DLQ after {MAX_RECEIVE} receives)")


def show() -> None:
    sqs = client()
    for name in ("orders", "orders-dlq", "accepted-orders"):
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
        counts = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])
        peek = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0)
        ids = sorted(json.loads(m["Body"]).get("id", "?") for m in peek.get("Messages", []))
        waiting = counts["Attributes"]["ApproximateNumberOfMessages"]
        print(f"{name:16} {waiting} waiting, "
              f"{counts['Attributes']['ApproximateNumberOfMessagesNotVisible']} in flight"
              + (f": {', '.join(ids)}" if ids else ""))


if __name__ == "__main__":
    {"setup": setup, "show": show}.get(sys.argv[1] if len(sys.argv) > 1 else "", setup)()
