"""Async handlers over a batch: I/O waits overlap by default, and warm invocations
reuse one event loop (asserted by what ran, never by timing)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from adapters.aws import lambda_handler
from adapters.testing import aws, lambda_context
from sdk.adapter import DEFAULT_CONCURRENCY


def _batch(count: int) -> dict[str, Any]:
    records = []
    for n in range(count):
        record = aws.sqs({"n": n})["Records"][0]
        records.append({**record, "messageId": f"m-{n}"})
    return {"Records": records}


def test_the_default_lets_a_hundred_waits_overlap() -> None:
    # Every record waits until all 100 are waiting at once: a smaller default
    # would never release them (the timeout then fails every record).
    state: dict[str, Any] = {"waiting": 0, "peak": 0}

    async def handle(message: Any) -> None:
        if "all_in" not in state:
            state["all_in"] = asyncio.Event()
        state["waiting"] += 1
        state["peak"] = max(state["peak"], state["waiting"])
        if state["waiting"] == 100:
            state["all_in"].set()
        await asyncio.wait_for(state["all_in"].wait(), timeout=5)

    assert DEFAULT_CONCURRENCY >= 100
    answer = lambda_handler(handle)(_batch(100), lambda_context())
    assert answer == {"batchItemFailures": []}
    assert state["peak"] == 100


def test_an_explicit_concurrency_still_bounds_the_batch() -> None:
    state = {"running": 0, "peak": 0}

    async def handle(message: Any) -> None:
        state["running"] += 1
        state["peak"] = max(state["peak"], state["running"])
        await asyncio.sleep(0)
        state["running"] -= 1

    lambda_handler(handle, concurrency=3)(_batch(12), lambda_context())
    assert state["peak"] == 3


def test_warm_invocations_run_on_one_open_loop() -> None:
    loops: list[asyncio.AbstractEventLoop] = []
    clients: list[asyncio.Queue[int]] = []  # bound to the loop that first used it

    async def handle(message: Any) -> None:
        loops.append(asyncio.get_running_loop())
        if not clients:
            clients.append(asyncio.Queue())
        await clients[0].put(1)
        await clients[0].get()

    handler = lambda_handler(handle)
    for _ in range(3):
        assert handler(_batch(2), lambda_context()) == {"batchItemFailures": []}
    assert len(set(map(id, loops))) == 1
    assert not loops[0].is_closed()


def test_threads_calling_at_once_share_the_loop_safely() -> None:
    # The Azure worker and functions-framework call from a thread pool.
    seen: list[int] = []

    async def handle(message: Any) -> None:
        await asyncio.sleep(0.001)
        seen.append(message.data["n"])

    handler = lambda_handler(handle)
    answers: list[Any] = []
    threads = [threading.Thread(target=lambda: answers.append(
        handler(_batch(5), lambda_context()))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [{"batchItemFailures": []}] * 4
    assert sorted(seen) == sorted(list(range(5)) * 4)
