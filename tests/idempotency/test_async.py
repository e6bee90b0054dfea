"""Async handlers await the store: each store's async operations on its real server,
and the event loop running on while a store call waits.

Redis and Firestore use their native async clients (``redis.asyncio``,
``AsyncClient``), the memory store its own calls, DynamoDB and Azure Table
Storage their sync clients in a worker thread. To show the loop is free during a
round trip, the server is stopped (``SIGSTOP`` to its process group) for a moment
while a claim is in flight: a ticking task keeps ticking, and the claim completes
once the server resumes. A store call that blocked the loop would tick zero times.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import threading
import time
from typing import Any

import pytest

import sdk
from sdk import IdempotencyInProgressError, Message
from sdk._idempotency._async import InThreads, async_store
from sdk.idempotency import COMPLETED, IN_PROGRESS, IdempotencyRecord
from tests.support.concurrency import Ticker

pytestmark = pytest.mark.servers

#: backend -> the session fixture of the server behind it
SERVERS = {"dynamodb": "moto_server", "redis": "redis_server",
           "azure-table": "azurite_server", "firestore": "firestore_server"}
#: backend -> how async handlers reach it
NATIVE = {"memory": "MemoryStore", "redis": "RedisStore", "firestore": "FirestoreStore"}
STALL = 0.3  # seconds the server is stopped


def message(n: int, payload: Any = None) -> Message[Any]:
    return Message(provider="aws", trigger="aws.sqs", id=f"m-{n}", source="arn:q", queue="q",
                   payload=json.dumps({"n": n} if payload is None else payload))


def record(key: str, lease: float, status: str = IN_PROGRESS, result: str | None = None
           ) -> IdempotencyRecord:
    return IdempotencyRecord(key, status, time.time() + lease, "hash", result)


def test_the_async_store_operations_keep_the_contract(address: str) -> None:
    store = sdk.store(address)
    aio = async_store(store)
    backend = address.partition(":")[0].replace("rediss", "redis")
    assert isinstance(aio, InThreads) is (backend not in NATIVE)

    async def contract() -> None:
        claim = record("fn.b#k1", 30)
        assert await aio.aput_if_absent(claim, time.time()) is None
        busy = await aio.aput_if_absent(record("fn.b#k1", 30), time.time())
        assert busy is not None and busy.status == IN_PROGRESS
        assert await aio.aupdate_if(record("fn.b#k1", 300, COMPLETED, '{"ok":1}'), claim)
        done = await aio.aput_if_absent(record("fn.b#k1", 30), time.time())
        assert done is not None and (done.status, done.result) == (COMPLETED, '{"ok":1}')
        other = record("fn.b#k2", 30)
        assert await aio.aput_if_absent(other, time.time()) is None
        assert await aio.adelete_if(other)
        assert await aio.aput_if_absent(record("fn.b#k2", 30), time.time()) is None
        assert not await aio.adelete_if(other)  # released: no longer its holder

    asyncio.run(contract())
    # What the async client wrote, the sync one reads: one store, two clients.
    found = store.put_if_absent(record("fn.b#k1", 30), time.time())
    assert found is not None and found.result == '{"ok":1}'


def test_an_async_handler_runs_once_per_key_and_concurrent_duplicates_are_refused(
        address: str) -> None:
    runs: list[int] = []

    @sdk.idempotent(store=address)
    async def handle(event: Message[Any]) -> dict[str, int]:
        runs.append(event.data["n"])
        await asyncio.sleep(0.05)  # still in progress when its duplicate arrives
        if event.data["n"] == 2:
            raise RuntimeError("handler failed")
        return {"n": event.data["n"]}

    async def deliveries() -> list[Any]:
        first = await asyncio.gather(handle(message(1)), handle(message(1)),
                                     return_exceptions=True)
        again = await handle(message(1))  # completed: the stored result
        failed = await asyncio.gather(handle(message(2)), return_exceptions=True)
        return [*first, again, *failed]

    one, two, again, failed = asyncio.run(deliveries())
    assert sorted([type(one).__name__, type(two).__name__]) == [
        "IdempotencyInProgressError", "dict"]
    assert {"n": 1} in (one, two) and again == {"n": 1}
    assert isinstance(failed, RuntimeError)
    # The failure released the key: its redelivery (another loop, as on Lambda) runs.
    assert isinstance(asyncio.run(_gather_one(handle(message(2)))), RuntimeError)
    assert runs == [1, 2, 2]


async def _gather_one(coro: Any) -> Any:
    return (await asyncio.gather(coro, return_exceptions=True))[0]


def test_a_busy_duplicate_fails_retryably_in_an_async_handler(memory_address: str) -> None:
    @sdk.idempotent(store=memory_address)
    async def handle(event: Message[Any]) -> None:
        await asyncio.sleep(0.05)

    async def both() -> list[Any]:
        return await asyncio.gather(handle(message(7)), handle(message(7)),
                                    return_exceptions=True)

    results = asyncio.run(both())
    assert results.count(None) == 1
    assert any(isinstance(r, IdempotencyInProgressError) for r in results)


@pytest.mark.parametrize("backend", list(SERVERS))
def test_the_loop_keeps_running_while_the_store_is_waited_for(
        backend: str, request: pytest.FixtureRequest) -> None:
    address = str(request.getfixturevalue(f"{backend.replace('-', '_')}_address"))
    server = request.getfixturevalue(SERVERS[backend])
    store = sdk.store(address)
    aio = async_store(store)
    asyncio.run(_warm(aio))  # import, client, connection: not what is measured

    async def claim_while_stalled() -> tuple[int, float, Any]:
        async with Ticker(pause=0.01) as ticker:
            await asyncio.sleep(0)
            _stall(server.process.pid, STALL)
            started, before = time.monotonic(), ticker.ticks
            found = await aio.aput_if_absent(record("fn.c#stalled", 30), time.time())
            took = time.monotonic() - started
            during = ticker.ticks - before
        return during, took, found

    during, took, found = asyncio.run(claim_while_stalled())
    assert found is None  # the claim went through once the server resumed
    assert took >= STALL * 0.8  # it did wait for the stopped server
    assert during >= 5, f"the loop ticked {during} times in {took:.2f} s"


async def _warm(aio: Any) -> None:
    claim = record("fn.c#warm", 30)
    assert await aio.aput_if_absent(claim, time.time()) is None
    assert await aio.adelete_if(claim)


def _stall(group: int, seconds: float) -> None:
    """Stop the server's process group now and resume it ``seconds`` later."""
    os.killpg(group, signal.SIGSTOP)
    timer = threading.Timer(seconds, os.killpg, (group, signal.SIGCONT))
    timer.daemon = True
    timer.start()
