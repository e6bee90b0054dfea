"""Round trips per event on every remote store, sync and async handlers, counted
where they happen: the requests botocore sends (its ``before-send`` event), the
command packets redis-py's connections write (sync and ``redis.asyncio``
connection classes that count them), the requests azure-core sends (its
``raw_request_hook``), the RPCs the Firestore clients' gRPC channels carry
(interceptors on the sync and the ``grpc.aio`` emulator channels).

=================================  ========  =====  ===========  =========
path                               DynamoDB  Redis  Azure Table  Firestore
=================================  ========  =====  ===========  =========
new event (claim + complete)       2         2      2            2
duplicate (completed)              1         1      2            2
takeover of a crashed claim + run  2         2      4            4
handler failed (claim + release)   2         2      2            2
duplicate, ``local_cache``         0         0      0            0
=================================  ========  =====  ===========  =========

The same for async handlers: Redis and Firestore through their native async
clients, DynamoDB and Azure Table through the same sync clients in a worker
thread. Table Storage and Firestore refuse a create without returning the
existing record (the last two tests show it on the servers), so a duplicate reads
it: docs/idempotency.md says why no other request of theirs does it in one.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import sdk
from sdk import Message
from sdk._idempotency._async import async_store
from sdk._idempotency._keys import default_key, digest
from sdk.idempotency import COMPLETED, IN_PROGRESS, IdempotencyRecord

pytestmark = pytest.mark.servers

#: backend -> round trips of each path
EXPECTED = {
    "dynamodb": {"new": 2, "duplicate": 1, "takeover": 2, "failed": 2},
    "redis": {"new": 2, "duplicate": 1, "takeover": 2, "failed": 2},
    "azure-table": {"new": 2, "duplicate": 2, "takeover": 4, "failed": 2},
    "firestore": {"new": 2, "duplicate": 2, "takeover": 4, "failed": 2},
}
#: backends whose async handlers use a native async client (the others: a thread)
NATIVE = {"redis", "firestore"}

Counted = tuple[Any, Callable[[], int]]  # the store, and how many round trips so far


def message(n: int) -> Message[Any]:
    return Message(provider="aws", trigger="aws.sqs", id=f"m-{n}", source="arn:q", queue="q",
                   payload=json.dumps({"order": n}))


def context() -> sdk.Context:
    return sdk.Context(provider="aws", request_id="r")


def paths(store: Any, count: Callable[[], int], is_async: bool, **options: Any
          ) -> dict[str, int]:
    """Round trips of each path through an idempotent handler on ``store``."""
    fail = {"now": False}

    def work(event: Message[Any]) -> dict[str, int]:
        if fail["now"]:
            raise RuntimeError("handler failed")
        return {"order": event.data["order"]}

    async def work_async(event: Message[Any]) -> dict[str, int]:
        return work(event)

    handler = work_async if is_async else work
    handler.__annotations__["event"] = Message  # the kind, for the default key
    handle = sdk.function(sdk.idempotent(store=store, name="rt", **options)(handler))
    assert handle.is_async is is_async
    # Connections, scripts, the async client of the loop: cold start, not per event.
    handle.call(message(0), context())
    measured: dict[str, int] = {}

    def measure(name: str, n: int) -> None:
        before = count()
        with contextlib.suppress(RuntimeError):
            handle.call(message(n), context())  # async: on the process's one loop
        measured[name] = count() - before

    measure("new", 1)
    measure("duplicate", 1)
    # A claim whose holder crashed, its lease over: the next delivery takes it over.
    crashed = IdempotencyRecord(digest("rt", default_key(message(3)), "t", "s"), IN_PROGRESS,
                                time.time() + 0.3)
    assert store.put_if_absent(crashed, time.time()) is None
    time.sleep(0.4)
    measure("takeover", 3)
    fail["now"] = True
    measure("failed", 2)
    return measured


# -- each backend's store, its clients counting what they send ------------------------
def _dynamodb(request: pytest.FixtureRequest) -> Iterator[Counted]:
    store = sdk.store(request.getfixturevalue("dynamodb_address"))
    sent: list[str] = []

    def count(event_name: str, **kwargs: Any) -> None:
        sent.append(event_name)

    events = store.client.meta.events  # type: ignore[attr-defined]
    events.register("before-send.dynamodb", count)
    try:
        yield store, lambda: len(sent)
    finally:
        events.unregister("before-send.dynamodb", count)


def _redis(request: pytest.FixtureRequest) -> Iterator[Counted]:
    import redis
    import redis.asyncio

    from adapters._stores.redis import RedisStore

    sent: list[int] = []

    class Counting(redis.Connection):
        def send_packed_command(self, command: Any, check_health: bool = True) -> None:
            sent.append(1)
            super().send_packed_command(command, check_health)

    class CountingAsync(redis.asyncio.Connection):
        async def send_packed_command(self, command: Any, check_health: bool = True) -> None:
            sent.append(1)
            await super().send_packed_command(command, check_health)

    address = request.getfixturevalue("redis_address")
    url, _, query = address.partition("?")
    store = RedisStore(url, client=redis.Redis.from_url(url, connection_class=Counting),
                       async_client=lambda: redis.asyncio.Redis.from_url(
                           url, connection_class=CountingAsync),
                       prefix=query.partition("=")[2])
    store.connect()  # loads the scripts on the server (the async client runs them too)
    yield store, lambda: len(sent)


def _azure_table(request: pytest.FixtureRequest) -> Iterator[Counted]:
    from azure.data.tables import TableClient

    from adapters._stores.azure_table import TableStore

    address = request.getfixturevalue("azure_table_address")
    azurite = request.getfixturevalue("azurite")
    sent: list[str] = []
    table = address.partition("://")[2]
    client = TableClient.from_connection_string(
        azurite.connection_string, table_name=table,
        raw_request_hook=lambda request: sent.append(request.http_request.method))
    yield TableStore(table, client=client), lambda: len(sent)


def _firestore(request: pytest.FixtureRequest) -> Iterator[Counted]:
    import grpc
    from google.cloud import firestore

    from adapters._stores.firestore import FirestoreStore

    address = request.getfixturevalue("firestore_address")
    sent: list[str] = []

    class Count(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
        def intercept_unary_unary(self, call: Any, details: Any, request: Any) -> Any:
            sent.append(details.method)
            return call(details, request)

        def intercept_unary_stream(self, call: Any, details: Any, request: Any) -> Any:
            sent.append(details.method)
            return call(details, request)

    class CountAsync(grpc.aio.UnaryUnaryClientInterceptor,
                     grpc.aio.UnaryStreamClientInterceptor):
        async def intercept_unary_unary(self, call: Any, details: Any, request: Any) -> Any:
            sent.append(details.method)
            return await call(details, request)

        async def intercept_unary_stream(self, call: Any, details: Any, request: Any) -> Any:
            sent.append(details.method)
            return await call(details, request)

    class CountingClient(firestore.Client):  # type: ignore[misc]
        """The real client, its emulator channel passing every RPC through Count."""

        def _emulator_channel(self, transport: Any) -> Any:
            return grpc.intercept_channel(super()._emulator_channel(transport), Count())

    class CountingAsyncClient(firestore.AsyncClient):  # type: ignore[misc]
        """The real AsyncClient; its grpc.aio channel takes interceptors in its lists,
        as the library's own transport adds its logging one."""

        def _emulator_channel(self, transport: Any) -> Any:
            channel = super()._emulator_channel(transport)
            channel._unary_unary_interceptors.append(CountAsync())
            channel._unary_stream_interceptors.append(CountAsync())
            return channel

    store = FirestoreStore(address.partition("://")[2], client=CountingClient(),
                           async_client=CountingAsyncClient)
    yield store, lambda: len(sent)


