"""What a separate process (another container of the same function) runs in the
cross-process tests: the same idempotent handler, against the same store.

Functions here are started with multiprocessing's ``spawn``: a fresh interpreter,
as a new container is, that imports this module first.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

import sdk

MESSAGE_ID = "m-cross-process"


def message(order: int = 1) -> Any:
    return sdk.Message(provider="aws", trigger="aws.sqs", id=MESSAGE_ID,
                       source="arn:aws:sqs:us-east-1:123456789012:orders", queue="orders",
                       payload=json.dumps({"order": order}))


def context(remaining_ms: int = 30_000) -> Any:
    return sdk.Context(provider="aws", request_id=f"r-{os.getpid()}",
                       deadline_ms=time.time() * 1000 + remaining_ms)


def warm(address: str) -> Any:
    """The store, its client built and its first round trip made: a cold client's
    first call (a JVM emulator's first request) can take seconds on a loaded
    machine, which would eat a short lease before the claim is even written."""
    from sdk.idempotency import IN_PROGRESS, IdempotencyRecord

    store = sdk.store(address)
    warmup = IdempotencyRecord(f"warm.up#{os.getpid()}", IN_PROGRESS, time.time() + 60)
    if store.put_if_absent(warmup, time.time()) is None:
        store.delete_if(warmup)
    return store


def race(address: str, ran_file: str, barrier: Any, hold_s: float, results: Any) -> None:
    """Wait for every racer, then handle the same message once each."""
    store = warm(address)

    @sdk.idempotent(store=store, name="worker.race")
    def handle(event: sdk.Message[Any]) -> dict[str, int]:
        with open(ran_file, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")
        time.sleep(hold_s)
        return {"pid": os.getpid()}

    fn = sdk.function(handle)
    barrier.wait()
    try:
        results.put(("ok", fn.call(message(), context())))
    except sdk.IdempotencyInProgressError:
        results.put(("in progress", None))


def crash(address: str, lease_ms: int) -> None:
    """Claim the key, then die before completing it (a timeout, an OOM kill)."""
    store = warm(address)

    @sdk.idempotent(store=store, name="worker.crash")
    def handle(event: sdk.Message[Any]) -> None:
        os._exit(17)

    sdk.function(handle).call(message(), context(remaining_ms=lease_ms))
