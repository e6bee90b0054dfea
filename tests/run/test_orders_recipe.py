"""The orders example's loopback recipe (examples/orders/README.md), as written."""

from __future__ import annotations

import base64
import json
import subprocess
import sys

import boto3
from azure.storage.queue import QueueClient, TextBase64EncodePolicy

from examples.orders.handler import handle
from tests.support.samples import PROJECT_ROOT
from tests.support.servers.azurite import Azurite, unique
from tests.support.servers.moto import Moto
from tests.support.servers.pubsub import PubSub

from .conftest import polyfn_run, run_until_idle
from .test_pubsub import publish, pulled, topic_and_subscription


def ids(queue: str) -> list[str]:
    sqs = boto3.client("sqs")
    url = sqs.get_queue_url(QueueName=queue)["QueueUrl"]
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return sorted(json.loads(m["Body"])["id"] for m in got)


def test_the_orders_recipe_on_moto(aws: Moto) -> None:
    subprocess.run([sys.executable, "-m", "examples.orders.loopback", "setup"],
                   cwd=PROJECT_ROOT, check=True, capture_output=True)
    process = polyfn_run("examples.orders.handler:handle", "--source", "sqs://orders",
                         "--exit-when-idle", "4",
                         env={"ACCEPTED_ORDERS": "sqs://accepted-orders"})
    _, err = process.communicate(timeout=120)

    assert process.returncode == 0, err
    assert "2 processed" in err and "2 dead-lettered" in err
    assert ids("accepted-orders") == ["o-1", "o-4"]
    assert ids("orders-dlq") == ["o-2", "o-3"]  # bad qty, recalled SKU: 3 receives each
    assert ids("orders") == []


def test_the_orders_handler_on_azurite(azurite: Azurite) -> None:
    """docs/local.md's Azure screen: the poison queue after --max-dequeue failures."""
    name = unique("orders")
    q = QueueClient.from_connection_string(azurite.connection_string, name,
                                           message_encode_policy=TextBase64EncodePolicy())
    q.create_queue()
    for order in ({"id": "o-1", "sku": "BOOK-1", "qty": 2},
                  {"id": "o-2", "sku": "RECALLED-1", "qty": 1}):
        q.send_message(json.dumps(order))
    tally = run_until_idle(f"azure-queue://{name}", handle, max_dequeue=3, idle=1.5)

    assert (tally.processed, tally.failed, tally.dead_lettered) == (1, 3, 1)
    poison = QueueClient.from_connection_string(azurite.connection_string, f"{name}-poison")
    assert [json.loads(base64.b64decode(m.content))["id"]
            for m in poison.receive_messages()] == ["o-2"]


def test_the_orders_target_on_the_pubsub_emulator(pubsub: PubSub) -> None:
    """docs/local.md's Google Cloud screen: the gcp entry point, dead-lettered after 5."""
    topic, subscription, dead = topic_and_subscription(dead_letter=5)
    for order in ({"id": "o-1", "sku": "BOOK-1", "qty": 2},
                  {"id": "o-2", "sku": "RECALLED-1", "qty": 1}):
        publish(topic, order)
    process = polyfn_run("examples.orders.handler:handle", "--source", f"pubsub://{subscription}",
                         "--exit-when-idle", "3")
    _, err = process.communicate(timeout=120)

    assert process.returncode == 0, err
    assert "1 processed, 5 failed, 4 retried, 1 dead-lettered" in err
    assert dead is not None and [m["id"] for m in pulled(dead)] == ["o-2"]
