"""@sdk.idempotent's states on the in-memory store, through the real entry points.

Every behaviour here is also proven against the remote stores in
test_real_stores.py; these run without servers and pin the state machine.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest
from pydantic import BaseModel

import sdk
from adapters.aws import lambda_handler
from sdk import (
    ConfigurationError,
    Context,
    IdempotencyInProgressError,
    IdempotencyKeyError,
    IdempotencyKeyMismatchError,
    Message,
    ResponseEncodeError,
)
from sdk.idempotency import COMPLETED, IN_PROGRESS, IdempotencyRecord, MemoryStore
from tests.support.concurrency import at_once

from ._events import LambdaContext, failed_ids, sqs_event, sqs_record


class Boom(Exception):
    pass


class Order(BaseModel):
    order: int


class CountingStore(MemoryStore):
    """The memory store, counting the calls made to it."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def put_if_absent(self, record: IdempotencyRecord, now: float) -> IdempotencyRecord | None:
        self.calls.append("put")
        return super().put_if_absent(record, now)

    def update_if(self, record: IdempotencyRecord, claimed: IdempotencyRecord) -> bool:
        self.calls.append("update")
        return super().update_if(record, claimed)

    def delete_if(self, claimed: IdempotencyRecord) -> bool:
        self.calls.append("delete")
        return super().delete_if(claimed)

    def record(self, key_prefix: str = "") -> IdempotencyRecord:
        (found,) = [r for k, r in self._records.items() if k.startswith(key_prefix)]
        return found


def message(n: int | str, data: Any = None) -> Message[Any]:
    import json

    return Message(provider="local", trigger="test.queue", id=f"m{n}", source="q",
                   queue="orders", payload=json.dumps({"n": n} if data is None else data))


def ctx(remaining_ms: int | None = None) -> Context:
    deadline = None if remaining_ms is None else time.time() * 1000 + remaining_ms
    return Context(provider="local", request_id="r", deadline_ms=deadline)


def counted(store: Any, **options: Any) -> tuple[sdk.Function[Any], list[Any]]:
    runs: list[Any] = []

    @sdk.function
    @sdk.idempotent(store=store, **options)
    def handle(event: Message[Any]) -> Any:
        runs.append(event.id)
        return {"handled": event.id, "at": len(runs)}

    return handle, runs


# -- the first call, a completed duplicate -------------------------------------------
def test_a_completed_duplicate_returns_the_stored_result_without_running() -> None:
    store = CountingStore()
    handle, runs = counted(store)
    first = handle.call(message(1), ctx())
    again = handle.call(message(1), ctx())
    assert runs == ["m1"]
    assert first == again == {"handled": "m1", "at": 1}
    assert store.calls == ["put", "update", "put"]
    assert store.record().status == COMPLETED


def test_different_keys_each_run() -> None:
    handle, runs = counted(MemoryStore())
    for n in (1, 2, 3):
        handle.call(message(n), ctx())
    assert runs == ["m1", "m2", "m3"]


def test_a_failure_deletes_the_record_so_the_retry_runs() -> None:
    store = CountingStore()
    attempts: list[int] = []

    @sdk.idempotent(store=store)
    def handle(event: Message[Any]) -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise Boom("first attempt")
        return "ok"

    fn = sdk.function(handle)
    with pytest.raises(Boom):
        fn.call(message(1), ctx())
    assert len(store) == 0
    assert fn.call(message(1), ctx()) == "ok"
    assert fn.call(message(1), ctx()) == "ok"
    assert len(attempts) == 2
    assert store.calls == ["put", "delete", "put", "update", "put"]


def test_the_same_key_with_another_payload_is_refused() -> None:
    handle, runs = counted(MemoryStore(), key="data.order")
    handle.call(message(1, {"order": 7, "qty": 1}), ctx())
    with pytest.raises(IdempotencyKeyMismatchError) as caught:
        handle.call(message(2, {"order": 7, "qty": 9}), ctx())
    assert runs == ["m1"]
    assert "qty" not in str(caught.value) and "9" not in str(caught.value).split("#")[0]
    assert isinstance(caught.value, ValueError)


