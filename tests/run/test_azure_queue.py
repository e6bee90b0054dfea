"""``polyfn run`` on Azure Queue Storage (Azurite): the Functions host's queue trigger.

Every message is processed successfully exactly once, or lands in
``<queue>-poison`` after exactly ``maxDequeueCount`` failed deliveries; the
handler sees the dequeue count as ``delivery_count`` and the Base64 body decoded.
"""

from __future__ import annotations

import base64
import json
import random
from pathlib import Path
from typing import Any

import pytest
from azure.storage.queue import QueueClient, TextBase64EncodePolicy

from tests.support.servers.azurite import Azurite, unique

from .conftest import run_until_idle, terminated_after_one
from .test_sqs import Flaky


def queue(azurite: Azurite, name: str, *, base64: bool = True) -> QueueClient:
    policy = {"message_encode_policy": TextBase64EncodePolicy()} if base64 else {}
    client = QueueClient.from_connection_string(azurite.connection_string, name, **policy)
    client.create_queue()
    return client


def contents(azurite: Azurite, name: str) -> list[str]:
    client = QueueClient.from_connection_string(azurite.connection_string, name)
    return [m.content for m in client.receive_messages(max_messages=32)]


@pytest.mark.parametrize("seed", [1, 2])
def test_each_message_once_or_poisoned_after_max_dequeue(azurite: Azurite, seed: int) -> None:
    rng = random.Random(seed)
    max_dequeue = rng.randint(1, 3)
    name = unique("orders")
    q = queue(azurite, name)
    plan = {n: rng.choice([0, 0, 1, max_dequeue - 1, max_dequeue, max_dequeue + 2])
            for n in range(rng.randint(4, 10))}
    for n in plan:
        q.send_message(json.dumps({"n": n}))
    flaky = Flaky(plan)

    tally = run_until_idle(f"azure-queue://{name}", flaky, max_dequeue=max_dequeue,
                           batch_size=rng.randint(1, 16), concurrency=rng.randint(1, 3),
                           idle=2.0)

    doomed = {n for n, fails in plan.items() if fails >= max_dequeue}
    assert sorted(flaky.succeeded) == sorted(set(plan) - doomed)
    for n in plan:  # dequeueCount as delivery_count, one delivery after another
        assert flaky.counts[n] == list(range(1, flaky.attempts[n] + 1))
        assert flaky.attempts[n] == (max_dequeue if n in doomed else plan[n] + 1)
    poisoned = contents(azurite, f"{name}-poison")  # as stored: still Base64
    assert sorted(json.loads(base64.b64decode(c))["n"] for c in poisoned) == sorted(doomed)
    assert contents(azurite, name) == []
    assert (tally.processed, tally.dead_lettered) == (len(plan) - len(doomed), len(doomed))


def test_the_handler_gets_the_queue_message_as_the_worker_builds_it(azurite: Azurite) -> None:
    name = unique("shape")
    queue(azurite, name).send_message('{"n": 1}')
    seen: list[Any] = []
    run_until_idle(f"azure-queue://{name}", seen.append, idle=1.0)

    (event,) = seen
    assert event.provider == "azure" and event.trigger == "azure.queue"
    assert event.data == {"n": 1} and event.queue == name and event.delivery_count == 1
    native = event.native
    assert type(native).__name__ == "QueueMessage" and native.dequeue_count == 1
    assert native.pop_receipt and native.insertion_time is not None


def test_encoding_none_reads_the_body_as_sent(azurite: Azurite) -> None:
    name = unique("plain")
    queue(azurite, name, base64=False).send_message("hello")
    seen: list[Any] = []
    run_until_idle(f"azure-queue://{name}?encoding=none", seen.append, idle=1.0)
    assert [e.data for e in seen] == ["hello"]


def test_sigterm_loses_nothing(azurite: Azurite, tmp_path: Path) -> None:
    name = unique("term")
    q = queue(azurite, name)
    for n in range(8):
        q.send_message(json.dumps({"n": n}))
    code, err, done = terminated_after_one(tmp_path, f"azure-queue://{name}", "--concurrency",
                                           "2", "--batch-size", "4", seconds=0.5)

    assert code == 0, err
    left = [json.loads(base64.b64decode(c))["n"] for c in contents(azurite, name)]
    assert sorted(done + left) == list(range(8))  # released at once, nothing lost or twice
