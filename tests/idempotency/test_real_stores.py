"""Every store on its real server: the store contract, concurrent duplicates in
threads and in processes, a crash between IN_PROGRESS and COMPLETED, payload
mismatches, and duplicates inside one SQS batch on moto's SQS."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path
from typing import Any

import pytest

import sdk
from sdk import IdempotencyInProgressError, IdempotencyKeyMismatchError, Message
from sdk.idempotency import COMPLETED, IN_PROGRESS, IdempotencyRecord
from tests.support.concurrency import at_once

from . import _worker

pytestmark = pytest.mark.servers


def record(key: str, lease: float, status: str = IN_PROGRESS, result: str | None = None
           ) -> IdempotencyRecord:
    return IdempotencyRecord(key, status, time.time() + lease, "hash", result)


# -- the store protocol ----------------------------------------------------------------
def test_a_claim_is_refused_while_a_live_record_exists(address: str) -> None:
    store = sdk.store(address)
    claim = record("fn.a#k1", 30)
    assert store.put_if_absent(claim, time.time()) is None
    assert claim.version is not None
    existing = store.put_if_absent(record("fn.a#k1", 30), time.time())
    assert existing is not None
    assert (existing.key, existing.status, existing.payload_hash) == ("fn.a#k1", IN_PROGRESS,
                                                                      "hash")
    assert existing.expiry == pytest.approx(claim.expiry, abs=0.01)


def test_completing_stores_the_result_and_only_the_claim_holder_can(address: str) -> None:
    store = sdk.store(address)
    claim = record("fn.a#k2", 30)
    assert store.put_if_absent(claim, time.time()) is None
    done = record("fn.a#k2", 300, COMPLETED, '{"ok":1}')
    assert store.update_if(done, claim)
    found = store.put_if_absent(record("fn.a#k2", 30), time.time())
    assert found is not None and (found.status, found.result) == (COMPLETED, '{"ok":1}')
    assert found.expiry == pytest.approx(done.expiry, abs=0.01)


def test_an_expired_claim_is_taken_over_and_its_holder_loses_it(address: str) -> None:
    store = sdk.store(address)
    crashed = record("fn.a#k3", 0.3)
    assert store.put_if_absent(crashed, time.time()) is None
    time.sleep(0.4)
    taker = record("fn.a#k3", 30)
    assert store.put_if_absent(taker, time.time()) is None
    late = record("fn.a#k3", 300, COMPLETED, '"late"')
    assert not store.update_if(late, crashed)
    assert not store.delete_if(crashed)
    found = store.put_if_absent(record("fn.a#k3", 30), time.time())
    assert found is not None and found.status == IN_PROGRESS and found.version == taker.version


def test_releasing_a_claim_lets_the_next_claim_in(address: str) -> None:
    store = sdk.store(address)
    claim = record("fn.a#k4", 30)
    assert store.put_if_absent(claim, time.time()) is None
    assert store.delete_if(claim)
    assert store.put_if_absent(record("fn.a#k4", 30), time.time()) is None


# -- through the decorator ---------------------------------------------------------------
def counted(address: str, **options: Any) -> tuple[sdk.Function[Any], list[Any]]:
    runs: list[Any] = []

    @sdk.function
    @sdk.idempotent(store=address, **options)
    def handle(event: Message[Any]) -> Any:
        runs.append(event.data)
        time.sleep(0.2)
        return {"order": event.data["order"]}

    return handle, runs


def test_concurrent_duplicates_in_threads_run_the_handler_once(address: str) -> None:
    handle, runs = counted(address)
    outcomes = at_once(6, lambda: handle.call(_worker.message(), _worker.context()),
                       refused=IdempotencyInProgressError)
    assert runs == [{"order": 1}]
    assert outcomes.count({"order": 1}) >= 1 and len(outcomes) == 6  # the rest: in progress
    assert handle.call(_worker.message(), _worker.context()) == {"order": 1}
    assert runs == [{"order": 1}]


def test_concurrent_duplicates_in_processes_run_the_handler_once(shared_address: str,
                                                                 tmp_path: Path) -> None:
    spawn = multiprocessing.get_context("spawn")  # fresh interpreters, as new containers
    racers = 4
    barrier, results = spawn.Barrier(racers), spawn.Queue()
    ran = tmp_path / "ran"
    processes = [spawn.Process(target=_worker.race,
                               args=(shared_address, str(ran), barrier, 1.0, results))
                 for _ in range(racers)]
    for p in processes:
        p.start()
    outcomes = [results.get(timeout=120) for _ in processes]
    for p in processes:
        p.join(30)
    assert [p.exitcode for p in processes] == [0] * racers
    assert len(ran.read_text().splitlines()) == 1  # one process ran the handler
    pid = int(ran.read_text())
    assert all(result == {"pid": pid} for kind, result in outcomes if kind == "ok")
    assert [kind for kind, _ in outcomes].count("ok") >= 1


def test_a_crash_between_in_progress_and_completed_recovers_after_the_lease(
        shared_address: str) -> None:
    spawn = multiprocessing.get_context("spawn")
    store = _worker.warm(shared_address)
    crashed = spawn.Process(target=_worker.crash, args=(shared_address, 4_000))
    crashed.start()
    crashed.join(60)
    assert crashed.exitcode == 17  # died inside the handler, its claim left behind

    runs: list[str] = []

    @sdk.function
    @sdk.idempotent(store=store, name="worker.crash")
    def handle(event: Message[Any]) -> str:
        runs.append(event.id or "")
        return "recovered"

    with pytest.raises(IdempotencyInProgressError) as busy:
        handle.call(_worker.message(), _worker.context())
    assert 0 < busy.value.retry_after <= 4.0
    time.sleep(busy.value.retry_after + 0.2)
    assert handle.call(_worker.message(), _worker.context()) == "recovered"
    assert handle.call(_worker.message(), _worker.context()) == "recovered"
    assert runs == [_worker.MESSAGE_ID]


def test_the_same_key_with_another_payload_is_refused(address: str) -> None:
    handle, runs = counted(address)
    handle.call(_worker.message(order=1), _worker.context())
    with pytest.raises(IdempotencyKeyMismatchError):
        handle.call(_worker.message(order=2), _worker.context())
    assert runs == [{"order": 1}]


def test_a_failure_releases_the_key_on_the_real_store(address: str) -> None:
    attempts: list[int] = []

    @sdk.function
    @sdk.idempotent(store=address)
    def handle(event: Message[Any]) -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("downstream unavailable")
        return "ok"

    with pytest.raises(RuntimeError):
        handle.call(_worker.message(), _worker.context())
    assert handle.call(_worker.message(), _worker.context()) == "ok"
    assert handle.call(_worker.message(), _worker.context()) == "ok"
    assert len(attempts) == 2


def test_an_unreachable_store_fails_before_the_handler_runs() -> None:
    from tests.support.servers._base import free_port

    @sdk.function
    @sdk.idempotent(store=f"redis://127.0.0.1:{free_port()}/0")
    def handle(event: Message[Any]) -> None:
        raise AssertionError("must not run")

    with pytest.raises(sdk.IdempotencyStoreError, match="failed to claim the key") as caught:
        handle.call(_worker.message(), _worker.context())
    assert "ConnectionError" in str(caught.value)
    assert caught.value.__cause__ is not None