def test_payload_validation_can_compare_a_part_or_nothing() -> None:
    part, runs = counted(MemoryStore(), key="data.order", validate_payload="data.qty")
    part.call(message(1, {"order": 7, "qty": 1, "note": "a"}), ctx())
    assert part.call(message(2, {"order": 7, "qty": 1, "note": "b"}), ctx())["handled"] == "m1"
    with pytest.raises(IdempotencyKeyMismatchError):
        part.call(message(3, {"order": 7, "qty": 2}), ctx())
    off, off_runs = counted(MemoryStore(), key="data.order", validate_payload=False)
    off.call(message(1, {"order": 7, "qty": 1}), ctx())
    assert off.call(message(2, {"order": 7, "qty": 2}), ctx())["handled"] == "m1"
    assert runs == off_runs == ["m1"]


def test_an_expired_record_runs_again() -> None:
    handle, runs = counted(MemoryStore(), expires=0.05)
    handle.call(message(1), ctx())
    time.sleep(0.08)
    handle.call(message(1), ctx())
    assert runs == ["m1", "m1"]


# -- in progress: concurrent duplicates, crashes, the deadline ------------------------
def test_a_duplicate_while_in_progress_fails_retryably_and_never_runs_twice() -> None:
    started, release = threading.Event(), threading.Event()
    runs: list[str] = []

    @sdk.idempotent(store=MemoryStore())
    def handle(event: Message[Any]) -> str:
        runs.append(event.id or "")
        started.set()
        release.wait(5)
        return "done"

    fn = sdk.function(handle)
    first = threading.Thread(target=fn.call, args=(message(1), ctx()))
    first.start()
    assert started.wait(5)
    with pytest.raises(IdempotencyInProgressError) as caught:
        fn.call(message(1), ctx())
    release.set()
    first.join()
    assert runs == ["m1"]
    assert 0 < caught.value.retry_after <= 3600
    assert fn.call(message(1), ctx()) == "done"


def test_many_threads_at_once_run_the_handler_once() -> None:
    runs: list[str] = []

    @sdk.idempotent(store=MemoryStore())
    def handle(event: Message[Any]) -> str:
        runs.append(event.id or "")
        time.sleep(0.05)
        return "done"

    fn = sdk.function(handle)
    outcomes = at_once(16, lambda: fn.call(message(1), ctx()),
                       refused=IdempotencyInProgressError)
    assert runs == ["m1"]
    assert outcomes.count("done") >= 1 and len(outcomes) == 16


def test_the_lease_ends_at_the_invocation_deadline() -> None:
    store = CountingStore()
    seen: list[float] = []

    @sdk.idempotent(store=store, expires=3600)
    def handle(event: Message[Any]) -> None:
        seen.append(store.record().expiry - time.time())

    sdk.function(handle).call(message(1), ctx(remaining_ms=2_000))
    assert 1.0 < seen[0] <= 2.0
    assert store.record().expiry - time.time() > 3500  # completed: the full lifetime


def test_without_a_deadline_the_lease_is_in_progress_expires() -> None:
    store = CountingStore()
    seen: list[float] = []

    @sdk.idempotent(store=store, in_progress_expires=30)
    def handle(event: Message[Any]) -> None:
        seen.append(store.record().expiry - time.time())

    sdk.function(handle).call(message(1), ctx())
    assert 29 < seen[0] <= 30


def test_a_claim_whose_holder_crashed_is_taken_over_after_its_lease() -> None:
    store = MemoryStore()
    handle, runs = counted(store)
    key = next(iter(_keys_after(handle, store)))
    # What a crash between IN_PROGRESS and COMPLETED leaves: a claim nobody completes.
    store._records.clear()
    stale = IdempotencyRecord(key, IN_PROGRESS, time.time() + 0.1, None)
    assert store.put_if_absent(stale, time.time()) is None
    with pytest.raises(IdempotencyInProgressError):
        handle.call(message(1), ctx())
    time.sleep(0.12)
    assert handle.call(message(1), ctx())["handled"] == "m1"
    assert runs == ["m1", "m1"]  # once to learn the key, once after the takeover


def _keys_after(handle: sdk.Function[Any], store: MemoryStore) -> list[str]:
    handle.call(message(1), ctx())
    return list(store._records)


def test_a_completion_after_the_claim_was_taken_over_does_not_overwrite() -> None:
    store = MemoryStore()
    release = threading.Event()

    @sdk.idempotent(store=store, in_progress_expires=0.05)
    def slow(event: Message[Any]) -> str:
        release.wait(5)
        return "slow"

    fn = sdk.function(slow)
    first = threading.Thread(target=fn.call, args=(message(1), ctx()))
    first.start()
    time.sleep(0.1)  # the first claim's lease ended: a redelivery takes over

    @sdk.idempotent(store=store, name=fn.fn.__module__ + "." + fn.name)
    def fast(event: Message[Any]) -> str:
        return "fast"

    assert sdk.function(fast).call(message(1), ctx()) == "fast"
    release.set()
    first.join()
    (record,) = store._records.values()
    assert record.status == COMPLETED and record.result == '"fast"'