_STORES = {"dynamodb": _dynamodb, "redis": _redis, "azure-table": _azure_table,
           "firestore": _firestore}


@pytest.fixture(params=list(_STORES))
def counted(request: pytest.FixtureRequest) -> Iterator[tuple[str, Any, Callable[[], int]]]:
    backend = request.param
    for store, count in _STORES[backend](request):
        yield backend, store, count


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_round_trips_of_every_path(counted: tuple[str, Any, Callable[[], int]],
                                   is_async: bool) -> None:
    backend, store, count = counted
    if is_async:
        native = async_store(store) is store
        assert native is (backend in NATIVE)
    assert paths(store, count, is_async) == EXPECTED[backend]


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_duplicates_cost_nothing_with_the_local_cache(
        counted: tuple[str, Any, Callable[[], int]], is_async: bool) -> None:
    _, store, count = counted
    measured = paths(store, count, is_async, local_cache=True)
    assert measured["duplicate"] == 0
    assert measured["new"] == 2  # the cache changes nothing else


# -- why a duplicate reads on Table Storage and Firestore: the refusal is bare ---------
def _completed(key: str) -> tuple[IdempotencyRecord, IdempotencyRecord]:
    claim = IdempotencyRecord(key, IN_PROGRESS, time.time() + 30, "h")
    return claim, IdempotencyRecord(key, COMPLETED, time.time() + 300, "h",
                                    '{"marker": "stored-result-7f3a"}')


def test_table_storage_refuses_an_existing_row_without_returning_it(
        azure_table_address: str, azurite: Any) -> None:
    from azure.core.exceptions import ResourceExistsError
    from azure.data.tables import TableClient

    from adapters._stores.azure_table import TableStore

    bodies: list[bytes] = []
    table = azure_table_address.partition("://")[2]
    client = TableClient.from_connection_string(
        azurite.connection_string, table_name=table,
        raw_response_hook=lambda response: bodies.append(response.http_response.body()))
    store = TableStore(table, client=client)
    claim, done = _completed("fn#refused")
    assert store.put_if_absent(claim, time.time()) is None and store.update_if(done, claim)
    bodies.clear()
    with pytest.raises(ResourceExistsError) as refused:
        client.create_entity(store._entity(claim))
    assert refused.value.status_code == 409
    assert bodies and all(b"stored-result-7f3a" not in body and b"COMPLETED" not in body
                          for body in bodies)  # an error document, not the row


def test_firestore_refuses_an_existing_document_without_returning_it(
        firestore_address: str) -> None:
    from google.api_core.exceptions import AlreadyExists

    store = sdk.store(firestore_address)
    claim, done = _completed("fn#refused")
    assert store.put_if_absent(claim, time.time()) is None and store.update_if(done, claim)
    collection = store._connect()[1]  # type: ignore[attr-defined]
    document = collection.document(store._document_id(claim.key))  # type: ignore[attr-defined]
    with pytest.raises(AlreadyExists) as refused:
        document.create(store._fields(claim))  # type: ignore[attr-defined]
    text = f"{refused.value} {refused.value.details} {refused.value.errors}"
    assert "stored-result-7f3a" not in text and COMPLETED not in text