# -- batches ---------------------------------------------------------------------------
def test_duplicates_inside_one_sqs_batch_run_once_and_succeed() -> None:
    runs: list[int] = []

    @sdk.idempotent(store=MemoryStore(), key="data.order")
    def handle(event: Message[Any]) -> None:
        runs.append(event.data["order"])

    batch = sqs_event(sqs_record("a", {"order": 1}), sqs_record("b", {"order": 2}),
                      sqs_record("c", {"order": 1}))
    assert failed_ids(lambda_handler(handle)(batch, LambdaContext())) == []
    assert runs == [1, 2]


def test_an_async_handler_reports_an_in_progress_duplicate_of_its_batch_failed() -> None:
    runs: list[int] = []

    @sdk.idempotent(store=MemoryStore(), key="data.order")
    async def handle(event: Message[Any]) -> None:
        runs.append(event.data["order"])
        await asyncio.sleep(0.05)

    batch = sqs_event(sqs_record("a", {"order": 1}), sqs_record("b", {"order": 2}),
                      sqs_record("c", {"order": 1}))
    response = lambda_handler(handle)(batch, LambdaContext())
    assert failed_ids(response) == ["c"]
    assert runs == [1, 2]
    # The redelivery of "c" finds the order completed: its stored result, no run.
    assert failed_ids(lambda_handler(handle)(sqs_event(batch["Records"][2]),
                                             LambdaContext())) == []
    assert runs == [1, 2]


def test_a_failing_record_is_retried_while_its_completed_neighbours_are_not() -> None:
    runs: list[str] = []
    failing = {"b"}

    @sdk.idempotent(store=MemoryStore())
    def handle(event: Message[Any]) -> None:
        runs.append(event.id or "")
        if event.id in failing:
            raise Boom(event.id)

    batch = sqs_event(sqs_record("a", 1), sqs_record("b", 2), sqs_record("c", 3))
    entry = lambda_handler(handle)
    assert failed_ids(entry(batch, LambdaContext())) == ["b"]
    failing.clear()
    assert failed_ids(entry(batch, LambdaContext())) == []  # the whole batch again
    assert runs == ["a", "b", "c", "b"]


def test_a_list_handler_is_one_key_for_the_whole_delivery() -> None:
    store = CountingStore()
    runs: list[list[str]] = []

    @sdk.idempotent(store=store)
    def handle(events: list[Message[Any]]) -> None:
        runs.append([e.id or "" for e in events])

    batch = sqs_event(sqs_record("a", 1), sqs_record("b", 2))
    entry = lambda_handler(handle)
    assert failed_ids(entry(batch, LambdaContext())) == []
    assert failed_ids(entry(batch, LambdaContext())) == []
    assert runs == [["a", "b"]]
    assert len(store) == 1
    entry(sqs_event(sqs_record("a", 1)), LambdaContext())
    assert runs == [["a", "b"], ["a"]]


def test_a_list_handler_that_reports_failures_is_not_stored() -> None:
    runs: list[int] = []

    @sdk.idempotent(store=MemoryStore())
    def handle(events: list[Message[Any]]) -> list[str]:
        runs.append(len(events))
        return ["b"] if len(runs) == 1 else []

    batch = sqs_event(sqs_record("a", 1), sqs_record("b", 2))
    entry = lambda_handler(handle)
    assert failed_ids(entry(batch, LambdaContext())) == ["b"]
    assert failed_ids(entry(batch, LambdaContext())) == []
    assert runs == [2, 2]


# -- composition, results, the cache --------------------------------------------------
def test_it_composes_with_sdk_function_in_either_order() -> None:
    store = MemoryStore()

    @sdk.idempotent(store=store, name="outer")
    @sdk.function
    def outer(event: Message[Any], context: Context) -> str:
        return f"{event.id} {context.request_id}"

    @sdk.function
    @sdk.idempotent(store=store, name="inner")
    def inner(event: Message[Any], context: Context) -> str:
        return f"{event.id} {context.request_id}"

    for fn in (outer, inner):
        assert isinstance(fn, sdk.Function)
        assert fn.kind is Message and fn.takes_context and not fn.batch
        assert fn.call(message(1), ctx()) == "m1 r"
    assert len(store) == 2


def test_a_model_is_validated_before_the_key_is_claimed() -> None:
    store = MemoryStore()

    @sdk.function
    @sdk.idempotent(store=store, key="data.order")
    def handle(event: Message[Order]) -> int:
        return event.data.order

    assert handle.kind is Message and handle.validator is not None
    assert handle.call(message(1, {"order": 5}), ctx()) == 5
    with pytest.raises(sdk.DataValidationError):
        handle.call(message(2, {"order": "x"}), ctx())
    assert len(store) == 1


def test_results_replay_as_their_json_form() -> None:
    from datetime import datetime, timezone

    @sdk.idempotent(store=MemoryStore())
    def handle(event: Message[Any]) -> Any:
        return {"when": datetime(2024, 1, 2, tzinfo=timezone.utc), "items": (1, 2)}

    fn = sdk.function(handle)
    first = fn.call(message(1), ctx())
    assert isinstance(first["when"], datetime)
    assert fn.call(message(1), ctx()) == {"when": "2024-01-02T00:00:00Z", "items": [1, 2]}


def test_a_result_without_a_json_form_fails_and_releases_the_key() -> None:
    store = MemoryStore()

    @sdk.idempotent(store=store)
    def handle(event: Message[Any]) -> Any:
        return object()

    with pytest.raises(ResponseEncodeError, match="stored as JSON"):
        sdk.function(handle).call(message(1), ctx())
    assert len(store) == 0


def test_an_async_handler_is_wrapped_as_async() -> None:
    runs: list[str] = []

    @sdk.idempotent(store=MemoryStore())
    async def handle(event: Message[Any]) -> str:
        runs.append(event.id or "")
        return "ok"

    fn = sdk.function(handle)
    assert fn.is_async
    assert fn.call(message(1), ctx()) == fn.call(message(1), ctx()) == "ok"
    assert runs == ["m1"]


def test_the_local_cache_answers_a_warm_duplicate_without_the_store() -> None:
    store = CountingStore()
    handle, runs = counted(store, local_cache=True)
    handle.call(message(1), ctx())
    handle.call(message(1), ctx())
    handle.call(message(1), ctx())
    assert runs == ["m1"]
    assert store.calls == ["put", "update"]


def test_the_local_cache_still_validates_the_payload() -> None:
    handle, _ = counted(MemoryStore(), key="data.order", local_cache=2)
    handle.call(message(1, {"order": 1}), ctx())
    with pytest.raises(IdempotencyKeyMismatchError):
        handle.call(message(2, {"order": 1, "x": 1}), ctx())


# -- keys and configuration ------------------------------------------------------------
def test_an_event_without_its_key_is_refused_naming_the_selector() -> None:
    handle, runs = counted(MemoryStore(), key="data.order")
    with pytest.raises(IdempotencyKeyError, match=r"test.queue: no idempotency key: key "
                                                  r"selector 'data.order'"):
        handle.call(message(1, {"other": 1}), ctx())
    no_id = Message(provider="local", trigger="test.queue", payload="{}")
    default, _ = counted(MemoryStore())
    with pytest.raises(IdempotencyKeyError, match="the default key"):
        default.call(no_id, ctx())
    assert runs == []


@pytest.mark.parametrize("options", [
    {"store": "nope://x"}, {"store": 42}, {"store": "memory://", "expires": 0},
    {"store": "memory://", "expires": -1}, {"store": "memory://", "key": 3},
    {"store": "memory://", "in_progress_expires": 0}, {"store": "memory://", "key": ""},
    {"store": "memory://", "key": "data..x"}, {"store": "memory://", "local_cache": -1},
])
def test_bad_options_are_configuration_errors(options: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError):
        sdk.idempotent(**options)


def test_an_http_handler_must_say_its_key() -> None:
    with pytest.raises(ConfigurationError, match="no natural idempotency key; pass key="):
        @sdk.idempotent(store="memory://")
        def handle(request: sdk.HTTPRequest) -> None: ...


def test_named_memory_stores_are_shared_and_unnamed_ones_are_not() -> None:
    assert sdk.store("memory://shared") is sdk.store("memory://shared")
    assert sdk.store("memory://") is not sdk.store("memory://")
